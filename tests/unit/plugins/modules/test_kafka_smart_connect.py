# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""kafka_smart_connect, run in process against the emulator: enable, disable, waits, busy instances, faults."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json

import pytest

from emulator.config import DEFAULT_CONFIG
from harness import FakeClock
from ansible_collections.hwcloud.dms.plugins.module_utils import kafka_instance, waiting
from ansible_collections.hwcloud.dms.plugins.modules import kafka_smart_connect


def connect(dms, instance_id, **options):
    args = dict(instance_id=instance_id)
    run_options = dict((name, options.pop(name)) for name in ("check_mode", "diff") if name in options)
    args.update(options)
    return dms.run("kafka_smart_connect", args, **run_options)


def instance_path(dms, instance_id):
    return "/v2/%s/instances/%s" % (dms.emulator.project_id, instance_id)


def post(dms, path, body=b"{}"):
    """Another host's POST (``dms.signed``), its status code; tests that use it turn lost answers off, as
    those would be the other host's."""
    return dms.signed("POST", path, body).status_code


def disable_path(dms, instance_id):
    return "/v2/%s/kafka/instances/%s/delete-connector" % (dms.emulator.project_id, instance_id)


def test_an_enable_lost_before_the_service_acted_is_sent_again(dms):
    off = dms.emulator.disabled_instance_id
    dms.emulator.add_fault(method="POST", drop="before")
    enabled = connect(dms, off)
    assert enabled.get("failed") is not True, enabled.get("msg")
    assert enabled["changed"] is True and enabled["connector_enable"] is True
    assert [entry["status"] for entry in dms.requests("POST")] == [None, 200]


def test_an_enable_that_never_reaches_the_service_is_sent_retries_plus_one_times(dms):
    dms.emulator.add_fault(method="POST", drop="before", count=None)
    failed = connect(dms, dms.emulator.disabled_instance_id, retries=1)
    assert failed["failed"] is True and len(dms.requests("POST")) == 2


def test_an_instance_in_a_final_status_other_than_running_fails_naming_it(dms):
    instances = copy.deepcopy(DEFAULT_CONFIG["instances"])
    instances[dms.emulator.disabled_instance_id]["status"] = "FROZEN"
    dms.reset(instances=instances)
    failed = connect(dms, dms.emulator.disabled_instance_id)
    assert failed["failed"] is True and failed["msg"] == (
        "Kafka instance %s is in status FROZEN, not RUNNING, and will not get there by waiting; see the DMS console."
        % dms.emulator.disabled_instance_id)


def test_a_disable_lost_before_the_service_acted_is_sent_again(dms):
    dms.emulator.add_fault(method="POST", drop="before")
    disabled = connect(dms, dms.emulator.instance_id, state="absent")
    assert disabled.get("failed") is not True, disabled.get("msg")
    assert disabled["changed"] is True and disabled["connector_enable"] is False
    assert [entry["status"] for entry in dms.requests("POST")] == [None, 200]


def test_an_instance_read_that_keeps_failing_names_the_read_and_the_instance(dms):
    dms.emulator.add_fault(method="GET", path="/instances/[^/]+$", status=500, count=None)
    failed = connect(dms, dms.emulator.disabled_instance_id, retries=0)
    assert failed["failed"] is True and failed["msg"].startswith(
        "read Kafka instance %s failed: DMS API error 500" % dms.emulator.disabled_instance_id)


