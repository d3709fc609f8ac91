# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Mutation check: does the unit test suite catch realistic one-line bugs in plugins/?

Each entry of tests/mutations.json plants one bug ("find" replaced by "replace" in "file") into a
private copy of the repository and runs tests/unit there. A mutation the suite lets pass is a
SURVIVOR: a missing test, unless the entry says in "survives" why it is accepted. An entry whose
"find" no longer occurs exactly once is STALE: update it together with the code it mutates.

    .venv/bin/python scripts/mutation_check.py [--jobs N] [--only SUBSTRING] [--list] [--timeout S]

Exit status 1 when a survivor is not accepted, or any entry is stale or errs; 0 otherwise.
"""

import argparse
import concurrent.futures
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MUTATIONS = os.path.join(REPO, "tests", "mutations.json")
PACKAGE = os.path.join("ansible_collections", "hwcloud", "dms")
PYTEST = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "tests/unit"]
# pytest: 1 = tests failed (killed); 2 interrupted, 3 internal error, 4 usage error, 5 no tests:
# the suite did not really run, so the mutation proves nothing either way. With -x a file that
# cannot be collected (the mutation broke an import) also exits 1: its summary line tells it apart.
KILLED_CODES = {1}
RUNNING = set()  # the pytest processes under way, ended on Ctrl-C: in their own session, they do not get it
COLLECTION_ERROR = re.compile(r"^ERROR [^\s:]+\.py\b(?!::)|errors? during collection", re.M)


def repository_files():
    """The repository's files, relative to its root: tracked, and new ones not yet added (not ignored ones)."""
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                             check=True, capture_output=True).stdout
    return [name for name in listing.decode("utf-8").split("\0") if name]


@contextlib.contextmanager
def copy_of(files, origin=REPO):
    """A temporary <tmp>/ansible_collections/hwcloud/dms copy of ``files`` under ``origin``; yields <tmp>."""
    with tempfile.TemporaryDirectory(prefix="hwcloud-dms-mutation-") as root:
        for name in files:
            source, target = os.path.join(origin, name), os.path.join(root, PACKAGE, name)
            if os.path.lexists(source):  # a tracked file may be deleted in the work tree
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy2(source, target, follow_symlinks=False)
        yield root


def run_suite(root, timeout):
    """``(returncode or None on timeout, output)`` of the unit suite in the copy under ``root``."""
    env = dict(os.environ, PYTHONPATH=root, ANSIBLE_COLLECTIONS_PATH=root, PYTHONDONTWRITEBYTECODE="1")
    # Own session, so that a timeout ends pytest and whatever it started (the emulator), not only pytest.
    process = subprocess.Popen(PYTEST, cwd=os.path.join(root, PACKAGE), env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    RUNNING.add(process)
    try:
        output = process.communicate(timeout=timeout)[0]
        return process.returncode, output
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output = process.communicate()[0]
        return None, output
    except BaseException:  # Ctrl-C: pytest, in its own session, did not get it
        os.killpg(process.pid, signal.SIGKILL)
        raise
    finally:
        RUNNING.discard(process)


def check(mutation, files, snapshot, timeout):
    """``(outcome, note)`` of one mutation of ``snapshot``: KILLED, SURVIVED, STALE or ERROR."""
    with copy_of(files, snapshot) as root:
        path = os.path.join(root, PACKAGE, mutation["file"])
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as error:
            return "STALE", "cannot read %s: %s" % (mutation["file"], error)
        count = text.count(mutation["find"])
        if count != 1:
            return "STALE", "'find' occurs %d times, not once" % count
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text.replace(mutation["find"], mutation["replace"]))
        code, output = run_suite(root, timeout)
        if code is None:
            return "KILLED", "timed out after %gs" % timeout  # a wait that never ends is caught too
        if code == 0:
            return "SURVIVED", mutation.get("survives", "")
        if code in KILLED_CODES and not COLLECTION_ERROR.search(output):
            return "KILLED", ""
        # The last "E   ..." line names the cause (SyntaxError, ImportError); else pytest's last line.
        lines = [line[1:].strip() for line in output.splitlines() if line.startswith("E ")] or output.splitlines()[-1:]
        return "ERROR", "pytest exit %s: %s" % (code, lines[-1] if lines else "no output")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="mutations run at once (default 2)")
    parser.add_argument("--only", help="only mutations whose file or why contains this text")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per suite run (default 120; the suite takes about 30)")
    args = parser.parse_args(argv)

    with open(MUTATIONS, encoding="utf-8") as handle:
        mutations = json.load(handle)
    if args.only:
        mutations = [m for m in mutations if args.only in m["file"] or args.only in m["why"]]
    if args.list:
        for mutation in mutations:
            print("%s: %s\n    %r -> %r" % (mutation["file"], mutation["why"], mutation["find"], mutation["replace"]))
        return 0

    files = repository_files()
    # One snapshot of the work tree for the whole check: edits made meanwhile do not mix into it.
    with copy_of(files) as snapshot_root:
        return check_all(mutations, files, os.path.join(snapshot_root, PACKAGE), args)


def check_all(mutations, files, snapshot, args):
    # A red suite kills every mutation and proves nothing: check the unmutated code first.
    with copy_of(files, snapshot) as root:
        code, output = run_suite(root, args.timeout)
    if code != 0:
        print("\n".join(output.splitlines()[-40:]))
        print("The unit suite fails without any mutation (%s): fix it first; nothing was mutated."
              % ("timed out" if code is None else "pytest exit %s" % code))
        return 1

    counts = dict(KILLED=0, SURVIVED=0, ACCEPTED=0, STALE=0, ERROR=0)
    lock = threading.Lock()  # one line per mutation, whole, in the order they finish

    def one(mutation):
        outcome, note = check(mutation, files, snapshot, args.timeout)
        with lock:
            counts[outcome] += 1
            if outcome == "SURVIVED" and note:
                counts["ACCEPTED"] += 1
                note = "accepted: " + note
            print("%-8s %s: %s%s" % (outcome, mutation["file"], mutation["why"], " (%s)" % note if note else ""),
                  flush=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(one, mutation) for mutation in mutations]
        try:
            for future in futures:
                future.result()  # re-raises a failure of the checker itself
        except KeyboardInterrupt:
            # Else leaving the with block would run every pending mutation (3.8 has no cancel_futures).
            for future in futures:
                future.cancel()
            for process in list(RUNNING):
                os.killpg(process.pid, signal.SIGKILL)
            raise

    print("mutations: %d killed, %d survived (%d accepted), %d stale, %d errors"
          % (counts["KILLED"], counts["SURVIVED"], counts["ACCEPTED"], counts["STALE"], counts["ERROR"]))
    unaccepted = counts["SURVIVED"] - counts["ACCEPTED"]
    return 1 if unaccepted or counts["STALE"] or counts["ERROR"] else 0


if __name__ == "__main__":
    sys.exit(main())
