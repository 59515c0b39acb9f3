//! `client.login`, `client.userInfo`, `parseHash` and `validateIdToken`
//! against the dev tenant, over real HTTP on 127.0.0.1.

mod common;

use auth0_devtenant::{TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::{ClaimValue, ErrorKind};
use common::{Tenant, CONNECTION};
use serde_json::{json, Value};

fn login_options() -> Value {
    json!({"username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD, "realm": CONNECTION,
           "scope": "openid profile email"})
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn login_returns_tokens_and_a_verified_id_token_payload() {
    let t = Tenant::start();
    let r = t.web(json!({})).client().login(&login_options()).unwrap();
    assert!(r.access_token.is_some());
    assert_eq!(r.token_type.as_deref(), Some("Bearer"));
    assert!(r.expires_in.unwrap() > 0);
    let payload = r.id_token_payload.expect("payload");
    assert_eq!(payload.additional_claims()["email"], TEST_USER_EMAIL);
    assert_eq!(payload.issuer(), format!("{}/", t.domain()));
    assert_eq!(payload.get("aud"), Some(ClaimValue::String(&t.client_id())));
}

#[test]
fn login_sends_v8s_body_and_the_telemetry_header() {
    let t = Tenant::start();
    let web = t.web(json!({"audience": "urn:test"}));
    web.client().login(&login_options()).unwrap();
    let reqs = t.dev_get("requests?path=/oauth/token");
    let last = reqs.as_array().unwrap().last().unwrap().clone();
    let body: Value = match &last["body"] {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        other => other.clone(),
    };
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "realm",
            "audience",
            "client_id",
            "scope",
            "grant_type",
            "username",
            "password"
        ]
    );
    assert_eq!(
        body["grant_type"],
        "http://auth0.com/oauth/grant-type/password-realm"
    );
    let headers = &last["headers"];
    let telemetry = headers["auth0-client"]
        .as_str()
        .expect("Auth0-Client header");
    assert!(
        telemetry.starts_with("eyJuYW1lIjoiYXV0aDAtbmF0aXZlIi"),
        "{telemetry}"
    );
}

#[test]
fn wrong_password_is_a_403_invalid_grant_that_never_echoes_the_password() {
    let t = Tenant::start();
    let mut o = login_options();
    o["password"] = json!("not-the-Passw0rd-xyz");
    let e = t.web(json!({})).client().login(&o).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Server);
    assert_eq!(e.status_code(), Some(403));
    assert_eq!(e.code(), "invalid_grant");
    assert_eq!(e.description(), "Wrong email or password.");
    assert!(!e.to_json().to_string().contains("not-the-Passw0rd-xyz"));
}

#[test]
fn login_requires_username_password_and_realm_before_sending_anything() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    for (missing, message) in [
        ("username", "username option is required"),
        ("password", "password option is required"),
        ("realm", "realm option is required"),
    ] {
        let mut o = login_options();
        o.as_object_mut().unwrap().shift_remove(missing);
        let e = web.client().login(&o).unwrap_err();
        assert_eq!(
            (e.kind(), e.description()),
            (ErrorKind::InvalidArgument, message)
        );
    }
    assert!(t
        .dev_get("requests?path=/oauth/token")
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn user_info_returns_the_profile() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let r = web.client().login(&login_options()).unwrap();
    let profile = web
        .client()
        .user_info(r.access_token.as_ref().unwrap().secret())
        .unwrap();
    assert_eq!(profile.email.as_deref(), Some(TEST_USER_EMAIL));
    assert!(profile.sub.starts_with("auth0|"), "{profile:?}");
}

#[test]
fn user_info_with_a_bad_token_is_a_401() {
    let t = Tenant::start();
    let e = t
        .web(json!({}))
        .client()
        .user_info("not-a-token")
        .unwrap_err();
    assert_eq!((e.kind(), e.status_code()), (ErrorKind::Server, Some(401)));
    let e = t.web(json!({})).client().user_info("").unwrap_err();
    assert_eq!(e.description(), "accessToken parameter is not valid");
}

#[test]
fn parse_hash_of_an_implicit_answer_returns_the_nine_keys() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid profile"}));
    let req = web
        .authorize(&json!({"responseType": "id_token token", "appState": {"to": "/home"}}))
        .unwrap();
    let callback = t.callback_for(&req.url);
    assert!(
        callback.starts_with("http://127.0.0.1:7777/callback#"),
        "{callback}"
    );
    let r = web
        .parse_hash(&json!({"hash": callback}))
        .unwrap()
        .expect("tokens");
    let j = serde_json::to_value(&r).unwrap();
    let mut keys: Vec<&str> = j.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "accessToken",
            "appState",
            "expiresIn",
            "idToken",
            "idTokenPayload",
            "refreshToken",
            "scope",
            "state",
            "tokenType"
        ]
    );
    assert_eq!(r.state.as_deref(), Some(req.state.as_str()));
    assert_eq!(r.app_state, Some(json!({"to": "/home"})));
    assert_eq!(r.id_token_payload.unwrap().nonce(), req.nonce.as_deref());
}

