//! /authorize, the hosted login page, /usernamepassword/login, /login/callback,
//! cross-origin authentication, the fake social connection and /v2/logout.
mod common;
use common::*;
use serde_json::{json, Value};

#[test]
fn full_hosted_login_with_pkce_yields_a_verified_id_token() {
    let t = DevTenant::start().unwrap();
    let c = client();
    let (verifier, challenge) = pkce();
    let loc = hosted_login(
        &t,
        &c,
        &[
            ("response_type", "code"),
            ("scope", "openid profile email"),
            ("state", "st-1"),
            ("nonce", "n-1"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
    );
    assert!(loc.starts_with(&format!("{CALLBACK}?")), "{loc}");
    let p = params_of(&loc);
    assert_eq!(p["state"], "st-1");
    let r = exchange(&t, &p["code"], &verifier);
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    let id = v["id_token"].as_str().unwrap();
    assert!(verify_with_jwks(&t, id));
    let (_, claims) = decode(id);
    assert_eq!(claims["nonce"], "n-1");
    assert_eq!(claims["sub"], TEST_USER_ID);
}

#[test]
fn hosted_form_rerenders_with_message_on_wrong_password() {
    let t = DevTenant::start().unwrap();
    let c = client();
    let html = c
        .get(authorize_url(&t, &[("response_type", "code")]))
        .send()
        .unwrap()
        .text()
        .unwrap();
    let mut form = hidden_inputs(&html);
    form.push(("username".into(), TEST_USER_EMAIL.into()));
    form.push(("password".into(), "wrong".into()));
    let r = c
        .post(format!("{}/usernamepassword/login", t.domain()))
        .form(&form)
        .send()
        .unwrap();
    assert_eq!(r.status(), 401);
    let html = r.text().unwrap();
    assert!(html.contains("Wrong email or password."));
    assert!(html.contains("name=\"password\""));
}

#[test]
fn login_page_has_signup_link_and_social_button() {
    let t = DevTenant::start().unwrap();
    let html = client()
        .get(authorize_url(&t, &[("response_type", "code")]))
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(html.contains("screen_hint=signup"));
    assert!(html.contains("connection=twitter"));
}

#[test]
fn usernamepassword_login_json_answers_the_wsfed_form() {
    let t = DevTenant::start().unwrap();
    let r = post_json(
        &client(),
        &format!("{}/usernamepassword/login", t.domain()),
        &json!({
            "client_id": t.client_id(), "redirect_uri": CALLBACK, "tenant": "127", "response_type": "token id_token",
            "scope": "openid", "connection": DB_CONNECTION, "password": TEST_USER_PASSWORD, "username": TEST_USER_EMAIL,
            "state": "s", "nonce": "n",
        }),
    );
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = r.text().unwrap();
    let names: Vec<String> = hidden_inputs(&html).into_iter().map(|(k, _)| k).collect();
    assert_eq!(names, ["wa", "wresult", "wctx"]);
    assert_eq!(form_action(&html), format!("{}/login/callback", t.domain()));
    assert!(html.contains("<noscript>"));
}

#[test]
fn usernamepassword_login_json_wrong_password_is_401() {
    let t = DevTenant::start().unwrap();
    let r = post_json(
        &client(),
        &format!("{}/usernamepassword/login", t.domain()),
        &json!({
            "client_id": t.client_id(), "redirect_uri": CALLBACK, "response_type": "code",
            "connection": DB_CONNECTION, "password": "bad", "username": TEST_USER_EMAIL,
        }),
    );
    assert_eq!(r.status(), 401);
    assert_eq!(
        r.json::<Value>().unwrap()["description"],
        "Wrong email or password."
    );
}

#[test]
fn login_callback_ticket_is_single_use() {
    let t = DevTenant::start().unwrap();
    let r = post_json(
        &client(),
        &format!("{}/usernamepassword/login", t.domain()),
        &json!({
            "client_id": t.client_id(), "redirect_uri": CALLBACK, "response_type": "code",
            "connection": DB_CONNECTION, "password": TEST_USER_PASSWORD, "username": TEST_USER_EMAIL,
        }),
    );
    let form = hidden_inputs(&r.text().unwrap());
    let url = format!("{}/login/callback", t.domain());
    assert_eq!(
        client().post(&url).form(&form).send().unwrap().status(),
        302
    );
    assert_eq!(
        client().post(&url).form(&form).send().unwrap().status(),
        400
    );
}

#[test]
fn login_callback_sets_an_httponly_session_cookie() {
    let t = DevTenant::start().unwrap();
    let r = post_json(
        &client(),
        &format!("{}/usernamepassword/login", t.domain()),
        &json!({
            "client_id": t.client_id(), "redirect_uri": CALLBACK, "response_type": "code",
            "connection": DB_CONNECTION, "password": TEST_USER_PASSWORD, "username": TEST_USER_EMAIL,
        }),
    );
    let form = hidden_inputs(&r.text().unwrap());
    let cb = client()
        .post(format!("{}/login/callback", t.domain()))
        .form(&form)
        .send()
        .unwrap();
    let sc = cb.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(sc.starts_with("auth0=") && sc.contains("HttpOnly") && sc.contains("Path=/"));
}

#[test]
fn bad_redirect_uri_is_an_error_page_without_redirect() {
    let t = DevTenant::start().unwrap();
    let url = format!(
        "{}/authorize?client_id={}&response_type=code&redirect_uri=https%3A%2F%2Fevil.example%2Fcb",
        t.domain(),
        t.client_id()
    );
    let r = client().get(url).send().unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers().get("location").is_none());
    assert!(r.text().unwrap().contains("Callback URL mismatch"));
}

#[test]
fn unknown_client_is_an_error_page_without_redirect() {
    let t = DevTenant::start().unwrap();
    let url = format!("{}/authorize?client_id=nope&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcallback", t.domain());
    let r = client().get(url).send().unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers().get("location").is_none());
}

