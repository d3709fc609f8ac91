# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Kafka dumping (sink) tasks: the API calls, option validation, body, comparison, result shape.

Shared by ``kafka_sink_task`` and ``kafka_sink_task_info``; knows nothing of HTTP
beyond ``ApiClient.request`` and nothing of Ansible.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

from ansible_collections.hwcloud.dms.plugins.module_utils.client import DmsApiError, DmsTransportError

PARTITION_FORMATS = ["yyyy", "yyyy/MM", "yyyy/MM/dd", "yyyy/MM/dd/HH", "yyyy/MM/dd/HH/mm"]
RECORD_DELIMITERS = [",", ";", "|", "\n", ""]
CONSUMER_STRATEGIES = ["latest", "earliest"]
# The reference page's field table says TXT, its example and every SDK say TEXT: send TEXT.
FILE_TYPE_SPELLINGS = {"TEXT": "TEXT", "TXT": "TEXT"}
DELIVER_TIME_INTERVAL_RANGE = (30, 900)
OBS_PATH_PATTERN = re.compile(r"^[A-Za-z0-9_/-]{1,64}$")
# Ids go into URL paths unencoded, so only the characters real ids use are accepted.
RESOURCE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# The service returns this for a partition_format it did not record.
UNRECORDED = "N/A"
# Polling while waiting: first pause, growth factor, longest pause (seconds).
POLL_FIRST_SECONDS = 0.5
POLL_GROWTH = 2
POLL_MAX_SECONDS = 10.0

# The connector options (doc fragment hwcloud.dms.dms.connector) and their rules.
CONNECTOR_ARGUMENT_SPEC = dict(
    connector_id=dict(type="str"),
    instance_id=dict(type="str"),
)
CONNECTOR_RULES = dict(
    required_one_of=[("connector_id", "instance_id")],
    mutually_exclusive=[("connector_id", "instance_id")],
)

OBS_DESTINATION_DESCRIPTOR_SPEC = dict(
    topics=dict(type="list", elements="str"),
    topics_regex=dict(type="str"),
    consumer_strategy=dict(type="str", choices=CONSUMER_STRATEGIES, default="latest"),
    destination_file_type=dict(type="str", choices=sorted(FILE_TYPE_SPELLINGS), default="TEXT"),
    access_key=dict(type="str", required=True, no_log=False),
    secret_key=dict(type="str", required=True, no_log=True),
    obs_bucket_name=dict(type="str", required=True),
    obs_path=dict(type="str"),
    partition_format=dict(type="str", required=True, choices=PARTITION_FORMATS),
    record_delimiter=dict(type="str", choices=RECORD_DELIMITERS, default="\n"),
    deliver_time_interval=dict(type="int", required=True),
)

# topics / topics_regex: exactly one is checked by descriptor_problems, not by the argument spec,
# which would count an explicit null (common with templated options) as given.
OBS_DESTINATION_DESCRIPTOR_OPTION = dict(type="dict", options=OBS_DESTINATION_DESCRIPTOR_SPEC)

# The settings compared between the task wanted and the task found; secrets cannot be.
COMPARED_SETTINGS = ("consumer_strategy", "destination_file_type", "obs_bucket_name", "obs_path",
                     "partition_format", "record_delimiter", "deliver_time_interval")


def resource_id_problem(option, value):
    """Why ``value`` is not a usable id for ``option``, or ``None``."""
    if value is not None and not RESOURCE_ID_PATTERN.match(value):
        return "%s %r must be 1 to 64 letters, digits, '-' or '_'." % (option, value)
    return None


def descriptor_problems(descriptor):
    """Field-rule violations the argument spec cannot express, each naming its option."""
    prefix = "obs_destination_descriptor."
    problems = []
    topics = descriptor.get("topics")
    if (topics is None) == (descriptor.get("topics_regex") is None):
        problems.append(prefix + "topics or topics_regex is required, and only one of them.")
    if topics is not None:
        if not topics:
            problems.append(prefix + "topics must name at least one topic.")
        for topic in topics:
            if not topic or not topic.strip() or "," in topic:
                problems.append(prefix + "topics entries must be non-empty topic names without ',', got %r." % topic)
    regex = descriptor.get("topics_regex")
    if regex is not None:
        if not regex.strip():
            problems.append(prefix + "topics_regex must not be empty.")
        elif regex == ".*":
            problems.append(prefix + "topics_regex must not be '.*' (the service refuses to dump every topic).")
        else:
            try:
                re.compile(regex)
            except re.error as error:
                problems.append(prefix + "topics_regex %r is not a valid regular expression: %s." % (regex, error))
    for option in ("access_key", "secret_key", "obs_bucket_name"):
        value = descriptor.get(option)
        if value is not None and not value.strip():
            problems.append(prefix + option + " must not be empty.")
    obs_path = descriptor.get("obs_path")
    if obs_path and not OBS_PATH_PATTERN.match(obs_path):
        problems.append(prefix + "obs_path must be at most 64 letters, digits, '_', '-' or '/', got %r." % obs_path)
    interval = descriptor.get("deliver_time_interval")
    low, high = DELIVER_TIME_INTERVAL_RANGE
    if interval is not None and not low <= interval <= high:
        problems.append(prefix + "deliver_time_interval must be %s to %s seconds, got %s." % (low, high, interval))
    return problems


