//! The main job, end to end: log a user in once and stay logged in across
//! restarts — the credentials manager keeps the tokens in an encrypted
//! file and renews them with the (rotating) refresh token — read the
//! user's profile, renew, and log out.
//!
//! ```sh
//! cargo run --example quickstart            # logs in, saves the credentials
//! cargo run --example quickstart            # again: uses the stored credentials
//! cargo run --example quickstart -- --logout  # revokes and removes them
//! ```
//!
//! With no configuration it starts the embedded dev tenant (a local,
//! Auth0-compatible server on 127.0.0.1, kept in a SQLite file so that it
//! knows the refresh token on the next run) and logs its test user in. To
//! use a real tenant, set `AUTH0_DOMAIN`, `AUTH0_CLIENT_ID`,
//! `AUTH0_USERNAME`, `AUTH0_PASSWORD` (and `AUTH0_CONNECTION`, default
//! `Username-Password-Authentication`); the application must allow the
//! password-realm and refresh-token grants.
//!
//! State lives in `$AUTH0_QUICKSTART_STATE` (default: a private directory
//! under the system temp dir). Tokens are never printed, only their length.

use auth0_native::credentials::EncryptedFileStore;
use auth0_native::{
    ClearOptions, CredentialsManager, CredentialsOptions, LoginOptions, LogoutOptions, WebAuth,
    WebAuthOptions,
};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn redacted(len: Option<usize>) -> String {
    match len {
        Some(n) => format!("<redacted, {n} chars>"),
        None => "none".into(),
    }
}

fn show(label: &str, c: &auth0_native::Credentials) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    println!("{label}");
    println!(
        "  access token:  {}",
        redacted(Some(c.access_token.secret().len()))
    );
    println!(
        "  id token:      {}",
        redacted(c.id_token.as_ref().map(|t| t.secret().len()))
    );
    println!(
        "  refresh token: {}",
        redacted(c.refresh_token.as_ref().map(|t| t.secret().len()))
    );
    println!("  expires in:    {} s", c.expires_in(now));
}

/// The directory for this example's state: private, surviving runs.
fn state_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("AUTH0_QUICKSTART_STATE").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    let user = std::env::var("USER").unwrap_or_else(|_| "user".into());
    std::env::temp_dir().join(format!("auth0-native-quickstart-{user}"))
}

