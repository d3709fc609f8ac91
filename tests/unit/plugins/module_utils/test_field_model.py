# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The field model: what is sent, what counts as the same, and the docs that state both."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import os

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.hwcloud.dms.plugins.doc_fragments.smart_connect_task import ModuleDocFragment
from ansible_collections.hwcloud.dms.plugins.module_utils.field_model import (
    DELIMITER,
    ECHOED,
    FLAG,
    LIST,
    MAYBE_ECHOED,
    NUMBER,
    WRITE_ONLY,
    Field,
    body_of,
    current_of,
    model,
    wanted_of,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.sink_task import (
    DESCRIPTOR_FIELDS,
    OBS_DESTINATION_DESCRIPTOR_SPEC,
)
from ansible_collections.hwcloud.dms.plugins.module_utils.smart_connect_task import (
    SINK_FIELDS,
    SINK_TASK_SPEC,
    SOURCE_FIELDS,
    SOURCE_TASK_SPEC,
    TOP_FIELDS,
)

MODULES = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "plugins", "modules")
FIELDS = model(
    text=Field(), number=Field(NUMBER, default=2), flag=Field(FLAG, default=False), items=Field(LIST),
    delimiter=Field(DELIMITER, default="\n"), secret=Field(echo=WRITE_ONLY),
    maybe=Field(echo=MAYBE_ECHOED, compared_unset=True), sent=Field(default="latest", sent_default=True),
    doubled=Field(NUMBER, default=2, doubled_by=("way", "both")))


def test_the_body_has_what_is_set_in_the_apis_form_and_the_defaults_the_options_document():
    body = body_of(FIELDS, dict(text="a", items=[" x", "y ", "x"], delimiter="\\n", secret="s", flag=False))
    assert body == dict(text="a", items="x,y", delimiter="\n", secret="s", flag=False, sent="latest")


def test_only_what_is_set_is_compared_never_a_secret_and_a_maybe_echoed_field_also_unset():
    assert wanted_of(FIELDS, dict(text="", items="y, x", secret="s", number="3"), "p.") == {
        "p.text": None, "p.items": ["x", "y"], "p.number": 3, "p.maybe": None}


@pytest.mark.parametrize("name, wanted, answer, seen", [
    ("text", None, {}, None), ("text", None, {"text": ""}, None), ("text", "a", {}, None),
    # Digits in a text are text: 007 is not 7 (an OBS path, a prefix).
    ("text", "007", {"text": "7"}, "7"), ("text", "7", {"text": "007"}, "007"),
    ("number", 2, {}, 2), ("number", 3, {}, 2), ("number", 3, {"number": "3"}, 3),
    ("flag", False, {}, False), ("flag", True, {}, False), ("flag", True, {"flag": True}, True),
    ("items", ["x", "y"], {"items": "y, x"}, ["x", "y"]),
    # Left out: empty or the default, whichever was wanted; an explicit "" is no delimiter.
    ("delimiter", "", {}, ""), ("delimiter", "\n", {}, "\n"), ("delimiter", ",", {}, "\n"),
    ("delimiter", "\n", {"delimiter": "\\n"}, "\n"), ("delimiter", "\n", {"delimiter": ""}, ""),
    # In no answer model: silence is no difference, an answer that carries it is compared.
    ("maybe", None, {}, None), ("maybe", "x", {}, "x"), ("maybe", None, {"maybe": "agency"}, "agency"),
    # Reported doubled on a two-way task (read as half, by the SDK's rule, not by whichever reading matches), an odd
    # report (no double) as it is, and the doubled default left out.
    ("doubled", 3, {"doubled": 6, "way": "both"}, 3), ("doubled", 3, {"doubled": 6}, 6),
    ("doubled", 3, {"doubled": 4, "way": "both"}, 2), ("doubled", 3, {"doubled": 8, "way": "both"}, 4),
    ("doubled", 4, {"doubled": 4, "way": "both"}, 2), ("doubled", 3, {"doubled": 3, "way": "both"}, 3),
    ("doubled", 1, {"way": "both"}, 1), ("doubled", 3, {"way": "both"}, 1),
])
def test_what_an_answer_shows_is_read_against_what_was_wanted(name, wanted, answer, seen):
    assert current_of(FIELDS, answer, {name: wanted}) == {name: seen}


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", " a", "b ", ""]), max_size=5))
def test_a_list_compares_as_a_set_whatever_its_order_spaces_and_repeats(items):
    field = FIELDS["items"]
    assert field.normal(field.wire(items)) == field.normal(list(reversed(items))) == field.normal(", ".join(items))


def documented_options(module):
    source = open(os.path.join(MODULES, module + ".py")).read()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "DOCUMENTATION":
            return yaml.safe_load(node.value.value)["options"]
    raise AssertionError(module)


FRAGMENT = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
MODELS = [
    ("sink_task", SINK_FIELDS, SINK_TASK_SPEC, FRAGMENT["sink_task"]["suboptions"]),
    ("source_task", SOURCE_FIELDS, SOURCE_TASK_SPEC, FRAGMENT["source_task"]["suboptions"]),
    ("obs_destination_descriptor", DESCRIPTOR_FIELDS, OBS_DESTINATION_DESCRIPTOR_SPEC,
     documented_options("kafka_sink_task")["obs_destination_descriptor"]["suboptions"]),
]


@pytest.mark.parametrize("part, fields, spec, docs", MODELS, ids=[entry[0] for entry in MODELS])
def test_every_option_is_in_the_model_and_none_has_a_default_hiding_whether_it_was_set(part, fields, spec, docs):
    assert set(fields) == set(spec) | ({"topics", "topics_regex"} if part == "obs_destination_descriptor" else set())
    assert [name for name, option in spec.items() if "default" in option] == []
    assert set(TOP_FIELDS) == {"topics", "topics_regex"}


@pytest.mark.parametrize("part, fields, spec, docs", MODELS, ids=[entry[0] for entry in MODELS])
def test_the_docs_state_what_the_model_compares(part, fields, spec, docs):
    for name, field in fields.items():
        if name not in docs:
            continue
        text = " ".join(docs[name]["description"] if isinstance(docs[name]["description"], list)
                        else [docs[name]["description"]]).lower()
        if field.echo == WRITE_ONLY:
            assert "never compared" in text or "nor compared" in text, (part, name)
        elif field.echo == MAYBE_ECHOED:
            assert "compared only when the service's answer carries it" in text, (part, name)
        else:
            assert field.echo == ECHOED and "never compared" not in text, (part, name)
        if field.sent_default:
            assert ("not set, v(%s) is sent on create, and an existing task is not compared on it" % field.default
                    in text or "is sent on create, and an existing task is not compared on it" in text), (part, name)
