# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator behaves as the spec says the real service does; the other tests rely on it."""

import copy
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
from datetime import datetime, timedelta, timezone

import pytest
import requests

from emulator import SERVER_SCRIPT, STS_ACCESS_KEY, STS_SECRET_KEY, STS_SECURITY_TOKEN, Emulator
from emulator.server import parse_authorization, signer

BODY = {"source_type": "BLOB", "task_name": "emu", "destination_type": "OBS",
        "obs_destination_descriptor": {"topics": "a,b", "consumer_strategy": "earliest",
                                       "destination_file_type": "TEXT", "access_key": "OBSAK",
                                       "secret_key": "OBSSK", "obs_bucket_name": "bucket", "obs_path": "p/q",
                                       "partition_format": "yyyy/MM", "record_delimiter": "",
                                       "deliver_time_interval": 30}}


def call(emulator, method, path, body=None, query=None, access_key=None, secret_key=None, headers=None,
         now=None, sign=True, project_header=True):
    """One signed request, as the collection's client would send it; returns the response."""
    payload = b"" if body is None else json.dumps(body).encode("utf-8")
    host = emulator.url.split("://")[1]
    sent = {"Content-Type": "application/json"}
    if project_header:
        sent["X-Project-Id"] = emulator.project_id
    sent.update(headers or {})
    if sign:
        sent = signer.sign_request(method, host, path, query or [], sent, payload,
                                   access_key or emulator.access_key, secret_key or emulator.secret_key, now=now)
    return requests.request(method, emulator.url + path, params=query, data=payload or None, headers=sent, timeout=10)


@pytest.fixture
def tasks(emulator):
    emulator.reset()
    return "/v2/%s/connectors/%s/sink-tasks" % (emulator.project_id, emulator.connector_id)


def test_round_trip_without_secrets_in_any_answer(emulator, tasks):
    created = call(emulator, "POST", tasks, BODY)
    assert created.status_code == 200
    task_id = created.json()["task_id"]
    listing = call(emulator, "GET", tasks).json()
    # max_tasks: the tasks still free (the reference's example: 1 task, max_tasks 9, quota_tasks 10).
    assert listing["total_number"] == 1 and listing["quota_tasks"] == 50 and listing["max_tasks"] == 49
    assert listing["tasks"][0]["topics"] == "a,b" and listing["tasks"][0]["status"] == "RUNNING"
    assert isinstance(listing["tasks"][0]["create_time"], int)
    shown = call(emulator, "GET", tasks + "/" + task_id, query=[("topic-info", "true")]).json()
    assert shown["obs_destination_descriptor"] == {
        "consumer_strategy": "earliest", "destination_file_type": "TEXT", "obs_bucket_name": "bucket",
        "obs_path": "p/q", "partition_format": "yyyy/MM", "record_delimiter": "", "deliver_time_interval": 30,
        "obs_part_size": 5242880}
    partitions = shown["topics_info"][0]["partitions"]
    assert [p["partition_id"] for p in partitions] == [0, 1, 2]
    assert all(isinstance(p["lag"], str) and isinstance(p["log_end_offset"], str) for p in partitions)
    assert "OBSSK" not in json.dumps([listing, shown, emulator.state()])
    deleted = call(emulator, "DELETE", tasks + "/" + task_id)
    assert deleted.status_code == 204 and deleted.content == b""
    assert call(emulator, "DELETE", tasks + "/" + task_id).status_code == 404
    assert call(emulator, "GET", tasks + "/" + task_id).status_code == 404


def test_every_response_has_a_request_id(emulator, tasks):
    for response in (call(emulator, "GET", tasks), call(emulator, "GET", "/nowhere"),
                     call(emulator, "GET", tasks, sign=False)):
        assert len(response.headers["X-Request-Id"]) == 36


def broken(path, value):
    body = copy.deepcopy(BODY)
    target = body
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return body


OBS = "obs_destination_descriptor"


@pytest.mark.parametrize("body, field", [
    (broken(["source_type"], "KAFKA"), "source_type"),
    (broken(["destination_type"], "S3"), "destination_type"),
    (broken(["task_name"], KeyError), "task_name"),
    (broken(["task_name"], ""), "task_name"),
    (broken(["extra"], 1), "extra"),
    (broken([OBS, "topics"], KeyError), "topics"),
    (broken([OBS, "topics_regex"], "x"), "topics"),
    (broken([OBS, "topics"], "a,,b"), "topics"),
    (broken([OBS, "topics"], None), "topics"),
    (broken([OBS, "consumer_strategy"], "oldest"), "consumer_strategy"),
    (broken([OBS, "destination_file_type"], "TXT"), "destination_file_type"),
    (broken([OBS, "access_key"], KeyError), "access_key"),
    (broken([OBS, "secret_key"], ""), "secret_key"),
    (broken([OBS, "obs_bucket_name"], KeyError), "obs_bucket_name"),
    (broken([OBS, "obs_path"], "x" * 65), "obs_path"),
    (broken([OBS, "obs_path"], "a b"), "obs_path"),
    (broken([OBS, "partition_format"], "yyyy-MM"), "partition_format"),
    (broken([OBS, "record_delimiter"], "\t"), "record_delimiter"),
    (broken([OBS, "deliver_time_interval"], 29), "deliver_time_interval"),
    (broken([OBS, "deliver_time_interval"], 901), "deliver_time_interval"),
    (broken([OBS, "deliver_time_interval"], "300"), "deliver_time_interval"),
    (broken([OBS, "deliver_time_interval"], KeyError), "deliver_time_interval"),
])
def test_every_field_rule_is_enforced(emulator, tasks, body, field):
    response = call(emulator, "POST", tasks, body)
    assert response.status_code == 400
    assert field in response.json()["error_msg"]
    assert emulator.state()["tasks"] == []


