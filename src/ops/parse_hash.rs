//! `parseHash` and `validateIdToken`.

use super::loose::{AnyStr, Loose, LooseNumber, LooseStr};
use super::{sealed, IntoOptions, Json, ParseHash, TypedOp, ValidateIdToken};
use crate::error::{Error, Result};
use crate::secret::AccessToken;
use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::time::Duration;

/// The options of [`WebAuth::parse_hash`](crate::WebAuth::parse_hash).
///
/// ```no_run
/// use auth0_native::{ParseHashOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// # let callback_url = String::new();
/// // `callback_url`: what the browser was sent back to.
/// if let Some(result) = web.parse_hash(&ParseHashOptions { hash: callback_url, ..Default::default() })? {
///     println!("logged in as {:?}", result.claims().map(|c| c.subject()));
/// }
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct ParseHashOptions {
    /// The answer: a fragment, a query string, or the whole callback URL.
    /// It carries a code or tokens: `Debug` redacts it. `hash`.
    pub hash: String,
    /// The state to expect (default: the recorded transaction's). `state`.
    pub state: Option<String>,
    /// The nonce to expect (default: the recorded transaction's). `nonce`.
    pub nonce: Option<String>,
    /// The organization the `id_token` must name in `org_id` / `org_name`
    /// (default: the recorded transaction's). `organization`.
    pub organization: Option<String>,
}

impl std::fmt::Debug for ParseHashOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParseHashOptions")
            .field("hash", &"[redacted]")
            .field("state", &self.state)
            .field("nonce", &self.nonce)
            .field("organization", &self.organization)
            .finish()
    }
}

impl ParseHashOptions {
    fn json(&self) -> Value {
        // Sent even when empty: an empty answer is `Ok(None)`, not an error.
        Json::new()
            .always_str("hash", &self.hash)
            .str("state", self.state.as_deref())
            .str("nonce", self.nonce.as_deref())
            .str("organization", self.organization.as_deref())
            .build()
    }
}

impl sealed::Sealed<ParseHash> for ParseHashOptions {}

impl IntoOptions<ParseHash> for ParseHashOptions {
    fn to_options(&self) -> Cow<'_, Value> {
        Cow::Owned(self.json())
    }

    fn to_typed(&self) -> Result<Cow<'_, ParseHashOptions>> {
        Ok(Cow::Borrowed(self))
    }
}

impl TypedOp for ParseHash {
    type Options = ParseHashOptions;
    fn from_json(options: &Value) -> Result<ParseHashOptions> {
        from_json(options)
    }
}

/// The JSON face's `parseHash` options, read whole, then checked in
/// auth0.js's order. Other keys are ignored (the C face passes its
/// options object as it is).
/// `parseHash`'s options as found in the JSON, before auth0.js's checks.
#[derive(Default, Deserialize)]
#[serde(default)]
struct ParseHashJson {
    hash: AnyStr,
    state: LooseStr,
    nonce: LooseStr,
    organization: LooseStr,
}

impl ParseHashJson {
    /// auth0.js's checks, in its order, with its messages.
    fn check(self) -> std::result::Result<ParseHashOptions, &'static str> {
        let Loose::Given(hash) = self.hash.0 else {
            return Err("hash option is required");
        };
        Ok(ParseHashOptions {
            hash,
            state: self.state.0.optional().ok_or("state option is not valid")?,
            nonce: self.nonce.0.optional().ok_or("nonce option is not valid")?,
            organization: self
                .organization
                .0
                .optional()
                .ok_or("organization option is not valid")?,
        })
    }
}

impl<'de> Deserialize<'de> for ParseHashOptions {
    /// auth0.js's `parseHash` options (`hash` required, `state`, `nonce`,
    /// `organization`), with its messages (`hash option is required`,
    /// `state option is not valid`, …). Other keys are ignored.
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        ParseHashJson::deserialize(d)?
            .check()
            .map_err(de::Error::custom)
    }
}

/// The options of
/// [`WebAuth::validate_id_token`](crate::WebAuth::validate_id_token).
///
/// ```no_run
/// use auth0_native::{ValidateIdTokenOptions, WebAuth, WebAuthOptions};
/// # let web = WebAuth::new(&WebAuthOptions { domain: "me.auth0.com".into(), client_id: "abc".into(), ..Default::default() })?;
/// # let id_token = "";
/// let claims = web.validate_id_token(id_token, &ValidateIdTokenOptions {
///     nonce: Some("n-0S6_WzA2Mj".into()),
///     ..Default::default()
/// })?;
/// # Ok::<(), auth0_native::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValidateIdTokenOptions {
    /// The nonce the token must carry. `nonce`.
    pub nonce: Option<String>,
    /// The longest time since the user authenticated (whole seconds). `maxAge`.
    pub max_age: Option<Duration>,
    /// The access token issued with it, checked against `at_hash`. `accessToken`.
    pub access_token: Option<AccessToken>,
    /// The organization the token must name in `org_id` / `org_name`. `organization`.
    pub organization: Option<String>,
}

impl ValidateIdTokenOptions {
    fn json(&self) -> Value {
        Json::new()
            .str("nonce", self.nonce.as_deref())
            .secs("maxAge", self.max_age)
            .str(
                "accessToken",
                self.access_token.as_ref().map(AccessToken::secret),
            )
            .str("organization", self.organization.as_deref())
            .build()
    }
}

impl sealed::Sealed<ValidateIdToken> for ValidateIdTokenOptions {}

