# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Faults, races, TLS and secrets, through the ansible command line against the emulator.

Each case asserts what the user sees (rc, changed, task_id, msg) and what the service ended
with (tasks, request log), never wall time.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

from emulator import STS_ACCESS_KEY, STS_SECRET_KEY, STS_SECURITY_TOKEN, Emulator
from test_targets import ansible_env

OBS_SECRET = "ObsSecretKeyForFaultTests01"
BIN = os.path.dirname(sys.executable)


def task_args(emulator, name="fault-task", **overrides):
    args = dict(connector_id=emulator.connector_id, task_name=name, obs_destination_descriptor=dict(
        topics=["orders"], access_key="OBSACCESSKEY00000001", secret_key=OBS_SECRET,
        obs_bucket_name="bucket", partition_format="yyyy/MM/dd", deliver_time_interval=60))
    args.update(overrides)
    return args


def run_module(emulator, args, module="hwcloud.dms.kafka_sink_task", verbosity=0, check_mode=False, **env):
    """Run one module ad hoc; return (rc, result, everything printed)."""
    command = [os.path.join(BIN, "ansible"), "localhost", "-i", "localhost,", "-c", "local", "-m", module,
               "-a", json.dumps(args)] + (["--check"] if check_mode else [])
    if verbosity:
        command.append("-" + "v" * verbosity)
    completed = subprocess.run(command, env=ansible_env(emulator, **env), capture_output=True, text=True, timeout=300,
                               check=False)
    output = completed.stdout + completed.stderr
    marker = completed.stdout.find(" => {")
    result = json.loads(completed.stdout[marker + 4:]) if marker >= 0 and verbosity == 0 else None
    return completed.returncode, result, output


def api_requests(emulator, method=None):
    return [entry for entry in emulator.requests() if method is None or entry["method"] == method]


@pytest.fixture
def clean(emulator):
    emulator.reset()
    return emulator


@pytest.mark.parametrize("fault, methods", [
    # list, POST 503, list (absent), POST 503, list (absent), POST 200, show
    (dict(post_503=2), ["GET", "POST", "GET", "POST", "GET", "POST", "GET"]),
    # list, POST that created but never answered, list finds the task, show: no second POST
    (dict(post_drop_after_create=1), ["GET", "POST", "GET", "GET"]),
])
def test_a_create_is_looked_up_before_it_is_sent_again(clean, fault, methods):
    clean.set_faults(**fault)
    rc, result, output = run_module(clean, task_args(clean))
    assert rc == 0, output
    [task] = clean.state()["tasks"]
    assert result["changed"] is True and result["task_id"] == task["task_id"]
    assert [entry["method"] for entry in api_requests(clean)] == methods


def test_reads_answered_429_are_retried(clean):
    clean.set_faults(read_429=2)
    rc, result, output = run_module(clean, task_args(clean))
    assert rc == 0, output
    assert [entry["status"] for entry in api_requests(clean)][:3] == [429, 429, 200]
    assert len(clean.state()["tasks"]) == 1 and result["changed"] is True


@pytest.mark.parametrize("fault, statuses", [
    ("delete_drop_after_delete", [None, 404]),  # the first attempt deleted it: the retry's 404 is still a change
    ("delete_503", [503, 204]),
])
def test_a_retried_delete_is_a_change(clean, fault, statuses):
    run_module(clean, task_args(clean))
    clean.set_faults(**{fault: 1})
    rc, result, output = run_module(clean, task_args(clean, state="absent"))
    assert rc == 0, output
    assert result["changed"] is True and clean.state()["tasks"] == []
    assert [entry["status"] for entry in api_requests(clean, "DELETE")] == statuses


def test_a_hung_service_fails_after_retries_plus_one_attempts(clean):
    clean.set_faults(delay_seconds=2)
    rc, result, output = run_module(clean, task_args(clean, timeout=1, retries=2))
    assert rc != 0
    assert "did not answer GET" in result["msg"] and "in 1 seconds" in result["msg"]
    assert len(api_requests(clean)) == 3
    assert clean.state()["tasks"] == []


