//! Orders: the broker's order enums (sides, types, times in force,
//! statuses, by name and numeric code), the order record the engine works
//! on, the request a client made, and the change a replace asks for.
//! How they go over the wire is in `routes::order_resources`.

use crate::market::clock::Ticks;
use crate::trading::order_checks::Verify;

pub const SIDES: &[&str] = &["Buy", "Sell", "SellShort", "BuyToCover"];
pub const TYPES: &[&str] = &[
    "Market",
    "Limit",
    "Stop",
    "StopLimit",
    "Pegged",
    "TrailingStop",
    "TrailingStopLimit",
    "OneCancelOther",
    "OneTriggerOther",
    "OneTriggerOneCancelOther",
    "External",
    "MutualFundsExchange",
    "StagingBlotter",
];
pub const TIFS: &[&str] = &[
    "Day",
    "GoodTillCancel",
    "AtTheOpening",
    "ImmediateOrCancel",
    "FillOrKill",
    "GoodTillCrossing",
    "GoodTillDate",
    "GoodTillTime",
    "AtTheClose",
    "GoodTillCancelPlus",
    "GoodTillDatePlus",
];
/// Status and ExecutionStatus names; the position is the numeric code.
pub const STATUSES: &[&str] = &[
    "New",
    "PartiallyFilled",
    "Filled",
    "DoneForDay",
    "Canceled",
    "Replaced",
    "PendingCancel",
    "Stopped",
    "Rejected",
    "Suspended",
    "PendingNew",
    "Calculated",
    "Expired",
    "AcceptedForBidding",
    "PendingReplace",
    "Error",
    "Held",
];

pub const MARKET: usize = 0;
pub const LIMIT: usize = 1;
pub const STOP: usize = 2;
pub const STOP_LIMIT: usize = 3;

pub const DAY: usize = 0;
pub const GTC: usize = 1;
pub const IOC: usize = 3;
pub const FOK: usize = 4;
pub const GTD: usize = 6;
pub const GTC_PLUS: usize = 9;
pub const GTD_PLUS: usize = 10;

/// The statuses the simulator uses, with their documented codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    New = 0,
    PartiallyFilled = 1,
    Filled = 2,
    Canceled = 4,
    Replaced = 5,
    Rejected = 8,
    PendingNew = 10,
    Expired = 12,
    PendingReplace = 14,
}

impl Status {
    pub fn name(self) -> &'static str {
        STATUSES[self as usize]
    }

    /// Filled, Canceled, Rejected, Expired, Replaced: nothing more happens.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::Filled
                | Status::Canceled
                | Status::Rejected
                | Status::Expired
                | Status::Replaced
        )
    }

    /// Waiting for the engine to accept it.
    pub fn is_pending(self) -> bool {
        matches!(self, Status::PendingNew | Status::PendingReplace)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Buy = 0,
    Sell = 1,
    SellShort = 2,
    BuyToCover = 3,
}

impl Side {
    /// The side at this position of [`SIDES`].
    pub fn from_index(i: usize) -> Side {
        [Side::Buy, Side::Sell, Side::SellShort, Side::BuyToCover][i]
    }

    pub fn name(self) -> &'static str {
        SIDES[self as usize]
    }

    /// Buy and BuyToCover add shares; Sell and SellShort remove them.
    pub fn is_buy(self) -> bool {
        matches!(self, Side::Buy | Side::BuyToCover)
    }
}

/// What a client asked for: a `CreateOrderResource`, or an order as a
/// `ModifyOrderResource` would leave it.
///
/// A multi-leg order (`legs` not empty) has no symbol of its own; its `quantity` is the
/// number of spreads, the greatest common divisor of its legs' quantities, and its `price`
/// the net price of one spread per share (positive a debit, negative a credit).
#[derive(Clone, Debug)]
pub struct Request {
    pub symbol: Option<String>,
    pub client_id: Option<String>,
    pub comment: Option<String>,
    pub kind: usize,
    pub side: Side,
    pub tif: usize,
    pub quantity: f64,
    pub price: Option<f64>,
    pub stop_price: Option<f64>,
    pub expire_date: Option<Ticks>,
    /// The legs of a multi-leg order, as sent.
    pub legs: Vec<LegRequest>,
    /// Whether the body carried `Legs` at all (an empty list is a multi-leg order without
    /// legs, which the checks refuse).
    pub multi_leg: bool,
}

