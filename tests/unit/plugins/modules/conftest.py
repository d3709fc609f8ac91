# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Modules run in process against the session's emulator, reset for each test."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.hwcloud.dms.plugins.module_utils import change, client, waiting
from harness import ModuleRunner


@pytest.fixture(params=["exact", "realistic"])
def dms(emulator, request):
    """Every module test runs twice: against the spec as first read, and against the realistic profile
    (statuses that lag, sparse answers, 400 for a missing task, connector_enable false, lost answers)."""
    runner = ModuleRunner(emulator, request.param)
    runner.reset()
    return runner


@pytest.fixture(autouse=True)
def quick_pauses(monkeypatch):
    """Module logic, not timing, is tested here (the client's and the waits' own tests time them):
    poll, back off and honour Retry-After in hundredths of a second."""
    monkeypatch.setattr(waiting, "POLL_FIRST_SECONDS", 0.01)
    monkeypatch.setattr(waiting, "POLL_GROWTH", 1)
    monkeypatch.setattr(client, "RETRY_BASE_SECONDS", 0.01)
    monkeypatch.setattr(client, "RETRY_CAP_SECONDS", 0.01)
    # A change whose answer was lost shows its effect within a few reads here.
    monkeypatch.setattr(change, "LOST_ANSWER_SETTLE_SECONDS", 0.5)
