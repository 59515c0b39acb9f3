//! TOTP codes (RFC 6238), base32 (RFC 4648) and recovery codes.

use crate::util::{ct_eq, now_s, random_bytes};

pub(super) const TOTP_STEP: u64 = 30;

const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub fn base32_encode(data: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for &b in data {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(B32[((buf >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(B32[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// RFC 4648 base32 (case-insensitive, padding and spaces ignored).
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.chars().filter(|c| *c != '=' && !c.is_whitespace()) {
        let v = B32
            .iter()
            .position(|x| *x as char == c.to_ascii_uppercase())? as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

/// The 6-digit TOTP code of `secret` for time step `step` (RFC 6238, SHA-1).
pub fn totp(secret: &[u8], step: u64) -> String {
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, secret);
    let tag = aws_lc_rs::hmac::sign(&key, &step.to_be_bytes());
    let h = tag.as_ref();
    let off = (h[h.len() - 1] & 0x0f) as usize;
    let bin = (u32::from(h[off] & 0x7f) << 24)
        | (u32::from(h[off + 1]) << 16)
        | (u32::from(h[off + 2]) << 8)
        | u32::from(h[off + 3]);
    format!("{:06}", bin % 1_000_000)
}

pub(super) fn totp_ok(secret: &[u8], code: &str) -> bool {
    let step = now_s() / TOTP_STEP;
    let code = code.trim();
    [step.saturating_sub(1), step, step + 1]
        .iter()
        .any(|s| ct_eq(&totp(secret, *s), code))
}

pub(super) fn new_recovery_code() -> String {
    const A: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    random_bytes(24)
        .iter()
        .map(|b| A[*b as usize % A.len()] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totp_matches_rfc_6238_sha1_vectors() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890"; the
        // 8-digit values' last 6 digits.
        let s = b"12345678901234567890";
        assert_eq!(totp(s, 59 / 30), "287082");
        assert_eq!(totp(s, 1_111_111_109 / 30), "081804");
        assert_eq!(totp(s, 1_234_567_890 / 30), "005924");
        assert_eq!(totp(s, 20_000_000_000 / 30), "353130");
    }

    #[test]
    fn base32_round_trips() {
        let s = b"12345678901234567890";
        let e = base32_encode(s);
        assert_eq!(e, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(base32_decode(&e).unwrap(), s);
        assert_eq!(
            base32_decode("gezdgnbv gy3tqojq====").unwrap(),
            b"1234567890"
        );
        assert!(base32_decode("not base32!").is_none());
    }
}
