//! Each account's book: cash, positions and transactions, and fills applied
//! to it (the balances computed from a book are in `trading::balances`).
//!
//! Accounting: a buy pays `quantity × price × multiplier` plus commission out of cash, a
//! sell (or short sale) receives that less commission; the multiplier is 1 for equities and
//! the contract size (100) for options.
//! Positions keep a signed quantity and an average open price; reducing a
//! position realizes `closed × (price − average)` (sign-adjusted for
//! shorts). A position that reaches zero is removed; its realized P/L stays
//! in the account's `closePL`.
//!
//! An option position still open at its expiration close is settled in cash at its
//! intrinsic value (the underlying's last price of that session against the strike):
//! an `OptionExpiration` transaction, worth nothing when it expired out of the money.

use crate::market::clock::{self, Ticks};
use crate::market::instruments::Instrument;
use crate::market::prices::cents;
use crate::market::securities::Security;
use crate::trading::orders::Side;

pub const TRANSACTION_TYPES: &[&str] = &[
    "Undefined",
    "Commission",
    "OrderExecution",
    "OptionExpiration",
    "Payment",
    "ManualManipulation",
    "Clearing",
    "Rpl",
];
const EXECUTION: usize = 2;
const OPTION_EXPIRATION: usize = 3;
const PAYMENT: usize = 4;
const MANUAL: usize = 5;

#[derive(Clone)]
pub struct Position {
    pub id: i64,
    pub security_id: i64,
    /// Positive long, negative short.
    pub qty: f64,
    /// Per share (an option's premium per share).
    pub avg_open: f64,
    /// 1, or the contract size of an option.
    pub multiplier: f64,
    pub realized: f64,
    closed_qty: f64,
    closed_value: f64,
    pub created: Ticks,
    pub modified: Ticks,
    /// The session the `day_*` numbers belong to.
    day: i64,
    day_qty: f64,
    day_realized: f64,
    /// The session the current position was opened in (day trades).
    pub opened_session: i64,
}

impl Position {
    pub fn avg_close(&self) -> f64 {
        if self.closed_qty > 0.0 {
            self.closed_value / self.closed_qty
        } else {
            0.0
        }
    }

    /// The net signed quantity traded and the P/L realized in `session`
    /// (zeros when the position did not trade then).
    pub fn day_values(&self, session: i64) -> (f64, f64) {
        if self.day == session {
            (self.day_qty, self.day_realized)
        } else {
            (0.0, 0.0)
        }
    }
}

pub struct Fee {
    pub id: i64,
    pub value: f64,
}

pub struct Transaction {
    pub id: i64,
    /// -1 for cash.
    pub security_id: i64,
    pub order_state_id: Option<i64>,
    pub account_id: i64,
    pub date: Ticks,
    /// Signed cash movement before fees: negative for buys.
    pub value: f64,
    pub quantity: f64,
    pub leaves: f64,
    pub fee: Option<Fee>,
    /// An index into [`TRANSACTION_TYPES`].
    pub kind: usize,
    pub is_day_trade: bool,
    pub description: String,
    pub symbol: Option<String>,
    pub price: Option<f64>,
    pub order_id: Option<i64>,
    /// The signed change of the position it made (0 for cash), for the account's history.
    pub delta: f64,
    /// The position's multiplier.
    pub multiplier: f64,
}

pub struct Book {
    pub account_id: i64,
    pub margin: bool,
    pub cash: f64,
    /// Realized P/L of closed trades (`closePL`).
    pub realized: f64,
    pub positions: Vec<Position>,
    pub transactions: Vec<Transaction>,
    /// Session index of each day trade.
    pub day_trades: Vec<i64>,
}

/// Ids handed out by the broker.
#[derive(Default)]
pub struct Ids {
    last: i64,
}

impl Ids {
    pub fn starting_at(first: i64) -> Ids {
        Ids { last: first - 1 }
    }

    pub fn next(&mut self) -> i64 {
        self.last += 1;
        self.last
    }
}

