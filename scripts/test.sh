#!/usr/bin/env bash
# Every test and release gate, from a fresh clone: creates .venv (newest pinned tools) and
# .venv-oldest (the oldest ansible-core requires_ansible admits), then runs, in order:
#   pytest: unit, emulator, integration (against the emulator), AWX job, execution environment
#   ansible-test sanity (no ignores; compile on 3.12 and 3.13 too), ansible-test units and integration (as the
#   collection CI of Galaxy and Automation Hub runs them), ansible-lint production,
#   galaxy-importer, antsibull-docs lint + Sphinx build (offline), antsibull-changelog lint,
#   pytest unit + integration again on the oldest ansible-core.
# HWCLOUD_DMS_QUICK=1 runs only the first (pytest) gate. Extra arguments go to that pytest run.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ensure_collection_tree
cd "$HWCLOUD_DMS_COLLECTIONS/ansible_collections/hwcloud/dms"
logs=$(mktemp -d)
summary=()
failed=0

# gate NAME COMMAND...: run it, keep its output in a log, record its time and its last line.
gate() {
  local name=$1
  shift
  local log="$logs/$(echo "$name" | tr -c 'A-Za-z0-9' '_').log"
  local started=$SECONDS status=0
  echo "== $name"
  # A pipe, not a process substitution: tee has written the whole log before its last line is read.
  "$@" 2>&1 | tee "$log" || status=$?
  local last
  # The last line that says something: not a blank, a pip mirror notice nor a warning.
  last=$(grep -v -e '^\s*$' -e "Location '" -e '^WARNING' -e '^\[WARNING\]' "$log" | tail -n 1 || true)
  [ -n "$last" ] || last="(no output)"
  summary+=("$(printf '%-44s %4ss  %s  %s' "$name" "$((SECONDS - started))" "$([ $status = 0 ] && echo ok || echo FAILED)" "$last")")
  [ $status = 0 ] || failed=1
}

# The importer exits 0 even when it warns; what a user would see on Galaxy must be clean too.
build_and_import() {
  local out report
  out=$(mktemp -d)
  ansible-galaxy collection build --output-path "$out" .
  # From $out: the importer writes importer_result.json into its working directory.
  report=$(cd "$out" && python -m galaxy_importer.main "$out"/hwcloud-dms-*.tar.gz 2>&1)
  echo "$report"
  ! echo "$report" | grep -E '^(WARNING|ERROR)'
}

ensure_venv "$REPO_ROOT/.venv" "$REPO_ROOT/tests/requirements.txt"
gate "pytest, ansible-core $(python -c 'import ansible; print(ansible.__version__)' 2>/dev/null)" \
  python -m pytest -p no:cacheprovider -n "${HWCLOUD_DMS_WORKERS:-2}" tests/unit tests/emulator tests/integration tests/release "$@"
if [ "${HWCLOUD_DMS_QUICK:-0}" != 1 ]; then
  gate "ansible-test sanity" bash tests/sanity/run.sh
  gate "ansible-test units" bash tests/ansible_test.sh units
  gate "ansible-test integration" bash tests/ansible_test.sh integration
  gate "ansible-lint --profile production" ansible-lint --profile production --offline --nocolor
  gate "galaxy-importer" build_and_import
  gate "antsibull-docs lint-collection-docs" \
    sh -c 'antsibull-docs lint-collection-docs --plugin-docs . && echo "collection docs: no problems found"'
  gate "docs site build (Sphinx, offline)" bash docs/sphinx/build.sh
  gate "antsibull-changelog lint" sh -c 'antsibull-changelog lint && echo "changelog: no problems found"'
  ensure_venv "$REPO_ROOT/.venv-oldest" "$REPO_ROOT/tests/requirements-oldest.txt"
  gate "pytest unit+integration, ansible-core $(python -c 'import ansible; print(ansible.__version__)' 2>/dev/null)" \
    python -m pytest -p no:cacheprovider -n "${HWCLOUD_DMS_WORKERS:-2}" tests/unit tests/integration
fi

echo
echo "== summary (gate, seconds, result, last line)"
printf '%s\n' "${summary[@]}"
rm -rf "$logs"
exit $failed
