#!/usr/bin/env bash
# The names a C user sees, checked against the header.
#
#   tests/consumer/check-symbols.sh LIBRARY.so HEADER.h
#
# 1. LIBRARY.so exports (dynamic symbol table, defined) exactly the
#    functions HEADER.h declares: every one prefixed auth0_, none missing,
#    nothing else (no Rust runtime, no bundled C such as aws-lc).
# 2. Every macro HEADER.h defines starts with AUTH0_ and every type it
#    names with auth0_ (or AUTH0_ for the enum's constants).
# Prints one "ok"/"FAIL" line per check and exits non-zero on any FAIL.
set -euo pipefail
lib="$1"
header="$2"
status=0
ok() { echo "  ok   $1"; }
fail() { echo "  FAIL $1"; [ -z "${2:-}" ] || sed 's/^/    /' <<<"$2"; status=1; }

exported="$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TtWwDdBbRrVvi]$/ { print $3 }' | sed 's/@.*//' | sort -u)"
declared="$(grep -oE '^[A-Za-z_][A-Za-z0-9_ *]*[ *](auth0_[a-z0-9_]+)\(' "$header" |
    grep -oE 'auth0_[a-z0-9_]+\($' | tr -d '(' | sort -u)"
[ -n "$declared" ] || fail "$header declares functions" "none found"

others="$(grep -v '^auth0_' <<<"$exported" || true)"
if [ -z "$others" ]; then ok "$(basename "$lib") exports only auth0_* symbols ($(wc -l <<<"$exported"))"
else fail "$(basename "$lib") exports only auth0_* symbols" "$others"; fi

missing="$(comm -13 <(echo "$exported") <(echo "$declared"))"
extra="$(comm -23 <(echo "$exported") <(echo "$declared"))"
if [ -z "$missing" ] && [ -z "$extra" ]; then ok "$(basename "$lib") exports exactly the $(wc -l <<<"$declared") functions of $(basename "$header")"
else fail "$(basename "$lib") exports exactly the functions of $(basename "$header")" \
    "declared, not exported: ${missing:-none}; exported, not declared: ${extra:-none}"; fi

# The macros auth0.h adds to those of its own includes.
base="$(printf '#include <stddef.h>\n#include <stdint.h>\n' | cc -dM -E -x c - | awk '{ print $2 }' | sed 's/(.*//' | sort -u)"
with="$(printf '#include "%s"\n' "$header" | cc -dM -E -x c - | awk '{ print $2 }' | sed 's/(.*//' | sort -u)"
macros="$(comm -13 <(echo "$base") <(echo "$with"))"
bad_macros="$(grep -v '^AUTH0_' <<<"$macros" || true)"
if [ -z "$bad_macros" ]; then ok "every macro of $(basename "$header") starts with AUTH0_ ($(wc -l <<<"$macros"))"
else fail "every macro of $(basename "$header") starts with AUTH0_" "$bad_macros"; fi

types="$(grep -oE '^typedef .*' "$header" | grep -oE '[A-Za-z_][A-Za-z0-9_]*\)?\(|[A-Za-z_][A-Za-z0-9_]*;' |
    tr -d '();' | sort -u)"
types+=$'\n'"$(grep -oE '^\} *[A-Za-z_][A-Za-z0-9_]*;' "$header" | tr -d '}; ')"
types="$(grep -v '^$' <<<"$types" | sort -u)"
bad_types="$(grep -v '^auth0_' <<<"$types" || true)"
if [ -z "$bad_types" ]; then ok "every type of $(basename "$header") starts with auth0_ ($(wc -l <<<"$types"))"
else fail "every type of $(basename "$header") starts with auth0_" "$bad_types"; fi
constants="$(grep -oE '^ +[A-Za-z_][A-Za-z0-9_]* = ' "$header" | awk '{ print $1 }' | sort -u)"
bad_constants="$(grep -v '^AUTH0_' <<<"$constants" || true)"
if [ -n "$constants" ] && [ -z "$bad_constants" ]; then ok "every enum constant of $(basename "$header") starts with AUTH0_ ($(wc -l <<<"$constants"))"
else fail "every enum constant of $(basename "$header") starts with AUTH0_" "${bad_constants:-none found}"; fi
exit "$status"
