//! [`CancelToken`]: a way to end an interactive operation from any thread.
//!
//! The waits of `popup_authorize` and of the device flow's polling watch a
//! token; [`CancelToken::cancel`] wakes them at once (a condition variable
//! and registered wakers, never a polling loop), and the operation ends
//! with an [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled) error.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

type Waker = Box<dyn Fn() + Send>;

#[derive(Default)]
struct State {
    cancelled: bool,
    next_id: u64,
    wakers: Vec<(u64, Waker)>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    cv: Condvar,
}

/// A cancellation flag shared by clones.
///
/// Cheap to clone; every clone refers to the same flag. `cancel` may be
/// called from any thread, any number of times. Once cancelled a token
/// stays cancelled: an operation started with a cancelled token fails at
/// once, so use a fresh token per operation.
///
/// ```
/// use auth0_native::CancelToken;
/// use std::time::Duration;
///
/// let token = CancelToken::new();
/// let other = token.clone();
/// std::thread::spawn(move || other.cancel());
/// // Returns well before the minute is up.
/// assert!(token.wait_timeout(Duration::from_secs(60)));
/// ```
#[derive(Clone, Default)]
pub struct CancelToken(Arc<Shared>);

impl std::fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CancelToken")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

impl CancelToken {
    /// A token that is not cancelled.
    #[must_use]
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.0.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Cancels every operation watching this token (or a clone of it).
    pub fn cancel(&self) {
        let wakers = {
            let mut s = self.lock();
            if s.cancelled {
                return;
            }
            s.cancelled = true;
            std::mem::take(&mut s.wakers)
        };
        self.0.cv.notify_all();
        // Outside the lock: a waker may take other locks.
        for (_, w) in wakers {
            w();
        }
    }

    /// Whether [`cancel`](CancelToken::cancel) has been called.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.lock().cancelled
    }

    /// Sleeps for `timeout`, or less when the token is cancelled. Returns
    /// whether it was cancelled.
    #[must_use]
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut s = self.lock();
        while !s.cancelled {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            s = self
                .0
                .cv
                .wait_timeout(s, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        true
    }

    /// Runs `f` with this token as the current token of this thread: every
    /// HTTP request `f` makes on this thread fails with a `Cancelled` error
    /// once the token is cancelled, instead of being sent or, when it is
    /// waiting for its answer, at once (its connection is dropped). So a
    /// cancelled headless walk, device poll or login stops where it is.
    /// Nests; the previous token is restored when `f` returns.
    pub fn run_as_current<T>(&self, f: impl FnOnce() -> T) -> T {
        with_current(self, f)
    }

    /// Runs `waker` once when the token is cancelled (at once when it
    /// already is), unless the returned guard is dropped first.
    // The waiters that need waking: the loopback listener, a request in
    // flight.
    pub(crate) fn on_cancel(&self, waker: impl Fn() + Send + 'static) -> CancelGuard {
        let mut s = self.lock();
        if s.cancelled {
            drop(s);
            waker();
            return CancelGuard {
                token: self.clone(),
                id: None,
            };
        }
        let id = s.next_id;
        s.next_id += 1;
        s.wakers.push((id, Box::new(waker)));
        CancelGuard {
            token: self.clone(),
            id: Some(id),
        }
    }
}

/// Unregisters a waker of [`CancelToken::on_cancel`] when dropped.
pub(crate) struct CancelGuard {
    token: CancelToken,
    id: Option<u64>,
}

impl Drop for CancelGuard {
    fn drop(&mut self) {
        if let Some(id) = self.id {
            self.token.lock().wakers.retain(|(i, _)| *i != id);
        }
    }
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<CancelToken>();
};

thread_local! {
    /// The token of the task running on this thread, if any.
    static CURRENT: std::cell::RefCell<Option<CancelToken>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with `token` as this thread's current token: every HTTP
/// request `f` makes on this thread (the headless walks' redirects, the
/// token exchange, the device flow's polls) fails with a `Cancelled` error
/// once `token` is cancelled: before it is sent, or while it waits for its
/// answer (the connection is dropped). The worker pool of the C tasks runs
/// each task so.
pub(crate) fn with_current<T>(token: &CancelToken, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<CancelToken>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| *c.borrow_mut() = self.0.take());
        }
    }
    let previous = CURRENT.with(|c| c.borrow_mut().replace(token.clone()));
    let _restore = Restore(previous);
    f()
}

