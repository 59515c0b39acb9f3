//! The `/authorize` and `/v2/logout` URLs match auth0.js v8's for the same
//! options, case by case from the fixture shared with the C and Python
//! suites; and the transactions `authorize` records behave as Part A says.

use auth0_native::{ErrorKind, WebAuth};
use serde_json::{json, Value};
use std::collections::HashSet;

fn fixture() -> Value {
    let text = include_str!("fixtures/authorize_urls.json");
    serde_json::from_str(text).expect("fixture is JSON")
}

/// Decoded query pairs in order; a bare key gives `None`.
fn query_pairs(url: &str) -> Vec<(String, Option<String>)> {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), Some(decode(v))),
            None => (decode(p), None),
        })
        .collect()
}

fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

#[test]
fn every_fixture_url_case_matches_auth0js_v8() {
    let f = fixture();
    let cases = f["url_cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let web = WebAuth::new(&case["webauth"]).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got = match case["op"].as_str().unwrap() {
            "build_authorize_url" => web.client().build_authorize_url(&case["options"]),
            "logout" => web.logout(&case["options"]),
            op => panic!("unknown op {op}"),
        };
        match case.get("error") {
            Some(err) => {
                let e = got.expect_err(name);
                assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{name}");
                assert_eq!(e.description(), err["description"], "{name}");
            }
            None => {
                let url = got.unwrap_or_else(|e| panic!("{name}: {e}"));
                let expected: Vec<(String, Option<String>)> = case["query"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| {
                        (
                            p[0].as_str().unwrap().to_owned(),
                            p[1].as_str().map(str::to_owned),
                        )
                    })
                    .collect();
                assert_eq!(query_pairs(&url), expected, "{name}");
                assert!(
                    url.starts_with(case["url_base"].as_str().unwrap()),
                    "{name}: {url}"
                );
                assert_eq!(url, case["raw"].as_str().unwrap(), "{name}");
            }
        }
    }
}

#[test]
fn every_fixture_constructor_error_names_the_option() {
    let f = fixture();
    for case in f["constructor_errors"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let e = WebAuth::new(&case["webauth"]).expect_err(name);
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{name}");
        assert_eq!(e.description(), case["error"]["description"], "{name}");
    }
}

#[test]
fn options_that_are_not_an_object_are_refused_with_v8s_message() {
    for bad in [json!(null), json!([]), json!("x"), json!(1)] {
        let e = WebAuth::new(&bad).unwrap_err();
        assert_eq!(e.description(), "options parameter is not valid");
    }
    let web = WebAuth::new(&json!({"domain": "me.auth0.com", "clientID": "a"})).unwrap();
    let e = web.client().build_authorize_url(&json!([])).unwrap_err();
    assert_eq!(e.description(), "options parameter is not valid");
}

fn web(extra: Value) -> WebAuth {
    let mut o = json!({"domain": "me.auth0.com", "clientID": "abc123", "_sendTelemetry": false});
    o.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    WebAuth::new(&o).unwrap()
}

fn param(url: &str, key: &str) -> Option<String> {
    query_pairs(url)
        .into_iter()
        .find(|(k, _)| k == key)
        .and_then(|(_, v)| v)
}

#[test]
fn telemetry_names_this_library_and_comes_last() {
    let w = WebAuth::new(&json!({"domain": "me.auth0.com", "clientID": "a"})).unwrap();
    let url = w
        .client()
        .build_authorize_url(&json!({"state": "s"}))
        .unwrap();
    let (last_key, value) = query_pairs(&url).pop().unwrap();
    assert_eq!(last_key, "auth0Client");
    let value = value.unwrap();
    assert!(
        url.ends_with("%3D") || !value.ends_with('='),
        "padding is kept and encoded"
    );
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value.replace('-', "+").replace('_', "/"))
        .unwrap();
    let info: Value = serde_json::from_slice(&decoded).unwrap();
    assert_eq!(info["name"], "auth0-native");
    assert_eq!(info["version"], auth0_native::VERSION);
    assert_eq!(info["env"]["rust"], auth0_native::VERSION);
}

