//! The broker's mutable state (books, orders, id counters) and the demo
//! accounts' starting money and positions.
//!
//! Starting books (deposits dated 2024-01-02):
//!
//! | account | owner | type   | cash    | positions                    |
//! |---------|-------|--------|---------|------------------------------|
//! | 1001    | alice | Cash   | 100,000 | 100 AAPL @ 150, 200 F @ 11.50 |
//! | 1002    | alice | Margin | 100,000 | –                            |
//! | 1003    | bob   | Margin | 50,000  | 50 MSFT @ 380                |
//! | 1004    | carol | Cash   | 25,000  | –                            |
//! | 1005    | dave  | Cash   | 10,000  | –                            |
//! | 1006    | erin  | Cash   | 10,000  | –                            |

use std::ops::{Deref, DerefMut};
use std::sync::MutexGuard;

use crate::market::clock::{self, Ticks};
use crate::market::securities::Market;
use crate::market::timestamps;
use crate::streaming::{self, messages};
use crate::trading::engine;
use crate::trading::orders::Order;
use crate::trading::portfolio::{Book, Ids};
use crate::users::Account;
use crate::{State, lock};

pub struct Broker {
    pub books: Vec<Book>,
    /// Every order of every account, oldest first.
    pub orders: Vec<Order>,
    pub order_ids: Ids,
    pub txn_ids: Ids,
    pub position_ids: Ids,
    /// Orders answered with 200 `OrderResource` (later rejects included).
    pub orders_accepted: u64,
    /// What changed for the data streamer since the broker was last unlocked, in order.
    pub changes: Vec<Change>,
}

/// A change the data streamer publishes.
pub enum Change {
    /// A message ready to go (an order's new state, a position after a fill).
    Event(messages::Event),
    /// A fill moved this account's money: its balances and its owner's are published.
    Balances { account_id: i64 },
}

/// (symbol, quantity, average price)
type Holding = (&'static str, f64, f64);

/// (account, cash, holdings)
const STARTING: &[(i64, f64, &[Holding])] = &[
    (
        1001,
        100_000.0,
        &[("AAPL", 100.0, 150.0), ("F", 200.0, 11.5)],
    ),
    (1002, 100_000.0, &[]),
    (1003, 50_000.0, &[("MSFT", 50.0, 380.0)]),
    (1004, 25_000.0, &[]),
    (1005, 10_000.0, &[]),
    (1006, 10_000.0, &[]),
];

impl Broker {
    pub fn new(accounts: &[Account], market: &Market) -> Broker {
        let mut txn_ids = Ids::starting_at(700_001);
        let mut position_ids = Ids::starting_at(30_001);
        let deposit = clock::from_system(timestamps::utc(2024, 1, 2, 14, 30, 0, 0));
        let transfer = clock::from_system(timestamps::utc(2024, 1, 2, 15, 0, 0, 0));
        let books = accounts
            .iter()
            .map(|a| {
                let (cash, positions) = STARTING
                    .iter()
                    .find(|(id, _, _)| *id == a.id)
                    .map_or((10_000.0, &[][..]), |(_, c, p)| (*c, *p));
                let margin = a.margin_type != "Cash";
                let mut book = Book::new(a.id, margin, cash, deposit, txn_ids.next());
                for &(symbol, qty, avg) in positions {
                    let sec = market.by_symbol(symbol).expect("starting symbol exists");
                    book.transfer_in(sec, qty, avg, transfer, txn_ids.next(), position_ids.next());
                }
                book
            })
            .collect();
        Broker {
            books,
            orders: Vec::new(),
            order_ids: Ids::starting_at(100_001),
            txn_ids,
            position_ids,
            orders_accepted: 0,
            changes: Vec::new(),
        }
    }

    /// Notes the state order `i` is in now for the data streamer: called on every status
    /// change but the pending ones (`PendingNew`, `PendingReplace`).
    pub fn note_order(&mut self, i: usize) {
        let event = messages::order(&self.orders[i]);
        self.changes.push(Change::Event(event));
    }

    /// The book of an account that exists (every demo account has one).
    pub fn book(&self, account_id: i64) -> &Book {
        self.books
            .iter()
            .find(|b| b.account_id == account_id)
            .expect("every account has a book")
    }

    pub fn book_mut(&mut self, account_id: i64) -> &mut Book {
        self.books
            .iter_mut()
            .find(|b| b.account_id == account_id)
            .expect("every account has a book")
    }

    /// An order of this account.
    pub fn order_index(&self, account_id: i64, order_id: i64) -> Option<usize> {
        self.orders
            .iter()
            .position(|o| o.id == order_id && o.account_id == account_id)
    }
}

/// The locked broker. Unlocking it publishes what changed meanwhile (`Broker::changes`) to
/// the data streamer, still under the lock, so that events go out in the order they happened.
pub struct Booked<'a> {
    broker: MutexGuard<'a, Broker>,
    state: &'a State,
    now: Ticks,
}

impl Deref for Booked<'_> {
    type Target = Broker;

    fn deref(&self) -> &Broker {
        &self.broker
    }
}

impl DerefMut for Booked<'_> {
    fn deref_mut(&mut self) -> &mut Broker {
        &mut self.broker
    }
}

impl Drop for Booked<'_> {
    fn drop(&mut self) {
        if self.broker.changes.is_empty() {
            return;
        }
        let changes = std::mem::take(&mut self.broker.changes);
        streaming::publish_changes(self.state, &self.broker, changes, self.now);
    }
}

/// Locks the broker and replays the engine up to the simulated now.
pub fn at_now(state: &State) -> (Booked<'_>, Ticks) {
    let mut broker = lock(&state.broker);
    let now = state.clock.now();
    engine::advance(&mut broker, &state.market, now);
    (Booked { broker, state, now }, now)
}
