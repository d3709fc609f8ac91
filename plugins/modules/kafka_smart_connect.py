#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kafka_smart_connect
short_description: Enable or disable Smart Connect on a DMS for Kafka instance
version_added: 1.2.0
description:
  - Enables Smart Connect on a pay-per-use Huawei Cloud DMS for Kafka instance, or disables it. Smart Connect runs
    the instance's Smart Connect tasks (Kafka to OBS dumping, Kafka to Kafka replication) on its own nodes.
  - Smart Connect is on when the instance has a connector id (C(connector_id)), whatever C(connector_enable) says;
    newer flavours report C(connector_enable=false) with a connector. The module is idempotent on that. The number of
    nodes cannot be changed once Smart Connect is on (no call does it); a different O(node_count) fails the run,
    naming both numbers.
  - An instance busy with another change (C(EXTENDING), C(CONNECTOR_DELETING), any status ending in C(ING), or an
    answer C(DMS.00400026)) is waited for until it is C(RUNNING); the module reads it again and sends the call only
    if it is still needed, within O(wait_timeout). C(changed) is true only when this run's call made the change.
  - Yearly/monthly instances cannot be changed through the API; use the console for them.
author:
  - hwcloud.dms developers (@hwcloud-ansible)
extends_documentation_fragment:
  - hwcloud.dms.dms
  - hwcloud.dms.attributes
attributes:
  diff_mode:
    details: The diff shows C(connector_enable) and C(node_count).
options:
  instance_id:
    description:
      - Id of the Kafka instance.
    type: str
    required: true
  state:
    description:
      - V(present) enables Smart Connect; V(absent) disables it.
      - B(Disabling deletes every Smart Connect task of the instance and its Smart Connect nodes), and the dumping
        tasks of its connector stop with them (M(hwcloud.dms.kafka_sink_task)); dumping and replication stop until
        it is enabled again and the tasks are created again. The tasks' settings, OBS keys, SASL passwords and
        progress are lost.
      - So V(absent) refuses, before any change and in check mode too, while the instance has Smart Connect tasks
        or its connector has dumping tasks, naming them, unless O(force=true). After the disable call the tasks are
        listed again where the lists still answer, so that one created meanwhile is named too (with a warning).
      - In check mode an instance busy with a connector change is not waited for; C(EXTENDING) counts as Smart
        Connect on, C(CONNECTOR_DELETING) as off, with a warning; a real run waits for it and decides then.
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - With O(state=absent), disable Smart Connect even though the instance has Smart Connect tasks or dumping
        tasks, deleting them; RV(deleted_tasks) and RV(deleted_dumping_tasks) list them. A task list that fails
        does not stop the disable then (a warning says so).
    type: bool
    default: false
    version_added: 1.3.0
  node_count:
    description:
      - Number of Smart Connect nodes, 2 to 16. When enabling, V(2) if not set.
      - On an instance where Smart Connect is on, compared only when set; a difference fails the run.
    type: int
  specification:
    description:
      - Bandwidth of the Smart Connect nodes, for instances of the old flavours only; keep it equal to the instance's.
    type: str
    choices: [100MB, 300MB, 600MB, 1200MB]
  spec_code:
    description:
      - Node flavour code, for instances of the old flavours only, for example C(kafka.c3.mini.connector).
    type: str
  wait:
    description:
      - Wait until the change is done. Enabling ends when the instance is C(RUNNING) with a connector id, disabling
        when it is C(RUNNING) without one (C(EXTENDING) while enabling, C(CONNECTOR_DELETING) while disabling; the
        first reads may still show the state before the call). Enabling takes about 20 minutes.
      - Any other status fails the wait at once, naming it. V(false) returns after the call, with the status the
        instance then reports.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait, for the change and for a busy instance before it.
    type: int
    default: 3000
seealso:
  - module: hwcloud.dms.kafka_sink_task
  - name: DMS for Kafka API, enabling Smart Connect
    description: The reference page of the enable call.
    link: https://support.huaweicloud.com/intl/en-us/api-kafka/CreateConnector.html
"""

EXAMPLES = r"""
- name: Enable Smart Connect with two nodes, and wait until the instance runs again
  hwcloud.dms.kafka_smart_connect:
    region: cn-north-4
    instance_id: 5c6a1d2e-0000-4000-8000-000000000002
  register: smart_connect

- name: Show the connector
  ansible.builtin.debug:
    msg: "connector {{ smart_connect.connector_id }} on {{ smart_connect.node_count }} nodes"

- name: Enable it on an old-flavour instance, without waiting
  hwcloud.dms.kafka_smart_connect:
    region: cn-north-4
    instance_id: 5c6a1d2e-0000-4000-8000-000000000002
    node_count: 2
    specification: 100MB
    spec_code: kafka.c3.mini.connector
    wait: false

- name: Disable Smart Connect, deleting every Smart Connect task of the instance
  hwcloud.dms.kafka_smart_connect:
    region: cn-north-4
    instance_id: 5c6a1d2e-0000-4000-8000-000000000002
    state: absent
    force: true
  register: disabled