@pytest.mark.parametrize("fault, status", [("forbidden", 403), ("read_503", 503), ("read_429", 429)])
def test_service_errors_after_retries_report_status_code_message_and_request_id(clean, fault, status):
    clean.set_faults(**{fault: 10})
    rc, result, output = run_module(clean, task_args(clean, retries=1))
    assert rc != 0 and "Traceback" not in output
    last = api_requests(clean)[-1]
    assert result["error"]["status"] == status
    assert result["error"]["request_id"] == last["request_id"]
    assert result["msg"] == "list the sink tasks of connector %s failed: DMS API error %s %s: %s (request id %s)" % (
        clean.connector_id, status, result["error"]["error_code"], result["error"]["error_msg"], last["request_id"])
    assert len(api_requests(clean)) == (1 if status == 403 else 2)


@pytest.mark.parametrize("recreate", ["never", "on_change"])
def test_losing_a_race_to_a_task_with_other_settings_is_a_mismatch(clean, recreate):
    clean.set_faults(post_hold_seconds=3)  # long enough for both runs to list before either commits
    runs = []
    for interval in (60, 90):
        # Even with on_change, the loser does not replace the winner's task: the two would never settle.
        args = task_args(clean, recreate=recreate, obs_destination_descriptor=dict(
            task_args(clean)["obs_destination_descriptor"], deliver_time_interval=interval))
        command = [os.path.join(BIN, "ansible"), "localhost", "-c", "local", "-m", "hwcloud.dms.kafka_sink_task",
                   "-a", json.dumps(args)]
        runs.append(subprocess.Popen(command, env=ansible_env(clean), stdout=subprocess.PIPE, text=True))
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    [task] = clean.state()["tasks"]
    winner = [output for output in outputs if "CHANGED" in output]
    loser = [output for output in outputs if "FAILED" in output]
    assert len(winner) == 1 and len(loser) == 1, outputs
    assert task["task_id"] in winner[0] and task["task_id"] in loser[0]
    assert "deliver_time_interval: task has" in loser[0]
    assert len(api_requests(clean, "POST")) == 2
    assert api_requests(clean, "DELETE") == []


def test_a_400_without_such_a_task_is_reported_as_it_came(clean):
    clean.set_faults(post_400=1)
    rc, result, output = run_module(clean, task_args(clean))
    assert rc != 0
    assert result["error"]["status"] == 400 and result["error"]["error_code"] == "DMS.00400002"
    assert result["msg"].startswith("create sink task 'fault-task' failed: DMS API error 400 DMS.00400002: ")
    assert [entry["method"] for entry in api_requests(clean)] == ["GET", "POST", "GET"]
    assert OBS_SECRET not in output


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_full_quota_fails_before_any_post_naming_quota_tasks(clean, check_mode):
    clean.reset(quota_tasks=1)
    assert run_module(clean, task_args(clean, task_name="first"))[0] == 0
    rc, result, output = run_module(clean, task_args(clean, task_name="second"), check_mode=check_mode)
    assert rc != 0 and "Traceback" not in output
    assert result["msg"].startswith("create sink task 'second' failed: the connector's task quota is full: "
                                    "quota_tasks is 1 and it has 1 tasks (max_tasks 500).")
    assert result["changed"] is False and result["task_id"] is None
    assert [entry["method"] for entry in api_requests(clean)][-1:] == ["GET"]
    assert len(api_requests(clean, "POST")) == 1
    # The task that exists is still found and left alone: the quota only stops new ones.
    assert run_module(clean, task_args(clean, task_name="first"))[0] == 0


def test_a_replacement_whose_create_fails_says_the_old_task_is_gone(clean):
    rc, first, output = run_module(clean, task_args(clean))
    assert rc == 0, output
    clean.set_faults(post_503=1)
    changed_args = task_args(clean, recreate="on_change", retries=0, obs_destination_descriptor=dict(
        task_args(clean)["obs_destination_descriptor"], deliver_time_interval=90))
    rc, result, output = run_module(clean, changed_args)
    assert rc != 0
    assert "FAILED!" in output and result["changed"] is True
    assert result["task_id"] == first["task_id"]
    assert result["msg"].startswith("Sink task 'fault-task' (id %s) was deleted to be replaced, but the new task "
                                    "was not created: create sink task 'fault-task' failed: DMS API error 503 "
                                    % first["task_id"])
    assert result["msg"].endswith("Run again to create it.")
    assert result["error"]["status"] == 503
    assert clean.state()["tasks"] == []
    rc, rerun, output = run_module(clean, changed_args)
    assert rc == 0 and rerun["changed"] is True and len(clean.state()["tasks"]) == 1


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
          secret_key: ObsSecretKeyForFaultTests01
          obs_bucket_name: bucket
          partition_format: yyyy
          deliver_time_interval: 60
      register: created
    - name: Keep the outcome
      ansible.builtin.debug:
        msg: "RESULT {{ inventory_hostname }} {{ created.changed }} {{ created.task_id }}"
