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
    assert failed["msg"].startswith("create Smart Connect task 'dump-2' failed: the task quota is full: there are 1 "
                                    "tasks (total_number) and the quota is 1 (quota_tasks; max_tasks, the maximum "
                                    "number of tasks, is 0). Delete a Smart Connect task")
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
    # max_tasks: what is still free, as the reference's example reads (the emulator answers so).
    assert listed["quota"] == dict(total_number=51, max_tasks=9, quota_tasks=60) and listed["changed"] is False
    assert [task["task_id"] for task in by_name["tasks"]] == [created[50]]
    assert [task["task_name"] for task in by_id["tasks"]] == ["dump-00"] and "quota" not in by_id
    assert missing["tasks"] == [] and "failed" not in missing  # a missing task may answer 404 or 400
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


# --- waits that know where a task comes from ---------------------------------------------------------

def actions(dms):
    """The action calls sent, by name (start and restart share the restart path)."""
    return [entry["path"].rsplit("/", 1)[1] for entry in dms.requests("PUT")]


def test_restarted_and_paused_first_wait_out_a_task_still_creating(dms):
    dms.reset(sc_transition_reads=3)
    created = run(dms, sink(dms, wait=False))
    assert created["task"]["status"] == "CREATING"
    restarted = run(dms, sink(dms, state="restarted", wait=False))
    assert restarted.get("failed") is not True, restarted.get("msg")
    assert restarted["changed"] is True and actions(dms) == ["restart"]
    run(dms, sink(dms, "dump-2", wait=False))
    paused = run(dms, sink(dms, "dump-2", state="paused", wait=False))
    assert paused.get("failed") is not True, paused.get("msg")
    assert paused["changed"] is True and actions(dms) == ["restart", "pause"]
    listed = dms.run("kafka_smart_connect_task_info", dict(instance_id=dms.emulator.instance_id, name="dump-2"))
    for read in range(5):  # the status may lag for a few reads; then the task is paused, not dumping
        listed = dms.run("kafka_smart_connect_task_info", dict(instance_id=dms.emulator.instance_id, name="dump-2"))
    assert listed["tasks"][0]["status"] == "PAUSED"


def test_a_new_task_asked_paused_is_created_then_paused(dms):
    paused = run(dms, sink(dms, state="paused"), diff=True)
    assert paused["changed"] is True and paused["task"]["status"] == "PAUSED" and actions(dms) == ["pause"]
    assert paused["diff"]["after"]["status"] == "PAUSED"
    assert "start_later" not in json.loads(dms.requests("POST")[0]["body"])


def test_default_timeouts_are_no_shorter_than_terraforms():
    from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task_run import DEFAULT_TIMEOUTS

    assert DEFAULT_TIMEOUTS["create"] >= 30 * 60 and DEFAULT_TIMEOUTS["action"] >= 20 * 60


# --- compare what the user set ------------------------------------------------------------------------

def test_fields_an_answer_leaves_out_have_the_apis_default_and_the_escaped_newline_is_a_newline(dms):
    args = sink(dms)
    args["sink_task"] = dict(args["sink_task"], store_keys=False, obs_path="", record_delimiter="\\n",
                             destination_file_type="TEXT")
    created = run(dms, args)
    sent = json.loads(dms.requests("POST")[0]["body"])["sink_task"]
    assert sent["record_delimiter"] == "\n" and sent["store_keys"] is False
    sent_before = len(dms.requests())
    rerun = run(dms, args, diff=True)
    assert created["changed"] is True and rerun["changed"] is False, rerun.get("msg")
    assert rerun["diff"]["before"] == rerun["diff"]["after"] and dms.methods()[sent_before:] == ["GET"]


def test_list_settings_compare_as_sets(dms):
    created = run(dms, replication(dms, topics_mapping=["b:b2", "a:a2"]))
    shuffled = replication(dms, topics_mapping=["a:a2", "b:b2", "a:a2"], bootstrap_servers=[
        "10.0.0.1:9093", "10.0.0.2:9093", " 10.0.0.1:9093"])
    shuffled["topics"] = ["topic-test", "topic-test"]
    rerun = run(dms, shuffled)
    assert created["changed"] is True and rerun["changed"] is False, rerun.get("msg")
    changed = run(dms, replication(dms, topics_mapping=["a:a2"]))
    assert changed["failed"] is True and changed["differences"] == [
        dict(option="source_task.topics_mapping", task=["a:a2", "b:b2"], wanted=["a:a2"])]


# --- no call is sent again blindly -----------------------------------------------------------------

@pytest.mark.parametrize("rule", [dict(drop="after"), dict(status=503, acted=True), dict(status=504, acted=True)],
                         ids=["lost", "503 after acting", "504 after acting"])
@pytest.mark.parametrize("state, action", [("paused", "pause"), ("restarted", "restart")])
def test_an_action_whose_answer_was_lost_is_read_back_not_sent_again(dms, rule, state, action):
    run(dms, sink(dms))
    dms.emulator.add_fault(method="PUT", **rule)
    result = run(dms, sink(dms, state=state))
    assert result.get("failed") is not True, result.get("msg")
    assert result["changed"] is True and actions(dms) == [action]


def test_an_action_lost_before_the_service_acted_is_sent_again_once_the_read_back_shows_no_effect(dms):
    run(dms, sink(dms))
    dms.emulator.add_fault(method="PUT", drop="before")
    paused = run(dms, sink(dms, state="paused"))
    assert paused["changed"] is True and paused["task"]["status"] == "PAUSED" and actions(dms) == ["pause", "pause"]


def test_an_action_that_never_reaches_the_service_is_sent_retries_plus_one_times_then_fails(dms):
    run(dms, sink(dms))
    dms.emulator.add_fault(method="PUT", drop="before", count=None)
    failed = run(dms, sink(dms, state="paused", retries=2))
    assert failed["failed"] is True and actions(dms) == ["pause"] * 3
    assert dms.emulator.state()["sc_tasks"][0]["timeline"][-1] == "RUNNING"


def test_a_delete_lost_before_the_service_acted_is_sent_again_once_the_list_still_shows_the_task(dms):
    run(dms, sink(dms))
    dms.emulator.add_fault(method="DELETE", drop="before")
    deleted = run(dms, dict(instance_id=dms.emulator.instance_id, task_name="dump-1", state="absent"))
    assert deleted.get("failed") is not True, deleted.get("msg")
    assert deleted["changed"] is True and [entry["status"] for entry in dms.requests("DELETE")] == [None, 204]
    assert dms.emulator.state()["sc_tasks"] == []


