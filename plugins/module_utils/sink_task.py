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

from ansible_collections.hwcloud.dms.plugins.module_utils.change import Change, create_once, is_going
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsApiError, TaskError
from ansible_collections.hwcloud.dms.plugins.module_utils.field_model import (
    DELIMITER,
    LIST,
    NUMBER,
    WRITE_ONLY,
    Field,
    body_of,
    current_of,
    model,
    read_delimiter,
    secrets_of,
    wanted_of,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.task_run import UNRECORDED, named
from ansible_collections.hwcloud.dms.plugins.module_utils.waiting import RUNNING, is_transitional, poll

PARTITION_FORMATS = ["yyyy", "yyyy/MM", "yyyy/MM/dd", "yyyy/MM/dd/HH", "yyyy/MM/dd/HH/mm"]
RECORD_DELIMITERS = [",", ";", "|", "\n", ""]
CONSUMER_STRATEGIES = ["latest", "earliest"]
# The reference page's field table says TXT, its example and every SDK say TEXT: send TEXT.
FILE_TYPE_SPELLINGS = {"TEXT": "TEXT", "TXT": "TEXT"}
DELIVER_TIME_INTERVAL_RANGE = (30, 900)
OBS_PATH_PATTERN = re.compile(r"^[A-Za-z0-9_/-]{1,64}$")
# Kafka's own rule for topic names (kafka.common.internals.Topic).
TOPIC_NAME_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,249}$")
# Final statuses in which a task is kept as it is by recreate: on_change (PAUSED is a user's choice).
KEPT_FINAL_STATUSES = (RUNNING, "PAUSED")

OBS_DESTINATION_DESCRIPTOR_SPEC = dict(
    topics=dict(type="list", elements="str"),
    topics_regex=dict(type="str"),
    # No defaults here: an option not set is never compared; DESCRIPTOR_FIELDS sends their defaults.
    consumer_strategy=dict(type="str", choices=CONSUMER_STRATEGIES),
    destination_file_type=dict(type="str", choices=sorted(FILE_TYPE_SPELLINGS)),
    access_key=dict(type="str", required=True, no_log=False),
    secret_key=dict(type="str", required=True, no_log=True),
    obs_bucket_name=dict(type="str", required=True),
    obs_path=dict(type="str"),
    partition_format=dict(type="str", required=True, choices=PARTITION_FORMATS),
    # Checked by delimiter_problem, not by choices: a newline among choices breaks ansible-doc's lines.
    record_delimiter=dict(type="str"),
    deliver_time_interval=dict(type="int", required=True),
)

# topics / topics_regex: exactly one is checked by descriptor_problems, with the rest of the field
# rules, so that every message names the option as obs_destination_descriptor.<option>.
OBS_DESTINATION_DESCRIPTOR_OPTION = dict(type="dict", options=OBS_DESTINATION_DESCRIPTOR_SPEC)

# The field model of the descriptor (see field_model): what is sent, echoed and compared. The OBS keys are sent but
# never reported, so never compared.
DESCRIPTOR_FIELDS = model(
    topics=Field(LIST),
    topics_regex=Field(),
    consumer_strategy=Field(default="latest", sent_default=True),
    destination_file_type=Field(default="TEXT", sent_default=True, spellings=FILE_TYPE_SPELLINGS),
    access_key=Field(echo=WRITE_ONLY),
    secret_key=Field(echo=WRITE_ONLY),
    obs_bucket_name=Field(),
    obs_path=Field(),
    partition_format=Field(),
    record_delimiter=Field(DELIMITER, default="\n", sent_default=True),
    deliver_time_interval=Field(NUMBER),
)
SECRET_SETTINGS = secrets_of(DESCRIPTOR_FIELDS)
TOPIC_FIELDS = ("topics", "topics_regex")


def delimiter_problem(option, value):
    """Why ``value`` is no record delimiter, or ``None``."""
    if value is None or read_delimiter(value) in RECORD_DELIMITERS:
        return None
    return "%s must be one of ',', ';', '|', a newline ('\\n') or '' (none), got %r." % (option, value)


def topics_problems(prefix, topics, regular_expressions=False):
    """Why the ``topics`` option names no usable topic list, each problem naming the option. With
    ``regular_expressions`` (the dumping task's ``topics``: its reference page says they are supported) an entry that
    is no topic name may be a regular expression, compiled here, before any request."""
    if not [entry for entry in topics if entry.strip()]:
        return [prefix + "topics is empty: name at least one topic (or use topics_regex)."]
    problems = []
    for name in (entry.strip() for entry in topics):
        if TOPIC_NAME_PATTERN.match(name):
            continue
        if not regular_expressions:
            problems.append(prefix + "topics entry %r is not a Kafka topic name (1 to 249 letters, digits, '.', '_' or "
                            "'-'; names are separated by ',' or given as list entries)." % name)
        else:
            why = "it is empty" if not name else _regex_problem(name) or ("it holds a ','" if "," in name else None)
            if why:
                problems.append(prefix + "topics entry %r is neither a Kafka topic name (1 to 249 letters, digits, "
                                "'.', '_' or '-') nor a regular expression (%s); entries are separated by ','."
                                % (name, why))
    return problems


