# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""kafka_sink_task_info: which calls each option set makes, and what it returns."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from harness import ModuleRunner
from ansible_collections.hwcloud.dms.plugins.modules.kafka_sink_task_info import input_problems, task_info

LISTING = {"tasks": [{"task_id": "t-1", "task_name": "a", "status": "RUNNING", "topics": "x",
                      "destination_type": "OBS", "create_time": 1},
                     {"task_id": "t-2", "task_name": "b", "status": "CREATING", "topics": "y",
                      "destination_type": "OBS", "create_time": 2}],
           "total_number": 2, "max_tasks": 48, "quota_tasks": 50}


class RecordingApi:
    """A SinkTaskApi stand-in that records the calls made."""

    def __init__(self):
        self.calls = []

    def list_tasks(self):
        self.calls.append(("list",))
        return LISTING

    def show(self, task_id, topic_info=False):
        self.calls.append(("show", task_id, topic_info))
        if task_id not in ("t-1", "t-2"):
            return None
        return dict(LISTING["tasks"][0 if task_id == "t-1" else 1], obs_destination_descriptor={"obs_path": ""})


def params(**given):
    values = dict(connector_id="c-1", instance_id=None, task_name=None, task_id=None, topic_info=False)
    values.update(given)
    return values


def test_a_list_is_one_call_with_summaries_and_quota():
    api = RecordingApi()
    result = task_info(api, params())
    assert api.calls == [("list",)]
    assert [task["task_name"] for task in result["tasks"]] == ["a", "b"]
    assert "obs_destination_descriptor" not in result["tasks"][0]
    assert result["quota"] == {"total_number": 2, "max_tasks": 48, "quota_tasks": 50}


def test_a_name_is_found_in_the_list_then_shown():
    api = RecordingApi()
    result = task_info(api, params(task_name="b", topic_info=True))
    assert api.calls == [("list",), ("show", "t-2", True)]
    assert [task["task_id"] for task in result["tasks"]] == ["t-2"]
    assert result["tasks"][0]["obs_destination_descriptor"] == {"obs_path": ""}


def test_a_name_selects_only_the_task_of_that_exact_name():
    api = RecordingApi()
    result = task_info(api, params(task_name="a"))
    assert api.calls == [("list",), ("show", "t-1", False)]
    assert [task["task_id"] for task in result["tasks"]] == ["t-1"]


def test_an_unknown_name_is_an_empty_list():
    api = RecordingApi()
    assert task_info(api, params(task_name="zzz"))["tasks"] == []
    assert api.calls == [("list",)]


def test_an_id_is_shown_directly_and_an_unknown_one_checks_the_connector():
    api = RecordingApi()
    assert [task["task_id"] for task in task_info(api, params(task_id="t-1"))["tasks"]] == ["t-1"]
    assert api.calls == [("show", "t-1", False)]
    api = RecordingApi()
    assert task_info(api, params(task_id="nope")) == {"tasks": []}
    assert api.calls == [("show", "nope", False), ("list",)]


@pytest.mark.parametrize("given, named", [
    (dict(topic_info=True), "topic_info"),
    (dict(task_id="a/b"), "task_id"),
])
def test_bad_input_names_the_option(given, named):
    problems = input_problems(params(**given))
    assert len(problems) == 1 and named in problems[0]


# --- run in process against the emulator --------------------------------------------------------------

def test_a_list_in_check_mode_is_one_request_with_summaries_and_quota(dms):
    empty = dms.info(dict(instance_id=dms.emulator.instance_id))
    created = [dms.sink_task(dms.task_args(name))["task_id"] for name in ("info-a", "info-b")]
    sent_before = len(dms.requests())
    listed = dms.info(dict(connector_id=dms.emulator.connector_id), check_mode=True)
    assert empty["tasks"] == [] and empty["quota"]["total_number"] == 0
    assert empty["connector_id"] == listed["connector_id"] == dms.emulator.connector_id
    assert listed["changed"] is False and len(dms.requests()) == sent_before + 1
    assert sorted(task["task_id"] for task in listed["tasks"]) == sorted(created)
    assert sorted(listed["tasks"][0]) == ["create_time", "destination_type", "status", "task_id", "task_name", "topics"]
    assert listed["quota"] == dict(total_number=2, quota_tasks=50, max_tasks=48)


def test_one_task_in_full_in_the_shape_the_other_module_returns_with_integer_lag(dms):
    created = dms.sink_task(dms.task_args("info-a"))
    shown = dms.info(dict(connector_id=dms.emulator.connector_id, name="info-a", topic_info=True))
    by_id = dms.info(dict(connector_id=dms.emulator.connector_id, task_id=created["task_id"]))
    module_view = dms.sink_task(dms.task_args("info-a"))["task"]
    [task] = shown["tasks"]
    partitions = [partition for topic in task.pop("topics_info") for partition in topic["partitions"]]
    assert task == module_view and by_id["tasks"] == [module_view]
    assert len(partitions) == 6
    for field in ("lag", "log_end_offset", "last_transfer_offset", "partition_id"):
        assert all(isinstance(partition[field], int) for partition in partitions)
    assert ModuleRunner.OBS_SECRET not in json.dumps(shown)


def test_unknown_names_and_ids_are_empty_and_an_unknown_connector_fails(dms):
    connector = dict(connector_id=dms.emulator.connector_id)
    assert dms.info(dict(connector, task_name="no-such-task"))["tasks"] == []
    assert dms.info(dict(connector, task_id="00000000-0000-4000-8000-00000000dead"))["tasks"] == []
    unknown = dms.info(dict(connector_id="00000000-0000-4000-8000-0000000c0de5", task_id="t-1"))
    assert unknown["failed"] is True and unknown["error"]["status"] == 404
    assert unknown["msg"].startswith("list the sink tasks of connector 00000000-0000-4000-8000-0000000c0de5 failed: ")


def test_an_instance_with_no_connector_lists_nothing_with_a_warning(dms):
    listed = dms.info(dict(instance_id=dms.emulator.disabled_instance_id))
    assert listed.get("failed") is not True and listed["tasks"] == [] and listed["connector_id"] is None
    assert [warning for warning in listed["warnings"] if "has no dump connector" in warning]
    assert dms.methods() == ["GET"]


def test_a_smart_connect_instance_gives_its_connector_id(dms):
    dms.sink_task(dms.task_args("info-a"))
    listed = dms.info(dict(instance_id=dms.emulator.smart_connect_instance_id))
    assert listed["connector_id"] == dms.emulator.connector_id
    assert [task["task_name"] for task in listed["tasks"]] == ["info-a"]


def test_a_bad_connector_id_fails_before_any_request(dms):
    failed = dms.info(dict(connector_id="c d"))
    assert failed["msg"] == "connector_id 'c d' must be 1 to 64 letters, digits, '-' or '_'." and dms.requests() == []


@pytest.mark.parametrize("module, args", [
    ("kafka_sink_task_info", dict(task_id="a/b")),
    ("kafka_sink_task_info", dict(instance_id="x y")),
    ("kafka_smart_connect_task_info", dict(task_id="a/b")),
    ("kafka_smart_connect_task_info", dict(instance_id="x y")),
])
def test_the_info_modules_check_ids_before_any_request(dms, module, args):
    given = dict(dict(instance_id=dms.emulator.instance_id), **args)
    failed = dms.run(module, given)
    assert failed["failed"] is True and list(args)[0] in failed["msg"] and dms.requests() == []