/// Runs `f` with no current token on this thread: for work that must
/// finish once begun (the refresh token grant, whose answer carries the
/// rotated refresh token).
pub(crate) fn uncancellable<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(Option<CancelToken>);
    impl Drop for Restore {
        fn drop(&mut self) {
            CURRENT.with(|c| *c.borrow_mut() = self.0.take());
        }
    }
    let _restore = Restore(CURRENT.with(|c| c.borrow_mut().take()));
    f()
}

/// The current token of this thread (see [`with_current`]).
pub(crate) fn current() -> Option<CancelToken> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Runs `call` until it ends or `token` is cancelled, whichever comes
/// first (then `call` is dropped, and with it a request in flight).
pub(crate) async fn or_cancelled<F: std::future::Future>(
    token: &CancelToken,
    call: F,
) -> Result<F::Output, crate::error::Error> {
    let waker = Arc::new(Mutex::new(None::<std::task::Waker>));
    let _guard = token.on_cancel({
        let waker = waker.clone();
        move || {
            if let Some(w) = waker.lock().unwrap_or_else(|p| p.into_inner()).take() {
                w.wake();
            }
        }
    });
    let mut call = std::pin::pin!(call);
    std::future::poll_fn(|cx| {
        *waker.lock().unwrap_or_else(|p| p.into_inner()) = Some(cx.waker().clone());
        // Checked after the waker is in place, so a cancel between the two
        // is not missed.
        if token.is_cancelled() {
            return std::task::Poll::Ready(Err(cancelled()));
        }
        call.as_mut().poll(cx).map(Ok)
    })
    .await
}

/// Whether the current token of this thread (see [`with_current`]) is
/// cancelled.
pub(crate) fn current_is_cancelled() -> bool {
    CURRENT.with(|c| c.borrow().as_ref().is_some_and(CancelToken::is_cancelled))
}

/// The error of an operation its caller cancelled.
pub(crate) fn cancelled() -> crate::error::Error {
    crate::error::Error::new(
        crate::error::ErrorKind::Cancelled,
        "the operation was cancelled",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn the_current_token_is_seen_inside_with_current_only() {
        let t = CancelToken::new();
        t.cancel();
        assert!(!current_is_cancelled());
        assert!(with_current(&t, current_is_cancelled));
        let fresh = CancelToken::new();
        assert!(!with_current(&t, || with_current(
            &fresh,
            current_is_cancelled
        )));
        assert!(!current_is_cancelled());
    }

    #[test]
    fn a_request_under_a_cancelled_current_token_is_never_sent() {
        // Port 9 on loopback refuses: a request that was sent is a
        // network error, one that was not is cancelled.
        let web = crate::WebAuth::new(&serde_json::json!({
            "domain": "http://127.0.0.1:9", "clientID": "c"
        }))
        .unwrap();
        let login = || {
            web.client()
                .login(&serde_json::json!({"username": "u", "password": "p", "realm": "r"}))
                .unwrap_err()
                .kind()
        };
        assert_eq!(login(), crate::ErrorKind::Network);
        let t = CancelToken::new();
        assert_eq!(t.run_as_current(login), crate::ErrorKind::Network);
        t.cancel();
        assert_eq!(t.run_as_current(login), crate::ErrorKind::Cancelled);
    }

    #[test]
    fn wait_times_out_when_not_cancelled() {
        let t = CancelToken::new();
        let start = Instant::now();
        assert!(!t.wait_timeout(Duration::from_millis(50)));
        assert!(start.elapsed() >= Duration::from_millis(50));
    }

    #[test]
    fn cancel_from_another_thread_wakes_a_wait_promptly() {
        let t = CancelToken::new();
        let c = t.clone();
        let start = Instant::now();
        let h = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            c.cancel();
        });
        assert!(t.wait_timeout(Duration::from_secs(30)));
        assert!(start.elapsed() < Duration::from_secs(5));
        h.join().unwrap();
    }

    #[test]
    fn wakers_run_once_and_not_after_their_guard_is_dropped() {
        let t = CancelToken::new();
        let hits = Arc::new(AtomicUsize::new(0));
        let h = hits.clone();
        let kept = t.on_cancel(move || {
            h.fetch_add(1, Ordering::SeqCst);
        });
        let h = hits.clone();
        drop(t.on_cancel(move || {
            h.fetch_add(100, Ordering::SeqCst);
        }));
        t.cancel();
        t.cancel();
        assert_eq!(hits.load(Ordering::SeqCst), 1);
        drop(kept);
        let h = hits.clone();
        let _late = t.on_cancel(move || {
            h.fetch_add(10, Ordering::SeqCst);
        });
        assert_eq!(
            hits.load(Ordering::SeqCst),
            11,
            "runs at once when already cancelled"
        );
    }
}
