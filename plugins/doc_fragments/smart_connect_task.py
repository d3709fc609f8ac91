# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The settings of one Smart Connect task, as options of kafka_smart_connect_task.
    DOCUMENTATION = r"""
options:
  topics:
    description:
      - Names of the topics, as a list or one string of names separated by C(,); spaces around names are dropped.
        Compared as a set. Exactly one of O(topics) and O(topics_regex) is required unless O(state=absent).
    type: list
    elements: str
  topics_regex:
    description:
      - Regular expression of the topics. (The dumping-task API refuses V(.*); no Smart Connect page says so, so it
        is sent, and the service decides.)
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
      - B(What is compared) with an existing task - every suboption that is set, except the OBS keys (never
        returned); O(sink_task.agency_name) only when the service's answer carries it. A suboption that is not set
        is never compared. A field the answer leaves out counts as its empty value or its default, whichever was
        wanted.
    type: dict
    suboptions:
      consumer_strategy:
        description:
          - Where a new task starts reading. Not set, V(latest) is sent on create, and an existing task is not
            compared on it.
        type: str
        choices: [latest, earliest]
      destination_file_type:
        description: Format of the dumped files; the service's default is C(TEXT).
        type: str
        choices: [TEXT]
      access_key:
        description:
          - Access key of the OBS credentials the service writes with. Never compared (not returned).
          - Required, with O(sink_task.secret_key), unless O(sink_task.agency_name) is set; the keys are the way the
            API reference documents. Both the keys and an agency may be given; both are then sent.
        type: str
      secret_key:
        description: Secret key of those credentials. Never logged, returned nor compared.
        type: str
      agency_name:
        description:
          - Name of an IAM agency through which the service writes to OBS, instead of (or beside)
            O(sink_task.access_key) and O(sink_task.secret_key), so that no key is in a playbook and none needs
            rotating. See the guide "OBS through an IAM agency" for how to create one.
          - B(Not in the public API reference) nor the official SDK's models, and an agency without keys is in no
            public source (Terraform marks the field internal, and its docs call the keys required); the Terraform
            provider sends it and
            reads it back. Compared only when the service's answer carries it. Not set, a task whose answer shows an
            agency differs (it reaches OBS another way than declared).
        type: str
        version_added: 1.3.0
      obs_bucket_name:
        description: OBS bucket.
        type: str
        required: true
      obs_path:
        description: Folder in the bucket, directories separated by C(/). (The dumping-task API allows at most 64
          letters, digits, C(_), C(-) or C(/); no Smart Connect page states a rule, so the service decides.)
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
      - B(What is compared) with an existing task - every suboption that is set, except the password (never
        returned). A suboption that is not set is never compared; the service fills it in. A field the answer
        leaves out counts as its empty value or its default, whichever was wanted; with O(source_task.direction=two-way)
        a reported O(source_task.task_num) is compared as half the report, as the SDK says a two-way task runs
        twice the tasks set (a warning says so where the report equals the number declared).
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
  validate:
    description:
      - Before creating a task, check it with the calls the official SDK offers; a failure stops the run before the
        create, in check mode too.
      - For an OBS sink task, the OBS bucket must be among the buckets that the module's own credentials can list
        (the DMS call that lists them; not the task's keys or agency); the failure names the bucket. Where that call
        is not published (a gateway 404, as in a region without it), the check is skipped with a warning. No OBS
        field goes to the service's connectivity check, whose model has none.
      - For a replication task, the service's connectivity check of the peer, with the fields of the SDK's model of
        it (the peer's settings, without the password).
    type: bool
    default: false"""

    # The same settings as suboptions of each entry of kafka_smart_connect_tasks' tasks, after the entry's
    # task_name and state; every O() reference has the tasks[]. prefix. Written out, as ansible-test reads
    # fragments without running them; tests/unit/plugins/doc_fragments keeps the two in step.
    TASKS = r"""
options:
  tasks:
    suboptions:
      task_name:
        description:
          - Name of the task, unique on the instance and in O(tasks); tasks are found by it.
        type: str
        required: true
        aliases: [name]
      state:
        description:
          - What C(state) does in M(hwcloud.dms.kafka_smart_connect_task), for this task.
        type: str
        choices: [present, running, paused, restarted, absent]
        default: present
      topics:
        description:
          - Names of the topics, as a list or one string of names separated by C(,); spaces around names are dropped.
            Compared as a set. Exactly one of O(tasks[].topics) and O(tasks[].topics_regex) is required unless O(tasks[].state=absent).
        type: list
        elements: str
      topics_regex:
        description:
          - Regular expression of the topics. (The dumping-task API refuses V(.*); no Smart Connect page says so, so it
            is sent, and the service decides.)
        type: str
      start_later:
        description:
          - With O(tasks[].state=present), create the task without starting it (status C(WAITING)); O(tasks[].state=running) starts it.
        type: bool
        default: false
      sink_task:
        description:
          - A Kafka to OBS dumping task (C(sink_type=OBS_SINK)). Exactly one of O(tasks[].sink_task) and O(tasks[].source_task) is required
            unless O(tasks[].state=absent).
          - B(What is compared) with an existing task - every suboption that is set, except the OBS keys (never
            returned); O(tasks[].sink_task.agency_name) only when the service's answer carries it. A suboption that is not set
            is never compared. A field the answer leaves out counts as its empty value or its default, whichever was
            wanted.
        type: dict
        suboptions:
          consumer_strategy:
            description:
              - Where a new task starts reading. Not set, V(latest) is sent on create, and an existing task is not
                compared on it.
            type: str
            choices: [latest, earliest]
          destination_file_type:
            description: Format of the dumped files; the service's default is C(TEXT).
            type: str
            choices: [TEXT]
          access_key:
            description:
              - Access key of the OBS credentials the service writes with. Never compared (not returned).
              - Required, with O(tasks[].sink_task.secret_key), unless O(tasks[].sink_task.agency_name) is set; the keys are the way the
                API reference documents. Both the keys and an agency may be given; both are then sent.
            type: str
          secret_key:
            description: Secret key of those credentials. Never logged, returned nor compared.
            type: str
          agency_name:
            description:
              - Name of an IAM agency through which the service writes to OBS, instead of (or beside)
                O(tasks[].sink_task.access_key) and O(tasks[].sink_task.secret_key), so that no key is in a playbook and none needs
                rotating. See the guide "OBS through an IAM agency" for how to create one.
              - B(Not in the public API reference) nor the official SDK's models, and an agency without keys is in no
                public source (Terraform marks the field internal, and its docs call the keys required); the Terraform
                provider sends it and
                reads it back. Compared only when the service's answer carries it. Not set, a task whose answer shows an
                agency differs (it reaches OBS another way than declared).
            type: str
            version_added: 1.3.0
          obs_bucket_name:
            description: OBS bucket.
            type: str
            required: true
          obs_path:
            description: Folder in the bucket, directories separated by C(/). (The dumping-task API allows at most 64
              letters, digits, C(_), C(-) or C(/); no Smart Connect page states a rule, so the service decides.)
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
          - B(What is compared) with an existing task - every suboption that is set, except the password (never
            returned). A suboption that is not set is never compared; the service fills it in. A field the answer
            leaves out counts as its empty value or its default, whichever was wanted; with O(tasks[].source_task.direction=two-way)
            a reported O(tasks[].source_task.task_num) is compared as half the report, as the SDK says a two-way
            task runs twice the tasks set (a warning says so where the report equals the number declared).
        type: dict
        suboptions:
          current_cluster_name:
            description: Alias of this instance (the prefix of renamed topics).
            type: str
          cluster_name:
            description: Alias of the peer.
            type: str
          instance_id:
            description: Id of the peer instance (same region and project). Exactly one of it and O(tasks[].source_task.bootstrap_servers).
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
            description: Prefix target topics with the source alias; not with O(tasks[].source_task.topics_mapping).
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
            description: Target names, as C(source:target) entries; not with O(tasks[].source_task.rename_topic_enabled).
            type: list
            elements: str
      validate:
        description:
          - Before creating a task, check it with the calls the official SDK offers; a failure stops the run before the
            create, in check mode too.
          - For an OBS sink task, the OBS bucket must be among the buckets that the module's own credentials can list
            (the DMS call that lists them; not the task's keys or agency); the failure names the bucket. Where that call
            is not published (a gateway 404, as in a region without it), the check is skipped with a warning. No OBS
            field goes to the service's connectivity check, whose model has none.
          - For a replication task, the service's connectivity check of the peer, with the fields of the SDK's model of
            it (the peer's settings, without the password).
        type: bool
        default: false"""
