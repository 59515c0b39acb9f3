//! `libauth0_native.so` / `libauth0_native.a`: the core's C ABI
//! (`auth0_native::ffi`, header `include/auth0.h`), re-exported here so that
//! it is linked in a crate whose only outputs are a cdylib and a staticlib.
//! The core's own crate type is rlib alone: an rlib among the outputs makes
//! rustc keep every Rust-level public symbol, of the core and of all its
//! dependencies, alive through LTO, which left the `.so` ~330 KB larger and
//! made ~1 650 internal calls go through the GOT.

pub use auth0_native::ffi::*;
