//! The answer `/authorize` sends back, read and held to its transaction:
//! the callback's parameters (a size cap before any decoding, no
//! parameter twice), exactly the artifacts the response type asked for,
//! the redirect URI, and attacker-controlled text made safe for errors.

use crate::error::{Error, ErrorKind, Result};
use crate::transaction::Transaction;
use std::borrow::Cow;

/// The largest callback `parseHash` reads, checked before decoding.
pub(crate) const MAX_CALLBACK_BYTES: usize = 64 * 1024;

/// What an `/authorize` answer can carry, and the `response_type` word
/// that asks for each (`refresh_token` never comes by the front channel).
pub(crate) const ARTIFACTS: &[&str] = &["code", "access_token", "id_token", "refresh_token"];

fn requested_artifact(word: &str) -> Option<&'static str> {
    match word {
        "code" => Some("code"),
        "token" => Some("access_token"),
        "id_token" => Some("id_token"),
        _ => None,
    }
}

/// The callback must carry exactly what the transaction asked for, and
/// come to its redirect URI when it is a whole URL.
pub(crate) fn check_binding(tx: &Transaction, carried: &[&str], hash: &str) -> Result<()> {
    let Some(response_type) = tx.response_type.as_deref() else {
        return Err(Error::invalid_token(
            "The transaction does not record its response type; start the login again.",
        ));
    };
    let mut asked: Vec<&str> = ARTIFACTS
        .iter()
        .copied()
        .filter(|a| {
            response_type
                .split_whitespace()
                .any(|w| requested_artifact(w) == Some(a))
        })
        .collect();
    asked.dedup();
    if asked != carried {
        return Err(Error::invalid_token(format!(
            "The callback does not answer the request: `{response_type}` asked for {}, the callback carries {}.",
            names(&asked),
            names(carried)
        )));
    }
    if let (Some(expected), true) = (tx.redirect_uri.as_deref(), hash.trim().contains("://")) {
        if !same_endpoint(expected, hash.trim()) {
            return Err(Error::invalid_token(
                "The callback did not come to the transaction's redirectUri.",
            ));
        }
    }
    Ok(())
}