#[test]
fn missing_redirect_uri_is_an_error_page() {
    let t = DevTenant::start().unwrap();
    let r = client()
        .get(format!(
            "{}/authorize?client_id={}&response_type=code",
            t.domain(),
            t.client_id()
        ))
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers().get("location").is_none());
}

#[test]
fn loopback_port_must_match_exactly_when_configured() {
    let t = DevTenant::start_with(Config {
        loopback_any_port: false,
        ..Config::default()
    })
    .unwrap();
    let r = client()
        .get(authorize_url(&t, &[("response_type", "code")]))
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[test]
fn prompt_none_without_session_redirects_login_required() {
    let t = DevTenant::start().unwrap();
    let r = client()
        .get(authorize_url(
            &t,
            &[
                ("response_type", "token id_token"),
                ("prompt", "none"),
                ("state", "xyz"),
                ("nonce", "n"),
            ],
        ))
        .send()
        .unwrap();
    assert_eq!(r.status(), 302);
    let loc = location(&r);
    assert!(loc.starts_with(&format!("{CALLBACK}#")));
    let p = params_of(&loc);
    assert_eq!(p["error"], "login_required");
    assert_eq!(p["error_description"], "Login required");
    assert_eq!(p["state"], "xyz");
}

#[test]
fn prompt_none_with_session_returns_tokens() {
    let t = DevTenant::start().unwrap();
    let c = client();
    hosted_login(
        &t,
        &c,
        &[("response_type", "code")],
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
    );
    let r = c
        .get(authorize_url(
            &t,
            &[
                ("response_type", "token id_token"),
                ("prompt", "none"),
                ("nonce", "n2"),
            ],
        ))
        .send()
        .unwrap();
    let p = params_of(&location(&r));
    let (_, claims) = decode(&p["id_token"]);
    assert_eq!(claims["nonce"], "n2");
    assert_eq!(claims["sub"], TEST_USER_ID);
}

#[test]
fn implicit_id_token_carries_matching_at_hash() {
    let t = DevTenant::start().unwrap();
    let loc = hosted_login(
        &t,
        &client(),
        &[("response_type", "id_token token"), ("nonce", "abc")],
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
    );
    let p = params_of(&loc);
    let (_, claims) = decode(&p["id_token"]);
    let h = sha256(p["access_token"].as_bytes());
    assert_eq!(claims["at_hash"], b64(&h[..16]));
    assert_eq!(p["token_type"], "Bearer");
}

#[test]
fn form_post_answers_an_autosubmitting_form_to_the_callback() {
    let t = DevTenant::start().unwrap();
    let c = client();
    hosted_login(
        &t,
        &c,
        &[("response_type", "code")],
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
    );
    let r = c
        .get(authorize_url(
            &t,
            &[
                ("response_type", "code"),
                ("response_mode", "form_post"),
                ("state", "fp"),
            ],
        ))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().unwrap();
    assert_eq!(form_action(&html), CALLBACK);
    let f = hidden_inputs(&html);
    assert!(f.iter().any(|(k, _)| k == "code"));
    assert!(f.contains(&("state".into(), "fp".into())));
}

#[test]
fn cross_origin_login_ticket_completes_authorize() {
    let t = DevTenant::start().unwrap();
    let r = post_json(
        &client(),
        &format!("{}/co/authenticate", t.domain()),
        &json!({
            "client_id": t.client_id(), "username": TEST_USER_EMAIL, "password": TEST_USER_PASSWORD,
            "realm": DB_CONNECTION, "credential_type": "http://auth0.com/oauth/grant-type/password-realm",
        }),
    );
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    assert!(v["co_verifier"].is_string() && v["co_id"].is_string());
    let r = client()
        .get(authorize_url(
            &t,
            &[
                ("response_type", "code"),
                ("login_ticket", v["login_ticket"].as_str().unwrap()),
            ],
        ))
        .send()
        .unwrap();
    assert_eq!(r.status(), 302);
    assert!(params_of(&location(&r)).contains_key("code"));
}

#[test]
fn cross_origin_wrong_password_is_403_access_denied() {
    let t = DevTenant::start().unwrap();
    let r = post_json(
        &client(),
        &format!("{}/co/authenticate", t.domain()),
        &json!({
            "client_id": t.client_id(), "username": TEST_USER_EMAIL, "password": "x", "realm": DB_CONNECTION,
            "credential_type": "http://auth0.com/oauth/grant-type/password-realm",
        }),
    );
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().unwrap(),
        json!({"error": "access_denied", "error_description": "Wrong email or password."})
    );
}

