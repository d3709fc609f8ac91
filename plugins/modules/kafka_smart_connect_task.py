#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kafka_smart_connect_task
short_description: Manage DMS for Kafka Smart Connect tasks (Kafka to OBS, Kafka to Kafka) and their run state
version_added: 1.2.0
description:
  - Creates, deletes, starts, pauses and restarts the Smart Connect tasks of a Huawei Cloud DMS for Kafka instance
    with Smart Connect on (see M(hwcloud.dms.kafka_smart_connect)), OBS sink tasks (O(sink_task)) and Kafka replication
    tasks (O(source_task)).
  - Tasks are found by O(task_name) in the instance's task list (every page). A no-change rerun reads the list only.
  - Only the options that are set are sent and compared (O(sink_task.consumer_strategy), not set, is sent as
    V(latest) and not compared). A field the service leaves out of its answer counts as its empty value or the
    API's default, whichever was wanted (for example O(sink_task.store_keys=false)); a O(source_task.task_num) of a
    V(two-way) task is compared as half the report (the SDK says such a task runs twice the tasks
    set). One exception, O(sink_task.agency_name), is compared only
    when the answer carries it, and then also when it is not set (a task that reaches OBS through an agency is not
    the task declared with keys alone). O(sink_task) and O(source_task) say exactly what is compared.
  - A task on an instance that is still enabling Smart Connect (C(EXTENDING)) is waited for, within
    O(wait_timeout); check mode does not wait, and warns.
  - With Smart Connect off on the instance, O(state=absent) changes nothing (with a warning) and every other state
    fails, naming M(hwcloud.dms.kafka_smart_connect) as the way to turn it on; check mode reports the create a
    run would make once it is on, with a warning.
  - The module never changes a task in place. The API has a modify call, but what it changes is documented nowhere and
    it cannot take the secrets; a task whose settings differ is reported as an error, or deleted and created again
    when O(recreate) allows it. The secrets (O(sink_task.access_key), O(sink_task.secret_key),
    O(source_task.password)) are never returned by the service, so never compared; O(recreate=always) rotates them.
  - A replaced task starts from its O(sink_task.consumer_strategy) (or O(source_task.consumer_strategy)) again, not
    from where the old one stopped.
author:
  - hwcloud.dms developers (@hwcloud-ansible)
extends_documentation_fragment:
  - hwcloud.dms.dms
  - hwcloud.dms.attributes
  - hwcloud.dms.smart_connect_task
attributes:
  diff_mode:
    details: The diff shows the compared settings and the status, never a secret.
