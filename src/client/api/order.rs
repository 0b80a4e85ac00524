//! Orders are where money is: every order is checked before anything is sent, carries a
//! `ClientId` the caller can find it by, and uses the broker's wire spelling.

use crate::client::error::{Error, Result};
use crate::client::models::order::{
    ORDER_STATUSES, ORDER_TYPES as TYPES, SIDES, TIMES_IN_FORCE, status_is_final,
};
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Order types whose legs carry the symbols; the root's `Symbol` is `""`.
const MULTI_LEG: &[&str] = &[
    "OneCancelOther",
    "OneTriggerOther",
    "OneTriggerOneCancelOther",
];

/// Whether an order's `Status` (a name or its numeric code) is final. `Replaced` is final for
/// its id: the order lives on under the new id the replace answer gave.
pub fn is_terminal(status: &Value) -> bool {
    let code = match status {
        Value::String(s) => ORDER_STATUSES
            .iter()
            .position(|t| t.eq_ignore_ascii_case(s))
            .and_then(|c| i32::try_from(c).ok()),
        Value::Number(n) => n.as_i64().and_then(|c| i32::try_from(c).ok()),
        _ => None,
    };
    code.is_some_and(status_is_final)
}

/// A checked `CreateOrderResource`, ready to send.
#[derive(Debug, Clone)]
pub struct NewOrder {
    body: Map<String, Value>,
    client_id: String,
}

impl NewOrder {
    /// Checks the caller's `CreateOrderResource` JSON, gives it a `ClientId` when it has none,
    /// and spells time in force as the create route wants it (`TimeInforce`).
    pub fn from_json(json: &str) -> Result<NewOrder> {
        let Value::Object(mut body) = serde_json::from_str::<Value>(json)
            .map_err(|e| Error::invalid_argument(format!("order is not valid JSON: {e}")))?
        else {
            return Err(Error::invalid_argument("order must be a JSON object"));
        };
        rename(&mut body, &["TimeInForce", "TimeInforce"], "TimeInforce");
        check_order(&body, "order")?;
        let client_id = match get(&body, "ClientId") {
            None | Some(Value::Null) => None,
            Some(Value::String(id)) if id.is_empty() => None,
            Some(Value::String(id)) => {
                check_client_id(id)?;
                Some(id.clone())
            }
            Some(_) => {
                return Err(Error::invalid_argument(
                    "order field ClientId must be a string",
                ));
            }
        };
        let client_id = client_id.unwrap_or_else(new_client_id);
        rename(&mut body, &["ClientId"], "ClientId");
        body.insert("ClientId".into(), Value::String(client_id.clone()));
        Ok(NewOrder { body, client_id })
    }

