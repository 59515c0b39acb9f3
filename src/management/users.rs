//! The Management API's user and identity objects, typed: what `getUser`
//! and `patchUserMetadata` answer ([`User`]) and what `linkUser` and
//! `unlinkUser` answer (a list of [`Identity`]).

use crate::secret::{AccessToken, RefreshToken};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// A user as the Management API v2 describes it: the fields Auth0
/// documents for every user typed, every other field (`blocked`,
/// `multifactor`, `phone_verified`, custom fields of a custom database,
/// …) in [`other`](User::other) in the API's order.
///
/// ```
/// use auth0_native::User;
///
/// let answer = serde_json::json!({
///     "user_id": "auth0|123", "email": "ann@example.com", "email_verified": true,
///     "identities": [{"connection": "Username-Password-Authentication",
///                     "provider": "auth0", "user_id": "123", "isSocial": false}],
///     "user_metadata": {"theme": "dark"}, "blocked": false,
/// });
/// let user: User = serde_json::from_value(answer)?;
/// assert_eq!(user.identities[0].provider, "auth0");
/// assert_eq!(user.user_metadata.unwrap()["theme"], "dark");
/// assert_eq!(user.other["blocked"], false);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// The user's id (`auth0|123`, `google-oauth2|1098…`).
    pub user_id: String,
    /// The e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Whether the e-mail address was verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    /// The username, when the connection uses them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The phone number (SMS users).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// The family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// The nickname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nickname: Option<String>,
    /// A picture URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub picture: Option<String>,
    /// The accounts linked into this user, the primary one first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identities: Vec<Identity>,
    /// What the user may change (`patchUserMetadata`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_metadata: Option<Map<String, Value>>,
    /// What only the tenant's administrators may change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_metadata: Option<Map<String, Value>>,
    /// When the user was created (ISO 8601, as the API wrote it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When the user last changed (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// When the user last logged in (ISO 8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login: Option<String>,
    /// How many times the user logged in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logins_count: Option<u64>,
    /// Every other field, in the API's order.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// One account linked into a [`User`]: its connection and provider, and
/// its id there. `Debug` shows no identity provider token, and only the
/// names of the [`other`](Identity::other) fields.
///
/// ```
/// use auth0_native::Identity;
///
/// // Some social providers' ids come as numbers.
/// let answer = serde_json::json!({"connection": "github", "provider": "github",
///     "user_id": 1234567, "isSocial": true, "profileData": {"nickname": "ann"},
///     "access_token": "gho_secret"});
/// let identity: Identity = serde_json::from_value(answer)?;
/// assert_eq!(identity.user_id, "1234567");
/// assert!(identity.is_social);
/// assert_eq!(identity.profile_data.as_ref().unwrap()["nickname"], "ann");
/// assert!(!format!("{identity:?}").contains("gho_secret"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// The connection's name (`Username-Password-Authentication`, `github`).
    pub connection: String,
    /// The identity provider (`auth0`, `google-oauth2`, `github`, `sms`).
    pub provider: String,
    /// The user's id at the provider: the user id without its
    /// `provider|` prefix (sent as a number by some social providers;
    /// always a string here).
    #[serde(deserialize_with = "string_or_number")]
    pub user_id: String,
    /// Whether the connection is a social one. `isSocial`.
    #[serde(rename = "isSocial", default, deserialize_with = "bool_or_text")]
    pub is_social: bool,
    /// The provider's profile of a linked (secondary) account.
    /// `profileData`.
    #[serde(
        rename = "profileData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub profile_data: Option<Map<String, Value>>,
    /// The identity provider's access token (only for a token with
    /// `read:user_idp_tokens`). A secret: `Debug` redacts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<AccessToken>,
    /// The identity provider's refresh token (as `access_token`). A
    /// secret: `Debug` redacts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<RefreshToken>,
    /// Every other field, in the API's order (`expires_in`, an OAuth 1
    /// provider's `access_token_secret`, …).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A provider may add secrets of its own (`access_token_secret`):
        // of the other fields only the names are shown.
        let other: Vec<&str> = self.other.keys().map(String::as_str).collect();
        f.debug_struct("Identity")
            .field("connection", &self.connection)
            .field("provider", &self.provider)
            .field("user_id", &self.user_id)
            .field("is_social", &self.is_social)
            .field("profile_data", &self.profile_data)
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("other_fields", &other)
            .finish()
    }
}

impl TryFrom<&Value> for User {
    type Error = crate::Error;

    /// Reads what `getUser` or `patchUserMetadata` answered.
    fn try_from(answer: &Value) -> crate::Result<User> {
        crate::tokens::results::read_answer(answer, "/api/v2/users")
    }
}

/// A string, or a whole number written as its decimal text (`1234567`).
fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct Id;
    impl Visitor<'_> for Id {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string or a whole number")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    d.deserialize_any(Id)
}

/// A boolean, or `"true"` / `"false"` (older answers quote it).
fn bool_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    struct Flag;
    impl Visitor<'_> for Flag {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a boolean")
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
            Ok(v)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
            match v {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
            }
        }
    }
    d.deserialize_any(Flag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_identity_reads_number_and_text_ids_and_flags() {
        let i: Identity = serde_json::from_value(json!({"connection": "c", "provider": "p",
            "user_id": 42, "isSocial": "true"}))
        .unwrap();
        assert_eq!((i.user_id.as_str(), i.is_social), ("42", true));
        let i: Identity =
            serde_json::from_value(json!({"connection": "c", "provider": "p", "user_id": "x"}))
                .unwrap();
        assert_eq!((i.user_id.as_str(), i.is_social), ("x", false));
        assert!(serde_json::from_value::<Identity>(
            json!({"connection": "c", "provider": "p", "user_id": true})
        )
        .is_err());
    }

    #[test]
    fn debug_of_an_identity_shows_no_provider_token() {
        let i: Identity = serde_json::from_value(json!({"connection": "twitter",
            "provider": "twitter", "user_id": "1", "isSocial": true,
            "access_token": "secret-at", "refresh_token": "secret-rt",
            "access_token_secret": "secret-ats"}))
        .unwrap();
        let d = format!("{i:?}");
        assert!(!d.contains("secret-"), "{d}");
        assert!(d.contains("access_token_secret"), "{d}");
        let user = User {
            identities: vec![i],
            ..User::default()
        };
        assert!(!format!("{user:?}").contains("secret-"));
    }

    #[test]
    fn a_user_writes_back_the_api_names() {
        let answer = json!({"user_id": "auth0|1", "identities": [{"connection": "c",
            "provider": "auth0", "user_id": "1", "isSocial": false,
            "profileData": {"name": "n"}}], "user_metadata": {}, "blocked": true});
        let user: User = serde_json::from_value(answer.clone()).unwrap();
        assert_eq!(serde_json::to_value(&user).unwrap(), answer);
    }
}
