//! Price alerts under `users/{userId}/pricealerts` (`{userId}` may be `@me`).
//!
//! An alert watches one field (`Ask`, `Bid` or `Last`) of one security (an equity or an
//! option, by id) against an `Argument`, with an `Operator`: `GTEQ` (at or above) or `LTEQ`
//! (at or below), until its `ExpirationDate` (Unix seconds). Its `State` is `New` while it
//! watches, `Completed` once the price model reached the argument, `Expired` once its
//! expiration passed first, and `Stopped` when the user paused it (a `PUT` with `State`
//! `Stopped`; `New` arms it again).
//!
//! Alerts are evaluated like the order engine, lazily and second by second: every
//! [`advance`] (the ticker thread calls it every 50 ms, and every alert route before it
//! answers) replays the session seconds since the last one, so an alert completes at the
//! first second whose quote meets it, whenever the check runs. Each completion and expiry is
//! published to the data streamer as a `PriceAlert` message (key: the user id).
//!
//! Routes: `GET` (paged: `pageSize`, `pageNumber`, `sortBy`, `isDesc`, all required; `filter`)
//! and `POST` on the list; `GET`, `PUT` (fields left out keep their values) and `DELETE` (204)
//! on one alert. Bodies bind as `model`: a field that does not bind, or a value out of range, is
//! the 422 naming `model.<Field>`. An alert id the user does not have is 404; a `PUT` on a
//! completed or expired alert is 409.

use crate::http::body::{self, Body};
use crate::http::filter::{Kind, Schema, Val};
use crate::http::paging;
use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::Obj;
use crate::market::clock::{self, TICKS_PER_SEC, Ticks};
use crate::market::instruments::Instrument;
use crate::routes::users;
use crate::streaming::messages::{self, Entity, Flat};
use crate::trading::portfolio::Ids;
use crate::{State, lock};

/// `State` names in code order.
pub const STATES: &[&str] = &["New", "Expired", "Completed", "Stopped"];
const NEW: usize = 0;
const EXPIRED: usize = 1;
const COMPLETED: usize = 2;
const STOPPED: usize = 3;

const OPERATORS: &[&str] = &["GTEQ", "LTEQ"];
const FIELDS: &[&str] = &["Ask", "Bid", "Last"];

pub struct Alert {
    id: i64,
    owner: i64,
    state: usize,
    /// Index into [`OPERATORS`].
    operator: usize,
    security_id: i64,
    /// Index into [`FIELDS`].
    field: usize,
    argument: f64,
    /// Unix seconds.
    expiration: i64,
    created: Ticks,
    /// The first session second not yet looked at.
    cursor: i64,
    /// When it completed or expired, and the price that completed it.
    done_at: Option<Ticks>,
    value: Option<f64>,
}

pub struct Alerts {
    list: Vec<Alert>,
    ids: Ids,
}

impl Default for Alerts {
    fn default() -> Alerts {
        Alerts {
            list: Vec::new(),
            ids: Ids::starting_at(9_001),
        }
    }
}

/// Brings every watching alert up to `now`, publishing what completed or expired.
pub fn advance(state: &State) {
    let now = state.clock.now();
    let mut alerts = lock(&state.alerts);
    let last = clock::quote_second(now);
    for a in alerts.list.iter_mut().filter(|a| a.state == NEW) {
        let Some(inst) = state.market.instrument(a.security_id) else {
            continue;
        };
        let expires = a.expiration.saturating_mul(TICKS_PER_SEC);
        let mut s = a.cursor;
        let mut hit = None;
        while s <= last && clock::instant_of_second(s) < expires {
            let q = inst.quote_at(s);
            let value = [q.ask, q.bid, q.last][a.field];
            let met = if a.operator == 0 {
                value >= a.argument
            } else {
                value <= a.argument
            };
            if met {
                hit = Some((clock::instant_of_second(s).max(a.created), value));
                break;
            }
            s += 1;
        }
        a.cursor = s.max(a.cursor);
        if let Some((at, value)) = hit {
            a.state = COMPLETED;
            a.done_at = Some(at);
            a.value = Some(value);
        } else if expires <= now {
            a.state = EXPIRED;
            a.done_at = Some(expires.max(a.created));
        } else {
            continue;
        }
        state.streams.publish(event(a, &inst));
    }
}

