# Shared set-up for scripts/demo.sh and scripts/test.sh; source it, do not run it.
# Creates the virtual environment from the pinned test requirements (again whenever they
# change) and the ansible_collections/hwcloud/dms tree that Ansible needs to find the collection.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}
VENV=${HWCLOUD_DMS_VENV:-$REPO_ROOT/.venv}

ensure_venv() {
  local stamp="$VENV/.requirements.sha256"
  local wanted
  wanted=$(cat "$REPO_ROOT/requirements.txt" "$REPO_ROOT/tests/requirements.txt" | sha256sum | cut -d' ' -f1)
  if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "== creating virtual environment $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      -r "$REPO_ROOT/requirements.txt" -r "$REPO_ROOT/tests/requirements.txt"
    echo "$wanted" > "$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
  # Never let Ansible discover another interpreter (a broken pyenv shim may be first on PATH).
  export ANSIBLE_PYTHON_INTERPRETER="$VENV/bin/python"
}

# ansible_collections/hwcloud/dms -> the repository, outside the repository so no tool walks a loop.
ensure_collection_tree() {
  COLLECTIONS_ROOT=${HWCLOUD_DMS_COLLECTIONS:-${TMPDIR:-/tmp}/hwcloud-dms-collections-$(printf %s "$REPO_ROOT" | sha256sum | cut -c1-12)}
  mkdir -p "$COLLECTIONS_ROOT/ansible_collections/hwcloud"
  ln -sfn "$REPO_ROOT" "$COLLECTIONS_ROOT/ansible_collections/hwcloud/dms"
  export ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS_ROOT"
  # Tests import the collection as ansible_collections.hwcloud.dms, as Ansible does.
  export PYTHONPATH="$COLLECTIONS_ROOT${PYTHONPATH:+:$PYTHONPATH}"
  export HWCLOUD_DMS_COLLECTIONS="$COLLECTIONS_ROOT"
}
