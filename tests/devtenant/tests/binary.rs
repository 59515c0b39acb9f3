//! The `auth0-devtenant` binary and `--db` persistence.
mod common;
use common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn binary_with_json_prints_one_line_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_auth0-devtenant"))
        .args(["--json", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let v: Value = serde_json::from_str(&line).unwrap();
    let domain = v["domain"].as_str().unwrap().to_string();
    assert!(domain.starts_with("http://127.0.0.1:"));
    assert_eq!(v["client_id"], DEFAULT_CLIENT_ID);
    assert_eq!(v["connection"], DB_CONNECTION);
    let r = post_json(
        &client(),
        &format!("{domain}/oauth/token"),
        &json!({
            "realm": DB_CONNECTION, "client_id": v["client_id"], "grant_type": "http://auth0.com/oauth/grant-type/password-realm",
            "username": v["username"], "password": v["password"], "scope": "openid",
        }),
    );
    let status = r.status();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, 200);
}

#[test]
fn db_file_keeps_users_and_keys_across_restarts() {
    let path = std::env::temp_dir().join(format!("devtenant-test-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let cfg = || Config {
        db: Some(path.clone()),
        ..Config::default()
    };
    let (kid, rt) = {
        let t = DevTenant::start_with(cfg()).unwrap();
        let r = post_json(
            &client(),
            &format!("{}/dbconnections/signup", t.domain()),
            &json!({"client_id": t.client_id(), "connection": DB_CONNECTION, "email": "kept@example.com", "password": "Kept-Passw0rd"}),
        );
        assert_eq!(r.status(), 200);
        let v = tokens(&t, "openid offline_access", None);
        (
            decode(v["id_token"].as_str().unwrap()).0["kid"].clone(),
            v["refresh_token"].as_str().unwrap().to_string(),
        )
    };
    let t = DevTenant::start_with(cfg()).unwrap();
    let r = post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({
            "realm": DB_CONNECTION, "client_id": t.client_id(), "grant_type": "http://auth0.com/oauth/grant-type/password-realm",
            "username": "kept@example.com", "password": "Kept-Passw0rd", "scope": "openid",
        }),
    );
    assert_eq!(r.status(), 200);
    assert_eq!(
        decode(r.json::<Value>().unwrap()["id_token"].as_str().unwrap()).0["kid"],
        kid
    );
    let r = post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({"grant_type": "refresh_token", "client_id": t.client_id(), "refresh_token": rt}),
    );
    assert_eq!(r.status(), 200);
    drop(t);
    let _ = std::fs::remove_file(&path);
}
