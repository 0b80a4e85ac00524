//! The order resources on the wire: `OrderResource` as the order routes
//! write it (and its fields for `filter` and `sortField`), and the bodies
//! that create and modify orders (`CreateOrderResource`,
//! `ModifyOrderResource`), bound the way the broker binds them.

use crate::http::body::{self, Body};
use crate::http::filter::{Kind, Schema, Val};
use crate::http::reply::{self, Reply};
use crate::json::{Json, Obj};
use crate::market::clock::{self, Ticks};
use crate::market::timestamps;
use crate::trading::orders::{
    DAY, GTD, GTD_PLUS, Leg, LegRequest, Modify, Order, Request, SIDES, STATUSES, Side,
    StateRecord, TIFS, TYPES,
};

/// A leg of a multi-leg order in `Legs`: an `OrderItem` with the leg's own id, its option,
/// side and quantities, and the root's id as `ParentId`; as the order is now, or (`at`) as
/// it was in one of its past states (a multi-leg order fills whole, so a past state's leg
/// quantities follow from the root's).
fn leg_model(o: &Order, leg: &Leg, at: Option<&StateRecord>) -> Obj {
    let quantity = leg.ratio * o.req.quantity;
    let (status, executed, leaves, avg, last) = match at {
        None => (
            o.status,
            leg.executed,
            leg.ratio * o.leaves(),
            leg.avg_price,
            leg.last_price,
        ),
        Some(r) if r.executed > 0.0 => (
            r.status,
            leg.ratio * r.executed,
            leg.ratio * r.leaves,
            leg.avg_price,
            leg.last_price,
        ),
        Some(r) => (r.status, 0.0, leg.ratio * r.leaves, 0.0, 0.0),
    };
    Obj::new()
        .with("Id", leg.id)
        .with("SecurityId", leg.security_id)
        .with("Symbol", leg.symbol.as_str())
        .with("Quantity", quantity)
        .with("ExecutedQuantity", executed)
        .with("LeavesQuantity", leaves)
        .with("AveragePrice", avg)
        .with("LastPrice", last)
        .with("Side", leg.side.name())
        .with("Status", status.name())
        .with("Type", "Market")
        .with("TimeInForce", TIFS[o.req.tif])
        .with("ParentId", o.id)
        .with("SecurityType", "Option")
        .with("Exchange", o.exchange)
        .with("Currency", "USD")
}

/// `OrderResource`, fields in the documented order, absent ones omitted. A multi-leg order
/// has `Symbol` `""`, `SecurityId` 0, its number of spreads as `Quantity`, its net price as
/// `Price` and `AveragePrice`, and its legs in `Legs`.
pub fn model(o: &Order) -> Obj {
    let expire = match o.req.expire_date {
        Some(t) if matches!(o.req.tif, GTD | GTD_PLUS) => clock::iso(t),
        _ => timestamps::UNSET.to_string(),
    };
    Obj::new()
        .with("Id", o.id)
        .with("SecurityId", o.security_id)
        .with("Symbol", o.symbol.as_str())
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
        .with("Date", clock::iso(o.updated))
        .with("TransactionDate", clock::iso(o.transaction_date))
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
        .with(
            "Legs",
            o.legs
                .iter()
                .map(|l| Json::from(leg_model(o, l, None)))
                .collect::<Vec<_>>(),
        )
        .with("Exchange", o.exchange)
        .with("CreateDate", clock::iso(o.created))
        .with("InitialType", TYPES[o.initial_kind])
        .with("IsExternal", false)
        .with("TransType", "New")
        .with("Currency", "USD")
}

