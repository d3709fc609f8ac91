# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Option-to-body translation, comparison, validation and result shape of sink tasks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from harness import FakeClock
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import TaskError
from ansible_collections.hwcloud.dms.plugins.module_utils.sink_task import (
    current_settings,
    descriptor_problems,
    desired_settings,
    desired_task_body,
    SINK_TASK_QUOTA_HINT,
    planned_task,
    task_result,
    unreported_settings,
    wait_for_task,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.task_run import quota_problem, settings_differences


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


def test_partition_format_na_counts_as_equal_and_is_named_as_unreported():
    wanted = desired_settings(descriptor())
    current = current_settings(shown_task(partition_format="N/A"), wanted)
    assert settings_differences(wanted, current) == []
    assert unreported_settings(current) == ["partition_format"]
    assert unreported_settings(current_settings(shown_task(), wanted)) == []


def in_descriptor(task, topics="", topics_regex="", keep_top=False):
    """The task as a show answers when it reports topics inside the descriptor (Terraform's reading)."""
    task = dict(task, obs_destination_descriptor=dict(task["obs_destination_descriptor"], topics=topics,
                                                      topics_regex=topics_regex))
    if not keep_top:
        del task["topics"]
    return task


@pytest.mark.parametrize("shown", [
    in_descriptor(shown_task(), topics="refunds,orders"),
    in_descriptor(shown_task(), topics=" refunds , orders", keep_top=True),
    dict(shown_task(), topics="orders, refunds,orders"),
    shown_task(record_delimiter="\\n"),
    shown_task(deliver_time_interval="300"),
    in_descriptor(shown_task(record_delimiter="\\n", deliver_time_interval="300", partition_format="N/A"),
                  topics="orders, refunds"),
], ids=["descriptor only", "both places, spaced", "top level, spaced and repeated", "escaped delimiter",
        "interval as digits", "all at once"])
def test_every_documented_answer_shape_compares_equal(shown):
    wanted = desired_settings(descriptor())
    assert settings_differences(wanted, current_settings(shown, wanted)) == []


def test_the_descriptor_topics_come_before_the_top_level():
    wanted = desired_settings(descriptor(topics=["orders"]))
    shown = in_descriptor(shown_task(), topics="payments", keep_top=True)  # the top level still says orders
    assert settings_differences(wanted, current_settings(shown, wanted)) == [("topics", ["payments"], ["orders"])]


def test_a_regex_in_the_descriptor_is_compared_as_a_regex():
    wanted = desired_settings(descriptor(topics=None, topics_regex="a.*"))
    assert settings_differences(wanted, current_settings(
        in_descriptor(shown_task(), topics_regex="a.*"), wanted)) == []
    # The task dumps names where a regex is wanted: both keys are named.
    assert settings_differences(wanted, current_settings(in_descriptor(shown_task(), topics="a1"), wanted)) == [
        ("topics", ["a1"], None), ("topics_regex", None, "a.*")]


def test_a_task_dumping_a_regex_where_names_are_wanted_differs_in_both_keys():
    wanted = desired_settings(descriptor(topics=["orders"]))
    shown = in_descriptor(shown_task(), topics_regex="orders.*")
    # The regex the task has is named too: the diff shows what a replacement would drop.
    assert settings_differences(wanted, current_settings(shown, wanted)) == [
        ("topics", None, ["orders"]), ("topics_regex", "orders.*", None)]


def test_only_a_newline_is_read_from_its_escaped_form():
    wanted = desired_settings(descriptor(record_delimiter=","))
    assert settings_differences(wanted, current_settings(shown_task(record_delimiter="\\n"), wanted)) == [
        ("record_delimiter", "\n", ",")]


def test_the_result_has_topics_on_top_wherever_the_service_put_them():
    assert task_result(in_descriptor(shown_task(), topics="orders,refunds"))["topics"] == "orders,refunds"
    assert task_result(in_descriptor(shown_task(), topics_regex="a.*"))["topics"] == "a.*"


def test_topics_are_trimmed_deduplicated_and_sent_in_the_order_written():
    given = descriptor(topics=[" orders", "refunds ", "orders", "audit.v2_x-1"])
    assert descriptor_problems(given) == []
    assert desired_task_body("n", "BLOB", "OBS", given)["obs_destination_descriptor"]["topics"] == \
        "orders,refunds,audit.v2_x-1"
    assert desired_settings(given)["topics"] == ["audit.v2_x-1", "orders", "refunds"]


@pytest.mark.parametrize("entry", ["has space", "a/b", "a,b", "x" * 250, "", "  ", "caf\u00e9"])
def test_names_kafka_refuses_are_refused_where_topics_are_names(entry):
    """Smart Connect's topics are names (its topics_regex takes an expression); a dumping task's may be either."""
    from ansible_collections.hwcloud.dms.plugins.module_utils.sink_task import topics_problems
    problems = topics_problems("", ["orders", entry])
    assert len(problems) == 1 and problems[0].startswith("topics entry %r is not" % entry.strip())


@pytest.mark.parametrize("entry", ["a,b", "", "  ", "bad(name"])
def test_a_dumping_topics_entry_that_is_neither_a_name_nor_an_expression_is_refused(entry):
    problems = descriptor_problems(descriptor(topics=["orders", entry]))
    assert len(problems) == 1 and problems[0].startswith("obs_destination_descriptor.topics entry %r is neither"
                                                         % entry.strip())


def test_the_longest_kafka_name_is_accepted():
    assert descriptor_problems(descriptor(topics=["x" * 249])) == []


def test_a_full_quota_is_a_problem_naming_quota_tasks():
    assert quota_problem(dict(total_number=49, quota_tasks=50, max_tasks=500), SINK_TASK_QUOTA_HINT) is None
    assert quota_problem(dict(tasks=[]), SINK_TASK_QUOTA_HINT) is None  # figures missing: nothing is claimed
    problem = quota_problem(dict(total_number=50, quota_tasks=50, max_tasks=0), SINK_TASK_QUOTA_HINT)
    assert "the quota is 50 (quota_tasks" in problem and "fails on instances created since September 2022" in problem
    assert "max_tasks, the maximum number of tasks, is 0)" in problem


def test_differences_name_each_option_with_both_values():
    wanted = desired_settings(descriptor(deliver_time_interval=600, obs_path="x", topics=["orders"]))
    current = current_settings(shown_task(deliver_time_interval="300"), wanted)
    assert settings_differences(wanted, current) == [
        ("deliver_time_interval", 300, 600),
        ("obs_path", None, "x"),  # an empty text is no value
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


@pytest.mark.parametrize("overrides, message", [
    (dict(topics=[]), "topics is empty: name at least one topic (or use topics_regex)."),
    (dict(topics=["a,b"]), "topics entry 'a,b' is neither a Kafka topic name (1 to 249 letters, digits, '.', '_' or "
                           "'-') nor a regular expression (it holds a ','); entries are separated by ','."),
    (dict(topics=["orders", "(unclosed"]), "topics entry '(unclosed' is neither a Kafka topic name (1 to 249 letters, "
                                           "digits, '.', '_' or '-') nor a regular expression (missing ), unterminated "
                                           "subpattern at position 0); entries are separated by ','."),
    (dict(topics=None, topics_regex=".*"), "topics_regex must not be '.*' (the service refuses to dump every topic)."),
    (dict(topics=None, topics_regex="(unclosed"), "topics_regex '(unclosed' is not a valid regular expression: "
                                                  "missing ), unterminated subpattern at position 0."),
    (dict(obs_path="has space"), "obs_path must be at most 64 letters, digits, '_', '-' or '/', got 'has space'."),
    (dict(deliver_time_interval=901), "deliver_time_interval must be 30 to 900 seconds, got 901."),
])
def test_a_rule_says_what_it_wants_and_what_it_got(overrides, message):
    assert descriptor_problems(descriptor(**overrides)) == ["obs_destination_descriptor." + message]


def test_a_dumping_tasks_topics_may_hold_regular_expressions_as_its_reference_page_says():
    """1.5.1: the page says of topics "Regular expressions are supported"; 1.5.0 refused one. Smart Connect's topics
    (with a topics_regex of their own) stay names."""
    assert descriptor_problems(descriptor(topics=["orders-.*", "refunds"])) == []
    assert descriptor_problems(descriptor(topics=["orders-[0-9]+", " refunds"])) == []
    from ansible_collections.hwcloud.dms.plugins.module_utils.sink_task import topics_problems
    assert topics_problems("", ["orders-.*"]) == [
        "topics entry 'orders-.*' is not a Kafka topic name (1 to 249 letters, digits, '.', '_' or '-'; names are "
        "separated by ',' or given as list entries)."]


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


def test_topic_info_figures_the_service_leaves_out_or_cannot_give_are_null():
    # A partition not yet dumped may come without a lag, or with a text that is no number.
    task = dict(shown_task(), topics_info=[{"topic": "orders", "partitions": [
        {"partition_id": "1", "status": "RUNNING", "last_transfer_offset": "N/A", "log_end_offset": "0"}]}])
    assert task_result(task)["topics_info"] == [{"topic": "orders", "partitions": [
        {"partition_id": 1, "status": "RUNNING", "last_transfer_offset": None, "log_end_offset": 0, "lag": None}]}]


class ScriptedApi:
    """Answers show() from a list of statuses, the way a task changes while polled."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.shows = 0

    def show(self, task_id):
        self.shows += 1
        status = self.statuses.pop(0)
        return None if status is None else dict(task_id=task_id, task_name="n", status=status)


def test_wait_polls_with_growing_pauses_until_running():
    api, clock = ScriptedApi(["CREATING", "CREATING", "CREATING", "RUNNING"]), FakeClock()
    task = wait_for_task(api, "t-1", 300, "RUNNING", clock=clock, sleep=clock.sleep)
    assert task["status"] == "RUNNING"
    assert clock.pauses == [0.5, 1.0, 2.0]


@pytest.mark.parametrize("final", ["ERROR", "FAILED", "PAUSED", "STOPPED"])
def test_wait_fails_at_once_on_any_final_status_naming_it(final):
    api, clock = ScriptedApi(["CREATING", "STARTING", final] + ["RUNNING"] * 5), FakeClock()
    with pytest.raises(TaskError) as raised:
        wait_for_task(api, "t-1", 300, "RUNNING", clock=clock, sleep=clock.sleep)
    assert "in status %s, not RUNNING" % final in str(raised.value) and raised.value.task["task_id"] == "t-1"
    assert api.shows == 3  # no poll after the final status


def test_wait_for_absent_waits_out_any_status_until_gone():
    api, clock = ScriptedApi(["DELETING", "ERROR", None]), FakeClock()
    assert wait_for_task(api, "t-1", 60, None, clock=clock, sleep=clock.sleep) is None
    assert api.shows == 3


def test_a_task_that_disappears_while_waited_for_fails_naming_what_was_awaited():
    api, clock = ScriptedApi(["CREATING", None]), FakeClock()
    with pytest.raises(TaskError) as raised:
        wait_for_task(api, "t-1", 300, "RUNNING", clock=clock, sleep=clock.sleep)
    assert str(raised.value) == "Sink task t-1 disappeared while waiting for it to be RUNNING."


@pytest.mark.parametrize("until, statuses, goal", [
    ("RUNNING", ["CREATING"] * 100, "status RUNNING"),
    (None, ["DELETING"] * 100, "gone"),
])
def test_a_wait_that_times_out_says_what_it_waited_for_and_the_last_status(until, statuses, goal):
    api, clock = ScriptedApi(statuses), FakeClock()
    with pytest.raises(TaskError) as raised:
        wait_for_task(api, "t-1", 5, until, clock=clock, sleep=clock.sleep)
    assert str(raised.value) == "Sink task 'n' (id t-1) was not %s within wait_timeout 5 seconds; last status %s." % (
        goal, statuses[0])
    assert raised.value.task["status"] == statuses[0]


def test_wait_is_bounded_by_the_timeout():
    api, clock = ScriptedApi(["CREATING"] * 100), FakeClock()
    with pytest.raises(TaskError) as raised:
        wait_for_task(api, "t-1", 5, "RUNNING", clock=clock, sleep=clock.sleep)
    assert "within wait_timeout 5 seconds" in str(raised.value)
    assert sum(clock.pauses) == 5
    assert api.shows == len(clock.pauses) + 1


def test_wait_for_absent_ends_when_the_task_is_gone():
    api, clock = ScriptedApi(["RUNNING", None]), FakeClock()
    assert wait_for_task(api, "t-1", 60, None, clock=clock, sleep=clock.sleep) is None
