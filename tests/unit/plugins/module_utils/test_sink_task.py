# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Option-to-body translation, comparison, validation and result shape of sink tasks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.hwcloud.dms.plugins.module_utils.sink_task import (
    SinkTaskError,
    current_settings,
    descriptor_problems,
    desired_settings,
    desired_task_body,
    planned_task,
    settings_differences,
    task_result,
    wait_for_task,
)


def descriptor(**overrides):
    """A valid descriptor as the argument spec hands it over (defaults filled in)."""
    values = dict(
        topics=["orders", "refunds"], topics_regex=None, consumer_strategy="latest",
        destination_file_type="TEXT", access_key="OBSAK", secret_key="OBS-SECRET",
        obs_bucket_name="bucket", obs_path=None, partition_format="yyyy/MM/dd",
        record_delimiter="\n", deliver_time_interval=300,
    )
    values.update(overrides)
    return values


def shown_task(**obs_overrides):
    """A task as the service's show call returns it."""
    obs = dict(consumer_strategy="latest", destination_file_type="TEXT", obs_bucket_name="bucket",
               obs_path="", partition_format="yyyy/MM/dd", record_delimiter="\n",
               deliver_time_interval=300, obs_part_size=5242880)
    obs.update(obs_overrides)
    return dict(task_id="t-1", task_name="n", status="RUNNING", topics="refunds,orders",
                destination_type="OBS", create_time=1795512900000, obs_destination_descriptor=obs)


def test_body_has_the_spec_shape_and_no_nulls():
    body = desired_task_body("n", "BLOB", "OBS", descriptor(destination_file_type="TXT"))
    assert body == {
        "source_type": "BLOB", "task_name": "n", "destination_type": "OBS",
        "obs_destination_descriptor": {
            "topics": "orders,refunds", "consumer_strategy": "latest", "destination_file_type": "TEXT",
            "access_key": "OBSAK", "secret_key": "OBS-SECRET", "obs_bucket_name": "bucket",
            "partition_format": "yyyy/MM/dd", "record_delimiter": "\n", "deliver_time_interval": 300,
        },
    }


def test_body_sends_topics_regex_instead_of_topics_and_keeps_obs_path():
    body = desired_task_body("n", "BLOB", "OBS", descriptor(topics=None, topics_regex="audit-.*",
                                                            obs_path="a/b", record_delimiter=""))
    obs = body["obs_destination_descriptor"]
    assert obs["topics_regex"] == "audit-.*"
    assert "topics" not in obs
    assert obs["obs_path"] == "a/b"
    assert obs["record_delimiter"] == ""


def test_same_settings_compare_equal_with_topic_order_and_missing_obs_path():
    wanted = desired_settings(descriptor())
    assert settings_differences(wanted, current_settings(shown_task(), wanted)) == []


def test_partition_format_na_counts_as_equal():
    wanted = desired_settings(descriptor())
    assert settings_differences(wanted, current_settings(shown_task(partition_format="N/A"), wanted)) == []


def test_differences_name_each_option_with_both_values():
    wanted = desired_settings(descriptor(deliver_time_interval=600, obs_path="x", topics=["orders"]))
    current = current_settings(shown_task(deliver_time_interval="300"), wanted)
    assert settings_differences(wanted, current) == [
        ("deliver_time_interval", 300, 600),
        ("obs_path", "", "x"),
        ("topics", ["orders", "refunds"], ["orders"]),
    ]


def test_topics_regex_is_compared_as_the_exact_string():
    wanted = desired_settings(descriptor(topics=None, topics_regex="a.*"))
    task = dict(shown_task(), topics="a.*")
    assert settings_differences(wanted, current_settings(task, wanted)) == []
    task["topics"] = "a.+"
    assert settings_differences(wanted, current_settings(task, wanted)) == [("topics_regex", "a.+", "a.*")]


