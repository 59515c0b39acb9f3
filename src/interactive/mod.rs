//! The interactive login of native apps (`interactive` feature, except
//! [`cancel`]): `popup.authorize`, the loopback redirect listener, opening
//! the system browser, and the token that ends a wait from another thread.

pub(crate) mod cancel;
#[cfg(feature = "interactive")]
pub(crate) mod loopback;
#[cfg(feature = "interactive")]
pub(crate) mod opener;
#[cfg(feature = "interactive")]
pub(crate) mod popup;
