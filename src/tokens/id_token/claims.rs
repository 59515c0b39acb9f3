//! Steps 5–12 of Part A over the typed payload, with `sub` after `iss`
//! and `azp` whenever it is present (OIDC Core §3.1.3.7), then the
//! organization check of auth0-spa-js and Auth0.swift.

use super::payload::{Audience, Claim, ClaimType, Payload};
use super::{at_hash, display, shown, Expectations, Verifier};
use crate::error::{Error, Result};
use crate::tokens::claims::out_of_range;
use serde_json::Number;

/// A registered claim as v8's messages show it. Only on the error paths.
fn shown_claim<T: ClaimType>(c: &Claim<T>) -> String {
    display(c.to_json().as_ref())
}

/// Steps 5–12 of Part A, then the organization.
pub(super) fn check(
    v: &Verifier<'_>,
    c: &Payload,
    expect: &Expectations<'_>,
    now: u64,
) -> Result<()> {
    check_registered(v, c, now)?;
    check_requested(v, c, expect, now)?;
    if let Some(organization) = expect.organization {
        check_organization(c, organization)?;
    }
    // Far outside any real token's, but the claims are handed out as times.
    if let Some(name) = out_of_range(c) {
        return Err(Error::invalid_token(format!(
            "The {name} claim of the ID token is not a date this system can represent"
        )));
    }
    Ok(())
}

/// Who issued the token, for whom, and when it is valid.
fn check_registered(v: &Verifier<'_>, c: &Payload, now: u64) -> Result<()> {
    if c.iss.present().map(String::as_str) != Some(v.issuer) {
        return Err(Error::invalid_token(format!(
            "Issuer {} is not valid.",
            shown_claim(&c.iss)
        )));
    }
    if c.sub.present().is_none_or(|s| s.is_empty()) {
        return Err(Error::invalid_token(
            "Subject (sub) claim must be a string present in the ID token",
        ));
    }
    let audiences = c.aud.present().map_or(&[][..], Audience::as_slice);
    if !audiences.iter().any(|a| a == v.client_id) {
        return Err(Error::invalid_token(format!(
            "Audience {} is not valid.",
            shown_claim(&c.aud)
        )));
    }
    let azp_needed = audiences.len() > 1 || !c.azp.is_missing();
    if azp_needed && c.azp.present().map(String::as_str) != Some(v.client_id) {
        return Err(Error::invalid_token(format!(
            "Authorized Party (azp) claim mismatch in the ID token; expected \"{}\", found \"{}\"",
            v.client_id,
            shown_claim(&c.azp)
        )));
    }

    let (now, leeway) = (float(now), float(v.leeway));
    let exp = seconds(&c.exp).ok_or_else(|| {
        Error::invalid_token("Expiration Time (exp) claim must be a number present in the ID token")
    })?;
    if now > exp + leeway {
        return Err(Error::invalid_token("Expired token."));
    }
    let iat = seconds(&c.iat).ok_or_else(|| {
        Error::invalid_token("Issued At (iat) claim must be a number present in the ID token")
    })?;
    if iat > now + leeway {
        return Err(Error::invalid_token(
            "The token was issued in the future. Please check your computed clock.",
        ));
    }
    match (&c.nbf, seconds(&c.nbf)) {
        (_, Some(nbf)) if now < nbf - leeway => Err(Error::invalid_token(
            "The token is not valid until later in the future. Please check your computed clock.",
        )),
        (Claim::Invalid(_), _) => Err(Error::invalid_token(
            "Not Before (nbf) claim must be a number when present in the ID token",
        )),
        _ => Ok(()),
    }
}