/// One execution to book.
pub struct Fill<'a> {
    pub order_id: i64,
    pub state_id: i64,
    pub instrument: Instrument<'a>,
    pub side: Side,
    pub qty: f64,
    pub price: f64,
    pub commission: f64,
    /// The order's leaves quantity after this fill.
    pub leaves: f64,
    pub at: Ticks,
}

/// The session a fill or valuation at `t` belongs to.
pub fn session_of(t: Ticks) -> i64 {
    clock::session_index(clock::quote_second(t))
}

/// The last price of the session before the one current at `t`.
pub fn previous_close(security: &Instrument, t: Ticks) -> f64 {
    let session = session_of(t);
    security.quote_at(session * clock::SESSION_SECS - 1).last
}

impl Book {
    /// A book with a deposit of `cash` (a `Payment` transaction at `at`).
    pub fn new(account_id: i64, margin: bool, cash: f64, at: Ticks, txn_id: i64) -> Book {
        let mut book = Book {
            account_id,
            margin,
            cash,
            realized: 0.0,
            positions: Vec::new(),
            transactions: Vec::new(),
            day_trades: Vec::new(),
        };
        book.transactions.push(Transaction {
            id: txn_id,
            security_id: -1,
            order_state_id: None,
            account_id,
            date: at,
            value: cash,
            quantity: 0.0,
            leaves: 0.0,
            fee: None,
            kind: PAYMENT,
            is_day_trade: false,
            description: "Initial deposit".to_string(),
            symbol: None,
            price: None,
            order_id: None,
            delta: 0.0,
            multiplier: 1.0,
        });
        book
    }

    /// A position transferred in at `avg` (no cash moves), recorded as a
    /// `ManualManipulation` transaction.
    pub fn transfer_in(
        &mut self,
        sec: &Security,
        qty: f64,
        avg: f64,
        at: Ticks,
        txn_id: i64,
        position_id: i64,
    ) {
        let session = session_of(at);
        self.positions.push(Position {
            id: position_id,
            security_id: sec.id,
            qty,
            avg_open: avg,
            multiplier: 1.0,
            realized: 0.0,
            closed_qty: 0.0,
            closed_value: 0.0,
            created: at,
            modified: at,
            day: session,
            day_qty: 0.0,
            day_realized: 0.0,
            opened_session: session,
        });
        self.transactions.push(Transaction {
            id: txn_id,
            security_id: sec.id,
            order_state_id: None,
            account_id: self.account_id,
            date: at,
            value: 0.0,
            quantity: qty,
            leaves: 0.0,
            fee: None,
            kind: MANUAL,
            is_day_trade: false,
            description: format!("Position transfer: {qty} {} at {avg}", sec.symbol),
            symbol: Some(sec.symbol.to_string()),
            price: Some(avg),
            order_id: None,
            delta: qty,
            multiplier: 1.0,
        });
    }

    pub fn position(&self, security_id: i64) -> Option<&Position> {
        self.positions.iter().find(|p| p.security_id == security_id)
    }

    /// Signed shares held.
    pub fn held(&self, security_id: i64) -> f64 {
        self.position(security_id).map_or(0.0, |p| p.qty)
    }

