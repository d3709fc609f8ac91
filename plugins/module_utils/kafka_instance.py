# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Kafka instances: what the modules read of them (the connector their tasks live on)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hwcloud.dms.plugins.module_utils.errors import NoConnectorError


def connector_id_of_instance(client, project_id, instance_id):
    """The dump connector id of a Kafka instance; ``NoConnectorError`` when it has none.

    Only ``connector_id`` counts: instances whose connector was enabled through Smart Connect
    report ``connector_enable: false`` and still take dumping tasks on that connector.
    """
    instance = client.request("GET", "/v2/%s/instances/%s" % (project_id, instance_id),
                              operation="read Kafka instance %s" % instance_id) or {}
    connector_id = instance.get("connector_id")
    if not connector_id:
        raise NoConnectorError(
            "Kafka instance %s has no dump connector: neither message dumping nor Smart Connect is enabled on it. "
            "Enable one of them first (DMS console: the instance's Dumping or Smart Connect page; or the DMS API's "
            "create connector call), then run again, or pass connector_id." % instance_id, instance_id)
    return connector_id
