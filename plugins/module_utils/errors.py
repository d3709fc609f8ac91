# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every error hwcloud.dms raises, under one base class, so that modules fail in one place.

Messages name the operation that failed first (``create sink task 'orders-to-obs' failed: ...``),
then what went wrong; they never carry a request body, which may hold secrets.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class DmsError(Exception):
    """Base of every hwcloud.dms error; ``operation`` names what was being done, once known."""

    def __init__(self, message, operation=None):
        super(DmsError, self).__init__(message)
        self.message = message
        self.operation = operation

    def detail(self):
        """What went wrong, without the operation."""
        return self.message

    def __str__(self):
        if self.operation:
            return "%s failed: %s" % (self.operation, self.detail())
        return self.detail()

    def as_dict(self):
        """The ``error`` value modules return, or ``None`` when the service did not answer one."""
        return None


class ConfigurationError(DmsError):
    """Settings are missing or unusable; raised before any request is sent."""


class DmsApiError(DmsError):
    """The service answered with an error status (after any retries: ``attempts`` says how many)."""

    def __init__(self, status, error_code, error_msg, request_id, retry_after=None):
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.request_id = request_id
        self.retry_after = retry_after
        self.attempts = 1
        super(DmsApiError, self).__init__(error_msg)

    def detail(self):
        return "DMS API error %s %s: %s (request id %s)" % (
            self.status, self.error_code, self.error_msg, self.request_id)

    @property
    def refused(self):
        """Whether the service looked at the request and said no (a 4xx other than the gateway's 429), as
        opposed to trouble on its side (5xx) or too many requests (429)."""
        return self.status < 500 and self.status != 429

    @property
    def unpublished(self):
        """Whether the API gateway answered that the path is not published (in this region, or not at all): the
        service never saw the request."""
        return self.status == 404 and self.error_code == "APIGW.0101"

    def as_dict(self):
        return dict(status=self.status, error_code=self.error_code,
                    error_msg=self.error_msg, request_id=self.request_id)


class DmsTransportError(DmsError):
    """No usable answer came back: connection, name resolution, TLS or timeout trouble."""

    def __init__(self, message, retryable=True):
        self.retryable = retryable
        self.attempts = 1
        super(DmsTransportError, self).__init__(message)

    def detail(self):
        if self.attempts == 1:
            return self.message
        return "%s (%s attempts)" % (self.message, self.attempts)


class TaskError(DmsError):
    """A task is not as the run needs it (a final status, a timeout, a race); ``task`` is that task."""

    def __init__(self, message, task=None, operation=None):
        super(TaskError, self).__init__(message, operation)
        self.task = task


class ReplaceError(DmsError):
    """The old task of a replacement was deleted and the new one was not created."""

    def __init__(self, old_task, cause):
        super(ReplaceError, self).__init__(
            "%s was deleted to be replaced, but the new task was not created: %s. Run again to create it."
            % (old_task, cause))
        self.cause = cause

    def as_dict(self):
        return self.cause.as_dict()


class NoConnectorError(DmsError):
    """The Kafka instance has no dump connector: dumping (or Smart Connect) is not enabled on it."""

    def __init__(self, message, instance_id, status=None):
        super(NoConnectorError, self).__init__(message)
        self.instance_id = instance_id
        # The instance's status: one ending in ING says it is in the middle of a change.
        self.status = status


class EffectUnknown(DmsError):
    """A change got no answer (or a 5xx), and the read that would tell whether it took failed too: it may have been
    made, so the run reports ``changed`` (``maybe_changed``) rather than claim that nothing changed."""

    maybe_changed = True

    def __init__(self, failure, read_error):
        super(EffectUnknown, self).__init__(
            "%s; the read that would tell whether it took failed too (%s), so it may have been made: run again to "
            "see." % (failure, read_error))
        self.failure = failure

    def as_dict(self):
        return self.failure.as_dict()