def test_topics_regex_other_than_everything_is_accepted(emulator, tasks):
    regex_body = broken([OBS, "topics"], KeyError)
    regex_body[OBS]["topics_regex"] = ".*"
    assert call(emulator, "POST", tasks, regex_body).status_code == 400
    regex_body[OBS]["topics_regex"] = "audit-.*"
    assert call(emulator, "POST", tasks, regex_body).status_code == 200
    assert call(emulator, "GET", tasks).json()["tasks"][0]["topics"] == "audit-.*"


def test_duplicate_names_and_quota_are_refused(emulator, tasks):
    assert call(emulator, "POST", tasks, BODY).status_code == 200
    duplicate = call(emulator, "POST", tasks, BODY)
    assert duplicate.status_code == 400
    assert duplicate.json() == {"error_code": "DMS.00400865", "error_msg": "The task name already exists"}
    quota = call(emulator, "PUT", tasks, {"sink_max_tasks": 1})
    assert quota.status_code == 204 and quota.content == b""  # as documented: no body
    assert call(emulator, "GET", tasks).json()["quota_tasks"] == 1
    assert call(emulator, "POST", tasks, broken(["task_name"], "second")).status_code == 400
    assert call(emulator, "PUT", tasks, {"sink_max_tasks": 501}).status_code == 400


@pytest.mark.parametrize("case", ["unsigned", "unknown key", "wrong secret", "skewed date", "sts without token",
                                  "project mismatch", "tampered body"])
def test_authentication_failures_are_401(emulator, tasks, case):
    kwargs = {}
    if case == "unsigned":
        kwargs["sign"] = False
    elif case == "unknown key":
        kwargs["access_key"] = "NOSUCHKEY00000000001"
    elif case == "wrong secret":
        kwargs["secret_key"] = "not-the-secret"
    elif case == "skewed date":
        kwargs["now"] = datetime.now(timezone.utc) - timedelta(minutes=16)
    elif case == "sts without token":
        kwargs.update(access_key=STS_ACCESS_KEY, secret_key=STS_SECRET_KEY)
    elif case == "project mismatch":
        kwargs["headers"] = {"X-Project-Id": "ffffffffffffffffffffffffffffffff"}
    if case == "tampered body":
        payload = json.dumps(BODY).encode("utf-8")
        host = emulator.url.split("://")[1]
        sent = signer.sign_request("POST", host, tasks, [], {"Content-Type": "application/json"}, payload,
                                   emulator.access_key, emulator.secret_key)
        response = requests.post(emulator.url + tasks, data=payload.replace(b"bucket", b"other"), headers=sent)
    else:
        response = call(emulator, "POST", tasks, BODY, **kwargs)
    assert response.status_code == 401
    assert response.json()["error_code"] == "APIGW.0301"
    assert emulator.state()["tasks"] == []


def test_temporary_credentials_with_their_token_are_accepted(emulator, tasks):
    response = call(emulator, "GET", tasks, access_key=STS_ACCESS_KEY, secret_key=STS_SECRET_KEY,
                    headers={"X-Security-Token": STS_SECURITY_TOKEN})
    assert response.status_code == 200


def test_unknown_project_connector_and_path_are_404(emulator, tasks):
    assert call(emulator, "GET", tasks.replace(emulator.connector_id, "nope"), ).status_code == 404
    other_project = "/v2/ffffffffffffffffffffffffffffffff/connectors/%s/sink-tasks" % emulator.connector_id
    assert call(emulator, "GET", other_project, headers={"X-Project-Id": "ffffffffffffffffffffffffffffffff"}
                ).status_code == 404
    assert call(emulator, "GET", "/v2/%s/nothing" % emulator.project_id).status_code == 404


def test_instances_and_iam_projects(emulator, tasks):
    instance = call(emulator, "GET", "/v2/%s/instances/%s" % (emulator.project_id, emulator.instance_id)).json()
    assert instance["connector_enable"] is True and instance["connector_id"] == emulator.connector_id
    disabled = call(emulator, "GET", "/v2/%s/instances/%s" % (emulator.project_id, emulator.disabled_instance_id))
    assert disabled.json()["connector_enable"] is False
    assert call(emulator, "GET", "/v2/%s/instances/none" % emulator.project_id).status_code == 404

    def projects(name):
        return call(emulator, "GET", "/v3/projects", query=[("name", name)], project_header=False).json()["projects"]

    assert [p["id"] for p in projects("cn-north-4")] == [emulator.project_id]
    assert len(projects("xx-multi-1")) == 2 and projects("nowhere-1") == []


def test_new_tasks_read_creating_then_running_or_error(emulator, tasks):
    emulator.reset(creating_reads=2, final_status_by_name={"broken": "ERROR"})
    call(emulator, "POST", tasks, BODY)
    call(emulator, "POST", tasks, broken(["task_name"], "broken"))
    reads = [sorted(t["status"] for t in call(emulator, "GET", tasks).json()["tasks"]) for _read in range(3)]
    assert reads == [["CREATING", "CREATING"], ["CREATING", "CREATING"], ["ERROR", "RUNNING"]]


def test_faults_fire_as_many_times_as_asked(emulator, tasks):
    emulator.add_fault(method="POST", status=503)
    emulator.add_fault(method="GET", path="/sink-tasks$", status=429)
    assert call(emulator, "POST", tasks, BODY).status_code == 503
    throttled = call(emulator, "GET", tasks)
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "1"
    assert call(emulator, "GET", tasks).json()["tasks"] == []
    assert call(emulator, "POST", tasks, BODY).status_code == 200


