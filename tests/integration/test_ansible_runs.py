# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What only real Ansible runs can show: parallel hosts (forks) on one connector, and that no secret
reaches the output at -vvvv on any path. Each decision behind them is tested in process in
tests/unit/plugins/modules; these assert what the user sees and what the service ended with."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import concurrent.futures
import contextlib
import os
import subprocess

import pytest

from emulator import STS_ACCESS_KEY, STS_SECRET_KEY, STS_SECURITY_TOKEN, Emulator
from harness import BIN, ModuleRunner, ansible_env, run_ad_hoc

OBS_SECRET = ModuleRunner.OBS_SECRET

PARALLEL_PLAYBOOK = """
- hosts: all
  gather_facts: false
  tasks:
    - name: Create the task
      hwcloud.dms.kafka_sink_task:
        connector_id: "{{ connector_id }}"
        task_name: "{{ task_name }}"
        obs_destination_descriptor:
          topics: [orders]
          access_key: OBSACCESSKEY00000001
          secret_key: %s
          obs_bucket_name: bucket
          partition_format: yyyy
          deliver_time_interval: 60
      register: created
    - name: Keep the outcome
      ansible.builtin.debug:
        msg: "RESULT {{ task_name }} {{ created.changed }} {{ created.task_id }}"
""" % OBS_SECRET


def test_twelve_parallel_hosts_six_on_one_name_six_on_their_own(emulator, tmp_path):
    emulator.reset(faults=[dict(method="POST", hold=1, count=None)])  # the creates overlap
    names = ["shared"] * 6 + ["own-%02d" % number for number in range(1, 7)]
    inventory = tmp_path / "hosts"
    inventory.write_text("[all]\n" + "".join("host%02d ansible_connection=local task_name=%s\n" % (number, name)
                                             for number, name in enumerate(names, 1)))
    playbook = tmp_path / "parallel.yml"
    playbook.write_text(PARALLEL_PLAYBOOK)
    completed = subprocess.run(
        [os.path.join(BIN, "ansible-playbook"), "-i", str(inventory), "-f", "12", "-e",
         "connector_id=" + emulator.connector_id, str(playbook)],
        env=ansible_env(emulator), capture_output=True, text=True, timeout=600, check=False)
    assert completed.returncode == 0, completed.stdout[-4000:]
    assert "failed=0" in completed.stdout and "failed=1" not in completed.stdout
    outcomes = [line.split("RESULT ")[1].strip('", ').split() for line in completed.stdout.splitlines()
                if '"msg": "RESULT ' in line]
    tasks = dict((task["task_name"], task["task_id"]) for task in emulator.state()["tasks"])
    assert len(outcomes) == 12 and sorted(tasks) == ["own-%02d" % number for number in range(1, 7)] + ["shared"]
    shared = [(changed, task_id) for name, changed, task_id in outcomes if name == "shared"]
    assert set(task_id for _changed, task_id in shared) == {tasks["shared"]}
    assert [changed for changed, _task_id in shared].count("True") == 1  # one host made it, five found it
    assert len(emulator.requests()) >= 12 * 2 and OBS_SECRET not in completed.stdout


@pytest.fixture(scope="module")
def tls_emulator():
    with Emulator(tls=True) as running:
        yield running


