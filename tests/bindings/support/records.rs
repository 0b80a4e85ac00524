//! The typed values the C++ and C# tours print, and their check against the broker's JSON.
//!
//! A tour prints each value it reads as one line, every field of the model by its C name:
//!
//!   <step>: id=42|symbol=AAPL|status=2|status_text=Filled|average_price=180.25|...|json=<JSON>
//!
//! numbers with round-trip precision, `-` for an absent number, instant or flag; instants as Unix
//! milliseconds; enumerations as their codes; flags 1 or 0; a watchlist's symbols joined by `;`.
//! The item's own JSON comes last. A list is `<step>: count=N` (a page adds `|total=T|next=P` and
//! its whole JSON), its items `<step>[0]: ...`, `<step>[1]: ...`.
//!
//! `check` holds every field to what the library's Rust models read from that JSON, so a field
//! read from the wrong place of a C struct (a layout that drifted), converted wrongly (an instant,
//! NaN, an enumeration) or not printed at all fails the test, in either language.

use etna::client::models;
use std::collections::HashMap;

/// One printed value: its fields (without the JSON) and its JSON.
pub struct Record<'a> {
    pub fields: Vec<(&'a str, &'a str)>,
    pub json: &'a str,
}

impl<'a> Record<'a> {
    /// A record line's text (after `<step>: `): `key=value|...`, the JSON (`json=...`) last if
    /// any. None when it is not one (`ok`, an error line, ...).
    pub fn parse(text: &'a str) -> Option<Record<'a>> {
        let (head, json) = if let Some(json) = text.strip_prefix("json=") {
            ("", json)
        } else {
            text.split_once("|json=").unwrap_or((text, ""))
        };
        let key = |k: &str| !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        let fields = if head.is_empty() {
            Vec::new()
        } else {
            head.split('|')
                .map(|f| f.split_once('=').filter(|(k, _)| key(k)))
                .collect::<Option<Vec<_>>>()?
        };
        (!fields.is_empty() || !json.is_empty()).then_some(Record { fields, json })
    }

    /// The text of field `key`; panics when the record has none.
    pub fn get(&self, key: &str) -> &'a str {
        self.fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("no field {key:?} in the record {:?}", self.fields))
    }

    pub fn int(&self, key: &str) -> i64 {
        let text = self.get(key);
        text.parse()
            .unwrap_or_else(|e| panic!("{key}={text} is not an integer ({e})"))
    }

    /// A number; NaN for `-`.
    pub fn num(&self, key: &str) -> f64 {
        match self.get(key) {
            "-" => f64::NAN,
            text => text
                .parse()
                .unwrap_or_else(|e| panic!("{key}={text} is not a number ({e})")),
        }
    }

    pub fn json_value(&self) -> serde_json::Value {
        serde_json::from_str(self.json)
            .unwrap_or_else(|e| panic!("the record's JSON is not JSON ({e}): {}", self.json))
    }
}

/// The models a tour prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    User,
    Account,
    Balances,
    Position,
    Order,
    Preview,
    Transaction,
    Security,
    Candle,
    Watchlist,
    Streamer,
    /// A quote of the quote stream.
    Quote,
    /// A stream state event (its JSON is libetna's own: `State`, `Reason`, `GapFromMs`,
    /// `GapToMs`).
    StreamState,
    /// Tickers added to or removed from a watchlist (a data stream event).
    WatchlistContent,
    /// An account's or the user's balances from the data stream: the numbers sit in the message's
    /// `Items`, a JSON list encoded as a string.
    StreamedBalances,
    /// An option contract (`EtnaOption`).
    OptionContract,
    Expiration,
    PriceAlert,
    /// A news story or a corporate action.
    News,
    HistoryPoint,
    PositionGroup,
    OrderDetail,
    /// An answer documented by name only: its field count and names in order.
    Record,
}

/// What a field must print, as the library's models read the JSON.
enum Want {
    Int(i64),
    /// NaN: absent, printed `-`.
    Num(f64),
    Text(String),
    /// Unix ms; 0 (unset) is printed `-`.
    Ms(i64),
    /// 1, 0, or -1 (unknown) printed `-`.
    Flag(i32),
}

