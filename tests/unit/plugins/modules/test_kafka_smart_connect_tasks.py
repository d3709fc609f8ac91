# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""kafka_smart_connect_tasks, run in process against the emulator: an instance's tasks as one declared set."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

OBS_SECRET = "SetObsSecretNeverShown1"
PEER_PASSWORD = "SetPeerPasswordNeverShown1"


def sink_entry(name, **overrides):
    entry = dict(task_name=name, topics=["orders"], sink_task=dict(
        consumer_strategy="earliest", access_key="SETOBSAK000000000001", secret_key=OBS_SECRET,
        obs_bucket_name="my-bucket", partition_format="yyyy/MM/dd/HH", deliver_time_interval=300))
    entry.update(overrides)
    return entry


def replication_entry(name):
    return dict(task_name=name, topics="orders", source_task=dict(
        bootstrap_servers=["10.0.0.1:9093"], security_protocol="SASL_SSL", sasl_mechanism="PLAIN",
        user_name="peer", password=PEER_PASSWORD, direction="push"))


def run_set(dms, tasks, **options):
    run_options = dict((name, options.pop(name)) for name in ("check_mode", "diff") if name in options)
    args = dict(instance_id=dms.emulator.instance_id, tasks=tasks, **options)
    return dms.run("kafka_smart_connect_tasks", args, **run_options)


def outcome(result, name):
    [found] = [task for task in result["tasks"] if task["task_name"] == name]
    return found


def test_a_set_is_created_then_a_rerun_is_one_request(dms):
    tasks = [sink_entry("dump-a", state="running"), sink_entry("dump-b", state="paused"), replication_entry("copy-c")]
    planned = run_set(dms, tasks, check_mode=True, diff=True)
    assert set(dms.methods()) == {"GET"} and len(dms.requests()) == 1
    created = run_set(dms, tasks, diff=True)
    assert [(task["task_name"], task["action"]) for task in created["tasks"]] == [
        ("dump-a", "created"), ("dump-b", "created"), ("copy-c", "created")]
    assert created["changed"] is True and planned["changed"] is True
    assert planned["diff"] == created["diff"] and sorted(planned) == sorted(created)
    assert outcome(created, "dump-b")["task"]["status"] == "PAUSED" and len(dms.acted("POST")) == 3
    sent = len(dms.requests())
    rerun = run_set(dms, tasks)
    assert rerun["changed"] is False and dms.methods()[sent:] == ["GET"]
    assert [task["action"] for task in rerun["tasks"]] == ["unchanged"] * 3
    assert [task["task_id"] for task in rerun["tasks"]] == [task["task_id"] for task in created["tasks"]]
    text = json.dumps([planned, created, rerun])
    assert OBS_SECRET not in text and PEER_PASSWORD not in text


def test_purge_deletes_only_what_the_list_does_not_name_and_only_when_asked(dms):
    run_set(dms, [sink_entry("keep"), sink_entry("extra")])
    kept = run_set(dms, [sink_entry("keep")])
    assert kept["changed"] is False and len(dms.emulator.state()["sc_tasks"]) == 2
    sent = len(dms.requests())
    planned = run_set(dms, [sink_entry("keep")], purge=True, check_mode=True, diff=True)
    assert set(dms.methods()[sent:]) == {"GET"}
    purged = run_set(dms, [sink_entry("keep")], purge=True, diff=True)
    assert [(task["task_name"], task["action"]) for task in purged["tasks"]] == [("keep", "unchanged"),
                                                                                 ("extra", "deleted")]
    assert planned["tasks"][1]["action"] == "deleted" and planned["diff"] == purged["diff"]
    assert [task["task_name"] for task in dms.emulator.state()["sc_tasks"]] == ["keep"]


def test_each_task_converges_as_the_single_module_would(dms):
    run_set(dms, [sink_entry("dump-a"), sink_entry("dump-b"), sink_entry("gone")])
    changed = sink_entry("dump-b")
    changed["sink_task"] = dict(changed["sink_task"], deliver_time_interval=600)
    result = run_set(dms, [sink_entry("dump-a", state="paused"), changed, dict(task_name="gone", state="absent")],
                     recreate="on_change")
    assert [(task["task_name"], task["action"]) for task in result["tasks"]] == [
        ("dump-a", "changed"), ("dump-b", "replaced"), ("gone", "deleted")]
    assert outcome(result, "dump-b")["task"]["sink_task"]["deliver_time_interval"] == 600
    refused = run_set(dms, [dict(changed, topics=["refunds"])])
    assert refused["failed"] is True and "topics: task has ['orders'], wanted ['refunds']" in refused["msg"]


