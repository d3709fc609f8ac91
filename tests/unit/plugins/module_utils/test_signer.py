# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""SDK-HMAC-SHA256: the official vectors, a differential test against huaweicloudsdkcore, edge rules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import json
import os
import random
import types
from datetime import datetime, timezone

import pytest

from ansible_collections.hwcloud.dms.plugins.module_utils import signer

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures", "signing-vectors.json")
with open(FIXTURE) as fixture_file:
    VECTORS = json.load(fixture_file)["vectors"]

AK = "HPUAEXAMPLEAK0000001"
SK = "ExampleSecretKey0000000000000000000000001"
DATE = "20261124T081500Z"


def test_the_fixture_holds_every_vector():
    assert len(VECTORS) == 7


@pytest.mark.parametrize("vector", VECTORS, ids=[vector["name"] for vector in VECTORS])
def test_official_vectors(vector):
    given, expected = vector["input"], vector["expected"]
    body = given["body"].encode("utf-8")
    sent = signer.sign_request(given["method"], given["host"], given["path"], given["query"], given["headers"],
                               body, given["ak"], given["sk"])
    signed = dict((name, value) for name, value in sent.items() if name != "Authorization")
    names = signer.signed_header_names(signed)
    canonical = signer.canonical_request(given["method"], given["path"], given["query"], signed, names, body)
    date_value = given["headers"]["X-Sdk-Date"]
    assert names == expected["signed_headers"]
    assert canonical == expected["canonical_request"]
    assert signer.string_to_sign(canonical, date_value) == expected["string_to_sign"]
    assert sent["Authorization"] == expected["authorization"]
    assert sent["Host"] == given["host"]
    assert sent["X-Sdk-Date"] == date_value


# --- differential test against the official signer -------------------------------------------

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
SEGMENTS = ["v2", "connectors", "sink-tasks", "a b", "été", "任务", "emoji-\U0001F600", "%25", "%2F", "%", "100%",
            ":@!$&'()*+,;=", "c~d", "x.y_z-", "", "0123456789abcdef", "q?x", "a+b", "%20space"]
QUERY_KEYS = ["name", "limit", "offset", "topic-info", "a b", "ключ", "k=v", "&", "empty", "~tilde"]
QUERY_VALUES = ["", "10", "a b/c~d*e", "A+&=", "été", "任务", "%", "%41", "x" * 30, "'()!"]
CONTENT_TYPES = [None, "application/json", "application/json;charset=UTF-8", "text/plain",
                 "application/octet-stream", "application/bson"]
EXTRA_HEADERS = [("X-Project-Id", "0123456789abcdef0123456789abcdef"), ("X-Security-Token", "gQpz+/=token"),
                 ("X_Underscore", "not-signed"), ("x-custom", "  spaced value  "), ("X-Request-Id", "abc"),
                 ("Accept", "application/json"), ("User-Agent", "hwcloud.dms"), ("X-Empty", "")]
BODIES = [b"", b"{}", b'{"task_name":"t"}', "{\"name\":\"été-任务\"}".encode("utf-8"), b"plain text body",
          bytes(range(1, 40))]
CASE_COUNT = 350


def generated_request(index):
    """Request ``index`` of a fixed, reproducible sequence covering the spec's edge cases."""
    rng = random.Random(20261124 + index)
    segments = [rng.choice(SEGMENTS) for _segment in range(rng.randint(1, 5))]
    path = "/" + "/".join(segments) + ("/" if rng.random() < 0.3 else "")
    query = []
    for _pair in range(rng.randint(0, 4)):
        key = rng.choice(QUERY_KEYS)
        if rng.random() < 0.15 and key not in [existing for existing, _value in query]:
            query.append((key, rng.choice([True, False])))  # booleans only as a key's sole value
        elif rng.random() < 0.1:
            query.append((key, rng.randint(0, 1000)))
        else:
            query.append((key, rng.choice(QUERY_VALUES)))
    # Booleans must stay a key's only value: the official signer cannot sort a bool beside a str.
    keys_with_bool = set(key for key, value in query if isinstance(value, bool))
    query = [(key, value) for key, value in query
             if key not in keys_with_bool or isinstance(value, bool)]
    query = [pair for position, pair in enumerate(query)
             if not isinstance(pair[1], bool) or pair[0] not in [k for k, _v in query[:position]]]
    # Ints beside strings under one key cannot be sorted by the official signer either.
    keys_with_int = set(key for key, value in query if isinstance(value, int) and not isinstance(value, bool))
    query = [(key, value) for key, value in query if key not in keys_with_int or not isinstance(value, str)]
    headers = {"X-Sdk-Date": DATE}
    content_type = rng.choice(CONTENT_TYPES)
    if content_type:
        headers["Content-Type"] = content_type
    for name, value in rng.sample(EXTRA_HEADERS, rng.randint(0, len(EXTRA_HEADERS))):
        headers[name.upper() if rng.random() < 0.2 else name] = value
    return dict(method=rng.choice(METHODS), host=rng.choice(["dms.cn-north-4.myhuaweicloud.com", "127.0.0.1:8443"]),
                path=path, query=query, headers=headers, body=rng.choice(BODIES))


