#!/usr/bin/env bash
# Makes (once) a venv of its own, installs the Python module from source into
# it (maturin comes from PyPI through pip's build isolation) with the test
# tools, then runs its tests, stubtest
# included (tests/test_stubs.py). The network tests start the dev tenant
# binary themselves (tests/conftest.py builds it with cargo once per run).
# Run from anywhere; idempotent.
#
# Build profile: the tests install a `dev`-profile build of the module
# (MATURIN_PEP517_ARGS="--profile dev"). The release profile (LTO, one
# codegen unit) relinks the whole core with LTO on every core change —
# measured on the 2-core dev machine after touching src/lib.rs: ~2.5 min for
# the release install against ~30 s for the dev one (the first dev build,
# with no cached dependencies, takes as long as a release one). The tests
# check behaviour, not speed, so the dev build tests the same code; users'
# `pip install ./bindings/python` still builds release. To test the release
# build: AUTH0_PYTHON_TEST_PROFILE=release bash bindings/python/run_tests.sh
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
base_python="${PYTHON:-python3}"
profile="${AUTH0_PYTHON_TEST_PROFILE:-dev}"
# Never the machine's own Python: a venv beside the build output.
venv="${AUTH0_PYTHON_VENV:-${CARGO_TARGET_DIR:-$repo_root/target}/py-test-venv}"
if [ ! -x "$venv/bin/python" ]; then
    "$base_python" -m venv "$venv"
fi
python="$venv/bin/python"

MATURIN_PEP517_ARGS="--profile $profile" PIP_ROOT_USER_ACTION=ignore \
    "$python" -m pip install --quiet --disable-pip-version-check ./bindings/python pytest mypy
"$python" -m pytest bindings/python/tests -q "$@"