def test_a_delete_the_service_never_takes_is_sent_retries_plus_one_times_then_fails(dms):
    run(dms, sink(dms))
    dms.emulator.add_fault(method="DELETE", status=503, count=None)
    failed = run(dms, dict(instance_id=dms.emulator.instance_id, task_name="dump-1", state="absent", retries=2))
    assert failed["failed"] is True and "DMS API error 503" in failed["msg"]
    assert [entry["status"] for entry in dms.requests("DELETE")] == [503] * 3
    assert len(dms.emulator.state()["sc_tasks"]) == 1


def test_a_refused_action_is_no_change_and_says_why(dms):
    run(dms, sink(dms))
    dms.emulator.add_fault(method="PUT", status=400, error_code="DMS.00400034")
    refused = run(dms, sink(dms, state="paused"))
    assert refused["failed"] is True and refused["changed"] is False
    assert refused["msg"].startswith("pause Smart Connect task 'dump-1' (id %s) failed: DMS API error 400"
                                     % refused["task_id"])


def test_a_create_whose_answer_was_lost_and_whose_retry_finds_the_name_taken_is_this_runs(dms):
    # The service lists the task late: the look-up after the lost answer misses it, the second POST is refused.
    dms.reset(realism=dict(lose_answers=True))
    created = run(dms, sink(dms))
    assert [entry["status"] for entry in dms.requests("POST")] == [None, 400]
    assert created["changed"] is True and len(dms.emulator.state()["sc_tasks"]) == 1


@pytest.mark.parametrize("rule, changed", [
    (dict(status=503, acted=True), True),  # the service deleted it, then answered 503: this run's delete
    (dict(drop="after"), True),
])
def test_a_delete_whose_answer_was_lost_is_this_runs_change(dms, rule, changed):
    run(dms, sink(dms))
    dms.emulator.add_fault(method="DELETE", **rule)
    deleted = run(dms, dict(instance_id=dms.emulator.instance_id, task_name="dump-1", state="absent"))
    assert deleted["changed"] is changed and len(dms.requests("DELETE")) == 1
    assert dms.emulator.state()["sc_tasks"] == []


def test_a_delete_that_finds_the_task_already_gone_is_no_change(dms):
    created = run(dms, sink(dms))
    dms.emulator.add_fault(method="DELETE", hold=0.3)
    path = "/v2/%s/instances/%s/connector/tasks/%s" % (
        dms.emulator.project_id, dms.emulator.instance_id, created["task_id"])
    with dms.meanwhile("DELETE", lambda: dms.signed("DELETE", path).raise_for_status()):
        deleted = run(dms, dict(instance_id=dms.emulator.instance_id, task_name="dump-1", state="absent"))
    assert deleted.get("failed") is not True, deleted.get("msg")
    assert deleted["changed"] is False and deleted["task_id"] == created["task_id"]


# --- run states tell the truth ------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["running", "paused", "restarted"])
def test_a_run_state_on_a_task_in_a_final_status_fails_on_every_run_naming_it(dms, state):
    dms.reset(final_status_by_name={"dump-1": "ERROR"})
    assert run(dms, sink(dms))["task"]["status"] == "ERROR"  # the create's wait fails on it
    for check_mode in (True, False, False):
        failed = run(dms, sink(dms, state=state), check_mode=check_mode)
        assert failed["failed"] is True and failed["changed"] is False, (check_mode, failed.get("msg"))
        assert "is in status ERROR: it cannot be %s from there" % state in failed["msg"]
    assert dms.requests("PUT") == []


def test_on_change_replaces_a_task_in_a_final_status(dms):
    dms.reset(final_status_by_name={"dump-1": "ERROR"})
    broken = run(dms, sink(dms))
    replaced = run(dms, sink(dms, recreate="on_change", wait=False))
    assert replaced["changed"] is True and replaced["task_id"] != broken["task_id"]
    assert [warning for warning in replaced["warnings"] if "is in status ERROR: replaced" in warning]


@pytest.mark.parametrize("setup, status", [(dict(state="paused"), "PAUSED"), (dict(start_later=True), "WAITING")])
def test_a_replaced_task_keeps_the_run_state_of_the_one_it_replaces(dms, setup, status):
    run(dms, sink(dms, **setup))
    changed = sink(dms, recreate="on_change")
    changed["sink_task"] = dict(changed["sink_task"], deliver_time_interval=600)
    planned = run(dms, changed, check_mode=True, diff=True)
    replaced = run(dms, changed, diff=True)
    assert replaced["changed"] is True and replaced["task"]["status"] == status
    assert planned["task"]["status"] == status and planned["diff"] == replaced["diff"]
    assert replaced["diff"]["after"]["status"] == status
    assert json.loads(dms.requests("POST")[-1]["body"]).get("start_later", False) is (status == "WAITING")
    running = run(dms, dict(changed, recreate="always", state="running"))
    assert running["task"]["status"] == "RUNNING"


# --- check mode predicts the real run ------------------------------------------------------------------

@pytest.mark.parametrize("state", ["present", "running", "paused", "restarted", "absent"])
@pytest.mark.parametrize("existing", [None, dict(), dict(state="paused"), dict(start_later=True)],
                         ids=["none", "running", "paused", "waiting"])
def test_check_mode_sends_no_change_and_predicts_the_real_run(dms, state, existing):
    if existing is not None:
        run(dms, sink(dms, **existing))
    args = sink(dms, state=state, recreate="on_change")
    args["sink_task"] = dict(args["sink_task"], obs_path="changed") if existing == {} else args["sink_task"]
    sent = len(dms.requests())
    planned = run(dms, args, check_mode=True, diff=True)
    assert [entry["method"] for entry in dms.requests()[sent:]] == ["GET"]
    real = run(dms, args, diff=True)
    assert planned.get("failed") is real.get("failed") and planned["changed"] is real["changed"]
    assert sorted(planned) == sorted(real) and planned["diff"] == real["diff"]
    if real["task"] is not None and real["changed"]:
        assert planned["task"]["status"] == real["task"]["status"]


def test_check_mode_on_a_creating_task_predicts_the_pause(dms):
    dms.reset(sc_transition_reads=4)
    run(dms, sink(dms, wait=False))
    planned = run(dms, sink(dms, state="paused"), check_mode=True)
    assert planned["changed"] is True and dms.requests("PUT") == []


# --- Smart Connect off --------------------------------------------------------------------------------

