//! An account's balances at an instant: market values, equity, buying power
//! and margin, open and closed P/L, computed from its book, the market and
//! what its working orders hold back.

use crate::market::clock::Ticks;
use crate::market::prices::cents;
use crate::market::securities::Market;
use crate::trading::order_checks::short_option_requirement;
use crate::trading::portfolio::{Book, previous_close, session_of};

/// What working orders hold back from buying power.
#[derive(Default)]
pub struct Commitments {
    /// Estimated cost of working buys (Buy, BuyToCover).
    pub buys: f64,
    /// Estimated proceeds of working short sales (margin they need).
    pub shorts: f64,
    /// Orders not yet finished, pending ones included.
    pub count: usize,
}

/// The account's balance numbers, as the broker reports them.
#[derive(Default)]
pub struct Balances {
    pub cash: f64,
    /// Stocks and ETFs held long (short: negative).
    pub long_mv: f64,
    pub short_mv: f64,
    /// Options held long (short: negative), contract size included.
    pub option_long_mv: f64,
    pub option_short_mv: f64,
    pub equity: f64,
    pub excess: f64,
    pub stock_bp: f64,
    pub day_trading_bp: f64,
    /// What option buys and short options may use.
    pub option_bp: f64,
    pub maintenance: f64,
    /// What short options need (premium plus 20 % of the underlying).
    pub option_maintenance: f64,
    pub pending_cash: f64,
    pub open_pl: f64,
    pub open_pl_day: f64,
    pub cost_basis: f64,
    pub close_pl: f64,
    pub day_trades: usize,
    pub pending_count: usize,
}

/// Computes the balances at `now`. Positions are valued at the last price (options times
/// their contract size).
///
/// - Cash account: buying power = cash − pending buys (never below 0),
///   day-trading and option buying power the same, no margin.
/// - Margin account (simplified Reg T): maintenance = 25 % of the gross stock
///   value plus what short options need (their value and 20 % of the underlying's);
///   long options have no loan value. Excess = equity − maintenance − long options, stock
///   buying power = 2 × (equity − 50 % of the gross stock value − long options − short
///   option requirements) − commitments, day-trading buying power = 4 × excess −
///   commitments, option buying power half the stock buying power.
pub fn balances(book: &Book, market: &Market, now: Ticks, c: &Commitments) -> Balances {
    let session = session_of(now);
    let (mut long_mv, mut short_mv, mut open_pl, mut open_pl_day, mut cost_basis) =
        (0.0, 0.0, 0.0, 0.0, 0.0);
    let (mut option_long, mut option_short, mut option_req) = (0.0, 0.0, 0.0);
    for p in &book.positions {
        let Some(inst) = market.instrument(p.security_id) else {
            continue;
        };
        let mult = p.multiplier;
        let last = inst.quote(now).last;
        let value = p.qty * last * mult;
        match (inst.option().is_some(), p.qty > 0.0) {
            (false, true) => long_mv += value,
            (false, false) => short_mv += value,
            (true, true) => option_long += value,
            (true, false) => {
                option_short += value;
                option_req += short_option_requirement(&inst, -p.qty, now);
            }
        }
        open_pl += p.qty * (last - p.avg_open) * mult;
        cost_basis += p.qty.abs() * p.avg_open * mult;
        // Units held since before today move from the previous close;
        // units bought today from their price.
        let (day_qty, _) = p.day_values(session);
        let overnight = p.qty - day_qty;
        let reference = if p.opened_session == session && overnight.abs() < 1e-9 {
            p.avg_open
        } else {
            previous_close(&inst, now)
        };
        open_pl_day += p.qty * (last - reference) * mult;
    }
    let equity = book.cash + long_mv + short_mv + option_long + option_short;
    let gross = long_mv - short_mv;
    let pending_cash = c.buys;
    let (excess, stock_bp, day_trading_bp, option_bp, maintenance) = if book.margin {
        let maintenance = 0.25 * gross + option_req;
        let excess = equity - maintenance - option_long;
        let stock_bp = 2.0 * (equity - 0.5 * gross - option_long - option_req) - c.buys - c.shorts;
        let dt_bp = 4.0 * excess - c.buys - c.shorts;
        let stock_bp = stock_bp.max(0.0);
        (
            excess,
            stock_bp,
            dt_bp.max(0.0),
            stock_bp / 2.0,
            maintenance,
        )
    } else {
        let available = (book.cash - c.buys).max(0.0);
        (book.cash - c.buys, available, available, available, 0.0)
    };
    Balances {
        cash: book.cash,
        long_mv: cents(long_mv),
        short_mv: cents(short_mv),
        option_long_mv: cents(option_long),
        option_short_mv: cents(option_short),
        equity: cents(equity),
        excess: cents(excess),
        stock_bp: cents(stock_bp),
        day_trading_bp: cents(day_trading_bp),
        option_bp: cents(option_bp),
        maintenance: cents(maintenance),
        option_maintenance: cents(option_req),
        pending_cash: cents(pending_cash),
        open_pl: cents(open_pl),
        open_pl_day: cents(open_pl_day),
        cost_basis: cents(cost_basis),
        close_pl: book.realized,
        day_trades: book.day_trades.iter().filter(|&&s| s == session).count(),
        pending_count: c.count,
    }
}

impl Balances {
    /// Several accounts' balances added up (a user's total, for the `UserBalance` stream).
    pub fn total(all: &[Balances]) -> Balances {
        let mut t = Balances::default();
        for b in all {
            t.cash = cents(t.cash + b.cash);
            t.long_mv = cents(t.long_mv + b.long_mv);
            t.short_mv = cents(t.short_mv + b.short_mv);
            t.option_long_mv = cents(t.option_long_mv + b.option_long_mv);
            t.option_short_mv = cents(t.option_short_mv + b.option_short_mv);
            t.option_bp = cents(t.option_bp + b.option_bp);
            t.option_maintenance = cents(t.option_maintenance + b.option_maintenance);
            t.equity = cents(t.equity + b.equity);
            t.excess = cents(t.excess + b.excess);
            t.stock_bp = cents(t.stock_bp + b.stock_bp);
            t.day_trading_bp = cents(t.day_trading_bp + b.day_trading_bp);
            t.maintenance = cents(t.maintenance + b.maintenance);
            t.pending_cash = cents(t.pending_cash + b.pending_cash);
            t.open_pl = cents(t.open_pl + b.open_pl);
            t.open_pl_day = cents(t.open_pl_day + b.open_pl_day);
            t.cost_basis = cents(t.cost_basis + b.cost_basis);
            t.close_pl = cents(t.close_pl + b.close_pl);
            t.day_trades += b.day_trades;
            t.pending_count += b.pending_count;
        }
        t
    }
}
