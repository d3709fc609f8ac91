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
  - Only the options that are set are sent and compared; a field the service leaves out of its answer has the
    API's default (for example O(sink_task.store_keys=false)).
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
  topics:
    description:
      - Names of the topics, as a list or one string of names separated by C(,); spaces around names are dropped.
        Compared as a set. Exactly one of O(topics) and O(topics_regex) is required unless O(state=absent).
    type: list
    elements: str
  topics_regex:
    description:
      - Regular expression of the topics; must not be V(.*).
    type: str
  start_later:
    description:
      - With O(state=present), create the task without starting it (status C(WAITING)); O(state=running) starts it.
    type: bool
    default: false
  sink_task:
    description:
      - A Kafka to OBS dumping task (C(sink_type=OBS_SINK)). Exactly one of O(sink_task) and O(source_task) is required
        unless O(state=absent).
    type: dict
    suboptions:
      consumer_strategy:
        description: Where a new task starts reading.
        type: str
        choices: [latest, earliest]
        default: latest
      destination_file_type:
        description: Format of the dumped files; the service's default is C(TEXT).
        type: str
        choices: [TEXT]
      access_key:
        description:
          - Access key of the OBS credentials the service writes with. Never compared (not returned).
          - Required, with O(sink_task.secret_key), unless O(sink_task.agency_name) is set; not with it.
        type: str
      secret_key:
        description: Secret key of those credentials. Never logged, returned nor compared.
        type: str
      agency_name:
        description:
          - Name of an IAM agency through which the service writes to OBS, instead of O(sink_task.access_key) and
            O(sink_task.secret_key); recommended, as no key is then in a playbook, and none needs rotating.
          - Compared like any other setting. See the guide "OBS through an IAM agency" for how to create one.
        type: str
        version_added: 1.3.0
      obs_bucket_name:
        description: OBS bucket.
        type: str
        required: true
      obs_path:
        description: Folder in the bucket, at most 64 letters, digits, C(_), C(-) or C(/).
        type: str
      partition_format:
        description: Time directories the files are written under.
        type: str
        required: true
        choices: [yyyy, yyyy/MM, yyyy/MM/dd, yyyy/MM/dd/HH, yyyy/MM/dd/HH/mm]
      record_delimiter:
        description:
          - Written between records, one of V(,), V(;), V(|), a newline, or V("") for none (the reference's
            C(NULL)). Write a newline as V("\\n") in double quotes, or as the two characters backslash and C(n),
            as the reference pages show it.
          - Not set, it is not sent (the service writes a newline).
        type: str
      deliver_time_interval:
        description: Seconds between two dumps, 30 to 900.
        type: int
        required: true
      store_keys:
        description: Also dump the message keys; not set, the service's default (V(false)).
        type: bool
  source_task:
    description:
      - A Kafka to Kafka replication task (C(source_type=KAFKA_REPLICATOR_SOURCE)) with a peer instance.
      - Only the options given are compared; the service fills the others in.
    type: dict
    suboptions:
      current_cluster_name:
        description: Alias of this instance (the prefix of renamed topics).
        type: str
      cluster_name:
        description: Alias of the peer.
        type: str
      instance_id:
        description: Id of the peer instance (same region and project). Exactly one of it and O(source_task.bootstrap_servers).
        type: str
      bootstrap_servers:
        description: Addresses (C(host:port)) of the peer.
        type: list
        elements: str
      security_protocol:
        description: How to connect to the peer.
        type: str
        choices: [PLAINTEXT, SASL_SSL, SASL_PLAINTEXT]
      sasl_mechanism:
        description: SASL mechanism; required with a C(SASL_*) protocol.
        type: str
        choices: [PLAIN, SCRAM-SHA-512]
      user_name:
        description: SASL user; required with a C(SASL_*) protocol.
        type: str
      password:
        description: SASL password; required with a C(SASL_*) protocol. Never logged, returned nor compared.
        type: str
      direction:
        description: V(pull) copies from the peer, V(push) to it, V(two-way) both ways.
        type: str
        required: true
        choices: [pull, push, two-way]
      sync_consumer_offsets_enabled:
        description: Also copy consumer offsets.
        type: bool
      replication_factor:
        description: Replicas of topics the task creates on the target.
        type: int
      task_num:
        description: Number of replication tasks (the service's default is 2; V(two-way) doubles it).
        type: int
      rename_topic_enabled:
        description: Prefix target topics with the source alias; not with O(source_task.topics_mapping).
        type: bool
      provenance_header_enabled:
        description: Mark copied messages with their source (turn on for V(two-way), to avoid loops).
        type: bool
      consumer_strategy:
        description: Where the task starts reading.
        type: str
        choices: [latest, earliest]
      compression_type:
        description: Compression of the copied messages.
        type: str
        choices: [none, gzip, snappy, lz4, zstd]
      topics_mapping:
        description: Target names, as C(source:target) entries; not with O(source_task.rename_topic_enabled).
        type: list
        elements: str
  recreate:
    description:
      - What to do when the task exists with other settings. V(never) fails naming each difference; V(on_change)
        deletes it and creates it again, as it does with a task in a status it will not leave (C(ERROR),
        C(FAILED), ...); V(always) does so on every run (the only way to rotate the secrets). A task another run
        has just created is never replaced.
    type: str
    choices: [never, on_change, always]
    default: never
  validate:
    description:
      - Before creating a task, check it with the calls the official SDK offers; a failure stops the run before the
        create, in check mode too.
      - For an OBS sink task, the OBS bucket must be among the buckets the module's credentials can see (the DMS
        call that lists them), then the service's connectivity check (its OBS type) must pass; the failure names the
        bucket. For a replication task, the connectivity check of the peer.
    type: bool
    default: false
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