def test_enable_in_check_mode_then_for_real_then_again(dms):
    off = dms.emulator.disabled_instance_id
    planned = connect(dms, off, check_mode=True, diff=True)
    assert planned["changed"] is True and planned["connector_enable"] is True and planned["node_count"] == 2
    assert planned["diff"] == dict(before=dict(connector_enable=False, node_count=0),
                                   after=dict(connector_enable=True, node_count=2))
    assert dms.methods() == ["GET"]
    enabled = connect(dms, off, node_count=3)
    post_request = dms.requests("POST")[0]
    assert post_request["path"] == instance_path(dms, off) + "/connector"
    assert json.loads(post_request["body"]) == {"node_cnt": 3} and len(dms.acted("POST")) == 1
    if not dms.realistic:  # there: stale reads, a lost answer read back, then EXTENDING
        # read, POST, then the instance read until RUNNING: EXTENDING twice, then RUNNING
        assert dms.methods() == ["GET", "GET", "POST", "GET", "GET", "GET"]
    assert enabled["changed"] is True and enabled["status"] == "RUNNING" and enabled["node_count"] == 3
    assert enabled["connector_enable"] is True and len(enabled["connector_id"]) == 36
    assert sorted(planned) == sorted(list(enabled) + ["diff"])
    sent = len(dms.requests())
    again = connect(dms, off)
    assert again["changed"] is False and again["connector_id"] == enabled["connector_id"]
    assert dms.methods()[sent:] == ["GET"]


def test_an_instance_with_a_connector_id_has_smart_connect_on_whatever_connector_enable_says(dms):
    # A newer flavour: connector_enable false, a connector id (Terraform reads only the id).
    newer = dms.emulator.smart_connect_instance_id
    kept = connect(dms, newer)
    assert kept["changed"] is False and kept["connector_enable"] is True and dms.methods() == ["GET"]
    disabled = connect(dms, newer, state="absent")
    assert disabled["changed"] is True and disabled["connector_enable"] is False and disabled["connector_id"] is None
    assert disabled["node_count"] == 0
    assert [entry["path"] for entry in dms.acted("POST")] == [disable_path(dms, newer)]


def test_old_flavour_fields_are_sent_when_given(dms):
    connect(dms, dms.emulator.disabled_instance_id, specification="100MB", spec_code="kafka.c3.mini.connector",
            wait=False)
    assert json.loads(dms.requests("POST")[0]["body"]) == {"node_cnt": 2, "specification": "100MB",
                                                           "spec_code": "kafka.c3.mini.connector"}


def test_without_wait_the_result_says_what_the_instance_is_doing(dms):
    enabled = connect(dms, dms.emulator.disabled_instance_id, wait=False)
    assert enabled["changed"] is True and enabled["connector_enable"] is True
    assert enabled["status"] == "EXTENDING"
    if not dms.realistic:
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
    first = dms.requests("POST")[0]
    assert first["path"] == disable_path(dms, on) and first["body"] == "{}" and len(dms.acted("POST")) == 1
    assert disabled["changed"] is True and disabled["connector_enable"] is False and disabled["connector_id"] is None
    assert disabled["status"] == "RUNNING" and disabled["diff"]["after"] == dict(connector_enable=False, node_count=0)
    assert connect(dms, on, state="absent")["changed"] is False


@pytest.mark.parametrize("busy_code", ["DMS.00400026", "CBC.99003651"], ids=["instance status", "billing"])
def test_a_busy_instance_is_waited_for_and_the_call_sent_again(dms, busy_code):
    dms.emulator.add_fault(method="POST", status=400, error_code=busy_code, count=2)
    enabled = connect(dms, dms.emulator.disabled_instance_id)
    assert enabled["changed"] is True and enabled["connector_enable"] is True
    assert [entry["status"] for entry in dms.requests("POST")] == [400, 400, 200]


@pytest.mark.parametrize("rule", [dict(drop="after"), dict(status=503, acted=True)], ids=["lost", "5xx after acting"])
def test_a_lost_answer_is_read_back_before_the_call_is_sent_again(dms, rule):
    dms.emulator.add_fault(method="POST", **rule)
    enabled = connect(dms, dms.emulator.disabled_instance_id)
    assert enabled["changed"] is True and enabled["connector_enable"] is True and enabled["status"] == "RUNNING"
    assert len(dms.requests("POST")) == 1


def test_a_refused_enable_names_the_operation(dms):
    dms.emulator.add_fault(method="POST", status=403)
    failed = connect(dms, dms.emulator.disabled_instance_id)
    assert failed["msg"].startswith("enable Smart Connect on Kafka instance %s failed: DMS API error 403 "
                                    % dms.emulator.disabled_instance_id)
    assert failed["error"]["status"] == 403 and failed["changed"] is False


