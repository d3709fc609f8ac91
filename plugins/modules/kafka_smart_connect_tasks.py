#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kafka_smart_connect_tasks
short_description: Manage the Smart Connect tasks of a DMS for Kafka instance as one declared set
version_added: 1.3.0
description:
  - Brings every task that O(tasks) names to what its entry says, as M(hwcloud.dms.kafka_smart_connect_task) does for
    one task (the same run, not a copy of it), with one list request for all of them. A rerun that changes nothing
    is that one request.
  - With O(purge=true), also deletes the instance's Smart Connect tasks that O(tasks) does not name; never otherwise.
    With an empty O(tasks) (as C("{{ x | default([]) }}") gives when C(x) is not set) that would delete every task
    of the instance, so it refuses unless O(force=true).
  - B(A plan first.) From the one listing the module computes the whole plan (creates, replacements, deletes,
    run-state calls) and checks it whole before the first change, in check mode too - every input rule, the task
    quota for the whole set (its own deletes counted first), and O(tasks[].validate) of every entry that asks
    for it. A set that does not fit, or an entry that fails validation, fails the run before any change, naming
    the entries. Check mode reports that plan, and it is what the real run does.
  - B(Every entry tried.) An entry the service refuses does not stop the others; the run fails at the end, naming
    each failed entry and why. Deletes come before creates, so that they free quota first. Each create happens
    exactly once, as in M(hwcloud.dms.kafka_smart_connect_task).
  - B(Waited for together.) The creates and run-state calls are sent first; then one poll of the instance's task
    list serves every task the set waits for, so eight tasks that each take minutes to come up take about as long
    as one. Each keeps its own O(wait_timeout).
author:
  - hwcloud.dms developers (@hwcloud-ansible)
extends_documentation_fragment:
  - hwcloud.dms.dms
  - hwcloud.dms.attributes
  - hwcloud.dms.smart_connect_task.tasks
attributes:
  diff_mode:
    details: The diff shows each task's compared settings and status, by task name, never a secret.
