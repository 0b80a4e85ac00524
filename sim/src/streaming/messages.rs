//! The streamers' messages: what a subscription names (its entity type and key), and the flat
//! data messages, one JSON object per text frame whose values are all strings.
//!
//! - Numbers are written with five decimals (`"100.00000"`), as the broker writes them; share
//!   counts of quotes (`BidSize`, `AskSize`, `Volume`) are whole numbers (`"300"`).
//! - Order and position dates are milliseconds since the Unix epoch (`"1772636400000"`), with a
//!   `DateOffset` (`CreateDateOffset`, `ModifyDateOffset`) of `"0"`: the simulator's dates are
//!   UTC. An unset date is .NET's `DateTime.MinValue`, `"-62135596800000"`.
//! - Quote dates are `MM/DD/YYYY HH:MM:SS`, UTC.
//! - Booleans are `"True"` and `"False"`; an absent text is `""`.

use crate::json::{self, Json, Obj};
use crate::market::clock::{self, TICKS_PER_SEC, Ticks};
use crate::market::instruments::Instrument;
use crate::market::timestamps;
use crate::routes::account_resources;
use crate::streaming::Streamer;
use crate::trading::balances::Balances;
use crate::trading::orders::{GTD, GTD_PLUS, Order, TIFS, TYPES};
use crate::trading::portfolio::Position;

/// What a subscription is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Entity {
    /// Key: a security id (quote streamer).
    Quote,
    /// Key: an account id.
    Order,
    /// Key: an account id.
    Position,
    /// Key: an account id.
    AccountBalance,
    /// Key: a user id.
    UserBalance,
    /// Key: a user id.
    Watchlist,
    /// Key: a watchlist id.
    WatchlistContent,
    /// Key: a user id (a simulator assumption: the documentation names alerts among the data
    /// streamer's entities without their key).
    PriceAlert,
}

