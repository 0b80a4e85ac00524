//! The order engine. It runs lazily: every request first brings the book
//! up to the simulated "now", replaying the events that fell due since the
//! last request in time order. Because prices are a pure function of
//! simulated time, the outcome does not depend on when requests arrive.
//!
//! Life of an order:
//! - placed `PendingNew` (a replacement `PendingReplace`); one simulated
//!   second later it is accepted (`New`) or `Rejected` (market closed for a
//!   market order, shares or buying power short) with a `Description`;
//! - a market order fills at the ask (buys) or bid (sells) of the running
//!   second; a limit order rests until the ask falls to (buys) or the bid
//!   rises to (sells) its price and fills there; a stop order triggers when
//!   the ask rises to (buys) or the bid falls to (sells) its stop, then acts
//!   as a market (Stop) or limit (StopLimit) order;
//! - at most [`CHUNK`] shares trade per execution; the rest waits
//!   [`CHUNK_GAP`] session seconds (`PartiallyFilled` meanwhile);
//! - `Day` orders expire at the session close (`Expired`, "Expired by
//!   OMS"), `GoodTillDate` at their date; `ImmediateOrCancel` keeps what
//!   trades in its acceptance second (one chunk) and `FillOrKill` fills
//!   whole in that second or not at all; their rest is `Canceled`.
//!
//! Every status change but the pending ones is noted for the data streamer
//! (`Broker::note_order`), and each fill also notes the position it left and
//! the account's balances.

use crate::market::clock::{self, TICKS_PER_SEC, Ticks};
use crate::market::prices::Quote;
use crate::market::securities::Market;
use crate::streaming::messages;
use crate::trading::broker::{Broker, Change};
use crate::trading::order_checks::{self, Ctx};
use crate::trading::orders::{self, Order, Status};
use crate::trading::portfolio::Fill;

/// From placement to acceptance.
pub const ACCEPT_DELAY: Ticks = TICKS_PER_SEC;
/// Largest quantity of one execution (the displayed size).
pub const CHUNK: f64 = 1000.0;
/// Session seconds between two executions of one order.
pub const CHUNK_GAP: i64 = 30;

enum Event {
    Accept,
    Trigger(i64),
    Fill { second: i64, qty: f64, price: f64 },
    Expire,
}

/// Replays every event due by `now`.
pub fn advance(b: &mut Broker, market: &Market, now: Ticks) {
    loop {
        let mut best: Option<(Ticks, usize, Event)> = None;
        for i in 0..b.orders.len() {
            if b.orders[i].status.is_terminal() {
                continue;
            }
            if let Some((t, event)) = next_event(&mut b.orders[i], market, now)
                && best.as_ref().is_none_or(|(bt, _, _)| t < *bt)
            {
                best = Some((t, i, event));
            }
        }
        let Some((t, i, event)) = best else {
            break;
        };
        apply(b, market, i, t, event);
    }
}

enum Action {
    Trigger,
    Fill(f64),
}

/// What a working order does with one second's quote.
fn check(o: &Order, q: &Quote) -> Option<Action> {
    let buy = o.req.side.is_buy();
    if matches!(o.req.kind, orders::STOP | orders::STOP_LIMIT) && !o.triggered {
        let stop = o.req.stop_price?;
        let hit = if buy { q.ask >= stop } else { q.bid <= stop };
        return hit.then_some(Action::Trigger);
    }
    let limit = match o.req.kind {
        orders::LIMIT | orders::STOP_LIMIT => o.req.price,
        _ => None,
    };
    match (buy, limit) {
        (true, None) => Some(Action::Fill(q.ask)),
        (false, None) => Some(Action::Fill(q.bid)),
        (true, Some(l)) => (q.ask <= l).then_some(Action::Fill(q.ask)),
        (false, Some(l)) => (q.bid >= l).then_some(Action::Fill(q.bid)),
    }
}

/// The order's next event at or before `now`, if any. Remembers how far
/// it searched so the next call does not search again.
fn next_event(o: &mut Order, market: &Market, now: Ticks) -> Option<(Ticks, Event)> {
    if o.status.is_pending() {
        return (o.accept_at <= now).then_some((o.accept_at, Event::Accept));
    }
    if !o.is_working() {
        return None;
    }
    let sec = market.by_id(o.security_id)?;
    let immediate = matches!(o.req.tif, orders::IOC | orders::FOK);
    let mut last = clock::quote_second(now);
    if let Some(e) = o.expire_at {
        last = last.min(clock::quote_second(e - 1));
    }
    if immediate {
        last = last.min(o.cursor);
    }
    let mut s = o.cursor.max(o.next_chunk);
    while s <= last {
        let at = clock::instant_of_second(s).max(o.updated);
        match check(o, &sec.quote_at(s)) {
            Some(Action::Trigger) => return Some((at, Event::Trigger(s))),
            Some(Action::Fill(price)) => {
                let leaves = o.leaves();
                let qty = if o.req.tif == orders::FOK {
                    leaves
                } else {
                    leaves.min(CHUNK)
                };
                return Some((
                    at,
                    Event::Fill {
                        second: s,
                        qty,
                        price,
                    },
                ));
            }
            None => s += 1,
        }
    }
    o.cursor = o.cursor.max(last + 1);
    let due = o.expire_at.filter(|&e| e <= now)?;
    Some((due.max(o.updated), Event::Expire))
}

