# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTTP client against the emulator: what goes on the wire, errors, retries, TLS."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from emulator.server import parse_authorization

from ansible_collections.hwcloud.dms.plugins.module_utils import client as client_module
from ansible_collections.hwcloud.dms.plugins.module_utils.client import (
    ApiClient,
    backoff_seconds,
    endpoint_problem,
    lookup_project_id,
    service_endpoint,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.change import create_once
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import (
    ConfigurationError,
    DmsApiError,
    DmsTransportError,
)

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


class ScriptedService:
    """A bare HTTP service that answers each request with the next scripted ``(status, reason, headers, body)``:
    answers of gateways and proxies that the emulator does not give."""

    def __init__(self, answers):
        answers = list(answers)

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # the name http.server calls
                status, reason, headers, body = answers.pop(0)
                self.send_response(status, reason)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # quiet: no line on stderr per request
                pass

        self._server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%s" % self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever)
        self._thread.start()

    def close(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@pytest.fixture
def scripted():
    """``scripted(answer, ...)``: a client of a ``ScriptedService`` giving those answers (no pauses, no retry)."""
    services = []

    def client(*answers, **options):
        services.append(ScriptedService(answers))
        settings = dict(retries=0, sleep=Pauses())
        settings.update(options)
        return ApiClient(services[-1].url, "AK", "SK", project_id="p", **settings)

    yield client
    for service in services:
        service.close()


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


def test_an_error_answer_that_is_not_json_is_named_by_its_status_line(scripted):
    # A proxy in front of the gateway answers HTML: the error says what the status line said.
    client = scripted((502, "Bad Gateway", {"Content-Type": "text/html", "X-Request-Id": "r-1"}, b"<html>502</html>"))
    with pytest.raises(DmsApiError) as raised:
        client.request("GET", "/v2/p/instances", operation="list Kafka instances")
    assert str(raised.value) == "list Kafka instances failed: DMS API error 502 unknown: Bad Gateway (request id r-1)"


def test_an_error_answer_without_a_message_or_reason_still_says_so(scripted):
    client = scripted((500, "", {"Content-Type": "application/json"}, b'["not", "an", "object"]'))
    with pytest.raises(DmsApiError) as raised:
        client.request("GET", "/v2/p/instances")
    assert raised.value.as_dict() == dict(status=500, error_code="unknown", error_msg="no message", request_id=None)


def test_the_gateways_code_and_message_stand_in_for_the_services_names(scripted):
    client = scripted((404, "Not Found", {"Content-Type": "application/json"},
                       b'{"code": "APIGW.0101", "message": "The API does not exist or has not been published"}'))
    with pytest.raises(DmsApiError) as raised:
        client.request("GET", "/v2/p/instances")
    assert (raised.value.error_code, raised.value.error_msg) == (
        "APIGW.0101", "The API does not exist or has not been published")
    assert raised.value.unpublished


@pytest.mark.parametrize("retry_after", ["0", "-5"])
def test_a_retry_after_of_now_or_the_past_retries_without_a_pause(scripted, retry_after):
    pauses = Pauses()
    throttled = (429, "Too Many Requests", {"Retry-After": retry_after}, b'{"error_code": "APIGW.0308"}')
    client = scripted(throttled, (200, "OK", {"Content-Type": "application/json"}, b'{"tasks": []}'),
                      retries=1, sleep=pauses)
    assert client.request("GET", "/v2/p/instances") == {"tasks": []}
    assert pauses == [0.0]


def test_without_requests_the_client_still_imports_and_keeps_the_error_for_the_module(monkeypatch):
    import importlib.util

    # None in sys.modules makes "import requests" raise ImportError, as on a host without the library.
    monkeypatch.setitem(sys.modules, "requests", None)
    spec = importlib.util.spec_from_file_location("client_without_requests", client_module.__file__)
    without = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(without)
    assert without.requests is None and isinstance(without.REQUESTS_IMPORT_ERROR, ImportError)


def test_a_client_made_with_defaults_waits_30_seconds_and_tries_a_read_4_times(monkeypatch):
    import requests

    sent = []

    def silent(session, method, url, **options):
        sent.append((method, url, options["timeout"], options["verify"]))
        raise requests.exceptions.ReadTimeout("read timed out")

    # No network: every request times out at once, as against a service that never answers.
    monkeypatch.setattr(requests.Session, "request", silent)
    pauses = Pauses()
    with pytest.raises(DmsTransportError) as raised:
        ApiClient("https://dms.example", "AK", "SK", project_id="p", sleep=pauses).request("GET", "/v2/p/instances")
    assert sent == [("GET", "https://dms.example/v2/p/instances", 30, True)] * 4 and len(pauses) == 3
    assert raised.value.attempts == 4


def test_a_put_is_retried_on_5xx_as_any_call_other_than_a_post(emulator, tasks_path):
    emulator.add_fault(method="PUT", status=503)
    assert make_client(emulator).request("PUT", tasks_path, body={"sink_max_tasks": 1}) is None
    assert [entry["status"] for entry in emulator.requests()] == [503, 204]


@pytest.mark.parametrize("status", [400, 404, 499])
def test_a_read_the_service_refuses_is_not_retried(emulator, tasks_path, status):
    emulator.add_fault(method="GET", status=status)
    with pytest.raises(DmsApiError) as raised:
        make_client(emulator).request("GET", tasks_path)
    assert raised.value.status == status and raised.value.attempts == 1
    assert [entry["status"] for entry in emulator.requests()] == [status]


def test_an_unverified_client_does_not_warn_on_every_request():
    import warnings

    from emulator import Emulator

    with Emulator(tls=True) as secure, warnings.catch_warnings(record=True) as caught:
        # Whatever an earlier test silenced, every warning is shown here, unless the client silences it.
        warnings.simplefilter("always")
        unverified = ApiClient(secure.url, secure.access_key, secure.secret_key, project_id=secure.project_id,
                               verify=False)
        assert unverified.request("GET", TASKS % (secure.project_id, secure.connector_id))["tasks"] == []
    # The module warns once in its result instead (validate_certs is false).
    assert [str(warning.message) for warning in caught] == []


@pytest.mark.parametrize("status, reason", [(300, "Multiple Choices"), (302, "Found")])
def test_a_redirect_is_not_followed_and_fails_naming_its_status(scripted, status, reason):
    # A redirect would carry the signed request elsewhere; the endpoint is to be set right instead.
    client = scripted((status, reason, {"Location": "/v2/p/elsewhere", "X-Request-Id": "r-3"}, b""),
                      (200, "OK", {"Content-Type": "application/json"}, b'{"tasks": []}'))
    with pytest.raises(DmsApiError) as raised:
        client.request("GET", "/v2/p/instances")
    assert raised.value.as_dict() == dict(status=status, error_code="unknown", error_msg=reason, request_id="r-3")


def test_a_success_whose_body_is_not_json_is_an_invalid_response(scripted):
    client = scripted((200, "OK", {"Content-Type": "text/html", "X-Request-Id": "r-4"}, b"<html>maintenance</html>"))
    with pytest.raises(DmsApiError) as raised:
        client.request("GET", "/v2/p/instances", operation="list Kafka instances")
    assert str(raised.value) == ("list Kafka instances failed: DMS API error 200 invalid_response: the service "
                                 "answered with a body that is not JSON (request id r-4)")


def iam_client(emulator, **options):
    """A client of the emulator's IAM API: no project id yet."""
    return make_client(emulator, project_id=None, **options)


def test_the_project_id_is_the_one_iam_names_after_the_region(emulator):
    emulator.reset()
    assert lookup_project_id(iam_client(emulator), "cn-north-4") == emulator.project_id
    [sent] = emulator.requests()
    assert (sent["method"], sent["path"], sent["query"]) == ("GET", "/v3/projects", [["name", "cn-north-4"]])


@pytest.mark.parametrize("region, count", [("xx-none-1", "no"), ("xx-multi-1", "2")])
def test_a_region_with_no_project_or_several_asks_for_project_id(emulator, region, count):
    emulator.reset()
    with pytest.raises(ConfigurationError) as raised:
        lookup_project_id(iam_client(emulator), region)
    assert str(raised.value) == (
        "IAM has %s projects named %r: set project_id (option project_id or environment HUAWEICLOUD_SDK_PROJECT_ID "
        "/ HW_PROJECT_ID)." % (count, region))


def test_a_failed_project_lookup_names_the_region_first(emulator):
    emulator.reset()
    emulator.add_fault(method="GET", status=500)
    with pytest.raises(DmsApiError) as raised:
        lookup_project_id(iam_client(emulator, retries=0), "cn-north-4")
    assert str(raised.value).startswith("look up the project id of region cn-north-4 in IAM failed: DMS API error 500")


# --- create_once: exactly one resource, whatever answers are lost ------------------------------------------------

class ScriptedCalls:
    """Stands in for the client in ``create_once``: answers each POST with the next outcome (an answer, or an
    error to raise) and records the POSTs and the pauses."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.posts = []
        self.pauses = []

    def request(self, method, path, body=None, operation=None):
        self.posts.append((method, path, body, operation))
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def pause_before_retry(self, attempt):
        self.pauses.append(attempt)


def create(calls, found=(), attempts=3):
    """``create_once`` of task ``t`` over ``calls``; ``find()`` returns ``found`` in turn, then ``None``.
    ``(what create_once returned, how many times it looked)``."""
    lookups, looked = list(found), []

    def find():
        looked.append("t")
        return lookups.pop(0) if lookups else None

    returned = create_once(calls, "/v2/p/tasks", {"task_name": "t"}, "create task 't'", find, attempts)
    return returned, len(looked)


def lost():
    return DmsTransportError("Could not reach the service for POST https://dms.example/v2/p/tasks: reset")


def answered(status):
    return DmsApiError(status, "DMS.00%d000" % status, "status %s" % status, "req-%s" % status)


def test_a_create_answered_at_once_is_created_here_without_a_look():
    calls = ScriptedCalls({"task_id": "t-1"})
    assert create(calls) == (({"task_id": "t-1"}, True), 0)
    assert calls.posts == [("POST", "/v2/p/tasks", {"task_name": "t"}, "create task 't'")]
    # An empty answer is an empty task: the caller reads the id from it.
    assert create(ScriptedCalls(None)) == (({}, True), 0)


@pytest.mark.parametrize("failure", [lost(), answered(500), answered(503)], ids=["lost", "500", "503"])
def test_a_create_whose_answer_was_lost_is_found_by_name_as_this_runs_own(failure):
    calls = ScriptedCalls(failure)
    assert create(calls, found=[{"task_id": "t-1"}]) == (({"task_id": "t-1"}, True), 1)
    assert len(calls.posts) == 1 and calls.pauses == []


def test_a_create_not_found_after_a_lost_answer_is_sent_again_after_a_pause():
    calls = ScriptedCalls(answered(503), lost(), {"task_id": "t-2"})
    assert create(calls) == (({"task_id": "t-2"}, True), 2)
    assert len(calls.posts) == 3 and calls.pauses == [1, 2]


def test_a_400_for_a_name_another_run_took_returns_that_task_as_not_created_here():
    calls = ScriptedCalls(answered(400))
    assert create(calls, found=[{"task_id": "theirs"}]) == (({"task_id": "theirs"}, False), 1)
    assert len(calls.posts) == 1


def test_a_400_after_a_lost_answer_is_this_runs_own_create_listed_late():
    calls = ScriptedCalls(lost(), answered(400))
    assert create(calls, found=[None, {"task_id": "t-1"}]) == (({"task_id": "t-1"}, True), 2)
    assert calls.pauses == [1]


def test_a_400_with_nothing_found_stands():
    refusal = answered(400)
    calls = ScriptedCalls(refusal, {"task_id": "never sent"})
    with pytest.raises(DmsApiError) as raised:
        create(calls)
    assert raised.value is refusal and len(calls.posts) == 1 and calls.pauses == []


@pytest.mark.parametrize("status", [302, 401, 403, 404, 409, 429, 499])  # a redirect is not followed: an error
def test_any_other_error_status_fails_the_create_at_once_without_a_look(status):
    refusal = answered(status)
    calls = ScriptedCalls(refusal)
    looked = []
    with pytest.raises(DmsApiError) as raised:
        create_once(calls, "/v2/p/tasks", {"task_name": "t"}, "create task 't'", lambda: looked.append("t"), 3)
    assert raised.value is refusal and looked == [] and len(calls.posts) == 1


def test_a_create_that_never_gets_an_answer_fails_after_every_attempt_with_the_last_error():
    last = lost()
    calls = ScriptedCalls(lost(), answered(500), last, {"task_id": "never sent"})
    with pytest.raises(DmsTransportError) as raised:
        create(calls, attempts=3)
    assert raised.value is last and len(calls.posts) == 3 and calls.pauses == [1, 2]


def test_a_single_attempt_fails_without_a_pause():
    failure = answered(503)
    calls = ScriptedCalls(failure, {"task_id": "never sent"})
    with pytest.raises(DmsApiError) as raised:
        create(calls, attempts=1)
    assert raised.value is failure and len(calls.posts) == 1 and calls.pauses == []
