//! The tenant's address: which scheme, host and port every URL uses.
//!
//! Part A of the wire spec: every URL is `https://` + `domain`, except a
//! loopback host given with an explicit `http://` scheme (the dev tenant).

use crate::error::{Error, Result};

/// A validated tenant domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Domain {
    /// `https://host[:port]` or, for loopback only, `http://host:port`.
    origin: String,
    /// `host[:port]` as given, without scheme.
    authority: String,
}

const INVALID: &str = "domain option is not valid";

impl Domain {
    /// Parses a `domain` option: `tenant.auth0.com`, `tenant.auth0.com:8443`,
    /// `https://tenant.auth0.com`, or `http://127.0.0.1:3850` (loopback only).
    ///
    /// ```
    /// use auth0_native::Domain;
    /// assert_eq!(Domain::parse("me.auth0.com").unwrap().origin(), "https://me.auth0.com");
    /// assert!(Domain::parse("http://me.auth0.com").is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) naming
    /// `domain` when it is empty, holds a path, query or user info, or is
    /// `http://` other than to a loopback address.
    pub fn parse(input: &str) -> Result<Domain> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Error::invalid_argument("domain option is required"));
        }
        let (scheme, rest) = match trimmed.split_once("://") {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None => ("https".to_owned(), trimmed),
        };
        // A trailing slash is a common copy-paste from a dashboard URL.
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty() || authority.chars().any(|c| !is_host_char(c)) {
            return Err(Error::invalid_argument(format!(
                "{INVALID}: expected a host name such as \"tenant.auth0.com\", optionally with a port"
            )));
        }
        let host = host_of(authority)?;
        match scheme.as_str() {
            "https" => {}
            "http" if is_loopback(host) => {}
            "http" => {
                return Err(Error::invalid_argument(format!(
                    "{INVALID}: http:// is only allowed for a loopback host (127.0.0.1, localhost, [::1])"
                )))
            }
            _ => {
                return Err(Error::invalid_argument(format!(
                    "{INVALID}: the scheme must be https://"
                )))
            }
        }
        Ok(Domain {
            origin: format!("{scheme}://{authority}"),
            authority: authority.to_owned(),
        })
    }

    /// `https://host[:port]` (or `http://` for a loopback dev tenant).
    #[must_use]
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// `host[:port]` without the scheme.
    #[must_use]
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// The full URL of `path` (which starts with `/`) on this tenant.
    #[must_use]
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.origin, path)
    }

    /// The issuer an `id_token` of this tenant carries: `origin + "/"`.
    #[must_use]
    pub fn issuer(&self) -> String {
        format!("{}/", self.origin)
    }

    /// v8's `tenant`: the first label of the domain.
    #[must_use]
    pub fn tenant(&self) -> &str {
        self.authority.split('.').next().unwrap_or(&self.authority)
    }
}

/// Characters a host name, an IP literal and a port are made of (IDN
/// hosts must be given in their ASCII `xn--` form).
fn is_host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']')
}

fn host_of(authority: &str) -> Result<&str> {
    if let Some(rest) = authority.strip_prefix('[') {
        // [v6]:port
        let end = rest.find(']').ok_or_else(|| {
            Error::invalid_argument(format!("{INVALID}: unclosed '[' in the host"))
        })?;
        check_port(&rest[end + 1..])?;
        return Ok(&authority[..end + 2]);
    }
    match authority.split_once(':') {
        Some((h, p)) => {
            check_port(&format!(":{p}"))?;
            Ok(h)
        }
        None => Ok(authority),
    }
}

fn check_port(suffix: &str) -> Result<()> {
    if suffix.is_empty() {
        return Ok(());
    }
    let port = suffix.strip_prefix(':').unwrap_or("x");
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok(()),
        _ => Err(Error::invalid_argument(format!(
            "{INVALID}: the port must be a number from 1 to 65535"
        ))),
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_domain_is_https() {
        let d = Domain::parse("me.auth0.com").unwrap();
        assert_eq!(d.origin(), "https://me.auth0.com");
        assert_eq!(d.issuer(), "https://me.auth0.com/");
        assert_eq!(d.tenant(), "me");
    }

    #[test]
    fn domain_may_carry_a_port_and_an_https_scheme() {
        assert_eq!(
            Domain::parse("me.auth0.com:8443").unwrap().origin(),
            "https://me.auth0.com:8443"
        );
        assert_eq!(
            Domain::parse("https://me.auth0.com/").unwrap().origin(),
            "https://me.auth0.com"
        );
    }

    #[test]
    fn http_is_allowed_for_loopback_only() {
        for ok in [
            "http://127.0.0.1:3850",
            "http://localhost:1",
            "http://[::1]:80",
            "http://127.1.2.3",
        ] {
            assert!(Domain::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            Domain::parse("http://127.0.0.1:3850").unwrap().issuer(),
            "http://127.0.0.1:3850/"
        );
        let e = Domain::parse("http://me.auth0.com").unwrap_err();
        assert!(
            e.description().starts_with("domain option is not valid"),
            "{e}"
        );
        assert!(Domain::parse("http://10.0.0.1").is_err());
    }

    #[test]
    fn paths_queries_userinfo_and_bad_ports_are_refused() {
        for bad in [
            "me.auth0.com/x",
            "me.auth0.com?x",
            "u@me.auth0.com",
            "me.auth0.com:0",
            "me.auth0.com:99999",
            "me .com",
            "ftp://me.com",
            "[::1",
        ] {
            let e = Domain::parse(bad).unwrap_err();
            assert!(e.description().starts_with("domain option"), "{bad}: {e}");
        }
    }
}
