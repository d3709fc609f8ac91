# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""kafka_sink_task, run in process against the emulator: every decision the module makes, seen as a
user sees it (the result, its warnings and message) and as the service sees it (the requests)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading
import time

import pytest

from ansible_collections.hwcloud.dms.plugins.modules.kafka_sink_task import argument_spec
from emulator import STS_ACCESS_KEY, STS_SECRET_KEY, STS_SECURITY_TOKEN

OBS_SECRET = "ObsSecretKeyNeverShown0001"


def warned(result, text):
    return [warning for warning in result.get("warnings", []) if text in warning]


# --- create, rerun, drift, recreate, delete -------------------------------------------------------

def test_check_mode_plans_the_create_and_sends_only_the_list(dms):
    planned = dms.sink_task(dms.task_args(), check_mode=True, diff=True)
    assert planned["changed"] is True and planned["task_id"] is None
    assert planned["task"]["topics"] == "orders,refunds" and planned["task"]["task_name"] == "it-orders"
    assert planned["diff"]["before"] == {} and planned["diff"]["after"]["topics"] == ["orders", "refunds"]
    assert dms.methods() == ["GET"]
    assert OBS_SECRET not in json.dumps(planned)


def test_a_create_sends_exactly_the_wanted_body_signed(dms):
    created = dms.sink_task(dms.task_args(descriptor=dict(topics=" orders, refunds")), diff=True)
    assert created["changed"] is True and created["task"]["task_id"] == created["task_id"]
    assert len(dms.acted("POST")) == 1 and len(dms.emulator.state()["tasks"]) == 1
    if not dms.realistic:  # there the answer is lost: list, POST again (400: the name is taken), list, show
        assert dms.methods() == ["GET", "POST", "GET"]
    post = dms.requests("POST")[0]
    assert post["path"] == "/v2/%s/connectors/%s/sink-tasks" % (dms.emulator.project_id, dms.emulator.connector_id)
    assert post["headers"]["Authorization"].startswith(
        "SDK-HMAC-SHA256 Access=EMULATORAK0000000001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, "
        "Signature=")
    assert json.loads(post["body"]) == {
        "source_type": "BLOB", "task_name": "it-orders", "destination_type": "OBS",
        "obs_destination_descriptor": {
            "topics": "orders,refunds", "consumer_strategy": "earliest", "destination_file_type": "TEXT",
            "access_key": "OBSACCESSKEY00000001", "secret_key": OBS_SECRET, "obs_bucket_name": "kafka-archive",
            "obs_path": "it/orders", "partition_format": "yyyy/MM/dd/HH", "record_delimiter": "\n",
            "deliver_time_interval": 300}}
    assert created["diff"]["after"]["deliver_time_interval"] == 300
    assert OBS_SECRET not in json.dumps(created)


def test_a_rerun_reads_twice_and_changes_nothing(dms):
    created = dms.sink_task(dms.task_args())
    sent = len(dms.requests())
    rerun = dms.sink_task(dms.task_args(descriptor=dict(topics=["refunds", "orders "])))
    assert rerun["changed"] is False and rerun["task_id"] == created["task_id"]
    assert dms.methods()[sent:] == ["GET", "GET"]
    assert "warnings" not in rerun


def test_other_settings_fail_naming_each_difference(dms):
    created = dms.sink_task(dms.task_args())
    sent = len(dms.requests())
    refused = dms.sink_task(dms.task_args(descriptor=dict(deliver_time_interval=600, topics=["orders"])))
    assert refused["failed"] is True and refused["task_id"] == created["task_id"]
    assert "deliver_time_interval: task has 300, wanted 600" in refused["msg"]
    assert "topics: task has ['orders', 'refunds'], wanted ['orders']" in refused["msg"]
    assert refused["differences"] == [dict(option="deliver_time_interval", task=300, wanted=600),
                                      dict(option="topics", task=["orders", "refunds"], wanted=["orders"])]
    assert dms.methods()[sent:] == ["GET", "GET"]


def test_recreate_on_change_in_check_mode_names_the_task_it_would_replace(dms):
    created = dms.sink_task(dms.task_args())
    sent = len(dms.requests())
    planned = dms.sink_task(dms.task_args(recreate="on_change", descriptor=dict(deliver_time_interval=600)),
                            check_mode=True, diff=True)
    assert planned["changed"] is True and planned["task_id"] == created["task_id"]
    assert (planned["diff"]["before"]["deliver_time_interval"], planned["diff"]["after"]["deliver_time_interval"]) == (
        300, 600)
    assert "secret_key" not in planned["diff"]["after"] and "access_key" not in planned["diff"]["after"]
    assert dms.methods()[sent:] == ["GET", "GET"]
    replaced = dms.sink_task(dms.task_args(recreate="on_change", descriptor=dict(deliver_time_interval=600)))
    assert sorted(planned) == sorted(list(replaced) + ["diff"])