use Want::{Flag, Int, Ms, Num, Text};

fn text(s: &str) -> Want {
    Text(s.to_owned())
}

fn named(n: &models::Named<'_>) -> (Want, Want) {
    (Int(i64::from(n.code)), text(&n.text))
}

fn read<'a, T: serde::Deserialize<'a>>(model: Model, json: &'a str) -> T {
    serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("{model:?}: its JSON does not read as one ({e}): {json}"))
}

/// The fields of an `EtnaBalances`, read by the broker's names: the same struct whether the
/// balances came from `accounts/{id}/info` or from the data stream.
fn balance_fields(b: &models::Balances<'_>) -> Vec<(&'static str, Want)> {
    vec![
        ("cash", Num(b.get("cash"))),
        ("net_cash", Num(b.get("netCash"))),
        ("equity_total", Num(b.get("equityTotal"))),
        ("net_liquidity", Num(b.get("netLiquidity"))),
        ("stock_buying_power", Num(b.get("stockBuyingPower"))),
        (
            "day_trading_buying_power",
            Num(b.get("dayTradingBuyingPower")),
        ),
        ("maintenance_margin", Num(b.get("maintenanceMargin"))),
        ("open_pl", Num(b.get("openPL"))),
        ("market_value", Num(b.get("marketValue"))),
    ]
}

