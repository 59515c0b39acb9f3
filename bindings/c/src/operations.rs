//! Every operation of the C API once: the glue from JSON options to one
//! core call, shared by the blocking entry points (`auth0_webauth_login`
//! calls [`login`]) and by the tasks, which find an operation by its
//! auth0.js name in [`WEBAUTH`] / [`MANAGEMENT`].
//!
//! To give a new handle type tasks (the credentials manager): write its
//! operations here (or next to it) as `fn(&Core, &Value, &Ctx) -> Result<T,
//! Error>`, list them in a table `&[(&str, Op<Core>)]` with [`op!`], and
//! add an `auth0_<type>_start` that calls `tasks::start_operation` with
//! that table (see `auth0_management_start` in tasks.rs).

use super::interactive::{auth0_device_code_fn, auth0_open_url_fn};
use super::json_out::{UrlAnswer, WriteJson};
use auth0_native::json_face;
use auth0_native::mfa::{Authenticator, MfaAssociation, MfaChallenge, MfaVerifyResult};
use auth0_native::mfa::{
    MfaAssociateOptions, MfaAuthenticatorsOptions, MfaChallengeOptions, MfaVerifyOptions,
};
use auth0_native::options::{as_object, require_str};
use auth0_native::{
    CancelToken, ClearOptions, CredentialsManager, CredentialsOptions, Error, Interaction,
    Management, Opener, Options, RefreshTokenOptions, RevokeTokenOptions, WebAuth,
};
use serde_json::Value;
use std::ffi::{c_void, CString};

/// A C `user_data` pointer, handed back untouched to the caller's
/// callbacks.
#[derive(Clone, Copy)]
pub(crate) struct UserData(pub *mut c_void);
// SAFETY: the library never dereferences it; it only passes it to the
// caller's callbacks, on the threads their documentation names.
unsafe impl Send for UserData {}
// SAFETY: as above.
unsafe impl Sync for UserData {}

/// What an operation may need besides its options: the token that cancels
/// it, and the caller's callbacks (the browser opener of `popup.authorize`,
/// the code display of `device.login`).
pub(crate) struct Ctx {
    pub cancel: CancelToken,
    pub open_url: auth0_open_url_fn,
    pub on_code: auth0_device_code_fn,
    pub user_data: UserData,
}

impl Ctx {
    /// The context of a blocking call that cannot be cancelled.
    pub fn none() -> Ctx {
        Ctx::new(CancelToken::new())
    }

    /// A context with `cancel` and no callbacks.
    pub fn new(cancel: CancelToken) -> Ctx {
        Ctx {
            cancel,
            open_url: None,
            on_code: None,
            user_data: UserData(std::ptr::null_mut()),
        }
    }
}

/// The result of an operation found by name, written as JSON on the
/// worker that ran it.
pub(crate) type Answer = Box<dyn WriteJson + Send>;

impl WriteJson for Answer {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        (**self).write_json(out)
    }
}

/// An operation of a handle whose core object is `C`.
pub(crate) type Op<C> = fn(&C, &Value, &Ctx) -> Result<Answer, Error>;

/// An entry of an operation table: an operation function, its result boxed.
macro_rules! op {
    ($name:literal, $f:path) => {
        ($name, |core, options, ctx| {
            $f(core, options, ctx).map(|v| Box::new(v) as Answer)
        })
    };
}

/// The operations of `auth0_webauth_start`, by auth0.js's names.
pub(crate) const WEBAUTH: &[(&str, Op<WebAuth>)] = &[
    op!("authorize", authorize),
    op!("client.buildAuthorizeUrl", build_authorize_url),
    op!("client.login", login),
    op!("client.userInfo", user_info),
    op!("parseHash", parse_hash),
    op!("validateIdToken", validate_id_token),
    op!("logout", logout),
    op!("signup", signup),
    op!("changePassword", change_password),
    op!("passwordlessStart", passwordless_start),
    op!("passwordlessVerify", passwordless_verify),
    op!("passwordlessLogin", passwordless_login),
    op!("redirect.loginWithCredentials", login_with_credentials),
    op!("popup.loginWithCredentials", login_with_credentials),
    op!("login", cross_origin_login),
    op!("renewAuth", renew_auth),
    op!("popup.authorize", popup_authorize),
    op!("device.start", device_start),
    op!("device.poll", device_poll),
    op!("device.login", device_login),
    op!("client.refreshToken", refresh_token),
    op!("client.revokeToken", revoke_token),
    op!("mfa.challenge", mfa_challenge),
    op!("mfa.verify", mfa_verify),
    op!("mfa.authenticators", mfa_authenticators),
    op!("mfa.associate", mfa_associate),
];

/// The operations of `auth0_management_start`, by auth0.js's names.
pub(crate) const MANAGEMENT: &[(&str, Op<Management>)] = &[
    op!("getUser", get_user),
    op!("patchUserMetadata", patch_user_metadata),
    op!("linkUser", link_user),
    op!("unlinkUser", unlink_user),
];

