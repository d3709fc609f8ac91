#!/usr/bin/env bash
# The demo from a fresh clone: creates .venv, starts the local DMS emulator, runs
# examples/demo.yml (create a dumping task, rerun it unchanged, delete it), stops the emulator.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_venv "$REPO_ROOT/.venv"
ensure_collection_tree
workdir=$(mktemp -d)
trap 'kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; rm -rf "$workdir"' EXIT
python "$REPO_ROOT/tests/emulator/dms_emulator.py" --host 127.0.0.1 --port 0 --port-file "$workdir/port" &
emulator_pid=$!
for _ in $(seq 100); do [ -s "$workdir/port" ] && break; sleep 0.1; done
[ -s "$workdir/port" ] || { echo "the emulator did not start" >&2; exit 1; }
# The emulator's demo credentials, given the way users give theirs: the process environment.
export HUAWEICLOUD_DMS_ENDPOINT="http://127.0.0.1:$(cat "$workdir/port")"
export HUAWEICLOUD_SDK_AK=EMULATORAK0000000001
export HUAWEICLOUD_SDK_SK=EmulatorSecretKey00000000000000000000001
export HUAWEICLOUD_SDK_PROJECT_ID=0123456789abcdef0123456789abcdef
ansible-playbook -i localhost, -c local "$REPO_ROOT/examples/demo.yml" "$@"
