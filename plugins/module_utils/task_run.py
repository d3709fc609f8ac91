# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every task family shares: finding a task by name in a listing, comparing settings, the quota, and the
result a run builds."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hwcloud.dms.plugins.module_utils.errors import TaskError

# The quota figures a task list answers: total_number (tasks there), quota_tasks (tasks allowed) and max_tasks (every
# source calls it the maximum number of tasks).
QUOTA_FIELDS = ("total_number", "max_tasks", "quota_tasks")
# The service returns this for a setting it did not record (a dumping task's partition_format): not compared.
UNRECORDED = "N/A"
# What a replacement costs, by the consumer_strategy the new task starts from.
REPLACEMENT_COSTS = dict(
    earliest="everything its topics still hold is read, and written, again.",
    latest="what arrives between the delete and the create is skipped.")
# The id a replacement's diff shows after it: the service gives the new task another id.
NEW_TASK = "(a new task)"
# Why a task with other settings is not replaced, when another run has just created it.
JUST_CREATED = "another run has just created it with other settings; it is not replaced"


def named(listing, task_name, field="task_name"):
    """The entry of ``listing["tasks"]`` whose ``field`` (its name, unless another is given) is ``task_name``,
    or ``None``."""
    for task in listing.get("tasks") or []:
        if task.get(field) == task_name:
            return task
    return None


def settings_differences(wanted, current):
    """``[(option, current value, wanted value)]`` for every setting that differs."""
    differences = []
    for name in sorted(set(wanted) | set(current)):
        have, want = current.get(name), wanted.get(name)
        if have == UNRECORDED:
            continue
        if have != want:
            differences.append((name, have, want))
    return differences


def quota_problem(listing, hint):
    """Why no task can be added where the ``listing`` is of, or ``None``; ``hint`` says how to make room."""
    total, quota = listing.get("total_number"), listing.get("quota_tasks")
    if not isinstance(total, int) or not isinstance(quota, int) or total < quota:
        return None
    return "the task quota is full: there are %s tasks (total_number) and the quota is %s (quota_tasks; max_tasks, " \
           "the maximum number of tasks, is %s). %s" % (total, quota, listing.get("max_tasks"), hint)


class TaskRun:
    """One module run about one named task; gathers ``changed``, ``task_id``, ``task`` and ``diff`` in
    ``module.result`` as it goes, so that a failure still reports them.

    ``task_result`` turns a task as the service shows it into the task modules return; ``id_field``
    is the name of the id in it (``task_id`` for dumping tasks, ``id`` for Smart Connect tasks);
    ``kind`` names the task in messages. ``params`` and ``result`` are the module's unless a module
    that runs several tasks gives each its own.
    """

    def __init__(self, module, api, task_result, id_field, kind, params=None, result=None):
        self.module = module
        self.api = api
        self.params = module.params if params is None else params
        self.name = self.params["task_name"]
        self.result = module.result if result is None else result
        self.result.update(changed=False, task_id=None, task=None, action="unchanged")
        self._task_result = task_result
        self._id_field = id_field
        self._kind = kind

    @property
    def action(self):
        """What the run did (or in check mode would do): ``created``, ``replaced``, ``deleted``, ``changed`` (a Smart
        Connect task's run state) or ``unchanged``; kept in the result, so that a failure reports it too."""
        return self.result["action"]

    @action.setter
    def action(self, value):
        self.result["action"] = value

    def settled_action(self):
        """The action as the result reports it: a call that was refused, or lost a race, is no change of this run's."""
        if not self.result["changed"]:
            self.action = "unchanged"
        return self.action

    def _replacing(self, task_id, consumer_strategy):
        """Say what the replacement of the task with ``task_id`` costs, in check mode too, and show it in the diff."""
        self.action = "replaced"
        self.module.warn(
            "%s %r (id %s) is replaced: deleted and created again, with a new id. It starts again from "
            "consumer_strategy %s: %s" % (self._kind, self.name, task_id, consumer_strategy or "latest",
                                          REPLACEMENT_COSTS[consumer_strategy or "latest"]))
        if "diff" in self.result:
            self.result["diff"]["before"]["task_id"] = task_id
            self.result["diff"]["after"]["task_id"] = NEW_TASK

    def _record(self, task, changed=None):
        self.result["task"] = self._task_result(task) if task else None
        self.result["task_id"] = task.get(self._id_field) if task else None
        if changed is not None:
            self.result["changed"] = changed

    def _diff(self, before, after):
        if self.module.diff_mode:
            named_settings = [dict(settings, task_name=self.name) if settings else {} for settings in (before, after)]
            self.result["diff"] = dict(before=named_settings[0], after=named_settings[1])

    def _fail_differences(self, differences, reason):
        """Fail naming every ``(option, task has, wanted)`` difference, returned as ``differences`` too.

        The advice to set ``recreate: on_change`` is given only where it would replace the task.
        """
        self.result["differences"] = [dict(option=name, task=have, wanted=want) for name, have, want in differences]
        advice = " Set recreate: on_change to replace it." if (
            self.params["recreate"] == "never" and reason != JUST_CREATED) else ""
        raise TaskError("%s %r exists with other settings and %s: %s.%s" % (
            self._kind, self.name, reason, "; ".join("%s: task has %r, wanted %r" % item for item in differences),
            advice))