/// One `OrderDetailsModel`: the order as it was after one state change (`StateId`,
/// `Status`, `ExecutionStatus`, `RequestStatus`, `ExecutionTarget`, quantities and prices
/// then, `Date` the change's instant, `OrderStatusDescription` its description), with the
/// order's fixed fields.
pub fn details_model(o: &Order, r: &StateRecord, login: &str) -> Obj {
    Obj::new()
        .with("Id", o.id)
        .with("StateId", r.state_id)
        .with("IsRequest", r.status.is_pending())
        .with("ExecutionTarget", r.target)
        .with("UserId", o.user_id)
        .with("Login", login)
        .opt("ClientId", o.req.client_id.clone())
        .with("RequestStatus", r.request_status)
        .with("ExecutionStatus", r.status.name())
        .with("Status", r.status.name())
        .opt("OrderStatusDescription", r.description.clone())
        .with("IsCompleted", r.status.is_terminal())
        .with("TransType", "New")
        .with("SecurityId", o.security_id)
        .with("Symbol", o.symbol.as_str())
        .with("Side", o.req.side.name())
        .with("Type", TYPES[o.req.kind])
        .with("InitialType", TYPES[o.initial_kind])
        .with("TimeInForce", TIFS[o.req.tif])
        .with("Quantity", r.quantity)
        .opt("Price", r.price)
        .opt("StopPrice", r.stop_price)
        .with("ExecutedQuantity", r.executed)
        .with("LeavesQuantity", r.leaves)
        .with("LastPrice", r.last_price)
        .with("LastQuantity", r.last_qty)
        .with("AveragePrice", r.avg_price)
        .with("CreateDate", clock::iso(o.created))
        .with("Date", clock::iso(r.at))
        .with("Exchange", o.exchange)
        .with("Currency", "USD")
        .with("ParentId", -1)
        .with(
            "Legs",
            o.legs
                .iter()
                .map(|l| Json::from(leg_model(o, l, Some(r))))
                .collect::<Vec<_>>(),
        )
        .with("RequestId", o.id)
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
        "Symbol" => Val::Text(o.symbol.clone()),
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
        Some(s) => timestamps::parse_iso(&s)
            .map(|t| Some(clock::from_system(t)))
            .ok_or(body::Unbindable),
    }
}

/// Binds a `CreateOrderResource`. `Type`, `Side` and `Quantity` are
/// required (a missing or unbindable one, and a body that is not a JSON
/// object, is the documented 422 naming `placeParams.<Field>`), except on a
/// multi-leg order (`Legs` given): there `Side` and `Quantity` may be left out
/// (the quantity is the number of spreads the legs make), and each leg needs a
/// `Symbol`, a `Side` and a numeric `Quantity` (`placeParams.Legs[i].<Field>`).
pub fn parse_create(bytes: &[u8]) -> Result<Request, Reply> {
    let Some(b) = Body::parse(bytes) else {
        return Err(reply::validation_error(&["placeParams".to_string()]));
    };
    let mut bad = Vec::new();
    let mut flag = |name: &str| bad.push(format!("placeParams.{name}"));
    let (legs, multi_leg) = match b.get("Legs") {
        None => (Vec::new(), false),
        Some(serde_json::Value::Array(items)) => {
            let mut legs = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match parse_leg(item) {
                    Ok(leg) => legs.push(leg),
                    Err(fields) => {
                        for field in fields {
                            flag(&format!("Legs[{i}]{field}"));
                        }
                    }
                }
            }
            (legs, true)
        }
        Some(_) => {
            flag("Legs");
            (Vec::new(), true)
        }
    };
    let kind = body::member(b.get("Type"), TYPES).unwrap_or(None);
    if kind.is_none() {
        flag("Type");
    }
    let side = match body::member(b.get("Side"), SIDES) {
        Ok(None) if multi_leg => Some(0),
        Ok(side) => side,
        Err(_) => None,
    };
    if side.is_none() {
        flag("Side");
    }
    let quantity = match body::num(b.get("Quantity")) {
        Ok(None) if multi_leg => Some(0.0),
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
        (Some(kind), Some(side), Some(quantity)) if bad.is_empty() => {
            let mut req = Request {
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
                legs,
                multi_leg,
            };
            if req.is_multi_leg() {
                req.quantity = req.spreads();
            }
            Ok(req)
        }
        _ => Err(reply::validation_error(&bad)),
    }
}

/// Binds one leg `{Symbol, Quantity, Side}`; the fields that do not bind, as `.Field`
/// (or `""` for a leg that is not an object).
fn parse_leg(item: &serde_json::Value) -> Result<LegRequest, Vec<String>> {
    let serde_json::Value::Object(map) = item else {
        return Err(vec![String::new()]);
    };
    let b = Body::from_map(map.clone());
    let mut bad = Vec::new();
    let symbol = match body::text(b.get("Symbol")) {
        Ok(Some(s)) => Some(s),
        _ => {
            bad.push(".Symbol".to_string());
            None
        }
    };
    let side = match body::member(b.get("Side"), SIDES) {
        Ok(Some(side)) => Some(Side::from_index(side)),
        _ => {
            bad.push(".Side".to_string());
            None
        }
    };
    let quantity = match body::num(b.get("Quantity")) {
        Ok(Some(q)) if q.is_finite() => Some(q),
        _ => {
            bad.push(".Quantity".to_string());
            None
        }
    };
    match (symbol, side, quantity) {
        (Some(symbol), Some(side), Some(quantity)) => Ok(LegRequest {
            symbol,
            quantity,
            side,
        }),
        _ => Err(bad),
    }
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
    use crate::trading::orders::{GTC, LIMIT, MARKET};

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
