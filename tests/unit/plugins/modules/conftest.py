# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Modules run in process against the session's emulator, reset for each test."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from harness import ModuleRunner


@pytest.fixture
def dms(emulator):
    emulator.reset()
    return ModuleRunner(emulator)
