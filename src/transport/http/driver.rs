//! Where a request's I/O happens: on the thread that makes the call.
//!
//! A handle keeps a few *drivers*, each a single-thread tokio runtime and
//! the async reqwest client whose connections that runtime runs. A call
//! takes an idle driver (or builds one), runs its request to the end on
//! its own thread, and gives the driver back for the next call, from this
//! thread or any other: a handle holds as many drivers as it has seen
//! calls at once, and a connection one thread opened serves the next.
//!
//! Why not `reqwest::blocking`: its client hands every request to a
//! runtime thread of its own and parks the caller until the answer comes
//! back, two thread wake-ups per request. On a two-vCPU machine those
//! wake-ups, not the work, set the pace: two threads calling `userInfo` on
//! one handle did 1.44× one thread's rate that way, against 2.5–3.4× with
//! the I/O on the calling thread (BENCHMARKS.md, "Requests on the calling
//! thread").
//!
//! A driver is used by one thread at a time, so the connection tasks it
//! spawns only run while a call waits on it. An idle connection the server
//! closed meanwhile is noticed at the driver's next use: each run first
//! lets the runtime poll its sockets, so the connection's task reads the
//! end of the stream before it could write the request, and hyper sends
//! the request, not written, on a new connection. (Without that, a closed
//! connection was reused now and then under load: a POST failed with
//! "connection closed before message completed", seen once in CI.)

use crate::error::Result;
use std::future::Future;
use std::sync::{Mutex, PoisonError};

/// A runtime and the client whose connections it runs.
struct Driver {
    // `Option` so that `Drop` can shut it down without waiting: dropping a
    // runtime the usual way blocks (and panics inside an async context).
    runtime: Option<tokio::runtime::Runtime>,
    client: reqwest::Client,
}

impl Driver {
    fn new(client: reqwest::Client) -> Result<Driver> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                crate::error::Error::new(
                    crate::error::ErrorKind::Network,
                    format!("the HTTP client could not be set up: {e}"),
                )
                .with_code("http_client_setup_failed")
            })?;
        Ok(Driver {
            runtime: Some(runtime),
            client,
        })
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// The drivers of one handle.
#[derive(Default)]
pub(super) struct Drivers {
    idle: Mutex<Vec<Driver>>,
}

/// A driver checked out for one call; back to the idle list when dropped.
pub(super) struct CheckedOut<'a> {
    drivers: &'a Drivers,
    driver: Option<Driver>,
}

impl Drivers {
    /// An idle driver, or a new one whose client `build` makes (the client
    /// options are the handle's; building loads the trusted roots, about
    /// 2 ms, once per driver).
    pub fn checkout(
        &self,
        build: impl FnOnce() -> Result<reqwest::Client>,
    ) -> Result<CheckedOut<'_>> {
        let idle = self.lock().pop();
        let driver = if let Some(d) = idle {
            d
        } else {
            Driver::new(build()?)?
        };
        Ok(CheckedOut {
            drivers: self,
            driver: Some(driver),
        })
    }

    /// How many drivers are idle (tests).
    #[cfg(test)]
    pub fn idle_count(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Driver>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl CheckedOut<'_> {
    fn driver(&self) -> &Driver {
        self.driver
            .as_ref()
            .expect("a checked-out driver is present until drop")
    }

    /// The client to build this call's request with.
    pub fn client(&self) -> &reqwest::Client {
        &self.driver().client
    }

    /// Runs `call` to its end on this thread. Where this thread is already
    /// inside a tokio runtime (a Rust caller in async code), a runtime
    /// cannot be entered again here, so the call runs on a helper thread
    /// that this one waits for.
    pub fn run<F>(&self, call: F) -> F::Output
    where
        F: Future + Send,
        F::Output: Send,
    {
        let runtime = self
            .driver()
            .runtime
            .as_ref()
            .expect("a driver's runtime lives until the driver is dropped");
        let on = |call: F| {
            runtime.block_on(async {
                // Polls the runtime's sockets first (tokio runs a yielded
                // task again only after its I/O driver), so that a pooled
                // connection the server closed while the driver was idle
                // reads its end before this request is written to it.
                tokio::task::yield_now().await;
                call.await
            })
        };
        if tokio::runtime::Handle::try_current().is_err() {
            return on(call);
        }
        std::thread::scope(|s| {
            s.spawn(|| on(call))
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }
}

impl Drop for CheckedOut<'_> {
    fn drop(&mut self) {
        if let Some(d) = self.driver.take() {
            self.drivers.lock().push(d);
        }
    }
}
