# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs each integration target (a role under targets/) with ansible-playbook against the emulator,
and the ad-hoc form of the module with the ansible command."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TARGETS_DIR = Path(__file__).resolve().parent / "targets"
# setup_* roles are helpers of the others; live_* targets need a real account (see their README).
TARGETS = sorted(path.name for path in TARGETS_DIR.iterdir()
                 if (path / "tasks" / "main.yml").is_file() and not path.name.startswith(("setup_", "live_")))


def ansible_env(emulator, **overrides):
    """The environment of ansible-playbook: the emulator's credentials, as users set theirs."""
    env = dict(os.environ)
    env.update(
        ANSIBLE_ROLES_PATH=str(TARGETS_DIR),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        HUAWEICLOUD_SDK_AK=emulator.access_key,
        HUAWEICLOUD_SDK_SK=emulator.secret_key,
        HUAWEICLOUD_SDK_PROJECT_ID=emulator.project_id,
        HUAWEICLOUD_DMS_ENDPOINT=emulator.url,
        HUAWEICLOUD_SDK_IAM_ENDPOINT=emulator.url,
        HUAWEICLOUD_SDK_CREDENTIALS_FILE=os.devnull,
    )
    env.update(overrides)
    return env


def emulator_extra_vars(emulator):
    return json.dumps(dict(emulator_url=emulator.url, emulator_project_id=emulator.project_id,
                           emulator_connector_id=emulator.connector_id,
                           emulator_instance_id=emulator.instance_id,
                           emulator_disabled_instance_id=emulator.disabled_instance_id,
                           emulator_smart_connect_instance_id=emulator.smart_connect_instance_id))


def run_playbook(emulator, playbook, *args, **env_overrides):
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,",
               "-c", "local", "-e", emulator_extra_vars(emulator), str(playbook)] + list(args)
    return subprocess.run(command, env=ansible_env(emulator, **env_overrides), capture_output=True, check=False,
                          text=True, timeout=600)


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
def test_live_target(tmp_path):
    """The real service, with the user's own environment: no emulator, nothing overridden but the paths."""
    playbook = tmp_path / "play.yml"
    playbook.write_text("- hosts: localhost\n  gather_facts: false\n  roles: [live_kafka_sink_task]\n")
    env = dict(os.environ, ANSIBLE_ROLES_PATH=str(TARGETS_DIR), ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    completed = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,",
                                "-c", "local", str(playbook)], env=env, capture_output=True, text=True, timeout=1800,
                               check=False)
    assert completed.returncode == 0, completed.stdout[-6000:] + completed.stderr[-3000:]


def test_ad_hoc_create_then_delete(emulator):
    emulator.reset()
    args = dict(connector_id=emulator.connector_id, task_name="adhoc-task", obs_destination_descriptor=dict(
        topics=["orders"], access_key="OBSACCESSKEY00000001", secret_key="AdHocObsSecret000001",
        obs_bucket_name="bucket", partition_format="yyyy", deliver_time_interval=60))
    ansible = os.path.join(os.path.dirname(sys.executable), "ansible")

    def ad_hoc(module_args):
        completed = subprocess.run(
            [ansible, "localhost", "-c", "local", "-m", "hwcloud.dms.kafka_sink_task", "-a", json.dumps(module_args)],
            env=ansible_env(emulator), capture_output=True, text=True, timeout=300, check=False)
        assert "AdHocObsSecret000001" not in completed.stdout + completed.stderr
        return completed

    created = ad_hoc(args)
    assert created.returncode == 0, created.stdout + created.stderr
    assert "CHANGED" in created.stdout
    [task] = emulator.state()["tasks"]
    assert task["task_name"] == "adhoc-task"
    assert task["task_id"] in created.stdout

    again = ad_hoc(args)
    assert again.returncode == 0 and "SUCCESS" in again.stdout and '"changed": false' in again.stdout

    deleted = ad_hoc(dict(connector_id=emulator.connector_id, task_name="adhoc-task", state="absent"))
    assert deleted.returncode == 0 and "CHANGED" in deleted.stdout
    assert emulator.state()["tasks"] == []
