//! A password login that needs a second factor: `client.login` fails with
//! `mfa_required`, the user types the code of their authenticator app, and
//! `mfa.verify` finishes the login.
//!
//! ```sh
//! cargo run --example mfa_otp
//! ```
//!
//! With no configuration it starts the embedded dev tenant with its test
//! user enrolled in OTP (secret `JBSWY3DPEHPK3PXP`: add it to an
//! authenticator app, or ask the tenant for the current code with
//! `curl "$DOMAIN/__dev/mfa/totp?secret=JBSWY3DPEHPK3PXP"`). For a real
//! tenant set `AUTH0_DOMAIN`, `AUTH0_CLIENT_ID`, `AUTH0_USERNAME`,
//! `AUTH0_PASSWORD` (and `AUTH0_CONNECTION`); the application must allow
//! the password-realm and MFA grants.
//!
//! The code is read from the terminal; when stdin is not a terminal, from
//! `AUTH0_MFA_OTP`. Tokens and the mfa_token are never printed.

use auth0_native::mfa::{MfaChallengeOptions, MfaVerifyOptions};
use auth0_native::secret::Otp;
use auth0_native::{CancelToken, LoginOptions, WebAuth, WebAuthOptions};
use std::io::{BufRead, IsTerminal, Write};

/// The dev tenant's OTP secret of its test user (RFC 4648 base32).
const DEV_SECRET: &str = "JBSWY3DPEHPK3PXP";

fn redacted(secret: Option<&str>) -> String {
    match secret {
        Some(s) => format!("<redacted, {} chars>", s.len()),
        None => "none".into(),
    }
}

/// The one-time code: typed at the terminal, or `AUTH0_MFA_OTP`.
fn read_otp() -> Result<Otp, Box<dyn std::error::Error>> {
    if std::io::stdin().is_terminal() {
        print!("Code of your authenticator app: ");
        std::io::stdout().flush()?;
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(Otp::new(line.trim().to_owned()));
    }
    let code = std::env::var("AUTH0_MFA_OTP")
        .map_err(|_| "stdin is not a terminal: set AUTH0_MFA_OTP to the one-time code")?;
    Ok(Otp::new(code.trim().to_owned()))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let mut _dev = None;
    let (domain, client_id, username, password) = match (
        env("AUTH0_DOMAIN"),
        env("AUTH0_CLIENT_ID"),
        env("AUTH0_USERNAME"),
        env("AUTH0_PASSWORD"),
    ) {
        (Some(d), Some(c), Some(u), Some(p)) => (d, c, u, p),
        _ => {
            let dev = auth0_devtenant::DevTenant::start_with(auth0_devtenant::Config {
                mfa_enrollments: vec![auth0_devtenant::EnrollmentConfig {
                    user: auth0_devtenant::TEST_USER_EMAIL.into(),
                    kind: "otp".into(),
                    secret: Some(DEV_SECRET.into()),
                    ..Default::default()
                }],
                ..Default::default()
            })?;
            println!(
                "No AUTH0_DOMAIN configured: using the embedded dev tenant at {} \
                 (OTP secret {DEV_SECRET})",
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
    let web = WebAuth::new(&WebAuthOptions {
        domain,
        client_id,
        scope: Some("openid profile email".into()),
        ..Default::default()
    })?;

    // 1. The first factor. An enrolled user gets `mfa_required` instead of
    //    tokens; the error carries the mfa_token (redacted in Debug).
    let first = web.client().login(&LoginOptions {
        username,
        password: password.into(),
        realm: connection,
        ..Default::default()
    });
    let mfa_token = match first {
        Ok(_) => {
            println!("The user needs no second factor: logged in.");
            return Ok(());
        }
        Err(e) => match e.mfa_token() {
            Some(t) => {
                println!("client.login: {e}");
                t.clone()
            }
            None => return Err(e.into()),
        },
    };

    // 2. The second factor: an OTP challenge, then the code.
    let challenge = web.client().mfa_challenge(&MfaChallengeOptions {
        mfa_token: mfa_token.clone(),
        challenge_type: Some("otp".into()),
        ..Default::default()
    })?;
    println!("mfa.challenge: {}", challenge.challenge_type);
    let result = web.client().mfa_verify(
        &MfaVerifyOptions {
            mfa_token,
            otp: Some(read_otp()?),
            ..Default::default()
        },
        &CancelToken::new(),
    )?;
    let r = &result.auth_result;
    println!("mfa.verify:");
    println!(
        "  access token: {}",
        redacted(r.access_token.as_ref().map(|t| t.secret()))
    );
    println!(
        "  id token:     {}",
        redacted(r.id_token.as_ref().map(|t| t.secret()))
    );
    if let Some(p) = &r.id_token_payload {
        let email = p.additional_claims().get("email").and_then(|e| e.as_str());
        println!(
            "  verified id_token: sub={} email={}",
            p.subject(),
            email.unwrap_or("-")
        );
    }
    println!("mfa login: ok");
    Ok(())
}
