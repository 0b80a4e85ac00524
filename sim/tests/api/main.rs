//! The simulator's tests, over HTTP against `etna_sim::Simulator` and through
//! the `etna-sim` program, and over WebSocket against its streamers: one
//! module per area, one shared `support` module.

mod account_history;
mod alerts;
mod binary;
mod faults;
mod load;
mod market;
mod news;
mod options;
mod order_details;
mod orders;
mod paging;
mod protocol;
mod records;
mod routes;
mod session;
mod streaming;
mod support;
mod watchlists;