def test_recreate_on_change_deletes_waits_until_gone_then_creates(dms):
    created = dms.sink_task(dms.task_args())
    replaced = dms.sink_task(dms.task_args(recreate="on_change", descriptor=dict(deliver_time_interval=600)))
    assert replaced["changed"] is True and replaced["task_id"] != created["task_id"]
    assert replaced["task"]["obs_destination_descriptor"]["deliver_time_interval"] == 600
    assert len(dms.acted("DELETE")) == 1 and len(dms.acted("POST")) == 2
    if not dms.realistic:
        log = dms.requests()[3:]
        assert [entry["method"] for entry in log] == ["GET", "GET", "DELETE", "GET", "POST", "GET"]
        assert log[3]["status"] == 404
    rotated = dms.sink_task(dms.task_args(recreate="always", descriptor=dict(deliver_time_interval=600)))
    assert rotated["changed"] is True and rotated["task_id"] != replaced["task_id"]
    assert [task["task_id"] for task in dms.emulator.state()["tasks"]] == [rotated["task_id"]]


def test_a_regex_task_and_the_empty_delimiter_and_txt(dms):
    regex = dict(topics=None, topics_regex="audit-.*", destination_file_type="TXT", record_delimiter="")
    created = dms.sink_task(dms.task_args("it-audit", descriptor=regex))
    rerun = dms.sink_task(dms.task_args("it-audit", descriptor=dict(regex, destination_file_type="TEXT")))
    assert created["changed"] is True and created["task"]["topics"] == "audit-.*"
    assert rerun["changed"] is False and rerun["task_id"] == created["task_id"]
    sent = json.loads(dms.requests("POST")[0]["body"])["obs_destination_descriptor"]
    assert sent["topics_regex"] == "audit-.*" and "topics" not in sent and sent["record_delimiter"] == ""
    # TXT, the reference table's spelling, is sent as TEXT (a terse answer may leave the default out).
    assert sent["destination_file_type"] == "TEXT"
    assert created["task"]["obs_destination_descriptor"].get("destination_file_type", "TEXT") == "TEXT"


def test_a_delete_in_check_mode_and_for_real_report_the_same(dms):
    created = dms.sink_task(dms.task_args())
    absent = dms.task_args(state="absent", obs_destination_descriptor=None)
    planned = dms.sink_task(absent, check_mode=True, diff=True)
    deleted = dms.sink_task(absent, diff=True)
    again = dms.sink_task(absent, diff=True)
    assert planned["changed"] is True and planned["task_id"] == created["task_id"]
    assert sorted(planned) == sorted(deleted) and planned["diff"] == deleted["diff"]
    assert deleted["diff"] == dict(before=dict(task_name="it-orders", topics=["orders", "refunds"]), after={})
    assert deleted["changed"] is True and deleted["task"]["task_name"] == "it-orders"
    # Gone, or (realistic: a delete the service finishes in the background) still going.
    assert again["changed"] is False and (again["task"] is None or again["task"]["status"] == "DELETING")
    assert len(dms.acted("DELETE")) == 1 and dms.emulator.state()["tasks"] == []


def test_a_wrong_secret_is_reported_with_the_operation_status_code_and_request_id(dms):
    failed = dms.sink_task(dms.task_args(state="absent", access_key="EMULATORAK0000000001",
                                         secret_key="WrongSecretKeyNeverShown01"))
    request_id = dms.requests()[-1]["request_id"]
    assert failed["msg"] == ("list the sink tasks of connector %s failed: DMS API error 401 APIGW.0301: Incorrect IAM "
                             "authentication information: the signature does not match (request id %s)"
                             % (dms.emulator.connector_id, request_id))
    assert failed["error"] == dict(status=401, error_code="APIGW.0301", request_id=request_id,
                                   error_msg="Incorrect IAM authentication information: the signature does not match")
    assert "WrongSecretKeyNeverShown01" not in json.dumps(failed)


# --- every response shape the real service may use --------------------------------------------------

SHAPES = ["topics_in_descriptor", "topics_in_both", "topics_spaced", "record_delimiter_escaped", "interval_as_string",
          "partition_format_unreported"]


@pytest.mark.parametrize("shapes", [{shape: True} for shape in SHAPES] + [dict((shape, True) for shape in SHAPES)],
                         ids=SHAPES + ["all at once"])
