# Sourced by tests/c/run.sh, tests/cpp/run.sh and tests/consumer/run.sh:
# starts the dev tenant and stops it on exit.
#
#   start_devtenant BINARY OUTDIR   (needs die() of the sourcing script)
#
# Runs `BINARY --json --port 0` on 127.0.0.1, waits for its JSON line and
# exports AUTH0_TEST_DOMAIN, AUTH0_TEST_CLIENT_ID, AUTH0_TEST_USERNAME,
# AUTH0_TEST_PASSWORD, AUTH0_TEST_CONNECTION, and the same as AUTH0_DOMAIN…
# (what examples/c/login.c reads). Its output goes to OUTDIR/devtenant.*.
DEVTENANT_PID=""
stop_devtenant() {
    if [ -n "$DEVTENANT_PID" ]; then
        kill "$DEVTENANT_PID" 2>/dev/null || true
        wait "$DEVTENANT_PID" 2>/dev/null || true
        DEVTENANT_PID=""
    fi
}
start_devtenant() { # BINARY OUTDIR
    local bin="$1" out="$2" line="" fields
    trap stop_devtenant EXIT
    trap 'exit 130' INT TERM # so that the EXIT trap runs
    "$bin" --json --port 0 >"$out/devtenant.out" 2>"$out/devtenant.log" &
    DEVTENANT_PID=$!
    for _ in $(seq 1 100); do # up to 10 s
        line="$(head -n 1 "$out/devtenant.out" 2>/dev/null || true)"
        case "$line" in *'}') break ;; esac
        kill -0 "$DEVTENANT_PID" 2>/dev/null || break
        sleep 0.1
    done
    case "$line" in *'}') ;; *)
        die "the dev tenant did not start: $(cat "$out/devtenant.log" 2>/dev/null)" ;;
    esac
    fields="$(python3 -c 'import json, sys
d = json.loads(sys.argv[1])
for k in ("domain", "client_id", "username", "password", "connection"):
    v = d[k]
    assert isinstance(v, str) and v and "\n" not in v, k
    print(v)' "$line")" || die "the dev tenant printed an unexpected line: $line"
    {
        read -r AUTH0_TEST_DOMAIN
        read -r AUTH0_TEST_CLIENT_ID
        read -r AUTH0_TEST_USERNAME
        read -r AUTH0_TEST_PASSWORD
        read -r AUTH0_TEST_CONNECTION
    } <<<"$fields"
    export AUTH0_TEST_DOMAIN AUTH0_TEST_CLIENT_ID AUTH0_TEST_USERNAME AUTH0_TEST_PASSWORD \
        AUTH0_TEST_CONNECTION
    export AUTH0_DOMAIN="$AUTH0_TEST_DOMAIN" AUTH0_CLIENT_ID="$AUTH0_TEST_CLIENT_ID" \
        AUTH0_USERNAME="$AUTH0_TEST_USERNAME" AUTH0_PASSWORD="$AUTH0_TEST_PASSWORD" \
        AUTH0_CONNECTION="$AUTH0_TEST_CONNECTION"
    echo "  dev tenant at $AUTH0_TEST_DOMAIN (pid $DEVTENANT_PID)"
}
