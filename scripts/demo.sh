#!/usr/bin/env bash
# The demo from a fresh clone: creates .venv, starts the local DMS emulator, runs
# examples/demo.yml (create a dumping task, rerun it unchanged, delete it), stops the emulator.
# ./scripts/demo.sh examples/smart_connect.yml runs the Smart Connect example instead; other
# arguments go to ansible-playbook (--check --diff, -v).
# The emulator's credentials reach the modules the way users give theirs: the process environment
# (HUAWEICLOUD_SDK_AK / _SK / _PROJECT_ID, HUAWEICLOUD_DMS_ENDPOINT), set by tests/harness.py.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
playbook="$REPO_ROOT/examples/demo.yml"
if [ $# -gt 0 ] && [[ "$1" == *.yml ]]; then
  playbook=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
  shift
fi
ensure_venv "$REPO_ROOT/.venv"
ensure_collection_tree
exec python "$REPO_ROOT/tests/harness.py" playbook "$playbook" "$@"