def test_with_smart_connect_off_absent_and_info_warn_present_fails_naming_the_module(dms):
    off = dms.emulator.disabled_instance_id
    absent = run(dms, dict(instance_id=off, task_name="dump-1", state="absent"))
    listed = dms.run("kafka_smart_connect_task_info", dict(instance_id=off))
    present = run(dms, sink(dms, instance_id=off))
    planned = run(dms, sink(dms, instance_id=off), check_mode=True, diff=True)
    assert absent["changed"] is False and "failed" not in absent
    assert absent["warnings"] == ["Smart Connect is not on for Kafka instance %s, so it has no Smart Connect task "
                                  "'dump-1' to delete." % off]
    assert listed["tasks"] == [] and listed["warnings"] == [
        "Smart Connect is not on for Kafka instance %s, so it has no Smart Connect tasks to list." % off]
    assert present["failed"] is True and "enable it with hwcloud.dms.kafka_smart_connect" in present["msg"]
    assert planned["changed"] is True and planned["task"]["task_name"] == "dump-1"
    assert "check mode reports the create a run would make" in planned["warnings"][0]
    assert dms.changes() == []


# --- messages and input rules ---------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["present", "running", "paused", "restarted"])
@pytest.mark.parametrize("change, named", [
    (dict(topics=[""]), "topics is empty"),
    (dict(topics=None, topics_regex="orders-("), "is not a valid regular expression"),
    (dict(sink_task=dict(consumer_strategy="earliest", access_key="A", secret_key="S", obs_bucket_name="b",
                         partition_format="yyyy", deliver_time_interval=300, record_delimiter="\\t")),
     "sink_task.record_delimiter must be one of"),
    (dict(wait_timeout=0), "wait_timeout must be a positive number"),
])
def test_input_rules_hold_for_every_state_that_creates_or_acts(dms, state, change, named):
    failed = run(dms, dict(sink(dms, state=state), **change))
    assert failed["failed"] is True and named in failed["msg"] and dms.requests() == []


def test_a_differences_failure_with_on_change_gives_no_advice_to_set_it(dms):
    dms.reset(faults=[dict(method="POST", hold=0.5)])
    other = sink(dms)
    other["sink_task"] = dict(other["sink_task"], deliver_time_interval=600)

    def other_run_creates():
        assert run(dms, other)["changed"] is True

    with dms.meanwhile("POST", other_run_creates):
        lost = run(dms, sink(dms, recreate="on_change"))
    assert lost["failed"] is True and "recreate" not in lost["msg"]
    never = run(dms, sink(dms))
    assert never["msg"].endswith("Set recreate: on_change to replace it.")


def test_a_wait_that_times_out_says_whole_seconds_and_returns_the_task_as_last_read(dms):
    dms.reset(sc_transition_reads=10 ** 6)
    failed = run(dms, sink(dms, wait_timeout=1))
    assert failed["failed"] is True and failed["changed"] is True
    assert failed["msg"].endswith("was not RUNNING within wait_timeout 1 seconds; last status CREATING.")
    assert failed["task"]["status"] == "CREATING"


def test_results_carry_no_secret_key_of_either_side_not_even_masked(dms):
    results = [run(dms, sink(dms), diff=True), run(dms, replication(dms), diff=True),
               run(dms, sink(dms, recreate="always"), check_mode=True, diff=True),
               dms.run("kafka_smart_connect_task_info", dict(instance_id=dms.emulator.instance_id))]
    for result in results:
        for task in [result.get("task")] + result.get("tasks", []):
            for side in ("sink_task", "source_task"):
                assert not set((task or {}).get(side) or {}) & {"access_key", "secret_key", "password"}
        text = json.dumps(dict((key, value) for key, value in result.items() if key != "invocation"))
        assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" not in text and "********" not in text
        assert OBS_SECRET not in json.dumps(result) and PEER_PASSWORD not in json.dumps(result)


def test_a_listing_with_short_pages_in_the_middle_still_lists_everything(dms):
    dms.reset(sc_quota_tasks=60, sc_page_limit=20)
    created = [run(dms, sink(dms, "dump-%02d" % number, wait=False))["task_id"] for number in range(45)]
    listed = dms.run("kafka_smart_connect_task_info", dict(instance_id=dms.emulator.instance_id))
    assert [task["task_id"] for task in listed["tasks"]] == created
    found = run(dms, sink(dms, "dump-44"))
    assert found["changed"] is False and found["task_id"] == created[44]


# --- 1.3.0: OBS through an IAM agency ---------------------------------------------------------------------

def with_agency(dms, name="dump-1", agency="dms-obs-agency", **overrides):
    args = sink(dms, name, **overrides)
    keys = ("access_key", "secret_key")
    args["sink_task"] = dict(dict((key, value) for key, value in args["sink_task"].items() if key not in keys),
                             agency_name=agency)
    return args


def test_an_obs_agency_replaces_the_keys_and_is_compared_when_the_answer_carries_it(dms):
    created = run(dms, with_agency(dms))
    sent = json.loads(dms.requests("POST")[0]["body"])["sink_task"]
    assert sent["agency_name"] == "dms-obs-agency" and not set(sent) & {"access_key", "secret_key"}
    rerun = run(dms, with_agency(dms))
    other = run(dms, with_agency(dms, agency="another-agency"))
    assert created["changed"] is True and rerun["changed"] is False
    if dms.realistic:  # agency_not_echoed: the SDK's answer model has no agency_name, and silence is no difference
        assert "agency_name" not in created["task"]["sink_task"]
        assert other["changed"] is False and "failed" not in other
    else:
        assert created["task"]["sink_task"]["agency_name"] == "dms-obs-agency" and other["failed"] is True
        assert other["differences"] == [dict(option="sink_task.agency_name", task="dms-obs-agency",
                                             wanted="another-agency")]


@pytest.mark.parametrize("change, named", [
    (dict(access_key=None, secret_key=None), "sink_task.access_key and sink_task.secret_key (OBS keys), or "
                                             "sink_task.agency_name (an IAM agency"),
    (dict(secret_key=None), "sink_task.access_key and sink_task.secret_key go together; only sink_task.access_key"),
    (dict(access_key=None, agency_name="dms-obs-agency"), "go together; only sink_task.secret_key is set"),
])
def test_keys_or_an_agency_are_required_and_keys_go_together(dms, change, named):
    args = sink(dms)
    args["sink_task"] = dict(args["sink_task"], **change)
    failed = run(dms, args)
    assert failed["failed"] is True and named in failed["msg"] and dms.requests() == []


# --- 1.3.0: pre-flight for OBS sink tasks ----------------------------------------------------------------