def test_every_response_shape_gives_one_post_and_unchanged_reruns(dms, shapes):
    dms.reset(shapes=shapes)
    regex = dict(topics=None, topics_regex="audit-.*")
    created = dms.sink_task(dms.task_args())
    rerun = dms.sink_task(dms.task_args())
    on_change = dms.sink_task(dms.task_args(recreate="on_change"), diff=True)
    regex_created = dms.sink_task(dms.task_args("it-audit", descriptor=regex))
    regex_rerun = dms.sink_task(dms.task_args("it-audit", recreate="on_change", descriptor=regex))
    assert created["changed"] is True
    assert [rerun["changed"], on_change["changed"], regex_rerun["changed"]] == [False, False, False], (
        rerun.get("msg"), on_change.get("msg"), regex_rerun.get("msg"))
    assert rerun["task_id"] == on_change["task_id"] == created["task_id"]
    assert regex_rerun["task_id"] == regex_created["task_id"] and regex_rerun["task"]["topics"] == "audit-.*"
    assert on_change["diff"]["before"] == on_change["diff"]["after"]
    assert on_change["diff"]["before"]["topics"] == ["orders", "refunds"]
    assert len(dms.acted("POST")) == 2 and dms.requests("DELETE") == []
    unreported = bool(shapes.get("partition_format_unreported"))
    assert len(warned(rerun, "did not report partition_format of sink task 'it-orders'")) == int(unreported)
    assert ("partition_format" in on_change["diff"]["before"]) is not unreported


# --- statuses -------------------------------------------------------------------------------------

def test_a_task_on_its_way_is_waited_for_or_reported(dms):
    dms.reset(creating_reads=6, transitional_status="STARTING")  # reads: list+show, list+show (+ lost create)
    created = dms.sink_task(dms.task_args())
    found = dms.sink_task(dms.task_args())
    waited = dms.sink_task(dms.task_args(wait=True))
    assert created["task"]["status"] == "STARTING" and "warnings" not in created
    assert warned(found, "is in status STARTING, not yet RUNNING")
    assert waited["changed"] is False and waited["task"]["status"] == "RUNNING"


@pytest.mark.parametrize("final", ["ERROR", "PAUSED", "FAILED"])
def test_a_final_status_ends_a_wait_at_once_and_a_waiting_rerun_agrees(dms, final):
    dms.reset(creating_reads=1, final_status_by_name={"it-orders": final})
    first = dms.sink_task(dms.task_args(wait=True, wait_timeout=60))
    assert first["failed"] is True and first["changed"] is True and first["task"]["status"] == final
    assert first["msg"] == ("Sink task 'it-orders' (id %s) is in status %s, not RUNNING, and will not get there by "
                            "waiting; see the DMS console for its cause, or replace it with recreate: on_change."
                            % (first["task_id"], final))
    if not dms.realistic:  # list, create, show (CREATING), show (final): no more
        assert dms.methods() == ["GET", "POST", "GET", "GET"]
    rerun = dms.sink_task(dms.task_args(wait=True))
    assert rerun["failed"] is True and rerun["changed"] is False and rerun["msg"] == first["msg"]
    not_waiting = dms.sink_task(dms.task_args())
    assert not_waiting["changed"] is False and warned(not_waiting, "is in status %s, not RUNNING" % final)


def test_on_change_replaces_a_task_in_error_and_keeps_a_paused_one(dms):
    dms.reset(final_status_by_name={"it-broken": "ERROR", "it-paused": "PAUSED"})
    broken = dms.sink_task(dms.task_args("it-broken"))
    paused = dms.sink_task(dms.task_args("it-paused"))
    replaced = dms.sink_task(dms.task_args("it-broken", recreate="on_change"))
    kept = dms.sink_task(dms.task_args("it-paused", recreate="on_change"))
    never = dms.sink_task(dms.task_args("it-broken"))
    assert replaced["changed"] is True and replaced["task_id"] != broken["task_id"]
    assert warned(replaced, "is in status ERROR: replaced, as recreate is on_change")
    assert kept["changed"] is False and kept["task_id"] == paused["task_id"]
    assert never["changed"] is False and warned(never, "is in status ERROR, not RUNNING")


def test_a_delete_waits_until_the_task_is_gone(dms):
    created = dms.sink_task(dms.task_args())
    gone = dms.sink_task(dms.task_args(state="absent", wait=True))
    assert gone["changed"] is True and gone["task_id"] == created["task_id"]
    assert dms.requests()[-1]["method"] == "GET" and dms.requests()[-1]["status"] == 404


# --- discovery, credentials, the connector ----------------------------------------------------------

def test_instance_id_and_region_without_a_project_id(dms):
    created = dms.sink_task(dms.task_args(connector_id=None, instance_id=dms.emulator.instance_id,
                                          region="cn-north-4"), HUAWEICLOUD_SDK_PROJECT_ID="")
    assert created["changed"] is True
    log = dms.requests()
    assert [(entry["method"], entry["path"].split("/")[-1]) for entry in log[:2]] == [
        ("GET", "projects"), ("GET", dms.emulator.instance_id)]
    assert log[0]["query"] == [["name", "cn-north-4"]] and "X-Project-Id" not in log[0]["headers"]


