# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs each integration target (a role under targets/) with ansible-playbook against the emulator,
and the ad-hoc form of the module with the ansible command."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import subprocess
import sys

import pytest

from harness import TARGETS_DIR, ModuleRunner, run_ad_hoc, run_playbook

EXAMPLES_DIR = os.path.normpath(os.path.join(TARGETS_DIR, "..", "..", "..", "examples"))
# Every example playbook, so that a new one is covered without naming it here.
EXAMPLES = sorted(os.path.basename(path) for path in glob.glob(os.path.join(EXAMPLES_DIR, "*.yml")))

# setup_* roles are helpers of the others; live_* targets need a real account (see their README).
TARGETS = sorted(name for name in os.listdir(TARGETS_DIR)
                 if os.path.isfile(os.path.join(TARGETS_DIR, name, "tasks", "main.yml"))
                 and not name.startswith(("setup_", "live_")))


@pytest.mark.parametrize("target", TARGETS)
def test_target(target, emulator, tmp_path):
    emulator.reset()
    playbook = tmp_path / "play.yml"
    playbook.write_text("- hosts: localhost\n  gather_facts: false\n  roles: [%s]\n" % target)
    completed = run_playbook(emulator, playbook)
    assert completed.returncode == 0, completed.stdout[-6000:] + completed.stderr[-3000:]
    assert "failed=0" in completed.stdout


LIVE_VARIABLES = ("HWCLOUD_DMS_LIVE_INSTANCE_ID", "HWCLOUD_DMS_LIVE_TOPIC", "HWCLOUD_DMS_LIVE_OBS_BUCKET",
                  "HWCLOUD_DMS_LIVE_OBS_AK", "HWCLOUD_DMS_LIVE_OBS_SK")


@pytest.mark.skipif(os.environ.get("HWCLOUD_DMS_LIVE") != "1" or not all(os.environ.get(name) for name in LIVE_VARIABLES),
                    reason="live test: set HWCLOUD_DMS_LIVE=1, credentials and %s" % ", ".join(LIVE_VARIABLES))
@pytest.mark.parametrize("target", ["live_kafka_sink_task", "live_kafka_smart_connect_task"])
def test_live_target(tmp_path, target):
    """The real service, with the user's own environment: no emulator, nothing overridden but the paths."""
    playbook = tmp_path / "play.yml"
    playbook.write_text("- hosts: localhost\n  gather_facts: false\n  roles: [%s]\n" % target)
    env = dict(os.environ, ANSIBLE_ROLES_PATH=TARGETS_DIR, ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    completed = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,",
                                "-c", "local", str(playbook)], env=env, capture_output=True, text=True, timeout=1800,
                               check=False)
    assert completed.returncode == 0, completed.stdout[-6000:] + completed.stderr[-3000:]


def test_the_smart_connect_example_runs(emulator):
    """examples/smart_connect.yml, with instance and task changes taking no extra reads (they are timed elsewhere)."""
    emulator.reset(instance_transition_reads=0, sc_transition_reads=0)
    completed = run_playbook(emulator, os.path.join(os.path.dirname(TARGETS_DIR), "..", "..", "examples",
                                                    "smart_connect.yml"))
    assert completed.returncode == 0, completed.stdout[-6000:] + completed.stderr[-3000:]
    assert "ok=7 " in completed.stdout and "changed=4 " in completed.stdout and "failed=0" in completed.stdout
    assert "demo-obs-secret-key-not-a-real-one" not in completed.stdout


def test_ad_hoc_create_then_delete(emulator):
    emulator.reset()
    args = ModuleRunner(emulator).task_args("adhoc-task")
    created = run_ad_hoc(emulator, args)
    again = run_ad_hoc(emulator, args)
    deleted = run_ad_hoc(emulator, dict(connector_id=emulator.connector_id, task_name="adhoc-task", state="absent"))
    for rc, _result, output in (created, again, deleted):
        assert rc == 0, output
        assert ModuleRunner.OBS_SECRET not in output
    assert "CHANGED" in created[2] and created[1]["task_id"] == again[1]["task_id"]
    assert "SUCCESS" in again[2] and again[1]["changed"] is False
    assert "CHANGED" in deleted[2] and emulator.state()["tasks"] == []


@pytest.mark.parametrize("example", ["smart_connect_agency.yml", "smart_connect_tasks.yml", "smart_connect_disable.yml",
                                     "smart_connect_task_id.yml", "smart_connect_tasks_plan.yml"])
def test_each_example_of_a_feature_runs(emulator, example):
    """One playbook per 1.3.0 feature (agency and pre-flight, the set, the guarded disable, task_id), and the set
    as one plan (1.5.0: checked whole, every entry tried, waited for together, the guarded purge)."""
    emulator.reset(sc_transition_reads=0)
    completed = run_playbook(emulator, os.path.join(os.path.dirname(TARGETS_DIR), "..", "..", "examples", example))
    assert completed.returncode == 0, completed.stdout[-6000:] + completed.stderr[-3000:]
    assert "failed=0" in completed.stdout


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_runs_in_check_mode_with_diff(emulator, example):
    """Each example under examples/ with --check --diff on a fresh emulator: it succeeds and sends no change."""
    emulator.reset(sc_transition_reads=0, instance_transition_reads=0)
    completed = run_playbook(emulator, os.path.join(EXAMPLES_DIR, example), "--check", "--diff")
    assert completed.returncode == 0, completed.stdout[-6000:] + completed.stderr[-3000:]
    assert "failed=0" in completed.stdout, completed.stdout[-6000:]
    assert [r for r in emulator.requests() if r["method"] != "GET"] == [], completed.stdout[-6000:]