def test_validate_checks_an_obs_sink_task_with_the_bucket_list_alone_naming_whose_credentials_listed_it(dms):
    good = run(dms, sink(dms, validate=True))
    calls = [(entry["method"], entry["path"]) for entry in dms.requests() if entry["method"] != "GET"
             or "/obs/buckets" in entry["path"]]
    # No connectivity check: its model (the SDK's SmartConnectTaskRespSourceConfig) has no OBS field.
    assert good["changed"] is True and calls[0] == ("GET", "/v1.0/dms/obs/buckets")
    assert not [path for method, path in calls if path.endswith("/connector/validate")]
    assert OBS_SECRET not in json.dumps([entry for entry in dms.requests() if "/connector/tasks" not in entry["path"]])
    missing = sink(dms, "dump-2", validate=True)
    missing["sink_task"] = dict(missing["sink_task"], obs_bucket_name="no-such-bucket")
    for check_mode in (True, False):
        failed = run(dms, missing, check_mode=check_mode)
        assert failed["failed"] is True and failed["changed"] is False
        assert failed["msg"].startswith(
            "validate Smart Connect task 'dump-2' failed: OBS bucket 'no-such-bucket' is not among the buckets that "
            "the credentials this module signs its requests with can list (not sink_task's keys or agency")
        assert "create it" not in failed["msg"] and "may not be allowed to list it" in failed["msg"]
    assert len(dms.emulator.state()["sc_tasks"]) == 1


def test_where_the_bucket_list_is_not_published_validate_skips_it_with_a_warning(dms):
    dms.reset(realism=dict(obs_buckets_unpublished=True))
    created = run(dms, sink(dms, validate=True))
    assert created.get("failed") is not True, created.get("msg")
    assert created["changed"] is True and len(dms.emulator.state()["sc_tasks"]) == 1
    assert [warning for warning in created["warnings"] if "is not published in this region: validate did not "
            "check that bucket 'my-bucket' exists" in warning]


def test_validate_of_a_replication_task_sends_the_sdks_model_only_and_a_failed_check_stops_the_create(dms):
    created = run(dms, dict(replication(dms), validate=True))
    [check] = [entry for entry in dms.requests("POST") if entry["path"].endswith("/connector/validate")]
    body = json.loads(check["body"])
    # 1.5.1: the peer's settings with its password, as Terraform (tested on the real service) sends them; 1.5.0 followed
    # the SDK's model, which has no password, and a SASL peer could not be checked. Never in the result.
    assert body == {"type": "KAFKA_REPLICATOR_SOURCE", "task": {
        "bootstrap_servers": "10.0.0.2:9093,10.0.0.1:9093", "security_protocol": "SASL_SSL", "sasl_mechanism": "PLAIN",
        "user_name": "peer", "password": PEER_PASSWORD, "direction": "push", "topics_mapping": "topic-test:topic-copy"}}
    assert created["changed"] is True and PEER_PASSWORD not in json.dumps(created)
    dms.emulator.add_fault(method="POST", path="/connector/validate$", status=400, error_code="DMS.00400050")
    failed = run(dms, dict(replication(dms, "replicate-2"), validate=True))
    assert failed["failed"] is True and "DMS.00400050" in failed["msg"] and len(dms.emulator.state()["sc_tasks"]) == 1


# --- 1.3.0: tasks created elsewhere, by task_id ------------------------------------------------------------

def test_a_task_created_elsewhere_is_acted_on_by_its_id_alone(dms):
    created = run(dms, sink(dms))
    by_id = dict(instance_id=dms.emulator.instance_id, task_id=created["task_id"])
    paused = run(dms, dict(by_id, state="paused"), diff=True)
    restarted = run(dms, dict(by_id, state="restarted"))
    running = run(dms, dict(by_id, state="running"))
    listed = dms.run("kafka_smart_connect_task_info", by_id)
    deleted = run(dms, dict(by_id, state="absent"))
    again = run(dms, dict(by_id, state="absent"))
    assert [paused["changed"], restarted["changed"], running["changed"], deleted["changed"], again["changed"]] == [
        True, True, False, True, False]
    assert paused["task"]["task_name"] == "dump-1" and paused["diff"]["after"] == dict(status="PAUSED", task_name="dump-1")
    assert [task["task_id"] for task in listed["tasks"]] == [created["task_id"]]
    assert actions(dms) == ["pause", "restart"] and dms.emulator.state()["sc_tasks"] == []


def test_task_id_and_task_name_must_name_the_same_task(dms):
    created = run(dms, sink(dms))
    run(dms, sink(dms, "dump-2"))
    agreeing = run(dms, sink(dms, task_id=created["task_id"]))
    other = run(dms, sink(dms, "dump-2", task_id=created["task_id"]))
    unknown = run(dms, sink(dms, task_id="00000000-0000-4000-8000-00000000dead"))
    assert agreeing["changed"] is False and agreeing["task_id"] == created["task_id"]
    assert other["failed"] is True and "is named 'dump-1', not 'dump-2'" in other["msg"]
    assert unknown["failed"] is True and "has task_id 00000000-0000-4000-8000-00000000dead" in unknown["msg"]
    assert len(dms.acted("POST")) == 2


@pytest.mark.parametrize("args, named", [
    (dict(state="present", task_id="6f1b7e9a-3c2d-4b8e-9f10-2a3b4c5d6e7f"), "state present needs task_name"),
    (dict(state="running", task_id="a/b"), "task_id"),
    (dict(state="paused"), "one of the following is required: task_name, task_id"),
])
def test_task_id_rules_hold_before_any_request(dms, args, named):
    failed = run(dms, dict(args, instance_id=dms.emulator.instance_id))
    assert failed["failed"] is True and named in failed["msg"] and dms.requests() == []


# --- 1.3.1: what 1.3.0 got wrong --------------------------------------------------------------------------

def task_path(dms, task_id=""):
    return "/v2/%s/instances/%s/connector/tasks%s" % (
        dms.emulator.project_id, dms.emulator.instance_id, "/" + task_id if task_id else "")


def test_a_restart_of_a_running_task_whose_answer_was_lost_is_never_sent_again(dms):
    # RESTARTING passes between two reads: the read-back cannot tell a restart that happened from none.
    dms.reset(realism=dict(restart_unseen=True))
    run(dms, sink(dms))
    dms.emulator.add_fault(method="PUT", drop="after")
    restarted = run(dms, sink(dms, state="restarted"))
    assert restarted.get("failed") is not True, restarted.get("msg")
    assert restarted["changed"] is True and actions(dms) == ["restart"]
    assert [warning for warning in restarted["warnings"] if "was not sent again, and its effect could not be "
            "confirmed" in warning and "restart of Smart Connect task 'dump-1'" in warning]


