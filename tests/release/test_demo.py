# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's demo command, as a new user runs it: for real, and with --check --diff."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "scripts" / "demo.sh"


@pytest.mark.parametrize("args, recap", [
    ([], "ok=7    changed=2 "),
    (["--check", "--diff"], "ok=7    changed=2 "),
])
def test_the_demo_runs(args, recap):
    completed = subprocess.run(["bash", str(DEMO)] + args, capture_output=True, text=True, timeout=300, check=False,
                               env=dict(os.environ, ANSIBLE_NOCOLOR="1"))
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-4000:]
    assert recap in output and "failed=0" in output
    assert "demo-obs-secret-key-not-a-real-one" not in output
    if args:
        assert "In check mode, both runs would create the task" in output
        assert '+    "deliver_time_interval": 300,' in output  # the diff of the create
    else:
        assert '"msg": "rerun: changed=False task_id=' in output
