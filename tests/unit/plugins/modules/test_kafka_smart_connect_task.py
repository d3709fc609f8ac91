# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""kafka_smart_connect_task, run in process against the emulator: create, rerun, run states, replace, faults."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

OBS_SECRET = "ScObsSecretNeverShown01"
PEER_PASSWORD = "PeerPasswordNeverShown01"


def sink(dms, name="dump-1", **overrides):
    args = dict(instance_id=dms.emulator.instance_id, task_name=name, topics=["topic-a", "topic-b"], sink_task=dict(
        consumer_strategy="earliest", access_key="SCOBSAK0000000000001", secret_key=OBS_SECRET,
        obs_bucket_name="my-bucket", partition_format="yyyy/MM/dd/HH", deliver_time_interval=300))
    args.update(overrides)
    return args


def replication(dms, name="replicate-1", **source):
    task = dict(bootstrap_servers=["10.0.0.2:9093", "10.0.0.1:9093"], security_protocol="SASL_SSL",
                sasl_mechanism="PLAIN", user_name="peer", password=PEER_PASSWORD, direction="push",
                topics_mapping=["topic-test:topic-copy"])
    task.update(source)
    return dict(instance_id=dms.emulator.instance_id, task_name=name, topics="topic-test", source_task=task)


def run(dms, args, **options):
    return dms.run("kafka_smart_connect_task", args, **options)


def test_check_mode_then_create_then_a_rerun_that_reads_the_list_only(dms):
    planned = run(dms, sink(dms), check_mode=True, diff=True)
    assert planned["changed"] is True and planned["task_id"] is None and dms.methods() == ["GET"]
    assert planned["diff"]["after"]["topics"] == ["topic-a", "topic-b"]
    created = run(dms, sink(dms))
    post = dms.requests("POST")[0]
    # Only what the user set, and what the API requires (consumer_strategy has the module's default).
    assert json.loads(post["body"]) == {
        "task_name": "dump-1", "topics": "topic-a,topic-b", "sink_type": "OBS_SINK", "sink_task": {
            "consumer_strategy": "earliest", "access_key": "SCOBSAK0000000000001", "secret_key": OBS_SECRET,
            "obs_bucket_name": "my-bucket", "partition_format": "yyyy/MM/dd/HH", "deliver_time_interval": 300}}
    assert len(dms.acted("POST")) == 1
    assert created["changed"] is True and created["task"]["status"] == "RUNNING"
    assert created["task_id"] == created["task"]["id"] and not created["task"]["source_task"]
    sent = len(dms.requests())
    rerun = run(dms, sink(dms, topics="topic-b, topic-a"))
    assert rerun["changed"] is False and rerun["task_id"] == created["task_id"]
    assert dms.methods()[sent:] == ["GET"]  # the list carries whole tasks
    assert OBS_SECRET not in json.dumps([planned, created, rerun])


def test_the_list_is_read_page_by_page(dms):
    for number in range(52):
        dms.reset(sc_quota_tasks=60) if number == 0 else None
        run(dms, sink(dms, "dump-%02d" % number, wait=False))
    found = run(dms, sink(dms, "dump-51"))
    lists = [entry["query"] for entry in dms.requests("GET")[-2:]]
    assert found["changed"] is False and lists == [[["offset", "0"], ["limit", "50"]], [["offset", "50"], ["limit", "50"]]]


def test_running_starts_a_waiting_task_and_paused_pauses_it_and_running_resumes(dms):
    waiting = run(dms, sink(dms, start_later=True))
    assert waiting["task"]["status"] == "WAITING" and json.loads(dms.requests("POST")[0]["body"])["start_later"] is True
    started = run(dms, sink(dms, state="running"))
    paused = run(dms, sink(dms, state="paused"), diff=True)
    assert (paused["diff"]["before"]["status"], paused["diff"]["after"]["status"]) == ("RUNNING", "PAUSED")
    paused_again = run(dms, sink(dms, state="paused"))
    resumed = run(dms, sink(dms, state="running"))
    assert [started["changed"], paused["changed"], paused_again["changed"], resumed["changed"]] == [
        True, True, False, True]
    assert [started["task"]["status"], paused["task"]["status"], resumed["task"]["status"]] == [
        "RUNNING", "PAUSED", "RUNNING"]
    puts = [entry["path"].rsplit("/", 1)[1] for entry in dms.requests("PUT")]
    assert puts == ["restart", "pause", "resume"]  # resume keeps progress: never restart for it
    assert "/kafka/instances/" in dms.requests("PUT")[0]["path"]


