# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""SDK-HMAC-SHA256 request signing, as Huawei Cloud API gateways verify it.

Pure functions over the standard library: no Ansible, no HTTP. The behaviour
mirrors ``huaweicloudsdkcore.signer.Signer`` exactly (the unit tests compare
the two on generated requests), including its quirks, because the gateway
recomputes the signature with the same rules.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import hmac
from datetime import datetime, timezone

from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
DATE_HEADER = "X-Sdk-Date"
CONTENT_HASH_HEADER = "X-Sdk-Content-Sha256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
EMPTY_PAYLOAD_HASH = hashlib.sha256(b"").hexdigest()


def sdk_date(now=None):
    """Return the ``X-Sdk-Date`` value for ``now`` (a UTC datetime), default the current time."""
    return (now or datetime.now(timezone.utc)).strftime(DATE_FORMAT)


def _encode(value):
    # Only A-Z a-z 0-9 - _ . ~ stay as they are; quote() keeps the first five by itself.
    return quote(value, safe="~")


def _header_value(headers, name):
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def canonical_uri(path):
    """Canonical URI: the path decoded, each segment re-encoded, always ending in ``/``."""
    uri = "/".join(_encode(segment) for segment in unquote(path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def query_text(value):
    """How one query value is written, on the wire and in the canonical query."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def canonical_query(query_pairs):
    """Canonical query string from ``(key, value)`` pairs (repeated keys allowed).

    The pairs are sorted as given, before encoding, as the official signer sorts them:
    strings by code point, numbers by value (``9`` before ``10``).
    """
    pairs = [(str(key), value) for key, value in query_pairs]
    try:
        pairs.sort()
    except TypeError:  # values the official signer cannot order at all (an int beside a str under one key)
        pairs.sort(key=lambda pair: (pair[0], query_text(pair[1])))
    return "&".join("%s=%s" % (_encode(key), _encode(query_text(value))) for key, value in pairs)


def signed_header_names(headers):
    """Lower-cased, sorted names of the headers that are signed: all without ``_``."""
    return sorted(name.lower() for name in headers if "_" not in name)


def payload_hash(headers, body):
    """Hex SHA-256 of the body bytes, or what ``X-Sdk-Content-Sha256`` says for unsigned payloads."""
    if not body:
        return EMPTY_PAYLOAD_HASH
    declared = _header_value(headers, CONTENT_HASH_HEADER)
    if declared:
        return declared
    return hashlib.sha256(body).hexdigest()


def canonical_request(method, path, query_pairs, headers, signed_names, body):
    """The canonical request text that is hashed into the string to sign.

    ``headers`` are the headers as sent; ``signed_names`` the lower-cased names to include.
    """
    by_name = {}
    for name, value in headers.items():
        by_name[name.lower()] = str(value).strip()
    header_block = "".join("%s:%s\n" % (name, by_name[name]) for name in signed_names)
    return "\n".join([
        method.upper(),
        canonical_uri(path),
        canonical_query(query_pairs),
        header_block,
        ";".join(signed_names),
        payload_hash(headers, body),
    ])


def string_to_sign(canonical_request_text, date_value):
    """``SDK-HMAC-SHA256``, the ``X-Sdk-Date`` value and the hex SHA-256 of the canonical request."""
    digest = hashlib.sha256(canonical_request_text.encode("utf-8")).hexdigest()
    return "%s\n%s\n%s" % (ALGORITHM, date_value, digest)


def signature(secret_key, string_to_sign_text):
    """Hex HMAC-SHA256 of the string to sign, keyed with the raw secret key."""
    return hmac.new(secret_key.encode("utf-8"), string_to_sign_text.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization_header(access_key, signed_names, signature_hex):
    """The ``Authorization`` header value."""
    return "%s Access=%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, ";".join(signed_names), signature_hex)


def sign_request(method, host, path, query_pairs, headers, body, access_key, secret_key, now=None):
    """Sign one request and return the complete headers to send with it.

    ``path`` is the path as it goes out (unencoded characters are encoded only for
    signing); ``body`` the exact bytes sent (``b""`` for none). ``Host`` and
    ``X-Sdk-Date`` are added when ``headers`` lacks them.
    """
    if isinstance(body, str):
        body = body.encode("utf-8")
    signed = dict(headers)
    # The official signer looks this name up case-sensitively; match it so signatures agree.
    content_type = signed.get("Content-Type")
    if content_type and not content_type.startswith(("application/json", "application/bson")):
        signed[CONTENT_HASH_HEADER] = UNSIGNED_PAYLOAD
    date_value = _header_value(signed, DATE_HEADER)
    if date_value is None:
        date_value = sdk_date(now)
        signed[DATE_HEADER] = date_value
    if _header_value(signed, "Host") is None:
        signed["Host"] = host
    signed = dict((name, str(value).strip()) for name, value in signed.items())
    names = signed_header_names(signed)
    text = string_to_sign(canonical_request(method, path, query_pairs, signed, names, body), date_value)
    signed["Authorization"] = authorization_header(access_key, names, signature(secret_key, text))
    return signed
