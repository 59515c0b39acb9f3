//! `validateIdToken` against the dev tenant, over real HTTP on 127.0.0.1:
//! the algorithm, the claims with auth0.js v8's messages, the signature
//! and the JWKS (refetch, rotation, cache, failure). Split from
//! tests/authentication_login.rs (login, userInfo, parseHash).

#[path = "common/authn.rs"]
mod authn;
mod common;

use auth0_native::ErrorKind;
use authn::now;
use common::Tenant;
use serde_json::{json, Value};

fn validation_error(t: &Tenant, claims: Value, header: Value, options: Value) -> String {
    let token = t.sign(claims, header);
    t.web(json!({}))
        .validate_id_token(&token, &options)
        .unwrap_err()
        .description()
        .to_owned()
}

#[test]
fn validate_id_token_accepts_a_good_token_and_returns_its_payload() {
    let t = Tenant::start();
    let token = t.sign(json!({"nonce": "n1", "email": "x@y.z"}), json!({}));
    let p = t
        .web(json!({}))
        .validate_id_token(&token, &json!({"nonce": "n1"}))
        .unwrap();
    assert_eq!(p.additional_claims()["email"], "x@y.z");
}

#[test]
fn validate_id_token_checks_the_algorithm_first() {
    let t = Tenant::start();
    t.fault(json!({"path": "/.well-known/jwks.json", "status": 500, "count": 5}));
    let msg = validation_error(&t, json!({}), json!({"alg": "HS256"}), json!({}));
    assert_eq!(
        msg,
        "Algorithm HS256 is not supported. (Expected algs: [RS256])"
    );
    let msg = validation_error(&t, json!({}), json!({"alg": "none"}), json!({}));
    assert_eq!(
        msg,
        "Algorithm none is not supported. (Expected algs: [RS256])"
    );
    // Any JSON type is shown as it is.
    let msg = validation_error(&t, json!({}), json!({"alg": 256}), json!({}));
    assert_eq!(
        msg,
        "Algorithm 256 is not supported. (Expected algs: [RS256])"
    );
}

#[test]
fn validate_id_token_refuses_malformed_tokens() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    for bad in ["", "abc", "a.b", "a.b.c.d", ".."] {
        assert_eq!(
            web.validate_id_token(bad, &json!({}))
                .unwrap_err()
                .description(),
            "Cannot decode a malformed JWT",
            "{bad:?}"
        );
    }
    // Not JSON; a JSON array as header or as payload (objects only).
    for bad in [
        "e30.bm90anNvbg.c2ln",
        "WyJSUzI1NiJd.e30.c2ln",
        "eyJhbGciOiJSUzI1NiJ9.WzFd.c2ln",
    ] {
        assert_eq!(
            web.validate_id_token(bad, &json!({}))
                .unwrap_err()
                .description(),
            "Token header or payload is not valid JSON",
            "{bad:?}"
        );
    }
    // Leading whitespace is still an object: the algorithm check speaks.
    assert_eq!(
        web.validate_id_token("IHsiYWxnIjoiSFMyNTYifQ.e30.c2ln", &json!({}))
            .unwrap_err()
            .description(),
        "Algorithm HS256 is not supported. (Expected algs: [RS256])"
    );
}