def test_a_region_with_two_projects_asks_for_project_id(dms):
    failed = dms.info(dict(connector_id=dms.emulator.connector_id, region="xx-multi-1"), HUAWEICLOUD_SDK_PROJECT_ID="")
    assert failed["msg"].startswith("IAM has 2 projects named 'xx-multi-1': set project_id")


def test_a_region_without_a_project_asks_for_project_id_and_sends_nothing_else(dms):
    failed = dms.info(dict(connector_id=dms.emulator.connector_id, region="xx-none-1"), HUAWEICLOUD_SDK_PROJECT_ID="")
    assert failed["failed"] is True and failed["msg"].startswith("IAM has no projects named 'xx-none-1': set project_id")
    assert [entry["path"].split("/")[-1] for entry in dms.requests()] == ["projects"]


def test_without_project_id_or_region_the_error_names_where_each_can_be_set(dms):
    failed = dms.info(dict(connector_id=dms.emulator.connector_id), HUAWEICLOUD_SDK_PROJECT_ID="",
                      HUAWEICLOUD_SDK_REGION="")
    assert failed["failed"] is True and dms.requests() == []
    assert failed["msg"].startswith("Set project_id (option project_id or environment HUAWEICLOUD_SDK_PROJECT_ID / "
                                    "HW_PROJECT_ID or key project_id in ")
    # No file key for the region: the credentials file is not named for it.
    assert failed["msg"].endswith("(option region or environment HUAWEICLOUD_SDK_REGION / HW_REGION_NAME).")


def test_an_instance_with_no_connector(dms):
    absent = dms.sink_task(dms.task_args(connector_id=None, instance_id=dms.emulator.disabled_instance_id,
                                         state="absent"), diff=True)
    present = dms.sink_task(dms.task_args(connector_id=None, instance_id=dms.emulator.disabled_instance_id))
    assert absent["changed"] is False and absent.get("failed") is not True and absent["task_id"] is None
    assert warned(absent, "has no dump connector, so it has no sink task 'it-orders' to delete")
    assert present["failed"] is True and present["msg"].startswith(
        "Kafka instance %s has no dump connector: neither message dumping nor Smart Connect is enabled on it."
        % dms.emulator.disabled_instance_id) and "%s" not in present["msg"]
    assert absent["diff"] == dict(before={}, after={})
    assert present["failed"] is True and "has no dump connector" in present["msg"]
    assert "Enable one of them first" in present["msg"]
    assert dms.methods() == ["GET", "GET"]


def test_a_smart_connect_instance_is_used_whatever_connector_enable_says(dms):
    created = dms.sink_task(dms.task_args(connector_id=None, instance_id=dms.emulator.smart_connect_instance_id))
    assert created["changed"] is True and len(dms.emulator.state()["tasks"]) == 1


@pytest.mark.parametrize("credentials", ["environment", "temporary keys", "credentials file"])
def test_each_source_of_credentials_signs_requests_the_service_accepts(dms, tmp_path, credentials):
    env = {}
    if credentials == "temporary keys":
        env = dict(HUAWEICLOUD_SDK_AK=STS_ACCESS_KEY, HUAWEICLOUD_SDK_SK=STS_SECRET_KEY,
                   HUAWEICLOUD_SDK_SECURITY_TOKEN=STS_SECURITY_TOKEN)
    if credentials == "credentials file":
        path = tmp_path / "credentials"
        path.write_text("[basic]\nak = %s\nsk = %s\nproject_id = %s\n" % (
            dms.emulator.access_key, dms.emulator.secret_key, dms.emulator.project_id))
        env = dict(HUAWEICLOUD_SDK_AK="", HUAWEICLOUD_SDK_SK="", HUAWEICLOUD_SDK_PROJECT_ID="",
                   HUAWEICLOUD_SDK_CREDENTIALS_FILE=str(path))
    listed = dms.info(dict(connector_id=dms.emulator.connector_id), **env)
    assert listed["tasks"] == [] and listed.get("failed") is not True, listed.get("msg")
    assert all(entry["status"] == 200 for entry in dms.requests())


def test_a_token_option_with_keys_from_the_environment_fails_before_any_request(dms):
    failed = dms.sink_task(dms.task_args(security_token="OptionTokenNeverShown01"))
    assert failed["msg"].startswith("security_token is set in the module options, but access_key and secret_key")
    assert dms.requests() == [] and "OptionTokenNeverShown01" not in json.dumps(failed)


# --- what users write ---------------------------------------------------------------------------------

