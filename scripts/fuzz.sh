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
#
# Needs cargo-fuzz (scripts/install-test-deps.sh installs the pinned one).
# Stable Rust runs it with RUSTC_BOOTSTRAP=1 (cargo-fuzz passes nightly
# flags: -Zsanitizer, -Cpasses=sancov-module).
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-15}
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR=never

if ! command -v cargo-fuzz >/dev/null 2>&1; then
  echo "cargo-fuzz is not installed: run scripts/install-test-deps.sh"
  echo "0 passed, 1 failed"
  exit 1
fi

started=$SECONDS
mkdir -p target
if ! cargo fuzz build >target/build.log 2>&1; then
  tail -40 target/build.log
  echo "fuzz: the targets did not build (fuzz/target/build.log)"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "fuzz: built in $((SECONDS - started)) s"

passed=0
failed=0
for target in $(cargo fuzz list); do
  work="target/corpus/$target"
  mkdir -p "$work" "artifacts/$target"
  log="target/$target.log"
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a runaway
  # allocation; the seeds are read, new inputs written to $work only.
  if cargo fuzz run "$target" "$work" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 >"$log" 2>&1; then
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
