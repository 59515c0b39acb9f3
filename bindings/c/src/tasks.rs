//! `auth0_task`: any operation started without blocking, run on a bounded
//! worker pool, then polled, waited on, cancelled or freed; its completion
//! callback delivered on a library thread or queued for `auth0_dispatch`.
//!
//! A cancelled task completes at once, whatever its worker is doing: the
//! cancel token reaches the core waits (device polling, the loopback
//! listener) and every request not yet sent (`CancelToken::run_as_current`),
//! but a blocking request in flight cannot be interrupted, so the worker's
//! late result is dropped when it comes. The worker owns its own references
//! to the task's state and to the WebAuth / Management object, so freeing
//! either while it runs is safe.

use super::boundary::{
    arg_handle, arg_json, arg_str, auth0_status, c_outcome, error_c_string, run_with_error,
};
use super::credentials::auth0_credentials;
use super::handles::{self, Handle};
use super::interactive::{auth0_device_code_fn, auth0_open_url_fn};
use super::management::auth0_management;
use super::operations::{self as ops, Answer, Ctx, Op, UserData};
use super::webauth::auth0_webauth;
use auth0_native::{CancelToken, Error, ErrorKind};
use std::cell::Cell;
use std::collections::VecDeque;
use std::ffi::{c_char, c_int, c_void, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// A running or finished operation started by `auth0_webauth_start` or
/// `auth0_management_start`.
///
/// Opaque. Released by `auth0_task_free` (which also cancels it). Every
/// `auth0_task_*` function may be called on the same task from several
/// threads at once; a freed task is rejected with
/// `AUTH0_ERROR_INVALID_ARGUMENT` (`code` `invalid_handle`).
#[allow(non_camel_case_types)]
pub struct auth0_task {
    shared: Arc<Shared>,
}

impl Handle for auth0_task {
    const KIND: usize = 9;
    const C_NAME: &'static str = "auth0_task";
    const FREE: &'static str = "auth0_task_free";
}

/// Called once when a task completes (with its final status: `AUTH0_OK`,
/// an error, or `AUTH0_ERROR_CANCELLED` after `auth0_task_cancel`).
///
/// `task` is the task (still to be freed by its owner; it may be freed from
/// inside the callback); `result_json` is its result or error JSON, valid
/// only during the call (copy it, or call `auth0_task_poll` for a copy of
/// your own); `user_data` is `auth0_task_options.user_data`. Runs on the
/// thread `auth0_task_options.delivery` names. Never called after
/// `auth0_task_free(task)` has returned (except when that free was called
/// from inside another task's callback).
#[allow(non_camel_case_types)]
pub type auth0_task_fn = Option<
    unsafe extern "C" fn(
        task: *mut auth0_task,
        status: auth0_status,
        result_json: *const c_char,
        user_data: *mut c_void,
    ),
>;

/// `auth0_task_options.delivery`: the callback runs on a library thread (a
/// worker of the pool, or the library's notifier thread for a cancelled
/// task). It must not block for long: it holds up the pool.
pub const AUTH0_DELIVER_ON_LIBRARY_THREAD: c_int = 0;
/// `auth0_task_options.delivery`: the callback is queued, and runs on the
/// thread that calls `auth0_dispatch` (a game's main loop, a UI thread).
pub const AUTH0_DELIVER_ON_DISPATCH: c_int = 1;

/// The optional parts of starting a task. Pass NULL for none of them; set
/// every field (zero-initialise the struct) when you pass one.
#[repr(C)]
#[allow(non_camel_case_types)]
pub struct auth0_task_options {
    /// Completion callback, or NULL for none (poll or wait instead).
    pub on_done: auth0_task_fn,
    /// `AUTH0_DELIVER_ON_LIBRARY_THREAD` (0) or `AUTH0_DELIVER_ON_DISPATCH`.
    pub delivery: c_int,
    /// `"popup.authorize"`: opens the login URL instead of the system
    /// browser, as in `auth0_webauth_popup_authorize`, but on a worker
    /// thread. NULL: the system browser.
    pub open_url: auth0_open_url_fn,
    /// `"device.login"`: shows the device code, as in
    /// `auth0_webauth_device_login`, but on a worker thread. May be NULL.
    pub on_code: auth0_device_code_fn,
    /// Passed untouched to `on_done`, `open_url` and `on_code`.
    pub user_data: *mut c_void,
}

struct Callback {
    f: unsafe extern "C" fn(*mut auth0_task, auth0_status, *const c_char, *mut c_void),
    user_data: UserData,
}

/// The state of a task, shared by its handle, its worker, and the queues.
struct Shared {
    outcome: Mutex<Option<(auth0_status, CString)>>,
    finished: Condvar,
    cancel: CancelToken,
    /// Taken by whoever runs it, or by `auth0_task_free`; held locked while
    /// it runs, so that a free waits for a running callback.
    callback: Mutex<Option<Callback>>,
    /// Whether the callback is delivered by `auth0_dispatch`.
    dispatch: bool,
    /// The C handle, for the callback's `task` argument.
    handle: std::sync::atomic::AtomicUsize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing panics under these locks; a poisoned one is still consistent.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

thread_local! {
    /// Whether this thread is inside a task callback: a free from there does
    /// not wait for running callbacks (it may be its own).
    static IN_CALLBACK: Cell<bool> = const { Cell::new(false) };
}

impl Shared {
    /// Records the final outcome unless there is one already (a cancelled
    /// task's late worker result is dropped here), then delivers the
    /// callback. Returns whether this call completed the task.
    fn complete(self: &Arc<Self>, status: auth0_status, text: CString, on_worker: bool) -> bool {
        {
            let mut o = lock(&self.outcome);
            if o.is_some() {
                return false;
            }
            *o = Some((status, text));
            // Queued before anyone can see the outcome, so that a dispatch
            // after a wait that saw it runs the callback.
            if self.dispatch {
                lock(&DISPATCH_QUEUE).push_back(self.clone());
            }
        }
        self.finished.notify_all();
        if self.dispatch || lock(&self.callback).is_none() {
            return true;
        }
        if on_worker {
            self.run_callback();
        } else {
            notifier_send(self.clone());
        }
        true
    }

    fn is_finished(&self) -> bool {
        lock(&self.outcome).is_some()
    }

    /// Runs the callback once, if it is still there; returns whether it ran.
    fn run_callback(&self) -> bool {
        let mut slot = lock(&self.callback);
        let Some(cb) = slot.take() else { return false };
        let Some((status, text)) = lock(&self.outcome).clone() else {
            return false;
        };
        let task = std::ptr::without_provenance_mut::<auth0_task>(
            self.handle.load(std::sync::atomic::Ordering::Acquire),
        );
        let was = IN_CALLBACK.with(|c| c.replace(true));
        // SAFETY: a C function pointer the caller gave with the task; the
        // JSON outlives the call. A C callback does not unwind.
        unsafe { (cb.f)(task, status, text.as_ptr(), cb.user_data.0) };
        IN_CALLBACK.with(|c| c.set(was));
        drop(slot);
        true
    }

    fn cancel_now(self: &Arc<Self>, on_worker: bool) {
        self.cancel.cancel();
        let e = Error::new(ErrorKind::Cancelled, "the task was cancelled").with_code("cancelled");
        self.complete(
            auth0_status::AUTH0_ERROR_CANCELLED,
            error_c_string(&e),
            on_worker,
        );
    }
}

// ---- the worker pool --------------------------------------------------------

type Job = Box<dyn FnOnce() + Send>;

struct PoolState {
    jobs: VecDeque<Job>,
    live: usize,
    target: usize,
    started: bool,
}

static POOL: Mutex<PoolState> = Mutex::new(PoolState {
    jobs: VecDeque::new(),
    live: 0,
    target: DEFAULT_THREADS,
    started: false,
});
static WORK: Condvar = Condvar::new();
const DEFAULT_THREADS: usize = 4;
const MAX_THREADS: usize = 64;

/// Starts workers up to the target; the first start also queues the
/// process-wide TLS warm-up. Errors only when no worker could be started.
fn grow(p: &mut PoolState) -> Result<(), Error> {
    if !p.started {
        p.started = true;
        p.jobs.push_front(Box::new(auth0_native::warm_up));
    }
    while p.live < p.target {
        let spawned = std::thread::Builder::new()
            .name("auth0-task".into())
            .spawn(worker);
        match spawned {
            Ok(_) => p.live += 1,
            Err(e) if p.live == 0 => {
                return Err(Error::internal(format!(
                    "no task worker thread could be started: {e}"
                )))
            }
            Err(_) => break,
        }
    }
    Ok(())
}

fn worker() {
    let mut p = lock(&POOL);
    loop {
        if p.live > p.target {
            p.live -= 1;
            return;
        }
        match p.jobs.pop_front() {
            Some(job) => {
                drop(p);
                // A job contains its own panics; this is the last line.
                let _ = catch_unwind(AssertUnwindSafe(job));
                p = lock(&POOL);
            }
            None => p = WORK.wait(p).unwrap_or_else(|e| e.into_inner()),
        }
    }
}

fn submit(job: Job) -> Result<(), Error> {
    let mut p = lock(&POOL);
    grow(&mut p)?;
    p.jobs.push_back(job);
    drop(p);
    WORK.notify_one();
    Ok(())
}

/// Sets the number of worker threads that run tasks (default 4, at most
/// 64) and starts them now. Starting the pool also moves TLS set-up off the
/// caller's threads: the process-wide part (the TLS provider, the system's
/// root certificates) runs on a worker at once, and from then on every
/// `auth0_webauth_new` / `auth0_management_new` builds the new handle's
/// HTTP client on a worker, so that its first request — blocking call or
/// task — finds it ready. Call it early (at program start) for that
/// benefit; without it the pool starts with the first task.
///
/// At most `threads` tasks run at once; others wait in a queue. A task
/// blocked in an HTTP request occupies its worker until the request ends,
/// even when cancelled (see `auth0_task_cancel`). Shrinking takes effect as
/// busy workers finish. `threads` 0 or above 64 is
/// `AUTH0_ERROR_INVALID_ARGUMENT`; `AUTH0_ERROR_INTERNAL` when no thread
/// could be started. Thread-safe.
#[no_mangle]
pub extern "C" fn auth0_task_pool_start(threads: usize) -> auth0_status {
    run_with_error(std::ptr::null_mut(), || {
        if threads == 0 || threads > MAX_THREADS {
            return Err(Error::invalid_argument(format!(
                "threads must be 1 to {MAX_THREADS}, not {threads}"
            )));
        }
        let mut p = lock(&POOL);
        p.target = threads;
        grow(&mut p)?;
        drop(p);
        // Surplus workers notice and leave.
        WORK.notify_all();
        Ok(())
    })
}

/// Builds the HTTP client of the handle `p` just made on a worker, when
/// the pool runs (`auth0_task_pool_start` was called, or a task started):
/// its first request, on whatever thread, then finds the TLS setup done.
pub(crate) fn warm_up_handle<H: Handle>(p: *const H, warm: fn(&H)) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let mut pool = lock(&POOL);
        if !pool.started {
            return;
        }
        let Some(h) = handles::get(p) else { return };
        pool.jobs.push_back(Box::new(move || warm(&h)));
        drop(pool);
        WORK.notify_one();
    }));
}