    /// Books one execution: cash, position, transaction. Returns the position as the fill left
    /// it (quantity 0 when the fill closed it: it is then gone from the book).
    pub fn apply_fill(&mut self, f: &Fill, txn_id: i64, position_id: i64) -> Position {
        let signed = if f.side.is_buy() { f.qty } else { -f.qty };
        let mult = f.instrument.multiplier();
        let id = f.instrument.id();
        let gross = cents(f.qty * f.price * mult);
        let value = if f.side.is_buy() { -gross } else { gross };
        self.cash = cents(self.cash + value - f.commission);

        let session = session_of(f.at);
        let index = match self.positions.iter().position(|p| p.security_id == id) {
            Some(i) => i,
            None => {
                self.positions.push(Position {
                    id: position_id,
                    security_id: id,
                    qty: 0.0,
                    avg_open: 0.0,
                    multiplier: mult,
                    realized: 0.0,
                    closed_qty: 0.0,
                    closed_value: 0.0,
                    created: f.at,
                    modified: f.at,
                    day: session,
                    day_qty: 0.0,
                    day_realized: 0.0,
                    opened_session: session,
                });
                self.positions.len() - 1
            }
        };
        let p = &mut self.positions[index];
        if p.day != session {
            (p.day, p.day_qty, p.day_realized) = (session, 0.0, 0.0);
        }
        let mut realized = 0.0;
        let mut day_trade = false;
        if p.qty == 0.0 || p.qty.signum() == signed.signum() {
            if p.qty == 0.0 {
                p.opened_session = session;
            }
            let held = p.qty.abs();
            p.avg_open = (held * p.avg_open + f.qty * f.price) / (held + f.qty);
            p.qty += signed;
        } else {
            let closed = f.qty.min(p.qty.abs());
            realized = cents(closed * (f.price - p.avg_open) * p.qty.signum() * mult);
            day_trade = p.opened_session == session;
            p.closed_qty += closed;
            p.closed_value += closed * f.price;
            if f.qty > p.qty.abs() {
                p.qty += signed;
                p.avg_open = f.price;
                p.opened_session = session;
            } else {
                p.qty += signed;
            }
        }
        p.realized = cents(p.realized + realized);
        p.day_realized = cents(p.day_realized + realized);
        p.day_qty += signed;
        p.modified = f.at;
        self.realized = cents(self.realized + realized);
        if day_trade {
            self.day_trades.push(session);
        }
        let after = p.clone();
        if p.qty.abs() < 1e-9 {
            self.positions.remove(index);
        }
        let symbol = f.instrument.symbol();
        self.transactions.push(Transaction {
            id: txn_id,
            security_id: id,
            order_state_id: Some(f.state_id),
            account_id: self.account_id,
            date: f.at,
            value,
            quantity: f.qty,
            leaves: f.leaves,
            fee: Some(Fee {
                id: txn_id,
                value: f.commission,
            }),
            kind: EXECUTION,
            is_day_trade: day_trade,
            description: format!("{} {} {} @ {}", f.side.name(), f.qty, symbol, f.price),
            symbol: Some(symbol),
            price: Some(f.price),
            order_id: Some(f.order_id),
            delta: signed,
            multiplier: mult,
        });
        after
    }

    /// Settles an option position at its expiration (`at`, the expiration close): cash moves
    /// by `quantity × intrinsic × contract size` (a long position receives it, a short one
    /// pays it), the position closes with its P/L realized, and an `OptionExpiration`
    /// transaction records it. Returns the position as it was, with quantity 0.
    pub fn expire_option(
        &mut self,
        inst: &Instrument,
        intrinsic: f64,
        underlying_price: f64,
        at: Ticks,
        txn_id: i64,
    ) -> Option<Position> {
        let index = self
            .positions
            .iter()
            .position(|p| p.security_id == inst.id())?;
        let mut p = self.positions.remove(index);
        let mult = p.multiplier;
        let qty = p.qty;
        let value = cents(qty * intrinsic * mult);
        let realized = cents(qty * (intrinsic - p.avg_open) * mult);
        self.cash = cents(self.cash + value);
        self.realized = cents(self.realized + realized);
        p.realized = cents(p.realized + realized);
        p.closed_qty += qty.abs();
        p.closed_value += qty.abs() * intrinsic;
        p.qty = 0.0;
        p.modified = at;
        let symbol = inst.symbol();
        let description = if intrinsic > 0.0 {
            format!(
                "{symbol} expired in the money: {qty} settled at {intrinsic} ({} at {underlying_price})",
                inst.underlying().symbol
            )
        } else {
            format!(
                "{symbol} expired worthless ({} at {underlying_price})",
                inst.underlying().symbol
            )
        };
        self.transactions.push(Transaction {
            id: txn_id,
            security_id: inst.id(),
            order_state_id: None,
            account_id: self.account_id,
            date: at,
            value,
            quantity: qty.abs(),
            leaves: 0.0,
            fee: None,
            kind: OPTION_EXPIRATION,
            is_day_trade: false,
            description,
            symbol: Some(symbol),
            price: Some(intrinsic),
            order_id: None,
            delta: -qty,
            multiplier: mult,
        });
        Some(p)
    }
}
