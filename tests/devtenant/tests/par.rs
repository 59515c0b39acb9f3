//! Pushed Authorization Requests (RFC 9126): `POST /oauth/par` and
//! `/authorize?client_id=…&request_uri=…`.
mod common;
use common::*;
use reqwest::blocking::{Client, Response};
use serde_json::Value;

fn push(t: &DevTenant, form: &[(&str, &str)]) -> Response {
    client()
        .post(format!("{}/oauth/par", t.domain()))
        .form(form)
        .send()
        .unwrap()
}

fn request_uri(t: &DevTenant, form: &[(&str, &str)]) -> String {
    let r = push(t, form);
    assert_eq!(r.status(), 201);
    let v: Value = r.json().unwrap();
    assert_eq!(v["expires_in"], 60);
    assert_eq!(v.as_object().unwrap().len(), 2);
    v["request_uri"].as_str().unwrap().to_string()
}

fn par_authorize(t: &DevTenant, c: &Client, query: &[(&str, &str)]) -> Response {
    let mut u = url::Url::parse(&format!("{}/authorize", t.domain())).unwrap();
    u.query_pairs_mut().extend_pairs(query);
    c.get(u).send().unwrap()
}

/// Submit the hosted login page `html` as the test user; the final redirect.
fn submit_login(t: &DevTenant, c: &Client, html: &str) -> String {
    let mut form = hidden_inputs(html);
    form.push(("username".into(), TEST_USER_EMAIL.into()));
    form.push(("password".into(), TEST_USER_PASSWORD.into()));
    let r = c
        .post(format!("{}{}", t.domain(), form_action(html)))
        .form(&form)
        .send()
        .unwrap();
    let html = r.text().unwrap();
    let cb = c
        .post(form_action(&html))
        .form(&hidden_inputs(&html))
        .send()
        .unwrap();
    location(&cb)
}

fn err(r: Response) -> (u16, Value) {
    (r.status().as_u16(), r.json().unwrap())
}