def test_secrets_never_appear_at_vvvv_on_any_path(emulator, tls_emulator, tmp_path):
    """Run success and failure paths at -vvvv; no secret value may appear anywhere in the output."""
    runner = ModuleRunner(emulator)
    secrets = [emulator.secret_key, STS_SECRET_KEY, STS_SECURITY_TOKEN, OBS_SECRET, "WrongSecretKeyNeverShown"]
    sts_env = dict(HUAWEICLOUD_SDK_AK=STS_ACCESS_KEY, HUAWEICLOUD_SDK_SK=STS_SECRET_KEY,
                   HUAWEICLOUD_SDK_SECURITY_TOKEN=STS_SECURITY_TOKEN)
    credentials_file = tmp_path / "credentials"
    credentials_file.write_text("[basic]\nak = %s\nsk = %s\n" % (emulator.access_key, emulator.secret_key))
    file_env = dict(HUAWEICLOUD_SDK_AK="", HUAWEICLOUD_SDK_SK="", HUAWEICLOUD_SDK_CREDENTIALS_FILE=str(credentials_file))
    wrong_env = dict(HUAWEICLOUD_SDK_SK="WrongSecretKeyNeverShown")
    bad_interval = runner.task_args(descriptor=dict(deliver_time_interval=5))
    paths = [  # (emulator, arguments, fault rule, environment, succeeds)
        (emulator, runner.task_args(), None, {}, True),                                  # env credentials
        (emulator, runner.task_args(), None, sts_env, True),                             # security token
        (emulator, runner.task_args(), None, file_env, True),                            # credentials file
        (emulator, runner.task_args(diff=None), None, wrong_env, False),                 # unknown option
        (emulator, runner.task_args(), None, wrong_env, False),                          # 401
        (emulator, runner.task_args(retries=0), dict(method="POST", status=503), {}, False),   # 5xx
        (emulator, bad_interval, None, {}, False),                                       # bad input
        (emulator, runner.task_args(), dict(method="POST", status=400), {}, False),      # 400 from the service
        (emulator, runner.task_args(timeout=1, retries=0), dict(delay=2, count=None), {}, False),  # timeout
        (tls_emulator, runner.task_args(connector_id=tls_emulator.connector_id), None, {}, False),  # TLS
    ]
    with contextlib.ExitStack() as stack:
        # Each path on an emulator of its own, so that the runs go in parallel, faults and all.
        emulators = [target if target.tls else stack.enter_context(Emulator()) for target, *_rest in paths]
        for target, (_target, _args, fault, _env, _succeeds) in zip(emulators, paths):
            target.reset(faults=[fault] if fault else [])
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            runs = list(pool.map(lambda target, path: run_ad_hoc(target, path[1], verbosity=4, **path[3]),
                                 emulators, paths))
    for (rc, _result, output), (_target, _args, _fault, _env, succeeds) in zip(runs, paths):
        assert (rc == 0) is succeeds, output[-3000:]
    text = "\n".join(output for _rc, _result, output in runs)
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in text  # -vvvv did print the module arguments
    for secret in secrets:
        assert secret not in text, secret


MODULE_DEFAULTS_PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/hwcloud.dms.dms:
      instance_id: "%(instance_id)s"
  tasks:
    - name: A dumping task on its connector, with the group's instance_id beside it
      hwcloud.dms.kafka_sink_task:
        connector_id: "%(connector_id)s"
        task_name: defaults-recipe
        obs_destination_descriptor:
          topics: [orders]
          access_key: OBSACCESSKEY00000001
          secret_key: %(secret)s
          obs_bucket_name: bucket
          partition_format: yyyy
          deliver_time_interval: 60
    - name: A Smart Connect module takes the group's instance_id
      hwcloud.dms.kafka_smart_connect_task_info: {}
"""


def test_the_readmes_module_defaults_recipe_runs(emulator, tmp_path):
    """1.5.1: instance_id in group/hwcloud.dms.dms and connector_id on a dumping task failed as "mutually exclusive";
    the more specific connector_id is the one meant, and the instance is not read for it."""
    emulator.reset()
    playbook = tmp_path / "defaults.yml"
    playbook.write_text(MODULE_DEFAULTS_PLAYBOOK % dict(instance_id=emulator.instance_id,
                                                        connector_id=emulator.connector_id, secret=OBS_SECRET))
    completed = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", "-c", "local",
                                str(playbook)], env=ansible_env(emulator), capture_output=True, text=True,
                               timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    assert "changed=1 " in completed.stdout and OBS_SECRET not in completed.stdout
    paths = [entry["path"] for entry in emulator.requests() if entry["method"] == "GET"]
    assert not any(path.endswith("/instances/%s" % emulator.instance_id) for path in paths)