from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import DmsModule, resource_id_problem
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsError, NoConnectorError, ReplaceError, TaskError
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task import (
    ACTION_TARGETS,
    RUN_STATUSES,
    SINK_TASK_SPEC,
    SMART_CONNECT_OFF,
    SOURCE_TASK_SPEC,
    SmartConnectTaskApi,
    current_settings,
    is_broken,
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
from ansible_collections.hwcloud.dms.plugins.module_utils.waiting import RUNNING, is_transitional

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


def input_problems(params):
    """Every rule the argument spec cannot express, checked before any request."""
    problems = [problem for problem in [resource_id_problem("instance_id", params["instance_id"])] if problem]
    if params["wait_timeout"] is not None and params["wait_timeout"] <= 0:
        problems.append("wait_timeout must be a positive number of seconds, got %s." % params["wait_timeout"])
    return problems + task_run_problems(params)


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
    settings_given = any(params[name] is not None for name in SETTINGS_OPTIONS)
    if params["state"] != "absent" and (settings_given or params.get("task_id") is None):
        problems.extend(task_problems(params))
    return [prefix + problem for problem in problems]


class SmartConnectTaskRun(TaskRun):
    """One run of the module: find, converge the settings, then the run state."""

    def __init__(self, module, api, params=None, result=None, listing=None):
        super(SmartConnectTaskRun, self).__init__(module, api, task_result, "id", "Smart Connect task",
                                                  params=params, result=result)
        self.state = self.params["state"]
        self.task_id = self.params.get("task_id")
        # A module of several tasks lists the instance's tasks once for all of them.
        self._given_listing = listing

    def _timeout(self, kind):
        return self.params["wait_timeout"] or DEFAULT_TIMEOUTS[kind]

    def _listing(self):
        """Every task of the instance; with Smart Connect off, none (and a warning) where that is no failure."""
        if self._given_listing is not None:
            return self._given_listing
        try:
            return self.api.list_or_off()
        except NoConnectorError as error:
            if self.state == "absent":
                self.module.warn("%s, so it has no Smart Connect task %r to delete." % (
                    SMART_CONNECT_OFF % error.instance_id, self.name))
            elif self.module.check_mode:
                self.module.warn("%s yet: check mode reports the create a run would make once "
                                 "hwcloud.dms.kafka_smart_connect has enabled it; a run before that fails."
                                 % (SMART_CONNECT_OFF % error.instance_id))
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

    def _wait(self, task, targets, kind, pending=()):
        """``api.wait``, recording the task as last read, also when the wait fails."""
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
        """The task of ``task_id`` (which must agree with ``task_name`` when both are given), else of ``task_name``."""
        if self.task_id is None:
            return named(listing, self.name)
        task = next((task for task in listing.get("tasks") or [] if task.get("id") == self.task_id), None)
        if task is None:
            if self.state == "absent":
                return None
            raise TaskError("No Smart Connect task of Kafka instance %s has task_id %s." % (
                self.api.instance_id, self.task_id))
        if self.name is not None and task.get("task_name") != self.name:
            raise TaskError("Smart Connect task %s is named %r, not %r: task_id and task_name name different tasks."
                            % (self.task_id, task.get("task_name"), self.name), task_result(task))
        self.name = task.get("task_name")
        return task

    def absent(self):
        task = self._find(self._listing())
        self._diff(dict(status=task["status"]) if task else {}, {})
        if task is None:
            return
        self._record(task, changed=True)
        if self.module.check_mode:
            return
        self.result["changed"] = self.api.delete(task)
        if self.params["wait"]:
            self._wait(task, (), "action")

    def present(self):
        listing = self._listing()
        task = self._find(listing)
        given = any(self.params[name] is not None for name in SETTINGS_OPTIONS)
        wanted = wanted_settings(self.params) if given else {}
        if task is None:
            problem = quota_problem(listing, QUOTA_HINT)
            if problem:
                raise TaskError(problem, operation="create Smart Connect task %r" % self.name)
            self._diff({}, dict(wanted, status=self._goal()))
            self._bring(self._create(self._goal()), self._goal())
            return
        status = task.get("status")
        differences = settings_differences(wanted, current_settings(task, wanted))
        recreate = self.params["recreate"]
        # Without settings (a task given by task_id alone) there is nothing to create it again from.
        replace = given and (recreate == "always" or (recreate == "on_change" and (differences or is_broken(status))))
        goal = self._goal(status) if replace or self.state != "present" else status
        self._diff(dict(current_settings(task, wanted), status=status), dict(wanted, status=goal))
        self._record(task)
        if replace:
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
            self.api.validate(body)
        if self.module.check_mode:
            self._record(dict(body, id=None, status=goal), changed=True)
            return None
        created, created_here = self.api.create_once(body)
        self._record(created, changed=created_here or self.result["changed"])
        if not created_here:
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
        """Bring a task this run created to ``goal``: a paused one is paused once it runs."""
        if task is None:
            return
        if goal == "PAUSED":
            # Pausing needs RUNNING: waited for whatever wait says, as it is not the last call.
            self._act(self._wait(task, (RUNNING,), "create"), "pause")
        elif self.params["wait"]:
            self._wait(task, (goal,), "create")

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

    def _act(self, task, action):
        """Send ``action`` and, with wait, wait until the task is where it brings it."""
        target = ACTION_TARGETS[action]
        if self.module.check_mode:
            self._record(dict(task, status=target), changed=True)
            return
        accepted = self.api.act(task, action)
        self.result["changed"] = self.result["changed"] or accepted
        if self.params["wait"]:
            self._wait(task, (target,), "action", pending=(task.get("status"),))


def run(module):
    api = SmartConnectTaskApi(module.api_client(), module.project_id, module.params["instance_id"],
                              attempts=module.params["retries"] + 1)
    task_run = SmartConnectTaskRun(module, api)
    if module.params["state"] == "absent":
        task_run.absent()
    else:
        task_run.present()


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
