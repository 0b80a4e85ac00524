//! The broker's answers as typed values: orders, positions, balances, accounts, the user,
//! transactions, securities, candles, watchlists, previews, streamers. Strings borrow from the
//! answer's text where they can; every item keeps its own JSON (`listing::Item::json`), so a
//! field the library does not read is never lost.
//!
//! Reading is lenient field by field (`convert`) and strict about the JSON itself: an answer
//! that is not JSON is a protocol error, a field of an unexpected type reads as unknown.
//!
//! The two hot paths have readers of their own, for plain JSON only: orders on a page (`scan`,
//! `Order::scan`) and the streamers' flat messages (`flat::fields`, `Quote::flat`, with a quote's
//! prices and sizes read a word at a time by `digits`; a stream's quotes after its first by the
//! layout of those before them, `shape`, `Quote::flat_by`). Each field still reads as `convert`
//! reads it; whatever they cannot read exactly as serde would is left to serde.

pub mod account;
pub mod alerts;
pub mod convert;
pub mod digits;
pub mod flat;
pub mod listing;
pub mod market;
pub mod options;
pub mod order;
pub mod portfolio;
pub mod preview;
pub mod quote;
pub mod record;
pub mod research;
pub mod scan;
pub mod shape;
pub mod streamer;
pub mod time;
pub mod watchlist;

pub use account::{Account, User};
pub use alerts::PriceAlert;
pub use convert::Named;
pub use listing::{Item, Listing};
pub use market::{Candle, Security};
pub use options::{Expiration, OptionContract};
pub use order::Order;
pub use portfolio::{Balances, Position, Transaction};
pub use preview::Preview;
pub use quote::{Quote, StreamedBalances, WatchlistContent};
pub use record::{Field, FieldKind, Record};
pub use research::{HistoryPoint, News, OrderDetail, PositionGroup};
pub use streamer::Streamer;
pub use watchlist::Watchlist;

#[cfg(test)]
mod samples;

/// `n` damaged copies of `text` (a byte dropped, doubled, or replaced by one of `bytes`), from a
/// fixed sequence, those still UTF-8: for checking that a fast reader accepts nothing serde
/// refuses.
#[cfg(test)]
fn damaged(text: &str, bytes: &[u8], n: usize) -> impl Iterator<Item = String> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let text = text.as_bytes().to_vec();
    (0..n).filter_map(move |_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut b = text.clone();
        let at = (x % b.len() as u64) as usize;
        match (x >> 32) % 3 {
            0 => drop(b.remove(at)),
            1 => b.insert(at, b[at]),
            _ => b[at] = bytes[(x >> 40) as usize % bytes.len()],
        }
        String::from_utf8(b).ok()
    })
}