def test_a_new_task_asked_paused_that_another_run_paused_first_is_where_it_should_be(dms):
    # This run's create is answered late; meanwhile another host sees the task run and pauses it.
    dms.reset(faults=[dict(method="POST", path="/connector/tasks$", delay=1.0)])

    def other_host_pauses():
        import time

        for attempt in range(200):  # bounded: the create is answered a second later
            tasks = dms.signed("GET", task_path(dms)).json().get("tasks") or []
            if tasks and dms.signed("GET", task_path(dms, tasks[0]["id"])).json()["status"] == "RUNNING":
                break
            time.sleep(0.01)
        assert dms.signed("PUT", task_path(dms, tasks[0]["id"]) + "/pause").status_code == 204

    with dms.meanwhile("POST", other_host_pauses):
        paused = run(dms, sink(dms, state="paused"))
    assert paused.get("failed") is not True, paused.get("msg")
    assert paused["changed"] is True and paused["task"]["status"] == "PAUSED"
    # The other host's pause is the only one the service took.
    assert [entry["status"] for entry in dms.requests("PUT")][:1] == [204]
    assert dms.acted("PUT") == dms.requests("PUT")[:1]


def test_where_the_kafka_restart_path_is_not_published_the_instance_level_one_is_used(dms):
    dms.reset(realism=dict(restart_path_instance_only=True))
    created = run(dms, sink(dms, start_later=True))
    started = run(dms, sink(dms, state="running"))
    restarted = run(dms, sink(dms, state="restarted"))
    assert started.get("failed") is not True, started.get("msg")
    assert [started["changed"], restarted["changed"], restarted["task"]["status"]] == [True, True, "RUNNING"]
    kafka_path = "/v2/%s/kafka/instances/%s/connector/tasks/%s/restart" % (
        dms.emulator.project_id, dms.emulator.instance_id, created["task_id"])
    instance_path = task_path(dms, created["task_id"]) + "/restart"
    assert [entry["path"] for entry in dms.requests("PUT")] == [kafka_path, instance_path] * 2
    assert [entry["status"] for entry in dms.requests("PUT")][::2] == [404, 404]


def test_smart_connect_applies_no_rule_of_the_dumping_task_page(dms):
    args = sink(dms, topics=None, topics_regex=".*")
    obs_path = "exports/2026 Q4/" + "x" * 70
    args["sink_task"] = dict(args["sink_task"], obs_path=obs_path)
    created = run(dms, args)
    body = json.loads(dms.requests("POST")[0]["body"])
    assert created["changed"] is True and body["topics_regex"] == ".*" and body["sink_task"]["obs_path"] == obs_path
    # What the service refuses, it says; the module reports that, naming the operation.
    dms.emulator.add_fault(method="POST", path="/connector/tasks$", status=400, error_code="DMS.00400001")
    refused = run(dms, dict(args, task_name="dump-2"))
    assert refused["failed"] is True and refused["msg"].startswith(
        "create Smart Connect task 'dump-2' failed: DMS API error 400 DMS.00400001")


def keys_only(args):
    args["sink_task"] = dict(args["sink_task"], agency_name=None)
    return args


def test_a_task_that_reaches_obs_through_an_agency_declared_with_keys_differs(dms):
    dms.reset(realism=dict(agency_not_echoed=False))
    created = run(dms, with_agency(dms))
    with_keys = keys_only(sink(dms))
    failed = run(dms, with_keys)
    assert failed["failed"] is True and failed["changed"] is False
    assert failed["differences"] == [dict(option="sink_task.agency_name", task="dms-obs-agency", wanted=None)]
    replaced = run(dms, dict(with_keys, recreate="on_change"))
    assert replaced["changed"] is True and replaced["task_id"] != created["task_id"]
    sent = json.loads(dms.requests("POST")[-1]["body"])["sink_task"]
    assert "agency_name" not in sent and sent["secret_key"] == OBS_SECRET
    assert run(dms, with_keys)["changed"] is False


def test_keys_beside_an_agency_are_both_sent_as_terraform_does(dms):
    args = sink(dms)
    args["sink_task"] = dict(args["sink_task"], agency_name="dms-obs-agency")
    created = run(dms, args)
    sent = json.loads(dms.requests("POST")[0]["body"])["sink_task"]
    assert created["changed"] is True and sent["agency_name"] == "dms-obs-agency"
    assert sent["access_key"] == "SCOBSAK0000000000001" and sent["secret_key"] == OBS_SECRET
    assert run(dms, args)["changed"] is False and OBS_SECRET not in json.dumps(created)


@pytest.mark.parametrize("state", ["present", "running", "paused", "restarted", "absent"])
def test_an_unknown_task_id_beside_an_existing_task_name_fails_for_every_state_carrying_the_task(dms, state):
    created = run(dms, sink(dms))
    sent = len(dms.requests())
    failed = run(dms, sink(dms, state=state, task_id="00000000-0000-4000-8000-00000000dead"))
    assert failed["failed"] is True and failed["changed"] is False
    assert "has task_id 00000000-0000-4000-8000-00000000dead, but task 'dump-1' has id %s" % created["task_id"] \
        in failed["msg"]
    assert failed["task_id"] == created["task_id"] and failed["task"]["task_name"] == "dump-1"
    assert set(dms.methods()[sent:]) == {"GET"} and len(dms.emulator.state()["sc_tasks"]) == 1


def test_a_mismatch_of_task_id_and_task_name_carries_the_task_found(dms):
    created = run(dms, sink(dms))
    failed = run(dms, sink(dms, "dump-2", task_id=created["task_id"], state="absent"))
    assert failed["failed"] is True and "is named 'dump-1', not 'dump-2'" in failed["msg"]
    assert failed["task_id"] == created["task_id"] and failed["task"]["task_name"] == "dump-1"
    assert len(dms.emulator.state()["sc_tasks"]) == 1


def test_a_task_given_by_id_on_an_instance_without_smart_connect_is_named_by_its_id(dms):
    off = dict(instance_id=dms.emulator.disabled_instance_id, task_id="6f1b7e9a-3c2d-4b8e-9f10-2a3b4c5d6e7f")
    absent = run(dms, dict(off, state="absent"))
    listed = dms.run("kafka_smart_connect_task_info", off)
    assert absent.get("failed") is not True and absent["changed"] is False
    assert absent["warnings"] == ["Smart Connect is not on for Kafka instance %s, so it has no Smart Connect task "
                                  "with id %s to delete." % (off["instance_id"], off["task_id"])]
    # By id as by name: a warning and no task, not a failure.
    assert listed.get("failed") is not True, listed.get("msg")
    assert listed["tasks"] == [] and listed["warnings"] == [
        "Smart Connect is not on for Kafka instance %s, so it has no Smart Connect tasks to list." % off["instance_id"]]