#[test]
fn pushed_parameters_drive_the_authorization_and_the_code_exchange() {
    let t = DevTenant::start().unwrap();
    let (verifier, challenge) = pkce();
    let uri = request_uri(
        &t,
        &[
            ("client_id", t.client_id()),
            ("response_type", "code"),
            ("redirect_uri", CALLBACK),
            ("scope", "openid profile"),
            ("state", "pushed-state"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    );
    assert!(uri.starts_with("urn:ietf:params:oauth:request_uri:"));
    let c = client();
    // Parameters sent alongside request_uri are ignored: only the pushed ones count.
    let page = par_authorize(
        &t,
        &c,
        &[
            ("client_id", t.client_id()),
            ("request_uri", &uri),
            ("state", "front-channel"),
        ],
    );
    assert_eq!(page.status(), 200);
    let loc = submit_login(&t, &c, &page.text().unwrap());
    assert!(loc.starts_with(CALLBACK), "{loc}");
    let p = params_of(&loc);
    assert_eq!(p["state"], "pushed-state");
    let r = exchange(&t, &p["code"], &verifier);
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    assert_eq!(v["scope"], "openid profile");
}

#[test]
fn request_uri_is_single_use() {
    let t = DevTenant::start().unwrap();
    let uri = request_uri(
        &t,
        &[
            ("client_id", t.client_id()),
            ("response_type", "code"),
            ("redirect_uri", CALLBACK),
        ],
    );
    let q = [("client_id", t.client_id()), ("request_uri", uri.as_str())];
    assert_eq!(par_authorize(&t, &client(), &q).status(), 200);
    let again = par_authorize(&t, &client(), &q);
    assert_eq!(again.status(), 400);
    assert!(again.text().unwrap().contains("invalid_request_uri"));
}

#[test]
fn request_uri_expires() {
    let t = DevTenant::start_with(Config {
        par_lifetime_secs: 0,
        ..Config::default()
    })
    .unwrap();
    let r = push(
        &t,
        &[
            ("client_id", t.client_id()),
            ("response_type", "code"),
            ("redirect_uri", CALLBACK),
        ],
    );
    let v: Value = r.json().unwrap();
    assert_eq!(v["expires_in"], 0);
    let uri = v["request_uri"].as_str().unwrap();
    let r = par_authorize(
        &t,
        &client(),
        &[("client_id", t.client_id()), ("request_uri", uri)],
    );
    assert_eq!(r.status(), 400);
}

#[test]
fn request_uri_belongs_to_the_pushing_client() {
    let t = DevTenant::start().unwrap();
    let uri = request_uri(
        &t,
        &[
            ("client_id", t.client_id()),
            ("response_type", "code"),
            ("redirect_uri", CALLBACK),
        ],
    );
    let r = par_authorize(
        &t,
        &client(),
        &[("client_id", "someoneelse"), ("request_uri", &uri)],
    );
    assert_eq!(r.status(), 400);
    let r = par_authorize(&t, &client(), &[("request_uri", &uri)]);
    assert_eq!(r.status(), 400);
    let r = par_authorize(
        &t,
        &client(),
        &[
            ("client_id", t.client_id()),
            ("request_uri", "urn:ietf:params:oauth:request_uri:nope"),
        ],
    );
    assert_eq!(r.status(), 400);
}

#[test]
fn bad_pushed_requests_are_rfc_9126_errors() {
    let t = DevTenant::start().unwrap();
    let cid = t.client_id();
    let (s, v) = err(push(
        &t,
        &[
            ("client_id", "unknown"),
            ("response_type", "code"),
            ("redirect_uri", CALLBACK),
        ],
    ));
    assert_eq!((s, v["error"].as_str().unwrap()), (401, "invalid_client"));
    let (s, v) = err(push(&t, &[("client_id", cid), ("response_type", "code")]));
    assert_eq!(
        (s, v["error_description"].as_str().unwrap()),
        (400, "Missing required parameter: redirect_uri")
    );
    let (s, v) = err(push(
        &t,
        &[
            ("client_id", cid),
            ("response_type", "code"),
            ("redirect_uri", "https://evil.example/cb"),
        ],
    ));
    assert_eq!((s, v["error"].as_str().unwrap()), (400, "invalid_request"));
    let (s, v) = err(push(&t, &[("client_id", cid), ("redirect_uri", CALLBACK)]));
    assert_eq!(
        (s, v["error_description"].as_str().unwrap()),
        (400, "Missing required parameter: response_type")
    );
    let (s, v) = err(push(
        &t,
        &[
            ("client_id", cid),
            ("response_type", "magic"),
            ("redirect_uri", CALLBACK),
        ],
    ));
    assert_eq!(
        (s, v["error"].as_str().unwrap()),
        (400, "unsupported_response_type")
    );
    let (s, v) = err(push(
        &t,
        &[
            ("client_id", cid),
            ("response_type", "code"),
            ("redirect_uri", CALLBACK),
            ("request_uri", "urn:x"),
        ],
    ));
    assert_eq!((s, v["error"].as_str().unwrap()), (400, "invalid_request"));
    let (s, v) = err(push(
        &t,
        &[
            ("client_id", cid),
            ("response_type", "code"),
            ("redirect_uri", CALLBACK),
            ("request", "eyJ"),
        ],
    ));
    assert_eq!(
        (s, v["error"].as_str().unwrap()),
        (400, "request_not_supported")
    );
}

#[test]
fn confidential_client_must_authenticate_at_par() {
    let t = DevTenant::start_with(Config {
        clients: vec![ClientConfig {
            client_secret: Some("s3cret".into()),
            ..ClientConfig::default()
        }],
        ..Config::default()
    })
    .unwrap();
    let base = [
        ("client_id", t.client_id()),
        ("response_type", "code"),
        ("redirect_uri", CALLBACK),
    ];
    assert_eq!(push(&t, &base).status(), 401);
    let mut with = base.to_vec();
    with.push(("client_secret", "s3cret"));
    assert_eq!(push(&t, &with).status(), 201);
}

#[test]
fn discovery_names_the_par_endpoint() {
    let t = DevTenant::start().unwrap();
    let v = discovery(&t);
    assert_eq!(
        v["pushed_authorization_request_endpoint"],
        format!("{}/oauth/par", t.domain())
    );
}

#[test]
fn pushed_organization_reaches_the_tokens() {
    let t = DevTenant::start().unwrap();
    let uri = request_uri(
        &t,
        &[
            ("client_id", t.client_id()),
            ("response_type", "code"),
            ("redirect_uri", CALLBACK),
            ("organization", DEFAULT_ORG_NAME),
        ],
    );
    let c = client();
    let page = par_authorize(
        &t,
        &c,
        &[("client_id", t.client_id()), ("request_uri", &uri)],
    );
    let loc = submit_login(&t, &c, &page.text().unwrap());
    let code = params_of(&loc)["code"].clone();
    let r = post_json(
        &client(),
        &format!("{}/oauth/token", t.domain()),
        &serde_json::json!({"grant_type": "authorization_code", "client_id": t.client_id(),
                            "code": code, "redirect_uri": CALLBACK}),
    );
    let v: Value = r.json().unwrap();
    assert_eq!(
        decode(v["id_token"].as_str().unwrap()).1["org_id"],
        DEFAULT_ORG_ID
    );
}