#[test]
fn validate_id_token_checks_each_claim_with_v8s_messages() {
    let t = Tenant::start();
    let d = t.domain();
    let n = now();
    let cases = [
        (json!({"iss": "https://evil.example.com/"}), json!({}), "Issuer https://evil.example.com/ is not valid."),
        (json!({"aud": "someone-else"}), json!({}), "Audience someone-else is not valid."),
        (json!({"aud": ["someone-else", "x"]}), json!({}), "Audience someone-else,x is not valid."),
        (json!({"exp": null}), json!({}), "Expiration Time (exp) claim must be a number present in the ID token"),
        (json!({"exp": n - 10}), json!({}), "Expired token."),
        (json!({"iat": null}), json!({}), "Issued At (iat) claim must be a number present in the ID token"),
        (json!({"iat": n + 600}), json!({}), "The token was issued in the future. Please check your computed clock."),
        (json!({"nbf": n + 600}), json!({}), "The token is not valid until later in the future. Please check your computed clock."),
        (json!({"nonce": "other"}), json!({"nonce": "n1"}), "Nonce does not match."),
        (json!({"nonce": "unexpected"}), json!({}), "Nonce does not match."),
        (json!({}), json!({"nonce": "n1"}), "Nonce does not match."),
        (json!({}), json!({"maxAge": 60}), "Authentication Time (auth_time) claim must be a number present in the ID token when Max Age (max_age) is specified"),
        (json!({"auth_time": n - 3600}), json!({"maxAge": 60}), "Authentication Time (auth_time) claim indicates that too much time has passed since the last end-user authentication."),
        (json!({"at_hash": "wrong"}), json!({"accessToken": "at"}), "Access Token Hash (at_hash) claim mismatch"),
    ];
    let _ = d;
    for (claims, options, message) in cases {
        assert_eq!(
            validation_error(&t, claims.clone(), json!({}), options),
            message,
            "{claims}"
        );
    }
}

#[test]
fn several_audiences_need_a_matching_azp() {
    let t = Tenant::start();
    let cid = t.client_id();
    let msg = validation_error(
        &t,
        json!({"aud": [cid, "api"], "azp": "other"}),
        json!({}),
        json!({}),
    );
    assert_eq!(msg, format!("Authorized Party (azp) claim mismatch in the ID token; expected \"{cid}\", found \"other\""));
    let token = t.sign(json!({"aud": [cid, "api"], "azp": cid}), json!({}));
    assert!(t
        .web(json!({}))
        .validate_id_token(&token, &json!({}))
        .is_ok());
}

#[test]
fn leeway_allows_small_clock_skew() {
    let t = Tenant::start();
    let token = t.sign(json!({"exp": now() - 5}), json!({}));
    assert!(t
        .web(json!({}))
        .validate_id_token(&token, &json!({}))
        .is_err());
    assert!(t
        .web(json!({"leeway": 60}))
        .validate_id_token(&token, &json!({}))
        .is_ok());
}

#[test]
fn a_tampered_signature_is_refused() {
    let t = Tenant::start();
    let token = t.sign(json!({}), json!({}));
    let (rest, sig) = token.rsplit_once('.').unwrap();
    let mut sig = sig.as_bytes().to_vec();
    sig[10] = if sig[10] == b'A' { b'B' } else { b'A' };
    let forged = format!("{rest}.{}", String::from_utf8(sig).unwrap());
    let e = t
        .web(json!({}))
        .validate_id_token(&forged, &json!({}))
        .unwrap_err();
    assert_eq!(e.description(), "Invalid signature.");
}

#[test]
fn an_unknown_kid_is_refused_after_one_refetch() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let e = web
        .validate_id_token(&t.sign(json!({}), json!({"kid": "nope"})), &json!({}))
        .unwrap_err();
    assert_eq!(
        e.description(),
        "Could not find a public key for Key ID (kid) \"nope\""
    );
}

#[test]
fn rotated_keys_are_picked_up_by_a_refetch() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    web.validate_id_token(&t.sign(json!({}), json!({})), &json!({}))
        .unwrap();
    t.dev_post("rotate-keys", json!({}));
    // The cached JWKS lacks the new kid: one re-fetch finds it.
    web.validate_id_token(&t.sign(json!({}), json!({})), &json!({}))
        .unwrap();
}

#[test]
fn the_jwks_is_cached() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    for _ in 0..5 {
        web.validate_id_token(&t.sign(json!({}), json!({})), &json!({}))
            .unwrap();
    }
    assert_eq!(
        t.dev_get("requests?path=/.well-known/jwks.json")
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_failing_jwks_fetch_is_a_typed_error_with_its_status() {
    let t = Tenant::start();
    t.fault(json!({"path": "/.well-known/jwks.json", "status": 503, "count": 5}));
    let e = t
        .web(json!({}))
        .validate_id_token(&t.sign(json!({}), json!({})), &json!({}))
        .unwrap_err();
    assert_eq!((e.kind(), e.status_code()), (ErrorKind::Server, Some(503)));
}
