//! The simulator's tests, over HTTP against `etna_sim::Simulator` and through
//! the `etna-sim` program, and over WebSocket against its streamers: one
//! module per area, one shared `support` module.

mod binary;
mod faults;
mod load;
mod market;
mod orders;
mod paging;
mod protocol;
mod routes;
mod session;
mod streaming;
mod support;
mod watchlists;
