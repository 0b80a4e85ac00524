//! The option routes, and the paged equity list:
//!
//! - `GET options/{symbol}` or `GET options/{id}`: one `OptionResource` (an OSI symbol,
//!   padded or not, or an option id); a listed or expired option, else 404.
//! - `GET options/expirations?underlying=`: the listed expirations of an underlying.
//! - `GET options/optionChain/{symbol}?filter=`: the chain of an underlying, per listed
//!   expiration, centred on its last price. `filter` takes the orders' grammar over
//!   `Expiration` (also `ExpirationDate`), `ExpirationType`, `StrikePrice`, `OptionType` and
//!   `Symbol`, plus `Range = n`: n strikes either side of the central strike (default and at
//!   most 10).
//! - `GET options` and `GET equities`: every listed option (every underlying's chains) and
//!   every equity, paged (`pageNumber`, `pageSize`, `sortField`, `desc`, all required) with
//!   `filter`.
//!
//! The listing rules and the price model are in `market::options`.

use crate::State;
use crate::http::filter::{self, Kind, Schema, Val};
use crate::http::paging;
use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::{Json, Obj};
use crate::market::clock::{self, TICKS_PER_SEC, Ticks};
use crate::market::options::{self, EXPIRATION_TYPES, OPTION_TYPES, OptionContract};
use crate::market::securities::Security;
use crate::routes::equities;

fn answer(result: Result<Reply, Reply>) -> Reply {
    result.unwrap_or_else(|r| r)
}

/// Midnight UTC of a day, as expiration dates are written.
fn day_instant(day: i64) -> Ticks {
    day * 86_400 * TICKS_PER_SEC
}

/// `OptionResource`: the `EquityResource` fields, then the option's. `AddedDate` is when its
/// series was listed (four weeks before a weekly expiration, thirteen before a monthly).
pub fn model(c: &OptionContract) -> Obj {
    let kind = options::expiration_type(c.expiry);
    let weeks = if kind == "Weekly" { 4 } else { 13 };
    let added = clock::iso(day_instant(c.expiry - 7 * weeks + 1));
    let symbol = c.symbol();
    Obj::new()
        .with("Id", c.id())
        .with("Symbol", symbol.as_str())
        .with("Name", symbol.as_str())
        .with("Description", c.description())
        .with("Exchange", options::EXCHANGE)
        .with("Currency", "USD")
        .with("AddedDate", added.as_str())
        .with("ModifyDate", added.as_str())
        .with("Type", "Option")
        .with("Precision", 2)
        .with("VolumePrecision", 0)
        .with("TickSize", 0.01)
        .with("Enabled", true)
        .with("AllowTrade", true)
        .with("AllowMargin", false)
        .with("AllowShort", true)
        .with("OptionType", c.option_type())
        .with("ExpirationType", kind)
        .with("ExpirationDate", clock::iso(day_instant(c.expiry)))
        .with("StrikePrice", c.strike())
        .with("SeriesId", c.series_id())
        .with("UnderlyingAssetSymbol", c.underlying.symbol)
        .with("ContractSize", options::CONTRACT_SIZE)
}

/// Fields for `filter` and `sortField` on options and chains.
const SCHEMA: Schema = &[
    ("Id", Kind::Num),
    ("Symbol", Kind::Text),
    ("Description", Kind::Text),
    ("UnderlyingAssetSymbol", Kind::Text),
    ("OptionType", Kind::Enum(OPTION_TYPES)),
    ("ExpirationType", Kind::Enum(EXPIRATION_TYPES)),
    ("ExpirationDate", Kind::Date),
    ("Expiration", Kind::Date),
    ("StrikePrice", Kind::Num),
    ("SeriesId", Kind::Num),
    ("Exchange", Kind::Text),
    ("Type", Kind::Text),
];

/// [`SCHEMA`] and the chain's `Range`.
const CHAIN_SCHEMA: Schema = &[
    ("Id", Kind::Num),
    ("Symbol", Kind::Text),
    ("Description", Kind::Text),
    ("UnderlyingAssetSymbol", Kind::Text),
    ("OptionType", Kind::Enum(OPTION_TYPES)),
    ("ExpirationType", Kind::Enum(EXPIRATION_TYPES)),
    ("ExpirationDate", Kind::Date),
    ("Expiration", Kind::Date),
    ("StrikePrice", Kind::Num),
    ("SeriesId", Kind::Num),
    ("Exchange", Kind::Text),
    ("Type", Kind::Text),
    ("Range", Kind::Num),
];

fn field(c: &OptionContract, name: &str) -> Val {
    let kind = |name: &str| EXPIRATION_TYPES.iter().position(|k| *k == name);
    match name {
        "Id" => Val::Num(c.id() as f64),
        "Symbol" => Val::Text(c.symbol()),
        "Description" => Val::Text(c.description()),
        "UnderlyingAssetSymbol" => Val::Text(c.underlying.symbol.to_string()),
        "OptionType" => Val::Enum(usize::from(c.put)),
        "ExpirationType" => kind(options::expiration_type(c.expiry)).map_or(Val::Null, Val::Enum),
        "ExpirationDate" | "Expiration" => Val::Date(day_instant(c.expiry)),
        "StrikePrice" => Val::Num(c.strike()),
        "SeriesId" => Val::Num(c.series_id() as f64),
        "Exchange" => Val::Text(options::EXCHANGE.to_string()),
        "Type" => Val::Text("Option".to_string()),
        _ => Val::Null,
    }
}

