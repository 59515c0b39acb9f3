//! Bounded retries with backoff for requests that are safe to repeat —
//! the one retry policy of every handle (`retry` option).
//!
//! Only what cannot spend anything twice is retried: a 429 (the server
//! refused before doing the work) for any method; a 502, 503 or 504, or a
//! connection failure, only for idempotent reads (GET). A 500 is not
//! retried (the server may have acted and failed after). Delays follow
//! `Retry-After` or `X-RateLimit-Reset` when the server gives one, else
//! exponential backoff with full jitter; attempts, the policy's total time
//! and the call's deadline all bound them. A server that asks for a wait
//! longer than `maxDelayMs`, or past the deadline, is not waited for: the
//! error (`rate_limited` for a 429) goes back at once with `retryAfter`.
//! On by default (3 attempts); `retry: false` turns it off.

use crate::error::{Error, ErrorKind, Result};
use crate::logging;
use crate::options::{optional_f64, optional_object, Options};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The `retry` option: `{maxAttempts, baseDelayMs, maxDelayMs, totalMs}`.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retry).
    pub max_attempts: u32,
    /// The first backoff step (doubled per attempt, with full jitter).
    pub base_delay: Duration,
    /// The longest wait between two attempts; a server asking for more
    /// gets `rate_limited` back instead.
    pub max_delay: Duration,
    /// No retry starts after this much time since the first attempt.
    pub total: Duration,
}

impl Default for RetryPolicy {
    /// The default policy: 3 attempts, 250 ms base, 10 s cap, 30 s in all.
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::none()
        }
    }
}

