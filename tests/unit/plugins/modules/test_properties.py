# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Idempotence as a property: generated task definitions of every kind (each optional field set, left out, or
empty where it may be), run in process against the emulator under generated combinations of its answer-shape
switches and profiles.

Properties, for both task families and the set module: check mode predicts the real run; create then rerun
reports ``changed: false`` and sends no change; no secret ever appears in a result; a change to one echoed field
is always named (fails with ``recreate: never``, replaces with ``on_change``).

The gate runs a fixed, derandomised budget; ``HWCLOUD_DMS_PROPERTY_EXAMPLES=N`` runs N examples a property
(the release checklist's long run).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ansible_collections.hwcloud.dms.plugins.module_utils.field_model import ECHOED
from ansible_collections.hwcloud.dms.plugins.module_utils.sink_task import DESCRIPTOR_FIELDS, PARTITION_FORMATS
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task import SINK_FIELDS, SOURCE_FIELDS
from harness import ModuleRunner

OBS_SECRET = "PropertyObsSecretNeverShown1"
PEER_PASSWORD = "PropertyPeerPasswordNeverShown1"
SECRETS = (OBS_SECRET, PEER_PASSWORD)
# The gate's budget is fixed and derandomised (the same examples every run); the long run explores afresh.
LONG_RUN = "HWCLOUD_DMS_PROPERTY_EXAMPLES" in os.environ
EXAMPLES = int(os.environ.get("HWCLOUD_DMS_PROPERTY_EXAMPLES", "40"))
PROPERTY = settings(max_examples=EXAMPLES, derandomize=not LONG_RUN, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])
# The unit suite's bound (30 s, tests/unit/conftest.py) is for the gate's 40 examples; a long run gets as much
# for every 40 more.
pytestmark = pytest.mark.timeout(30 * max(1, EXAMPLES / 40.0))

# --- the emulator's switches ---------------------------------------------------------------------------

SHARED_REALISM = ("sparse_answers", "defaults_left_out")
# task_num_as_set is left out: under it a two-way task's even task_num reads as half (the SDK's rule), with a warning.
SMART_CONNECT_REALISM = SHARED_REALISM + ("agency_not_echoed",)
SMART_CONNECT_SHAPES = ("topics_spaced", "record_delimiter_escaped", "interval_as_string")
DUMPING_SHAPES = SMART_CONNECT_SHAPES + ("topics_in_descriptor", "topics_in_both")


def switches(realism, shapes):
    """A profile and each switch on or off; lost answers only in the realistic profile (they cost seconds)."""
    return st.fixed_dictionaries(dict(
        profile=st.sampled_from(["exact", "realistic"]),
        realism=st.fixed_dictionaries(dict((name, st.booleans()) for name in realism)),
        shapes=st.fixed_dictionaries(dict((name, st.booleans()) for name in shapes))))


def runner_for(emulator, switched):
    runner = ModuleRunner(emulator, switched["profile"])
    runner.reset(realism=switched["realism"], shapes=switched["shapes"])
    return runner


# --- generated definitions -------------------------------------------------------------------------------

TOPIC_NAMES = ["orders", "refunds", "audit.log", "payments_eu", "x-1"]
DELIMITERS = [",", ";", "|", "\n", "\\n", ""]
topic_lists = st.lists(st.sampled_from(TOPIC_NAMES), min_size=1, max_size=3).map(
    lambda names: [" %s " % name if index % 2 else name for index, name in enumerate(names)])  # spaces, repeats
topics_choice = st.one_of(st.fixed_dictionaries(dict(topics=topic_lists)),
                          st.fixed_dictionaries(dict(topics_regex=st.sampled_from(["orders-.*", "audit\\..+"]))))


@st.composite
def obs_sinks(draw):
    """A Smart Connect OBS sink: keys, an agency, or both; every optional field set, left out or empty."""
    sink = draw(st.fixed_dictionaries(
        dict(obs_bucket_name=st.sampled_from(["kafka-archive", "my-bucket"]),
             partition_format=st.sampled_from(PARTITION_FORMATS), deliver_time_interval=st.integers(30, 900)),
        optional=dict(consumer_strategy=st.sampled_from(["latest", "earliest"]), destination_file_type=st.just("TEXT"),
                      obs_path=st.sampled_from(["", "orders", "a/b/c", "exports 2026/x"]),
                      record_delimiter=st.sampled_from(DELIMITERS), store_keys=st.booleans())))
    reach = draw(st.sampled_from(["keys", "agency", "both"]))
    if reach != "agency":
        sink.update(access_key="PROPOBSAK00000000001", secret_key=OBS_SECRET)
    if reach != "keys":
        sink["agency_name"] = "dms-obs-writer"
    return sink


