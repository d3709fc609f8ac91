# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The change primitive on its own: what it sends, reads and reports, over scripted answers and a fake clock."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.hwcloud.dms.plugins.module_utils.change import Change, is_going
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsApiError, DmsTransportError
from harness import FakeClock

BUSY = DmsApiError(400, "DMS.00400026", "busy", "r-1")


class Script:
    """Sends answer from ``sends`` in turn (an exception is raised), reads from ``reads``; records both, and pauses."""

    def __init__(self, sends, reads):
        self.sends, self.reads = list(sends), list(reads)
        self.log = []

    def send(self):
        self.log.append("send")
        outcome = self.sends.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def read(self):
        self.log.append("read")
        return self.reads.pop(0)

    def pause(self, attempt):
        self.log.append("pause %s" % attempt)


@pytest.mark.parametrize("shown, before, going", [
    (None, "RUNNING", True), ({"status": "DELETING"}, "RUNNING", True), ({"status": "DELETING"}, "DELETING", True),
    ({"status": "REMOVING"}, "RUNNING", True), ({"status": "CREATING"}, "CREATING", False),
    # Another final status is no sign of a delete: a task CREATING when the delete was lost may just have started.
    ({"status": "RUNNING"}, "CREATING", False), ({"status": "RUNNING"}, "RUNNING", False),
    ({"status": "PAUSED"}, "RUNNING", False),
])
def test_a_delete_took_where_the_task_is_gone_or_on_its_way_out(shown, before, going):
    assert is_going(shown, before) is going


def test_a_busy_refusal_waits_reads_and_pauses_before_it_is_sent_again():
    clock = FakeClock()
    script = Script([BUSY, BUSY, {"ok": True}], [])
    free = []
    outcome = Change(send=script.send, read=script.read, took=lambda shown: shown == "on",
                     busy=lambda error: error.error_code == "DMS.00400026",
                     wait_until_free=lambda: free.append(clock.now) or "off", deadline=clock() + 100,
                     clock=clock, sleep=clock.sleep).send(1, script.pause)
    # Busy sends are not attempts (one attempt allowed, three sends), and each resend follows a pause.
    assert outcome.made is True and outcome.answer == {"ok": True}
    assert script.log == ["send", "pause 1", "send", "pause 1", "send"] and len(free) == 2


def test_a_busy_refusal_whose_wait_shows_the_goal_is_another_runs_change():
    script = Script([BUSY], [])
    outcome = Change(send=script.send, read=script.read, took=lambda shown: shown == "on", busy=lambda error: True,
                     wait_until_free=lambda: "on").send(3, script.pause)
    assert (outcome.made, outcome.shown, script.log) == (False, "on", ["send"])


def test_a_lost_answer_is_read_before_it_is_sent_again_and_a_read_that_proves_it_ends_it():
    script = Script([DmsTransportError("lost"), DmsTransportError("lost")], [None, "done"])
    outcome = Change(send=script.send, read=script.read, took=lambda shown: shown == "done").send(3, script.pause)
    assert outcome.made is True and outcome.shown == "done"
    assert script.log == ["send", "read", "pause 1", "send", "read"]


def test_a_refusal_after_a_lost_answer_whose_read_shows_the_goal_is_this_runs_change():
    refused = DmsApiError(400, "DMS.00400049", "no", "r-2")
    script = Script([DmsTransportError("lost"), refused], [None, "done"])
    outcome = Change(send=script.send, read=script.read, took=lambda shown: shown == "done").send(3, script.pause)
    assert (outcome.made, script.log) == (True, ["send", "read", "pause 1", "send", "read"])


@pytest.mark.parametrize("status", [401, 403, 429])
def test_an_authentication_permission_or_throttling_answer_stands_without_a_read(status):
    error = DmsApiError(status, "APIGW", "no", "r-3")
    script = Script([error], [])
    with pytest.raises(DmsApiError):
        Change(send=script.send, read=script.read, took=lambda shown: True).send(3, script.pause)
    assert script.log == ["send"]


def test_a_change_no_read_can_show_is_taken_as_made_unseen_and_never_sent_again():
    script = Script([DmsTransportError("lost")], [])
    outcome = Change(send=script.send, read=script.read, took=lambda shown: True, visible=False).send(3, script.pause)
    assert (outcome.made, outcome.seen, script.log) == (True, False, ["send"])


def test_a_lost_answer_whose_read_back_fails_may_have_been_made_and_says_so():
    from ansible_collections.hwcloud.dms.plugins.module_utils.errors import EffectUnknown

    def read():
        raise DmsApiError(503, "DMS.00500000", "down", "r-4")

    script = Script([DmsApiError(500, "DMS.00500000", "after acting", "r-5")], [])
    with pytest.raises(EffectUnknown) as raised:
        Change(send=script.send, read=read, took=lambda shown: True).send(3, script.pause)
    assert raised.value.maybe_changed is True and raised.value.as_dict()["status"] == 500
    assert "the read that would tell whether it took failed too (DMS API error 503" in str(raised.value)


@pytest.mark.parametrize("status, read", [(400, True), (404, True), (409, True), (408, False), (410, False)])
def test_only_a_400_404_or_409_refusal_is_read_for_the_goal(status, read):
    script = Script([DmsApiError(status, "DMS.00%s000" % status, "no", "r-6")], ["done"])
    outcome = None
    try:
        outcome = Change(send=script.send, read=script.read, took=lambda shown: shown == "done").send(3, script.pause)
    except DmsApiError:
        pass
    assert script.log == (["send", "read"] if read else ["send"]) and (outcome is not None) is read
