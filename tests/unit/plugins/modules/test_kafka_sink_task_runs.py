# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""kafka_sink_task, run in process against the emulator: what a user sees of required options, of the keys in the
result, of reads and deletes the service refuses, of a wait that gives up, of replacements and of lost races."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from harness import FakeClock
from ansible_collections.hwcloud.dms.plugins.module_utils import sink_task, waiting
from ansible_collections.hwcloud.dms.plugins.modules import kafka_sink_task

OBS_SECRET = "ObsSecretKeyNeverShown0001"
OBS_ACCESS_KEY = "OBSACCESSKEY00000001"


@pytest.mark.parametrize("option", ["access_key", "secret_key", "obs_bucket_name", "partition_format",
                                    "deliver_time_interval"])
def test_each_required_descriptor_option_left_out_fails_naming_it_before_any_request(dms, option):
    args = dms.task_args()
    del args["obs_destination_descriptor"][option]
    failed = dms.sink_task(args)
    assert failed["failed"] is True
    assert failed["msg"] == "missing required arguments: %s found in obs_destination_descriptor" % option
    assert dms.requests() == []


def test_the_access_key_is_shown_in_the_invocation_and_the_secret_key_never(dms):
    # The access key identifies the OBS user, as a user name does: Ansible masks no_log values everywhere
    # in the output, which would hide every text that happens to contain it.
    created = dms.sink_task(dms.task_args())
    assert created["changed"] is True
    shown = created["invocation"]["module_args"]["obs_destination_descriptor"]
    assert shown["access_key"] == OBS_ACCESS_KEY
    assert shown["secret_key"] != OBS_SECRET and OBS_SECRET not in json.dumps(created)


def test_a_task_name_left_out_fails_naming_it_before_any_request(dms):
    args = dms.task_args()
    del args["task_name"]
    failed = dms.sink_task(args)
    assert failed["failed"] is True and failed["msg"] == "missing required arguments: task_name"
    assert dms.requests() == []


@pytest.mark.parametrize("status", [403, 500])
def test_a_read_of_the_task_that_fails_is_reported_and_not_taken_for_its_absence(dms, status):
    created = dms.sink_task(dms.task_args())
    sent = len(dms.requests())
    # Only the show of the task fails: the list still finds it.
    dms.emulator.add_fault(method="GET", path="/sink-tasks/" + created["task_id"], status=status, count=None)
    failed = dms.sink_task(dms.task_args(retries=0))
    show = dms.requests()[-1]
    assert failed["failed"] is True and failed["changed"] is False and failed["error"]["status"] == status
    assert failed["msg"] == "read sink task %s failed: DMS API error %s %s: %s (request id %s)" % (
        created["task_id"], status, failed["error"]["error_code"], failed["error"]["error_msg"], show["request_id"])
    # Taken for gone, the task would be created again: no request but the two reads went out.
    assert dms.methods()[sent:] == ["GET", "GET"] and show["status"] == status
    assert [task["task_id"] for task in dms.emulator.state()["tasks"]] == [created["task_id"]]


def test_a_delete_the_service_refuses_fails_and_keeps_the_task(dms):
    created = dms.sink_task(dms.task_args())
    dms.emulator.add_fault(method="DELETE", status=403)
    refused = dms.sink_task(dms.task_args(state="absent"))
    # Only a 404 says the task is gone already; any other refusal is the user's to see.
    assert refused["failed"] is True and refused["error"]["status"] == 403
    assert refused["msg"].startswith("delete sink task 'it-orders' (id %s) failed: DMS API error 403 "
                                     % created["task_id"])
    assert [task["task_id"] for task in dms.emulator.state()["tasks"]] == [created["task_id"]]


def test_a_wait_without_wait_timeout_gives_up_after_300_seconds(dms, monkeypatch):
    # The module's waits run on a fake clock, in pauses of 100 seconds: three pauses, four reads.
    clock = FakeClock()
    monkeypatch.setattr(waiting, "POLL_FIRST_SECONDS", 100)
    monkeypatch.setattr(waiting, "POLL_MAX_SECONDS", 100)
    monkeypatch.setattr(kafka_sink_task, "wait_for_task", lambda api, task_id, timeout, until: sink_task.wait_for_task(
        api, task_id, timeout, until, clock=clock, sleep=clock.sleep))
    dms.reset(creating_reads=100)
    failed = dms.sink_task(dms.task_args(wait=True))
    assert failed["failed"] is True and failed["changed"] is True and failed["task"]["status"] == "CREATING"
    assert failed["msg"] == ("Sink task 'it-orders' (id %s) was not status RUNNING within wait_timeout 300 seconds; "
                             "last status CREATING." % failed["task_id"])
    assert clock.pauses == [100, 100, 100]


def test_recreate_always_replaces_a_running_task_of_the_same_settings_without_a_warning(dms):
    created = dms.sink_task(dms.task_args())
    rotated = dms.sink_task(dms.task_args(recreate="always"))
    assert rotated["changed"] is True and rotated["task_id"] != created["task_id"]
    # The warning about a replaced task's status is for one in a final status; this one was running. What every
    # replacement costs is said (1.5.1).
    assert rotated["action"] == "replaced" and rotated["warnings"] == [
        "Sink task 'it-orders' (id %s) is replaced: deleted and created again, with a new id. It starts again from "
        "consumer_strategy earliest: everything its topics still hold is read, and written, again." % created["task_id"]]


def test_a_create_the_service_keeps_failing_is_sent_once_more_than_retries(dms):
    dms.emulator.add_fault(method="POST", status=503, count=None)
    failed = dms.sink_task(dms.task_args(retries=1))
    assert failed["failed"] is True and failed["changed"] is False
    assert [entry["status"] for entry in dms.requests("POST")] == [503, 503] and dms.emulator.state()["tasks"] == []


def test_a_task_another_run_creates_and_deletes_while_this_run_looks_fails_asking_to_run_again(dms):
    path = "/v2/%s/connectors/%s/sink-tasks" % (dms.emulator.project_id, dms.emulator.connector_id)
    body = json.dumps(dict(source_type="BLOB", task_name="it-orders", destination_type="OBS",
                           obs_destination_descriptor=dict(topics="orders", consumer_strategy="latest",
                                                           destination_file_type="TEXT", access_key=OBS_ACCESS_KEY,
                                                           secret_key=OBS_SECRET, obs_bucket_name="kafka-archive",
                                                           partition_format="yyyy/MM/dd", record_delimiter="\n",
                                                           deliver_time_interval=300)))

    def other_run_creates_then_its_task_goes():
        answer = dms.signed("POST", path, body.encode("utf-8"))
        assert answer.status_code < 300, answer.text
        # This run's show of that task, after its own POST is refused for the name, finds it gone.
        dms.emulator.add_fault(method="GET", path="/sink-tasks/[^/]+$", status=404)

    # This run's POST is held while the other run acts.
    dms.emulator.add_fault(method="POST", hold=1)
    with dms.meanwhile("POST", other_run_creates_then_its_task_goes):
        failed = dms.sink_task(dms.task_args())
    assert failed["failed"] is True and failed["changed"] is False
    assert failed["msg"] == ("Sink task 'it-orders' was created by another run and deleted again while this run looked "
                             "at it; run again.")
    # The other run's POST created the task; this run's was refused for the name.
    assert sorted(entry["status"] for entry in dms.requests("POST")) == [200, 400]
