//! The order routes under `accounts/{accountId}`: place, preview, list,
//! get, replace (and its preview), cancel, verified.
//!
//! Replace semantics: a successful PUT turns the old order `Replaced`
//! (terminal, Description "Replaced by order N") and creates a new order
//! with a new id that carries the old one's executions (ExecutedQuantity,
//! AveragePrice), the changed fields and Description "Replaces order M";
//! it is returned `PendingReplace` (Target `Modify`) and is accepted one
//! simulated second later.

use crate::State;
use crate::http::paging;
use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::{Json, Obj};
use crate::market::clock::Ticks;
use crate::market::options;
use crate::routes::accounts;
use crate::routes::order_resources as resources;
use crate::trading::broker::{self, Broker};
use crate::trading::engine::ACCEPT_DELAY;
use crate::trading::order_checks::{self, Ctx, Reject, Target, Verify};
use crate::trading::orders::{Leg, Modify, Order, Request, Status};
use crate::users::Account;

/// `Err` becomes the reply.
type Answer = Result<Reply, Reply>;

fn answer(result: Answer) -> Reply {
    result.unwrap_or_else(|r| r)
}

/// 200 verify model of a business reject.
fn rejected(v: &Verify) -> Reply {
    Reply::json(200, order_checks::model(v, None))
}

fn not_found(order_id: &str) -> Reply {
    reply::message(404, format!("Order {order_id} was not found."))
}

/// The order in `{orderId}` of this account.
fn order_index(b: &Broker, account: &Account, call: &Call) -> Result<usize, Reply> {
    let raw = call.param("orderId");
    raw.parse()
        .ok()
        .and_then(|id| b.order_index(account.id, id))
        .ok_or_else(|| not_found(raw))
}

fn ctx<'a>(
    state: &'a State,
    b: &'a Broker,
    account: &Account,
    now: Ticks,
    except: Option<i64>,
) -> Ctx<'a> {
    Ctx {
        market: &state.market,
        book: b.book(account.id),
        orders: &b.orders,
        now,
        except,
    }
}

/// A new order as placed: `PendingNew`, accepted or rejected one simulated second later.
fn new_order(
    b: &mut Broker,
    account: &Account,
    user_id: i64,
    req: Request,
    target: &Target,
    verify: Verify,
    now: Ticks,
) -> Order {
    let id = b.order_ids.next();
    let (security_id, symbol, exchange, multiplier) = match target.single() {
        Some(inst) => (inst.id(), inst.symbol(), inst.exchange(), inst.multiplier()),
        None => (0, String::new(), options::EXCHANGE, options::CONTRACT_SIZE),
    };
    let legs = if target.multi_leg {
        target
            .parts
            .iter()
            .map(|p| Leg {
                id: b.order_ids.next(),
                security_id: p.inst.id(),
                symbol: p.inst.symbol(),
                side: p.side,
                ratio: p.ratio,
                executed: 0.0,
                avg_price: 0.0,
                last_price: 0.0,
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut order = Order {
        id,
        account_id: account.id,
        user_id,
        security_id,
        symbol,
        exchange,
        multiplier,
        initial_kind: req.kind,
        req,
        legs,
        executed: 0.0,
        avg_price: 0.0,
        last_price: 0.0,
        last_qty: 0.0,
        status: Status::PendingNew,
        exec_status: Status::PendingNew,
        request_status: "RequireValidation",
        target: "New",
        description: None,
        created: now,
        updated: now,
        transaction_date: now,
        state_id: 1,
        accept_at: now + ACCEPT_DELAY,
        expire_at: None,
        triggered: false,
        cursor: 0,
        next_chunk: 0,
        per_trade_charged: false,
        replaces: None,
        verify,
        history: Vec::new(),
    };
    order.record();
    order
}

/// `POST accounts/{accountId}/orders` (and `syncorders`)
pub fn place(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = accounts::account(state, call)?;
        let req = resources::parse_create(&call.req.body)?;
        let (mut b, now) = broker::at_now(state);
        let margin = b.book(account.id).margin;
        let target = match order_checks::static_check(&req, &state.market, margin, now) {
            Ok(target) => target,
            Err(reject) => return Ok(rejected(&Verify::rejected(reject))),
        };
        let verify = order_checks::full(&req, &ctx(state, &b, account, now, None));
        let order = new_order(
            &mut b,
            account,
            call.session().user_id,
            req,
            &target,
            verify,
            now,
        );
        let body = resources::model(&order);
        b.orders.push(order);
        b.orders_accepted += 1;
        Ok(Reply::json(200, body))
    })())
}