/// Every field of `model` (as etna.h names them) and what it must print for this JSON.
fn wanted(model: Model, json: &str) -> Vec<(&'static str, Want)> {
    match model {
        Model::User => {
            let u: models::User = read(model, json);
            vec![
                ("id", Int(u.id)),
                ("login", text(&u.login)),
                ("first_name", text(&u.first_name)),
                ("middle_name", text(&u.middle_name)),
                ("last_name", text(&u.last_name)),
                ("email", text(&u.email)),
                ("role", text(&u.role)),
                ("added_at_ms", Ms(u.added_at_ms)),
            ]
        }
        Model::Account => {
            let a: models::Account = read(model, json);
            let (margin, margin_text) = named(&a.margin_type);
            let (access, access_text) = named(&a.access_type);
            vec![
                ("id", Int(a.id)),
                ("alias", text(&a.alias)),
                ("clearing_account", text(&a.clearing_account)),
                ("clearing_firm", text(&a.clearing_firm)),
                ("margin_type", margin),
                ("access_type", access),
                ("enabled", Flag(a.enabled)),
                ("margin_type_text", margin_text),
                ("access_type_text", access_text),
                ("owner_type", text(&a.owner_type)),
                ("currency", text(&a.currency)),
            ]
        }
        Model::Balances => balance_fields(&read::<models::Balances>(model, json)),
        Model::Position => {
            let p: models::Position = read(model, json);
            vec![
                ("id", Int(p.id)),
                ("account_id", Int(p.account_id)),
                ("security_id", Int(p.security_id)),
                ("symbol", text(&p.symbol)),
                ("quantity", Num(p.quantity)),
                ("average_open_price", Num(p.average_open_price)),
                ("cost_basis", Num(p.cost_basis)),
                ("realized_profit_loss", Num(p.realized_profit_loss)),
                ("created_at_ms", Ms(p.created_at_ms)),
                ("modified_at_ms", Ms(p.modified_at_ms)),
            ]
        }
        Model::Order => {
            let o: models::Order = read(model, json);
            let (side, side_text) = named(&o.side);
            let (kind, type_text) = named(&o.order_type);
            let (status, status_text) = named(&o.status);
            let (tif, tif_text) = named(&o.time_in_force);
            vec![
                ("id", Int(o.id)),
                ("account_id", Int(o.account_id)),
                ("security_id", Int(o.security_id)),
                ("symbol", text(&o.symbol)),
                ("client_id", text(&o.client_id)),
                ("side", side),
                ("type", kind),
                ("status", status),
                ("time_in_force", tif),
                ("quantity", Num(o.quantity)),
                ("price", Num(o.price)),
                ("stop_price", Num(o.stop_price)),
                ("executed_quantity", Num(o.executed_quantity)),
                ("leaves_quantity", Num(o.leaves_quantity)),
                ("average_price", Num(o.average_price)),
                ("last_price", Num(o.last_price)),
                ("last_quantity", Num(o.last_quantity)),
                ("created_at_ms", Ms(o.created_at_ms)),
                ("transaction_at_ms", Ms(o.transaction_at_ms)),
                ("description", text(&o.description)),
                ("side_text", side_text),
                ("type_text", type_text),
                ("status_text", status_text),
                ("time_in_force_text", tif_text),
            ]
        }
        Model::Preview => {
            let p: models::Preview = read(model, json);
            vec![
                ("is_successful", Flag(p.is_successful)),
                ("commission", Num(p.commission)),
                ("cost", Num(p.cost)),
                ("net_cost", Num(p.net_cost)),
                ("total_cost", Num(p.total_cost)),
                ("error_code_text", text(&p.error_code_text)),
                ("error_text", text(&p.error_text)),
            ]
        }
        Model::Transaction => {
            let t: models::Transaction = read(model, json);
            let (kind, type_text) = named(&t.kind);
            vec![
                ("id", Int(t.id)),
                ("account_id", Int(t.account_id)),
                ("order_id", Int(t.order_id)),
                ("security_id", Int(t.security_id)),
                ("date_ms", Ms(t.date_ms)),
                ("type", kind),
                ("type_text", type_text),
                ("symbol", text(&t.symbol)),
                ("quantity", Num(t.quantity)),
                ("price", Num(t.price)),
                ("value", Num(t.value)),
                ("commission", Num(t.commission())),
                ("description", text(&t.description)),
            ]
        }
        Model::Security => {
            let s: models::Security = read(model, json);
            vec![
                ("id", Int(s.id)),
                ("symbol", text(&s.symbol)),
                ("description", text(&s.description)),
                ("exchange", text(&s.exchange)),
                ("currency", text(&s.currency)),
                ("type_text", text(&s.kind)),
                ("tick_size", Num(s.tick_size)),
                ("precision", Int(s.precision)),
                ("enabled", Flag(s.enabled)),
                ("allow_trade", Flag(s.allow_trade)),
                ("allow_margin", Flag(s.allow_margin)),
                ("allow_short", Flag(s.allow_short)),
            ]
        }
        Model::Candle => {
            let c: models::Candle = read(model, json);
            vec![
                ("time_ms", Ms(c.time_ms)),
                ("open", Num(c.open)),
                ("high", Num(c.high)),
                ("low", Num(c.low)),
                ("close", Num(c.close)),
                ("volume", Num(c.volume)),
            ]
        }
        Model::Watchlist => {
            let w: models::Watchlist = read(model, json);
            let (kind, type_text) = named(&w.kind);
            vec![
                ("id", Int(w.id)),
                ("name", text(&w.name)),
                ("description", text(&w.description)),
                ("type", kind),
                ("read_only", Flag(w.read_only)),
                ("type_text", type_text),
                ("created_at_ms", Ms(w.created_at_ms)),
                ("modified_at_ms", Ms(w.modified_at_ms)),
                ("symbol_count", Int(w.symbols.len() as i64)),
                ("symbols", Text(w.symbols.join(";"))),
            ]
        }
        Model::Quote => {
            let q: models::Quote = read(model, json);
            vec![
                ("security_id", Int(q.security_id)),
                ("symbol", text(&q.symbol)),
                ("bid", Num(q.bid)),
                ("ask", Num(q.ask)),
                ("last", Num(q.last)),
                ("bid_size", Num(q.bid_size)),
                ("ask_size", Num(q.ask_size)),
                ("volume", Num(q.volume)),
                ("open", Num(q.open)),
                ("high", Num(q.high)),
                ("low", Num(q.low)),
                ("close", Num(q.close)),
                ("time_ms", Ms(q.time_ms)),
            ]
        }
        Model::StreamState => {
            let v: serde_json::Value = read(model, json);
            let names = [
                "Connected",
                "Reconnecting",
                "Reconnected",
                "Gap",
                "Closed",
                "Failed",
            ];
            let state = v["State"].as_str().unwrap_or_default();
            let code = names
                .iter()
                .position(|n| *n == state)
                .map_or(-1, |i| i as i64);
            vec![
                ("state", Int(code)),
                ("reason", text(v["Reason"].as_str().unwrap_or_default())),
                ("gap_from_ms", Ms(v["GapFromMs"].as_i64().unwrap_or(-1))),
                ("gap_to_ms", Ms(v["GapToMs"].as_i64().unwrap_or(-1))),
            ]
        }
        Model::WatchlistContent => {
            let w: models::WatchlistContent = read(model, json);
            vec![
                ("watchlist_id", Int(w.watchlist_id)),
                ("added_symbols", Text(w.added())),
                ("removed_symbols", Text(w.removed())),
            ]
        }
        Model::StreamedBalances => {
            let streamed: models::StreamedBalances = read(model, json);
            balance_fields(&streamed.balances())
        }
        Model::OptionContract => {
            let o: models::OptionContract = read(model, json);
            let (option_type, option_type_text) = named(&o.option_type);
            let (expiration_type, expiration_type_text) = named(&o.expiration_type);
            vec![
                ("id", Int(o.id)),
                ("symbol", text(&o.symbol)),
                ("underlying_symbol", text(&o.underlying_symbol)),
                ("option_type", option_type),
                ("option_type_text", option_type_text),
                ("expiration_ms", Ms(o.expiration_ms)),
                ("expiration_type", expiration_type),
                ("expiration_type_text", expiration_type_text),
                ("strike", Num(o.strike)),
                ("contract_size", Num(o.contract_size)),
                ("series_id", Int(o.series_id)),
            ]
        }
        Model::Expiration => {
            let e: models::Expiration = read(model, json);
            let (expiration_type, expiration_type_text) = named(&e.expiration_type);
            vec![
                ("expiration_ms", Ms(e.expiration_ms)),
                ("expiration_type", expiration_type),
                ("expiration_type_text", expiration_type_text),
                ("series_id", Int(e.series_id)),
                ("series_type", text(&e.series_type)),
            ]
        }
        Model::PriceAlert => {
            let a: models::PriceAlert = read(model, json);
            let (state, state_text) = named(&a.state);
            vec![
                ("id", Int(a.id)),
                ("security_id", Int(a.security_id)),
                ("field", text(&a.field)),
                ("operator", text(&a.operator)),
                ("argument", Num(a.argument)),
                ("state", state),
                ("state_text", state_text),
                ("expiration_ms", Ms(a.expiration_ms)),
            ]
        }
        Model::News => {
            let n: models::News = read(model, json);
            vec![
                ("key", text(&n.key)),
                ("date_ms", Ms(n.date_ms)),
                ("source", text(&n.source)),
                ("header", text(&n.header)),
                ("content", text(&n.content)),
                ("attachment", text(&n.attachment)),
                ("news_id", text(&n.news_id)),
            ]
        }
        Model::HistoryPoint => {
            let h: models::HistoryPoint = read(model, json);
            vec![("date_ms", Ms(h.date_ms)), ("value", Num(h.value))]
        }
        Model::PositionGroup => {
            let g: models::PositionGroup = read(model, json);
            vec![
                ("name", text(&g.name)),
                ("market_value", Num(g.market_value)),
            ]
        }
        Model::OrderDetail => {
            let d: models::OrderDetail = read(model, json);
            let (status, status_text) = named(&d.status);
            vec![
                ("id", Int(d.id)),
                ("order_id", Int(d.order_id)),
                ("status", status),
                ("status_text", status_text),
                ("executed_quantity", Num(d.executed_quantity)),
                ("leaves_quantity", Num(d.leaves_quantity)),
                ("last_price", Num(d.last_price)),
                ("last_quantity", Num(d.last_quantity)),
                ("average_price", Num(d.average_price)),
                ("date_ms", Ms(d.date_ms)),
                ("description", text(&d.description)),
            ]
        }
        Model::Record => {
            let r: models::Record = read(model, json);
            let names: Vec<&str> = r.fields.iter().map(|f| f.name.as_str()).collect();
            vec![
                ("field_count", Int(r.fields.len() as i64)),
                ("names", text(&names.join(";"))),
            ]
        }
        Model::Streamer => {
            let s: models::Streamer = read(model, json);
            // is_quote says which list of the answer it came from: not in the item's JSON.
            vec![
                ("url", text(&s.url)),
                ("type", text(&s.kind)),
                ("session_id", text(&s.session_id)),
            ]
        }
    }
}

