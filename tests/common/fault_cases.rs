//! The fault tests' two tables' meeting point: the table of operations,
//! what a fault must come back as, and the runner that puts every
//! operation through one fault (tests/faults_*.rs hold the faults).

use crate::fault_ops::*;
use crate::fault_ops_mfa::*;
use auth0_devtenant::{Config, DevTenant};
use auth0_native::ErrorKind;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use ErrorKind::Server;

pub const OPS: &[Op] = &[
    Op {
        name: "login",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_login,
    },
    Op {
        name: "userInfo",
        path: "/userinfo",
        read: true,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_user_info,
    },
    Op {
        name: "parseHash (JWKS)",
        path: "/.well-known/jwks.json",
        read: true,
        bound_timeouts: 1,
        again: Again::TransactionKeptIfServerDidNotAct,
        walk: false,
        wrapped: None,
        setup: op_parse_hash_jwks,
    },
    Op {
        name: "parseHash (code exchange)",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 1,
        again: Again::TransactionKeptIfServerDidNotAct,
        walk: false,
        wrapped: None,
        setup: op_parse_hash_code,
    },
    Op {
        name: "signup",
        path: "/dbconnections/signup",
        read: false,
        bound_timeouts: 1,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_signup,
    },
    Op {
        name: "changePassword",
        path: "/dbconnections/change_password",
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_change_password,
    },
    Op {
        name: "passwordlessStart",
        path: "/passwordless/start",
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_passwordless_start,
    },
    Op {
        name: "passwordlessVerify",
        path: "/passwordless/verify",
        read: false,
        bound_timeouts: 4,
        again: Again::SucceedsIfUnhandled,
        walk: true,
        wrapped: None,
        setup: op_passwordless_verify,
    },
    Op {
        name: "headless login",
        path: "/usernamepassword/login",
        read: false,
        bound_timeouts: 4,
        again: Again::Succeeds,
        walk: true,
        wrapped: None,
        setup: op_headless_login,
    },
    Op {
        name: "renewAuth",
        path: "/authorize",
        read: true,
        bound_timeouts: 4,
        again: Again::Succeeds,
        walk: true,
        wrapped: None,
        setup: op_renew_auth,
    },
    Op {
        name: "device poll",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 3,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_device_poll,
    },
    Op {
        name: "Management getUser",
        path: USER_PATH,
        read: true,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_get_user,
    },
    Op {
        name: "Management patchUserMetadata",
        path: USER_PATH,
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_patch_user,
    },
    Op {
        name: "Management linkUser",
        path: IDENTITIES_PATH,
        read: false,
        bound_timeouts: 1,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_link_user,
    },
    Op {
        name: "Management unlinkUser",
        // (the identity's own path, known once it is linked)
        path: IDENTITIES_PATH,
        read: false,
        bound_timeouts: 1,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_unlink_user,
    },
    Op {
        name: "MFA challenge",
        path: "/mfa/challenge",
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_mfa_challenge,
    },
    Op {
        name: "MFA verify (OTP)",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 1,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_mfa_otp,
    },
    Op {
        name: "MFA verify (recovery code)",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 1,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_mfa_recovery_code,
    },
    Op {
        name: "MFA verify (out-of-band)",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 1,
        again: Again::SucceedsIfUnhandled,
        walk: false,
        wrapped: None,
        setup: op_mfa_oob,
    },
    Op {
        name: "MFA authenticators",
        path: "/mfa/authenticators",
        read: true,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_mfa_authenticators,
    },
    Op {
        name: "MFA associate",
        path: "/mfa/associate",
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: None,
        setup: op_mfa_associate,
    },
    // A rotating refresh token is single use: never retried but for a 429.
    // With the tenant's reuse interval, a renewal the tenant acted on but
    // whose answer was lost can be made again with the kept token.
    Op {
        name: "credentials renewal",
        path: "/oauth/token",
        read: false,
        bound_timeouts: 1,
        again: Again::Succeeds,
        walk: false,
        wrapped: Some("renew_failed"),
        setup: op_renewal,
    },
];

// ----------------------------------------------------------------- faults

/// What a fault must come back as.
// (Each tests/faults_*.rs builds only the variants its faults need.)
#[allow(dead_code)]
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// This kind, status and code.
    Error(ErrorKind, Option<u16>, &'static str),
    /// Success: the fault met a body the operation never reads.
    Ok,
    /// Success after the policy's retry (a 429 with a short Retry-After).
    RetriedThenOk,
}

pub struct Fault {
    pub name: &'static str,
    /// The fault's fields besides `path` (`count` is set per case).
    pub spec: fn() -> Value,
    /// Whether the tenant's handler runs (so a single-use thing is spent).
    pub handler_runs: bool,
    /// Whether the policy repeats it: `Some(true)` for reads only (502,
    /// 503, a broken connection), `Some(false)` never, `None` for every
    /// call (a 429).
    pub retried_for_reads_only: Option<bool>,
    pub expect: Expect,
    /// The handles' request timeout for this fault.
    pub timeout_ms: u64,
}