def test_nulls_mean_the_defaults(dms):
    created = dms.sink_task(dms.task_args(wait=None, recreate=None, state=None, descriptor=dict(
        record_delimiter=None, consumer_strategy=None, destination_file_type=None)))
    assert created["changed"] is True, created.get("msg")
    sent = json.loads(dms.requests("POST")[0]["body"])["obs_destination_descriptor"]
    assert (sent["record_delimiter"], sent["consumer_strategy"], sent["destination_file_type"]) == ("\n", "latest",
                                                                                                    "TEXT")


BAD_DESCRIPTORS = [
    ("topics", dict(topics=[])), ("topics", dict(topics=["orders", ""])), ("topics", dict(topics=["a,b"])),
    ("topics", dict(topics="orders, bad(name")), ("topics", dict(topics=None)),
    ("topics_regex", dict(topics_regex="a.*")), ("topics_regex", dict(topics=None, topics_regex=".*")),
    ("topics_regex", dict(topics=None, topics_regex="(open")),
    ("consumer_strategy", dict(consumer_strategy="oldest")),
    ("destination_file_type", dict(destination_file_type="CSV")), ("access_key", dict(access_key="")),
    ("secret_key", dict(secret_key="")), ("obs_bucket_name", dict(obs_bucket_name=" ")),
    ("obs_path", dict(obs_path="with space")), ("obs_path", dict(obs_path="x" * 65)),
    ("partition_format", dict(partition_format="yyyy-MM")), ("record_delimiter", dict(record_delimiter=":")),
    ("deliver_time_interval", dict(deliver_time_interval=29)), ("deliver_time_interval", dict(deliver_time_interval=901)),
    ("deliver_time_interval", dict(deliver_time_interval="five")), ("unknown_option", dict(unknown_option=1)),
    ("access_key", dict(access_key=None)),
]
BAD_ARGUMENTS = [
    ("obs_destination_descriptor", dict(obs_destination_descriptor=None)), ("task_name", dict(task_name="  ")),
    ("source_type", dict(source_type="KAFKA")), ("destination_type", dict(destination_type="S3")),
    ("recreate", dict(recreate="sometimes")), ("state", dict(state="gone")),
    ("connector_id", dict(connector_id="../instances")),
    ("endpoint", dict(endpoint="ftp://127.0.0.1/dms")), ("endpoint", dict(endpoint="https://")),
    ("ca_path", dict(ca_path="/nonexistent/ca.pem")), ("region", dict(region="cn-north-4/evil")),
    ("timeout", dict(timeout=0)), ("timeout", dict(timeout=-5)), ("retries", dict(retries=-1)),
    ("wait_timeout", dict(wait_timeout=0)),
    ("secret_key", dict(access_key="ONLYTHEACCESSKEY0001")),
]


@pytest.mark.parametrize("option, bad", [(option, dict(descriptor=bad)) for option, bad in BAD_DESCRIPTORS]
                         + BAD_ARGUMENTS, ids=[option for option, _bad in BAD_DESCRIPTORS + BAD_ARGUMENTS])
def test_bad_input_fails_naming_the_option_before_any_request(dms, option, bad):
    failed = dms.sink_task(dms.task_args(**bad))
    assert failed["failed"] is True and option in failed["msg"]
    assert dms.requests() == []
    assert OBS_SECRET not in json.dumps(failed)


def test_no_credentials_at_all_lists_every_source(dms):
    failed = dms.sink_task(dms.task_args(), HUAWEICLOUD_SDK_AK="", HUAWEICLOUD_SDK_SK="")
    assert failed["msg"].startswith("No credentials found. Tried: module options access_key/secret_key; ")
    assert "credentials file %s" % "/dev/null" in failed["msg"] and dms.requests() == []


def test_secrets_are_no_log_and_access_keys_are_a_stated_decision():
    spec = argument_spec()
    descriptor = spec["obs_destination_descriptor"]["options"]
    assert descriptor["secret_key"]["no_log"] is True
    assert descriptor["access_key"]["no_log"] is False


# --- faults: nothing lost, nothing duplicated -----------------------------------------------------------

@pytest.mark.parametrize("rule, methods", [
    # list, POST 503, list (absent), POST 503, list (absent), POST 200, show
    (dict(method="POST", status=503, count=2), ["GET", "POST", "GET", "POST", "GET", "POST", "GET"]),
    # list, POST that created but never answered, list finds the task, show: no second POST
    (dict(method="POST", drop="after"), ["GET", "POST", "GET", "GET"]),
])
def test_a_create_is_looked_up_before_it_is_sent_again(dms, rule, methods):
    dms.emulator.add_fault(**rule)
    created = dms.sink_task(dms.task_args())
    [task] = dms.emulator.state()["tasks"]
    assert created["changed"] is True and created["task_id"] == task["task_id"]
    assert dms.methods() == methods


