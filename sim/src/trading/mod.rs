//! The broker behind the API: its state, its order engine and its books.
//!
//! - [`broker`]: the mutable state (books, orders, id counters) and the demo
//!   accounts' starting money and positions.
//! - [`orders`]: the order enums, the order record and the requests that
//!   create and change orders.
//! - [`order_checks`]: the checks an order goes through, the estimate preview
//!   answers and the verify model.
//! - [`engine`]: acceptance, triggers, fills and expiry, replayed lazily up
//!   to the simulated now.
//! - [`portfolio`]: each account's cash, positions and transactions, and
//!   fills booked to them.
//! - [`balances`]: the balance numbers computed from a book.
//! - [`history`]: an account's value over time, rebuilt from its transactions.

pub mod balances;
pub mod broker;
pub mod engine;
pub mod history;
pub mod order_checks;
pub mod orders;
pub mod portfolio;
