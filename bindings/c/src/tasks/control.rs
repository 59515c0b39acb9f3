//! Using a started task: `auth0_task_poll`, `auth0_task_wait`,
//! `auth0_task_cancel`, `auth0_task_free`.

use super::*;

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
