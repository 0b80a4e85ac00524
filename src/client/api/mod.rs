//! The typed trading API: accounts, orders, positions, transactions, securities, history,
//! watchlists, streamers.

pub mod encode;
pub(crate) mod decode;
pub mod order;

pub use encode::Page;
pub use order::NewOrder;
