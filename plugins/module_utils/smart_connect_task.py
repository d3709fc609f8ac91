# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Smart Connect tasks (Kafka to OBS, Kafka to Kafka): options, field rules, body, comparison, API calls.

Shared by ``kafka_smart_connect_task`` and its info module; knows nothing of HTTP beyond
``ApiClient.request`` and nothing of Ansible.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

from ansible_collections.hwcloud.dms.plugins.module_utils import change
from ansible_collections.hwcloud.dms.plugins.module_utils.change import Change, create_once, is_going
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsApiError, NoConnectorError, TaskError
from ansible_collections.hwcloud.dms.plugins.module_utils.field_model import (
    DELIMITER,
    FLAG,
    LIST,
    MAYBE_ECHOED,
    NUMBER,
    WRITE_ONLY,
    Field,
    body_of,
    current_of,
    model,
    secrets_of,
    wanted_of,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.kafka_instance import (
    SmartConnectApi,
    instance_is_busy,
    show_instance,
    smart_connect_on,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.sink_task import (
    CONSUMER_STRATEGIES,
    DELIVER_TIME_INTERVAL_RANGE,
    OBS_DESTINATION_DESCRIPTOR_SPEC,
    delimiter_problem,
    topics_problems,
    topics_regex_problem,
)
from ansible_collections.hwcloud.dms.plugins.module_utils import waiting as waiting_module
from ansible_collections.hwcloud.dms.plugins.module_utils.task_run import named
from ansible_collections.hwcloud.dms.plugins.module_utils.waiting import RUNNING, is_transitional

PAGE_SIZE = 50
SMART_CONNECT_OFF = "Smart Connect is not on for Kafka instance %s"
SECURITY_PROTOCOLS = ["PLAINTEXT", "SASL_SSL", "SASL_PLAINTEXT"]
SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-512"]
COMPRESSION_TYPES = ["none", "gzip", "snappy", "lz4", "zstd"]
TOPIC_MAPPING_PATTERN = re.compile(r"^[A-Za-z0-9._-]+:[A-Za-z0-9._-]+$")

# The OBS fields are the dumping task's, less its topics (top level here) and the TXT spelling, plus store_keys; no
# default in the options, so that an option not set is never compared (the model sends consumer_strategy's).
SINK_TASK_SPEC = dict((name, option) for name, option in OBS_DESTINATION_DESCRIPTOR_SPEC.items()
                      if name not in ("topics", "topics_regex"))
# OBS is reached with keys (the documented way) or through an IAM agency, or both (Terraform sends agency_name
# beside the keys; neither the public API reference nor the SDK's models have it).
SINK_TASK_SPEC.update(consumer_strategy=dict(type="str", choices=CONSUMER_STRATEGIES),
                      destination_file_type=dict(type="str", choices=["TEXT"]), store_keys=dict(type="bool"),
                      access_key=dict(type="str", no_log=False), secret_key=dict(type="str", no_log=True),
                      agency_name=dict(type="str"))
SOURCE_TASK_SPEC = dict(
    current_cluster_name=dict(type="str"),
    cluster_name=dict(type="str"),
    instance_id=dict(type="str"),
    bootstrap_servers=dict(type="list", elements="str"),
    security_protocol=dict(type="str", choices=SECURITY_PROTOCOLS),
    sasl_mechanism=dict(type="str", choices=SASL_MECHANISMS),
    user_name=dict(type="str"),
    password=dict(type="str", no_log=True),
    direction=dict(type="str", choices=["pull", "push", "two-way"], required=True),
    sync_consumer_offsets_enabled=dict(type="bool"),
    replication_factor=dict(type="int"),
    task_num=dict(type="int"),
    rename_topic_enabled=dict(type="bool"),
    provenance_header_enabled=dict(type="bool"),
    consumer_strategy=dict(type="str", choices=CONSUMER_STRATEGIES),
    compression_type=dict(type="str", choices=COMPRESSION_TYPES),
    topics_mapping=dict(type="list", elements="str"),
)
# The field model of each part of a task (see field_model): the top level, an OBS sink, a replication source.
TOP_FIELDS = model(topics=Field(LIST), topics_regex=Field())
SINK_FIELDS = model(
    consumer_strategy=Field(default="latest", sent_default=True),  # Terraform: required for OBS_SINK
    destination_file_type=Field(default="TEXT"),
    deliver_time_interval=Field(NUMBER, default=300),  # the SDK's default
    access_key=Field(echo=WRITE_ONLY),
    secret_key=Field(echo=WRITE_ONLY),
    obs_bucket_name=Field(),
    obs_path=Field(),
    partition_format=Field(),
    record_delimiter=Field(DELIMITER, default="\n"),
    store_keys=Field(FLAG, default=False),
    # In no answer model (Terraform reads it back): compared when an answer carries it, also when not set, as a
    # task that reaches OBS through an agency is not the task declared with keys alone.
    agency_name=Field(echo=MAYBE_ECHOED, compared_unset=True),
)
SOURCE_FIELDS = model(
    current_cluster_name=Field(),
    cluster_name=Field(),
    instance_id=Field(),
    bootstrap_servers=Field(LIST),
    security_protocol=Field(default="PLAINTEXT"),
    sasl_mechanism=Field(),
    user_name=Field(),
    password=Field(echo=WRITE_ONLY),
    direction=Field(),
    sync_consumer_offsets_enabled=Field(FLAG, default=False),
    replication_factor=Field(NUMBER),
    # The SDK: a two-way task runs twice the tasks set, and an answer may report either.
    task_num=Field(NUMBER, default=2, doubled_by=("direction", "two-way")),
    rename_topic_enabled=Field(FLAG, default=False),
    provenance_header_enabled=Field(FLAG, default=False),
    consumer_strategy=Field(default="latest"),
    compression_type=Field(default="none"),
    topics_mapping=Field(LIST),
)
# Each side: its option, the API's type value, its options and its field model.
SIDES = dict(
    sink_task=dict(type_field="sink_type", type_value="OBS_SINK", spec=SINK_TASK_SPEC, fields=SINK_FIELDS),
    source_task=dict(type_field="source_type", type_value="KAFKA_REPLICATOR_SOURCE", spec=SOURCE_TASK_SPEC,
                     fields=SOURCE_FIELDS),
)


def smart_connect_off(instance_id, status=None):
    """The phrase for an instance without Smart Connect; an instance busy with a change says so."""
    if status and is_transitional(status):
        return "Smart Connect is not on for Kafka instance %s yet (the instance is %s: Smart Connect being " \
               "enabled, or another change)" % (instance_id, status)
    return SMART_CONNECT_OFF % instance_id


def side_of(params):
    """``sink_task`` or ``source_task``: the side the options give."""
    return "sink_task" if params.get("sink_task") is not None else "source_task"


def task_problems(params):
    """Every field rule the argument spec cannot express, each naming its option."""
    problems = []
    if (params["topics"] is None) == (params["topics_regex"] is None):
        problems.append("topics or topics_regex is required, and only one of them.")
    if params["topics"] is not None:
        problems.extend(topics_problems("", params["topics"]))
    if params["topics_regex"] is not None:
        problems.extend(problem for problem in [topics_regex_problem("", params["topics_regex"])] if problem)
    if (params["sink_task"] is None) == (params["source_task"] is None):
        return problems + ["sink_task (Kafka to OBS) or source_task (Kafka to Kafka) is required, and only one of them."]
    if params["sink_task"] is not None:
        return problems + _sink_problems(params["sink_task"])
    return problems + _source_problems(params["source_task"])


def _sink_problems(sink):
    not_empty = ("access_key", "secret_key", "obs_bucket_name", "agency_name")
    problems = ["sink_task.%s must not be empty." % name for name in not_empty
                if sink[name] is not None and not sink[name].strip()]
    keys = [name for name in ("access_key", "secret_key") if sink[name] is not None]
    if len(keys) == 1:
        problems.append("sink_task.access_key and sink_task.secret_key go together; only sink_task.%s is set."
                        % keys[0])
    elif sink["agency_name"] is None and not keys:
        problems.append("sink_task.access_key and sink_task.secret_key (OBS keys), or sink_task.agency_name (an "
                        "IAM agency the service writes to OBS through), are required.")
    low, high = DELIVER_TIME_INTERVAL_RANGE
    if not low <= sink["deliver_time_interval"] <= high:
        problems.append("sink_task.deliver_time_interval must be %s to %s seconds, got %s."
                        % (low, high, sink["deliver_time_interval"]))
    # The dumping-task page's obs_path pattern is stated by no Smart Connect page: the service decides.
    problems.extend(problem for problem in [delimiter_problem("sink_task.record_delimiter", sink["record_delimiter"])]
                    if problem)
    return problems


def _source_problems(source):
    problems = []
    if bool(source["instance_id"]) == bool(source["bootstrap_servers"]):
        problems.append("source_task.instance_id (a peer instance) or source_task.bootstrap_servers is required, "
                        "and only one of them.")
    if (source["security_protocol"] or "").startswith("SASL"):
        problems.extend("source_task.%s is required with security_protocol %s." % (name, source["security_protocol"])
                        for name in ("sasl_mechanism", "user_name", "password") if not source[name])
    if source["rename_topic_enabled"] and source["topics_mapping"]:
        problems.append("source_task.rename_topic_enabled and source_task.topics_mapping exclude each other.")
    problems.extend("source_task.%s must be at least 1, got %s." % (name, source[name])
                    for name in ("task_num", "replication_factor") if source[name] is not None and source[name] < 1)
    problems.extend("source_task.topics_mapping entry %r is not 'source:target'." % entry
                    for entry in source["topics_mapping"] or [] if not TOPIC_MAPPING_PATTERN.match(entry.strip()))
    return problems


def task_body(params, start_later=False):
    """The create request body, in the API's shape, from the field model: the options set, and the defaults
    the options document."""
    side = side_of(params)
    body = dict(task_name=params["task_name"], **body_of(TOP_FIELDS, params))
    if start_later:
        body["start_later"] = True
    body[SIDES[side]["type_field"]] = SIDES[side]["type_value"]
    body[side] = body_of(SIDES[side]["fields"], params[side])
    return body


def wanted_settings(params):
    """The comparable settings the user set (no secrets), flat: ``topics``, ``sink_task.obs_bucket_name``, ..."""
    side = side_of(params)
    return dict(wanted_of(TOP_FIELDS, params), **wanted_of(SIDES[side]["fields"], params[side], side + "."))


def current_settings(task, settings):
    """The settings of ``task`` as the service shows it, for the names in ``settings`` (the wanted ones)."""
    found = current_of(TOP_FIELDS, task, dict((name, value) for name, value in settings.items() if "." not in name))
    for side, facts in SIDES.items():
        found.update(current_of(facts["fields"], task.get(side), settings, side + "."))
    return found


def ambiguous_doubles(task, wanted):
    """What to say of each doubled number (``task_num`` of a two-way task) that is read as half its report where the
    report also equals the number wanted: a service that reports the number set would mean no difference."""
    notes = []
    for side, facts in SIDES.items():
        shown = task.get(side) or {}
        for name, field in facts["fields"].items():
            key = "%s.%s" % (side, name)
            reported = shown.get(name)
            if field.doubled_in(shown) and key in wanted and reported is not None and \
                    field.normal(reported) == wanted[key]:
                notes.append("Smart Connect task %r reports %s %s for a two-way task: read as %s, as the SDK says a "
                             "two-way task runs twice the tasks set. If this service reports the number set instead, "
                             "the task has %s and nothing differs." % (task.get("task_name"), key, reported,
                                                                       wanted[key] // 2, wanted[key]))
    return notes


def shown_settings(task):
    """Every setting ``task`` shows, flat and comparable as ``wanted_settings`` names them (no secret): what a
    delete loses, for its diff."""
    every = dict((name, None) for name in TOP_FIELDS if task.get(name))
    for side, facts in SIDES.items():
        every.update(("%s.%s" % (side, name), None) for name in facts["fields"] if name in (task.get(side) or {}))
    return dict((name, value) for name, value in current_settings(task, every).items() if value is not None)


def task_result(task):
    """The task as modules return it: the service's fields, ``id`` also as ``task_id``, never a secret key
    of either side, not even masked."""
    result = dict(task)
    result["task_id"] = task.get("id")
    for side, facts in SIDES.items():
        secrets = secrets_of(facts["fields"])
        result[side] = dict((name, value) for name, value in (task.get(side) or {}).items() if name not in secrets)
    return result


# The status each action brings a task to.
ACTION_TARGETS = dict(pause="PAUSED", resume=RUNNING, start=RUNNING, restart=RUNNING)
# Statuses a task is kept in on purpose; any other that does not end in ING is final (ERROR, FAILED, ...).
RUN_STATUSES = (RUNNING, "PAUSED", "WAITING")


def is_broken(status):
    """Whether a task in ``status`` is stuck there: not a run status and not on its way to one."""
    return status not in RUN_STATUSES and not is_transitional(status)


class SmartConnectTaskApi:
    """The Smart Connect task calls of one instance; every failure names its operation.

    Changes (create, delete, actions) go through ``change.Change``: sent once, and read back when their answer
    is lost or refused (a second pause of a task that the first one paused is refused by the service).
    """

    # Each action's paths, in the order tried: start and restart go to the /kafka/ path the reference pages and
    # Terraform use, and to the instance-level one (the SDK's RestartSmartConnectorTask) where the gateway has
    # not published that (its 404: DmsApiError.unpublished).
    RESTART_PATHS = ("/v2/%s/kafka/instances/%s/connector/tasks/%s/restart",
                     "/v2/%s/instances/%s/connector/tasks/%s/restart")
    ACTION_PATHS = dict(pause=("/v2/%s/instances/%s/connector/tasks/%s/pause",),
                        resume=("/v2/%s/instances/%s/connector/tasks/%s/resume",),
                        start=RESTART_PATHS, restart=RESTART_PATHS)

    def __init__(self, client, project_id, instance_id, attempts=4, clock=time.monotonic, sleep=time.sleep):
        self._client = client
        self._project_id = project_id
        self.instance_id = instance_id
        self._path = "/v2/%s/instances/%s/connector/tasks" % (project_id, instance_id)
        self._attempts = attempts
        self._clock = clock
        self._sleep = sleep
        # Paths the gateway answered as unpublished, not tried again in this run.
        self._unpublished = set()

    def list_all(self):
        """Every task of the instance and the quota figures: the last page's listing, with every task."""
        tasks = []
        while True:
            page = self._client.request("GET", self._path, query=[("offset", len(tasks)), ("limit", PAGE_SIZE)],
                                        operation="list the Smart Connect tasks of instance %s" % self.instance_id) or {}
            # The next page starts after the tasks received, whatever the length of this one.
            tasks.extend(page.get("tasks") or [])
            if not page.get("tasks") or len(tasks) >= (page.get("total_number") or 0):
                return dict(page, tasks=tasks)

    def list_or_off(self, wait_timeout=None):
        """``list_all()``; ``NoConnectorError`` when it fails because Smart Connect is off on the instance.

        The instance is read only when the list fails, so a no-change run stays one request. An instance in
        the middle of a change (Smart Connect being enabled: ``EXTENDING``) is waited for, within
        ``wait_timeout`` seconds, and listed again; without a ``wait_timeout`` (check mode) it counts as off,
        the error's ``status`` saying what it is doing.
        """
        try:
            return self.list_all()
        except DmsApiError as error:
            if not error.refused:
                raise
            instance = show_instance(self._client, self._project_id, self.instance_id)
            if instance_is_busy(instance) and wait_timeout:
                instance = SmartConnectApi(self._client, self._project_id, self.instance_id, self._clock,
                                           self._sleep).wait_until(None, wait_timeout)
                if smart_connect_on(instance):
                    return self.list_all()
            elif smart_connect_on(instance) and not instance_is_busy(instance):
                raise
            raise NoConnectorError(smart_connect_off(self.instance_id, instance.get("status")) + ": enable it with "
                                   "hwcloud.dms.kafka_smart_connect (state: present), then run again.", self.instance_id,
                                   instance.get("status"))

    def listed(self, task_id):
        """The task with ``task_id`` as the list shows it, or ``None``: the list decides whether a task exists."""
        return named(self.list_all(), task_id, field="id")

    def read(self, task_id):
        """The task; ``None`` when the list no longer has it.

        A missing task may answer its show with 404 or with a 400 and a DMS code: after any refusal
        the list decides.
        """
        try:
            return self._client.request("GET", "%s/%s" % (self._path, task_id),
                                        operation="read Smart Connect task %s" % task_id)
        except DmsApiError as error:
            if not error.refused:
                raise
            # NoConnectorError when the refusal is Smart Connect being off, as for a task found by name.
            return named(self.list_or_off(), task_id, field="id")

    def create_once(self, body):
        """Create the task exactly once (``client.create_once``); ``(task, created_here)``."""
        return create_once(self._client, self._path, body, "create Smart Connect task %r" % body["task_name"],
                           lambda: named(self.list_all(), body["task_name"]), self._attempts)

    def delete(self, task):
        """Delete the task (``change.Change``); whether this call deleted it (``False``: it was gone before this
        run's call). A read after a lost answer that shows the task in a new status ending in ING (``DELETING``,
        which no source documents) proves the delete taken, not the task gone: a wait for it goes on."""
        operation = "delete Smart Connect task %r (id %s)" % (task["task_name"], task["id"])
        outcome = Change(
            send=lambda: self._client.request("DELETE", "%s/%s" % (self._path, task["id"]), operation=operation,
                                              repeatable=False),
            read=lambda: self.listed(task["id"]),
            took=lambda shown: is_going(shown, task.get("status"))).send(self._attempts, self._client.pause_before_retry)
        return outcome.made

    def _send_action(self, action, task, operation):
        """One PUT of ``action``, to the first of its paths the gateway has published."""
        paths = [path for path in self.ACTION_PATHS[action] if path not in self._unpublished]
        for path in paths:
            try:
                return self._client.request("PUT", path % (self._project_id, self.instance_id, task["id"]),
                                            operation=operation, repeatable=False)
            except DmsApiError as error:
                # The gateway's own 404: the service never saw the call, so the next path is safe to try.
                if not error.unpublished or path == paths[-1]:
                    raise
                self._unpublished.add(path)
        return None

    def act(self, task, action):
        """Send ``pause``, ``resume``, ``start`` or ``restart`` (``change.Change``); ``(accepted, seen)``: whether
        the service took this run's call, and whether its effect was seen.

        A call without an answer is read back: it took effect when the task leaves the status it was in for the
        call's target or a status on the way (within ``change.LOST_ANSWER_SETTLE_SECONDS``), else it is sent again.
        A refused call is no change of this run's: fine when the reads show the task there or on its way (another
        run's call, or this run's own earlier one, is under way; reads may show the status before it for a while),
        an error otherwise. A restart of a RUNNING task ends where it began, and RESTARTING may pass between two
        reads: no read can show it, so without an answer it is never sent again (a second restart resets the
        progress again), and it is reported accepted but not seen; refused, it stands.
        """
        target = ACTION_TARGETS[action]
        before = task.get("status")
        visible = before != target
        operation = "%s Smart Connect task %r (id %s)" % (action, task["task_name"], task["id"])

        def under_way(shown):
            status = (shown or {}).get("status")
            return shown is not None and status != before and (status == target or is_transitional(status))

        outcome = Change(
            send=lambda: self._send_action(action, task, operation), read=lambda: self.read(task["id"]),
            took=under_way, settle_seconds=change.LOST_ANSWER_SETTLE_SECONDS, refusal_settles=True,
            read_on_refusal=lambda error: visible and change.may_mean_done(error), hopeless=lambda shown: shown is None,
            visible=visible, clock=self._clock, sleep=self._sleep).send(self._attempts, self._client.pause_before_retry)
        return outcome.made, outcome.seen

    def obs_bucket_names(self):
        """The names of the OBS buckets the caller's credentials can see (the DMS call the console uses);
        ``None`` where the gateway has not published the call (a region without it)."""
        try:
            buckets = self._client.request("GET", "/v1.0/dms/obs/buckets", operation="list the OBS buckets") or []
        except DmsApiError as error:
            if error.unpublished:
                return None
            raise
        return [bucket.get("bucketName") for bucket in buckets if isinstance(bucket, dict)]

    def validate(self, body, warn):
        """Check a task before it is created, with the calls the official SDK offers for it: for an OBS sink
        task, that the bucket list has its bucket (skipped, with ``warn``, where the call does not exist); for
        a replication task, the connectivity check of the peer, with the replicator's fields and the peer's password
        (Terraform's body; the SDK's model lacks the password). No OBS field goes to the connectivity check: its model
        has none."""
        operation = "validate Smart Connect task %r" % body["task_name"]
        if body.get("sink_type") == "OBS_SINK":
            bucket = body["sink_task"].get("obs_bucket_name")
            names = self.obs_bucket_names()
            if names is None:
                warn("The OBS bucket list (GET /v1.0/dms/obs/buckets) is not published in this region: validate did "
                     "not check that bucket %r exists." % bucket)
            elif bucket not in names:
                raise TaskError(
                    "OBS bucket %r is not among the buckets that the credentials this module signs its requests with "
                    "can list (not sink_task's keys or agency, which the task writes with). Check "
                    "sink_task.obs_bucket_name; if the bucket exists, those credentials may not be allowed to list "
                    "it (set validate: false to skip this check)." % bucket, operation=operation)
            return
        # The replicator's fields with the peer's password, as Terraform (tested on the real service) sends them: the
        # SDK's model of the check has no password, and a SASL peer cannot be checked without one.
        self._client.request("POST", "/v2/%s/instances/%s/connector/validate" % (self._project_id, self.instance_id),
                             body=dict(type=SIDES["source_task"]["type_value"], task=body["source_task"]),
                             operation="%s on instance %s" % (operation, self.instance_id))

    def wait(self, task, targets, timeout, pending=()):
        """Poll the task until its status is one of ``targets`` (empty: until the list no longer has it): the shared
        wait (``waiting.wait_together``) of one task, read by its show (by the list for a wait until gone).

        ``pending`` (the status before a call), ``CREATING``, ``RESTARTING`` and any status ending
        in ``ING`` are waited out; any other status fails at once, naming it. Errors carry the task
        as last read.
        """
        ended = []

        def read():
            shown = self.read(task["id"]) if targets else self.listed(task["id"])
            return lambda _wait: shown

        waiting_module.wait_together(read, [TaskWait(task, targets, timeout, pending)],
                                     lambda _wait, shown, error: ended.append((shown, error)), self._clock, self._sleep)
        shown, error = ended[0]
        if error is not None:
            raise error
        return shown

    def wait_together(self, waits, on_done):
        """Wait for every ``TaskWait`` of ``waits`` (``waiting.wait_together``) with one list request a poll: the list
        carries whole tasks, so one read serves them all."""
        def read():
            listing = self.list_all()
            return lambda wait: named(listing, wait.task["id"], field="id")

        waiting_module.wait_together(read, waits, on_done, self._clock, self._sleep)


class TaskWait:
    """What a wait for one task waits for: ``targets`` (empty: gone), the statuses still ``pending``, ``timeout``
    seconds; ``settled(shown)`` says whether it is done, or raises when it never will be. ``then(shown)``, where
    given, is what follows once it is (a task created to be paused is paused once it runs)."""

    def __init__(self, task, targets, timeout, pending=(), then=None):
        self.task = task
        self.then = then
        self.targets = tuple(targets)
        self.timeout = timeout
        self.pending = tuple(pending)
        self.wanted = " or ".join(self.targets) or "gone"

    def settled(self, shown):
        task = self.task
        if shown is None:
            if not self.targets:
                return True
            raise TaskError("Smart Connect task %r (id %s) disappeared while waiting for it to be %s."
                            % (task["task_name"], task["id"], self.wanted))
        status = shown.get("status")
        if status in self.targets:
            return True
        if not self.targets or status in self.pending or is_transitional(status):
            return False
        raise TaskError("Smart Connect task %r (id %s) is in status %s, not %s, and will not get there by "
                        "waiting." % (task["task_name"], task["id"], status, self.wanted), task_result(shown))

    def timed_out(self, shown):
        return TaskError("Smart Connect task %r (id %s) was not %s within wait_timeout %s seconds; last status %s."
                         % (self.task["task_name"], self.task["id"], self.wanted, int(round(self.timeout)),
                            (shown or {}).get("status")), task_result(shown) if shown else None)
