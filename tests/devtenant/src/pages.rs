//! The tenant's HTML: hosted login page, auto-submitting forms, error pages,
//! the fake social provider page and the device activation pages.

use crate::store::AuthTx;
use crate::util::{encode_params, html_escape as e};

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{t}</title><style>body{{font-family:sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem}}\
label,input,button{{display:block;width:100%;margin:.3rem 0;box-sizing:border-box}}input,button{{padding:.5rem}}\
.error{{color:#b00020}}.social{{background:#1da1f2;color:#fff;border:0}}</style></head>\
<body><h1>{t}</h1>\n{body}\n</body></html>\n",
        t = e(title)
    )
}

/// Hidden `<input>`s for the fields of an authorize transaction.
pub fn tx_fields(tx: &AuthTx) -> String {
    tx_pairs(tx)
        .iter()
        .map(|(k, v)| hidden(k, v))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The transaction as (name, value) pairs, skipping absent values.
pub fn tx_pairs(tx: &AuthTx) -> Vec<(String, String)> {
    let mut v = vec![
        ("client_id".to_string(), tx.client_id.clone()),
        ("redirect_uri".to_string(), tx.redirect_uri.clone()),
        ("response_type".to_string(), tx.response_type.clone()),
        ("scope".to_string(), tx.scope.clone()),
    ];
    let opt = [
        ("response_mode", &tx.response_mode),
        ("audience", &tx.audience),
        ("state", &tx.state),
        ("nonce", &tx.nonce),
        ("code_challenge", &tx.code_challenge),
        ("code_challenge_method", &tx.code_challenge_method),
        ("organization", &tx.organization),
        ("invitation", &tx.invitation),
    ];
    for (k, val) in opt {
        if let Some(val) = val {
            v.push((k.to_string(), val.clone()));
        }
    }
    v
}

pub fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        e(name),
        e(value)
    )
}

/// The hosted login page (or its sign-up variant).
pub fn login_page(
    client_name: &str,
    tx: &AuthTx,
    error: Option<&str>,
    username: &str,
    signup: bool,
) -> String {
    let mut pairs = tx_pairs(tx);
    let base = encode_params(&pairs);
    pairs.retain(|(k, _)| k != "connection");
    let (title, button, other) = if signup {
        ("Sign Up", "Sign up", format!("<p>Already have an account? <a id=\"login-link\" href=\"/authorize?{}\">Log in</a></p>", e(&base)))
    } else {
        ("Log In", "Continue", format!("<p>Don't have an account? <a id=\"signup-link\" href=\"/authorize?{}&amp;screen_hint=signup\">Sign up</a></p>", e(&base)))
    };
    let err = error
        .map(|m| {
            format!(
                "<p class=\"error\" id=\"error-message\" role=\"alert\">{}</p>",
                e(m)
            )
        })
        .unwrap_or_else(|| {
            "<p class=\"error\" id=\"error-message\" role=\"alert\" hidden></p>".to_string()
        });
    let body = format!(
        "<p>to continue to {client}</p>\n{err}\n\
<form method=\"post\" action=\"/usernamepassword/login\" id=\"login-form\">\n{fields}\n{conn}\n{mode}\n\
<label for=\"username\">Email address</label><input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" value=\"{user}\" required autofocus>\n\
<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\n\
<button type=\"submit\" name=\"action\" value=\"default\">{button}</button>\n</form>\n{other}\n\
<p>or</p>\n<a class=\"social\" id=\"social-twitter\" href=\"/authorize?{base_e}&amp;connection=twitter\"><button class=\"social\" type=\"button\">Continue with Twitter</button></a>",
        client = e(client_name),
        fields = tx_fields(tx),
        conn = hidden("connection", crate::config::DB_CONNECTION),
        mode = if signup { hidden("signup", "true") } else { String::new() },
        user = e(username),
        base_e = e(&base),
    );
    layout(title, &body)
}

