# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""SDK-HMAC-SHA256 signing: the official vectors, a differential test against
huaweicloudsdkcore's Signer on generated requests, and the spec's edge rules.

Expected values come from the fixture (made by the official signer), from the
official signer itself (differential test), or are written out by hand from the
spec and checked with hashlib/hmac directly: never from the code under test.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import hashlib
import hmac
import json
import os
import random
import re
import time
import types
from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.hwcloud.dms.plugins.module_utils import signer

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fixtures", "signing-vectors.json")
with open(FIXTURE, encoding="utf-8") as fixture_file:
    VECTORS = json.load(fixture_file)["vectors"]

AK = "HPUAEXAMPLEAK0000001"
SK = "ExampleSecretKey0000000000000000000000001"
DATE = "20261124T081500Z"
EMPTY_HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def expected_authorization(canonical, date_value, signed_headers):
    """Steps 6 and 7 of the spec, done here with hashlib/hmac (checked against a vector below)."""
    string_to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (date_value, hashlib.sha256(canonical.encode("utf-8")).hexdigest())
    signature = hmac.new(SK.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (AK, signed_headers, signature)


# --- the official vectors ----------------------------------------------------------------------

def test_the_fixture_holds_all_seven_vectors():
    assert len(VECTORS) == 7
    assert len(set(vector["name"] for vector in VECTORS)) == 7


def test_the_local_authorization_helper_reproduces_a_vector():
    vector = VECTORS[0]
    expected = vector["expected"]
    assert (vector["input"]["ak"], vector["input"]["sk"]) == (AK, SK)
    assert expected_authorization(expected["canonical_request"], vector["input"]["headers"]["X-Sdk-Date"],
                                  ";".join(expected["signed_headers"])) == expected["authorization"]


@pytest.mark.parametrize("vector", VECTORS, ids=[vector["name"] for vector in VECTORS])
def test_official_vector(vector):
    given, expected = vector["input"], vector["expected"]
    headers_before = copy.deepcopy(given["headers"])
    body = given["body"].encode("utf-8")
    sent = signer.sign_request(given["method"], given["host"], given["path"], given["query"], given["headers"],
                               body, given["ak"], given["sk"])
    assert given["headers"] == headers_before

    unsigned = dict((name, value) for name, value in sent.items() if name != "Authorization")
    names = signer.signed_header_names(unsigned)
    canonical = signer.canonical_request(given["method"], given["path"], given["query"], unsigned, names, body)
    date_value = given["headers"]["X-Sdk-Date"]
    assert names == expected["signed_headers"]
    assert canonical == expected["canonical_request"]
    assert signer.string_to_sign(canonical, date_value) == expected["string_to_sign"]
    assert sent["Authorization"] == expected["authorization"]

    # The headers to send: the caller's (values stripped), plus Host and Authorization.
    assert sent["Host"] == given["host"]
    assert sent["X-Sdk-Date"] == date_value
    added = {"Host", "Authorization"}
    if "x-sdk-content-sha256" in expected["signed_headers"]:
        added.add("X-Sdk-Content-Sha256")
    assert set(sent) == set(given["headers"]) | added
    for name, value in given["headers"].items():
        assert sent[name] == value.strip()


# --- differential test against the official signer ---------------------------------------------

SEED = 20261124
CASE_COUNT = 400

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
HOSTS = ("dms.cn-north-4.myhuaweicloud.com", "dms.eu-west-101.myhuaweicloud.eu", "127.0.0.1:8443", "[::1]:8080")
PATH_SEGMENTS = (
    "v2", "0123456789abcdef0123456789abcdef", "connectors", "sink-tasks", "a b", " lead", "trail ", "été", "任务",
    "emoji-\U0001F600", "%25", "%2F", "%", "100%", "%2", "%zz", "a%20b", "%C3%A9", ":@!$&'()*+,;=", "*", "~user",
    "x.y_z-", "", "q?x", "a+b", "#frag",
)
QUERY_KEYS = ("name", "Name", "limit", "offset", "topic-info", "a b", "ключ", "任务", "k=v", "&", "+", "", "~tilde",
              "%41", "é", ":@!$'()*,;")
QUERY_TEXTS = ("", "10", "9", "true", "a b/c~d*e", "A+&=", "été", "任务", "\U0001F600", "%", "%41", "%2F",
               ":@!$&'()*+,;=", "x" * 30, " padded ", "~", "-_.")
QUERY_INTS = (0, 1, 9, 10, 11, 100, -1, -20, 2 ** 40)
CONTENT_TYPES = ("application/json", "application/json;charset=UTF-8", "text/plain", "application/octet-stream",
                 "application/bson")
EXTRA_HEADERS = (
    ("X-Project-Id", "0123456789abcdef0123456789abcdef"),
    ("X-Security-Token", "gQpzLXNvdXRoZWFzdC0xhtoken+/="),
    ("X_Trace_Id", "not-signed"),
    ("x_custom", "  also unsigned  "),
    ("X-Custom", "  spaced value  "),
    ("Accept", "application/json"),
    ("User-Agent", "hwcloud.dms/1.0"),
    ("X-Request-Id", "req-1"),
    ("X-Empty", ""),
    ("X-Blank", "   "),
    ("X-Unicode", "été 任务"),
    ("Host", "override.example:8443"),
)
BODIES = (b"", "", b"{}", b'{"task_name":"t"}', '{"task_name":"été-任务 \U0001F600"}'.encode("utf-8"),
          b"plain text body", bytes(range(256)), b"\xff\xfe\x00", '{"str":"été"}', b"x" * 5000)


def _name_case(rng, name):
    return rng.choice((name, name, name, name.lower(), name.upper()))


def _padded(rng, value):
    return "  %s  " % value if rng.random() < 0.15 else value


def _query(rng):
    """Pairs in shuffled order; a key holds one bool, or 1-3 ints, or 1-3 strings (never mixed:
    the official signer sorts the raw pairs and cannot compare a bool or int with a str)."""
    pairs = []
    for key in rng.sample(QUERY_KEYS, rng.randint(0, 4)):
        kind = rng.random()
        if kind < 0.15:
            pairs.append((key, rng.choice((True, False))))
        elif kind < 0.35:
            pairs.extend((key, rng.choice(QUERY_INTS)) for _value in range(rng.randint(1, 3)))
        else:
            pairs.extend((key, rng.choice(QUERY_TEXTS)) for _value in range(rng.randint(1, 3)))
    rng.shuffle(pairs)
    return pairs


def _headers(rng):
    headers = {_name_case(rng, "X-Sdk-Date"): DATE}
    content_type = rng.choice((None,) + CONTENT_TYPES)
    if content_type:
        name = "content-type" if rng.random() < 0.15 else "Content-Type"
        headers[name] = _padded(rng, content_type)
    for name, value in rng.sample(EXTRA_HEADERS, rng.randint(0, len(EXTRA_HEADERS))):
        headers[_name_case(rng, name)] = _padded(rng, value)
    return headers


def _generate_cases():
    rng = random.Random(SEED)
    cases = []
    for _index in range(CASE_COUNT):
        segments = [rng.choice(PATH_SEGMENTS) for _segment in range(rng.randint(1, 6))]
        path = "/" + "/".join(segments) + ("/" if rng.random() < 0.3 else "")
        cases.append(dict(method=rng.choice(METHODS), host=rng.choice(HOSTS), path=path, query=_query(rng),
                          headers=_headers(rng), body=rng.choice(BODIES)))
    return cases


CASES = _generate_cases()


@pytest.fixture(scope="module")
def official():
    pytest.importorskip("huaweicloudsdkcore")
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer
    return Signer(types.SimpleNamespace(ak=AK, sk=SK)), SdkRequest


def _sdk_request(sdk_request_class, case):
    """A fresh SdkRequest with its own copies: Signer.sign mutates the request and its headers."""
    case = copy.deepcopy(case)
    return sdk_request_class(method=case["method"], schema="https", host=case["host"], resource_path=case["path"],
                             query_params=case["query"], header_params=case["headers"], body=case["body"])


def _official_canonical_request(official, case):
    """Diagnostics only (private API): the official canonical request for a failure message."""
    official_signer, sdk_request_class = official
    try:
        request = _sdk_request(sdk_request_class, case)
        if isinstance(request.body, str):
            request.body = request.body.encode("utf-8")
        official_signer._process_content_header(request)
        official_signer._process_header_time(request)
        official_signer._process_header_host(request)
        names = official_signer._process_signed_headers(request)
        return official_signer._process_canonical_request(request, names)
    except Exception as error:  # pragma: no cover - only when the SDK's internals change
        return "<unavailable: %r>" % (error,)


def _as_text(official_headers):
    # The official signer rewrites header values as UTF-8 bytes read as ISO-8859-1 (for http.client);
    # undo that to compare with the text values ours returns.
    return dict((name, value.encode("iso-8859-1").decode("utf-8")) for name, value in official_headers.items())


@pytest.mark.parametrize("index", range(CASE_COUNT), ids=["case-%03d" % index for index in range(CASE_COUNT)])
def test_matches_the_official_signer(official, index):
    case = CASES[index]
    official_signer, sdk_request_class = official
    theirs = _as_text(official_signer.sign(_sdk_request(sdk_request_class, case)).header_params)

    given = copy.deepcopy(case)
    ours = signer.sign_request(given["method"], given["host"], given["path"], given["query"], given["headers"],
                               given["body"], AK, SK)
    ours_unsigned = dict((name, value) for name, value in ours.items() if name != "Authorization")
    body = case["body"].encode("utf-8") if isinstance(case["body"], str) else case["body"]
    shown_case = dict(case, body=case["body"][:80]) if len(case["body"]) > 80 else case  # (body cut at 80)
    shown = "\n".join([
        "inputs: %r" % (shown_case,),
        "ours:   %r" % (ours.get("Authorization"),),
        "theirs: %r" % (theirs.get("Authorization"),),
        "our canonical request:\n%s" % signer.canonical_request(
            case["method"], case["path"], case["query"], ours_unsigned,
            signer.signed_header_names(ours_unsigned), body),
        "their canonical request:\n%s" % _official_canonical_request(official, case),
    ])
    assert ours["Authorization"] == theirs["Authorization"], shown
    assert ours.get("X-Sdk-Content-Sha256") == theirs.get("X-Sdk-Content-Sha256"), shown
    assert ours == theirs, shown
    assert given == case, "sign_request changed the caller's inputs\n" + shown


def test_the_generated_requests_cover_the_edge_cases():
    assert len(CASES) >= 300
    assert CASES == _generate_cases()  # reproducible
    assert set(case["method"] for case in CASES) == set(METHODS)

    paths = [case["path"] for case in CASES]
    for fragment in (" ", "é", "任务", "\U0001F600", "%25", "%2F", ":@!$&'()*+,;=", "//"):
        assert any(fragment in path for path in paths), fragment
    assert any(re.search(r"%(?![0-9A-Fa-f]{2})", path) for path in paths)  # a lone "%"
    assert any(path.endswith("/") for path in paths) and any(not path.endswith("/") for path in paths)

    queries = [case["query"] for case in CASES]
    assert any(not query for query in queries)
    assert any(len(set(key for key, _value in query)) < len(query) for query in queries)  # repeated keys
    ints = [(key, value) for query in queries for key, value in query
            if isinstance(value, int) and not isinstance(value, bool)]
    assert ints
    assert any(len(set(value for key, value in query if (key, value) in ints and key == name)) > 1
               for query in queries for name, _value in query)  # several different ints under one key
    values = [value for query in queries for _key, value in query]
    assert any(value is True for value in values) and any(value is False for value in values)
    assert "" in values and "任务" in values and ":@!$&'()*+,;=" in values
    for query in queries:  # bools only as a key's sole value
        for key, value in query:
            if isinstance(value, bool):
                assert [pair for pair in query if pair[0] == key] == [(key, value)]

    headers = [case["headers"] for case in CASES]
    assert len(set(len(given) for given in headers)) > 8
    assert any("x-sdk-date" in given for given in headers) and any("X-Sdk-Date" in given for given in headers)
    assert any(not any(name.lower() == "content-type" for name in given) for given in headers)
    for content_type in CONTENT_TYPES:
        assert any(given.get("Content-Type") == content_type for given in headers), content_type
    assert any(given.get("content-type") == "text/plain" for given in headers)
    assert any(given.get("Content-Type") == "text/plain" and case["body"] for given, case in zip(headers, CASES))
    assert any(given.get("Content-Type") == "text/plain" and not case["body"] for given, case in zip(headers, CASES))
    for name in ("x-security-token", "x-project-id", "x-custom", "host"):
        assert any(name in [key.lower() for key in given] for given in headers), name
    assert any(any("_" in name for name in given) for given in headers)
    assert any(any(str(value) != str(value).strip() for value in given.values()) for given in headers)

    bodies = [case["body"] for case in CASES]
    assert b"" in bodies and "" in bodies
    assert any(isinstance(body, bytes) and len(body) > 0 and max(body) > 127 for body in bodies)
    assert any(isinstance(body, str) and body for body in bodies)


# --- the spec's edge rules ---------------------------------------------------------------------

def test_the_empty_body_hash():
    assert signer.EMPTY_PAYLOAD_HASH == EMPTY_HASH
    assert signer.payload_hash({}, b"") == EMPTY_HASH
    assert signer.payload_hash({"Content-Type": "application/json"}, b"") == EMPTY_HASH
    assert signer.payload_hash({}, b"{}") == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
    sent = signer.sign_request("POST", "h.test", "/p", [], {"X-Sdk-Date": DATE}, b"", AK, SK)
    canonical = "POST\n/p/\n\nhost:h.test\nx-sdk-date:%s\n\nhost;x-sdk-date\n%s" % (DATE, EMPTY_HASH)
    assert sent["Authorization"] == expected_authorization(canonical, DATE, "host;x-sdk-date")


@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream", "application/xml"])
def test_a_non_json_content_type_signs_an_unsigned_payload(content_type):
    headers = {"Content-Type": content_type, "X-Sdk-Date": DATE}
    names = "content-type;host;x-sdk-content-sha256;x-sdk-date"
    template = ("PUT\n/p/\n\ncontent-type:%s\nhost:h.test\nx-sdk-content-sha256:UNSIGNED-PAYLOAD\nx-sdk-date:%s\n\n%s\n%s")

    sent = signer.sign_request("PUT", "h.test", "/p", [], headers, b"some bytes", AK, SK)
    assert sent["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert sent["Authorization"] == expected_authorization(
        template % (content_type, DATE, names, "UNSIGNED-PAYLOAD"), DATE, names)

    # An empty body still gets (and signs) the header, but hashes as the empty payload.
    sent = signer.sign_request("PUT", "h.test", "/p", [], headers, b"", AK, SK)
    assert sent["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert sent["Authorization"] == expected_authorization(template % (content_type, DATE, names, EMPTY_HASH),
                                                           DATE, names)
    assert "X-Sdk-Content-Sha256" not in headers


@pytest.mark.parametrize("content_type", ["application/json", "application/json;charset=UTF-8", "application/bson"])
def test_a_json_or_bson_content_type_signs_the_body_hash(content_type):
    body = b'{"task_name":"t"}'
    sent = signer.sign_request("POST", "h.test", "/p", [], {"Content-Type": content_type, "X-Sdk-Date": DATE},
                               body, AK, SK)
    assert "X-Sdk-Content-Sha256" not in sent
    canonical = "POST\n/p/\n\ncontent-type:%s\nhost:h.test\nx-sdk-date:%s\n\ncontent-type;host;x-sdk-date\n%s" % (
        content_type, DATE, hashlib.sha256(body).hexdigest())
    assert sent["Authorization"] == expected_authorization(canonical, DATE, "content-type;host;x-sdk-date")


def test_headers_with_an_underscore_are_sent_but_not_signed():
    headers = {"X_Trace_Id": "abc", "x_lower": "  v  ", "X-Custom": "  c  ", "X-Sdk-Date": DATE}
    sent = signer.sign_request("GET", "h.test", "/p", [], headers, b"", AK, SK)
    assert sent["X_Trace_Id"] == "abc"
    assert sent["x_lower"] == "v"
    assert sent["X-Custom"] == "c"
    canonical = "GET\n/p/\n\nhost:h.test\nx-custom:c\nx-sdk-date:%s\n\nhost;x-custom;x-sdk-date\n%s" % (
        DATE, EMPTY_HASH)
    assert sent["Authorization"] == expected_authorization(canonical, DATE, "host;x-custom;x-sdk-date")
    assert signer.signed_header_names({"X_A": "1", "X-B": "2", "Host": "h", "a_": "3"}) == ["host", "x-b"]


@pytest.mark.parametrize("path, expected", [
    ("/v2/c d/sink-tasks", "/v2/c%20d/sink-tasks/"),
    ("/v2/x/", "/v2/x/"),
    ("/é/任务/\U0001F600", "/%C3%A9/%E4%BB%BB%E5%8A%A1/%F0%9F%98%80/"),
    ("/a%20b/%C3%A9", "/a%20b/%C3%A9/"),
    ("/a%2Fb", "/a/b/"),
    ("/%25", "/%25/"),
    ("/100%", "/100%25/"),
    ("/x//y", "/x//y/"),
    ("/:@!$&'()*+,;=", "/%3A%40%21%24%26%27%28%29%2A%2B%2C%3B%3D/"),
    ("/~a-b_c.d", "/~a-b_c.d/"),
])
def test_canonical_uri(path, expected):
    assert signer.canonical_uri(path) == expected


def test_the_path_is_encoded_for_signing_only():
    # The caller sends the path as given; signing decodes and re-encodes it, so the raw and the
    # pre-encoded spelling sign alike and the caller's inputs stay as they were.
    query = [("name", "a b")]
    headers = {"X-Sdk-Date": DATE}
    canonical = "GET\n/v2/c%%20d/%%C3%%A9/\nname=a%%20b\nhost:h.test\nx-sdk-date:%s\n\nhost;x-sdk-date\n%s" % (
        DATE, EMPTY_HASH)
    for path in ("/v2/c d/é", "/v2/c%20d/%C3%A9"):
        sent = signer.sign_request("GET", "h.test", path, query, headers, b"", AK, SK)
        assert sent["Authorization"] == expected_authorization(canonical, DATE, "host;x-sdk-date"), path
        assert set(sent) == {"X-Sdk-Date", "Host", "Authorization"}
    assert query == [("name", "a b")]
    assert headers == {"X-Sdk-Date": DATE}


def test_the_date_is_added_from_now_when_missing():
    now = datetime(2026, 11, 24, 8, 15, 0, tzinfo=timezone.utc)
    headers = {}
    sent = signer.sign_request("GET", "h.test", "/p", [], headers, b"", AK, SK, now=now)
    assert headers == {}
    assert sent["X-Sdk-Date"] == "20261124T081500Z"
    assert sent["Host"] == "h.test"
    canonical = "GET\n/p/\n\nhost:h.test\nx-sdk-date:20261124T081500Z\n\nhost;x-sdk-date\n" + EMPTY_HASH
    assert sent["Authorization"] == expected_authorization(canonical, "20261124T081500Z", "host;x-sdk-date")


def test_a_given_date_and_host_are_kept():
    later = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    sent = signer.sign_request("GET", "h.test", "/p", [], {"x-sdk-date": DATE, "host": "other:1"}, b"", AK, SK,
                               now=later)
    assert set(sent) == {"x-sdk-date", "host", "Authorization"}
    assert sent["x-sdk-date"] == DATE and sent["host"] == "other:1"
    canonical = "GET\n/p/\n\nhost:other:1\nx-sdk-date:%s\n\nhost;x-sdk-date\n%s" % (DATE, EMPTY_HASH)
    assert sent["Authorization"] == expected_authorization(canonical, DATE, "host;x-sdk-date")


def test_the_date_defaults_to_the_current_utc_time():
    sent = signer.sign_request("GET", "h.test", "/p", [], {}, b"", AK, SK)
    assert re.match(r"^\d{8}T\d{6}Z$", sent["X-Sdk-Date"])
    stamped = datetime.strptime(sent["X-Sdk-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    assert abs(stamped - datetime.now(timezone.utc)) < timedelta(minutes=2)


def test_the_default_date_is_utc_whatever_the_local_zone():
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available here")
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Shanghai"  # UTC+8 all year
    time.tzset()
    try:
        sent = signer.sign_request("GET", "h.test", "/p", [], {}, b"", AK, SK)
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()
    stamped = datetime.strptime(sent["X-Sdk-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    assert abs(stamped - datetime.now(timezone.utc)) < timedelta(minutes=2)


def test_canonical_request_strips_values_and_lowers_names():
    headers = {"X-Custom": "  spaced value  ", "HOST": " h.test ", "X-Sdk-Date": DATE, "X_Skip": "x"}
    names = ["host", "x-custom", "x-sdk-date"]
    expected = ("GET\n/p/\na=1\nhost:h.test\nx-custom:spaced value\nx-sdk-date:%s\n\n"
                "host;x-custom;x-sdk-date\n%s") % (DATE, EMPTY_HASH)
    assert signer.canonical_request("get", "/p", [("a", 1)], headers, names, b"") == expected


def test_a_str_body_signs_as_its_utf8_bytes():
    text = '{"task_name":"été-任务"}'
    headers = {"Content-Type": "application/json", "X-Sdk-Date": DATE}
    from_text = signer.sign_request("POST", "h.test", "/p", [], headers, text, AK, SK)
    from_bytes = signer.sign_request("POST", "h.test", "/p", [], headers, text.encode("utf-8"), AK, SK)
    canonical = "POST\n/p/\n\ncontent-type:application/json\nhost:h.test\nx-sdk-date:%s\n\n%s\n%s" % (
        DATE, "content-type;host;x-sdk-date", hashlib.sha256(text.encode("utf-8")).hexdigest())
    expected = expected_authorization(canonical, DATE, "content-type;host;x-sdk-date")
    assert from_text["Authorization"] == expected
    assert from_bytes["Authorization"] == expected


@pytest.mark.parametrize("pairs, expected", [
    ([], ""),
    ([("b", True), ("a", False), ("c", "x y")], "a=false&b=true&c=x%20y"),
    ([("name", "b"), ("limit", "10"), ("name", "a"), ("empty", "")], "empty=&limit=10&name=a&name=b"),
    ([("k", "é"), ("k", "~")], "k=~&k=%C3%A9"),  # sorted raw, then encoded
    ([("n", 10), ("n", 9), ("m", -1), ("m", -20)], "m=-20&m=-1&n=9&n=10"),  # ints by value, as the official signer
    ([("a b", "A+&="), ("Name", "x"), ("name", "%")], "Name=x&a%20b=A%2B%26%3D&name=%25"),
    # The official signer raises on an int beside a str under one key; ours orders them as text.
    ([("k", "b"), ("k", 10), ("k", "a"), ("j", 9)], "j=9&k=10&k=a&k=b"),
])
def test_canonical_query(pairs, expected):
    assert signer.canonical_query(pairs) == expected
