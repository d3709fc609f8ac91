# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Kafka instances: the connector their tasks live on, and enabling or disabling Smart Connect on them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.hwcloud.dms.plugins.module_utils import change as change_module
from ansible_collections.hwcloud.dms.plugins.module_utils.change import Change
from ansible_collections.hwcloud.dms.plugins.module_utils.errors import NoConnectorError, TaskError
from ansible_collections.hwcloud.dms.plugins.module_utils.waiting import RUNNING, is_transitional, poll

# Answered while the instance is busy with another change (Terraform retries on both).
INSTANCE_BUSY_CODES = ("DMS.00400026", "CBC.99003651")
# Where an instance busy with a connector change is going: Smart Connect on, or off.
HEADING = dict(EXTENDING=True, CONNECTOR_DELETING=False)
SMART_CONNECT_SPECIFICATIONS = ["100MB", "300MB", "600MB", "1200MB"]


def show_instance(client, project_id, instance_id):
    """The instance as the service shows it."""
    return client.request("GET", "/v2/%s/instances/%s" % (project_id, instance_id),
                          operation="read Kafka instance %s" % instance_id) or {}


def connector_id_of_instance(client, project_id, instance_id):
    """The dump connector id of a Kafka instance; ``NoConnectorError`` when it has none.

    Only ``connector_id`` counts: instances whose connector was enabled through Smart Connect
    may report ``connector_enable: false`` and still take dumping tasks on that connector.
    """
    connector_id = show_instance(client, project_id, instance_id).get("connector_id")
    if not connector_id:
        raise NoConnectorError(
            "Kafka instance %s has no dump connector: neither message dumping nor Smart Connect is enabled on it. "
            "Enable one of them first (DMS console: the instance's Dumping or Smart Connect page; or the DMS API's "
            "create connector call), then run again, or pass connector_id." % instance_id, instance_id)
    return connector_id


def smart_connect_on(instance):
    """Whether Smart Connect is on: the instance has a connector id.

    Newer flavours report ``connector_enable: false`` while they have a connector (Terraform, too,
    reads only ``connector_id``); ``connector_enable: true`` counts as well.
    """
    return bool(instance.get("connector_id")) or bool(instance.get("connector_enable"))


def smart_connect_facts(instance):
    """What the modules return about Smart Connect on ``instance``.

    An answer may leave the connector fields out: without Smart Connect that means no nodes, with it
    the number is not known (``None``, and not compared).
    """
    on = smart_connect_on(instance)
    return dict(connector_enable=on, connector_id=instance.get("connector_id") or None,
                node_count=instance.get("connector_node_num", None if on else 0), status=instance.get("status"))


def instance_is_busy(instance):
    """Whether the instance is in the middle of a change (``EXTENDING``, ``CONNECTOR_DELETING``, ...)."""
    return is_transitional(instance.get("status"))


class SmartConnectApi:
    """Enable and disable Smart Connect on one instance, exactly once, waiting for the instance."""

    def __init__(self, client, project_id, instance_id, clock=time.monotonic, sleep=time.sleep):
        self._client = client
        self._project_id = project_id
        self.instance_id = instance_id
        self._clock = clock
        self._sleep = sleep

    def instance(self):
        return show_instance(self._client, self._project_id, self.instance_id)

    def wait_until(self, enabled, timeout):
        """Poll the instance until it is ``RUNNING`` with Smart Connect ``enabled`` (``None``: either way).

        A read that still shows the old state (the service may show it before ``EXTENDING`` or
        ``CONNECTOR_DELETING`` appears) and transitional statuses are waited out; another final
        status fails at once naming it; so does ``timeout`` passing.
        """
        def settled(instance):
            status = instance.get("status")
            if status == RUNNING:
                return enabled is None or smart_connect_on(instance) == enabled
            if not is_transitional(status):
                raise TaskError("Kafka instance %s is in status %s, not RUNNING, and will not get there by waiting; "
                                "see the DMS console." % (self.instance_id, status))
            return False

        instance, done = poll(self.instance, settled, timeout, self._clock, self._sleep)
        if not done:
            goal = "RUNNING" if enabled is None else "RUNNING with Smart Connect %s" % (
                "enabled" if enabled else "disabled")
            raise TaskError("Kafka instance %s was not %s within wait_timeout %s seconds; last status %s."
                            % (self.instance_id, goal, int(round(timeout)), instance.get("status")))
        return instance

    def change(self, enable, body, timeout, attempts):
        """Send the enable (``body``) or disable call until Smart Connect is as wanted (``change.Change``);
        ``(changed, answer)``: whether this run's call did it (``False``: another run's change got there first), and
        its answer.

        While the instance is busy (``DMS.00400026``) the call waits for it to be ``RUNNING``, reads it again and is
        sent again only if still needed, pausing between sends, within ``timeout``. A call that got no answer, or a
        5xx, may have taken effect: the instance is read back (it may show the old state for a few reads) before the
        call is sent again, ``attempts`` in all; it took where Smart Connect is as wanted, or the instance is busy
        heading there (``EXTENDING`` for an enable, ``CONNECTOR_DELETING`` for a disable).
        """
        if enable:
            path = "/v2/%s/instances/%s/connector" % (self._project_id, self.instance_id)
        else:
            path = "/v2/%s/kafka/instances/%s/delete-connector" % (self._project_id, self.instance_id)
        operation = "%s Smart Connect on Kafka instance %s" % ("enable" if enable else "disable", self.instance_id)
        deadline = self._clock() + timeout

        def as_wanted(instance):
            on = smart_connect_on(instance)
            if instance_is_busy(instance):
                on = HEADING.get(instance.get("status"), on)
            return on == enable

        outcome = Change(
            # Disable documents no body, and one provider found an empty one refused: {} it is.
            send=lambda: self._client.request("POST", path, body=body, operation=operation) or {},
            read=self.instance, took=as_wanted, settle_seconds=change_module.LOST_ANSWER_SETTLE_SECONDS,
            busy=lambda error: error.error_code in INSTANCE_BUSY_CODES,
            wait_until_free=lambda: self.wait_until(None, max(deadline - self._clock(), 1)),
            deadline=deadline, clock=self._clock, sleep=self._sleep).send(attempts, self._client.pause_before_retry)
        return outcome.made, outcome.answer or {}
