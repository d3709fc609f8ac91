#!/usr/bin/env bash
# ansible-test sanity, offline-capable, with no ignore files: the full suite on Python 3.11 and the
# compile test on every other Python that ansible-core supports and this machine has.
# Called by scripts/test.sh with the virtual environment active.
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# ansible-test downloads get-pip.py before installing each sanity test's requirements; offline that
# fails. Put our ensurepip-based stand-in where it looks for its cached copy, unless one is there.
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
ansible_test_dir=$(python -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')
for version in $(grep -ho "pip='[0-9.]*'" "$ansible_test_dir/_internal/python_requirements.py" | tr -d "pip='" | sort -u); do
  bootstrap="$cache/get_pip_${version//./_}.py"
  [ -f "$bootstrap" ] || cp "$REPO_ROOT/tests/sanity/get_pip_offline.py" "$bootstrap"
done

# ansible-test wants a real ansible_collections/hwcloud/dms tree holding only the collection's files.
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
collection="$tree/ansible_collections/hwcloud/dms"
mkdir -p "$collection"
(cd "$REPO_ROOT" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$collection")
cd "$collection"

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
