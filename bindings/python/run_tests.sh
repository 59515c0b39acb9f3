#!/usr/bin/env bash
# The Python suite, run against the installed wheel (not the source tree):
#
# 1. a build venv (target/py-build-venv) with pinned maturin, zig (the
#    `ziglang` package) and auditwheel;
# 2. the sdist (`maturin sdist`), unpacked, and the wheel built once FROM it
#    (so the sdist is proven to build) for manylinux_2_17 with zig as the
#    C compiler and linker, abi3 (CPython >= 3.10);
# 3. `auditwheel show` must find the wheel consistent with manylinux_2_17;
# 4. a FRESH venv (target/py-test-venv, removed first) gets the wheel, pytest
#    and mypy, and pytest runs from a directory outside the source tree
#    (tests/test_install.py checks that `auth0_native` came from
#    site-packages and that the wheel carries the stubs, py.typed and the
#    license).
#
# Every pip goes into a venv this script makes, never the machine's Python.
# The network tests start the dev tenant binary themselves
# (tests/conftest.py builds it with cargo once per run). Run from anywhere;
# arguments go to pytest (`-x -q -k expr`).
#
# Build profile: the test wheel is a `dev`-profile build
# (AUTH0_PYTHON_TEST_PROFILE=release for the release one). The release
# profile (LTO, one codegen unit) relinks the whole core with LTO on every
# core change — ~2.5 min against ~30 s on a 2-core machine — and the tests
# check behaviour, not speed. The first build compiles every dependency for
# the zig target (target/x86_64-unknown-linux-gnu/, ~4-7 min on 2 cores);
# later ones only the workspace crates.
#
# Set AUTH0_PYTHON_WHEEL_OUT to keep the wheels elsewhere; the dev tenant's
# wheel (tests/devtenant/python) is built by scripts/test-all.sh's
# dev-tenant section with the same build venv.
#
# AUTH0_PYTHON_STEPS=wheel stops after step 3 (the wheel, checked by
# auditwheel); AUTH0_PYTHON_STEPS=test starts at step 4 with the wheel a
# `wheel` run left in the wheel directory. scripts/test-all.sh builds the
# wheel in the background while the other suites run, then tests it.
# AUTH0_PYTHON_BUILD_TARGET_DIR is the cargo target directory of the wheel
# build only (default: $CARGO_TARGET_DIR): a build running next to another
# cargo needs its own, or each waits for the other's lock.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo_root"
base_python="$(command -v "${PYTHON:-python3}")"
profile="${AUTH0_PYTHON_TEST_PROFILE:-dev}"
target="${CARGO_TARGET_DIR:-$repo_root/target}"
export CARGO_TARGET_DIR="$target"
out="${AUTH0_PYTHON_WHEEL_OUT:-$target/wheels}"
steps="${AUTH0_PYTHON_STEPS:-all}"
case "$steps" in all | wheel | test) ;; *) echo "AUTH0_PYTHON_STEPS must be all, wheel or test, not '$steps'" >&2; exit 2 ;; esac
build_target="${AUTH0_PYTHON_BUILD_TARGET_DIR:-$target}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

# shellcheck source=build-venv.sh
. "$repo_root/bindings/python/build-venv.sh"
build_venv="$(python_build_venv "$base_python" "$target")"
# maturin finds zig as `python -m ziglang` of the python on PATH.
export PATH="$build_venv/bin:$PATH"

step() { printf '\n-- %s\n' "$1"; }

if [ "$steps" != test ]; then
step "sdist"
rm -rf "$out/auth0_native-"* "$target/py-sdist"
mkdir -p "$out" "$target/py-sdist"
(cd bindings/python && maturin sdist --out "$out")
sdist=$(ls "$out"/auth0_native-*.tar.gz)
# -m: the files get the time of unpacking. maturin writes the sdist with one
# fixed old mtime, which cargo would take for "older than the last build" and
# so test a stale module after an edit.
tar -xzmf "$sdist" -C "$target/py-sdist"

step "wheel (from the sdist, $profile profile, manylinux_2_17 via zig; maturin's progress follows)"
(cd "$target"/py-sdist/auth0_native-* &&
    CARGO_TARGET_DIR="$build_target" nice -n 5 maturin build --profile "$profile" --strip \
        --compatibility manylinux_2_17 --zig --out "$out")
wheel=$(ls "$out"/auth0_native-*.whl)

step "auditwheel show"
auditwheel show "$wheel" | tee "$target/auditwheel-show.txt"
# (auditwheel wraps its lines: join them before matching.)
tr '\n' ' ' <"$target/auditwheel-show.txt" |
    grep -q 'consistent with the following platform tag: *"manylinux_2_17_' || {
    echo "auditwheel does not find $wheel consistent with manylinux_2_17" >&2
    exit 1
}
fi
[ "$steps" != wheel ] || exit 0
wheel=$(ls "$out"/auth0_native-*.whl)

step "a fresh venv with the wheel"
venv="${AUTH0_PYTHON_VENV:-$target/py-test-venv}"
rm -rf "$venv"
"$base_python" -m venv "$venv"
python="$venv/bin/python"
# pytest-xdist: scripts/test-all.sh runs the suite in 3 processes (`-n 3`);
# each worker starts its own session tenants (conftest.py).
"$python" -m pip install --quiet "$wheel" pytest mypy pytest-xdist==3.8.0

step "pytest (from outside the source tree)"
run_dir="$target/py-test-run"
mkdir -p "$run_dir"
cd "$run_dir"
AUTH0_EXPECT_WHEEL="$(basename "$wheel")" \
    "$python" -m pytest "$repo_root/bindings/python/tests" -q -p no:cacheprovider "$@"
