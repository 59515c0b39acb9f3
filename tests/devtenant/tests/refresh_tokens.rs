//! Refresh tokens for a credentials manager: `offline_access`, rotation,
//! the reuse interval and reuse detection (family revoked, counted in
//! `/__dev/stats`), `/oauth/revoke`, and the access-token lifetime set at
//! run time through `/__dev/settings`.
mod common;
use common::*;
use serde_json::{json, Value};

fn refresh(t: &DevTenant, rt: &str) -> reqwest::blocking::Response {
    post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({"grant_type": "refresh_token", "client_id": t.client_id(), "refresh_token": rt}),
    )
}

fn rt_of(v: &Value) -> String {
    v["refresh_token"].as_str().unwrap().to_string()
}

fn stats(t: &DevTenant) -> Value {
    client()
        .get(format!("{}/__dev/stats", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap()
}

fn settings(t: &DevTenant, body: &Value) -> reqwest::blocking::Response {
    post_json(&client(), &format!("{}/__dev/settings", t.domain()), body)
}

#[test]
fn offline_access_is_what_issues_a_refresh_token() {
    let t = DevTenant::start().unwrap();
    assert!(tokens(&t, "openid", None).get("refresh_token").is_none());
    assert!(tokens(&t, "openid offline_access", None)["refresh_token"]
        .as_str()
        .unwrap()
        .starts_with("v1."));
}

#[test]
fn normal_rotation_counts_no_reuse() {
    let t = DevTenant::start().unwrap();
    let mut rt = rt_of(&tokens(&t, "openid offline_access", None));
    for _ in 0..3 {
        let r = refresh(&t, &rt);
        assert_eq!(r.status(), 200);
        let next = rt_of(&r.json().unwrap());
        assert_ne!(next, rt);
        rt = next;
    }
    assert_eq!(
        stats(&t),
        json!({"refresh_reuse_detections": 0, "refresh_reuse_within_interval": 0,
               "refresh_rotations": 3, "refresh_revocations": 0})
    );
}

#[test]
fn reuse_after_the_interval_revokes_the_family_and_is_counted() {
    let t = DevTenant::start().unwrap();
    let rt1 = rt_of(&tokens(&t, "openid offline_access", None));
    let rt2 = rt_of(&refresh(&t, &rt1).json().unwrap());
    let r = refresh(&t, &rt1);
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().unwrap(),
        json!({"error": "invalid_grant", "error_description": "Unknown or invalid refresh token."})
    );
    assert_eq!(
        refresh(&t, &rt2).status(),
        403,
        "the whole family is revoked"
    );
    assert_eq!(stats(&t)["refresh_reuse_detections"], 1);
    let d = client()
        .delete(format!("{}/__dev/stats", t.domain()))
        .send()
        .unwrap();
    assert_eq!(d.status(), 204);
    assert_eq!(stats(&t)["refresh_reuse_detections"], 0);
}

#[test]
fn reuse_within_the_configured_interval_is_accepted() {
    let t = DevTenant::start_with(Config {
        refresh_reuse_interval_secs: 60,
        ..Config::default()
    })
    .unwrap();
    let rt1 = rt_of(&tokens(&t, "openid offline_access", None));
    let rt2 = rt_of(&refresh(&t, &rt1).json().unwrap());
    // Two racing refreshes with the same token: both succeed.
    let again = refresh(&t, &rt1);
    assert_eq!(again.status(), 200);
    let rt3 = rt_of(&again.json().unwrap());
    assert_ne!(rt3, rt2);
    assert_eq!(refresh(&t, &rt2).status(), 200);
    assert_eq!(refresh(&t, &rt3).status(), 200);
    let s = stats(&t);
    assert_eq!(s["refresh_reuse_detections"], 0);
    assert_eq!(s["refresh_reuse_within_interval"], 1);
}

#[test]
fn the_reuse_interval_is_settable_at_run_time() {
    let t = DevTenant::start().unwrap();
    let r = settings(&t, &json!({"refresh_reuse_interval_secs": 60}));
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().unwrap()["refresh_reuse_interval_secs"],
        60
    );
    let rt1 = rt_of(&tokens(&t, "openid offline_access", None));
    let rt2 = rt_of(&refresh(&t, &rt1).json().unwrap());
    assert_eq!(refresh(&t, &rt1).status(), 200);
    // The interval is judged when the token is presented: now it is over.
    settings(&t, &json!({"refresh_reuse_interval_secs": 0}));
    assert_eq!(refresh(&t, &rt1).status(), 403);
    assert_eq!(refresh(&t, &rt2).status(), 403);
    assert_eq!(stats(&t)["refresh_reuse_detections"], 1);
}

#[test]
fn revoke_ends_the_family_and_is_counted() {
    let t = DevTenant::start().unwrap();
    let rt1 = rt_of(&tokens(&t, "openid offline_access", None));
    let rt2 = rt_of(&refresh(&t, &rt1).json().unwrap());
    let r = post_json(
        &client(),
        &format!("{}/oauth/revoke", t.domain()),
        &json!({"client_id": t.client_id(), "token": rt2}),
    );
    assert_eq!(r.status(), 200);
    assert_eq!(refresh(&t, &rt2).status(), 403);
    let s = stats(&t);
    assert_eq!(s["refresh_revocations"], 1);
    assert_eq!(s["refresh_reuse_detections"], 0);
}

#[test]
fn access_token_lifetime_is_settable_at_run_time() {
    let t = DevTenant::start().unwrap();
    let r = settings(&t, &json!({"access_token_lifetime_secs": 1}));
    assert_eq!(r.json::<Value>().unwrap()["access_token_lifetime_secs"], 1);
    let v = tokens(&t, "openid offline_access", None);
    assert_eq!(v["expires_in"], 1);
    let (_, c) = decode(v["access_token"].as_str().unwrap());
    assert_eq!(c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap(), 1);
    // The refreshed token gets the same lifetime.
    let v2: Value = refresh(&t, &rt_of(&v)).json().unwrap();
    assert_eq!(v2["expires_in"], 1);
    // Lifetime 0: already expired, /userinfo refuses it.
    settings(&t, &json!({"access_token_lifetime_secs": 0}));
    let at = tokens(&t, "openid", None)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let u = client()
        .get(format!("{}/userinfo", t.domain()))
        .bearer_auth(at)
        .send()
        .unwrap();
    assert_eq!(u.status(), 401);
}

#[test]
fn implicit_tokens_use_the_run_time_lifetime() {
    let t = DevTenant::start().unwrap();
    settings(&t, &json!({"access_token_lifetime_secs": 5}));
    let loc = hosted_login(
        &t,
        &client(),
        &[("response_type", "token"), ("scope", "openid")],
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
    );
    assert_eq!(params_of(&loc)["expires_in"], "5");
}

#[test]
fn bad_settings_are_refused_whole() {
    let t = DevTenant::start().unwrap();
    let r = settings(
        &t,
        &json!({"access_token_lifetime_secs": 7, "no_such_setting": 1}),
    );
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<Value>().unwrap()["error_description"],
        "Unknown setting no_such_setting"
    );
    let r = settings(&t, &json!({"refresh_reuse_interval_secs": "soon"}));
    assert_eq!(
        r.json::<Value>().unwrap()["error_description"],
        "Invalid value for refresh_reuse_interval_secs"
    );
    let now: Value = client()
        .get(format!("{}/__dev/settings", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        now,
        json!({"access_token_lifetime_secs": 86400, "refresh_reuse_interval_secs": 0,
               "dpop_require_nonce": false, "mfa_policy": "enrolled", "mfa_on_refresh": false})
    );
}
