#!/usr/bin/env bash
# Builds the C library and installs it as C and C++ users expect.
#
#   scripts/install.sh --prefix DIR [--profile release|debug] [--libdir DIR]
#                      [--includedir DIR] [--no-build]
#
#   --prefix DIR      where to install (default /usr/local)
#   --profile P       the Cargo profile to build and install: release (the
#                     default) or debug (what the tests use: no LTO, fast)
#   --libdir DIR      default PREFIX/lib (e.g. PREFIX/lib/x86_64-linux-gnu)
#   --includedir DIR  default PREFIX/include
#   --no-build        install what $CARGO_TARGET_DIR/PROFILE holds already
#   DESTDIR=STAGE     (environment) copy under STAGE, paths inside the
#                     files stay PREFIX's (for packagers)
#
# Installs, for version MAJOR.MINOR.PATCH of bindings/c/Cargo.toml:
#   LIBDIR/libauth0_native.so.MAJOR.MINOR.PATCH  SONAME libauth0_native.so.ABI
#   LIBDIR/libauth0_native.so.ABI -> ...so.MAJOR.MINOR.PATCH
#   LIBDIR/libauth0_native.so     -> ...so.ABI   (the link-time name)
#   LIBDIR/libauth0_native.a
#   INCLUDEDIR/auth0.h, INCLUDEDIR/auth0.hpp (C++17 header-only wrapper) and
#     INCLUDEDIR/auth0_detail.hpp (its internals)
#   LIBDIR/pkgconfig/auth0_native.pc
#   LIBDIR/cmake/auth0_native/auth0_nativeConfig.cmake, ...ConfigVersion.cmake
#     (targets auth0_native::auth0_native, auth0_native::auth0_native_static)
#   PREFIX/share/doc/auth0_native/LICENSE
# ABI is MAJOR from 1.0.0 on and 0.MINOR before (Cargo's semver rule, the
# one bindings/c/build.rs puts in the SONAME).
#
# Why a script and not cargo-c's `cargo cinstall`: cargo-c links Cargo
# itself (minutes to build, a newer rustc for its newest release), would be
# one more tool for every user, generates no CMake package, and would not
# install the C++ header; this needs only cargo and coreutils.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX=/usr/local
PROFILE=release
LIBDIR=""
INCLUDEDIR=""
BUILD=1

usage() { # [EXIT-STATUS]
    sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit "${1:-2}"
}
die() {
    echo "install.sh: $*" >&2
    exit 1
}

while [ $# -gt 0 ]; do
    case "$1" in
    --prefix) [ $# -ge 2 ] || usage; PREFIX="$2"; shift 2 ;;
    --prefix=*) PREFIX="${1#*=}"; shift ;;
    --profile) [ $# -ge 2 ] || usage; PROFILE="$2"; shift 2 ;;
    --profile=*) PROFILE="${1#*=}"; shift ;;
    --libdir) [ $# -ge 2 ] || usage; LIBDIR="$2"; shift 2 ;;
    --libdir=*) LIBDIR="${1#*=}"; shift ;;
    --includedir) [ $# -ge 2 ] || usage; INCLUDEDIR="$2"; shift 2 ;;
    --includedir=*) INCLUDEDIR="${1#*=}"; shift ;;
    --no-build) BUILD=0; shift ;;
    -h | --help) usage 0 ;;
    *) echo "install.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
