# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The unit tests leave nothing in the work tree: Hypothesis keeps its files in a temporary directory."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import tempfile

# Read by Hypothesis when it is first imported, which the test modules do after this file.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "hwcloud-dms-hypothesis"))
