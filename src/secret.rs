//! Secrets are types, not strings.
//!
//! Tokens, codes, verifiers, passwords and one-time codes live in newtypes
//! whose `Debug` prints `[redacted]`, which have no `Display`, and whose
//! value is read through one explicit accessor, [`secret()`](AccessToken::secret)
//! (oauth2-rs's `new_secret_type!`). A log line or an error message built
//! with `{:?}` can then not carry one by accident, and a reviewer finds
//! every place a secret leaves its type by searching for `.secret()`.
//!
//! The value is zeroed when the newtype drops. Copies made through
//! `.secret().to_owned()` are the caller's to care for.
//!
//! ```
//! use auth0_native::secret::RefreshToken;
//!
//! let t = RefreshToken::new("v1.MRrT...".to_owned());
//! assert_eq!(format!("{t:?}"), "RefreshToken([redacted])");
//! assert_eq!(t.secret(), "v1.MRrT...");
//! ```

use zeroize::Zeroize;

macro_rules! new_secret_type {
    ($(#[$attr:meta])* $name:ident) => {
        $(#[$attr])*
        #[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps `value` (taken, not copied).
            pub fn new(value: String) -> Self {
                $name(value)
            }

            /// The secret value. Every read of a secret goes through here.
            pub fn secret(&self) -> &str {
                &self.0
            }

            /// The secret value, taken out of its newtype.
            pub fn into_secret(mut self) -> String {
                std::mem::take(&mut self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }

        impl Drop for $name {
            fn drop(&mut self) {
                self.0.zeroize();
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                $name(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name(value.to_owned())
            }
        }
    };
}

new_secret_type!(
    /// An access token (for an API, or `/userinfo`).
    AccessToken
);
new_secret_type!(
    /// An `id_token` as received: a JWS whose payload is the user's claims.
    IdToken
);
new_secret_type!(
    /// A refresh token (`offline_access`); single use when the tenant
    /// rotates refresh tokens.
    RefreshToken
);
new_secret_type!(
    /// An authorization code, exchanged once at `/oauth/token`.
    AuthorizationCode
);
new_secret_type!(
    /// A PKCE code verifier (RFC 7636).
    PkceVerifier
);
new_secret_type!(
    /// A user's password.
    Password
);
new_secret_type!(
    /// A one-time code: an OTP, a passwordless code, an MFA binding code.
    Otp
);
new_secret_type!(
    /// The `mfa_token` of an `mfa_required` answer: it stands for the first
    /// factor the user already passed.
    MfaToken
);
new_secret_type!(
    /// An MFA recovery code.
    RecoveryCode
);
new_secret_type!(
    /// An out-of-band code of an MFA challenge (push, SMS, e-mail).
    OobCode
);
new_secret_type!(
    /// The key of an OTP authenticator (base32), or the `otpauth://` URI
    /// that carries it, as `mfa.associate` answers.
    OtpSecret
);
new_secret_type!(
    /// The `device_code` of the device flow (RFC 8628): the device's
    /// credential until its login ends.
    DeviceCodeSecret
);
new_secret_type!(
    /// A client secret (confidential clients only; a native app has none).
    ClientSecret
);
new_secret_type!(
    /// A DPoP private key (`DpopKey::to_pkcs8`): a PKCS#8 document,
    /// base64url.
    DpopPrivateKey
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_and_secret_reads() {
        let t = AccessToken::new("eyJ.secret.value".into());
        assert_eq!(format!("{t:?}"), "AccessToken([redacted])");
        assert_eq!(format!("{:?}", Some(&t)), "Some(AccessToken([redacted]))");
        assert_eq!(t.secret(), "eyJ.secret.value");
        assert_eq!(t.clone().into_secret(), "eyJ.secret.value");
    }

    #[test]
    fn serde_is_the_bare_string() {
        let t: RefreshToken = serde_json::from_str("\"v1.rt\"").unwrap();
        assert_eq!(t.secret(), "v1.rt");
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"v1.rt\"");
    }
}