/// The operations of `auth0_credentials_start`: the manager's methods by
/// their auth0-style names.
pub(crate) const CREDENTIALS: &[(&str, Op<CredentialsManager>)] = &[
    op!("credentials", credentials_get),
    op!("save", credentials_save),
    op!("hasValidCredentials", credentials_has_valid),
    op!("user", credentials_user),
    op!("clear", credentials_clear),
];

/// The operation called `name` in `table`, or an error naming it and
/// listing the known ones.
pub(crate) fn find<C>(table: &[(&str, Op<C>)], name: &str, kind: &str) -> Result<Op<C>, Error> {
    table
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .ok_or_else(|| {
            let known: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
            Error::invalid_argument(format!(
                "operation \"{name}\" is not {kind} operation (known: {})",
                known.join(", ")
            ))
        })
}

// ---- WebAuth --------------------------------------------------------------

pub(crate) fn build_authorize_url(w: &WebAuth, o: &Value, _: &Ctx) -> Result<UrlAnswer, Error> {
    w.client().build_authorize_url(o).map(UrlAnswer)
}

pub(crate) fn authorize(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    w.authorize(o)
}

pub(crate) fn logout(w: &WebAuth, o: &Value, _: &Ctx) -> Result<UrlAnswer, Error> {
    w.logout(o).map(UrlAnswer)
}

pub(crate) fn login(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    w.client().login(o)
}

pub(crate) fn user_info(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    let map = as_object(o, "options parameter is not valid")?;
    let token = require_str(map, "accessToken", "accessToken parameter is not valid")?;
    json_face::user_info(w, token, o)
}

pub(crate) fn parse_hash(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    // `None` is written as `null`.
    w.parse_hash(o)
}

pub(crate) fn validate_id_token(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    let map = as_object(o, "options parameter is not valid")?;
    let token = require_str(map, "idToken", "idToken option is required")?;
    w.validate_id_token(token, o)
}

pub(crate) fn signup(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    json_face::signup(w, o)
}

pub(crate) fn change_password(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    json_face::change_password(w, o)
}

pub(crate) fn passwordless_start(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    json_face::passwordless_start(w, o)
}

pub(crate) fn passwordless_verify(
    w: &WebAuth,
    o: &Value,
    _: &Ctx,
) -> Result<impl WriteJson, Error> {
    w.passwordless_verify(o)
}

pub(crate) fn passwordless_login(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    w.client().passwordless_login(o)
}

pub(crate) fn login_with_credentials(
    w: &WebAuth,
    o: &Value,
    _: &Ctx,
) -> Result<impl WriteJson, Error> {
    w.login_with_credentials(o)
}

pub(crate) fn cross_origin_login(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    w.login(o)
}

pub(crate) fn renew_auth(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    w.renew_auth(o)
}

/// `ctx.open_url` (or the system browser) opens the URL, on the thread
/// running the operation.
pub(crate) fn popup_authorize(w: &WebAuth, o: &Value, ctx: &Ctx) -> Result<impl WriteJson, Error> {
    let mut interaction = Interaction::new().with_cancel(ctx.cancel.clone());
    if let Some(f) = ctx.open_url {
        let user_data = ctx.user_data;
        interaction = interaction.with_opener(Opener::Callback(Box::new(move |url| {
            let url = CString::new(url).map_err(|_| "the URL holds a NUL byte")?;
            let user_data = user_data;
            // SAFETY: a C function pointer the caller supplied with the
            // call; `url` outlives the call.
            match unsafe { f(url.as_ptr(), user_data.0) } {
                0 => Ok(()),
                n => Err(format!("the open_url callback returned {n}")),
            }
        })));
    }
    w.popup_authorize(o, &interaction)
}

pub(crate) fn device_start(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    json_face::device_start(w, o)
}

pub(crate) fn device_poll(w: &WebAuth, o: &Value, ctx: &Ctx) -> Result<impl WriteJson, Error> {
    w.device_poll(o, &ctx.cancel)
}

/// `ctx.on_code` is called with the code, on the thread running the
/// operation.
pub(crate) fn device_login(w: &WebAuth, o: &Value, ctx: &Ctx) -> Result<impl WriteJson, Error> {
    json_face::device_login(w, o, &ctx.cancel, |code| {
        if let (Some(f), Ok(text)) = (ctx.on_code, CString::new(code.to_string())) {
            // SAFETY: a C function pointer the caller supplied with the
            // call; `text` outlives the call.
            unsafe { f(text.as_ptr(), ctx.user_data.0) };
        }
    })
}

// ---- Management -----------------------------------------------------------

fn object(o: &Value) -> Result<&Options, Error> {
    as_object(o, "options parameter is not valid")
}

fn user_id(o: &Options) -> Result<&str, Error> {
    require_str(o, "userId", "userId parameter is not valid")
}

pub(crate) fn get_user(m: &Management, o: &Value, _: &Ctx) -> Result<Value, Error> {
    json_face::get_user(m, user_id(object(o)?)?)
}

