//! Watchlists under `users/{userId}/watchlists` (`{userId}` may be `@me`).
//!
//! Each user starts with one read-only `SystemList` ("Market Movers");
//! lists the user creates are `UserList`s. `SecurityList` holds
//! `EquityResource`s. Answers: create 200 with the new list (409 for a
//! name the user already has), delete 204, adding a security (PUT) 200 with
//! the updated list, removing one (DELETE) 204; both are idempotent. A
//! read-only list refuses every change with 409; a list id the user does
//! not have is 404.
//!
//! Changes are published to the data streamer while the lists are locked (so
//! in order): a `Watchlist` message (key: the owner) when a list is created,
//! renamed or deleted, a `WatchlistContent` message (key: the list) when a
//! security is added or removed (not when the change was a no-op).

use crate::http::body::{self, Body};
use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::{Json, Obj};
use crate::market::clock::{self, Ticks};
use crate::market::securities::Market;
use crate::market::timestamps;
use crate::routes::{equities, users};
use crate::streaming::messages::{self, ListAction, ListFacts};
use crate::trading::portfolio::Ids;
use crate::users::User;
use crate::{State, lock};

pub struct Watchlist {
    id: i64,
    owner: i64,
    name: String,
    description: String,
    kind: &'static str,
    source: &'static str,
    read_only: bool,
    created: Ticks,
    modified: Ticks,
    securities: Vec<i64>,
}

pub struct Watchlists {
    lists: Vec<Watchlist>,
    ids: Ids,
}

const SYSTEM_SYMBOLS: &[&str] = &["AAPL", "MSFT", "NVDA", "TSLA", "SPY"];

impl Watchlists {
    pub fn new(users: &[User], market: &Market) -> Watchlists {
        let mut ids = Ids::starting_at(501);
        let created = clock::from_system(timestamps::utc(2024, 1, 2, 0, 0, 0, 0));
        let securities: Vec<i64> = SYSTEM_SYMBOLS
            .iter()
            .filter_map(|s| Some(market.by_symbol(s)?.id))
            .collect();
        let lists = users
            .iter()
            .map(|u| Watchlist {
                id: ids.next(),
                owner: u.id,
                name: "Market Movers".to_string(),
                description: "The most traded securities".to_string(),
                kind: "SystemList",
                source: "System",
                read_only: true,
                created,
                modified: created,
                securities: securities.clone(),
            })
            .collect();
        Watchlists { lists, ids }
    }

    /// The owner of a list, if it exists.
    pub fn owner_of(&self, id: i64) -> Option<i64> {
        self.lists.iter().find(|w| w.id == id).map(|w| w.owner)
    }
}

impl Watchlist {
    fn facts(&self) -> ListFacts<'_> {
        ListFacts {
            owner: self.owner,
            id: self.id,
            name: &self.name,
            description: &self.description,
            kind: self.kind,
            read_only: self.read_only,
            created: self.created,
            modified: self.modified,
        }
    }
}

/// Publishes a `Watchlist` message about `w`.
fn publish(state: &State, w: &Watchlist, action: ListAction) {
    state
        .streams
        .publish(messages::watchlist(&w.facts(), action));
}

/// `WatchlistModel`.
fn model(state: &State, w: &Watchlist, include_securities: bool) -> Obj {
    let securities: Vec<Json> = if include_securities {
        w.securities
            .iter()
            .filter_map(|id| state.market.by_id(*id))
            .map(|s| equities::model(s).into())
            .collect()
    } else {
        Vec::new()
    };
    Obj::new()
        .with("Id", w.id)
        .with("Name", w.name.as_str())
        .with("Description", w.description.as_str())
        .with("Type", w.kind)
        .with("CreateDate", clock::iso(w.created))
        .with("ModifyDate", clock::iso(w.modified))
        .with("Source", w.source)
        .with("ReadOnly", w.read_only)
        .with("SecurityList", securities)
}

fn answer(result: Result<Reply, Reply>) -> Reply {
    result.unwrap_or_else(|r| r)
}

