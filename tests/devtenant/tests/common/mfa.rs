//! Helpers of the MFA tests (mfa.rs, mfa_enrolment.rs): the grants' names,
//! an independent TOTP, and the requests the tests send.
use super::*;
use reqwest::blocking::Response;
use serde_json::{json, Value};

pub const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
pub const GRANT_OTP: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
pub const GRANT_OOB: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
pub const GRANT_RECOVERY: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";

/// RFC 4648 base32, computed here independently of the tenant.
pub fn base32(s: &str) -> Vec<u8> {
    let a = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut buf, mut bits, mut out) = (0u64, 0, Vec::new());
    for c in s.bytes() {
        buf = (buf << 5) | a.iter().position(|x| *x == c).unwrap() as u64;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

/// RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30 s) now.
pub fn totp(secret_b32: &str) -> String {
    let key = aws_lc_rs::hmac::Key::new(
        aws_lc_rs::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY,
        &base32(secret_b32),
    );
    let step = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        / 30;
    let h = aws_lc_rs::hmac::sign(&key, &step.to_be_bytes());
    let h = h.as_ref();
    let o = (h[19] & 15) as usize;
    let n = u32::from_be_bytes([h[o] & 0x7f, h[o + 1], h[o + 2], h[o + 3]]);
    format!("{:06}", n % 1_000_000)
}

pub fn dev_post(t: &DevTenant, path: &str, body: &Value) -> Response {
    post_json(&client(), &format!("{}/__dev{path}", t.domain()), body)
}

pub fn enroll(t: &DevTenant, body: Value) -> Value {
    let r = dev_post(t, "/mfa/enroll", &body);
    assert_eq!(r.status(), 200);
    r.json().unwrap()
}

pub fn login(t: &DevTenant, user: &str, password: &str, scope: &str) -> Response {
    post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({
            "realm": DB_CONNECTION, "client_id": t.client_id(), "scope": scope,
            "grant_type": "http://auth0.com/oauth/grant-type/password-realm",
            "username": user, "password": password,
        }),
    )
}

/// The mfa_token of an `mfa_required` answer (asserting its exact shape).
pub fn mfa_token(r: Response) -> String {
    assert_eq!(r.status(), 403);
    let v: Value = r.json().unwrap();
    assert_eq!(v["error"], "mfa_required");
    assert_eq!(
        v["error_description"],
        "Multifactor authentication required"
    );
    assert_eq!(v.as_object().unwrap().len(), 3);
    v["mfa_token"].as_str().unwrap().to_string()
}

pub fn token(t: &DevTenant, body: Value) -> Response {
    let mut b = body;
    b["client_id"] = json!(t.client_id());
    post_json(&client(), &format!("{}/oauth/token", t.domain()), &b)
}

pub fn challenge(t: &DevTenant, body: Value) -> Response {
    let mut b = body;
    b["client_id"] = json!(t.client_id());
    post_json(&client(), &format!("{}/mfa/challenge", t.domain()), &b)
}

pub fn err(r: Response) -> (u16, Value) {
    (r.status().as_u16(), r.json().unwrap())
}
