//! Which keywords each Python method takes, and which of them are times.
//!
//! Python's own rules, not auth0.js's: a keyword the method does not know
//! is a `TypeError` naming it (auth0.js would send a misspelt
//! `respone_type` to `/authorize`); the `/authorize` parameters this
//! library does not name go through one explicit `extra_params` mapping;
//! and every time is in seconds ([`SECONDS`]), converted here to the
//! milliseconds of auth0.js's options, which the core (and the C and JSON
//! faces) keep.
//!
//! A keyword is matched by the auth0.js option it names
//! (`login_hint` and `loginHint` are both `loginHint`), so the lists hold
//! auth0.js's names.

/// The keywords one method takes (besides its positional and explicit
/// keyword-only parameters, which PyO3 checks).
pub(crate) struct Keywords {
    /// The method as a Python user calls it, for messages:
    /// `Client.login`.
    pub(crate) method: &'static str,
    /// The auth0.js options the keywords may give, in groups shared
    /// between methods.
    pub(crate) options: &'static [&'static [&'static str]],
    /// Whether `extra_params={...}` is taken: parameters sent as given.
    pub(crate) extra_params: bool,
}

impl Keywords {
    pub(crate) fn accepts(&self, option: &str) -> bool {
        self.options.iter().any(|group| group.contains(&option))
    }
}

/// A time a Python caller gives in seconds (a float, as in the standard
/// library), and the auth0.js option that takes it in milliseconds.
pub(crate) struct Seconds {
    /// The dict option the key is inside (`retry`), or `None` for a
    /// keyword.
    pub(crate) within: Option<&'static str>,
    /// The Python name (a keyword is also matched by its camelCase form).
    pub(crate) python: &'static str,
    /// The auth0.js name, in milliseconds.
    pub(crate) option: &'static str,
}

/// Every time of the Python face. The one place where seconds become
/// milliseconds.
pub(crate) const SECONDS: &[Seconds] = &[
    Seconds {
        within: None,
        python: "timeout",
        option: "timeout",
    },
    Seconds {
        within: None,
        python: "connect_timeout",
        option: "connectTimeout",
    },
    Seconds {
        within: Some("retry"),
        python: "base_delay",
        option: "baseDelayMs",
    },
    Seconds {
        within: Some("retry"),
        python: "max_delay",
        option: "maxDelayMs",
    },
    Seconds {
        within: Some("retry"),
        python: "total",
        option: "totalMs",
    },
];

/// The keys of the `retry` dict that are not times (Python name, option).
pub(crate) const RETRY_COUNTS: &[(&str, &str)] = &[("max_attempts", "maxAttempts")];

/// The `/authorize` parameters a caller may set by name (auth0.js v8's
/// list, wire spec §2.6), less those the library computes (PKCE, the
/// login ticket, telemetry, the browser-only ones).
const AUTHORIZE_PARAMS: &[&str] = &[
    "connection",
    "connectionScope",
    "device",
    "realm",
    "responseType",
    "responseMode",
    "redirectUri",
    "audience",
    "scope",
    "state",
    "nonce",
    "display",
    "prompt",
    "maxAge",
    "uiLocales",
    "claimsLocales",
    "idTokenHint",
    "loginHint",
    "acrValues",
    "claims",
    "registration",
    "request",
    "requestUri",
    "organization",
    "invitation",
];
/// What a transaction records besides the parameters.
const TRANSACTION: &[&str] = &["appState", "pkce"];
/// The transport options of a handle.
const TRANSPORT: &[&str] = &[
    "timeout",
    "connectTimeout",
    "caFile",
    "caPem",
    "proxy",
    "maxResponseBytes",
    "retry",
    "_sendTelemetry",
    "_telemetryInfo",
];
const CREDENTIALS: &[&str] = &["username", "email", "password"];

pub(crate) const WEB_AUTH: Keywords = Keywords {
    method: "WebAuth",
    options: &[
        &[
            "domain",
            "clientID",
            "redirectUri",
            "responseType",
            "responseMode",
            "scope",
            "audience",
            "state",
            "nonce",
            "leeway",
            "organization",
            "pkce",
            "par",
            "dpop",
            "dpopKey",
            "transaction",
            "overrides",
            "popupOrigin",
            "plugins",
            "_disableDeprecationWarnings",
            "_timesToRetryFailedRequests",
        ],
        TRANSPORT,
    ],
    extra_params: false,
};

pub(crate) const MANAGEMENT: Keywords = Keywords {
    method: "Management",
    options: &[&["domain", "token"], TRANSPORT],
    extra_params: false,
};

pub(crate) const AUTHORIZE: Keywords = Keywords {
    method: "WebAuth.authorize",
    options: &[AUTHORIZE_PARAMS, TRANSACTION, &["clientID", "par"]],
    extra_params: true,
};

pub(crate) const AUTHORIZE_REQUEST: Keywords = Keywords {
    method: "WebAuth.authorize_request",
    ..AUTHORIZE
};

pub(crate) const BUILD_AUTHORIZE_URL: Keywords = Keywords {
    method: "Client.build_authorize_url",
    options: &[AUTHORIZE_PARAMS, &["clientID", "appState"]],
    extra_params: true,
};

pub(crate) const PARSE_HASH: Keywords = Keywords {
    method: "WebAuth.parse_hash",
    options: &[&["hash", "state", "nonce"]],
    extra_params: false,
};

pub(crate) const VALIDATE_ID_TOKEN: Keywords = Keywords {
    method: "WebAuth.validate_id_token",
    options: &[&["nonce", "maxAge", "accessToken", "organization"]],
    extra_params: false,
};

pub(crate) const LOGIN: Keywords = Keywords {
    method: "WebAuth.login",
    options: &[AUTHORIZE_PARAMS, TRANSACTION, CREDENTIALS, &["otp"]],
    extra_params: true,
};

pub(crate) const SIGNUP: Keywords = Keywords {
    method: "WebAuth.signup",
    options: &[
        CREDENTIALS,
        &[
            "connection",
            "userMetadata",
            "givenName",
            "familyName",
            "name",
            "nickname",
            "picture",
        ],
    ],
    extra_params: true,
};

pub(crate) const CHANGE_PASSWORD: Keywords = Keywords {
    method: "WebAuth.change_password",
    options: &[&["connection", "email", "clientID"]],
    extra_params: false,
};

pub(crate) const PASSWORDLESS_START: Keywords = Keywords {
    method: "WebAuth.passwordless_start",
    options: &[&[
        "connection",
        "send",
        "email",
        "phoneNumber",
        "authParams",
        "clientID",
        "responseType",
        "redirectUri",
        "scope",
    ]],
    extra_params: false,
};

pub(crate) const PASSWORDLESS_VERIFY: Keywords = Keywords {
    method: "WebAuth.passwordless_verify",
    options: &[
        AUTHORIZE_PARAMS,
        TRANSACTION,
        &["verificationCode", "email", "phoneNumber", "clientID"],
    ],
    extra_params: true,
};

pub(crate) const RENEW_AUTH: Keywords = Keywords {
    method: "WebAuth.renew_auth",
    options: &[AUTHORIZE_PARAMS, TRANSACTION, &["timeout"]],
    extra_params: true,
};

pub(crate) const LOGOUT: Keywords = Keywords {
    method: "WebAuth.logout",
    options: &[&["returnTo", "clientID", "federated", "headless"]],
    extra_params: true,
};

pub(crate) const CLIENT_LOGIN: Keywords = Keywords {
    method: "Client.login",
    options: &[&["username", "password", "realm", "scope", "audience"]],
    extra_params: false,
};

pub(crate) const PASSWORDLESS_LOGIN: Keywords = Keywords {
    method: "Client.passwordless_login",
    options: &[&[
        "connection",
        "verificationCode",
        "email",
        "phoneNumber",
        "scope",
        "audience",
    ]],
    extra_params: false,
};

pub(crate) const LOGIN_WITH_CREDENTIALS: Keywords = Keywords {
    method: "login_with_credentials",
    options: &[AUTHORIZE_PARAMS, TRANSACTION, CREDENTIALS],
    extra_params: true,
};

pub(crate) const POPUP_AUTHORIZE: Keywords = Keywords {
    method: "Popup.authorize",
    options: &[
        AUTHORIZE_PARAMS,
        TRANSACTION,
        &["timeout", "ports", "successHtml", "errorHtml", "par"],
    ],
    extra_params: true,
};

pub(crate) const DEVICE_START: Keywords = Keywords {
    method: "Device.start",
    options: &[&["scope", "audience"]],
    extra_params: false,
};

pub(crate) const DEVICE_LOGIN: Keywords = Keywords {
    method: "Device.login",
    options: &[&["scope", "audience", "timeout"]],
    extra_params: false,
};

#[cfg(test)]
mod tests {
    use super::*;
    use auth0_native::casing::{camel_to_snake, keyword_to_option_name};