impl Entity {
    const ALL: [Entity; 8] = [
        Entity::Quote,
        Entity::Order,
        Entity::Position,
        Entity::AccountBalance,
        Entity::UserBalance,
        Entity::Watchlist,
        Entity::WatchlistContent,
        Entity::PriceAlert,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Entity::Quote => "Quote",
            Entity::Order => "Order",
            Entity::Position => "Position",
            Entity::AccountBalance => "AccountBalance",
            Entity::UserBalance => "UserBalance",
            Entity::Watchlist => "Watchlist",
            Entity::WatchlistContent => "WatchlistContent",
            Entity::PriceAlert => "PriceAlert",
        }
    }

    /// An `EntityType` as a client names it (ASCII case-insensitively).
    pub fn parse(name: &str) -> Option<Entity> {
        Entity::ALL
            .into_iter()
            .find(|e| e.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The streamer that serves this entity type.
    pub fn streamer(self) -> Streamer {
        match self {
            Entity::Quote => Streamer::Quotes,
            _ => Streamer::Data,
        }
    }
}

/// One data message for the data streamer's subscribers of `(entity, key)`.
#[derive(Debug)]
pub struct Event {
    pub entity: Entity,
    pub key: i64,
    pub text: String,
}

/// .NET's `DateTime.MinValue` in epoch milliseconds: an unset date.
pub const UNSET_MS: &str = "-62135596800000";

/// A flat JSON object of string values, written as it is built.
pub struct Flat(String);

impl Flat {
    /// `{"EntityType":"<entity>","Key":"<key>"` and nothing more yet.
    pub fn new(entity: Entity, key: i64) -> Flat {
        let mut out = String::with_capacity(512);
        out.push_str("{\"EntityType\":\"");
        out.push_str(entity.name());
        out.push_str("\",\"Key\":\"");
        out.push_str(&key.to_string());
        out.push('"');
        Flat(out)
    }

    /// A text value, escaped.
    pub fn s(mut self, name: &str, value: &str) -> Flat {
        self.0.push_str(",\"");
        self.0.push_str(name);
        self.0.push_str("\":");
        json::write_str(value, &mut self.0);
        self
    }

    /// A whole number.
    pub fn i(self, name: &str, value: i64) -> Flat {
        self.s(name, &value.to_string())
    }

    /// A decimal number with five decimals.
    pub fn n(self, name: &str, value: f64) -> Flat {
        self.s(name, &decimal(value))
    }

    /// `"True"` or `"False"`.
    pub fn b(self, name: &str, value: bool) -> Flat {
        self.s(name, if value { "True" } else { "False" })
    }

    /// Epoch milliseconds of an instant.
    pub fn ms(self, name: &str, at: Ticks) -> Flat {
        self.i(name, epoch_ms(at))
    }

    /// The text so far, without the closing brace (for messages finished later).
    pub fn open_text(self) -> String {
        self.0
    }

    pub fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// A message as some of the broker's servers write it (`SpacedJson`): a space after each colon
/// and comma between values, none inside strings.
pub fn spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        out.push(c);
        if in_string {
            (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
        } else if c == '"' {
            in_string = true;
        } else if c == ':' || c == ',' {
            out.push(' ');
        }
    }
    out
}

/// `x` with five decimals, never `-0.00000`.
pub fn decimal(x: f64) -> String {
    format!("{:.5}", x + 0.0)
}

/// Milliseconds since the Unix epoch.
pub fn epoch_ms(at: Ticks) -> i64 {
    at.div_euclid(TICKS_PER_SEC / 1000)
}

/// `MM/DD/YYYY HH:MM:SS` (UTC) of an instant.
pub fn quote_date(at: Ticks) -> String {
    let secs = clock::unix_secs(at);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = timestamps::civil_from_days(days);
    format!(
        "{m:02}/{d:02}/{y:04} {:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// An `Order` message (key: the account): the `OrderResource` fields, `Status` and
/// `ExecutionStatus` as numeric codes, `Side`, `Type` and `TimeInForce` by name.
pub fn order(o: &Order) -> Event {
    let expire = match o.req.expire_date {
        Some(t) if matches!(o.req.tif, GTD | GTD_PLUS) => epoch_ms(t).to_string(),
        _ => UNSET_MS.to_string(),
    };
    let text = Flat::new(Entity::Order, o.account_id)
        .i("Id", o.id)
        .i("AccountId", o.account_id)
        .i("UserId", o.user_id)
        .i("SecurityId", o.security_id)
        .s("Symbol", &o.symbol)
        .s("Exchange", o.exchange)
        .s("ClientId", o.req.client_id.as_deref().unwrap_or(""))
        .s("Side", o.req.side.name())
        .s("Type", TYPES[o.req.kind])
        .s("InitialType", TYPES[o.initial_kind])
        .i("Status", o.status as i64)
        .i("ExecutionStatus", o.exec_status as i64)
        .s("TimeInForce", TIFS[o.req.tif])
        .n("Quantity", o.req.quantity)
        .n("Price", o.req.price.unwrap_or(0.0))
        .n("StopPrice", o.req.stop_price.unwrap_or(0.0))
        .n("ExecutedQuantity", o.executed)
        .n("LeavesQuantity", o.leaves())
        .n("AveragePrice", o.avg_price)
        .n("LastPrice", o.last_price)
        .n("LastQuantity", o.last_qty)
        .s("Description", o.description.as_deref().unwrap_or(""))
        .s("Comment", o.req.comment.as_deref().unwrap_or(""))
        .ms("CreateDate", o.created)
        .ms("Date", o.updated)
        .ms("TransactionDate", o.transaction_date)
        .i("DateOffset", 0)
        .s("ExpireDate", &expire)
        .i("StateId", o.state_id)
        .finish();
    Event {
        entity: Entity::Order,
        key: o.account_id,
        text,
    }
}

/// A `Position` message (key: the account): the position after a fill (`Quantity` 0 once it
/// is closed).
pub fn position(p: &Position, account_id: i64, inst: &Instrument) -> Event {
    let symbol = inst.symbol();
    let text = Flat::new(Entity::Position, account_id)
        .i("Id", p.id)
        .i("AccountId", account_id)
        .i("SecurityId", inst.id())
        .s("Symbol", &symbol)
        .s("Name", &symbol)
        .s("CompanyName", &inst.description())
        .s("SecurityType", inst.kind())
        .s("Exchange", inst.exchange())
        .s("Currency", "USD")
        .n("ContractSize", p.multiplier)
        .n("Quantity", p.qty)
        .n("AverageOpenPrice", p.avg_open)
        .n("AverageClosePrice", p.avg_close())
        .n("CostBasis", p.qty * p.avg_open * p.multiplier)
        .n("RealizedProfitLoss", p.realized)
        .ms("CreateDate", p.created)
        .i("CreateDateOffset", 0)
        .ms("ModifyDate", p.modified)
        .i("ModifyDateOffset", 0)
        .finish();
    Event {
        entity: Entity::Position,
        key: account_id,
        text,
    }
}

/// The balance map of `accounts/{id}/info` as the streamers' `Items`: a JSON array of
/// `{"Name":..,"Value":".."}` (values as strings), itself encoded as a string.
fn items(b: &Balances) -> String {
    let model = account_resources::balance_model(b);
    let list: Vec<Json> = model
        .entries()
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Json::Str(s) => s.clone(),
                other => other.to_text(),
            };
            Obj::new()
                .with("Name", name.as_str())
                .with("Value", value)
                .into()
        })
        .collect();
    Json::Arr(list).to_text()
}