/// A boolean query parameter; absent gives `default`, malformed 400.
fn flag(call: &Call, name: &str, default: bool) -> Result<bool, Reply> {
    match call.query(name) {
        None => Ok(default),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(_) => Err(reply::invalid_request()),
    }
}

/// The index of the caller's list `{id}`; 404 if they have none such.
fn find(lists: &Watchlists, owner: i64, call: &Call) -> Result<usize, Reply> {
    let raw = call.param("id");
    raw.parse::<i64>()
        .ok()
        .and_then(|id| {
            lists
                .lists
                .iter()
                .position(|w| w.id == id && w.owner == owner)
        })
        .ok_or_else(|| reply::message(404, format!("Watchlist {raw} was not found.")))
}

fn read_only(w: &Watchlist) -> Reply {
    reply::message(409, format!("Watchlist {} is read-only.", w.id))
}

fn duplicate(name: &str) -> Reply {
    reply::message(409, format!("A watchlist named '{name}' already exists."))
}

/// `GET users/{userId}/watchlists?includeSecurities=bool`
pub fn list(state: &State, call: &Call) -> Reply {
    answer((|| {
        let user = users::target(state, call)?;
        let include = flag(call, "includeSecurities", false)?;
        let lists = lock(&state.watchlists);
        let body: Vec<Json> = lists
            .lists
            .iter()
            .filter(|w| w.owner == user.id)
            .map(|w| model(state, w, include).into())
            .collect();
        Ok(Reply::json(200, body))
    })())
}

/// `POST users/{userId}/watchlists?resultIncludeSecurities=bool`, body
/// `{"Name":…,"Securities":[ids],"Description"?}`.
pub fn create(state: &State, call: &Call) -> Reply {
    answer((|| {
        let user = users::target(state, call)?;
        let include = flag(call, "resultIncludeSecurities", true)?;
        let invalid = |field: &str| reply::validation_error(&[format!("watchlist.{field}")]);
        let b = Body::parse(&call.req.body)
            .ok_or_else(|| reply::validation_error(&["watchlist".to_string()]))?;
        let name = match body::text(b.get("Name")) {
            Ok(Some(n)) if !n.trim().is_empty() => n.trim().to_string(),
            _ => return Err(invalid("Name")),
        };
        let description = body::text(b.get("Description")).map_err(|_| invalid("Description"))?;
        let mut securities = Vec::new();
        match b.get("Securities") {
            None => {}
            Some(serde_json::Value::Array(items)) => {
                for item in items {
                    let id = body::int(Some(item))
                        .ok()
                        .flatten()
                        .ok_or_else(|| invalid("Securities"))?;
                    if state.market.by_id(id).is_none() {
                        return Err(reply::message(404, format!("Security {id} was not found.")));
                    }
                    if !securities.contains(&id) {
                        securities.push(id);
                    }
                }
            }
            Some(_) => return Err(invalid("Securities")),
        }
        let now = state.clock.now();
        let mut lists = lock(&state.watchlists);
        if lists
            .lists
            .iter()
            .any(|w| w.owner == user.id && w.name.eq_ignore_ascii_case(&name))
        {
            return Err(duplicate(&name));
        }
        let list = Watchlist {
            id: lists.ids.next(),
            owner: user.id,
            name,
            description: description.unwrap_or_default(),
            kind: "UserList",
            source: "User",
            read_only: false,
            created: now,
            modified: now,
            securities,
        };
        let body = model(state, &list, include);
        publish(state, &list, ListAction::Created);
        lists.lists.push(list);
        Ok(Reply::json(200, body))
    })())
}

/// `GET users/{userId}/watchlists/{id}` (securities included).
pub fn get(state: &State, call: &Call) -> Reply {
    answer((|| {
        let user = users::target(state, call)?;
        let lists = lock(&state.watchlists);
        let i = find(&lists, user.id, call)?;
        Ok(Reply::json(200, model(state, &lists.lists[i], true)))
    })())
}

/// `DELETE users/{userId}/watchlists/{id}`: 204; read-only 409.
pub fn delete(state: &State, call: &Call) -> Reply {
    answer((|| {
        let user = users::target(state, call)?;
        let mut lists = lock(&state.watchlists);
        let i = find(&lists, user.id, call)?;
        if lists.lists[i].read_only {
            return Err(read_only(&lists.lists[i]));
        }
        let gone = lists.lists.remove(i);
        publish(state, &gone, ListAction::Deleted);
        Ok(Reply::empty(204))
    })())
}