@pytest.mark.parametrize("module", ["kafka_smart_connect_task", "kafka_smart_connect_tasks"])
def test_a_task_on_an_instance_still_enabling_smart_connect_waits_for_it_and_check_mode_says_so(dms, module):
    # Without stale reads: a read that still shows the instance as before the call cannot be told from a settled one.
    dms.reset(realism=dict(lose_answers=False, status_lag_reads=0))
    off = dms.emulator.disabled_instance_id
    assert dms.signed("POST", "/v2/%s/instances/%s/connector" % (dms.emulator.project_id, off),
                      b'{"node_cnt": 2}').status_code == 200
    args = sink(dms, instance_id=off)
    if module == "kafka_smart_connect_tasks":
        entry = dict((name, value) for name, value in args.items() if name != "instance_id")
        args = dict(instance_id=off, tasks=[entry])
    planned = dms.run(module, args, check_mode=True)
    assert planned["changed"] is True and planned["warnings"] == [
        "Smart Connect is not on for Kafka instance %s yet (the instance is EXTENDING: Smart Connect being enabled, "
        "or another change): check mode reports %s once hwcloud.dms.kafka_smart_connect has enabled it; a run before "
        "that fails." % (off, "the create a run would make" if module == "kafka_smart_connect_task" else
                         "the tasks as a run would make them")]
    created = dms.run(module, args)
    assert created.get("failed") is not True, created.get("msg")
    assert created["changed"] is True and len(dms.emulator.state()["sc_tasks"]) == 1


# --- 1.4.0: one field model; the examples Hypothesis found, as plain tests --------------------------------

def test_a_two_way_task_whose_doubled_task_num_is_the_default_and_left_out_is_no_difference(dms):
    # Found by test_properties: task_num 1 is reported as 2, which a terse answer leaves out as the default.
    dms.reset(realism=dict(defaults_left_out=True))
    args = replication(dms, direction="two-way", task_num=1)
    created = run(dms, args)
    shown = dms.run("kafka_smart_connect_task_info", dict(instance_id=dms.emulator.instance_id))["tasks"][0]
    assert created["changed"] is True and "task_num" not in shown["source_task"]
    rerun = run(dms, args)
    assert rerun.get("failed") is not True and rerun["changed"] is False, rerun.get("msg")
    changed = run(dms, replication(dms, direction="two-way", task_num=3))
    assert changed["failed"] is True and changed["differences"] == [
        dict(option="source_task.task_num", task=1, wanted=3)]


def test_a_two_way_task_num_is_compared_by_the_sdks_rule_and_an_answer_that_could_mean_either_says_so(dms):
    """1.5.1: made with 2, a two-way task reports 4 (the SDK: it runs twice the tasks set). Declaring 4 is a change
    (1.5.0 took the report that matched, and saw none); declaring 3 names 2, not 4."""
    args = replication(dms, direction="two-way", task_num=2)
    assert run(dms, args)["changed"] is True
    assert run(dms, args)["changed"] is False
    four = run(dms, replication(dms, direction="two-way", task_num=4))
    assert four["failed"] is True and four["differences"] == [dict(option="source_task.task_num", task=2, wanted=4)]
    assert any("reports source_task.task_num 4 for a two-way task: read as 2" in warning and
               "the task has 4 and nothing differs" in warning for warning in four["warnings"])
    three = run(dms, replication(dms, direction="two-way", task_num=3))
    assert "task_num: task has 2, wanted 3" in three["msg"] and not three.get("warnings")
    replaced = run(dms, dict(replication(dms, direction="two-way", task_num=4), recreate="on_change"))
    assert replaced["changed"] is True and replaced["task"]["source_task"]["task_num"] == 8


def test_a_service_that_reports_task_num_as_set_is_told_of_in_a_warning(dms):
    dms.reset(realism=dict(task_num_as_set=True, defaults_left_out=False))
    args = replication(dms, direction="two-way", task_num=2)
    run(dms, args)
    rerun = run(dms, args)
    assert rerun["failed"] is True and rerun["differences"] == [dict(option="source_task.task_num", task=1, wanted=2)]
    assert any("If this service reports the number set instead, the task has 2" in warning
               for warning in rerun["warnings"])


def test_an_empty_delimiter_or_alias_a_sparse_answer_leaves_out_is_no_difference(dms):
    # 1.3.1 read a left-out record_delimiter as the newline default: every rerun differed (or replaced the task).
    dms.reset(realism=dict(sparse_answers=True))
    args = sink(dms)
    args["sink_task"] = dict(args["sink_task"], record_delimiter="", obs_path="")
    peer = replication(dms, cluster_name="", current_cluster_name="")
    assert [run(dms, args)["changed"], run(dms, peer)["changed"]] == [True, True]
    assert [run(dms, args)["changed"], run(dms, peer)["changed"]] == [False, False]
    assert len(dms.acted("POST")) == 2


def test_an_unset_option_is_never_compared_and_one_with_a_default_is_sent_as_it(dms):
    # A task made elsewhere (the console) with earliest; the playbook does not say where a task starts.
    args = sink(dms)
    args["sink_task"] = dict(args["sink_task"], consumer_strategy=None)
    elsewhere = dict(args, sink_task=dict(args["sink_task"], consumer_strategy="earliest"))
    run(dms, elsewhere)
    rerun = run(dms, dict(args, recreate="on_change"))
    assert rerun.get("failed") is not True and rerun["changed"] is False, rerun.get("msg")
    run(dms, dict(args, task_name="dump-2"))
    assert json.loads(dms.requests("POST")[-1]["body"])["sink_task"]["consumer_strategy"] == "latest"


def test_only_the_gateways_404_counts_as_an_unpublished_path(dms):
    # A 404 with the service's own code is the service's answer: no other path is tried, no check skipped.
    run(dms, sink(dms))
    dms.emulator.add_fault(method="PUT", path="/restart$", status=404, error_code="DMS.00404033")
    restarted = run(dms, sink(dms, state="restarted"))
    assert restarted["failed"] is True and "DMS.00404033" in restarted["msg"] and len(dms.requests("PUT")) == 1
    dms.emulator.add_fault(method="GET", path="/obs/buckets$", status=404, error_code="DMS.00404000")
    checked = run(dms, sink(dms, "dump-2", validate=True))
    assert checked["failed"] is True and "list the OBS buckets failed: DMS API error 404 DMS.00404000" in checked["msg"]
    assert len(dms.emulator.state()["sc_tasks"]) == 1