@pytest.mark.parametrize("wait", [True, False])
@pytest.mark.parametrize("deleted_late", [0, 3])
def test_deletes_come_first_so_that_a_full_quota_takes_the_new_task(dms, wait, deleted_late):
    """A delete the service finishes in the background holds its place in the quota until then: the create that
    needs the room waits for it to be gone, also without wait."""
    dms.reset(sc_quota_tasks=2, realism=dict(deleted_late=deleted_late))
    run_set(dms, [sink_entry("old-a"), sink_entry("old-b")])
    swapped = run_set(dms, [sink_entry("new-c"), dict(task_name="old-a", state="absent")], wait=wait)
    assert swapped.get("failed") is not True, swapped.get("msg")
    assert [task["action"] for task in swapped["tasks"]] == ["created", "deleted"]
    # Only the deletes are waited for: without wait, the new task is as its create left it.
    assert outcome(swapped, "new-c")["task"]["status"] == ("RUNNING" if wait else "CREATING")
    full = run_set(dms, [sink_entry("new-d")])
    assert full["failed"] is True and "the set does not fit the task quota" in full["msg"]
    assert "1 entry does not fit: tasks[0] (new-d). Nothing was changed." in full["msg"]


@pytest.mark.parametrize("tasks, named", [
    ([sink_entry("twice"), sink_entry("twice")], "tasks names 'twice' more than once"),
    ([sink_entry("good"), sink_entry("bad", topics=[""])], "tasks[1] (bad): topics is empty"),
    ([sink_entry("no-keys", sink_task=dict(obs_bucket_name="b", partition_format="yyyy", deliver_time_interval=60))],
     "tasks[0] (no-keys): sink_task.access_key and sink_task.secret_key (OBS keys), or sink_task.agency_name"),
])
def test_every_entry_is_checked_before_any_request(dms, tasks, named):
    failed = run_set(dms, tasks)
    assert failed["failed"] is True and named in failed["msg"] and dms.requests() == []


def test_with_smart_connect_off_a_set_fails_naming_the_module_and_check_mode_warns(dms):
    off = dict(instance_id=dms.emulator.disabled_instance_id, tasks=[sink_entry("dump-a")])
    failed = dms.run("kafka_smart_connect_tasks", off)
    planned = dms.run("kafka_smart_connect_tasks", off, check_mode=True)
    assert failed["failed"] is True and "enable it with hwcloud.dms.kafka_smart_connect" in failed["msg"]
    assert planned["changed"] is True and planned["tasks"][0]["action"] == "created" and planned["warnings"]


def test_with_smart_connect_off_a_set_that_only_deletes_is_no_change_and_says_why(dms):
    gone = dms.run("kafka_smart_connect_tasks", dict(instance_id=dms.emulator.disabled_instance_id,
                                                     tasks=[dict(task_name="dump-a", state="absent")]))
    assert gone.get("failed") is not True and gone["changed"] is False
    assert gone["tasks"] == [dict(task_name="dump-a", changed=False, task_id=None, task=None, action="unchanged")]
    assert gone["warnings"] == ["Smart Connect is not on for Kafka instance %s, so it has no Smart Connect tasks to "
                                "delete." % dms.emulator.disabled_instance_id]


def test_check_mode_of_a_replacement_and_a_pause_predicts_the_real_run(dms):
    run_set(dms, [sink_entry("dump-a"), sink_entry("dump-b")])
    changed = sink_entry("dump-a")
    changed["sink_task"] = dict(changed["sink_task"], deliver_time_interval=600)
    tasks = [changed, sink_entry("dump-b", state="paused")]
    sent = len(dms.requests())
    planned = run_set(dms, tasks, recreate="on_change", check_mode=True, diff=True)
    assert set(dms.methods()[sent:]) == {"GET"}
    real = run_set(dms, tasks, recreate="on_change", diff=True)
    assert [task["action"] for task in planned["tasks"]] == [task["action"] for task in real["tasks"]] == [
        "replaced", "changed"]
    assert planned["diff"] == real["diff"] and planned["changed"] is real["changed"] is True


# --- 1.5.0: the declared set as one plan ------------------------------------------------------------------

