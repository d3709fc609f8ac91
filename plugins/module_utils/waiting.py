# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Waiting for the service: one polling loop and one rule for statuses, for tasks and instances alike."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.hwcloud.dms.plugins.module_utils.errors import DmsError, TaskError

RUNNING = "RUNNING"
# What a task shows while the service finishes its delete in the background (no source documents it; it follows the
# instance's CONNECTOR_DELETING): reported as shown, and never the task a run wants, which comes after it.
BEING_DELETED = "DELETING"
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


def wait_together(read, waits, on_done, clock=time.monotonic, sleep=time.sleep):
    """Wait for every wait of ``waits`` with one ``read()`` a poll, keeping every outcome.

    ``read()`` returns ``shown_of(wait)``: what that one read shows of each wait's resource (``None``: not there). A
    wait has ``timeout`` (seconds from when it joins), ``settled(shown)`` (true when done; raises ``TaskError`` when
    it never will be) and ``timed_out(shown)`` (the error of its timeout). ``on_done(wait, shown, error)`` is called
    once for each wait as it ends (``error``: why it failed, ``None`` when settled) and may return further waits,
    which join in (a task paused once it runs). A read that fails ends every wait still open with that error and
    ``shown`` ``None``: what was learned before is kept, and each open wait is told.
    """
    pending = [(wait, clock()) for wait in waits]
    pause = POLL_FIRST_SECONDS
    while pending:
        try:
            shown_of = read()
        except DmsError as error:
            for wait, _joined in pending:
                on_done(wait, None, error)
            return
        now = clock()
        still = []
        for wait, joined in pending:
            shown = shown_of(wait)
            try:
                if not wait.settled(shown):
                    if now - joined < wait.timeout:
                        still.append((wait, joined))
                        continue
                    raise wait.timed_out(shown)
                error = None
            except TaskError as failure:
                error = failure
            still.extend((more, clock()) for more in on_done(wait, shown, error) or [])
        pending = still
        if pending:
            left = min(joined + wait.timeout for wait, joined in pending) - clock()
            sleep(max(min(pause, left), 0))
            pause = min(pause * POLL_GROWTH, POLL_MAX_SECONDS)