@pytest.mark.parametrize("bad, named", [(dict(node_count=1), "node_count must be 2 to 16, got 1"),
                                        (dict(node_count=17), "node_count must be 2 to 16, got 17"),
                                        (dict(instance_id="a/b"), "instance_id"),
                                        (dict(specification="50MB"), "specification"),
                                        (dict(wait_timeout=0), "wait_timeout"), (dict(state="off"), "state")])
def test_bad_input_fails_before_any_request(dms, bad, named):
    bad = dict(bad)
    failed = connect(dms, bad.pop("instance_id", dms.emulator.disabled_instance_id), **bad)
    assert failed["failed"] is True and named in failed["msg"] and dms.requests() == []


def test_an_instance_id_left_out_fails_naming_it_before_any_request(dms):
    failed = dms.run("kafka_smart_connect", dict(state="present"))
    assert failed["failed"] is True and failed["msg"] == "missing required arguments: instance_id"
    assert dms.requests() == []


@pytest.mark.parametrize("node_count", [2, 16])
def test_the_ends_of_the_node_count_range_are_taken(dms, node_count):
    enabled = connect(dms, dms.emulator.disabled_instance_id, node_count=node_count)
    assert enabled.get("failed") is not True, enabled.get("msg")
    assert json.loads(dms.requests("POST")[0]["body"]) == dict(node_cnt=node_count)


def test_another_hosts_change_under_way_is_waited_for_and_not_made_twice(dms):
    dms.reset(realism=dict(lose_answers=False))
    # Another host's disable is under way: this run waits for it, reads again, and has nothing left to do.
    assert post(dms, disable_path(dms, dms.emulator.instance_id)) == 200
    disabled = connect(dms, dms.emulator.instance_id, state="absent")
    assert disabled.get("failed") is not True, disabled.get("msg")
    assert disabled["connector_enable"] is False and disabled["status"] == "RUNNING"
    # Where the service still shows the old state, this run's call is sent and refused as busy: no change either.
    assert disabled["changed"] is False and [entry["status"] for entry in dms.acted("POST")] == [200]


def test_a_busy_answer_for_another_hosts_same_change_is_no_change_of_this_run(dms):
    # This run reads the instance (off); another host enables it before this run's call, which is refused as busy.
    dms.reset(realism=dict(lose_answers=False), faults=[dict(method="GET", path="/instances/[^/]+$", delay=0.3)])
    off = dms.emulator.disabled_instance_id

    def other_host_enables():
        import time

        # The run's read is logged on arrival and answered 0.3 s after it was routed: enabling at once could
        # come before the routing, and the run would then read the instance busy (a race seen once in CI).
        time.sleep(0.1)
        assert post(dms, instance_path(dms, off) + "/connector", b'{"node_cnt": 2}') == 200

    with dms.meanwhile("GET", other_host_enables):
        enabled = connect(dms, off)
    assert enabled.get("failed") is not True, enabled.get("msg")
    assert enabled["connector_enable"] is True and enabled["status"] == "RUNNING"
    assert enabled["changed"] is False and [entry["status"] for entry in dms.acted("POST")] == [200]
    # Refused as busy (again, where a stale read still showed the instance off): never a second enable.
    assert set(entry["status"] for entry in dms.requests("POST")[1:]) == {400}


def test_a_disable_asked_while_the_instance_is_enabling_is_sent_once_it_settles(dms):
    # Without stale reads: a read that still shows the instance off and RUNNING leaves nothing to disable.
    dms.reset(realism=dict(lose_answers=False, status_lag_reads=0))
    off = dms.emulator.disabled_instance_id
    assert post(dms, instance_path(dms, off) + "/connector", b'{"node_cnt": 2}') == 200
    disabled = connect(dms, off, state="absent")
    assert disabled.get("failed") is not True, disabled.get("msg")
    assert disabled["changed"] is True and disabled["connector_enable"] is False and disabled["status"] == "RUNNING"
    assert [entry["path"] for entry in dms.acted("POST")][-1] == disable_path(dms, off)


