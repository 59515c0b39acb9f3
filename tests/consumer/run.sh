#!/usr/bin/env bash
# The consumer suite: the library as a C or C++ user installs and links it.
#
#   bash tests/consumer/run.sh
#
# 1. Builds the C library and the dev tenant (debug, as tests/c/run.sh does)
#    and installs with `scripts/install.sh --prefix <tmp> --profile debug`;
#    checks the installed layout (SONAME, links, .pc, CMake package) and the
#    exported symbols and header names (check-symbols.sh).
# 2. Builds tests/consumer/app.c with the README's link lines —
#    `pkg-config --cflags --libs auth0_native` (shared) and
#    `cc -static … pkg-config --static …` — and the CMake project
#    tests/consumer/cmake (find_package(auth0_native CONFIG REQUIRED): C
#    shared, C static, C++ with auth0.hpp), and runs each against the dev
#    tenant (a login of its user).
# 3. Ends with one line `N passed, N failed` and exits non-zero on failure.
#
# Needs cc, c++, cmake, pkg-config, readelf, nm, python3 (Debian: gcc g++
# cmake pkg-config binutils python3). Works in $CARGO_TARGET_DIR/consumer-tests.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$PWD/$TARGET" ;; esac
export CARGO_TARGET_DIR="$TARGET"
cd "$ROOT"

SUITE=tests/consumer/run.sh
# shellcheck source=tests/lib/suite.sh
. "$ROOT/tests/lib/suite.sh"
# check LABEL COMMAND...: one case, passed when COMMAND succeeds (its output shown on failure).
check() {
    local label="$1" output rc=0
    shift
    output="$("$@" 2>&1)" || rc=$?
    if [ "$rc" -eq 0 ]; then pass "$label"; else fail "$label (exit status $rc)" "$output"; fi
}
for tool in cc c++ cmake pkg-config readelf nm python3 cargo; do
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
OUT="$TARGET/consumer-tests"
rm -rf "$OUT"
mkdir -p "$OUT"
PREFIX="$OUT/prefix"
LIB="$PREFIX/lib"
VERSION="$(awk '/^\[package\]/ { p = 1; next } /^\[/ { p = 0 }
    p && $1 == "version" { gsub(/"/, "", $3); print $3; exit }' bindings/c/Cargo.toml)"
MAJOR="${VERSION%%.*}"
MINOR="${VERSION#*.}"
MINOR="${MINOR%%.*}"
if [ "$MAJOR" = 0 ]; then ABI="0.$MINOR"; else ABI="$MAJOR"; fi

# ---- 1. install ------------------------------------------------------------
phase "scripts/install.sh --prefix $PREFIX --profile debug"
bash scripts/install.sh --prefix "$PREFIX" --profile debug --no-build >"$OUT/install.log" 2>&1 ||
    die "scripts/install.sh failed: $(cat "$OUT/install.log")"

soname_of() { readelf -d "$1" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p'; }
layout() {
    local f
    for f in "$LIB/libauth0_native.so.$VERSION" "$LIB/libauth0_native.a" "$PREFIX/include/auth0.h" \
        "$PREFIX/include/auth0.hpp" "$PREFIX/include/auth0_detail.hpp" "$LIB/pkgconfig/auth0_native.pc" \
        "$LIB/cmake/auth0_native/auth0_nativeConfig.cmake" \
        "$LIB/cmake/auth0_native/auth0_nativeConfigVersion.cmake" "$PREFIX/share/doc/auth0_native/LICENSE"; do
        [ -f "$f" ] && [ ! -L "$f" ] || { echo "missing: $f"; return 1; }
    done
    [ "$(readlink "$LIB/libauth0_native.so.$ABI")" = "libauth0_native.so.$VERSION" ] || { echo "bad link .so.$ABI"; return 1; }
    [ "$(readlink "$LIB/libauth0_native.so")" = "libauth0_native.so.$ABI" ] || { echo "bad link .so"; return 1; }
}
check "installed: lib/libauth0_native.so.$VERSION, .so.$ABI and .so links, .a, auth0.h, auth0.hpp, auth0_detail.hpp, .pc, CMake package, LICENSE" layout
check "install.sh says how programs find a library outside the loader's path (-Wl,-rpath)" \
    grep -qF -- "-Wl,-rpath,$LIB" "$OUT/install.log"
check "the installed .so's SONAME is libauth0_native.so.$ABI" \
    test "$(soname_of "$LIB/libauth0_native.so.$VERSION")" = "libauth0_native.so.$ABI"

export PKG_CONFIG_PATH="$LIB/pkgconfig"
unset PKG_CONFIG_LIBDIR LD_LIBRARY_PATH
check "pkg-config --modversion auth0_native is $VERSION" test "$(pkg-config --modversion auth0_native)" = "$VERSION"
private_libs() {
    local libs
    libs="$(pkg-config --static --libs auth0_native)"
    for l in -lauth0_native -lpthread -ldl -lm -lrt -lutil; do grep -qw -- "$l" <<<"$libs" || { echo "$l not in: $libs"; return 1; }; done
    ! grep -qw -- -lpthread <<<"$(pkg-config --libs auth0_native)" || { echo "Libs has the private libs"; return 1; }
}
check "auth0_native.pc: the Rust runtime's libs in Libs.private (pkg-config --static)" private_libs

# Each ok/FAIL line of check-symbols.sh is a case.
while IFS= read -r line; do
    case "$line" in
    "  ok   "*) echo "$line"; PASSED=$((PASSED + 1)) ;;
    "  FAIL "*) echo "$line"; FAILED=$((FAILED + 1)) ;;
    *) echo "$line" ;;
    esac