def test_a_dropped_create_still_creates(emulator, tasks):
    emulator.add_fault(method="POST", drop="after")
    with pytest.raises(requests.exceptions.ConnectionError):
        call(emulator, "POST", tasks, BODY)
    assert [t["task_name"] for t in emulator.state()["tasks"]] == ["emu"]
    assert emulator.requests()[-1]["status"] is None


def test_held_parallel_creates_of_one_name_make_one_task(emulator, tasks):
    emulator.add_fault(method="POST", hold=0.5, count=5)
    statuses = []
    threads = [threading.Thread(target=lambda: statuses.append(call(emulator, "POST", tasks, BODY).status_code))
               for _thread in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 400, 400, 400, 400]
    assert len(emulator.state()["tasks"]) == 1


def test_a_delay_outlasts_a_client_timeout(emulator, tasks):
    emulator.add_fault(delay=1)
    with pytest.raises(requests.exceptions.Timeout):
        host = emulator.url.split("://")[1]
        sent = signer.sign_request("GET", host, tasks, [], {}, b"", emulator.access_key, emulator.secret_key)
        requests.get(emulator.url + tasks, headers=sent, timeout=0.3)


def test_misspelt_faults_and_settings_are_refused(emulator, tasks):
    for rule in (dict(method="POST", staus=503), dict(method="POST"), dict(drop="during"), dict(path="(", delay=1)):
        with pytest.raises(urllib.error.HTTPError):
            emulator.add_fault(**rule)
    with pytest.raises(urllib.error.HTTPError):
        emulator.reset(creating_read=1)


def test_bodies_that_are_not_a_json_object_are_refused(emulator, tasks):
    host = emulator.url.split("://")[1]
    for payload in (b"{not json", b"[]", b""):
        sent = signer.sign_request("POST", host, tasks, [], {"Content-Type": "application/json"}, payload,
                                   emulator.access_key, emulator.secret_key)
        response = requests.post(emulator.url + tasks, data=payload, headers=sent, timeout=10)
        assert response.status_code == 400, payload
    assert emulator.state()["tasks"] == []


@pytest.mark.parametrize("body, field", [
    (broken(["task_name"], None), "task_name"),
    (broken([OBS, "obs_path"], None), "obs_path"),
    (broken([OBS, "compression"], "gzip"), "compression"),
    (broken([OBS], None), OBS),
])
def test_nulls_and_unknown_descriptor_fields_are_refused(emulator, tasks, body, field):
    response = call(emulator, "POST", tasks, body)
    assert response.status_code == 400 and field in response.json()["error_msg"]


def test_defaults_are_filled_in_and_obs_path_may_be_omitted(emulator, tasks):
    body = copy.deepcopy(BODY)
    for field in ("consumer_strategy", "record_delimiter", "obs_path"):
        del body[OBS][field]
    task_id = call(emulator, "POST", tasks, body).json()["task_id"]
    shown = call(emulator, "GET", tasks + "/" + task_id).json()["obs_destination_descriptor"]
    assert (shown["consumer_strategy"], shown["record_delimiter"], shown["obs_path"]) == ("latest", "\n", "")


def test_a_regex_task_reports_invented_matching_topics(emulator, tasks):
    body = broken([OBS, "topics"], KeyError)
    body[OBS]["topics_regex"] = "audit-.*"
    task_id = call(emulator, "POST", tasks, body).json()["task_id"]
    shown = call(emulator, "GET", tasks + "/" + task_id, query=[("topic-info", "true")]).json()
    assert 1 <= len(shown["topics_info"]) <= 2
    assert all(len(topic["partitions"]) == 3 for topic in shown["topics_info"])


def test_a_show_counts_as_a_read_of_a_creating_task(emulator, tasks):
    emulator.reset(creating_reads=1)
    task_id = call(emulator, "POST", tasks, BODY).json()["task_id"]
    assert call(emulator, "GET", tasks + "/" + task_id).json()["status"] == "CREATING"
    assert call(emulator, "GET", tasks + "/" + task_id).json()["status"] == "RUNNING"


@pytest.mark.parametrize("rule, method, status, code", [
    (dict(method="POST", status=429), "POST", 429, "APIGW.0308"),
    (dict(method="GET", path="/sink-tasks/", status=503), "GET", 503, "DMS.00500000"),
    (dict(method="DELETE", status=503, error_code="DMS.00500099"), "DELETE", 503, "DMS.00500099"),
    (dict(status=403), "GET", 403, "APIGW.0302"),
    (dict(method="POST", status=400), "POST", 400, "DMS.00400002"),
])
def test_a_rule_fires_as_many_times_as_asked_on_its_method_and_path(emulator, tasks, rule, method, status, code):
    task_id = call(emulator, "POST", tasks, BODY).json()["task_id"]
    emulator.add_fault(**rule)
    other = call(emulator, "GET", "/v2/%s/instances/%s" % (emulator.project_id, emulator.instance_id))
    path = tasks if method == "POST" else tasks + "/" + task_id
    body = broken(["task_name"], "second") if method == "POST" else None
    # A rule for any method and path takes the first request: here the instance read.
    faulted = call(emulator, method, path, body) if rule.get("path") or rule.get("method") else other
    assert other.status_code == (200 if faulted is not other else status)
    assert faulted.status_code == status and faulted.json()["error_code"] == code
    assert len(faulted.headers["X-Request-Id"]) == 36
    assert call(emulator, method, path, body).status_code in (200, 204)
    assert len(emulator.state()["tasks"]) == (2 if method == "POST" else 0 if method == "DELETE" else 1)