#[test]
fn telemetry_info_replaces_the_payload() {
    let w = WebAuth::new(&json!({"domain": "me.auth0.com", "clientID": "a",
        "_telemetryInfo": {"name": "auth0.js", "version": "8.12.3"}}))
    .unwrap();
    let url = w.logout(&json!({})).unwrap();
    assert!(
        url.ends_with("auth0Client=eyJuYW1lIjoiYXV0aDAuanMiLCJ2ZXJzaW9uIjoiOC4xMi4zIn0%3D"),
        "{url}"
    );
}

#[test]
fn authorize_generates_an_unguessable_state_for_every_call() {
    let w = web(json!({}));
    let mut seen = HashSet::new();
    for _ in 0..200 {
        let r = w.authorize(&json!({})).unwrap();
        assert!(r.state.len() >= 32);
        assert_eq!(param(&r.url, "state").as_deref(), Some(r.state.as_str()));
        assert!(seen.insert(r.state));
    }
}

#[test]
fn authorize_puts_state_then_nonce_after_the_options_as_v8() {
    let w = web(json!({"redirectUri": "https://app.example.com/cb"}));
    let r = w
        .authorize(&json!({"responseType": "id_token token", "connection": "twitter"}))
        .unwrap();
    let keys: Vec<String> = query_pairs(&r.url).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        keys,
        [
            "client_id",
            "response_type",
            "redirect_uri",
            "connection",
            "state",
            "nonce"
        ]
    );
    assert_eq!(param(&r.url, "nonce"), r.nonce);
    assert!(r.nonce.unwrap().len() >= 32);
}

#[test]
fn authorize_generates_a_nonce_only_for_id_token_response_types() {
    let w = web(json!({}));
    assert!(w
        .authorize(&json!({"responseType": "token"}))
        .unwrap()
        .nonce
        .is_none());
    assert!(w
        .authorize(&json!({"responseType": "code"}))
        .unwrap()
        .nonce
        .is_none());
    assert!(w
        .authorize(&json!({"responseType": "code id_token"}))
        .unwrap()
        .nonce
        .is_some());
}

#[test]
fn caller_supplied_state_and_nonce_win() {
    let w = web(json!({}));
    let r = w
        .authorize(&json!({"responseType": "id_token", "state": "mine", "nonce": "n0"}))
        .unwrap();
    assert_eq!(r.state, "mine");
    assert_eq!(r.nonce.as_deref(), Some("n0"));
    let tx = w.take_transaction("mine").unwrap().unwrap();
    assert_eq!(tx.nonce.as_deref(), Some("n0"));
}

#[test]
fn the_transaction_is_stored_once_and_taken_once() {
    let w = web(json!({}));
    let r = w
        .authorize(&json!({"responseType": "id_token", "appState": {"returnTo": "/x"}}))
        .unwrap();
    let tx = w.take_transaction(&r.state).unwrap().expect("stored");
    assert_eq!(tx.nonce, r.nonce);
    assert_eq!(tx.app_state, Some(json!({"returnTo": "/x"})));
    assert!(
        w.take_transaction(&r.state).unwrap().is_none(),
        "single use"
    );
    assert!(w.take_transaction("never-issued").unwrap().is_none());
}

#[test]
fn transactions_expire_after_their_ttl() {
    let w = web(json!({"transaction": {"ttl": 1}}));
    let r = w.authorize(&json!({})).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert!(w.take_transaction(&r.state).unwrap().is_none());
}

