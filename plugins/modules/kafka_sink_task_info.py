#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kafka_sink_task_info
short_description: List DMS for Kafka dumping (sink) tasks, or show one with its per-partition lag
version_added: 1.0.0
description:
  - Lists the dumping tasks of a Kafka instance's dump connector with the connector's task quota, or shows one
    task in full, optionally with the dump progress and lag of each partition.
  - Never changes anything.
author:
  - hwcloud.dms developers (@hwcloud-ansible)
extends_documentation_fragment:
  - hwcloud.dms.dms
  - hwcloud.dms.attributes.info_module
  - hwcloud.dms.dms.connector
options:
  task_name:
    description:
      - Show only the task of this name, in full. Mutually exclusive with O(task_id).
      - A name that does not exist returns an empty RV(tasks).
    type: str
    aliases: [name]
  task_id:
    description:
      - Show only the task of this id, in full. Mutually exclusive with O(task_name).
      - An id that does not exist returns an empty RV(tasks).
    type: str
  topic_info:
    description:
      - Also return the dump progress of every partition (RV(tasks[].topics_info)).
      - Needs O(task_name) or O(task_id).
    type: bool
    default: false
seealso:
  - module: hwcloud.dms.kafka_sink_task
"""

EXAMPLES = r"""
- name: List the dumping tasks of an instance and the connector's quota
  hwcloud.dms.kafka_sink_task_info:
    region: cn-north-4
    instance_id: 5c6a1d2e-0000-4000-8000-000000000001
  register: dumps

- name: Print the instance's dump connector id, for connector_id in other tasks
  ansible.builtin.debug:
    msg: "connector_id: {{ dumps.connector_id }}"

- name: Show one task with the lag of each partition
  hwcloud.dms.kafka_sink_task_info:
    region: cn-north-4
    connector_id: 9f3e5c2a-1b7d-4e8f-a6c0-2d4b8e1f7a35
    task_name: orders-to-obs
    topic_info: true
  register: orders_dump

- name: Print the lag per partition
  ansible.builtin.debug:
    msg: "{{ item.0.topic }}[{{ item.1.partition_id }}] lag {{ item.1.lag }}"
  loop: "{{ orders_dump.tasks[0].topics_info | default([]) | subelements('partitions') }}"
  loop_control:
    label: "{{ item.0.topic }}[{{ item.1.partition_id }}]"
"""

RETURN = r"""
connector_id:
  description:
    - Id of the dump connector the tasks were read from; with O(instance_id), the one the instance reports.
    - V(null) when the instance has no connector (dumping and Smart Connect are not enabled on it).
  returned: always
  type: str
  sample: 9f3e5c2a-1b7d-4e8f-a6c0-2d4b8e1f7a35