#[test]
fn parse_hash_exchanges_a_code_with_the_pkce_verifier() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid profile email offline_access"}));
    let req = web.authorize(&json!({"pkce": true})).unwrap();
    let callback = t.callback_for(&req.url);
    assert!(callback.contains("code="), "{callback}");
    let r = web
        .parse_hash(&json!({"hash": callback}))
        .unwrap()
        .expect("tokens");
    assert!(r.access_token.is_some() && r.refresh_token.is_some());
    assert_eq!(
        r.id_token_payload.unwrap().additional_claims()["email"],
        TEST_USER_EMAIL
    );
}

#[test]
fn a_code_cannot_be_exchanged_without_its_verifier() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    let req = web.authorize(&json!({"pkce": true})).unwrap();
    let callback = t.callback_for(&req.url);
    // Another handle has no transaction, hence no verifier and no state.
    let other = t.web(json!({}));
    let e = other
        .parse_hash(&json!({"hash": callback.clone(), "state": req.state}))
        .unwrap_err();
    assert_eq!((e.status_code(), e.code()), (Some(403), "invalid_grant"));
}

#[test]
fn parse_hash_refuses_an_unknown_or_replayed_state() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let req = web.authorize(&json!({"responseType": "token"})).unwrap();
    let callback = t.callback_for(&req.url);
    web.parse_hash(&json!({"hash": callback.clone()}))
        .unwrap()
        .unwrap();
    let e = web.parse_hash(&json!({"hash": callback})).unwrap_err();
    assert_eq!(
        (e.kind(), e.description()),
        (ErrorKind::InvalidToken, "`state` does not match.")
    );
    let e = web
        .parse_hash(&json!({"hash": "#access_token=x&state=forged"}))
        .unwrap_err();
    assert_eq!(e.description(), "`state` does not match.");
    let e = web
        .parse_hash(&json!({"hash": "#access_token=x"}))
        .unwrap_err();
    assert_eq!(e.description(), "`state` does not match.");
}

#[test]
fn parse_hash_reports_an_error_answer_with_its_state() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    web.authorize(&json!({"state": "s1"})).unwrap();
    let e = web
        .parse_hash(
            &json!({"hash": "#error=login_required&error_description=Login%20required&state=s1"}),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authorization);
    let j = e.to_json();
    assert_eq!(
        (
            j["error"].as_str(),
            j["errorDescription"].as_str(),
            j["state"].as_str()
        ),
        (Some("login_required"), Some("Login required"), Some("s1"))
    );
}

#[test]
fn parse_hash_without_tokens_is_none() {
    let t = Tenant::start();
    assert!(t
        .web(json!({}))
        .parse_hash(&json!({"hash": "#foo=bar"}))
        .unwrap()
        .is_none());
    let e = t.web(json!({})).parse_hash(&json!({})).unwrap_err();
    assert_eq!(e.description(), "hash option is required");
}

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

#[test]
fn an_unreachable_tenant_is_a_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let web = auth0_native::WebAuth::new(
        &json!({"domain": format!("http://127.0.0.1:{port}"), "clientID": "x"}),
    )
    .unwrap();
    let e = web.client().login(&login_options()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
}

#[test]
fn a_slow_tenant_is_a_timeout_error_within_the_bound() {
    let t = Tenant::start();
    t.fault(json!({"path": "/oauth/token", "latency_ms": 3000}));
    let web = t.web(json!({"timeout": 300}));
    let started = std::time::Instant::now();
    let e = web.client().login(&login_options()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
}

#[test]
fn an_oversized_answer_is_refused() {
    let t = Tenant::start();
    t.fault(json!({"path": "/userinfo", "oversize_bytes": 2_000_000}));
    let e = t.web(json!({})).client().user_info("x").unwrap_err();
    assert_eq!(e.code(), "response_too_large");
}

#[test]
fn a_redirect_from_the_token_endpoint_is_not_followed() {
    let t = Tenant::start();
    t.fault(json!({"path": "/oauth/token", "status": 302}));
    let e = t
        .web(json!({}))
        .client()
        .login(&login_options())
        .unwrap_err();
    assert_eq!(
        (e.code(), e.status_code()),
        ("unexpected_redirect", Some(302))
    );
}

#[test]
fn an_access_token_with_a_control_character_is_an_invalid_argument_not_a_network_error() {
    let t = Tenant::start();
    let e = t.web(json!({})).client().user_info("a\nb").unwrap_err();
    assert_eq!(
        (e.kind(), e.description()),
        (
            ErrorKind::InvalidArgument,
            "accessToken parameter is not valid"
        )
    );
}

// ---- issue 11: the callback is bound to its transaction ------------------

/// The state and the callback the tenant answers for a code + PKCE login.
fn code_login(t: &Tenant, web: &auth0_native::WebAuth) -> (String, String) {
    let req = web.authorize(&json!({})).unwrap();
    (req.state.clone(), t.callback_for(&req.url))
}

fn invalid_token(e: auth0_native::Error) -> String {
    assert_eq!(e.kind(), ErrorKind::InvalidToken, "{e:?}");
    e.description().to_owned()
}

#[test]
fn a_code_flow_refuses_an_injected_access_token() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    let req = web.authorize(&json!({})).unwrap();
    let e = web
        .parse_hash(&json!({"hash": format!("#access_token=X&state={}", req.state)}))
        .unwrap_err();
    let msg = invalid_token(e);
    assert!(
        msg.contains("`code`") && msg.contains("`access_token`"),
        "{msg}"
    );
}

