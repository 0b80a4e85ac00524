//! The HTTP side: everything between the socket and a route handler.
//!
//! - [`server`]: the listener, one thread per keep-alive connection, and the
//!   path each request takes (admin route, fault, or recorded, counted and
//!   routed).
//! - [`wire`]: reading a request and writing a response, HTTP/1.1.
//! - [`misbehave`]: what a fault rule does to a request on the wire.
//! - [`router`]: matching the route table, the app key and bearer checks,
//!   and what a handler gets ([`router::Call`]).
//! - [`reply`]: what a handler answers, and the broker's shared error bodies.
//! - [`body`]: binding JSON request bodies the way the broker does.
//! - [`paging`] and [`filter`]: the paging, sorting and `filter` query
//!   parameters of the list routes.
//! - [`xlsx`]: the spreadsheet file an export answers.

pub mod body;
pub mod filter;
pub mod misbehave;
pub mod paging;
pub mod reply;
pub mod router;
pub mod server;
pub mod wire;
pub mod xlsx;
