# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP client for Huawei Cloud APIs: endpoints, one signed requests.Session, API errors.

Knows nothing of Ansible nor of sink tasks. Every request is signed over the
exact bytes that are sent, carries a timeout, and verifies TLS unless told not to.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import time

from urllib.parse import quote, urlencode, urlsplit

from ansible_collections.hwcloud.dms.plugins.module_utils.errors import (
    ConfigurationError,
    DmsApiError,
    DmsTransportError,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.signer import query_text, sign_request

try:
    import requests
    REQUESTS_IMPORT_ERROR = None
except ImportError as import_error:  # handled by the module with missing_required_lib
    requests = None
    REQUESTS_IMPORT_ERROR = import_error

USER_AGENT = "hwcloud.dms-ansible-collection"
RETRY_BASE_SECONDS = 1.0
RETRY_CAP_SECONDS = 10.0

# eu-west-101 is served from the European cloud's own domain.
_DOMAIN_BY_REGION = {"eu-west-101": "myhuaweicloud.eu"}
_DEFAULT_DOMAIN = "myhuaweicloud.com"


def service_endpoint(service, region):
    """Public endpoint of ``service`` (``dms``, ``iam``) in ``region``."""
    return "https://%s.%s.%s" % (service, region, _DOMAIN_BY_REGION.get(region, _DEFAULT_DOMAIN))


def endpoint_problem(url):
    """Why ``url`` cannot be used as an endpoint, or ``None`` when it can."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "must start with https:// or http://"
    if not parts.hostname:
        return "has no host name"
    if parts.query or parts.fragment:
        return "must not carry a query or fragment"
    try:
        parts.port
    except ValueError:
        return "has an invalid port"
    return None


def _retry_after_seconds(response):
    try:
        return max(0.0, float(response.headers.get("Retry-After")))
    except (TypeError, ValueError):
        return None


def _api_error(response):
    request_id = response.headers.get("X-Request-Id")
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        payload = {}
    # Gateways answer some errors with "code"/"message" instead of the service's names.
    error_code = payload.get("error_code") or payload.get("code") or "unknown"
    error_msg = payload.get("error_msg") or payload.get("message") or response.reason or "no message"
    return DmsApiError(response.status_code, error_code, error_msg, request_id, _retry_after_seconds(response))


def _unresolved_host(exception):
    """The socket.gaierror somewhere under a requests exception, or ``None``."""
    seen = set()
    pending = [exception]
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, socket.gaierror):
            return current
        # requests wraps urllib3's MaxRetryError in args, whose reason wraps the resolver's error.
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None)])
        pending.extend(current.args)
    return None


def _transport_error(exception, method, url, timeout, verify=True):
    # Messages name what went wrong and where, never the request (its body may hold secrets).
    target = "%s %s" % (method, url)
    unresolved = _unresolved_host(exception)
    if unresolved is not None:
        # A name that does not resolve now will not resolve a second later: no retry.
        return DmsTransportError(
            "The host name of %s does not resolve (%s). Check region and endpoint (or iam_endpoint for "
            "an IAM URL): the host is dms.{region}.myhuaweicloud.com unless endpoint names another."
            % (target, unresolved), retryable=False)
    if isinstance(exception, requests.exceptions.SSLError):
        # A certificate will not become valid on a second try.
        if isinstance(verify, str):
            advice = "The CA bundle given as ca_path (%s) did not verify the endpoint's certificate: check that it " \
                     "is the bundle of the CA that signed it (PEM), and that endpoint names the host the certificate " \
                     "was issued for" % verify
        else:
            advice = "Set ca_path to the CA bundle that signed the endpoint's certificate"
        return DmsTransportError(
            "TLS certificate problem talking to %s: %s. %s (validate_certs: false only for testing)."
            % (target, exception, advice), retryable=False)
    if isinstance(exception, requests.exceptions.Timeout):
        return DmsTransportError("The service did not answer %s in %s seconds (timeout)." % (target, timeout))
    return DmsTransportError("Could not reach the service for %s: %s" % (target, exception))


def backoff_seconds(attempt, retry_after=None, uniform=None):
    """Pause before retry number ``attempt`` (1-based): full jitter, or ``Retry-After``, capped."""
    if retry_after is not None:
        return min(RETRY_CAP_SECONDS, retry_after)
    if uniform is None:
        import random  # only retries need it; a module run without one skips the import

        uniform = random.uniform
    return uniform(0, min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2 ** (attempt - 1)))


class ApiClient:
    """Signed JSON requests to one Huawei Cloud endpoint, over one keep-alive session.

    Requests that are safe to repeat are retried ``retries`` times on connection
    errors, timeouts, 429 and 5xx. A POST is retried only on 429, which the gateway
    answers before the service acts; anything else is left to the caller, which can
    look up whether the first attempt took effect.
    """

    def __init__(self, base_url, access_key, secret_key, security_token=None, project_id=None,
                 timeout=30, verify=True, retries=3, sleep=time.sleep):
        parts = urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self._base_path = parts.path.rstrip("/")
        # The Host header names the port only when the URL does, as the gateway expects.
        self._host = parts.netloc.rpartition("@")[2]
        self._access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token
        self._project_id = project_id
        self.timeout = timeout
        self._retries = retries
        self._sleep = sleep
        # Passed with every request: a Session-level verify loses to REQUESTS_CA_BUNDLE in the environment.
        self._verify = verify
        if verify is False:
            # The module warns once in its result; urllib3 would warn again on every request.
            requests.packages.urllib3.disable_warnings(requests.packages.urllib3.exceptions.InsecureRequestWarning)
        self._session = requests.Session()
        self._session.headers["User-Agent"] = USER_AGENT

    def request(self, method, path, query=None, body=None, operation=None, repeatable=None):
        """Send one signed request, retried as the class says; return the decoded JSON body.

        ``query`` is a list of ``(key, value)`` pairs; an empty answer returns ``None``.
        ``repeatable=False`` retries only on 429 whatever the method: for calls that must not be sent
        twice blindly (a second pause of a paused task fails), whose caller reads back instead.
        Raises ``DmsApiError`` for an error status and ``DmsTransportError`` when no
        answer came back; either carries ``attempts`` and ``operation`` (what the caller
        was doing, named first in the message).
        """
        if repeatable is None:
            repeatable = method.upper() != "POST"
        # Serialised once: every attempt signs and sends these same bytes.
        payload = b"" if body is None else json.dumps(body, separators=(",", ":")).encode("utf-8")
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._send_once(method, path, query or [], payload)
            except DmsApiError as error:
                error.attempts, error.operation = attempt, operation
                retryable = error.status == 429 or (repeatable and error.status >= 500)
                if not retryable or attempt > self._retries:
                    raise
                retry_after = error.retry_after
            except DmsTransportError as error:
                error.attempts, error.operation = attempt, operation
                if not (repeatable and error.retryable) or attempt > self._retries:
                    raise
                retry_after = None
            self.pause_before_retry(attempt, retry_after)

    def pause_before_retry(self, attempt, retry_after=None):
        """Sleep before retry number ``attempt`` (1-based), as ``backoff_seconds`` says."""
        self._sleep(backoff_seconds(attempt, retry_after))

    def _send_once(self, method, path, query, payload):
        full_path = self._base_path + path
        headers = {"Content-Type": "application/json"}
        if self._project_id:
            headers["X-Project-Id"] = self._project_id
        if self._security_token:
            headers["X-Security-Token"] = self._security_token
        headers = sign_request(method, self._host, full_path, query, headers, payload,
                               self._access_key, self._secret_key)
        url = self.base_url + path
        if query:
            url += "?" + urlencode([(key, query_text(value)) for key, value in query], quote_via=quote)
        try:
            response = self._session.request(method, url, data=payload or None, headers=headers,
                                             timeout=self.timeout, verify=self._verify, allow_redirects=False)
        except requests.exceptions.RequestException as exception:
            raise _transport_error(exception, method, url, self.timeout, self._verify)
        if response.status_code >= 300:
            raise _api_error(response)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise DmsApiError(response.status_code, "invalid_response",
                              "the service answered with a body that is not JSON",
                              response.headers.get("X-Request-Id"))


def lookup_project_id(iam_client, region):
    """The id of the one IAM project named ``region``."""
    listing = iam_client.request("GET", "/v3/projects", query=[("name", region)],
                                 operation="look up the project id of region %s in IAM" % region)
    projects = (listing or {}).get("projects") or []
    if len(projects) != 1:
        raise ConfigurationError(
            "IAM has %s projects named %r: set project_id (option project_id or environment "
            "HUAWEICLOUD_SDK_PROJECT_ID / HW_PROJECT_ID)." % ("no" if not projects else len(projects), region))
    return projects[0]["id"]
