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
    DAY, GTD, GTD_PLUS, Modify, Order, Request, SIDES, STATUSES, Side, TIFS, TYPES,
};

/// `OrderResource`, fields in the documented order, absent ones omitted.
pub fn model(o: &Order) -> Obj {
    let expire = match o.req.expire_date {
        Some(t) if matches!(o.req.tif, GTD | GTD_PLUS) => clock::iso(t),
        _ => timestamps::UNSET.to_string(),
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
        .with("Legs", Vec::<Json>::new())
        .with("Exchange", o.exchange)
        .with("CreateDate", clock::iso(o.created))
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
        Some(s) => timestamps::parse_iso(&s)
            .map(|t| Some(clock::from_system(t)))
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
