//! `auth0-devtenant [--port N] [--db FILE] [--config FILE] [--json]`

use std::io::Write;
use std::path::PathBuf;

use auth0_devtenant::{Config, DevTenant, DB_CONNECTION, DEFAULT_PORT};

const USAGE: &str = "usage: auth0-devtenant [--port N] [--db FILE] [--config FILE] [--json]";

struct Args {
    port: Option<u16>,
    db: Option<PathBuf>,
    config: Option<PathBuf>,
    json: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        port: None,
        db: None,
        config: None,
        json: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |n: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or(format!("{n} needs a value"))
        };
        match name.as_str() {
            "--port" => {
                a.port = Some(
                    value("--port")?
                        .parse()
                        .map_err(|_| "--port needs a number 0-65535".to_string())?,
                )
            }
            "--db" => a.db = Some(PathBuf::from(value("--db")?)),
            "--config" => a.config = Some(PathBuf::from(value("--config")?)),
            "--json" => a.json = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok(a)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let mut config = match &args.config {
        Some(p) => match std::fs::read_to_string(p)
            .map_err(|e| e.to_string())
            .and_then(|t| Config::from_json(&t))
        {
            Ok(c) => c,
            Err(e) => {
                eprintln!("auth0-devtenant: {}: {e}", p.display());
                std::process::exit(2);
            }
        },
        None => Config {
            port: if args.json { 0 } else { DEFAULT_PORT },
            ..Config::default()
        },
    };
    if let Some(p) = args.port {
        config.port = p;
    }
    if args.db.is_some() {
        config.db = args.db.clone();
    }
    let users = config.users.clone();
    let tenant = match DevTenant::start_with(config) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("auth0-devtenant: cannot start: {e}");
            std::process::exit(1);
        }
    };
    let (username, password) = users
        .first()
        .map(|u| (u.email.clone(), u.password.clone()))
        .unwrap_or_default();
    let mut out = std::io::stdout().lock();
    if args.json {
        let line = serde_json::json!({
            "domain": tenant.domain(),
            "client_id": tenant.client_id(),
            "username": username,
            "password": password,
            "connection": DB_CONNECTION,
        });
        let _ = writeln!(out, "{line}");
    } else {
        let _ = writeln!(out, "auth0-devtenant listening on 127.0.0.1 only");
        let _ = writeln!(out, "  domain:      {}", tenant.domain());
        let _ = writeln!(out, "  client id:   {}", tenant.client_id());
        let _ = writeln!(out, "  test user:   {username}");
        let _ = writeln!(out, "  password:    {password}");
        let _ = writeln!(out, "  connections: {DB_CONNECTION} (database), email, sms (passwordless), twitter (fake social)");
        let _ = writeln!(out, "Press Ctrl+C to stop.");
    }
    let _ = out.flush();
    drop(out);
    wait_for_signal();
    drop(tenant);
}

fn wait_for_signal() {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    rt.block_on(async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            if let Ok(mut term) = signal(SignalKind::terminate()) {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
                return;
            }
        }
        let _ = tokio::signal::ctrl_c().await;
    });
}