"""


@pytest.mark.parametrize("same_name", [True, False], ids=["one name", "twelve names"])
def test_twelve_parallel_hosts(clean, tmp_path, same_name):
    clean.set_faults(post_hold_seconds=1)
    inventory = tmp_path / "hosts"
    names = ["parallel" if same_name else "parallel-%02d" % number for number in range(1, 13)]
    inventory.write_text("[all]\n" + "".join("host%02d ansible_connection=local task_name=%s\n" % (number, name)
                                             for number, name in enumerate(names, 1)))
    playbook = tmp_path / "parallel.yml"
    playbook.write_text(PARALLEL_PLAYBOOK)
    completed = subprocess.run(
        [os.path.join(BIN, "ansible-playbook"), "-i", str(inventory), "-f", "12", "-e",
         "connector_id=" + clean.connector_id, str(playbook)],
        env=ansible_env(clean), capture_output=True, text=True, timeout=600, check=False)
    assert completed.returncode == 0, completed.stdout[-4000:]
    assert "failed=0" in completed.stdout and "failed=1" not in completed.stdout
    outcomes = [line.split("RESULT ")[1].strip('", ').split() for line in completed.stdout.splitlines()
                if '"msg": "RESULT ' in line]
    tasks = clean.state()["tasks"]
    assert len(outcomes) == 12
    if same_name:
        [task] = tasks
        assert set(task_id for _host, _changed, task_id in outcomes) == {task["task_id"]}
        assert [changed for _host, changed, _task_id in outcomes].count("True") == 1
    else:
        assert len(tasks) == 12
        assert sorted(task["task_name"] for task in tasks) == ["parallel-%02d" % n for n in range(1, 13)]


@pytest.fixture(scope="module")
def tls_emulator():
    with Emulator(tls=True) as running:
        yield running


def test_tls_untrusted_certificate_is_refused_with_a_certificate_message(tls_emulator):
    tls_emulator.reset()
    rc, result, output = run_module(tls_emulator, task_args(tls_emulator))
    assert rc != 0 and "TLS certificate problem" in result["msg"] and "ca_path" in result["msg"]
    assert tls_emulator.state()["tasks"] == []


def test_tls_with_ca_path_succeeds(tls_emulator):
    tls_emulator.reset()
    rc, result, output = run_module(tls_emulator, task_args(tls_emulator, ca_path=tls_emulator.ca_path))
    assert rc == 0 and result["changed"] is True, output
    assert "validate_certs" not in output


def test_tls_without_validation_succeeds_and_warns(tls_emulator):
    tls_emulator.reset()
    rc, result, output = run_module(tls_emulator, task_args(tls_emulator, validate_certs=False))
    assert rc == 0 and result["changed"] is True, output
    assert "[WARNING]: validate_certs is false" in output


def test_secrets_never_appear_at_vvvv_on_any_path(emulator, tls_emulator, tmp_path):
    """Run success and failure paths at -vvvv; no secret value may appear anywhere in the output."""
    secrets = [emulator.secret_key, STS_SECRET_KEY, STS_SECURITY_TOKEN, OBS_SECRET, "WrongSecretKeyNeverShown"]
    sts_env = dict(HUAWEICLOUD_SDK_AK=STS_ACCESS_KEY, HUAWEICLOUD_SDK_SK=STS_SECRET_KEY,
                   HUAWEICLOUD_SDK_SECURITY_TOKEN=STS_SECURITY_TOKEN)
    credentials_file = tmp_path / "credentials"
    credentials_file.write_text("[basic]\nak = %s\nsk = %s\n" % (emulator.access_key, emulator.secret_key))
    file_env = dict(HUAWEICLOUD_SDK_AK="", HUAWEICLOUD_SDK_SK="",
                    HUAWEICLOUD_SDK_CREDENTIALS_FILE=str(credentials_file))
    outputs = []

    def run(target, args, faults=None, expect_rc=None, **env):
        target.reset()
        if faults:
            target.set_faults(**faults)
        rc, _result, output = run_module(target, args, verbosity=4, **env)
        if expect_rc is not None:
            assert (rc == 0) == (expect_rc == 0), output[-3000:]
        outputs.append(output)

    run(emulator, task_args(emulator), expect_rc=0)                                  # success, env credentials
    run(emulator, task_args(emulator), expect_rc=0, **sts_env)                       # success, security token
    run(emulator, task_args(emulator), expect_rc=0, **file_env)                      # success, credentials file
    run(emulator, task_args(emulator, diff=None), expect_rc=1,
        HUAWEICLOUD_SDK_SK="WrongSecretKeyNeverShown")                               # bad input (unknown option)
    run(emulator, task_args(emulator), expect_rc=1, HUAWEICLOUD_SDK_SK="WrongSecretKeyNeverShown")  # 401
    run(emulator, task_args(emulator, retries=0), {"post_503": 5}, expect_rc=1)     # 5xx
    run(emulator, task_args(emulator, obs_destination_descriptor=dict(
        task_args(emulator)["obs_destination_descriptor"], deliver_time_interval=5)), expect_rc=1)  # bad input
    emulator.reset(quota_tasks=0)
    rc, _result, output = run_module(emulator, task_args(emulator), verbosity=4)     # 400 from the service
    assert rc != 0
    outputs.append(output)
    run(emulator, task_args(emulator, timeout=1, retries=0), {"delay_seconds": 2}, expect_rc=1)  # timeout
    run(tls_emulator, task_args(tls_emulator), expect_rc=1)                         # TLS failure
    text = "\n".join(outputs)
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in text  # -vvvv did print the module arguments
    for secret in secrets:
        assert secret not in text, secret


def test_topics_as_users_write_them_and_nulls_that_mean_the_default(clean):
    descriptor = dict(task_args(clean)["obs_destination_descriptor"], topics=" orders , refunds,orders",
                      record_delimiter=None, consumer_strategy=None, destination_file_type=None)
    rc, result, output = run_module(clean, task_args(clean, obs_destination_descriptor=descriptor, wait=None))
    assert rc == 0, output
    [post] = api_requests(clean, "POST")
    sent = json.loads(post["body"])["obs_destination_descriptor"]
    assert (sent["topics"], sent["record_delimiter"], sent["consumer_strategy"], sent["destination_file_type"]) == (
        "orders,refunds", "\n", "latest", "TEXT")
    rc, rerun, output = run_module(clean, task_args(clean, obs_destination_descriptor=dict(
        descriptor, topics=["refunds", "orders "])))
    assert rc == 0 and rerun["changed"] is False and rerun["task_id"] == result["task_id"]


@pytest.mark.parametrize("topics, named", [("orders, bad name", "'bad name'"), ("orders,,refunds", "''"),
                                           (["orders", "caf\u00e9"], "'caf\u00e9'")])
def test_topic_names_kafka_refuses_fail_before_any_request(clean, topics, named):
    descriptor = dict(task_args(clean)["obs_destination_descriptor"], topics=topics)
    rc, result, output = run_module(clean, task_args(clean, obs_destination_descriptor=descriptor))
    assert rc != 0 and "obs_destination_descriptor.topics entry %s is not a Kafka topic name" % named in result["msg"]
    assert api_requests(clean) == []


def test_a_token_option_with_keys_from_the_environment_fails_before_any_request(clean):
    rc, result, output = run_module(clean, task_args(clean, security_token="OptionTokenNeverShown01"))
    assert rc != 0
    assert result["msg"].startswith("security_token is set in the module options, but access_key and secret_key")
    assert api_requests(clean) == [] and "OptionTokenNeverShown01" not in output


def test_an_endpoint_that_does_not_resolve_fails_once_saying_what_to_check(clean):
    rc, result, output = run_module(clean, task_args(clean), HUAWEICLOUD_DMS_ENDPOINT="https://dms.xx-nowhere-1.invalid")
    assert rc != 0 and "Traceback" not in output
    assert result["msg"].startswith("list the sink tasks of connector %s failed: The host name of GET "
                                    "https://dms.xx-nowhere-1.invalid/" % clean.connector_id)
    assert "Check region and endpoint" in result["msg"] and "attempts" not in result["msg"]
