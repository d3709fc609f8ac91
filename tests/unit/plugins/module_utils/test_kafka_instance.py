# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Enabling Smart Connect on an instance that never answers, on a fake clock."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from harness import FakeClock
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsApiError, DmsTransportError, TaskError
from ansible_collections.hwcloud.dms.plugins.module_utils.kafka_instance import SmartConnectApi


class SilentClient:
    """Every POST goes unanswered, every read shows the instance without Smart Connect; records when each went."""

    def __init__(self, clock):
        self.clock = clock
        self.sent = []

    def request(self, method, path, **options):
        self.sent.append((method, round(self.clock.now, 3)))
        if method == "POST":
            raise DmsTransportError("The service did not answer POST %s" % path)
        return dict(instance_id="instance", status="RUNNING", connector_enable=False, connector_id="")

    def pause_before_retry(self, attempt):
        """The client's backoff, which has tests of its own."""


@pytest.mark.parametrize("wait_timeout, posts", [(600, [0.0, 30.0]), (40, [0.0, 30.0]), (20, [0.0, 20.0])])
def test_an_enable_whose_answer_is_lost_is_read_back_until_the_deadline_at_most_30_seconds(wait_timeout, posts):
    clock = FakeClock()
    client = SilentClient(clock)
    with pytest.raises(DmsTransportError):
        SmartConnectApi(client, "project", "instance", clock, clock.sleep).change(True, dict(node_cnt=2), wait_timeout, 2)
    assert [when for method, when in client.sent if method == "POST"] == posts


class BusyClient(SilentClient):
    """Every enable is refused as the instance being busy with another change, which never ends."""

    def request(self, method, path, **options):
        self.sent.append((method, round(self.clock.now, 3)))
        if method == "POST":
            raise DmsApiError(400, "DMS.00400026", "The instance is being changed", "request-id")
        return dict(instance_id="instance", status="EXTENDING", connector_enable=False, connector_id="")


def test_an_instance_busy_with_another_change_is_waited_for_until_the_deadline_and_no_longer():
    clock = FakeClock()
    clock.now = 100.0  # the system's clock does not start at 0
    client = BusyClient(clock)
    with pytest.raises(TaskError) as raised:
        SmartConnectApi(client, "project", "instance", clock, clock.sleep).change(True, dict(node_cnt=2), 600, 2)
    assert "was not RUNNING within wait_timeout 600 seconds; last status EXTENDING" in str(raised.value)
    assert clock.now == 700.0 and [method for method, when in client.sent].count("POST") == 1
