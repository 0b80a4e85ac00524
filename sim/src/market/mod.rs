//! The market: what trades, at what price, and when.
//!
//! - [`securities`]: the fixed universe of 38 US stocks and ETFs.
//! - [`options`]: the options listed on them (expirations, strikes, OSI symbols, ids, prices).
//! - [`instruments`]: a tradable thing, equity or option, as the order engine and the books
//!   see it.
//! - [`prices`]: the deterministic price model (quotes and candles as pure
//!   functions of the session second).
//! - [`clock`]: the simulated clock and the New York trading calendar
//!   (regular sessions, session seconds, closes).
//! - [`timestamps`]: ISO-8601 instants in the broker's style (formatting and
//!   parsing), independent of the simulated clock.

pub mod clock;
pub mod instruments;
pub mod options;
pub mod prices;
pub mod securities;
pub mod timestamps;
