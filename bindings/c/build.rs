//! Link arguments of `libauth0_native.so` on ELF platforms: its SONAME.
//!
//! No version script of ours: rustc links every cdylib with its own, which
//! makes exactly the `#[no_mangle]` functions of the crate graph global and
//! everything else local, and a second script cannot narrow that (ld
//! merges them; its explicit globals win over our `local: *`). That list is
//! the C API, `auth0_*`; tests/consumer/check-symbols.sh fails if anything
//! else is ever exported (a dependency's `#[no_mangle]` function would be).

use std::env;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // Where the linker is GNU ld or lld, which take -soname; macOS
    // (install_name), Windows (a DLL has no SONAME) and the Solaris linker
    // (-h, mapfiles) have their own, and rustc's export list there.
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let elf = matches!(
        os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly"
    );
    if !elf {
        return;
    }
    let soname = format!("libauth0_native.so.{}", abi_version());
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
    link_soname_in_profile_dir(&soname);
}

/// A program linked against `target/<profile>/libauth0_native.so` (the C
/// tests, anyone trying the build tree with an rpath) records the SONAME
/// and looks for that file at run time: `libauth0_native.so.0.1 ->
/// libauth0_native.so` next to it, as a libtool build tree has. This is
/// the one write outside OUT_DIR (`target/<profile>/build/<pkg>/out`);
/// an installed library gets its links from scripts/install.sh instead.
fn link_soname_in_profile_dir(soname: &str) {
    let Some(out_dir) = env::var_os("OUT_DIR") else {
        return;
    };
    let Some(profile_dir) = PathBuf::from(out_dir).ancestors().nth(3).map(PathBuf::from) else {
        return;
    };
    let link = profile_dir.join(soname);
    if std::fs::read_link(&link)
        .is_ok_and(|target| target == std::path::Path::new("libauth0_native.so"))
    {
        return;
    }
    let _ = std::fs::remove_file(&link);
    #[cfg(unix)]
    if let Err(e) = std::os::unix::fs::symlink("libauth0_native.so", &link) {
        println!("cargo:warning=could not link {}: {e}", link.display());
    }
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