def test_restarted_restarts_every_run(dms):
    run(dms, sink(dms))
    first, second = run(dms, sink(dms, state="restarted")), run(dms, sink(dms, state="restarted"))
    assert first["changed"] is True and second["changed"] is True and second["task"]["status"] == "RUNNING"
    assert len(dms.requests("PUT")) == 2


def test_other_settings_fail_naming_them_and_on_change_replaces(dms):
    created = run(dms, sink(dms))
    changed = sink(dms)
    changed["sink_task"] = dict(changed["sink_task"], deliver_time_interval=600)
    refused = run(dms, changed)
    assert refused["failed"] is True and "sink_task.deliver_time_interval: task has 300, wanted 600" in refused["msg"]
    assert refused["differences"] == [dict(option="sink_task.deliver_time_interval", task=300, wanted=600)]
    replaced = run(dms, dict(changed, recreate="on_change"))
    assert replaced["changed"] is True and replaced["task_id"] != created["task_id"]
    assert replaced["task"]["sink_task"]["deliver_time_interval"] == 600 and len(dms.acted("DELETE")) == 1


def test_a_replication_task_never_returns_its_password_and_compares_lists_as_sets(dms):
    created = run(dms, dict(replication(dms), validate=True))
    sent = json.loads(dms.requests("POST")[1]["body"])
    assert sent["source_type"] == "KAFKA_REPLICATOR_SOURCE" and sent["source_task"]["password"] == PEER_PASSWORD
    assert sent["source_task"]["bootstrap_servers"] == "10.0.0.2:9093,10.0.0.1:9093"
    assert [entry["path"].rsplit("/", 1)[1] for entry in dms.acted("POST")] == ["validate", "tasks"]
    rerun = run(dms, replication(dms, bootstrap_servers=["10.0.0.1:9093", "10.0.0.2:9093"]))
    assert created["changed"] is True and rerun["changed"] is False
    assert not created["task"]["sink_task"] and "password" not in created["task"]["source_task"]
    assert PEER_PASSWORD not in json.dumps([created, rerun])


def test_absent_deletes_and_waits_until_gone(dms):
    created = run(dms, sink(dms))
    absent = dict(instance_id=dms.emulator.instance_id, task_name="dump-1", state="absent")
    planned = run(dms, absent, check_mode=True)
    deleted = run(dms, absent)
    again = run(dms, absent)
    assert planned["changed"] is True and deleted["changed"] is True and deleted["task_id"] == created["task_id"]
    assert again["changed"] is False and again["task"] is None
    # Gone is what the list says: no show of the deleted task (it may answer 404 or 400).
    assert len(dms.acted("DELETE")) == 1 and "/connector/tasks/" not in dms.requests("GET")[-2]["path"]


def test_a_lost_create_answer_is_looked_up_before_a_second_post(dms):
    dms.emulator.add_fault(method="POST", drop="after")
    created = run(dms, sink(dms))
    assert created["changed"] is True and len(dms.requests("POST")) == 1
    assert len(dms.emulator.state()["tasks"]) == 0 and len(dms.emulator.state()["sc_tasks"]) == 1  # the sink-task store is separate: nothing leaked there


def test_a_full_quota_fails_before_the_create(dms):
    dms.reset(sc_quota_tasks=1)
    run(dms, sink(dms))
    posts = len(dms.requests("POST"))
    failed = run(dms, sink(dms, "dump-2"))
    assert failed["msg"].startswith("create Smart Connect task 'dump-2' failed: the task quota is full: quota_tasks "
                                    "is 1 and there are 1 tasks (max_tasks 1). Delete a Smart Connect task")
    assert "sink-tasks" not in failed["msg"]  # the dumping API's quota call is no advice here
    assert len(dms.requests("POST")) == posts


def test_a_task_that_ends_in_error_fails_the_wait_naming_it(dms):
    dms.reset(final_status_by_name={"dump-1": "ERROR"})
    failed = run(dms, sink(dms))
    assert failed["failed"] is True and failed["changed"] is True
    assert "is in status ERROR, not RUNNING, and will not get there by waiting" in failed["msg"]
    assert failed["task"]["status"] == "ERROR"  # the task as last read