def _topics_text(descriptor):
    if descriptor.get("topics_regex") is not None:
        return descriptor["topics_regex"]
    return ",".join(descriptor["topics"])


def desired_task_body(task_name, source_type, destination_type, descriptor):
    """The create request body, exactly in the API's shape: no nulls, no undefined keys."""
    obs = dict(
        consumer_strategy=descriptor["consumer_strategy"],
        destination_file_type=FILE_TYPE_SPELLINGS[descriptor["destination_file_type"]],
        access_key=descriptor["access_key"],
        secret_key=descriptor["secret_key"],
        obs_bucket_name=descriptor["obs_bucket_name"],
        partition_format=descriptor["partition_format"],
        record_delimiter=descriptor["record_delimiter"],
        deliver_time_interval=descriptor["deliver_time_interval"],
    )
    if descriptor.get("topics_regex") is not None:
        obs["topics_regex"] = descriptor["topics_regex"]
    else:
        obs["topics"] = _topics_text(descriptor)
    if descriptor.get("obs_path"):
        obs["obs_path"] = descriptor["obs_path"]
    return dict(source_type=source_type, task_name=task_name, destination_type=destination_type,
                obs_destination_descriptor=obs)


def _topic_names(text):
    return sorted(set(name.strip() for name in (text or "").split(",") if name.strip()))


def desired_settings(descriptor):
    """The comparable settings wanted, keyed by option name (no secrets)."""
    settings = dict(
        consumer_strategy=descriptor["consumer_strategy"],
        destination_file_type=FILE_TYPE_SPELLINGS[descriptor["destination_file_type"]],
        obs_bucket_name=descriptor["obs_bucket_name"],
        obs_path=descriptor.get("obs_path") or "",
        partition_format=descriptor["partition_format"],
        record_delimiter=descriptor["record_delimiter"],
        deliver_time_interval=descriptor["deliver_time_interval"],
    )
    if descriptor.get("topics_regex") is not None:
        settings["topics_regex"] = descriptor["topics_regex"]
    else:
        settings["topics"] = sorted(set(descriptor["topics"]))
    return settings


def current_settings(task, like):
    """The comparable settings of a task the service showed, in the form of ``like``.

    The service reports topics and a topics regex in one field, ``topics``; it is
    read as a set of names or as the regex, whichever the wanted settings use.
    """
    obs = task.get("obs_destination_descriptor") or {}
    settings = dict((name, obs.get(name)) for name in COMPARED_SETTINGS)
    settings["obs_path"] = settings["obs_path"] or ""
    interval = settings["deliver_time_interval"]
    if isinstance(interval, str) and interval.isdigit():
        settings["deliver_time_interval"] = int(interval)
    if "topics_regex" in like:
        settings["topics_regex"] = task.get("topics")
    else:
        settings["topics"] = _topic_names(task.get("topics"))
    return settings


def settings_differences(wanted, current):
    """``[(option, current value, wanted value)]`` for every setting that differs."""
    differences = []
    for name in sorted(wanted):
        have, want = current.get(name), wanted[name]
        if name == "partition_format" and have == UNRECORDED:
            continue
        if have != want:
            differences.append((name, have, want))
    return differences


def task_result(task):
    """The task as modules return it: the service's fields that exist, never secrets."""
    result = dict((name, task.get(name)) for name in
                  ("task_id", "task_name", "status", "topics", "destination_type", "create_time"))
    obs = task.get("obs_destination_descriptor")
    if obs is not None:
        result["obs_destination_descriptor"] = dict(
            (name, value) for name, value in obs.items() if name not in ("access_key", "secret_key"))
    if "topics_info" in task:
        result["topics_info"] = [
            dict(topic=topic.get("topic"), partitions=[_partition_result(p) for p in topic.get("partitions") or []])
            for topic in task["topics_info"] or []]
    return result


def _integer_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _partition_result(partition):
    # The service sends offsets and lag as strings; playbooks compare numbers.
    return dict(
        partition_id=_integer_or_none(partition.get("partition_id")),
        status=partition.get("status"),
        last_transfer_offset=_integer_or_none(partition.get("last_transfer_offset")),
        log_end_offset=_integer_or_none(partition.get("log_end_offset")),
        lag=_integer_or_none(partition.get("lag")),
    )


