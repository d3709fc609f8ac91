#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: kafka_sink_task
short_description: Create or delete DMS for Kafka dumping (sink) tasks that copy topics into OBS
version_added: 1.0.0
description:
  - Creates and deletes the dumping tasks (sink tasks) of a Huawei Cloud DMS for Kafka instance's dump
    connector, which copy Kafka topics into an OBS bucket.
  - Tasks are found by O(task_name). The service has no update call, so a task whose settings differ is
    reported as an error, or deleted and created again when O(recreate) allows it.
  - The service marks this API as out of date in favour of Smart Connect; existing instances still run dumping tasks.
  - Before creating a task, the connector's task quota is checked from the task list; a full quota fails the
    run before any create is sent, in check mode too.
  - Any option set to an explicit V(null) (as templated playbooks produce) takes its default.
author:
  - hwcloud.dms developers (@hwcloud-ansible)
extends_documentation_fragment:
  - hwcloud.dms.dms
  - hwcloud.dms.attributes
  - hwcloud.dms.dms.connector
attributes:
  diff_mode:
    details: The diff shows the comparable settings, never the OBS keys.
options:
  task_name:
    description:
      - Name of the dumping task, unique on the connector. Tasks are found by this name.
    type: str
    required: true
    aliases: [name]
  state:
    description:
      - V(present) creates the task when no task of that name exists; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  source_type:
    description:
      - Source of the dump; the service knows only V(BLOB).
    type: str
    choices: [BLOB]
    default: BLOB
  destination_type:
    description:
      - Destination of the dump; the service knows only V(OBS).
    type: str
    choices: [OBS]
    default: OBS
  recreate:
    description:
      - What to do when a task of that name exists with other settings. The service cannot change a task.
      - V(never) fails, naming every setting that differs with both values.
      - V(on_change) deletes the task and creates it with the wanted settings. It also replaces a task in a final
        status other than C(RUNNING) and C(PAUSED) (for example C(ERROR)), saying so in a warning.
      - V(always) deletes and creates it on every run; the only way to rotate the OBS keys, which the service
        never returns and so cannot be compared.
      - A recreated task starts consuming again by its O(obs_destination_descriptor.consumer_strategy); with
        V(latest), messages produced between the delete and the create are not dumped.
      - When the delete succeeds and the create fails, the module fails with C(changed=true), the deleted task's
        RV(task_id) and a message saying so; running it again creates the task.
    type: str
    choices: [never, on_change, always]
    default: never
  wait:
    description:
      - After creating a task, or finding it on its way (C(CREATING), or any status ending in C(ING)), poll it until
        its status is C(RUNNING) and return it.
      - Any other status (C(ERROR), C(PAUSED), ...) is final - the wait ends at once and the module fails naming
        it, with RV(task_id) and RV(task) in the result. A rerun that finds the task in such a status fails the
        same way. A task that does not run within O(wait_timeout) fails too.
      - With O(state=absent), wait until the task is gone.
      - Without it, an existing task in any status but C(RUNNING) is reported with a warning.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait when O(wait=true).
    type: int
    default: 300
  obs_destination_descriptor:
    description:
      - Where and how the topics are dumped. Required when O(state=present).
      - Exactly one of O(obs_destination_descriptor.topics) and O(obs_destination_descriptor.topics_regex) is required.
      - The service may report C(partition_format) as C(N/A); it is then not compared nor diffed, and a warning
        says so.
      - B(What is compared) with an existing task - every suboption that is set, except the OBS keys (never
        returned). A suboption that is not set is never compared; one with a default below is sent as that
        default when the task is created. A field the service's answer leaves out counts as its empty value or its
        default, whichever was wanted.
    type: dict
    suboptions:
      topics:
        description:
          - Names of the topics to dump, as a list or as one string of names separated by C(,). Spaces around
            names are dropped, and so are repeated names. Compared with the existing task as a set.
          - Each name must be a Kafka topic name, 1 to 249 letters, digits, C(.), C(_) or C(-); anything else fails
            before any request.
        type: list
        elements: str
      topics_regex:
        description:
          - Regular expression of the topics to dump; must not be V(.*). Compared as the exact string.
        type: str
      consumer_strategy:
        description:
          - Where a new task starts reading, V(latest) or V(earliest) messages.
          - Not set, V(latest) is sent on create, and an existing task is not compared on it.
        type: str
        choices: [latest, earliest]
      destination_file_type:
        description:
          - Format of the dumped files. V(TXT), as the API reference's table writes it, means V(TEXT), which is sent.
          - Not set, V(TEXT) is sent on create, and an existing task is not compared on it.
        type: str
        choices: [TEXT, TXT]
      access_key:
        description:
          - Access key of the OBS credentials the service writes the files with.
          - Not returned by the service, so never compared; use O(recreate=always) to rotate it.
        type: str
        required: true
      secret_key:
        description:
          - Secret key of those OBS credentials. Never logged nor returned; never compared.
        type: str
        required: true
      obs_bucket_name:
        description:
          - Name of the OBS bucket the files go to.
        type: str
        required: true
      obs_path:
        description:
          - Folder in the bucket, at most 64 letters, digits, C(_), C(-) or C(/). Not set and empty are the same.
        type: str
      partition_format:
        description:
          - Time directories the files are written under.
        type: str
        required: true
        choices: [yyyy, yyyy/MM, yyyy/MM/dd, yyyy/MM/dd/HH, yyyy/MM/dd/HH/mm]
      record_delimiter:
        description:
          - Written between records, one of V(,), V(;), V(|), a newline, or V("") for none (the API reference's
            C(NULL)). Write a newline as V("\\n") in double quotes, or as the two characters backslash and C(n),
            as the API reference pages show it.
          - Not set (or V(null)), a newline is sent on create, and an existing task is not compared on it.
          - The service may report a newline escaped (backslash and C(n)); that counts as the same.
        type: str
      deliver_time_interval:
        description:
          - Seconds between two dumps, 30 to 900. The service may report it as a string of digits; that counts as
            the same number.
        type: int
        required: true
