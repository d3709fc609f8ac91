# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every task family shares: finding by name, comparing settings, the quota, and the result a run builds."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.hwcloud.dms.plugins.module_utils.errors import TaskError
from ansible_collections.hwcloud.dms.plugins.module_utils.task_run import (
    JUST_CREATED,
    TaskRun,
    named,
    quota_problem,
    settings_differences,
)

HINT = "Delete a task first."


class Module:
    """Stands in for a ``DmsModule``: its options, its result and whether Ansible runs with --diff."""

    def __init__(self, diff_mode=False, **params):
        self.params = dict(dict(task_name="orders", recreate="never"), **params)
        self.result = dict(changed=True, kept="from before")
        self.diff_mode = diff_mode


def task_run(module, **options):
    # The task modules return: its name and status only, to see that the run's own shape is used.
    return TaskRun(module, None, lambda task: dict(name=task["task_name"], status=task["status"]), "id",
                   "Smart Connect task", **options)


def test_named_finds_the_task_by_name_or_by_another_field():
    listing = dict(tasks=[dict(id="1", task_name="a"), dict(id="2", task_name="b")])
    assert named(listing, "b") == dict(id="2", task_name="b")
    assert named(listing, "2", field="id") == dict(id="2", task_name="b")
    assert named(listing, "c") is None and named(listing, "b", field="id") is None


@pytest.mark.parametrize("listing", [dict(), dict(tasks=None), dict(tasks=[])])
def test_named_finds_nothing_in_a_listing_without_tasks(listing):
    assert named(listing, "a") is None


def test_differences_are_sorted_by_option_and_cover_options_on_either_side():
    wanted = dict(topics=["a"], bucket="b", interval=300)
    current = dict(topics=["a"], bucket="old", path="p")
    assert settings_differences(wanted, current) == [
        ("bucket", "old", "b"), ("interval", None, 300), ("path", "p", None)]
    assert settings_differences(wanted, dict(wanted)) == []


def test_a_setting_the_service_did_not_record_is_skipped_and_the_others_are_still_compared():
    # "N/A" sorts between the values of the settings around it; only the setting that shows it is left out.
    current = dict(a_first="A", format="N/A", z_last="Z")
    wanted = dict(a_first="B", format="yyyy", z_last="Y")
    assert settings_differences(wanted, current) == [("a_first", "A", "B"), ("z_last", "Z", "Y")]


def test_the_quota_is_full_once_the_tasks_reach_it():
    assert quota_problem(dict(total_number=19, quota_tasks=20, max_tasks=1), HINT) is None
    assert quota_problem(dict(total_number=20, quota_tasks=20, max_tasks=0), HINT) == (
        "the task quota is full: there are 20 tasks (total_number) and the quota is 20 (quota_tasks; max_tasks, the "
        "maximum number of tasks, is 0). Delete a task first.")
    # More tasks than the quota (it was lowered): full all the same.
    assert quota_problem(dict(total_number=21, quota_tasks=20), HINT).startswith(
        "the task quota is full: there are 21 tasks (total_number) and the quota is 20")


@pytest.mark.parametrize("listing", [
    dict(tasks=[]), dict(total_number=20), dict(quota_tasks=20), dict(total_number="20", quota_tasks=20),
    dict(total_number=20, quota_tasks="20"), dict(total_number=20, quota_tasks=None),
])
def test_without_both_figures_as_numbers_no_quota_problem_is_claimed(listing):
    assert quota_problem(listing, HINT) is None


def test_a_run_starts_with_nothing_changed_in_the_modules_result():
    module = Module()
    run = task_run(module)
    assert run.name == "orders" and run.result is module.result
    assert module.result == dict(changed=False, task_id=None, task=None, action="unchanged", kept="from before")


def test_a_run_of_one_task_among_several_keeps_its_own_params_and_result():
    module = Module()
    own_params, own_result = dict(task_name="refunds", recreate="never"), {}
    run = task_run(module, params=own_params, result=own_result)
    assert run.name == "refunds" and run.params is own_params
    assert own_result == dict(changed=False, task_id=None, task=None, action="unchanged")
    assert module.result == dict(changed=True, kept="from before")


def test_recording_a_task_shows_it_as_modules_return_it_with_its_id():
    run = task_run(Module())
    run._record(dict(id="t-1", task_name="orders", status="RUNNING"))
    assert run.result == dict(changed=False, task_id="t-1", task=dict(name="orders", status="RUNNING"),
                              action="unchanged", kept="from before")
    run._record(dict(id="t-1", task_name="orders", status="RUNNING"), changed=True)
    assert run.result["changed"] is True
    # Recording no task (it is gone) clears task and task_id, and leaves changed as it was.
    run._record(None)
    assert (run.result["task"], run.result["task_id"], run.result["changed"]) == (None, None, True)


def test_the_diff_names_the_task_on_the_side_that_has_it_and_only_in_diff_mode():
    run = task_run(Module(diff_mode=True))
    run._diff({}, dict(topics="a"))
    assert run.result["diff"] == dict(before={}, after=dict(topics="a", task_name="orders"))
    run._diff(dict(topics="a"), {})
    assert run.result["diff"] == dict(before=dict(topics="a", task_name="orders"), after={})
    quiet = task_run(Module())
    quiet._diff({}, dict(topics="a"))
    assert "diff" not in quiet.result


DIFFERENCES = [("topics", "a", "b"), ("interval", 60, 300)]


def test_a_task_with_other_settings_fails_naming_each_difference_and_the_way_to_replace_it():
    run = task_run(Module())
    with pytest.raises(TaskError) as raised:
        run._fail_differences(DIFFERENCES, "recreate is never")
    assert str(raised.value) == (
        "Smart Connect task 'orders' exists with other settings and recreate is never: topics: task has 'a', "
        "wanted 'b'; interval: task has 60, wanted 300. Set recreate: on_change to replace it.")
    assert run.result["differences"] == [dict(option="topics", task="a", wanted="b"),
                                         dict(option="interval", task=60, wanted=300)]


@pytest.mark.parametrize("recreate, reason", [("never", JUST_CREATED), ("on_change", "it is in use"),
                                              ("always", "it is in use")])
def test_the_advice_to_set_on_change_is_given_only_where_it_would_replace_the_task(recreate, reason):
    run = task_run(Module(recreate=recreate))
    with pytest.raises(TaskError) as raised:
        run._fail_differences(DIFFERENCES, reason)
    assert str(raised.value).endswith("interval: task has 60, wanted 300.")