    /// The common equity order, from the broker's names (`"Buy"`, `"Limit"`, `"Day"`). Prices
    /// are read only when the type needs them.
    pub fn simple(
        symbol: &str,
        side: &str,
        order_type: &str,
        quantity: f64,
        price: f64,
        stop_price: f64,
        time_in_force: &str,
    ) -> Result<NewOrder> {
        let mut body = Map::new();
        body.insert("Symbol".into(), Value::String(symbol.into()));
        body.insert("Side".into(), Value::String(side.into()));
        body.insert("Type".into(), Value::String(order_type.into()));
        body.insert("Quantity".into(), number(quantity, "Quantity")?);
        if matches!(order_type, "Limit" | "StopLimit") {
            body.insert("Price".into(), number(price, "Price")?);
        }
        if matches!(order_type, "Stop" | "StopLimit") {
            body.insert("StopPrice".into(), number(stop_price, "StopPrice")?);
        }
        body.insert("TimeInforce".into(), Value::String(time_in_force.into()));
        NewOrder::from_json(&Value::Object(body).to_string())
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub fn to_json(&self) -> String {
        Value::Object(self.body.clone()).to_string()
    }
}

/// Checks a `ModifyOrderResource` for order `order_id`: sets `Id` (or checks it agrees) and
/// checks the fields it changes.
pub fn modify_order_json(order_id: i64, json: &str) -> Result<String> {
    let Value::Object(mut body) = serde_json::from_str::<Value>(json)
        .map_err(|e| Error::invalid_argument(format!("order changes are not valid JSON: {e}")))?
    else {
        return Err(Error::invalid_argument(
            "order changes must be a JSON object",
        ));
    };
    match get(&body, "Id") {
        None | Some(Value::Null) => {}
        Some(id) if id.as_i64() == Some(order_id) => {}
        Some(id) => {
            return Err(Error::invalid_argument(format!(
                "order changes name Id {id}, but the order to replace is {order_id}"
            )));
        }
    }
    rename(&mut body, &["Id"], "Id");
    body.insert("Id".into(), Value::from(order_id));
    // The modify resource spells it with a capital F, unlike create.
    rename(&mut body, &["TimeInForce", "TimeInforce"], "TimeInForce");
    for field in ["Quantity", "Price", "StopPrice"] {
        if let Some(v) = get(&body, field) {
            positive(v, "order changes", field)?;
        }
    }
    check_enum(&body, "Type", TYPES, "order changes")?;
    check_enum(&body, "TimeInForce", TIMES_IN_FORCE, "order changes")?;
    Ok(Value::Object(body).to_string())
}

fn check_order(body: &Map<String, Value>, what: &str) -> Result<()> {
    let order_type = check_enum(body, "Type", TYPES, what)?
        .ok_or_else(|| Error::invalid_argument(format!("{what} field Type is missing")))?;
    check_enum(body, "Side", SIDES, what)?;
    check_enum(body, "TimeInforce", TIMES_IN_FORCE, what)?;
    let legs = match get(body, "Legs") {
        Some(Value::Array(legs)) => legs.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => {
            return Err(Error::invalid_argument(format!(
                "{what} field Legs must be an array"
            )));
        }
    };
    let multi_leg = MULTI_LEG.contains(&order_type) || !legs.is_empty();
    if multi_leg {
        if legs.is_empty() {
            return Err(Error::invalid_argument(format!(
                "{what} of type {order_type} needs Legs"
            )));
        }
        for (i, leg) in legs.iter().enumerate() {
            let Value::Object(leg) = leg else {
                return Err(Error::invalid_argument(format!(
                    "{what} leg {i} must be a JSON object"
                )));
            };
            check_leg(leg, &format!("{what} leg {i}"))?;
        }
    } else {
        check_symbol(body, what)?;
        check_enum(body, "Side", SIDES, what)?
            .ok_or_else(|| Error::invalid_argument(format!("{what} field Side is missing")))?;
        positive(required(body, "Quantity", what)?, what, "Quantity")?;
    }
    if matches!(order_type, "Limit" | "StopLimit") {
        positive(required(body, "Price", what)?, what, "Price")?;
    }
    if matches!(order_type, "Stop" | "StopLimit") {
        positive(required(body, "StopPrice", what)?, what, "StopPrice")?;
    }
    Ok(())
}

/// A leg: full orders for OTO/OCO legs, {Symbol, Quantity, Side} for option spreads.
fn check_leg(leg: &Map<String, Value>, what: &str) -> Result<()> {
    if get(leg, "Type").is_some() {
        let mut leg = leg.clone();
        rename(&mut leg, &["TimeInForce", "TimeInforce"], "TimeInforce");
        return check_order(&leg, what);
    }
    check_symbol(leg, what)?;
    check_enum(leg, "Side", SIDES, what)?
        .ok_or_else(|| Error::invalid_argument(format!("{what} field Side is missing")))?;
    positive(required(leg, "Quantity", what)?, what, "Quantity").map(|_| ())
}

fn check_symbol(body: &Map<String, Value>, what: &str) -> Result<()> {
    match get(body, "Symbol") {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(()),
        Some(Value::String(_)) | None | Some(Value::Null) => Err(Error::invalid_argument(format!(
            "{what} field Symbol is missing or empty"
        ))),
        Some(_) => Err(Error::invalid_argument(format!(
            "{what} field Symbol must be a string"
        ))),
    }
}

/// The field's value when it is one of `allowed` (exact spelling); `None` when absent.
fn check_enum(
    body: &Map<String, Value>,
    field: &str,
    allowed: &[&'static str],
    what: &str,
) -> Result<Option<&'static str>> {
    match get(body, field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => allowed
            .iter()
            .find(|a| **a == s)
            .map(|a| Some(*a))
            .ok_or_else(|| {
                Error::invalid_argument(format!(
                    "{what} field {field} '{s}' is not one of: {}",
                    allowed.join(", ")
                ))
            }),
        Some(other) => Err(Error::invalid_argument(format!(
            "{what} field {field} must be one of the names {} (got {other})",
            allowed.join(", ")
        ))),
    }
}

fn required<'a>(body: &'a Map<String, Value>, field: &str, what: &str) -> Result<&'a Value> {
    match get(body, field) {
        None | Some(Value::Null) => Err(Error::invalid_argument(format!(
            "{what} field {field} is missing"
        ))),
        Some(v) => Ok(v),
    }
}