@st.composite
def replication_sources(draw):
    """A Smart Connect replication source, valid: SASL with its user and password, renaming or a mapping."""
    source = draw(st.fixed_dictionaries(
        dict(direction=st.sampled_from(["pull", "push", "two-way"])),
        optional=dict(current_cluster_name=st.sampled_from(["", "here"]), cluster_name=st.sampled_from(["", "peer"]),
                      security_protocol=st.sampled_from(["PLAINTEXT", "SASL_SSL", "SASL_PLAINTEXT"]),
                      sync_consumer_offsets_enabled=st.booleans(), replication_factor=st.integers(1, 3),
                      task_num=st.integers(1, 4), rename_topic_enabled=st.booleans(),
                      provenance_header_enabled=st.booleans(), consumer_strategy=st.sampled_from(["latest", "earliest"]),
                      compression_type=st.sampled_from(["none", "gzip", "snappy", "lz4", "zstd"]),
                      topics_mapping=st.lists(st.sampled_from(["a:a2", "b:b2", "orders:orders-copy"]), min_size=1,
                                              max_size=2, unique=True))))
    if draw(st.booleans()):
        source["instance_id"] = "5c6a1d2e-0000-4000-8000-0000000000aa"
    else:
        source["bootstrap_servers"] = draw(st.lists(st.sampled_from(["10.0.0.1:9093", "10.0.0.2:9093"]), min_size=1,
                                                    max_size=2, unique=True))
    if source.get("security_protocol", "").startswith("SASL"):
        source.update(sasl_mechanism=draw(st.sampled_from(["PLAIN", "SCRAM-SHA-512"])), user_name="peer",
                      password=PEER_PASSWORD)
    if source.get("rename_topic_enabled"):
        source.pop("topics_mapping", None)
    return source


@st.composite
def smart_connect_tasks(draw, name="generated"):
    args = dict(task_name=name, **draw(topics_choice))
    if draw(st.booleans()):
        args["sink_task"] = draw(obs_sinks())
    else:
        args["source_task"] = draw(replication_sources())
    return args


@st.composite
def dumping_descriptors(draw):
    descriptor = dict(draw(topics_choice), **draw(st.fixed_dictionaries(
        dict(access_key=st.just("PROPOBSAK00000000001"), secret_key=st.just(OBS_SECRET),
             obs_bucket_name=st.sampled_from(["kafka-archive", "bucket"]),
             partition_format=st.sampled_from(PARTITION_FORMATS), deliver_time_interval=st.integers(30, 900)),
        optional=dict(consumer_strategy=st.sampled_from(["latest", "earliest"]),
                      destination_file_type=st.sampled_from(["TEXT", "TXT"]),
                      obs_path=st.sampled_from(["", "orders", "a/b_c-d"]), record_delimiter=st.sampled_from(DELIMITERS)))))
    return descriptor


# --- what a user sees -------------------------------------------------------------------------------------

def no_secret_in(*results):
    printed = json.dumps(results)
    assert not [secret for secret in SECRETS if secret in printed]


def changes_sent(runner, since):
    return [(entry["method"], entry["path"]) for entry in runner.requests()[since:] if entry["method"] != "GET"]


def check_then_run_then_rerun(runner, module, args):
    """Check mode predicts the run (same changed, same diff, nothing sent); the rerun, real and checked, is no
    change; no result carries a secret."""
    planned = runner.run(module, args, check_mode=True, diff=True)
    assert planned.get("failed") is not True, planned.get("msg")
    assert changes_sent(runner, 0) == []
    real = runner.run(module, args, diff=True)
    assert real.get("failed") is not True, real.get("msg")
    assert planned["changed"] is real["changed"] is True
    assert planned["diff"] == real["diff"]
    sent = len(runner.requests())
    replanned = runner.run(module, args, check_mode=True, diff=True)
    rerun = runner.run(module, args, diff=True)
    assert rerun.get("failed") is not True, rerun.get("msg")
    assert (replanned["changed"], rerun["changed"]) == (False, False), (rerun.get("diff"), rerun.get("tasks"))
    assert changes_sent(runner, sent) == []
    no_secret_in(planned, real, replanned, rerun)
    return real


# --- a change to one echoed field --------------------------------------------------------------------------

ALTERNATIVES = dict(
    consumer_strategy=["latest", "earliest"], obs_path=["", "orders", "a/b/c"], record_delimiter=DELIMITERS,
    store_keys=[True, False], deliver_time_interval=[60, 300, 600], partition_format=PARTITION_FORMATS,
    obs_bucket_name=["kafka-archive", "my-bucket", "bucket"], current_cluster_name=["", "here", "there"],
    cluster_name=["", "peer", "other"], sync_consumer_offsets_enabled=[True, False],
    replication_factor=[1, 2, 3], task_num=[1, 2, 3, 4], provenance_header_enabled=[True, False],
    compression_type=["none", "gzip", "lz4"], destination_file_type=["TEXT"])