def _regex_problem(regex):
    """Why ``regex`` does not compile, or ``None``."""
    try:
        re.compile(regex)
    except re.error as error:
        return str(error)
    return None


def topics_regex_problem(prefix, regex):
    """Why ``regex`` is no usable topics_regex (compiled here, before any request), or ``None``."""
    if not regex.strip():
        return prefix + "topics_regex must not be empty."
    problem = _regex_problem(regex)
    if problem:
        return prefix + "topics_regex %r is not a valid regular expression: %s." % (regex, problem)
    return None


def descriptor_problems(descriptor):
    """Field-rule violations the argument spec cannot express, each naming its option."""
    prefix = "obs_destination_descriptor."
    problems = []
    topics = descriptor.get("topics")
    if (topics is None) == (descriptor.get("topics_regex") is None):
        problems.append(prefix + "topics or topics_regex is required, and only one of them.")
    if topics is not None:
        problems.extend(topics_problems(prefix, topics, regular_expressions=True))
    regex = descriptor.get("topics_regex")
    if regex is not None:
        problems.extend(problem for problem in [topics_regex_problem(prefix, regex)] if problem)
        # The dumping-task page's rule; Smart Connect's pages state none such.
        if regex.strip() == ".*":
            problems.append(prefix + "topics_regex must not be '.*' (the service refuses to dump every topic).")
    for option in ("access_key", "secret_key", "obs_bucket_name"):
        value = descriptor.get(option)
        if value is not None and not value.strip():
            problems.append(prefix + option + " must not be empty.")
    problems.extend(problem for problem in [delimiter_problem(prefix + "record_delimiter",
                                                              descriptor.get("record_delimiter"))] if problem)
    obs_path = descriptor.get("obs_path")
    if obs_path and not OBS_PATH_PATTERN.match(obs_path):
        problems.append(prefix + "obs_path must be at most 64 letters, digits, '_', '-' or '/', got %r." % obs_path)
    interval = descriptor.get("deliver_time_interval")
    low, high = DELIVER_TIME_INTERVAL_RANGE
    if interval is not None and not low <= interval <= high:
        problems.append(prefix + "deliver_time_interval must be %s to %s seconds, got %s." % (low, high, interval))
    return problems


def desired_settings(descriptor):
    """The comparable settings wanted, keyed by option name (no secrets): what is compared and diffed."""
    return wanted_of(DESCRIPTOR_FIELDS, descriptor)


def desired_task_body(task_name, source_type, destination_type, descriptor):
    """The create request body, exactly in the API's shape: no nulls, no undefined keys."""
    return dict(source_type=source_type, task_name=task_name, destination_type=destination_type,
                obs_destination_descriptor=body_of(DESCRIPTOR_FIELDS, descriptor))


def _topic_list(text):
    return DESCRIPTOR_FIELDS["topics"].normal(text)


def reported_topics(task):
    """``(names, regex)`` as the service reported them; either may be ``None``.

    The show answer may carry ``topics`` / ``topics_regex`` inside ``obs_destination_descriptor``
    (what Terraform reads), or only ``topics`` at the top level (the SDK's model), where names
    and a regex share one field: ``(None, None)`` plus the top-level text tells the caller so.
    """
    obs = task.get("obs_destination_descriptor") or {}
    return _topic_list(obs.get("topics")), obs.get("topics_regex") or None


def current_settings(task, like):
    """The comparable settings of a task the service showed, for the names of ``like`` (the wanted ones).

    Topics come from the descriptor when it reports them, else from the top-level ``topics``,
    read as names or as the regex, whichever the wanted settings use; the rest is the field model's.
    """
    obs = task.get("obs_destination_descriptor") or {}
    others = dict((name, value) for name, value in like.items() if name not in TOPIC_FIELDS)
    settings = current_of(DESCRIPTOR_FIELDS, obs, others)
    names, regex = reported_topics(task)
    if names is None and regex is None:
        if "topics_regex" in like:
            regex = task.get("topics") or None
        else:
            names = _topic_list(task.get("topics"))
    if names is not None or "topics" in like:
        settings["topics"] = names
    if regex is not None or "topics_regex" in like:
        settings["topics_regex"] = regex
    return settings


def listed_settings(entry):
    """The settings a task-list entry shows (its topics), for the diff of a delete."""
    return dict(topics=_topic_list(entry.get("topics")))


def unreported_settings(current):
    """The settings the service answered ``N/A`` for: not compared, and worth a warning."""
    return [name for name in sorted(current) if current[name] == UNRECORDED]


def task_result(task):
    """The task as modules return it: the service's fields that exist, never secrets."""
    result = dict((name, task.get(name)) for name in
                  ("task_id", "task_name", "status", "topics", "destination_type", "create_time"))
    obs = task.get("obs_destination_descriptor")
    # Where the service reports topics only inside the descriptor, the result still has them on top.
    result["topics"] = task.get("topics") or (obs or {}).get("topics") or (obs or {}).get("topics_regex")
    if obs is not None:
        result["obs_destination_descriptor"] = dict(
            (name, value) for name, value in obs.items() if name not in SECRET_SETTINGS)
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


