//! Which of the handle's options each call takes before the caller's,
//! in one place: auth0.js builds each request as
//! `merge(baseOptions, keys).with(options)` (wire spec, Part B), so these lists
//! are also the order of those keys on the wire (§1.4). `organization` is this
//! port's addition to every list that reaches `/authorize`.

/// `buildAuthorizeUrl` (wire spec §2).
pub(crate) const AUTHORIZE_URL: &[&str] = &[
    "clientID",
    "responseType",
    "responseMode",
    "redirectUri",
    "scope",
    "audience",
    "organization",
];

/// `authorize` and `popup.authorize` (§4.1), and `passwordlessVerify`
/// (§6.2), which takes the same keys.
pub(crate) const AUTHORIZE: &[&str] = &[
    "clientID",
    "responseType",
    "responseMode",
    "redirectUri",
    "scope",
    "audience",
    "_csrf",
    "state",
    "_intstate",
    "nonce",
    "organization",
];

/// `passwordlessStart`'s `authParams` (§6.1): `authorize`'s keys but the
/// client id, which goes in the body.
pub(crate) const PASSWORDLESS_AUTH_PARAMS: &[&str] = AUTHORIZE.split_at(1).1;

/// `loginWithCredentials` (§7.2, `/usernamepassword/login`): `tenant`
/// after the redirect URI, as v8 orders it.
pub(crate) const LOGIN_WITH_CREDENTIALS: &[&str] = &[
    "clientID",
    "redirectUri",
    "tenant",
    "responseType",
    "responseMode",
    "scope",
    "audience",
    "_csrf",
    "state",
    "_intstate",
    "nonce",
    "organization",
];

/// `renewAuth` (§10.1): no `responseMode` (it is `fragment` unless given).
pub(crate) const RENEW_AUTH: &[&str] = &[
    "clientID",
    "redirectUri",
    "responseType",
    "scope",
    "audience",
    "_csrf",
    "state",
    "_intstate",
    "nonce",
    "organization",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwordless_auth_params_are_authorize_s_keys_but_the_client_id() {
        assert_eq!(AUTHORIZE[0], "clientID");
        assert_eq!(PASSWORDLESS_AUTH_PARAMS, &AUTHORIZE[1..]);
        assert!(!PASSWORDLESS_AUTH_PARAMS.contains(&"clientID"));
    }
}
