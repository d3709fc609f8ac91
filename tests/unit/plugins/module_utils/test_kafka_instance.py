# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Enabling Smart Connect on an instance that never answers, on a fake clock."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from harness import FakeClient, FakeClock
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsApiError, DmsTransportError, TaskError
from ansible_collections.hwcloud.dms.plugins.module_utils.kafka_instance import SmartConnectApi


def silent_client(clock):
    """Every POST goes unanswered, every read shows the instance without Smart Connect."""
    return FakeClient(clock, "POST", dict(instance_id="instance", status="RUNNING", connector_enable=False,
                                          connector_id=""))


@pytest.mark.parametrize("wait_timeout, posts", [(600, [0.0, 30.0]), (40, [0.0, 30.0]), (20, [0.0, 20.0])])
def test_an_enable_whose_answer_is_lost_is_read_back_until_the_deadline_at_most_30_seconds(wait_timeout, posts):
    clock = FakeClock()
    client = silent_client(clock)
    with pytest.raises(DmsTransportError):
        SmartConnectApi(client, "project", "instance", clock, clock.sleep).change(True, dict(node_cnt=2), wait_timeout, 2)
    assert [when for method, when in client.sent if method == "POST"] == posts


class BusyClient(FakeClient):
    """Every enable is refused as the instance being busy with another change, which never ends."""

    def answer(self, method, path):
        if method == "POST":
            raise DmsApiError(400, "DMS.00400026", "The instance is being changed", "request-id")
        return dict(instance_id="instance", status="EXTENDING", connector_enable=False, connector_id="")


def test_an_instance_busy_with_another_change_is_waited_for_until_the_deadline_and_no_longer():
    clock = FakeClock()
    clock.now = 100.0  # the system's clock does not start at 0
    client = BusyClient(clock, "POST", None)
    with pytest.raises(TaskError) as raised:
        SmartConnectApi(client, "project", "instance", clock, clock.sleep).change(True, dict(node_cnt=2), 600, 2)
    assert "was not RUNNING within wait_timeout 600 seconds; last status EXTENDING" in str(raised.value)
    assert clock.now == 700.0 and [method for method, when in client.sent].count("POST") == 1


OFF = dict(instance_id="instance", status="RUNNING", connector_enable=False, connector_id="")
ON = dict(OFF, connector_enable=True, connector_id="connector")
EXTENDING = dict(OFF, status="EXTENDING")


def busy():
    return DmsApiError(400, "DMS.00400026", "The instance is being changed", "request-id")


def lost():
    return DmsTransportError("The service did not answer POST")


class ScriptedClient(FakeClient):
    """Each POST takes ``seconds`` and fails with the next ``(error, instance)`` of ``posts`` (the last one
    repeats), after which reads show that ``instance``."""

    def __init__(self, clock, posts, seconds=0.0):
        super(ScriptedClient, self).__init__(clock, "POST", OFF)
        self.posts = list(posts)
        self.seconds = seconds

    def answer(self, method, path):
        if method != "POST":
            return dict(self.shown)
        self.clock.now += self.seconds
        error, self.shown = self.posts.pop(0) if len(self.posts) > 1 else self.posts[0]
        raise error


def test_a_busy_answer_just_before_the_deadline_still_waits_a_second_for_the_instance():
    clock = FakeClock()
    # The call took 9.6 of the 10 seconds: the instance is still given a whole second, not the 0.4 left.
    client = ScriptedClient(clock, [(busy(), EXTENDING)], seconds=9.6)
    with pytest.raises(TaskError) as raised:
        SmartConnectApi(client, "project", "instance", clock, clock.sleep).change(True, dict(node_cnt=2), 10, 2)
    assert "was not RUNNING within wait_timeout 1 seconds; last status EXTENDING" in str(raised.value)
    assert clock.now == pytest.approx(10.6)


def test_busy_refusals_do_not_use_up_the_attempts_of_a_call_whose_answer_is_lost():
    clock = FakeClock()
    client = ScriptedClient(clock, [(busy(), OFF), (lost(), OFF)])
    with pytest.raises(DmsTransportError):
        SmartConnectApi(client, "project", "instance", clock, clock.sleep).change(True, dict(node_cnt=2), 600, 2)
    # One refusal as busy, then the two attempts the lost answers have.
    assert [method for method, when in client.sent].count("POST") == 3


def test_a_call_whose_lost_answer_shows_only_when_the_next_is_refused_as_busy_is_this_runs_change():
    clock = FakeClock()
    # The read-back never sees the first call land; the second is refused because it just did.
    client = ScriptedClient(clock, [(lost(), OFF), (busy(), ON)])
    api = SmartConnectApi(client, "project", "instance", clock, clock.sleep)
    assert api.change(True, dict(node_cnt=2), 600, 2) == (True, {})
    assert [method for method, when in client.sent].count("POST") == 2


def test_an_answer_lost_past_the_deadline_is_read_back_once_without_waiting():
    clock = FakeClock()
    client = ScriptedClient(clock, [(lost(), OFF)], seconds=20)
    with pytest.raises(DmsTransportError):
        SmartConnectApi(client, "project", "instance", clock, clock.sleep).change(True, dict(node_cnt=2), 10, 1)
    assert client.sent == [("POST", 0.0), ("GET", 20.0)]