impl IntoOptions<ValidateIdToken> for ValidateIdTokenOptions {
    fn to_options(&self) -> Cow<'_, Value> {
        Cow::Owned(self.json())
    }

    fn to_typed(&self) -> Result<Cow<'_, ValidateIdTokenOptions>> {
        Ok(Cow::Borrowed(self))
    }
}

impl TypedOp for ValidateIdToken {
    type Options = ValidateIdTokenOptions;
    fn from_json(options: &Value) -> Result<ValidateIdTokenOptions> {
        from_json(options)
    }
}

/// `validateIdToken`'s options as found in the JSON, before the checks.
#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ValidateIdTokenJson {
    nonce: LooseStr,
    max_age: LooseNumber,
    access_token: LooseStr,
    organization: LooseStr,
}

impl ValidateIdTokenJson {
    /// auth0.js's checks, in its order, with its messages.
    fn check(self) -> std::result::Result<ValidateIdTokenOptions, &'static str> {
        let nonce = self.nonce.0.optional().ok_or("nonce option is not valid")?;
        let max_age = match self
            .max_age
            .0
            .optional()
            .ok_or("maxAge option is not valid")?
        {
            // Whole seconds, as v8 (1.5 is 1); past u64 seconds, the most.
            Some(m) if m >= 0.0 => Some(
                Duration::try_from_secs_f64(m.trunc()).unwrap_or(Duration::from_secs(u64::MAX)),
            ),
            Some(_) => return Err("maxAge option is not valid"),
            None => None,
        };
        Ok(ValidateIdTokenOptions {
            nonce,
            max_age,
            access_token: self
                .access_token
                .0
                .optional()
                .ok_or("accessToken option is not valid")?
                .map(AccessToken::new),
            organization: self
                .organization
                .0
                .optional()
                .ok_or("organization option is not valid")?,
        })
    }
}

impl<'de> Deserialize<'de> for ValidateIdTokenOptions {
    /// auth0.js's `validateIdToken` options (`nonce`, `maxAge` in whole
    /// seconds, `accessToken`, `organization`), with its messages
    /// (`maxAge option is not valid`, …). Other keys are ignored.
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        ValidateIdTokenJson::deserialize(d)?
            .check()
            .map_err(de::Error::custom)
    }
}

/// The JSON face: an options object read into `T` (v8's
/// `options parameter is not valid` when it is not an object).
fn from_json<T: for<'de> Deserialize<'de>>(options: &Value) -> Result<T> {
    if !options.is_object() {
        return Err(Error::invalid_argument("options parameter is not valid"));
    }
    // From a `Value`, serde_json's message is ours, without a position.
    T::deserialize(options).map_err(|e| Error::invalid_argument(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse_error(v: &Value) -> String {
        <ParseHash as TypedOp>::from_json(v)
            .unwrap_err()
            .description()
            .to_owned()
    }

    fn validate_error(v: &Value) -> String {
        <ValidateIdToken as TypedOp>::from_json(v)
            .unwrap_err()
            .description()
            .to_owned()
    }

    #[test]
    fn json_parse_hash_options_name_the_option_in_their_errors() {
        assert_eq!(parse_error(&json!([])), "options parameter is not valid");
        assert_eq!(parse_error(&json!({})), "hash option is required");
        assert_eq!(parse_error(&json!({"hash": 1})), "hash option is required");
        assert_eq!(
            parse_error(&json!({"hash": "", "state": 1})),
            "state option is not valid"
        );
        assert_eq!(
            parse_error(&json!({"hash": "", "nonce": ["n"]})),
            "nonce option is not valid"
        );
        assert_eq!(
            parse_error(&json!({"organization": true, "hash": ""})),
            "organization option is not valid"
        );
        // auth0.js's order, whatever the keys' order: `hash` first.
        assert_eq!(
            parse_error(&json!({"state": 1, "hash": null})),
            "hash option is required"
        );
    }

    #[test]
    fn json_parse_hash_options_read_falsy_values_as_not_given() {
        let o = <ParseHash as TypedOp>::from_json(
            &json!({"hash": "#x", "state": "", "nonce": null, "organization": false, "other": {}}),
        )
        .unwrap();
        assert_eq!(
            o,
            ParseHashOptions {
                hash: "#x".into(),
                ..Default::default()
            }
        );
    }

    #[test]
    fn json_validate_options_name_the_option_in_their_errors() {
        assert_eq!(
            validate_error(&json!("x")),
            "options parameter is not valid"
        );
        assert_eq!(
            validate_error(&json!({"nonce": 5})),
            "nonce option is not valid"
        );
        assert_eq!(
            validate_error(&json!({"maxAge": "60"})),
            "maxAge option is not valid"
        );
        assert_eq!(
            validate_error(&json!({"maxAge": -1})),
            "maxAge option is not valid"
        );
        assert_eq!(
            validate_error(&json!({"accessToken": {}})),
            "accessToken option is not valid"
        );
        assert_eq!(
            validate_error(&json!({"organization": 1, "nonce": 2})),
            "nonce option is not valid"
        );
    }

    #[test]
    fn json_validate_options_become_the_typed_struct() {
        let o = <ValidateIdToken as TypedOp>::from_json(
            &json!({"idToken": "ignored", "nonce": "n", "maxAge": 61.9, "accessToken": "at"}),
        )
        .unwrap();
        assert_eq!(o.nonce.as_deref(), Some("n"));
        assert_eq!(o.max_age, Some(Duration::from_secs(61)));
        assert_eq!(o.access_token.as_ref().map(AccessToken::secret), Some("at"));
        assert_eq!(o.organization, None);
    }
}
