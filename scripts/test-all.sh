#!/usr/bin/env bash
# The test command: installs what the tests need (idempotently) and runs every
# suite — Rust (core, header, dev tenant, browser), C (with valgrind), C++
# (with valgrind), the C/C++ consumer builds (install, pkg-config, CMake),
# Python (on the installed wheel), the dev tenant's pytest plugin — then
# prints one closing line "N passed, N failed" summed over all of them.
#
#   bash scripts/test-all.sh            # everything
#   SKIP_INSTALL=1 bash scripts/test-all.sh   # when the tools are already there
#
# Each section ends with a line "phase NAME: N s" (wall time) and the
# summary lists them. Where the time goes, and why it is laid out so:
# - One debug build of the workspace (section "build": its libraries, bins,
#   tests and examples, hence the C library and the dev tenant) serves the
#   rust, keyring, c, c++ and consumer suites. They select packages
#   differently (-p auth0-native-c, -p auth0-native), and Cargo unifies the
#   dependencies' features over the selected packages, so each selection
#   would compile its own copy of ~50 crates (the core included);
#   AUTH0_TEST_PREBUILT=1 tells the C, C++ and consumer suites to take the
#   build's, and the keyring suite selects as the build does.
# - Debug info is line tables only (file:line and inlined frames for
#   backtraces and valgrind; no variable info): the test binaries are
#   ~140 MB each with full debug info, and writing and linking that is much
#   of a debug build's time.
# - The builds no suite waits for at once run in the background at nice 10
#   (AUTH0_TEST_BG_NICE), so they take mostly the CPU the suites leave idle (tests waiting on
#   sockets, timeouts, the dev tenant): the fuzz targets' ASan build and the
#   two wheels (own target directory: two cargos on one directory wait for
#   each other's lock). Their output is printed, in full, in the section
#   that uses them.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CARGO_TERM_COLOR=never
export CARGO_PROFILE_DEV_DEBUG=line-tables-only CARGO_PROFILE_TEST_DEBUG=line-tables-only
logdir=${AUTH0_TEST_LOGS:-$root/target/test-logs}
mkdir -p "$logdir"
target_dir=${CARGO_TARGET_DIR:-$root/target}

passed=0
failed=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); }
section() { printf '\n== %s ==\n' "$1"; }

# Phase timing: begin NAME HEADING ... end_phase prints "phase NAME: N s"
# (wall) and the summary lists each phase's wall and CPU (user+sys) time;
# the CPU time of the background builds is listed on its own.
phase_table=""
phase_name=""
phase_started=$SECONDS
phase_cpu=0
# cpu_now: sets $cpu to the user+sys seconds of this shell's finished
# children (bash's `times`, which has to run in this shell: not in $(…) or a
# pipeline, each a subshell of its own).
cpu=0
cpu_now() {
  local f="$logdir/.times.$BASHPID"
  times >"$f"
  cpu=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%d", t }' "$f")
  rm -f "$f"
}
begin() { phase_name=$1; phase_started=$SECONDS; cpu_now; phase_cpu=$cpu; section "$2"; }
end_phase() {
  cpu_now
  local s=$((SECONDS - phase_started)) c=$((cpu - phase_cpu))
  echo "phase $phase_name: $s s"
  phase_table="$phase_table$(printf '  %-22s %5d s  %5d s' "$phase_name" "$s" "$c")"$'\n'
}

# Background jobs: bg NAME COMMAND... runs COMMAND at nice $bg_nice with its output
# in $logdir/bg-NAME.log, its exit status in $logdir/bg-NAME.rc and its CPU
# time in $logdir/bg-NAME.cpu; bg_join NAME waits for it (saying how long),
# prints its log and returns its status. The job is not a child of this
# shell (a double fork), so its CPU time stays out of the phases'.
bg_nice=${AUTH0_TEST_BG_NICE:-10}
bg() {
  local name=$1; shift
  rm -f "$logdir/bg-$name.rc" "$logdir/bg-$name.cpu"
  ( (
    rc=0
    nice -n "$bg_nice" "$@" >"$logdir/bg-$name.log" 2>&1 </dev/null || rc=$?
    cpu_now
    echo "$cpu" >"$logdir/bg-$name.cpu"
    echo "$rc" >"$logdir/bg-$name.rc"
  ) & )
}
bg_join() { # NAME [JOB: the background job that writes NAME's files]
  local name=$1 job=${2:-$1} waited=$SECONDS
  while [ ! -f "$logdir/bg-$name.rc" ]; do
    if [ -f "$logdir/bg-$job.rc" ] && [ ! -f "$logdir/bg-$name.rc" ]; then
      echo "the background job $job ended without $name:"; cat "$logdir/bg-$job.log"; return 1
    fi
    sleep 1
  done
  echo "(background build $name: waited $((SECONDS - waited)) s for it; its output follows)"
  cat "$logdir/bg-$name.log"
  return "$(cat "$logdir/bg-$name.rc")"
}

if [ -z "${SKIP_INSTALL:-}" ]; then
  begin install "install"
  bash scripts/install-test-deps.sh || { echo "installing the test dependencies failed"; exit 2; }
  end_phase
fi

rm -f "$logdir"/bg-*.rc # a previous run's
bg fuzz-build bash scripts/fuzz.sh --build-only
bg wheels bash -c '
  AUTH0_PYTHON_STEPS=wheel AUTH0_PYTHON_BUILD_TARGET_DIR="$1/wheel-build" bash bindings/python/run_tests.sh \
    >"$2/bg-python-wheel.log" 2>&1
  echo $? >"$2/bg-python-wheel.rc"
  AUTH0_PYTHON_STEPS=wheel AUTH0_PYTHON_BUILD_TARGET_DIR="$1/wheel-build" bash tests/devtenant/python/run_tests.sh \
    >"$2/bg-devtenant-wheel.log" 2>&1
  echo $? >"$2/bg-devtenant-wheel.rc"' bash "$target_dir" "$logdir"

