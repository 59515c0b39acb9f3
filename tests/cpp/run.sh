#!/usr/bin/env bash
# The C++ suite: include/auth0.hpp against the dev tenant.
#
#   bash tests/cpp/run.sh
#
# Builds the C library and the dev tenant (debug, as tests/c/run.sh does),
# compiles tests/cpp/test_*.cpp with -std=c++17 -Wall -Wextra -Wpedantic
# -Werror against libauth0_native.so, starts the dev tenant, runs each test
# binary, then again under valgrind memcheck (tests/c/valgrind.supp), which
# must report no error and no leak. Ends with one line `N passed, N failed`
# (a failed compile, crash or valgrind run counts as 1 failed). Needs c++,
# valgrind, python3. Builds into $CARGO_TARGET_DIR/cpp-tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$PWD/$TARGET" ;; esac
export CARGO_TARGET_DIR="$TARGET"
cd "$ROOT"

SUITE=tests/cpp/run.sh
# shellcheck source=tests/lib/suite.sh
. "$ROOT/tests/lib/suite.sh"
for tool in c++ valgrind python3 cargo; do
    command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found (scripts/install-test-deps.sh installs it)"
done
# shellcheck source=tests/lib/devtenant.sh
. "$ROOT/tests/lib/devtenant.sh"

if [ -z "${AUTH0_TEST_PREBUILT:-}" ]; then
    phase "cargo build -p auth0-native-c -p auth0-devtenant" # see tests/c/run.sh
    cargo build --quiet -p auth0-native-c || die "cargo build -p auth0-native-c failed"
    cargo build --quiet -p auth0-devtenant || die "cargo build -p auth0-devtenant failed"
else
    phase "the library and the dev tenant: built by scripts/test-all.sh (AUTH0_TEST_PREBUILT)"
fi
LIBDIR="$TARGET/debug"
OUT="$TARGET/cpp-tests"
rm -rf "$OUT"
mkdir -p "$OUT"

phase "compile tests/cpp/test_*.cpp (C++17, -Wall -Wextra -Wpedantic -Werror)"
CXXFLAGS=(-std=c++17 -Wall -Wextra -Wpedantic -Werror -g -pthread -I "$ROOT/include")
BINS=()
for src in tests/cpp/test_*.cpp; do
    bin="$OUT/$(basename "$src" .cpp)"
    if c++ "${CXXFLAGS[@]}" "$src" -o "$bin" -L "$LIBDIR" -lauth0_native "-Wl,-rpath,$LIBDIR" \
        >"$bin.compile.log" 2>&1; then
        BINS+=("$bin")
    else
        echo "  FAIL compile $src"
        sed 's/^/    /' "$bin.compile.log"
        FAILED=$((FAILED + 1))
    fi
done

phase "start the dev tenant"
start_devtenant "$TARGET/debug/auth0-devtenant" "$OUT"

# Adds a binary's summary line to the totals; no summary counts as 1 failed.
count() { # LOG RC
    local summary p f
    summary="$(grep -E '^cpp: .*: [0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1 || true)"
    if [ -z "$summary" ]; then
        echo "  FAIL $(basename "$1" .log): exited with status $2 before its summary"
        FAILED=$((FAILED + 1))
        return
    fi
    echo "$summary"
    p="$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$summary")"
    f="$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$summary")"
    PASSED=$((PASSED + p))
    FAILED=$((FAILED + f))
    if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then FAILED=$((FAILED + 1)); fi
}

phase "run"
for bin in ${BINS[@]+"${BINS[@]}"}; do
    rc=0
    "$bin" >"$bin.log" 2>&1 || rc=$?
    grep -v '^cpp: ' "$bin.log" || true
    count "$bin.log" "$rc"
done

# As tests/c/run.sh: under valgrind the HTTP clients get a root store of one
# certificate (the tenant is plain http:// on 127.0.0.1), since parsing the
# system's ~140 roots costs seconds per handle there.
phase "valgrind memcheck"
VG_ENV=(HARNESS_QUIET=1)
SYSTEM_ROOTS="${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}"
if [ -f "$SYSTEM_ROOTS" ]; then
    awk '/-----BEGIN CERTIFICATE-----/ { n++ } n == 1 { print } /-----END CERTIFICATE-----/ && n == 1 { exit }' \
        "$SYSTEM_ROOTS" >"$OUT/one-root.pem"
    mkdir -p "$OUT/no-roots"
    if grep -q 'END CERTIFICATE' "$OUT/one-root.pem"; then
        VG_ENV+=(SSL_CERT_FILE="$OUT/one-root.pem" SSL_CERT_DIR="$OUT/no-roots")
    fi
fi
for bin in ${BINS[@]+"${BINS[@]}"}; do
    rc=0
    env "${VG_ENV[@]}" valgrind --tool=memcheck --leak-check=full \
        --show-leak-kinds=definite,indirect,possible \
        --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
        --suppressions="$ROOT/tests/c/valgrind.supp" --log-file="$bin.valgrind.log" \
        "$bin" >"$bin.valgrind.out" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
        echo "  ok   valgrind $(basename "$bin"): no errors, no leaks"
    else
        echo "  FAIL valgrind $(basename "$bin") (exit status $rc; log: $bin.valgrind.log)"
        grep -E '^==[0-9]+== (ERROR SUMMARY|.* lost in|Invalid |.*uninitialised|   (at|by) )' \
            "$bin.valgrind.log" | head -n 40 | sed 's/^/    /' || true
        grep -v '^cpp: ' "$bin.valgrind.out" | head -n 20 | sed 's/^/    /' || true
        FAILED=$((FAILED + 1))
    fi
done

finish
