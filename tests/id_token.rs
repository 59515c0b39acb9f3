//! The id_token checks beyond auth0.js v8 (OpenID Connect Core §3.1.3.7,
//! RFC 8725; Part A's "Further id_token checks"), against the dev tenant:
//! hostile tokens signed with the tenant's own key, so only the check under
//! test can refuse them.

mod common;

use auth0_native::ErrorKind;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use common::Tenant;
use serde_json::{json, Value};

fn refusal(t: &Tenant, token: &str) -> String {
    let e = t
        .web(json!({}))
        .validate_id_token(token, &json!({}))
        .expect_err("the token must be refused");
    assert_eq!(e.kind(), ErrorKind::InvalidToken, "{}", e.description());
    e.description().to_owned()
}

/// The header segment and the payload JSON text of a token the tenant
/// signs with its defaults.
fn parts(t: &Tenant) -> (String, String) {
    let token = t.sign(json!({}), json!({}));
    let mut it = token.split('.');
    let head = it.next().unwrap().to_owned();
    let payload = URL_SAFE_NO_PAD.decode(it.next().unwrap()).unwrap();
    (head, String::from_utf8(payload).unwrap())
}

/// Signs `header.payload` exactly as given.
fn sign_raw(t: &Tenant, input: &str) -> String {
    t.dev_post("sign", json!({ "raw": input }))["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn jwks_requests(t: &Tenant) -> usize {
    t.dev_get("requests?path=/.well-known/jwks.json")
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn the_raw_signing_helper_makes_tokens_that_validate() {
    // Guards the tests below: their tokens fail only by what they change.
    let t = Tenant::start();
    let (head, payload) = parts(&t);
    let token = sign_raw(&t, &format!("{head}.{}", URL_SAFE_NO_PAD.encode(payload)));
    t.web(json!({}))
        .validate_id_token(&token, &json!({}))
        .unwrap();
}

#[test]
fn a_token_without_sub_is_refused() {
    let t = Tenant::start();
    let token = t.sign(json!({"sub": null}), json!({}));
    assert_eq!(
        refusal(&t, &token),
        "Subject (sub) claim must be a string present in the ID token"
    );
    let token = t.sign(json!({"sub": 42}), json!({}));
    assert_eq!(
        refusal(&t, &token),
        "Subject (sub) claim must be a string present in the ID token"
    );
}

#[test]
fn azp_must_be_the_client_even_with_a_single_audience() {
    let t = Tenant::start();
    let token = t.sign(json!({"azp": "another-client"}), json!({}));
    assert_eq!(
        refusal(&t, &token),
        format!(
            "Authorized Party (azp) claim mismatch in the ID token; expected \"{}\", found \"another-client\"",
            t.client_id()
        )
    );
    let token = t.sign(json!({ "azp": t.client_id() }), json!({}));
    t.web(json!({}))
        .validate_id_token(&token, &json!({}))
        .unwrap();
}

#[test]
fn exp_given_as_a_string_is_not_a_number() {
    let t = Tenant::start();
    let token = t.sign(json!({"exp": "9999999999"}), json!({}));
    assert_eq!(
        refusal(&t, &token),
        "Expiration Time (exp) claim must be a number present in the ID token"
    );
}

#[test]
fn iat_given_as_a_string_is_not_a_number() {
    let t = Tenant::start();
    let token = t.sign(json!({"iat": "0"}), json!({}));
    assert_eq!(
        refusal(&t, &token),
        "Issued At (iat) claim must be a number present in the ID token"
    );
}

#[test]
fn nbf_given_as_a_string_is_refused_not_ignored() {
    let t = Tenant::start();
    let token = t.sign(json!({"nbf": "9999999999"}), json!({}));
    assert_eq!(
        refusal(&t, &token),
        "Not Before (nbf) claim must be a number when present in the ID token"
    );
}

#[test]
fn auth_time_given_as_a_string_is_refused_even_without_max_age() {
    let t = Tenant::start();
    let token = t.sign(json!({"auth_time": "yesterday"}), json!({}));
    assert_eq!(
        refusal(&t, &token),
        "Authentication Time (auth_time) claim must be a number when present in the ID token"
    );
}

#[test]
fn a_crit_header_is_refused() {
    let t = Tenant::start();
    let token = t.sign(json!({}), json!({"crit": ["foo"], "foo": 1}));
    assert_eq!(
        refusal(&t, &token),
        "The ID token's header has a crit parameter; no critical extension is supported"
    );
}

#[test]
fn a_claim_given_twice_is_refused() {
    let t = Tenant::start();
    let (head, payload) = parts(&t);
    // The tenant's own `sub` comes later and would win in serde_json.
    let twice = payload.replacen('{', "{\"sub\":\"someone-else\",", 1);
    let token = sign_raw(&t, &format!("{head}.{}", URL_SAFE_NO_PAD.encode(twice)));
    assert_eq!(refusal(&t, &token), "Duplicate claim sub in the ID token");
}

#[test]
fn a_header_parameter_given_twice_is_refused() {
    let t = Tenant::start();
    let (head, payload) = parts(&t);
    let head = String::from_utf8(URL_SAFE_NO_PAD.decode(head).unwrap()).unwrap();
    let twice = head.replacen('{', "{\"alg\":\"HS256\",", 1);
    let token = sign_raw(
        &t,
        &format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(twice),
            URL_SAFE_NO_PAD.encode(payload)
        ),
    );
    assert_eq!(
        refusal(&t, &token),
        "Duplicate header parameter alg in the ID token"
    );
}

#[test]
fn a_padded_base64url_segment_is_malformed() {
    let t = Tenant::start();
    let (head, payload) = parts(&t);
    // Pad the payload to a length whose base64 ends in `=`.
    let mut payload = payload.replacen('{', "{\"x\":\"\",", 1);
    while payload.len() % 3 == 0 {
        payload = payload.replacen("\"x\":\"", "\"x\":\"y", 1);
    }
    let padded = URL_SAFE.encode(&payload);
    assert!(padded.ends_with('='));
    let token = sign_raw(&t, &format!("{head}.{padded}"));
    assert_eq!(refusal(&t, &token), "Cannot decode a malformed JWT");
}

#[test]
fn a_huge_token_is_refused_before_anything_is_decoded() {
    let t = Tenant::start();
    // A header segment that is valid base64url and JSON (`{}`-padded with
    // spaces), so only the size can refuse it; and no key is fetched.
    let header = URL_SAFE_NO_PAD.encode(format!("{{{}}}", " ".repeat(750_000)));
    let token = format!("{header}.e30.c2ln");
    assert!(token.len() > 1_000_000);
    let msg = refusal(&t, &token);
    assert!(msg.starts_with("The ID token is too large"), "{msg}");
    assert_eq!(jwks_requests(&t), 0);
}

fn assert_tame(msg: &str) {
    assert!(msg.len() < 300, "{} bytes: {}", msg.len(), &msg[..300]);
    assert!(!msg.chars().any(char::is_control), "{msg:?}");
}

#[test]
fn a_hostile_alg_is_not_echoed() {
    let t = Tenant::start();
    let alg = format!("\u{1b}[31m\r\n{}", "A".repeat(10_000));
    let token = t.sign(json!({}), json!({ "alg": alg }));
    let msg = refusal(&t, &token);
    assert!(msg.starts_with("Algorithm [31mAAAA"), "{msg}");
    assert_tame(&msg);
}

#[test]
fn a_hostile_kid_is_not_echoed() {
    let t = Tenant::start();
    let kid = format!("\u{0}\n{}", "k".repeat(10_000));
    let token = t.sign(json!({}), json!({ "kid": kid }));
    let msg = refusal(&t, &token);
    assert!(
        msg.starts_with("Could not find a public key for Key ID (kid) \"kkkk"),
        "{msg}"
    );
    assert_tame(&msg);
}

#[test]
fn a_failed_jwks_fetch_is_not_repeated_at_once() {
    let t = Tenant::start();
    // Enough faulty answers for any retries of the first call.
    t.fault(json!({"path": "/.well-known/jwks.json", "status": 503, "count": 50}));
    let web = t.web(json!({}));
    let token = t.sign(json!({}), json!({}));
    let first = web.validate_id_token(&token, &json!({})).unwrap_err();
    assert_eq!(
        (first.kind(), first.status_code()),
        (ErrorKind::Server, Some(503))
    );
    let fetched = jwks_requests(&t);
    assert!(fetched >= 1);
    let second = web.validate_id_token(&token, &json!({})).unwrap_err();
    assert_eq!(second, first);
    assert_eq!(jwks_requests(&t), fetched, "no new JWKS request");
}

#[test]
fn the_payload_is_returned_whole_and_in_its_order() {
    // The typed claims give back the payload as signed.
    let t = Tenant::start();
    let token = t.sign(json!({"z": 1, "a": {"nested": [1, 2]}}), json!({}));
    let p = t
        .web(json!({}))
        .validate_id_token(&token, &json!({}))
        .unwrap();
    let signed = URL_SAFE_NO_PAD
        .decode(token.split('.').nth(1).unwrap())
        .unwrap();
    let signed: Value = serde_json::from_slice(&signed).unwrap();
    let keys: Vec<&String> = signed.as_object().unwrap().keys().collect();
    assert_eq!(p.iter().map(|(k, _)| k).collect::<Vec<_>>(), keys);
    assert_eq!(serde_json::to_string(&p).unwrap(), signed.to_string());
    assert_eq!(p.additional_claims()["a"], json!({"nested": [1, 2]}));
}
