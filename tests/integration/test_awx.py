# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""AWX / Automation Platform: the credential type injects what the modules read, and a job run the
way AWX runs it (ansible-runner, private data directory) works and leaks no secret into its events."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import shutil
import sys
from pathlib import Path

import jinja2
import pytest
import yaml

from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import CREDENTIAL_ENV_SOURCES, SETTING_SOURCES

REPO = Path(__file__).resolve().parents[2]
CREDENTIAL_TYPE = yaml.safe_load((REPO / "docs" / "awx" / "credential_type.yml").read_text())
OBS_SECRET = "AwxJobObsSecretKey000001"


def injected_env(inputs):
    """The variables AWX injects for a credential with these inputs (AWX renders injectors with Jinja2)."""
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return dict((name, environment.from_string(template).render(**inputs))
                for name, template in CREDENTIAL_TYPE["injectors"]["env"].items())


def collections_path():
    """Where the job finds hwcloud.dms: the path the tests run with, else the tree the collection is imported from."""
    from ansible_collections.hwcloud.dms.plugins.module_utils import dms_module

    return os.environ.get("ANSIBLE_COLLECTIONS_PATH") or str(Path(os.path.abspath(dms_module.__file__)).parents[5])


def test_every_injected_variable_is_one_the_modules_read():
    read = set(name for family in CREDENTIAL_ENV_SOURCES for name in family if name)
    read.update(name for env_names, _file_key in SETTING_SOURCES.values() for name in env_names)
    injected_names = set(CREDENTIAL_TYPE["injectors"]["env"])
    assert injected_names <= read
    assert {"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"} <= injected_names


def test_keys_and_token_are_injected_as_one_family():
    # The modules never combine an access key with a secret key or token from another family.
    family = next(names for names in CREDENTIAL_ENV_SOURCES if names[0] == "HUAWEICLOUD_SDK_AK")
    env = CREDENTIAL_TYPE["injectors"]["env"]
    credential_names = set(name for names in CREDENTIAL_ENV_SOURCES for name in names if name) & set(env)
    assert credential_names == set(family)
    assert env[family[0]] == "{{ access_key }}" and env[family[1]] == "{{ secret_key }}"


def test_secret_inputs_are_marked_secret():
    fields = dict((field["id"], field) for field in CREDENTIAL_TYPE["inputs"]["fields"])
    assert fields["secret_key"].get("secret") is True
    assert fields["security_token"].get("secret") is True
    assert not fields["access_key"].get("secret")
    assert set(CREDENTIAL_TYPE["inputs"]["required"]) == {"access_key", "secret_key"}


def test_a_job_run_as_awx_runs_it(emulator, tmp_path):
    ansible_runner = pytest.importorskip("ansible_runner")
    emulator.reset()
    private = tmp_path / "job"
    (private / "project").mkdir(parents=True)
    (private / "env").mkdir()
    shutil.copy(REPO / "examples" / "demo.yml", private / "project" / "demo.yml")
    # What the credential injects (empty optional inputs render as ''), plus what the EE provides.
    inputs = dict(access_key=emulator.access_key, secret_key=emulator.secret_key, project_id=emulator.project_id)
    envvars = injected_env(inputs)
    assert envvars["HUAWEICLOUD_SDK_SECURITY_TOKEN"] == ""  # an unset optional input renders empty
    envvars.update(HUAWEICLOUD_DMS_ENDPOINT=emulator.url, HUAWEICLOUD_SDK_CREDENTIALS_FILE=os.devnull,
                   ANSIBLE_COLLECTIONS_PATH=collections_path(),
                   ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    (private / "env" / "envvars").write_text(yaml.safe_dump(envvars))
    (private / "env" / "extravars").write_text(yaml.safe_dump({"demo_obs_secret_key": OBS_SECRET}))

    run = ansible_runner.run(private_data_dir=str(private), playbook="demo.yml",
                             inventory="localhost ansible_connection=local", quiet=True)

    assert run.status == "successful" and run.rc == 0
    module_results = [event["event_data"]["res"] for event in run.events
                      if event["event"] == "runner_on_ok"
                      and event["event_data"].get("task_action") == "hwcloud.dms.kafka_sink_task"]
    assert [result["changed"] for result in module_results] == [True, False, True]
    assert all(result.get("task_id") for result in module_results)
    assert len(set(result["task_id"] for result in module_results)) == 1
    assert emulator.state()["tasks"] == []
    # Runner's own record of its input (artifacts/*/env, command) holds the credentials AWX handed it;
    # what the job produced is the events and stdout, and no secret may be there.
    produced = [path for path in glob.glob(str(private / "artifacts" / "*" / "job_events" / "**"), recursive=True)
                if os.path.isfile(path)]
    produced += glob.glob(str(private / "artifacts" / "*" / "stdout"))
    assert len(produced) > 10
    text = "\n".join(Path(path).read_text() for path in produced)
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in text  # the events do carry the module arguments
    for secret in (emulator.secret_key, OBS_SECRET):
        assert secret not in text
