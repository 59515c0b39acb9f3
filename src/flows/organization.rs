//! Auth0 Organizations on the client side: an invitation link read into
//! the `organization` and `invitation` options of `authorize`.
//!
//! The rest of the feature lives where its concern does: `organization`
//! (a handle option, or per call) and `invitation` go to `/authorize`
//! (webauth), the organization asked for is recorded in the transaction,
//! and the `id_token`'s `org_id` / `org_name` is checked against it
//! (`id_token`), as Auth0.swift and auth0-spa-js do.

use crate::error::{Error, Result};
use crate::webauth::Client;
use serde::Serialize;

/// The parts of an invitation link (`…/login?invitation=…&organization=org_…
/// &organization_name=…`): pass `organization` and `invitation` to
/// `authorize` / `popup.authorize` to accept it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    /// The organization's id (`org_…`).
    pub organization: String,
    /// The invitation ticket id.
    pub invitation: String,
    /// The organization's name, when the link carries it (for display).
    pub organization_name: Option<String>,
}

impl Client<'_> {
    /// Reads an organization invitation link as Auth0's SDKs do: its query
    /// must carry `invitation` and `organization` (`organization_name` is
    /// optional). A link without them is an invalid-argument error naming
    /// what is missing.
    ///
    /// ```
    /// use auth0_native::{WebAuth, WebAuthOptions};
    ///
    /// let web = WebAuth::new(&WebAuthOptions {
    ///     domain: "me.auth0.com".into(),
    ///     client_id: "abc".into(),
    ///     ..Default::default()
    /// })?;
    /// let invite = web.client().parse_invitation_url(
    ///     "https://app.example/login?invitation=Kx7z&organization=org_W3c1&organization_name=acme",
    /// )?;
    /// assert_eq!((invite.organization.as_str(), invite.invitation.as_str()), ("org_W3c1", "Kx7z"));
    /// assert_eq!(invite.organization_name.as_deref(), Some("acme"));
    /// # Ok::<(), auth0_native::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument) when
    /// `url` is not a URL or carries no `invitation` and `organization`.
    pub fn parse_invitation_url(&self, url: &str) -> Result<Invitation> {
        parse_invitation_url(url)
    }
}

fn parse_invitation_url(url: &str) -> Result<Invitation> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|_| Error::invalid_argument("url parameter is not a valid URL"))?;
    let get = |key: &str| {
        parsed
            .query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
            .filter(|v| !v.is_empty())
    };
    let invitation = get("invitation").ok_or_else(|| {
        Error::invalid_argument("The invitation URL is missing the invitation parameter")
    })?;
    let organization = get("organization").ok_or_else(|| {
        Error::invalid_argument("The invitation URL is missing the organization parameter")
    })?;
    Ok(Invitation {
        organization,
        invitation,
        organization_name: get("organization_name"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_link_gives_organization_and_ticket() {
        let i = parse_invitation_url(
            "https://app.example.com/login?invitation=tck%2B1&organization=org_6f&organization_name=acme",
        )
        .unwrap();
        assert_eq!(i.invitation, "tck+1");
        assert_eq!(i.organization, "org_6f");
        assert_eq!(i.organization_name.as_deref(), Some("acme"));
    }

    #[test]
    fn a_link_without_its_parameters_names_the_missing_one() {
        let e =
            parse_invitation_url("https://app.example.com/login?organization=org_1").unwrap_err();
        assert_eq!(
            e.description(),
            "The invitation URL is missing the invitation parameter"
        );
        let e = parse_invitation_url("https://app.example.com/login?invitation=x").unwrap_err();
        assert_eq!(
            e.description(),
            "The invitation URL is missing the organization parameter"
        );
        assert!(parse_invitation_url("not a url").is_err());
    }
}