seealso:
  - module: hwcloud.dms.kafka_sink_task_info
  - name: DMS for Kafka API, creating a dumping task
    description: The reference page of the create call.
    link: https://support.huaweicloud.com/intl/en-us/api-kafka/CreateSinkTask.html
"""

EXAMPLES = r"""
- name: Dump two topics into OBS every five minutes
  hwcloud.dms.kafka_sink_task:
    region: cn-north-4
    connector_id: 9f3e5c2a-1b7d-4e8f-a6c0-2d4b8e1f7a35
    task_name: orders-to-obs
    obs_destination_descriptor:
      topics: [orders, refunds]
      consumer_strategy: earliest
      access_key: "{{ obs_access_key }}"
      secret_key: "{{ obs_secret_key }}"
      obs_bucket_name: kafka-archive
      obs_path: orders
      partition_format: yyyy/MM/dd/HH
      deliver_time_interval: 300
  register: orders_dump

- name: Find the connector from the instance, wait until the task runs
  hwcloud.dms.kafka_sink_task:
    region: cn-north-4
    instance_id: 5c6a1d2e-0000-4000-8000-000000000001
    task_name: audit-to-obs
    wait: true
    obs_destination_descriptor:
      topics_regex: "audit-.*"
      access_key: "{{ obs_access_key }}"
      secret_key: "{{ obs_secret_key }}"
      obs_bucket_name: kafka-archive
      partition_format: yyyy/MM/dd
      record_delimiter: ""
      deliver_time_interval: 900

- name: Rotate the OBS keys of a task (the service cannot compare them)
  hwcloud.dms.kafka_sink_task:
    region: cn-north-4
    connector_id: 9f3e5c2a-1b7d-4e8f-a6c0-2d4b8e1f7a35
    task_name: orders-to-obs
    recreate: always
    obs_destination_descriptor:
      topics: [orders, refunds]
      consumer_strategy: earliest
      access_key: "{{ new_obs_access_key }}"
      secret_key: "{{ new_obs_secret_key }}"
      obs_bucket_name: kafka-archive
      obs_path: orders
      partition_format: yyyy/MM/dd/HH
      deliver_time_interval: 300

