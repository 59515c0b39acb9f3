//! The Authentication API calls that go over the network: `client.login`,
//! `parseHash` (with the code exchange of the native code flow) and
//! `validateIdToken`.

use crate::casing::to_snake_case;
use crate::error::{Error, ErrorKind, Result};
use crate::flows::callback::{
    bounded_text, check_binding, parse_callback, server_did_not_act, ARTIFACTS, MAX_CALLBACK_BYTES,
};
use crate::flows::grant_types;
use crate::ops::{self, IntoOptions};
use crate::options::{as_object, merge, optional_str, require_str, Options};
use crate::secret::{AccessToken, IdToken, RefreshToken};
use crate::tokens::claims::IdTokenClaims;
use crate::tokens::id_token::Expectations;
use crate::transaction::{now_secs, Transaction};
use crate::webauth::{has_word, Client, WebAuth};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::borrow::Cow;

/// auth0.js's authResult: the nine keys `parseHash` returns, each `null`
/// when absent. `idTokenPayload` is the verified `id_token` payload.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthResult {
    /// The access token for the API (`audience`) or `/userinfo`. A secret:
    /// `Debug` redacts it.
    pub access_token: Option<AccessToken>,
    /// The `id_token` as received (a JWS). A secret: `Debug` redacts it.
    pub id_token: Option<IdToken>,
    /// The `id_token`'s claims, present only after it was verified
    /// (signature, issuer, audience, expiry, nonce, …), as the token
    /// carried them.
    pub id_token_payload: Option<IdTokenClaims>,
    /// The `appState` given to `authorize`, from the transaction.
    pub app_state: Option<Value>,
    /// The refresh token (`offline_access`). A secret: `Debug` redacts it.
    pub refresh_token: Option<RefreshToken>,
    /// The `state` the answer carried (checked against the transaction).
    pub state: Option<String>,
    /// Seconds until the access token expires, as the server said.
    pub expires_in: Option<i64>,
    /// `Bearer` (or `DPoP`), as the server said.
    pub token_type: Option<String>,
    /// The scopes granted, when the server says (space-separated).
    pub scope: Option<String>,
}

impl std::fmt::Debug for AuthResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthResult")
            .field("access_token", &self.access_token)
            .field("id_token", &self.id_token)
            .field("id_token_payload", &self.id_token_payload)
            .field("app_state", &self.app_state)
            .field("refresh_token", &self.refresh_token)
            .field("state", &self.state)
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .field("scope", &self.scope)
            .finish()
    }
}

/// Keys `/oauth/token` bodies keep, in v8's order (wire spec §7.1).
const TOKEN_BODY_KEYS: &[&str] = &[
    "realm",
    "audience",
    "client_id",
    "client_secret",
    "redirect_uri",
    "scope",
    "code",
    "grant_type",
    "username",
    "password",
    "refresh_token",
    "assertion",
    "client_assertion",
    "client_assertion_type",
    "code_verifier",
];

fn str_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// A string option as the core reads it: given and not empty.
fn given(v: Option<&str>) -> Option<&str> {
    v.filter(|s| !s.is_empty())
}

/// The parameters of a callback, borrowed from it where no decoding was
/// needed (only the values that end up in the result are copied).
struct Params<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl Params<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }
}

/// The first key of `pairs` that an earlier pair already has.
fn first_repeated<'p>(pairs: &'p [(Cow<'_, str>, Cow<'_, str>)]) -> Option<&'p str> {
    // A callback has about eight parameters: comparing each with the ones
    // before it is cheaper than hashing them all. A long one (an
    // attacker's) takes the set, so the check stays linear.
    const FEW: usize = 16;
    if pairs.len() <= FEW {
        (1..pairs.len())
            .find(|&i| pairs[..i].iter().any(|(k, _)| *k == pairs[i].0))
            .map(|i| pairs[i].0.as_ref())
    } else {
        let mut seen = std::collections::HashSet::with_capacity(pairs.len());
        pairs
            .iter()
            .map(|(k, _)| k.as_ref())
            .find(|k| !seen.insert(*k))
    }
}

