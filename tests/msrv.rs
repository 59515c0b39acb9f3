//! `rust-version` is the real minimum: for every package of the workspace,
//! the highest `rust-version` among the locked dependencies it builds with
//! (normal and build dependencies, every target, transitively).
//!
//! Only one toolchain exists on the machines that run these tests, so the
//! minimum is derived from `cargo metadata` rather than by building with
//! older compilers. The workspace's own code may need a newer Rust than its
//! dependencies do; it does not today, so the declared and derived
//! versions must be equal (raise both, with a comment, if that changes).

use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::process::Command;

/// `1.88` and `1.88.0` compare equal.
fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|p| {
        p.parse::<u64>()
            .unwrap_or_else(|_| panic!("rust-version {text:?} is not MAJOR.MINOR[.PATCH]"))
    });
    let major = parts.next().unwrap_or(0);
    (major, parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

fn metadata() -> Value {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .args(["--manifest-path", manifest])
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
}

#[test]
fn every_workspace_package_declares_the_rust_version_its_locked_dependencies_need() {
    let meta = metadata();
    let packages: HashMap<&str, &Value> = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p))
        .collect();
    // id -> the ids it needs to build (dev-dependencies left out: they
    // build the package's own tests, not the package).
    let needs: HashMap<&str, Vec<&str>> = meta["resolve"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|node| {
            let deps = node["deps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| {
                    d["dep_kinds"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|k| k["kind"].as_str() != Some("dev"))
                })
                .map(|d| d["pkg"].as_str().unwrap())
                .collect();
            (node["id"].as_str().unwrap(), deps)
        })
        .collect();
    let members: Vec<&str> = meta["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(members.len() >= 3, "the workspace has its packages");

    let mut wrong = BTreeMap::new();
    for member in &members {
        let mut seen = HashSet::new();
        let mut stack = needs[member].clone();
        let mut highest: Option<((u64, u64, u64), String)> = None;
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            stack.extend(needs[id].iter().copied());
            if members.contains(&id) {
                continue;
            }
            let package = packages[id];
            if let Some(rv) = package["rust_version"].as_str() {
                let v = version(rv);
                if highest.as_ref().is_none_or(|(h, _)| v > *h) {
                    highest = Some((
                        v,
                        format!("{} {} needs {rv}", package["name"], package["version"]),
                    ));
                }
            }
        }
        let package = packages[member];
        let name = package["name"].as_str().unwrap();
        let declared = package["rust_version"].as_str();
        let (needed, why) = highest.expect("every package has dependencies with a rust-version");
        if declared.map(version) != Some(needed) {
            let (major, minor, patch) = needed;
            wrong.insert(
                name.to_owned(),
                format!(
                    "declares {declared:?}; the locked dependencies need {major}.{minor}.{patch} ({why})"
                ),
            );
        }
    }
    assert!(
        wrong.is_empty(),
        "fix `rust-version` in these manifests: {wrong:#?}"
    );
}

#[test]
fn rust_versions_compare_by_number() {
    assert_eq!(version("1.88"), version("1.88.0"));
    assert!(version("1.100") > version("1.99.9"));
}
