# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Mutation run: Cosmic Ray applies its operators to every line of plugins/modules and plugins/module_utils, and
the unit suite must kill each mutant.

    .venv/bin/python scripts/mutation_run.py [FILE ...] [--changed REF] [--jobs N] [--run-dir DIR]
    .venv/bin/python scripts/mutation_run.py --resume | --retest | --report [--run-dir DIR]

FILE narrows the run to some files of plugins/ (during development); --changed REF to the files of plugins/ that
differ from REF. Whole, it is the release run. Steps, in a snapshot of the work tree so that edits made meanwhile
do not mix in:

1. the unit suite once under coverage, one context a test: which tests execute each line (the coverage map), how
   long each takes, and that the suite is green without a mutant;
2. ``cosmic-ray init`` lists the mutants; the operators filter of tests/mutation/cosmic-ray.toml and the
   equivalent mutants of tests/mutation/equivalent.json (each with a one-line reason) are marked skipped;
3. ``cosmic-ray exec`` hands the mutants to one HTTP worker per job, each in its own copy of the snapshot. A
   mutant's test command (this script, --test-mutant) finds the mutated line and runs only the unit tests that
   execute it, fastest first, stopping at the first failure; a line no test executes survives without a run;
4. the report: killed, timed out (a test ran past its pytest-timeout bound: the mutant made something hang),
   survived, equivalent; the score is killed and timed out over all that are not equivalent. Every survivor is
   listed with its diff.

Exit status 1 when the score is under SCORE_FLOOR percent, an equivalent entry matches no mutant, or a mutant
could not be tested or was not run; 0 otherwise. The snapshot, the coverage map and Cosmic Ray's session live in
--run-dir: --resume finishes an interrupted run; --retest runs its survivors (and any mutant not run yet) against
the tests of the work tree, once tests were written for them (plugins/ must be as the run found it); --report
prints its report again.
"""

import argparse
import ast
import collections
import contextlib
import difflib
import filecmp
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

import mutation_check  # the sibling script: the repository's files, and a collection-tree copy of them

REPO = mutation_check.REPO
PACKAGE = mutation_check.PACKAGE
CONFIG = os.path.join(REPO, "tests", "mutation", "cosmic-ray.toml")
EQUIVALENT = os.path.join(REPO, "tests", "mutation", "equivalent.json")
MUTATED_FOLDERS = ("plugins/module_utils", "plugins/modules")
SCORE_FLOOR = 90.0
# What a mutant's test command prints that the report reads: a test stopped by pytest-timeout (its mark, or
# Cosmic Ray's own timeout), a line no test runs, a run that proves nothing.
TIMEOUT_MARK = re.compile(r"Failed: Timeout \(>[\d.]+s\) from pytest-timeout")
TIMED_OUT = "a unit test ran past its bound (pytest-timeout): the mutant hangs"
NOT_COVERED = "no unit test executes the mutated line"
CANNOT_TEST = "the mutant's tests could not be run"
PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--no-header"]


def collection_environment(collection):
    """The environment in which the unit tests import the collection copied to ``collection`` (its
    <root>/ansible_collections/hwcloud/dms)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(collection)))
    return dict(os.environ, PYTHONPATH=root, ANSIBLE_COLLECTIONS_PATH=root, PYTHONDONTWRITEBYTECODE="1")


def plugin_files(root):
    """The .py files of the mutated folders under the collection ``root``, relative to it."""
    found = []
    for folder in MUTATED_FOLDERS:
        found.extend("%s/%s" % (folder, name) for name in sorted(os.listdir(os.path.join(root, folder)))
                     if name.endswith(".py"))
    return found


# --- 1. the coverage map ---------------------------------------------------------------------------------------

