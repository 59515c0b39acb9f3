# Sourced by the script suites (tests/c, tests/cpp, tests/consumer): their
# counters, headings and closing line, so that every suite ends the same
# way — one line "N passed, N failed" and a non-zero exit on any failure.
# Set SUITE (the script's name, for messages) before sourcing.
PASSED=0
FAILED=0

# A section heading, with the seconds spent so far.
phase() { echo "== $* [${SECONDS}s]"; }

# Prints the closing line and exits with the suite's status.
finish() {
    echo "$PASSED passed, $FAILED failed"
    if [ "$FAILED" -eq 0 ]; then exit 0; else exit 1; fi
}

# A failure that stops the run before the tests (missing tool, broken build).
die() {
    echo "${SUITE:-$0}: $*" >&2
    FAILED=$((FAILED + 1))
    finish
}

pass() { echo "  ok   $1"; PASSED=$((PASSED + 1)); }
# fail NAME [OUTPUT]: OUTPUT (its first 40 lines) is shown indented.
fail() { echo "  FAIL $1"; [ -z "${2:-}" ] || sed 's/^/    /' <<<"$2" | head -n 40; FAILED=$((FAILED + 1)); }