def test_reads_and_creates_answered_429_are_retried_after_retry_after(dms):
    dms.emulator.add_fault(method="GET", status=429, count=2)
    dms.emulator.add_fault(method="POST", status=429)
    created = dms.sink_task(dms.task_args())
    assert created["changed"] is True and len(dms.emulator.state()["tasks"]) == 1
    assert [entry["status"] for entry in dms.requests()] == [429, 429, 200, 429, 200, 200]


def test_a_delete_the_service_keeps_failing_fails_naming_the_error(dms):
    dms.sink_task(dms.task_args())
    dms.emulator.add_fault(method="DELETE", status=500, count=None)
    failed = dms.sink_task(dms.task_args(state="absent", retries=1))
    assert failed["failed"] is True and "DMS API error 500" in failed["msg"]
    assert [entry["status"] for entry in dms.requests("DELETE")] == [500, 500]
    assert len(dms.emulator.state()["tasks"]) == 1


@pytest.mark.parametrize("rule, statuses", [
    (dict(method="DELETE", drop="after"), [None]),
    (dict(method="DELETE", status=503), [503, 204]),
])
def test_a_retried_delete_is_a_change(dms, rule, statuses):
    """A delete without an answer is read back: sent again only where the read still shows the task (1.5.1; 1.5.0
    sent it again blindly, and took the second one's 404 for the first one's success)."""
    dms.sink_task(dms.task_args())
    dms.emulator.add_fault(**rule)
    deleted = dms.sink_task(dms.task_args(state="absent"))
    assert deleted["changed"] is True and dms.emulator.state()["tasks"] == []
    assert [entry["status"] for entry in dms.requests("DELETE")] == statuses
    after_first = [entry["method"] for entry in dms.requests() if entry["seq"] > dms.requests("DELETE")[0]["seq"]]
    assert after_first[0] == "GET"


def test_a_create_the_service_keeps_failing_is_sent_retries_plus_one_times(dms):
    dms.emulator.add_fault(method="POST", status=503, count=None)
    failed = dms.sink_task(dms.task_args(retries=2))
    assert failed["failed"] is True and "DMS API error 503" in failed["msg"]
    assert [entry["status"] for entry in dms.requests("POST")] == [503] * 3 and dms.emulator.state()["tasks"] == []


def test_a_hung_service_fails_after_retries_plus_one_attempts(dms):
    dms.emulator.add_fault(delay=1.5, count=None)
    failed = dms.sink_task(dms.task_args(timeout=1, retries=1))
    assert failed["msg"].startswith("list the sink tasks of connector %s failed: The service did not answer GET "
                                    % dms.emulator.connector_id)
    assert failed["msg"].endswith("in 1 seconds (timeout). (2 attempts)")
    assert len(dms.requests()) == 2 and dms.emulator.state()["tasks"] == []


@pytest.mark.parametrize("status", [403, 503, 429])
def test_service_errors_after_retries_report_the_operation_status_code_message_and_request_id(dms, status):
    dms.emulator.add_fault(status=status, count=None)
    failed = dms.sink_task(dms.task_args(retries=1))
    last = dms.requests()[-1]
    assert failed["error"]["status"] == status and failed["error"]["request_id"] == last["request_id"]
    assert failed["msg"] == "list the sink tasks of connector %s failed: DMS API error %s %s: %s (request id %s)" % (
        dms.emulator.connector_id, status, failed["error"]["error_code"], failed["error"]["error_msg"],
        last["request_id"])
    assert len(dms.requests()) == (1 if status == 403 else 2)


def test_a_400_without_such_a_task_is_reported_as_it_came(dms):
    dms.emulator.add_fault(method="POST", status=400)
    failed = dms.sink_task(dms.task_args())
    assert failed["error"]["status"] == 400 and failed["error"]["error_code"] == "DMS.00400002"
    assert failed["msg"].startswith("create sink task 'it-orders' failed: DMS API error 400 DMS.00400002: ")
    assert dms.methods() == ["GET", "POST", "GET"]


