#!/usr/bin/env bash
# The benchmark from a fresh clone: sets up .venv and the collection tree like scripts/test.sh,
# then prints the tables of benchmarks/run.py. Arguments go to run.py (--repeat, --loop, --scale).
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"
ensure_venv "$REPO_ROOT/.venv"
ensure_collection_tree
cd "$HWCLOUD_DMS_COLLECTIONS/ansible_collections/hwcloud/dms"
python benchmarks/run.py "$@"