pub(crate) fn patch_user_metadata(m: &Management, o: &Value, _: &Ctx) -> Result<Value, Error> {
    let o = object(o)?;
    let metadata = o
        .get("userMetadata")
        .ok_or_else(|| Error::invalid_argument("userMetadata parameter is not valid"))?;
    json_face::patch_user_metadata(m, user_id(o)?, metadata)
}

pub(crate) fn link_user(m: &Management, o: &Value, _: &Ctx) -> Result<Value, Error> {
    let o = object(o)?;
    let token = require_str(
        o,
        "secondaryUserToken",
        "secondaryUserToken parameter is not valid",
    )?;
    json_face::link_user(m, user_id(o)?, token)
}

pub(crate) fn unlink_user(m: &Management, o: &Value, _: &Ctx) -> Result<Value, Error> {
    let o = object(o)?;
    let provider = require_str(o, "provider", "provider parameter is not valid")?;
    let identity = require_str(o, "identityUserId", "identityUserId parameter is not valid")?;
    json_face::unlink_user(m, user_id(o)?, provider, identity)
}

pub(crate) fn refresh_token(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    w.client()
        .refresh_token(&RefreshTokenOptions::from_json(o)?)
}

/// `{}` once the refresh token's family is revoked.
pub(crate) fn revoke_token(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    w.client()
        .revoke_token(&RevokeTokenOptions::from_json(o)?)
        .map(|()| Value::Object(Default::default()))
}

// ---- MFA ------------------------------------------------------------------

/// A typed result of the core, written with its serde (camelCase) shape.
struct AsJson<T>(T);

macro_rules! as_json {
    ($($t:ty),*) => {$(
        impl WriteJson for AsJson<$t> {
            fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
                serde_json::to_writer(out, &self.0)
            }
        }
    )*};
}

as_json!(
    MfaChallenge,
    MfaVerifyResult,
    Vec<Authenticator>,
    MfaAssociation
);

pub(crate) fn mfa_challenge(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    let o = MfaChallengeOptions::from_json(o)?;
    w.client().mfa_challenge(&o).map(AsJson)
}

/// An out-of-band code is polled until approved; `ctx.cancel` ends the wait.
pub(crate) fn mfa_verify(w: &WebAuth, o: &Value, ctx: &Ctx) -> Result<impl WriteJson, Error> {
    let o = MfaVerifyOptions::from_json(o)?;
    w.client().mfa_verify(&o, &ctx.cancel).map(AsJson)
}

pub(crate) fn mfa_authenticators(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    let o = MfaAuthenticatorsOptions::from_json(o)?;
    w.client().mfa_authenticators(&o).map(AsJson)
}

pub(crate) fn mfa_associate(w: &WebAuth, o: &Value, _: &Ctx) -> Result<impl WriteJson, Error> {
    let o = MfaAssociateOptions::from_json(o)?;
    w.client().mfa_associate(&o).map(AsJson)
}

// ---- Credentials manager -------------------------------------------------

/// `options` is the authResult to store; the answer `{}`.
pub(crate) fn credentials_save(
    m: &CredentialsManager,
    o: &Value,
    _: &Ctx,
) -> Result<impl WriteJson, Error> {
    m.save(&auth_result_of(o)?)
        .map(|()| Value::Object(Default::default()))
}

/// An authResult given as JSON (`auth0_credentials_save`'s argument).
pub(crate) fn auth_result_of(o: &Value) -> Result<auth0_native::AuthResult, Error> {
    serde_json::from_value(o.clone()).map_err(|e| {
        // serde's message names the key or type, never the value.
        Error::invalid_argument(format!("authresult_json is not a valid authResult: {e}"))
    })
}

pub(crate) fn credentials_get(
    m: &CredentialsManager,
    o: &Value,
    _: &Ctx,
) -> Result<impl WriteJson, Error> {
    m.credentials(&CredentialsOptions::from_json(o)?)
        .map(|c| c.to_json())
}

/// `{"minTtl": seconds}` (optional); the answer `{"valid": bool}`.
pub(crate) fn credentials_has_valid(
    m: &CredentialsManager,
    o: &Value,
    _: &Ctx,
) -> Result<impl WriteJson, Error> {
    let min_ttl = CredentialsOptions::from_json(o)?.min_ttl;
    let valid = m.has_valid_credentials(min_ttl)?;
    Ok(serde_json::json!({ "valid": valid }))
}

/// The verified claims of what is stored, or `null`.
pub(crate) fn credentials_user(
    m: &CredentialsManager,
    _: &Value,
    _: &Ctx,
) -> Result<impl WriteJson, Error> {
    m.user()
}

pub(crate) fn credentials_clear(
    m: &CredentialsManager,
    o: &Value,
    _: &Ctx,
) -> Result<impl WriteJson, Error> {
    m.clear(&ClearOptions::from_json(o)?)
        .map(|()| Value::Object(Default::default()))
}
