//! libetna: a native SDK for the ETNA Trader REST API.
//!
//! - [`client`]: the safe, blocking Rust client (sessions, login, requests, errors).
//! - [`ffi`]: the `extern "C"` layer behind `include/etna.h`.
//!
//! The simulator the demo and the tests trade against is the workspace's `etna-sim` crate.

pub mod client;
pub mod ffi;