/// An auto-submitting POST form (inline script plus a `<noscript>` button).
pub fn autopost(action: &str, fields: &[(String, String)]) -> String {
    let inputs: String = fields
        .iter()
        .map(|(k, v)| hidden(k, v))
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "<form method=\"post\" name=\"hiddenform\" action=\"{}\">\n{inputs}\n\
<noscript><p>Script is disabled. Click Submit to continue.</p><input type=\"submit\" value=\"Submit\"></noscript>\n</form>\n\
<script>window.setTimeout(function(){{document.forms[0].submit();}},0);</script>\n",
        e(action)
    )
}

pub fn autopost_page(action: &str, fields: &[(String, String)]) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Submit This Form</title></head><body>\n{}</body></html>\n",
        autopost(action, fields)
    )
}

pub fn error_page(error: &str, description: &str) -> String {
    layout(
        "Oops!, something went wrong",
        &format!(
            "<p class=\"error\" id=\"error\">{}</p><p id=\"error-description\">{}</p>",
            e(error),
            e(description)
        ),
    )
}

pub fn message_page(title: &str, message: &str) -> String {
    layout(title, &format!("<p id=\"message\">{}</p>", e(message)))
}

/// The fake Twitter consent page.
pub fn social_page(tx_id: &str, client_name: &str) -> String {
    layout(
        "Twitter (dev tenant fake)",
        &format!(
            "<p>Authorize {} to use your account?</p>\n<form method=\"post\" action=\"/social/twitter\">\n{}\n\
<label for=\"screen_name\">Twitter handle</label><input id=\"screen_name\" name=\"screen_name\" value=\"devtwitter\">\n\
<button type=\"submit\" name=\"action\" value=\"allow\" id=\"allow\">Allow</button>\n\
<button type=\"submit\" name=\"action\" value=\"deny\" id=\"deny\">Cancel</button>\n</form>",
            e(client_name),
            hidden("tx", tx_id)
        ),
    )
}

/// Device activation: enter the code.
pub fn activate_code_page(error: Option<&str>, code: &str) -> String {
    let err = error
        .map(|m| format!("<p class=\"error\" id=\"error-message\">{}</p>", e(m)))
        .unwrap_or_default();
    layout(
        "Device Activation",
        &format!(
            "{err}<p>Enter the code displayed on your device</p>\n<form method=\"get\" action=\"/activate\">\n\
<label for=\"user_code\">Code</label><input id=\"user_code\" name=\"user_code\" value=\"{}\" required>\n\
<button type=\"submit\">Continue</button>\n</form>",
            e(code)
        ),
    )
}

/// Device activation: log in.
pub fn activate_login_page(code: &str, error: Option<&str>) -> String {
    let err = error
        .map(|m| format!("<p class=\"error\" id=\"error-message\">{}</p>", e(m)))
        .unwrap_or_default();
    layout(
        "Log In",
        &format!(
            "{err}<p>Log in to continue activating your device</p>\n<form method=\"post\" action=\"/activate\">\n{}\n{}\n\
<label for=\"username\">Email address</label><input id=\"username\" name=\"username\" required>\n\
<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" required>\n\
<button type=\"submit\">Continue</button>\n</form>",
            hidden("user_code", code),
            hidden("action", "login")
        ),
    )
}

/// Device activation: confirm or deny.
pub fn activate_confirm_page(code: &str, client_name: &str, scope: &str) -> String {
    layout(
        "Device Confirmation",
        &format!(
            "<p>{} is requesting access (scopes: {}). Please confirm this code is shown on your device:</p>\
<p id=\"user-code\"><strong>{}</strong></p>\n<form method=\"post\" action=\"/activate\">\n{}\n\
<button type=\"submit\" name=\"action\" value=\"confirm\" id=\"confirm\">Confirm</button>\n\
<button type=\"submit\" name=\"action\" value=\"deny\" id=\"deny\">Cancel</button>\n</form>",
            e(client_name),
            e(scope),
            e(code),
            hidden("user_code", code)
        ),
    )
}