- name: Delete the task
  hwcloud.dms.kafka_sink_task:
    region: cn-north-4
    connector_id: 9f3e5c2a-1b7d-4e8f-a6c0-2d4b8e1f7a35
    task_name: orders-to-obs
    state: absent
"""

RETURN = r"""
action:
  description:
    - What the run did to the task (in check mode, would do) - V(created), V(replaced) (deleted and created again,
      with a new id; dumping starts again from its C(consumer_strategy), and a warning says so), V(deleted) or
      V(unchanged). On a failure, what it did before it failed.
  returned: always
  type: str
  sample: created
task_id:
  description:
    - Id of the task. For a delete, the id of the task that was deleted.
    - V(null) when no task existed, and for a create in check mode.
    - For a replacement in check mode, the id of the task that would be replaced; for a replacement whose create
      failed, the id of the task that was deleted.
  returned: always
  type: str
  sample: 2962882a-386c-4c9d-bb59-3b4f55d82961
task:
  description:
    - The task as the service reports it, without the OBS keys, which it never returns.
    - For a create or a replacement in check mode, the task that would be created. After a delete, the task that
      was deleted, as the task list showed it (without RV(task.obs_destination_descriptor)).
    - V(null) when no task existed.
  returned: always
  type: dict
  contains:
    task_id:
      description: Id of the task; V(null) in check mode before a create.
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
      description:
        - The topics dumped, names joined by C(,), or the topics regular expression, as the service wrote them.
        - Taken from RV(task.obs_destination_descriptor) where the service reports them only there.
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
      description: The dump settings as the service reports them.
      type: dict
      returned: when the task was read in full
      contains:
        consumer_strategy:
          description: V(latest) or V(earliest).
          type: str
          returned: always
        destination_file_type:
          description: File format, C(TEXT).
          type: str
          returned: always
        obs_bucket_name:
          description: OBS bucket.
          type: str
          returned: always
        obs_path:
          description: Folder in the bucket.
          type: str
          returned: always
        partition_format:
          description: Time directories; the service may report C(N/A).
          type: str
          returned: always
        record_delimiter:
          description: Record delimiter, as the service reports it (a newline may come back escaped).
          type: str
          returned: always
        deliver_time_interval:
          description: Seconds between dumps (the service may report it as a string of digits).
          type: raw
          returned: always
        topics:
          description: The topic names joined by C(,), where the service reports them here.
          type: str
          returned: when the service reports it
        topics_regex:
          description: The topics regular expression, where the service reports it here.
          type: str
          returned: when the service reports it
        obs_part_size:
          description: Size in bytes of each uploaded part.
          type: int
          returned: when the service reports it
  sample:
    task_id: 2962882a-386c-4c9d-bb59-3b4f55d82961
    task_name: orders-to-obs
    status: RUNNING
    topics: orders,refunds
    destination_type: OBS
    create_time: 1795512900000
    obs_destination_descriptor:
      consumer_strategy: earliest
      destination_file_type: TEXT
      obs_bucket_name: kafka-archive
      obs_path: orders
      partition_format: yyyy/MM/dd/HH
      record_delimiter: "\n"
      deliver_time_interval: 300
      obs_part_size: 5242880
diff:
  description:
    - The comparable settings before and after, in diff mode; never the OBS keys.
    - C(topics) is a sorted list of names in every mode; a setting the service reported as C(N/A) is left out.
  returned: in diff mode
  type: dict
  contains:
    before:
      description: Settings of the task found, empty when there was none.
      type: dict
      returned: always
    after:
      description: Settings of the task wanted, empty for a delete.
      type: dict
      returned: always
differences:
  description:
    - Every setting that differs between the task found and the task wanted, when the module failed because
      O(recreate=never) forbids replacing the task, or because another run has just created it with them.
  returned: on failure for differing settings
  type: list
  elements: dict
  contains:
    option:
      description: The option name, for example C(deliver_time_interval).
      type: str
      returned: always
    task:
      description: The value the existing task has.
      type: raw
      returned: always
    wanted:
      description: The value the playbook asks for.
      type: raw
      returned: always
  sample:
    - option: deliver_time_interval
      task: 300
      wanted: 600
