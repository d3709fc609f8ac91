# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every unit test shares: Hypothesis keeps its files out of the work tree, and no test runs past a bound.

A unit test waits for the emulator at most a couple of seconds (the pauses are hundredths of a second here), so
a test still running after UNIT_TEST_SECONDS is a bug: a wait that never ends, a retry loop that never gives up.
pytest-timeout fails that test and the suite goes on, so neither CI nor a mutation run can stall on it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import tempfile

import pytest

# Read by Hypothesis when it is first imported, which the test modules do after this file.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "hwcloud-dms-hypothesis"))

# The slowest unit test takes about 6 s on two busy cores (a property's 40 examples); five times that.
UNIT_TEST_SECONDS = 30


def pytest_configure(config):
    # Without the plugin the bound would be a marker nobody reads: refuse to run instead.
    if not config.pluginmanager.hasplugin("timeout"):
        raise pytest.UsageError("the unit tests need pytest-timeout (tests/unit/requirements.txt) to bound each test")


def pytest_collection_modifyitems(items):
    """Every unit test gets the bound, unless it says its own (the long property runs do)."""
    for item in items:
        if item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(UNIT_TEST_SECONDS))