done < <(bash tests/consumer/check-symbols.sh "$LIB/libauth0_native.so.$VERSION" "$PREFIX/include/auth0.h" || true)

staged() { # DESTDIR install of a /usr prefix: files under the stage, paths of /usr
    DESTDIR="$OUT/stage" bash scripts/install.sh --prefix /usr --profile debug --no-build >/dev/null || return 1
    [ -f "$OUT/stage/usr/lib/libauth0_native.so.$VERSION" ] || { echo "not staged under $OUT/stage"; return 1; }
    grep -qx 'prefix=/usr' "$OUT/stage/usr/lib/pkgconfig/auth0_native.pc" ||
        { cat "$OUT/stage/usr/lib/pkgconfig/auth0_native.pc"; return 1; }
}
check "DESTDIR=<stage> scripts/install.sh --prefix /usr stages the files, the .pc says /usr" staged

# ---- 2. build and run against the dev tenant --------------------------------
phase "start the dev tenant"
start_devtenant "$TARGET/debug/auth0-devtenant" "$OUT"

# runs BINARY: it must log the tenant's user in and print so.
logs_in() {
    local output
    output="$("$1" 2>&1)" || { echo "$output"; return 1; }
    grep -qF "consumer: logged in as $AUTH0_TEST_USERNAME" <<<"$output" || { echo "$output"; return 1; }
    ! grep -qF "$AUTH0_TEST_PASSWORD" <<<"$output" || { echo "the password was printed"; return 1; }
}
needs_installed_so() { # BINARY: the .so it loads is the prefix's (by its SONAME)
    readelf -d "$1" | grep -qF "Shared library: [libauth0_native.so.$ABI]" || { readelf -d "$1"; return 1; }
    ldd "$1" | grep -F "libauth0_native.so.$ABI => $LIB/libauth0_native.so.$ABI" || { ldd "$1"; return 1; }
}
no_shared_auth0() { # BINARY: linked without libauth0_native.so
    ! readelf -d "$1" 2>/dev/null | grep -q 'libauth0_native' || { readelf -d "$1"; return 1; }
    local symbols
    symbols="$(nm "$1")"
    grep -q ' T auth0_webauth_login$' <<<"$symbols" || { echo "auth0_webauth_login is not in the binary"; return 1; }
}