/// One leg as a client sent it: `{Symbol, Quantity, Side}`.
#[derive(Clone, Debug)]
pub struct LegRequest {
    pub symbol: String,
    pub quantity: f64,
    pub side: Side,
}

impl Request {
    /// Whether this is a multi-leg order: it has legs, or it carried `Legs` (even empty)
    /// without a symbol of its own.
    pub fn is_multi_leg(&self) -> bool {
        !self.legs.is_empty()
            || (self.multi_leg && self.symbol.as_deref().unwrap_or("").trim().is_empty())
    }

    /// The number of spreads a multi-leg request makes: the greatest common divisor of its
    /// legs' quantities (0 when a quantity is not a whole number above zero).
    pub fn spreads(&self) -> f64 {
        let mut g: u64 = 0;
        for leg in &self.legs {
            let q = leg.quantity;
            if !(q >= 1.0 && q.fract() == 0.0 && q < 1e9) {
                return 0.0;
            }
            let (mut a, mut b) = (g, q as u64);
            while b != 0 {
                (a, b) = (b, a % b);
            }
            g = a;
        }
        g as f64
    }
}

/// A leg of a working or finished multi-leg order.
#[derive(Clone, Debug)]
pub struct Leg {
    /// Its own id (from the order ids), shown with the root's id as `ParentId`.
    pub id: i64,
    pub security_id: i64,
    pub symbol: String,
    pub side: Side,
    /// Contracts per spread.
    pub ratio: f64,
    pub executed: f64,
    pub avg_price: f64,
    pub last_price: f64,
}

/// The state of an order after one change, for `orders/{id}/details`.
#[derive(Clone, Debug)]
pub struct StateRecord {
    pub state_id: i64,
    pub status: Status,
    pub request_status: &'static str,
    pub target: &'static str,
    pub quantity: f64,
    pub executed: f64,
    pub leaves: f64,
    pub price: Option<f64>,
    pub stop_price: Option<f64>,
    pub last_price: f64,
    pub last_qty: f64,
    pub avg_price: f64,
    pub at: Ticks,
    pub description: Option<String>,
}

pub struct Order {
    pub id: i64,
    pub account_id: i64,
    pub user_id: i64,
    /// The instrument's id; 0 for a multi-leg order.
    pub security_id: i64,
    /// The ticker or OSI symbol; `""` for a multi-leg order.
    pub symbol: String,
    pub exchange: &'static str,
    /// Shares per unit of quantity: 1, or 100 for options (single or multi-leg).
    pub multiplier: f64,
    pub req: Request,
    /// The legs of a multi-leg order (empty otherwise).
    pub legs: Vec<Leg>,
    pub initial_kind: usize,
    pub executed: f64,
    pub avg_price: f64,
    pub last_price: f64,
    pub last_qty: f64,
    pub status: Status,
    pub exec_status: Status,
    pub request_status: &'static str,
    pub target: &'static str,
    pub description: Option<String>,
    pub created: Ticks,
    /// Last change of any kind (`Date`).
    pub updated: Ticks,
    /// Last execution or creation (`TransactionDate`).
    pub transaction_date: Ticks,
    pub state_id: i64,
    /// When a pending order is accepted or rejected.
    pub accept_at: Ticks,
    /// When a working order stops (Day close, GoodTillDate, IOC/FOK).
    pub expire_at: Option<Ticks>,
    /// A Stop / StopLimit whose stop price was reached.
    pub triggered: bool,
    /// First session second not yet searched for a fill.
    pub cursor: i64,
    /// Earliest session second for the next execution (partial fills are
    /// spaced out).
    pub next_chunk: i64,
    /// Whether the per-trade commission has been charged.
    pub per_trade_charged: bool,
    /// Created by a replace: accepted without new checks.
    pub replaces: Option<i64>,
    /// The last verification (placement, then acceptance), for
    /// `GET verified/orders/{id}`.
    pub verify: Verify,
    /// Every state the order went through, oldest first.
    pub history: Vec<StateRecord>,
}