def test_a_rule_without_a_count_applies_to_every_match(emulator, tasks):
    emulator.add_fault(method="GET", status=503, count=None)
    assert [call(emulator, "GET", tasks).status_code for attempt in range(3)] == [503, 503, 503]
    assert call(emulator, "POST", tasks, BODY).status_code == 200


def test_the_log_holds_every_api_request_even_refused_ones(emulator, tasks):
    call(emulator, "GET", tasks, query=[("limit", "10")])
    call(emulator, "POST", tasks, BODY, sign=False)
    emulator.state()  # control calls are not logged
    logged = emulator.requests()
    assert [(r["seq"], r["method"], r["status"]) for r in logged] == [(1, "GET", 200), (2, "POST", 401)]
    assert logged[0]["query"] == [["limit", "10"]] and logged[0]["headers"]["X-Project-Id"] == emulator.project_id
    assert json.loads(logged[1]["body"]) == BODY
    assert len(set(r["request_id"] for r in logged)) == 2


def test_methods_a_path_lacks_are_405(emulator, tasks):
    response = call(emulator, "PATCH", tasks, BODY)
    assert response.status_code == 405 and "X-Request-Id" in response.headers


def test_https_with_the_generated_ca_and_a_config_file():
    with Emulator(tls=True, config={"quota_tasks": 7}) as secure:
        with open(secure.ca_path) as ca_file:
            assert ca_file.read().count("BEGIN CERTIFICATE") == 1
        host = secure.url.split("://")[1]
        path = "/v2/%s/connectors/%s/sink-tasks" % (secure.project_id, secure.connector_id)
        sent = signer.sign_request("GET", host, path, [], {}, b"", secure.access_key, secure.secret_key)
        listing = requests.get(secure.url + path, headers=sent, verify=secure.ca_path, timeout=10)
        assert listing.status_code == 200 and listing.json()["quota_tasks"] == 7
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(secure.url + path, headers=sent, timeout=10)
        assert secure.state()["config"]["quota_tasks"] == 7  # the control API works over TLS too


def test_the_command_line_announces_its_port_and_exits_cleanly_on_sigterm(tmp_path):
    port_file = tmp_path / "port"
    process = subprocess.Popen([sys.executable, SERVER_SCRIPT, "--host", "127.0.0.1", "--port", "0",
                                "--port-file", str(port_file)], stdout=subprocess.PIPE, text=True)
    try:
        announced = process.stdout.readline().strip()
        assert announced == "DMS emulator listening on http://127.0.0.1:%s" % port_file.read_text()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        process.stdout.close()


def test_a_terraform_style_body_with_empty_unused_fields_is_accepted(emulator, tasks):
    body = copy.deepcopy(BODY)
    body[OBS].update(topics_regex="", obs_path="")
    task_id = call(emulator, "POST", tasks, body).json()["task_id"]
    shown = call(emulator, "GET", tasks + "/" + task_id).json()
    assert shown["topics"] == "a,b" and shown[OBS]["obs_path"] == ""
    regex_body = copy.deepcopy(BODY)
    regex_body["task_name"] = "emu-regex"
    regex_body[OBS].update(topics="", topics_regex="audit-.*")
    assert call(emulator, "POST", tasks, regex_body).status_code == 200
    both_empty = copy.deepcopy(BODY)
    both_empty["task_name"] = "emu-none"
    both_empty[OBS].update(topics="", topics_regex="")
    assert call(emulator, "POST", tasks, both_empty).status_code == 400


@pytest.mark.parametrize("shapes, expected_top, expected_obs", [
    ({}, "a,b", {"record_delimiter": "\n", "deliver_time_interval": 30, "partition_format": "yyyy/MM"}),
    ({"topics_in_descriptor": True}, None, {"topics": "a,b", "topics_regex": ""}),
    ({"topics_in_both": True}, "a,b", {"topics": "a,b", "topics_regex": ""}),
    ({"topics_spaced": True}, "a, b", {}),
    ({"record_delimiter_escaped": True}, "a,b", {"record_delimiter": "\\n"}),
    ({"interval_as_string": True}, "a,b", {"deliver_time_interval": "30"}),
    ({"partition_format_unreported": True}, "a,b", {"partition_format": "N/A"}),
])
def test_each_response_shape_switch_changes_the_show_answer(emulator, shapes, expected_top, expected_obs):
    emulator.reset(shapes=shapes)
    tasks = "/v2/%s/connectors/%s/sink-tasks" % (emulator.project_id, emulator.connector_id)
    body = copy.deepcopy(BODY)
    body[OBS]["record_delimiter"] = "\n"
    task_id = call(emulator, "POST", tasks, body).json()["task_id"]
    shown = call(emulator, "GET", tasks + "/" + task_id).json()
    assert shown.get("topics") == expected_top
    for field, value in expected_obs.items():
        assert shown[OBS][field] == value
    if "topics_in_descriptor" not in shapes and "topics_in_both" not in shapes:
        assert "topics" not in shown[OBS] and "topics_regex" not in shown[OBS]
    with pytest.raises(urllib.error.HTTPError):
        emulator.reset(shapes={"topics_nowhere": True})  # a misspelt switch would test nothing


