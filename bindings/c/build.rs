//! Link arguments of `libauth0_native.so` on ELF platforms: its SONAME and
//! the version script that exports the C API (`auth0_*`) and nothing else.

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=auth0_native.map");
    // GNU ld and lld take these options; macOS (install_name) and Windows
    // (a DLL has no SONAME, and exports are rustc's own list) do not.
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let elf = matches!(
        os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "illumos" | "solaris"
    );
    if !elf {
        return;
    }
    println!(
        "cargo:rustc-cdylib-link-arg=-Wl,-soname,libauth0_native.so.{}",
        abi_version()
    );
    let map = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"))
        .join("auth0_native.map");
    println!(
        "cargo:rustc-cdylib-link-arg=-Wl,--version-script={}",
        map.display()
    );
}

/// The ABI version in the SONAME, from the package version by Cargo's
/// semver rules (those of cargo-c too): the major version from 1.0.0 on;
/// before that every minor release may break, so `0.MINOR`.
fn abi_version() -> String {
    let major = env::var("CARGO_PKG_VERSION_MAJOR").expect("CARGO_PKG_VERSION_MAJOR");
    let minor = env::var("CARGO_PKG_VERSION_MINOR").expect("CARGO_PKG_VERSION_MINOR");
    if major == "0" {
        format!("0.{minor}")
    } else {
        major
    }
}