@pytest.mark.parametrize("start_later", [True, False])
def test_check_mode_shows_a_replacement_with_the_start_later_the_create_will_send(dms, start_later):
    """A WAITING task is replaced by one created to be started later, a running one by one that starts."""
    run(dms, sink(dms, start_later=start_later))
    changed = sink(dms, recreate="on_change")
    changed["sink_task"] = dict(changed["sink_task"], obs_path="changed")
    planned = run(dms, changed, check_mode=True)
    replaced = run(dms, changed)
    assert planned["changed"] is replaced["changed"] is True
    assert planned["task"]["status"] == replaced["task"]["status"] == ("WAITING" if start_later else "RUNNING")
    assert bool(planned["task"].get("start_later")) is start_later
    assert [bool(json.loads(entry["body"]).get("start_later")) for entry in dms.acted("POST")][-1] is start_later


def test_settings_beside_a_task_id_are_checked_before_any_request(dms):
    args = sink(dms, task_id="0123abcd-0000-4000-8000-000000000000", topics=[""])
    failed = run(dms, args)
    assert failed["failed"] is True and "topics is empty" in failed["msg"] and dms.requests() == []


TERSE = dict(defaults_left_out=True, sparse_answers=True)


@pytest.mark.parametrize("side, option, default, other", [
    ("sink_task", "consumer_strategy", "latest", "earliest"),
    ("sink_task", "deliver_time_interval", 300, 600),
    ("sink_task", "record_delimiter", "\n", ","),
    ("sink_task", "store_keys", False, True),
    ("source_task", "task_num", 2, 3),
    ("source_task", "consumer_strategy", "latest", "earliest"),
    ("source_task", "compression_type", "none", "gzip"),
    ("source_task", "sync_consumer_offsets_enabled", False, True),
    ("source_task", "provenance_header_enabled", False, True),
    ("source_task", "rename_topic_enabled", False, True),
])
def test_a_setting_a_terse_answer_leaves_out_is_its_api_default(dms, side, option, default, other):
    """An answer that leaves out a field has the API's default there (false for a flag): declaring that default is
    no change, declaring anything else is a difference named by the field."""
    dms.reset(realism=TERSE)
    args = sink(dms) if side == "sink_task" else replication(dms)
    args[side] = dict(args[side], **{option: default})
    if option == "rename_topic_enabled":
        del args[side]["topics_mapping"]  # the two exclude each other
    created = run(dms, args)
    assert created.get("failed") is not True, created.get("msg")
    assert option not in created["task"][side]  # the answer left it out
    assert run(dms, args)["changed"] is False
    args[side] = dict(args[side], **{option: other})
    differs = run(dms, args)
    assert differs["failed"] is True and differs["changed"] is False
    assert differs["differences"] == [dict(option="%s.%s" % (side, option), task=default, wanted=other)]


def test_a_delete_the_service_answered_is_not_read_back(dms):
    dms.reset(realism=dict(lose_answers=False))  # a lost answer is read back: the tests above
    run(dms, sink(dms))
    sent = len(dms.requests())
    deleted = run(dms, dict(instance_id=dms.emulator.instance_id, task_name="dump-1", state="absent", wait=False))
    assert deleted["changed"] is True and [entry["method"] for entry in dms.requests()[sent:]] == ["GET", "DELETE"]


def test_a_show_that_keeps_failing_names_the_read_and_the_task(dms):
    created = run(dms, sink(dms))
    dms.emulator.add_fault(method="GET", path="/connector/tasks/[^/]+$", status=500, count=None)
    failed = dms.run("kafka_smart_connect_task_info", dict(instance_id=dms.emulator.instance_id,
                                                           task_id=created["task_id"], retries=0))
    assert failed["failed"] is True
    assert failed["msg"].startswith("read Smart Connect task %s failed: DMS API error 500" % created["task_id"])


def test_a_waiting_task_declared_present_is_left_waiting_without_a_word(dms):
    run(dms, sink(dms, start_later=True))
    again = run(dms, sink(dms))
    assert again.get("failed") is not True and again["changed"] is False and not again.get("warnings")
    assert again["task"]["status"] == "WAITING"


def test_a_delete_of_a_task_still_creating_lost_before_the_service_acted_is_sent_again(dms):
    dms.reset(sc_transition_reads=5, realism=dict(lose_answers=False))
    run(dms, sink(dms, wait=False))
    dms.emulator.add_fault(method="DELETE", drop="before")
    deleted = run(dms, dict(instance_id=dms.emulator.instance_id, task_name="dump-1", state="absent", wait=False))
    assert deleted.get("failed") is not True, deleted.get("msg")
    assert [entry["status"] for entry in dms.requests("DELETE")] == [None, 204]
    assert dms.emulator.state()["sc_tasks"] == []


def test_the_diff_of_a_resume_goes_from_paused_to_running(dms):
    run(dms, sink(dms, state="paused"))
    resumed = run(dms, sink(dms, state="running"), diff=True)
    assert resumed["changed"] is True
    assert (resumed["diff"]["before"]["status"], resumed["diff"]["after"]["status"]) == ("PAUSED", "RUNNING")


def test_a_pause_another_host_made_first_is_no_change_of_this_run(dms):
    dms.reset(realism=dict(lose_answers=False, status_lag_reads=0))
    created = run(dms, sink(dms))
    dms.emulator.add_fault(method="PUT", hold=0.3)
    path = "/v2/%s/instances/%s/connector/tasks/%s/pause" % (
        dms.emulator.project_id, dms.emulator.instance_id, created["task_id"])
    with dms.meanwhile("PUT", lambda: dms.signed("PUT", path).raise_for_status()):
        paused = run(dms, sink(dms, state="paused"))
    assert paused.get("failed") is not True, paused.get("msg")
    assert paused["changed"] is False and paused["task"]["status"] == "PAUSED"


def test_a_task_in_a_final_status_declared_present_is_left_as_it_is_with_a_warning(dms):
    dms.reset(final_status_by_name={"broken": "ERROR"}, sc_transition_reads=0)
    run(dms, sink(dms, "broken", wait=False))
    kept = run(dms, sink(dms, "broken"), diff=True)
    assert kept.get("failed") is not True and kept["changed"] is False
    assert kept["diff"]["before"]["status"] == kept["diff"]["after"]["status"] == "ERROR"
    assert [warning for warning in kept["warnings"] if "is in status ERROR" in warning]