fn positive(value: &Value, what: &str, field: &str) -> Result<f64> {
    match value.as_f64() {
        Some(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(Error::invalid_argument(format!(
            "{what} field {field} must be a number greater than 0 (got {value})"
        ))),
    }
}

fn number(x: f64, field: &str) -> Result<Value> {
    serde_json::Number::from_f64(x)
        .map(Value::Number)
        .ok_or_else(|| {
            Error::invalid_argument(format!(
                "order field {field} must be a finite number (got {x})"
            ))
        })
}

/// A field by name, ignoring case (the broker's JSON binding does).
fn get<'a>(body: &'a Map<String, Value>, field: &str) -> Option<&'a Value> {
    body.get(field).or_else(|| {
        body.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(field))
            .map(|(_, v)| v)
    })
}

/// Renames whichever key matches one of `names` (any case) to `to`.
fn rename(body: &mut Map<String, Value>, names: &[&str], to: &str) {
    let found: Vec<String> = body
        .keys()
        .filter(|k| names.iter().any(|n| k.eq_ignore_ascii_case(n)))
        .cloned()
        .collect();
    for key in found {
        if key != to {
            if let Some(v) = body.remove(&key) {
                body.insert(to.into(), v);
            }
        }
    }
}

/// A `ClientId` the library can find the order by again: 1 to 256 bytes, no quotes,
/// backslashes or control characters (it travels inside a quoted filter expression).
pub fn check_client_id(id: &str) -> Result<()> {
    if id.is_empty()
        || id.len() > 256
        || id.contains(['\'', '\\', '"'])
        || id.chars().any(char::is_control)
    {
        return Err(Error::invalid_argument(
            "ClientId must be 1 to 256 bytes without quotes, backslashes or control characters",
        ));
    }
    Ok(())
}