def test_final_statuses_by_name_and_the_transitional_status(emulator, tasks):
    emulator.reset(creating_reads=1, transitional_status="STARTING", final_status_by_name={"emu": "PAUSED"})
    task_id = call(emulator, "POST", tasks, BODY).json()["task_id"]
    statuses = [call(emulator, "GET", tasks + "/" + task_id).json()["status"] for read in range(2)]
    assert statuses == ["STARTING", "PAUSED"]


VECTORS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "unit", "fixtures", "signing-vectors.json")


def test_parse_authorization_round_trips():
    value = signer.authorization_header("AK1", ["host", "x-sdk-date"], "ab" * 32)
    assert value == "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host;x-sdk-date, Signature=" + "ab" * 32
    assert parse_authorization(value) == ("AK1", ["host", "x-sdk-date"], "ab" * 32)
    with open(VECTORS_FILE, encoding="utf-8") as vectors_file:
        vectors = json.load(vectors_file)["vectors"]
    for vector in vectors:
        expected = vector["expected"]
        assert parse_authorization(expected["authorization"]) == (
            vector["input"]["ak"], expected["signed_headers"], expected["authorization"].rsplit("=", 1)[1])


@pytest.mark.parametrize("value", [
    None,
    "",
    "Basic QUs6U0s=",
    "SDK-HMAC-SHA256",
    "SDK-HMAC-SM3 Access=AK1, SignedHeaders=host, Signature=abc",
    "SDK-HMAC-SHA256 Access=AK1",
    "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host",
    "SDK-HMAC-SHA256 SignedHeaders=host, Signature=abc",
    "SDK-HMAC-SHA256 Access=AK1, SignedHeaders, Signature=abc",
    "SDK-HMAC-SHA256 Access=AK1 SignedHeaders=host Signature=abc",
    "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=abc, junk",
    "SDK-HMAC-SHA512 Access=AK1, SignedHeaders=host, Signature=abc",
])
def test_parse_authorization_rejects_malformed_values(value):
    with pytest.raises(ValueError):
        parse_authorization(value)


def test_enabling_smart_connect_extends_the_instance_then_reports_the_connector(emulator):
    emulator.reset(instance_transition_reads=2)
    instance = "/v2/%s/instances/%s" % (emulator.project_id, emulator.disabled_instance_id)
    assert call(emulator, "POST", instance + "/connector", {"node_cnt": 1}).status_code == 400
    enabled = call(emulator, "POST", instance + "/connector", {"node_cnt": 3})
    assert enabled.status_code == 200 and len(enabled.json()["connector_id"]) == 36
    assert call(emulator, "POST", instance + "/connector", {"node_cnt": 3}).json()["error_code"] == "DMS.00400026"
    reads = [call(emulator, "GET", instance).json() for read in range(3)]
    assert [read["status"] for read in reads] == ["EXTENDING", "EXTENDING", "RUNNING"]
    assert (reads[2]["connector_enable"], reads[2]["connector_id"], reads[2]["connector_node_num"]) == (
        True, enabled.json()["connector_id"], 3)
    assert call(emulator, "POST", instance + "/connector", {}).status_code == 400  # already enabled


@pytest.mark.parametrize("body", [None, {}, {"instance_id": "x"}], ids=["the SDK's none", "{}", "Terraform's"])
def test_disabling_smart_connect_takes_any_body_and_deletes_the_connector_and_its_tasks(emulator, body):
    emulator.reset(instance_transition_reads=1)
    instance = "/v2/%s/instances/%s" % (emulator.project_id, emulator.instance_id)
    disable = "/v2/%s/kafka/instances/%s/delete-connector" % (emulator.project_id, emulator.instance_id)
    assert call(emulator, "POST", instance + "/connector/tasks", SC_SINK_BODY).status_code == 200
    assert len(call(emulator, "POST", disable, body).json()["job_id"]) == 36
    assert emulator.state()["sc_tasks"] == []  # disabling deletes the instance's Smart Connect tasks
    reads = [call(emulator, "GET", instance).json() for read in range(2)]
    assert [read["status"] for read in reads] == ["CONNECTOR_DELETING", "RUNNING"]
    assert (reads[1]["connector_enable"], reads[1]["connector_id"]) == (False, "")
    assert call(emulator, "POST", disable, {}).status_code == 400  # nothing left to disable


SC_SINK_BODY = {"task_name": "dump-1", "topics": "topic-a", "sink_type": "OBS_SINK", "sink_task": {
    "consumer_strategy": "latest", "destination_file_type": "TEXT", "access_key": "SCAK", "secret_key": "SCSECRET",
    "obs_bucket_name": "my-bucket", "partition_format": "yyyy/MM/dd/HH/mm", "record_delimiter": ";",
    "deliver_time_interval": 300}}
SC_SOURCE_BODY = {"task_name": "replicate-1", "topics": "topic-test", "source_type": "KAFKA_REPLICATOR_SOURCE",
                  "source_task": {"bootstrap_servers": "10.0.0.1:9092", "security_protocol": "SASL_SSL",
                                  "sasl_mechanism": "PLAIN", "user_name": "peer", "password": "PEERSECRET",
                                  "direction": "push", "task_num": 2, "topics_mapping": "topic-test:topic-copy"}}


