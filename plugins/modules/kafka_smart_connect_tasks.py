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
  - Deletes (entries with C(state=absent), and the purge) come before creates, so that they free quota first.
  - Each create happens exactly once, as in M(hwcloud.dms.kafka_smart_connect_task). The entries are run in turn and
    the first failure stops the run; C(tasks) in the result says what was done until then.
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
        are lost.)
    type: bool
    default: false
  recreate:
    description:
      - As O(hwcloud.dms.kafka_smart_connect_task#module:recreate), for every task.
    type: str
    choices: [never, on_change, always]
    default: never
  wait:
    description:
      - As O(hwcloud.dms.kafka_smart_connect_task#module:wait), for every task.
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
          or V(unchanged).
      type: str
      returned: always
      sample: created
    changed:
      description: Whether this task changed.
      type: bool
      returned: always
    task:
      description: The task as M(hwcloud.dms.kafka_smart_connect_task) returns it, never a secret.
      type: dict
      returned: always
  sample:
    - {task_name: orders-to-obs, task_id: 6f1b7e9a-3c2d-4b8e-9f10-2a3b4c5d6e7f, action: unchanged, changed: false}
diff:
  description: Each task's compared settings and status before and after, keyed by task name, in diff mode.
  returned: in diff mode
  type: dict
error:
  description: The service's error, when the module failed on one; the message names the operation first.
  returned: on an API failure
  type: dict
"""

from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import DmsModule
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import NoConnectorError
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task import (
    SINK_TASK_SPEC,
    SOURCE_TASK_SPEC,
    SmartConnectTaskApi,
    smart_connect_off,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task_run import (
    DEFAULT_TIMEOUTS,
    SmartConnectTaskRun,
    check_mode_off_warning,
    shared_problems,
    task_run_problems,
)

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
    named = set(entry["task_name"] for entry in params["tasks"])
    purged = [dict(task_name=task.get("task_name"), state="absent") for task in listing["tasks"]
              if params["purge"] and task.get("task_name") not in named]
    reported = params["tasks"] + purged
    outcomes = [dict(task_name=entry["task_name"], changed=False, task_id=None, task=None, action="unchanged")
                for entry in reported]
    # Reported in the order given, as far as done, also when an entry fails.
    module.result["tasks"] = outcomes
    diff = dict(before={}, after={})
    # Deletes first: they free quota for the creates.
    for index in sorted(range(len(reported)), key=lambda index: reported[index]["state"] != "absent"):
        entry, outcome = reported[index], outcomes[index]
        task_run = SmartConnectTaskRun(module, api, params=entry_params(params, entry), result=outcome,
                                       listing=listing)
        task_run.absent() if entry["state"] == "absent" else task_run.present()
        # A refused or lost-race call leaves changed false: what the run did is then no change of this run's.
        outcome["action"] = task_run.action if outcome["changed"] else "unchanged"
        task_diff = outcome.pop("diff", None)
        if task_diff is not None:
            diff["before"][entry["task_name"]], diff["after"][entry["task_name"]] = task_diff["before"], task_diff["after"]
        module.result["changed"] = module.result["changed"] or outcome["changed"]
        # The one listing stands for the instance: its count follows the creates and deletes (the quota check).
        if isinstance(listing.get("total_number"), int):
            listing["total_number"] += {"created": 1, "deleted": -1}.get(outcome["action"], 0)
    if module.diff_mode:
        module.result["diff"] = diff


def main():
    module = DmsModule(
        argument_spec=dict(
            instance_id=dict(type="str", required=True),
            tasks=dict(type="list", elements="dict", required=True, options=ENTRY_SPEC),
            purge=dict(type="bool", default=False),
            recreate=dict(type="str", choices=["never", "on_change", "always"], default="never"),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int"),
        ),
        supports_check_mode=True,
    )
    module.run(run, input_problems)


if __name__ == "__main__":
    main()