case "$PROFILE" in release | debug) ;; *) die "--profile must be release or debug, not '$PROFILE'" ;; esac
case "$PREFIX" in /*) ;; *) PREFIX="$PWD/$PREFIX" ;; esac
[ -n "$LIBDIR" ] || LIBDIR="$PREFIX/lib"
[ -n "$INCLUDEDIR" ] || INCLUDEDIR="$PREFIX/include"
case "$LIBDIR" in /*) ;; *) die "--libdir must be an absolute path" ;; esac
case "$INCLUDEDIR" in /*) ;; *) die "--includedir must be an absolute path" ;; esac
STAGE="${DESTDIR:-}"

TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$PWD/$TARGET" ;; esac
export CARGO_TARGET_DIR="$TARGET"

# The version of the C package: the SONAME's (build.rs) and the header's.
VERSION="$(awk '/^\[package\]/ { p = 1; next } /^\[/ { p = 0 }
    p && $1 == "version" { gsub(/"/, "", $3); print $3; exit }' "$ROOT/bindings/c/Cargo.toml")"
[[ "$VERSION" =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]] ||
    die "bindings/c/Cargo.toml: version '$VERSION' is not MAJOR.MINOR.PATCH"
MAJOR="${BASH_REMATCH[1]}"
MINOR="${BASH_REMATCH[2]}"
if [ "$MAJOR" = 0 ]; then ABI="0.$MINOR"; else ABI="$MAJOR"; fi
grep -qF "#define AUTH0_VERSION_STRING \"$VERSION\"" "$ROOT/include/auth0.h" ||
    die "include/auth0.h's AUTH0_VERSION_STRING is not \"$VERSION\": update cbindgen.toml's after_includes and regenerate the header"

if [ "$BUILD" = 1 ]; then
    flags=(-p auth0-native-c)
    [ "$PROFILE" = release ] && flags+=(--release)
    echo "install.sh: cargo build ${flags[*]}"
    (cd "$ROOT" && cargo build --quiet "${flags[@]}") || die "cargo build ${flags[*]} failed"
fi
BUILT="$TARGET/$PROFILE"
[ -f "$BUILT/libauth0_native.so" ] || die "no $BUILT/libauth0_native.so (build it, or drop --no-build)"
[ -f "$BUILT/libauth0_native.a" ] || die "no $BUILT/libauth0_native.a"
if command -v readelf >/dev/null 2>&1; then
    soname="$(readelf -d "$BUILT/libauth0_native.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"
    [ "$soname" = "libauth0_native.so.$ABI" ] ||
        die "$BUILT/libauth0_native.so has SONAME '$soname', expected libauth0_native.so.$ABI (stale build?)"
fi

REAL="libauth0_native.so.$VERSION"
PCDIR="$LIBDIR/pkgconfig"
CMAKEDIR="$LIBDIR/cmake/auth0_native"
DOCDIR="$PREFIX/share/doc/auth0_native"
install -d "$STAGE$LIBDIR" "$STAGE$INCLUDEDIR" "$STAGE$PCDIR" "$STAGE$CMAKEDIR" "$STAGE$DOCDIR"

install -m 755 "$BUILT/libauth0_native.so" "$STAGE$LIBDIR/$REAL"
ln -sfn "$REAL" "$STAGE$LIBDIR/libauth0_native.so.$ABI"
ln -sfn "libauth0_native.so.$ABI" "$STAGE$LIBDIR/libauth0_native.so"
install -m 644 "$BUILT/libauth0_native.a" "$STAGE$LIBDIR/libauth0_native.a"
install -m 644 "$ROOT/include/auth0.h" "$ROOT/include/auth0.hpp" "$ROOT/include/auth0_detail.hpp" \
    "$STAGE$INCLUDEDIR/"
install -m 644 "$ROOT/LICENSE" "$STAGE$DOCDIR/LICENSE"

# What the Rust standard library needs besides the archive on Linux
# (`rustc --print native-static-libs`), less the two the C compiler driver
# adds itself: -lc, and -lgcc_s, which it links as needed (and which has
# no archive, so it would break `cc -static`).
PRIVATE_LIBS="-lutil -lrt -lpthread -lm -ldl"

# Paths in the .pc file relative to ${prefix} when they are under it.
pc_path() { # DIR
    case "$1" in
    "$PREFIX") echo '${prefix}' ;;
    "$PREFIX"/*) echo "\${prefix}/${1#"$PREFIX"/}" ;;
    *) echo "$1" ;;
    esac
}
cat >"$STAGE$PCDIR/auth0_native.pc" <<EOF
prefix=$PREFIX
libdir=$(pc_path "$LIBDIR")
includedir=$(pc_path "$INCLUDEDIR")

Name: auth0_native
Description: Auth0 client for native programs (C API; C++17 wrapper auth0.hpp)
Version: $VERSION
Cflags: -I\${includedir}
Libs: -L\${libdir} -lauth0_native
Libs.private: $PRIVATE_LIBS
EOF

# CMake: relocatable, every path relative to this file (LIBDIR/cmake/auth0_native).
INCLUDE_FROM_LIBDIR="$(realpath -m --relative-to="$LIBDIR" "$INCLUDEDIR")"
cat >"$STAGE$CMAKEDIR/auth0_nativeConfig.cmake" <<EOF
# auth0_native $VERSION, installed by scripts/install.sh.
#
#   find_package(auth0_native CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE auth0_native::auth0_native)         # libauth0_native.so
#   target_link_libraries(app PRIVATE auth0_native::auth0_native_static)  # libauth0_native.a
#
# Both targets carry the include directory of auth0.h and auth0.hpp.
if(TARGET auth0_native::auth0_native)
  return()
endif()

get_filename_component(_auth0_native_libdir "\${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
get_filename_component(_auth0_native_includedir "\${_auth0_native_libdir}/$INCLUDE_FROM_LIBDIR" ABSOLUTE)

include(CMakeFindDependencyMacro)
find_dependency(Threads)

add_library(auth0_native::auth0_native SHARED IMPORTED)
set_target_properties(auth0_native::auth0_native PROPERTIES
  IMPORTED_LOCATION "\${_auth0_native_libdir}/$REAL"
  IMPORTED_SONAME "libauth0_native.so.$ABI"
  INTERFACE_INCLUDE_DIRECTORIES "\${_auth0_native_includedir}")

add_library(auth0_native::auth0_native_static STATIC IMPORTED)
set_target_properties(auth0_native::auth0_native_static PROPERTIES
  IMPORTED_LOCATION "\${_auth0_native_libdir}/libauth0_native.a"
  IMPORTED_LINK_INTERFACE_LANGUAGES "C"
  INTERFACE_INCLUDE_DIRECTORIES "\${_auth0_native_includedir}"
  INTERFACE_LINK_LIBRARIES "Threads::Threads;\${CMAKE_DL_LIBS};m;rt;util")

set(auth0_native_VERSION "$VERSION")
unset(_auth0_native_libdir)
unset(_auth0_native_includedir)
EOF

cat >"$STAGE$CMAKEDIR/auth0_nativeConfigVersion.cmake" <<EOF
# auth0_native $VERSION. Compatible with a request for the same major
# version (for 0.x: the same 0.MINOR, as the SONAME) that is not newer.
set(PACKAGE_VERSION "$VERSION")
set(PACKAGE_VERSION_COMPATIBLE FALSE)
if(PACKAGE_FIND_VERSION_MAJOR EQUAL $MAJOR
   AND ($MAJOR GREATER 0 OR PACKAGE_FIND_VERSION_MINOR EQUAL $MINOR)
   AND NOT PACKAGE_FIND_VERSION VERSION_GREATER PACKAGE_VERSION)
  set(PACKAGE_VERSION_COMPATIBLE TRUE)
endif()
if(PACKAGE_FIND_VERSION VERSION_EQUAL PACKAGE_VERSION)
  set(PACKAGE_VERSION_EXACT TRUE)
endif()
# A 64-bit library is no use to a 32-bit build, and the other way round.
if(NOT CMAKE_SIZEOF_VOID_P STREQUAL "" AND NOT CMAKE_SIZEOF_VOID_P EQUAL $(($(getconf LONG_BIT) / 8)))
  set(PACKAGE_VERSION "\${PACKAGE_VERSION} ($(getconf LONG_BIT)-bit)")
  set(PACKAGE_VERSION_UNSUITABLE TRUE)
endif()
EOF

# The dynamic loader finds libauth0_native.so.ABI in LIBDIR only when LIBDIR
# is in its cache (ld.so.conf) or in the program (rpath): refresh the cache
# when it can, else say what to do.
in_loader_path() {
    local conf
    case "$LIBDIR" in /lib | /usr/lib | /lib64 | /usr/lib64) return 0 ;; esac # searched by default
    for conf in /etc/ld.so.conf /etc/ld.so.conf.d/*.conf; do
        [ -f "$conf" ] && grep -qxF "$LIBDIR" "$conf" && return 0
    done
    return 1
}
LOADER_NOTE=""
if [ -z "$STAGE" ] && in_loader_path; then
    if [ "$(id -u)" -eq 0 ] && command -v ldconfig >/dev/null 2>&1; then
        ldconfig || LOADER_NOTE="ldconfig failed: run it again before starting programs"
    else
        LOADER_NOTE="run 'sudo ldconfig' before starting programs linked against $LIBDIR"
    fi
elif [ -z "$STAGE" ]; then
    LOADER_NOTE="$LIBDIR is not in the dynamic loader's path: link programs with
  -Wl,-rpath,$LIBDIR (or add it to /etc/ld.so.conf.d/ and run ldconfig)"
fi

echo "install.sh: installed auth0_native $VERSION ($PROFILE) into $STAGE$PREFIX"
echo "  $LIBDIR/$REAL (SONAME libauth0_native.so.$ABI), libauth0_native.a"
echo "  $INCLUDEDIR/auth0.h, auth0.hpp, auth0_detail.hpp; $PCDIR/auth0_native.pc; $CMAKEDIR/"
[ -z "$LOADER_NOTE" ] || echo "note: $LOADER_NOTE"
