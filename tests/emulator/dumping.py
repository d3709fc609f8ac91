# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The dumping (sink) task API, as ../../../shared/spec/dms-sink-task-api.md describes it: field rules,
tasks kept in memory, and the response shapes of config["shapes"]."""

import json
import re
import time
import uuid

from .config import API_DEFAULTS, DUPLICATE_NAME_CODE, OBS_PART_SIZE
from .server import ApiError, shape_problem

PARTITION_FORMATS = ("yyyy", "yyyy/MM", "yyyy/MM/dd", "yyyy/MM/dd/HH", "yyyy/MM/dd/HH/mm")
RECORD_DELIMITERS = (",", ";", "|", "\n", "")
OBS_PATH = re.compile(r"^[A-Za-z0-9_/-]{1,64}$")
DESCRIPTOR_KEYS = {"topics", "topics_regex", "consumer_strategy", "destination_file_type", "access_key",
                   "secret_key", "obs_bucket_name", "obs_path", "partition_format", "record_delimiter",
                   "deliver_time_interval"}
BODY_KEYS = {"source_type", "task_name", "destination_type", "obs_destination_descriptor"}

TASKS_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/connectors/(?P<connector>[^/]+)/sink-tasks$")
TASK_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/connectors/(?P<connector>[^/]+)/sink-tasks/(?P<task>[^/]+)$")


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


def read_status(config, task):
    """Count one read of ``task`` and return the status that read reports."""
    task["reads"] += 1
    if task["reads"] <= config["creating_reads"]:
        return config["transitional_status"]
    return config["final_status_by_name"].get(task["task_name"], "RUNNING")


def public_descriptor(task, shapes, realism=None):
    """The descriptor a show answers, in the response shape the switches in ``shapes`` choose, as terse as
    the switches of ``realism`` say."""
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
    realism = realism or {}
    defaults = API_DEFAULTS["obs_destination_descriptor"]
    return dict((key, value) for key, value in descriptor.items()
                if not (realism.get("sparse_answers") and value == "")
                and not (realism.get("defaults_left_out") and key in defaults and defaults[key] == value))


class DumpingRoutes:
    """The handlers of the dumping-task API (a mixin of the emulator's request handler)."""

    def routes(self):
        return super().routes() + [(TASKS_PATH, {"GET": self._list, "POST": self._create, "PUT": self._quota}),
                                   (TASK_PATH, {"GET": self._show, "DELETE": self._delete})]

    def stored_task(self, task):
        """A stored dumping task for the control API's state: its fields, the descriptor without OBS keys."""
        shown = dict((key, value) for key, value in task.items() if key not in ("stored_descriptor", "connector_id"))
        shown["obs_destination_descriptor"] = public_descriptor(task, {})
        return shown

    def _listed(self, task):
        return {"task_id": task["task_id"], "task_name": task["task_name"], "destination_type": "OBS",
                "create_time": task["create_time"],
                "status": "DELETING" if task["task_id"] in self.state.deleting else read_status(self.state.config, task),
                "topics": public_topics(task["topics"], self.state.config["shapes"])}

    def _connector_tasks(self, match):
        """The dumping tasks of the connector the path names (each connector has its own)."""
        return [task for task in self.state.tasks.values() if task["connector_id"] == match.group("connector")]

    def _connector_task(self, match, deleting_is_gone=False):
        """The task the path names; one being deleted late is gone already for a second delete."""
        task = self.state.tasks.get(match.group("task"))
        if task is not None and deleting_is_gone and task["task_id"] in self.state.deleting:
            task = None
        if task is None or task["connector_id"] != match.group("connector"):
            raise ApiError(404, "DMS.00404030", "task %s does not exist" % match.group("task"))
        return task

    def _list(self, match, query, body):
        with self.state.lock:
            tasks = [self._listed(task) for task in self._connector_tasks(match)
                     if self.state.still_there(self.state.tasks, task["task_id"]) and self.state.listed(task["task_id"])]
            quota = self.state.config["quota_tasks"]
            # max_tasks is what is still free, as the reference's example reads (1 task, max_tasks 9, quota_tasks 10).
            return 200, {"tasks": tasks, "total_number": len(tasks), "max_tasks": max(quota - len(tasks), 0),
                         "quota_tasks": quota}, None

    def _show(self, match, query, body):
        with self.state.lock:
            task = self._connector_task(match)
            if not self.state.still_there(self.state.tasks, task["task_id"]):
                raise ApiError(404, "DMS.00404030", "task %s does not exist" % task["task_id"])
            shapes = self.state.config["shapes"]
            shown = dict(self._listed(task), obs_destination_descriptor=public_descriptor(
                task, shapes, self.state.config["realism"]))
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
            tasks = self._connector_tasks(match)
            if any(task["task_name"] == payload["task_name"] for task in tasks):
                raise ApiError(400, DUPLICATE_NAME_CODE, "The task name already exists")
            if len(tasks) >= self.state.config["quota_tasks"]:
                raise ApiError(400, "DMS.00400866", "The number of tasks has reached the quota")
            obs = payload["obs_destination_descriptor"]
            task_id = str(uuid.uuid4())
            self.state.tasks[task_id] = {
                "task_id": task_id, "task_name": payload["task_name"], "connector_id": match.group("connector"),
                "topics": obs.get("topics") or obs.get("topics_regex"),
                "create_time": int(time.time() * 1000), "reads": 0,
                "stored_descriptor": dict((k, v) for k, v in obs.items() if k not in ("access_key", "secret_key")),
            }
        return 200, {"task_id": task_id}, None

    def _delete(self, match, query, body):
        with self.state.lock:
            self.state.delete(self.state.tasks, self._connector_task(match, deleting_is_gone=True)["task_id"])
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