def test_losing_a_race_to_the_same_settings_is_success_and_to_others_a_mismatch(dms):
    """Another run creates the task between this run's list and its POST."""
    def other_run_creates(settings):
        while not dms.requests("POST"):  # this run's POST has arrived and is held
            time.sleep(0.02)
        other = dms.run("kafka_sink_task", dms.task_args(descriptor=settings))
        assert other["changed"] is True

    for attempt, settings in enumerate([{}, dict(deliver_time_interval=90)]):
        dms.reset(faults=[dict(method="POST", hold=0.5)])
        competitor = threading.Thread(target=other_run_creates, args=(settings,))
        competitor.start()
        result = dms.sink_task(dms.task_args(recreate="on_change"))
        competitor.join()
        [task] = dms.emulator.state()["tasks"]
        assert result["task_id"] == task["task_id"] and dms.requests("DELETE") == []
        if attempt == 0:
            assert result["changed"] is False and "failed" not in result  # the other run made the change
        else:
            # Even with on_change the loser does not replace the winner's task: two runs would never settle.
            assert result["failed"] is True and "another run has just created it" in result["msg"]
            assert "deliver_time_interval: task has 90, wanted 300" in result["msg"]


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_full_quota_fails_before_any_post_naming_quota_tasks(dms, check_mode):
    dms.reset(quota_tasks=1)
    dms.sink_task(dms.task_args("first"))
    sent = len(dms.requests())
    failed = dms.sink_task(dms.task_args("second"), check_mode=check_mode)
    assert failed["msg"].startswith("create sink task 'second' failed: the task quota is full: there are 1 tasks "
                                    "(total_number) and the quota is 1 (quota_tasks; max_tasks, the maximum number of "
                                    "tasks, is 0). Delete a dumping task, or ask for a higher quota (")
    assert failed["changed"] is False and failed["task_id"] is None
    assert dms.methods()[sent:] == ["GET"]
    assert dms.sink_task(dms.task_args("first"))["changed"] is False  # the quota only stops new tasks


def test_a_replacement_whose_create_fails_says_the_old_task_is_gone(dms):
    first = dms.sink_task(dms.task_args())
    dms.emulator.add_fault(method="POST", status=503)
    changed_args = dms.task_args(recreate="on_change", retries=0, descriptor=dict(deliver_time_interval=90))
    failed = dms.sink_task(changed_args)
    assert failed["failed"] is True and failed["changed"] is True and failed["task_id"] == first["task_id"]
    assert failed["msg"] == (
        "Sink task 'it-orders' (id %s) was deleted to be replaced, but the new task was not created: create sink task "
        "'it-orders' failed: DMS API error 503 DMS.00500000: Fault injected by the emulator (HTTP 503) (request id %s). "
        "Run again to create it." % (first["task_id"], dms.requests("POST")[-1]["request_id"]))
    assert failed["error"]["status"] == 503 and dms.emulator.state()["tasks"] == []
    rerun = dms.sink_task(changed_args)
    assert rerun["changed"] is True and len(dms.emulator.state()["tasks"]) == 1


def test_an_endpoint_that_does_not_resolve_fails_once_saying_what_to_check(dms):
    failed = dms.sink_task(dms.task_args(), HUAWEICLOUD_DMS_ENDPOINT="https://dms.xx-nowhere-1.invalid")
    assert failed["msg"].startswith("list the sink tasks of connector %s failed: The host name of GET "
                                    "https://dms.xx-nowhere-1.invalid/" % dms.emulator.connector_id)
    assert "Check region and endpoint" in failed["msg"] and "attempts" not in failed["msg"]


@pytest.fixture(scope="module")
def tls_dms():
    from emulator import Emulator
    from harness import ModuleRunner

    with Emulator(tls=True) as running:
        yield ModuleRunner(running)


def test_tls_is_verified_and_ca_path_or_validate_certs_false_get_through(tls_dms):
    tls_dms.reset()
    refused = tls_dms.sink_task(tls_dms.task_args())
    assert "TLS certificate problem" in refused["msg"] and "ca_path" in refused["msg"]
    assert tls_dms.emulator.state()["tasks"] == []
    trusted = tls_dms.sink_task(tls_dms.task_args(ca_path=tls_dms.emulator.ca_path))
    assert trusted["changed"] is True and "warnings" not in trusted
    unverified = tls_dms.sink_task(tls_dms.task_args(validate_certs=False))
    assert unverified["changed"] is False and warned(unverified, "validate_certs is false")


def test_a_ca_path_that_does_not_verify_the_certificate_is_named_as_such(tls_dms, tmp_path):
    """1.5.1: a wrong ca_path got the advice given to none ("Set ca_path ...")."""
    import trustme

    tls_dms.reset()
    other_ca = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other_ca))
    refused = tls_dms.sink_task(tls_dms.task_args(ca_path=str(other_ca)))
    assert refused["failed"] is True and "TLS certificate problem" in refused["msg"]
    assert "The CA bundle given as ca_path (%s) did not verify the endpoint's certificate" % other_ca in refused["msg"]
    assert "Set ca_path to" not in refused["msg"]
    plain = tls_dms.sink_task(tls_dms.task_args())
    assert "Set ca_path to the CA bundle that signed the endpoint's certificate" in plain["msg"]


# --- check mode sends no change, deletes report what they did -----------------------------------------

