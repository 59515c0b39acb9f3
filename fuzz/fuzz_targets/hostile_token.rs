//! `validateIdToken` on structurally valid but hostile tokens: JWS-shaped
//! inputs built from the fuzz bytes (header and claims of every type,
//! duplicate members, `crit`, wrong and right `kid`/`alg`, signatures that
//! are the fuzzer's real RS256 signature or not), checked against the
//! handle's JWKS (the fuzzer's key, served on 127.0.0.1).
//!
//! The oracle: a token validates only if it is RS256, signed by the key,
//! issued by the tenant for this client, unexpired, with the nonce and
//! `at_hash` the call expects.
#![no_main]

use arbitrary::Arbitrary;
use auth0_native_fuzz::{check_error, jwks_web, sign, CLIENT_ID, KID};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

#[derive(Arbitrary, Debug)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<String>),
    Object(Vec<(String, i32)>),
}

impl Json {
    fn value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => json!(b),
            Json::Int(i) => json!(i),
            Json::Float(f) => json!(f),
            Json::Str(s) => json!(s),
            Json::List(l) => json!(l),
            Json::Object(o) => {
                Value::Object(o.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
            }
        }
    }
}

/// A claim or header member: the right value, another one, or absent.
#[derive(Arbitrary, Debug)]
enum Member {
    Right,
    Absent,
    Other(Json),
}

/// A time claim relative to now.
#[derive(Arbitrary, Debug)]
enum Time {
    Absent,
    /// Seconds from now.
    Relative(i32),
    Other(Json),
}

#[derive(Arbitrary, Debug)]
enum Audience {
    Ours,
    Absent,
    /// A list, with ours among others or not.
    Many {
        ours: bool,
        others: Vec<String>,
    },
    Other(Json),
}

#[derive(Arbitrary, Debug)]
enum Signature {
    /// The fuzzer's real signature over the two segments.
    Valid,
    /// The real one with one byte of the signature changed.
    Flipped(u16),
    Bytes(Vec<u8>),
    Text(String),
}

#[derive(Arbitrary, Debug)]
struct Token {
    alg: Member,
    kid: Member,
    typ: Option<Json>,
    crit: Option<Json>,
    header_extra: Vec<(String, Json)>,
    /// The name of a header member written twice.
    header_duplicate: Option<String>,
    iss: Member,
    sub: Member,
    aud: Audience,
    azp: Member,
    exp: Time,
    iat: Time,
    nbf: Time,
    auth_time: Time,
    nonce: Member,
    at_hash: Member,
    claims_extra: Vec<(String, Json)>,
    claim_duplicate: Option<String>,
    signature: Signature,
    /// Text appended to the whole token (a fourth segment, padding, …).
    tail: Option<String>,
    // What the call expects.
    expect_nonce: bool,
    max_age: Option<u16>,
    access_token: Option<String>,
}

const NONCE: &str = "fuzz-nonce";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A JSON object text with members in order, duplicates kept.
fn object(members: &[(String, Value)]) -> String {
    let inner: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{}:{v}", Value::String(k.clone())))
        .collect();
    format!("{{{}}}", inner.join(","))
}

fn at_hash(access_token: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest.as_ref()[..16])
}

fn push(m: &mut Vec<(String, Value)>, name: &str, member: &Member, right: Value) {
    match member {
        Member::Right => m.push((name.into(), right)),
        Member::Absent => {}
        Member::Other(j) => m.push((name.into(), j.value())),
    }
}

fn push_time(m: &mut Vec<(String, Value)>, name: &str, t: &Time) {
    match t {
        Time::Absent => {}
        Time::Relative(s) => m.push((name.into(), json!(now() + *s as i64))),
        Time::Other(j) => m.push((name.into(), j.value())),
    }
}

