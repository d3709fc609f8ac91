# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared doc fragment documents exactly what the shared base implements."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.hwcloud.dms.plugins.doc_fragments.dms import ModuleDocFragment
from ansible_collections.hwcloud.dms.plugins.module_utils.dms_module import (
    CREDENTIAL_ENV_SOURCES,
    DMS_COMMON_ARGUMENT_SPEC,
    SETTING_SOURCES,
)


def test_the_doc_fragment_names_every_environment_variable():
    documented = set(re.findall(r"E\(([A-Z_]+)\)", ModuleDocFragment.DOCUMENTATION))
    implemented = set(name for family in CREDENTIAL_ENV_SOURCES for name in family if name)
    implemented.update(name for env_names, _file_key in SETTING_SOURCES.values() for name in env_names)
    implemented.add("HUAWEICLOUD_SDK_CREDENTIALS_FILE")
    assert documented == implemented


def test_the_doc_fragment_documents_every_shared_option():
    documented = set(re.findall(r"^  ([a-z_]+):$", ModuleDocFragment.DOCUMENTATION, re.MULTILINE))
    assert documented == set(DMS_COMMON_ARGUMENT_SPEC)
