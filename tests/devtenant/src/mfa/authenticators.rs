//! Making an authenticator and showing it as the MFA API does.

use serde_json::{json, Value};

use super::totp::{base32_decode, base32_encode};
use super::Authenticator;
use crate::util::{random_bytes, random_hex};

pub(super) fn new_authenticator(
    kind: &str,
    secret: Option<&str>,
    channel: Option<&str>,
    phone_number: Option<String>,
    active: bool,
) -> Result<Authenticator, String> {
    match kind {
        "otp" => {
            let secret = match secret {
                Some(s) => base32_decode(s)
                    .filter(|b| !b.is_empty())
                    .ok_or("secret must be base32")?,
                None => random_bytes(20),
            };
            Ok(Authenticator {
                id: format!("totp|dev_{}", random_hex(8)),
                kind: "otp".into(),
                secret,
                oob_channel: None,
                phone_number: None,
                active,
            })
        }
        "oob" => {
            let channel = channel.unwrap_or("auth0");
            let prefix = match channel {
                "auth0" => "push",
                "sms" | "voice" => channel,
                _ => return Err("oob_channel must be auth0, sms or voice".into()),
            };
            if channel != "auth0" && phone_number.is_none() {
                return Err("phone_number is required for sms and voice".into());
            }
            Ok(Authenticator {
                id: format!("{prefix}|dev_{}", random_hex(8)),
                kind: "oob".into(),
                secret: Vec::new(),
                oob_channel: Some(channel.to_string()),
                phone_number,
                active,
            })
        }
        _ => Err("type must be otp or oob".into()),
    }
}

pub(super) fn barcode_uri(secret: &[u8], label: &str) -> String {
    format!(
        "otpauth://totp/devtenant:{}?secret={}&issuer=devtenant&algorithm=SHA1&digits=6&period=30",
        crate::util::enc(label),
        base32_encode(secret)
    )
}

pub(super) fn authenticator_json(a: &Authenticator) -> Value {
    let mut v = json!({"id": a.id, "authenticator_type": a.kind, "active": a.active});
    if let Some(c) = &a.oob_channel {
        v["oob_channel"] = json!(c);
        v["name"] = json!(a
            .phone_number
            .clone()
            .unwrap_or_else(|| "Dev push device".into()));
    } else {
        v["name"] = json!("Authenticator App");
    }
    v
}
