//! The library as a C program sees it, driven from Rust through the C ABI: logins, requests,
//! trading, faults and the fault matrix, cancels meeting re-logins, keep-alive, lifecycle and
//! export, threads, TLS and proxies, and secrets kept out of logs and errors. Every test starts
//! its own simulator (or a canned server) on 127.0.0.1.

// Tests call `extern "C"` functions with pointers they own, as a C program would: a SAFETY note
// on each of those hundreds of calls would say the same thing every time.
#![allow(clippy::undocumented_unsafe_blocks)]

mod support;

mod broker;
mod chaos;
mod fault_matrix;
mod faults;
mod keepalive;
mod lifecycle;
mod login;
mod orders_checked;
mod redaction;
mod request;
mod streaming;
mod threads;
mod tls;
mod trading;
mod typed;
