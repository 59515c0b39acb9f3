//! Starting a task: its options read, the operation looked up on the
//! handle, the job submitted (`auth0_webauth_start`, `auth0_management_start`,
//! `auth0_credentials_start`).

use super::pool::submit;
use super::*;

struct TaskOptions {
    callback: Option<Callback>,
    dispatch: bool,
    ctx: Ctx,
}

/// # Safety
/// `opts` is NULL or points to a readable `auth0_task_options`.
unsafe fn read_options(opts: *const auth0_task_options) -> Result<TaskOptions, Error> {
    let mut ctx = Ctx::new(CancelToken::new());
    if opts.is_null() {
        return Ok(TaskOptions {
            callback: None,
            dispatch: false,
            ctx,
        });
    }
    // SAFETY: non-NULL, and the caller promises a readable struct.
    let o = unsafe { &*opts };
    let dispatch = match o.delivery {
        AUTH0_DELIVER_ON_LIBRARY_THREAD => false,
        AUTH0_DELIVER_ON_DISPATCH => true,
        n => {
            return Err(Error::invalid_argument(format!(
                "opts->delivery must be AUTH0_DELIVER_ON_LIBRARY_THREAD (0) or \
                 AUTH0_DELIVER_ON_DISPATCH (1), not {n}"
            )))
        }
    };
    ctx.open_url = o.open_url;
    ctx.on_code = o.on_code;
    ctx.user_data = UserData(o.user_data);
    Ok(TaskOptions {
        callback: o.on_done.map(|f| Callback {
            f,
            user_data: UserData(o.user_data),
        }),
        dispatch: dispatch && o.on_done.is_some(),
        ctx,
    })
}

/// Registers a task, queues `run` for a worker, and writes the task to
/// `*out`.
fn start(
    opts: TaskOptions,
    out: *mut *mut auth0_task,
    run: impl FnOnce(&Ctx) -> Result<Answer, Error> + Send + 'static,
) -> Result<(), Error> {
    let TaskOptions {
        callback,
        dispatch,
        ctx,
    } = opts;
    let shared = Arc::new(Shared {
        outcome: Mutex::new(None),
        finished: Condvar::new(),
        cancel: ctx.cancel.clone(),
        callback: Mutex::new(callback),
        dispatch,
        handle: Default::default(),
    });
    let handle = handles::insert(auth0_task {
        shared: shared.clone(),
    })
    .ok_or_else(|| Error::internal("too many live handles: free some before making more"))?;
    shared
        .handle
        .store(handle.addr(), std::sync::atomic::Ordering::Release);
    let s = shared.clone();
    let job = Box::new(move || {
        if s.is_finished() {
            return; // cancelled while queued
        }
        let (status, text) = c_outcome(|| ctx.cancel.run_as_current(|| run(&ctx)));
        s.complete(status, text, true);
    });
    if let Err(e) = submit(job) {
        handles::remove(handle);
        return Err(e);
    }
    // SAFETY: the caller checked `out`.
    unsafe { *out = handle };
    Ok(())
}

/// The body of every `auth0_<type>_start`: look the handle and the
/// operation up, parse the options, start the task. Adding a handle type's
/// tasks (the credentials manager) is this call with its own table.
///
/// # Safety
/// The pointer contract of `auth0_webauth_start`.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn start_operation<H: Handle, C: 'static>(
    handle: *const H,
    handle_name: &str,
    kind: &str,
    table: &'static [(&'static str, Op<C>)],
    core: fn(&H) -> &C,
    operation: *const c_char,
    options_json: *const c_char,
    opts: *const auth0_task_options,
    out: *mut *mut auth0_task,
    error_json: *mut *mut c_char,
) -> auth0_status {
    run_with_error(error_json, || {
        if out.is_null() {
            return Err(Error::invalid_argument("out must not be NULL").with_code("null_parameter"));
        }
        // SAFETY: non-NULL; the caller promises it is writable.
        unsafe { *out = std::ptr::null_mut() };
        let h = arg_handle(handle, handle_name)?;
        // SAFETY: forwarded from the caller.
        let name = unsafe { arg_str(operation, "operation") }?;
        let op = ops::find(table, name, kind)?;
        // SAFETY: forwarded from the caller.
        let options = unsafe { arg_json(options_json, "options_json", true) }?;
        // SAFETY: forwarded from the caller.
        let opts = unsafe { read_options(opts) }?;
        start(opts, out, move |ctx| op(core(&h), &options, ctx))
    })
}