options:
  instance_id:
    description:
      - Id of the Kafka instance the tasks run on (with Smart Connect on, see M(hwcloud.dms.kafka_smart_connect)).
    type: str
    required: true
  tasks:
    description:
      - The tasks, each with its O(tasks[].task_name) and the suboptions below, which mean what the options of the
        same names of M(hwcloud.dms.kafka_smart_connect_task) mean. An entry takes no C(task_id) (a set names its
        tasks) and none of the options set here for all of them (O(recreate), O(wait), O(wait_timeout), the
        credentials and the endpoint).
    type: list
    elements: dict
    required: true
  purge:
    description:
      - Delete the instance's Smart Connect tasks that O(tasks) does not name. B(Their settings, keys and progress
        are lost); the diff shows each one's settings.
    type: bool
    default: false
  force:
    description:
      - With O(purge=true) and an O(tasks) list that names no task, delete every Smart Connect task of the instance
        all the same; without it that refuses, before any change, naming the tasks.
    type: bool
    default: false
    version_added: 1.5.0
  recreate:
    description:
      - As O(hwcloud.dms.kafka_smart_connect_task#module:recreate), for every task.
    type: str
    choices: [never, on_change, always]
    default: never
  wait:
    description:
      - As O(hwcloud.dms.kafka_smart_connect_task#module:wait), for every task.
      - Where the set's creates fit the task quota only once its own deletes are done, each of those deletes is waited
        for before the creates, also with O(wait=false), as the service may finish a delete in the background and the
        task holds its place in the quota until then.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for each task. Not set, 1800 for a create and 1200 for an action or a delete.
    type: int
seealso:
  - module: hwcloud.dms.kafka_smart_connect_task
  - module: hwcloud.dms.kafka_smart_connect
"""

EXAMPLES = r"""
- name: The instance's Smart Connect tasks, and no others
  hwcloud.dms.kafka_smart_connect_tasks:
    region: cn-north-4
    instance_id: 5c6a1d2e-0000-4000-8000-000000000001
    purge: true
    tasks:
      - task_name: orders-to-obs
        state: running
        topics: [orders, refunds]
        sink_task:
          consumer_strategy: earliest
          agency_name: dms-obs-writer
          obs_bucket_name: kafka-archive
          obs_path: orders
          partition_format: yyyy/MM/dd/HH
          deliver_time_interval: 300
      - task_name: audit-to-obs
        state: paused
        topics_regex: "audit-.*"
        sink_task:
          agency_name: dms-obs-writer
          obs_bucket_name: kafka-archive
          obs_path: audit
          partition_format: yyyy/MM/dd
          deliver_time_interval: 900
  register: pipelines

- name: Say what changed
  ansible.builtin.debug:
    msg: "{{ pipelines.tasks | map(attribute='task_name') | zip(pipelines.tasks | map(attribute='action')) | list }}"
"""

RETURN = r"""
tasks:
  description:
    - What the run did to each task, the entries of O(tasks) in their order, then the tasks the purge deleted.
  returned: always
  type: list
  elements: dict
  contains:
    task_name:
      description: Name of the task.
      type: str
      returned: always
    task_id:
      description: Id of the task; for a delete, of the task deleted; V(null) for a create in check mode.
      type: str
      returned: always
    action:
      description:
        - V(created), V(replaced), V(deleted), V(changed) (its run state, by start, pause, resume or restart),
          V(unchanged), or V(failed) (then RV(tasks[].msg) says why, and RV(tasks[].changed) whether something
          changed before it failed, as a replacement whose delete went through and whose create failed).
      type: str
      returned: always
      sample: created
    changed:
      description: Whether this task changed.
      type: bool
      returned: always
    msg:
      description: Why the entry failed.
      type: str
      returned: when RV(tasks[].action=failed)
      version_added: 1.5.0
    task:
      description: The task as M(hwcloud.dms.kafka_smart_connect_task) returns it, never a secret.
      type: dict
      returned: always
  sample:
    - {task_name: orders-to-obs, task_id: 6f1b7e9a-3c2d-4b8e-9f10-2a3b4c5d6e7f, action: unchanged, changed: false}
diff:
  description:
    - Each task's compared settings and status before and after, keyed by task name, in diff mode; a deleted task
      shows every setting that is lost. Also in a failed run, for every entry that changed.
  returned: in diff mode
  type: dict
error:
  description: The service's error, when the module failed on one; the message names the operation first.
  returned: on an API failure
  type: dict
"""

from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import DmsModule
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsError, NoConnectorError, TaskError
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task import (
    SINK_TASK_SPEC,
    SOURCE_TASK_SPEC,
    SmartConnectTaskApi,
    smart_connect_off,
    task_body,
    task_result,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task_run import (
    DEFAULT_TIMEOUTS,
    SmartConnectTaskRun,
    check_mode_off_warning,
    shared_problems,
    task_run_problems,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.task_run import QUOTA_FIELDS

# The most entries a quota failure names.
QUOTA_NAMES_SHOWN = 10
ENTRY_SPEC = dict(
    task_name=dict(type="str", required=True, aliases=["name"]),
    state=dict(type="str", choices=["present", "running", "paused", "restarted", "absent"], default="present"),
    topics=dict(type="list", elements="str"),
    topics_regex=dict(type="str"),
    start_later=dict(type="bool", default=False),
    sink_task=dict(type="dict", options=SINK_TASK_SPEC),
    source_task=dict(type="dict", options=SOURCE_TASK_SPEC),
    validate=dict(type="bool", default=False),
)


def entry_params(params, entry):
    """One entry's options as ``kafka_smart_connect_task`` takes them: the shared ones, then the entry's."""
    return dict(params, task_id=None, **entry)


def input_problems(params):
    """Every rule the argument spec cannot express, for every entry, checked before any request."""
    problems = shared_problems(params)
    names = [entry["task_name"] for entry in params["tasks"]]
    problems.extend("tasks names %r more than once." % name for name in sorted(set(names)) if names.count(name) > 1)
    for index, entry in enumerate(params["tasks"]):
        problems.extend(task_run_problems(entry_params(params, entry), "tasks[%s] (%s): " % (index, entry["task_name"])))
    return problems


class PlanningModule:
    """The module as the planning pass of a real run sees it: check mode, and warnings kept apart (the run that
    follows gives them)."""

    def __init__(self, module):
        self.params = module.params
        self.check_mode = True
        self.diff_mode = False
        self.result = {}
        self.warnings = []

    def warn(self, message):
        self.warnings.append(message)


def entry_label(index, entry):
    return "tasks[%s] (%s)" % (index, entry["task_name"])


def listed_tasks(listing, purge, entries):
    """The entries, then one ``absent`` entry for each task of the instance that the purge deletes."""
    named_here = set(entry["task_name"] for entry in entries)
    return entries + [dict(task_name=task.get("task_name"), state="absent") for task in listing["tasks"]
                      if purge and task.get("task_name") not in named_here]


def purge_problem(params, entries):
    """Why the purge must not run: ``tasks`` names no task, and it would delete every task of the instance."""
    purged = entries[len(params["tasks"]):]
    if params["tasks"] or not purged or params["force"]:
        return None
    return ("purge: true with a tasks list that names no task would delete every Smart Connect task of Kafka "
            "instance %s: %s. An empty list is more often a variable that was not set than a wish; set force: true "
            "to delete them all." % (params["instance_id"], ", ".join(repr(entry["task_name"]) for entry in purged)))


def quota_problem_of_set(listing, entries, actions):
    """Why the whole set cannot fit the instance's quota (its own deletes counted first), or ``None``."""
    total, quota = listing.get("total_number"), listing.get("quota_tasks")
    creates = [index for index, action in enumerate(actions) if action == "created"]
    deletes = actions.count("deleted")
    if not isinstance(total, int) or not isinstance(quota, int) or total - deletes + len(creates) <= quota:
        return None
    room = max(quota - total + deletes, 0)
    left_out = [entry_label(index, entries[index]) for index in creates[room:]]
    shown = ", ".join(left_out[:QUOTA_NAMES_SHOWN]) + (
        ", and %s more" % (len(left_out) - QUOTA_NAMES_SHOWN) if len(left_out) > QUOTA_NAMES_SHOWN else "")
    return ("the set does not fit the task quota: it creates %s task(s) and the instance has room for %s "
            "(quota_tasks %s, %s tasks, %s deleted by this set). %s entr%s not fit: %s. Nothing was changed. "
            "Delete tasks, ask for a higher quota, or split the set." % (
                len(creates), room, quota, total, deletes, len(left_out), "y does" if len(left_out) == 1 else "ies do",
                shown))


def run_entries(module, api, params, entries, listing, order, runs=None, free_room_first=False):
    """Run every entry (``order``: deletes first, as they free quota), each on its own: a failure is that entry's.
    ``(outcomes, failures)``; ``failures`` maps an entry's index to its error, ``runs`` (when given) each index to
    its run. With ``free_room_first`` (the creates need the room the deletes free) each delete waits until its
    task is gone, also without ``wait``: the service may finish a delete in the background, and the task holds
    its place in the quota until then."""
    outcomes = [dict(task_name=entry["task_name"], changed=False, task_id=None, task=None, action="unchanged")
                for entry in entries]
    runs = {} if runs is None else runs
    failures = {}
    for index in order:
        entry, outcome = entries[index], outcomes[index]
        gone_first = free_room_first and entry["state"] == "absent"
        # Validated in the plan already; the set's quota too.
        task_run = SmartConnectTaskRun(module, api, result=outcome, listing=listing, params=dict(
            entry_params(params, entry), validate=False, **(dict(wait=True) if gone_first else {})))
        if not module.check_mode and not gone_first:
            # Waited for together: the last wait of each run (with wait), and the wait of a create to be paused.
            task_run.deferred = []
        runs[index] = task_run
        try:
            task_run.absent() if entry["state"] == "absent" else task_run.present()
        except DmsError as error:
            failures[index] = error
            if getattr(error, "maybe_changed", False):
                outcome["changed"] = True
        task_run.settled_action()
    return outcomes, failures


def run(module):
    params = module.params
    api = SmartConnectTaskApi(module.api_client(), module.project_id, params["instance_id"],
                              attempts=params["retries"] + 1)
    module.result.update(changed=False, tasks=[])
    try:
        # An instance still enabling Smart Connect is waited for, as the single module does.
        listing = api.list_or_off(None if module.check_mode else params["wait_timeout"] or DEFAULT_TIMEOUTS["create"])
    except NoConnectorError as error:
        off = smart_connect_off(error.instance_id, error.status)
        if module.check_mode:
            module.warn(check_mode_off_warning(off, "the tasks as a run would make them"))
        elif all(entry["state"] == "absent" for entry in params["tasks"]):
            module.warn("%s, so it has no Smart Connect tasks to delete." % off)
        else:
            raise
        listing = dict(tasks=[])
    entries = listed_tasks(listing, params["purge"], params["tasks"])
    problem = purge_problem(params, entries)
    if problem:
        raise TaskError(problem)
    # The set's quota is checked whole, so no entry checks it on its own.
    entry_listing = dict((key, value) for key, value in listing.items() if key not in QUOTA_FIELDS)
    order = sorted(range(len(entries)), key=lambda index: entries[index]["state"] != "absent")

    # The plan: every entry as check mode decides it, then the set's quota and each validate, before any change.
    planner = module if module.check_mode else PlanningModule(module)
    planned, planning_failures = run_entries(planner, api, params, entries, entry_listing, order)
    actions = [outcome["action"] if outcome["changed"] else "unchanged" for outcome in planned]
    problem = quota_problem_of_set(listing, entries, actions)
    if problem:
        raise TaskError(problem)
    for index in order:
        if entries[index].get("validate") and actions[index] in ("created", "replaced"):
            api.validate(task_body(entry_params(params, entries[index])), module.warn)

    if module.check_mode:
        outcomes, failures = planned, planning_failures
    else:
        runs = {}
        # Would the creates fit without the room the deletes free? Else each delete is waited for before them.
        without_deletes = ["unchanged" if action == "deleted" else action for action in actions]
        outcomes, failures = run_entries(module, api, params, entries, entry_listing, order, runs,
                                         free_room_first=quota_problem_of_set(listing, entries, without_deletes) is not None)
        # Waited for together: one list request a poll for every task the set waits for.
        waits = dict((id(wait), index) for index, task_run in runs.items() for wait in task_run.deferred or [])

        def on_done(wait, shown, error):
            index = waits[id(wait)]
            more = settle(runs[index], wait, shown, error, failures, index)
            waits.update((id(further), index) for further in more)
            return more

        api.wait_together([wait for task_run in runs.values() for wait in task_run.deferred or []], on_done)
    report(module, entries, outcomes, failures)


class WaitFailed(DmsError):
    """An entry's change was made, and its wait failed afterwards: the change is kept in the outcome."""

    def __init__(self, action, cause):
        super(WaitFailed, self).__init__("%s, but its wait failed: %s" % (action, cause))
        self.cause = cause

    def as_dict(self):
        return self.cause.as_dict()


def settle(task_run, wait, shown, error, failures, index):
    """What the shared wait saw of one entry's task; the waits that follow (a pause once the task runs)."""
    if error is not None:
        failures[index] = WaitFailed(task_run.action, error)
        shown = getattr(error, "task", None)
    if shown is not None:
        task_run.result.update(task=task_result(shown), task_id=shown.get("id"))
    if error is not None or wait.then is None:
        return []
    already = len(task_run.deferred)
    try:
        wait.then(shown)
    except DmsError as failure:
        failures[index] = failure
        if getattr(failure, "maybe_changed", False):
            task_run.result["changed"] = True
    return task_run.deferred[already:]


def report(module, entries, outcomes, failures):
    """The result: every entry's outcome, the diff of every entry that changed, and a failure naming each failed
    entry, after every entry was tried."""
    diff = dict(before={}, after={})
    for index, outcome in enumerate(outcomes):
        task_diff = outcome.pop("diff", None)
        if task_diff is not None:
            diff["before"][entries[index]["task_name"]] = task_diff["before"]
            diff["after"][entries[index]["task_name"]] = task_diff["after"]
        if index in failures:
            outcome.update(action="failed", msg=str(failures[index]))
    module.result.update(tasks=outcomes, changed=any(outcome["changed"] for outcome in outcomes))
    if module.diff_mode:
        module.result["diff"] = diff
    if failures:
        raise TaskError("%s of the set's %s entries failed (the others were tried): %s" % (
            len(failures), len(entries), "; ".join("%s: %s" % (entry_label(index, entries[index]), failures[index])
                                                   for index in sorted(failures))))


def main():
    module = DmsModule(
        argument_spec=dict(
            instance_id=dict(type="str", required=True),
            tasks=dict(type="list", elements="dict", required=True, options=ENTRY_SPEC),
            purge=dict(type="bool", default=False),
            force=dict(type="bool", default=False),
            recreate=dict(type="str", choices=["never", "on_change", "always"], default="never"),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int"),
        ),
        supports_check_mode=True,
    )
    module.run(run, input_problems)


if __name__ == "__main__":
    main()
