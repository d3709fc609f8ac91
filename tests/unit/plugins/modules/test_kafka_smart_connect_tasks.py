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


def test_deletes_come_first_so_that_a_full_quota_takes_the_new_task(dms):
    dms.reset(sc_quota_tasks=2)
    run_set(dms, [sink_entry("old-a"), sink_entry("old-b")])
    swapped = run_set(dms, [sink_entry("new-c"), dict(task_name="old-a", state="absent")])
    assert swapped.get("failed") is not True, swapped.get("msg")
    assert [task["action"] for task in swapped["tasks"]] == ["created", "deleted"]
    full = run_set(dms, [sink_entry("new-d")])
    assert full["failed"] is True and "the task quota is full" in full["msg"]


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
