# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Waiting for the service: one polling loop and one rule for statuses, for tasks and instances alike."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

RUNNING = "RUNNING"
# What a task shows while a delete the service finishes in the background is under way.
DELETING = "DELETING"
# Statuses that end in ING and are where a task stays: running, or created and waiting to be started.
SETTLED_ING_STATUSES = (RUNNING, "WAITING")
# Polling: first pause, growth factor, longest pause (seconds).
POLL_FIRST_SECONDS = 0.5
POLL_GROWTH = 2
POLL_MAX_SECONDS = 10.0


def is_transitional(status):
    """Whether something in ``status`` is on its way to another one (``CREATING``, ``EXTENDING``, ...).

    Statuses ending in ``ING`` are, except ``RUNNING`` and ``WAITING`` (a Smart Connect task created
    to be started later); any other status is final.
    """
    return isinstance(status, str) and status.endswith("ING") and status not in SETTLED_ING_STATUSES


def poll(read, settled, timeout, clock=time.monotonic, sleep=time.sleep):
    """Call ``read()`` until ``settled(value)`` is true; ``(value, True)``, or ``(last value, False)`` on timeout.

    ``settled`` may raise to end the wait at once. Pauses grow from POLL_FIRST_SECONDS to
    POLL_MAX_SECONDS and never pass the deadline.
    """
    deadline = clock() + timeout
    pause = POLL_FIRST_SECONDS
    while True:
        value = read()
        if settled(value):
            return value, True
        remaining = deadline - clock()
        if remaining <= 0:
            return value, False
        sleep(min(pause, remaining))
        pause = min(pause * POLL_GROWTH, POLL_MAX_SECONDS)
