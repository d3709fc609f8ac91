#!/usr/bin/env bash
# Runs every test from a fresh clone: creates .venv, installs the pinned tools, then runs
# the unit tests, the emulator's own tests and the integration targets against the emulator.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_venv
ensure_collection_tree
cd "$HWCLOUD_DMS_COLLECTIONS/ansible_collections/hwcloud/dms"
echo "== pytest: unit, emulator and integration tests"
python -m pytest -p no:cacheprovider tests/unit tests/emulator tests/integration "$@"
