//! Results as the JSON text the C API hands out, written once, straight
//! into the buffer that becomes the returned C string.
//!
//! JSON values, authResults and the `{"url": …}` answers are written here
//! rather than by serde_json's serializer because nearly all their bytes
//! are tokens, URLs and claims that need no escaping: copying such strings
//! as they are, instead of looking each byte up in serde_json's escape
//! table, is most of what brings `parseHash` through C to the Rust figure
//! (issue 7). Numbers, and strings that do need escaping, still go through
//! serde_json, and the output is byte for byte serde_json's (tests below).

use auth0_native::secret::{AccessToken, IdToken, RefreshToken};
use auth0_native::{AuthResult, AuthorizeUrl, ClaimValue, IdTokenClaims};
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

via_serde!(AuthorizeUrl);

impl WriteJson for Value {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        match self {
            Value::String(s) => write_str(out, s),
            Value::Array(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write_json(out)?;
                }
                out.push(b']');
                Ok(())
            }
            // Depth is bounded: parsed values by serde_json's limit (128),
            // the others are built by this library.
            Value::Object(map) => {
                out.push(b'{');
                for (i, (key, item)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_str(out, key)?;
                    out.push(b':');
                    item.write_json(out)?;
                }
                out.push(b'}');
                Ok(())
            }
            scalar => serde_json::to_writer(out, scalar),
        }
    }
}

/// The claims as the token carried them, member for member, written from
/// their typed form.
impl WriteJson for IdTokenClaims {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.push(b'{');
        for (i, (name, value)) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_str(out, name)?;
            out.push(b':');
            match value {
                ClaimValue::Null => out.extend_from_slice(b"null"),
                ClaimValue::String(s) => write_str(out, s)?,
                ClaimValue::Number(n) => serde_json::to_writer(&mut *out, n)?,
                ClaimValue::Strings(items) => {
                    out.push(b'[');
                    for (j, item) in items.iter().enumerate() {
                        if j > 0 {
                            out.push(b',');
                        }
                        write_str(out, item)?;
                    }
                    out.push(b']');
                }
                ClaimValue::Json(v) => v.write_json(out)?,
            }
        }
        out.push(b'}');
        Ok(())
    }
}

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
            256 + [
                access_token.as_ref().map(AccessToken::secret),
                id_token.as_ref().map(IdToken::secret),
                refresh_token.as_ref().map(RefreshToken::secret),
            ]
            .iter()
            .map(|t| t.map_or(0, str::len))
            .sum::<usize>(),
        );
        out.extend_from_slice(b"{\"accessToken\":");
        write_opt_str(out, access_token.as_ref().map(AccessToken::secret))?;
        out.extend_from_slice(b",\"idToken\":");
        write_opt_str(out, id_token.as_ref().map(IdToken::secret))?;
        out.extend_from_slice(b",\"idTokenPayload\":");
        id_token_payload.write_json(out)?;
        out.extend_from_slice(b",\"appState\":");
        app_state.write_json(out)?;
        out.extend_from_slice(b",\"refreshToken\":");
        write_opt_str(out, refresh_token.as_ref().map(RefreshToken::secret))?;
        out.extend_from_slice(b",\"state\":");
        write_opt_str(out, state.as_deref())?;
        out.extend_from_slice(b",\"expiresIn\":");
        serde_json::to_writer(&mut *out, expires_in)?;
        out.extend_from_slice(b",\"tokenType\":");
        write_opt_str(out, token_type.as_deref())?;
        out.extend_from_slice(b",\"scope\":");
        write_opt_str(out, scope.as_deref())?;
        out.push(b'}');
        Ok(())
    }
}

fn write_opt_str(out: &mut Vec<u8>, s: Option<&str>) -> serde_json::Result<()> {
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
                id_token: Some(format!("{s}.x").into()),
                id_token_payload: Some(claims(s)),
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

    /// Claims of every form, with `s` in a name and in the values.
    fn claims(s: &str) -> IdTokenClaims {
        IdTokenClaims::try_from(&json!({
            "sub": s, "n": 1.5, "a": [true, null], "iss": "https://t/", "aud": [s, "b"],
            "exp": 1.9e9, "iat": 1_800_000_000u64, "nbf": null, "org_id": 7, s: {"k": s},
        }))
        .unwrap()
    }

    #[test]
    fn claims_are_written_as_serde_writes_them() {
        for s in AWKWARD {
            let c = claims(s);
            assert_eq!(written(&c), serde_json::to_string(&c).unwrap(), "{s:?}");
            let one = IdTokenClaims::try_from(&json!({
                "iss": s, "sub": s, "aud": s, "exp": -1, "iat": 0.25,
            }))
            .unwrap();
            assert_eq!(written(&one), serde_json::to_string(&one).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn a_value_is_written_as_serde_writes_it() {
        for s in AWKWARD {
            let v = json!({
                *s: [s, {"k": s, "n": [1, -2, 3.25, 1e300, u64::MAX]}, [], {}],
                "t": true, "f": false, "z": null, "e": "",
            });
            assert_eq!(written(&v), v.to_string(), "{s:?}");
            assert_eq!(written(&json!(s)), json!(s).to_string());
        }
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