    const ALL: &[&Keywords] = &[
        &WEB_AUTH,
        &MANAGEMENT,
        &AUTHORIZE,
        &AUTHORIZE_REQUEST,
        &BUILD_AUTHORIZE_URL,
        &PARSE_HASH,
        &VALIDATE_ID_TOKEN,
        &LOGIN,
        &SIGNUP,
        &CHANGE_PASSWORD,
        &PASSWORDLESS_START,
        &PASSWORDLESS_VERIFY,
        &RENEW_AUTH,
        &LOGOUT,
        &CLIENT_LOGIN,
        &PASSWORDLESS_LOGIN,
        &LOGIN_WITH_CREDENTIALS,
        &POPUP_AUTHORIZE,
        &DEVICE_START,
        &DEVICE_LOGIN,
    ];

    #[test]
    fn every_option_can_be_given_by_its_snake_case_keyword() {
        for keywords in ALL {
            for option in keywords.options.iter().flat_map(|g| g.iter()) {
                let keyword = camel_to_snake(option);
                assert_eq!(
                    keyword_to_option_name(&keyword),
                    *option,
                    "{}: {keyword}",
                    keywords.method
                );
            }
        }
    }

    #[test]
    fn every_time_keyword_names_its_option() {
        for time in SECONDS.iter().filter(|s| s.within.is_none()) {
            assert_eq!(keyword_to_option_name(time.python), time.option);
        }
    }
}
