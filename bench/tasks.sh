#!/usr/bin/env bash
# The figures of the C tasks (BENCHMARKS.md, "C tasks"):
#
#   bash bench/tasks.sh      (after cargo build --release -p auth0-native-c)
#
# - auth0_task_poll on a pending task (ns per call, 20 M calls);
# - cancellation latency with a login request in flight (to the task's
#   status and to its callback), and until a cancelled device.poll gives
#   its worker back;
# - the first HTTPS login of a fresh process (handle + password-realm login
#   + JWKS fetch, id_token verified) against curl making the same two
#   requests on one connection, through one TLS front end on 127.0.0.1
#   (bench/tls_front.py, a self-signed certificate given to both as their
#   CA), median of RUNS (default 30) interleaved launches of each;
# - the worst frame time of examples/c/game_loop --auto-approve (3 runs).
#
# Needs cc, curl, openssl, python3. Prints FIGURE lines. Talks only to
# 127.0.0.1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
cd "$ROOT"
LIB="${AUTH0_BENCH_LIBDIR:-$TARGET/release}"
[ -f "$LIB/libauth0_native.so" ] || { echo "build first: cargo build --release -p auth0-native-c"; exit 1; }
DEVTENANT="$TARGET/release/auth0-devtenant"
[ -x "$DEVTENANT" ] || DEVTENANT="$TARGET/debug/auth0-devtenant"
OUT="$TARGET/bench-tasks"
RUNS="${RUNS:-30}"
mkdir -p "$OUT"
die() { echo "$*" >&2; exit 1; }
# shellcheck source=tests/lib/devtenant.sh
. tests/lib/devtenant.sh
FRONT_PID=""
trap 'stop_devtenant; [ -z "$FRONT_PID" ] || kill "$FRONT_PID" 2>/dev/null || true' EXIT
start_devtenant "$DEVTENANT" "$OUT"
echo "dev tenant: $DEVTENANT"

cc -O2 -Wall -pthread bench/tasks.c -Iinclude -L"$LIB" -lauth0_native "-Wl,-rpath,$LIB" -o "$OUT/tasks"
cc -O2 -Wall -pthread examples/c/game_loop.c -Iinclude -L"$LIB" -lauth0_native "-Wl,-rpath,$LIB" \
    -o "$OUT/game_loop"

echo "== auth0_task_poll"
"$OUT/tasks" poll
echo "== cancellation"
"$OUT/tasks" cancel "$AUTH0_TEST_DOMAIN"

echo "== first HTTPS login of a fresh process vs curl"
# A CA (given to both clients) and a server certificate it signs: webpki
# refuses a self-signed CA certificate as the server's own.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench-ca \
    -keyout "$OUT/ca-key.pem" -out "$OUT/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout "$OUT/key.pem" \
    -out "$OUT/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    >"$OUT/server.ext"
openssl x509 -req -in "$OUT/server.csr" -CA "$OUT/ca.pem" -CAkey "$OUT/ca-key.pem" \
    -CAcreateserial -days 2 -extfile "$OUT/server.ext" -out "$OUT/cert.pem" 2>/dev/null
port="${AUTH0_TEST_DOMAIN##*:}"
python3 bench/tls_front.py "$OUT/cert.pem" "$OUT/key.pem" "$port" >"$OUT/front.port" &
FRONT_PID=$!
for _ in $(seq 50); do [ -s "$OUT/front.port" ] && break; sleep 0.1; done
tls_port="$(cat "$OUT/front.port")"
https="https://127.0.0.1:$tls_port"
python3 - "$OUT" "$https" "$RUNS" <<'PY'
import json, os, statistics, subprocess, sys, time
out, https, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
env = os.environ
pem = open(f"{out}/ca.pem").read()
# The tenant signs its id_tokens with its own (http://) issuer.
options = json.dumps({"domain": https, "clientID": env["AUTH0_TEST_CLIENT_ID"], "caPem": pem,
                      "_sendTelemetry": False,
                      "overrides": {"__tenant": "dev", "__token_issuer": env["AUTH0_TEST_DOMAIN"] + "/"}})
login = json.dumps({"username": env["AUTH0_TEST_USERNAME"], "password": env["AUTH0_TEST_PASSWORD"],
                    "realm": env["AUTH0_TEST_CONNECTION"], "scope": "openid"})
body = json.dumps({"grant_type": "http://auth0.com/oauth/grant-type/password-realm",
                   "client_id": env["AUTH0_TEST_CLIENT_ID"], "username": env["AUTH0_TEST_USERNAME"],
                   "password": env["AUTH0_TEST_PASSWORD"], "realm": env["AUTH0_TEST_CONNECTION"],
                   "scope": "openid"})
cert = f"{out}/ca.pem"
commands = {
    "curl": ["curl", "-sf", "--cacert", cert, "-H", "Content-Type: application/json", "-d", body,
             f"{https}/oauth/token", "-o", "/dev/null", "--next", "-sf", "--cacert", cert,
             f"{https}/.well-known/jwks.json", "-o", "/dev/null"],
    "library": [f"{out}/tasks", "login", options, login],
    "library_task": [f"{out}/tasks", "login-warm", options, login],
}
times = {k: [] for k in commands}
inner = {k: [] for k in commands}
for _ in range(runs):
    for name, cmd in commands.items():
        t0 = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True)
        times[name].append((time.perf_counter() - t0) * 1e3)
        if r.returncode != 0:
            sys.exit(f"{name} failed: {r.returncode} {r.stderr[:300]}")
        if r.stdout.startswith("login_ms "):
            inner[name].append(float(r.stdout.split()[1]))
med = {k: statistics.median(v) for k, v in times.items()}
for k in commands:
    extra = f" in_process_ms {statistics.median(inner[k]):.2f}" if inner[k] else ""
    print(f"FIGURE https_first_login_process_ms {k} {med[k]:.2f}{extra}")
print(f"FIGURE https_first_login_ratio_vs_curl library {med['library'] / med['curl']:.3f} "
      f"library_task {med['library_task'] / med['curl']:.3f}")
PY

echo "== game loop"
for _ in 1 2 3; do
    AUTH0_DOMAIN="$AUTH0_TEST_DOMAIN" AUTH0_CLIENT_ID="$AUTH0_TEST_CLIENT_ID" \
        AUTH0_USERNAME="$AUTH0_TEST_USERNAME" AUTH0_PASSWORD="$AUTH0_TEST_PASSWORD" \
        AUTH0_CONNECTION="$AUTH0_TEST_CONNECTION" "$OUT/game_loop" --auto-approve |
        grep -o 'frames: .*' | sed 's/^/FIGURE game_loop /'
done