def creates(dms):
    return [entry for entry in dms.requests("POST") if entry["path"].endswith("/connector/tasks")]


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_set_over_quota_fails_before_any_change_naming_what_does_not_fit(dms, check_mode):
    run_set(dms, [sink_entry("old-a"), sink_entry("old-b")])
    sent = len(dms.requests())
    entries = [sink_entry("pipeline-%04d" % number) for number in range(2000)]
    failed = run_set(dms, entries + [dict(task_name="old-a", state="absent")], check_mode=check_mode)
    assert failed["failed"] is True and failed["changed"] is False
    assert failed["msg"] == (
        "the set does not fit the task quota: it creates 2000 task(s) and the instance has room for 17 (quota_tasks "
        "18, 2 tasks, 1 deleted by this set). 1983 entries do not fit: %s, and 1973 more. Nothing was changed. "
        "Delete tasks, ask for a higher quota, or split the set." % ", ".join(
            "tasks[%s] (pipeline-%04d)" % (number, number) for number in range(17, 27)))
    assert dms.methods()[sent:] == ["GET"]  # the one listing, then nothing


def test_a_set_that_only_pauses_a_task_of_a_full_quota_needs_no_room(dms):
    dms.reset(sc_quota_tasks=2)
    run_set(dms, [sink_entry("old-a"), sink_entry("old-b")])
    paused = run_set(dms, [sink_entry("old-a", state="paused"), sink_entry("old-b")])
    assert paused.get("failed") is not True, paused.get("msg")
    assert [task["action"] for task in paused["tasks"]] == ["changed", "unchanged"]


def test_an_entry_without_a_task_name_fails_naming_it_before_any_request(dms):
    entry = sink_entry("unnamed")
    del entry["task_name"]
    failed = run_set(dms, [entry])
    assert failed["failed"] is True and failed["msg"] == "missing required arguments: task_name found in tasks"
    assert dms.requests() == []


def test_a_set_without_tasks_fails_naming_the_option_before_any_request(dms):
    failed = dms.run("kafka_smart_connect_tasks", dict(instance_id=dms.emulator.instance_id))
    assert failed["failed"] is True and "tasks" in failed["msg"] and dms.requests() == []


def test_an_entry_whose_delete_never_reaches_the_service_is_sent_retries_plus_one_times(dms):
    run_set(dms, [sink_entry("old-a")])
    dms.emulator.add_fault(method="DELETE", drop="before", count=None)
    failed = run_set(dms, [dict(task_name="old-a", state="absent")], retries=1)
    assert failed["failed"] is True and len(dms.requests("DELETE")) == 2


def test_a_set_that_creates_two_tasks_where_one_fits_fails_before_any_change(dms):
    dms.reset(sc_quota_tasks=3)
    run_set(dms, [sink_entry("old-a"), sink_entry("old-b")])
    created = len(creates(dms))
    failed = run_set(dms, [sink_entry("old-a"), sink_entry("old-b"), sink_entry("new-c"), sink_entry("new-d")])
    assert failed["failed"] is True and len(creates(dms)) == created
    assert "1 entry does not fit: tasks[3] (new-d)" in failed["msg"]


def test_without_wait_a_delete_that_frees_no_needed_room_is_not_waited_for(dms):
    dms.reset(realism=dict(lose_answers=False))
    run_set(dms, [sink_entry("old-a")])
    sent = len(dms.requests())
    gone = run_set(dms, [dict(task_name="old-a", state="absent")], wait=False)
    assert gone["changed"] is True and dms.methods()[sent:] == ["GET", "DELETE"]


def test_the_room_a_set_over_quota_is_told_of_counts_its_own_deletes(dms):
    dms.reset(sc_quota_tasks=3)
    run_set(dms, [sink_entry("old-a"), sink_entry("old-b")])
    failed = run_set(dms, [sink_entry(name) for name in ("new-c", "new-d", "new-e")]
                     + [dict(task_name="old-a", state="absent")], check_mode=True)
    assert failed["msg"].startswith("the set does not fit the task quota: it creates 3 task(s) and the instance has "
                                    "room for 2 (quota_tasks 3, 2 tasks, 1 deleted by this set). 1 entry does not fit: "
                                    "tasks[2] (new-e). Nothing was changed.")


