//! The login flows and grants over the network, one file per operation
//! family: password login and `parseHash` (`authentication`), `userInfo`,
//! the callback `/authorize` sends back, database signup and password
//! change, passwordless, Organizations invitation links, the headless
//! redirect walks, the device flow, MFA, pushed authorization requests,
//! and the refresh/revoke grants.

pub(crate) mod authentication;
pub(crate) mod callback;
pub(crate) mod dbconnection;
pub(crate) mod device;
pub(crate) mod grant_types;
pub(crate) mod headless;
pub mod mfa;
pub(crate) mod organization;
pub(crate) mod par;
pub(crate) mod passwordless;
pub(crate) mod token_grants;
pub(crate) mod user_info;
