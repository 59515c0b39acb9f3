#!/usr/bin/env bash
# Installs what the test suites need, and nothing that is already there.
# Debian packages: a C and C++ compiler, valgrind, pkg-config, cmake and
# binutils (the consumer tests: tests/consumer/run.sh), and Chromium with its
# WebDriver (chromium, chromium-driver) for the browser tests (tests/browser.rs). Python packages come
# from bindings/python/run_tests.sh. Rust comes from the machine's rustup.
set -euo pipefail
need=()
command -v cc >/dev/null 2>&1 || need+=(gcc)
command -v c++ >/dev/null 2>&1 || need+=(g++)
command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v readelf >/dev/null 2>&1 || need+=(binutils)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
# The Python suites make venvs (Debian's python3 needs python3-venv for that).
if command -v python3 >/dev/null 2>&1; then python3 -c 'import ensurepip' >/dev/null 2>&1 || need+=(python3-venv); fi
# A real Secret Service for the keyring tests (tests/keyring/run.sh).
command -v dbus-run-session >/dev/null 2>&1 || need+=(dbus-daemon)
command -v gnome-keyring-daemon >/dev/null 2>&1 || need+=(gnome-keyring)
command -v secret-tool >/dev/null 2>&1 || need+=(libsecret-tools)
if [ "${#need[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing Debian packages: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
command -v cargo >/dev/null 2>&1 || { echo "cargo is missing: install Rust with rustup (https://rustup.rs)"; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "python3 is missing: apt-get install python3 python3-pip python3-venv"; exit 1; }
# cargo-fuzz for scripts/fuzz.sh, pinned (0.13.2 builds on Rust 1.95).
cargo_fuzz_version=0.13.2
if ! cargo fuzz --version 2>/dev/null | grep -qx "cargo-fuzz $cargo_fuzz_version"; then
  echo "installing cargo-fuzz $cargo_fuzz_version"
  cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked --quiet
fi
echo "test dependencies: ok"