def test_an_empty_sink_setting_is_named_in_a_whole_sentence(dms):
    args = sink(dms)
    args["sink_task"] = dict(args["sink_task"], obs_bucket_name="")
    failed = run(dms, args)
    assert failed["failed"] is True and "sink_task.obs_bucket_name must not be empty." in failed["msg"]


def test_a_pause_answered_500_after_the_service_acted_is_this_runs_change(dms):
    dms.reset(realism=dict(lose_answers=False))
    run(dms, sink(dms))
    dms.emulator.add_fault(method="PUT", status=500, acted=True)
    paused = run(dms, sink(dms, state="paused"))
    assert paused.get("failed") is not True, paused.get("msg")
    assert paused["changed"] is True and paused["task"]["status"] == "PAUSED" and actions(dms) == ["pause"]


def test_a_new_task_is_waited_for_by_reading_it_not_the_list(dms):
    dms.reset(realism=dict(lose_answers=False))
    run(dms, sink(dms))
    created_at = max(entry["seq"] for entry in dms.requests("POST"))
    reads = [entry["path"].rsplit("/", 1)[1] for entry in dms.requests("GET") if entry["seq"] > created_at]
    assert reads and set(reads) == {dms.emulator.state()["sc_tasks"][0]["id"]}


def test_a_waiting_task_declared_paused_is_left_waiting_and_the_warning_says_why(dms):
    created = run(dms, sink(dms, start_later=True))
    kept = run(dms, sink(dms, state="paused"))
    assert kept.get("failed") is not True and kept["changed"] is False and actions(dms) == []
    assert kept["warnings"] == ["Smart Connect task 'dump-1' (id %s) is WAITING: it was never started, so it dumps "
                                "nothing, and it cannot be paused." % created["task_id"]]


def test_a_list_that_keeps_failing_names_the_list_and_the_instance(dms):
    dms.emulator.add_fault(method="GET", path="/connector/tasks$", status=500, count=None)
    failed = run(dms, sink(dms, retries=0))
    assert failed["failed"] is True and failed["msg"].startswith(
        "list the Smart Connect tasks of instance %s failed: DMS API error 500" % dms.emulator.instance_id)


def test_a_pause_path_the_gateway_has_not_published_fails_naming_the_gateways_answer(dms):
    run(dms, sink(dms))
    dms.emulator.add_fault(method="PUT", path="/pause$", status=404, error_code="APIGW.0101", count=None)
    failed = run(dms, sink(dms, state="paused"))
    assert failed["failed"] is True and "DMS API error 404 APIGW.0101" in failed["msg"] and actions(dms) == ["pause"]


def test_recreate_always_on_a_task_in_a_final_status_replaces_it_without_the_on_change_warning(dms):
    dms.reset(final_status_by_name={"broken": "ERROR"}, sc_transition_reads=0)
    run(dms, sink(dms, "broken", wait=False))
    replaced = run(dms, sink(dms, "broken", recreate="always", wait=False))
    assert replaced.get("failed") is not True and replaced["changed"] is True
    assert not [warning for warning in replaced.get("warnings") or [] if "as recreate is on_change" in warning]


def test_a_task_id_no_task_has_fails_naming_the_instance_and_the_id(dms):
    failed = run(dms, dict(instance_id=dms.emulator.instance_id, task_id="0123abcd-0000-4000-8000-000000000000",
                           state="paused"))
    assert failed["failed"] is True and failed["msg"] == (
        "No Smart Connect task of Kafka instance %s has task_id 0123abcd-0000-4000-8000-000000000000."
        % dms.emulator.instance_id)


def test_the_invocation_shows_the_obs_access_key_id_and_never_the_secret(dms):
    created = run(dms, sink(dms))
    shown = created["invocation"]["module_args"]["sink_task"]
    assert shown["access_key"] == "SCOBSAK0000000000001" and shown["secret_key"] != OBS_SECRET


# --- 1.5.1: where paths meet ---------------------------------------------------------------------------------

@pytest.mark.parametrize("first, again", [("paused", "paused"), ("running", "running")])
def test_a_repeat_of_an_action_the_service_is_carrying_out_is_the_goal_under_way(dms, first, again):
    """A rerun seconds after wait: false, while reads still show the status before the call: the service refuses the
    second call because of the task's status; the reads then show it on its way, and that is no failure."""
    dms.reset(sc_transition_reads=3, realism=dict(status_lag_reads=3, lose_answers=False))
    args = sink(dms, start_later=first == "running", state="present")
    run(dms, args)
    if first == "paused":
        run(dms, dict(args, state="running"))
    sent = run(dms, dict(args, state=first, wait=False))
    assert sent["changed"] is True and sent["action"] == "changed"
    repeated = run(dms, dict(args, state=again, wait=True))
    assert repeated.get("failed") is not True, repeated.get("msg")
    assert repeated["changed"] is False and repeated["action"] == "unchanged"
    assert repeated["task"]["status"] == ("PAUSED" if again == "paused" else "RUNNING")
    refused = [entry for entry in dms.requests("PUT") if entry["status"] == 400]
    assert len(refused) == 1 and len(dms.acted("PUT")) == 1


@pytest.mark.parametrize("module", ["kafka_smart_connect_task", "kafka_smart_connect_tasks"])
def test_check_mode_of_a_replacement_says_replaced_and_what_it_costs(dms, module):
    args = sink(dms)
    run(dms, args)
    created_id = dms.emulator.state()["sc_tasks"][0]["id"]
    changed = dict(args, recreate="on_change", sink_task=dict(args["sink_task"], obs_path="elsewhere"))
    if module == "kafka_smart_connect_tasks":
        entry = dict((key, value) for key, value in changed.items() if key not in ("instance_id", "recreate"))
        changed = dict(instance_id=args["instance_id"], recreate="on_change", tasks=[entry])
    planned = dms.run(module, changed, check_mode=True, diff=True)
    real = dms.run(module, changed, diff=True)
    for result in (planned, real):
        action = result["action"] if module == "kafka_smart_connect_task" else result["tasks"][0]["action"]
        assert action == "replaced"
        assert any(warning.startswith("Smart Connect task 'dump-1' (id %s) is replaced: deleted and created again, "
                                      "with a new id. It starts again from consumer_strategy earliest: everything its "
                                      "topics still hold is read, and written, again." % created_id)
                   for warning in result["warnings"])
        diff = result["diff"] if module == "kafka_smart_connect_task" else dict(
            (side, result["diff"][side]["dump-1"]) for side in ("before", "after"))
        assert diff["before"]["task_id"] == created_id and diff["after"]["task_id"] == "(a new task)"
    assert planned["diff"] == real["diff"] and dms.emulator.state()["sc_tasks"][0]["id"] != created_id
