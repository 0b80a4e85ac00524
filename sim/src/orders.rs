//! Orders: the enums of reference §7, the order record, `OrderResource`
//! (§4) and the bodies that create and modify orders
//! (`CreateOrderResource`, `ModifyOrderResource`).

use super::body::{self, Body};
use super::filter::{Kind, Schema, Val};
use super::json::{Json, Obj};
use super::reply::{self, Reply};
use super::sim_clock::{self, Ticks};
use super::verify::Verify;

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
    fn from_index(i: usize) -> Side {
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

/// `OrderResource`, fields in the documented order, absent ones omitted.
pub fn model(o: &Order) -> Obj {
    let expire = match o.req.expire_date {
        Some(t) if matches!(o.req.tif, GTD | GTD_PLUS) => sim_clock::iso(t),
        _ => super::clock::UNSET.to_string(),
    };
    Obj::new()
        .with("Id", o.id)
        .with("SecurityId", o.security_id)
        .with("Symbol", o.symbol)
        .with("Quantity", o.req.quantity)
        .opt("Price", o.req.price)
        .opt("StopPrice", o.req.stop_price)
        .opt("ClientId", o.req.client_id.clone())
        .with("ExecutedQuantity", o.executed)
        .with("LastPrice", o.last_price)
        .with("LastQuantity", o.last_qty)
        .with("LeavesQuantity", o.leaves())
        .with("AveragePrice", o.avg_price)
        .with("Side", o.req.side.name())
        .with("Date", sim_clock::iso(o.updated))
        .with("TransactionDate", sim_clock::iso(o.transaction_date))
        .with("Status", o.status.name())
        .with("ExecutionStatus", o.exec_status.name())
        .with("Type", TYPES[o.req.kind])
        .with("RequestStatus", o.request_status)
        .with("Target", o.target)
        .opt("Description", o.description.clone())
        .opt("Comment", o.req.comment.clone())
        .with("TimeInForce", TIFS[o.req.tif])
        .with("ExpireDate", expire)
        .with("AccountId", o.account_id)
        .with("UserId", o.user_id)
        .with("StateId", o.state_id)
        .with("ParentId", -1)
        .with("Legs", Vec::<Json>::new())
        .with("Exchange", o.exchange)
        .with("CreateDate", sim_clock::iso(o.created))
        .with("InitialType", TYPES[o.initial_kind])
        .with("IsExternal", false)
        .with("TransType", "New")
        .with("Currency", "USD")
}

/// Fields for `filter` and `sortField` on the orders list.
pub const SCHEMA: Schema = &[
    ("Id", Kind::Num),
    ("Status", Kind::Enum(STATUSES)),
    ("ExecutionStatus", Kind::Enum(STATUSES)),
    ("Side", Kind::Enum(SIDES)),
    ("Type", Kind::Enum(TYPES)),
    ("TimeInForce", Kind::Enum(TIFS)),
    ("Symbol", Kind::Text),
    ("ClientId", Kind::Text),
    ("Comment", Kind::Text),
    ("Quantity", Kind::Num),
    ("Price", Kind::Num),
    ("StopPrice", Kind::Num),
    ("ExecutedQuantity", Kind::Num),
    ("LeavesQuantity", Kind::Num),
    ("AveragePrice", Kind::Num),
    ("SecurityId", Kind::Num),
    ("AccountId", Kind::Num),
    ("CreateDate", Kind::Date),
    ("Date", Kind::Date),
    ("TransactionDate", Kind::Date),
];

/// A field of [`SCHEMA`].
pub fn field(o: &Order, name: &str) -> Val {
    let opt = |v: Option<f64>| v.map(Val::Num).unwrap_or(Val::Null);
    match name {
        "Id" => Val::Num(o.id as f64),
        "Status" => Val::Enum(o.status as usize),
        "ExecutionStatus" => Val::Enum(o.exec_status as usize),
        "Side" => Val::Enum(o.req.side as usize),
        "Type" => Val::Enum(o.req.kind),
        "TimeInForce" => Val::Enum(o.req.tif),
        "Symbol" => Val::Text(o.symbol.to_string()),
        "ClientId" => o.req.client_id.clone().map(Val::Text).unwrap_or(Val::Null),
        "Comment" => o.req.comment.clone().map(Val::Text).unwrap_or(Val::Null),
        "Quantity" => Val::Num(o.req.quantity),
        "Price" => opt(o.req.price),
        "StopPrice" => opt(o.req.stop_price),
        "ExecutedQuantity" => Val::Num(o.executed),
        "LeavesQuantity" => Val::Num(o.leaves()),
        "AveragePrice" => Val::Num(o.avg_price),
        "SecurityId" => Val::Num(o.security_id as f64),
        "AccountId" => Val::Num(o.account_id as f64),
        "CreateDate" => Val::Date(o.created),
        "Date" => Val::Date(o.updated),
        "TransactionDate" => Val::Date(o.transaction_date),
        _ => Val::Null,
    }
}

/// Reads an optional date property (ISO text).
fn date(b: &Body, name: &str) -> Result<Option<Ticks>, body::Unbindable> {
    match body::text(b.get(name))? {
        None => Ok(None),
        Some(s) => super::clock::parse_iso(&s)
            .map(|t| Some(sim_clock::from_system(t)))
            .ok_or(body::Unbindable),
    }
}

/// Binds a `CreateOrderResource`. `Type`, `Side` and `Quantity` are
/// required; a missing or unbindable one (and a body that is not a JSON
/// object) is the documented 422 naming `placeParams.<Field>`.
pub fn parse_create(bytes: &[u8]) -> Result<Request, Reply> {
    let Some(b) = Body::parse(bytes) else {
        return Err(reply::validation_error(&["placeParams".to_string()]));
    };
    let mut bad = Vec::new();
    let mut flag = |name: &str| bad.push(format!("placeParams.{name}"));
    let kind = body::member(b.get("Type"), TYPES).unwrap_or(None);
    if kind.is_none() {
        flag("Type");
    }
    let side = body::member(b.get("Side"), SIDES).unwrap_or(None);
    if side.is_none() {
        flag("Side");
    }
    let quantity = match body::num(b.get("Quantity")) {
        Ok(Some(q)) if q >= 0.0 && q.is_finite() => Some(q),
        _ => None,
    };
    if quantity.is_none() {
        flag("Quantity");
    }
    // `TimeInforce` is the documented create spelling; accept `TimeInForce`
    // too (names are case-insensitive, so one lookup covers both).
    let tif = or_flag(body::member(b.get("TimeInforce"), TIFS), || {
        flag("TimeInforce")
    });
    let price = or_flag(body::num(b.get("Price")), || flag("Price"));
    let stop_price = or_flag(body::num(b.get("StopPrice")), || flag("StopPrice"));
    let expire_date = or_flag(date(&b, "ExpireDate"), || flag("ExpireDate"));
    let symbol = or_flag(body::text(b.get("Symbol")), || flag("Symbol"));
    let client_id = or_flag(body::text(b.get("ClientId")), || flag("ClientId"));
    let comment = or_flag(body::text(b.get("Comment")), || flag("Comment"));
    match (kind, side, quantity) {
        (Some(kind), Some(side), Some(quantity)) if bad.is_empty() => Ok(Request {
            symbol,
            client_id,
            comment,
            kind,
            side: Side::from_index(side),
            tif: tif.unwrap_or(DAY),
            quantity,
            price,
            stop_price,
            expire_date,
        }),
        _ => Err(reply::validation_error(&bad)),
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

/// Binds a `ModifyOrderResource`: `Id` required, the rest optional; errors
/// are the 422 naming `modifyParams.<Field>`.
pub fn parse_modify(bytes: &[u8]) -> Result<Modify, Reply> {
    let Some(b) = Body::parse(bytes) else {
        return Err(reply::validation_error(&["modifyParams".to_string()]));
    };
    let mut bad = Vec::new();
    let mut flag = |name: &str| bad.push(format!("modifyParams.{name}"));
    let id = body::int(b.get("Id")).unwrap_or(None);
    if id.is_none() {
        flag("Id");
    }
    let kind = or_flag(body::member(b.get("Type"), TYPES), || flag("Type"));
    let tif = or_flag(body::member(b.get("TimeInForce"), TIFS), || {
        flag("TimeInForce")
    });
    let quantity = match body::num(b.get("Quantity")) {
        Ok(Some(q)) if q < 0.0 || !q.is_finite() => {
            flag("Quantity");
            None
        }
        Ok(q) => q,
        Err(_) => {
            flag("Quantity");
            None
        }
    };
    let price = or_flag(body::num(b.get("Price")), || flag("Price"));
    let stop_price = or_flag(body::num(b.get("StopPrice")), || flag("StopPrice"));
    let expire_date = or_flag(date(&b, "ExpireDate"), || flag("ExpireDate"));
    let client_id = or_flag(body::text(b.get("ClientId")), || flag("ClientId"));
    let comment = or_flag(body::text(b.get("Comment")), || flag("Comment"));
    match id {
        Some(id) if bad.is_empty() => Ok(Modify {
            id,
            kind,
            tif,
            quantity,
            price,
            stop_price,
            expire_date,
            client_id,
            comment,
        }),
        _ => Err(reply::validation_error(&bad)),
    }
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

/// The value of an optional field, or `None` after `flag` records that it could not be bound.
fn or_flag<T, E>(bound: Result<Option<T>, E>, flag: impl FnOnce()) -> Option<T> {
    bound.unwrap_or_else(|_| {
        flag();
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_bodies() {
        let r = parse_create(br#"{"symbol":"AAPL","type":"Limit","side":"buy","quantity":10,"price":"1.5","TimeInForce":"GoodTillCancel","ClientId":"c-1"}"#).unwrap();
        assert_eq!(
            (r.kind, r.side, r.tif, r.quantity),
            (LIMIT, Side::Buy, GTC, 10.0)
        );
        assert_eq!(r.price, Some(1.5));
        assert_eq!(r.client_id.as_deref(), Some("c-1"));
        let r = parse_create(
            br#"{"Symbol":"AAPL","Type":"Market","Side":"Sell","Quantity":1,"TimeInforce":"Day"}"#,
        )
        .unwrap();
        assert_eq!((r.kind, r.side, r.tif), (MARKET, Side::Sell, DAY));

        let body = |r: Result<Request, Reply>| r.unwrap_err().body.unwrap();
        assert_eq!(
            body(parse_create(
                br#"{"Symbol":"AAPL","Side":"Buy","Quantity":1}"#
            )),
            r#"{"Message":"Validation error occured while processing entity","ModelState":{"placeParams.Type":["An error has occurred."]}}"#
        );
        assert!(body(parse_create(br#"{"Type":"Fast","Side":"Up","Quantity":-1}"#)).contains(
            r#"{"placeParams.Type":["An error has occurred."],"placeParams.Side":["An error has occurred."],"placeParams.Quantity":["An error has occurred."]}"#
        ));
        assert!(body(parse_create(b"not json")).contains(r#""ModelState":{"placeParams":["#));
        assert!(
            body(parse_create(
                br#"{"Type":"Market","Side":"Buy","Quantity":1,"TimeInforce":"Forever"}"#
            ))
            .contains("placeParams.TimeInforce")
        );
    }

    #[test]
    fn modify_bodies() {
        assert!(
            parse_modify(br#"{"Quantity":5}"#)
                .unwrap_err()
                .body
                .unwrap()
                .contains("modifyParams.Id")
        );
        let m = parse_modify(br#"{"id":7,"price":2}"#).unwrap();
        let old =
            parse_create(br#"{"Symbol":"F","Type":"Limit","Side":"Buy","Quantity":3,"Price":1}"#)
                .unwrap();
        let new = m.apply(&old);
        assert_eq!((m.id, new.price, new.quantity), (7, Some(2.0), 3.0));
        let to_market = parse_modify(br#"{"Id":7,"Type":"Market"}"#)
            .unwrap()
            .apply(&old);
        assert_eq!((to_market.kind, to_market.price), (MARKET, None));
    }
}
