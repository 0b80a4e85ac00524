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
//! - option orders work the same way on the option's quote; a multi-leg order fills whole,
//!   all its legs in one second, when the market's net price of a spread (the buying legs'
//!   asks less the selling legs' bids) is at or below its limit (a Market one at once);
//! - an option position open at its expiration close is settled at its intrinsic value
//!   (`OptionExpiration`), and orders on an option stop working then.
//!
//! Every status change but the pending ones is noted for the data streamer
//! (`Broker::note_order`), and each fill (and expiration) also notes the position it left
//! and the account's balances.

use crate::market::clock::{self, TICKS_PER_SEC, Ticks};
use crate::market::prices::{Quote, cents};
use crate::market::securities::Market;
use crate::streaming::messages;
use crate::trading::broker::{Broker, Change};
use crate::trading::order_checks::{self, Ctx, Part};
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

/// Replays every event due by `now`: order events and option expirations, in time order.
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
        let expiry = next_expiration(b, market, now);
        match (best, expiry) {
            (None, None) => break,
            (Some((t, i, event)), Some((te, _, _))) if t <= te => apply(b, market, i, t, event),
            (Some((t, i, event)), None) => apply(b, market, i, t, event),
            (_, Some((te, book, security_id))) => expire_position(b, market, book, security_id, te),
        }
    }
}

/// The earliest option position of any book whose expiration close is at or before `now`:
/// (that close, the book's index, the option's id).
fn next_expiration(b: &Broker, market: &Market, now: Ticks) -> Option<(Ticks, usize, i64)> {
    let mut best: Option<(Ticks, usize, i64)> = None;
    for (bi, book) in b.books.iter().enumerate() {
        for p in &book.positions {
            if p.multiplier == 1.0 {
                continue;
            }
            let Some(t) = market
                .instrument(p.security_id)
                .and_then(|i| i.expires_at())
            else {
                continue;
            };
            if t <= now && best.is_none_or(|(bt, _, _)| t < bt) {
                best = Some((t, bi, p.security_id));
            }
        }
    }
    best
}

/// Settles an expiring option position at its intrinsic value.
fn expire_position(b: &mut Broker, market: &Market, book: usize, security_id: i64, t: Ticks) {
    let Some(inst) = market.instrument(security_id) else {
        return;
    };
    let Some(contract) = inst.option().copied() else {
        return;
    };
    let last_second = clock::quote_second(t - 1);
    let spot = contract.underlying.quote_at(last_second).last;
    let intrinsic = cents(contract.intrinsic(spot));
    let txn_id = b.txn_ids.next();
    let account = b.books[book].account_id;
    if let Some(p) = b.books[book].expire_option(&inst, intrinsic, spot, t, txn_id) {
        b.changes
            .push(Change::Event(messages::position(&p, account, &inst)));
        b.changes.push(Change::Balances {
            account_id: account,
        });
    }
}

/// What an order trades, with its instruments: its own, or its legs'.
fn parts_of<'m>(o: &Order, market: &'m Market) -> Option<Vec<Part<'m>>> {
    if o.legs.is_empty() {
        let inst = market.instrument(o.security_id)?;
        return Some(vec![Part {
            inst,
            side: o.req.side,
            ratio: 1.0,
        }]);
    }
    o.legs
        .iter()
        .map(|l| {
            Some(Part {
                inst: market.instrument(l.security_id)?,
                side: l.side,
                ratio: l.ratio,
            })
        })
        .collect()
}

/// The earliest expiration close of what an order trades, if options.
fn option_expiry(parts: &[Part]) -> Option<Ticks> {
    parts.iter().filter_map(|p| p.inst.expires_at()).min()
}

enum Action {
    Trigger,
    Fill(f64),
}