impl RetryPolicy {
    /// No retries.
    #[must_use]
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 1,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
            total: Duration::from_secs(30),
        }
    }

    /// Reads `retry`: absent, `null` or `true` for the default policy,
    /// `false` for none, or an object of `maxAttempts` (1..10),
    /// `baseDelayMs`, `maxDelayMs` and `totalMs`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidArgument`](crate::ErrorKind::InvalidArgument)
    /// naming the `retry` field that is out of range or ill-typed.
    // The float is range-checked (a whole number within bounds) before the cast.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn from_options(o: &Options) -> Result<RetryPolicy> {
        let mut p = RetryPolicy::default();
        match o.get("retry") {
            None | Some(serde_json::Value::Null | serde_json::Value::Bool(true)) => return Ok(p),
            Some(serde_json::Value::Bool(false)) => return Ok(RetryPolicy::none()),
            _ => {}
        }
        let r = optional_object(o, "retry", "retry option is not valid")?
            .cloned()
            .unwrap_or_default();
        let num = |key: &str, lo: f64, hi: f64| -> Result<Option<f64>> {
            let msg = format!("retry.{key} option is not valid ({lo} to {hi})");
            match optional_f64(&r, key, &msg)? {
                Some(v) if !(lo..=hi).contains(&v) => Err(Error::invalid_argument(msg)),
                other => Ok(other),
            }
        };
        p.max_attempts = num("maxAttempts", 1.0, 10.0)?.map_or(3, |v| v as u32);
        let millis = |key: &str, lo: f64, hi: f64| {
            let msg = format!("retry.{key} option is not valid ({lo} to {hi})");
            crate::options::millis_option(&r, key, lo..=hi, &msg)
        };
        if let Some(d) = millis("baseDelayMs", 1.0, 60_000.0)? {
            p.base_delay = d;
        }
        if let Some(d) = millis("maxDelayMs", 1.0, 300_000.0)? {
            p.max_delay = d;
        }
        if let Some(d) = millis("totalMs", 1.0, 3_600_000.0)? {
            p.total = d;
        }
        Ok(p)
    }

    /// Runs `attempt` until it succeeds, fails for good, or the policy is
    /// spent. `idempotent` allows retrying 502/503/504 and connection
    /// failures.
    ///
    /// # Errors
    ///
    /// The last attempt's error, when it is not worth retrying or the attempts
    /// (or the deadline) are spent.
    pub fn run<T>(&self, idempotent: bool, attempt: impl FnMut() -> Result<T>) -> Result<T> {
        self.run_until(idempotent, Instant::now() + self.total, attempt)
    }

    /// [`RetryPolicy::run`] where no wait may end after `deadline` (the
    /// call's own bound).
    pub(crate) fn run_until<T>(
        &self,
        idempotent: bool,
        deadline: Instant,
        mut attempt: impl FnMut() -> Result<T>,
    ) -> Result<T> {
        let started = Instant::now();
        let give_up = deadline.min(started + self.total);
        let mut n = 1;
        loop {
            let err = match attempt() {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            let retryable = match (err.kind(), err.status_code()) {
                // A rate limit; not a protocol answer sent as 429 (the
                // device grant's `slow_down` is the caller's to handle).
                (ErrorKind::Server, Some(429)) => {
                    err.code() == crate::transport::http::RATE_LIMITED
                }
                (ErrorKind::Server, Some(502..=504)) => idempotent,
                // Refused or reset connections; a timeout has spent the
                // deadline already.
                (ErrorKind::Network, None) => idempotent && err.code() == "network_error",
                _ => false,
            };
            if !retryable || n >= self.max_attempts {
                return Err(err);
            }
            let delay = match server_wait(&err) {
                // Waiting longer than the policy allows is the caller's
                // decision, with `retryAfter` in hand.
                Some(wait) if wait > self.max_delay => {
                    log::warn!(target: logging::RETRY, "not retrying: the server asks for a wait of {} s, more than maxDelayMs ({})", wait.as_secs(), logging::error(&err));
                    return Err(err);
                }
                Some(wait) => wait,
                None => self.backoff(n),
            };
            if Instant::now() + delay >= give_up {
                log::warn!(target: logging::RETRY, "not retrying: a wait of {} ms would pass the call's deadline ({})", delay.as_millis(), logging::error(&err));
                return Err(err);
            }
            log::warn!(target: logging::RETRY, "attempt {n} of {} failed ({}); retrying in {} ms", self.max_attempts, logging::error(&err), delay.as_millis());
            std::thread::sleep(delay);
            n += 1;
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.max_delay);
        // Full jitter: uniform in [0, ceiling].
        let r = crate::random::bytes(4).map_or(u32::MAX / 2, |b| {
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        });
        ceiling.mul_f64(f64::from(r) / f64::from(u32::MAX))
    }
}