options:
  instance_id:
    description:
      - Id of the Kafka instance the task runs on.
    type: str
    required: true
  task_name:
    description:
      - Name of the task, unique on the instance. Tasks are found by this name, unless O(task_id) is given.
      - Required with O(state=present), and O(task_name) or O(task_id) for every other state.
    type: str
    aliases: [name]
  task_id:
    description:
      - Id of the task, for a task created elsewhere (the console, Terraform, another team); Terraform imports it
        as C(<instance_id>/<task_id>). An alternative to O(task_name) for O(state=absent), V(running), V(paused)
        and V(restarted); with V(present), and wherever both are given, they must name the same task.
      - Given alone for a state other than V(present), the settings options may be left out; the task is then
        acted on as it is, and no setting is compared.
    type: str
    version_added: 1.3.0
  state:
    description:
      - V(present) creates the task when it does not exist, and leaves the run state of an existing one alone.
        A task it replaces (O(recreate)) comes back in the run state the old one had (C(PAUSED) paused, C(WAITING)
        waiting).
      - V(running) also starts a task that waits to be started (C(WAITING), the start call) or resumes a C(PAUSED) one
        (the resume call, which keeps its progress; never restart, which resets it).
      - V(paused) also pauses a C(RUNNING) task; a new one is created, then paused once it runs. A C(WAITING) task
        dumps nothing and cannot be paused, so it is left so, with a warning.
      - V(restarted) restarts the task on every run (C(changed) every time); B(a restart resets the sync progress).
        A task this run creates is not restarted (it has no progress yet).
      - V(running), V(paused) and V(restarted) first wait out a task that is still C(CREATING) or C(RESTARTING);
        on a task in another status (C(ERROR), C(FAILED), ...) they fail on every run, naming it, unless
        O(recreate=on_change) replaces the task.
      - V(absent) deletes the task.
    type: str
    choices: [present, running, paused, restarted, absent]
    default: present
  recreate:
    description:
      - What to do when the task exists with other settings. V(never) fails naming each difference; V(on_change)
        deletes it and creates it again, as it does with a task in a status it will not leave (C(ERROR),
        C(FAILED), ...); V(always) does so on every run (the only way to rotate the secrets). A task another run
        has just created is never replaced.
    type: str
    choices: [never, on_change, always]
    default: never
  wait:
    description:
      - Wait after the last call until the task is where O(state) brings it (C(RUNNING), C(PAUSED), or C(WAITING)
        for O(start_later)); with O(state=absent), until the task list no longer has it.
      - The status the task had before the call, C(CREATING), C(RESTARTING) and any status ending in C(ING) are
        waited out; any other status fails at once, naming it, and the result has the task as last read.
      - V(false) skips only that last wait; a wait that a later call needs (a new task to be running before it is
        paused, a task still creating before it is restarted) happens either way.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait. Not set, 1800 for a create and 1200 for an action or a delete (Terraform's defaults).
    type: int
seealso:
  - module: hwcloud.dms.kafka_smart_connect
  - module: hwcloud.dms.kafka_sink_task
"""

EXAMPLES = r"""
- name: Dump two topics into OBS every five minutes
  hwcloud.dms.kafka_smart_connect_task:
    region: cn-north-4
    instance_id: 5c6a1d2e-0000-4000-8000-000000000001
    task_name: orders-to-obs
    state: running
    topics: [orders, refunds]
    sink_task:
      consumer_strategy: earliest
      access_key: "{{ obs_access_key }}"
      secret_key: "{{ obs_secret_key }}"
      obs_bucket_name: kafka-archive
      obs_path: orders
      partition_format: yyyy/MM/dd/HH
      deliver_time_interval: 300

- name: Copy a topic to a peer instance over SASL_SSL, checking the peer first
  hwcloud.dms.kafka_smart_connect_task:
    region: cn-north-4
    instance_id: 5c6a1d2e-0000-4000-8000-000000000001
    task_name: orders-to-dr
    topics: orders
    validate: true
    source_task:
      bootstrap_servers: ["192.168.0.11:9093", "192.168.0.12:9093"]
      security_protocol: SASL_SSL
      sasl_mechanism: SCRAM-SHA-512
      user_name: replicator
      password: "{{ peer_password }}"
      direction: push
      topics_mapping: ["orders:orders-dr"]

- name: Pause the dumping task
  hwcloud.dms.kafka_smart_connect_task:
    region: cn-north-4
    instance_id: 5c6a1d2e-0000-4000-8000-000000000001
    task_name: orders-to-obs
    state: paused
    topics: [orders, refunds]
    sink_task:
      consumer_strategy: earliest
      access_key: "{{ obs_access_key }}"
      secret_key: "{{ obs_secret_key }}"
      obs_bucket_name: kafka-archive
      obs_path: orders
      partition_format: yyyy/MM/dd/HH
      deliver_time_interval: 300

- name: Delete it
  hwcloud.dms.kafka_smart_connect_task:
    region: cn-north-4
    instance_id: 5c6a1d2e-0000-4000-8000-000000000001
    task_name: orders-to-obs
    state: absent
"""

RETURN = r"""
action:
  description:
    - What the run did to the task (in check mode, would do) - V(created), V(replaced) (deleted and created again,
      with a new id, starting again from its C(consumer_strategy); a warning says so), V(deleted), V(changed) (its run
      state, by start, pause, resume or restart) or V(unchanged). On a failure, what it did before it failed.
  returned: always
  type: str
  sample: created
task_id:
  description: Id of the task (the service's C(id)); for a delete, of the task deleted; V(null) when none existed
    and for a create in check mode.
  returned: always
  type: str
  sample: 6f1b7e9a-3c2d-4b8e-9f10-2a3b4c5d6e7f
task:
  description:
    - The task as the service shows it, with C(id) also as C(task_id), without the secrets (the service never returns
      them). For a create in check mode, the task that would be created, with the status the run would bring it to.
      On a failure, the task as last read. V(null) when no task exists.
  returned: always
  type: dict
  sample:
    id: 6f1b7e9a-3c2d-4b8e-9f10-2a3b4c5d6e7f
    task_id: 6f1b7e9a-3c2d-4b8e-9f10-2a3b4c5d6e7f
    task_name: orders-to-obs
    topics: orders,refunds
    topics_regex: ""
    source_type: NONE
    source_task: {}
    sink_type: OBS_SINK
    sink_task: {consumer_strategy: earliest, obs_bucket_name: kafka-archive, partition_format: yyyy/MM/dd/HH,
                deliver_time_interval: 300, obs_part_size: 5242880}
    status: RUNNING
    create_time: 1795512900000
differences:
  description:
    - Every compared setting that differs, when O(recreate=never) made the module fail, or another run has just
      created the task with other settings.
  returned: on failure for differing settings
  type: list
  elements: dict
  sample:
    - option: sink_task.deliver_time_interval
      task: 300
      wanted: 600
diff:
  description: The compared settings and the status before and after, in diff mode; never a secret.
  returned: in diff mode
  type: dict
error:
  description: The service's error, when the module failed on one; the message names the operation first.
  returned: on an API failure
  type: dict
  sample:
    status: 400
    error_code: DMS.00400026
    error_msg: This operation is not allowed due to the instance status
    request_id: 3f2504e0-4f89-11d3-9a0c-0305e82c3301
"""

from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import DmsModule
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task import (
    SINK_TASK_SPEC,
    SOURCE_TASK_SPEC,
    SmartConnectTaskApi,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task_run import (
    SmartConnectTaskRun,
    shared_problems,
    task_run_problems,
)


def input_problems(params):
    """Every rule the argument spec cannot express, checked before any request."""
    return shared_problems(params) + task_run_problems(params)


def run(module):
    api = SmartConnectTaskApi(module.api_client(), module.project_id, module.params["instance_id"],
                              attempts=module.params["retries"] + 1)
    task_run = SmartConnectTaskRun(module, api)
    try:
        if module.params["state"] == "absent":
            task_run.absent()
        else:
            task_run.present()
    finally:
        task_run.settled_action()


def main():
    module = DmsModule(
        argument_spec=dict(
            instance_id=dict(type="str", required=True),
            task_name=dict(type="str", aliases=["name"]),
            task_id=dict(type="str"),
            state=dict(type="str", choices=["present", "running", "paused", "restarted", "absent"], default="present"),
            topics=dict(type="list", elements="str"),
            topics_regex=dict(type="str"),
            start_later=dict(type="bool", default=False),
            sink_task=dict(type="dict", options=SINK_TASK_SPEC),
            source_task=dict(type="dict", options=SOURCE_TASK_SPEC),
            recreate=dict(type="str", choices=["never", "on_change", "always"], default="never"),
            validate=dict(type="bool", default=False),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int"),
        ),
        supports_check_mode=True,
        required_one_of=[("task_name", "task_id")],
    )
    module.run(run, input_problems)


if __name__ == "__main__":
    main()