/// Starts a WebAuth operation without blocking: it runs on the task pool
/// (see `auth0_task_pool_start`) and this returns at once.
///
/// `operation` is auth0.js's name: `"authorize"`,
/// `"client.buildAuthorizeUrl"`, `"client.login"`, `"client.userInfo"`,
/// `"parseHash"`, `"validateIdToken"`, `"logout"`, `"signup"`,
/// `"changePassword"`, `"passwordlessStart"`, `"passwordlessVerify"`,
/// `"passwordlessLogin"`, `"redirect.loginWithCredentials"`,
/// `"popup.loginWithCredentials"`, `"login"` (cross-origin),
/// `"renewAuth"`, `"popup.authorize"`, `"device.start"`, `"device.poll"`,
/// `"device.login"`, `"client.refreshToken"`, `"client.revokeToken"`,
/// `"mfa.challenge"`, `"mfa.verify"`,
/// `"mfa.authenticators"`, `"mfa.associate"`. `options_json` (may be NULL) is what the blocking
/// function of that operation takes, and the task's result and errors are
/// that function's.
///
/// `opts` may be NULL (no callback). On `AUTH0_OK` `*out` is the task:
/// poll it, wait on it, cancel it, and release it with `auth0_task_free`.
/// Otherwise `*out` is NULL and `*error_json` (when `error_json` is not
/// NULL) the error JSON to release with `auth0_string_free`:
/// `AUTH0_ERROR_INVALID_ARGUMENT` for a bad handle, an unknown operation
/// (the message names it), options that are not a JSON object, or a bad
/// `opts->delivery`. The library keeps no pointer to `operation`,
/// `options_json` or `opts`. Thread-safe; the handle may be freed while its
/// tasks run (they finish normally).
#[no_mangle]
pub unsafe extern "C" fn auth0_webauth_start(
    webauth: *const auth0_webauth,
    operation: *const c_char,
    options_json: *const c_char,
    opts: *const auth0_task_options,
    out: *mut *mut auth0_task,
    error_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        start_operation(
            webauth,
            "webauth",
            "a WebAuth",
            ops::WEBAUTH,
            |w| &w.inner,
            operation,
            options_json,
            opts,
            out,
            error_json,
        )
    }
}

/// Starts a Management operation without blocking, as
/// `auth0_webauth_start` does. `operation`: `"getUser"`,
/// `"patchUserMetadata"`, `"linkUser"`, `"unlinkUser"`; options, results
/// and errors as the blocking `auth0_management_*` functions.
#[no_mangle]
pub unsafe extern "C" fn auth0_management_start(
    management: *const auth0_management,
    operation: *const c_char,
    options_json: *const c_char,
    opts: *const auth0_task_options,
    out: *mut *mut auth0_task,
    error_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        start_operation(
            management,
            "management",
            "a Management",
            ops::MANAGEMENT,
            |m| &m.inner,
            operation,
            options_json,
            opts,
            out,
            error_json,
        )
    }
}

/// Starts a credentials-manager operation without blocking, as
/// `auth0_webauth_start` does: `"credentials"` (`{"minTtl","scope",
/// "audience"}`; the answer is `auth0_credentials_get`'s), `"save"`
/// (`options_json` is the authResult; the answer `{}`),
/// `"hasValidCredentials"` (`{"minTtl"}`; the answer `{"valid": bool}`),
/// `"user"` (the claims, or `null`), `"clear"` (`{"revoke"}`; the answer
/// `{}`). Errors as the blocking `auth0_credentials_*` functions. A
/// renewal that waits for another one (another thread or process holding
/// the store's lock) waits on the pool, never on the caller's thread.
#[no_mangle]
pub unsafe extern "C" fn auth0_credentials_start(
    credentials: *const auth0_credentials,
    operation: *const c_char,
    options_json: *const c_char,
    opts: *const auth0_task_options,
    out: *mut *mut auth0_task,
    error_json: *mut *mut c_char,
) -> auth0_status {
    // SAFETY: the caller keeps the pointer contract of the doc above.
    unsafe {
        start_operation(
            credentials,
            "credentials",
            "a credentials manager",
            ops::CREDENTIALS,
            |c| &c.inner,
            operation,
            options_json,
            opts,
            out,
            error_json,
        )
    }
}
