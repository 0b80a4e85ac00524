//! An account's value over time, rebuilt from its transactions and the price model: the
//! cash and positions it had at an instant (every transaction dated at or before it
//! replayed), valued at that instant's last prices. Before the simulator started that is
//! the starting book (deposits and transfers dated 2024-01-02) moving with the market, so it
//! is deterministic; afterwards it is what the account really did.

use std::collections::BTreeMap;

use crate::market::clock::Ticks;
use crate::market::prices::cents;
use crate::market::securities::Market;
use crate::trading::portfolio::Book;

/// The account's equity (cash plus positions at their last prices) at each of `instants`
/// (ascending).
pub fn equity_at(book: &Book, market: &Market, instants: &[Ticks]) -> Vec<f64> {
    let mut txns: Vec<_> = book.transactions.iter().collect();
    txns.sort_by_key(|t| (t.date, t.id));
    let mut next = 0;
    let mut cash = 0.0;
    // Security id → (signed quantity, multiplier).
    let mut held: BTreeMap<i64, (f64, f64)> = BTreeMap::new();
    instants
        .iter()
        .map(|&at| {
            while next < txns.len() && txns[next].date <= at {
                let t = txns[next];
                let fee = t.fee.as_ref().map_or(0.0, |f| f.value);
                cash = cents(cash + t.value - fee);
                if t.security_id >= 0 && t.delta != 0.0 {
                    let entry = held.entry(t.security_id).or_insert((0.0, t.multiplier));
                    entry.0 += t.delta;
                    if entry.0.abs() < 1e-9 {
                        held.remove(&t.security_id);
                    }
                }
                next += 1;
            }
            let positions: f64 = held
                .iter()
                .filter_map(|(&id, &(qty, mult))| {
                    Some(qty * market.instrument(id)?.quote(at).last * mult)
                })
                .sum();
            cents(cash + positions)
        })
        .collect()
}

/// When the account opened: its first transaction.
pub fn opened(book: &Book) -> Option<Ticks> {
    book.transactions.iter().map(|t| t.date).min()
}