def build_coverage_map(collection, jobs):
    """Run the unit suite in ``collection`` under coverage; ``{"tests": [...], "lines": {file: {line: [i]}}}``.

    Tests are numbered fastest first, so that the sorted numbers of a line are also the order to run them in.
    """
    command = PYTEST + ["-n", str(jobs), "--cov=plugins", "--cov-context=test", "--cov-report=",
                        "--cov-config=/dev/null", "--durations=0", "--durations-min=0", "tests/unit"]
    started = time.time()
    result = subprocess.run(command, cwd=collection, env=collection_environment(collection), capture_output=True,
                            text=True, check=False)
    if result.returncode != 0:
        print("\n".join(result.stdout.splitlines()[-40:]))
        raise SystemExit("The unit suite fails without any mutant (pytest exit %s): fix it first; nothing was "
                         "mutated." % result.returncode)
    seconds = collections.Counter()
    for match in re.finditer(r"^([\d.]+)s (?:setup|call|teardown) +(\S.*?)\s*$", result.stdout, re.M):
        seconds[match.group(2)] += float(match.group(1))

    import coverage  # pylint: disable=import-outside-toplevel  # only this step needs it

    data = coverage.CoverageData(os.path.join(collection, ".coverage"))
    data.read()
    by_line = {}
    for measured in data.measured_files():
        name = os.path.relpath(os.path.realpath(measured), os.path.realpath(collection))
        if not name.startswith(MUTATED_FOLDERS):
            continue
        by_line[name] = dict((line, set(context.rpartition("|")[0] for context in contexts if context))
                             for line, contexts in data.contexts_by_lineno(measured).items())
    tests = sorted(set(test for lines in by_line.values() for names in lines.values() for test in names),
                   key=lambda test: (seconds.get(test, 0.0), test))
    number = dict((test, index) for index, test in enumerate(tests))
    print("coverage map: %d tests over %d files in %.0f s" % (len(tests), len(by_line), time.time() - started))
    return dict(tests=tests, importers=importers_of(collection), lines=dict(
        (name, dict((str(line), sorted(number[test] for test in names)) for line, names in lines.items()))
        for name, lines in by_line.items()))


