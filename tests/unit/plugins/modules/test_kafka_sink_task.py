# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""kafka_sink_task: the checks made before any request. Behaviour against the service is in
tests/integration (the module runs there as users run it)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.hwcloud.dms.plugins.modules.kafka_sink_task import argument_spec, input_problems

DESCRIPTOR = dict(topics=["a"], topics_regex=None, consumer_strategy="latest", destination_file_type="TEXT",
                  access_key="AK", secret_key="SK", obs_bucket_name="b", obs_path=None, partition_format="yyyy",
                  record_delimiter="\n", deliver_time_interval=60)


def params(**given):
    values = dict(connector_id="c-1", instance_id=None, task_name="t", state="present", wait_timeout=300,
                  obs_destination_descriptor=dict(DESCRIPTOR))
    values.update(given)
    return values


def test_valid_input_has_no_problems():
    assert input_problems(params()) == []
    assert input_problems(params(state="absent", obs_destination_descriptor=None)) == []


@pytest.mark.parametrize("given, named", [
    (dict(obs_destination_descriptor=None), "obs_destination_descriptor is required"),
    (dict(task_name=" "), "task_name"),
    (dict(wait_timeout=0), "wait_timeout"),
    (dict(connector_id="../x"), "connector_id"),
    (dict(obs_destination_descriptor=dict(DESCRIPTOR, deliver_time_interval=1000)), "deliver_time_interval"),
])
def test_each_problem_names_its_option(given, named):
    problems = input_problems(params(**given))
    assert len(problems) == 1 and named in problems[0]


def test_secrets_are_no_log_and_access_keys_are_a_stated_decision():
    spec = argument_spec()
    descriptor = spec["obs_destination_descriptor"]["options"]
    assert descriptor["secret_key"]["no_log"] is True
    assert descriptor["access_key"]["no_log"] is False
