//! The committed C header must be exactly what cbindgen generates from the
//! C layer (`bindings/c/`) now. Set `AUTH0_UPDATE_HEADER=1` to rewrite it.

use std::path::Path;

#[test]
fn committed_header_matches_a_fresh_generation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut fresh = Vec::new();
    cbindgen::Builder::new()
        .with_crate(root.join("bindings/c"))
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut fresh);
    let path = root.join("include/auth0.h");
    if std::env::var_os("AUTH0_UPDATE_HEADER").is_some() {
        std::fs::write(&path, &fresh).expect("write include/auth0.h");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "include/auth0.h is stale: run `AUTH0_UPDATE_HEADER=1 cargo test -p auth0-native --test header` and commit it"
    );
}

/// cbindgen exports every `pub const` it sees, whatever module holds it:
/// the C layer's own constants must not leak into the header unprefixed
/// (issue 14's `DEFAULT_MAX_RESPONSE_BYTES`).
#[test]
fn every_macro_of_the_header_is_prefixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let header = std::fs::read_to_string(root.join("include/auth0.h")).expect("include/auth0.h");
    for line in header.lines() {
        if let Some(rest) = line.trim_start().strip_prefix("#define ") {
            assert!(
                rest.starts_with("AUTH0_"),
                "unprefixed macro in auth0.h: {line}"
            );
        }
    }
}
