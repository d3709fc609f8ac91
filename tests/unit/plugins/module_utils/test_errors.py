# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What an API error says about the request: refused by the service, never seen by it, or neither."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsApiError


@pytest.mark.parametrize("status, code, refused, unpublished", [
    (400, "DMS.00400001", True, False),
    (404, "DMS.00404030", True, False),
    (404, "APIGW.0101", True, True),  # the gateway's own 404: the path is not published
    (403, "APIGW.0101", True, False),
    (409, "DMS.00409000", True, False),
    (429, "APIGW.0308", False, False),  # throttled: the service did not say no
    (500, "DMS.00500000", False, False),
    (503, "APIGW.0201", False, False),
])
def test_an_error_tells_a_refusal_from_throttling_and_trouble_and_the_gateways_404(status, code, refused, unpublished):
    error = DmsApiError(status, code, "message", "request-id")
    assert error.refused is refused and error.unpublished is unpublished
