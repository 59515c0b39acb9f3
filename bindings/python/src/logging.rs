//! The `logging` bridge: the core's records go to the standard logger
//! `auth0_native` (`auth0_native.http`, `auth0_native.jwks`, … one child
//! per target), levels mapped (`trace` is level 5, below `DEBUG`).
//!
//! # Design: the core never takes the GIL to log
//!
//! The core logs on whatever thread it runs — the caller's thread with the
//! GIL released, or a library thread (the loopback listener's) — and a
//! record is only *queued* there (a short mutex, no Python). The queue is
//! handed to Python by the thread that holds the GIL anyway: the calling
//! thread right after each core call ([`crate::gil::detached`]), and every
//! 50 ms during the long interactive waits ([`crate::gil::interruptible`]).
//! So a record can never deadlock against a thread that holds the GIL and
//! waits for the core (a listener thread being joined while the GIL is
//! held), no call takes the GIL more often than it did, and a call's
//! records reach the handlers, in order, before the call returns. A
//! record made between calls (a listener thread's, after the login ended)
//! is delivered at the end of the next call.
//!
//! The level is the effective level of the `auth0_native` logger, read
//! before each call (two to four look-ups in `isEnabledFor`'s cache) and
//! made the core's `log::max_level`, so with logging off (Python's default,
//! `WARNING`, lets the few warnings through) the core formats nothing it
//! would drop. Child loggers can filter further, not widen it.
//!
//! The module adds a `NullHandler` to `auth0_native`, as a library should:
//! a program that configured no logging sees no warning on stderr.
//!
//! A new call path that runs the core outside `detached` / `interruptible`
//! (an asyncio worker) calls [`refresh_level`] before and [`deliver`] after,
//! with the GIL held.

use auth0_native::logging::{self, Level, LevelFilter, Sink};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// The most records kept between two deliveries; older ones are dropped
/// first, and their number reported.
const QUEUE_CAP: usize = 10_000;

struct Queued {
    level: Level,
    target: String,
    message: String,
}

static QUEUE: Mutex<VecDeque<Queued>> = Mutex::new(VecDeque::new());
/// Whether the queue may hold records: the check after each call is one
/// atomic load when nothing was logged.
static PENDING: AtomicBool = AtomicBool::new(false);
static DROPPED: AtomicUsize = AtomicUsize::new(0);

struct Queue;

impl Sink for Queue {
    fn log(&self, level: Level, target: &str, message: &str) {
        let mut q = QUEUE.lock().unwrap_or_else(|p| p.into_inner());
        if q.len() >= QUEUE_CAP {
            q.pop_front();
            DROPPED.fetch_add(1, Ordering::Relaxed);
        }
        q.push_back(Queued {
            level,
            target: target.to_owned(),
            message: message.to_owned(),
        });
        PENDING.store(true, Ordering::Release);
    }
}

/// The `auth0_native` logger.
fn root_logger(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static LOGGER: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOGGER
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("logging")?
                    .call_method1("getLogger", (logging::TARGET,))?
                    .unbind(),
            )
        })
        .map(|l| l.bind(py))
}

/// Python's number for a level: `logging.ERROR` … `logging.DEBUG`, and 5
/// for `trace`.
fn py_level(level: Level) -> u32 {
    match level {
        Level::Error => 40,
        Level::Warn => 30,
        Level::Info => 20,
        Level::Debug => 10,
        Level::Trace => 5,
    }
}

/// Installs the bridge (module import): the `NullHandler`, the core's
/// forwarder, and the current level.
pub(crate) fn install(py: Python<'_>) -> PyResult<()> {
    let handler = py.import("logging")?.getattr("NullHandler")?.call0()?;
    root_logger(py)?.call_method1("addHandler", (handler,))?;
    // Fails only when another `log` logger owns this module's copy of the
    // core, which nothing here installs.
    let _ = logging::set_sink(LevelFilter::Off, Some(Box::new(Queue)));
    refresh_level(py);
    Ok(())
}

