#!/usr/bin/env bash
# ansible-test sanity, offline-capable, with no ignore files: the full suite on Python 3.11 and the
# compile test on every other Python that ansible-core supports and this machine has.
# Called by scripts/test.sh with the virtual environment active.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

source "$REPO_ROOT/tests/ansible_test_tree.sh"
ansible_test_tree

ansible-test sanity --local --python 3.11 --color no

# The compile test needs no requirements; run it under each other Python found here.
for version in 3.12 3.13; do
  interpreter=""
  for candidate in "python$version" "$(pyenv root 2>/dev/null)/versions/$version"*/bin/"python$version"; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys' >/dev/null 2>&1; then
      interpreter=$(command -v "$candidate")
      break
    fi
  done
  if [ -z "$interpreter" ]; then
    echo "compile test: no working Python $version here, skipped"
    continue
  fi
  ansible-test sanity --test compile --python "$version" --python-interpreter "$interpreter" --color no
done
echo "sanity: every test passed on Python 3.11; compile passed on the other Pythons found"
