#!/usr/bin/env bash
# The fuzz suite: builds every cargo-fuzz target of fuzz/ once (release,
# AddressSanitizer, the default of `cargo fuzz`) and runs each for SECONDS
# (default 15) from its seed corpus (fuzz/corpus/<target>, read only; what
# the run finds goes to fuzz/target/corpus/<target>). Prints each target's
# figures (executions, corpus size, coverage) and ends with one line
# "N passed, N failed" (one per target; a failed build counts 1 failed).
# Exits non-zero on any crash, leak, timeout or out-of-memory; the input
# that did it is left in fuzz/artifacts/<target>/ and named in the output.
#
#   bash scripts/fuzz.sh [SECONDS]
#   bash scripts/fuzz.sh --build-only   # the build alone (scripts/test-all.sh
#                                       # runs it in the background first)
#
# FUZZ_PROFILE=dev builds with the dev profile (`cargo fuzz build --dev`:
# no optimisation, debug assertions and overflow checks on, still ASan and
# coverage): a fraction of the release build's time (231 s CPU for all
# eight), but 10-100x fewer executions a second, so a 10 s run may not get
# through a target's seed corpus (hostile_token: 83 executions of ~570
# seeds on a loaded machine). scripts/test-all.sh keeps release.
#
# The targets run FUZZ_JOBS at a time (default: the number of cores; each
# libFuzzer process is one thread), their reports printed in list order.
#
# Needs cargo-fuzz (scripts/install-test-deps.sh installs the pinned one).
# Stable Rust runs it with RUSTC_BOOTSTRAP=1 (cargo-fuzz passes nightly
# flags: -Zsanitizer, -Cpasses=sancov-module).
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
build_only=false
if [ "${1:-}" = --build-only ]; then build_only=true; shift; fi
seconds=${1:-15}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
case "${FUZZ_PROFILE:-release}" in
release) build_flags=(--release) ;;
dev) build_flags=(--dev) ;;
*) echo "FUZZ_PROFILE must be release or dev"; echo "0 passed, 1 failed"; exit 1 ;;
esac
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR=never

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "cargo-fuzz is not installed: run scripts/install-test-deps.sh"
  echo "0 passed, 1 failed"
  exit 1
fi

started=$SECONDS
mkdir -p target
if ! cargo fuzz build "${build_flags[@]}" >target/build.log 2>&1; then
  tail -40 target/build.log
  echo "fuzz: the targets did not build (fuzz/target/build.log)"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "fuzz: built (${FUZZ_PROFILE:-release} profile) in $((SECONDS - started)) s"
$build_only && exit 0

# run_target TARGET: one fuzz run; its exit status goes to target/TARGET.rc.
run_target() {
  local target=$1 work="target/corpus/$1" log="target/$1.log" rc=0
  mkdir -p "$work" "artifacts/$target"
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a runaway
  # allocation; the seeds are read, new inputs written to $work only.
  cargo fuzz run "${build_flags[@]}" "$target" "$work" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 >"$log" 2>&1 || rc=$?
  echo "$rc" >"target/$target.rc"
}

targets=$(cargo fuzz list)
running=0
for target in $targets; do
  rm -f "target/$target.rc"
  run_target "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait

passed=0
failed=0
for target in $targets; do
  log="target/$target.log"
  if [ "$(cat "target/$target.rc" 2>/dev/null)" = 0 ]; then
    status=ok
    passed=$((passed + 1))
  else
    status=FAILED
    failed=$((failed + 1))
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")
  printf 'fuzz %-18s %-6s execs %-9s corpus %-12s cov %s\n' "$target" "$status" \
    "${execs:-?}" "${corp:-?}" "${cov:-?}"
  if [ "$status" = FAILED ]; then
    grep -E 'ERROR: libFuzzer|ERROR: AddressSanitizer|panicked at|^SUMMARY|Test unit written to|artifact_prefix' "$log" | head -20
    tail -5 "$log"
  fi
done
echo "fuzz: ${seconds} s per target, $((SECONDS - started)) s in all"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