def test_smart_connect_tasks_are_created_shown_listed_by_page_and_deleted(emulator):
    emulator.reset(sc_transition_reads=1)
    tasks = "/v2/%s/instances/%s/connector/tasks" % (emulator.project_id, emulator.instance_id)
    created = call(emulator, "POST", tasks, SC_SINK_BODY).json()
    assert created["status"] == "CREATING" and created["source_task"] == {} and created["source_type"] == "NONE"
    assert "access_key" not in created["sink_task"] and created["sink_task"]["obs_part_size"] == 5242880
    replicated = call(emulator, "POST", tasks, SC_SOURCE_BODY).json()
    assert "password" not in replicated["source_task"] and replicated["sink_task"] == {}
    assert call(emulator, "POST", tasks, SC_SINK_BODY).json()["error_code"] == "DMS.00400865"
    shown = [call(emulator, "GET", tasks + "/" + created["id"]).json()["status"] for read in range(2)]
    assert shown == ["CREATING", "RUNNING"]
    page = call(emulator, "GET", tasks, query=[("offset", "1"), ("limit", "1")]).json()
    assert [task["id"] for task in page["tasks"]] == [replicated["id"]] and page["total_number"] == 2
    assert call(emulator, "GET", tasks, query=[("limit", "51")]).status_code == 400
    assert call(emulator, "DELETE", tasks + "/" + created["id"]).status_code == 204
    assert call(emulator, "GET", tasks + "/" + created["id"]).status_code == 404
    assert "SCSECRET" not in json.dumps(emulator.requests()[-1]) and "PEERSECRET" not in json.dumps(page)


def test_smart_connect_task_actions_move_between_statuses(emulator):
    emulator.reset(sc_transition_reads=0)
    tasks = "/v2/%s/instances/%s/connector/tasks" % (emulator.project_id, emulator.instance_id)
    task_id = call(emulator, "POST", tasks, dict(SC_SINK_BODY, start_later=True)).json()["id"]

    def status():
        return call(emulator, "GET", tasks + "/" + task_id).json()["status"]

    assert status() == "WAITING"
    assert call(emulator, "PUT", tasks + "/" + task_id + "/pause").status_code == 400  # not running
    restart = "/v2/%s/kafka/instances/%s/connector/tasks/%s/restart" % (
        emulator.project_id, emulator.instance_id, task_id)
    assert call(emulator, "PUT", restart).status_code == 204 and status() == "RUNNING"
    assert call(emulator, "PUT", tasks + "/" + task_id + "/pause").status_code == 204 and status() == "PAUSED"
    assert call(emulator, "PUT", tasks + "/" + task_id + "/resume").status_code == 204 and status() == "RUNNING"


@pytest.mark.parametrize("change, field", [
    (dict(topics=""), "topics"), (dict(topics_regex="a.*"), "topics"), (dict(sink_type="NONE"), "sink_type"),
    (dict(source_type="KAFKA_REPLICATOR_SOURCE"), "sink_type"),
])
def test_smart_connect_task_bodies_are_checked(emulator, change, field):
    emulator.reset()
    tasks = "/v2/%s/instances/%s/connector/tasks" % (emulator.project_id, emulator.instance_id)
    answer = call(emulator, "POST", tasks, dict(SC_SINK_BODY, **change))
    assert answer.status_code == 400 and field in answer.json()["error_msg"]


def test_smart_connect_tasks_need_smart_connect_on_the_instance(emulator):
    emulator.reset()
    tasks = "/v2/%s/instances/%s/connector/tasks" % (emulator.project_id, emulator.disabled_instance_id)
    assert call(emulator, "GET", tasks).json()["error_code"] == "DMS.00400032"


# --- realism: what the real service may do that the spec's first reading did not expect --------------

def sc_tasks_path(emulator, instance_id=None):
    return "/v2/%s/instances/%s/connector/tasks" % (emulator.project_id, instance_id or emulator.instance_id)


def test_the_realistic_profile_turns_every_realism_switch_on(emulator):
    from emulator.config import REALISM, REGIONAL

    emulator.reset(profile="realistic", realism=dict(sparse_answers=False))
    realism = emulator.state()["config"]["realism"]
    assert sorted(realism) == sorted(set(REALISM) - set(REGIONAL)) and realism["sparse_answers"] is False
    assert all(realism[switch] for switch in REALISM if switch not in REGIONAL + ("sparse_answers",))
    with pytest.raises(urllib.error.HTTPError):
        emulator.reset(realism=dict(misspelt=True))


def test_status_lag_reads_show_the_status_before_an_action(emulator):
    emulator.reset(sc_transition_reads=0, realism=dict(status_lag_reads=2))
    tasks = sc_tasks_path(emulator)
    task_id = call(emulator, "POST", tasks, SC_SINK_BODY).json()["id"]
    assert call(emulator, "GET", tasks + "/" + task_id).json()["status"] == "RUNNING"
    assert call(emulator, "PUT", tasks + "/" + task_id + "/pause").status_code == 204
    reads = [call(emulator, "GET", tasks + "/" + task_id).json()["status"] for read in range(3)]
    assert reads == ["RUNNING", "RUNNING", "PAUSED"]
    assert call(emulator, "PUT", tasks + "/" + task_id + "/pause").status_code == 400  # paused already: refused


def test_status_lag_reads_show_an_instance_running_before_it_extends(emulator):
    emulator.reset(instance_transition_reads=1, realism=dict(status_lag_reads=1, connector_enable_false=True))
    instance = "/v2/%s/instances/%s" % (emulator.project_id, emulator.disabled_instance_id)
    connector_id = call(emulator, "POST", instance + "/connector", {"node_cnt": 2}).json()["connector_id"]
    reads = [call(emulator, "GET", instance).json() for read in range(3)]
    assert [(read["status"], read["connector_id"]) for read in reads] == [
        ("RUNNING", ""), ("EXTENDING", ""), ("RUNNING", connector_id)]
    assert reads[2]["connector_enable"] is False  # a newer flavour: the connector id says it is on


