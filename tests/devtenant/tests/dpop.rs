//! DPoP (RFC 9449): bound tokens from `/oauth/token`, proof checks,
//! `/userinfo` with `Authorization: DPoP`, bound refresh tokens and the
//! server nonce.
mod common;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use common::*;
use reqwest::blocking::Response;
use serde_json::{json, Value};

struct Key {
    pair: EcdsaKeyPair,
}

impl Key {
    fn new() -> Key {
        Key {
            pair: EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).unwrap(),
        }
    }

    fn jwk(&self) -> Value {
        let p = self.pair.public_key().as_ref();
        json!({"kty": "EC", "crv": "P-256", "x": b64(&p[1..33]), "y": b64(&p[33..65])})
    }

    /// RFC 7638 thumbprint, computed here independently.
    fn jkt(&self) -> String {
        let j = self.jwk();
        let s = format!(
            r#"{{"crv":"P-256","kty":"EC","x":"{}","y":"{}"}}"#,
            j["x"].as_str().unwrap(),
            j["y"].as_str().unwrap()
        );
        b64(&sha256(s.as_bytes()))
    }

    fn sign(&self, header: &Value, claims: &Value) -> String {
        let msg = format!(
            "{}.{}",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes())
        );
        let sig = self
            .pair
            .sign(&SystemRandom::new(), msg.as_bytes())
            .unwrap();
        format!("{msg}.{}", b64(sig.as_ref()))
    }

    /// A proof for `htm` `htu`; `extra` claims are merged in (null removes).
    fn proof(&self, htm: &str, htu: &str, extra: Value) -> String {
        let mut c = json!({"jti": b64(&rand16()), "htm": htm, "htu": htu, "iat": now()});
        for (k, v) in extra.as_object().unwrap() {
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v.clone();
            }
        }
        self.sign(
            &json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": self.jwk()}),
            &c,
        )
    }
}

