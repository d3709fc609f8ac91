# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""kafka_smart_connect_task_info, run in process against the emulator: what it asks for before any request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def test_an_instance_id_left_out_fails_naming_it_before_any_request(dms):
    failed = dms.run("kafka_smart_connect_task_info", dict(task_name="dump-1"))
    assert failed["failed"] is True and failed["msg"] == "missing required arguments: instance_id"
    assert dms.requests() == []
