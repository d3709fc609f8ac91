# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Kafka instances and Smart Connect, as ../../../shared/spec/smart-connect-api.md describes them: the
instance read (which also gives the dumping API its connector), enabling and disabling Smart Connect,
and Smart Connect tasks, with the switches of config["realism"] for what the real service may do.

Error codes marked "the emulator's own" appear in no source: the real service's are not known.
"""

import re
import time
import uuid

from .config import API_DEFAULTS, DUPLICATE_NAME_CODE, INSTANCE_DEFAULTS, OBS_PART_SIZE
from .dumping import PARTITION_FORMATS, RECORD_DELIMITERS
from .server import ApiError, json_object, shape_problem

INSTANCE_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/instances/(?P<instance>[^/]+)$")
CONNECTOR_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/instances/(?P<instance>[^/]+)/connector$")
DELETE_CONNECTOR_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/kafka/instances/(?P<instance>[^/]+)/delete-connector$")
SC_TASKS_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/instances/(?P<instance>[^/]+)/connector/tasks$")
SC_TASK_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/instances/(?P<instance>[^/]+)/connector/tasks/(?P<task>[^/]+)$")
# pause, resume, and the instance-level restart (the SDK's RestartSmartConnectorTask, 3.1.147).
SC_ACTION_PATH = re.compile(
    r"^/v2/(?P<project>[^/]+)/instances/(?P<instance>[^/]+)/connector/tasks/(?P<task>[^/]+)/"
    r"(?P<action>pause|resume|restart)$")
# The restart (and start) the reference pages and Terraform use.
SC_RESTART_PATH = re.compile(
    r"^/v2/(?P<project>[^/]+)/kafka/instances/(?P<instance>[^/]+)/connector/tasks/(?P<task>[^/]+)/restart$")
OBS_BUCKETS_PATH = re.compile(r"^/v1\.0/dms/obs/buckets$")
SC_VALIDATE_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/instances/(?P<instance>[^/]+)/connector/validate$")
SC_BODY_KEYS = {"task_name", "start_later", "topics", "topics_regex", "source_type", "source_task", "sink_type",
                "sink_task"}
SC_SINK_KEYS = {"consumer_strategy", "destination_file_type", "deliver_time_interval", "access_key", "secret_key",
                "obs_bucket_name", "obs_path", "partition_format", "record_delimiter", "store_keys", "agency_name"}
SC_SOURCE_KEYS = {"current_cluster_name", "cluster_name", "instance_id", "bootstrap_servers", "security_protocol",
                  "sasl_mechanism", "user_name", "password", "direction", "sync_consumer_offsets_enabled",
                  "replication_factor", "task_num", "rename_topic_enabled", "provenance_header_enabled",
                  "consumer_strategy", "compression_type", "topics_mapping"}
# The validate call's task: the replicator's fields, with the password Terraform sends (the SDK's
# SmartConnectTaskRespSourceConfig has none): both are taken.
SC_VALIDATE_TASK_KEYS = SC_SOURCE_KEYS
# What the service adds to a sink_task it shows (spec: computed fields).
SC_SINK_DEFAULTS = {"obs_part_size": OBS_PART_SIZE, "flush_size": 1000000, "timezone": "Asia/Shanghai",
                    "kv_delimiter": ":", "value_converter": "org.apache.kafka.connect.converters.ByteArrayConverter",
                    "key_converter": "org.apache.kafka.connect.converters.ByteArrayConverter"}
# What an instance answer says of its connector.
CONNECTOR_FIELDS = ("connector_enable", "connector_id", "connector_node_num")
NOT_NOW_CODE = "DMS.00400026"
CONNECTOR_SPECIFICATIONS = ("100MB", "300MB", "600MB", "1200MB")


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
        # OBS is reached with keys or through an agency (Terraform's agency_name), never with neither.
        keys = all(isinstance(config.get(field), str) and config[field] for field in ("access_key", "secret_key"))
        if not keys and not (isinstance(config.get("agency_name"), str) and config["agency_name"]):
            return "access_key", "is required, with secret_key, unless agency_name is given"
        if not isinstance(config.get("obs_bucket_name"), str) or not config["obs_bucket_name"]:
            return "obs_bucket_name", "is required"
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


def smart_connect_on(instance):
    """Smart Connect is on when the instance has a connector id (whatever connector_enable says)."""
    return bool(instance.get("connector_id"))


def sparse(mapping):
    """``mapping`` without the fields that are false or empty, as sparse answers leave them out."""
    return dict((key, value) for key, value in mapping.items() if value not in (False, "", None, {}))


def without_defaults(mapping, defaults):
    """``mapping`` without the fields that have their API default, as terse answers leave them out."""
    return dict((key, value) for key, value in mapping.items()
                if key not in defaults or value != defaults[key] or isinstance(value, bool) != isinstance(
                    defaults[key], bool))


class SmartConnectRoutes:
    """The handlers of instances, Smart Connect and its tasks (a mixin of the emulator's request handler)."""

    NOT_CHANGES = ("_sc_validate", "_obs_buckets")

    def routes(self):
        return super().routes() + [
            (INSTANCE_PATH, {"GET": self._instance}),
            (CONNECTOR_PATH, {"POST": self._enable_connector}),
            (DELETE_CONNECTOR_PATH, {"POST": self._disable_connector}),
            (SC_TASKS_PATH, {"GET": self._sc_list, "POST": self._sc_create}),
            (SC_TASK_PATH, {"GET": self._sc_show, "DELETE": self._sc_delete}),
            (SC_ACTION_PATH, {"PUT": self._sc_action}),
            (SC_RESTART_PATH, {"PUT": self._sc_action}),
            (SC_VALIDATE_PATH, {"POST": self._sc_validate}),
            (OBS_BUCKETS_PATH, {"GET": self._obs_buckets}),
        ]

    # --- instances, enabling and disabling ------------------------------------------------------------

    def _stored_instance(self, match):
        instance = self.state.config["instances"].get(match.group("instance"))
        if instance is None:
            raise ApiError(404, "DMS.00404022", "instance %s does not exist" % match.group("instance"))
        return instance

    def _instance(self, match, query, body):
        with self.state.lock:
            instance = self._stored_instance(match)
            shown = dict(instance)
            pending = self.state.transitions.get(match.group("instance"))
            if pending:
                # Each read is a step of the change: first stale reads (the state before the call),
                # then the busy status, and the last one finishes it.
                if pending["stale_reads"] > 0:
                    pending["stale_reads"] -= 1
                    shown["status"] = "RUNNING"
                elif pending["busy_reads"] > 0:
                    pending["busy_reads"] -= 1
                else:
                    instance.update(pending["done"])
                    del self.state.transitions[match.group("instance")]
                    if pending.get("tasks_of_connector"):
                        self._delete_tasks_of(match.group("instance"), pending["tasks_of_connector"])
                    shown = dict(instance)
            if self.state.realism("connector_enable_false"):
                shown["connector_enable"] = False
            if self.state.realism("sparse_answers"):
                # An instance without Smart Connect may say nothing of it at all.
                shown = dict((key, value) for key, value in shown.items()
                             if key not in CONNECTOR_FIELDS or value not in (False, "", 0, None))
            return 200, dict(INSTANCE_DEFAULTS, **shown, instance_id=match.group("instance"),
                             project_id=self.state.config["project_id"]), None

    def _change_connector(self, match, status, done, **when_done):
        """Start a connector change: the instance reports ``status`` for a while, then ``done``."""
        instance = self._stored_instance(match)
        if instance.get("status") != "RUNNING" or match.group("instance") in self.state.transitions:
            raise ApiError(400, NOT_NOW_CODE, "This operation is not allowed due to the instance status")
        instance["status"] = status
        self.state.transitions[match.group("instance")] = dict(
            stale_reads=self.state.realism("status_lag_reads") or 0,
            busy_reads=self.state.config["instance_transition_reads"], done=dict(done, status="RUNNING"), **when_done)

    def _delete_tasks_of(self, instance_id, connector_id):
        """What a disable deletes: the instance's Smart Connect tasks and the dumping tasks of its connector."""
        for task_id in [task_id for task_id, task in self.state.sc_tasks.items() if task["instance_id"] == instance_id]:
            del self.state.sc_tasks[task_id]
        for task_id in [task_id for task_id, task in self.state.tasks.items() if task["connector_id"] == connector_id]:
            del self.state.tasks[task_id]

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
            instance = self._stored_instance(match)
            if smart_connect_on(instance) and match.group("instance") not in self.state.transitions:
                # The emulator's own code: no source documents this answer.
                raise ApiError(400, "DMS.00400030", "Smart Connect is already enabled on this instance")
            connector_id = str(uuid.uuid4())
            self.state.smart_connect_connectors.add(connector_id)
            self._change_connector(match, "EXTENDING", dict(connector_enable=True, connector_id=connector_id,
                                                            connector_node_num=nodes))
        return 200, {"job_id": str(uuid.uuid4()), "connector_id": connector_id}, None

    def _disable_connector(self, match, query, body):
        # The SDK sends no body, gophertelekomcloud {}, Terraform {"instance_id": ...}: all are taken.
        json_object(body)
        with self.state.lock:
            instance = self._stored_instance(match)
            if not smart_connect_on(instance) and match.group("instance") not in self.state.transitions:
                # The emulator's own code: no source documents this answer.
                raise ApiError(400, "DMS.00400031", "Smart Connect is not enabled on this instance")
            # Disabling deletes the instance's Smart Connect tasks (the console says so), and the dumping
            # tasks of its connector stop with it (the guide): at once, or once the disable is done.
            connector_id = instance.get("connector_id")
            late = self.state.realism("tasks_deleted_late")
            self._change_connector(match, "CONNECTOR_DELETING", dict(connector_enable=False, connector_id="",
                                                                     connector_node_num=0),
                                   tasks_of_connector=connector_id if late else None)
            if not late:
                self._delete_tasks_of(match.group("instance"), connector_id)
        return 200, {"job_id": str(uuid.uuid4())}, None

    # --- Smart Connect tasks -------------------------------------------------------------------------

    def _smart_connect_instance(self, match):
        instance = self._stored_instance(match)
        if not smart_connect_on(instance) or instance.get("status") == "EXTENDING":
            # The emulator's own code: no source documents this answer.
            raise ApiError(400, "DMS.00400032", "Smart Connect is not enabled on this instance")

    def _sc_task(self, match, read=False, deleting_is_gone=False):
        """The task the path names; a ``read`` (a show) counts as a read of a task being deleted late, which a
        second delete finds gone already (``deleting_is_gone``)."""
        task = self.state.sc_tasks.get(match.group("task"))
        if task is not None and read and not self.state.still_there(self.state.sc_tasks, task["id"]):
            task = None
        if task is not None and deleting_is_gone and task["id"] in self.state.deleting:
            task = None
        if task is None or task["instance_id"] != match.group("instance"):
            if self.state.realism("missing_task_400"):
                # The emulator's own code: Terraform expects 404, other DMS "not found" answers are 400s.
                raise ApiError(400, "DMS.00400049", "The task %s does not exist" % match.group("task"))
            raise ApiError(404, "DMS.00404033", "task %s does not exist" % match.group("task"))
        return task

    def _sc_public(self, task, read=True):
        """A task as the service shows it: ``id``, ``{}`` for the unused side, no secrets.

        A ``read`` is a step of a change under way: it shows the next status of the task's
        timeline (CREATING, RESTARTING, or the status before an action while it lags).
        """
        creating = time.monotonic() < task["ready_at"]
        if read and len(task["timeline"]) > 1 and not creating:
            task["timeline"].pop(0)
        shown = dict((key, value) for key, value in task.items() if key not in ("timeline", "instance_id", "ready_at"))
        shown["status"] = "DELETING" if task["id"] in self.state.deleting else (
            "CREATING" if creating else task["timeline"][0])
        shapes = self.state.config["shapes"]
        if shapes.get("topics_spaced"):
            shown["topics"] = shown["topics"].replace(",", ", ")
        if shown["sink_type"] == "OBS_SINK":
            shown["sink_task"] = dict(SC_SINK_DEFAULTS, **shown["sink_task"])
            if self.state.realism("agency_not_echoed"):
                shown["sink_task"].pop("agency_name", None)
            if shapes.get("record_delimiter_escaped") and "record_delimiter" in shown["sink_task"]:
                shown["sink_task"]["record_delimiter"] = shown["sink_task"]["record_delimiter"].replace("\n", "\\n")
            if shapes.get("interval_as_string"):
                shown["sink_task"]["deliver_time_interval"] = str(shown["sink_task"]["deliver_time_interval"])
        else:
            source = shown["source_task"] = dict(shown["source_task"])
            if (not self.state.realism("task_num_as_set") and source.get("direction") == "two-way"
                    and isinstance(source.get("task_num"), int)):
                source["task_num"] *= 2
        if self.state.realism("defaults_left_out"):
            shown = dict(shown, **dict((side, without_defaults(shown[side], API_DEFAULTS[side]))
                                       for side in ("sink_task", "source_task")))
        if self.state.realism("sparse_answers"):
            shown = sparse(dict(shown, sink_task=sparse(shown["sink_task"]), source_task=sparse(shown["source_task"])))
        return shown

    def _timeline(self, *steps):
        """The statuses the next reads show: ``(status, reads)`` steps, the last one where it settles."""
        timeline = []
        for status, reads in steps:
            timeline.extend([status] * reads)
        return timeline

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
            tasks = [task for task in list(self.state.sc_tasks.values())
                     if task["instance_id"] == match.group("instance")
                     and self.state.still_there(self.state.sc_tasks, task["id"]) and self.state.listed(task["id"])]
            page = tasks[offset:offset + min(limit, self.state.config["sc_page_limit"] or limit)]
            quota = self.state.config["sc_quota_tasks"]
            # max_tasks is what is still free, as the reference's example reads (1 task, max_tasks 9, quota_tasks 10).
            return 200, {"tasks": [self._sc_public(task) for task in page],
                         "total_number": len(tasks), "max_tasks": max(quota - len(tasks), 0),
                         "quota_tasks": quota}, None

    def _sc_show(self, match, query, body):
        with self.state.lock:
            return 200, self._sc_public(self._sc_task(match, read=True)), None

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
                "create_time": int(time.time() * 1000),
                "timeline": self._timeline(("CREATING", 1 + self.state.config["sc_transition_reads"]), (settled, 1)),
                "ready_at": time.monotonic() + self.state.config["sc_creating_seconds"],
            }
            self.state.sc_tasks[task["id"]] = task
            return 200, self._sc_public(task, read=False), None

    def _sc_delete(self, match, query, body):
        with self.state.lock:
            self._sc_task(match, deleting_is_gone=True)
            self.state.delete(self.state.sc_tasks, match.group("task"))
        return 204, None, None

    def _sc_action(self, match, query, body):
        action = match.groupdict().get("action") or "restart"
        if not match.groupdict().get("action") and self.state.realism("restart_path_instance_only"):
            raise ApiError(404, "APIGW.0101", "The API does not exist or has not been published")
        allowed = {"pause": ("RUNNING",), "resume": ("PAUSED",), "restart": ("WAITING", "PAUSED", "RUNNING")}[action]
        with self.state.lock:
            task = self._sc_task(match)
            # The task is where its timeline ends; a lagging read does not change that.
            status = task["timeline"][-1]
            deleting = task["id"] in self.state.deleting
            if (status not in allowed or deleting
                    or any(step in ("CREATING", "RESTARTING") for step in task["timeline"])):
                # The emulator's own code: what the service answers here is not documented.
                raise ApiError(400, "DMS.00400034", "The task cannot be %s in status %s" % (
                    dict(pause="paused", resume="resumed", restart="restarted")[action],
                    "DELETING" if deleting else task["timeline"][0]))
            lag = (task["timeline"][0], self.state.realism("status_lag_reads") or 0)
            if action == "restart" and status == "RUNNING" and self.state.realism("restart_unseen"):
                steps = [("RUNNING", 1)]  # RESTARTING came and went between two reads
            elif action == "restart":  # also the start of a WAITING task: RESTARTING a while, then RUNNING
                steps = [lag, ("RESTARTING", self.state.config["sc_transition_reads"]), ("RUNNING", 1)]
            else:
                steps = [lag, ("PAUSED" if action == "pause" else "RUNNING", 1)]
            task["timeline"] = [task["timeline"][0]] + self._timeline(*steps)
        return 204, None, None

    def _sc_validate(self, match, query, body):
        """The SDK's SmartConnectValidateEntity: a type and the replicator's fields (with Terraform's password; no OBS
        field);
        what the real check answers beyond a 2xx is not documented, so this one checks the shape only."""
        payload = json_object(body)
        problem = shape_problem(payload, {"type", "task"}, "this API")
        if problem:
            raise ApiError(400, "DMS.00400001", "Invalid parameter %s: %s" % problem)
        if payload.get("type") not in ("KAFKA_REPLICATOR_SOURCE", "OBS_SINK") or not isinstance(payload.get("task"), dict):
            raise ApiError(400, "DMS.00400001", "Invalid parameter type or task")
        problem = shape_problem(payload["task"], SC_VALIDATE_TASK_KEYS, "task")
        if problem:
            raise ApiError(400, "DMS.00400001", "Invalid parameter %s: %s" % problem)
        with self.state.lock:
            self._smart_connect_instance(match)
        return 200, {}, None

    def _obs_buckets(self, match, query, body):
        """The buckets as the SDK's ObsBucketEntity list: a JSON array, camelCase names, creationDate an integer."""
        if self.state.realism("obs_buckets_unpublished"):
            raise ApiError(404, "APIGW.0101", "The API does not exist or has not been published")
        with self.state.lock:
            return 200, [{"bucketName": name, "location": "cn-north-4", "creationDate": 1767225600000,
                          "bucketStorageClass": "STANDARD"} for name in self.state.config["obs_buckets"]], None