def planned_task(body, task_id=None):
    """What a task about to be created looks like, for check mode: no secrets, the id it replaces if any."""
    obs = body["obs_destination_descriptor"]
    return task_result(dict(
        task_id=task_id, task_name=body["task_name"], status=None, destination_type=body["destination_type"],
        create_time=None, topics=obs.get("topics") or obs.get("topics_regex"), obs_destination_descriptor=obs))


# How to make room on a full connector, by task family.
SINK_TASK_QUOTA_HINT = ("Delete a dumping task, or ask for a higher quota (the DMS console shows it), then run again. "
                        "(The API's quota call, PUT .../sink-tasks with sink_max_tasks, fails on instances created "
                        "since September 2022, its reference page says.)")


class SinkTaskApi:
    """The sink-task calls of one connector; every failure names its operation."""

    def __init__(self, client, project_id, connector_id):
        self._client = client
        self.connector_id = connector_id
        self._path = "/v2/%s/connectors/%s/sink-tasks" % (project_id, connector_id)

    def list_tasks(self):
        """The list response: ``tasks`` and the quota figures."""
        return self._client.request("GET", self._path,
                                    operation="list the sink tasks of connector %s" % self.connector_id) or {}

    def tasks_if_any(self):
        """The connector's tasks, for a look that is not the operation itself (a guard): none where the answer says
        there can be none, a 404 of the service (the dumping-task API does not know the connector: a Smart Connect
        connector with no dumping side, ``DMS.00404022``); any other failure is raised, as nothing could be seen."""
        try:
            return self.list_tasks().get("tasks") or []
        except DmsApiError as error:
            if error.status == 404 and not error.unpublished:
                return []
            raise

    def find_by_name(self, task_name):
        """The list entry of the task named ``task_name``, or ``None``."""
        return named(self.list_tasks(), task_name)

    def show(self, task_id, topic_info=False):
        """The task in full; ``None`` when it does not exist."""
        query = [("topic-info", True)] if topic_info else None
        try:
            task = self._client.request("GET", "%s/%s" % (self._path, task_id), query=query,
                                        operation="read sink task %s" % task_id)
        except DmsApiError as error:
            if error.status == 404:
                return None
            raise
        task = dict(task or {})
        task.setdefault("task_id", task_id)
        return task

    def create_once(self, body, attempts):
        """Create the task so that exactly one exists (``client.create_once``); ``(task_id, lost_race)``."""
        answer, created_here = create_once(self._client, self._path, body, "create sink task %r" % body["task_name"],
                                           lambda: self.find_by_name(body["task_name"]), attempts)
        return answer.get("task_id"), not created_here

    def delete(self, task, attempts):
        """Delete ``task`` (as a list or show gave it; ``change.Change``: a DELETE whose answer is lost is read back
        before it is sent again); ``False`` when it was already gone before this run's call."""
        task_id = task["task_id"]
        operation = "delete sink task %r (id %s)" % (task.get("task_name"), task_id)
        outcome = Change(
            send=lambda: self._client.request("DELETE", "%s/%s" % (self._path, task_id), operation=operation,
                                              repeatable=False),
            read=lambda: self.show(task_id),
            took=lambda shown: is_going(shown, task.get("status"))).send(attempts, self._client.pause_before_retry)
        return outcome.made


def sink_task_api(module):
    """The ``SinkTaskApi`` of the connector the module's options name (directly or by instance)."""
    client = module.api_client()
    return SinkTaskApi(client, module.project_id, module.connector_id(client))


def wait_for_task(api, task_id, timeout, until, clock=time.monotonic, sleep=time.sleep):
    """Poll a task until its status is ``until`` (``None``: until it is gone); return it.

    Transitional statuses (``is_transitional``) are waited out; any other status than ``until``
    is final and raises ``TaskError`` at once, naming it; so does ``timeout`` passing.
    """
    def settled(task):
        if task is None:
            if until is None:
                return True
            raise TaskError("Sink task %s disappeared while waiting for it to be %s." % (task_id, until))
        if until is not None and task.get("status") == until:
            return True
        if until is not None and not is_transitional(task.get("status")):
            raise final_status_error(task, until)
        return False

    task, done = poll(lambda: api.show(task_id), settled, timeout, clock, sleep)
    if not done:
        goal = "status %s" % until if until else "gone"
        raise TaskError("Sink task %r (id %s) was not %s within wait_timeout %s seconds; last status %s."
                        % (task.get("task_name"), task_id, goal, timeout, task.get("status")), task)
    return task


def final_status_error(task, wanted):
    """The error of a task that stopped in a status other than ``wanted`` and will not leave it alone."""
    return TaskError(
        "Sink task %r (id %s) is in status %s, not %s, and will not get there by waiting; see the DMS console "
        "for its cause, or replace it with recreate: on_change." % (
            task.get("task_name"), task.get("task_id"), task.get("status"), wanted), task)
