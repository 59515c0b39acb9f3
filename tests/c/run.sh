#!/usr/bin/env bash
# The C test suite of auth0-native.
#
#   bash tests/c/run.sh
#
# 1. Builds the library (`cargo build -p auth0-native-c`, debug profile) and
#    the dev tenant (`-p auth0-devtenant`) into $CARGO_TARGET_DIR (default:
#    <repo>/target) and takes libauth0_native.so / libauth0_native.a from
#    $CARGO_TARGET_DIR/debug. Starts `auth0-devtenant --json --port 0` on
#    127.0.0.1 for the network tests (test_net_*.c) and the login example,
#    and exports what it printed as AUTH0_TEST_DOMAIN, AUTH0_TEST_CLIENT_ID,
#    AUTH0_TEST_USERNAME, AUTH0_TEST_PASSWORD, AUTH0_TEST_CONNECTION (and
#    AUTH0_DOMAIN… for the example). It is stopped on exit.
# 2. Turns tests/fixtures/authorize_urls.json into a C table (gen_cases.py).
# 3. Compiles every tests/c/test_*.c, and examples/c/*.c, with
#    -std=c11 -Wall -Wextra -Wpedantic -Werror twice: against the shared
#    library (with an rpath) and statically against the archive; compiles,
#    links and runs a C++17 file that includes auth0.h.
# 4. Runs every test binary (shared, then static), runs the examples
#    against the dev tenant, unattended (login; desktop_login
#    --headless-demo; kiosk_device_login --auto-approve, and once more with
#    --cancel-after-ms for its Ctrl+C path), then runs the shared binaries
#    again under valgrind memcheck (tests/c/valgrind.supp), which must
#    report no error and no leak.
# 5. Ends with exactly one line `N passed, N failed` (all test cases of all
#    binaries; a failed compile, crash or valgrind run counts as 1 failed)
#    and exits non-zero when anything failed.
#
# Needs cc, c++, valgrind, python3 (Debian: gcc g++ valgrind python3).
# A test_net_* binary run by hand needs the AUTH0_TEST_* variables of a
# running `auth0-devtenant --json` (without them its tests fail).
# Everything it builds goes to $CARGO_TARGET_DIR/c-tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$PWD/$TARGET" ;; esac # cargo reads it relative to $PWD
export CARGO_TARGET_DIR="$TARGET"
cd "$ROOT"

SUITE=tests/c/run.sh
# shellcheck source=tests/lib/suite.sh
. "$ROOT/tests/lib/suite.sh"

need() { # command, Debian package
    command -v "$1" >/dev/null 2>&1 ||
        die "'$1' not found: install the Debian package '$2' (apt-get install -y $2)"
}
need cc gcc
need c++ g++
need valgrind valgrind
need python3 python3
need cargo "cargo (rustup)"

# ---- 1. the library and the dev tenant -----------------------------------------
# AUTH0_TEST_PREBUILT=1: scripts/test-all.sh built both already, in its one
# workspace build (a build with -p here would select other dependency
# features and compile ~50 crates again).
if [ -z "${AUTH0_TEST_PREBUILT:-}" ]; then
    phase "cargo build -p auth0-native-c -p auth0-devtenant (CARGO_TARGET_DIR=$TARGET)"
    cargo build --quiet -p auth0-native-c || die "cargo build -p auth0-native-c failed"
    cargo build --quiet -p auth0-devtenant || die "cargo build -p auth0-devtenant failed"
else
    phase "the library and the dev tenant: built by scripts/test-all.sh (AUTH0_TEST_PREBUILT)"
fi
LIBDIR="$TARGET/debug"
[ -f "$LIBDIR/libauth0_native.so" ] || die "no libauth0_native.so in $LIBDIR"
[ -f "$LIBDIR/libauth0_native.a" ] || die "no libauth0_native.a in $LIBDIR"
DEVTENANT="$TARGET/debug/auth0-devtenant"
[ -x "$DEVTENANT" ] || die "no auth0-devtenant in $TARGET/debug"

