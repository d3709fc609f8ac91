# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP client against the emulator: what goes on the wire, errors, retries, TLS."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from emulator.server import parse_authorization

from ansible_collections.hwcloud.dms.plugins.module_utils import client as client_module
from ansible_collections.hwcloud.dms.plugins.module_utils.client import (
    ApiClient,
    backoff_seconds,
    endpoint_problem,
    service_endpoint,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsApiError, DmsTransportError

TASKS = "/v2/%s/connectors/%s/sink-tasks"
BODY = {"source_type": "BLOB", "task_name": "client-test", "destination_type": "OBS",
        "obs_destination_descriptor": {"topics": "a,b", "consumer_strategy": "latest",
                                       "destination_file_type": "TEXT", "access_key": "AK",
                                       "secret_key": "ObsSecretNeverInErrors", "obs_bucket_name": "b",
                                       "partition_format": "yyyy", "record_delimiter": "\n",
                                       "deliver_time_interval": 60}}


class Pauses(list):
    """Stands in for time.sleep: records each pause instead of sleeping."""

    def __call__(self, seconds):
        self.append(seconds)


def make_client(emulator, retries=3, timeout=10, pauses=None, **overrides):
    settings = dict(access_key=emulator.access_key, secret_key=emulator.secret_key, project_id=emulator.project_id)
    settings.update(overrides)
    return ApiClient(emulator.url, settings["access_key"], settings["secret_key"],
                     security_token=settings.get("security_token"), project_id=settings["project_id"],
                     timeout=timeout, retries=retries, sleep=pauses if pauses is not None else Pauses())


@pytest.fixture
def tasks_path(emulator):
    emulator.reset()
    return TASKS % (emulator.project_id, emulator.connector_id)


def test_endpoints_by_region():
    assert service_endpoint("dms", "cn-north-4") == "https://dms.cn-north-4.myhuaweicloud.com"
    assert service_endpoint("iam", "ap-southeast-1") == "https://iam.ap-southeast-1.myhuaweicloud.com"
    assert service_endpoint("dms", "eu-west-101") == "https://dms.eu-west-101.myhuaweicloud.eu"
    assert service_endpoint("iam", "eu-west-101") == "https://iam.eu-west-101.myhuaweicloud.eu"


@pytest.mark.parametrize("url, problem", [
    ("https://dms.example:8443", None), ("http://127.0.0.1:1/base", None),
    ("ftp://dms.example", "must start with https:// or http://"), ("dms.example", "must start with https://"),
    ("https://", "has no host name"), ("https://h?x=1", "must not carry a query"),
    ("https://h:notaport", "has an invalid port"),
])
def test_endpoint_problems(url, problem):
    found = endpoint_problem(url)
    assert found == problem if problem is None else found.startswith(problem)


def test_the_signed_bytes_are_the_sent_bytes(emulator, tasks_path):
    created = make_client(emulator).request("POST", tasks_path, body=BODY)
    [sent] = emulator.requests()
    assert sent["method"] == "POST" and sent["path"] == tasks_path
    assert json.loads(sent["body"]) == BODY
    assert sent["body"] == json.dumps(BODY, separators=(",", ":"))
    assert sent["headers"]["Host"] == emulator.url.split("://")[1]
    assert sent["headers"]["X-Project-Id"] == emulator.project_id
    assert sent["headers"]["Content-Type"] == "application/json"
    access_key, names, _signature = parse_authorization(sent["headers"]["Authorization"])
    assert access_key == emulator.access_key
    assert names == ["content-type", "host", "x-project-id", "x-sdk-date"]
    assert sent["status"] == 200 and len(created["task_id"]) == 36


def test_query_and_security_token_reach_the_service(emulator, tasks_path):
    from emulator import STS_ACCESS_KEY, STS_SECRET_KEY, STS_SECURITY_TOKEN

    sts = make_client(emulator, access_key=STS_ACCESS_KEY, secret_key=STS_SECRET_KEY,
                      security_token=STS_SECURITY_TOKEN)
    task_id = sts.request("POST", tasks_path, body=BODY)["task_id"]
    shown = sts.request("GET", tasks_path + "/" + task_id, query=[("topic-info", True)])
    assert [topic["topic"] for topic in shown["topics_info"]] == ["a", "b"]
    last = emulator.requests()[-1]
    assert last["query"] == [["topic-info", "true"]]
    assert last["headers"]["X-Security-Token"] == STS_SECURITY_TOKEN
    assert "x-security-token" in parse_authorization(last["headers"]["Authorization"])[1]


def test_an_api_error_carries_status_code_message_and_request_id(emulator, tasks_path):
    with pytest.raises(DmsApiError) as raised:
        make_client(emulator, secret_key="WrongSecretKey").request("POST", tasks_path, body=BODY)
    error = raised.value
    [sent] = emulator.requests()
    assert (error.status, error.error_code, error.request_id) == (401, "APIGW.0301", sent["request_id"])
    assert str(error) == "DMS API error 401 APIGW.0301: %s (request id %s)" % (error.error_msg, sent["request_id"])
    assert error.as_dict() == dict(status=401, error_code="APIGW.0301", error_msg=error.error_msg,
                                   request_id=sent["request_id"])
    assert "ObsSecretNeverInErrors" not in str(error) and "WrongSecretKey" not in str(error)


def test_reads_are_retried_on_429_honouring_retry_after(emulator, tasks_path):
    emulator.add_fault(method="GET", status=429, count=2)
    pauses = Pauses()
    listing = make_client(emulator, pauses=pauses).request("GET", tasks_path)
    assert listing["tasks"] == []
    assert [entry["status"] for entry in emulator.requests()] == [429, 429, 200]
    assert pauses == [1.0, 1.0]  # the emulator's Retry-After: 1


def test_reads_give_up_after_retries_plus_one_attempts(emulator, tasks_path):
    emulator.add_fault(method="GET", status=503, count=10)
    pauses = Pauses()
    with pytest.raises(DmsApiError) as raised:
        make_client(emulator, retries=2, pauses=pauses).request("GET", tasks_path)
    assert raised.value.status == 503 and raised.value.attempts == 3
    assert len(emulator.requests()) == 3
    assert len(pauses) == 2 and pauses[0] <= 1 and pauses[1] <= 2


def test_deletes_are_retried_on_5xx(emulator, tasks_path):
    client = make_client(emulator)
    task_id = client.request("POST", tasks_path, body=BODY)["task_id"]
    emulator.add_fault(method="DELETE", status=503)
    assert client.request("DELETE", tasks_path + "/" + task_id) is None
    assert [e["status"] for e in emulator.requests() if e["method"] == "DELETE"] == [503, 204]


def test_a_post_is_never_retried_on_5xx(emulator, tasks_path):
    emulator.add_fault(method="POST", status=503)
    with pytest.raises(DmsApiError) as raised:
        make_client(emulator).request("POST", tasks_path, body=BODY)
    assert raised.value.status == 503 and raised.value.attempts == 1
    assert len(emulator.requests()) == 1


def test_a_post_is_retried_on_429_which_the_gateway_answers_before_the_service(emulator, tasks_path):
    emulator.add_fault(method="POST", status=429)
    pauses = Pauses()
    created = make_client(emulator, pauses=pauses).request("POST", tasks_path, body=BODY)
    assert [entry["status"] for entry in emulator.requests()] == [429, 200]
    assert [task["task_id"] for task in emulator.state()["tasks"]] == [created["task_id"]]
    assert pauses == [1.0]


def test_a_dropped_post_is_a_transport_error_and_is_not_retried(emulator, tasks_path):
    emulator.add_fault(method="POST", drop="after")
    with pytest.raises(DmsTransportError) as raised:
        make_client(emulator).request("POST", tasks_path, body=BODY)
    assert raised.value.attempts == 1
    assert "Could not reach the service" in str(raised.value)
    assert [task["task_name"] for task in emulator.state()["tasks"]] == ["client-test"]


def test_a_hung_service_times_out_after_retries_plus_one_attempts(emulator, tasks_path):
    emulator.add_fault(delay=2, count=None)
    with pytest.raises(DmsTransportError) as raised:
        make_client(emulator, retries=1, timeout=0.5).request("GET", tasks_path)
    assert "did not answer GET" in str(raised.value) and "in 0.5 seconds" in str(raised.value)
    assert "(2 attempts)" in str(raised.value)
    assert len(emulator.requests()) == 2


def test_a_host_that_does_not_resolve_is_not_retried_and_names_region_and_endpoint():
    pauses = Pauses()
    # .invalid never resolves (RFC 6761), with or without a network.
    unresolvable = ApiClient("https://dms.xx-nowhere-1.invalid", "AK", "SK", project_id="p", retries=3, sleep=pauses)
    with pytest.raises(DmsTransportError) as raised:
        unresolvable.request("GET", "/v2/p/instances/i", operation="read Kafka instance i")
    message = str(raised.value)
    assert message.startswith("read Kafka instance i failed: The host name of GET https://dms.xx-nowhere-1.invalid"
                              "/v2/p/instances/i does not resolve (")
    assert "Check region and endpoint" in message and "attempts" not in message
    assert raised.value.attempts == 1 and pauses == []


def test_the_operation_comes_first_in_an_api_error(emulator, tasks_path):
    with pytest.raises(DmsApiError) as raised:
        make_client(emulator).request("GET", tasks_path + "/no-such-task", operation="read sink task no-such-task")
    assert str(raised.value) == (
        "read sink task no-such-task failed: DMS API error 404 DMS.00404030: task no-such-task does not exist "
        "(request id %s)" % emulator.requests()[-1]["request_id"])
    assert raised.value.as_dict()["status"] == 404


def test_backoff_is_full_jitter_capped_and_honours_retry_after():
    highest = dict((attempt, backoff_seconds(attempt, uniform=lambda low, high: high)) for attempt in range(1, 7))
    assert highest == {1: 1.0, 2: 2.0, 3: 4.0, 4: 8.0, 5: 10.0, 6: 10.0}
    assert backoff_seconds(3, uniform=lambda low, high: low) == 0
    assert backoff_seconds(1, retry_after=4) == 4
    assert backoff_seconds(1, retry_after=60) == client_module.RETRY_CAP_SECONDS


def test_tls_is_verified_by_default_and_with_ca_path():
    from emulator import Emulator

    with Emulator(tls=True) as secure:
        path = TASKS % (secure.project_id, secure.connector_id)
        with pytest.raises(DmsTransportError) as raised:
            make_client(secure, retries=3).request("GET", path)
        assert "TLS certificate problem" in str(raised.value)
        assert raised.value.attempts == 1  # a certificate does not get better on a retry
        trusted = ApiClient(secure.url, secure.access_key, secure.secret_key, project_id=secure.project_id,
                            verify=secure.ca_path)
        assert trusted.request("GET", path)["tasks"] == []
        unverified = ApiClient(secure.url, secure.access_key, secure.secret_key, project_id=secure.project_id,
                               verify=False)
        assert unverified.request("GET", path)["tasks"] == []


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_reads_are_retried_on_every_5xx_and_429(emulator, tasks_path, status):
    emulator.add_fault(method="GET", status=status)
    assert make_client(emulator, pauses=Pauses()).request("GET", tasks_path)["tasks"] == []
    assert [entry["status"] for entry in emulator.requests()] == [status, 200]


@pytest.mark.parametrize("status, statuses", [(503, [503]), (429, [429, 404])])
def test_a_call_that_is_not_repeatable_is_retried_only_on_429(emulator, tasks_path, status, statuses):
    emulator.add_fault(method="DELETE", status=status)
    with pytest.raises(DmsApiError):
        make_client(emulator).request("DELETE", tasks_path + "/00000000-0000-4000-8000-00000000dead", repeatable=False)
    assert [entry["status"] for entry in emulator.requests()] == statuses
