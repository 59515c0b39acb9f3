//! Helpers shared by the integration tests.
#![allow(dead_code)]

use aws_lc_rs::signature::{RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::blocking::{Client, Response};
use serde_json::{json, Value};

pub use auth0_devtenant::*;

pub mod mfa;

/// A client that does not follow redirects and keeps cookies.
pub fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// The tenant's OpenID discovery document.
pub fn discovery(t: &DevTenant) -> Value {
    client()
        .get(format!("{}/.well-known/openid-configuration", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap()
}

pub fn post_json(c: &Client, url: &str, body: &Value) -> Response {
    c.post(url).json(body).send().unwrap()
}

pub fn password_realm(t: &DevTenant, scope: &str, audience: Option<&str>) -> Response {
    let mut b = json!({
        "realm": DB_CONNECTION, "client_id": t.client_id(), "scope": scope,
        "grant_type": "http://auth0.com/oauth/grant-type/password-realm",
        "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
    });
    if let Some(a) = audience {
        b["audience"] = json!(a);
    }
    post_json(&client(), &format!("{}/oauth/token", t.domain()), &b)
}

pub fn tokens(t: &DevTenant, scope: &str, audience: Option<&str>) -> Value {
    let r = password_realm(t, scope, audience);
    assert_eq!(r.status(), 200);
    r.json().unwrap()
}

pub fn mgmt_token(t: &DevTenant, user: &str, password: &str) -> String {
    let b = json!({
        "realm": DB_CONNECTION, "client_id": t.client_id(),
        "scope": "openid read:current_user update:current_user_metadata update:current_user_identities",
        "audience": format!("{}/api/v2/", t.domain()),
        "grant_type": "http://auth0.com/oauth/grant-type/password-realm",
        "username": user, "password": password,
    });
    let r = post_json(&client(), &format!("{}/oauth/token", t.domain()), &b);
    assert_eq!(r.status(), 200);
    r.json::<Value>().unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

pub fn b64(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

pub fn sha256(data: &[u8]) -> Vec<u8> {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data)
        .as_ref()
        .to_vec()
}

/// JWT header and payload, decoded without verification.
pub fn decode(jwt: &str) -> (Value, Value) {
    let mut p = jwt.split('.');
    let h = URL_SAFE_NO_PAD.decode(p.next().unwrap()).unwrap();
    let c = URL_SAFE_NO_PAD.decode(p.next().unwrap()).unwrap();
    (
        serde_json::from_slice(&h).unwrap(),
        serde_json::from_slice(&c).unwrap(),
    )
}

/// Verify an RS256 JWT against the tenant's JWKS (by kid).
pub fn verify_with_jwks(t: &DevTenant, jwt: &str) -> bool {
    let jwks: Value = client()
        .get(format!("{}/.well-known/jwks.json", t.domain()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let (h, _) = decode(jwt);
    let Some(k) = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == h["kid"])
    else {
        return false;
    };
    let n = URL_SAFE_NO_PAD.decode(k["n"].as_str().unwrap()).unwrap();
    let e = URL_SAFE_NO_PAD.decode(k["e"].as_str().unwrap()).unwrap();
    let (msg, sig) = jwt.rsplit_once('.').unwrap();
    let sig = URL_SAFE_NO_PAD.decode(sig).unwrap();
    RsaPublicKeyComponents { n: &n, e: &e }
        .verify(&RSA_PKCS1_2048_8192_SHA256, msg.as_bytes(), &sig)
        .is_ok()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `(name, value)` of every hidden input of an HTML page.
pub fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<input type=\"hidden\" name=\"") {
        rest = &rest[i + 27..];
        let name_end = rest.find('"').unwrap();
        let name = unescape(&rest[..name_end]);
        let v = rest.find("value=\"").unwrap() + 7;
        let v_end = v + rest[v..].find('"').unwrap();
        out.push((name, unescape(&rest[v..v_end])));
        rest = &rest[v_end..];
    }
    out
}

/// The `action` of the first form.
pub fn form_action(html: &str) -> String {
    let i = html.find("action=\"").unwrap() + 8;
    let j = i + html[i..].find('"').unwrap();
    unescape(&html[i..j])
}

pub fn location(r: &Response) -> String {
    r.headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .unwrap()
        .to_string()
}

/// Parameters of a redirect's query or fragment.
pub fn params_of(url: &str) -> std::collections::HashMap<String, String> {
    let part = url
        .split_once('#')
        .map(|(_, f)| f.to_string())
        .unwrap_or_else(|| {
            url::Url::parse(url)
                .unwrap()
                .query()
                .unwrap_or("")
                .to_string()
        });
    url::form_urlencoded::parse(part.as_bytes())
        .into_owned()
        .collect()
}

pub const CALLBACK: &str = "http://127.0.0.1:7777/callback";

/// An /authorize URL for the default client.
pub fn authorize_url(t: &DevTenant, extra: &[(&str, &str)]) -> String {
    let mut u = url::Url::parse(&format!("{}/authorize", t.domain())).unwrap();
    {
        let mut q = u.query_pairs_mut();
        q.append_pair("client_id", t.client_id())
            .append_pair("redirect_uri", CALLBACK);
        for (k, v) in extra {
            q.append_pair(k, v);
        }
    }
    u.to_string()
}

/// Log in through the hosted page with `c`'s cookie jar; the final redirect's URL.
pub fn hosted_login(
    t: &DevTenant,
    c: &Client,
    extra: &[(&str, &str)],
    user: &str,
    password: &str,
) -> String {
    let page = c.get(authorize_url(t, extra)).send().unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().unwrap();
    let mut form = hidden_inputs(&html);
    form.push(("username".into(), user.into()));
    form.push(("password".into(), password.into()));
    let r = c
        .post(format!("{}{}", t.domain(), form_action(&html)))
        .form(&form)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().unwrap();
    let cb = c
        .post(form_action(&html))
        .form(&hidden_inputs(&html))
        .send()
        .unwrap();
    assert_eq!(cb.status(), 302);
    location(&cb)
}

pub fn pkce() -> (String, String) {
    let verifier = b64(&{
        let mut b = [0u8; 32];
        aws_lc_rs::rand::fill(&mut b).unwrap();
        b
    });
    let challenge = b64(&sha256(verifier.as_bytes()));
    (verifier, challenge)
}

pub fn exchange(t: &DevTenant, code: &str, verifier: &str) -> Response {
    post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &json!({
            "grant_type": "authorization_code", "client_id": t.client_id(), "code": code,
            "code_verifier": verifier, "redirect_uri": CALLBACK,
        }),
    )
}