/// What a working multi-leg order does at a session second: fill whole at the market's net
/// price when that is at or below its limit (at once for a Market order).
fn check_net(o: &Order, parts: &[Part], s: i64) -> Option<Action> {
    let net = order_checks::net_price(parts, s);
    match (o.req.kind, o.req.price) {
        (orders::LIMIT, Some(limit)) => (net <= limit + 1e-9).then_some(Action::Fill(net)),
        (orders::LIMIT, None) => None,
        _ => Some(Action::Fill(net)),
    }
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
    let parts = parts_of(o, market)?;
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
        let action = if o.legs.is_empty() {
            check(o, &parts[0].inst.quote_at(s))
        } else {
            check_net(o, &parts, s)
        };
        match action {
            Some(Action::Trigger) => return Some((at, Event::Trigger(s))),
            Some(Action::Fill(price)) => {
                let leaves = o.leaves();
                let qty = if o.req.tif == orders::FOK || !o.legs.is_empty() {
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
            o.record();
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
    let Some(parts) = parts_of(&b.orders[i], market) else {
        return;
    };
    let o = &b.orders[i];
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
        let v = order_checks::full(&o.req, &ctx);
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
    if let Some(close) = option_expiry(&parts) {
        o.expire_at = Some(o.expire_at.map_or(close, |e| e.min(close)));
    }
    b.note_order(i);
}

fn fill(b: &mut Broker, market: &Market, i: usize, t: Ticks, second: i64, qty: f64, price: f64) {
    if !b.orders[i].legs.is_empty() {
        return fill_legs(b, market, i, t, second, qty, price);
    }
    let Some(inst) = market.instrument(b.orders[i].security_id) else {
        return;
    };
    let o = &mut b.orders[i];
    let option = inst.option().is_some();
    let commission = order_checks::commission(qty, !o.per_trade_charged, option);
    o.per_trade_charged = true;
    advance_order(o, t, second, qty, price);
    let fill = Fill {
        order_id: o.id,
        state_id: o.state_id,
        instrument: inst,
        side: o.req.side,
        qty,
        price,
        commission,
        leaves: o.leaves(),
        at: t,
    };
    let account = o.account_id;
    let position = book_fill(b, account, &fill);
    b.note_order(i);
    b.changes.push(Change::Event(position));
    b.changes.push(Change::Balances {
        account_id: account,
    });
}

/// Moves an order on by one execution of `qty` at `price`.
fn advance_order(o: &mut Order, t: Ticks, second: i64, qty: f64, price: f64) {
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
}

/// Books one execution to an account; the message of the position it left.
fn book_fill(b: &mut Broker, account: i64, fill: &Fill) -> messages::Event {
    let txn_id = b.txn_ids.next();
    let position_id = if b.book(account).position(fill.instrument.id()).is_none() {
        b.position_ids.next()
    } else {
        0
    };
    let position = b.book_mut(account).apply_fill(fill, txn_id, position_id);
    messages::position(&position, account, &fill.instrument)
}

/// Fills a multi-leg order whole: `spreads` at the net `price`, each leg at its own ask
/// (buying legs) or bid (selling legs) of that second, booked as one execution per leg.
#[allow(clippy::too_many_arguments)]
fn fill_legs(
    b: &mut Broker,
    market: &Market,
    i: usize,
    t: Ticks,
    second: i64,
    spreads: f64,
    price: f64,
) {
    let Some(parts) = parts_of(&b.orders[i], market) else {
        return;
    };
    let o = &mut b.orders[i];
    advance_order(o, t, second, spreads, price);
    let (order_id, state_id, left) = (o.id, o.state_id, o.leaves());
    let mut fills: Vec<Fill> = Vec::new();
    for (leg, part) in o.legs.iter_mut().zip(&parts) {
        let q = part.inst.quote_at(second);
        let leg_price = if leg.side.is_buy() { q.ask } else { q.bid };
        let qty = leg.ratio * spreads;
        leg.avg_price = if leg.executed > 0.0 {
            (leg.avg_price * leg.executed + qty * leg_price) / (leg.executed + qty)
        } else {
            leg_price
        };
        leg.executed += qty;
        leg.last_price = leg_price;
        fills.push(Fill {
            order_id,
            state_id,
            instrument: part.inst,
            side: leg.side,
            qty,
            price: leg_price,
            commission: order_checks::commission(qty, false, true),
            leaves: leg.ratio * left,
            at: t,
        });
    }
    let account = o.account_id;
    let positions: Vec<messages::Event> = fills.iter().map(|f| book_fill(b, account, f)).collect();
    b.note_order(i);
    b.changes.extend(positions.into_iter().map(Change::Event));
    b.changes.push(Change::Balances {
        account_id: account,
    });
}