def importers_of(collection):
    """``{file: [the files of plugins/ that import it, directly or through others]}``: a value made at import (an
    argument spec, a table) is used by the code of the files that import it."""
    prefix = "ansible_collections.hwcloud.dms."
    imports = {}
    for name in plugin_files(collection):
        with open(os.path.join(collection, name), encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(prefix):
                base = node.module[len(prefix):].replace(".", "/")
                imported.add(base + ".py")
                imported.update("%s/%s.py" % (base, alias.name) for alias in node.names)
        imports[name] = imported
    importers = dict((name, set()) for name in imports)
    changed = True
    while changed:  # the transitive closure: few files, few rounds
        changed = False
        for name, imported in imports.items():
            for target in imported:
                found = set([name]) | importers.get(name, set())
                if target in importers and not found <= importers[target]:
                    importers[target] |= found
                    changed = True
    return dict((name, sorted(found - set([name]))) for name, found in importers.items())


def import_time_lines(source):
    """The lines of ``source`` that run when its module is imported: every line outside a function's body."""
    in_bodies = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_bodies.update(range(node.body[0].lineno, node.end_lineno + 1))
    return set(range(1, len(source.splitlines()) + 1)) - in_bodies


def tests_for(coverage_map, name, lines, import_time=()):
    """The unit tests to run for a mutant of ``lines`` of file ``name``, fastest first.

    A line is looked up as coverage saw it; a continuation line of a statement by the statement's nearest line
    above. A line in ``import_time`` (a constant, a table, a default, a decorator) ran once, under whichever test
    imported the module first, and its value serves every test that uses the module or a module that imports it:
    it is looked up as every test that executes a line of the file or of a file that imports it.
    """
    by_line = coverage_map["lines"].get(name, {})
    whole_file = [number for user in [name] + coverage_map.get("importers", {}).get(name, [])
                  for seen in coverage_map["lines"].get(user, {}).values() for number in seen]
    picked = set()
    for line in lines:
        above = [int(seen) for seen in by_line if int(seen) <= line]
        if not above:
            continue
        numbers = by_line[str(max(above))]
        picked.update(whole_file if line in import_time or not numbers else numbers)
    return [coverage_map["tests"][number] for number in sorted(picked)]


# --- 3. one mutant's test command ------------------------------------------------------------------------------

def mutated_lines(collection, pristine):
    """``(file, [line numbers of the original])`` of the one file in ``collection`` that differs from ``pristine``."""
    for name in plugin_files(pristine):
        with open(os.path.join(pristine, name), encoding="utf-8") as handle:
            before = handle.read().splitlines()
        with open(os.path.join(collection, name), encoding="utf-8") as handle:
            after = handle.read().splitlines()
        if before == after:
            continue
        changed = set()
        for opcode in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
            tag, first, last = opcode[:3]
            if tag != "equal":
                changed.update(range(first + 1, max(last, first + 1) + 1))
        return name, sorted(changed)
    return None, []


def test_mutant(run_dir):
    """Cosmic Ray's test command, run in a worker's collection copy with the mutant in place; pytest's exit status."""
    collection = os.getcwd()
    name, lines = mutated_lines(collection, os.path.join(run_dir, "pristine", PACKAGE))
    if name is None:
        print(CANNOT_TEST + ": no file differs from the snapshot")
        return 3
    with open(os.path.join(run_dir, "pristine", PACKAGE, name), encoding="utf-8") as handle:
        import_time = import_time_lines(handle.read())
    with open(os.path.join(run_dir, "coverage-map.json"), encoding="utf-8") as handle:
        tests = tests_for(json.load(handle), name, lines, import_time)
    print("%s line %s: %d unit test(s)" % (name, ",".join(map(str, lines)), len(tests)))
    if not tests:
        print(NOT_COVERED)
        return 0
    with tempfile.NamedTemporaryFile("w", suffix=".args", delete=False) as arguments:
        arguments.write("\n".join(tests) + "\n")
    try:
        # Without the plugins a mutant's run does not use: each costs its import in every one of thousands of runs
        # (Hypothesis's plugin alone 0.8 s; its @given tests run without it).
        result = subprocess.run(PYTEST + ["-x", "-p", "no:xdist", "-p", "no:cov", "-p", "no:hypothesispytest",
                                          "@" + arguments.name], cwd=collection,
                                env=collection_environment(collection), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, check=False)
    finally:
        os.unlink(arguments.name)
    # Cosmic Ray keeps standard output only: the tail, where pytest names the failure (and pytest-timeout's mark).
    print("\n".join(result.stdout.splitlines()[-60:]))
    if TIMEOUT_MARK.search(result.stdout):
        print(TIMED_OUT)
    if result.returncode in (0, 1):
        return result.returncode
    if (result.returncode == 2 and "Interrupted" in result.stdout and "error" in result.stdout
            or result.returncode == 3 and "INTERNALERROR" in result.stdout):
        # The mutant broke an import, a collection or pytest itself (a module's main() run at import): the suite
        # notices, so it is killed.
        return result.returncode
    print(CANNOT_TEST + ": pytest exit %s" % result.returncode)
    return 3


# --- 2. the session --------------------------------------------------------------------------------------------

def cosmic_ray(*arguments, **options):
    """Run a Cosmic Ray command (from this interpreter's environment)."""
    command = [os.path.join(os.path.dirname(sys.executable), arguments[0])] + list(arguments[1:])
    return subprocess.run(command, check=True, **options)


def write_session_config(run_dir, files, urls):
    """The session's config: the checked-in one with the files, this script as test command and the workers."""
    with open(CONFIG, encoding="utf-8") as handle:
        text = handle.read()
    text = text.replace('module-path = ["plugins/module_utils", "plugins/modules"]',
                        "module-path = %s" % json.dumps(files), 1)
    # The snapshot's copy of this script: edits made during the run do not change how its mutants are tested.
    script = os.path.join(run_dir, "pristine", PACKAGE, "scripts", os.path.basename(__file__))
    text = text.replace('test-command = "set by scripts/mutation_run.py"', "test-command = %s" % json.dumps(
        "%s %s --test-mutant %s" % (sys.executable, script, run_dir)), 1)
    text += "\n[cosmic-ray.distributor.http]\nworker-urls = %s\n" % json.dumps(urls)
    path = os.path.join(run_dir, "session.toml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def mutated_line(source, mutation):
    """The line of ``mutation`` in ``source`` as the mutant has it, stripped."""
    from cosmic_ray.mutating import mutate_code  # pylint: disable=import-outside-toplevel
    from cosmic_ray.plugins import get_operator  # pylint: disable=import-outside-toplevel

    mutant = mutate_code(source, get_operator(mutation.operator_name)(), mutation.occurrence)
    return mutant.splitlines()[mutation.start_pos[0] - 1].strip()


def mark_equivalent(session, pristine):
    """Mark the mutants not run yet that tests/mutation/equivalent.json names as skipped; the entries that match
    no mutant of the session's files.

    An entry names one mutant whatever the line numbers: its file, operator, line and mutated line (stripped).
    """
    from cosmic_ray.work_db import WorkDB, use_db  # pylint: disable=import-outside-toplevel
    from cosmic_ray.work_item import WorkerOutcome, WorkResult  # pylint: disable=import-outside-toplevel

    with open(EQUIVALENT, encoding="utf-8") as handle:
        entries = json.load(handle)
    why = dict(((entry["file"], entry["operator"], entry["line"], entry["mutant"]), entry["why"]) for entry in entries)
    # A mutant is made (to read its mutated line) only where an entry names its file, operator and line.
    lines_named = set(key[:3] for key in why)
    used = set()
    sources, lines = {}, {}
    with use_db(session, WorkDB.Mode.open) as work_db:
        pending = set(item.job_id for item in work_db.pending_work_items)
        for item in list(work_db.work_items):
            mutation = item.mutations[0]
            name = str(mutation.module_path)
            if name not in sources:
                with open(os.path.join(pristine, name), encoding="utf-8") as handle:
                    sources[name] = handle.read()
                lines[name] = sources[name].splitlines()
            named = (name, mutation.operator_name, lines[name][mutation.start_pos[0] - 1].strip())
            if named not in lines_named:
                continue
            key = named + (mutated_line(sources[name], mutation),)
            used.add(key)
            if key in why and item.job_id in pending:
                work_db.set_result(item.job_id, WorkResult(output="equivalent: " + why[key],
                                                           worker_outcome=WorkerOutcome.SKIPPED))
    return [" | ".join(key) for key in why if key not in used and key[0] in sources]


def free_ports(count):
    """``count`` distinct free ports: the probes stay bound until all are chosen, or the system may hand out one
    twice (it did: two workers on one port, and the run went on at half speed)."""
    with contextlib.ExitStack() as stack:
        probes = [stack.enter_context(socket.socket()) for _number in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]


def start_workers(run_dir, jobs):
    """``(processes, urls)``: one Cosmic Ray HTTP worker per job, each in its own copy of the snapshot."""
    processes, urls = [], []
    pristine = os.path.join(run_dir, "pristine")
    for number, port in enumerate(free_ports(jobs)):
        copy = os.path.join(run_dir, "worker-%d" % number)
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(pristine, copy, symlinks=True)
        log = open(os.path.join(run_dir, "worker-%d.log" % number), "w", encoding="utf-8")  # pylint: disable=consider-using-with
        processes.append(subprocess.Popen(  # pylint: disable=consider-using-with
            [os.path.join(os.path.dirname(sys.executable), "cosmic-ray"), "http-worker", "--port", str(port)],
            cwd=os.path.join(copy, PACKAGE), stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        urls.append("http://127.0.0.1:%d" % port)
    for process, url in zip(processes, urls):
        port = int(url.rpartition(":")[2])
        for _attempt in range(300):
            # Its own port answering, from its own process: another program on the port would not do.
            with socket.socket() as probe:
                if process.poll() is None and probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            raise SystemExit("the Cosmic Ray worker at %s did not start: see %s" % (url, run_dir))
    return processes, urls


def execute(run_dir, session, config):
    """``cosmic-ray exec``, with a line of progress a minute."""
    from cosmic_ray.work_db import WorkDB, use_db  # pylint: disable=import-outside-toplevel

    started = time.time()
    process = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "cosmic-ray"), "exec", config,
                                session], cwd=os.path.join(run_dir, "pristine", PACKAGE))
    while True:
        try:
            process.wait(timeout=60)
            break
        except subprocess.TimeoutExpired:
            with use_db(session, WorkDB.Mode.open) as work_db:
                done, total = work_db.num_results, work_db.num_work_items
            print("%4.0f min: %d of %d mutants done" % ((time.time() - started) / 60, done, total), flush=True)
    if process.returncode:
        raise SystemExit("cosmic-ray exec failed (exit %s)" % process.returncode)


# --- 4. the report ---------------------------------------------------------------------------------------------

def outcome_of(result):
    """One word for a mutant's result: killed, timed out, survived, equivalent, left out or error."""
    output = result.output or ""
    if result.worker_outcome.value == "skipped":
        return "equivalent" if output.startswith("equivalent: ") else "left out"
    if result.worker_outcome.value != "normal" or result.test_outcome is None or CANNOT_TEST in output:
        return "error"
    if result.test_outcome.value == "survived":
        return "survived"
    if result.test_outcome.value == "incompetent":
        return "error"
    return "timed out" if output == "timeout" or TIMED_OUT in output else "killed"


def report(session, stale, seconds=None):
    """Print the counts, the score and every survivor; the exit status."""
    from cosmic_ray.work_db import WorkDB, use_db  # pylint: disable=import-outside-toplevel

    counts = collections.Counter()
    survivors, errors = [], []
    with use_db(session, WorkDB.Mode.open) as work_db:
        pending = work_db.num_work_items - work_db.num_results
        for item, result in work_db.completed_work_items:
            outcome = outcome_of(result)
            counts[outcome] += 1
            mutation = item.mutations[0]
            where = "%s:%d %s" % (mutation.module_path, mutation.start_pos[0], mutation.operator_name)
            changed = [line for line in (result.diff or "").splitlines()
                       if line[:1] in "+-" and not line.startswith(("+++", "---"))]
            if outcome == "survived":
                note = " (%s)" % NOT_COVERED if NOT_COVERED in result.output else ""
                survivors.append("SURVIVED %s%s\n    %s" % (where, note, "\n    ".join(changed)))
            elif outcome == "error":
                last = (result.output or "").strip().splitlines()[-1:] or ["no output"]
                errors.append("ERROR    %s\n    %s" % (where, last[0]))
    print("\n".join(sorted(survivors) + errors))
    for key in stale:
        print("STALE    tests/mutation/equivalent.json: no mutant of %s" % key)
    tested = counts["killed"] + counts["timed out"] + counts["survived"]
    score = 100.0 * (counts["killed"] + counts["timed out"]) / tested if tested else 100.0
    print("mutants: %d killed, %d timed out, %d survived, %d equivalent, %d errors (%d left out by the operator "
          "set, %d not run yet)" % (counts["killed"], counts["timed out"], counts["survived"], counts["equivalent"],
                                    counts["error"], counts["left out"], pending))
    print("score: %.1f%% of %d non-equivalent mutants killed (floor %.0f%%)%s"
          % (score, tested, SCORE_FLOOR, "" if seconds is None else "; the run took %.0f min" % (seconds / 60)))
    return 1 if score < SCORE_FLOOR or stale or counts["error"] or pending else 0


# --- the run ---------------------------------------------------------------------------------------------------

def take_snapshot(run_dir, jobs):
    """The work tree's files as the run's ``pristine`` collection copy, and its coverage map."""
    shutil.rmtree(os.path.join(run_dir, "pristine"), ignore_errors=True)
    with mutation_check.copy_of(mutation_check.repository_files()) as snapshot:
        shutil.copytree(snapshot, os.path.join(run_dir, "pristine"), symlinks=True)
    pristine = os.path.join(run_dir, "pristine", PACKAGE)
    with open(os.path.join(run_dir, "coverage-map.json"), "w", encoding="utf-8") as handle:
        json.dump(build_coverage_map(pristine, jobs), handle)
    os.unlink(os.path.join(pristine, ".coverage"))


def forget_survivors(run_dir, session):
    """Make the session's survivors (and errors) pending again, for the tests written since; the mutants stand for
    the code they were made from, so plugins/ must not have changed."""
    pristine = os.path.join(run_dir, "pristine", PACKAGE)
    changed = [name for name in plugin_files(REPO) if not os.path.exists(os.path.join(pristine, name))
               or not filecmp.cmp(os.path.join(REPO, name), os.path.join(pristine, name), shallow=False)]
    if changed or len(plugin_files(pristine)) != len(plugin_files(REPO)):
        raise SystemExit("plugins/ changed since the run (%s): its mutants no longer stand for the code; start a new "
                         "run." % ", ".join(changed or ["a file was removed"]))
    with contextlib.closing(sqlite3.connect(session)) as database:
        with database:  # one transaction
            database.execute("DELETE FROM work_results WHERE worker_outcome = 'NORMAL' AND test_outcome = 'SURVIVED'"
                             " OR worker_outcome IN ('EXCEPTION', 'ABNORMAL') OR output LIKE ?",
                             ("%%%s%%" % CANNOT_TEST,))


def selected_files(args):
    if args.changed:
        listing = subprocess.run(["git", "diff", "--name-only", args.changed, "--"] + list(MUTATED_FOLDERS),
                                 cwd=REPO, check=True, capture_output=True, text=True).stdout.split()
        return sorted(name for name in listing if name.endswith(".py") and os.path.exists(os.path.join(REPO, name)))
    if args.files:
        return sorted(os.path.relpath(os.path.abspath(name), REPO) for name in args.files)
    return list(MUTATED_FOLDERS)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="files of plugins/ to mutate (default: all of them)")
    parser.add_argument("--changed", metavar="REF", help="mutate the files of plugins/ that differ from REF")
    parser.add_argument("--jobs", type=int, default=2, help="workers, each running one mutant at a time (default 2)")
    parser.add_argument("--resume", action="store_true", help="finish the last run's session")
    parser.add_argument("--retest", action="store_true",
                        help="run the last run's survivors (and what it did not run) against the work tree's tests")
    parser.add_argument("--report", action="store_true", help="print the last run's report")
    parser.add_argument("--run-dir", default=os.path.join(tempfile.gettempdir(), "hwcloud-dms-mutation-run"),
                        help="where the snapshot, the coverage map and the session live (default %(default)s)")
    parser.add_argument("--test-mutant", metavar="RUN_DIR", help=argparse.SUPPRESS)  # Cosmic Ray's test command
    args = parser.parse_args(argv)
    if args.test_mutant:
        return test_mutant(args.test_mutant)

    run_dir = os.path.abspath(args.run_dir)
    session = os.path.join(run_dir, "session.sqlite")
    stale_file = os.path.join(run_dir, "stale.json")
    if args.report:
        with open(stale_file, encoding="utf-8") as handle:
            return report(session, json.load(handle))
    started = time.time()
    fresh = not (args.resume or args.retest)
    if fresh:
        files = selected_files(args)
        if not files:
            print("no file of plugins/ to mutate")
            return 0
        shutil.rmtree(run_dir, ignore_errors=True)
        os.makedirs(run_dir)
        with open(os.path.join(run_dir, "files.json"), "w", encoding="utf-8") as handle:
            json.dump(files, handle)
    with open(os.path.join(run_dir, "files.json"), encoding="utf-8") as handle:
        files = json.load(handle)
    if args.retest:
        forget_survivors(run_dir, session)
    if not args.resume:
        take_snapshot(run_dir, args.jobs)
    pristine = os.path.join(run_dir, "pristine", PACKAGE)
    processes, urls = start_workers(run_dir, args.jobs)
    try:
        config = write_session_config(run_dir, files, urls)
        if fresh:
            cosmic_ray("cosmic-ray", "init", config, session, cwd=pristine, stdout=subprocess.DEVNULL)
            cosmic_ray("cr-filter-operators", session, config, cwd=pristine)
        if not args.resume:
            with open(stale_file, "w", encoding="utf-8") as handle:
                json.dump(mark_equivalent(session, pristine), handle)
        execute(run_dir, session, config)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
    with open(stale_file, encoding="utf-8") as handle:
        return report(session, json.load(handle), time.time() - started)


if __name__ == "__main__":
    sys.exit(main())
