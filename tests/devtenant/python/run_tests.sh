#!/usr/bin/env bash
# The dev tenant as users get it, tested as they would use it:
#
# 1. `cargo install --locked --path tests/devtenant` (a debug build into
#    target/devtenant-install, so the test reuses the test build's
#    dependencies) and the installed binary serves;
# 2. the `auth0-devtenant` sdist (this directory: maturin `bindings = "bin"`)
#    and the wheel built once from it, manylinux_2_17 via zig as the
#    auth0-native wheel, checked by `auditwheel show`;
# 3. installed into the venv bindings/python/run_tests.sh made (which holds
#    the auth0-native wheel and pytest), then pytest runs, from outside the
#    source tree, this package's own tests (tests/) and the sample of an
#    app's test suite (sample_tests/) that logs in with the `devtenant`
#    fixture.
#
# Run bindings/python/run_tests.sh first. Arguments go to pytest.
# AUTH0_PYTHON_STEPS=wheel does step 2 only, AUTH0_PYTHON_STEPS=test steps 1
# and 3 with the wheel a `wheel` run left; AUTH0_PYTHON_BUILD_TARGET_DIR is
# the wheel build's cargo target directory (as in bindings/python/run_tests.sh).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
cd "$repo_root"
base_python="$(command -v "${PYTHON:-python3}")"
profile="${AUTH0_PYTHON_TEST_PROFILE:-dev}"
target="${CARGO_TARGET_DIR:-$repo_root/target}"
export CARGO_TARGET_DIR="$target"
out="${AUTH0_PYTHON_WHEEL_OUT:-$target/wheels}"
venv="${AUTH0_PYTHON_VENV:-$target/py-test-venv}"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
steps="${AUTH0_PYTHON_STEPS:-all}"
build_target="${AUTH0_PYTHON_BUILD_TARGET_DIR:-$target}"
[ "$steps" = wheel ] || [ -x "$venv/bin/python" ] || {
    echo "no $venv: run bindings/python/run_tests.sh first" >&2
    exit 2
}
# The fixture must find the binary the wheel installed, not a build of ours.
unset AUTH0_DEVTENANT_BIN

# shellcheck source=../../../bindings/python/build-venv.sh
. "$repo_root/bindings/python/build-venv.sh"
build_venv="$(python_build_venv "$base_python" "$target")"
export PATH="$build_venv/bin:$PATH"

step() { printf '\n-- %s\n' "$1"; }

if [ "$steps" != wheel ]; then
step "cargo install --locked --path tests/devtenant"
install_root="$target/devtenant-install"
cargo install --quiet --locked --offline --debug --force --path tests/devtenant --root "$install_root"
"$base_python" - "$install_root/bin/auth0-devtenant" <<'PY'
import json, subprocess, sys
p = subprocess.Popen([sys.argv[1], "--json"], stdout=subprocess.PIPE, text=True)
try:
    info = json.loads(p.stdout.readline())
    assert info["domain"].startswith("http://127.0.0.1:"), info
    print("the installed auth0-devtenant serves on", info["domain"])
finally:
    p.terminate()
    p.wait(10)
PY
fi

if [ "$steps" != test ]; then
step "the auth0-devtenant sdist, and the wheel built from it ($profile profile, manylinux_2_17 via zig)"
rm -rf "$out"/auth0_devtenant-* "$target/py-devtenant-sdist"
mkdir -p "$out" "$target/py-devtenant-sdist"
(cd tests/devtenant/python && maturin sdist --out "$out")
tar -xzf "$out"/auth0_devtenant-*.tar.gz -C "$target/py-devtenant-sdist"
(cd "$target"/py-devtenant-sdist/auth0_devtenant-* &&
    CARGO_TARGET_DIR="$build_target" nice -n 5 maturin build --profile "$profile" --strip \
        --compatibility manylinux_2_17 --zig --out "$out")
wheel=$(ls "$out"/auth0_devtenant-*.whl)
auditwheel show "$wheel" | tee "$target/auditwheel-devtenant.txt"
tr '\n' ' ' <"$target/auditwheel-devtenant.txt" |
    grep -q 'consistent with the following platform tag: *"manylinux_2_17_' || {
    echo "auditwheel does not find $wheel consistent with manylinux_2_17" >&2
    exit 1
}
fi
[ "$steps" != wheel ] || exit 0
wheel=$(ls "$out"/auth0_devtenant-*.whl)

step "installed into $venv; pytest from outside the source tree"
"$venv/bin/python" -m pip install --quiet --force-reinstall --no-deps "$wheel"
run_dir="$target/py-devtenant-run"
mkdir -p "$run_dir"
cd "$run_dir"
"$venv/bin/python" -m pytest -q -p no:cacheprovider -p pytester \
    "$repo_root/tests/devtenant/python/tests" "$repo_root/tests/devtenant/python/sample_tests" "$@"
