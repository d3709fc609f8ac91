# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Smart Connect task settings are documented the same for one task and for each entry of a set."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import yaml

from ansible_collections.hwcloud.dms.plugins.doc_fragments.smart_connect_task import ModuleDocFragment
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task import SINK_TASK_SPEC, SOURCE_TASK_SPEC


def with_tasks_prefix(value):
    """``value`` with every option reference made one to the same option of an entry of O(tasks)."""
    if isinstance(value, dict):
        return dict((key, with_tasks_prefix(item)) for key, item in value.items())
    if isinstance(value, list):
        return [with_tasks_prefix(item) for item in value]
    return value.replace("O(", "O(tasks[].") if isinstance(value, str) else value


def test_the_entries_of_a_set_are_documented_as_one_task_is():
    single = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    entry = yaml.safe_load(ModuleDocFragment.TASKS)["options"]["tasks"]["suboptions"]
    assert list(entry)[:2] == ["task_name", "state"]
    assert dict((name, entry[name]) for name in list(entry)[2:]) == with_tasks_prefix(single)


def test_the_sides_document_every_option_they_take():
    single = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert set(single["sink_task"]["suboptions"]) == set(SINK_TASK_SPEC)
    assert set(single["source_task"]["suboptions"]) == set(SOURCE_TASK_SPEC)
