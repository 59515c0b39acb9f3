use super::*;

fn resp(status: u16, body: &str) -> Response {
    Response {
        status,
        content_type: "application/json".into(),
        location: None,
        retry_after: None,
        rate_limit_reset: None,
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn oauth_errors_keep_code_and_description() {
    let e = error_from_response(&resp(
        403,
        r#"{"error":"invalid_grant","error_description":"Wrong email or password."}"#,
    ));
    assert_eq!(
        (e.code(), e.description(), e.status_code()),
        ("invalid_grant", "Wrong email or password.", Some(403))
    );
    assert_eq!(e.original().unwrap()["error"], "invalid_grant");
}

#[test]
fn mfa_required_keeps_its_token_out_of_original() {
    let e = error_from_response(&resp(
        403,
        r#"{"error":"mfa_required","error_description":"Multifactor authentication required","mfa_token":"Fe26.secret"}"#,
    ));
    assert_eq!(e.code(), "mfa_required");
    assert_eq!(e.kind(), ErrorKind::Authorization);
    assert_eq!(e.status_code(), Some(403));
    assert_eq!(e.mfa_token().unwrap().secret(), "Fe26.secret");
    assert!(!e.original().unwrap().to_string().contains("Fe26"));
    assert!(!format!("{e:?}").contains("Fe26"));
}

#[test]
fn management_errors_keep_the_message() {
    let e = error_from_response(&resp(
        404,
        r#"{"statusCode":404,"error":"Not Found","message":"The user does not exist.","errorCode":"inexistent_user"}"#,
    ));
    assert_eq!(e.code(), "Not Found");
    assert_eq!(e.description(), "The user does not exist.");
}

#[test]
fn password_policy_errors_use_the_message_over_the_rules_object() {
    let e = error_from_response(&resp(
        400,
        r#"{"name":"PasswordStrengthError","message":"Password is too weak","code":"invalid_password","description":{"rules":[],"verified":false},"statusCode":400}"#,
    ));
    assert_eq!(
        (e.code(), e.description()),
        ("invalid_password", "Password is too weak")
    );
}

#[test]
fn dbconnection_errors_use_code_and_description() {
    let e = error_from_response(&resp(
        400,
        r#"{"name":"BadRequestError","code":"user_exists","description":"The user already exists.","statusCode":400}"#,
    ));
    assert_eq!(
        (e.code(), e.description()),
        ("user_exists", "The user already exists.")
    );
}

#[test]
fn non_json_errors_get_the_status_line() {
    let mut r = resp(502, "Bad gateway");
    r.content_type = "text/plain".into();
    let e = error_from_response(&r);
    assert_eq!(
        (e.code(), e.description(), e.status_code()),
        ("http_error", "HTTP 502 Bad Gateway", Some(502))
    );
}

fn typed(status: u16, content_type: &str, body: &str) -> Response {
    Response {
        content_type: content_type.into(),
        ..resp(status, body)
    }
}

#[test]
fn a_2xx_answer_must_be_json_where_json_is_promised() {
    let portal = "<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>";
    for r in [
        typed(200, "text/html; charset=utf-8", portal),
        typed(200, "application/json", ""),
        typed(200, "", "  "),
        typed(200, "text/plain", "OK"),
        typed(200, "application/json", "\"a string\""),
        typed(200, "application/json", "{not json"),
    ] {
        let e = answer(&r, Expect::Json).unwrap_err();
        assert_eq!(
            (e.kind(), e.code(), e.status_code()),
            (ErrorKind::Server, "invalid_response", Some(200)),
            "{:?}",
            String::from_utf8_lossy(&r.body)
        );
        assert!(e.original().is_none(), "a 2xx body is never copied");
    }
    assert_eq!(
        answer(&typed(200, "application/json", "{}"), Expect::Json).unwrap(),
        serde_json::json!({})
    );
    assert_eq!(
        answer(&typed(204, "", ""), Expect::Json).unwrap(),
        Value::Null
    );
}

#[test]
fn a_text_endpoint_takes_a_sentence_but_not_a_page() {
    let ok = typed(200, "text/html", "We've just sent you an email.");
    assert_eq!(
        answer(&ok, Expect::Text).unwrap(),
        "We've just sent you an email."
    );
    let page = typed(200, "text/html", "\n<html><body>portal</body></html>");
    assert_eq!(
        answer(&page, Expect::Text).unwrap_err().code(),
        "invalid_response"
    );
}

#[test]
fn a_token_answer_needs_an_access_token() {
    for v in [
        serde_json::json!({}),
        serde_json::json!({"access_token": ""}),
        serde_json::json!({"access_token": 5}),
        serde_json::json!([]),
    ] {
        assert_eq!(
            require_token_answer(&v).unwrap_err().code(),
            "invalid_response"
        );
    }
    assert!(require_token_answer(&serde_json::json!({"access_token": "a"})).is_ok());
}

#[test]
fn a_429_is_rate_limited_whatever_the_endpoint_calls_it() {
    let mut r = resp(
        429,
        r#"{"error":"too_many_requests","error_description":"Slow down"}"#,
    );
    r.retry_after = Some(86_400);
    let e = error_from_response(&r);
    assert_eq!(
        (e.code(), e.description(), e.retry_after()),
        ("rate_limited", "Slow down", Some(86_400))
    );
    assert_eq!(e.original().unwrap()["error"], "too_many_requests");
    let e = error_from_response(&resp(429, r#"{"error":"slow_down"}"#));
    assert_eq!(e.code(), "slow_down", "a protocol answer keeps its code");
}

#[test]
fn a_flow_deadline_bounds_the_requests_inside_it() {
    let soon = Instant::now() + Duration::from_millis(50);
    let inside = within_deadline(soon, || deadline_after(Duration::from_secs(30)));
    assert_eq!(inside, soon);
    let nested = within_deadline(soon, || {
        within_deadline(soon + Duration::from_secs(9), || {
            deadline_after(Duration::from_secs(30))
        })
    });
    assert_eq!(nested, soon, "the earlier bound wins");
    assert!(deadline_after(Duration::from_secs(30)) > soon, "restored");
}

#[test]
fn transport_options_are_checked_at_construction() {
    let o = serde_json::json!({"timeout": 0});
    assert!(TransportConfig::from_options(o.as_object().unwrap(), None)
        .err()
        .unwrap()
        .description()
        .starts_with("timeout option is not valid"));
    let o = serde_json::json!({"caFile": "/nonexistent/ca.pem"});
    assert!(TransportConfig::from_options(o.as_object().unwrap(), None)
        .err()
        .unwrap()
        .description()
        .starts_with("caFile option is not valid"));
    let o = serde_json::json!({"caPem": "not a pem"});
    assert!(TransportConfig::from_options(o.as_object().unwrap(), None)
        .err()
        .unwrap()
        .description()
        .starts_with("caPem option is not valid"));
    let o = serde_json::json!({"maxResponseBytes": 10});
    assert!(TransportConfig::from_options(o.as_object().unwrap(), None)
        .err()
        .unwrap()
        .description()
        .starts_with("maxResponseBytes option is not valid"));
}