/// What the request asked for: the nonce, `max_age`, the access token's
/// hash.
fn check_requested(
    v: &Verifier<'_>,
    c: &Payload,
    expect: &Expectations<'_>,
    now: u64,
) -> Result<()> {
    let nonce = match &c.nonce {
        Claim::Present(n) => Some(n.as_str()),
        Claim::Absent | Claim::Null => None,
        Claim::Invalid(_) => return Err(Error::invalid_token("Nonce does not match.")),
    };
    if nonce != expect.nonce {
        return Err(Error::invalid_token("Nonce does not match."));
    }
    let (now, leeway) = (float(now), float(v.leeway));
    match (&c.auth_time, seconds(&c.auth_time), expect.max_age) {
        (_, Some(auth_time), Some(max_age)) if now > auth_time + float(max_age) + leeway => {
            return Err(Error::invalid_token(
                "Authentication Time (auth_time) claim indicates that too much time has passed since the last end-user authentication.",
            ))
        }
        (_, Some(_), Some(_)) => {}
        (_, _, Some(_)) => {
            return Err(Error::invalid_token(
                "Authentication Time (auth_time) claim must be a number present in the ID token when Max Age (max_age) is specified",
            ))
        }
        (Claim::Invalid(_), _, None) => {
            return Err(Error::invalid_token(
                "Authentication Time (auth_time) claim must be a number when present in the ID token",
            ))
        }
        _ => {}
    }
    let at_hash_ok = match (&c.at_hash, expect.access_token) {
        (Claim::Invalid(_), _) => false,
        (Claim::Present(h), Some(at)) => *h == at_hash(at),
        (Claim::Absent | Claim::Null, Some(_)) => !expect.require_at_hash,
        _ => true,
    };
    if !at_hash_ok {
        return Err(Error::invalid_token(
            "Access Token Hash (at_hash) claim mismatch",
        ));
    }
    Ok(())
}

/// Seconds as the claims' `f64`s, to compare with them.
#[allow(
    clippy::cast_precision_loss,
    reason = "Unix times, leeways and max_age are far below 2^53 seconds, where f64 is exact; beyond it the nearest f64 is what the comparison needs"
)]
fn float(secs: u64) -> f64 {
    secs as f64
}

/// A `NumericDate` claim in seconds, when it is a number.
fn seconds(c: &Claim<Number>) -> Option<f64> {
    c.present().and_then(Number::as_f64)
}

/// The organization check of auth0-spa-js and Auth0.swift, with their
/// messages: an `org_…` value is an id, compared exactly with `org_id`;
/// anything else a name, compared with `org_name` ignoring case (Auth0
/// keeps organization names in lower case).
fn check_organization(c: &Payload, organization: &str) -> Result<()> {
    let (claim, label) = if organization.starts_with("org_") {
        (&c.org_id, "Organization ID (org_id)")
    } else {
        (&c.org_name, "Organization Name (org_name)")
    };
    let Some(found) = claim.present() else {
        return Err(Error::invalid_token(format!(
            "{label} claim must be a string present in the ID token"
        )));
    };
    let matches = if organization.starts_with("org_") {
        found == organization
    } else {
        found.to_lowercase() == organization.to_lowercase()
    };
    if !matches {
        return Err(Error::invalid_token(format!(
            "{label} claim mismatch in the ID token; expected \"{}\", found \"{}\"",
            shown(organization),
            shown(found)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(json: &str) -> Payload {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn an_organization_id_compares_exactly_and_a_name_ignoring_case() {
        let p = payload(r#"{"org_id": "org_abc", "org_name": "acme"}"#);
        assert!(check_organization(&p, "org_abc").is_ok());
        assert!(check_organization(&p, "ACME").is_ok());
        let e = check_organization(&p, "org_ABC").unwrap_err();
        assert_eq!(
            e.description(),
            "Organization ID (org_id) claim mismatch in the ID token; expected \"org_ABC\", found \"org_abc\""
        );
        let e = check_organization(&p, "globex").unwrap_err();
        assert!(e
            .description()
            .starts_with("Organization Name (org_name) claim mismatch"));
        let e = check_organization(&payload(r#"{"org_id": 1}"#), "org_abc").unwrap_err();
        assert_eq!(
            e.description(),
            "Organization ID (org_id) claim must be a string present in the ID token"
        );
        let e = check_organization(&payload("{}"), "acme").unwrap_err();
        assert_eq!(
            e.description(),
            "Organization Name (org_name) claim must be a string present in the ID token"
        );
    }
}