@pytest.mark.parametrize("overrides, option", [
    (dict(topics=None), "topics or topics_regex"),
    (dict(topics_regex="a.*"), "topics or topics_regex"),
    (dict(topics=[]), "topics"),
    (dict(topics=["ok", ""]), "topics"),
    (dict(topics=["a,b"]), "topics"),
    (dict(topics=None, topics_regex=".*"), "topics_regex"),
    (dict(topics=None, topics_regex=""), "topics_regex"),
    (dict(topics=None, topics_regex="(unclosed"), "topics_regex"),
    (dict(obs_bucket_name=" "), "obs_bucket_name"),
    (dict(access_key=""), "access_key"),
    (dict(secret_key=""), "secret_key"),
    (dict(obs_path="has space"), "obs_path"),
    (dict(obs_path="x" * 65), "obs_path"),
    (dict(deliver_time_interval=29), "deliver_time_interval"),
    (dict(deliver_time_interval=901), "deliver_time_interval"),
])
def test_each_field_rule_names_its_option(overrides, option):
    problems = descriptor_problems(descriptor(**overrides))
    assert len(problems) == 1
    assert problems[0].startswith("obs_destination_descriptor." + option)


def test_a_valid_descriptor_has_no_problems():
    assert descriptor_problems(descriptor(obs_path="a-b/c_d" + "x" * 57, deliver_time_interval=30)) == []
    assert descriptor_problems(descriptor(deliver_time_interval=900)) == []


def test_results_never_carry_secrets():
    task = shown_task(access_key="OBSAK", secret_key="OBS-SECRET")
    result = task_result(task)
    assert "secret_key" not in result["obs_destination_descriptor"]
    assert "access_key" not in result["obs_destination_descriptor"]
    planned = planned_task(desired_task_body("n", "BLOB", "OBS", descriptor()))
    assert "OBS-SECRET" not in repr(planned)
    assert planned["task_id"] is None and planned["topics"] == "orders,refunds"


def test_topic_info_offsets_and_lag_become_integers():
    task = dict(shown_task(), topics_info=[{"topic": "orders", "partitions": [
        {"partition_id": 0, "status": "RUNNING", "last_transfer_offset": "10", "log_end_offset": "15", "lag": "5"}]}])
    assert task_result(task)["topics_info"] == [{"topic": "orders", "partitions": [
        {"partition_id": 0, "status": "RUNNING", "last_transfer_offset": 10, "log_end_offset": 15, "lag": 5}]}]


class ScriptedApi:
    """Answers show() from a list of statuses, the way a task changes while polled."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.shows = 0

    def show(self, task_id):
        self.shows += 1
        status = self.statuses.pop(0)
        return None if status is None else dict(task_id=task_id, task_name="n", status=status)


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.pauses = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.pauses.append(seconds)
        self.now += seconds


def test_wait_polls_with_growing_pauses_until_running():
    api, clock = ScriptedApi(["CREATING", "CREATING", "CREATING", "RUNNING"]), FakeClock()
    task = wait_for_task(api, "t-1", 300, "RUNNING", clock=clock, sleep=clock.sleep)
    assert task["status"] == "RUNNING"
    assert clock.pauses == [0.5, 1.0, 2.0]


def test_wait_fails_on_error_with_the_task():
    api, clock = ScriptedApi(["CREATING", "ERROR"]), FakeClock()
    with pytest.raises(SinkTaskError) as raised:
        wait_for_task(api, "t-1", 300, "RUNNING", clock=clock, sleep=clock.sleep)
    assert "ERROR" in str(raised.value) and raised.value.task["task_id"] == "t-1"


def test_wait_is_bounded_by_the_timeout():
    api, clock = ScriptedApi(["CREATING"] * 100), FakeClock()
    with pytest.raises(SinkTaskError) as raised:
        wait_for_task(api, "t-1", 5, "RUNNING", clock=clock, sleep=clock.sleep)
    assert "within wait_timeout 5 seconds" in str(raised.value)
    assert sum(clock.pauses) == 5
    assert api.shows == len(clock.pauses) + 1


def test_wait_for_absent_ends_when_the_task_is_gone():
    api, clock = ScriptedApi(["RUNNING", None]), FakeClock()
    assert wait_for_task(api, "t-1", 60, None, clock=clock, sleep=clock.sleep) is None