/// The [`ErrorKind::Authorization`] error of an `error=` callback, its
/// texts stripped of control characters and bounded.
fn authorization_error(error: &str, description: Option<&str>, state: Option<&str>) -> Error {
    let mut e = Error::new(
        ErrorKind::Authorization,
        bounded_text(description.unwrap_or_default(), 512),
    )
    .with_code(bounded_text(error, 64));
    if let Some(s) = state {
        e = e.with_state(bounded_text(s, 256));
    }
    e
}

/// What `parseHash` checks the answer against, when the caller says
/// (else the recorded transaction's).
#[derive(Clone, Copy, Default)]
pub(crate) struct Expected<'a> {
    pub state: Option<&'a str>,
    pub nonce: Option<&'a str>,
    pub organization: Option<&'a str>,
}

impl WebAuth {
    /// POSTs a token request and turns the answer into an authResult with a
    /// verified `id_token` (Part A: tokens from `/oauth/token` are validated
    /// too). Never retried: codes, passwords and rotating refresh tokens are
    /// single use.
    pub(crate) fn token_request(
        &self,
        body: &Value,
        nonce: Option<&str>,
        max_age: Option<u64>,
    ) -> Result<AuthResult> {
        let expect = Expectations {
            nonce,
            max_age,
            ..Expectations::default()
        };
        self.token_request_tracked(body, &expect, &mut false)
    }

    /// [`WebAuth::token_request`] with the `id_token`'s `expect`ations,
    /// setting `answered` once the server has answered with tokens: from
    /// then on a failure (of the `id_token` check) is not worth retrying
    /// with the same code.
    pub(crate) fn token_request_tracked(
        &self,
        body: &Value,
        expect: &Expectations<'_>,
        answered: &mut bool,
    ) -> Result<AuthResult> {
        let answer = self.token_answer(body)?;
        *answered = true;
        self.auth_result_from(&answer, expect)
    }

    /// POSTs `body` to `/oauth/token`; the answer as it came (it holds
    /// tokens). Never retried.
    pub(crate) fn token_answer(&self, body: &Value) -> Result<Value> {
        self.http().api(
            Method::POST,
            &self.domain().url("/oauth/token"),
            None,
            Some(body),
        )
    }

    /// The authResult of a token answer, its `id_token` verified against
    /// `expect` (and the answer's own access token for `at_hash`); the
    /// refresh token is held for `renewAuth`.
    pub(crate) fn auth_result_from(
        &self,
        answer: &Value,
        expect: &Expectations<'_>,
    ) -> Result<AuthResult> {
        crate::transport::http::require_token_answer(answer)?;
        let mut result = AuthResult {
            access_token: str_field(answer, "access_token").map(AccessToken::new),
            id_token: str_field(answer, "id_token").map(IdToken::new),
            refresh_token: str_field(answer, "refresh_token").map(RefreshToken::new),
            expires_in: answer.get("expires_in").and_then(Value::as_i64),
            token_type: str_field(answer, "token_type"),
            scope: str_field(answer, "scope"),
            ..AuthResult::default()
        };
        if let Some(id_token) = &result.id_token {
            let expect = Expectations {
                access_token: result.access_token.as_ref().map(AccessToken::secret),
                require_at_hash: false,
                ..expect.clone()
            };
            result.id_token_payload = Some(self.verifier().verify(
                id_token.secret(),
                &expect,
                now_secs(),
            )?);
        }
        self.hold_refresh_token(result.refresh_token.as_ref().map(RefreshToken::secret));
        Ok(result)
    }

