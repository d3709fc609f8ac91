# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one way a change is sent: at most once, learning from a read whether it took.

Every change of every family (a create, a delete, a run-state action, Smart Connect enabled or disabled) goes
through ``Change.send``. An answer may be lost after the service acted, a 5xx may come after it acted, a refusal
may mean that the goal is already there (this run's earlier call whose answer was lost, or another run's), and a
read may lag behind a change the service made: each of these is decided here, once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.hwcloud.dms.plugins.module_utils.errors import (
    DmsApiError,
    DmsError,
    DmsTransportError,
    EffectUnknown,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.waiting import BEING_DELETED, is_transitional, poll

# How long a change whose answer was lost is given to show its effect before it is sent again: the service may
# show the state before it for a few reads after it acted.
LOST_ANSWER_SETTLE_SECONDS = 30


class ChangeOutcome:
    """What sending a change came to: ``made`` (by this run's call; ``False`` where the goal was there already),
    ``answer`` (the service's, ``None`` when none came), ``shown`` (what the last read showed, when one was made)
    and ``seen`` (whether an answer or a read proves it; ``False`` only for a change no read can show)."""

    def __init__(self, made, answer=None, shown=None, seen=True):
        self.made = made
        self.answer = answer
        self.shown = shown
        self.seen = seen


def may_mean_done(error):
    """Whether a refusal may mean that the goal is there: a 400, 404 or 409 of the service (the task is in a status
    that refuses the call, or is gone), not an authentication, permission or gateway answer."""
    return error.status in (400, 404, 409) and not error.unpublished


def _never(_shown):
    return False


class Change:
    """One change to send at most once.

    ``send()`` sends it once (the client retries only a 429, which the gateway answers before the service acts) and
    returns the answer. ``read()`` reads what the change is about; ``took(shown)`` says whether that read proves the
    change made or its goal reached. ``settle_seconds``: how long reads are given to show a change whose answer was
    lost (0: one read decides, where a second send is refused harmlessly, as a create of a taken name is).

    ``read_on_refusal(error)``: whether a refusal may mean the goal is there (else it stands at once);
    ``refusal_settles``: whether the read after one is given ``settle_seconds`` too (a rerun seconds after a change
    meets a service that still shows the state before it), or decides at once.
    ``hopeless(shown)``: a read after which sending again cannot help (the task is gone): the failure stands.
    ``visible``: ``False`` where no read can show the change (a restart of a running task ends where it began): an
    unanswered call then counts as made but unseen, and is never sent again.
    ``busy(error)`` and ``wait_until_free()``: a refusal that means "not now" (the instance is busy with another
    change, perhaps this one); the change waits, reads, and is sent again only if still needed, pausing between
    sends, until ``deadline`` (a ``clock()`` value); such sends are not counted as attempts.
    """

    def __init__(self, send, read, took, settle_seconds=0, read_on_refusal=may_mean_done, refusal_settles=False,
                 hopeless=_never, visible=True,
                 busy=None, wait_until_free=None, deadline=None, clock=time.monotonic, sleep=time.sleep):
        self._send = send
        self._read = read
        self._took = took
        self._settle_seconds = settle_seconds
        self._read_on_refusal = read_on_refusal
        self._refusal_settles = refusal_settles
        self._hopeless = hopeless
        self._visible = visible
        self._busy = busy
        self._wait_until_free = wait_until_free
        self._deadline = deadline
        self._clock = clock
        self._sleep = sleep

    def _proven_or_unknown(self, failure, unanswered, settles=True):
        """``_proven()``; where that read fails after a send that may have taken (``unanswered``), ``EffectUnknown``:
        the change may have been made, and no failure may say that nothing changed."""
        try:
            return self._proven(settles)
        except DmsError as read_error:
            if unanswered:
                raise EffectUnknown(failure, read_error)
            raise failure

    def _proven(self, settles=True):
        """``(shown, took)``: reads until one proves the change (or shows it hopeless), within ``settle_seconds``
        where it ``settles`` (else one read), never past the deadline."""
        settle = self._settle_seconds if settles else 0
        if self._deadline is not None:
            settle = min(settle, max(self._deadline - self._clock(), 0))
        shown = poll(self._read, lambda read: self._took(read) or self._hopeless(read), settle, self._clock,
                     self._sleep)[0]
        return shown, self._took(shown)

    def send(self, attempts, pause_before_retry):
        """Send the change, ``attempts`` times at most, and only again when a read proves the last one did not
        take; a ``ChangeOutcome``. The last failure is raised when no attempt took, and a refusal at once unless a
        read shows the goal there. An outcome learned is never lost by a later failure: once a read proves the
        change, no further call is made."""
        unanswered = False  # an earlier attempt got no answer (or a 5xx): it may have made the change
        attempt = 0
        while True:
            attempt += 1
            try:
                return ChangeOutcome(True, answer=self._send())
            except DmsApiError as error:
                if self._busy is not None and self._busy(error):
                    if self._deadline is not None and self._clock() >= self._deadline:
                        raise
                    shown = self._wait_until_free()
                    if self._took(shown):
                        return ChangeOutcome(unanswered, shown=shown)
                    attempt -= 1  # not a failed attempt: the deadline bounds these
                    pause_before_retry(1)
                    continue
                if error.refused:
                    # The service looked and said no: fine where the goal is there already.
                    if self._read_on_refusal(error):
                        shown, took = self._proven_or_unknown(error, unanswered, self._refusal_settles)
                        if took:
                            return ChangeOutcome(unanswered, shown=shown)
                    raise
                if error.status == 429:
                    raise  # the client has retried it already; the gateway answers it before the service acts
                failure = error
            except DmsTransportError as error:
                failure = error
            unanswered = True
            if not self._visible:
                return ChangeOutcome(True, seen=False)
            shown, took = self._proven_or_unknown(failure, True)
            if took:
                return ChangeOutcome(True, shown=shown)
            if attempt >= attempts or self._hopeless(shown):
                raise failure
            pause_before_retry(attempt)


def create_once(client, path, body, operation, find, attempts):
    """POST a create so that exactly one resource results; ``(answer or found, created_here)``.

    A POST that got no answer, or a 5xx, may still have created it: ``find()`` looks it up (by name) before the POST
    is sent again, ``attempts`` in all; what it finds is this run's create. A 400 may mean that the name is taken: by
    this run's earlier POST whose answer was lost (the service may list a new resource late), or by another run; what
    ``find()`` returns then is this run's only after such a lost answer. When it finds nothing the 400 stands. One
    look decides each time: a second POST of a name that is taken is refused, never doubled.
    """
    outcome = Change(send=lambda: client.request("POST", path, body=body, operation=operation) or {},
                     read=find, took=lambda found: found is not None,
                     read_on_refusal=lambda error: error.status == 400).send(attempts, client.pause_before_retry)
    return (outcome.shown if outcome.answer is None else outcome.answer), outcome.made


def is_going(shown, before):
    """Whether a task read after its delete shows it gone, or on its way: ``DELETING`` (a delete under way, an earlier
    one's too), or another status ending in ING that it was not in before (the service finishes some deletes in the
    background)."""
    if shown is None:
        return True
    status = shown.get("status")
    return status == BEING_DELETED or (status != before and is_transitional(status))