def test_a_set_that_replaces_every_task_of_a_full_quota_fits(dms):
    dms.reset(sc_quota_tasks=2)
    run_set(dms, [sink_entry("old-a"), sink_entry("old-b")])
    swapped = run_set(dms, [sink_entry("new-c"), sink_entry("new-d")], purge=True)
    assert swapped.get("failed") is not True, swapped.get("msg")
    assert sorted(task["action"] for task in swapped["tasks"]) == ["created", "created", "deleted", "deleted"]


def test_a_set_over_quota_by_exactly_the_names_it_shows_lists_them_all(dms):
    dms.reset(sc_quota_tasks=2)
    failed = run_set(dms, [sink_entry("pipeline-%02d" % number) for number in range(12)], check_mode=True)
    assert failed["msg"].endswith("10 entries do not fit: %s. Nothing was changed. Delete tasks, ask for a higher "
                                  "quota, or split the set." % ", ".join("tasks[%s] (pipeline-%02d)" % (number, number)
                                                                         for number in range(2, 12)))


def test_a_bad_bucket_in_the_second_entry_fails_before_the_first_is_created(dms):
    bad = sink_entry("dump-b", validate=True)
    bad["sink_task"] = dict(bad["sink_task"], obs_bucket_name="no-such-bucket")
    failed = run_set(dms, [sink_entry("dump-a", validate=True), bad])
    assert failed["failed"] is True and failed["changed"] is False and creates(dms) == []
    assert "OBS bucket 'no-such-bucket' is not among the buckets" in failed["msg"]


def test_an_entry_the_service_refuses_does_not_stop_the_others_and_the_result_says_what_each_did(dms):
    dms.emulator.add_fault(method="POST", path="/connector/tasks$", status=400, error_code="DMS.00400001")
    result = run_set(dms, [sink_entry("dump-a"), sink_entry("dump-b"), sink_entry("dump-c")], diff=True)
    assert result["failed"] is True and result["changed"] is True
    assert [task["action"] for task in result["tasks"]] == ["failed", "created", "created"]
    assert result["tasks"][0]["msg"].startswith("create Smart Connect task 'dump-a' failed: DMS API error 400")
    assert result["msg"].startswith("1 of the set's 3 entries failed (the others were tried): tasks[0] (dump-a): "
                                    "create Smart Connect task 'dump-a' failed")
    assert sorted(result["diff"]["after"]) == ["dump-a", "dump-b", "dump-c"]
    assert sorted(task["task_name"] for task in dms.emulator.state()["sc_tasks"]) == ["dump-b", "dump-c"]
    again = run_set(dms, [sink_entry("dump-a"), sink_entry("dump-b"), sink_entry("dump-c")])
    assert [task["action"] for task in again["tasks"]] == ["created", "unchanged", "unchanged"]


def test_a_replacement_whose_create_failed_says_its_delete_went_through(dms):
    run_set(dms, [sink_entry("dump-a"), sink_entry("dump-b")])
    changed = [dict(entry, topics=["refunds"]) for entry in (sink_entry("dump-a"), sink_entry("dump-b"))]
    dms.emulator.add_fault(method="POST", path="/connector/tasks$", status=400, error_code="DMS.00400001")
    result = run_set(dms, changed, recreate="on_change")
    assert result["failed"] is True and result["changed"] is True
    assert [task["action"] for task in result["tasks"]] == ["failed", "replaced"]
    assert "was deleted to be replaced, but the new task was not created" in result["tasks"][0]["msg"]
    assert result["tasks"][0]["changed"] is True


def test_the_tasks_a_set_waits_for_are_polled_together_with_one_list_request_a_poll(dms):
    dms.reset(sc_creating_seconds=0.3)
    result = run_set(dms, [sink_entry("dump-%s" % number) for number in range(4)])
    assert result.get("failed") is not True, result.get("msg")
    assert [task["task"]["status"] for task in result["tasks"]] == ["RUNNING"] * 4
    last_create = max(entry["seq"] for entry in creates(dms))
    after = [entry for entry in dms.requests() if entry["seq"] > last_create]
    # The wait reads the list, never each task: one request a poll serves all four.
    assert after and set((entry["method"], entry["path"].rsplit("/", 1)[1]) for entry in after) == {("GET", "tasks")}