    /// `parseHash(options)`: reads the answer `/authorize` sent back — a
    /// fragment, a query string, or the whole callback URL in `hash` —
    /// checks it against the transaction `authorize` recorded, validates
    /// the `id_token`, exchanges a `code` for tokens (with the PKCE
    /// verifier), and returns the authResult. `Ok(None)` when the answer
    /// holds no token, no code and no error, as v8's `(null, null)`.
    ///
    /// The answer must be what the transaction asked for: its state, its
    /// response type exactly (a code flow accepts only a `code`, which is
    /// then exchanged; injected tokens are refused), the redirect URI when
    /// `hash` is a whole URL, the tenant's issuer in an RFC 9207 `iss`, and
    /// no parameter twice. Anything else is an [`ErrorKind::InvalidToken`]
    /// error. The transaction is single use: it is consumed by a callback
    /// that matched it, and given back only when the failure came before
    /// the server could act on the code (no connection, no answer, a 502,
    /// 503 or 504, or the JWKS could not be fetched), so that the app can
    /// retry the same callback.
    ///
    /// Options: [`ParseHashOptions`](crate::ParseHashOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`] for ill-typed options or a `hash`
    /// over the size bound; [`ErrorKind::InvalidToken`] for an answer that
    /// does not match the transaction (as above) or whose `id_token` does
    /// not validate; [`ErrorKind::Authorization`] for an `error=` answer
    /// whose state matches, with its `error`, `error_description` (control
    /// characters removed, length bounded) and `state`; for a `code`, the
    /// errors of the exchange at `/oauth/token` ([`ErrorKind::Network`],
    /// [`ErrorKind::Timeout`], [`ErrorKind::Server`], and
    /// [`ErrorKind::Authorization`] `mfa_required` with its
    /// [`Error::mfa_token`]).
    pub fn parse_hash(
        &self,
        options: &impl IntoOptions<ops::ParseHash>,
    ) -> Result<Option<AuthResult>> {
        let options = options.to_typed()?;
        let expected = Expected {
            state: given(options.state.as_deref()),
            nonce: given(options.nonce.as_deref()),
            organization: given(options.organization.as_deref()),
        };
        self.parse_answer(&options.hash, &expected)
    }

    /// [`WebAuth::parse_hash`] of parsed options: the answer `hash`, and
    /// what to expect instead of the transaction's. The flows that reach
    /// the callback themselves call this.
    pub(crate) fn parse_answer(
        &self,
        hash: &str,
        expected: &Expected<'_>,
    ) -> Result<Option<AuthResult>> {
        let params = self.callback_params(hash)?;
        let error = params.get("error");
        let carried: Vec<&str> = ARTIFACTS
            .iter()
            .copied()
            .filter(|k| params.get(k).is_some())
            .collect();
        if error.is_none() && carried.is_empty() {
            return Ok(None);
        }

        let hash_state = params.get("state").filter(|s| !s.is_empty());
        let transaction = match hash_state {
            Some(s) => self.take_transaction(s)?,
            None => None,
        };
        let tx = transaction.as_ref();
        let expected_state = expected.state.or_else(|| tx.map(|t| t.state.as_str()));
        if hash_state.is_none() || expected_state != hash_state {
            return Err(Error::invalid_token("`state` does not match."));
        }
        if let Some(error) = error {
            return Err(authorization_error(
                error,
                params.get("error_description"),
                hash_state,
            ));
        }
        if let Some(tx) = tx {
            check_binding(tx, &carried, hash)?;
        }

        let expect = Expectations {
            nonce: expected
                .nonce
                .or_else(|| tx.and_then(|t| t.nonce.as_deref())),
            max_age: tx.and_then(|t| t.max_age),
            organization: expected
                .organization
                .or_else(|| tx.and_then(|t| t.organization.as_deref())),
            ..Expectations::default()
        };
        let app_state = tx.and_then(|t| t.app_state.clone());
        let code = params.get("code");
        let exchange = match tx {
            Some(tx) => has_word(tx.response_type.as_deref().unwrap_or_default(), "code"),
            None => code.is_some() && carried == ["code"],
        };
        let front = match self.front_channel_result(&params, &expect) {
            Ok(front) => front,
            Err(e) => {
                // Not a token check but the JWKS fetch that failed.
                let retry = matches!(
                    e.kind(),
                    ErrorKind::Network | ErrorKind::Timeout | ErrorKind::Server
                );
                return Err(self.give_back_if(transaction, retry, e));
            }
        };
        let mut result = match (exchange, code) {
            (true, Some(code)) => {
                let mut answered = false;
                match self.exchange_code(code, tx, &expect, &mut answered) {
                    Ok(r) => r,
                    Err(e) => {
                        let retry = !answered && server_did_not_act(&e);
                        return Err(self.give_back_if(transaction, retry, e));
                    }
                }
            }
            _ => front,
        };
        result.state = hash_state.map(str::to_owned);
        result.app_state = app_state;
        self.hold_refresh_token(result.refresh_token.as_ref().map(RefreshToken::secret));
        Ok(Some(result))
    }

