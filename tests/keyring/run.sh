#!/usr/bin/env bash
# The keyring backend against a real Secret Service: a private D-Bus session
# (dbus-run-session) with gnome-keyring's secrets component, unlocked with a
# throwaway password, in a throwaway XDG data directory (so runs never
# depend on, or touch, the user's own keyrings). Prints "N passed, N failed".
#
#   bash tests/keyring/run.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TERM_COLOR=never

for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "keyring: $tool is missing (run scripts/install-test-deps.sh)"
    echo "0 passed, 1 failed"
    exit 1
  fi
done

# Build outside the bus session, so a slow build is not timed with it.
# --workspace (with --test selecting the one target): the dependencies get
# the features of the workspace build (scripts/test-all.sh's rust suite), so
# nothing is compiled again; `-p auth0-native` alone would rebuild the core.
sel=(--workspace --exclude auth0-native-python --test keyring_store)
cargo test "${sel[@]}" --no-run -q 2>&1 | tail -20

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
log="$scratch/keyring.log"
XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run" \
  dbus-run-session -- bash -c '
    mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
    echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    AUTH0_TEST_SECRET_SERVICE=1 cargo test "$@" -- --ignored --test-threads=1
  ' bash "${sel[@]}" >"$log" 2>&1
rc=$?
grep -E '^(test |test result|failures:|---- )|panicked' "$log"
read -r p f < <(awk '/^test result:/ { for (i=1;i<=NF;i++) { if ($(i+1) ~ /^passed;?$/) p+=$i; if ($(i+1) ~ /^failed;?$/) f+=$i } } END { print p+0, f+0 }' "$log")
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "keyring: the run failed (exit $rc):"; tail -30 "$log"; fi
if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; echo "keyring: no test ran"; fi
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