- name: Say what was lost
  ansible.builtin.debug:
    msg: >-
      deleted with it: {{ (disabled.deleted_tasks + disabled.deleted_dumping_tasks)
      | map(attribute='task_name') | join(', ') }}
"""

RETURN = r"""
connector_enable:
  description: Whether Smart Connect is on, that is whether the instance has a connector id (in check mode, as it
    would be). Newer flavours report C(connector_enable=false) while they have one; this value says true.
  returned: always
  type: bool
  sample: true
connector_id:
  description: Id of the instance's connector; V(null) when Smart Connect is off.
  returned: always
  type: str
  sample: 9f3e5c2a-1b7d-4e8f-a6c0-2d4b8e1f7a35
node_count:
  description: Smart Connect nodes, as the instance reports them (C(connector_node_num)).
  returned: always
  type: int
  sample: 2
deleted_tasks:
  description:
    - The Smart Connect tasks the disable deleted (in check mode, would delete), as C(id) and C(task_name); empty
      otherwise.
  returned: always
  type: list
  elements: dict
  sample: [{id: 6f1b7e9a-3c2d-4b8e-9f10-2a3b4c5d6e7f, task_name: orders-to-obs}]
  version_added: 1.3.0
deleted_dumping_tasks:
  description:
    - The dumping tasks of the instance's connector that the disable deleted (in check mode, would delete), as
      C(task_id) and C(task_name); empty otherwise.
  returned: always
  type: list
  elements: dict
  sample: [{task_id: 3b8e9f10-6f1b-4b8e-9f10-2a3b4c5d6e7f, task_name: orders-dump}]
status:
  description: Status of the instance, for example C(RUNNING), C(EXTENDING) or C(CONNECTOR_DELETING).
  returned: always
  type: str
  sample: RUNNING
diff:
  description: C(connector_enable) and C(node_count) before and after, in diff mode.
  returned: in diff mode
  type: dict
error:
  description:
    - The service's error, when the module failed on one; the message names the operation first.
  returned: on an API failure
  type: dict
  contains:
    status:
      description: HTTP status.
      type: int
      returned: always
    error_code:
      description: The service's error code, for example C(DMS.00400026).
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

