# Shared set-up for scripts/demo.sh, scripts/test.sh and benchmarks/run.sh; source it, do not run it.
# Creates virtual environments from pinned requirements (again whenever they change) and the
# ansible_collections/hwcloud/dms tree that Ansible needs to find the collection.
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}

# ensure_venv [DIR [REQUIREMENTS]]: the environment in DIR (default .venv) with the modules'
# requirements and REQUIREMENTS (default tests/requirements.txt), put first on PATH.
ensure_venv() {
  local venv=${1:-$REPO_ROOT/.venv}
  local requirements=${2:-$REPO_ROOT/tests/requirements.txt}
  local stamp="$venv/.requirements.sha256"
  local wanted
  wanted=$(cat "$REPO_ROOT/requirements.txt" "$requirements" | sha256sum | cut -d' ' -f1)
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "== creating virtual environment $venv from ${requirements#"$REPO_ROOT"/}"
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      -r "$REPO_ROOT/requirements.txt" -r "$requirements"
    echo "$wanted" > "$stamp"
  fi
  export PATH="$venv/bin:$PATH"
  # Never let Ansible discover another interpreter (a broken pyenv shim may be first on PATH).
  export ANSIBLE_PYTHON_INTERPRETER="$venv/bin/python"
}

# ansible_collections/hwcloud/dms -> the repository, outside the repository so no tool walks a loop.
ensure_collection_tree() {
  COLLECTIONS_ROOT=${HWCLOUD_DMS_COLLECTIONS:-${TMPDIR:-/tmp}/hwcloud-dms-collections-$(printf %s "$REPO_ROOT" | sha256sum | cut -c1-12)}
  mkdir -p "$COLLECTIONS_ROOT/ansible_collections/hwcloud"
  ln -sfn "$REPO_ROOT" "$COLLECTIONS_ROOT/ansible_collections/hwcloud/dms"
  export ANSIBLE_COLLECTIONS_PATH="$COLLECTIONS_ROOT"
  export HWCLOUD_DMS_COLLECTIONS="$COLLECTIONS_ROOT"
  # Tests import the collection as ansible_collections.hwcloud.dms, as Ansible does.
  export PYTHONPATH="$COLLECTIONS_ROOT${PYTHONPATH:+:$PYTHONPATH}"
}
