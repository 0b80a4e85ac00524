//! `GET equities/{symbol|id}` and `GET equities/lookup` (the paged `GET equities` is with the
//! option lists, in `routes::options`).

use crate::State;
use crate::http::filter::{self, Kind, Schema, Val};
use crate::http::paging;
use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::{Json, Obj};
use crate::market::securities::Security;
use crate::market::timestamps;

/// `EquityResource`, fields in the documented order.
pub fn model(sec: &Security) -> Obj {
    let listed = timestamps::format_iso(timestamps::utc(2010, 1, 4, 0, 0, 0, 0));
    Obj::new()
        .with("Id", sec.id)
        .with("Symbol", sec.symbol)
        .with("Description", sec.description)
        .with("Exchange", sec.exchange)
        .with("Currency", "USD")
        .with("AddedDate", listed.as_str())
        .with("ModifyDate", listed.as_str())
        .with("Type", sec.kind)
        .with("Precision", 2)
        .with("VolumePrecision", 0)
        .with("TickSize", 0.01)
        .with("Enabled", true)
        .with("AllowTrade", true)
        .with("AllowMargin", true)
        .with("AllowShort", true)
}

/// Fields for `filter` and `sortField` on equities.
pub const SCHEMA: Schema = &[
    ("Id", Kind::Num),
    ("Symbol", Kind::Text),
    ("Description", Kind::Text),
    ("Exchange", Kind::Text),
    ("Currency", Kind::Text),
    ("Type", Kind::Text),
];

pub fn field(sec: &Security, name: &str) -> Val {
    match name {
        "Id" => Val::Num(sec.id as f64),
        "Symbol" => Val::Text(sec.symbol.into()),
        "Description" => Val::Text(sec.description.into()),
        "Exchange" => Val::Text(sec.exchange.into()),
        "Currency" => Val::Text("USD".into()),
        "Type" => Val::Text(sec.kind.into()),
        _ => Val::Null,
    }
}

/// `GET equities/{symbol}` or `GET equities/{id}`; 404 Message if unknown.
pub fn get(state: &State, call: &Call) -> Reply {
    let key = call.param("symbol");
    let found = match key.parse::<i64>() {
        Ok(id) => state.market.by_id(id),
        Err(_) => state.market.by_symbol(key),
    };
    match found {
        Some(sec) => Reply::json(200, model(sec)),
        None => reply::message(404, format!("Security '{key}' was not found.")),
    }
}

/// `GET equities/lookup?mask=..&count=..` (both required, else 404):
/// symbols starting with the mask first (an exact match leading), then
/// descriptions containing it; at most `count`; optional `filter`.
pub fn lookup(state: &State, call: &Call) -> Reply {
    let (Some(mask), Some(count)) = (call.query("mask"), call.query("count")) else {
        return reply::not_found(&call.full_url);
    };
    let Ok(count) = count.trim().parse::<usize>() else {
        return paging::invalid(&format!("count '{count}' is not a number"));
    };
    let filter = match call.query("filter") {
        Some(text) => match filter::parse(&text, SCHEMA) {
            Ok(f) => f,
            Err(e) => return paging::invalid(&format!("Invalid filter: {e}")),
        },
        None => filter::Filter::default(),
    };
    let mask = mask.trim().to_ascii_lowercase();
    let rank = |sec: &Security| {
        let symbol = sec.symbol.to_ascii_lowercase();
        if symbol == mask {
            Some(0)
        } else if symbol.starts_with(&mask) {
            Some(1)
        } else if sec.description.to_ascii_lowercase().contains(&mask) {
            Some(2)
        } else {
            None
        }
    };
    let mut hits: Vec<(u8, &Security)> = state
        .market
        .all()
        .iter()
        .filter(|sec| filter.matches(|f| field(sec, f)))
        .filter_map(|sec| Some((rank(sec)?, sec)))
        .collect();
    hits.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.symbol.cmp(b.1.symbol)));
    let list: Vec<Json> = hits
        .into_iter()
        .take(count)
        .map(|(_, sec)| model(sec).into())
        .collect();
    Reply::json(200, list)
}