def changed_values(field, old, direction=None):
    """The values that differ from ``old`` in the field's normal form, without the pairs that an answer cannot tell
    apart: empty and the default (a terse answer leaves both out), and, for a two-way task, a task_num and its
    double."""
    normal_old = field.normal(old)
    silent = (field.empty, field.normal(field.default))
    values = []
    for value in ALTERNATIVES.get(field.name, []):
        normal = field.normal(value)
        if normal == normal_old or (normal in silent and normal_old in silent):
            continue
        if field.name == "task_num" and direction == "two-way" and normal_old in (2 * normal, normal / 2):
            continue
        values.append(value)
    return values


def one_echoed_change(draw, fields, options):
    """``(name, new value)``: one set, always-echoed field of ``options`` given another value."""
    candidates = [(name, value) for name, field in fields.items() if field.echo == ECHOED and name in options
                  for value in changed_values(field, options[name], options.get("direction"))]
    assume(candidates)
    return draw(st.sampled_from(candidates))


def assert_named_then_replaced(runner, module, args, changed_args, option):
    refused = runner.run(module, changed_args)
    assert refused["failed"] is True and refused["changed"] is False
    assert option in [difference["option"] for difference in refused["differences"]], refused["msg"]
    replaced = runner.run(module, dict(changed_args, recreate="on_change"))
    assert replaced.get("failed") is not True, replaced.get("msg")
    assert replaced["changed"] is True
    rerun = runner.run(module, changed_args)
    assert rerun.get("failed") is not True and rerun["changed"] is False, rerun.get("msg")
    no_secret_in(refused, replaced, rerun)


# --- Smart Connect tasks ----------------------------------------------------------------------------------

@PROPERTY
@given(switched=switches(SMART_CONNECT_REALISM, SMART_CONNECT_SHAPES), task=smart_connect_tasks())
def test_a_smart_connect_task_is_created_once_and_its_rerun_is_no_change(emulator, switched, task):
    runner = runner_for(emulator, switched)
    args = dict(task, instance_id=emulator.instance_id)
    check_then_run_then_rerun(runner, "kafka_smart_connect_task", args)


@PROPERTY
@given(switched=switches(SMART_CONNECT_REALISM, SMART_CONNECT_SHAPES), task=smart_connect_tasks(),
       data=st.data())
def test_a_change_to_one_echoed_field_of_a_smart_connect_task_is_named(emulator, switched, task, data):
    side, fields = ("sink_task", SINK_FIELDS) if "sink_task" in task else ("source_task", SOURCE_FIELDS)
    name, value = one_echoed_change(data.draw, fields, task[side])
    runner = runner_for(emulator, switched)
    args = dict(task, instance_id=emulator.instance_id)
    created = runner.run("kafka_smart_connect_task", args)
    assert created.get("failed") is not True, created.get("msg")
    changed = dict(args, **{side: dict(task[side], **{name: value})})
    assert_named_then_replaced(runner, "kafka_smart_connect_task", args, changed, "%s.%s" % (side, name))


@PROPERTY
@given(switched=switches(SMART_CONNECT_REALISM, SMART_CONNECT_SHAPES),
       tasks=st.lists(st.integers(0, 2 ** 16), min_size=1, max_size=3, unique=True).flatmap(
           lambda numbers: st.tuples(*[smart_connect_tasks("set-%s" % number) for number in numbers])))
def test_a_declared_set_is_created_once_and_its_rerun_is_no_change(emulator, switched, tasks):
    runner = runner_for(emulator, switched)
    args = dict(instance_id=emulator.instance_id, tasks=list(tasks))
    real = check_then_run_then_rerun(runner, "kafka_smart_connect_tasks", args)
    assert [task["action"] for task in real["tasks"]] == ["created"] * len(tasks)


# --- dumping tasks ----------------------------------------------------------------------------------------

@PROPERTY
@given(switched=switches(SHARED_REALISM, DUMPING_SHAPES), descriptor=dumping_descriptors())
def test_a_dumping_task_is_created_once_and_its_rerun_is_no_change(emulator, switched, descriptor):
    runner = runner_for(emulator, switched)
    args = dict(connector_id=emulator.connector_id, task_name="generated", obs_destination_descriptor=descriptor)
    check_then_run_then_rerun(runner, "kafka_sink_task", args)


@PROPERTY
@given(switched=switches(SHARED_REALISM, DUMPING_SHAPES), descriptor=dumping_descriptors(), data=st.data())
def test_a_change_to_one_echoed_field_of_a_dumping_task_is_named(emulator, switched, descriptor, data):
    name, value = one_echoed_change(data.draw, DESCRIPTOR_FIELDS, descriptor)
    runner = runner_for(emulator, switched)
    args = dict(connector_id=emulator.connector_id, task_name="generated", obs_destination_descriptor=descriptor)
    created = runner.run("kafka_sink_task", args)
    assert created.get("failed") is not True, created.get("msg")
    changed = dict(args, obs_destination_descriptor=dict(descriptor, **{name: value}))
    assert_named_then_replaced(runner, "kafka_sink_task", args, changed, name)