def planned_task(body):
    """What a task about to be created looks like, for check mode: no id, no secrets."""
    return task_result(dict(
        task_id=None, task_name=body["task_name"], status=None, destination_type=body["destination_type"],
        create_time=None, topics=body["obs_destination_descriptor"].get("topics")
        or body["obs_destination_descriptor"].get("topics_regex"),
        obs_destination_descriptor=body["obs_destination_descriptor"]))


class SinkTaskApi:
    """The sink-task calls of one connector."""

    def __init__(self, client, project_id, connector_id):
        self._client = client
        self._path = "/v2/%s/connectors/%s/sink-tasks" % (project_id, connector_id)

    def list_tasks(self):
        """The list response: ``tasks`` and the quota figures."""
        return self._client.request("GET", self._path) or {}

    def find_by_name(self, task_name):
        """The list entry of the task named ``task_name``, or ``None``."""
        for task in self.list_tasks().get("tasks") or []:
            if task.get("task_name") == task_name:
                return task
        return None

    def show(self, task_id, topic_info=False):
        """The task in full; ``None`` when it does not exist."""
        query = [("topic-info", True)] if topic_info else None
        try:
            task = self._client.request("GET", "%s/%s" % (self._path, task_id), query=query)
        except DmsApiError as error:
            if error.status == 404:
                return None
            raise
        task = dict(task or {})
        task.setdefault("task_id", task_id)
        return task

    def pause_before_retry(self, attempt):
        """Wait as the client waits between attempts, before retry number ``attempt``."""
        self._client.pause_before_retry(attempt)

    def create(self, body):
        """Create a task; return its id."""
        return (self._client.request("POST", self._path, body=body) or {}).get("task_id")

    def delete(self, task_id):
        """Delete a task; ``False`` when it was already gone before this call."""
        try:
            self._client.request("DELETE", "%s/%s" % (self._path, task_id))
        except DmsApiError as error:
            # A 404 after a retried attempt means that earlier attempt deleted it.
            if error.status == 404:
                return error.attempts > 1
            raise
        return True


def connector_problems(params):
    """Problems of the connector options, before any request."""
    return [problem for problem in (resource_id_problem(option, params[option])
                                    for option in CONNECTOR_ARGUMENT_SPEC) if problem]


def sink_task_api(module):
    """The ``SinkTaskApi`` of the connector the module's options name (directly or by instance)."""
    client = module.api_client()
    connector_id = module.params["connector_id"] or connector_id_of_instance(
        client, module.project_id, module.params["instance_id"])
    return SinkTaskApi(client, module.project_id, connector_id)


def connector_id_of_instance(client, project_id, instance_id):
    """The dumping connector id of a Kafka instance; ``SinkTaskError`` when it has none."""
    instance = client.request("GET", "/v2/%s/instances/%s" % (project_id, instance_id)) or {}
    connector_id = instance.get("connector_id")
    if not instance.get("connector_enable") or not connector_id:
        raise SinkTaskError(
            "Kafka instance %s does not have message dumping enabled, so it has no dump connector. "
            "Enable dumping on the instance first (console: the instance's Message Dumping (Dumping) page, "
            "Enable; or the DMS API's create connector call), then run again, or pass connector_id." % instance_id)
    return connector_id


class SinkTaskError(Exception):
    """A failure that is not an API error; ``task`` is the task concerned, when there is one."""

    def __init__(self, message, task=None):
        super(SinkTaskError, self).__init__(message)
        self.task = task


# What a module run can fail with once it talks to the service.
RUN_FAILURES = (DmsApiError, DmsTransportError, SinkTaskError)


def wait_for_task(api, task_id, timeout, until, clock=time.monotonic, sleep=time.sleep):
    """Poll a task until its status is ``until`` (``None``: until it is gone); return it.

    Pauses grow from POLL_FIRST_SECONDS to POLL_MAX_SECONDS and never pass the
    deadline. Raises ``SinkTaskError`` on status ``ERROR`` or when ``timeout`` passes.
    """
    deadline = clock() + timeout
    pause = POLL_FIRST_SECONDS
    while True:
        task = api.show(task_id)
        if task is None and until is None:
            return None
        if task is None:
            raise SinkTaskError("Sink task %s disappeared while waiting for it to be %s." % (task_id, until))
        status = task.get("status")
        if until is not None and status == until:
            return task
        if status == "ERROR":
            raise SinkTaskError("Sink task %r (id %s) is in status ERROR; see the DMS console for its cause."
                                % (task.get("task_name"), task_id), task)
        remaining = deadline - clock()
        if remaining <= 0:
            goal = "status %s" % until if until else "gone"
            raise SinkTaskError("Sink task %r (id %s) was not %s within wait_timeout %s seconds; last status %s."
                                % (task.get("task_name"), task_id, goal, timeout, status), task)
        sleep(min(pause, remaining))
        pause = min(pause * POLL_GROWTH, POLL_MAX_SECONDS)