fn apply(b: &mut Broker, market: &Market, i: usize, t: Ticks, event: Event) {
    match event {
        Event::Accept => accept(b, market, i, t),
        Event::Trigger(s) => {
            let o = &mut b.orders[i];
            o.triggered = true;
            o.cursor = s;
            o.updated = t;
            o.state_id += 1;
        }
        Event::Fill { second, qty, price } => fill(b, market, i, t, second, qty, price),
        Event::Expire => {
            let o = &mut b.orders[i];
            if matches!(o.req.tif, orders::IOC | orders::FOK) {
                o.description = Some(format!(
                    "Canceled by OMS: {} order not filled immediately",
                    orders::TIFS[o.req.tif]
                ));
                o.set_status(Status::Canceled, "Complete", "Status", t);
            } else {
                o.description = Some("Expired by OMS".to_string());
                o.set_status(Status::Expired, "Complete", "Status", t);
            }
            b.note_order(i);
        }
    }
}

fn accept(b: &mut Broker, market: &Market, i: usize, t: Ticks) {
    let o = &b.orders[i];
    let Some(sec) = market.by_id(o.security_id) else {
        return;
    };
    if o.replaces.is_none() {
        // New orders are checked against the market and account now;
        // replacements were checked when the PUT arrived.
        let book = b.book(o.account_id);
        let ctx = Ctx {
            market,
            book,
            orders: &b.orders,
            now: t,
            except: Some(o.id),
        };
        let mut v = order_checks::estimate(&o.req, sec, book.margin, t);
        if let Err(reject) = order_checks::dynamic_check(&o.req, sec, &v, &ctx) {
            v.error = Some(reject);
        }
        let o = &mut b.orders[i];
        o.verify = v;
        if let Some((_, text)) = o.verify.error.clone() {
            o.description = Some(text);
            o.set_status(Status::Rejected, "Rejected", "Reject", t);
            b.note_order(i);
            return;
        }
    }
    let o = &mut b.orders[i];
    let status = if o.executed > 0.0 {
        Status::PartiallyFilled
    } else {
        Status::New
    };
    let target = if o.replaces.is_some() {
        "Modify"
    } else {
        "New"
    };
    o.set_status(status, "Executing", target, t);
    o.cursor = clock::first_second_from(t);
    o.expire_at = match o.req.tif {
        orders::DAY => Some(clock::next_close(t)),
        orders::GTD | orders::GTD_PLUS => o.req.expire_date,
        orders::IOC | orders::FOK => Some(t),
        _ => None,
    };
    b.note_order(i);
}

fn fill(b: &mut Broker, market: &Market, i: usize, t: Ticks, second: i64, qty: f64, price: f64) {
    let Some(sec) = market.by_id(b.orders[i].security_id) else {
        return;
    };
    let o = &mut b.orders[i];
    let commission = order_checks::commission(qty, !o.per_trade_charged);
    o.per_trade_charged = true;
    o.avg_price = (o.avg_price * o.executed + qty * price) / (o.executed + qty);
    o.executed += qty;
    if o.req.quantity - o.executed < 1e-9 {
        o.executed = o.req.quantity;
    }
    o.last_price = price;
    o.last_qty = qty;
    o.transaction_date = t;
    o.cursor = second + 1;
    o.next_chunk = second + CHUNK_GAP;
    if o.executed >= o.req.quantity {
        o.set_status(Status::Filled, "Complete", "Execution", t);
    } else {
        o.set_status(Status::PartiallyFilled, "Executing", "Execution", t);
    }
    let fill = Fill {
        order_id: o.id,
        state_id: o.state_id,
        security: sec,
        side: o.req.side,
        qty,
        price,
        commission,
        leaves: o.leaves(),
        at: t,
    };
    let account = o.account_id;
    let txn_id = b.txn_ids.next();
    let position_id = if b.book(account).position(sec.id).is_none() {
        b.position_ids.next()
    } else {
        0
    };
    let position = b.book_mut(account).apply_fill(&fill, txn_id, position_id);
    b.note_order(i);
    let event = messages::position(&position, account, sec);
    b.changes.push(Change::Event(event));
    b.changes.push(Change::Balances {
        account_id: account,
    });
}