tasks:
  description:
    - Without O(task_name) or O(task_id), every task of the connector as the task list reports it.
    - With one of them, that one task in full, in the shape RV(hwcloud.dms.kafka_sink_task#module:task) has;
      empty when it does not exist.
    - Empty, with a warning, when the instance of O(instance_id) has no dump connector.
  returned: always
  type: list
  elements: dict
  contains:
    task_id:
      description: Id of the task.
      type: str
      returned: always
    task_name:
      description: Name of the task.
      type: str
      returned: always
    status:
      description: Status of the task, for example C(CREATING), C(RUNNING), C(PAUSED) or C(ERROR).
      type: str
      returned: always
    topics:
      description: The topics dumped, names joined by C(,), or the topics regular expression.
      type: str
      returned: always
    destination_type:
      description: Destination type, C(OBS).
      type: str
      returned: always
    create_time:
      description: Creation time, milliseconds since the epoch.
      type: int
      returned: always
    obs_destination_descriptor:
      description: The dump settings, as RV(hwcloud.dms.kafka_sink_task#module:task.obs_destination_descriptor).
      type: dict
      returned: with O(task_name) or O(task_id)
    topics_info:
      description: Dump progress per topic.
      type: list
      elements: dict
      returned: with O(topic_info=true)
      contains:
        topic:
          description: Topic name.
          type: str
          returned: always
        partitions:
          description: Progress of each partition of the topic.
          type: list
          elements: dict
          returned: always
          contains:
            partition_id:
              description: Partition number.
              type: int
              returned: always
            status:
              description: Dump status of the partition, as the service gives it.
              type: str
              returned: always
            last_transfer_offset:
              description: Offset of the last message dumped.
              type: int
              returned: always
            log_end_offset:
              description: Offset of the end of the partition's log.
              type: int
              returned: always
            lag:
              description: Messages not dumped yet.
              type: int
              returned: always
  sample:
    - task_id: 2962882a-386c-4c9d-bb59-3b4f55d82961
      task_name: orders-to-obs
      status: RUNNING
      topics: orders,refunds
      destination_type: OBS
      create_time: 1795512900000
quota:
  description: The connector's task figures, from the task list.
  returned: when the task list was read (not with O(task_id))
  type: dict
  contains:
    total_number:
      description: Tasks on the connector.
      type: int
      returned: always
    max_tasks:
      description:
        - Tasks that can still be created, as the reference's example reads (1 task, C(max_tasks) 9,
          C(quota_tasks) 10).
      type: int
      returned: always
    quota_tasks:
      description: Tasks the connector may have in all (raised with the API's C(sink_max_tasks)).
      type: int
      returned: always
  sample:
    total_number: 1
    max_tasks: 49
    quota_tasks: 50
error:
  description: The service's error, when the module failed on one.
  returned: on an API failure
  type: dict
  contains:
    status:
      description: HTTP status.
      type: int
      returned: always
    error_code:
      description: The service's error code.
      type: str
      returned: always
    error_msg:
      description: The service's error message.
      type: str
      returned: always
    request_id:
      description: The C(X-Request-Id) response header, to quote to support.
      type: str
      returned: always
"""

from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import DmsModule, resource_id_problem
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import NoConnectorError
from ansible_collections.hwcloud.dms.plugins.module_utils.sink_task import sink_task_api, task_result
from ansible_collections.hwcloud.dms.plugins.module_utils.task_run import QUOTA_FIELDS


def input_problems(params):
    """Every rule the argument spec cannot express, checked before any request."""
    problems = [problem for problem in [resource_id_problem("task_id", params["task_id"])] if problem]
    if params["topic_info"] and not (params["task_name"] or params["task_id"]):
        problems.append("topic_info needs task_name or task_id: per-partition progress is shown for one task.")
    return problems


def quota_of(listing):
    return dict((name, listing.get(name)) for name in QUOTA_FIELDS)


def task_info(api, params):
    """``tasks`` (and ``quota`` when the list was read) for the options given."""
    if params["task_id"]:
        task = api.show(params["task_id"], topic_info=params["topic_info"])
        if task is None:
            # A 404 may be for the connector, not the task: a list tells them apart (and fails for it).
            api.list_tasks()
            return dict(tasks=[])
        return dict(tasks=[task_result(task)])
    listing = api.list_tasks()
    tasks = listing.get("tasks") or []
    if params["task_name"]:
        tasks = [task for task in tasks if task.get("task_name") == params["task_name"]]
        tasks = [api.show(task["task_id"], topic_info=params["topic_info"]) for task in tasks]
    return dict(tasks=[task_result(task) for task in tasks if task is not None], quota=quota_of(listing))


def run(module):
    module.result.update(tasks=[], connector_id=None)
    try:
        api = sink_task_api(module)
    except NoConnectorError as error:
        # Nothing to list is an answer, not a failure: the instance simply has no dumping tasks.
        module.warn(error.message)
        return
    module.result["connector_id"] = api.connector_id
    module.result.update(task_info(api, module.params))


def main():
    module = DmsModule(
        argument_spec=dict(
            task_name=dict(type="str", aliases=["name"]),
            task_id=dict(type="str"),
            topic_info=dict(type="bool", default=False),
        ),
        connector=True,
        supports_check_mode=True,
        mutually_exclusive=[("task_name", "task_id")],
    )
    module.run(run, input_problems)


if __name__ == "__main__":
    main()