// ---- delivery ---------------------------------------------------------------

static DISPATCH_QUEUE: Mutex<VecDeque<Arc<Shared>>> = Mutex::new(VecDeque::new());

/// The thread that runs library-thread callbacks of tasks completed by a
/// cancel (the canceller's own thread may be one the callback must not run
/// on), started the first time one is needed.
fn notifier_send(task: Arc<Shared>) {
    static NOTIFIER: OnceLock<Option<mpsc::Sender<Arc<Shared>>>> = OnceLock::new();
    let sender = NOTIFIER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Arc<Shared>>();
        std::thread::Builder::new()
            .name("auth0-notify".into())
            .spawn(move || {
                for t in rx {
                    let _ = catch_unwind(AssertUnwindSafe(|| t.run_callback()));
                }
            })
            .ok()
            .map(|_| tx)
    });
    match sender {
        Some(tx) => {
            if let Err(mpsc::SendError(t)) = tx.send(task) {
                t.run_callback();
            }
        }
        // No thread could be made: late is better than never.
        None => {
            task.run_callback();
        }
    }
}

/// Runs the callbacks queued for `AUTH0_DELIVER_ON_DISPATCH` tasks, on the
/// calling thread, in completion order: at most `max_callbacks` of them,
/// or all those queued when `max_callbacks` is 0. Returns how many ran.
///
/// Never blocks beyond the callbacks themselves; call it once per frame of
/// a game loop or UI tick. Callbacks of tasks freed since they completed
/// are skipped. Any thread may call it; each callback runs exactly once.
#[no_mangle]
pub extern "C" fn auth0_dispatch(max_callbacks: usize) -> usize {
    catch_unwind(|| {
        let limit = if max_callbacks == 0 {
            lock(&DISPATCH_QUEUE).len()
        } else {
            max_callbacks
        };
        let (mut ran, mut popped) = (0, 0);
        while ran < limit && (max_callbacks != 0 || popped < limit) {
            let Some(task) = lock(&DISPATCH_QUEUE).pop_front() else {
                break;
            };
            popped += 1;
            ran += usize::from(task.run_callback());
        }
        ran
    })
    .unwrap_or(0)
}