/// `POST accounts/{accountId}/preview/orders`
pub fn preview(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = accounts::account(state, call)?;
        let req = resources::parse_create(&call.req.body)?;
        let (b, now) = broker::at_now(state);
        let v = order_checks::full(&req, &ctx(state, &b, account, now, None));
        Ok(Reply::json(200, order_checks::model(&v, None)))
    })())
}

/// `GET accounts/{accountId}/orders`
pub fn list(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = accounts::account(state, call)?;
        let page = paging::parse(call, &paging::ORDERS, resources::SCHEMA)?;
        let (b, _) = broker::at_now(state);
        let mine: Vec<&Order> = b
            .orders
            .iter()
            .filter(|o| o.account_id == account.id)
            .collect();
        let body = page.result(
            call,
            mine,
            |o, f| resources::field(o, f),
            |o| resources::model(o).into(),
        );
        Ok(Reply::json(200, body))
    })())
}

/// `GET accounts/{accountId}/orders/{orderId}`
pub fn get(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = accounts::account(state, call)?;
        let (b, _) = broker::at_now(state);
        let i = order_index(&b, account, call)?;
        Ok(Reply::json(200, resources::model(&b.orders[i])))
    })())
}

/// `GET accounts/{accountId}/verified/orders/{orderId}`
pub fn verified(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = accounts::account(state, call)?;
        let (b, _) = broker::at_now(state);
        let i = order_index(&b, account, call)?;
        let o = &b.orders[i];
        let body = Obj::new()
            .with("Model", order_checks::model(&o.verify, Some(o.id)))
            .with("Errors", Vec::<String>::new())
            .with("IsSucceed", true);
        Ok(Reply::json(200, body))
    })())
}

/// `GET accounts/{accountId}/orders/{orderId}/details`: `[OrderDetailsModel]`, the
/// order's state history, oldest first: one entry per state it went through (placed,
/// accepted or rejected, each execution, a stop's trigger, canceled, replaced, expired).
pub fn details(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = accounts::account(state, call)?;
        let (b, _) = broker::at_now(state);
        let i = order_index(&b, account, call)?;
        let o = &b.orders[i];
        let login = state.user(o.user_id).map_or("", |u| u.login);
        let list: Vec<Json> = o
            .history
            .iter()
            .map(|r| resources::details_model(o, r, login).into())
            .collect();
        Ok(Reply::json(200, list))
    })())
}

/// `DELETE accounts/{accountId}/orders/{orderId}`: 204, or 409 when the
/// order is already finished.
pub fn cancel(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = accounts::account(state, call)?;
        let (mut b, now) = broker::at_now(state);
        let i = order_index(&b, account, call)?;
        let o = &mut b.orders[i];
        if o.status.is_terminal() {
            return Err(reply::message(
                409,
                format!(
                    "Order {} cannot be canceled: it is {}.",
                    o.id,
                    o.status.name()
                ),
            ));
        }
        o.set_status(Status::Canceled, "Complete", "Cancel", now);
        b.note_order(i);
        Ok(Reply::empty(204))
    })())
}

/// Binds a `ModifyOrderResource` (422) whose `Id` must be the route's
/// (400 otherwise).
fn modify_body(call: &Call) -> Result<Modify, Reply> {
    let modify = resources::parse_modify(&call.req.body)?;
    let route_id = call.param("orderId");
    if route_id.parse() != Ok(modify.id) {
        return Err(reply::message(
            400,
            format!(
                "The order id in the body ({}) does not match the route ({route_id}).",
                modify.id
            ),
        ));
    }
    Ok(modify)
}

