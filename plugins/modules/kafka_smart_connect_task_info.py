#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kafka_smart_connect_task_info
short_description: List the Smart Connect tasks of a DMS for Kafka instance, or show one
version_added: 1.2.0
description:
  - Lists every Smart Connect task of an instance (all pages) with the instance's task quota, or shows one task found
    by name or id. Never changes anything.
author:
  - hwcloud.dms developers (@hwcloud-ansible)
extends_documentation_fragment:
  - hwcloud.dms.dms
  - hwcloud.dms.attributes.info_module
options:
  instance_id:
    description:
      - Id of the Kafka instance.
    type: str
    required: true
  task_name:
    description:
      - Only the task of this name; a name that does not exist returns an empty RV(tasks).
      - Mutually exclusive with O(task_id).
    type: str
    aliases: [name]
  task_id:
    description:
      - Only the task of this id, read directly; an id that does not exist returns an empty RV(tasks).
    type: str
seealso:
  - module: hwcloud.dms.kafka_smart_connect_task
"""

EXAMPLES = r"""
- name: List the Smart Connect tasks of an instance and its quota
  hwcloud.dms.kafka_smart_connect_task_info:
    region: cn-north-4
    instance_id: 5c6a1d2e-0000-4000-8000-000000000001
  register: smart_connect_tasks

- name: Print each task's status
  ansible.builtin.debug:
    msg: "{{ item.task_name }}: {{ item.status }}"
  loop: "{{ smart_connect_tasks.tasks }}"
  loop_control:
    label: "{{ item.task_name }}"
"""

RETURN = r"""
tasks:
  description:
    - The tasks, as the service shows them, with C(id) also as C(task_id) and without secrets
      (as RV(hwcloud.dms.kafka_smart_connect_task#module:task)).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 6f1b7e9a-3c2d-4b8e-9f10-2a3b4c5d6e7f
      task_id: 6f1b7e9a-3c2d-4b8e-9f10-2a3b4c5d6e7f
      task_name: orders-to-obs
      topics: orders,refunds
      sink_type: OBS_SINK
      status: RUNNING
quota:
  description: The instance's Smart Connect task figures, from the task list.
  returned: when the task list was read (not with O(task_id))
  type: dict
  contains:
    total_number:
      description: Tasks on the instance.
      type: int
      returned: always
    max_tasks:
      description:
        - Tasks that can still be created, as the reference's example reads (1 task, C(max_tasks) 9,
          C(quota_tasks) 10); the SDK calls it the maximum task count.
      type: int
      returned: always
    quota_tasks:
      description: Tasks the instance may have in all.
      type: int
      returned: always
"""

from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import DmsModule, resource_id_problem
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import NoConnectorError
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task import (
    SmartConnectTaskApi,
    smart_connect_off,
    task_result,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.task_run import QUOTA_FIELDS


def input_problems(params):
    return [problem for problem in (resource_id_problem(option, params[option]) for option in ("instance_id", "task_id"))
            if problem]


def run(module):
    params = module.params
    api = SmartConnectTaskApi(module.api_client(), module.project_id, params["instance_id"])
    module.result["tasks"] = []
    try:
        if params["task_id"]:
            # A missing task may answer its show with 404 or 400: read() asks the list then.
            task = api.read(params["task_id"])
            module.result["tasks"] = [task_result(task)] if task else []
            return
        listing = api.list_or_off()
    except NoConnectorError as error:
        # The same by id as by name: an instance without Smart Connect has no task to show.
        module.warn("%s, so it has no Smart Connect tasks to list." % smart_connect_off(error.instance_id, error.status))
        return
    tasks = [task for task in listing["tasks"] if params["task_name"] in (None, task.get("task_name"))]
    module.result.update(tasks=[task_result(task) for task in tasks],
                         quota=dict((name, listing.get(name)) for name in QUOTA_FIELDS))


def main():
    module = DmsModule(
        argument_spec=dict(
            instance_id=dict(type="str", required=True),
            task_name=dict(type="str", aliases=["name"]),
            task_id=dict(type="str"),
        ),
        supports_check_mode=True,
        mutually_exclusive=[("task_name", "task_id")],
    )
    module.run(run, input_problems)


if __name__ == "__main__":
    main()