VERSION="$(awk '/^\[package\]/ { p = 1; next } /^\[/ { p = 0 }
    p && $1 == "version" { gsub(/"/, "", $3); print $3; exit }' Cargo.toml)"
[ -n "$VERSION" ] || die "no [package] version in Cargo.toml"

OUT="$TARGET/c-tests"
rm -rf "$OUT"
mkdir -p "$OUT/tmp"
export TMPDIR="$OUT/tmp" # where the tests make their scratch directories

# ---- the dev tenant -------------------------------------------------------------
# One tenant on an ephemeral 127.0.0.1 port for the whole run: the test_net_*
# binaries and the login example use it through AUTH0_TEST_* (and the
# example through AUTH0_*). It prints one JSON line, then serves until it is
# killed (EXIT trap). The binaries run three times against it (shared,
# static, valgrind) and in parallel under valgrind, so they make their own
# unique users and inject faults only on paths of their own.
# shellcheck source=tests/lib/devtenant.sh
. "$ROOT/tests/lib/devtenant.sh"
phase "start the dev tenant"
start_devtenant "$DEVTENANT" "$OUT"
export AUTH0_TEST_DEVTENANT_BIN="$DEVTENANT" # test_net_faults*.c run their own

# ---- 2. the fixture as a C table --------------------------------------------
python3 tests/c/gen_cases.py tests/fixtures/authorize_urls.json >"$OUT/cases.h" ||
    die "tests/c/gen_cases.py failed"

# ---- 3. compile ---------------------------------------------------------------
CFLAGS=(-std=c11 -Wall -Wextra -Wpedantic -Werror -g -pthread
    -I "$ROOT/include" -I "$ROOT/tests/c" -I "$OUT"
    "-DEXPECTED_VERSION=\"$VERSION\"")
SHARED_LIBS=(-L "$LIBDIR" -lauth0_native "-Wl,-rpath,$LIBDIR")
# What the Rust standard library needs besides the archive (rustc's
# --print native-static-libs on Linux). The debug archive is large; dropping
# unused sections and debug info (-S) makes the link several times faster.
# Debug with the shared binaries, which keep their debug info.
STATIC_LIBS=(-Wl,--gc-sections -Wl,-S "$LIBDIR/libauth0_native.a"
    -lpthread -ldl -lm -lrt -lutil -lgcc_s)

# The compiles run in parallel: compile_start queues one, compile_wait
# waits for all and counts each failed compile as 1 failed.
C_PIDS=()
C_LABELS=()
C_LOGS=()
compile_start() { # SOURCE OUTPUT shared|static
    local src="$1" out="$2" kind="$3" log="$2.compile.log"
    local libs
    if [ "$kind" = shared ]; then libs=("${SHARED_LIBS[@]}"); else libs=("${STATIC_LIBS[@]}"); fi
    cc "${CFLAGS[@]}" "$src" -o "$out" "${libs[@]}" >"$log" 2>&1 &
    C_PIDS+=("$!")
    C_LABELS+=("$src ($kind)")
    C_LOGS+=("$log")
}
compile_wait() {
    local i rc
    for i in "${!C_PIDS[@]}"; do
        rc=0
        wait "${C_PIDS[$i]}" || rc=$?
        if [ "$rc" -ne 0 ]; then
            echo "  FAIL compile ${C_LABELS[$i]}"
            sed 's/^/    /' "${C_LOGS[$i]}"
            FAILED=$((FAILED + 1))
        fi
    done
}

shopt -s nullglob
SOURCES=(tests/c/test_*.c)
EXAMPLES=(examples/c/*.c)
shopt -u nullglob
[ "${#SOURCES[@]}" -gt 0 ] || die "no tests/c/test_*.c"
phase "compile ${#SOURCES[@]} tests and ${#EXAMPLES[@]} example(s), shared and static"
for src in "${SOURCES[@]}"; do
    name="$(basename "$src" .c)"
    compile_start "$src" "$OUT/$name-shared" shared
    compile_start "$src" "$OUT/$name-static" static
done
for src in "${EXAMPLES[@]}"; do
    name="$(basename "$src" .c)"
    compile_start "$src" "$OUT/example-$name-shared" shared
    compile_start "$src" "$OUT/example-$name-static" static
done
compile_wait
TESTS=() # the tests whose two binaries were built
for src in "${SOURCES[@]}"; do
    name="$(basename "$src" .c)"
    if [ -x "$OUT/$name-shared" ] && [ -x "$OUT/$name-static" ]; then TESTS+=("$name"); fi
done
EXAMPLE_BINS=()
for src in "${EXAMPLES[@]}"; do
    name="$(basename "$src" .c)"
    if [ -x "$OUT/example-$name-shared" ] && [ -x "$OUT/example-$name-static" ]; then
        EXAMPLE_BINS+=("$OUT/example-$name-shared")
    fi
done

# ---- 4. run -------------------------------------------------------------------
# run_binary PATH: runs a harness binary, shows its output, adds its summary
# line to the totals. A crash or a missing summary counts as 1 failed.
run_binary() {
    local bin="$1" log="$OUT/$(basename "$1").log" rc=0 summary p f
    "$bin" >"$log" 2>&1 || rc=$?
    grep -v '^c: ' "$log" || true
    summary="$(grep -E '^c: .*: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1 || true)"
    if [ -z "$summary" ]; then
        echo "  FAIL $(basename "$bin"): exited with status $rc before its summary"
        FAILED=$((FAILED + 1))
        return
    fi
    echo "$summary"
    p="$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$summary")"
    f="$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$summary")"
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "  FAIL $(basename "$bin"): exited with status $rc"
        FAILED=$((FAILED + 1))
    fi
}

phase "run, linked to libauth0_native.so"
for name in "${TESTS[@]}"; do run_binary "$OUT/$name-shared"; done
phase "run, linked to libauth0_native.a (failures only)"
for name in "${TESTS[@]}"; do HARNESS_QUIET=1 run_binary "$OUT/$name-static"; done


# example_args NAME: the arguments an example runs with here (unattended).
example_args() {
    case "$1" in
    desktop_login) echo "--headless-demo" ;;
    kiosk_device_login) echo "--auto-approve" ;;
    game_loop) echo "--auto-approve" ;;
    kiosk) echo "--store $OUT/kiosk-example/credentials.bin" ;;
    esac
}

# No token (JWT), no password, and the user's e-mail in OUTPUT.
shows_user_not_secrets() {
    grep -qF "$AUTH0_TEST_USERNAME" <<<"$1" && ! grep -q 'eyJ' <<<"$1" &&
        ! grep -qF "$AUTH0_TEST_PASSWORD" <<<"$1"
}

# check_example NAME OUTPUT: what the output of the example NAME must show.
check_example() {
    case "$1" in
    authorize_url) grep -q '/authorize?' <<<"$2" ;;
    desktop_login) # the headless demo: who logged in, token lengths only
        grep -qF "email: $AUTH0_TEST_USERNAME" <<<"$2" &&
            grep -q 'access token: *<redacted, [0-9]* chars>' <<<"$2" &&
            shows_user_not_secrets "$2" ;;
    kiosk_device_login) # the QR code (half blocks), the code, the URL, then the login
        grep -q '▀\|▄' <<<"$2" &&
            grep -qE 'enter the code: +[A-Z]{4}-[A-Z]{4}' <<<"$2" &&
            grep -qF "open $AUTH0_TEST_DOMAIN/activate" <<<"$2" &&
            grep -qF "logged in as $AUTH0_TEST_USERNAME" <<<"$2" &&
            grep -q 'access token: *<redacted, [0-9]* chars>' <<<"$2" &&
            shows_user_not_secrets "$2" ;;
    game_loop) # the QR code, then the login, then the frame figures
        grep -q '▀\|▄' <<<"$2" &&
            grep -qF "logged in as $AUTH0_TEST_USERNAME" <<<"$2" &&
            grep -q 'access token: *<redacted, [0-9]* chars>' <<<"$2" &&
            grep -qE 'worst frame time: [0-9.]+ ms' <<<"$2" &&
            shows_user_not_secrets "$2" ;;
    login) # the user's e-mail, tokens only as <redacted …>, no JWT, no password
        grep -qF "email: $AUTH0_TEST_USERNAME" <<<"$2" &&
            grep -qF '"email":"'"$AUTH0_TEST_USERNAME"'"' <<<"$2" &&
            grep -q 'access token: *<redacted, [0-9]* chars>' <<<"$2" &&
            ! grep -q 'eyJ' <<<"$2" && ! grep -qF "$AUTH0_TEST_PASSWORD" <<<"$2" ;;
    kiosk) # the first run in a fresh store logs in and stores the credentials
        grep -q '^no stored credentials: logging in' <<<"$2" &&
            grep -q '^logged in; credentials stored in' <<<"$2" &&
            grep -qF "kiosk user: $AUTH0_TEST_USERNAME" <<<"$2" &&
            shows_user_not_secrets "$2" ;;
    *) true ;;
    esac
}
example_label() {
    case "$1" in
    authorize_url) echo "example authorize_url prints an /authorize? URL" ;;
    login) echo "example login logs the dev tenant's user in and prints no token or password" ;;
    desktop_login) echo "example desktop_login --headless-demo logs in through the loopback listener, prints no token" ;;
    kiosk_device_login) echo "example kiosk_device_login --auto-approve shows the QR code and user code, logs in" ;;
    game_loop) echo "example game_loop --auto-approve keeps its 60 fps loop while the device login runs as a task" ;;
    kiosk) echo "example kiosk logs in on its first run and stores the credentials (encrypted file)" ;;
    *) echo "example $1 runs" ;;
    esac
}

phase "examples and C++ header"
mkdir -p "$OUT/kiosk-example" # the kiosk's store directory (its key file goes there first)
for bin in "${EXAMPLE_BINS[@]}"; do
    name="$(basename "$bin" -shared | sed "s/^example-//")"
    label="$(example_label "$name")"
    rc=0
    # shellcheck disable=SC2046 # the arguments are words
    output="$("$bin" $(example_args "$name") 2>&1)" || rc=$?
    if [ "$rc" -eq 0 ] && check_example "$name" "$output"; then
        pass "$label"
    else
        fail "$label (exit status $rc)" "$output"
    fi
done
# The kiosk's Ctrl+C path, unattended: it sends itself SIGINT, the watcher
# thread cancels, the login ends with "login cancelled" and status 130.
KIOSK="$OUT/example-kiosk_device_login-shared"
if [ -x "$KIOSK" ]; then
    label="example kiosk_device_login --cancel-after-ms 300: SIGINT cancels cleanly (status 130)"
    rc=0
    output="$("$KIOSK" --cancel-after-ms 300 2>&1)" || rc=$?
    if [ "$rc" -eq 130 ] && grep -q '^login cancelled$' <<<"$output" &&
        ! grep -q 'logged in as' <<<"$output"; then
        pass "$label"
    else
        fail "$label (exit status $rc)" "$output"
    fi
fi
# The kiosk across restarts: run 1 logs in, run 2 uses the stored
# credentials (no login), --logout revokes and removes them, run 4 logs in.
KIOSK_STORE="$OUT/kiosk-restarts/credentials.bin"
KIOSK_BIN="$OUT/example-kiosk-shared"
if [ -x "$KIOSK_BIN" ]; then
    label="example kiosk keeps its user across restarts: stored credentials, no second login; --logout ends it"
    mkdir -p "$(dirname "$KIOSK_STORE")"
    rc=0
    first="$("$KIOSK_BIN" --store "$KIOSK_STORE" 2>&1)" || rc=$?
    second="$("$KIOSK_BIN" --store "$KIOSK_STORE" 2>&1)" || rc=$((rc + $?))
    third="$("$KIOSK_BIN" --store "$KIOSK_STORE" --logout 2>&1)" || rc=$((rc + $?))
    removed=no
    [ -e "$KIOSK_STORE" ] || removed=yes
    fourth="$("$KIOSK_BIN" --store "$KIOSK_STORE" 2>&1)" || rc=$((rc + $?))
    if [ "$rc" -eq 0 ] && check_example kiosk "$first" &&
        grep -q '^stored credentials found in .*: no login needed$' <<<"$second" &&
        ! grep -q 'logging in' <<<"$second" &&
        grep -qF "kiosk user: $AUTH0_TEST_USERNAME" <<<"$second" &&
        shows_user_not_secrets "$second" &&
        grep -q '^logged out: refresh token revoked' <<<"$third" && [ "$removed" = yes ] &&
        check_example kiosk "$fourth"; then
        pass "$label"
    else
        fail "$label (exit statuses add up to $rc)" "$first
---
$second
---
$third
---
$fourth"
    fi
fi
label="auth0.h compiles as C++17 (-Wall -Wextra -Werror), links and runs"
if output="$(c++ -std=c++17 -Wall -Wextra -Werror -I "$ROOT/include" -x c++ \
    tests/c/cpp_header_check.cpp -o "$OUT/cpp_header_check" "${SHARED_LIBS[@]}" 2>&1 &&
    "$OUT/cpp_header_check" 2>&1)"; then
    pass "$label"
else
    fail "$label" "$output"
fi

# ---- 5. valgrind --------------------------------------------------------------
# The shared-linked binaries again, in parallel. The thread tests do fewer
# calls per thread here: each call is ~100x slower under valgrind, and this
# run looks for memory errors, not contention (the run above did 8 x 200
# authorize calls and 4 x 10 logins).
#
# tests/c/valgrind.supp holds the reports that are not leaks of the C API,
# each explained there.
#
# The root store: every handle's HTTP client loads the system's trusted
# roots when it is built (~140 certificates parsed by debug code: ~70 ms
# natively, ~5 s per handle under valgrind). The network tests only speak
# plain http:// to 127.0.0.1, so under valgrind the handles get a store of
# one certificate (SSL_CERT_FILE, SSL_CERT_DIR, which rustls-native-certs
# reads); the runs above use the real one. With no certificate at all the
# client cannot be built, hence one.
phase "valgrind memcheck, linked to libauth0_native.so"
VALGRIND=(valgrind --tool=memcheck --leak-check=full
    --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99
    --suppressions="$ROOT/tests/c/valgrind.supp")
VG_ENV=(HARNESS_QUIET=1 AUTH0_C_TEST_CALLS_PER_THREAD=25 AUTH0_C_TEST_NET_CALLS_PER_THREAD=2)
SYSTEM_ROOTS="${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}"
if [ -f "$SYSTEM_ROOTS" ]; then
    awk '/-----BEGIN CERTIFICATE-----/ { n++ } n == 1 { print } /-----END CERTIFICATE-----/ && n == 1 { exit }' \
        "$SYSTEM_ROOTS" >"$OUT/one-root.pem"
    mkdir -p "$OUT/no-roots"
    if grep -q 'END CERTIFICATE' "$OUT/one-root.pem"; then
        VG_ENV+=(SSL_CERT_FILE="$OUT/one-root.pem" SSL_CERT_DIR="$OUT/no-roots")
    fi
fi
VG_BINS=()
# test_net_faults and test_net_faults_answers are left out here: each of
# their cases is a timing bound (a 300 ms deadline against a 2.8 s latency,
# a drip, a hang), which valgrind's ~100x slowdown turns into timeouts of
# the setup calls themselves; they run shared and static above.
for name in "${TESTS[@]}"; do
    case "$name" in test_net_faults | test_net_faults_answers) continue ;; esac
    VG_BINS+=("$OUT/$name-shared")
done
VG_BINS+=("${EXAMPLE_BINS[@]}")
# A few at a time, not all at once: ~28 programs under valgrind on two
# cores each got a fifteenth of a core, so their own request and login
# timeouts fired (the phase's CPU time is the same either way).
VG_JOBS=${VG_JOBS:-4}
PIDS=()
running() { # how many of PIDS are still running (the dev tenant is a job too)
    local n=0 p
    for p in ${PIDS[@]+"${PIDS[@]}"}; do kill -0 "$p" 2>/dev/null && n=$((n + 1)); done
    echo "$n"
}
for bin in "${VG_BINS[@]}"; do
    args=()
    case "$(basename "$bin")" in
    example-*-shared)
        name="$(basename "$bin" -shared | sed "s/^example-//")"
        read -r -a args <<<"$(example_args "$name")" ;;
    esac
    while [ "$(running)" -ge "$VG_JOBS" ]; do sleep 0.2; done
    rm -f "$bin.valgrind.rc"
    (
        rc=0
        env "${VG_ENV[@]}" \
            "${VALGRIND[@]}" --log-file="$bin.valgrind.log" "$bin" ${args[@]+"${args[@]}"} \
            >"$bin.valgrind.out" 2>&1 || rc=$?
        echo "$rc" >"$bin.valgrind.rc"
    ) &
    PIDS+=("$!")
done
for i in "${!VG_BINS[@]}"; do
    bin="${VG_BINS[$i]}"
    wait "${PIDS[$i]}" || true
    rc=$(cat "$bin.valgrind.rc" 2>/dev/null || echo 127)
    label="valgrind $(basename "$bin"): no errors, no leaks"
    if [ "$rc" -eq 0 ]; then
        echo "  ok   $label"
    else
        # Not a test case of its own: only a failure adds to the count.
        if [ "$rc" -eq 99 ]; then why="valgrind found errors or leaks"; else why="exit status $rc"; fi
        echo "  FAIL $label ($why; log: $bin.valgrind.log)"
        grep -E '^==[0-9]+== ERROR SUMMARY' "$bin.valgrind.log" | sed 's/^/    /' || true
        grep -E '^==[0-9]+== ((.* are (definitely|indirectly|possibly) lost in)|Invalid |.*uninitialised|Mismatched|Syscall param|   (at|by) )' \
            "$bin.valgrind.log" | head -n 40 | sed 's/^/    /' || true
        grep -v '^c: ' "$bin.valgrind.out" | head -n 20 | sed 's/^/    /' || true
        FAILED=$((FAILED + 1))
    fi
done

finish