def test_the_actions_a_set_waits_for_are_polled_together_with_one_list_request_a_poll(dms):
    run_set(dms, [sink_entry("dump-%s" % number) for number in range(2)])
    result = run_set(dms, [sink_entry("dump-%s" % number, state="paused") for number in range(2)])
    assert result.get("failed") is not True, result.get("msg")
    assert [task["task"]["status"] for task in result["tasks"]] == ["PAUSED"] * 2
    last_pause = max(entry["seq"] for entry in dms.requests("PUT"))
    after = [entry for entry in dms.requests() if entry["seq"] > last_pause]
    assert after and set((entry["method"], entry["path"].rsplit("/", 1)[1]) for entry in after) == {("GET", "tasks")}


def test_purge_with_a_list_that_names_no_task_refuses_unless_forced_and_the_diff_shows_what_is_lost(dms):
    run_set(dms, [sink_entry("dump-a"), replication_entry("copy-b")])
    for check_mode in (True, False):
        refused = run_set(dms, [], purge=True, check_mode=check_mode)
        assert refused["failed"] is True and refused["changed"] is False
        assert "would delete every Smart Connect task of Kafka instance %s: 'dump-a', 'copy-b'" % (
            dms.emulator.instance_id) in refused["msg"] and "force: true" in refused["msg"]
    assert not dms.requests("DELETE")
    purged = run_set(dms, [], purge=True, force=True, diff=True)
    assert purged["changed"] is True and [task["action"] for task in purged["tasks"]] == ["deleted", "deleted"]
    lost = purged["diff"]["before"]["dump-a"]
    assert lost["topics"] == ["orders"] and lost["sink_task.obs_bucket_name"] == "my-bucket"
    assert purged["diff"]["before"]["copy-b"]["source_task.direction"] == "push"
    assert purged["diff"]["after"] == {"dump-a": {}, "copy-b": {}} and dms.emulator.state()["sc_tasks"] == []
    assert PEER_PASSWORD not in json.dumps(purged) and OBS_SECRET not in json.dumps(purged)


@pytest.mark.parametrize("module", ["kafka_smart_connect", "kafka_smart_connect_tasks"])
def test_without_instance_id_a_module_of_one_instance_fails_naming_it_before_any_request(dms, module):
    failed = dms.run(module, dict(tasks=[]) if module.endswith("tasks") else {})
    assert failed["failed"] is True and "instance_id" in failed["msg"] and dms.requests() == []


def test_a_list_that_fails_during_the_shared_wait_keeps_every_outcome(dms):
    """1.5.1: two creates answered, then the list fails during the wait: the tasks exist, and the result says so."""
    dms.reset(sc_transition_reads=3, realism=dict(lose_answers=False))
    # The set's first list passes (and, under the realistic profile, the creates' own reads); then every list fails.
    dms.emulator.add_fault(method="GET", path="/connector/tasks$", status=503, count=None, after=1)
    result = run_set(dms, [sink_entry("dump-a"), sink_entry("dump-b")], retries=0)
    assert result["failed"] is True and result["changed"] is True
    stored = dict((task["task_name"], task["id"]) for task in dms.emulator.state()["sc_tasks"])
    for name in ("dump-a", "dump-b"):
        entry = outcome(result, name)
        assert entry["changed"] is True and entry["task_id"] == stored[name]
        assert entry["action"] == "failed"
        assert entry["msg"].startswith("created, but its wait failed: list the Smart Connect tasks of instance")
    assert "2 of the set's 2 entries failed" in result["msg"]


def test_paused_creates_are_all_sent_before_any_is_waited_for(dms):
    """1.5.1: state paused creates are sent first and paused each once it runs, in the shared wait."""
    dms.reset(sc_transition_reads=3)
    names = ["pause-%s" % number for number in range(4)]
    result = run_set(dms, [sink_entry(name, state="paused") for name in names])
    assert result.get("failed") is not True, result.get("msg")
    changes = [method for method, _last in dms.changes()]
    assert changes == sorted(changes) and set(changes) == {"POST", "PUT"} and len(dms.acted("PUT")) == 4
    assert [outcome(result, name)["task"]["status"] for name in names] == ["PAUSED"] * 4
    assert [outcome(result, name)["action"] for name in names] == ["created"] * 4


def test_paused_creates_without_wait_are_paused_once_they_run(dms):
    dms.reset(sc_transition_reads=2)
    result = run_set(dms, [sink_entry("pause-a", state="paused"), sink_entry("pause-b", state="paused")], wait=False)
    assert result.get("failed") is not True, result.get("msg")
    assert [method for method, _last in dms.changes()][:2] == ["POST", "POST"] and len(dms.acted("PUT")) == 2