phase "pkg-config: shared and static builds of tests/consumer/app.c, C++ of cmake/app.cpp"
CFLAGS=(-std=c11 -Wall -Wextra -Wpedantic -Werror)
APP="$ROOT/tests/consumer/app.c"
# The README's lines (the rpath because this prefix is not in ld.so's path).
shared_build() {
    cc "${CFLAGS[@]}" "$APP" -o "$OUT/app-shared" $(pkg-config --cflags --libs auth0_native) \
        -Wl,-rpath,"$(pkg-config --variable=libdir auth0_native)"
}
static_build() {
    cc -static "${CFLAGS[@]}" "$APP" -o "$OUT/app-static" $(pkg-config --cflags --libs --static auth0_native)
}
check "cc app.c \$(pkg-config --cflags --libs auth0_native) -Wl,-rpath,… compiles" shared_build
check "  it loads the installed libauth0_native.so.$ABI" needs_installed_so "$OUT/app-shared"
check "  it logs the dev tenant's user in" logs_in "$OUT/app-shared"
check "cc -static app.c \$(pkg-config --cflags --libs --static auth0_native) compiles" static_build
check "  it has libauth0_native.a linked in, no libauth0_native.so" no_shared_auth0 "$OUT/app-static"
check "  it logs the dev tenant's user in" logs_in "$OUT/app-static"
cpp_build() {
    c++ -std=c++17 -Wall -Wextra -Wpedantic -Werror "$ROOT/tests/consumer/cmake/app.cpp" -o "$OUT/app-cpp" \
        $(pkg-config --cflags --libs auth0_native) -Wl,-rpath,"$(pkg-config --variable=libdir auth0_native)"
}
check "c++ -std=c++17 app.cpp \$(pkg-config --cflags --libs auth0_native) -Wl,-rpath,… compiles (auth0.hpp)" cpp_build
check "  it logs the dev tenant's user in" logs_in "$OUT/app-cpp"

phase "CMake: find_package(auth0_native CONFIG REQUIRED)"
BUILD="$OUT/cmake-build"
cmake_build() {
    cmake -S tests/consumer/cmake -B "$BUILD" -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_BUILD_TYPE=Debug &&
        cmake --build "$BUILD" -j 2
}
check "tests/consumer/cmake configures and builds (C shared, C static, C++17 auth0.hpp)" cmake_build
check "  app_c loads the installed libauth0_native.so.$ABI" needs_installed_so "$BUILD/app_c"
check "  app_c logs the dev tenant's user in" logs_in "$BUILD/app_c"
check "  app_c_static has libauth0_native.a linked in, no libauth0_native.so" no_shared_auth0 "$BUILD/app_c_static"
check "  app_c_static logs the dev tenant's user in" logs_in "$BUILD/app_c_static"
check "  app_cpp (auth0::webauth) logs the dev tenant's user in" logs_in "$BUILD/app_cpp"
refuses_version() { # VERSION: find_package(auth0_native VERSION) must fail
    ! cmake -S tests/consumer/cmake -B "$OUT/cmake-$1" -DCMAKE_PREFIX_PATH="$PREFIX" \
        -DAUTH0_WANT_VERSION="$1" >"$OUT/cmake-$1.log" 2>&1 ||
        { echo "find_package(auth0_native $1) accepted $VERSION"; return 1; }
    grep -q 'compatible with requested version' "$OUT/cmake-$1.log" || { cat "$OUT/cmake-$1.log"; return 1; }
}
if [ "$MAJOR" = 0 ]; then
    check "  find_package(auth0_native 0.$((MINOR + 1))) refuses $VERSION (0.x: minor releases break)" \
        refuses_version "0.$((MINOR + 1))"
fi
check "  find_package(auth0_native $((MAJOR + 1)).0) refuses $VERSION" refuses_version "$((MAJOR + 1)).0"

finish