/// An `AccountBalance` message (key: the account).
pub fn account_balance(account_id: i64, b: &Balances) -> Event {
    let text = Flat::new(Entity::AccountBalance, account_id)
        .i("AccountId", account_id)
        .n("CashBalance", b.cash)
        .n("PendingCash", b.pending_cash)
        .i("PendingOrdersCount", b.pending_count as i64)
        .s("Items", &items(b))
        .finish();
    Event {
        entity: Entity::AccountBalance,
        key: account_id,
        text,
    }
}

/// A `UserBalance` message (key: the user): the user's accounts added up.
pub fn user_balance(user_id: i64, b: &Balances) -> Event {
    let text = Flat::new(Entity::UserBalance, user_id)
        .i("UserId", user_id)
        .s("Items", &items(b))
        .finish();
    Event {
        entity: Entity::UserBalance,
        key: user_id,
        text,
    }
}

/// What happened to a watchlist (the `Action` of a `Watchlist` message).
#[derive(Clone, Copy, Debug)]
pub enum ListAction {
    Created,
    Renamed,
    Deleted,
}

/// A watchlist as a `Watchlist` message shows it.
pub struct ListFacts<'a> {
    pub owner: i64,
    pub id: i64,
    pub name: &'a str,
    pub description: &'a str,
    pub kind: &'a str,
    pub read_only: bool,
    pub created: Ticks,
    pub modified: Ticks,
}

/// A `Watchlist` message (key: the owner): lower-case `id`, the list's fields, and `Action`
/// (`Created`, `Renamed`, `Deleted`).
pub fn watchlist(list: &ListFacts, action: ListAction) -> Event {
    let action = match action {
        ListAction::Created => "Created",
        ListAction::Renamed => "Renamed",
        ListAction::Deleted => "Deleted",
    };
    let text = Flat::new(Entity::Watchlist, list.owner)
        .i("id", list.id)
        .i("UserId", list.owner)
        .s("Name", list.name)
        .s("Description", list.description)
        .s("Type", list.kind)
        .b("ReadOnly", list.read_only)
        .ms("CreateDate", list.created)
        .ms("ModifyDate", list.modified)
        .s("Action", action)
        .finish();
    Event {
        entity: Entity::Watchlist,
        key: list.owner,
        text,
    }
}

/// A `WatchlistContent` message (key: the list): the tickers added and removed, joined by `;`,
/// or the string `"null"` when none.
pub fn watchlist_content(list_id: i64, added: &[&str], removed: &[&str]) -> Event {
    let joined = |symbols: &[&str]| {
        if symbols.is_empty() {
            "null".to_string()
        } else {
            symbols.join(";")
        }
    };
    let text = Flat::new(Entity::WatchlistContent, list_id)
        .i("WatchlistId", list_id)
        .s("AddedSymbols", &joined(added))
        .s("RemovedSymbols", &joined(removed))
        .finish();
    Event {
        entity: Entity::WatchlistContent,
        key: list_id,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaced_messages_say_the_same_with_a_space_after_each_colon_and_comma() {
        let text = Flat::new(Entity::Quote, 5)
            .s("Symbol", "A\\\",\":B")
            .s("Date", "11/30/2026 14:30:05")
            .n("Bid", 189.5)
            .finish();
        let spaced = spaced(&text);
        assert_eq!(
            spaced,
            r#"{"EntityType": "Quote", "Key": "5", "Symbol": "A\\\",\":B", "Date": "11/30/2026 14:30:05", "Bid": "189.50000"}"#
        );
        let read = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
        assert_eq!(read(&spaced), read(&text));
    }

    #[test]
    fn flat_objects_hold_strings_only() {
        let text = Flat::new(Entity::Order, 1001)
            .s("Symbol", "A\"B")
            .n("Quantity", 100.0)
            .n("Zero", -0.0)
            .b("Flag", true)
            .ms("CreateDate", 1_772_636_400_123 * 10_000 + 9_999)
            .finish();
        assert_eq!(
            text,
            r#"{"EntityType":"Order","Key":"1001","Symbol":"A\"B","Quantity":"100.00000","Zero":"0.00000","Flag":"True","CreateDate":"1772636400123"}"#
        );
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(v.as_object().unwrap().values().all(|v| v.is_string()));
        assert_eq!(Entity::parse(" quote"), Some(Entity::Quote));
        assert_eq!(Entity::parse("Quotes"), None);
        assert_eq!(Entity::WatchlistContent.streamer(), Streamer::Data);
    }

    #[test]
    fn quote_dates_are_us_style_utc() {
        let t = clock::from_system(timestamps::utc(2026, 3, 4, 15, 0, 7, 5));
        assert_eq!(quote_date(t), "03/04/2026 15:00:07");
    }

    #[test]
    fn watchlist_content_names_none_as_null() {
        let e = watchlist_content(7, &["AAPL", "F"], &[]);
        assert_eq!(
            e.text,
            r#"{"EntityType":"WatchlistContent","Key":"7","WatchlistId":"7","AddedSymbols":"AAPL;F","RemovedSymbols":"null"}"#
        );
    }
}
