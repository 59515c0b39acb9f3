#!/usr/bin/env bash
# Installs the Python module from source (maturin comes from PyPI through
# pip's build isolation) with the test tools, then runs its tests, stubtest
# included (tests/test_stubs.py). Run from anywhere; idempotent.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
python="${PYTHON:-python3}"

PIP_ROOT_USER_ACTION=ignore "$python" -m pip install --quiet --disable-pip-version-check ./bindings/python pytest mypy
"$python" -m pytest bindings/python/tests -q "$@"