#[test]
fn a_code_flow_refuses_an_injected_id_token_without_a_nonce() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    let req = web.authorize(&json!({})).unwrap();
    // A well-signed token of the tenant, but of the attacker's own login.
    let forged = t.sign(json!({"sub": "auth0|attacker"}), json!({}));
    let e = web
        .parse_hash(&json!({"hash": format!("#id_token={forged}&state={}", req.state)}))
        .unwrap_err();
    invalid_token(e);
}

#[test]
fn a_code_flow_with_openid_sends_a_nonce_and_checks_it_after_the_exchange() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid profile"}));
    let req = web.authorize(&json!({})).unwrap();
    let nonce = req
        .nonce
        .clone()
        .expect("a nonce for a code flow with openid");
    assert!(req.url.contains(&format!("&nonce={nonce}")), "{}", req.url);
    let r = web
        .parse_hash(&json!({"hash": t.callback_for(&req.url)}))
        .unwrap()
        .unwrap();
    assert_eq!(r.id_token_payload.unwrap().nonce(), Some(nonce.as_str()));
}

#[test]
fn an_implicit_flow_refuses_a_code_and_extra_tokens() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let req = web.authorize(&json!({"responseType": "token"})).unwrap();
    let e = web
        .parse_hash(&json!({"hash": format!("#code=c&state={}", req.state)}))
        .unwrap_err();
    invalid_token(e);
    let req = web.authorize(&json!({"responseType": "token"})).unwrap();
    let e = web
        .parse_hash(&json!({"hash": format!(
            "#access_token=a&refresh_token=r&state={}", req.state)}))
        .unwrap_err();
    invalid_token(e);
}

#[test]
fn a_callback_to_another_redirect_uri_is_refused() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let (_, callback) = code_login(&t, &web);
    let elsewhere = callback.replace("127.0.0.1:7777/callback", "127.0.0.1:7777/other");
    let e = web.parse_hash(&json!({"hash": elsewhere})).unwrap_err();
    assert!(invalid_token(e).contains("redirectUri"));
}

#[test]
fn a_duplicated_callback_parameter_is_refused() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let (state, callback) = code_login(&t, &web);
    let e = web
        .parse_hash(&json!({"hash": format!("{callback}&state={state}")}))
        .unwrap_err();
    assert!(invalid_token(e).contains("repeats the `state`"));
}

#[test]
fn an_rfc9207_iss_must_be_the_tenants() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let (_, callback) = code_login(&t, &web);
    let e = web
        .parse_hash(&json!({"hash": format!("{callback}&iss=https%3A%2F%2Fevil.example%2F")}))
        .unwrap_err();
    assert!(invalid_token(e).contains("`iss`"));
    let (_, callback) = code_login(&t, &web);
    let iss =
        url::form_urlencoded::byte_serialize(web.token_issuer().as_bytes()).collect::<String>();
    let r = web.parse_hash(&json!({"hash": format!("{callback}&iss={iss}")}));
    assert!(r.unwrap().is_some());
}

#[test]
fn an_error_answer_with_an_unknown_state_is_invalid_token() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    for hash in [
        "#error=access_denied&state=never-issued",
        "#error=access_denied",
    ] {
        let e = web.parse_hash(&json!({"hash": hash})).unwrap_err();
        assert_eq!(invalid_token(e), "`state` does not match.");
    }
}

#[test]
fn an_error_answer_consumes_its_transaction() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let req = web.authorize(&json!({})).unwrap();
    let hash = format!("#error=access_denied&state={}", req.state);
    let e = web.parse_hash(&json!({"hash": hash.clone()})).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authorization);
    let e = web.parse_hash(&json!({"hash": hash})).unwrap_err();
    assert_eq!(invalid_token(e), "`state` does not match.");
}