def test_a_wait_that_times_out_names_what_it_waited_for_in_whole_seconds(dms):
    dms.reset(instance_transition_reads=10 ** 6)
    enabled = connect(dms, dms.emulator.disabled_instance_id, wait_timeout=1)
    assert enabled["failed"] is True and enabled["changed"] is True
    assert enabled["msg"] == ("Kafka instance %s was not RUNNING with Smart Connect enabled within wait_timeout 1 "
                              "seconds; last status EXTENDING." % dms.emulator.disabled_instance_id)


def test_a_wait_without_wait_timeout_gives_up_after_3000_seconds(dms, monkeypatch):
    # The module's waits run on a fake clock, in pauses that grow tenfold to 1000 seconds (a lost answer's
    # read-back, 30 seconds at most, still gets a few reads).
    clock = FakeClock()
    monkeypatch.setattr(waiting, "POLL_GROWTH", 10)
    monkeypatch.setattr(waiting, "POLL_MAX_SECONDS", 1000)
    monkeypatch.setattr(kafka_smart_connect, "SmartConnectApi", lambda client, project_id, instance_id: (
        kafka_instance.SmartConnectApi(client, project_id, instance_id, clock, clock.sleep)))
    dms.reset(instance_transition_reads=10 ** 6)
    failed = connect(dms, dms.emulator.disabled_instance_id)
    assert failed["failed"] is True and failed["changed"] is True
    assert failed["msg"] == ("Kafka instance %s was not RUNNING with Smart Connect enabled within wait_timeout 3000 "
                             "seconds; last status EXTENDING." % dms.emulator.disabled_instance_id)


@pytest.mark.parametrize("state", ["present", "absent"])
@pytest.mark.parametrize("on", [True, False], ids=["on", "off"])
def test_check_mode_sends_no_change_and_predicts_the_real_run(dms, state, on):
    instance_id = dms.emulator.instance_id if on else dms.emulator.disabled_instance_id
    planned = connect(dms, instance_id, state=state, check_mode=True, diff=True)
    assert set(dms.methods()) == {"GET"}
    real = connect(dms, instance_id, state=state, diff=True)
    assert planned["changed"] is real["changed"] and planned["diff"] == real["diff"]
    assert sorted(planned) == sorted(real) and planned["connector_enable"] is real["connector_enable"]


# --- 1.3.0: a disable that cannot silently drop pipelines ----------------------------------------------

def test_disabling_refuses_while_the_instance_has_tasks_naming_them_unless_forced(dms):
    on = dms.emulator.instance_id
    task = dms.run("kafka_smart_connect_task", dict(
        instance_id=on, task_name="orders-to-obs", topics=["orders"], sink_task=dict(
            access_key="SCOBSAK0000000000001", secret_key="ScObsSecretNeverShown01", obs_bucket_name="my-bucket",
            partition_format="yyyy/MM/dd/HH", deliver_time_interval=300)))
    sent = len(dms.requests())
    for check_mode in (True, False):
        refused = connect(dms, on, state="absent", check_mode=check_mode)
        assert refused["failed"] is True and refused["changed"] is False
        assert "deletes its 1 task(s): 'orders-to-obs' (Smart Connect task, id %s)" % task["task_id"] in refused["msg"]
        assert "force: true" in refused["msg"]
    assert set(dms.methods()[sent:]) == {"GET"}
    planned = connect(dms, on, state="absent", force=True, check_mode=True)
    forced = connect(dms, on, state="absent", force=True)
    expected = [dict(id=task["task_id"], task_name="orders-to-obs")]
    assert planned["deleted_tasks"] == forced["deleted_tasks"] == expected and forced["changed"] is True
    assert planned["deleted_dumping_tasks"] == forced["deleted_dumping_tasks"] == []
    assert dms.emulator.state()["sc_tasks"] == [] and forced["connector_enable"] is False
    assert connect(dms, on, state="absent")["deleted_tasks"] == []


