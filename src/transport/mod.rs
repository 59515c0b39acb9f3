//! The wire: the one HTTP client of a handle and how its answers become
//! results or errors, retries, the `Auth0-Client` telemetry value, query
//! strings as auth0.js writes them, the tenant's address, and the bit of
//! HTML reading the redirect flows need.

pub(crate) mod domain;
pub(crate) mod html_form;
pub(crate) mod http;
pub(crate) mod query;
pub(crate) mod retry;
pub mod telemetry;
