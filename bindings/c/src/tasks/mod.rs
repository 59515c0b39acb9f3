//! `auth0_task`: any operation started without blocking, run on a bounded
//! worker pool, then polled, waited on, cancelled or freed; its completion
//! callback delivered on a library thread or queued for `auth0_dispatch`.
//!
//! A cancelled task completes at once, whatever its worker is doing: the
//! cancel token reaches the core waits (device polling, the loopback
//! listener) and every request, before it is sent or while it waits for its
//! answer (`CancelToken::run_as_current`), so the worker soon lets go too;
//! a result it still makes is dropped. The worker owns its own references
//! to the task's state and to the WebAuth / Management object, so freeing
//! either while it runs is safe.

// cbindgen writes the functions in the order it reads them: these
// modules in this order keep the header's order.
mod pool;

mod delivery;

mod start;

mod control;

pub use control::{auth0_task_cancel, auth0_task_free, auth0_task_poll, auth0_task_wait};
pub use delivery::auth0_dispatch;
use delivery::{notifier_send, DISPATCH_QUEUE};
pub use pool::auth0_task_pool_start;
pub(crate) use pool::warm_up_handle;
pub use start::{auth0_credentials_start, auth0_management_start, auth0_webauth_start};

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
