//! What the library knows about tokens: the tenant's signing keys (JWKS),
//! DPoP key pairs and proofs, and the typed views of results (`id_token`
//! claims, profile, device code).

pub mod dpop;
pub(crate) mod jwks;
pub(crate) mod results;