// ---- starting ---------------------------------------------------------------

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

// ---- using a task -----------------------------------------------------------

/// Writes the task's state: PENDING with a NULL `*out_json`, or the final
/// status with a copy of its JSON.
fn report(
    task: *const auth0_task,
    out_json: *mut *mut c_char,
    wait: Option<Duration>,
) -> auth0_status {
    let Some(t) = handles::get(task) else {
        let e = arg_handle(task, "task")
            .err()
            .unwrap_or_else(|| Error::internal("task"));
        if !out_json.is_null() {
            // SAFETY: the caller promises it is writable.
            unsafe { *out_json = error_c_string(&e).into_raw() };
        }
        return auth0_status::AUTH0_ERROR_INVALID_ARGUMENT;
    };
    let mut o = lock(&t.shared.outcome);
    if let Some(timeout) = wait {
        let deadline = Instant::now().checked_add(timeout);
        while o.is_none() {
            match deadline {
                None => o = t.shared.finished.wait(o).unwrap_or_else(|e| e.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        break;
                    }
                    o = t
                        .shared
                        .finished
                        .wait_timeout(o, d - now)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
            }
        }
    }
    match &*o {
        None => auth0_status::AUTH0_PENDING,
        Some((status, text)) => {
            if !out_json.is_null() {
                // SAFETY: the caller promises it is writable.
                unsafe { *out_json = text.clone().into_raw() };
            }
            *status
        }
    }
}