def test_sparse_answers_leave_out_what_is_false_or_empty(emulator):
    emulator.reset(realism=dict(sparse_answers=True))
    body = dict(SC_SINK_BODY, sink_task=dict(SC_SINK_BODY["sink_task"], store_keys=False, obs_path=""))
    shown = call(emulator, "POST", sc_tasks_path(emulator), body).json()
    assert "store_keys" not in shown["sink_task"] and "obs_path" not in shown["sink_task"]
    assert "topics_regex" not in shown and "source_task" not in shown and shown["topics"] == "topic-a"


@pytest.mark.parametrize("switch, status", [(False, 404), (True, 400)])
def test_a_missing_task_answers_404_or_400(emulator, switch, status):
    emulator.reset(realism=dict(missing_task_400=switch))
    missing = sc_tasks_path(emulator) + "/00000000-0000-4000-8000-00000000dead"
    assert [call(emulator, method, missing + suffix).status_code for method, suffix in
            [("GET", ""), ("DELETE", ""), ("PUT", "/pause")]] == [status] * 3


def test_a_lost_answer_comes_after_the_service_acted_once_per_kind_and_never_with_fault_rules(emulator):
    emulator.reset(realism=dict(lose_answers=True))
    tasks = sc_tasks_path(emulator)
    with pytest.raises(requests.exceptions.ConnectionError):
        call(emulator, "POST", tasks, SC_SINK_BODY)
    [task] = emulator.state()["sc_tasks"]
    assert call(emulator, "GET", tasks).json()["tasks"] == []  # listed late: the next list misses it
    assert [listed["id"] for listed in call(emulator, "GET", tasks).json()["tasks"]] == [task["id"]]
    assert call(emulator, "POST", tasks, dict(SC_SINK_BODY, task_name="dump-2")).status_code == 200
    emulator.reset(realism=dict(lose_answers=True), faults=[dict(method="GET", delay=0.01)])
    assert call(emulator, "POST", tasks, SC_SINK_BODY).status_code == 200


def test_a_fault_rule_can_answer_an_error_after_the_service_acted(emulator):
    emulator.reset(faults=[dict(method="POST", status=503, acted=True)])
    answer = call(emulator, "POST", sc_tasks_path(emulator), SC_SINK_BODY)
    assert answer.status_code == 503 and len(emulator.state()["sc_tasks"]) == 1


def test_list_pages_may_be_shorter_than_the_limit(emulator):
    emulator.reset(sc_page_limit=2)
    tasks = sc_tasks_path(emulator)
    for number in range(3):
        call(emulator, "POST", tasks, dict(SC_SINK_BODY, task_name="dump-%s" % number))
    page = call(emulator, "GET", tasks, query=[("offset", "0"), ("limit", "50")]).json()
    assert len(page["tasks"]) == 2 and page["total_number"] == 3


def test_an_obs_sink_task_takes_keys_or_an_agency_never_neither(emulator):
    emulator.reset()
    tasks = sc_tasks_path(emulator)
    keyless = dict((key, value) for key, value in SC_SINK_BODY["sink_task"].items()
                   if key not in ("access_key", "secret_key"))
    refused = call(emulator, "POST", tasks, dict(SC_SINK_BODY, sink_task=keyless))
    assert refused.status_code == 400 and "agency_name" in refused.json()["error_msg"]
    created = call(emulator, "POST", tasks, dict(SC_SINK_BODY, sink_task=dict(keyless, agency_name="dms-agency")))
    assert created.status_code == 200 and created.json()["sink_task"]["agency_name"] == "dms-agency"


def test_an_emulator_whose_parent_is_gone_stops_by_itself(tmp_path):
    """ansible-test units forks each test and ends the fork without teardown: its emulator must not outlive it."""
    import time

    script = tmp_path / "parent.py"
    script.write_text("import os, subprocess, sys\n"
                      "child = subprocess.Popen([sys.executable, %r, '--port', '0', '--port-file', %r, '--parent-pid',"
                      " str(os.getpid())], stdout=subprocess.DEVNULL)\nprint(child.pid)\n"
                      % (SERVER_SCRIPT, str(tmp_path / "port")))
    child_pid = int(subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True,
                                   timeout=30).stdout)

    def running():
        try:
            with open("/proc/%s/stat" % child_pid) as stat:
                return stat.read().split(")")[-1].split()[0] != "Z"  # a zombie has stopped
        except OSError:
            return False

    deadline = time.monotonic() + 10
    while running() and time.monotonic() < deadline:
        time.sleep(0.1)
    if running():
        os.kill(child_pid, signal.SIGKILL)
        pytest.fail("the emulator outlived its parent")


def test_sparse_answers_leave_out_an_instances_connector_fields_when_it_has_none(emulator):
    emulator.reset(realism=dict(sparse_answers=True))
    off = call(emulator, "GET", "/v2/%s/instances/%s" % (emulator.project_id, emulator.disabled_instance_id)).json()
    on = call(emulator, "GET", "/v2/%s/instances/%s" % (emulator.project_id, emulator.instance_id)).json()
    assert not set(off) & {"connector_enable", "connector_id", "connector_node_num"}
    assert on["connector_id"] and on["connector_node_num"] == 2


# --- 1.3.1: the switches for what 1.3.0 got wrong ---------------------------------------------------------

