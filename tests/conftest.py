# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures shared by every test folder: the local DMS emulator."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest

# The emulator package lives beside this file and is not part of the collection.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from emulator import Emulator  # noqa: E402


@pytest.fixture(scope="session")
def emulator():
    """One emulator for the session; tests call emulator.reset() for a clean state."""
    with Emulator() as running:
        yield running