def test_an_enable_refused_because_another_host_already_made_it_is_no_change(dms):
    # This run reads the instance (off); meanwhile another host enables it and sees it done; this run's
    # enable is refused (Smart Connect is already on): the state is as wanted, and this run changed nothing.
    dms.reset(realism=dict(lose_answers=False, status_lag_reads=0), instance_transition_reads=0,
              faults=[dict(method="GET", path="/instances/[^/]+$", delay=0.4, count=1)])
    off = dms.emulator.disabled_instance_id

    def other_host_enables_and_waits():
        import time

        time.sleep(0.1)  # after this run's read is routed, as above
        assert post(dms, instance_path(dms, off) + "/connector", b'{"node_cnt": 2}') == 200
        assert dms.signed("GET", instance_path(dms, off)).json()["connector_id"]

    with dms.meanwhile("GET", other_host_enables_and_waits):
        enabled = connect(dms, off)
    assert enabled.get("failed") is not True, enabled.get("msg")
    assert enabled["changed"] is False and enabled["connector_enable"] is True
    assert [entry["status"] for entry in dms.requests("POST")] == [200, 400]


# --- 1.3.1: the guard sees every pipeline the disable stops; check mode on a busy instance ---------------

SC_TASK_BODY = json.dumps(dict(task_name="late-task", topics="orders", sink_type="OBS_SINK", sink_task=dict(
    consumer_strategy="latest", access_key="SCOBSAK0000000000001", secret_key="ScObsSecretNeverShown01",
    obs_bucket_name="my-bucket", partition_format="yyyy", deliver_time_interval=300))).encode()


def test_the_disable_guard_names_the_dumping_tasks_of_the_connector_too(dms):
    # A connector from Smart Connect (connector_enable false) takes dumping tasks; a disable stops them as well.
    on = dms.emulator.smart_connect_instance_id
    dump = dms.sink_task(dms.task_args("orders-dump", connector_id=None, instance_id=on))
    refused = connect(dms, on, state="absent")
    assert refused["failed"] is True and refused["changed"] is False
    assert "deletes its 1 task(s): 'orders-dump' (dumping task, id %s)" % dump["task_id"] in refused["msg"]
    assert dms.requests("POST")[-1]["path"].endswith("/sink-tasks")  # the dump's create; no disable was sent
    forced = connect(dms, on, state="absent", force=True)
    assert forced["changed"] is True and forced["deleted_tasks"] == []
    assert forced["deleted_dumping_tasks"] == [dict(task_id=dump["task_id"], task_name="orders-dump")]
    assert dms.emulator.state()["tasks"] == []


def test_with_force_a_failing_task_list_warns_and_the_disable_goes_on(dms):
    dms.emulator.add_fault(method="GET", path="/connector/tasks$", status=500, count=None)
    on = dms.emulator.instance_id
    refused = connect(dms, on, state="absent")
    assert refused["failed"] is True and refused["error"]["status"] == 500 and not dms.requests("POST")
    # Check mode on an instance that is not busy has no excuse either.
    planned = connect(dms, on, state="absent", check_mode=True)
    assert planned["failed"] is True and planned["error"]["status"] == 500
    forced = connect(dms, on, state="absent", force=True)
    assert forced.get("failed") is not True, forced.get("msg")
    assert forced["changed"] is True and forced["connector_enable"] is False
    # One warning, the guard's: the look after the disable, which only adds names, fails silently.
    [warning] = [warning for warning in forced["warnings"] if "could not be listed" in warning]
    assert warning.startswith("The Smart Connect tasks of Kafka instance %s could not be listed" % on)
    assert "as force is true" in warning


