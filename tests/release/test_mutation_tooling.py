# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the release's mutation run stands on, checked on every run of the gate (the run itself takes hours):
a unit test that hangs fails in seconds, each mutant runs the tests that execute its line, the report tells a
hang from a kill, and every equivalent mutant on record still names a mutant of the code."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

import mutation_run  # noqa: E402  # pylint: disable=wrong-import-position

HANGING_TESTS = """
import time


def test_that_hangs():
    time.sleep(60)


def test_after_it():
    assert True
"""


def run_bounded(tmp_path, *options):
    """pytest on a file of two tests, the first of which hangs, under the unit suite's conftest with a 1 s bound."""
    conftest = (REPO / "tests" / "unit" / "conftest.py").read_text(encoding="utf-8")
    assert "UNIT_TEST_SECONDS = 30\n" in conftest
    (tmp_path / "conftest.py").write_text(conftest.replace("UNIT_TEST_SECONDS = 30\n", "UNIT_TEST_SECONDS = 1\n"))
    (tmp_path / "test_hang.py").write_text(HANGING_TESTS)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"] + list(options),
                          cwd=str(tmp_path), capture_output=True, text=True, timeout=50, check=False)


def test_a_unit_test_past_its_bound_fails_and_the_suite_goes_on(tmp_path):
    completed = run_bounded(tmp_path)
    assert completed.returncode == 1, completed.stdout
    assert "Failed: Timeout (>1.0s) from pytest-timeout" in completed.stdout
    assert "1 failed, 1 passed" in completed.stdout
    # What the mutation run reads to call a mutant "timed out" rather than killed.
    assert mutation_run.TIMEOUT_MARK.search(completed.stdout + completed.stderr)


def test_without_pytest_timeout_the_unit_suite_refuses_to_run(tmp_path):
    completed = run_bounded(tmp_path, "-p", "no:timeout")
    assert completed.returncode == 4, completed.stdout + completed.stderr
    assert "the unit tests need pytest-timeout" in completed.stderr


COVERAGE_MAP = {
    "tests": ["t::fast", "t::slow", "t::other", "t::module"],
    "lines": {"plugins/module_utils/waiting.py": {"10": [], "12": [1, 0], "20": [2]},
              "plugins/modules/kafka_sink_task.py": {"5": [3]}},
    "importers": {"plugins/module_utils/waiting.py": ["plugins/modules/kafka_sink_task.py"]},
}


@pytest.mark.parametrize("lines, tests", [
    ([12], ["t::fast", "t::slow"]),  # the tests that run the line, fastest first
    ([13], ["t::fast", "t::slow"]),  # a continuation line: its statement's, above it
    ([12, 13], ["t::fast", "t::slow"]),
    # Run at import, before any test or under the first: every test of the file and of the files importing it.
    ([10], ["t::fast", "t::slow", "t::other", "t::module"]),
    ([20], ["t::fast", "t::slow", "t::other", "t::module"]),
    ([5], []),  # above every executed line: no test runs it
])
def test_a_mutant_runs_the_unit_tests_that_execute_its_line(lines, tests):
    assert mutation_run.tests_for(COVERAGE_MAP, "plugins/module_utils/waiting.py", lines, import_time={10, 20}) == tests


def test_import_time_lines_are_every_line_outside_a_functions_body():
    source = 'A = 1\n\n\n@decorated(2)\ndef f(x=3):\n    """Doc."""\n    return x\n\n\nclass C:\n    B = 4\n\n    def g(self):\n        return 5\n'
    assert sorted(mutation_run.import_time_lines(source)) == [1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13]


def test_the_mutated_line_is_found_by_comparing_with_the_snapshot(tmp_path):
    pristine, worker = tmp_path / "pristine", tmp_path / "worker"
    for root in (pristine, worker):
        shutil.copytree(str(REPO / "plugins"), str(root / "plugins"))
    waiting = worker / "plugins" / "module_utils" / "waiting.py"
    lines = waiting.read_text(encoding="utf-8").splitlines(True)
    number = next(index for index, line in enumerate(lines) if line.startswith("POLL_MAX_SECONDS")) + 1
    lines[number - 1] = lines[number - 1].replace("10.0", "11.0")
    waiting.write_text("".join(lines), encoding="utf-8")
    assert mutation_run.mutated_lines(str(worker), str(pristine)) == ("plugins/module_utils/waiting.py", [number])


def result(output, test_outcome="killed", worker_outcome="normal"):
    from cosmic_ray.work_item import WorkResult  # pylint: disable=import-outside-toplevel

    return WorkResult(worker_outcome=worker_outcome, output=output, test_outcome=test_outcome)


@pytest.mark.parametrize("work_result, outcome", [
    (result("1 failed"), "killed"),
    (result("1 failed\n" + mutation_run.TIMED_OUT), "timed out"),
    (result("timeout"), "timed out"),  # Cosmic Ray's own timeout of the whole command
    (result("5 passed", "survived"), "survived"),
    (result(mutation_run.NOT_COVERED, "survived"), "survived"),
    (result(mutation_run.CANNOT_TEST + ": pytest exit 5"), "error"),
    (result("Traceback", None, "exception"), "error"),
    (result("equivalent: why", None, "skipped"), "equivalent"),
    (result("Filtered operator", None, "skipped"), "left out"),
])
def test_the_report_tells_a_hang_from_a_kill_and_a_survivor_from_an_error(work_result, outcome):
    assert mutation_run.outcome_of(work_result) == outcome


# cosmic-ray init over every file of plugins/: about 20 s alone, more on a busy machine (the unit tests' 30 s bound
# reaches it where one pytest run collects both folders).
@pytest.mark.timeout(180)
def test_every_equivalent_mutant_on_record_names_a_mutant_of_the_code_and_says_why(tmp_path):
    entries = json.loads((REPO / "tests" / "mutation" / "equivalent.json").read_text(encoding="utf-8"))
    assert all(entry["why"].strip() and "\n" not in entry["why"] for entry in entries)
    shutil.copytree(str(REPO / "plugins"), str(tmp_path / "plugins"))
    config, session = tmp_path / "session.toml", str(tmp_path / "session.sqlite")
    config.write_text((REPO / "tests" / "mutation" / "cosmic-ray.toml").read_text(encoding="utf-8"))
    mutation_run.cosmic_ray("cosmic-ray", "init", str(config), session, cwd=str(tmp_path))
    mutation_run.cosmic_ray("cr-filter-operators", session, str(config), cwd=str(tmp_path))
    assert mutation_run.mark_equivalent(session, str(tmp_path)) == []


def test_the_importers_of_a_file_are_the_files_that_import_it_directly_or_through_others():
    importers = mutation_run.importers_of(str(REPO))
    assert "plugins/modules/kafka_sink_task.py" in importers["plugins/module_utils/sink_task.py"]
    # field_model is imported by sink_task, which the Smart Connect modules import.
    assert "plugins/modules/kafka_smart_connect_tasks.py" in importers["plugins/module_utils/field_model.py"]
    assert importers["plugins/modules/kafka_sink_task.py"] == []