/// A `ClientId` no other order of this process, nor of another run, carries: the time, the
/// process id, a per-process random salt and a counter.
pub fn new_client_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static SALT: once_cell::sync::Lazy<u64> = once_cell::sync::Lazy::new(|| {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        h.finish()
    });
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "etna-{}-{}-{}-{}",
        base36(millis),
        base36(u64::from(std::process::id())),
        base36(*SALT & 0xFF_FFFF),
        base36(n)
    )
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ErrorKind;

    fn refused(json: &str) -> String {
        let e = NewOrder::from_json(json).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{json}");
        e.message().to_owned()
    }

    #[test]
    fn a_market_order_gets_a_client_id_and_the_wire_spelling() {
        let order = NewOrder::from_json(
            r#"{"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":100,"TimeInForce":"Day"}"#,
        )
        .unwrap();
        let sent: Value = serde_json::from_str(&order.to_json()).unwrap();
        assert_eq!(sent["TimeInforce"], "Day");
        assert!(sent.get("TimeInForce").is_none());
        assert_eq!(sent["ClientId"], order.client_id());
        assert!(order.client_id().starts_with("etna-"));
    }

    #[test]
    fn the_callers_client_id_is_kept() {
        let order = NewOrder::from_json(
            r#"{"symbol":"AAPL","type":"Market","side":"Sell","quantity":1,"clientId":"mine-1"}"#,
        )
        .unwrap();
        assert_eq!(order.client_id(), "mine-1");
        assert_eq!(
            serde_json::from_str::<Value>(&order.to_json()).unwrap()["ClientId"],
            "mine-1"
        );
    }

    #[test]
    fn bad_orders_are_refused_naming_the_field() {
        assert!(refused(r#"{"Type":"Market","Side":"Buy","Quantity":1}"#).contains("Symbol"));
        assert!(
            refused(r#"{"Symbol":"","Type":"Market","Side":"Buy","Quantity":1}"#)
                .contains("Symbol")
        );
        assert!(
            refused(r#"{"Symbol":"A","Type":"Market","Side":"Buy","Quantity":0}"#)
                .contains("Quantity")
        );
        assert!(
            refused(r#"{"Symbol":"A","Type":"Market","Side":"Buy","Quantity":-5}"#)
                .contains("Quantity")
        );
        assert!(
            refused(r#"{"Symbol":"A","Type":"Market","Side":"Buy","Quantity":"10"}"#)
                .contains("Quantity")
        );
        assert!(
            refused(r#"{"Symbol":"A","Type":"Limit","Side":"Buy","Quantity":1}"#).contains("Price")
        );
        assert!(
            refused(r#"{"Symbol":"A","Type":"Stop","Side":"Buy","Quantity":1}"#)
                .contains("StopPrice")
        );
        assert!(
            refused(r#"{"Symbol":"A","Type":"StopLimit","Side":"Buy","Quantity":1,"Price":2}"#)
                .contains("StopPrice")
        );
        assert!(
            refused(r#"{"Symbol":"A","Type":"Market","Side":"Purchase","Quantity":1}"#)
                .contains("Side")
        );
        assert!(
            refused(r#"{"Symbol":"A","Type":"Stop Limit","Side":"Buy","Quantity":1}"#)
                .contains("Type")
        );
        assert!(
            refused(
                r#"{"Symbol":"A","Type":"Market","Side":"Buy","Quantity":1,"TimeInforce":"GTC"}"#
            )
            .contains("TimeInforce")
        );
        assert!(refused(r#"{"Symbol":"A","Side":"Buy","Quantity":1}"#).contains("Type"));
        assert!(
            refused(r#"{"Symbol":"A","Type":"Market","Side":1,"Quantity":1}"#).contains("Side")
        );
        assert!(refused("[1]").contains("object"));
        assert!(
            refused(
                r#"{"Symbol":"A","Type":"Market","Side":"Buy","Quantity":1,"ClientId":"it's"}"#
            )
            .contains("ClientId")
        );
        assert!(refused("{").contains("JSON"));
    }

    #[test]
    fn simple_orders_read_prices_only_when_the_type_needs_them() {
        let market =
            NewOrder::simple("MSFT", "Buy", "Market", 10.0, f64::NAN, f64::NAN, "Day").unwrap();
        let sent: Value = serde_json::from_str(&market.to_json()).unwrap();
        assert!(sent.get("Price").is_none() && sent.get("StopPrice").is_none());
        let limit =
            NewOrder::simple("MSFT", "Sell", "Limit", 10.0, 401.5, 0.0, "GoodTillCancel").unwrap();
        assert_eq!(
            serde_json::from_str::<Value>(&limit.to_json()).unwrap()["Price"],
            401.5
        );
        for (qty, price) in [
            (f64::NAN, 1.0),
            (-1.0, 1.0),
            (f64::INFINITY, 1.0),
            (1.0, f64::NAN),
            (1.0, -2.0),
        ] {
            assert!(
                NewOrder::simple("MSFT", "Buy", "Limit", qty, price, 0.0, "Day").is_err(),
                "{qty} {price}"
            );
        }
    }

    #[test]
    fn multi_leg_orders_check_each_leg() {
        let oco = r#"{"Symbol":"","Type":"OneCancelOther","Legs":[
            {"Symbol":"A","Type":"Limit","Side":"Sell","Quantity":1,"Price":10},
            {"Symbol":"A","Type":"Stop","Side":"Sell","Quantity":1,"StopPrice":8}]}"#;
        assert!(NewOrder::from_json(oco).is_ok());
        let bad = oco.replace(r#""StopPrice":8"#, r#""Price":8"#);
        assert!(refused(&bad).contains("leg 1"));
        assert!(refused(r#"{"Symbol":"","Type":"OneCancelOther"}"#).contains("Legs"));
    }

    #[test]
    fn modifications_carry_the_order_id() {
        let json = modify_order_json(42, r#"{"Price":10.5,"TimeInforce":"Day"}"#).unwrap();
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            (v["Id"].as_i64(), v["TimeInForce"].as_str()),
            (Some(42), Some("Day"))
        );
        assert!(modify_order_json(42, r#"{"Id":43}"#).is_err());
        assert!(modify_order_json(42, r#"{"Quantity":-1}"#).is_err());
        assert!(modify_order_json(42, r#"{"Id":42,"Price":1}"#).is_ok());
    }

    #[test]
    fn client_ids_are_unique() {
        let ids: std::collections::HashSet<_> = (0..1000).map(|_| new_client_id()).collect();
        assert_eq!(ids.len(), 1000);
    }

    #[test]
    fn terminal_statuses_by_name_or_code() {
        for s in [
            "Filled",
            "Canceled",
            "Rejected",
            "Expired",
            "DoneForDay",
            "Error",
            "Replaced",
        ] {
            assert!(is_terminal(&Value::from(s)));
        }
        for s in [
            "New",
            "PendingNew",
            "PartiallyFilled",
            "PendingCancel",
            "PendingReplace",
        ] {
            assert!(!is_terminal(&Value::from(s)));
        }
        assert!(is_terminal(&Value::from(2)) && !is_terminal(&Value::from(0)));
    }
}