/// The `PriceAlert` data message (key: the user): the alert's fields, all strings, dates in
/// Unix seconds, and `Value`, the price that completed it (`""` when it expired).
fn event(a: &Alert, inst: &Instrument) -> messages::Event {
    let text = Flat::new(Entity::PriceAlert, a.owner)
        .i("Id", a.id)
        .i("UserId", a.owner)
        .s("State", STATES[a.state])
        .s("Operator", OPERATORS[a.operator])
        .i("SecurityId", a.security_id)
        .s("Symbol", &inst.symbol())
        .s("Field", FIELDS[a.field])
        .n("Argument", a.argument)
        .s("Value", &a.value.map(messages::decimal).unwrap_or_default())
        .i("CreatedDate", clock::unix_secs(a.created))
        .i("ExpirationDate", a.expiration)
        .i("Date", a.done_at.map_or(0, clock::unix_secs))
        .finish();
    messages::Event {
        entity: Entity::PriceAlert,
        key: a.owner,
        text,
    }
}

/// `PriceAlertInfoModel`.
fn model(state: &State, a: &Alert) -> Obj {
    let symbol = state
        .market
        .instrument(a.security_id)
        .map(|i| i.symbol())
        .unwrap_or_default();
    Obj::new()
        .with("Id", a.id)
        .with("State", STATES[a.state])
        .with("CreatedDate", clock::unix_secs(a.created))
        .with("Operator", OPERATORS[a.operator])
        .with("SecurityId", a.security_id)
        .with("Symbol", symbol)
        .with("Field", FIELDS[a.field])
        .with("Argument", a.argument)
        .with("ExpirationDate", a.expiration)
}

const SCHEMA: Schema = &[
    ("Id", Kind::Num),
    ("State", Kind::Enum(STATES)),
    ("CreatedDate", Kind::Num),
    ("Operator", Kind::Enum(OPERATORS)),
    ("SecurityId", Kind::Num),
    ("Field", Kind::Enum(FIELDS)),
    ("Argument", Kind::Num),
    ("ExpirationDate", Kind::Num),
];

fn field(a: &Alert, name: &str) -> Val {
    match name {
        "Id" => Val::Num(a.id as f64),
        "State" => Val::Enum(a.state),
        "CreatedDate" => Val::Num(clock::unix_secs(a.created) as f64),
        "Operator" => Val::Enum(a.operator),
        "SecurityId" => Val::Num(a.security_id as f64),
        "Field" => Val::Enum(a.field),
        "Argument" => Val::Num(a.argument),
        "ExpirationDate" => Val::Num(a.expiration as f64),
        _ => Val::Null,
    }
}

fn answer(result: Result<Reply, Reply>) -> Reply {
    result.unwrap_or_else(|r| r)
}

/// What a body asks for; `None` fields were left out.
#[derive(Default)]
struct Edit {
    state: Option<usize>,
    operator: Option<usize>,
    security_id: Option<i64>,
    field: Option<usize>,
    argument: Option<f64>,
    expiration: Option<i64>,
}

/// Binds a `PriceAlertEditableModel`; `required` fields must be present. The state may be
/// set to `New` or `Stopped` only, the argument must not be negative, the security must
/// exist, and the expiration must be ahead of `now`.
fn parse_edit(state: &State, bytes: &[u8], required: bool, now: Ticks) -> Result<Edit, Reply> {
    let b = Body::parse(bytes).ok_or_else(|| reply::validation_error(&["model".to_string()]))?;
    let mut bad: Vec<String> = Vec::new();
    let mut flag = |name: &str| bad.push(format!("model.{name}"));
    let mut e = Edit::default();
    match body::member(b.get("State"), STATES) {
        Ok(Some(s)) if s == NEW || s == STOPPED => e.state = Some(s),
        Ok(None) => {}
        _ => flag("State"),
    }
    match body::member(b.get("Operator"), OPERATORS) {
        Ok(Some(op)) => e.operator = Some(op),
        Ok(None) if !required => {}
        _ => flag("Operator"),
    }
    match body::int(b.get("SecurityId")) {
        Ok(Some(id)) if state.market.instrument(id).is_some() => e.security_id = Some(id),
        Ok(None) if !required => {}
        _ => flag("SecurityId"),
    }
    match body::member(b.get("Field"), FIELDS) {
        Ok(Some(f)) => e.field = Some(f),
        Ok(None) if !required => {}
        _ => flag("Field"),
    }
    match body::num(b.get("Argument")) {
        Ok(Some(x)) if x >= 0.0 && x.is_finite() => e.argument = Some(x),
        Ok(None) if !required => {}
        _ => flag("Argument"),
    }
    match body::int(b.get("ExpirationDate")) {
        Ok(Some(t)) if t > clock::unix_secs(now) && t < 253_402_300_800 => e.expiration = Some(t),
        Ok(None) if !required => {}
        _ => flag("ExpirationDate"),
    }
    if bad.is_empty() {
        Ok(e)
    } else {
        Err(reply::validation_error(&bad))
    }
}

