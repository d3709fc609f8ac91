# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A local emulator of the Huawei Cloud DMS for Kafka dumping (sink) task API, and of the IAM
project lookup, for tests and the demo. Standard library only (trustme for --tls-dir).

It behaves as ../../../shared/spec/dms-sink-task-api.md describes the real service: it verifies
SDK-HMAC-SHA256 signatures (with the collection's signer, which the unit tests prove equal to
the official one), enforces every field rule, keeps tasks in memory, answers errors as
{"error_code", "error_msg"} with an X-Request-Id, and can inject faults. Requests under
/_emulator/ are its control API: not signed, not logged, never faulted.
"""

import argparse
import copy
import hmac
import importlib.util
import json
import os
import re
import signal
import ssl
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


def _load_signer():
    # By file path: the emulator runs without the ansible_collections tree on sys.path.
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "plugins", "module_utils", "signer.py")
    spec = importlib.util.spec_from_file_location("hwcloud_dms_signer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


signer = _load_signer()

ACCESS_KEY = "EMULATORAK0000000001"
SECRET_KEY = "EmulatorSecretKey00000000000000000000001"
STS_ACCESS_KEY = "EMULATORSTSAK0000001"
STS_SECRET_KEY = "EmulatorStsSecretKey000000000000000000001"
STS_SECURITY_TOKEN = "EmulatorSecurityToken0001"
PROJECT_ID = "0123456789abcdef0123456789abcdef"
REGION = "cn-north-4"
MULTI_PROJECT_REGION = "xx-multi-1"
CONNECTOR_ID = "9f3e5c2a-1b7d-4e8f-a6c0-2d4b8e1f7a35"
INSTANCE_ID = "5c6a1d2e-0000-4000-8000-000000000001"
DISABLED_INSTANCE_ID = "5c6a1d2e-0000-4000-8000-000000000002"
# A new-flavour instance: its connector was enabled through Smart Connect, so connector_enable is false.
SMART_CONNECT_INSTANCE_ID = "5c6a1d2e-0000-4000-8000-000000000003"
DUPLICATE_NAME_CODE = "DMS.00400865"
OBS_PART_SIZE = 5242880

DEFAULT_CONFIG = {
    "credentials": {
        ACCESS_KEY: {"secret_key": SECRET_KEY},
        STS_ACCESS_KEY: {"secret_key": STS_SECRET_KEY, "security_token": STS_SECURITY_TOKEN},
    },
    "iam_projects": [
        {"id": PROJECT_ID, "name": REGION},
        {"id": "11111111111111111111111111111111", "name": MULTI_PROJECT_REGION},
        {"id": "22222222222222222222222222222222", "name": MULTI_PROJECT_REGION},
    ],
    "project_id": PROJECT_ID,
    "connector_id": CONNECTOR_ID,
    "instances": {
        INSTANCE_ID: {"connector_enable": True, "connector_id": CONNECTOR_ID, "connector_node_num": 2,
                      "name": "kafka-emulated", "status": "RUNNING"},
        DISABLED_INSTANCE_ID: {"connector_enable": False, "connector_id": "", "connector_node_num": 0,
                               "name": "kafka-no-dumping", "status": "RUNNING"},
        SMART_CONNECT_INSTANCE_ID: {"connector_enable": False, "connector_id": CONNECTOR_ID, "connector_node_num": 2,
                                    "name": "kafka-smart-connect", "status": "RUNNING"},
    },
    "quota_tasks": 50,
    "max_tasks": 500,
    # Reads of an instance that report EXTENDING (enable) or CONNECTOR_DELETING (disable) before the change is done.
    "instance_transition_reads": 2,
    # Smart Connect tasks: reads that say CREATING (or RESTARTING) before the task settles, and the quota.
    "sc_transition_reads": 1,
    "sc_quota_tasks": 18,
    # Reads of a new task that still report transitional_status before it reports RUNNING.
    "creating_reads": 0,
    "transitional_status": "CREATING",
    # Tasks with these names end in the given status instead of RUNNING, for example {"broken": "ERROR"}.
    "final_status_by_name": {},
    "max_clock_skew_seconds": 900,
    # Fault rules (see FAULT_FIELDS), applied in order to the API requests they match.
    "faults": [],
    # Response shapes the real service may use (see SHAPES); each true switch changes the answers.
    "shapes": {},
}

# Each documented way the real service may answer a show, as a switch of config["shapes"]:
SHAPES = {
    # What Terraform reads, where the SDK's model has topics on top only.
    "topics_in_descriptor": "topics and topics_regex inside obs_destination_descriptor, not on top",
    "topics_in_both": "topics on top and inside obs_destination_descriptor",
    "topics_spaced": "topic names joined by ', '",
    "record_delimiter_escaped": "record_delimiter as backslash and n",
    "interval_as_string": "deliver_time_interval as a string of digits",
    "partition_format_unreported": "partition_format as N/A",
}

# The other fields of an instance answer, as the real service sends them (a realistic handful).
INSTANCE_DEFAULTS = {
    "engine": "kafka", "engine_version": "2.7", "status": "RUNNING", "type": "cluster",
    "specification": "100MB", "storage_space": 600, "partition_num": "300", "broker_num": 3,
    "available_zones": ["cn-north-4a"], "enable_publicip": False, "ssl_enable": False,
    "charging_mode": 1, "created_at": "1700000000000",
}

# A fault rule: which requests it matches, how many times, and what it does to them.
FAULT_FIELDS = {
    "method": "the HTTP method it matches, or * (default)",
    "path": "a regular expression searched in the path (default: every path)",
    "count": "how many matching requests it applies to (default 1; null: all)",
    "status": "answer this error status instead of acting",
    "error_code": "the error_code of that answer (default by status)",
    "drop": "close the connection without an answer: before or after acting",
    "hold": "seconds to wait before acting (parallel requests overlap there)",
    "delay": "seconds to wait before answering, after acting",
}
ERROR_CODES = {400: "DMS.00400002", 401: "APIGW.0301", 403: "APIGW.0302", 404: "DMS.00404000",
               429: "APIGW.0308"}


def fault_rule(rule):
    """A checked copy of a fault rule; ``ValueError`` for anything a test could mistype."""
    if not isinstance(rule, dict):
        raise ValueError("a fault rule is a JSON object")
    unknown = set(rule) - set(FAULT_FIELDS)
    if unknown:
        raise ValueError("unknown fault rule fields: %s" % ", ".join(sorted(unknown)))
    if not any(rule.get(effect) for effect in ("status", "drop", "hold", "delay")):
        raise ValueError("a fault rule needs status, drop, hold or delay")
    if rule.get("drop") not in (None, "before", "after"):
        raise ValueError("drop is before or after")
    checked = dict(method="*", path="", count=1)
    checked.update(rule)
    try:
        re.compile(checked["path"])
    except re.error as error:
        raise ValueError("path is not a regular expression: %s" % error)
    return checked


def fault_error(rule):
    """The error answer of a rule with a ``status``."""
    status = rule["status"]
    code = rule.get("error_code") or ERROR_CODES.get(status) or (
        "DMS.00500000" if status >= 500 else "DMS.00%d000" % status)
    headers = {"Retry-After": "1"} if status == 429 else None
    return ApiError(status, code, "Fault injected by the emulator (HTTP %s)" % status, headers)


PARTITION_FORMATS = ("yyyy", "yyyy/MM", "yyyy/MM/dd", "yyyy/MM/dd/HH", "yyyy/MM/dd/HH/mm")
RECORD_DELIMITERS = (",", ";", "|", "\n", "")
OBS_PATH = re.compile(r"^[A-Za-z0-9_/-]{1,64}$")
DESCRIPTOR_KEYS = {"topics", "topics_regex", "consumer_strategy", "destination_file_type", "access_key",
                   "secret_key", "obs_bucket_name", "obs_path", "partition_format", "record_delimiter",
                   "deliver_time_interval"}
BODY_KEYS = {"source_type", "task_name", "destination_type", "obs_destination_descriptor"}

TASKS_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/connectors/(?P<connector>[^/]+)/sink-tasks$")
TASK_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/connectors/(?P<connector>[^/]+)/sink-tasks/(?P<task>[^/]+)$")
INSTANCE_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/instances/(?P<instance>[^/]+)$")
CONNECTOR_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/instances/(?P<instance>[^/]+)/connector$")
DELETE_CONNECTOR_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/kafka/instances/(?P<instance>[^/]+)/delete-connector$")
PROJECT_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/")
SC_TASKS_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/instances/(?P<instance>[^/]+)/connector/tasks$")
SC_TASK_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/instances/(?P<instance>[^/]+)/connector/tasks/(?P<task>[^/]+)$")
SC_ACTION_PATH = re.compile(
    r"^/v2/(?P<project>[^/]+)/instances/(?P<instance>[^/]+)/connector/tasks/(?P<task>[^/]+)/(?P<action>pause|resume)$")
SC_RESTART_PATH = re.compile(
    r"^/v2/(?P<project>[^/]+)/kafka/instances/(?P<instance>[^/]+)/connector/tasks/(?P<task>[^/]+)/restart$")
SC_VALIDATE_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/instances/(?P<instance>[^/]+)/connector/validate$")
SC_BODY_KEYS = {"task_name", "start_later", "topics", "topics_regex", "source_type", "source_task", "sink_type",
                "sink_task"}
SC_SINK_KEYS = {"consumer_strategy", "destination_file_type", "deliver_time_interval", "access_key", "secret_key",
                "obs_bucket_name", "obs_path", "partition_format", "record_delimiter", "store_keys"}
SC_SOURCE_KEYS = {"current_cluster_name", "cluster_name", "instance_id", "bootstrap_servers", "security_protocol",
                  "sasl_mechanism", "user_name", "password", "direction", "sync_consumer_offsets_enabled",
                  "replication_factor", "task_num", "rename_topic_enabled", "provenance_header_enabled",
                  "consumer_strategy", "compression_type", "topics_mapping"}
# What the service adds to a sink_task it shows (spec: computed fields).
SC_SINK_DEFAULTS = {"obs_part_size": OBS_PART_SIZE, "flush_size": 1000000, "timezone": "Asia/Shanghai",
                    "kv_delimiter": ":", "value_converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
                    "key_converter": "org.apache.kafka.connect.converters.ByteArrayConverter"}
NOT_NOW_CODE = "DMS.00400026"
CONNECTOR_SPECIFICATIONS = ("100MB", "300MB", "600MB", "1200MB")
IAM_PROJECTS_PATH = "/v3/projects"


class ApiError(Exception):
    """An error answer: HTTP status, error_code, error_msg, extra headers."""

    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


class DropConnection(Exception):
    """Close the connection without any answer."""


def parse_authorization(value):
    """Split an ``Authorization`` header into ``(access_key, signed_names, signature)``.

    Raises ``ValueError`` when the value is not an SDK-HMAC-SHA256 header.
    """
    prefix = signer.ALGORITHM + " "
    if not value or not value.startswith(prefix):
        raise ValueError("not an %s Authorization header" % signer.ALGORITHM)
    fields = {}
    for part in value[len(prefix):].split(","):
        key, sep, field_value = part.strip().partition("=")
        if not sep:
            raise ValueError("malformed Authorization header field %r" % key)
        fields[key] = field_value
    try:
        return fields["Access"], fields["SignedHeaders"].split(";"), fields["Signature"]
    except KeyError as missing:
        raise ValueError("Authorization header lacks %s" % missing)


def shape_problem(mapping, allowed, where):
    """An undefined or null field of ``mapping``, as ``(field, why)``, or ``None``."""
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        return unknown[0], "is not a field of %s" % where
    nulls = [key for key, value in mapping.items() if value is None]
    if nulls:
        return nulls[0], "must not be null"
    return None


def create_rule_problem(body):
    """The first field rule ``body`` breaks, as ``(field, why)``, or ``None``."""
    if not isinstance(body, dict):
        return "body", "must be a JSON object"
    problem = shape_problem(body, BODY_KEYS, "this API")
    if problem:
        return problem
    if body.get("source_type", "BLOB") != "BLOB":
        return "source_type", "must be BLOB"
    if body.get("destination_type", "OBS") != "OBS":
        return "destination_type", "must be OBS"
    if not isinstance(body.get("task_name"), str) or not body["task_name"].strip():
        return "task_name", "is required"
    obs = body.get("obs_destination_descriptor")
    if not isinstance(obs, dict):
        return "obs_destination_descriptor", "is required"
    problem = shape_problem(obs, DESCRIPTOR_KEYS, "obs_destination_descriptor")
    if problem:
        return problem
    # The service takes "" as unset for these (Terraform sends every key, the unused ones empty).
    obs = dict((key, value) for key, value in obs.items()
               if not (key in ("topics", "topics_regex", "obs_path") and value == ""))
    if ("topics" in obs) == ("topics_regex" in obs):
        return "topics", "exactly one of topics and topics_regex is required"
    if "topics" in obs and (not isinstance(obs["topics"], str) or not all(obs["topics"].split(","))):
        return "topics", "must be topic names joined by ','"
    if "topics_regex" in obs and (not isinstance(obs["topics_regex"], str) or not obs["topics_regex"]
                                  or obs["topics_regex"] == ".*"):
        return "topics_regex", "must be a regular expression other than .*"
    if obs.get("consumer_strategy", "latest") not in ("latest", "earliest"):
        return "consumer_strategy", "must be latest or earliest"
    if obs.get("destination_file_type") != "TEXT":
        return "destination_file_type", "must be TEXT"
    for field in ("access_key", "secret_key", "obs_bucket_name"):
        if not isinstance(obs.get(field), str) or not obs[field]:
            return field, "is required"
    if "obs_path" in obs and not (isinstance(obs["obs_path"], str) and OBS_PATH.match(obs["obs_path"])):
        return "obs_path", "must be at most 64 letters, digits, _, - or /"
    if obs.get("partition_format") not in PARTITION_FORMATS:
        return "partition_format", "must be one of %s" % ", ".join(PARTITION_FORMATS)
    if obs.get("record_delimiter", "\n") not in RECORD_DELIMITERS:
        return "record_delimiter", "must be , ; | newline or empty"
    interval = obs.get("deliver_time_interval")
    if isinstance(interval, bool) or not isinstance(interval, int) or not 30 <= interval <= 900:
        return "deliver_time_interval", "must be an integer from 30 to 900"
    return None


def smart_task_problem(body):
    """The first rule a Smart Connect task body breaks, as ``(field, why)``, or ``None``."""
    problem = shape_problem(body, SC_BODY_KEYS, "this API")
    if problem:
        return problem
    if not isinstance(body.get("task_name"), str) or not body["task_name"].strip():
        return "task_name", "is required"
    if bool(body.get("topics")) == bool(body.get("topics_regex")):
        return "topics", "exactly one of topics and topics_regex is required"
    sink, source = body.get("sink_type") == "OBS_SINK", body.get("source_type") == "KAFKA_REPLICATOR_SOURCE"
    if sink == source:
        return "sink_type", "exactly one of sink_type OBS_SINK and source_type KAFKA_REPLICATOR_SOURCE is required"
    side, keys = ("sink_task", SC_SINK_KEYS) if sink else ("source_task", SC_SOURCE_KEYS)
    config = body.get(side)
    if not isinstance(config, dict):
        return side, "is required"
    problem = shape_problem(config, keys, side)
    if problem:
        return problem
    if sink:
        for field in ("access_key", "secret_key", "obs_bucket_name"):
            if not isinstance(config.get(field), str) or not config[field]:
                return field, "is required"
        if config.get("consumer_strategy") not in ("latest", "earliest"):
            return "consumer_strategy", "must be latest or earliest"
        if config.get("partition_format") not in PARTITION_FORMATS:
            return "partition_format", "must be one of %s" % ", ".join(PARTITION_FORMATS)
        interval = config.get("deliver_time_interval")
        if isinstance(interval, bool) or not isinstance(interval, int) or not 30 <= interval <= 900:
            return "deliver_time_interval", "must be an integer from 30 to 900"
        if config.get("record_delimiter", "\n") not in RECORD_DELIMITERS:
            return "record_delimiter", "must be , ; | newline or empty"
        if config.get("destination_file_type", "TEXT") != "TEXT":
            return "destination_file_type", "must be TEXT"
        return None
    if bool(config.get("instance_id")) == bool(config.get("bootstrap_servers")):
        return "instance_id", "exactly one of instance_id and bootstrap_servers is required"
    if config.get("direction") not in ("pull", "push", "two-way"):
        return "direction", "must be pull, push or two-way"
    if config.get("security_protocol", "PLAINTEXT") not in ("PLAINTEXT", "SASL_SSL", "SASL_PLAINTEXT"):
        return "security_protocol", "must be PLAINTEXT, SASL_SSL or SASL_PLAINTEXT"
    if config.get("security_protocol", "PLAINTEXT").startswith("SASL"):
        for field in ("user_name", "password", "sasl_mechanism"):
            if not config.get(field):
                return field, "is required with SASL"
    if config.get("sasl_mechanism", "PLAIN") not in ("PLAIN", "SCRAM-SHA-512"):
        return "sasl_mechanism", "must be PLAIN or SCRAM-SHA-512"
    if config.get("rename_topic_enabled") and config.get("topics_mapping"):
        return "topics_mapping", "must not be given with rename_topic_enabled"
    if config.get("compression_type", "none") not in ("none", "gzip", "snappy", "lz4", "zstd"):
        return "compression_type", "must be none, gzip, snappy, lz4 or zstd"
    for field in ("task_num", "replication_factor"):
        if field in config and (isinstance(config[field], bool) or not isinstance(config[field], int)
                                or config[field] < 1):
            return field, "must be a positive integer"
    return None


def json_object(body):
    """The request body as a JSON object (``{}`` when empty); 400 otherwise."""
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        raise ApiError(400, "DMS.00400000", "The request body is not valid JSON")
    if not isinstance(payload, dict):
        raise ApiError(400, "DMS.00400000", "The request body must be a JSON object")
    return payload


def public_topics(text, shapes):
    """A topics text as the service writes it back."""
    return text.replace(",", ", ") if shapes.get("topics_spaced") else text


def topics_info(task):
    """Per-partition progress, deterministic: three partitions a topic, offsets as strings."""
    topics = task["topics"].split(",") if not task["stored_descriptor"].get("topics_regex") else [
        "regex-match-a", "regex-match-b"]
    info = []
    for topic_index, topic in enumerate(topics):
        partitions = []
        for partition_id in range(3):
            log_end = 1000 * (topic_index + 1) + 100 * partition_id + len(topic)
            lag = 7 * partition_id
            partitions.append({"partition_id": partition_id, "status": "RUNNING",
                               "last_transfer_offset": str(log_end - lag), "log_end_offset": str(log_end),
                               "lag": str(lag)})
        info.append({"topic": topic, "partitions": partitions})
    return info


class EmulatorState:
    """Tasks, request log, configuration and faults; every method holds the lock."""

    def __init__(self, overrides=None):
        self.lock = threading.RLock()
        self.reset(overrides)

    def reset(self, overrides=None):
        unknown = set(overrides or {}) - set(DEFAULT_CONFIG)
        unknown.update(set((overrides or {}).get("shapes") or {}) - set(SHAPES))
        if unknown:
            raise ValueError("unknown configuration keys: %s" % ", ".join(sorted(unknown)))
        with self.lock:
            config = copy.deepcopy(DEFAULT_CONFIG)
            config.update(copy.deepcopy(overrides or {}))
            self.config = config
            self.faults = []
            self.add_faults(config["faults"])
            self.tasks = {}
            self.log = []
            # instance id -> (reads left, status meanwhile, fields once done)
            self.transitions = {}
            # Smart Connect task id -> the task as stored (secrets dropped), with "phase": (reads left, next status)
            self.sc_tasks = {}

    def add_faults(self, rules):
        checked = [fault_rule(rule) for rule in rules]
        with self.lock:
            self.faults.extend(checked)

    def take_fault(self, method, path):
        """The first rule matching this request, counting it as applied; ``None`` when none does."""
        with self.lock:
            for rule in self.faults:
                if rule["method"] in ("*", method) and re.search(rule["path"], path) and rule["count"] != 0:
                    if rule["count"] is not None:
                        rule["count"] -= 1
                    return dict(rule)
        return None

    def connector_ids(self):
        """The seed connector and every connector an instance reports (one enabled here included)."""
        with self.lock:
            return set([self.config["connector_id"]] + [instance.get("connector_id") for instance
                                                        in self.config["instances"].values() if instance.get("connector_id")])

    def record(self, entry):
        with self.lock:
            entry["seq"] = len(self.log) + 1
            self.log.append(entry)

    def read_status(self, task):
        """Count one read of ``task`` and return the status that read reports."""
        task["reads"] += 1
        if task["reads"] <= self.config["creating_reads"]:
            return self.config["transitional_status"]
        return self.config["final_status_by_name"].get(task["task_name"], "RUNNING")

    def snapshot(self):
        with self.lock:
            tasks = [dict((k, v) for k, v in task.items() if k != "stored_descriptor")
                     for task in self.tasks.values()]
            for task, stored in zip(tasks, self.tasks.values()):
                task["obs_destination_descriptor"] = self.public_descriptor(stored, {})
            # Copies: the answer is serialised after the lock is released.
            return copy.deepcopy({"tasks": tasks, "config": self.config, "faults": self.faults})

    @staticmethod
    def public_descriptor(task, shapes):
        """The descriptor a show answers, in the response shape the switches in ``shapes`` choose."""
        # The service never returns the OBS keys.
        obs = task["stored_descriptor"]
        descriptor = {
            "consumer_strategy": obs.get("consumer_strategy") or "latest",
            "destination_file_type": obs["destination_file_type"],
            "obs_bucket_name": obs["obs_bucket_name"],
            "obs_path": obs.get("obs_path") or "",
            "partition_format": obs["partition_format"],
            "record_delimiter": obs.get("record_delimiter", "\n"),
            "deliver_time_interval": obs["deliver_time_interval"],
            "obs_part_size": OBS_PART_SIZE,
        }
        if shapes.get("record_delimiter_escaped"):
            descriptor["record_delimiter"] = descriptor["record_delimiter"].replace("\n", "\\n")
        if shapes.get("interval_as_string"):
            descriptor["deliver_time_interval"] = str(descriptor["deliver_time_interval"])
        if shapes.get("partition_format_unreported"):
            descriptor["partition_format"] = "N/A"
        if shapes.get("topics_in_descriptor") or shapes.get("topics_in_both"):
            # Both keys, the unused one empty, as Terraform's reads expect.
            descriptor["topics"] = public_topics(obs.get("topics") or "", shapes)
            descriptor["topics_regex"] = obs.get("topics_regex") or ""
        return descriptor


class EmulatorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "DMSEmulator/1.0"
    # Headers and body go out in two writes; with Nagle's algorithm on, a keep-alive client
    # waits for the delayed ACK (40 ms) before the body: a cost the real service does not have.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # the request log is the emulator's output; stderr stays quiet

    @property
    def state(self):
        return self.server.state

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def do_PATCH(self):
        self._dispatch()  # the API has no PATCH: answered 405 like any other method a path lacks

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send_json(self, status, payload, request_id=None, headers=None):
        data = b"" if payload is None else json.dumps(payload).encode("utf-8")
        self.send_response(status)
        if request_id:
            self.send_header("X-Request-Id", request_id)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _dispatch(self):
        parts = urlsplit(self.path)
        body = self._read_body()
        if parts.path.startswith("/_emulator/"):
            return self._control(parts.path, body)
        query = parse_qsl(parts.query, keep_blank_values=True)
        request_id = str(uuid.uuid4())
        entry = {"method": self.command, "path": parts.path, "query": [list(pair) for pair in query],
                 "headers": dict(self.headers.items()), "body": body.decode("utf-8", "replace"),
                 "status": None, "request_id": request_id}
        self.state.record(entry)
        rule = None
        try:
            self._authenticate(parts.path, query, body)
            rule = self.state.take_fault(self.command, parts.path) or {}
            time.sleep(rule.get("hold") or 0)
            if rule.get("status"):
                raise fault_error(rule)
            if rule.get("drop") == "before":
                raise DropConnection()
            status, payload, headers = self._route(parts.path, query, body)
            if rule.get("drop") == "after":
                raise DropConnection()
        except ApiError as error:
            status, payload, headers = error.status, {"error_code": error.code, "error_msg": error.message}, error.headers
        except DropConnection:
            self.close_connection = True
            return
        time.sleep((rule or {}).get("delay") or 0)
        entry["status"] = status
        try:
            self._send_json(status, payload, request_id, headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up waiting (timeout tests)

    def _control(self, path, body):
        try:
            return self._control_call(path, json.loads(body or b"{}"))
        except ValueError as error:
            return self._send_json(400, {"error_code": "EMULATOR.400", "error_msg": str(error)})

    def _control_call(self, path, payload):
        if path == "/_emulator/requests" and self.command == "GET":
            with self.state.lock:
                return self._send_json(200, {"requests": list(self.state.log)})
        if path == "/_emulator/state" and self.command == "GET":
            return self._send_json(200, self.state.snapshot())
        if path == "/_emulator/reset" and self.command == "POST":
            self.state.reset(payload)
            return self._send_json(200, {"reset": True})
        if path == "/_emulator/faults" and self.command == "POST":
            self.state.add_faults(payload if isinstance(payload, list) else [payload])
            return self._send_json(200, {"faults": self.state.faults})
        return self._send_json(404, {"error_code": "EMULATOR.404", "error_msg": "no such control call"})

    def _authenticate(self, path, query, body):
        def refuse(why):
            raise ApiError(401, "APIGW.0301", "Incorrect IAM authentication information: %s" % why)

        headers = dict(self.headers.items())
        try:
            access_key, signed_names, signature = parse_authorization(self.headers.get("Authorization"))
        except ValueError as error:
            refuse(str(error))
        credential = self.state.config["credentials"].get(access_key)
        if credential is None:
            refuse("unknown access key")
        if "host" not in signed_names or "x-sdk-date" not in signed_names:
            refuse("host and x-sdk-date must be signed")
        date_value = self.headers.get("X-Sdk-Date") or ""
        try:
            signed_at = datetime.strptime(date_value, signer.DATE_FORMAT).replace(tzinfo=timezone.utc)
        except ValueError:
            refuse("X-Sdk-Date is missing or malformed")
        if abs((datetime.now(timezone.utc) - signed_at).total_seconds()) > self.state.config["max_clock_skew_seconds"]:
            refuse("X-Sdk-Date is too far from the current time")
        # Only signed headers count: an unsigned X-Sdk-Content-Sha256 must not change the payload hash.
        signed_headers = dict((name, value) for name, value in headers.items() if name.lower() in signed_names)
        if set(signed_names) != set(name.lower() for name in signed_headers):
            refuse("a signed header is missing")
        canonical = signer.canonical_request(self.command, self.path.split("?", 1)[0], query, signed_headers,
                                             signed_names, body)
        expected = signer.signature(credential["secret_key"], signer.string_to_sign(canonical, date_value))
        if not hmac.compare_digest(expected, signature):
            refuse("the signature does not match")
        token = credential.get("security_token")
        if token and (self.headers.get("X-Security-Token") != token or "x-security-token" not in signed_names):
            refuse("temporary credentials need their signed X-Security-Token")
        project_header = self.headers.get("X-Project-Id")
        match = PROJECT_PATH.match(path)
        if project_header and match and project_header != match.group("project"):
            refuse("X-Project-Id does not match the project of the path")

    def _route(self, path, query, body):
        method = self.command
        if path == IAM_PROJECTS_PATH and method == "GET":
            return self._iam_projects(query)
        for pattern, handlers in ((TASKS_PATH, {"GET": self._list, "POST": self._create, "PUT": self._quota}),
                                  (TASK_PATH, {"GET": self._show, "DELETE": self._delete}),
                                  (INSTANCE_PATH, {"GET": self._instance}),
                                  (CONNECTOR_PATH, {"POST": self._enable_connector}),
                                  (SC_TASKS_PATH, {"GET": self._sc_list, "POST": self._sc_create}),
                                  (SC_TASK_PATH, {"GET": self._sc_show, "DELETE": self._sc_delete}),
                                  (SC_ACTION_PATH, {"PUT": self._sc_action}),
                                  (SC_RESTART_PATH, {"PUT": self._sc_action}),
                                  (SC_VALIDATE_PATH, {"POST": self._sc_validate}),
                                  (DELETE_CONNECTOR_PATH, {"POST": self._disable_connector})):
            match = pattern.match(path)
            if match:
                handler = handlers.get(method)
                if handler is None:
                    raise ApiError(405, "DMS.00405000", "method not allowed")
                if match.group("project") != self.state.config["project_id"]:
                    raise ApiError(404, "DMS.00404001", "project %s does not exist" % match.group("project"))
                if "connector" in match.groupdict() and match.group("connector") not in self.state.connector_ids():
                    raise ApiError(404, "DMS.00404022", "connector %s does not exist" % match.group("connector"))
                return handler(match, query, body)
        raise ApiError(404, "APIGW.0101", "The API does not exist or has not been published")

    def _iam_projects(self, query):
        names = [value for key, value in query if key == "name"]
        projects = [dict(project, domain_id="d0000000000000000000000000000001", enabled=True, parent_id="")
                    for project in self.state.config["iam_projects"] if not names or project["name"] in names]
        return 200, {"projects": projects, "links": {"self": "/v3/projects"}}, None

    def _stored_instance(self, match):
        instance = self.state.config["instances"].get(match.group("instance"))
        if instance is None:
            raise ApiError(404, "DMS.00404022", "instance %s does not exist" % match.group("instance"))
        return instance

    def _instance(self, match, query, body):
        with self.state.lock:
            instance = self._stored_instance(match)
            pending = self.state.transitions.get(match.group("instance"))
            if pending:
                # Each read is a step of the change; the last one finishes it.
                reads_left, status, done = pending
                instance["status"] = status
                if reads_left <= 0:
                    instance.update(done)
                    del self.state.transitions[match.group("instance")]
                else:
                    self.state.transitions[match.group("instance")] = (reads_left - 1, status, done)
            return 200, dict(INSTANCE_DEFAULTS, **instance, instance_id=match.group("instance"),
                             project_id=self.state.config["project_id"]), None

    def _change_connector(self, match, status, done):
        """Start a connector change: the instance reports ``status`` for a while, then ``done``."""
        instance = self._stored_instance(match)
        if instance.get("status") != "RUNNING" or match.group("instance") in self.state.transitions:
            raise ApiError(400, NOT_NOW_CODE, "This operation is not allowed due to the instance status")
        instance["status"] = status
        done = dict(done, status="RUNNING")
        self.state.transitions[match.group("instance")] = (self.state.config["instance_transition_reads"], status,
                                                           done)

    def _enable_connector(self, match, query, body):
        payload = json_object(body)
        unknown = sorted(set(payload) - {"specification", "node_cnt", "spec_code"})
        if unknown:
            raise ApiError(400, "DMS.00400001", "Invalid parameter %s: is not a field of this API" % unknown[0])
        nodes = payload.get("node_cnt", 2)
        if isinstance(nodes, bool) or not isinstance(nodes, int) or not 2 <= nodes <= 16:
            raise ApiError(400, "DMS.00400001", "Invalid parameter node_cnt: must be an integer from 2 to 16")
        if payload.get("specification", "100MB") not in CONNECTOR_SPECIFICATIONS:
            raise ApiError(400, "DMS.00400001", "Invalid parameter specification")
        with self.state.lock:
            if self._stored_instance(match).get("connector_enable"):
                # The emulator's own code: no source documents this answer.
                raise ApiError(400, "DMS.00400030", "Smart Connect is already enabled on this instance")
            connector_id = str(uuid.uuid4())
            self._change_connector(match, "EXTENDING", dict(connector_enable=True, connector_id=connector_id,
                                                            connector_node_num=nodes))
        return 200, {"job_id": str(uuid.uuid4()), "connector_id": connector_id}, None

    def _disable_connector(self, match, query, body):
        if not body:
            # The real service refuses an empty body (gophertelekomcloud sends {} for that reason).
            raise ApiError(400, "DMS.00400001", "The request body is required")
        json_object(body)
        with self.state.lock:
            if not self._stored_instance(match).get("connector_enable"):
                raise ApiError(400, "DMS.00400031", "Smart Connect is not enabled on this instance")
            self._change_connector(match, "CONNECTOR_DELETING", dict(connector_enable=False, connector_id="",
                                                                     connector_node_num=0))
        return 200, {"job_id": str(uuid.uuid4())}, None

    # --- Smart Connect tasks -------------------------------------------------------------------------

    def _smart_connect_instance(self, match):
        if not self._stored_instance(match).get("connector_enable"):
            # The emulator's own code: no source documents this answer.
            raise ApiError(400, "DMS.00400032", "Smart Connect is not enabled on this instance")

    def _sc_task(self, match):
        task = self.state.sc_tasks.get(match.group("task"))
        if task is None or task["instance_id"] != match.group("instance"):
            raise ApiError(404, "DMS.00404033", "task %s does not exist" % match.group("task"))
        return task

    def _sc_public(self, task, read=True):
        """A task as the service shows it: ``id``, ``{}`` for the unused side, no secrets.

        A ``read`` is a step of a change under way: ``sc_transition_reads`` of them still see the
        transitional status (CREATING, RESTARTING), the next one sees where it settled.
        """
        phase = task.get("phase")
        if phase and read:
            reads_left, then = phase
            if reads_left > 0:
                task["phase"] = (reads_left - 1, then)
            else:
                task["status"], task["phase"] = then, None
        shown = dict((key, value) for key, value in task.items() if key not in ("phase", "instance_id"))
        if shown["sink_type"] == "OBS_SINK":
            shown["sink_task"] = dict(SC_SINK_DEFAULTS, **shown["sink_task"])
        return shown

    def _sc_list(self, match, query, body):
        with self.state.lock:
            self._smart_connect_instance(match)
            values = dict(query)
            try:
                offset, limit = int(values.get("offset", 0)), int(values.get("limit", 10))
            except ValueError:
                raise ApiError(400, "DMS.00400001", "Invalid parameter offset or limit")
            if offset < 0 or not 1 <= limit <= 50:
                raise ApiError(400, "DMS.00400001", "Invalid parameter: offset >= 0, limit 1 to 50")
            tasks = [task for task in self.state.sc_tasks.values() if task["instance_id"] == match.group("instance")]
            return 200, {"tasks": [self._sc_public(task) for task in tasks[offset:offset + limit]],
                         "total_number": len(tasks), "max_tasks": self.state.config["sc_quota_tasks"],
                         "quota_tasks": self.state.config["sc_quota_tasks"]}, None

    def _sc_show(self, match, query, body):
        with self.state.lock:
            return 200, self._sc_public(self._sc_task(match)), None

    def _sc_create(self, match, query, body):
        payload = json_object(body)
        problem = smart_task_problem(payload)
        if problem:
            raise ApiError(400, "DMS.00400001", "Invalid parameter %s: %s" % problem)
        with self.state.lock:
            self._smart_connect_instance(match)
            instance_tasks = [task for task in self.state.sc_tasks.values()
                              if task["instance_id"] == match.group("instance")]
            if any(task["task_name"] == payload["task_name"] for task in instance_tasks):
                raise ApiError(400, DUPLICATE_NAME_CODE, "The task name already exists")
            if len(instance_tasks) >= self.state.config["sc_quota_tasks"]:
                raise ApiError(400, "DMS.00400866", "The number of tasks has reached the quota")
            sink = payload.get("sink_type") == "OBS_SINK"
            settled = "WAITING" if payload.get("start_later") else self.state.config["final_status_by_name"].get(
                payload["task_name"], "RUNNING")
            task = {
                "id": str(uuid.uuid4()), "instance_id": match.group("instance"), "task_name": payload["task_name"],
                "topics": payload.get("topics") or "", "topics_regex": payload.get("topics_regex") or "",
                "source_type": "NONE" if sink else "KAFKA_REPLICATOR_SOURCE",
                "source_task": {} if sink else dict((key, value) for key, value in payload["source_task"].items()
                                                    if key != "password"),
                "sink_type": "OBS_SINK" if sink else "NONE",
                "sink_task": dict((key, value) for key, value in payload["sink_task"].items()
                                  if key not in ("access_key", "secret_key")) if sink else {},
                "status": "CREATING", "create_time": int(time.time() * 1000),
                "phase": (self.state.config["sc_transition_reads"], settled),
            }
            self.state.sc_tasks[task["id"]] = task
            return 200, self._sc_public(task, read=False), None

    def _sc_delete(self, match, query, body):
        with self.state.lock:
            self._sc_task(match)
            del self.state.sc_tasks[match.group("task")]
        return 204, None, None

    def _sc_action(self, match, query, body):
        action = match.groupdict().get("action") or "restart"
        allowed = {"pause": ("RUNNING",), "resume": ("PAUSED",), "restart": ("WAITING", "PAUSED", "RUNNING")}[action]
        with self.state.lock:
            task = self._sc_task(match)
            if task["status"] not in allowed or task.get("phase"):
                raise ApiError(400, "DMS.00400034", "The task cannot be %sd in status %s" % (
                    action.rstrip("e"), task["status"]))
            if action == "pause":
                task["status"] = "PAUSED"
            elif action == "resume":
                task["status"] = "RUNNING"
            else:  # start or restart: RESTARTING for a while, then RUNNING (progress reset)
                task["status"] = "RESTARTING"
                task["phase"] = (self.state.config["sc_transition_reads"], "RUNNING")
        return 204, None, None

    def _sc_validate(self, match, query, body):
        payload = json_object(body)
        if payload.get("type") not in ("KAFKA_REPLICATOR_SOURCE", "OBS_SINK") or not isinstance(payload.get("task"), dict):
            raise ApiError(400, "DMS.00400001", "Invalid parameter type or task")
        with self.state.lock:
            self._smart_connect_instance(match)
        return 200, {}, None

    def _listed(self, task):
        return {"task_id": task["task_id"], "task_name": task["task_name"], "destination_type": "OBS",
                "create_time": task["create_time"], "status": self.state.read_status(task),
                "topics": public_topics(task["topics"], self.state.config["shapes"])}

    def _list(self, match, query, body):
        with self.state.lock:
            tasks = [self._listed(task) for task in self.state.tasks.values()]
            return 200, {"tasks": tasks, "total_number": len(tasks), "max_tasks": self.state.config["max_tasks"],
                         "quota_tasks": self.state.config["quota_tasks"]}, None

    def _show(self, match, query, body):
        with self.state.lock:
            task = self.state.tasks.get(match.group("task"))
            if task is None:
                raise ApiError(404, "DMS.00404030", "task %s does not exist" % match.group("task"))
            shapes = self.state.config["shapes"]
            shown = dict(self._listed(task), obs_destination_descriptor=self.state.public_descriptor(task, shapes))
            if shapes.get("topics_in_descriptor"):
                del shown["topics"]
            if ("topic-info", "true") in query:
                shown["topics_info"] = topics_info(task)
            return 200, shown, None

    def _create(self, match, query, body):
        try:
            payload = json.loads(body or b"null")
        except ValueError:
            raise ApiError(400, "DMS.00400000", "The request body is not valid JSON")
        problem = create_rule_problem(payload)
        if problem:
            raise ApiError(400, "DMS.00400001", "Invalid parameter %s: %s" % problem)
        with self.state.lock:
            if any(task["task_name"] == payload["task_name"] for task in self.state.tasks.values()):
                raise ApiError(400, DUPLICATE_NAME_CODE, "The task name already exists")
            if len(self.state.tasks) >= self.state.config["quota_tasks"]:
                raise ApiError(400, "DMS.00400866", "The number of tasks has reached the quota")
            obs = payload["obs_destination_descriptor"]
            task_id = str(uuid.uuid4())
            self.state.tasks[task_id] = {
                "task_id": task_id, "task_name": payload["task_name"],
                "topics": obs.get("topics") or obs.get("topics_regex"),
                "create_time": int(time.time() * 1000), "reads": 0,
                "stored_descriptor": dict((k, v) for k, v in obs.items() if k not in ("access_key", "secret_key")),
            }
        return 200, {"task_id": task_id}, None

    def _delete(self, match, query, body):
        with self.state.lock:
            if self.state.tasks.pop(match.group("task"), None) is None:
                raise ApiError(404, "DMS.00404030", "task %s does not exist" % match.group("task"))
        return 204, None, None

    def _quota(self, match, query, body):
        try:
            wanted = json.loads(body or b"null")["sink_max_tasks"]
        except (ValueError, KeyError, TypeError):
            raise ApiError(400, "DMS.00400001", "Invalid parameter sink_max_tasks: is required")
        if isinstance(wanted, bool) or not isinstance(wanted, int) or not 1 <= wanted <= self.state.config["max_tasks"]:
            raise ApiError(400, "DMS.00400001", "Invalid parameter sink_max_tasks: must be 1 to max_tasks")
        with self.state.lock:
            self.state.config["quota_tasks"] = wanted
        return 204, None, None


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, state, tls_context=None):
        super().__init__(address, EmulatorHandler)
        self.state = state
        self.tls_context = tls_context

    def finish_request(self, request, client_address):
        if self.tls_context is None:
            return super().finish_request(request, client_address)
        # The handshake runs here, in the connection's own thread: wrapping the listening socket
        # would run it in the accept loop, where one silent client stalls every other one.
        try:
            tls_socket = self.tls_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # a client that does not trust the CA hangs up during the handshake
        try:
            super().finish_request(tls_socket, client_address)
        finally:
            self.shutdown_request(tls_socket)


def write_tls_material(tls_dir):
    """A throwaway CA and a server certificate for 127.0.0.1 and localhost; returns an SSLContext."""
    import trustme

    os.makedirs(tls_dir, exist_ok=True)
    authority = trustme.CA()
    authority.cert_pem.write_to_path(os.path.join(tls_dir, "ca.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--port-file", help="write the port here once listening")
    parser.add_argument("--tls-dir", help="serve HTTPS; the CA certificate goes to DIR/ca.pem")
    parser.add_argument("--config", help="JSON file of overrides of DEFAULT_CONFIG")
    args = parser.parse_args(argv)
    overrides = None
    if args.config:
        with open(args.config) as config_file:
            overrides = json.load(config_file)
    tls_context = write_tls_material(args.tls_dir) if args.tls_dir else None
    server = EmulatorServer((args.host, args.port), EmulatorState(overrides), tls_context)
    scheme = "https" if tls_context else "http"

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    # Before the port is announced: whoever reads it may stop the emulator at once.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    port = server.server_address[1]
    if args.port_file:
        # Written whole, then renamed, so a reader never sees half a number.
        with open(args.port_file + ".tmp", "w") as port_file:
            port_file.write(str(port))
        os.replace(args.port_file + ".tmp", args.port_file)
    print("DMS emulator listening on %s://%s:%s" % (scheme, args.host, port), flush=True)
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