@pytest.mark.parametrize("existing, args", [
    (False, dict()),
    (True, dict(recreate="always")),
    (True, dict(recreate="on_change", descriptor=dict(deliver_time_interval=600))),
    (True, dict(state="absent", obs_destination_descriptor=None)),
], ids=["create", "always", "on_change", "absent"])
def test_check_mode_sends_no_change_for_any_state(dms, existing, args):
    if existing:
        dms.sink_task(dms.task_args())
    sent = len(dms.requests())
    planned = dms.sink_task(dms.task_args(**args), check_mode=True)
    assert planned["changed"] is True and set(dms.methods()[sent:]) == {"GET"}


def test_a_delete_that_finds_the_task_already_gone_is_no_change(dms):
    created = dms.sink_task(dms.task_args())
    dms.emulator.add_fault(method="DELETE", hold=0.3)
    path = "/v2/%s/connectors/%s/sink-tasks/%s" % (
        dms.emulator.project_id, dms.emulator.connector_id, created["task_id"])
    with dms.meanwhile("DELETE", lambda: dms.signed("DELETE", path).raise_for_status()):
        deleted = dms.sink_task(dms.task_args(state="absent"))
    assert deleted.get("failed") is not True, deleted.get("msg")
    assert deleted["changed"] is False


def test_a_delete_answered_503_after_it_acted_is_a_change(dms):
    dms.sink_task(dms.task_args())
    dms.emulator.add_fault(method="DELETE", status=503, acted=True)
    deleted = dms.sink_task(dms.task_args(state="absent"))
    assert deleted["changed"] is True and [entry["status"] for entry in dms.requests("DELETE")] == [503]


def test_on_change_does_not_replace_a_task_still_creating(dms):
    dms.reset(creating_reads=10, transitional_status="CREATING")
    created = dms.sink_task(dms.task_args())
    kept = dms.sink_task(dms.task_args(recreate="on_change"))
    assert kept["changed"] is False and kept["task_id"] == created["task_id"] and dms.requests("DELETE") == []


def test_a_create_whose_answer_was_lost_and_whose_retry_finds_the_name_taken_is_this_runs(dms):
    dms.reset(realism=dict(lose_answers=True))
    created = dms.sink_task(dms.task_args())
    assert [entry["status"] for entry in dms.requests("POST")] == [None, 400]
    assert created["changed"] is True and len(dms.emulator.state()["tasks"]) == 1


def test_a_topics_entry_that_is_a_regular_expression_is_sent_as_the_reference_page_allows(dms):
    created = dms.sink_task(dms.task_args(descriptor=dict(topics=["orders-.*", "refunds"])))
    assert created.get("failed") is not True, created.get("msg")
    [post] = dms.requests("POST")[-1:]
    assert json.loads(post["body"])["obs_destination_descriptor"]["topics"] == "orders-.*,refunds"
    assert dms.sink_task(dms.task_args(descriptor=dict(topics=["orders-.*", "refunds"])))["changed"] is False


def test_connector_id_beside_instance_id_is_the_one_used(dms):
    """1.5.1: as module_defaults for the group gives instance_id to a task that sets connector_id (1.5.0 refused it as
    "mutually exclusive"): the more specific connector_id is used, and the instance is not read."""
    created = dms.sink_task(dms.task_args(instance_id=dms.emulator.disabled_instance_id))
    assert created.get("failed") is not True, created.get("msg")
    assert created["changed"] is True and [entry["path"] for entry in dms.requests("GET")] == [
        "/v2/%s/connectors/%s/sink-tasks" % (dms.emulator.project_id, dms.emulator.connector_id)] + [
        entry["path"] for entry in dms.requests("GET")][1:]
    assert not any("/instances/" in entry["path"] for entry in dms.requests())


def test_a_task_being_deleted_is_not_the_task_wanted_nor_deleted_twice(dms):
    """1.5.1 (the fault property found it for Smart Connect tasks): a task the list shows DELETING, a delete the
    service finishes in the background, is on its way out."""
    dms.reset(realism=dict(deleted_late=3, lose_answers=False))
    created = dms.sink_task(dms.task_args())
    gone = dms.sink_task(dms.task_args(state="absent"))
    assert gone["changed"] is True and created["task_id"] in dms.emulator.state()["deleting"]
    again = dms.sink_task(dms.task_args(state="absent"))
    assert again.get("failed") is not True and again["changed"] is False, again.get("msg")
    recreated = dms.sink_task(dms.task_args())
    assert recreated.get("failed") is not True, recreated.get("msg")
    assert recreated["changed"] is True and recreated["task_id"] != created["task_id"]
    assert [task["task_id"] for task in dms.emulator.state()["tasks"]] == [recreated["task_id"]]