    /// The parameters of a callback `hash`, refused when it is too large,
    /// repeats a parameter, or names another issuer (RFC 9207).
    fn callback_params<'h>(&self, hash: &'h str) -> Result<Params<'h>> {
        if hash.len() > MAX_CALLBACK_BYTES {
            return Err(Error::invalid_argument(format!(
                "hash option is not valid (larger than {MAX_CALLBACK_BYTES} bytes)"
            )));
        }
        let params = Params(parse_callback(hash));
        if let Some(k) = first_repeated(&params.0) {
            return Err(Error::invalid_token(format!(
                "The callback repeats the `{}` parameter.",
                bounded_text(k, 32)
            )));
        }
        if let Some(iss) = params.get("iss") {
            if iss != self.token_issuer() {
                return Err(Error::invalid_token(
                    "`iss` does not match the tenant's issuer (RFC 9207).",
                ));
            }
        }
        Ok(params)
    }

    /// The tokens the callback itself carries (implicit and hybrid flows),
    /// the `id_token` verified against `expect` (and, OIDC Core
    /// §3.2.2.10, its `at_hash` required next to an access token).
    fn front_channel_result(
        &self,
        params: &Params<'_>,
        expect: &Expectations<'_>,
    ) -> Result<AuthResult> {
        let owned = |k: &str| params.get(k).map(str::to_owned);
        let mut front = AuthResult {
            access_token: owned("access_token").map(AccessToken::new),
            id_token: owned("id_token").map(IdToken::new),
            refresh_token: owned("refresh_token").map(RefreshToken::new),
            expires_in: params.get("expires_in").and_then(|e| e.trim().parse().ok()),
            token_type: owned("token_type"),
            scope: owned("scope"),
            ..AuthResult::default()
        };
        if let Some(id_token) = &front.id_token {
            let expect = Expectations {
                access_token: front.access_token.as_ref().map(AccessToken::secret),
                require_at_hash: front.access_token.is_some(),
                ..expect.clone()
            };
            front.id_token_payload = Some(self.verifier().verify(
                id_token.secret(),
                &expect,
                now_secs(),
            )?);
        }
        Ok(front)
    }

    /// Exchanges the callback's `code` at `/oauth/token` with the
    /// transaction's PKCE verifier and redirect URI, setting `answered`
    /// once the server has answered with tokens.
    fn exchange_code(
        &self,
        code: &str,
        tx: Option<&Transaction>,
        expect: &Expectations<'_>,
        answered: &mut bool,
    ) -> Result<AuthResult> {
        let mut body = json!({
            "grant_type": "authorization_code",
            "client_id": self.client_id(),
            "code": code,
        });
        if let Some(v) = tx.and_then(|t| t.code_verifier.as_deref()) {
            body["code_verifier"] = json!(v);
        }
        if let Some(r) = tx.and_then(|t| t.redirect_uri.as_deref()) {
            body["redirect_uri"] = json!(r);
        }
        self.token_request_tracked(&body, expect, answered)
    }

    /// Puts `transaction` back in the store when `retry` (the same callback
    /// can then be tried again) and returns `e`.
    fn give_back_if(&self, transaction: Option<Transaction>, retry: bool, e: Error) -> Error {
        if let (true, Some(tx)) = (retry, transaction) {
            if let Err(store_error) = self.restore_transaction(tx) {
                return store_error;
            }
        }
        e
    }

    /// `validateIdToken(idToken, {nonce, maxAge})`: the checks `parseHash`
    /// makes, for a token obtained elsewhere (say, a game server checking
    /// the token a player's client sent). Returns the verified payload.
    ///
    /// Options: [`ValidateIdTokenOptions`](crate::ValidateIdTokenOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`] for ill-typed options;
    /// [`ErrorKind::InvalidToken`] naming the check the token failed
    /// (signature, issuer, audience, expiry, nonce, `max_age`,
    /// organization); [`ErrorKind::Network`], [`ErrorKind::Timeout`] or
    /// [`ErrorKind::Server`] when the tenant's signing keys cannot be
    /// fetched.
    pub fn validate_id_token(
        &self,
        id_token: &str,
        options: &impl IntoOptions<ops::ValidateIdToken>,
    ) -> Result<IdTokenClaims> {
        let options = options.to_typed()?;
        let expect = Expectations {
            nonce: given(options.nonce.as_deref()),
            max_age: options.max_age.map(|d| d.as_secs()),
            access_token: options
                .access_token
                .as_ref()
                .map(AccessToken::secret)
                .filter(|s| !s.is_empty()),
            require_at_hash: false,
            organization: given(options.organization.as_deref()),
        };
        self.verifier().verify(id_token, &expect, now_secs())
    }
}