/// One fault and the operation it is run with.
pub fn run_case(t: &DevTenant, op: &Op, fault: &Fault) {
    clear(t);
    let Prepared {
        mut call,
        path,
        state,
    } = (op.setup)(t);
    let path = path.unwrap_or_else(|| op.path.to_owned());
    clear(t);
    let before = state.as_ref().map(|read| read());
    let mut spec = (fault.spec)();
    spec["path"] = json!(path);
    // Enough for every attempt to meet it (a 429 meets one only).
    if spec.get("count").is_none() {
        spec["count"] = json!(10);
    }
    dev(t, reqwest::Method::POST, "faults", Some(spec));
    let started = Instant::now();
    let r = call();
    let elapsed = started.elapsed();
    let case = format!("{} / {}", op.name, fault.name);

    let (expect, attempts) = expectation(op, fault);
    let bound = Duration::from_millis(fault.timeout_ms * op.bound_timeouts as u64);
    // A retry after Retry-After: 1 adds its second, and each attempt has
    // the request timeout.
    let bound = match expect {
        Expect::RetriedThenOk => bound + Duration::from_secs(1),
        Expect::Error(..) | Expect::Ok => bound,
    };
    assert!(
        elapsed < bound + MARGIN + device_wait(op),
        "{case}: took {elapsed:?}, bound {bound:?}"
    );

    let first_error = match (expect, &r) {
        (Expect::Error(kind, status, code), Err(e)) => {
            let (kind, outer) = match op.wrapped {
                Some(outer) => (ErrorKind::Credentials, outer),
                None => (kind, code),
            };
            assert_eq!(
                (e.kind(), e.status_code(), e.code()),
                (kind, status, outer),
                "{case}: {e}"
            );
            if op.wrapped.is_some() {
                assert_eq!(e.cause(), Some(code), "{case}: cause of {e}");
            }
            if code == "rate_limited" {
                let asked = (fault.spec)()["retry_after"].as_u64();
                assert_eq!(e.retry_after(), asked, "{case}: retryAfter");
            }
            Some(e.clone())
        }
        (Expect::RetriedThenOk, Ok(())) => {
            assert!(
                elapsed >= Duration::from_millis(900),
                "{case}: Retry-After was not waited for ({elapsed:?})"
            );
            None
        }
        (Expect::Ok, Ok(())) => None,
        (want, got) => panic!("{case}: wanted {want:?}, got {got:?}"),
    };
    let reached = hits(t, &path);
    assert_eq!(reached, attempts, "{case}: requests that reached {path}");

    // What is left behind, with the fault gone.
    let Some(first_error) = first_error else {
        return;
    };
    if let (Some(read), Some(before)) = (&state, &before) {
        // (Compared, never printed: the blob holds the tokens.)
        assert!(
            read() == *before,
            "{case}: the failed call changed what is stored"
        );
    }
    clear(t);
    let again = call();
    match op.again {
        Again::Succeeds => {
            assert!(again.is_ok(), "{case}: run again: {:?}", again.err())
        }
        Again::SucceedsIfUnhandled => {
            if !fault.handler_runs {
                assert!(again.is_ok(), "{case}: run again: {:?}", again.err());
            }
        }
        Again::TransactionKeptIfServerDidNotAct => {
            let kept = match first_error.kind() {
                ErrorKind::Network | ErrorKind::Timeout => true,
                ErrorKind::Server => matches!(first_error.status_code(), Some(502..=504)),
                _ => false,
            } || op.read;
            let mismatch = again
                .as_ref()
                .err()
                .is_some_and(|e| e.description().contains("`state` does not match"));
            assert_eq!(
                !mismatch,
                kept,
                "{case}: transaction kept: {}, run again: {:?}",
                !mismatch,
                again.err()
            );
            // (A JWKS that could not be fetched is remembered for a few
            // seconds, so only the exchange is run to its end.)
            if kept && !fault.handler_runs && !op.read {
                assert!(again.is_ok(), "{case}: run again: {:?}", again.err());
            }
        }
    }
}

/// What `fault` must come back as for `op`, and how many requests reach
/// the faulted endpoint (the retry policy).
pub fn expectation(op: &Op, fault: &Fault) -> (Expect, usize) {
    let mut expect = fault.expect;
    let attempts = match fault.retried_for_reads_only {
        Some(true) if op.read => ATTEMPTS,
        Some(_) => 1,
        None => 2,
    };
    if op.walk {
        expect = match expect {
            Expect::Error(Server, Some(200), "invalid_response") => {
                Expect::Error(Server, Some(200), "interaction_required")
            }
            other => other,
        };
    }
    if op.path == "/authorize" {
        // A redirect: its status and Location are the answer; a body that
        // drips is never waited for, one that is too large still counts.
        expect = match (fault.name, expect) {
            ("one byte a second", _) => Expect::Ok,
            (_, Expect::Error(kind, Some(200), "response_too_large")) => {
                Expect::Error(kind, Some(302), "response_too_large")
            }
            (_, other) => other,
        };
    }
    if op.name == "Management linkUser" {
        // Its real answer, padded, is a 201 Created.
        if let Expect::Error(kind, Some(200), "response_too_large") = expect {
            expect = Expect::Error(kind, Some(201), "response_too_large");
        }
    }
    (expect, attempts)
}

/// The device poll waits its interval (a second) before it polls.
pub fn device_wait(op: &Op) -> Duration {
    if op.name == "device poll" {
        Duration::from_secs(2)
    } else {
        Duration::ZERO
    }
}

/// Every operation through `fault`; the failures of all cases are
/// reported together.
pub fn run_fault(fault: &Fault) {
    let t = DevTenant::start_with(Config {
        device_interval_secs: 1,
        // Auth0's reuse interval: a refresh token rotated by a renewal
        // whose answer was lost is accepted again for a while.
        refresh_reuse_interval_secs: 60,
        ..Config::default()
    })
    .expect("dev tenant starts");
    TIMEOUT.with(|c| c.set(fault.timeout_ms));
    let failed: Vec<String> = OPS
        .iter()
        .filter_map(|op| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_case(&t, op, fault)))
                .err()
                .map(|p| {
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_else(|| format!("{}: panicked", op.name))
                })
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n{}",
        failed.len(),
        OPS.len(),
        failed.join("\n")
    );
}

macro_rules! fault_tests {
    ($($test:ident: $fault:expr;)*) => {$(
        #[test]
        fn $test() {
            run_fault(&$fault);
        }
    )*};
}
