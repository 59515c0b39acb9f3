//! Every network operation against the faults of the connection itself
//! that the dev tenant injects (`/__dev/faults`): an answer past the
//! deadline, no answer, a drip, a reset mid-body or before answering. The
//! faults that answer at once but wrongly are in tests/faults_answers.rs;
//! the table of operations and the runner are tests/common/fault_*.rs.
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
use fault_ops::{ANSWERED_MS, TIMEOUT_MS};
use serde_json::json;

/// The fault "latency past the deadline": the answer comes this long
/// after the request timeout (the client gives up first, so it costs no
/// time).
const LATENCY_MS: u64 = 2500;

use ErrorKind::{Network, Timeout};

fault_tests! {
    latency_past_the_deadline: Fault {
        name: "latency past the deadline",
        spec: || json!({"latency_ms": TIMEOUT_MS + LATENCY_MS}),
        handler_runs: true,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Timeout, None, "timeout"),
        timeout_ms: TIMEOUT_MS,
    };
    never_answering: Fault {
        name: "never answering",
        spec: || json!({"latency_ms": 600_000}),
        handler_runs: false,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Timeout, None, "timeout"),
        timeout_ms: TIMEOUT_MS,
    };
    dripping_one_byte_a_second: Fault {
        name: "one byte a second",
        spec: || json!({"drip_ms": 1000}),
        handler_runs: true,
        retried_for_reads_only: Some(false),
        expect: Expect::Error(Timeout, None, "timeout"),
        timeout_ms: TIMEOUT_MS,
    };
    reset_mid_body: Fault {
        name: "reset mid-body",
        spec: || json!({"truncate": true}),
        handler_runs: true,
        retried_for_reads_only: Some(true),
        expect: Expect::Error(Network, None, "network_error"),
        timeout_ms: ANSWERED_MS,
    };
    reset_before_answering: Fault {
        name: "reset before answering",
        spec: || json!({"drop": true}),
        handler_runs: false,
        retried_for_reads_only: Some(true),
        expect: Expect::Error(Network, None, "network_error"),
        timeout_ms: ANSWERED_MS,
    };
}