/// The checked replacement of order `i`: the new request and its
/// verification; a finished order is 409, a business reject the 200 verify
/// model.
fn check_replace(
    state: &State,
    modify: &Modify,
    b: &Broker,
    account: &Account,
    i: usize,
    now: Ticks,
) -> Result<(Request, Verify), Reply> {
    let old = &b.orders[i];
    if old.status.is_terminal() {
        return Err(reply::message(
            409,
            format!(
                "Order {} cannot be modified: it is {}.",
                old.id,
                old.status.name()
            ),
        ));
    }
    let req = modify.apply(&old.req);
    let margin = b.book(account.id).margin;
    let reject = |r: Reject| Err(rejected(&Verify::rejected(r)));
    let target = match order_checks::static_check(&req, &state.market, margin, now) {
        Ok(target) => target,
        Err(r) => return reject(r),
    };
    if req.quantity <= old.executed {
        return reject((
            "QuantityLessThanExecuted",
            format!(
                "Quantity must exceed the executed quantity {}.",
                old.executed
            ),
        ));
    }
    // Money and shares are checked for what is left to trade, without the
    // old order's own commitment.
    let mut rest = req.clone();
    rest.quantity = req.quantity - old.executed;
    let v = order_checks::full(&rest, &ctx(state, b, account, now, Some(old.id)));
    if v.error.is_some() {
        return Err(rejected(&v));
    }
    let whole = order_checks::estimate(&req, &target, margin, now);
    Ok((req, whole))
}

/// `PUT accounts/{accountId}/orders/{orderId}`
pub fn replace(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = accounts::account(state, call)?;
        let modify = modify_body(call)?;
        let (mut b, now) = broker::at_now(state);
        let i = order_index(&b, account, call)?;
        let (req, verify) = check_replace(state, &modify, &b, account, i, now)?;
        let new_id = b.order_ids.next();
        let mut legs = b.orders[i].legs.clone();
        for leg in &mut legs {
            leg.id = b.order_ids.next();
        }
        let old = &mut b.orders[i];
        old.description = Some(format!("Replaced by order {new_id}"));
        old.set_status(Status::Replaced, "Complete", "Modify", now);
        let mut order = Order {
            id: new_id,
            req,
            legs,
            executed: old.executed,
            avg_price: old.avg_price,
            last_price: old.last_price,
            last_qty: old.last_qty,
            status: Status::PendingReplace,
            exec_status: Status::PendingReplace,
            request_status: "RequireValidation",
            target: "Modify",
            description: Some(format!("Replaces order {}", old.id)),
            created: now,
            updated: now,
            transaction_date: now,
            state_id: 1,
            accept_at: now + ACCEPT_DELAY,
            expire_at: None,
            triggered: false,
            cursor: 0,
            next_chunk: 0,
            per_trade_charged: old.per_trade_charged,
            replaces: Some(old.id),
            verify,
            history: Vec::new(),
            symbol: old.symbol.clone(),
            exchange: old.exchange,
            multiplier: old.multiplier,
            initial_kind: old.initial_kind,
            account_id: old.account_id,
            user_id: old.user_id,
            security_id: old.security_id,
        };
        order.record();
        let body = resources::model(&order);
        b.orders.push(order);
        b.note_order(i);
        Ok(Reply::json(200, body))
    })())
}

/// `PUT accounts/{accountId}/preview/orders/{orderId}`
pub fn preview_replace(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = accounts::account(state, call)?;
        let modify = modify_body(call)?;
        let (b, now) = broker::at_now(state);
        let i = order_index(&b, account, call)?;
        let (_, verify) = check_replace(state, &modify, &b, account, i, now)?;
        Ok(Reply::json(200, order_checks::model(&verify, None)))
    })())
}
