# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's seed values, its configuration, the response-shape and realism switches, and the profiles."""

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
    # A name of PROFILES: its settings come before the other overrides.
    "profile": "exact",
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
    # The most quota_tasks can be raised to (sink_max_tasks); lists answer max_tasks as the tasks still free.
    "max_tasks": 500,
    # Reads of an instance that report EXTENDING (enable) or CONNECTOR_DELETING (disable) before the change is done.
    "instance_transition_reads": 2,
    # Switches for what the real service may do that the spec's first reading did not expect (see REALISM).
    "realism": {},
    # Smart Connect tasks: reads that say CREATING (or RESTARTING) before the task settles, and the quota.
    "sc_transition_reads": 1,
    # Seconds a new Smart Connect task says CREATING, however often it is read, before its reads go on (the real
    # service takes minutes; the benchmark's waits take seconds).
    "sc_creating_seconds": 0,
    "sc_quota_tasks": 18,
    # The OBS buckets the caller's credentials can see (GET /v1.0/dms/obs/buckets), and the connectivity check's.
    "obs_buckets": ["kafka-archive", "my-bucket", "bucket"],
    # The most Smart Connect tasks one list page holds, whatever limit asks (null: the limit).
    "sc_page_limit": None,
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

# Each behaviour the real service may show, as a switch of config["realism"] (the witnesses: Terraform's code and
# the official SDK's models, read in ../../../shared/spec/smart-connect-api.md, "corrected" sections):
REALISM = {
    "status_lag_reads": "reads after a task action or a Smart Connect enable/disable that still show the status "
                        "before it (the instance RUNNING before EXTENDING / CONNECTOR_DELETING); an integer",
    "sparse_answers": "answers leave out the fields that are false or empty: a Smart Connect task's (store_keys, "
                      "obs_path, topics_regex, the unused side), an instance's connector fields when it has none",
    "missing_task_400": "a missing Smart Connect task answers 400 with a DMS code instead of 404",
    "connector_enable_false": "instances report connector_enable false even with a connector id (newer flavours)",
    "lose_answers": "the first answer of each kind of change (create, delete, pause, resume, restart, enable, "
                    "disable; both task families) is lost after the service acted, unless the "
                    "test added fault rules; a create whose answer is lost is missing from the next list",
    "tasks_deleted_late": "a disable deletes the instance's tasks (Smart Connect tasks and the dumping tasks of its "
                          "connector) when it finishes, not at the call: lists still show them meanwhile",
    "deleted_late": "a delete finishes in the background: the task stays, DELETING, in this many more reads (list "
                    "or show; each read of it counts) and keeps its name and its place in the quota meanwhile; an "
                    "integer (both task families)",
    "restart_unseen": "a restart of a RUNNING task passes RESTARTING between two reads: no read shows it",
    "agency_not_echoed": "answers leave sink_task.agency_name out (the SDK's answer model has no such field)",
    "restart_path_instance_only": "the /kafka/ restart path answers the gateway's 404 (APIGW.0101): only the "
                                  "instance-level one (the SDK's RestartSmartConnectorTask) is published",
    "obs_buckets_unpublished": "the OBS bucket list answers the gateway's 404 (APIGW.0101), as in a region without it",
    "task_num_as_set": "a two-way replication task reports task_num as set, not doubled (every answer otherwise "
                       "reports the count that runs, twice the one set, as the SDK's rule reads)",
    "dumping_unknown_connector": "the dumping-task API does not know a connector that the Smart Connect enable call "
                                 "made (an instance with no dumping side): its calls answer 404 DMS.00404022 The "
                                 "connector does not exist",
    "defaults_left_out": "answers leave out the fields that have the API's default value (task_num 2, "
                         "consumer_strategy latest, a newline record_delimiter, ...), in both task families",
}
# What defaults_left_out leaves out: each family's fields with their API default.
API_DEFAULTS = {
    "sink_task": {"consumer_strategy": "latest", "destination_file_type": "TEXT", "record_delimiter": "\n",
                  "deliver_time_interval": 300, "store_keys": False},
    "source_task": {"security_protocol": "PLAINTEXT", "task_num": 2, "consumer_strategy": "latest",
                    "compression_type": "none", "sync_consumer_offsets_enabled": False,
                    "rename_topic_enabled": False, "provenance_header_enabled": False},
    "obs_destination_descriptor": {"consumer_strategy": "latest", "destination_file_type": "TEXT",
                                   "record_delimiter": "\n"},
}
# Switches of a region that lacks a path, or of a service that reports otherwise than the SDK's rule: off in every
# profile, tests turn them on.
REGIONAL = ("restart_path_instance_only", "obs_buckets_unpublished", "task_num_as_set")
# Profiles: "exact" is the spec as first read; "realistic" turns on every switch of how the service answers and
# makes every change slow (the two switches of a region that lacks a path stay off: tests turn them on).
PROFILES = {
    "exact": {},
    "realistic": {
        "realism": {"status_lag_reads": 2, "sparse_answers": True, "missing_task_400": True,
                    "connector_enable_false": True, "lose_answers": True, "tasks_deleted_late": True,
                    "restart_unseen": True, "agency_not_echoed": True,
                    "defaults_left_out": True, "deleted_late": 2,
                    "dumping_unknown_connector": True},
        "creating_reads": 2, "sc_transition_reads": 2, "instance_transition_reads": 2,
    },
}

# The other fields of an instance answer, as the real service sends them (a realistic handful).
INSTANCE_DEFAULTS = {
    "engine": "kafka", "engine_version": "2.7", "status": "RUNNING", "type": "cluster",
    "specification": "100MB", "storage_space": 600, "partition_num": "300", "broker_num": 3,
    "available_zones": ["cn-north-4a"], "enable_publicip": False, "ssl_enable": False,
    "charging_mode": 1, "created_at": "1700000000000",
}