/// The wait the server asked for: `Retry-After` seconds, else the time
/// until `X-RateLimit-Reset` (Unix seconds).
fn server_wait(err: &Error) -> Option<Duration> {
    if let Some(secs) = err.retry_after() {
        return Some(Duration::from_secs(secs));
    }
    let reset = err.rate_limit_reset()?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(reset.saturating_sub(now)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn fast() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            total: Duration::from_secs(5),
        }
    }

    fn status(s: u16) -> Error {
        let e = Error::new(ErrorKind::Server, "x").with_status_code(s);
        if s == 429 {
            e.with_code(crate::transport::http::RATE_LIMITED)
        } else {
            e
        }
    }

    #[test]
    fn a_429_is_retried_for_any_method() {
        let calls = Cell::new(0);
        let r = fast().run(false, || {
            calls.set(calls.get() + 1);
            if calls.get() < 3 {
                Err(status(429))
            } else {
                Ok(7)
            }
        });
        assert_eq!((r.unwrap(), calls.get()), (7, 3));
    }

    #[test]
    fn a_protocol_answer_sent_as_429_is_not_retried() {
        let calls = Cell::new(0);
        let _: Result<()> = fast().run(true, || {
            calls.set(calls.get() + 1);
            Err(Error::new(ErrorKind::Server, "slow down")
                .with_code("slow_down")
                .with_status_code(429))
        });
        assert_eq!(calls.get(), 1);
    }

    #[test]
    fn a_5xx_is_retried_only_when_idempotent() {
        let calls = Cell::new(0);
        let r: Result<()> = fast().run(false, || {
            calls.set(calls.get() + 1);
            Err(status(503))
        });
        assert_eq!((r.unwrap_err().status_code(), calls.get()), (Some(503), 1));
        calls.set(0);
        let _: Result<()> = fast().run(true, || {
            calls.set(calls.get() + 1);
            Err(status(503))
        });
        assert_eq!(calls.get(), 3);
    }

    #[test]
    fn client_errors_are_never_retried() {
        let calls = Cell::new(0);
        let _: Result<()> = fast().run(true, || {
            calls.set(calls.get() + 1);
            Err(status(400))
        });
        assert_eq!(calls.get(), 1);
    }

    #[test]
    fn the_total_time_bounds_retries() {
        let p = RetryPolicy {
            total: Duration::from_millis(1),
            max_delay: Duration::from_secs(2),
            ..fast()
        };
        let calls = Cell::new(0);
        let _: Result<()> = p.run(true, || {
            calls.set(calls.get() + 1);
            Err(status(429).with_rate_limit(Some(1), None))
        });
        assert_eq!(calls.get(), 1, "a 1 s Retry-After does not fit in 1 ms");
    }

    #[test]
    fn a_500_and_client_errors_are_not_retried_even_for_reads() {
        let calls = Cell::new(0);
        let _: Result<()> = fast().run(true, || {
            calls.set(calls.get() + 1);
            Err(status(500))
        });
        assert_eq!(calls.get(), 1);
    }

    #[test]
    fn a_wait_longer_than_the_cap_is_not_slept() {
        let calls = Cell::new(0);
        let started = Instant::now();
        let r: Result<()> = fast().run(true, || {
            calls.set(calls.get() + 1);
            Err(status(429).with_rate_limit(Some(86_400), None))
        });
        assert_eq!(r.unwrap_err().retry_after(), Some(86_400));
        assert_eq!(calls.get(), 1);
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn a_rate_limit_reset_far_ahead_is_not_slept() {
        let calls = Cell::new(0);
        let in_an_hour = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 3600;
        let _: Result<()> = fast().run(false, || {
            calls.set(calls.get() + 1);
            Err(status(429).with_rate_limit(None, Some(in_an_hour)))
        });
        assert_eq!(calls.get(), 1);
    }

    #[test]
    fn no_wait_ends_past_the_deadline() {
        let calls = Cell::new(0);
        let p = RetryPolicy {
            base_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(5),
            ..fast()
        };
        // Backoff is jittered in [0, 5 s]; retry_after pins it.
        let _: Result<()> = p.run_until(true, Instant::now() + Duration::from_millis(100), || {
            calls.set(calls.get() + 1);
            Err(status(503).with_rate_limit(Some(1), None))
        });
        assert_eq!(calls.get(), 1);
    }

    #[test]
    fn retry_is_on_by_default_and_false_turns_it_off() {
        let o = serde_json::json!({});
        assert_eq!(
            RetryPolicy::from_options(o.as_object().unwrap()).unwrap(),
            RetryPolicy::default()
        );
        let o = serde_json::json!({"retry": false});
        assert_eq!(
            RetryPolicy::from_options(o.as_object().unwrap())
                .unwrap()
                .max_attempts,
            1
        );
    }

    #[test]
    fn the_option_is_validated() {
        let o = serde_json::json!({"retry": {"maxAttempts": 0}});
        let e = RetryPolicy::from_options(o.as_object().unwrap()).unwrap_err();
        assert!(e
            .description()
            .starts_with("retry.maxAttempts option is not valid"));
        let o = serde_json::json!({"retry": true});
        assert_eq!(
            RetryPolicy::from_options(o.as_object().unwrap())
                .unwrap()
                .max_attempts,
            3
        );
    }
}
