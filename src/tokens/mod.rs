//! What the library knows about tokens: `id_token` validation, the tenant's signing keys (JWKS),
//! DPoP key pairs and proofs, and the typed views of results (`id_token`
//! claims, profile, device code).

pub(crate) mod claims;
pub mod dpop;
pub(crate) mod id_token;
pub(crate) mod jwks;
pub(crate) mod results;