impl Order {
    pub fn leaves(&self) -> f64 {
        if self.status.is_terminal() {
            0.0
        } else {
            (self.req.quantity - self.executed).max(0.0)
        }
    }

    pub fn is_working(&self) -> bool {
        matches!(self.status, Status::New | Status::PartiallyFilled)
    }

    /// What the order trades, as (instrument id, side, quantity left): its own security, or
    /// each leg's contracts.
    pub fn pieces(&self) -> Vec<(i64, Side, f64)> {
        let leaves = self.leaves();
        if self.legs.is_empty() {
            vec![(self.security_id, self.req.side, leaves)]
        } else {
            self.legs
                .iter()
                .map(|l| (l.security_id, l.side, l.ratio * leaves))
                .collect()
        }
    }

    /// Appends the order's current state to its history.
    pub fn record(&mut self) {
        let record = StateRecord {
            state_id: self.state_id,
            status: self.status,
            request_status: self.request_status,
            target: self.target,
            quantity: self.req.quantity,
            executed: self.executed,
            leaves: self.leaves(),
            price: self.req.price,
            stop_price: self.req.stop_price,
            last_price: self.last_price,
            last_qty: self.last_qty,
            avg_price: self.avg_price,
            at: self.updated,
            description: self.description.clone(),
        };
        self.history.push(record);
    }

    /// Moves to a new status; `ExecutionStatus` follows it.
    pub fn set_status(
        &mut self,
        status: Status,
        request_status: &'static str,
        target: &'static str,
        at: Ticks,
    ) {
        self.status = status;
        self.exec_status = status;
        self.request_status = request_status;
        self.target = target;
        self.updated = at;
        self.state_id += 1;
        self.record();
    }
}

/// What a `ModifyOrderResource` changes.
#[derive(Debug)]
pub struct Modify {
    pub id: i64,
    pub kind: Option<usize>,
    pub tif: Option<usize>,
    pub quantity: Option<f64>,
    pub price: Option<f64>,
    pub stop_price: Option<f64>,
    pub expire_date: Option<Ticks>,
    pub client_id: Option<String>,
    pub comment: Option<String>,
}

impl Modify {
    /// The request an order would carry after this change. Prices not
    /// given are kept; a type that no longer uses a price drops it.
    pub fn apply(&self, old: &Request) -> Request {
        let kind = self.kind.unwrap_or(old.kind);
        let mut req = Request {
            kind,
            tif: self.tif.unwrap_or(old.tif),
            quantity: self.quantity.unwrap_or(old.quantity),
            price: self.price.or(old.price),
            stop_price: self.stop_price.or(old.stop_price),
            expire_date: self.expire_date.or(old.expire_date),
            client_id: self.client_id.clone().or_else(|| old.client_id.clone()),
            comment: self.comment.clone().or_else(|| old.comment.clone()),
            ..old.clone()
        };
        if self.kind.is_some() {
            // A type change takes only the prices sent with it.
            req.price = self.price;
            req.stop_price = self.stop_price;
        }
        if !matches!(kind, LIMIT | STOP_LIMIT) {
            req.price = None;
        }
        if !matches!(kind, STOP | STOP_LIMIT) {
            req.stop_price = None;
        }
        if let Some(spreads) = self.quantity
            && !old.legs.is_empty()
        {
            // A multi-leg order's quantity counts spreads: its legs scale with it.
            let before = old.spreads();
            if before > 0.0 {
                for leg in &mut req.legs {
                    leg.quantity = leg.quantity / before * spreads;
                }
            }
        }
        req
    }
}
