# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""kafka_sink_task_info: which calls each option set makes, and what it returns."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.hwcloud.dms.plugins.modules.kafka_sink_task_info import input_problems, task_info

LISTING = {"tasks": [{"task_id": "t-1", "task_name": "a", "status": "RUNNING", "topics": "x",
                      "destination_type": "OBS", "create_time": 1},
                     {"task_id": "t-2", "task_name": "b", "status": "CREATING", "topics": "y",
                      "destination_type": "OBS", "create_time": 2}],
           "total_number": 2, "max_tasks": 500, "quota_tasks": 50}


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
    assert result["quota"] == {"total_number": 2, "max_tasks": 500, "quota_tasks": 50}


def test_a_name_is_found_in_the_list_then_shown():
    api = RecordingApi()
    result = task_info(api, params(task_name="b", topic_info=True))
    assert api.calls == [("list",), ("show", "t-2", True)]
    assert [task["task_id"] for task in result["tasks"]] == ["t-2"]
    assert result["tasks"][0]["obs_destination_descriptor"] == {"obs_path": ""}


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
    (dict(connector_id="c d"), "connector_id"),
])
def test_bad_input_names_the_option(given, named):
    problems = input_problems(params(**given))
    assert len(problems) == 1 and named in problems[0]
