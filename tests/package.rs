//! What `cargo package` puts in the crate: the core's sources, the C
//! header, the bench sources the manifest names, the license and the
//! README — nothing that needs the unpublished dev tenant to build, no
//! bindings, no build-machine files. (`cargo publish --dry-run`, which
//! also builds the packaged crate, runs in the release workflow.)

use std::process::Command;

fn packaged_files() -> Vec<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--offline",
            "-p",
            "auth0-native",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo package runs");
    assert!(
        out.status.success(),
        "cargo package --list failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_crate_packages_the_core_the_header_and_the_license_only() {
    let files = packaged_files();
    for needed in [
        "Cargo.toml",
        "LICENSE",
        "README.md",
        "include/auth0.h",
        "src/lib.rs",
    ] {
        assert!(
            files.iter().any(|f| f == needed),
            "{needed} is not packaged: {files:?}"
        );
    }
    let unexpected: Vec<&String> = files
        .iter()
        .filter(|f| {
            !(f.starts_with("src/")
                || f.starts_with("include/")
                || f.starts_with("benches/")
                || [
                    "Cargo.toml",
                    "Cargo.toml.orig",
                    "Cargo.lock",
                    "LICENSE",
                    "README.md",
                    ".cargo_vcs_info.json",
                ]
                .contains(&f.as_str()))
        })
        .collect();
    assert!(unexpected.is_empty(), "packaged by mistake: {unexpected:?}");
}