#[test]
fn error_text_from_the_callback_is_bounded_and_has_no_control_characters() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let req = web.authorize(&json!({})).unwrap();
    let long = "x".repeat(5000);
    let hash = format!(
        "#error=bad%0D%0Acode&error_description=line%0Anext%1B[31m{long}&state={}",
        req.state
    );
    let e = web.parse_hash(&json!({"hash": hash})).unwrap_err();
    assert_eq!(e.code(), "badcode");
    assert!(
        !e.description().chars().any(char::is_control),
        "{:?}",
        e.description()
    );
    assert!(
        e.description().chars().count() <= 513,
        "{}",
        e.description().len()
    );
}

#[test]
fn an_oversized_callback_is_refused_before_it_is_decoded() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let hash = format!("#access_token={}&state=s", "%41".repeat(30_000));
    let e = web.parse_hash(&json!({"hash": hash})).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.description().starts_with("hash option is not valid"));
}

#[test]
fn user_info_can_check_the_sub_of_the_id_token() {
    let t = Tenant::start();
    let web = t.web(json!({}));
    let r = web.client().login(&login_options()).unwrap();
    let at = r.access_token.unwrap().into_secret();
    let sub = r.id_token_payload.unwrap().subject().to_owned();
    let p = web
        .client()
        .user_info_with(&at, &json!({"sub": sub}))
        .unwrap();
    assert_eq!(p.sub, sub);
    let e = web
        .client()
        .user_info_with(&at, &json!({"sub": "auth0|someone-else"}))
        .unwrap_err();
    assert!(invalid_token(e).contains("`sub`"));
    let e = web
        .client()
        .user_info_with(&at, &json!({"sub": 5}))
        .unwrap_err();
    assert_eq!(e.description(), "sub option is not valid");
}

// ---- issue 11: a transient failure does not end the login ----------------

#[test]
fn a_dropped_code_exchange_can_be_retried_with_the_same_callback() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    let (_, callback) = code_login(&t, &web);
    t.fault(json!({"path": "/oauth/token", "drop": true}));
    let e = web
        .parse_hash(&json!({"hash": callback.clone()}))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network, "{e:?}");
    let r = web.parse_hash(&json!({"hash": callback})).unwrap().unwrap();
    assert!(r.access_token.is_some());
}

#[test]
fn a_503_of_the_code_exchange_can_be_retried() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    let (_, callback) = code_login(&t, &web);
    t.fault(json!({"path": "/oauth/token", "status": 503}));
    let e = web
        .parse_hash(&json!({"hash": callback.clone()}))
        .unwrap_err();
    assert_eq!(e.status_code(), Some(503));
    assert!(web
        .parse_hash(&json!({"hash": callback}))
        .unwrap()
        .is_some());
}

#[test]
fn a_jwks_failure_of_an_implicit_answer_can_be_retried() {
    let t = Tenant::start();
    // No retries, so one faulted answer fails the fetch.
    let web = t.web(json!({"scope": "openid", "retry": false}));
    let req = web.authorize(&json!({"responseType": "id_token"})).unwrap();
    let callback = t.callback_for(&req.url);
    t.fault(json!({"path": "/.well-known/jwks.json", "status": 503}));
    let e = web
        .parse_hash(&json!({"hash": callback.clone()}))
        .unwrap_err();
    assert_eq!(e.status_code(), Some(503));
    // Within the JWKS cache's failure window the same error comes back
    // without a request — and it is the 503 again, not "`state` does not
    // match.": the transaction was given back.
    let e = web
        .parse_hash(&json!({"hash": callback.clone()}))
        .unwrap_err();
    assert_eq!(e.status_code(), Some(503), "{e:?}");
    // Once the window is over the tenant is asked again, and the same
    // callback logs the user in.
    std::thread::sleep(std::time::Duration::from_millis(5_200));
    assert!(web
        .parse_hash(&json!({"hash": callback}))
        .unwrap()
        .is_some());
}

#[test]
fn a_code_the_server_refused_is_not_given_back() {
    let t = Tenant::start();
    let web = t.web(json!({"scope": "openid"}));
    let (_, callback) = code_login(&t, &web);
    t.fault(json!({"path": "/oauth/token", "status": 400}));
    let e = web
        .parse_hash(&json!({"hash": callback.clone()}))
        .unwrap_err();
    assert_eq!(e.status_code(), Some(400));
    let e = web.parse_hash(&json!({"hash": callback})).unwrap_err();
    assert_eq!(invalid_token(e), "`state` does not match.");
}
