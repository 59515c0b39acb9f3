//! What the library knows about tokens: `id_token` validation, the tenant's signing keys (JWKS),
//! DPoP key pairs and proofs, and the typed views of results (`id_token`
//! claims, profile, device code).

pub mod dpop;
// Not yet held to `clippy::pedantic` (14 findings left: casts, doc names).
#[allow(clippy::pedantic)]
pub(crate) mod id_token;
pub(crate) mod jwks;
pub(crate) mod results;
