# -*- coding: utf-8 -*-
# Copyright (c) 2026, hwcloud.dms contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One model of every task setting: how it is sent, whether the service echoes it, its API default, and what
counts as the same. Request bodies, comparisons and diffs of both task families come from it, and nothing else
decides these things.

A model is an ordered mapping of option name to ``Field``. An option the user did not set is never compared
(one with a ``sent_default`` is sent as that default on create); a field the service's answer leaves out has
the value the user wanted whenever that value is the field's empty one or its API default (terse answers leave
both out), else the default; a write-only field (a secret) is sent and never compared; a field that may not be
echoed at all is compared only when the answer carries it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# Whether the service writes a field back.
ECHOED = "always"  # in its answers, though a terse answer may leave it out when it is empty or the default
MAYBE_ECHOED = "maybe"  # in no answer model: compared only when an answer carries it
WRITE_ONLY = "never"  # a secret: sent, never returned, never compared

# The kinds of value, each with its wire form and its normal form.
TEXT = "text"  # "" and absent are the same
NUMBER = "number"  # a string of digits is the number
FLAG = "flag"  # absent is false
LIST = "list"  # a list in the options, comma-joined on the wire; compared as a set, spaces dropped
DELIMITER = "delimiter"  # a record delimiter: "\\n" (as the reference pages write it) is a newline; "" is none

# Record delimiters as the reference pages write them.
ESCAPED_DELIMITERS = {"\\n": "\n"}


def read_delimiter(value, default=None):
    """A record delimiter as the character it stands for (``\\n``, as the reference pages write it, is a newline)."""
    if value is None:
        return default
    return ESCAPED_DELIMITERS.get(value, value)


def unique_items(entries):
    """The entries of a list option: trimmed, empty ones and duplicates dropped, in the order given."""
    items = []
    for entry in entries:
        item = entry.strip()
        if item and item not in items:
            items.append(item)
    return items


class Field:
    """One setting: ``kind`` (its wire and normal forms), ``echo``, ``default`` (the API's, also what a terse
    answer means by leaving it out), ``sent_default`` (sent as the default on create when not set: the option
    documents that default), ``compared_unset`` (compared, as empty, also when not set: a maybe-echoed field
    whose presence in an answer means another way of doing things), ``spellings`` (other spellings of a value)
    and ``doubled_by`` (``(field, value)``: where the task's ``field`` is ``value``, the service reports this number
    doubled, the count that runs, as the SDK says: an even report is read as its half)."""

    def __init__(self, kind=TEXT, echo=ECHOED, default=None, sent_default=False, compared_unset=False,
                 spellings=None, doubled_by=None):
        self.kind = kind
        self.echo = echo
        self.default = default
        self.sent_default = sent_default
        self.compared_unset = compared_unset
        self.spellings = spellings or {}
        self.doubled_by = doubled_by
        self.name = None

    def wire(self, value):
        """``value`` of the option as the API takes it."""
        if self.kind == LIST:
            return ",".join(unique_items(value))
        if self.kind == DELIMITER:
            return read_delimiter(value)
        return self.spellings.get(value, value)

    def normal(self, value):
        """The comparable form of an option's value or of an answer's: ``None`` for an empty one."""
        if value is None:
            return self.empty
        if self.kind == LIST:
            return sorted(unique_items(value.split(",") if isinstance(value, str) else value)) or None
        if self.kind == DELIMITER:
            return read_delimiter(value)
        if self.kind == NUMBER and isinstance(value, str) and value.strip().isdigit():
            return int(value)
        if self.kind == FLAG:
            return bool(value)
        value = self.spellings.get(value, value)
        return None if value == "" else value

    @property
    def empty(self):
        """The normal form of the field's empty value (what a sparse answer leaves out)."""
        return {FLAG: False, DELIMITER: ""}.get(self.kind)

    def current(self, answer, wanted):
        """The normal value of this field in ``answer`` (a mapping that may leave it out), set against ``wanted``
        (its normal wanted value): the service's silence is never a difference."""
        value = answer.get(self.name)
        # Left out, or empty where empty is no value (a text, a list): what a terse answer does.
        have = None if value is None else self.normal(value)
        doubled = self.doubled_in(answer)
        if have is None:
            # Left out as empty, or as the default (which a doubled report may have become).
            left_out = (self.empty, self.normal(self.default))
            if self.echo != ECHOED or wanted in left_out or (doubled and 2 * (wanted or 0) in left_out):
                return wanted
            default = self.normal(self.default)
            return default // 2 if doubled and default % 2 == 0 else default
        if doubled and have % 2 == 0:
            # By the SDK's rule, not by whichever reading matches: a report that could also mean the number set is
            # said so by the family (ambiguous_doubles), never read the way that hides a change.
            return have // 2
        return have

    def doubled_in(self, answer):
        """Whether ``answer`` reports this field doubled (its ``doubled_by`` field has the value that doubles it)."""
        return self.doubled_by is not None and answer.get(self.doubled_by[0]) == self.doubled_by[1]

    def named(self, name):
        """This field, knowing its name (``model`` names each)."""
        self.name = name
        return self


def model(**fields):
    """A model: each ``Field`` knows its name."""
    return dict((name, field.named(name)) for name, field in fields.items())


def secrets_of(fields):
    """The names of a model's write-only fields."""
    return tuple(name for name, field in fields.items() if field.echo == WRITE_ONLY)


def body_of(fields, options):
    """The create body's part for ``options``: every option set, in the API's form, and the default of each
    unset option that documents one."""
    body = {}
    for name, field in fields.items():
        value = options.get(name)
        if value is None and field.sent_default:
            value = field.default
        if value is not None:
            body[name] = field.wire(value)
    return body


def wanted_of(fields, options, prefix=""):
    """The comparable settings ``options`` set, keyed ``prefix`` + name; never a secret."""
    settings = {}
    for name, field in fields.items():
        value = options.get(name)
        if field.echo != WRITE_ONLY and (value is not None or field.compared_unset):
            settings[prefix + name] = field.normal(value)
    return settings


def current_of(fields, answer, wanted_settings, prefix=""):
    """The settings of ``answer`` for each of ``wanted_settings`` whose key starts with ``prefix``."""
    return dict((key, fields[key[len(prefix):]].current(answer or {}, want))
                for key, want in wanted_settings.items() if key.startswith(prefix))
