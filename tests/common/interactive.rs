//! Helpers of the interactive-login tests: a plain-HTTP "browser" that
//! goes through the dev tenant's hosted login page and activation page,
//! and small utilities around the loopback listener.
#![allow(dead_code)]

use reqwest::blocking::Client;
use std::net::{IpAddr, TcpListener, UdpSocket};
use std::time::Duration;

/// What the loopback listener answered the "browser".
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub body: String,
}

/// A cookie-keeping HTTP client that walks the tenant's pages as a browser
/// would, without JavaScript (the fragment post-back is done by hand).
pub struct PlainBrowser {
    http: Client,
}

impl Default for PlainBrowser {
    fn default() -> Self {
        PlainBrowser::new()
    }
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let i = tag.find(&key)? + key.len();
    let end = tag[i..].find('"')? + i;
    Some(unescape(&tag[i..end]))
}

/// `(name, value)` of the hidden inputs of the first form of `html`.
pub fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    html.split("<input")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            if attr(tag, "type").as_deref() != Some("hidden") {
                return None;
            }
            Some((attr(tag, "name")?, attr(tag, "value").unwrap_or_default()))
        })
        .collect()
}

/// The `action` of the first form of `html`, resolved against `base`.
pub fn form_action(html: &str, base: &str) -> String {
    let rest = &html[html.find("<form").expect("a form")..];
    let tag = &rest[..rest.find('>').unwrap()];
    let action = attr(tag, "action").expect("a form action");
    url::Url::parse(base)
        .unwrap()
        .join(&action)
        .unwrap()
        .to_string()
}

impl PlainBrowser {
    pub fn new() -> PlainBrowser {
        PlainBrowser {
            http: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
        }
    }

    pub fn get(&self, url: &str) -> Page {
        let r = self.http.get(url).send().expect("GET");
        Page {
            status: r.status().as_u16(),
            body: r.text().unwrap_or_default(),
        }
    }

    fn post_form(&self, url: &str, fields: &[(String, String)]) -> reqwest::blocking::Response {
        post_form(&self.http, url, fields)
    }

    /// Logs in on the hosted login page `authorize_url` shows and follows
    /// the tenant's answer to the loopback listener; returns the page the
    /// listener answered. For an answer in the fragment, posts it back as
    /// the listener's page would (that page needs JavaScript).
    pub fn log_in(&self, authorize_url: &str, email: &str, password: &str) -> Page {
        let page = self.get(authorize_url);
        assert_eq!(page.status, 200, "the login page: {}", page.body);
        self.follow_to_listener(self.submit_login(authorize_url, &page.body, email, password))
    }

    /// Submits the hosted login form with `email` and `password`.
    pub fn submit_login(
        &self,
        base: &str,
        login_page: &str,
        email: &str,
        password: &str,
    ) -> reqwest::blocking::Response {
        let mut fields = hidden_inputs(login_page);
        fields.push(("username".into(), email.into()));
        fields.push(("password".into(), password.into()));
        self.post_form(&form_action(login_page, base), &fields)
    }

    /// Follows the tenant's answer to a successful login (the auto-posting
    /// form, then the redirect) to the listener.
    pub fn follow_to_listener(&self, answer: reqwest::blocking::Response) -> Page {
        let base = answer.url().to_string();
        assert_eq!(answer.status(), 200, "login answer");
        let html = answer.text().unwrap();
        let r = self.post_form(&form_action(&html, &base), &hidden_inputs(&html));
        assert!(
            r.status().is_redirection(),
            "login callback: {}",
            r.status()
        );
        let location = r.headers()["location"].to_str().unwrap().to_owned();
        self.deliver(&location)
    }

    /// Delivers a redirect to the listener as a browser would: a GET
    /// without the fragment, then — if the listener answers its post-back
    /// page — the fragment posted as a form.
    pub fn deliver(&self, location: &str) -> Page {
        let (without_fragment, fragment) = match location.split_once('#') {
            Some((u, f)) => (u, Some(f)),
            None => (location, None),
        };
        let page = self.get(without_fragment);
        match fragment {
            Some(f) if page.body.contains("URLSearchParams") => {
                let r = self
                    .http
                    .post(without_fragment)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(f.to_owned())
                    .send()
                    .expect("POST back");
                Page {
                    status: r.status().as_u16(),
                    body: r.text().unwrap_or_default(),
                }
            }
            _ => page,
        }
    }

    /// Completes the device activation for `user_code` on the tenant's
    /// `/activate` pages: log in, then Confirm (or Cancel when `approve`
    /// is false).
    pub fn activate(
        &self,
        domain: &str,
        user_code: &str,
        email: &str,
        password: &str,
        approve: bool,
    ) {
        let page = self.get(&format!("{domain}/activate?user_code={user_code}"));
        assert_eq!(page.status, 200, "activate page: {}", page.body);
        let mut fields = hidden_inputs(&page.body);
        fields.push(("username".into(), email.into()));
        fields.push(("password".into(), password.into()));
        let r = self.post_form(&format!("{domain}/activate"), &fields);
        assert_eq!(r.status(), 200, "activate login");
        let action = if approve { "confirm" } else { "deny" };
        let fields = vec![
            ("user_code".to_owned(), user_code.to_owned()),
            ("action".to_owned(), action.to_owned()),
        ];
        let r = self.post_form(&format!("{domain}/activate"), &fields);
        assert_eq!(r.status(), 200, "activate {action}");
    }
}

/// POSTs `fields` as an HTML form would.
pub fn post_form(
    http: &Client,
    url: &str,
    fields: &[(String, String)],
) -> reqwest::blocking::Response {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter())
        .finish();
    http.post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .expect("POST")
}

/// A query parameter of `url`.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The `redirect_uri` an `/authorize` URL carries.
pub fn redirect_uri_of(authorize_url: &str) -> String {
    query_param(authorize_url, "redirect_uri").expect("redirect_uri")
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// This machine's address on its default route, when it has one that is
/// not loopback (no packet is sent).
pub fn non_loopback_ip() -> Option<IpAddr> {
    let s = UdpSocket::bind("0.0.0.0:0").ok()?;
    s.connect("192.0.2.1:9").ok()?;
    let ip = s.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}
