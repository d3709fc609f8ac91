# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's server: HTTP, SDK-HMAC-SHA256 signatures (checked with the collection's own signer,
which the unit tests prove equal to the official one), fault rules, realism's lost answers, the
request log and the control API under /_emulator/ (not signed, not logged, never faulted).
The APIs themselves are in dumping.py and smart_connect.py.
"""

import copy
import hmac
import importlib.util
import json
import os
import re
import ssl
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from .config import DEFAULT_CONFIG, PROFILES, REALISM, SHAPES

IAM_PROJECTS_PATH = re.compile(r"^/v3/projects$")
PROJECT_PATH = re.compile(r"^/v2/(?P<project>[^/]+)/")


def _load_signer():
    # By file path: the emulator runs without the ansible_collections tree on sys.path.
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "plugins", "module_utils", "signer.py")
    spec = importlib.util.spec_from_file_location("hwcloud_dms_signer", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


signer = _load_signer()


FAULT_FIELDS = {
    "method": "the HTTP method it matches, or * (default)",
    "path": "a regular expression searched in the path (default: every path)",
    "count": "how many matching requests it applies to (default 1; null: all)",
    "after": "how many matching requests pass untouched before it applies (default 0): a list that fails after N calls",
    "status": "answer this error status instead of acting",
    "acted": "true: answer that status after acting (a 5xx the service sent after it did the change)",
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
    if not isinstance(rule.get("after", 0), int) or rule.get("after", 0) < 0:
        raise ValueError("after is a whole number of requests")
    checked = dict(method="*", path="", count=1, after=0)
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


def json_object(body):
    """The request body as a JSON object (``{}`` when empty); 400 otherwise."""
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        raise ApiError(400, "DMS.00400000", "The request body is not valid JSON")
    if not isinstance(payload, dict):
        raise ApiError(400, "DMS.00400000", "The request body must be a JSON object")
    return payload


class EmulatorState:
    """Tasks, request log, configuration and faults; every method holds the lock."""

    def __init__(self, overrides=None):
        self.lock = threading.RLock()
        self.reset(overrides)

    def reset(self, overrides=None):
        unknown = set(overrides or {}) - set(DEFAULT_CONFIG)
        unknown.update(set((overrides or {}).get("shapes") or {}) - set(SHAPES))
        unknown.update(set((overrides or {}).get("realism") or {}) - set(REALISM))
        if unknown:
            raise ValueError("unknown configuration keys: %s" % ", ".join(sorted(unknown)))
        profile = (overrides or {}).get("profile") or "exact"
        if profile not in PROFILES:
            raise ValueError("unknown profile %s: one of %s" % (profile, ", ".join(sorted(PROFILES))))
        with self.lock:
            config = copy.deepcopy(DEFAULT_CONFIG)
            for layer in (PROFILES[profile], overrides or {}):
                for key, value in copy.deepcopy(layer).items():
                    # Switches add to the profile's (a test turns one off with false); the rest replace.
                    config[key] = dict(config[key], **value) if key in ("realism", "shapes") else value
            self.config = config
            self.faults = []
            self.add_faults(config["faults"])
            self.tasks = {}
            self.log = []
            # instance id -> (reads left, status meanwhile, fields once done)
            self.transitions = {}
            # Smart Connect task id -> the task as stored (secrets dropped), with its "timeline" of statuses to come
            self.sc_tasks = {}
            # The kinds of change whose answer realism's lose_answers has lost already, and the tasks created
            # then: task id -> list reads that still leave it out.
            self.lost_kinds = set()
            self.unlisted = {}
            # Tasks of either family whose delete realism's deleted_late finishes late: task id -> reads left.
            self.deleting = {}
            # Connectors that the enable call made (realism's dumping_unknown_connector: the dumping API knows none).
            self.smart_connect_connectors = set()

    def add_faults(self, rules):
        checked = [fault_rule(rule) for rule in rules]
        with self.lock:
            self.faults.extend(checked)

    def take_fault(self, method, path):
        """The first rule matching this request, counting it as applied; ``None`` when none does."""
        with self.lock:
            for rule in self.faults:
                if rule["method"] in ("*", method) and re.search(rule["path"], path) and rule["count"] != 0:
                    if rule["after"] > 0:
                        rule["after"] -= 1
                        continue
                    if rule["count"] is not None:
                        rule["count"] -= 1
                    return dict(rule)
        return None

    def connector_ids(self):
        """The connectors the dumping-task API knows: the seed connector and every connector an instance reports (one
        enabled here included, unless realism's dumping_unknown_connector)."""
        with self.lock:
            known = set([self.config["connector_id"]] + [instance.get("connector_id") for instance
                                                         in self.config["instances"].values() if instance.get("connector_id")])
            if self.realism("dumping_unknown_connector"):
                known -= self.smart_connect_connectors
            return known

    def record(self, entry):
        with self.lock:
            entry["seq"] = len(self.log) + 1
            self.log.append(entry)

    def listed(self, task_id):
        """Whether a list read shows this task now (counting the read for a task listed late)."""
        reads_left = self.unlisted.get(task_id)
        if not reads_left:
            return True
        self.unlisted[task_id] = reads_left - 1
        return False

    def delete(self, store, task_id):
        """Delete a task of ``store`` (``tasks`` or ``sc_tasks``): at once, or after realism's deleted_late reads."""
        reads = self.realism("deleted_late")
        if reads:
            self.deleting.setdefault(task_id, reads)
        else:
            del store[task_id]

    def still_there(self, store, task_id):
        """Count one read of a task: whether the read still finds it (``False`` once its late delete is done)."""
        reads_left = self.deleting.get(task_id)
        if reads_left is None:
            return task_id in store
        if reads_left <= 0:
            del self.deleting[task_id]
            del store[task_id]
            return False
        self.deleting[task_id] = reads_left - 1
        return True

    def realism(self, switch):
        """The value of a realism switch (``None`` when off)."""
        return self.config["realism"].get(switch)

    def lose_answer(self, kind):
        """Whether the answer to this change is lost (realism's lose_answers: the first of each kind).

        Never once a fault rule was added since the reset: a test that drives faults says itself what is lost.
        """
        with self.lock:
            if not self.realism("lose_answers") or self.faults or kind in self.lost_kinds:
                return False
            self.lost_kinds.add(kind)
            return True

    def snapshot(self, public_task):
        """The stored dumping tasks as ``public_task`` shows them (never their OBS keys), Smart Connect tasks,
        configuration and remaining faults; a task whose delete realism's deleted_late finishes late is under
        ``deleting`` (its id), not among the tasks: the service took the delete."""
        with self.lock:
            # Copies: the answer is serialised after the lock is released.
            return copy.deepcopy({"tasks": [public_task(task) for task in self.tasks.values()
                                            if task["task_id"] not in self.deleting],
                                  "sc_tasks": [task for task in self.sc_tasks.values() if task["id"] not in self.deleting],
                                  "deleting": sorted(self.deleting), "config": self.config, "faults": self.faults})


class BaseHandler(BaseHTTPRequestHandler):
    """HTTP, signatures, faults, the request log and the control API; the APIs come from ``routes()``."""

    # Handlers that change nothing, so realism never loses their answers.
    NOT_CHANGES = ()
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
            if rule.get("status") and not rule.get("acted"):
                raise fault_error(rule)
            if rule.get("drop") == "before":
                raise DropConnection()
            status, payload, headers = self._route(parts.path, query, body, lose=not rule)
            if rule.get("drop") == "after":
                raise DropConnection()
            if rule.get("status"):
                raise fault_error(rule)
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
            return self._send_json(200, self.state.snapshot(self.stored_task))
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

    def routes(self):
        """``[(path pattern, {method: handler}), ...]`` of every API the emulator serves."""
        return [(IAM_PROJECTS_PATH, {"GET": self._iam_projects})]

    def _route(self, path, query, body, lose=True):
        for pattern, handlers in self.routes():
            match = pattern.match(path)
            if match:
                handler = handlers.get(self.command)
                if handler is None:
                    raise ApiError(405, "DMS.00405000", "method not allowed")
                if "project" in match.groupdict() and match.group("project") != self.state.config["project_id"]:
                    raise ApiError(404, "DMS.00404001", "project %s does not exist" % match.group("project"))
                if "connector" in match.groupdict() and match.group("connector") not in self.state.connector_ids():
                    raise ApiError(404, "DMS.00404022", "The connector does not exist")
                answer = handler(match, query, body)
                # A change whose answer is lost after the service acted (realism's lose_answers), where no
                # fault rule says what happens to this request.
                kind = "%s %s %s" % (self.command, pattern.pattern, match.groupdict().get("action"))
                if (lose and self.command != "GET" and handler.__name__ not in self.NOT_CHANGES
                        and self.state.lose_answer(kind)):
                    # A service slow enough to lose an answer lists what it created late: the next list misses it.
                    created = (answer[1] or {}).get("id") or (answer[1] or {}).get("task_id")
                    if self.command == "POST" and created:
                        self.state.unlisted[created] = 1
                    raise DropConnection()
                return answer
        raise ApiError(404, "APIGW.0101", "The API does not exist or has not been published")

    def _iam_projects(self, match, query, body):
        names = [value for key, value in query if key == "name"]
        projects = [dict(project, domain_id="d0000000000000000000000000000001", enabled=True, parent_id="")
                    for project in self.state.config["iam_projects"] if not names or project["name"] in names]
        return 200, {"projects": projects, "links": {"self": "/v3/projects"}}, None


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, state, handler, tls_context=None):
        super().__init__(address, handler)
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