def test_validate_takes_the_sdks_model_or_terraforms_and_the_bucket_list_has_integer_dates(emulator):
    emulator.reset()
    validate = "/v2/%s/instances/%s/connector/validate" % (emulator.project_id, emulator.instance_id)
    peer = dict((key, value) for key, value in SC_SOURCE_BODY["source_task"].items() if key != "password")
    # The SDK's model has no password; Terraform sends one: both are taken.
    for task in (peer, SC_SOURCE_BODY["source_task"]):
        assert call(emulator, "POST", validate, {"type": "KAFKA_REPLICATOR_SOURCE", "task": task}).status_code == 200
    refused = call(emulator, "POST", validate, {"type": "OBS_SINK", "task": SC_SINK_BODY["sink_task"]})
    assert refused.status_code == 400 and "is not a field of task" in refused.json()["error_msg"]
    buckets = call(emulator, "GET", "/v1.0/dms/obs/buckets").json()
    assert isinstance(buckets[0]["creationDate"], int) and buckets[0]["bucketName"] == "kafka-archive"


def test_regional_switches_unpublish_the_kafka_restart_path_and_the_bucket_list(emulator):
    emulator.reset(sc_transition_reads=0, realism=dict(restart_path_instance_only=True, obs_buckets_unpublished=True))
    tasks = sc_tasks_path(emulator)
    task_id = call(emulator, "POST", tasks, dict(SC_SINK_BODY, start_later=True)).json()["id"]
    kafka = "/v2/%s/kafka/instances/%s/connector/tasks/%s/restart" % (emulator.project_id, emulator.instance_id,
                                                                      task_id)
    unpublished = [call(emulator, "PUT", kafka), call(emulator, "GET", "/v1.0/dms/obs/buckets")]
    assert [(answer.status_code, answer.json()["error_code"]) for answer in unpublished] == [(404, "APIGW.0101")] * 2
    assert call(emulator, "GET", tasks + "/" + task_id).json()["status"] == "WAITING"
    assert call(emulator, "PUT", tasks + "/" + task_id + "/restart").status_code == 204


def test_restart_unseen_and_agency_not_echoed(emulator):
    emulator.reset(sc_transition_reads=0, realism=dict(restart_unseen=True, agency_not_echoed=True))
    tasks = sc_tasks_path(emulator)
    body = dict(SC_SINK_BODY, sink_task=dict(SC_SINK_BODY["sink_task"], agency_name="dms-obs-agency"))
    task_id = call(emulator, "POST", tasks, body).json()["id"]
    shown = call(emulator, "GET", tasks + "/" + task_id).json()
    assert shown["status"] == "RUNNING" and "agency_name" not in shown["sink_task"]
    restart = "/v2/%s/kafka/instances/%s/connector/tasks/%s/restart" % (emulator.project_id, emulator.instance_id,
                                                                        task_id)
    assert call(emulator, "PUT", restart).status_code == 204
    assert [call(emulator, "GET", tasks + "/" + task_id).json()["status"] for read in range(2)] == ["RUNNING"] * 2


@pytest.mark.parametrize("late", [False, True], ids=["at the call", "when done"])
def test_a_disable_deletes_smart_connect_and_dumping_tasks_at_the_call_or_when_done(emulator, late):
    emulator.reset(instance_transition_reads=1, realism=dict(tasks_deleted_late=late))
    instance = "/v2/%s/instances/%s" % (emulator.project_id, emulator.instance_id)
    dumping = "/v2/%s/connectors/%s/sink-tasks" % (emulator.project_id, emulator.connector_id)
    assert call(emulator, "POST", sc_tasks_path(emulator), SC_SINK_BODY).status_code == 200
    assert call(emulator, "POST", dumping, BODY).status_code == 200
    listing = call(emulator, "GET", sc_tasks_path(emulator)).json()
    assert listing["max_tasks"] == listing["quota_tasks"] - 1  # what is still free
    disable = "/v2/%s/kafka/instances/%s/delete-connector" % (emulator.project_id, emulator.instance_id)
    assert call(emulator, "POST", disable, {}).status_code == 200
    meanwhile = [len(call(emulator, "GET", path).json()["tasks"]) for path in (sc_tasks_path(emulator), dumping)]
    assert meanwhile == ([1, 1] if late else [0, 0])
    while call(emulator, "GET", instance).json()["status"] != "RUNNING":
        pass
    assert emulator.state()["sc_tasks"] == [] and emulator.state()["tasks"] == []


@pytest.mark.parametrize("family", ["dumping", "smart connect"])
def test_deleted_late_keeps_a_deleted_task_deleting_for_some_reads(emulator, family):
    emulator.reset(sc_transition_reads=0, realism=dict(deleted_late=2))
    tasks = sc_tasks_path(emulator) if family == "smart connect" else "/v2/%s/connectors/%s/sink-tasks" % (
        emulator.project_id, emulator.connector_id)
    body = SC_SINK_BODY if family == "smart connect" else BODY
    created = call(emulator, "POST", tasks, body).json()
    task = tasks + "/" + created.get("id", created.get("task_id"))
    assert call(emulator, "DELETE", task).status_code == 204
    assert call(emulator, "POST", tasks, body).status_code == 400  # the name is still taken
    assert call(emulator, "DELETE", task).status_code in (400, 404)  # a second delete finds it gone already
    assert emulator.state()["deleting"] and emulator.state()["tasks"] == emulator.state()["sc_tasks"] == []
    reads = [call(emulator, "GET", task).json().get("status"), [shown["status"] for shown in call(
        emulator, "GET", tasks).json()["tasks"]]]
    assert reads == ["DELETING", ["DELETING"]]
    assert call(emulator, "GET", tasks).json()["tasks"] == [] and call(emulator, "GET", task).status_code == 404
    assert emulator.state()["deleting"] == [] and call(emulator, "POST", tasks, body).status_code == 200
