# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What an API error says about the request: refused by the service, never seen by it, or neither."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsApiError, DmsTransportError, ReplaceError


@pytest.mark.parametrize("status, code, refused, unpublished", [
    (400, "DMS.00400001", True, False),
    (404, "DMS.00404030", True, False),
    (404, "APIGW.0101", True, True),  # the gateway's own 404: the path is not published
    (404, "APIGW.0001", True, False),  # only that one code says so, whatever the others sort like
    (403, "APIGW.0101", True, False),
    (405, "APIGW.0101", True, False),
    (409, "DMS.00409000", True, False),
    (429, "APIGW.0308", False, False),  # throttled: the service did not say no
    (431, "unknown", True, False),  # every other 4xx, up to the last one, is a refusal
    (499, "unknown", True, False),
    (500, "DMS.00500000", False, False),
    (503, "APIGW.0201", False, False),
])
def test_an_error_tells_a_refusal_from_throttling_and_trouble_and_the_gateways_404(status, code, refused, unpublished):
    error = DmsApiError(status, code, "message", "request-id")
    assert error.refused is refused and error.unpublished is unpublished


def test_a_transport_error_counts_its_attempts_only_when_there_were_several():
    error = DmsTransportError("Could not reach the service for GET https://dms.example/v2: refused")
    assert str(error) == "Could not reach the service for GET https://dms.example/v2: refused"
    error.attempts, error.operation = 4, "read sink task t"
    assert str(error) == ("read sink task t failed: Could not reach the service for GET https://dms.example/v2: "
                          "refused (4 attempts)")


def test_a_failed_replacement_says_the_old_task_is_gone_and_reports_the_creates_error():
    cause = DmsApiError(400, "DMS.00400001", "bad bucket", "req-1")
    cause.operation = "create sink task 'orders'"
    error = ReplaceError("Sink task 'orders' (id t-1)", cause)
    assert str(error) == (
        "Sink task 'orders' (id t-1) was deleted to be replaced, but the new task was not created: create sink task "
        "'orders' failed: DMS API error 400 DMS.00400001: bad bucket (request id req-1). Run again to create it.")
    assert error.as_dict() == dict(status=400, error_code="DMS.00400001", error_msg="bad bucket", request_id="req-1")


def test_an_error_made_from_one_answer_counts_one_attempt():
    # attempts says how many tries an error stands for (a 404 after several deletes means an earlier one deleted).
    assert DmsApiError(404, "DMS.00404030", "task t does not exist", "req-1").attempts == 1
    assert DmsTransportError("Could not reach the service").attempts == 1