from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import (
    DmsModule,
    resource_id_problem,
    wait_timeout_problem,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsError, TaskError
from ansible_collections.hwcloud.dms.plugins.module_utils.kafka_instance import (
    HEADING,
    SMART_CONNECT_SPECIFICATIONS,
    SmartConnectApi,
    instance_is_busy,
    smart_connect_facts,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.sink_task import SinkTaskApi
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task import SmartConnectTaskApi

DEFAULT_NODE_COUNT = 2
# The SDK's range of connector_node_num.
NODE_COUNT_RANGE = (2, 16)


def input_problems(params):
    """Every rule the argument spec cannot express, checked before any request."""
    problems = [problem for problem in (resource_id_problem("instance_id", params["instance_id"]),
                                        wait_timeout_problem(params["wait_timeout"])) if problem]
    low, high = NODE_COUNT_RANGE
    if params["node_count"] is not None and not low <= params["node_count"] <= high:
        problems.append("node_count must be %s to %s, got %s." % (low, high, params["node_count"]))
    return problems


def enable_body(params):
    """The enable call's body: the node count, and the old-flavour fields when given."""
    body = dict(node_cnt=params["node_count"] or DEFAULT_NODE_COUNT)
    body.update((name, params[name]) for name in ("specification", "spec_code") if params[name])
    return body


class Pipelines:
    """What a disable stops: the instance's Smart Connect tasks (``deleted_tasks``) and the dumping tasks of
    its connector (``deleted_dumping_tasks``; the guide: they stop too), as ``{id, task_name}`` and
    ``{task_id, task_name}``."""

    def __init__(self, module, client, instance):
        self._module = module
        self._instance_id = module.params["instance_id"]
        self._smart_connect = SmartConnectTaskApi(client, module.project_id, self._instance_id)
        connector_id = instance.get("connector_id")
        self._dumping = SinkTaskApi(client, module.project_id, connector_id) if connector_id else None
        self.found = dict(deleted_tasks=[], deleted_dumping_tasks=[])

    def _lists(self):
        """``(key, list call, id field, kind)`` of each list that names what the disable stops."""
        lists = [("deleted_tasks", lambda: self._smart_connect.list_all()["tasks"], "id", "Smart Connect task")]
        if self._dumping is not None:
            lists.append(("deleted_dumping_tasks", self._dumping.tasks_if_any, "task_id",
                          "dumping task"))
        return lists

    def look(self, tolerate):
        """List them all, adding what is new to ``found``; the entries new in this look. A failing list is
        raised unless ``tolerate`` says why it is not (a text for the warning) or is true (silently)."""
        new = []
        for key, call, id_field, kind in self._lists():
            try:
                tasks = call()
            except DmsError as error:
                if not tolerate:
                    raise
                if tolerate is not True:
                    self._module.warn("The %ss of Kafka instance %s could not be listed (%s): %s" % (
                        kind, self._instance_id, error, tolerate))
                continue
            known = set(entry[id_field] for entry in self.found[key])
            for task in tasks:
                if task.get(id_field) not in known:
                    entry = {id_field: task.get(id_field), "task_name": task.get("task_name")}
                    self.found[key].append(entry)
                    new.append((kind, entry, id_field))
        return new


def describe(entries):
    """``'name' (dumping task, id ...)`` for each ``(kind, entry, id field)``."""
    return ", ".join("%r (%s, id %s)" % (entry["task_name"], kind, entry[id_field]) for kind, entry, id_field in entries)


def guard_disable(module, pipelines, busy):
    """Refuse, before any change, to disable Smart Connect while pipelines would stop, unless ``force``.

    With ``force``, a list that fails does not stop the disable (a warning says so); nor in check mode on a busy
    instance, whose lists may not answer yet."""
    force = module.params["force"]
    tolerate = "disabling all the same, as force is true." if force else (
        "check mode cannot name what a disable would delete once the instance has settled."
        if module.check_mode and busy else False)
    found = pipelines.look(tolerate)
    if found and not force:
        raise TaskError(
            "Disabling Smart Connect on Kafka instance %s deletes its %s task(s): %s. Delete them first, or set "
            "force: true to disable it all the same (their settings, keys and progress are lost)."
            % (module.params["instance_id"], len(found), describe(found)))


def run(module):
    params = module.params
    enable = params["state"] == "present"
    client = module.api_client()
    api = SmartConnectApi(client, module.project_id, params["instance_id"])
    instance = api.instance()
    busy = instance_is_busy(instance)
    if busy and not module.check_mode:
        # Another change is under way (perhaps the opposite one): decide once it has settled.
        instance = api.wait_until(None, params["wait_timeout"])
    facts = smart_connect_facts(instance)
    if busy and module.check_mode and instance.get("status") in HEADING:
        # Check mode does not wait: it decides from where the change under way is going, as a run would after it.
        heading = HEADING[instance["status"]]
        module.warn("Kafka instance %s is %s: check mode takes it that Smart Connect will then be %s; a real run "
                    "waits for the instance and decides then." % (params["instance_id"], instance["status"],
                                                                  "on" if heading else "off"))
        if heading != facts["connector_enable"]:
            facts.update(connector_enable=heading, node_count=None if heading else 0)
    module.result.update(facts, changed=False, deleted_tasks=[], deleted_dumping_tasks=[])
    wanted_nodes = params["node_count"]
    if enable and facts["connector_enable"] and wanted_nodes and facts["node_count"] not in (None, wanted_nodes):
        raise TaskError(
            "Smart Connect on Kafka instance %s runs on %s nodes and node_count is %s: no call changes the number of "
            "nodes. Set node_count to %s, or disable Smart Connect and enable it again (which stops and loses every "
            "Smart Connect task)." % (params["instance_id"], facts["node_count"], wanted_nodes, facts["node_count"]))
    changing = facts["connector_enable"] != enable
    if module.diff_mode:
        after = dict(connector_enable=enable, node_count=(wanted_nodes or DEFAULT_NODE_COUNT) if enable else 0)
        module.result["diff"] = dict(before=dict(connector_enable=facts["connector_enable"],
                                                 node_count=facts["node_count"]),
                                     after=after if changing else dict(connector_enable=enable,
                                                                       node_count=facts["node_count"]))
    if not changing:
        return
    pipelines = None
    if not enable:
        pipelines = Pipelines(module, client, instance)
        guard_disable(module, pipelines, busy)
        module.result.update(pipelines.found)
    body = enable_body(params) if enable else {}
    # What the instance will report once the change is done (check mode and no wait say so too).
    module.result.update(connector_enable=enable, connector_id=None, node_count=body["node_cnt"] if enable else 0)
    if module.check_mode:
        module.result["changed"] = True
        return
    changed, answer = api.change(enable, body, params["wait_timeout"], params["retries"] + 1)
    module.result.update(changed=changed, connector_id=answer.get("connector_id"))
    if pipelines is not None:
        # Listed again where the lists still answer: a task created between the guard's look and the call is
        # deleted with the rest, and named.
        late = pipelines.look(tolerate=True)
        module.result.update(pipelines.found)
        if late:
            module.warn("Task(s) created on Kafka instance %s after this run looked and before its disable were "
                        "deleted with it: %s." % (params["instance_id"], describe(late)))
    if params["wait"]:
        module.result.update(smart_connect_facts(api.wait_until(enable, params["wait_timeout"])))
    else:
        module.result["status"] = api.instance().get("status")


def main():
    module = DmsModule(
        argument_spec=dict(
            instance_id=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            node_count=dict(type="int"),
            specification=dict(type="str", choices=SMART_CONNECT_SPECIFICATIONS),
            spec_code=dict(type="str"),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=3000),
            force=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    module.run(run, input_problems)


if __name__ == "__main__":
    main()
