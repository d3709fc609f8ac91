# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What an execution environment needs: the built collection declares requests to ansible-builder,
and the example EE definition for users is one ansible-builder accepts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch
import glob
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
BIN = os.path.dirname(sys.executable)


def run(*command, **kwargs):
    completed = subprocess.run(list(command), capture_output=True, text=True, timeout=600, check=False, **kwargs)
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return completed.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The collection built into a tarball from the working tree: ``(work directory, tarball)``."""
    work = tmp_path_factory.mktemp("built")
    run(os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path", str(work), str(REPO))
    [tarball] = glob.glob(str(work / "hwcloud-dms-*.tar.gz"))
    return work, tarball


def ignored(path, patterns):
    """Whether ``build_ignore`` keeps ``path`` out: a pattern matches it or one of its folders."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:length]) for length in range(1, len(parts) + 1)]
    return any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes for pattern in patterns)


def test_the_tarball_holds_exactly_the_tracked_files_build_ignore_keeps(built):
    """A stray generated file in the tree (importer_result.json, a cache) would ship: it must not be there."""
    patterns = yaml.safe_load((REPO / "galaxy.yml").read_text())["build_ignore"]
    tracked = run("git", "-C", str(REPO), "ls-files").split()
    # ansible-galaxy leaves galaxy.yml out and writes MANIFEST.json and FILES.json in its place.
    expected = set(path for path in tracked if not ignored(path, patterns)) - {"galaxy.yml"}
    with tarfile.open(built[1]) as archive:
        shipped = set(member.name for member in archive.getmembers() if member.isfile())
    assert shipped - {"MANIFEST.json", "FILES.json"} == expected
    assert not [path for path in shipped if "__pycache__" in path or path.endswith("importer_result.json")]


@pytest.fixture(scope="module")
def installed_collections(built):
    """The collection installed from the tarball, as users get it."""
    work, tarball = built
    # --force: the collection under test is already on ANSIBLE_COLLECTIONS_PATH, which would make this a no-op.
    run(os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--offline", "--force",
        "-p", str(work / "collections"), tarball)
    return work / "collections"


def test_the_built_collection_leaves_out_development_files(installed_collections):
    root = installed_collections / "ansible_collections" / "hwcloud" / "dms"
    assert (root / "plugins" / "modules" / "kafka_sink_task.py").is_file()
    assert (root / "meta" / "execution-environment.yml").is_file()
    assert not any(part.startswith(".venv") or part in (".ci", ".git") for path in root.rglob("*")
                   for part in path.relative_to(root).parts)


def test_ansible_builder_introspect_finds_requests(installed_collections):
    output = run(os.path.join(BIN, "ansible-builder"), "introspect", "--sanitize", str(installed_collections))
    assert "requests" in output
    assert "hwcloud.dms" in output


def test_the_example_execution_environment_is_accepted(tmp_path):
    definition = REPO / "docs" / "execution-environment" / "execution-environment.yml"
    run(os.path.join(BIN, "ansible-builder"), "create", "-f", str(definition), "--context", str(tmp_path / "context"),
        "--output-filename", "Containerfile")
    containerfile = (tmp_path / "context" / "Containerfile").read_text()
    assert "ansible-galaxy" in containerfile or "install-from-bindep" in containerfile
