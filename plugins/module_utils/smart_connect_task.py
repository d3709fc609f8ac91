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

from ansible_collections.hwcloud.dms.plugins.module_utils.client import create_once
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsApiError, TaskError
from ansible_collections.hwcloud.dms.plugins.module_utils.sink_task import (
    CONSUMER_STRATEGIES,
    DELIVER_TIME_INTERVAL_RANGE,
    ESCAPED_DELIMITERS,
    OBS_DESTINATION_DESCRIPTOR_SPEC,
    OBS_PATH_PATTERN,
    topic_names,
    topics_problems,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.task_run import named
from ansible_collections.hwcloud.dms.plugins.module_utils.waiting import is_transitional, poll

PAGE_SIZE = 50
SECURITY_PROTOCOLS = ["PLAINTEXT", "SASL_SSL", "SASL_PLAINTEXT"]
SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-512"]
COMPRESSION_TYPES = ["none", "gzip", "snappy", "lz4", "zstd"]
TOPIC_MAPPING_PATTERN = re.compile(r"^[A-Za-z0-9._-]+:[A-Za-z0-9._-]+$")

# The OBS fields are the dumping task's, less its topics (top level here) and the TXT spelling, plus store_keys.
SINK_TASK_SPEC = dict((name, option) for name, option in OBS_DESTINATION_DESCRIPTOR_SPEC.items()
                      if name not in ("topics", "topics_regex"))
SINK_TASK_SPEC.update(destination_file_type=dict(type="str", choices=["TEXT"], default="TEXT"),
                      store_keys=dict(type="bool", default=False))
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
# Each side: its option, the API's type value, its spec, and what the service never returns.
SIDES = dict(
    sink_task=dict(type_field="sink_type", type_value="OBS_SINK", spec=SINK_TASK_SPEC,
                   secrets=("access_key", "secret_key")),
    source_task=dict(type_field="source_type", type_value="KAFKA_REPLICATOR_SOURCE", spec=SOURCE_TASK_SPEC,
                     secrets=("password",)),
)
# Comma-joined on the wire, lists in the options; compared as sets.
LIST_FIELDS = ("bootstrap_servers", "topics_mapping")


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
    if params["topics_regex"] is not None and params["topics_regex"].strip() in ("", ".*"):
        problems.append("topics_regex must be a regular expression other than '.*'.")
    if (params["sink_task"] is None) == (params["source_task"] is None):
        return problems + ["sink_task (Kafka to OBS) or source_task (Kafka to Kafka) is required, and only one of them."]
    if params["sink_task"] is not None:
        return problems + _sink_problems(params["sink_task"])
    return problems + _source_problems(params["source_task"])


def _sink_problems(sink):
    problems = ["sink_task.%s must not be empty." % name for name in ("access_key", "secret_key", "obs_bucket_name")
                if not sink[name].strip()]
    low, high = DELIVER_TIME_INTERVAL_RANGE
    if not low <= sink["deliver_time_interval"] <= high:
        problems.append("sink_task.deliver_time_interval must be %s to %s seconds, got %s."
                        % (low, high, sink["deliver_time_interval"]))
    if sink["obs_path"] and not OBS_PATH_PATTERN.match(sink["obs_path"]):
        problems.append("sink_task.obs_path must be at most 64 letters, digits, '_', '-' or '/', got %r."
                        % sink["obs_path"])
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


def _wire_side(config):
    """A side's options as the API takes them: lists joined by ',', unset fields left out."""
    return dict((name, ",".join(item.strip() for item in value) if name in LIST_FIELDS else value)
                for name, value in config.items() if value is not None)


def task_body(params):
    """The create request body, in the API's shape."""
    side = side_of(params)
    body = dict(task_name=params["task_name"])
    if params["topics"] is not None:
        body["topics"] = ",".join(topic_names(params["topics"]))
    else:
        body["topics_regex"] = params["topics_regex"]
    if params.get("start_later"):
        body["start_later"] = True
    body[SIDES[side]["type_field"]] = SIDES[side]["type_value"]
    body[side] = _wire_side(params[side])
    return body


def _comparable(name, value):
    if name in LIST_FIELDS:
        return sorted(item.strip() for item in (value.split(",") if isinstance(value, str) else value or [])
                      if item.strip())
    if name == "record_delimiter":
        return ESCAPED_DELIMITERS.get(value, value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def wanted_settings(params):
    """The comparable settings wanted (no secrets), flat: ``topics``, ``sink_task.obs_bucket_name``, ..."""
    side = side_of(params)
    settings = {}
    if params["topics"] is not None:
        settings["topics"] = sorted(topic_names(params["topics"]))
    else:
        settings["topics_regex"] = params["topics_regex"]
    for name, value in params[side].items():
        if value is not None and name not in SIDES[side]["secrets"]:
            settings["%s.%s" % (side, name)] = _comparable(name, value)
    return settings


def current_settings(task, wanted):
    """The settings of ``task`` as the service shows it, for the names in ``wanted``."""
    settings = {}
    for name in wanted:
        if name == "topics":
            settings[name] = _comparable("bootstrap_servers", task.get("topics"))
        elif name == "topics_regex":
            settings[name] = task.get("topics_regex") or None
        else:
            side, field = name.split(".", 1)
            settings[name] = _comparable(field, (task.get(side) or {}).get(field))
    return settings


def task_result(task):
    """The task as modules return it: the service's fields, ``id`` also as ``task_id``, never a secret."""
    result = dict(task)
    result["task_id"] = task.get("id")
    for side, facts in SIDES.items():
        result[side] = dict((name, value) for name, value in (task.get(side) or {}).items()
                            if name not in facts["secrets"])
    return result


class SmartConnectTaskApi:
    """The Smart Connect task calls of one instance; every failure names its operation."""

    ACTION_PATHS = dict(pause="/v2/%s/instances/%s/connector/tasks/%s/pause",
                        resume="/v2/%s/instances/%s/connector/tasks/%s/resume",
                        start="/v2/%s/kafka/instances/%s/connector/tasks/%s/restart",
                        restart="/v2/%s/kafka/instances/%s/connector/tasks/%s/restart")

    def __init__(self, client, project_id, instance_id, clock=time.monotonic, sleep=time.sleep):
        self._client = client
        self._project_id = project_id
        self.instance_id = instance_id
        self._path = "/v2/%s/instances/%s/connector/tasks" % (project_id, instance_id)
        self._clock = clock
        self._sleep = sleep

    def list_all(self):
        """Every task of the instance (pages of PAGE_SIZE) and the quota figures: the last page's listing."""
        tasks, offset = [], 0
        while True:
            page = self._client.request("GET", self._path, query=[("offset", offset), ("limit", PAGE_SIZE)],
                                        operation="list the Smart Connect tasks of instance %s" % self.instance_id) or {}
            tasks.extend(page.get("tasks") or [])
            offset += PAGE_SIZE
            if not page.get("tasks") or offset >= (page.get("total_number") or 0):
                return dict(page, tasks=tasks)

    def show(self, task_id):
        """The task; ``None`` when it does not exist."""
        try:
            return self._client.request("GET", "%s/%s" % (self._path, task_id),
                                        operation="read Smart Connect task %s" % task_id)
        except DmsApiError as error:
            if error.status == 404:
                return None
            raise

    def create_once(self, body, attempts):
        """Create the task exactly once (``client.create_once``); ``(task, lost_race)``."""
        return create_once(self._client, self._path, body, "create Smart Connect task %r" % body["task_name"],
                           lambda: named(self.list_all(), body["task_name"]), attempts)

    def delete(self, task):
        try:
            self._client.request("DELETE", "%s/%s" % (self._path, task["id"]),
                                 operation="delete Smart Connect task %r (id %s)" % (task["task_name"], task["id"]))
        except DmsApiError as error:
            if error.status != 404:
                raise

    def act(self, task, action):
        """``pause``, ``resume``, ``start`` or ``restart`` the task."""
        path = self.ACTION_PATHS[action] % (self._project_id, self.instance_id, task["id"])
        self._client.request("PUT", path, operation="%s Smart Connect task %r (id %s)" % (
            action, task["task_name"], task["id"]))

    def validate(self, source_task):
        """The service's connectivity check of a replication task's peer."""
        self._client.request("POST", "/v2/%s/instances/%s/connector/validate" % (self._project_id, self.instance_id),
                             body=dict(type="KAFKA_REPLICATOR_SOURCE", task=source_task),
                             operation="validate the peer of a Smart Connect task on instance %s" % self.instance_id)

    def wait(self, task, targets, timeout):
        """Poll the task until its status is in ``targets`` (empty: until it is gone); return it.

        Transitional statuses are waited out; any other status fails at once, naming it.
        """
        def settled(shown):
            if shown is None:
                if not targets:
                    return True
                raise TaskError("Smart Connect task %r (id %s) disappeared while waiting for it to be %s."
                                % (task["task_name"], task["id"], " or ".join(targets)))
            if not targets:
                return False  # deleted but still listed: any status, wait for it to go
            if shown.get("status") in targets:
                return True
            if not is_transitional(shown.get("status")):
                raise TaskError("Smart Connect task %r (id %s) is in status %s, not %s, and will not get there by "
                                "waiting." % (task["task_name"], task["id"], shown.get("status"), " or ".join(targets)),
                                task_result(shown))
            return False

        shown, done = poll(lambda: self.show(task["id"]), settled, timeout, self._clock, self._sleep)
        if not done:
            raise TaskError("Smart Connect task %r (id %s) was not %s within wait_timeout %s seconds; last status %s."
                            % (task["task_name"], task["id"], " or ".join(targets) or "gone", timeout,
                               (shown or {}).get("status")), task_result(shown) if shown else None)
        return shown