/// The file store's key. A real app takes it from the OS keyring
/// (`EncryptedFileStore::with_keyring_key`, or `StorageOptions` `{"type":
/// "keyring"}`); this example keeps it in a 0600 file beside the store so
/// that it also runs on machines without a keyring (CI, containers).
fn demo_key(dir: &Path) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let path = dir.join("demo.key");
    match std::fs::read(&path) {
        Ok(k) if k.len() == 32 => return Ok(k),
        Ok(_) => return Err(format!("{} is not a 32-byte key", path.display()).into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e.into()),
    }
    let mut key = vec![0u8; 32];
    aws_lc_rs::rand::fill(&mut key).map_err(|_| "no random source")?;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)?
        .write_all(&key)?;
    Ok(key)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let state = state_dir();
    std::fs::create_dir_all(&state)?;
    std::fs::set_permissions(&state, std::os::unix::fs::PermissionsExt::from_mode(0o700))?;
    // Keep the dev tenant alive for the whole run (it stops on drop).
    let mut _dev = None;
    let (domain, client_id, username, password) = match (
        env("AUTH0_DOMAIN"),
        env("AUTH0_CLIENT_ID"),
        env("AUTH0_USERNAME"),
        env("AUTH0_PASSWORD"),
    ) {
        (Some(d), Some(c), Some(u), Some(p)) => (d, c, u, p),
        _ => {
            let dev = start_dev_tenant(&state)?;
            println!(
                "No AUTH0_DOMAIN configured: using the embedded dev tenant at {}",
                dev.domain()
            );
            let t = (
                dev.domain(),
                dev.client_id().to_owned(),
                auth0_devtenant::TEST_USER_EMAIL.to_owned(),
                auth0_devtenant::TEST_USER_PASSWORD.to_owned(),
            );
            _dev = Some(dev);
            t
        }
    };
    let connection =
        env("AUTH0_CONNECTION").unwrap_or_else(|| "Username-Password-Authentication".into());

    let web = Arc::new(WebAuth::new(&WebAuthOptions {
        domain: domain.clone(),
        client_id: client_id.clone(),
        redirect_uri: Some("http://127.0.0.1:8080/callback".into()),
        scope: Some("openid profile email offline_access".into()),
        ..Default::default()
    })?);
    // One credentials file per tenant and application.
    let digest = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        format!("{domain} {client_id}").as_bytes(),
    );
    let name: String = digest.as_ref()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let path = state.join(format!("credentials-{name}.bin"));
    let store = EncryptedFileStore::with_key(&path, &demo_key(&state)?)?;
    let manager = CredentialsManager::new(web.clone(), Arc::new(store));

    if std::env::args().any(|a| a == "--logout") {
        manager.clear(&ClearOptions::default())?;
        println!(
            "logged out: refresh token revoked, {} removed",
            path.display()
        );
        return Ok(());
    }

    // 1. The stored credentials, renewed if they expire within a minute;
    //    a login (client.login, the password-realm grant) only when there
    //    are none or they cannot be renewed any more.
    let minute = CredentialsOptions {
        min_ttl: 60,
        ..Default::default()
    };
    let stored = if manager.has_valid_credentials(60)? {
        match manager.credentials(&minute) {
            Ok(c) => Some(c),
            Err(e) if e.code() == "renew_failed" && !e.retryable() => {
                println!(
                    "the stored session has ended ({}): logging in again",
                    e.cause().unwrap_or("?")
                );
                None
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    let creds = match stored {
        Some(c) => {
            show(
                &format!(
                    "still logged in: used the stored credentials from {}",
                    path.display()
                ),
                &c,
            );
            c
        }
        None => {
            let result = web.client().login(&LoginOptions {
                username,
                password: password.into(),
                realm: connection,
                ..Default::default()
            })?;
            manager.save(&result)?;
            let c = manager.credentials(&minute)?;
            show(
                &format!(
                    "client.login: logged in; credentials saved to {}",
                    path.display()
                ),
                &c,
            );
            c
        }
    };
    if let Some(user) = manager.user()? {
        let email = user.additional_claims().get("email");
        println!(
            "  verified id_token: sub={} email={}",
            user.subject(),
            email.and_then(|e| e.as_str()).unwrap_or("-")
        );
    }

    // 2. userInfo with the access token.
    let profile = web.client().user_info(creds.access_token.secret())?;
    println!(
        "userInfo: name={} email={}",
        profile.name.as_deref().unwrap_or("?"),
        profile.email.as_deref().unwrap_or("?")
    );

    // 3. Renewal: asking for more lifetime than the token has left makes the
    //    manager present the refresh token; the rotated one is saved before
    //    `credentials` returns.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    let left = creds.expires_in(now).max(0) as u64;
    let renewed = manager.credentials(&CredentialsOptions {
        min_ttl: left + 1,
        ..Default::default()
    })?;
    show("renewed with the refresh token (rotated, saved):", &renewed);

    // 4. logout: the URL that ends the tenant's browser session. The stored
    //    credentials stay, so the next run is still logged in; `--logout`
    //    revokes and removes them.
    let url = web.logout(&LogoutOptions {
        return_to: Some("http://127.0.0.1:8080/".into()),
        ..Default::default()
    })?;
    println!("logout URL: {url}");
    println!("run it again: the stored credentials are used (or pass --logout)");
    println!("login end to end: ok");
    Ok(())
}

/// The dev tenant, kept in `state` (users, signing keys, refresh tokens),
/// on the port of the last run when it is free, so that stored
/// credentials stay valid for it.
fn start_dev_tenant(
    state: &Path,
) -> Result<auth0_devtenant::DevTenant, Box<dyn std::error::Error>> {
    let port_file = state.join("devtenant.port");
    let last: u16 = std::fs::read_to_string(&port_file)
        .ok()
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or(0);
    let config = |port| auth0_devtenant::Config {
        port,
        db: Some(state.join("devtenant.sqlite")),
        ..Default::default()
    };
    let dev = match auth0_devtenant::DevTenant::start_with(config(last)) {
        Ok(d) => d,
        Err(_) if last != 0 => auth0_devtenant::DevTenant::start_with(config(0))?,
        Err(e) => return Err(e.into()),
    };
    std::fs::write(&port_file, dev.port().to_string())?;
    Ok(dev)
}
