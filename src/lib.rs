//! libetna: a native SDK for the ETNA Trader REST API.
//!
//! - [`core`]: the safe, blocking Rust client (sessions, login, requests, errors).
//! - [`ffi`]: the `extern "C"` layer behind `include/etna.h`.
//! - `sim` (feature `simulator`): a local ETNA server for demos and tests.

#![forbid(unsafe_op_in_unsafe_fn)]

pub mod core;
pub mod ffi;
#[cfg(feature = "simulator")]
pub mod sim;
