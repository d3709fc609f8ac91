# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One run of one Smart Connect task: find it, converge its settings, then its run state.

The run of ``kafka_smart_connect_task``, and of each task of ``kafka_smart_connect_tasks``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import resource_id_problem, wait_timeout_problem
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsError, NoConnectorError, ReplaceError, TaskError
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task import (
    ACTION_TARGETS,
    RUN_STATUSES,
    TaskWait,
    ambiguous_doubles,
    current_settings,
    is_broken,
    shown_settings,
    side_of,
    smart_connect_off,
    task_body,
    task_problems,
    task_result,
    wanted_settings,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.task_run import (
    JUST_CREATED,
    TaskRun,
    named,
    quota_problem,
    settings_differences,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.waiting import BEING_DELETED, RUNNING, is_transitional

# Terraform's default timeouts: 30 minutes for a create, 20 for an action (and here for a delete).
DEFAULT_TIMEOUTS = dict(create=1800, action=1200)
# state -> the call that brings a task there, by the status it is in.
RUN_STATE_CALLS = dict(
    running={"WAITING": "start", "PAUSED": "resume"},
    paused={"RUNNING": "pause"},
    restarted={"WAITING": "restart", "PAUSED": "restart", RUNNING: "restart"},
)
# The options that make up a task's settings.
SETTINGS_OPTIONS = ("topics", "topics_regex", "sink_task", "source_task")
QUOTA_HINT = "Delete a Smart Connect task of the instance, or ask for a higher quota (the DMS console shows it), " \
             "then run again."


def check_mode_off_warning(off, what):
    """Check mode's warning for an instance without Smart Connect: ``what`` it reports, and that a run fails."""
    if " yet" not in off:
        off += " yet"
    return "%s: check mode reports %s once hwcloud.dms.kafka_smart_connect has enabled it; a run before that " \
           "fails." % (off, what)


def shared_problems(params):
    """The rules of the options every Smart Connect task module has: the instance and the wait."""
    return [problem for problem in (resource_id_problem("instance_id", params["instance_id"]),
                                    wait_timeout_problem(params["wait_timeout"])) if problem]


def settings_given(params):
    """Whether the options give the task's settings (a task given by ``task_id`` alone may leave them out)."""
    return any(params[name] is not None for name in SETTINGS_OPTIONS)


def task_run_problems(params, prefix=""):
    """The rules of one task's options (``prefix`` names where they are, for a module of several tasks).

    Settings are checked for every state that creates or acts; a task given by ``task_id`` alone for a
    state other than present is acted on as it is, so its settings may be left out.
    """
    problems = []
    if params["task_name"] is not None and not params["task_name"].strip():
        problems.append("task_name must not be empty.")
    if params.get("task_id") is not None:
        problems.extend(problem for problem in [resource_id_problem("task_id", params["task_id"])] if problem)
    if params["state"] == "present" and params["task_name"] is None:
        problems.append("state present needs task_name: a task is created, and found, by its name.")
    if params["state"] != "absent" and (settings_given(params) or params.get("task_id") is None):
        problems.extend(task_problems(params))
    return [prefix + problem for problem in problems]


class SmartConnectTaskRun(TaskRun):
    """One run of one task: find it, converge its settings, then its run state (``action``: what it did)."""

    def __init__(self, module, api, params=None, result=None, listing=None):
        super(SmartConnectTaskRun, self).__init__(module, api, task_result, "id", "Smart Connect task",
                                                  params=params, result=result)
        self.state = self.params["state"]
        self.task_id = self.params.get("task_id")
        # A module of several tasks lists the instance's tasks once for all of them, and may wait for them
        # together: then the last wait of this run goes to this list instead of being waited for here.
        self._given_listing = listing
        self.deferred = None

    def _timeout(self, kind):
        return self.params["wait_timeout"] or DEFAULT_TIMEOUTS[kind]

    def _label(self):
        """The task as messages name it: by name, or by id when it was given by id alone."""
        return repr(self.name) if self.name is not None else "with id %s" % self.task_id

    def _listing(self):
        """Every task of the instance (waiting for an instance that is enabling Smart Connect, except in check
        mode); with Smart Connect off, none (and a warning) where that is no failure."""
        if self._given_listing is not None:
            return self._given_listing
        try:
            return self.api.list_or_off(None if self.module.check_mode else self._timeout("create"))
        except NoConnectorError as error:
            off = smart_connect_off(error.instance_id, error.status)
            if self.state == "absent":
                self.module.warn("%s, so it has no Smart Connect task %s to delete." % (off, self._label()))
            elif self.module.check_mode:
                self.module.warn(check_mode_off_warning(off, "the create a run would make"))
            else:
                raise
            return dict(tasks=[])

    def _goal(self, old_status=None):
        """The status a task created by this run ends in: what the state asks for, else what the task it
        replaces had (``PAUSED`` and ``WAITING`` are kept), else ``WAITING`` with start_later."""
        if self.state in ("running", "restarted"):
            return RUNNING
        if self.state == "paused":
            return "PAUSED"
        if old_status in ("PAUSED", "WAITING"):
            return old_status
        return "WAITING" if self.params["start_later"] else RUNNING

    def _wait(self, task, targets, kind, pending=(), last=False):
        """``api.wait``, recording the task as last read, also when the wait fails. The ``last`` wait of a run
        is handed to ``deferred`` where a module of several tasks waits for them together."""
        if last and self.deferred is not None:
            self.deferred.append(TaskWait(task, targets, self._timeout(kind), pending))
            return None
        try:
            shown = self.api.wait(task, targets, self._timeout(kind), pending)
        except TaskError as error:
            if error.task is not None:
                self._record(error.task)
            raise
        if shown is not None:
            self._record(shown)
        return shown

    def _find(self, listing):
        """The task of ``task_id`` (which must agree with ``task_name`` when both are given), else of ``task_name``.

        The two never silently disagree: an unknown id beside a name that a task has fails for every state,
        and a failure carries the task that was found.
        """
        if self.task_id is None:
            return named(listing, self.name)
        task = named(listing, self.task_id, field="id")
        if task is None:
            by_name = named(listing, self.name) if self.name is not None else None
            if by_name is not None:
                self._record(by_name)
                raise TaskError("No Smart Connect task of Kafka instance %s has task_id %s, but task %r has id %s: "
                                "task_id and task_name name different tasks." % (
                                    self.api.instance_id, self.task_id, self.name, by_name.get("id")))
            if self.state == "absent":
                return None
            raise TaskError("No Smart Connect task of Kafka instance %s has task_id %s." % (
                self.api.instance_id, self.task_id))
        if self.name is not None and task.get("task_name") != self.name:
            self._record(task)
            raise TaskError("Smart Connect task %s is named %r, not %r: task_id and task_name name different tasks."
                            % (self.task_id, task.get("task_name"), self.name))
        self.name = task.get("task_name")
        return task

    def absent(self):
        task = self._find(self._listing())
        # The diff says what the delete loses: the task's settings, not only its status.
        self._diff(dict(shown_settings(task), status=task["status"]) if task else {}, {})
        if task is None:
            return
        if task.get("status") == BEING_DELETED:
            # A delete under way already (an earlier run's): nothing to send, no change of this run's.
            self._record(task)
            if self.params["wait"] and not self.module.check_mode:
                self._wait(task, (), "action", last=True)
            return
        self._record(task, changed=True)
        self.action = "deleted"
        if self.module.check_mode:
            return
        self.result["changed"] = self.api.delete(task)
        if self.params["wait"]:
            self._wait(task, (), "action", last=True)

    def present(self):
        listing = self._listing()
        task = self._find(listing)
        given = settings_given(self.params)
        if task is not None and given and task.get("status") == BEING_DELETED:
            # On its way out (an earlier delete): not the task wanted, which is created once the name is free.
            if not self.module.check_mode:
                self.api.wait(task, (), self._timeout("action"))
            task = None
        wanted = wanted_settings(self.params) if given else {}
        if task is None:
            problem = quota_problem(listing, QUOTA_HINT)
            if problem:
                raise TaskError(problem, operation="create Smart Connect task %r" % self.name)
            goal = self._goal()
            self._diff({}, dict(wanted, status=goal))
            self._bring(self._create(goal), goal)
            return
        status = task.get("status")
        current = current_settings(task, wanted)
        differences = settings_differences(wanted, current)
        for note in ambiguous_doubles(task, wanted):
            self.module.warn(note)
        recreate = self.params["recreate"]
        # Without settings (a task given by task_id alone) there is nothing to create it again from.
        replace = given and (recreate == "always" or (recreate == "on_change" and (differences or is_broken(status))))
        goal = self._goal(status) if replace or self.state != "present" else status
        self._diff(dict(current, status=status), dict(wanted, status=goal))
        self._record(task)
        if replace:
            self._replacing(task["id"], self.params[side_of(self.params)].get("consumer_strategy"))
            if is_broken(status) and not differences and recreate == "on_change":
                self.module.warn("Smart Connect task %r (id %s) is in status %s: replaced, as recreate is on_change."
                                 % (self.name, task["id"], status))
            self._bring(self._replace(task, goal), goal)
        elif differences:
            self._fail_differences(differences, "recreate is 'never' (the module changes no task in place)")
        else:
            self._converge_run_state(task)

    def _create(self, goal):
        """Create the task (in check mode, plan it); the task as created, ``None`` in check mode."""
        body = task_body(self.params, start_later=goal == "WAITING")
        if self.params["validate"]:
            self.api.validate(body, self.module.warn)
        if self.module.check_mode:
            self._record(dict(body, id=None, status=goal), changed=True)
            self._did("created")
            return None
        created, created_here = self.api.create_once(body)
        self._record(created, changed=created_here or self.result["changed"])
        if created_here:
            self._did("created")
        else:
            # Another run created it first: fine if it is the task wanted, never replaced (runs would take turns).
            wanted = wanted_settings(self.params)
            differences = settings_differences(wanted, current_settings(created, wanted))
            if differences:
                self._fail_differences(differences, JUST_CREATED)
        return created

    def _replace(self, task, goal):
        """Delete ``task`` and create it again; the new task, ``None`` in check mode."""
        if self.module.check_mode:
            self._record(dict(task_body(self.params, start_later=goal == "WAITING"), id=task["id"], status=goal),
                         changed=True)
            return None
        self.api.delete(task)
        self.result.update(changed=True, task=None)
        try:
            # The name must be free before the create: the list decides when the old task is gone.
            self.api.wait(task, (), self._timeout("action"))
            return self._create(goal)
        except DmsError as error:
            raise ReplaceError("Smart Connect task %r (id %s)" % (self.name, task["id"]), error)

    def _bring(self, task, goal):
        """Bring a task this run created to ``goal``: a paused one is paused once it runs (where the run waits for
        its tasks together, that wait is theirs, also without wait, so every create is sent before any pause)."""
        if task is None:
            return
        if goal == "PAUSED":
            # Pausing needs RUNNING: waited for whatever wait says. The goal ends the wait too: another run may have
            # paused it first, and then there is nothing left to do.
            wait = TaskWait(task, (RUNNING, goal), self._timeout("create"), then=self._pause_once_running)
            if self.deferred is not None:
                self.deferred.append(wait)
                return
            self._pause_once_running(self._wait(task, wait.targets, "create"))
        elif self.params["wait"]:
            self._wait(task, (goal,), "create", last=True)

    def _pause_once_running(self, shown):
        """Pause a task this run created, once a read shows it RUNNING (not when it shows it PAUSED already)."""
        if shown.get("status") != "PAUSED":
            self._act(shown, "pause")

    def _converge_run_state(self, task):
        """Call start, resume, pause or restart as the state asks, from the status the task is in."""
        status = task.get("status")
        if self.state == "present":
            if is_broken(status):
                self.module.warn("Smart Connect task %r (id %s) is in status %s." % (self.name, task["id"], status))
            return
        if is_transitional(status):
            # CREATING and RESTARTING end in RUNNING; only then does the state's call apply.
            if self.module.check_mode:
                status = RUNNING
            else:
                status = self._wait(task, RUN_STATUSES, "create").get("status")
        action = RUN_STATE_CALLS[self.state].get(status)
        if action is not None:
            self._act(dict(task, status=status), action)
        elif self.state == "paused" and status == "WAITING":
            self.module.warn("Smart Connect task %r (id %s) is WAITING: it was never started, so it dumps nothing, "
                             "and it cannot be paused." % (self.name, task["id"]))
        elif status not in RUN_STATUSES or self.state == "restarted":
            raise TaskError("Smart Connect task %r (id %s) is in status %s: it cannot be %s from there. See the DMS "
                            "console for its cause, or replace it with recreate: on_change."
                            % (self.name, task["id"], status, self.state), task_result(task))

    def _did(self, action):
        """Note ``action`` unless the run already did more (a replacement creates, and may pause, too)."""
        if self.action == "unchanged":
            self.action = action

    def _act(self, task, action):
        """Send ``action`` and, with wait, wait until the task is where it brings it."""
        target = ACTION_TARGETS[action]
        self._did("changed")
        if self.module.check_mode:
            self._record(dict(task, status=target), changed=True)
            return
        accepted, seen = self.api.act(task, action)
        if not seen:
            self.module.warn("The answer to the %s of Smart Connect task %r (id %s) was lost, and a %s of a %s task "
                             "cannot be seen in its status: it was not sent again, and its effect could not be "
                             "confirmed." % (action, self.name, task["id"], action, task.get("status")))
        self.result["changed"] = self.result["changed"] or accepted
        if self.params["wait"]:
            self._wait(task, (target,), "action", pending=(task.get("status"),), last=True)