/// The index of the caller's alert `{alertId}`; 404 when they have none such.
fn find(alerts: &Alerts, owner: i64, call: &Call) -> Result<usize, Reply> {
    let raw = call.param("alertId");
    raw.parse::<i64>()
        .ok()
        .and_then(|id| {
            alerts
                .list
                .iter()
                .position(|a| a.id == id && a.owner == owner)
        })
        .ok_or_else(|| reply::message(404, format!("Price alert {raw} was not found.")))
}

/// `GET users/{userId}/pricealerts` (paged, `sortBy`/`isDesc`): oldest first by default.
pub fn list(state: &State, call: &Call) -> Reply {
    answer((|| {
        let user = users::target(state, call)?;
        let page = paging::parse(call, &paging::ALERTS, SCHEMA)?;
        advance(state);
        let alerts = lock(&state.alerts);
        let mine: Vec<&Alert> = alerts.list.iter().filter(|a| a.owner == user.id).collect();
        let body = page.result(call, mine, |a, f| field(a, f), |a| model(state, a).into());
        Ok(Reply::json(200, body))
    })())
}

/// `POST users/{userId}/pricealerts`: the new alert, `New` unless the body says `Stopped`.
pub fn create(state: &State, call: &Call) -> Reply {
    answer((|| {
        let user = users::target(state, call)?;
        let now = state.clock.now();
        let e = parse_edit(state, &call.req.body, true, now)?;
        advance(state);
        let mut alerts = lock(&state.alerts);
        let alert = Alert {
            id: alerts.ids.next(),
            owner: user.id,
            state: e.state.unwrap_or(NEW),
            operator: e.operator.unwrap_or(0),
            security_id: e.security_id.unwrap_or(0),
            field: e.field.unwrap_or(2),
            argument: e.argument.unwrap_or(0.0),
            expiration: e.expiration.unwrap_or(0),
            created: now,
            cursor: clock::first_second_from(now),
            done_at: None,
            value: None,
        };
        let body = model(state, &alert);
        alerts.list.push(alert);
        Ok(Reply::json(200, body))
    })())
}

/// `GET users/{userId}/pricealerts/{alertId}`
pub fn get(state: &State, call: &Call) -> Reply {
    answer((|| {
        let user = users::target(state, call)?;
        advance(state);
        let alerts = lock(&state.alerts);
        let i = find(&alerts, user.id, call)?;
        Ok(Reply::json(200, model(state, &alerts.list[i])))
    })())
}

/// `PUT users/{userId}/pricealerts/{alertId}`: changes the fields given; 409 once the alert
/// completed or expired. A changed alert watches from now on.
pub fn modify(state: &State, call: &Call) -> Reply {
    answer((|| {
        let user = users::target(state, call)?;
        let now = state.clock.now();
        let e = parse_edit(state, &call.req.body, false, now)?;
        advance(state);
        let mut alerts = lock(&state.alerts);
        let i = find(&alerts, user.id, call)?;
        let a = &mut alerts.list[i];
        if matches!(a.state, COMPLETED | EXPIRED) {
            return Err(reply::message(
                409,
                format!("Price alert {} is {}.", a.id, STATES[a.state]),
            ));
        }
        a.state = e.state.unwrap_or(a.state);
        a.operator = e.operator.unwrap_or(a.operator);
        a.security_id = e.security_id.unwrap_or(a.security_id);
        a.field = e.field.unwrap_or(a.field);
        a.argument = e.argument.unwrap_or(a.argument);
        a.expiration = e.expiration.unwrap_or(a.expiration);
        a.cursor = clock::first_second_from(now);
        Ok(Reply::json(200, model(state, a)))
    })())
}

/// `DELETE users/{userId}/pricealerts/{alertId}`: 204.
pub fn delete(state: &State, call: &Call) -> Reply {
    answer((|| {
        let user = users::target(state, call)?;
        let mut alerts = lock(&state.alerts);
        let i = find(&alerts, user.id, call)?;
        alerts.list.remove(i);
        Ok(Reply::empty(204))
    })())
}
