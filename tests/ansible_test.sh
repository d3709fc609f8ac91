#!/usr/bin/env bash
# ansible-test units or integration, as the collection CI that Galaxy and Automation Hub collections use runs
# them: in a clean copy of the collection, in virtual environments that ansible-test makes and fills from
# tests/unit/requirements.txt or tests/integration/requirements.txt. The integration targets start their own
# emulator (the setup_emulator target). Called by scripts/test.sh with the virtual environment active.
#   tests/ansible_test.sh units|integration [ansible-test options]
set -euo pipefail
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO_ROOT/tests/ansible_test_tree.sh"
ansible_test_tree
ansible-test "$@" --venv --python 3.11 --color no