fuzz_target!(init: auth0_native_fuzz::prepare(), |t: Token| {
    let web = jwks_web();
    let mut h = Vec::new();
    push(&mut h, "alg", &t.alg, json!("RS256"));
    push(&mut h, "kid", &t.kid, json!(KID));
    if let Some(typ) = &t.typ {
        h.push(("typ".into(), typ.value()));
    }
    if let Some(crit) = &t.crit {
        h.push(("crit".into(), crit.value()));
    }
    h.extend(t.header_extra.iter().map(|(k, v)| (k.clone(), v.value())));
    if let Some(d) = &t.header_duplicate {
        h.push((d.clone(), json!(1)));
        h.push((d.clone(), json!(2)));
    }
    let mut c = Vec::new();
    push(&mut c, "iss", &t.iss, json!(web.token_issuer()));
    push(&mut c, "sub", &t.sub, json!("auth0|fuzz"));
    match &t.aud {
        Audience::Ours => c.push(("aud".into(), json!(CLIENT_ID))),
        Audience::Absent => {}
        Audience::Many { ours, others } => {
            let mut l: Vec<Value> = others.iter().map(|s| json!(s)).collect();
            if *ours {
                l.push(json!(CLIENT_ID));
            }
            c.push(("aud".into(), Value::Array(l)));
        }
        Audience::Other(j) => c.push(("aud".into(), j.value())),
    }
    push(&mut c, "azp", &t.azp, json!(CLIENT_ID));
    push_time(&mut c, "exp", &t.exp);
    push_time(&mut c, "iat", &t.iat);
    push_time(&mut c, "nbf", &t.nbf);
    push_time(&mut c, "auth_time", &t.auth_time);
    push(&mut c, "nonce", &t.nonce, json!(NONCE));
    let right_hash = at_hash(t.access_token.as_deref().unwrap_or(""));
    push(&mut c, "at_hash", &t.at_hash, json!(right_hash));
    c.extend(t.claims_extra.iter().map(|(k, v)| (k.clone(), v.value())));
    if let Some(d) = &t.claim_duplicate {
        c.push((d.clone(), json!("a")));
        c.push((d.clone(), json!("b")));
    }
    let head = URL_SAFE_NO_PAD.encode(object(&h));
    let body = URL_SAFE_NO_PAD.encode(object(&c));
    let mut token = match &t.signature {
        Signature::Valid => sign(&head, &body),
        Signature::Flipped(at) => {
            let signed = sign(&head, &body);
            let (rest, sig) = signed.rsplit_once('.').expect("three segments");
            let mut raw = URL_SAFE_NO_PAD.decode(sig).expect("our base64");
            let i = *at as usize % raw.len();
            raw[i] ^= 0x01;
            format!("{rest}.{}", URL_SAFE_NO_PAD.encode(raw))
        }
        Signature::Bytes(b) => format!("{head}.{body}.{}", URL_SAFE_NO_PAD.encode(b)),
        Signature::Text(s) => format!("{head}.{body}.{s}"),
    };
    if let Some(tail) = &t.tail {
        token.push_str(tail);
    }
    let mut options = json!({});
    if t.expect_nonce {
        options["nonce"] = json!(NONCE);
    }
    if let Some(m) = t.max_age {
        options["maxAge"] = json!(m);
    }
    if let Some(a) = &t.access_token {
        options["accessToken"] = json!(a);
    }
    match web.validate_id_token(&token, &options) {
        Ok(_) => {
            // Judged on the values written, which the fuzzer may also have
            // made equal to the right ones by another branch.
            let get = |m: &[(String, Value)], k: &str| {
                m.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
            };
            assert_eq!(
                token,
                sign(&head, &body),
                "validated with another signature: {t:?}"
            );
            assert_eq!(get(&h, "alg"), Some(json!("RS256")), "{t:?}");
            assert_eq!(get(&c, "iss"), Some(json!(web.token_issuer())), "{t:?}");
            assert!(get(&c, "exp").is_some_and(|v| v.is_number()), "exp: {t:?}");
            assert!(
                t.header_duplicate.is_none() && t.claim_duplicate.is_none(),
                "{t:?}"
            );
            if t.expect_nonce {
                assert_eq!(get(&c, "nonce"), Some(json!(NONCE)), "nonce: {t:?}");
            }
        }
        Err(e) => check_error(&e),
    }
});