@pytest.mark.parametrize("change, named", [
    (dict(topics=None), "topics or topics_regex"),
    (dict(topics_regex="a.*"), "topics or topics_regex"),
    (dict(topics=["bad name"]), "'bad name'"),
    (dict(sink_task=None), "sink_task (Kafka to OBS) or source_task"),
    (dict(source_task=dict(direction="push")), "only one of them"),
])
def test_bad_sink_input_fails_before_any_request(dms, change, named):
    failed = run(dms, dict(sink(dms), **change))
    assert failed["failed"] is True and named in failed["msg"] and dms.requests() == []


@pytest.mark.parametrize("source, named", [
    (dict(instance_id="5c6a1d2e-0000-4000-8000-000000000009"), "source_task.instance_id"),
    (dict(password=None), "source_task.password is required with security_protocol SASL_SSL"),
    (dict(rename_topic_enabled=True), "exclude each other"),
    (dict(task_num=0), "source_task.task_num must be at least 1"),
    (dict(topics_mapping=["no-colon"]), "'no-colon' is not 'source:target'"),
    (dict(direction="sideways"), "direction"),
])
def test_bad_replication_input_fails_before_any_request(dms, source, named):
    failed = run(dms, replication(dms, **source))
    assert failed["failed"] is True and named in failed["msg"] and dms.requests() == []


def test_the_info_module_lists_every_page_shows_by_name_or_id_and_never_a_secret(dms):
    dms.reset(sc_quota_tasks=60)
    created = [run(dms, sink(dms, "dump-%02d" % number, wait=False))["task_id"] for number in range(51)]
    instance = dict(instance_id=dms.emulator.instance_id)
    listed = dms.run("kafka_smart_connect_task_info", instance, check_mode=True)
    by_name = dms.run("kafka_smart_connect_task_info", dict(instance, name="dump-50"))
    by_id = dms.run("kafka_smart_connect_task_info", dict(instance, task_id=created[0]))
    missing = dms.run("kafka_smart_connect_task_info", dict(instance, task_id="00000000-0000-4000-8000-00000000dead"))
    assert [task["task_id"] for task in listed["tasks"]] == created
    assert listed["quota"] == dict(total_number=51, max_tasks=60, quota_tasks=60) and listed["changed"] is False
    assert [task["task_id"] for task in by_name["tasks"]] == [created[50]]
    assert [task["task_name"] for task in by_id["tasks"]] == ["dump-00"] and "quota" not in by_id
    assert missing["tasks"] == []
    assert OBS_SECRET not in json.dumps(listed)


@pytest.mark.parametrize("rule, posts", [
    (dict(method="POST", path="/connector/tasks$", status=503, count=2), [503, 503, 200]),
    (dict(method="POST", path="/connector/tasks$", status=429), [429, 200]),
])
def test_5xx_and_429_on_create_make_one_task(dms, rule, posts):
    dms.emulator.add_fault(**rule)
    created = run(dms, sink(dms))
    assert created["changed"] is True
    assert [entry["status"] for entry in dms.requests("POST")] == posts
    listed = dms.run("kafka_smart_connect_task_info", dict(instance_id=dms.emulator.instance_id))
    assert [task["task_id"] for task in listed["tasks"]] == [created["task_id"]]


def test_losing_a_race_to_the_same_task_is_no_change_and_to_another_is_a_failure(dms):
    import threading
    import time

    def other_run_creates(settings):
        while not dms.requests("POST"):  # this run's POST has arrived and is held
            time.sleep(0.02)
        assert run(dms, settings)["changed"] is True

    for attempt, interval in enumerate([300, 600]):
        dms.reset(faults=[dict(method="POST", hold=0.5)])
        other = sink(dms)
        other["sink_task"] = dict(other["sink_task"], deliver_time_interval=interval)
        competitor = threading.Thread(target=other_run_creates, args=(other,))
        competitor.start()
        result = run(dms, sink(dms, recreate="on_change"))
        competitor.join()
        listed = dms.run("kafka_smart_connect_task_info", dict(instance_id=dms.emulator.instance_id))
        assert len(listed["tasks"]) == 1 and dms.requests("DELETE") == []
        if attempt == 0:
            assert result["changed"] is False and "failed" not in result
        else:
            assert result["failed"] is True and "another run has just created it with other settings" in result["msg"]
            assert result["differences"] == [dict(option="sink_task.deliver_time_interval", task=600, wanted=300)]
