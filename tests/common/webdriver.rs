//! A tiny WebDriver client for the browser tests: a `chromedriver` spawned
//! on a loopback port, headless Chromium sessions with fresh profiles, and
//! the handful of commands the tests use. Processes are killed on drop and
//! every wait is bounded.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Debian's Chromium, unless `AUTH0_TEST_CHROMIUM` names another.
pub fn chromium() -> PathBuf {
    binary("AUTH0_TEST_CHROMIUM", "/usr/bin/chromium")
}

/// Debian's chromedriver, unless `AUTH0_TEST_CHROMEDRIVER` names another.
pub fn chromedriver() -> PathBuf {
    binary("AUTH0_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
}

fn binary(variable: &str, debian: &str) -> PathBuf {
    std::env::var_os(variable).map_or_else(|| debian.into(), PathBuf::from)
}

/// Why the browser tests cannot run, and what to install, when one of
/// `binaries` is missing; `None` when all are there.
pub fn missing_browser(binaries: &[PathBuf]) -> Option<String> {
    let missing: Vec<String> = binaries
        .iter()
        .filter(|b| !b.exists())
        .map(|b| b.display().to_string())
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "the browser tests drive a real headless Chromium over WebDriver, and {} {} missing. \
             Install Chromium and its WebDriver: `apt-get install chromium chromium-driver` \
             (Debian, Ubuntu), or `bash scripts/install-test-deps.sh`; elsewhere set \
             AUTH0_TEST_CHROMIUM and AUTH0_TEST_CHROMEDRIVER to a Chromium and its chromedriver. \
             These tests fail rather than skip, so that a run without a browser never passes",
            missing.join(" and "),
            if missing.len() == 1 { "is" } else { "are" }
        )
    })
}
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running chromedriver.
pub struct Driver {
    child: Child,
    base: String,
    http: reqwest::blocking::Client,
}

impl Driver {
    /// Spawns chromedriver; fails the test (never skips) with what to
    /// install when Chromium or chromedriver is missing.
    pub fn start() -> Driver {
        if let Some(why) = missing_browser(&[chromium(), chromedriver()]) {
            panic!("{why}");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(chromedriver())
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::blocking::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = driver.http.get(format!("{}/status", driver.base)).send() {
                if r.status().is_success() {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not come up");
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req
                .header("Content-Type", "application/json")
                .body(b.to_string());
        }
        let r = req.send().expect("a WebDriver command");
        let status = r.status();
        let v: Value = serde_json::from_slice(&r.bytes().unwrap()).unwrap_or(Value::Null);
        assert!(status.is_success(), "WebDriver {path}: {status} {v}");
        v["value"].clone()
    }

    /// A new headless Chromium session with a fresh profile.
    pub fn session(&self) -> Session<'_> {
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1024,768",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let v = self.call(
            reqwest::Method::POST,
            "/session",
            Some(json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "pageLoadStrategy": "normal",
                "goog:chromeOptions": {"binary": chromium(), "args": args},
            }}})),
        );
        let id = v["sessionId"].as_str().expect("a session id").to_owned();
        Session {
            driver: self,
            id,
            _profile: profile,
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser; deleted (Chromium quits) on drop.
pub struct Session<'a> {
    driver: &'a Driver,
    id: String,
    _profile: tempfile::TempDir,
}

impl Session<'_> {
    fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.driver
            .call(method, &format!("/session/{}{path}", self.id), body)
    }

    pub fn navigate(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({"url": url})));
    }

    pub fn current_url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub fn source(&self) -> String {
        self.call(reqwest::Method::GET, "/source", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn try_find(&self, css: &str) -> Option<String> {
        let r = self
            .driver
            .http
            .post(format!("{}/session/{}/element", self.driver.base, self.id))
            .header("Content-Type", "application/json")
            .body(json!({"using": "css selector", "value": css}).to_string())
            .send()
            .ok()?;
        if !r.status().is_success() {
            return None;
        }
        let v: Value = serde_json::from_slice(&r.bytes().ok()?).ok()?;
        v["value"][ELEMENT_KEY].as_str().map(str::to_owned)
    }

    /// The element `css` matches, waiting for it up to `timeout`.
    pub fn find(&self, css: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(e) = self.try_find(css) {
                return e;
            }
            assert!(
                Instant::now() < deadline,
                "no element {css} on {} within {timeout:?}:\n{}",
                self.current_url(),
                self.source()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn text(&self, element: &str) -> String {
        self.call(
            reqwest::Method::GET,
            &format!("/element/{element}/text"),
            None,
        )
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Waits up to `timeout` for the element `css` to show a text holding
    /// `needle`; returns that text.
    pub fn wait_text(&self, css: &str, needle: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(e) = self.try_find(css) {
                let r = self
                    .driver
                    .http
                    .get(format!(
                        "{}/session/{}/element/{e}/text",
                        self.driver.base, self.id
                    ))
                    .send();
                if let Ok(r) = r {
                    let v: Value = serde_json::from_slice(&r.bytes().unwrap_or_default())
                        .unwrap_or(Value::Null);
                    if let Some(t) = v["value"].as_str().filter(|t| t.contains(needle)) {
                        return t.to_owned();
                    }
                }
            }
            assert!(
                Instant::now() < deadline,
                "no {needle:?} in {css} on {} within {timeout:?}",
                self.current_url()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn clear(&self, element: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{element}/clear"),
            Some(json!({})),
        );
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let e = self.find(css, Duration::from_secs(10));
        self.clear(&e);
        self.call(
            reqwest::Method::POST,
            &format!("/element/{e}/value"),
            Some(json!({"text": text})),
        );
    }

    pub fn click(&self, css: &str) {
        let e = self.find(css, Duration::from_secs(10));
        self.call(
            reqwest::Method::POST,
            &format!("/element/{e}/click"),
            Some(json!({})),
        );
    }

    /// Closes the only window, as a user closing the browser does.
    pub fn close_window(&self) {
        self.call(reqwest::Method::DELETE, "/window", None);
    }

    /// Saves a PNG screenshot of the page to `path`.
    pub fn screenshot(&self, path: &Path) {
        use base64::Engine;
        let v = self.call(reqwest::Method::GET, "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .expect("a base64 screenshot");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(path, png).unwrap();
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self
            .driver
            .http
            .delete(format!("{}/session/{}", self.driver.base, self.id))
            .timeout(Duration::from_secs(10))
            .send();
    }
}