/// Whether the printed `got` is what `want` says.
fn agrees(want: &Want, got: &str) -> bool {
    match want {
        Int(v) => got.parse::<i64>().is_ok_and(|g| g == *v),
        Num(v) if v.is_nan() => got == "-",
        Num(v) => got
            .parse::<f64>()
            .is_ok_and(|g| (g - v).abs() <= 1e-9 * v.abs().max(1.0)),
        Text(v) => got == v,
        Ms(0) => got == "-",
        Ms(v) => got.parse::<i64>().is_ok_and(|g| g == *v),
        Flag(-1) => got == "-",
        Flag(v) => got == v.to_string(),
    }
}

fn shown(want: &Want) -> String {
    match want {
        Int(v) | Ms(v) => v.to_string(),
        Num(v) => v.to_string(),
        Text(v) => format!("{v:?}"),
        Flag(v) => v.to_string(),
    }
}

/// Holds every field of `record`, a `model`, to its own JSON; `what` names it in messages.
pub fn check(model: Model, record: &Record, what: &str) {
    let mut wrong = Vec::new();
    for (key, want) in wanted(model, record.json) {
        match record.fields.iter().find(|(k, _)| *k == key) {
            None => wrong.push(format!("{key} not printed")),
            Some((_, got)) if !agrees(&want, got) => {
                wrong.push(format!("{key}={got}, its JSON says {}", shown(&want)));
            }
            Some(_) => {}
        }
    }
    if model == Model::Streamer {
        let quote = record.get("is_quote");
        if quote != "1" && quote != "0" {
            wrong.push(format!("is_quote={quote}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{what} ({model:?}) disagrees with its JSON: {}\n  JSON: {}",
        wrong.join("; "),
        record.json
    );
}

/// The lines of a tour, by step (the first line of each step).
pub struct Lines<'a> {
    lines: HashMap<&'a str, &'a str>,
    pub stdout: &'a str,
}

impl<'a> Lines<'a> {
    pub fn parse(stdout: &'a str) -> Lines<'a> {
        let mut lines = HashMap::new();
        for (step, text) in stdout.lines().filter_map(|l| l.split_once(": ")) {
            lines.entry(step).or_insert(text);
        }
        Lines { lines, stdout }
    }

    pub fn get(&self, step: &str) -> Option<&'a str> {
        self.lines.get(step).copied()
    }

    pub fn text(&self, step: &str) -> &'a str {
        self.get(step)
            .unwrap_or_else(|| panic!("the tour printed no {step:?} line:\n{}", self.stdout))
    }

    /// The step's value, a `model`, checked against its JSON.
    pub fn one(&self, step: &str, model: Model) -> Record<'a> {
        let text = self.text(step);
        let record = Record::parse(text)
            .unwrap_or_else(|| panic!("{step}: not a value: {text}\n{}", self.stdout));
        check(model, &record, step);
        record
    }

    /// The step's list of `model`s, each checked; with its head (`count=`, for a page `total=`,
    /// `next=` and the page's JSON).
    pub fn list(&self, step: &str, model: Model) -> (Record<'a>, Vec<Record<'a>>) {
        let text = self.text(step);
        let head = Record::parse(text)
            .filter(|r| r.fields.iter().any(|(k, _)| *k == "count"))
            .unwrap_or_else(|| panic!("{step}: not a list: {text}\n{}", self.stdout));
        let count = head.int("count");
        let items = (0..count)
            .map(|i| self.one(&format!("{step}[{i}]"), model))
            .collect();
        (head, items)
    }
}
