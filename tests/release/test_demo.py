# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's demo command, as a new user runs it: for real, and with --check --diff."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "scripts" / "demo.sh"


def test_the_demo_runs_in_check_and_diff_mode():
    """The real run of examples/demo.yml is the AWX job test's (tests/integration/test_awx.py)."""
    completed = subprocess.run(["bash", str(DEMO), "--check", "--diff"], capture_output=True, text=True, timeout=300,
                               check=False, env=dict(os.environ, ANSIBLE_NOCOLOR="1"))
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-4000:]
    assert "ok=7    changed=2 " in output and "failed=0" in output
    assert "demo-obs-secret-key-not-a-real-one" not in output
    assert "In check mode, both runs would create the task" in output
    assert '+    "deliver_time_interval": 300,' in output  # the diff of the create


def test_the_smart_connect_example_runs_in_check_and_diff_mode_on_a_fresh_emulator():
    """Smart Connect is not on yet there: each task run reports the create it would make, with a warning."""
    completed = subprocess.run(["bash", str(DEMO), "examples/smart_connect.yml", "--check", "--diff"],
                               capture_output=True, text=True, timeout=300, check=False,
                               cwd=str(DEMO.parents[1]), env=dict(os.environ, ANSIBLE_NOCOLOR="1"))
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-4000:]
    assert "failed=0" in output and "skipping: [localhost]" in output  # the real run's assertions
    assert "check mode reports the create a run would make" in output
    assert "demo-obs-secret-key-not-a-real-one" not in output
