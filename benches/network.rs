//! Network figures against an in-process dev tenant on 127.0.0.1:
//!
//! - `client.login` + `client.userInfo` on one handle vs a bare reqwest
//!   blocking client (kept-alive) sending the identical requests (same
//!   bodies and headers, captured from the tenant's request log);
//! - TCP connections the handle opens for 1000 sequential calls, counted by
//!   a loopback TCP proxy started here that counts `accept`s.
//!
//! `cargo bench --bench network`. Besides criterion's estimates it prints
//! `FIGURE name value` lines that `bench/run.sh` collects.

mod common;

use auth0_devtenant::DevTenant;
use auth0_native::{UserProfile, WebAuth};
use criterion::Criterion;
use serde_json::{json, Value};
use std::hint::black_box;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The bare client: the requests auth0-native sends, replayed verbatim.
struct Bare {
    http: reqwest::blocking::Client,
    token_url: String,
    userinfo_url: String,
    body: String,
    headers: Vec<(String, String)>,
}

impl Bare {
    fn new(tenant: &DevTenant, web: &WebAuth) -> Bare {
        let log = common::http()
            .delete(format!("{}/__dev/requests", tenant.domain()))
            .send()
            .unwrap();
        assert!(log.status().is_success());
        web.client().login(&common::login_options()).unwrap();
        let bytes = common::http()
            .get(format!(
                "{}/__dev/requests?path=/oauth/token",
                tenant.domain()
            ))
            .send()
            .unwrap()
            .bytes()
            .unwrap();
        let reqs: Value = serde_json::from_slice(&bytes).unwrap();
        let last = reqs.as_array().unwrap().last().unwrap();
        let body = match &last["body"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let headers = ["content-type", "auth0-client", "user-agent"]
            .iter()
            .filter_map(|h| {
                last["headers"][*h]
                    .as_str()
                    .map(|v| ((*h).to_owned(), v.to_owned()))
            })
            .collect();
        Bare {
            http: reqwest::blocking::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            token_url: format!("{}/oauth/token", tenant.domain()),
            userinfo_url: format!("{}/userinfo", tenant.domain()),
            body,
            headers,
        }
    }

    fn with_headers(
        &self,
        mut r: reqwest::blocking::RequestBuilder,
    ) -> reqwest::blocking::RequestBuilder {
        for (k, v) in &self.headers {
            r = r.header(k, v);
        }
        r
    }

    fn login_user_info(&self) -> Vec<u8> {
        let resp = self
            .with_headers(self.http.post(&self.token_url))
            .body(self.body.clone())
            .send()
            .unwrap();
        assert!(resp.status().is_success());
        let answer: Value = serde_json::from_slice(&resp.bytes().unwrap()).unwrap();
        let at = answer["access_token"].as_str().unwrap();
        let resp = self
            .with_headers(self.http.get(&self.userinfo_url))
            .header("Authorization", format!("Bearer {at}"))
            .send()
            .unwrap();
        assert!(resp.status().is_success());
        resp.bytes().unwrap().to_vec()
    }
}

fn native_login_user_info(web: &WebAuth) -> UserProfile {
    let r = web.client().login(&common::login_options()).unwrap();
    web.client()
        .user_info(r.access_token.as_ref().unwrap().secret())
        .unwrap()
}

fn round_trips(c: &mut Criterion, tenant: &DevTenant) {
    let web = common::web(tenant);
    let bare = Bare::new(tenant, &web);
    let mut g = c.benchmark_group("login_userinfo");
    g.sample_size(30);
    g.bench_function("auth0_native", |b| {
        b.iter(|| black_box(native_login_user_info(&web)))
    });
    g.bench_function("reqwest_keepalive", |b| {
        b.iter(|| black_box(bare.login_user_info()))
    });
    g.finish();

    // Side by side, interleaved (A B A B …), to cancel the drift of a
    // shared machine: the median of the per-round ratios.
    let rounds = 60;
    let mut ratios = Vec::with_capacity(rounds);
    let (mut ta, mut tb) = (Duration::ZERO, Duration::ZERO);
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..5 {
            black_box(native_login_user_info(&web));
        }
        let a = t.elapsed();
        let t = Instant::now();
        for _ in 0..5 {
            black_box(bare.login_user_info());
        }
        let b = t.elapsed();
        ta += a;
        tb += b;
        ratios.push(a.as_secs_f64() / b.as_secs_f64());
    }
    ratios.sort_by(f64::total_cmp);
    let n = (rounds * 5) as f64;
    println!(
        "FIGURE login_userinfo_native_us {:.1}",
        ta.as_secs_f64() * 1e6 / n
    );
    println!(
        "FIGURE login_userinfo_bare_us {:.1}",
        tb.as_secs_f64() * 1e6 / n
    );
    println!(
        "FIGURE login_userinfo_ratio_median {:.3}",
        ratios[rounds / 2]
    );
    println!(
        "FIGURE login_userinfo_ratio_p10_p90 {:.3} {:.3}",
        ratios[rounds / 10],
        ratios[rounds * 9 / 10]
    );
}

/// A loopback TCP proxy to `target` that counts the connections it accepts.
fn counting_proxy(target: u16) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { continue };
            count.fetch_add(1, Ordering::SeqCst);
            let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                continue;
            };
            let _ = client.set_nodelay(true);
            let _ = server.set_nodelay(true);
            let pipe = |mut from: TcpStream, mut to: TcpStream| {
                std::thread::spawn(move || {
                    let mut buf = [0u8; 16384];
                    while let Ok(n) = from.read(&mut buf) {
                        if n == 0 || to.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                    let _ = to.shutdown(Shutdown::Write);
                });
            };
            pipe(client.try_clone().unwrap(), server.try_clone().unwrap());
            pipe(server, client);
        }
    });
    (port, accepted)
}

fn connections(tenant: &DevTenant) {
    let (port, accepted) = counting_proxy(tenant.port());
    // The handle talks to the proxy; tokens still name the tenant's issuer.
    let mut o = common::web_options(tenant);
    o["domain"] = json!(format!("http://127.0.0.1:{port}"));
    o["overrides"] = json!({"__tenant": "dev", "__token_issuer": format!("{}/", tenant.domain())});
    let web = WebAuth::new(&o).unwrap();
    let mut at = String::new();
    let t = Instant::now();
    for i in 0..1000 {
        // One call in ten is a login (with its id_token verification and,
        // the first time, the JWKS fetch); the others are userInfo.
        if i % 10 == 0 {
            at = web
                .client()
                .login(&common::login_options())
                .unwrap()
                .access_token
                .unwrap()
                .into_secret();
        } else {
            black_box(web.client().user_info(&at).unwrap());
        }
    }
    let elapsed = t.elapsed();
    println!(
        "FIGURE tcp_connections_1000_calls {}",
        accepted.load(Ordering::SeqCst)
    );
    println!(
        "FIGURE tcp_connections_1000_calls_seconds {:.2}",
        elapsed.as_secs_f64()
    );
}

fn main() {
    let tenant = DevTenant::start().expect("dev tenant");
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6))
        .configure_from_args();
    round_trips(&mut c, &tenant);
    connections(&tenant);
    c.final_summary();
}