error:
  description:
    - The service's error, when the module failed on one. The failure message names the operation first, for
      example C(create sink task 'orders-to-obs' failed), then the status, code, message and request id.
  returned: on an API failure
  type: dict
  contains:
    status:
      description: HTTP status.
      type: int
      returned: always
    error_code:
      description: The service's error code, for example C(DMS.00400865).
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

from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import DmsModule, wait_timeout_problem
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsError, NoConnectorError, ReplaceError, TaskError
from ansible_collections.hwcloud.dms.plugins.module_utils.sink_task import (
    KEPT_FINAL_STATUSES,
    OBS_DESTINATION_DESCRIPTOR_OPTION,
    SINK_TASK_QUOTA_HINT,
    current_settings,
    descriptor_problems,
    desired_settings,
    desired_task_body,
    final_status_error,
    listed_settings,
    planned_task,
    sink_task_api,
    task_result,
    unreported_settings,
    wait_for_task,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.task_run import (
    JUST_CREATED,
    TaskRun,
    named,
    quota_problem,
    settings_differences,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.waiting import BEING_DELETED, RUNNING, is_transitional


def argument_spec():
    return dict(
        task_name=dict(type="str", required=True, aliases=["name"]),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        source_type=dict(type="str", choices=["BLOB"], default="BLOB"),
        destination_type=dict(type="str", choices=["OBS"], default="OBS"),
        recreate=dict(type="str", choices=["never", "on_change", "always"], default="never"),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=300),
        obs_destination_descriptor=OBS_DESTINATION_DESCRIPTOR_OPTION,
    )


def input_problems(params):
    """Every rule the argument spec cannot express, checked before any request."""
    problems = []
    if not params["task_name"].strip():
        problems.append("task_name must not be empty.")
    problems.extend(problem for problem in [wait_timeout_problem(params["wait_timeout"])] if problem)
    if params["state"] == "present":
        if params["obs_destination_descriptor"] is None:
            problems.append("obs_destination_descriptor is required when state is present.")
        else:
            problems.extend(descriptor_problems(params["obs_destination_descriptor"]))
    return problems


class SinkTaskRun(TaskRun):
    """One run of the module: the decisions of ``present`` / ``absent``."""

    def __init__(self, module, api):
        super(SinkTaskRun, self).__init__(module, api, task_result, "task_id", "Sink task")

    def present(self):
        descriptor = self.params["obs_destination_descriptor"]
        body = desired_task_body(self.name, self.params["source_type"], self.params["destination_type"], descriptor)
        wanted = desired_settings(descriptor)
        listing = self.api.list_tasks()
        found = named(listing, self.name)
        task = self.api.show(found["task_id"]) if found else None
        if task is not None and task.get("status") == BEING_DELETED:
            # On its way out (an earlier delete): not the task wanted, which is created once the name is free.
            if not self.module.check_mode:
                wait_for_task(self.api, task["task_id"], self.params["wait_timeout"], until=None)
            task = None
        if task is None:
            # Checked before the POST, and in check mode too: the service would refuse it.
            problem = quota_problem(listing, SINK_TASK_QUOTA_HINT)
            if problem:
                raise TaskError(problem, operation="create sink task %r" % self.name)
            self._diff({}, wanted)
            self._create(body, wanted)
        else:
            self._converge(task, body, wanted)

    def _converge(self, task, body, wanted, just_created=False):
        """Bring an existing task to the wanted settings, as ``recreate`` allows."""
        self._record(task)
        current = current_settings(task, wanted)
        unreported = unreported_settings(current)
        for name in unreported:
            self.module.warn("The service did not report %s of sink task %r (it answered N/A), so it was not "
                             "compared." % (name, self.name))
        # What is not compared is not diffed either: the diff shows only what a run could change.
        self._diff(*[dict((name, value) for name, value in settings.items() if name not in unreported)
                     for settings in (current, wanted)])
        differences = settings_differences(wanted, current)
        status = task.get("status")
        broken = status is not None and not is_transitional(status) and status not in KEPT_FINAL_STATUSES
        recreate = self.params["recreate"]
        # A task another run has just created is never replaced: two runs would take turns deleting
        # each other's task without end. Its differences are reported instead.
        if not just_created and (recreate == "always" or (recreate == "on_change" and (differences or broken))):
            if broken and not differences:
                self.module.warn("Sink task %r (id %s) is in status %s: replaced, as recreate is on_change."
                                 % (self.name, task["task_id"], status))
            self._replacing(task["task_id"], self.params["obs_destination_descriptor"].get("consumer_strategy"))
            self._replace(task, body, wanted)
        elif differences:
            self._fail_differences(differences, JUST_CREATED if just_created else
                                   "recreate is 'never' (the service cannot change a task)")
        else:
            self._settle_status(task, just_created)

    def _replace(self, task, body, wanted):
        old_id = task["task_id"]
        if self.module.check_mode:
            self._record(planned_task(body, task_id=old_id), changed=True)
            return
        self.api.delete(task, self.params["retries"] + 1)
        self.result.update(changed=True, task_id=old_id, task=None)
        try:
            # The name must be free before the create, also where the service deletes in the background.
            wait_for_task(self.api, old_id, self.params["wait_timeout"], until=None)
            self._create(body, wanted)
        except DmsError as error:
            raise ReplaceError("Sink task %r (id %s)" % (self.name, old_id), error)

    def _settle_status(self, task, just_created):
        status = task.get("status")
        if status == RUNNING:
            return
        if is_transitional(status):
            if self.params["wait"] and not self.module.check_mode:
                self._wait_running(task["task_id"])
            elif not just_created:
                self.module.warn("Sink task %r (id %s) is in status %s, not yet RUNNING."
                                 % (self.name, task["task_id"], status))
            return
        # A final status: waiting for RUNNING fails as it does after a create, so both runs agree.
        if self.params["wait"]:
            raise final_status_error(task, RUNNING)
        self.module.warn("Sink task %r (id %s) is in status %s, not RUNNING." % (self.name, task["task_id"], status))

    def _create(self, body, wanted):
        if self.module.check_mode:
            self._record(planned_task(body), changed=True)
            if self.action == "unchanged":
                self.action = "created"
            return
        task_id, lost_race = self.api.create_once(body, self.params["retries"] + 1)
        if lost_race:
            task = self.api.show(task_id)
            if task is None:
                raise TaskError("Sink task %r was created by another run and deleted again while this run "
                                "looked at it; run again." % self.name)
            self._converge(task, body, wanted, just_created=True)
            return
        self.result.update(changed=True, task_id=task_id)
        if self.action == "unchanged":
            self.action = "created"
        task = self.api.show(task_id)
        if task is not None:
            self._record(task)
        if self.params["wait"]:
            self._wait_running(task_id)

    def _wait_running(self, task_id):
        try:
            self._record(wait_for_task(self.api, task_id, self.params["wait_timeout"], until=RUNNING))
        except TaskError as error:
            if error.task is not None:
                self._record(error.task)
            raise

    def nothing_to_delete(self):
        self._diff({}, {})

    def absent(self):
        found = self.api.find_by_name(self.name)
        if found is None:
            self.nothing_to_delete()
            return
        self._record(found, changed=True)
        self.action = "deleted"
        self._diff(listed_settings(found), {})
        if self.module.check_mode:
            return
        self.result["changed"] = self.api.delete(found, self.params["retries"] + 1)
        if self.params["wait"]:
            wait_for_task(self.api, found["task_id"], self.params["wait_timeout"], until=None)


def run(module):
    try:
        api = sink_task_api(module)
    except NoConnectorError as error:
        if module.params["state"] == "present":
            raise
        module.warn("Kafka instance %s has no dump connector, so it has no sink task %r to delete."
                    % (error.instance_id, module.params["task_name"]))
        api = None
    task_run = SinkTaskRun(module, api)
    try:
        if api is None:
            task_run.nothing_to_delete()
        elif module.params["state"] == "present":
            task_run.present()
        else:
            task_run.absent()
    finally:
        task_run.settled_action()


def main():
    module = DmsModule(argument_spec=argument_spec(), connector=True, supports_check_mode=True)
    module.run(run, input_problems)


if __name__ == "__main__":
    main()
