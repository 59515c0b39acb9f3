#!/usr/bin/env bash
# The benchmark suite: installs what it needs (pip: PyJWT, cryptography,
# auth0-python, requests and the release build of auth0_native, into a venv
# under the target directory; apt: openssl, hyperfine; idempotent), builds
# the release library, the dev tenant and the benches, runs every figure of
# BENCHMARKS.md side by side and prints each with its ratio and target.
#
#   bash bench/run.sh                 # everything (about 6-10 minutes)
#   SKIP_INSTALL=1 bash bench/run.sh  # tools already there
#   REPEAT=3 bash bench/run.sh        # repeat the CPU figures 3 times
#
# All traffic goes to servers this script (or the benches) start on
# 127.0.0.1. Never fails on timing: figures are printed, not asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
export CARGO_TARGET_DIR=$target
out=$target/bench
mkdir -p "$out"
figs=$out/figures.txt
: >"$figs"
repeat=${REPEAT:-2}
fig() { echo "FIGURE $*" | tee -a "$figs"; }

if [ -z "${SKIP_INSTALL:-}" ]; then
  echo "== install"
  need_apt=()
  command -v openssl >/dev/null || need_apt+=(openssl)
  command -v hyperfine >/dev/null || need_apt+=(hyperfine)
  command -v cc >/dev/null || need_apt+=(gcc libc6-dev)
  if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -q && apt-get install -y -q "${need_apt[@]}"
  fi
fi
# A venv of its own: the test command installs a dev-profile build of the
# module into the system Python, and the figures must come from release.
venv=$out/venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
py=$venv/bin/python
if [ -z "${SKIP_INSTALL:-}" ] || ! "$py" -c 'import jwt, auth0, requests, auth0_native' 2>/dev/null; then
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$py" -m pip install -q PyJWT cryptography auth0-python requests
  # Release profile (LTO), as users get it from `pip install`.
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$py" -m pip install -q --force-reinstall --no-deps ./bindings/python
fi

echo "== build (release: library, dev tenant, benches)"
cargo build --release -q -p auth0-native-c -p auth0-devtenant
cargo bench --no-run -q -p auth0-native
lib=$target/release/libauth0_native.so
cc -O2 -Wall bench/coldstart.c -o "$out/coldstart" -ldl
cc -O2 -Wall bench/rss.c -Iinclude -L"$target/release" -lauth0_native -o "$out/rss"
printf 'int main(void){return 0;}\n' >"$out/empty.c" && cc -O2 "$out/empty.c" -o "$out/empty"

echo "== machine"
fig date "\"$(date -u '+%Y-%m-%d %H:%M UTC')\""
fig nproc "$(nproc)"
fig cpu "\"$(lscpu | sed -n 's/^Model name: *//p' | head -1)\""
fig memory "\"$(free -g | awk '/^Mem:/ {print $2 " GiB"}')\""
fig loadavg "\"$(cut -d' ' -f1-3 /proc/loadavg)\""

echo "== shared library size"
strip -o "$out/libauth0_native.stripped.so" "$lib"
fig so_stripped_bytes "$(stat -c %s "$out/libauth0_native.stripped.so")"
fig so_as_built_bytes "$(stat -c %s "$lib")"


# openssl speed counts user CPU time by default; -elapsed counts wall time
# as criterion does. On a loaded machine the two differ: both are recorded,
# the ratios use -elapsed (same clock as criterion).
ossl() {
  fig "openssl_rsa2048_verify_per_s_cpu_$1" "$(openssl speed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa +2048 bits/ {print $NF; exit}')"
  fig "openssl_rsa2048_verify_per_s_$1" "$(openssl speed -elapsed -seconds 3 rsa2048 2>/dev/null | awk '/^rsa +2048 bits/ {print $NF; exit}')"
}

echo "== CPU figures (openssl speed and cargo bench --bench core, $repeat times)"
for i in $(seq 1 "$repeat"); do
  ossl "$i"
  cargo bench -q -p auth0-native --bench core >"$out/core-$i.log" 2>&1 || { tail -20 "$out/core-$i.log"; exit 1; }
  python3 bench/report.py criterion "$target/criterion" "$i" | tee -a "$figs"
done
ossl "$((repeat + 1))"

echo "== network figures (cargo bench --bench network)"
cargo bench -q -p auth0-native --bench network >"$out/network.log" 2>&1 || { tail -20 "$out/network.log"; exit 1; }
grep '^FIGURE' "$out/network.log" | tee -a "$figs"
python3 bench/report.py criterion "$target/criterion" net | grep login_userinfo | tee -a "$figs"

echo "== dev tenant process for the C and Python figures"
"$target/release/auth0-devtenant" --json --port 0 >"$out/tenant.json" &
tenant_pid=$!
trap 'kill $tenant_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$out/tenant.json" ] && break; sleep 0.1; done
domain=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["domain"])' "$out/tenant.json")
client_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["client_id"])' "$out/tenant.json")

echo "== memory (100 handles, 10k calls)"
LD_LIBRARY_PATH=$target/release "$out/rss" "$domain" "$client_id" | tee -a "$figs"

echo "== cold start (fresh process: dlopen + handle + first buildAuthorizeUrl)"
hyperfine -N --warmup 10 --runs 200 --export-json "$out/coldstart.json" \
  "$out/empty" "$out/coldstart $lib" >"$out/coldstart.log" 2>&1
python3 - "$out/coldstart.json" <<'PY' | tee -a "$figs"
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(f"FIGURE coldstart_empty_process_ms {r[0]['median'] * 1e3:.2f}")
print(f"FIGURE coldstart_process_ms {r[1]['median'] * 1e3:.2f}")
print(f"FIGURE coldstart_process_ms_mean_stddev {r[1]['mean'] * 1e3:.2f} {r[1]['stddev'] * 1e3:.2f}")
PY
for _ in 1 2 3 4 5; do "$out/coldstart" "$lib" x; done | sort -t' ' -k4 -n | sed -n 3p |
  awk '{print "FIGURE coldstart_in_process_load_us", $2; print "FIGURE coldstart_in_process_total_us", $4}' | tee -a "$figs"

echo "== Python figures"
AUTH0_BENCH_DOMAIN=$domain AUTH0_BENCH_CLIENT_ID=$client_id AUTH0_NATIVE_LIB=$lib \
  AUTH0_BENCH_TENANT_PID=$tenant_pid "$py" bench/python_bench.py | tee -a "$figs"

echo "== instructions per call (callgrind)"
bash bench/profile.sh | tee -a "$figs"

echo
echo "== summary (targets from issue 7; ratios are medians of side-by-side runs)"
python3 bench/report.py summary "$figs"