#[test]
fn twitter_connection_consent_page_logs_in_a_twitter_user() {
    let t = DevTenant::start().unwrap();
    let c = client();
    let r = c
        .get(authorize_url(
            &t,
            &[
                ("response_type", "id_token"),
                ("connection", "twitter"),
                ("nonce", "tw"),
            ],
        ))
        .send()
        .unwrap();
    assert_eq!(r.status(), 302);
    let page = c
        .get(format!("{}{}", t.domain(), location(&r)))
        .send()
        .unwrap()
        .text()
        .unwrap();
    let mut form = hidden_inputs(&page);
    form.push(("action".into(), "allow".into()));
    let r = c
        .post(format!("{}/social/twitter", t.domain()))
        .form(&form)
        .send()
        .unwrap();
    let p = params_of(&location(&r));
    let (_, claims) = decode(&p["id_token"]);
    assert!(claims["sub"].as_str().unwrap().starts_with("twitter|"));
}

#[test]
fn logout_with_allowed_return_to_redirects_and_ends_session() {
    let t = DevTenant::start().unwrap();
    let c = client();
    hosted_login(
        &t,
        &c,
        &[("response_type", "code")],
        TEST_USER_EMAIL,
        TEST_USER_PASSWORD,
    );
    let r = c
        .get(format!(
            "{}/v2/logout?returnTo=http%3A%2F%2F127.0.0.1%3A7777%2F&client_id={}&federated",
            t.domain(),
            t.client_id()
        ))
        .send()
        .unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(location(&r), "http://127.0.0.1:7777/");
    let r = c
        .get(authorize_url(
            &t,
            &[("response_type", "code"), ("prompt", "none")],
        ))
        .send()
        .unwrap();
    assert_eq!(params_of(&location(&r))["error"], "login_required");
}

#[test]
fn logout_with_unlisted_return_to_is_an_error_page() {
    let t = DevTenant::start().unwrap();
    let r = client()
        .get(format!(
            "{}/v2/logout?returnTo=https%3A%2F%2Fevil.example%2F&client_id={}",
            t.domain(),
            t.client_id()
        ))
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers().get("location").is_none());
}

#[test]
fn logout_without_return_to_shows_a_page() {
    let t = DevTenant::start().unwrap();
    let r = client()
        .get(format!("{}/v2/logout", t.domain()))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().unwrap().contains("logged out"));
}
