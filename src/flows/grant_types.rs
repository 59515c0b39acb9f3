//! The `grant_type`s this library sends to `/oauth/token`, in one place.
//! The public ones are also re-exported where their flow lives
//! (`mfa::MFA_OTP_GRANT`, `DEVICE_CODE_GRANT`).

/// `client.login` and the cross-origin login's default credential type.
pub(crate) const PASSWORD_REALM: &str = "http://auth0.com/oauth/grant-type/password-realm";
/// `client.passwordlessLogin`: the code sent by e-mail or SMS.
pub(crate) const PASSWORDLESS_OTP: &str = "http://auth0.com/oauth/grant-type/passwordless/otp";
/// The grant type of an OTP answer.
pub const MFA_OTP_GRANT: &str = "http://auth0.com/oauth/grant-type/mfa-otp";
/// The grant type of an out-of-band answer.
pub const MFA_OOB_GRANT: &str = "http://auth0.com/oauth/grant-type/mfa-oob";
/// The grant type of a recovery-code answer.
pub const MFA_RECOVERY_CODE_GRANT: &str = "http://auth0.com/oauth/grant-type/mfa-recovery-code";
/// The `device_code` grant type.
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