def official_headers(request):
    core = pytest.importorskip("huaweicloudsdkcore")
    del core
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    sdk_request = SdkRequest(method=request["method"], schema="https", host=request["host"],
                             resource_path=request["path"], query_params=copy.deepcopy(request["query"]),
                             header_params=dict(request["headers"]), body=request["body"])
    credentials = types.SimpleNamespace(ak=AK, sk=SK)
    return Signer(credentials).sign(sdk_request).header_params


@pytest.mark.parametrize("index", range(CASE_COUNT))
def test_differential_against_the_official_signer(index):
    request = generated_request(index)
    theirs = official_headers(request)
    ours = signer.sign_request(request["method"], request["host"], request["path"], copy.deepcopy(request["query"]),
                               dict(request["headers"]), request["body"], AK, SK)
    assert ours["Authorization"] == theirs["Authorization"], request
    assert ours.get(signer.CONTENT_HASH_HEADER) == theirs.get(signer.CONTENT_HASH_HEADER), request


def test_the_generated_requests_cover_the_edge_cases():
    requests = [generated_request(index) for index in range(CASE_COUNT)]
    assert set(request["method"] for request in requests) == set(METHODS)
    paths = " ".join(request["path"] for request in requests)
    for fragment in (" ", "é", "任务", "%", "'()*+,;=", "//"):
        assert fragment in paths
    values = [value for request in requests for _key, value in request["query"]]
    assert True in values and False in values and "" in values
    assert any(len(set(k for k, _v in r["query"])) < len(r["query"]) for r in requests)  # repeated keys
    assert any("X_Underscore" in request["headers"] for request in requests)
    assert any(request["headers"].get("Content-Type") == "text/plain" and request["body"] for request in requests)
    assert any(not request["body"] for request in requests) and any(request["body"] for request in requests)


# --- the spec's edge rules ---------------------------------------------------------------------

def test_empty_body_hash():
    assert signer.payload_hash({}, b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_non_json_content_is_signed_as_unsigned_payload():
    sent = signer.sign_request("PUT", "h", "/p", [], {"Content-Type": "text/plain", "X-Sdk-Date": DATE}, b"data", AK, SK)
    assert sent["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert "x-sdk-content-sha256" in sent["Authorization"]
    del sent["Authorization"]
    names = signer.signed_header_names(sent)
    assert signer.canonical_request("PUT", "/p", [], sent, names, b"data").endswith("\nUNSIGNED-PAYLOAD")
    assert signer.canonical_request("PUT", "/p", [], sent, names, b"").endswith(
        "\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


def test_underscore_headers_are_sent_but_not_signed():
    sent = signer.sign_request("GET", "h", "/p", [], {"X_Trace": "1", "X-Sdk-Date": DATE}, b"", AK, SK)
    assert sent["X_Trace"] == "1"
    assert "SignedHeaders=host;x-sdk-date," in sent["Authorization"]


def test_parse_authorization_round_trips_and_rejects_malformed_values():
    value = signer.authorization_header("AK1", ["host", "x-sdk-date"], "ab" * 32)
    assert signer.parse_authorization(value) == ("AK1", ["host", "x-sdk-date"], "ab" * 32)
    for malformed in ("", "Basic abc", "SDK-HMAC-SHA256 Access=AK1", "SDK-HMAC-SHA256 Access"):
        with pytest.raises(ValueError):
            signer.parse_authorization(malformed)


def test_the_path_is_encoded_only_for_signing():
    assert signer.canonical_uri("/v2/c d/é/%41") == "/v2/c%20d/%C3%A9/A/"
    assert signer.canonical_uri("/v2/x/") == "/v2/x/"


def test_the_date_is_added_from_now_when_missing():
    now = datetime(2026, 11, 24, 8, 15, 0, tzinfo=timezone.utc)
    sent = signer.sign_request("GET", "h", "/p", [], {}, b"", AK, SK, now=now)
    assert sent["X-Sdk-Date"] == "20261124T081500Z"
    assert sent["Host"] == "h"


def test_a_str_body_signs_as_its_utf8_bytes():
    text = '{"task_name":"été-任务"}'
    headers = {"Content-Type": "application/json", "X-Sdk-Date": DATE}
    assert (signer.sign_request("POST", "h", "/p", [], headers, text, AK, SK)["Authorization"]
            == signer.sign_request("POST", "h", "/p", [], headers, text.encode("utf-8"), AK, SK)["Authorization"])


def test_query_booleans_are_written_true_and_false():
    assert signer.canonical_query([("b", True), ("a", False), ("c", "x y")]) == "a=false&b=true&c=x%20y"