def test_a_task_created_between_the_guards_look_and_the_disable_is_named(dms):
    # The disable is held before it acts; meanwhile another host creates a task. The service deletes the
    # instance's tasks once the disable is done, so the list after the call still shows it.
    dms.reset(realism=dict(tasks_deleted_late=True, lose_answers=False),
              faults=[dict(method="POST", path="/delete-connector$", hold=0.5)])
    on = dms.emulator.instance_id
    created = []

    def other_host_creates():
        answer = dms.signed("POST", "/v2/%s/instances/%s/connector/tasks" % (dms.emulator.project_id, on),
                            SC_TASK_BODY)
        assert answer.status_code == 200
        created.append(answer.json()["id"])

    with dms.meanwhile("POST", other_host_creates):
        disabled = connect(dms, on, state="absent")
    assert disabled.get("failed") is not True, disabled.get("msg")
    assert disabled["changed"] is True and disabled["deleted_tasks"] == [dict(id=created[0], task_name="late-task")]
    assert [warning for warning in disabled["warnings"] if "after this run looked and before its disable were "
            "deleted with it: 'late-task' (Smart Connect task, id %s)" % created[0] in warning]
    assert dms.emulator.state()["sc_tasks"] == []


@pytest.mark.parametrize("state, start, changed", [
    ("present", "disable", True), ("absent", "enable", True), ("present", "enable", False),
    ("absent", "disable", False)], ids=["enable while disabling", "disable while enabling", "enable while enabling",
                                        "disable while disabling"])
def test_check_mode_on_a_busy_instance_decides_from_where_the_change_is_going(dms, state, start, changed):
    # Without stale reads: a read that still shows the instance as before the call cannot be told from a settled one.
    dms.reset(realism=dict(lose_answers=False, status_lag_reads=0))
    instance_id = dms.emulator.instance_id if start == "disable" else dms.emulator.disabled_instance_id
    other = disable_path(dms, instance_id) if start == "disable" else instance_path(dms, instance_id) + "/connector"
    assert post(dms, other) == 200
    planned = connect(dms, instance_id, state=state, check_mode=True)
    assert planned.get("failed") is not True, planned.get("msg")
    assert [warning for warning in planned["warnings"] if "check mode takes it that Smart Connect will then be %s"
            % ("off" if start == "disable" else "on") in warning]
    real = connect(dms, instance_id, state=state)
    assert real.get("failed") is not True, real.get("msg")
    assert planned["changed"] is real["changed"] is changed
    assert planned["connector_enable"] is real["connector_enable"] is (state == "present")
    # The nodes as the run leaves them; only an enable under way has a count check mode cannot know yet.
    assert planned["node_count"] == (None if (start, state) == ("enable", "present") else real["node_count"])


@pytest.mark.parametrize("check_mode", [True, False])
def test_a_disable_where_the_dumping_api_does_not_know_the_connector_is_not_refused(dms, check_mode):
    """1.5.1: the guard's dumping-task list answering 404 DMS.00404022 (a Smart Connect connector with no dumping
    side) means there are none, not that the guard could not look."""
    dms.reset(realism=dict(dumping_unknown_connector=True, lose_answers=False), instance_transition_reads=0)
    off = dms.emulator.disabled_instance_id
    assert connect(dms, off).get("failed") is not True
    disabled = connect(dms, off, state="absent", check_mode=check_mode)
    assert disabled.get("failed") is not True, disabled.get("msg")
    assert disabled["changed"] is True and disabled["deleted_dumping_tasks"] == []
    listed = [entry for entry in dms.requests("GET") if entry["path"].endswith("/sink-tasks")]
    assert listed and all(entry["status"] == 404 for entry in listed)


def test_a_guard_whose_dumping_list_fails_otherwise_still_refuses(dms):
    """Only "there is none" lets the disable go on: a 403 or a 5xx of the list is "could not look"."""
    dms.reset(realism=dict(lose_answers=False))
    dms.emulator.add_fault(method="GET", path="/sink-tasks$", status=503, count=None)
    refused = connect(dms, dms.emulator.instance_id, state="absent")
    assert refused["failed"] is True and "list the sink tasks of connector" in refused["msg"]
    assert dms.changes() == []
