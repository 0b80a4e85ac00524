//! A user's trading settings: `GET` and `PUT users/{userId}/settings/trading`
//! (`UserTradingSettingsModel`).
//!
//! Every user starts with the same defaults. A `PUT` body (bound as `tradingSettings`) changes
//! the properties it names, nested objects merged property by property (names
//! case-insensitive, unknown ones ignored, `null` the same as absent); a value of the wrong
//! JSON type is the 422 naming `tradingSettings.<Path>` and changes nothing. Both answer the
//! settings as they are then. The simulator stores the settings and does not act on them.

use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::{Json, Obj};
use crate::routes::users;
use crate::{State, lock};

/// The stored settings, per user.
#[derive(Default)]
pub struct Settings {
    by_user: Vec<(i64, Obj)>,
}

impl Settings {
    fn of(&self, user: i64) -> Obj {
        self.by_user
            .iter()
            .find(|(u, _)| *u == user)
            .map_or_else(defaults, |(_, s)| s.clone())
    }

    fn set(&mut self, user: i64, settings: Obj) {
        match self.by_user.iter_mut().find(|(u, _)| *u == user) {
            Some((_, s)) => *s = settings,
            None => self.by_user.push((user, settings)),
        }
    }
}

fn instrument(order_type: &str, quantity: i64, spreads: bool) -> Obj {
    let o = Obj::new()
        .with("OrderType", order_type)
        .with("Quantity", quantity)
        .with("DurationType", "Day")
        .with("ExchangeType", "Auto")
        .with("ExtendedHoursType", "REG")
        .with("AON", false);
    if spreads { o.with("Spreads", 1) } else { o }
}

/// `UserTradingSettingsModel` as every user starts with it.
fn defaults() -> Obj {
    Obj::new()
        .with(
            "Instruments",
            Obj::new()
                .with("Stocks", instrument("Market", 100, false))
                .with("Options", instrument("Limit", 1, true))
                .with("Forex", instrument("Market", 1000, false)),
        )
        .with("QuantityStepIncrementMultiplier", 1)
        .with("PriceStepIncrementMultiplier", 1)
        .with("DoNotCloseTradePopupOnOrderPlacement", false)
        .with("SkipVerifyOrder", "False")
        .with("SkipVerifyCancelOrder", "False")
        .with("SkipVerifyClosingPosition", "False")
        .with("SkipVerifyOrderReplace", "False")
        .with("SkipPlaceOrderStatus", "False")
        .with("SkipCancelOrderStatus", "False")
        .with("SkipClosingPositionStatus", "False")
        .with("SkipOrderReplaceStatus", "False")
        .with("MaxStocksQuantity", 10_000)
        .with("MaxOptionsQuantity", 100)
}

/// `current` with the properties `input` gives, each of the type `current` has; the paths
/// of those that do not fit go to `bad`.
fn merge(
    current: &Obj,
    input: &serde_json::Map<String, serde_json::Value>,
    path: &str,
    bad: &mut Vec<String>,
) -> Obj {
    use serde_json::Value;
    let mut out = Obj::new();
    for (key, value) in current.entries() {
        let given = input
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
            .filter(|v| !v.is_null());
        let here = format!("{path}.{key}");
        let merged = match (value, given) {
            (_, None) => value.clone(),
            (Json::Str(_), Some(Value::String(s))) => Json::Str(s.clone()),
            (Json::Int(_), Some(Value::Number(n))) => match n.as_i64() {
                Some(i) if i32::try_from(i).is_ok() => Json::Int(i),
                _ => {
                    bad.push(here);
                    value.clone()
                }
            },
            (Json::Bool(_), Some(Value::Bool(b))) => Json::Bool(*b),
            (Json::Obj(inner), Some(Value::Object(map))) => {
                Json::Obj(merge(inner, map, &here, bad))
            }
            _ => {
                bad.push(here);
                value.clone()
            }
        };
        out = out.with(key, merged);
    }
    out
}

/// `GET users/{userId}/settings/trading`
pub fn get(state: &State, call: &Call) -> Reply {
    match users::target(state, call) {
        Ok(user) => Reply::json(200, lock(&state.settings).of(user.id)),
        Err(reply) => reply,
    }
}

/// `PUT users/{userId}/settings/trading`
pub fn put(state: &State, call: &Call) -> Reply {
    let user = match users::target(state, call) {
        Ok(user) => user,
        Err(reply) => return reply,
    };
    let Ok(serde_json::Value::Object(input)) =
        serde_json::from_slice::<serde_json::Value>(&call.req.body)
    else {
        return reply::validation_error(&["tradingSettings".to_string()]);
    };
    let mut settings = lock(&state.settings);
    let mut bad = Vec::new();
    let merged = merge(&settings.of(user.id), &input, "tradingSettings", &mut bad);
    if !bad.is_empty() {
        return reply::validation_error(&bad);
    }
    settings.set(user.id, merged.clone());
    Reply::json(200, merged)
}