begin lint "lint: cargo fmt --check, clippy -D warnings (and each cargo feature of the core left out)"
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
end_phase

# The one debug build (see the top): what `cargo test` below builds, plus the
# C library (cdylib, staticlib) and the dev tenant binary, with one set of
# features. A failure here shows again, in full, in the rust suite.
begin build "build: the workspace, its tests and examples, the C library (debug)"
build_sel=(--workspace --exclude auth0-native-python)
if cargo build "${build_sel[@]}" --lib --bins --tests --examples >"$logdir/build.log" 2>&1; then
  echo "build: ok"
else
  echo "build: FAILED (the suites below report what it breaks)"; grep -E '^error' -A8 "$logdir/build.log" | head -40
fi
export AUTH0_TEST_PREBUILT=1
end_phase

begin rust "rust: cargo test (core, header, dev tenant)"
# Most integration tests wait on a dev tenant (deadlines, fault tables):
# four test threads per binary keep both cores busy (tests/faults_*.rs, then one file,
# goes from ~200 s to ~85 s); they ran two at a time before (the default).
RUST_TEST_THREADS=${RUST_TEST_THREADS:-4} \
  cargo test --no-fail-fast --workspace --exclude auth0-native-python 2>&1 | tee "$logdir/rust.log" | grep -E '^(test result|failures:|---- )|panicked' 
rust_rc=${PIPESTATUS[0]}
read -r rp rf < <(awk '/^test result:/ { for (i=1;i<=NF;i++) { if ($(i+1) ~ /^passed;?$/) p+=$i; if ($(i+1) ~ /^failed;?$/) f+=$i } } END { print p+0, f+0 }' "$logdir/rust.log")
if [ "$rust_rc" -ne 0 ] && [ "$rf" -eq 0 ]; then rf=1; echo "cargo test failed to build or run (see $logdir/rust.log)"; tail -30 "$logdir/rust.log"; fi
echo "rust: $rp passed, $rf failed"
add "$rp" "$rf"
end_phase

begin quickstart "main job: cargo run --example quickstart (README command 1)"
if cargo run -q --example quickstart >"$logdir/quickstart.log" 2>&1 && grep -q "login end to end: ok" "$logdir/quickstart.log"; then
  add 1 0; echo "quickstart: ok"
else
  add 0 1; echo "quickstart: FAILED"; tail -20 "$logdir/quickstart.log"
fi
end_phase

# Runs one suite script, shows its output, and adds its counts to the total.
#   suite NAME plain|pytest HEADING COMMAND...
# plain: the suite ends with a line "N passed, N failed"; pytest: pytest's
# closing line. A suite that fails without saying how many counts 1 failed.
summary=""
suite() {
  local name=$1 format=$2 heading=$3; shift 3
  begin "$name" "$heading"
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
  end_phase
}

# The suites that need a background build: wait for it, show its output,
# then test what it built.
python_suite() {
  bg_join python-wheel wheels || { echo "the wheel did not build"; return 1; }
  # Three pytest workers (pytest-xdist; each starts its own dev tenants):
  # most of the suite waits on deadlines and the tenant, so the phase went
  # from ~196 s to ~135 s of wall time with the same CPU time.
  AUTH0_PYTHON_STEPS=test AUTH0_DEVTENANT_BIN="$target_dir/debug/auth0-devtenant" bash bindings/python/run_tests.sh -n 3
}
fuzz_suite() {
  bg_join fuzz-build || { echo "0 passed, 1 failed"; return 1; }
  bash scripts/fuzz.sh "$1"
}
devtenant_python_suite() {
  bg_join devtenant-wheel wheels || { echo "the dev tenant's wheel did not build"; return 1; }
  AUTH0_PYTHON_STEPS=test bash tests/devtenant/python/run_tests.sh
}

suite keyring plain "keyring: tests/keyring (the keyring backend against a real Secret Service)" bash tests/keyring/run.sh
suite c plain "c: tests/c (shared + static, valgrind memcheck)" bash tests/c/run.sh
suite c++ plain "c++: tests/cpp (include/auth0.hpp against the dev tenant, valgrind memcheck)" bash tests/cpp/run.sh
suite consumer plain "consumer: tests/consumer (scripts/install.sh, pkg-config shared/static, CMake find_package)" bash tests/consumer/run.sh
suite python pytest "python: the manylinux wheel from the sdist, auditwheel, pytest + stubtest on the installed wheel" python_suite
suite fuzz plain "fuzz: every cargo-fuzz target of fuzz/ for 10 s from its seed corpus (ASan)" fuzz_suite 10
suite devtenant-python pytest "dev tenant for users: cargo install, the auth0-devtenant wheel, its pytest plugin and a sample app suite" devtenant_python_suite

section "summary"
echo "phases: wall, CPU (user+sys); the background builds ran inside them, at nice $bg_nice:"
printf '%s' "$phase_table"
for job in fuzz-build wheels; do
  printf '  %-22s %5s    %5d s\n' "(background $job)" "" "$(cat "$logdir/bg-$job.cpu" 2>/dev/null || echo 0)"
done
cpu_now
printf '  %-22s %5d s  %5d s\n' total "$SECONDS" "$((cpu + $(cat "$logdir/bg-fuzz-build.cpu" "$logdir/bg-wheels.cpu" 2>/dev/null | awk '{ t += $1 } END { print t + 0 }')))"
echo "rust $rp/$rf$summary (passed/failed; logs in $logdir)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