fn guarded(out_json: *mut *mut c_char, f: impl FnOnce() -> auth0_status) -> auth0_status {
    if !out_json.is_null() {
        // SAFETY: the caller promises it is writable.
        unsafe { *out_json = std::ptr::null_mut() };
    }
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(auth0_status::AUTH0_ERROR_INTERNAL)
}

/// The task's state, without blocking: `AUTH0_PENDING` while it runs
/// (`*out_json` NULL), else its final status (`AUTH0_OK`, an error, or
/// `AUTH0_ERROR_CANCELLED`) with `*out_json` a new copy of its result or
/// error JSON, to release with `auth0_string_free` (each poll of a
/// finished task gives a fresh copy).
///
/// `out_json` may be NULL to read the status alone. A NULL or freed task is
/// `AUTH0_ERROR_INVALID_ARGUMENT` (with the error JSON). Thread-safe;
/// cheap enough to call every frame.
#[no_mangle]
pub unsafe extern "C" fn auth0_task_poll(
    task: *const auth0_task,
    out_json: *mut *mut c_char,
) -> auth0_status {
    guarded(out_json, || report(task, out_json, None))
}

/// As `auth0_task_poll`, but blocks up to `timeout_ms` milliseconds for
/// the task to finish; a negative `timeout_ms` waits without limit.
/// `AUTH0_PENDING` (with `*out_json` NULL) when it is still running at
/// the timeout. Thread-safe; a cancel from another thread ends the wait.
#[no_mangle]
pub unsafe extern "C" fn auth0_task_wait(
    task: *const auth0_task,
    timeout_ms: i64,
    out_json: *mut *mut c_char,
) -> auth0_status {
    let wait = u64::try_from(timeout_ms).map_or(Duration::MAX, Duration::from_millis);
    guarded(out_json, || report(task, out_json, Some(wait)))
}

/// Cancels a task: unless it has finished already, it completes at once
/// with `AUTH0_ERROR_CANCELLED` (`code` `cancelled`) and its callback is
/// delivered. The work stops at its next wait or request; a request in
/// flight keeps its worker until it ends, and its result is dropped. NULL
/// and freed tasks are ignored. Thread-safe: call it from any thread, any
/// number of times.
#[no_mangle]
pub unsafe extern "C" fn auth0_task_cancel(task: *const auth0_task) {
    let _ = catch_unwind(|| {
        if let Some(t) = handles::get(task) {
            t.shared.cancel_now(false);
        }
    });
}

/// Releases a task, cancelling it if it still runs. Its callback is not
/// called after this returns: a callback running on another thread is
/// waited for (unless this is called from inside a callback), one not yet
/// run is dropped. NULL and a task freed already are ignored. Any thread;
/// it may be called from the task's own callback.
#[no_mangle]
pub unsafe extern "C" fn auth0_task_free(task: *mut auth0_task) {
    let _ = catch_unwind(|| {
        let Some(t) = handles::get(task) else { return };
        if IN_CALLBACK.with(Cell::get) {
            // Maybe this task's own callback (holding the lock): do not wait.
            if let Ok(mut slot) = t.shared.callback.try_lock() {
                *slot = None;
            }
        } else {
            *lock(&t.shared.callback) = None;
        }
        t.shared.cancel_now(false);
        handles::remove(task);
    });
}
