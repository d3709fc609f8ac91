# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The status rule and the polling loop shared by every wait."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from harness import FakeClock
from ansible_collections.hwcloud.dms.plugins.module_utils.waiting import (
    POLL_FIRST_SECONDS,
    POLL_MAX_SECONDS,
    is_transitional,
    poll,
)


@pytest.mark.parametrize("status, transitional", [
    ("CREATING", True), ("DELETING", True), ("RESTARTING", True), ("RUNNING", False), ("WAITING", False),
    ("PAUSED", False), ("ERROR", False), ("FAILED", False), (None, False),
])
def test_statuses_ending_in_ing_are_transitional_except_running_and_waiting(status, transitional):
    assert is_transitional(status) is transitional


def test_poll_returns_the_settled_value_after_growing_pauses():
    values, clock = iter(["EXTENDING", "EXTENDING", "EXTENDING", "RUNNING"]), FakeClock()
    assert poll(lambda: next(values), lambda value: value == "RUNNING", 60, clock, clock.sleep) == ("RUNNING", True)
    assert clock.pauses == [0.5, 1.0, 2.0]


def test_poll_stops_at_the_deadline_with_the_last_value():
    clock = FakeClock()
    assert poll(lambda: "EXTENDING", lambda value: False, 5, clock, clock.sleep) == ("EXTENDING", False)
    assert sum(clock.pauses) == 5 and max(clock.pauses) <= 10


def test_poll_pauses_grow_to_the_cap_and_never_past_it():
    clock = FakeClock()
    poll(lambda: "EXTENDING", lambda value: False, 120, clock, clock.sleep)
    assert max(clock.pauses) == POLL_MAX_SECONDS and clock.pauses[:2] == [POLL_FIRST_SECONDS, POLL_FIRST_SECONDS * 2]
    # Half a second, doubling up to ten: a two-minute wait reads 17 times, the last pause cut at the deadline.
    assert clock.pauses == [0.5, 1.0, 2.0, 4.0, 8.0] + [10.0] * 10 + [4.5]


def test_poll_reads_once_more_at_the_deadline_and_a_value_settled_then_counts():
    values, clock = iter(["EXTENDING"] * 4 + ["RUNNING"]), FakeClock()
    # 0.5 + 1 + 2 leaves half a second of the 4: the wait sleeps it and reads again rather than give up early.
    assert poll(lambda: next(values), lambda value: value == "RUNNING", 4, clock, clock.sleep) == ("RUNNING", True)
    assert clock.pauses == [0.5, 1.0, 2.0, 0.5]


def test_poll_gives_up_without_another_pause_once_a_slow_read_has_passed_the_deadline():
    clock = FakeClock()
    values = iter(["EXTENDING"] * 3)

    def slow_read():
        clock.now += 3  # each read takes 3 seconds
        return next(values)

    # Reads end at 3 s and 6.5 s; the second is past the 5 s deadline, so nothing is left to sleep.
    assert poll(slow_read, lambda value: False, 5, clock, clock.sleep) == ("EXTENDING", False)
    assert clock.pauses == [0.5]