#[test]
fn pkce_adds_an_s256_challenge_and_keeps_the_verifier_in_the_transaction() {
    let w = web(json!({"redirectUri": "http://127.0.0.1:8080/cb"}));
    let r = w.authorize(&json!({"pkce": true})).unwrap();
    let challenge = param(&r.url, "code_challenge").expect("code_challenge");
    assert_eq!(
        param(&r.url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert!(
        param(&r.url, "pkce").is_none(),
        "pkce is a library option, not a parameter"
    );
    let tx = w.take_transaction(&r.state).unwrap().unwrap();
    let verifier = tx.code_verifier.expect("verifier stored");
    use base64::Engine;
    use sha2::Digest;
    let expected = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    assert_eq!(challenge, expected);
    assert_eq!(tx.redirect_uri.as_deref(), Some("http://127.0.0.1:8080/cb"));
}

#[test]
fn pkce_is_on_by_default_for_code_flows_and_ignored_for_implicit_flows() {
    let w = web(json!({"redirectUri": "http://127.0.0.1:8080/cb"}));
    let r = w.authorize(&json!({})).unwrap();
    assert!(param(&r.url, "code_challenge").is_some(), "{}", r.url);
    assert_eq!(
        param(&r.url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert!(w
        .take_transaction(&r.state)
        .unwrap()
        .unwrap()
        .code_verifier
        .is_some());
    let r = w.authorize(&json!({"responseType": "token"})).unwrap();
    assert!(param(&r.url, "code_challenge").is_none());
}

#[test]
fn pkce_false_opts_out_explicitly() {
    let w = web(json!({"redirectUri": "http://127.0.0.1:8080/cb"}));
    let r = w.authorize(&json!({"pkce": false})).unwrap();
    assert!(param(&r.url, "code_challenge").is_none(), "{}", r.url);
    let w = web(json!({"redirectUri": "http://127.0.0.1:8080/cb", "pkce": false}));
    let r = w.authorize(&json!({})).unwrap();
    assert!(param(&r.url, "code_challenge").is_none(), "{}", r.url);
}

#[test]
fn the_readme_custom_scheme_example_sends_a_code_challenge() {
    let w = WebAuth::new(&json!({
        "domain": "me.auth0.com",
        "clientID": "abc",
        "redirectUri": "com.example.app://callback",
        "scope": "openid profile",
    }))
    .unwrap();
    let r = w.authorize(&json!({"connection": "twitter"})).unwrap();
    assert!(param(&r.url, "code_challenge").is_some(), "{}", r.url);
    assert!(param(&r.url, "nonce").is_some(), "{}", r.url);
}

#[test]
fn the_transaction_records_the_response_type_and_redirect_uri() {
    let w = web(json!({"redirectUri": "http://127.0.0.1:8080/cb"}));
    let r = w
        .authorize(&json!({"responseType": "id_token token"}))
        .unwrap();
    let tx = w.take_transaction(&r.state).unwrap().unwrap();
    assert_eq!(tx.response_type.as_deref(), Some("id_token token"));
    assert_eq!(tx.redirect_uri.as_deref(), Some("http://127.0.0.1:8080/cb"));
}

/// The keys of an `/authorize` URL `authorize` builds, in order (its
/// state, nonce and challenge are random, so only the order is fixed).
fn keys_of(url: &str) -> Vec<String> {
    query_pairs(url).into_iter().map(|(k, _)| k).collect()
}

#[test]
fn every_fixture_authorize_key_order_matches() {
    let f = fixture();
    let cases = f["authorize_key_orders"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let w = WebAuth::new(&case["webauth"]).unwrap_or_else(|e| panic!("{name}: {e}"));
        let r = w
            .authorize(&case["options"])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let want: Vec<&str> = case["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        assert_eq!(keys_of(&r.url), want, "{name}");
        assert!(
            r.url.starts_with(case["url_base"].as_str().unwrap()),
            "{name}"
        );
    }
}

#[test]
fn wrong_typed_url_options_are_refused_by_name_before_anything_is_built() {
    let w = web(json!({"redirectUri": "http://127.0.0.1:8080/cb"}));
    for (options, message) in [
        (json!({"state": [1]}), "state option is not valid"),
        (json!({"state": 0}), "state option is not valid"),
        (json!({"nonce": {"a": 1}}), "nonce option is not valid"),
        (json!({"maxAge": [1]}), "maxAge option is not valid"),
        (json!({"maxAge": -1}), "maxAge option is not valid"),
        (json!({"maxAge": "soon"}), "maxAge option is not valid"),
        (json!({"max_age": 1.5}), "max_age option is not valid"),
        (json!({"clientID": ["x"]}), "clientID option is not valid"),
    ] {
        for result in [
            w.client().build_authorize_url(&options).map(|_| ()),
            w.authorize(&options).map(|_| ()),
        ] {
            let e = result.expect_err(message);
            assert_eq!(
                (e.kind(), e.description()),
                (ErrorKind::InvalidArgument, message),
                "{options}"
            );
        }
    }
    for (options, message) in [
        (json!({"federated": 1}), "federated option is not valid"),
        (json!({"federated": ["x"]}), "federated option is not valid"),
        (json!({"clientID": 7}), "clientID option is not valid"),
        (json!({"returnTo": 0}), "returnTo option is not valid"),
    ] {
        let e = w.logout(&options).expect_err(message);
        assert_eq!(
            (e.kind(), e.description()),
            (ErrorKind::InvalidArgument, message),
            "{options}"
        );
    }
}

#[test]
fn a_max_age_is_recorded_in_the_transaction() {
    let w = web(json!({}));
    let r = w
        .authorize(&json!({"responseType": "token", "maxAge": "60"}))
        .unwrap();
    assert_eq!(
        w.take_transaction(&r.state).unwrap().unwrap().max_age,
        Some(60)
    );
}

#[test]
fn domain_and_client_id_have_length_limits() {
    let long_domain = format!("{}.auth0.com", "a".repeat(300));
    let e = WebAuth::new(&json!({"domain": long_domain, "clientID": "a"})).unwrap_err();
    assert!(
        e.description().starts_with("domain option is not valid"),
        "{e}"
    );
    let e =
        WebAuth::new(&json!({"domain": "me.auth0.com", "clientID": "c".repeat(129)})).unwrap_err();
    assert!(
        e.description().starts_with("clientID option is not valid"),
        "{e}"
    );
    assert!(WebAuth::new(&json!({"domain": "me.auth0.com", "clientID": "c".repeat(128)})).is_ok());
}

#[test]
fn a_file_store_hands_a_transaction_to_another_handle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tx.json");
    let opts = json!({"transaction": {"store": "file", "path": path.to_str().unwrap()}});
    let first = web(opts.clone());
    let r = first
        .authorize(&json!({"responseType": "id_token"}))
        .unwrap();
    drop(first);
    // As when the OS starts the app again with the callback URL.
    let second = web(opts);
    let tx = second
        .take_transaction(&r.state)
        .unwrap()
        .expect("found by the new handle");
    assert_eq!(tx.nonce, r.nonce);
    assert!(second.take_transaction(&r.state).unwrap().is_none());
}

fn file_store_error(path: &std::path::Path) -> auth0_native::Error {
    let o = json!({"domain": "me.auth0.com", "clientID": "abc123",
        "transaction": {"store": "file", "path": path.to_str().unwrap()}});
    WebAuth::new(&o).expect_err("refused at construction")
}

#[test]
fn a_transaction_path_that_cannot_work_is_refused_at_construction() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "").unwrap();
    for path in [
        dir.path().to_path_buf(),
        file.join("tx.json"),
        std::path::PathBuf::from("/proc/auth0-native/tx.json"),
    ] {
        let e = file_store_error(&path);
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{path:?}: {e}");
        assert!(
            e.description()
                .starts_with("transaction.path option is not valid"),
            "{e}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_transaction_directory_others_can_write_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    let e = file_store_error(&shared.join("tx.json"));
    assert!(e.description().contains("can be written by others"), "{e}");
}

#[test]
fn a_handle_is_shared_by_threads() {
    let w = std::sync::Arc::new(web(json!({})));
    let states: Vec<String> = (0..4)
        .map(|_| {
            let w = w.clone();
            std::thread::spawn(move || {
                (0..50)
                    .map(|_| w.authorize(&json!({})).unwrap().state)
                    .collect::<Vec<_>>()
            })
        })
        .flat_map(|h| h.join().unwrap())
        .collect();
    let unique: HashSet<_> = states.iter().collect();
    assert_eq!(unique.len(), 200);
    for s in &states {
        assert!(w.take_transaction(s).unwrap().is_some());
    }
}

#[test]
fn loopback_http_domain_builds_http_urls() {
    let w = WebAuth::new(
        &json!({"domain": "http://127.0.0.1:3850", "clientID": "a", "_sendTelemetry": false}),
    )
    .unwrap();
    assert_eq!(w.token_issuer(), "http://127.0.0.1:3850/");
    let url = w.client().build_authorize_url(&json!({})).unwrap();
    assert_eq!(
        url,
        "http://127.0.0.1:3850/authorize?client_id=a&response_type=token"
    );
}