impl Client<'_> {
    /// `client.login(options)`: the password-realm grant at `/oauth/token`
    /// (`username`, `password`, `realm` required; `scope`, `audience`
    /// optional). Returns the authResult with a verified `idTokenPayload`.
    /// The password never appears in any error.
    ///
    /// Options: [`LoginOptions`](crate::LoginOptions), or the same object as JSON.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`] naming the option that is missing or
    /// ill-typed (nothing is sent); [`ErrorKind::Server`] with status 403
    /// and code `invalid_grant` for a wrong password (and the server's
    /// `code`, status and body for any other error answer);
    /// [`ErrorKind::Authorization`] with code `mfa_required` and its
    /// [`Error::mfa_token`], for [`Client::mfa_verify`], when the user must
    /// pass a second factor; [`ErrorKind::Network`] or
    /// [`ErrorKind::Timeout`] when the tenant cannot be reached in time;
    /// [`ErrorKind::InvalidToken`] when the answer's `id_token` does not
    /// validate.
    pub fn login(&self, options: &impl IntoOptions<ops::Login>) -> Result<AuthResult> {
        let options: &Value = &options.to_options();
        let web = self.web();
        let o = as_object(options, "options parameter is not valid")?;
        require_str(o, "username", "username option is required")?;
        require_str(o, "password", "password option is required")?;
        require_str(o, "realm", "realm option is required")?;
        optional_str(o, "scope", "scope option is required")?;
        optional_str(o, "audience", "audience option is required")?;
        let mut merged = merge(web.base_options(), &["clientID", "scope", "audience"], o);
        merged.retain(|_, v| !v.is_null());
        merged.insert(
            "grantType".into(),
            Value::String(grant_types::PASSWORD_REALM.into()),
        );
        let body = pick(&to_snake_case(&merged, &[]), TOKEN_BODY_KEYS);
        web.token_request(&Value::Object(body), None, None)
    }
}

/// v8's `pick`: the listed keys in the list's order.
fn pick(o: &Options, keys: &[&str]) -> Options {
    keys.iter()
        .filter_map(|k| o.get(*k).map(|v| ((*k).to_owned(), v.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_repeated_key_is_found_in_short_and_long_callbacks() {
        let pairs = |keys: &[String]| -> Vec<(Cow<'static, str>, Cow<'static, str>)> {
            keys.iter()
                .map(|k| (Cow::Owned(k.clone()), Cow::Borrowed("v")))
                .collect()
        };
        for n in [2_usize, 8, 16, 17, 300] {
            let mut keys: Vec<String> = (0..n).map(|i| format!("k{i}")).collect();
            assert_eq!(first_repeated(&pairs(&keys)), None, "{n} distinct keys");
            // Two repeats: the one whose second occurrence comes first wins.
            keys.push("k1".into());
            keys.push("k0".into());
            assert_eq!(first_repeated(&pairs(&keys)), Some("k1"), "{n} keys");
        }
        assert_eq!(first_repeated(&[]), None);
    }

    #[test]
    fn debug_of_an_auth_result_hides_tokens() {
        let r = AuthResult {
            access_token: Some("secret-at".into()),
            refresh_token: Some("secret-rt".into()),
            ..AuthResult::default()
        };
        let d = format!("{r:?}");
        assert!(!d.contains("secret"), "{d}");
    }
}
