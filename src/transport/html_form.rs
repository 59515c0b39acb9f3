//! Just enough HTML to do what a browser does with the pages Auth0 answers
//! in its redirect flows: find the first `<form>` and its fields (the
//! auto-submitting `wresult`/`wctx` form of `/usernamepassword/login`, a
//! `form_post` answer).

/// A form to submit.
#[derive(Debug, PartialEq)]
pub(crate) struct Form {
    pub method: String,
    pub action: String,
    pub fields: Vec<(String, String)>,
}

/// The first `<form>` of `html` with its named `<input>`s (submit buttons
/// included only when they have a name, as a browser submits them), or
/// `None`.
pub(crate) fn first_form(html: &str) -> Option<Form> {
    let lower = html.to_ascii_lowercase();
    let start = find_tag(&lower, "form", 0)?;
    let open_end = start + lower[start..].find('>')?;
    let attrs = attributes(&html[start + 5..open_end]);
    let close = lower[open_end..]
        .find("</form")
        .map_or(html.len(), |i| open_end + i);
    let get = |name: &str| {
        attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let mut fields = Vec::new();
    let mut pos = open_end;
    while let Some(i) = find_tag(&lower[..close], "input", pos) {
        let end = i + lower[i..close].find('>').unwrap_or(close - i);
        let a = attributes(&html[i + 6..end]);
        let attr = |name: &str| a.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let kind = attr("type").unwrap_or_default().to_ascii_lowercase();
        if let Some(name) = attr("name") {
            if kind != "submit" && kind != "button" && kind != "image" {
                fields.push((name, attr("value").unwrap_or_default()));
            }
        }
        pos = end;
    }
    Some(Form {
        method: get("method")
            .unwrap_or_else(|| "get".into())
            .to_ascii_lowercase(),
        action: get("action").unwrap_or_default(),
        fields,
    })
}

/// The index of the next `<tag` (followed by a space, `/` or `>`).
fn find_tag(lower: &str, tag: &str, from: usize) -> Option<usize> {
    let needle = format!("<{tag}");
    let mut at = from;
    while let Some(i) = lower.get(at..)?.find(&needle) {
        let i = at + i;
        match lower.as_bytes().get(i + needle.len()) {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>') => return Some(i),
            _ => at = i + needle.len(),
        }
    }
    None
}

/// `name="value"` pairs of a tag's inside, names lower-cased, values with
/// character references decoded.
fn attributes(s: &str) -> Vec<(String, String)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        if i == name_start {
            i += 1;
            continue;
        }
        let name = s[name_start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let (value, next) = if let Some(q @ (b'"' | b'\'')) = b.get(i) {
                let end = s[i + 1..].find(*q as char).map_or(b.len(), |e| i + 1 + e);
                (&s[i + 1..end], end + 1)
            } else {
                let end = s[i..]
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or(b.len(), |e| i + e);
                (&s[i..end], end)
            };
            out.push((name, decode_entities(value)));
            i = next;
        } else {
            out.push((name, String::new()));
        }
    }
    out
}

/// Decodes the character references HTML attribute values use.
pub(crate) fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        if let Some(c) = decoded {
            out.push(c);
            rest = &rest[end + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_hidden_fields_of_auth0s_callback_form() {
        let html = r#"<html><body><FORM method="post" name="hiddenform" action="https://t.auth0.com/login/callback">
            <input type="hidden" name="wa" value="wsignin1.0">
            <input type='hidden' value='e&#x79;J0&amp;x' name='wresult'/>
            <input name=wctx type=hidden value="{&quot;strategy&quot;:&quot;auth0&quot;}">
            <noscript><input type="submit" value="Submit"></noscript></form></body></html>"#;
        let f = first_form(html).unwrap();
        assert_eq!(f.method, "post");
        assert_eq!(f.action, "https://t.auth0.com/login/callback");
        assert_eq!(
            f.fields,
            vec![
                ("wa".into(), "wsignin1.0".into()),
                ("wresult".into(), "eyJ0&x".into()),
                ("wctx".into(), "{\"strategy\":\"auth0\"}".into())
            ]
        );
    }

    #[test]
    fn no_form_is_none_and_stray_ampersands_survive() {
        assert!(first_form("<p>hello</p><formula>").is_none());
        assert_eq!(
            decode_entities("a & b &unknown; &#65;"),
            "a & b &unknown; A"
        );
    }
}
