# Sourced by the scripts that run ansible-test (tests/sanity/run.sh, tests/ansible_test.sh), with REPO_ROOT set
# and the virtual environment active. ansible_test_tree makes what ansible-test needs and changes into it.

ansible_test_tree() {
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
}
