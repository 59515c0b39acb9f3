//! Helpers shared by the integration tests: a dev tenant per test, its
//! `/__dev/` endpoints, and headless walks through `/authorize`.
#![allow(dead_code)]

use auth0_devtenant::{DevTenant, TEST_USER_EMAIL, TEST_USER_PASSWORD};
use auth0_native::WebAuth;
use serde_json::{json, Value};

pub const CONNECTION: &str = "Username-Password-Authentication";

pub struct Tenant {
    pub dev: DevTenant,
    http: reqwest::blocking::Client,
}

impl Tenant {
    pub fn start() -> Tenant {
        Tenant::start_with(auth0_devtenant::Config::default())
    }

    pub fn start_with(config: auth0_devtenant::Config) -> Tenant {
        Tenant {
            dev: DevTenant::start_with(config).expect("dev tenant starts"),
            http: reqwest::blocking::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    pub fn domain(&self) -> String {
        self.dev.domain()
    }

    pub fn client_id(&self) -> String {
        self.dev.client_id().to_owned()
    }

    /// A WebAuth handle on this tenant with `extra` options merged in.
    pub fn web(&self, extra: Value) -> WebAuth {
        let mut o = json!({"domain": self.domain(), "clientID": self.client_id(),
                           "redirectUri": "http://127.0.0.1:7777/callback"});
        o.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        WebAuth::new(&o).expect("handle")
    }

    pub fn dev_post(&self, path: &str, body: Value) -> Value {
        let r = self.post_json(&format!("{}/__dev/{path}", self.domain()), &body);
        assert!(r.status().is_success(), "{path}: {}", r.status());
        serde_json::from_slice(&r.bytes().unwrap()).unwrap_or(Value::Null)
    }

    pub fn dev_get(&self, path: &str) -> Value {
        let r = self
            .http
            .get(format!("{}/__dev/{path}", self.domain()))
            .send()
            .unwrap();
        serde_json::from_slice(&r.bytes().unwrap()).unwrap()
    }

    fn post_json(&self, url: &str, body: &Value) -> reqwest::blocking::Response {
        self.http
            .post(url)
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .unwrap()
    }

    /// A token signed by the tenant's current key with `claims` over the
    /// defaults (null removes a claim) and `header` overrides.
    pub fn sign(&self, claims: Value, header: Value) -> String {
        self.dev_post("sign", json!({"claims": claims, "header": header}))["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Injects a fault for the next `count` requests whose path starts with `path`.
    pub fn fault(&self, fault: Value) {
        self.dev_post("faults", fault);
    }

    /// Logs the test user in headlessly (cross-origin ticket) and follows
    /// `authorize_url` to the redirect the tenant answers; returns its
    /// `Location`.
    pub fn callback_for(&self, authorize_url: &str) -> String {
        let r = self.post_json(
            &format!("{}/co/authenticate", self.domain()),
            &json!({"client_id": self.client_id(), "username": TEST_USER_EMAIL,
                    "password": TEST_USER_PASSWORD, "realm": CONNECTION,
                    "credential_type": "http://auth0.com/oauth/grant-type/password-realm"}),
        );
        let ticket: Value = serde_json::from_slice(&r.bytes().unwrap()).unwrap();
        let ticket = ticket["login_ticket"].as_str().expect("login_ticket");
        let r = self
            .http
            .get(format!("{authorize_url}&login_ticket={ticket}"))
            .send()
            .unwrap();
        assert!(
            r.status().is_redirection(),
            "authorize answered {}",
            r.status()
        );
        r.headers()["location"].to_str().unwrap().to_owned()
    }
}

/// `iat` and `exp` of a JWT access token (read, not verified).
pub fn token_times(jwt: &str) -> (u64, u64) {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    let v: Value = serde_json::from_slice(&bytes).unwrap();
    (v["iat"].as_u64().unwrap(), v["exp"].as_u64().unwrap())
}