/// Makes the core's level follow the `auth0_native` logger's (its
/// `isEnabledFor`, which also honours `logging.disable`).
pub(crate) fn refresh_level(py: Python<'_>) {
    let Ok(logger) = root_logger(py) else {
        return;
    };
    let stock = stock_is_enabled_for(py, logger);
    if stock && is_disabled(py, logger) {
        logging::set_sink_level(LevelFilter::Off);
        return;
    }
    let cache = if stock { cache_of(py, logger) } else { None };
    let enabled = |level: Level| {
        let level = py_level(level);
        // `isEnabledFor`'s own answer when it has one cached: a dict
        // look-up instead of a Python call (two per core call, ~2 % of
        // `parse_hash` from Python). A miss asks `isEnabledFor`, which
        // fills the cache.
        if let Some(Ok(Some(v))) = cache.as_ref().map(|c| c.get_item(level)) {
            return v.is_truthy().unwrap_or(false);
        }
        logger
            .call_method1(pyo3::intern!(py, "isEnabledFor"), (level,))
            .and_then(|v| v.is_truthy())
            .unwrap_or(false)
    };
    // The lowest enabled level, asked from `WARNING` (Python's default,
    // so the usual answer takes two look-ups, under the GIL of every
    // call) outwards: a logger enabled for a level is enabled for every
    // higher one.
    let filter = if enabled(Level::Warn) {
        [Level::Info, Level::Debug, Level::Trace]
            .into_iter()
            .take_while(|&level| enabled(level))
            .last()
            .unwrap_or(Level::Warn)
            .to_level_filter()
    } else if enabled(Level::Error) {
        LevelFilter::Error
    } else {
        LevelFilter::Off
    };
    logging::set_sink_level(filter);
}

/// Whether `logger` answers `isEnabledFor` with `logging.Logger`'s own
/// method (not a subclass's, through `logging.setLoggerClass`): then its
/// answer is `False` when `disabled`, else `_cache[level]` when cached —
/// CPython's code since 3.7, which clears `_cache` on `setLevel`,
/// `logging.disable` and every configuration change.
fn stock_is_enabled_for(py: Python<'_>, logger: &Bound<'_, PyAny>) -> bool {
    static STOCK: PyOnceLock<bool> = PyOnceLock::new();
    *STOCK.get_or_init(py, || {
        let name = pyo3::intern!(py, "isEnabledFor");
        let stock = py
            .import("logging")
            .and_then(|m| m.getattr("Logger"))
            .and_then(|c| c.getattr(name));
        match (stock, logger.get_type().getattr(name)) {
            (Ok(stock), Ok(own)) => stock.is(&own),
            _ => false,
        }
    })
}

fn is_disabled(py: Python<'_>, logger: &Bound<'_, PyAny>) -> bool {
    logger
        .getattr(pyo3::intern!(py, "disabled"))
        .and_then(|d| d.is_truthy())
        .unwrap_or(false)
}

/// The stock `isEnabledFor`'s cache (level → answer).
fn cache_of<'py>(py: Python<'py>, logger: &Bound<'py, PyAny>) -> Option<Bound<'py, PyDict>> {
    logger
        .getattr(pyo3::intern!(py, "_cache"))
        .ok()?
        .cast_into::<PyDict>()
        .ok()
}

/// Hands the queued records to their Python loggers, on this thread.
pub(crate) fn deliver(py: Python<'_>) {
    if !PENDING.swap(false, Ordering::Acquire) {
        return;
    }
    let records = std::mem::take(&mut *QUEUE.lock().unwrap_or_else(|p| p.into_inner()));
    let Ok(logging_module) = py.import("logging") else {
        return;
    };
    let dropped = DROPPED.swap(0, Ordering::Relaxed);
    if dropped > 0 {
        let _ = root_logger(py).and_then(|l| {
            l.call_method1(
                "warning",
                (format!(
                    "{dropped} log records were dropped (more than {QUEUE_CAP} between two calls)"
                ),),
            )
        });
    }
    for r in records {
        let name = r.target.replace("::", ".");
        // A handler that raises is the handler's business (logging's own
        // `handleError` reports it); the call's result is not lost to it.
        let _ = logging_module
            .call_method1("getLogger", (name,))
            .and_then(|l| l.call_method1("log", (py_level(r.level), r.message)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_map_to_python_s_numbers() {
        assert_eq!(py_level(Level::Warn), 30);
        assert_eq!(py_level(Level::Debug), 10);
        assert!(py_level(Level::Trace) < py_level(Level::Debug));
    }
}
