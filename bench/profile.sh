#!/usr/bin/env bash
# Instructions per call, counted by valgrind's callgrind on the calling
# thread only (immune to the shared machine's noise and to the in-process
# dev tenant's threads): a baseline run (0 calls) and one run per op with N
# calls; (Ir - baseline Ir) / N.
#   bash bench/profile.sh        (after `cargo bench --no-run -p auth0-native`)
#   PROFILE_FUNCTIONS=1 bash bench/profile.sh
#                                also builds an unstripped copy with line
#                                tables (target dir $target-prof) and prints
#                                the inclusive cost per call of the top
#                                functions of parse_hash and parse_hash_c
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
if [ -n "${PROFILE_FUNCTIONS:-}" ]; then
  target=$target-prof
  CARGO_TARGET_DIR=$target CARGO_PROFILE_BENCH_STRIP=false CARGO_PROFILE_BENCH_DEBUG=line-tables-only \
    CARGO_PROFILE_RELEASE_STRIP=false CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
    cargo bench --no-run -q -p auth0-native --bench profile
fi
bin=$(ls -t "$target"/release/deps/profile-* | grep -v '\.d$' | head -1)
n=${N:-200}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ir() { # op count -> Ir of the main thread
  valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$dir/$1.$2" "$bin" "$1" "$2" >/dev/null 2>&1
  awk '/^(summary|totals):/ {print $2; exit}' "$dir/$1.$2-01"
}
ops="verify validate parse_hash parse_hash_c url url_c"
base=$(ir verify 0)
for op in $ops; do (echo "$op $(ir "$op" "$n")" >"$dir/$op.out") & done
wait
for op in $ops; do
  read -r _ v <"$dir/$op.out"
  echo "FIGURE instructions_per_call_$op $(( (v - base) / n ))"
done
if [ -n "${PROFILE_FUNCTIONS:-}" ]; then
  for op in parse_hash parse_hash_c; do
    echo "== $op: inclusive instructions per call of the top functions"
    callgrind_annotate --inclusive=yes "$dir/$op.$n-01" 2>/dev/null |
      awk -v n="$n" '/^ *[0-9,]+ +\(/ {x=$1; gsub(",", "", x); if (x / n > 2000) {
          sub(/^ *[0-9,]+ +\( *[0-9.]+%\) +/, ""); printf "%9.1fk  %s\n", x / n / 1000, substr($0, 1, 150) } }' |
      head -60
  done
fi
