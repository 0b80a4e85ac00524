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
}

pub struct Order {
    pub id: i64,
    pub account_id: i64,
    pub user_id: i64,
    pub security_id: i64,
    pub symbol: &'static str,
    pub exchange: &'static str,
    pub req: Request,
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
        req
    }
}
