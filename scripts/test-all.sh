#!/usr/bin/env bash
# The test command: installs what the tests need (idempotently) and runs every
# suite — Rust (core, header, dev tenant, browser), C (with valgrind), C++
# (with valgrind), the C/C++ consumer builds (install, pkg-config, CMake),
# Python (on the installed wheel), the dev tenant's pytest plugin — then
# prints one closing line "N passed, N failed" summed over all of them.
#
#   bash scripts/test-all.sh            # everything
#   SKIP_INSTALL=1 bash scripts/test-all.sh   # when the tools are already there
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CARGO_TERM_COLOR=never
logdir=${AUTH0_TEST_LOGS:-$root/target/test-logs}
mkdir -p "$logdir"

passed=0
failed=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); }
section() { printf '\n== %s ==\n' "$1"; }

if [ -z "${SKIP_INSTALL:-}" ]; then
  section "install"
  bash scripts/install-test-deps.sh || { echo "installing the test dependencies failed"; exit 2; }
fi

section "lint: cargo fmt --check, clippy -D warnings (and each cargo feature of the core left out)"
if cargo fmt --all -- --check >"$logdir/fmt.log" 2>&1; then add 1 0; echo "fmt: ok"; else add 0 1; echo "fmt: FAILED"; tail -20 "$logdir/fmt.log"; fi
if cargo clippy --workspace --all-targets -- -D warnings >"$logdir/clippy.log" 2>&1; then add 1 0; echo "clippy: ok"; else add 0 1; echo "clippy: FAILED"; grep -E '^(error|warning)' -A8 "$logdir/clippy.log" | head -60; fi
# The core's cargo features (interactive, qr, keyring; all on by default):
# each left out alone, and all of them, still builds clean (the library and
# its unit tests, checked by clippy); the unit tests run with all of them
# left out (with all of them on, the rust suite below runs them). Checking
# rather than building each set keeps this section to a minute.
for features in "--no-default-features" "--no-default-features --features interactive,qr" "--no-default-features --features keyring,qr" "--no-default-features --features interactive,keyring"; do
  name="core with $features"
  run_tests=true
  [ "$features" = "--no-default-features" ] || run_tests=false
  # shellcheck disable=SC2086 # the feature flags are words on purpose
  if cargo clippy -p auth0-native --lib --profile test $features -- -D warnings >"$logdir/features.log" 2>&1 &&
     { ! $run_tests || cargo test -q -p auth0-native --lib $features >>"$logdir/features.log" 2>&1; }; then
    add 1 0; echo "$name: ok"
  else
    add 0 1; echo "$name: FAILED"; grep -E '^(error|warning)|FAILED|panicked' -A8 "$logdir/features.log" | head -40
  fi
done

section "rust: cargo test (core, header, dev tenant)"
cargo test --no-fail-fast --workspace --exclude auth0-native-python 2>&1 | tee "$logdir/rust.log" | grep -E '^(test result|failures:|---- )|panicked' 
rust_rc=${PIPESTATUS[0]}
read -r rp rf < <(awk '/^test result:/ { for (i=1;i<=NF;i++) { if ($(i+1) ~ /^passed;?$/) p+=$i; if ($(i+1) ~ /^failed;?$/) f+=$i } } END { print p+0, f+0 }' "$logdir/rust.log")
if [ "$rust_rc" -ne 0 ] && [ "$rf" -eq 0 ]; then rf=1; echo "cargo test failed to build or run (see $logdir/rust.log)"; tail -30 "$logdir/rust.log"; fi
echo "rust: $rp passed, $rf failed"
add "$rp" "$rf"

section "main job: cargo run --example quickstart (README command 1)"
if cargo run -q --example quickstart >"$logdir/quickstart.log" 2>&1 && grep -q "login end to end: ok" "$logdir/quickstart.log"; then
  add 1 0; echo "quickstart: ok"
else
  add 0 1; echo "quickstart: FAILED"; tail -20 "$logdir/quickstart.log"
fi

# Runs one suite script, shows its output, and adds its counts to the total.
#   suite NAME plain|pytest HEADING COMMAND...
# plain: the suite ends with a line "N passed, N failed"; pytest: pytest's
# closing line. A suite that fails without saying how many counts 1 failed.
summary=""
suite() {
  local name=$1 format=$2 heading=$3; shift 3
  section "$heading"
  "$@" 2>&1 | tee "$logdir/$name.log"
  local rc=${PIPESTATUS[0]} p f
  if [ "$format" = plain ]; then
    read -r p f < <(tail -n 5 "$logdir/$name.log" | awk '/^[0-9]+ passed, [0-9]+ failed/ { p=$1; f=$3 } END { print p+0, f+0 }')
  else
    read -r p f < <(awk '/ passed| failed| error/ && /[0-9]+ (passed|failed)/ { p=0; f=0; for (i=1;i<=NF;i++) { if ($(i+1) ~ /^passed/) p=$i; if ($(i+1) ~ /^(failed|errors?)/) f+=$i } } END { print p+0, f+0 }' "$logdir/$name.log")
  fi
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  add "$p" "$f"
  summary="$summary, $name $p/$f"
}

suite keyring plain "keyring: tests/keyring (the keyring backend against a real Secret Service)" bash tests/keyring/run.sh
suite c plain "c: tests/c (shared + static, valgrind memcheck)" bash tests/c/run.sh
suite c++ plain "c++: tests/cpp (include/auth0.hpp against the dev tenant, valgrind memcheck)" bash tests/cpp/run.sh
suite consumer plain "consumer: tests/consumer (scripts/install.sh, pkg-config shared/static, CMake find_package)" bash tests/consumer/run.sh
suite python pytest "python: the manylinux wheel from the sdist, auditwheel, pytest + stubtest on the installed wheel" bash bindings/python/run_tests.sh
suite fuzz plain "fuzz: every cargo-fuzz target of fuzz/ for 10 s from its seed corpus (ASan)" bash scripts/fuzz.sh 10
suite devtenant-python pytest "dev tenant for users: cargo install, the auth0-devtenant wheel, its pytest plugin and a sample app suite" bash tests/devtenant/python/run_tests.sh

section "summary"
echo "rust $rp/$rf$summary (passed/failed; logs in $logdir)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