fn rand16() -> [u8; 16] {
    let mut b = [0u8; 16];
    aws_lc_rs::rand::fill(&mut b).unwrap();
    b
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn token_url(t: &DevTenant) -> String {
    format!("{}/oauth/token", t.domain())
}

fn userinfo_url(t: &DevTenant) -> String {
    format!("{}/userinfo", t.domain())
}

fn password_grant(t: &DevTenant, proof: Option<&str>, scope: &str) -> Response {
    let mut req = client().post(token_url(t)).json(&json!({
        "realm": DB_CONNECTION, "client_id": t.client_id(), "scope": scope,
        "grant_type": "http://auth0.com/oauth/grant-type/password-realm",
        "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
    }));
    if let Some(p) = proof {
        req = req.header("DPoP", p);
    }
    req.send().unwrap()
}

fn refresh_grant(t: &DevTenant, rt: &str, proof: Option<&str>) -> Response {
    let mut req = client().post(token_url(t)).json(&json!({
        "grant_type": "refresh_token", "client_id": t.client_id(), "refresh_token": rt,
    }));
    if let Some(p) = proof {
        req = req.header("DPoP", p);
    }
    req.send().unwrap()
}

fn ath(at: &str) -> String {
    b64(&sha256(at.as_bytes()))
}

fn userinfo(t: &DevTenant, auth: &str, proof: Option<&str>) -> Response {
    let mut req = client().get(userinfo_url(t)).header("Authorization", auth);
    if let Some(p) = proof {
        req = req.header("DPoP", p);
    }
    req.send().unwrap()
}

/// A DPoP-bound access token for `key`.
fn bound_tokens(t: &DevTenant, key: &Key) -> Value {
    let r = password_grant(
        t,
        Some(&key.proof("POST", &token_url(t), json!({}))),
        "openid profile offline_access",
    );
    assert_eq!(r.status(), 200);
    r.json().unwrap()
}

fn err(r: Response) -> (u16, Value) {
    (r.status().as_u16(), r.json().unwrap())
}

fn www_auth(r: &Response) -> String {
    r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_valid_proof_gets_a_dpop_bound_access_token() {
    let t = DevTenant::start().unwrap();
    let key = Key::new();
    let v = bound_tokens(&t, &key);
    assert_eq!(v["token_type"], "DPoP");
    let (_, c) = decode(v["access_token"].as_str().unwrap());
    assert_eq!(c["cnf"], json!({"jkt": key.jkt()}));
    // Without a proof: a plain Bearer token, no cnf.
    let v: Value = password_grant(&t, None, "openid").json().unwrap();
    assert_eq!(v["token_type"], "Bearer");
    assert!(decode(v["access_token"].as_str().unwrap())
        .1
        .get("cnf")
        .is_none());
}

#[test]
fn userinfo_accepts_a_bound_token_only_with_a_matching_proof() {
    let t = DevTenant::start().unwrap();
    let key = Key::new();
    let at = bound_tokens(&t, &key)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let url = userinfo_url(&t);
    let good = key.proof("GET", &url, json!({"ath": ath(&at)}));
    let r = userinfo(&t, &format!("DPoP {at}"), Some(&good));
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().unwrap()["sub"], TEST_USER_ID);
    // The stolen token alone, as Bearer: refused.
    let r = userinfo(&t, &format!("Bearer {at}"), None);
    assert_eq!(r.status(), 401);
    assert!(www_auth(&r).contains("invalid_token"));
    // DPoP scheme without a proof, a replayed proof, a wrong ath, another key, a wrong htm.
    assert_eq!(userinfo(&t, &format!("DPoP {at}"), None).status(), 401);
    let r = userinfo(&t, &format!("DPoP {at}"), Some(&good));
    assert_eq!(r.status(), 401, "jti replay");
    assert!(www_auth(&r).contains("invalid_dpop_proof"));
    let wrong_ath = key.proof("GET", &url, json!({"ath": ath("other")}));
    assert_eq!(
        userinfo(&t, &format!("DPoP {at}"), Some(&wrong_ath)).status(),
        401
    );
    let thief = Key::new().proof("GET", &url, json!({"ath": ath(&at)}));
    assert_eq!(
        userinfo(&t, &format!("DPoP {at}"), Some(&thief)).status(),
        401
    );
    let post = key.proof("POST", &url, json!({"ath": ath(&at)}));
    assert_eq!(
        userinfo(&t, &format!("DPoP {at}"), Some(&post)).status(),
        401
    );
    // An unbound token is not accepted under the DPoP scheme.
    let plain = tokens(&t, "openid", None)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let p = key.proof("GET", &url, json!({"ath": ath(&plain)}));
    assert_eq!(
        userinfo(&t, &format!("DPoP {plain}"), Some(&p)).status(),
        401
    );
    assert_eq!(userinfo(&t, &format!("Bearer {plain}"), None).status(), 200);
}

#[test]
fn bad_proofs_at_the_token_endpoint_are_invalid_dpop_proof() {
    let t = DevTenant::start().unwrap();
    let key = Key::new();
    let url = token_url(&t);
    let header = json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": key.jwk()});
    let claims = json!({"jti": "j1", "htm": "POST", "htu": url, "iat": now()});
    let mut with_d = key.jwk();
    with_d["d"] = json!("AAAA");
    let cases: Vec<(String, &str)> = vec![
        (
            key.proof("GET", &url, json!({})),
            "DPoP proof htm does not match the request method",
        ),
        (
            key.proof("POST", "http://127.0.0.1:1/oauth/token", json!({})),
            "DPoP proof htu does not match the request URL",
        ),
        (
            key.proof("POST", &url, json!({"iat": now() - 600})),
            "DPoP proof iat is outside the acceptable window",
        ),
        (
            key.proof("POST", &url, json!({"iat": now() + 600})),
            "DPoP proof iat is outside the acceptable window",
        ),
        (
            key.proof("POST", &url, json!({"jti": null})),
            "DPoP proof has no jti",
        ),
        (
            key.sign(
                &json!({"typ": "JWT", "alg": "ES256", "jwk": key.jwk()}),
                &claims,
            ),
            "DPoP proof typ must be dpop+jwt",
        ),
        (
            key.sign(
                &json!({"typ": "dpop+jwt", "alg": "RS256", "jwk": key.jwk()}),
                &claims,
            ),
            "Unsupported DPoP proof alg (ES256 only)",
        ),
        (
            key.sign(
                &json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": with_d}),
                &claims,
            ),
            "DPoP proof jwk must not contain a private key",
        ),
        (
            key.sign(&json!({"typ": "dpop+jwt", "alg": "ES256"}), &claims),
            "DPoP proof header has no jwk",
        ),
        (
            Key::new().sign(&header, &claims),
            "DPoP proof signature is invalid",
        ),
        (
            "not.a.jws.at.all".to_string(),
            "DPoP proof is not a compact JWS",
        ),
    ];
    for (proof, why) in cases {
        let (s, v) = err(password_grant(&t, Some(&proof), "openid"));
        assert_eq!(
            (s, v),
            (
                400,
                json!({"error": "invalid_dpop_proof", "error_description": why})
            ),
            "{why}"
        );
    }
    // A query string on htu is ignored (RFC 9449 §4.3); a reused jti is not.
    let p = key.proof("POST", &format!("{url}?x=1"), json!({"jti": "once"}));
    assert_eq!(password_grant(&t, Some(&p), "openid").status(), 200);
    let p = key.proof("POST", &url, json!({"jti": "once"}));
    let (s, v) = err(password_grant(&t, Some(&p), "openid"));
    assert_eq!(
        (s, v["error_description"].as_str().unwrap()),
        (400, "DPoP proof jti was already used")
    );
    let two = client()
        .post(token_url(&t))
        .header("DPoP", key.proof("POST", &url, json!({})))
        .header("DPoP", key.proof("POST", &url, json!({})))
        .json(&json!({"grant_type": "refresh_token", "client_id": t.client_id(), "refresh_token": "x"}))
        .send()
        .unwrap();
    assert_eq!(two.status(), 400);
}

#[test]
fn bound_refresh_tokens_need_the_same_key() {
    let t = DevTenant::start().unwrap();
    let key = Key::new();
    let rt = bound_tokens(&t, &key)["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    let url = token_url(&t);
    let (s, v) = err(refresh_grant(&t, &rt, None));
    assert_eq!(
        (s, v["error"].as_str().unwrap()),
        (400, "invalid_dpop_proof")
    );
    let other = Key::new().proof("POST", &url, json!({}));
    assert_eq!(refresh_grant(&t, &rt, Some(&other)).status(), 400);
    let r = refresh_grant(&t, &rt, Some(&key.proof("POST", &url, json!({}))));
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    assert_eq!(v["token_type"], "DPoP");
    assert_eq!(
        decode(v["access_token"].as_str().unwrap()).1["cnf"]["jkt"],
        key.jkt()
    );
    // The rotated token is bound too.
    let rt2 = v["refresh_token"].as_str().unwrap();
    assert_eq!(refresh_grant(&t, rt2, None).status(), 400);
}

#[test]
fn server_nonce_is_demanded_when_turned_on() {
    let t = DevTenant::start().unwrap();
    let s = post_json(
        &client(),
        &format!("{}/__dev/settings", t.domain()),
        &json!({"dpop_require_nonce": true}),
    );
    assert_eq!(s.status(), 200);
    let key = Key::new();
    let url = token_url(&t);
    let r = password_grant(&t, Some(&key.proof("POST", &url, json!({}))), "openid");
    let nonce = r.headers()["dpop-nonce"].to_str().unwrap().to_string();
    assert_eq!(
        err(r),
        (
            400,
            json!({"error": "use_dpop_nonce", "error_description": "Authorization server requires nonce in DPoP proof"})
        )
    );
    let r = password_grant(
        &t,
        Some(&key.proof("POST", &url, json!({"nonce": nonce}))),
        "openid",
    );
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["dpop-nonce"].to_str().unwrap(), nonce);
    let at = r.json::<Value>().unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    // The resource server wants the nonce as well.
    let ui = userinfo_url(&t);
    let r = userinfo(
        &t,
        &format!("DPoP {at}"),
        Some(&key.proof("GET", &ui, json!({"ath": ath(&at)}))),
    );
    assert_eq!(r.status(), 401);
    assert!(www_auth(&r).contains("use_dpop_nonce"));
    assert_eq!(r.headers()["dpop-nonce"].to_str().unwrap(), nonce);
    let p = key.proof("GET", &ui, json!({"ath": ath(&at), "nonce": nonce}));
    assert_eq!(userinfo(&t, &format!("DPoP {at}"), Some(&p)).status(), 200);
    // Rotating the nonce makes the old one stale.
    let n2: Value = client()
        .post(format!("{}/__dev/dpop/nonce", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_ne!(n2["nonce"], nonce.as_str());
    let r = password_grant(
        &t,
        Some(&key.proof("POST", &url, json!({"nonce": nonce}))),
        "openid",
    );
    assert_eq!(
        r.headers()["dpop-nonce"].to_str().unwrap(),
        n2["nonce"].as_str().unwrap()
    );
    assert_eq!(err(r).1["error"], "use_dpop_nonce");
    let cur: Value = client()
        .get(format!("{}/__dev/dpop/nonce", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(cur, n2);
}

#[test]
fn discovery_lists_dpop_algorithms() {
    let t = DevTenant::start().unwrap();
    let v = discovery(&t);
    assert_eq!(v["dpop_signing_alg_values_supported"], json!(["ES256"]));
}

#[test]
fn the_mfa_grant_binds_to_its_own_proof() {
    let t = DevTenant::start().unwrap();
    let secret = "JBSWY3DPEHPK3PXP";
    let e = post_json(
        &client(),
        &format!("{}/__dev/mfa/enroll", t.domain()),
        &json!({"user": TEST_USER_EMAIL, "type": "otp", "secret": secret}),
    );
    assert_eq!(e.status(), 200);
    let key = Key::new();
    let url = token_url(&t);
    let r = password_grant(&t, Some(&key.proof("POST", &url, json!({}))), "openid");
    assert_eq!(r.status(), 403);
    let mt = r.json::<Value>().unwrap()["mfa_token"]
        .as_str()
        .unwrap()
        .to_string();
    let code: Value = client()
        .get(format!("{}/__dev/mfa/totp?secret={secret}", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let r = client()
        .post(&url)
        .header("DPoP", key.proof("POST", &url, json!({})))
        .json(
            &json!({"grant_type": "http://auth0.com/oauth/grant-type/mfa-otp",
                      "client_id": t.client_id(), "mfa_token": mt, "otp": code["code"]}),
        )
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    assert_eq!(v["token_type"], "DPoP");
    assert_eq!(
        decode(v["access_token"].as_str().unwrap()).1["cnf"]["jkt"],
        key.jkt()
    );
}