/// Whether an option is known now: listed, or already expired.
fn known(c: &OptionContract, now: Ticks) -> bool {
    c.expires_at() <= now || options::is_listed(c.expiry, now)
}

/// The underlying a route names, by ticker or id; 404 otherwise.
fn underlying<'s>(state: &'s State, key: &str) -> Result<&'s Security, Reply> {
    let found = match key.trim().parse::<i64>() {
        Ok(id) => state.market.by_id(id),
        Err(_) => state.market.by_symbol(key),
    };
    found.ok_or_else(|| reply::message(404, format!("Security '{key}' was not found.")))
}

/// `GET options/{symbol}` or `GET options/{id}`.
pub fn get(state: &State, call: &Call) -> Reply {
    let key = call.param("symbol");
    let now = state.clock.now();
    let found = match key.trim().parse::<i64>() {
        Ok(id) => options::from_id(&state.market, id),
        Err(_) => options::parse_symbol(&state.market, key),
    };
    match found.filter(|c| known(c, now)) {
        Some(c) => Reply::json(200, model(&c)),
        None => reply::message(404, format!("Option '{key}' was not found.")),
    }
}

/// `GET options/expirations?underlying=` (required, else 404):
/// `[{ExpirationDate, ExpirationType, SeriesId, SeriesType}]`, earliest first.
pub fn expirations(state: &State, call: &Call) -> Reply {
    answer((|| {
        let key = call
            .query("underlying")
            .ok_or_else(|| reply::not_found(&call.full_url))?;
        let sec = underlying(state, &key)?;
        let now = state.clock.now();
        let list: Vec<Json> = options::listed_expirations(now)
            .into_iter()
            .filter_map(|day| OptionContract::new(sec, day, false, 0))
            .map(|c| {
                let kind = options::expiration_type(c.expiry);
                Obj::new()
                    .with("ExpirationDate", clock::iso(day_instant(c.expiry)))
                    .with("ExpirationType", kind)
                    .with("SeriesId", c.series_id())
                    .with("SeriesType", kind)
                    .into()
            })
            .collect();
        Ok(Reply::json(200, list))
    })())
}

/// `GET options/optionChain/{symbol}?filter=`:
/// `{"Expirations":[{"Expiration","CentralStrike","Options":[OptionResource]}]}`. An
/// expiration whose options the filter all drops is left out.
pub fn chain(state: &State, call: &Call) -> Reply {
    answer((|| {
        let sec = underlying(state, call.param("symbol"))?;
        let mut filter = match call.query("filter") {
            None => filter::Filter::default(),
            Some(text) => filter::parse(&text, CHAIN_SCHEMA)
                .map_err(|e| paging::invalid(&format!("Invalid filter: {e}")))?,
        };
        let width = match filter
            .take_equal("Range")
            .map_err(|e| paging::invalid(&format!("Invalid filter: {e}")))?
        {
            None => options::CHAIN_HALF_WIDTH,
            Some(Val::Num(n)) if n >= 0.0 && n.fract() == 0.0 => {
                (n as i64).min(options::CHAIN_HALF_WIDTH)
            }
            Some(_) => {
                return Err(paging::invalid(
                    "Invalid filter: Range is a whole number of strikes",
                ));
            }
        };
        let now = state.clock.now();
        let expirations: Vec<Json> = options::listed_expirations(now)
            .into_iter()
            .filter_map(|day| {
                let (central, list) = options::chain(sec, day, now, width);
                let models: Vec<Json> = list
                    .iter()
                    .filter(|c| filter.matches(|f| field(c, f)))
                    .map(|c| model(c).into())
                    .collect();
                if models.is_empty() {
                    return None;
                }
                let strike = options::strike_at(central).unwrap_or(0.0);
                Some(
                    Obj::new()
                        .with("Expiration", clock::iso(day_instant(day)))
                        .with("CentralStrike", strike)
                        .with("Options", models)
                        .into(),
                )
            })
            .collect();
        Ok(Reply::json(
            200,
            Obj::new().with("Expirations", expirations),
        ))
    })())
}

/// `GET options`: every listed option of every underlying (the strikes of its chains),
/// paged; by default by underlying, expiration, strike, call before put.
pub fn list(state: &State, call: &Call) -> Reply {
    answer((|| {
        let page = paging::parse(call, &paging::SECURITIES, SCHEMA)?;
        let now = state.clock.now();
        let days = options::listed_expirations(now);
        let mut all: Vec<OptionContract> = Vec::new();
        for sec in state.market.all() {
            for &day in &days {
                all.extend(options::chain(sec, day, now, options::CHAIN_HALF_WIDTH).1);
            }
        }
        let body = page.result(call, all, |c, f| field(c, f), |c| model(c).into());
        Ok(Reply::json(200, body))
    })())
}

/// `GET equities`: every equity, paged; by default by id.
pub fn equities(state: &State, call: &Call) -> Reply {
    answer((|| {
        let page = paging::parse(call, &paging::SECURITIES, equities::SCHEMA)?;
        let all: Vec<&Security> = state.market.all().iter().collect();
        let body = page.result(
            call,
            all,
            |sec, f| equities::field(sec, f),
            |sec| equities::model(sec).into(),
        );
        Ok(Reply::json(200, body))
    })())
}
