# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""kafka_smart_connect, run in process against the emulator: enable, disable, waits, busy instances, faults."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest
import requests

from emulator.dms_emulator import signer


def connect(dms, instance_id, **options):
    args = dict(instance_id=instance_id)
    run_options = dict((name, options.pop(name)) for name in ("check_mode", "diff") if name in options)
    args.update(options)
    return dms.run("kafka_smart_connect", args, **run_options)


def instance_path(dms, instance_id):
    return "/v2/%s/instances/%s" % (dms.emulator.project_id, instance_id)


def test_enable_in_check_mode_then_for_real_then_again(dms):
    off = dms.emulator.disabled_instance_id
    planned = connect(dms, off, check_mode=True, diff=True)
    assert planned["changed"] is True and planned["connector_enable"] is True and planned["node_count"] == 2
    assert planned["diff"] == dict(before=dict(connector_enable=False, node_count=0),
                                   after=dict(connector_enable=True, node_count=2))
    assert dms.methods() == ["GET"]
    enabled = connect(dms, off, node_count=3)
    [post] = dms.requests("POST")
    assert post["path"] == instance_path(dms, off) + "/connector" and json.loads(post["body"]) == {"node_cnt": 3}
    # list, POST, then the instance read until RUNNING: EXTENDING twice, then RUNNING
    assert dms.methods() == ["GET", "GET", "POST", "GET", "GET", "GET"]
    assert enabled["changed"] is True and enabled["status"] == "RUNNING" and enabled["node_count"] == 3
    assert enabled["connector_enable"] is True and len(enabled["connector_id"]) == 36
    assert sorted(planned) == sorted(list(enabled) + ["diff"])
    again = connect(dms, off)
    assert again["changed"] is False and again["connector_id"] == enabled["connector_id"]
    assert dms.methods()[6:] == ["GET"]


def test_old_flavour_fields_are_sent_when_given(dms):
    connect(dms, dms.emulator.disabled_instance_id, specification="100MB", spec_code="kafka.c3.mini.connector",
            wait=False)
    assert json.loads(dms.requests("POST")[0]["body"]) == {"node_cnt": 2, "specification": "100MB",
                                                           "spec_code": "kafka.c3.mini.connector"}


def test_without_wait_the_result_says_what_the_instance_is_doing(dms):
    enabled = connect(dms, dms.emulator.disabled_instance_id, wait=False)
    assert enabled["changed"] is True and enabled["status"] == "EXTENDING" and enabled["connector_enable"] is True
    assert dms.methods() == ["GET", "POST", "GET"]


def test_a_different_node_count_fails_naming_both_numbers(dms):
    failed = connect(dms, dms.emulator.instance_id, node_count=4)
    assert failed["failed"] is True and failed["changed"] is False
    assert failed["msg"].startswith("Smart Connect on Kafka instance %s runs on 2 nodes and node_count is 4: no call "
                                    "changes the number of nodes." % dms.emulator.instance_id)
    assert dms.requests("POST") == []
    assert connect(dms, dms.emulator.instance_id)["changed"] is False  # not set: not compared


def test_disable_sends_an_empty_object_and_waits_until_it_is_gone(dms):
    on = dms.emulator.instance_id
    disabled = connect(dms, on, state="absent", diff=True)
    [post] = dms.requests("POST")
    assert post["path"] == "/v2/%s/kafka/instances/%s/delete-connector" % (dms.emulator.project_id, on)
    assert post["body"] == "{}"
    assert disabled["changed"] is True and disabled["connector_enable"] is False and disabled["connector_id"] is None
    assert disabled["status"] == "RUNNING" and disabled["diff"]["after"] == dict(connector_enable=False, node_count=0)
    assert connect(dms, on, state="absent")["changed"] is False


def test_a_busy_instance_is_waited_for_and_the_call_sent_again(dms):
    dms.emulator.add_fault(method="POST", status=400, error_code="DMS.00400026", count=2)
    enabled = connect(dms, dms.emulator.disabled_instance_id)
    assert enabled["changed"] is True and enabled["connector_enable"] is True
    assert [entry["status"] for entry in dms.requests("POST")] == [400, 400, 200]


def test_a_lost_answer_is_looked_up_before_the_call_is_sent_again(dms):
    dms.emulator.add_fault(method="POST", drop="after")
    enabled = connect(dms, dms.emulator.disabled_instance_id)
    assert enabled["changed"] is True and enabled["connector_enable"] is True
    assert len(dms.requests("POST")) == 1


def test_a_refused_enable_names_the_operation(dms):
    dms.emulator.add_fault(method="POST", status=403)
    failed = connect(dms, dms.emulator.disabled_instance_id)
    assert failed["msg"].startswith("enable Smart Connect on Kafka instance %s failed: DMS API error 403 "
                                    % dms.emulator.disabled_instance_id)
    assert failed["error"]["status"] == 403


@pytest.mark.parametrize("bad, named", [(dict(node_count=1), "node_count"), (dict(instance_id="a/b"), "instance_id"),
                                        (dict(specification="50MB"), "specification"),
                                        (dict(wait_timeout=0), "wait_timeout"), (dict(state="off"), "state")])
def test_bad_input_fails_before_any_request(dms, bad, named):
    failed = connect(dms, bad.pop("instance_id", dms.emulator.disabled_instance_id), **bad)
    assert failed["failed"] is True and named in failed["msg"] and dms.requests() == []


def test_an_instance_busy_with_the_same_change_is_waited_for_and_not_changed_twice(dms):
    # Another run's disable is under way: this run's disable is refused as busy, then finds it done.
    dms.emulator.reset(instance_transition_reads=2)
    disable = "/v2/%s/kafka/instances/%s/delete-connector" % (dms.emulator.project_id, dms.emulator.instance_id)
    host = dms.emulator.url.split("://")[1]
    body = b"{}"
    headers = signer.sign_request("POST", host, disable, [], {"Content-Type": "application/json"}, body,
                                  dms.emulator.access_key, dms.emulator.secret_key)
    assert requests.post(dms.emulator.url + disable, data=body, headers=headers, timeout=10).status_code == 200
    disabled = connect(dms, dms.emulator.instance_id, state="absent")
    assert disabled.get("failed") is not True, disabled.get("msg")
    assert disabled["connector_enable"] is False and disabled["status"] == "RUNNING"
    assert [entry["status"] for entry in dms.requests("POST")] == [200, 400]