/// `PUT users/{userId}/watchlists/{id}/name?name=…`:
/// `{"m_Item1":id,"m_Item2":name}`.
pub fn rename(state: &State, call: &Call) -> Reply {
    answer((|| {
        let user = users::target(state, call)?;
        let name = call
            .query("name")
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| reply::not_found(&call.full_url))?;
        let now = state.clock.now();
        let mut lists = lock(&state.watchlists);
        let i = find(&lists, user.id, call)?;
        if lists.lists[i].read_only {
            return Err(read_only(&lists.lists[i]));
        }
        let id = lists.lists[i].id;
        if lists
            .lists
            .iter()
            .any(|w| w.owner == user.id && w.id != id && w.name.eq_ignore_ascii_case(&name))
        {
            return Err(duplicate(&name));
        }
        let w = &mut lists.lists[i];
        w.name = name.clone();
        w.modified = now;
        publish(state, w, ListAction::Renamed);
        Ok(Reply::json(
            200,
            Obj::new().with("m_Item1", id).with("m_Item2", name),
        ))
    })())
}

/// The security a `securities` route names: `{securityId}` in the path,
/// else a body `{"Symbol","Exchange","Currency"}`.
fn security_of(state: &State, call: &Call) -> Result<i64, Reply> {
    if let Some((_, raw)) = call.params.iter().find(|(n, _)| *n == "securityId") {
        let id: i64 = raw.parse().map_err(|_| reply::invalid_request())?;
        return state
            .market
            .by_id(id)
            .map(|s| s.id)
            .ok_or_else(|| reply::message(404, format!("Security {id} was not found.")));
    }
    let b = Body::parse(&call.req.body)
        .ok_or_else(|| reply::validation_error(&["security".to_string()]))?;
    let symbol = match body::text(b.get("Symbol")) {
        Ok(Some(s)) if !s.trim().is_empty() => s,
        _ => return Err(reply::validation_error(&["security.Symbol".to_string()])),
    };
    let sec = state
        .market
        .by_symbol(&symbol)
        .ok_or_else(|| reply::message(404, format!("Security '{symbol}' was not found.")))?;
    if let Ok(Some(exchange)) = body::text(b.get("Exchange"))
        && !exchange.is_empty()
        && !exchange.eq_ignore_ascii_case(sec.exchange)
    {
        return Err(reply::message(
            404,
            format!("Security '{symbol}' is not listed on {exchange}."),
        ));
    }
    Ok(sec.id)
}

/// Adds (`add` true) or removes a security.
fn change(state: &State, call: &Call, add: bool) -> Reply {
    answer((|| {
        let user = users::target(state, call)?;
        let security = security_of(state, call)?;
        let now = state.clock.now();
        let mut lists = lock(&state.watchlists);
        let i = find(&lists, user.id, call)?;
        let w = &mut lists.lists[i];
        if w.read_only {
            return Err(read_only(w));
        }
        let present = w.securities.contains(&security);
        let symbol = state.market.by_id(security).map_or("", |s| s.symbol);
        if add && !present {
            w.securities.push(security);
            w.modified = now;
            let event = messages::watchlist_content(w.id, &[symbol], &[]);
            state.streams.publish(event);
        } else if !add && present {
            w.securities.retain(|s| *s != security);
            w.modified = now;
            let event = messages::watchlist_content(w.id, &[], &[symbol]);
            state.streams.publish(event);
        }
        if add {
            Ok(Reply::json(200, model(state, w, true)))
        } else {
            Ok(Reply::empty(204))
        }
    })())
}

/// `PUT users/{userId}/watchlists/{id}/securities[/{securityId}]`
pub fn add(state: &State, call: &Call) -> Reply {
    change(state, call, true)
}

/// `DELETE users/{userId}/watchlists/{id}/securities[/{securityId}]`
pub fn remove(state: &State, call: &Call) -> Reply {
    change(state, call, false)
}