fn names(keys: &[&str]) -> String {
    if keys.is_empty() {
        return "nothing".into();
    }
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// Scheme, host, port and path of `callback` are those of `redirect_uri`.
fn same_endpoint(redirect_uri: &str, callback: &str) -> bool {
    let base = |s: &str| -> String {
        let end = s.find(['?', '#']).unwrap_or(s.len());
        s[..end].to_owned()
    };
    match (url::Url::parse(redirect_uri), url::Url::parse(callback)) {
        (Ok(a), Ok(b)) => {
            a.scheme() == b.scheme()
                && a.host_str() == b.host_str()
                && a.port_or_known_default() == b.port_or_known_default()
                && a.path() == b.path()
        }
        _ => base(redirect_uri) == base(callback),
    }
}

/// The server cannot have acted on the code: no connection, no answer,
/// or a gateway/unavailable status.
pub(crate) fn server_did_not_act(e: &Error) -> bool {
    match e.kind() {
        ErrorKind::Network | ErrorKind::Timeout => true,
        ErrorKind::Server => matches!(e.status_code(), Some(502..=504)),
        _ => false,
    }
}

/// Attacker-controlled text made fit for an error message: control
/// characters dropped, at most `max` characters (with an ellipsis).
pub(crate) fn bounded_text(s: &str, max: usize) -> String {
    let mut out: String = s
        .chars()
        .filter(|c| !c.is_control())
        .take(max + 1)
        .collect();
    if out.chars().count() > max {
        out = out.chars().take(max).collect();
        out.push('…');
    }
    out
}

/// The parameters of a callback: a whole URL (its fragment, else its
/// query), or a fragment or query string with or without its leading
/// `#`, `?` or `/` (v8's `^#?\/?`). `+` is a space, as `qs.parse` has it.
pub(crate) fn parse_callback(input: &str) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    // The delimiters are ASCII, so every index `memchr` finds is a char
    // boundary. `memchr` rather than `str`'s searchers: the callback is
    // 1-2 kB of tokens scanned several times, and its SIMD scans are a
    // few percent of parseHash's non-RSA work (BENCHMARKS.md).
    let input = input.trim();
    let before =
        |s: &'_ str, delimiter: u8| -> Option<usize> { memchr::memchr(delimiter, s.as_bytes()) };
    let raw = if memchr::memmem::find(input.as_bytes(), b"://").is_some() {
        match before(input, b'#') {
            Some(i) if i + 1 < input.len() => &input[i + 1..],
            _ => before(input, b'?').map_or("", |i| &input[i + 1..]),
        }
    } else {
        let s = input.strip_prefix('#').unwrap_or(input);
        let s = s.strip_prefix('?').unwrap_or(s);
        s.strip_prefix('/').unwrap_or(s)
    };
    let raw = before(raw, b'#').map_or(raw, |i| &raw[..i]);
    let mut pairs = Vec::new();
    let mut start = 0;
    let ends = memchr::memchr_iter(b'&', raw.as_bytes()).chain(std::iter::once(raw.len()));
    for end in ends {
        let pair = &raw[start..end];
        start = end + 1;
        if pair.is_empty() {
            continue;
        }
        // Tokens are base64url: nothing to decode, so borrow them as
        // they are. `form_urlencoded` on such a pair gives the same
        // strings but copies and re-validates each byte (a third of
        // parseHash's non-RSA work in the issue 7 profile).
        if memchr::memchr2(b'%', b'+', pair.as_bytes()).is_some() {
            pairs.extend(url::form_urlencoded::parse(pair.as_bytes()).next());
        } else {
            let (k, v) = before(pair, b'=').map_or((pair, ""), |i| (&pair[..i], &pair[i + 1..]));
            pairs.push((Cow::Borrowed(k), Cow::Borrowed(v)));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `str`-searcher version `parse_callback` replaced: the memchr
    /// scans must split every input the same way.
    fn reference(input: &str) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
        let input = input.trim();
        let raw = if input.contains("://") {
            match input.split_once('#') {
                Some((_, frag)) if !frag.is_empty() => frag,
                _ => input.split_once('?').map_or("", |(_, q)| q),
            }
        } else {
            let s = input.strip_prefix('#').unwrap_or(input);
            let s = s.strip_prefix('?').unwrap_or(s);
            s.strip_prefix('/').unwrap_or(s)
        };
        let raw = raw.split('#').next().unwrap_or(raw);
        raw.split('&')
            .filter(|pair| !pair.is_empty())
            .filter_map(|pair| {
                if pair.contains(['%', '+']) {
                    url::form_urlencoded::parse(pair.as_bytes()).next()
                } else {
                    let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                    Some((Cow::Borrowed(k), Cow::Borrowed(v)))
                }
            })
            .collect()
    }

    #[test]
    fn splits_every_input_as_the_str_searcher_version_did() {
        let fixed = [
            "",
            "#",
            "?",
            "/",
            "#/",
            "#?a=1",
            "a",
            "a=",
            "=a",
            "&",
            "&&a=1&&",
            "a=1&a=2",
            "http://x/cb#",
            "http://x/cb#?q",
            "http://x/cb?q=1#",
            "http://x/cb?q=1#f=2",
            "http://x/cb#a=1#b=2",
            "x://",
            "://#a",
            " #a=b c ",
            "a=%41&b=+",
            "é=ü&ü",
            "http://x/cb?",
            "a==b",
            "#a=1&b",
            "http://x/cb#&&",
        ];
        for input in fixed {
            assert_eq!(parse_callback(input), reference(input), "{input:?}");
        }
        // Random strings over the characters the parser looks at.
        let alphabet = [
            'a', '=', '&', '#', '?', '/', ':', '%', '+', ' ', 'é', '4', '1',
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..20_000 {
            let mut input = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = usize::try_from(seed % 24).unwrap();
            for _ in 0..len {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                input.push(alphabet[usize::try_from(seed % 13).unwrap()]);
            }
            assert_eq!(parse_callback(&input), reference(&input), "{input:?}");
        }
    }

    fn owned(params: Vec<(Cow<'_, str>, Cow<'_, str>)>) -> Vec<(String, String)> {
        params
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    #[test]
    fn callback_parsing_accepts_urls_fragments_and_queries() {
        let want = vec![
            ("a".to_owned(), "1 2".to_owned()),
            ("b".to_owned(), "x/y".to_owned()),
        ];
        for input in [
            "#a=1+2&b=x%2Fy",
            "a=1%202&b=x/y",
            "#/a=1+2&b=x%2Fy",
            "?a=1+2&b=x%2Fy",
            "com.example.app://callback#a=1+2&b=x%2Fy",
            "http://127.0.0.1:5000/cb?a=1+2&b=x%2Fy",
        ] {
            assert_eq!(owned(parse_callback(input)), want, "{input}");
        }
    }

    #[test]
    fn callback_parsing_matches_form_urlencoded() {
        for raw in [
            "a=1&&b=&c&=d&e==f",
            "t=eyJhbGciOi.eyJzdWIi.c2ln&s=x%20y&p=a+b&u=%E2%82%AC&bad=%ZZ&l=%C3",
            "k%3D=v%26w&k+2=%2B",
            "&&",
            "",
        ] {
            let want: Vec<(String, String)> = url::form_urlencoded::parse(raw.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            assert_eq!(owned(parse_callback(raw)), want, "{raw}");
        }
    }

    #[test]
    fn a_url_fragment_wins_over_its_query() {
        let p = owned(parse_callback("https://app/cb?q=1#access_token=t"));
        assert_eq!(p, vec![("access_token".to_owned(), "t".to_owned())]);
    }

    #[test]
    fn bounded_text_drops_control_characters_and_cuts_long_text() {
        assert_eq!(bounded_text("a\r\nb\u{1b}[31m", 10), "ab[31m");
        assert_eq!(bounded_text("abcdef", 3), "abc…");
        assert_eq!(bounded_text("abc", 3), "abc");
    }

    #[test]
    fn the_endpoint_check_ignores_query_and_fragment_only() {
        assert!(same_endpoint(
            "http://127.0.0.1:7/cb",
            "http://127.0.0.1:7/cb?code=x"
        ));
        assert!(same_endpoint(
            "com.example.app://callback",
            "com.example.app://callback#a=1"
        ));
        assert!(!same_endpoint(
            "http://127.0.0.1:7/cb",
            "http://127.0.0.1:8/cb?code=x"
        ));
        assert!(!same_endpoint(
            "http://127.0.0.1:7/cb",
            "http://127.0.0.1:7/other?code=x"
        ));
    }
}
