//! Quote messages, computed once per security and session second and shared by every
//! connection: each connection only appends its own send instant (`SimSentNs`).
//!
//! A quote shows the price model's bid, ask and last of the current session second (see
//! `market::prices`), deterministic bid and ask sizes, the session's volume so far, its `Open`
//! (the last price of its first second), `High` and `Low` (the highest ask and lowest bid of
//! its seconds so far, kept up incrementally), and `Close`, the previous session's last price.
//! `Date` is the start of the quote's second.
//!
//! Options (keyed by their option id) are quoted the same way from the option price model,
//! uncached, with `High` and `Low` sampled once a minute through the session (and the
//! current second), and sizes in contracts (1 to 50).

use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::lock;
use crate::market::clock::{self, SESSION_SECS};
use crate::market::options::OptionContract;
use crate::market::securities::Security;
use crate::streaming::messages::{Entity, Flat, quote_date};

/// A quote ready to send: everything up to the value of `SimSentNs`.
#[derive(Clone)]
pub struct Snapshot {
    /// `{"EntityType":"Quote",...,"SimSentNs":"` (the value and `"}` follow).
    pub prefix: Arc<str>,
    /// Bid, ask and last: a quote "moved" when one of them changed.
    pub prices: [f64; 3],
}

impl Snapshot {
    /// The message, stamped with the current instant.
    pub fn message(&self) -> String {
        let mut text = String::with_capacity(self.prefix.len() + 24);
        text.push_str(&self.prefix);
        text.push_str(&now_ns().to_string());
        text.push_str("\"}");
        text
    }
}

/// Nanoseconds since the Unix epoch, now.
pub fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// The cached quote of each security (by its position in the market's list).
pub struct QuoteBoard {
    cells: Vec<Mutex<Cell>>,
}

struct Cell {
    /// The session second of `snapshot`.
    second: i64,
    snapshot: Option<Snapshot>,
    /// The session `high` and `low` belong to, and the last second they include.
    session: i64,
    through: i64,
    high: f64,
    low: f64,
}

impl QuoteBoard {
    /// A board for `count` securities.
    pub fn new(count: usize) -> QuoteBoard {
        let cells = (0..count)
            .map(|_| {
                Mutex::new(Cell {
                    second: i64::MIN,
                    snapshot: None,
                    session: i64::MIN,
                    through: i64::MIN,
                    high: f64::NEG_INFINITY,
                    low: f64::INFINITY,
                })
            })
            .collect();
        QuoteBoard { cells }
    }

    /// The quote of `sec` (at position `index` of the market's list) in session second
    /// `second`.
    pub fn get(&self, sec: &Security, index: usize, second: i64) -> Snapshot {
        let mut cell = lock(&self.cells[index]);
        if cell.second == second
            && let Some(snapshot) = &cell.snapshot
        {
            return snapshot.clone();
        }
        let session = clock::session_index(second);
        let first = session * SESSION_SECS;
        if cell.session != session || cell.through > second {
            cell.session = session;
            cell.through = first - 1;
            cell.high = f64::NEG_INFINITY;
            cell.low = f64::INFINITY;
        }
        for s in cell.through + 1..=second {
            let q = sec.quote_at(s);
            cell.high = cell.high.max(q.ask);
            cell.low = cell.low.min(q.bid);
        }
        cell.through = second;
        let q = sec.quote_at(second);
        let (bid_size, ask_size) = sec.sizes_at(second);
        let mut prefix = Flat::new(Entity::Quote, sec.id)
            .s("Symbol", sec.symbol)
            .n("Bid", q.bid)
            .n("Ask", q.ask)
            .n("Last", q.last)
            .i("BidSize", bid_size as i64)
            .i("AskSize", ask_size as i64)
            .i("Volume", q.volume as i64)
            .n("Open", sec.quote_at(first).last)
            .n("High", cell.high)
            .n("Low", cell.low)
            .n("Close", sec.quote_at(first - 1).last)
            .s("Date", &quote_date(clock::instant_of_second(second)))
            .open_text();
        prefix.push_str(",\"SimSentNs\":\"");
        let snapshot = Snapshot {
            prefix: prefix.into(),
            prices: [q.bid, q.ask, q.last],
        };
        cell.second = second;
        cell.snapshot = Some(snapshot.clone());
        snapshot
    }
}

/// The quote of an option in a session second.
pub fn option_snapshot(c: &OptionContract, second: i64) -> Snapshot {
    let session = clock::session_index(second);
    let first = session * SESSION_SECS;
    let q = c.quote_at(second);
    let (mut high, mut low) = (q.ask, q.bid);
    let mut s = first;
    while s < second {
        let sample = c.quote_at(s);
        high = high.max(sample.ask);
        low = low.min(sample.bid);
        s += 60;
    }
    let (bid_size, ask_size) = c.underlying.sizes_at(second);
    let mut prefix = Flat::new(Entity::Quote, c.id())
        .s("Symbol", &c.symbol())
        .n("Bid", q.bid)
        .n("Ask", q.ask)
        .n("Last", q.last)
        .i("BidSize", (bid_size / 100.0) as i64)
        .i("AskSize", (ask_size / 100.0) as i64)
        .i("Volume", q.volume as i64)
        .n("Open", c.quote_at(first).last)
        .n("High", high)
        .n("Low", low)
        .n("Close", c.quote_at(first - 1).last)
        .s("Date", &quote_date(clock::instant_of_second(second)))
        .open_text();
    prefix.push_str(",\"SimSentNs\":\"");
    Snapshot {
        prefix: prefix.into(),
        prices: [q.bid, q.ask, q.last],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::securities::Market;
    use crate::streaming::messages::decimal;

    #[test]
    fn quotes_are_cached_per_second_and_well_formed() {
        let market = Market::universe();
        let board = QuoteBoard::new(market.all().len());
        let aapl = &market.all()[0];
        let s = 12_345 * SESSION_SECS + 600;
        let a = board.get(aapl, 0, s);
        assert!(Arc::ptr_eq(&a.prefix, &board.get(aapl, 0, s).prefix));
        let text = a.message();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let fields = v.as_object().unwrap();
        assert!(fields.values().all(|v| v.is_string()), "{text}");
        let num = |k: &str| v[k].as_str().unwrap().parse::<f64>().unwrap();
        assert!(num("Bid") < num("Ask"), "{text}");
        assert!(
            num("Low") <= num("Bid") && num("High") >= num("Ask"),
            "{text}"
        );
        assert_eq!(v["Bid"].as_str().unwrap(), decimal(a.prices[0]));
        assert!(num("SimSentNs") > 1.7e18, "{text}");
        assert_eq!(v["Key"], "1");
        assert_eq!(v["Symbol"], "AAPL");
        // High and Low only widen through a session.
        let b = board.get(aapl, 0, s + 60);
        let w: serde_json::Value = serde_json::from_str(&b.message()).unwrap();
        let num_w = |k: &str| w[k].as_str().unwrap().parse::<f64>().unwrap();
        assert!(num_w("High") >= num("High") && num_w("Low") <= num("Low"));
        assert_eq!(w["Open"], v["Open"]);
    }
}
