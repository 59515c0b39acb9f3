//! Every network operation against the faults of the dev tenant
//! (`/__dev/faults`) that answer at once but wrongly: an oversize body,
//! 500/502/503, a 429 (retried once, or past the policy), an HTML or
//! empty 200. The faults of the connection itself (latency, no answer,
//! drip, reset) are in tests/faults_connection.rs; the table of operations
//! and the runner are tests/common/fault_*.rs.
//!
//! Each case checks the typed error (kind, status, code; for the
//! credentials manager `renew_failed` with the request's code as `cause`),
//! that it came within the operation's deadline (a bound with a margin for
//! a loaded machine, not a speed test, and below the late answer's
//! latency), how many requests reached the faulted endpoint (the dev
//! tenant's request log: the retry policy of src/retry.rs — reads retried
//! on 502/503/504 and on a broken connection, a 429 retried for any call,
//! nothing else: a single-use grant such as an MFA answer or a rotating
//! refresh token is never sent twice), and what is left behind: a failed
//! renewal leaves the store's blob as it was, the same operation run
//! again once the fault is gone succeeds (unless the server spent its
//! single-use code, user, mfa_token or identity), or, for a callback, the
//! transaction is kept exactly when the server cannot have acted on it.

mod common;
#[path = "common/fault_ops.rs"]
mod fault_ops;
#[path = "common/fault_ops_mfa.rs"]
mod fault_ops_mfa;
#[path = "common/interactive.rs"]
mod interactive;
#[macro_use]
#[path = "common/fault_cases.rs"]
mod fault_cases;

use auth0_native::ErrorKind;
use fault_cases::{run_fault, Expect, Fault};
use fault_ops::ANSWERED_MS;
use serde_json::json;

use ErrorKind::Server;

fault_tests! {
    oversize: Fault {
        name: "oversize",
        spec: || json!({"oversize_bytes": 2 * 1024 * 1024}),
        handler_runs: true,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Server, Some(200), "response_too_large"),
        timeout_ms: ANSWERED_MS,
    };
    status_500: Fault {
        name: "500",
        spec: || json!({"status": 500}),
        handler_runs: false,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Server, Some(500), "server_error"),
        timeout_ms: ANSWERED_MS,
    };
    status_502: Fault {
        name: "502",
        spec: || json!({"status": 502}),
        handler_runs: false,
        retried_for_reads_only: Some(true),
        expect: Expect::Error(Server, Some(502), "server_error"),
        timeout_ms: ANSWERED_MS,
    };
    status_503: Fault {
        name: "503",
        spec: || json!({"status": 503}),
        handler_runs: false,
        retried_for_reads_only: Some(true),
        expect: Expect::Error(Server, Some(503), "server_error"),
        timeout_ms: ANSWERED_MS,
    };
    // The wait may not pass the call's own deadline: a timeout that
    // leaves room for it.
    rate_limited_then_answered: Fault {
        name: "429 with Retry-After: 1, once",
        timeout_ms: 4000,
        spec: || json!({"status": 429, "retry_after": 1, "count": 1}),
        handler_runs: false,
        retried_for_reads_only: None,
        expect: Expect::RetriedThenOk,
    };
    rate_limited_past_the_policy: Fault {
        name: "429 with Retry-After: 60",
        spec: || json!({"status": 429, "retry_after": 60}),
        handler_runs: false,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Server, Some(429), "rate_limited"),
        timeout_ms: ANSWERED_MS,
    };
    html_200: Fault {
        name: "an HTML 200",
        spec: || json!({"body": "<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>"}),
        handler_runs: false,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Server, Some(200), "invalid_response"),
        timeout_ms: ANSWERED_MS,
    };
    empty_200: Fault {
        name: "an empty 200",
        spec: || json!({"body": "", "content_type": "application/json"}),
        handler_runs: false,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Server, Some(200), "invalid_response"),
        timeout_ms: ANSWERED_MS,
    };
}
