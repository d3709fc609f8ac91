# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What ansible-doc shows of every module: readable choices and defaults, attributes from one fragment."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
from pathlib import Path

import pytest
import yaml

# Every module of the collection: a list written out by hand left out the newest, whose documentation then broke
# unseen by this file.
MODULES = sorted(path.stem for path in (Path(__file__).resolve().parents[4] / "plugins" / "modules").glob("*.py"))


def documentation(module):
    return yaml.safe_load(importlib.import_module("ansible_collections.hwcloud.dms.plugins.modules." + module)
                          .DOCUMENTATION)


def every_option(options, prefix=""):
    for name, option in (options or {}).items():
        yield prefix + name, option
        yield from every_option(option.get("suboptions"), prefix + name + ".")


@pytest.mark.parametrize("module", MODULES)
def test_no_choice_or_default_breaks_a_line_of_ansible_doc(module):
    for name, option in every_option(documentation(module)["options"]):
        shown = [option.get("default")] + list(option.get("choices") or [])
        assert not [value for value in shown if isinstance(value, str) and "\n" in value], name


@pytest.mark.parametrize("module", MODULES)
def test_attributes_come_from_the_shared_fragment(module):
    doc = documentation(module)
    fragment = "hwcloud.dms.attributes.info_module" if module.endswith("_info") else "hwcloud.dms.attributes"
    assert fragment in doc["extends_documentation_fragment"]
    assert set(doc.get("attributes") or {}) <= {"diff_mode"}  # only a module's own details
