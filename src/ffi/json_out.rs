//! Results as the JSON text the C API hands out, written once, straight
//! into the buffer that becomes the returned C string.
//!
//! Most results go through serde_json. The authResult and the `{"url": …}`
//! answers are written here by hand because nearly all their bytes are
//! tokens and URLs, which need no escaping: copying them as they are instead
//! of looking each byte up in serde_json's escape table is most of what
//! brings `parseHash` through C to the Rust figure (issue 7). The output is
//! byte for byte serde_json's (tests below).

use crate::{AuthResult, AuthorizeUrl};
use serde_json::Value;

/// A result the C API returns as JSON.
pub(crate) trait WriteJson {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()>;
}

macro_rules! via_serde {
    ($($t:ty),*) => {$(
        impl WriteJson for $t {
            fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
                serde_json::to_writer(out, self)
            }
        }
    )*};
}

via_serde!(Value, AuthorizeUrl);

impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        match self {
            Some(v) => v.write_json(out),
            None => {
                out.extend_from_slice(b"null");
                Ok(())
            }
        }
    }
}

/// `{"url": …}` (`buildAuthorizeUrl`, `logout`).
pub(crate) struct UrlAnswer(pub String);

impl WriteJson for UrlAnswer {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.extend_from_slice(b"{\"url\":");
        write_str(out, &self.0)?;
        out.push(b'}');
        Ok(())
    }
}

impl WriteJson for AuthResult {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        // Destructured so that a new field does not compile until it is
        // written here too; the keys are serde's `rename_all = "camelCase"`.
        let AuthResult {
            access_token,
            id_token,
            id_token_payload,
            app_state,
            refresh_token,
            state,
            expires_in,
            token_type,
            scope,
        } = self;
        out.reserve(
            256 + [access_token, id_token, refresh_token]
                .iter()
                .map(|t| t.as_ref().map_or(0, String::len))
                .sum::<usize>(),
        );
        out.extend_from_slice(b"{\"accessToken\":");
        write_opt_str(out, access_token)?;
        out.extend_from_slice(b",\"idToken\":");
        write_opt_str(out, id_token)?;
        out.extend_from_slice(b",\"idTokenPayload\":");
        serde_json::to_writer(&mut *out, id_token_payload)?;
        out.extend_from_slice(b",\"appState\":");
        serde_json::to_writer(&mut *out, app_state)?;
        out.extend_from_slice(b",\"refreshToken\":");
        write_opt_str(out, refresh_token)?;
        out.extend_from_slice(b",\"state\":");
        write_opt_str(out, state)?;
        out.extend_from_slice(b",\"expiresIn\":");
        serde_json::to_writer(&mut *out, expires_in)?;
        out.extend_from_slice(b",\"tokenType\":");
        write_opt_str(out, token_type)?;
        out.extend_from_slice(b",\"scope\":");
        write_opt_str(out, scope)?;
        out.push(b'}');
        Ok(())
    }
}

fn write_opt_str(out: &mut Vec<u8>, s: &Option<String>) -> serde_json::Result<()> {
    match s {
        Some(s) => write_str(out, s),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// `s` as a JSON string. Text with no quote, backslash or control
/// character (the bytes serde_json escapes) is copied as it is; serde_json
/// writes the rest.
fn write_str(out: &mut Vec<u8>, s: &str) -> serde_json::Result<()> {
    // A non-short-circuiting fold, which the compiler vectorises.
    let plain = s
        .bytes()
        .fold(true, |ok, b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'));
    if !plain {
        return serde_json::to_writer(out, s);
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn written<T: WriteJson>(v: &T) -> String {
        let mut out = Vec::new();
        v.write_json(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    const AWKWARD: &[&str] = &[
        "",
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_",
        "quote\" backslash\\ slash/",
        "tab\t newline\n nul\u{0} del\u{7f} bell\u{7}",
        "é € 😀 \u{2028}",
        "https://t.example/authorize?a=1&b=%20#f",
    ];

    #[test]
    fn an_auth_result_is_written_as_serde_writes_it() {
        let empty = AuthResult::default();
        assert_eq!(written(&empty), serde_json::to_string(&empty).unwrap());
        for s in AWKWARD {
            let full = AuthResult {
                access_token: Some((*s).into()),
                id_token: Some(format!("{s}.x")),
                id_token_payload: Some(json!({"sub": s, "n": 1.5, "a": [true, null]})),
                app_state: Some(json!(s)),
                refresh_token: Some((*s).into()),
                state: Some((*s).into()),
                expires_in: Some(-7200),
                token_type: Some((*s).into()),
                scope: Some((*s).into()),
            };
            assert_eq!(
                written(&full),
                serde_json::to_string(&full).unwrap(),
                "{s:?}"
            );
            assert_eq!(
                written(&Some(full.clone())),
                serde_json::to_string(&Some(full)).unwrap()
            );
        }
        assert_eq!(written(&None::<AuthResult>), "null");
    }

    #[test]
    fn a_url_answer_is_written_as_serde_writes_it() {
        for s in AWKWARD {
            assert_eq!(
                written(&UrlAnswer((*s).into())),
                json!({ "url": s }).to_string(),
                "{s:?}"
            );
        }
    }
}
