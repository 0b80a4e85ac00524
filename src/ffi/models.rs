//! The typed items of an `EtnaResult`, as C structs that callers read through the `const`
//! pointers `etna_result_*` give. Rules for every struct:
//! - the first field is `struct_size` (`sizeof` of the struct libetna was built with); new fields
//!   are only ever appended, so a program built against an older header keeps working;
//! - strings are UTF-8, never NULL (`""` when absent), owned by the result;
//! - numbers are `double`, NaN when the broker did not send them; ids `int64_t`, -1 when absent;
//!   instants `int64_t` Unix milliseconds UTC, 0 when unset; flags `int32_t` 1, 0, or -1 unknown;
//! - enumerations are `int32_t` codes (`ETNA_ORDER_STATUS_*`, ...), -1 for a value libetna does
//!   not know, with the broker's spelling beside each (`*_text`);
//! - `json` is the item's own JSON object, as the broker sent it.

use crate::client::models::{self, Named};
use crate::ffi::arena::Arena;
use crate::ffi::enums::*;
use std::ffi::c_char;
use std::ptr;

/// The logged-in user (`UserInfoModel`).
#[repr(C)]
pub struct EtnaUser {
    pub struct_size: u32,
    pub id: i64,
    pub login: *const c_char,
    pub first_name: *const c_char,
    pub middle_name: *const c_char,
    pub last_name: *const c_char,
    pub email: *const c_char,
    pub role: *const c_char,
    pub added_at_ms: i64,
    pub json: *const c_char,
}

/// An account the user may trade (`UserAccountModel`); `id` is what the trading functions take.
#[repr(C)]
pub struct EtnaAccount {
    pub struct_size: u32,
    pub id: i64,
    pub alias: *const c_char,
    pub clearing_account: *const c_char,
    pub clearing_firm: *const c_char,
    pub margin_type: EtnaMarginType,
    pub access_type: EtnaAccessType,
    pub enabled: i32,
    pub margin_type_text: *const c_char,
    pub access_type_text: *const c_char,
    pub owner_type: *const c_char,
    pub currency: *const c_char,
    pub json: *const c_char,
}

/// An account's balances (`accounts/{id}/info`). Any other number the broker sends is read
/// with `etna_balances_value`.
#[repr(C)]
pub struct EtnaBalances {
    pub struct_size: u32,
    pub cash: f64,
    pub net_cash: f64,
    pub equity_total: f64,
    pub net_liquidity: f64,
    pub stock_buying_power: f64,
    pub day_trading_buying_power: f64,
    pub maintenance_margin: f64,
    pub open_pl: f64,
    pub market_value: f64,
    pub json: *const c_char,
}

/// A position (`PositionResource`).
#[repr(C)]
pub struct EtnaPosition {
    pub struct_size: u32,
    pub id: i64,
    pub account_id: i64,
    pub security_id: i64,
    pub symbol: *const c_char,
    /// Negative for a short position.
    pub quantity: f64,
    pub average_open_price: f64,
    pub cost_basis: f64,
    pub realized_profit_loss: f64,
    pub created_at_ms: i64,
    pub modified_at_ms: i64,
    pub json: *const c_char,
}

/// An order (`OrderResource`, or an order event of the data stream).
#[repr(C)]
pub struct EtnaOrder {
    pub struct_size: u32,
    pub id: i64,
    pub account_id: i64,
    pub security_id: i64,
    pub symbol: *const c_char,
    pub client_id: *const c_char,
    pub side: EtnaSide,
    pub r#type: EtnaOrderType,
    /// `etna_order_status_is_final` tells whether it can still change.
    pub status: EtnaOrderStatus,
    pub time_in_force: EtnaTimeInForce,
    pub quantity: f64,
    pub price: f64,
    pub stop_price: f64,
    pub executed_quantity: f64,
    pub leaves_quantity: f64,
    pub average_price: f64,
    pub last_price: f64,
    pub last_quantity: f64,
    pub created_at_ms: i64,
    pub transaction_at_ms: i64,
    /// Why the broker rejected or expired it, when it did.
    pub description: *const c_char,
    pub side_text: *const c_char,
    pub type_text: *const c_char,
    pub status_text: *const c_char,
    pub time_in_force_text: *const c_char,
    pub json: *const c_char,
}

/// What the broker says of an order before it is placed (`etna_preview_order`).
#[repr(C)]
pub struct EtnaPreview {
    pub struct_size: u32,
    /// 1 when the order would be accepted (a preview that says 0 is `ETNA_ERR_REJECTED`).
    pub is_successful: i32,
    pub commission: f64,
    pub cost: f64,
    pub net_cost: f64,
    pub total_cost: f64,
    /// The broker's code for a reject (`DayTradingBuyingPowerExceeded`), `""` when none.
    pub error_code_text: *const c_char,
    pub error_text: *const c_char,
    pub json: *const c_char,
}

/// A transaction (`TransactionMapModel`); fills are `ETNA_TRANSACTION_ORDER_EXECUTION`.
#[repr(C)]
pub struct EtnaTransaction {
    pub struct_size: u32,
    pub id: i64,
    pub account_id: i64,
    /// -1 when the transaction belongs to no order.
    pub order_id: i64,
    /// -1 for cash.
    pub security_id: i64,
    pub date_ms: i64,
    pub r#type: EtnaTransactionType,
    pub type_text: *const c_char,
    pub symbol: *const c_char,
    pub quantity: f64,
    pub price: f64,
    pub value: f64,
    pub commission: f64,
    pub description: *const c_char,
    pub json: *const c_char,
}

/// A security (`EquityResource`).
#[repr(C)]
pub struct EtnaSecurity {
    pub struct_size: u32,
    pub id: i64,
    pub symbol: *const c_char,
    pub description: *const c_char,
    /// The venue's MIC, e.g. `XNAS`.
    pub exchange: *const c_char,
    pub currency: *const c_char,
    /// `CommonStock`, `ETF`, ... as the broker writes it.
    pub type_text: *const c_char,
    pub tick_size: f64,
    pub precision: i64,
    pub enabled: i32,
    pub allow_trade: i32,
    pub allow_margin: i32,
    pub allow_short: i32,
    pub json: *const c_char,
}

/// A price history candle.
#[repr(C)]
pub struct EtnaCandle {
    pub struct_size: u32,
    pub time_ms: i64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: f64,
    pub json: *const c_char,
    /// Which security of the request the candle is for (0 for the first): a comparison
    /// (`etna_compare_price_history`) answers several series.
    pub series: i32,
}

/// A watchlist (`WatchlistModel`).
#[repr(C)]
pub struct EtnaWatchlist {
    pub struct_size: u32,
    pub id: i64,
    pub name: *const c_char,
    pub description: *const c_char,
    pub r#type: EtnaWatchlistType,
    pub read_only: i32,
    pub type_text: *const c_char,
    pub created_at_ms: i64,
    pub modified_at_ms: i64,
    /// How many securities it holds, and their tickers joined by `;` (`AAPL;MSFT`).
    pub symbol_count: i64,
    pub symbols: *const c_char,
    pub json: *const c_char,
}

/// A streamer's address (`v1.0/streamers`).
#[repr(C)]
pub struct EtnaStreamer {
    pub struct_size: u32,
    pub url: *const c_char,
    /// `Delayed`, ... as the broker writes it.
    pub r#type: *const c_char,
    pub session_id: *const c_char,
    /// 1 for a quote streamer, 0 for a data streamer.
    pub is_quote: i32,
    pub json: *const c_char,
}

/// The models' `json` field, set once the answer's buffer is final (see `result.rs`).
pub(crate) trait HasJson {
    fn json_mut(&mut self) -> &mut *const c_char;
}

macro_rules! has_json {
    ($($t:ty),*) => {
        $(impl HasJson for $t {
            fn json_mut(&mut self) -> &mut *const c_char {
                &mut self.json
            }
        })*
    };
}

has_json!(
    EtnaUser,
    EtnaAccount,
    EtnaBalances,
    EtnaPosition,
    EtnaOrder,
    EtnaPreview,
    EtnaTransaction,
    EtnaSecurity,
    EtnaCandle,
    EtnaWatchlist,
    EtnaStreamer,
    EtnaQuote,
    EtnaStreamState,
    EtnaWatchlistContent
);

/// `struct_size` for a model.
fn size_of<T>() -> u32 {
    std::mem::size_of::<T>() as u32
}

fn named(a: &mut Arena, n: &Named<'_>) -> (i32, *const c_char) {
    (n.code, a.text(&n.text))
}

pub(crate) fn user(u: &models::User, a: &mut Arena) -> EtnaUser {
    EtnaUser {
        struct_size: size_of::<EtnaUser>(),
        id: u.id,
        login: a.text(&u.login),
        first_name: a.text(&u.first_name),
        middle_name: a.text(&u.middle_name),
        last_name: a.text(&u.last_name),
        email: a.text(&u.email),
        role: a.text(&u.role),
        added_at_ms: u.added_at_ms,
        json: ptr::null(),
    }
}

pub(crate) fn account(x: &models::Account, a: &mut Arena) -> EtnaAccount {
    let (margin_type, margin_type_text) = named(a, &x.margin_type);
    let (access_type, access_type_text) = named(a, &x.access_type);
    EtnaAccount {
        struct_size: size_of::<EtnaAccount>(),
        id: x.id,
        alias: a.text(&x.alias),
        clearing_account: a.text(&x.clearing_account),
        clearing_firm: a.text(&x.clearing_firm),
        margin_type,
        access_type,
        enabled: x.enabled,
        margin_type_text,
        access_type_text,
        owner_type: a.text(&x.owner_type),
        currency: a.text(&x.currency),
        json: ptr::null(),
    }
}

pub(crate) fn balances(b: &models::Balances, _: &mut Arena) -> EtnaBalances {
    EtnaBalances {
        struct_size: size_of::<EtnaBalances>(),
        cash: b.get("cash"),
        net_cash: b.get("netCash"),
        equity_total: b.get("equityTotal"),
        net_liquidity: b.get("netLiquidity"),
        stock_buying_power: b.get("stockBuyingPower"),
        day_trading_buying_power: b.get("dayTradingBuyingPower"),
        maintenance_margin: b.get("maintenanceMargin"),
        open_pl: b.get("openPL"),
        market_value: b.get("marketValue"),
        json: ptr::null(),
    }
}

pub(crate) fn position(p: &models::Position, a: &mut Arena) -> EtnaPosition {
    EtnaPosition {
        struct_size: size_of::<EtnaPosition>(),
        id: p.id,
        account_id: p.account_id,
        security_id: p.security_id,
        symbol: a.text(&p.symbol),
        quantity: p.quantity,
        average_open_price: p.average_open_price,
        cost_basis: p.cost_basis,
        realized_profit_loss: p.realized_profit_loss,
        created_at_ms: p.created_at_ms,
        modified_at_ms: p.modified_at_ms,
        json: ptr::null(),
    }
}

pub(crate) fn order(o: &models::Order, a: &mut Arena) -> EtnaOrder {
    let (side, side_text) = named(a, &o.side);
    let (r#type, type_text) = named(a, &o.order_type);
    let (status, status_text) = named(a, &o.status);
    let (time_in_force, time_in_force_text) = named(a, &o.time_in_force);
    EtnaOrder {
        struct_size: size_of::<EtnaOrder>(),
        id: o.id,
        account_id: o.account_id,
        security_id: o.security_id,
        symbol: a.text(&o.symbol),
        client_id: a.text(&o.client_id),
        side,
        r#type,
        status,
        time_in_force,
        quantity: o.quantity,
        price: o.price,
        stop_price: o.stop_price,
        executed_quantity: o.executed_quantity,
        leaves_quantity: o.leaves_quantity,
        average_price: o.average_price,
        last_price: o.last_price,
        last_quantity: o.last_quantity,
        created_at_ms: o.created_at_ms,
        transaction_at_ms: o.transaction_at_ms,
        description: a.text(&o.description),
        side_text,
        type_text,
        status_text,
        time_in_force_text,
        json: ptr::null(),
    }
}

pub(crate) fn preview(p: &models::Preview, a: &mut Arena) -> EtnaPreview {
    EtnaPreview {
        struct_size: size_of::<EtnaPreview>(),
        is_successful: p.is_successful,
        commission: p.commission,
        cost: p.cost,
        net_cost: p.net_cost,
        total_cost: p.total_cost,
        error_code_text: a.text(&p.error_code_text),
        error_text: a.text(&p.error_text),
        json: ptr::null(),
    }
}

pub(crate) fn transaction(t: &models::Transaction, a: &mut Arena) -> EtnaTransaction {
    let (r#type, type_text) = named(a, &t.kind);
    EtnaTransaction {
        struct_size: size_of::<EtnaTransaction>(),
        id: t.id,
        account_id: t.account_id,
        order_id: t.order_id,
        security_id: t.security_id,
        date_ms: t.date_ms,
        r#type,
        type_text,
        symbol: a.text(&t.symbol),
        quantity: t.quantity,
        price: t.price,
        value: t.value,
        commission: t.commission(),
        description: a.text(&t.description),
        json: ptr::null(),
    }
}

pub(crate) fn security(s: &models::Security, a: &mut Arena) -> EtnaSecurity {
    EtnaSecurity {
        struct_size: size_of::<EtnaSecurity>(),
        id: s.id,
        symbol: a.text(&s.symbol),
        description: a.text(&s.description),
        exchange: a.text(&s.exchange),
        currency: a.text(&s.currency),
        type_text: a.text(&s.kind),
        tick_size: s.tick_size,
        precision: s.precision,
        enabled: s.enabled,
        allow_trade: s.allow_trade,
        allow_margin: s.allow_margin,
        allow_short: s.allow_short,
        json: ptr::null(),
    }
}

pub(crate) fn candle(c: &models::Candle, _: &mut Arena) -> EtnaCandle {
    EtnaCandle {
        struct_size: size_of::<EtnaCandle>(),
        time_ms: c.time_ms,
        open: c.open,
        high: c.high,
        low: c.low,
        close: c.close,
        volume: c.volume,
        json: ptr::null(),
        series: c.series,
    }
}

pub(crate) fn watchlist(w: &models::Watchlist, a: &mut Arena) -> EtnaWatchlist {
    let (r#type, type_text) = named(a, &w.kind);
    EtnaWatchlist {
        struct_size: size_of::<EtnaWatchlist>(),
        id: w.id,
        name: a.text(&w.name),
        description: a.text(&w.description),
        r#type,
        read_only: w.read_only,
        type_text,
        created_at_ms: w.created_at_ms,
        modified_at_ms: w.modified_at_ms,
        symbol_count: w.symbols.len() as i64,
        symbols: a.text(&w.symbols.join(";")),
        json: ptr::null(),
    }
}

pub(crate) fn streamer(s: &models::Streamer, a: &mut Arena) -> EtnaStreamer {
    EtnaStreamer {
        struct_size: size_of::<EtnaStreamer>(),
        url: a.text(&s.url),
        r#type: a.text(&s.kind),
        session_id: a.text(&s.session_id),
        is_quote: s.is_quote,
        json: ptr::null(),
    }
}

/// A quote from the quote streamer (`ETNA_KIND_QUOTE`).
#[repr(C)]
pub struct EtnaQuote {
    pub struct_size: u32,
    pub security_id: i64,
    /// The ticker: the streamer's, or the one given to `etna_stream_subscribe_quotes`.
    pub symbol: *const c_char,
    pub bid: f64,
    pub ask: f64,
    pub last: f64,
    pub bid_size: f64,
    pub ask_size: f64,
    pub volume: f64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    /// When the quote was made, by the streamer's clock (0 when it did not say).
    pub time_ms: i64,
    pub json: *const c_char,
}

/// A change in a stream's life (`ETNA_KIND_STREAM_STATE`).
#[repr(C)]
pub struct EtnaStreamState {
    pub struct_size: u32,
    /// `ETNA_STREAM_STATE_*`.
    pub state: i32,
    /// Why, in words (never a secret); `""` when there is nothing to say.
    pub reason: *const c_char,
    /// For `ETNA_STREAM_STATE_GAP`: events between these instants (Unix ms) may be lost.
    pub gap_from_ms: i64,
    pub gap_to_ms: i64,
    pub json: *const c_char,
}

/// Tickers added to or removed from a watchlist (`ETNA_KIND_WATCHLIST_CONTENT`).
#[repr(C)]
pub struct EtnaWatchlistContent {
    pub struct_size: u32,
    pub watchlist_id: i64,
    /// Joined by `;`, `""` when none.
    pub added_symbols: *const c_char,
    pub removed_symbols: *const c_char,
    pub json: *const c_char,
}

pub(crate) fn quote(q: &models::Quote, symbol: &str, a: &mut Arena) -> EtnaQuote {
    EtnaQuote {
        symbol: a.text(if q.symbol.is_empty() {
            symbol
        } else {
            &q.symbol
        }),
        ..quote_fields(q)
    }
}

/// A quote's numbers; `symbol` and `json` left NULL for the caller to point.
pub(crate) fn quote_fields(q: &models::Quote) -> EtnaQuote {
    EtnaQuote {
        struct_size: size_of::<EtnaQuote>(),
        security_id: q.security_id,
        symbol: ptr::null(),
        bid: q.bid,
        ask: q.ask,
        last: q.last,
        bid_size: q.bid_size,
        ask_size: q.ask_size,
        volume: q.volume,
        open: q.open,
        high: q.high,
        low: q.low,
        close: q.close,
        time_ms: q.time_ms,
        json: ptr::null(),
    }
}

pub(crate) fn watchlist_content(
    w: &models::WatchlistContent,
    a: &mut Arena,
) -> EtnaWatchlistContent {
    EtnaWatchlistContent {
        struct_size: size_of::<EtnaWatchlistContent>(),
        watchlist_id: w.watchlist_id,
        added_symbols: a.text(&w.added()),
        removed_symbols: a.text(&w.removed()),
        json: ptr::null(),
    }
}

/// An option contract (`OptionResource`; `ETNA_KIND_OPTION`).
#[repr(C)]
pub struct EtnaOption {
    pub struct_size: u32,
    pub id: i64,
    /// The OSI symbol, e.g. `AAPL  261218C00190000`: what an order's `Symbol` takes.
    pub symbol: *const c_char,
    pub underlying_symbol: *const c_char,
    pub option_type: EtnaOptionType,
    pub option_type_text: *const c_char,
    pub expiration_ms: i64,
    pub expiration_type: EtnaExpirationType,
    pub expiration_type_text: *const c_char,
    pub strike: f64,
    pub contract_size: f64,
    pub series_id: i64,
    pub json: *const c_char,
}

/// An expiration of an underlying's options (`ETNA_KIND_EXPIRATION`).
#[repr(C)]
pub struct EtnaExpiration {
    pub struct_size: u32,
    pub expiration_ms: i64,
    pub expiration_type: EtnaExpirationType,
    pub expiration_type_text: *const c_char,
    pub series_id: i64,
    pub series_type: *const c_char,
    pub json: *const c_char,
}

/// A price alert (`PriceAlertInfoModel`; `ETNA_KIND_PRICE_ALERT`).
#[repr(C)]
pub struct EtnaPriceAlert {
    pub struct_size: u32,
    pub id: i64,
    pub security_id: i64,
    /// `Ask`, `Bid` or `Last`.
    pub field: *const c_char,
    /// `GTEQ` or `LTEQ`.
    pub operator: *const c_char,
    pub argument: f64,
    pub state: EtnaAlertState,
    pub state_text: *const c_char,
    pub expiration_ms: i64,
    pub json: *const c_char,
}

/// A news item or corporate action (`ETNA_KIND_NEWS`).
#[repr(C)]
pub struct EtnaNews {
    pub struct_size: u32,
    pub key: *const c_char,
    pub date_ms: i64,
    pub source: *const c_char,
    pub header: *const c_char,
    pub content: *const c_char,
    pub attachment: *const c_char,
    pub news_id: *const c_char,
    pub json: *const c_char,
}

/// An account's value on a day (`ETNA_KIND_HISTORY_POINT`).
#[repr(C)]
pub struct EtnaHistoryPoint {
    pub struct_size: u32,
    pub date_ms: i64,
    pub value: f64,
    pub json: *const c_char,
}

/// An account's market value in one asset class (`ETNA_KIND_POSITION_GROUP`).
#[repr(C)]
pub struct EtnaPositionGroup {
    pub struct_size: u32,
    /// `Equity`, `Options`, `Cash`, ... as the broker names it.
    pub name: *const c_char,
    pub market_value: f64,
    pub json: *const c_char,
}

/// One state an order went through (`OrderDetailsModel`; `ETNA_KIND_ORDER_DETAIL`).
#[repr(C)]
pub struct EtnaOrderDetail {
    pub struct_size: u32,
    pub id: i64,
    pub order_id: i64,
    pub status: EtnaOrderStatus,
    pub status_text: *const c_char,
    pub executed_quantity: f64,
    pub leaves_quantity: f64,
    pub last_price: f64,
    pub last_quantity: f64,
    pub average_price: f64,
    pub date_ms: i64,
    pub description: *const c_char,
    pub json: *const c_char,
}

has_json!(
    EtnaOption,
    EtnaExpiration,
    EtnaPriceAlert,
    EtnaNews,
    EtnaHistoryPoint,
    EtnaPositionGroup,
    EtnaOrderDetail
);

pub(crate) fn option(o: &models::OptionContract, a: &mut Arena) -> EtnaOption {
    let (option_type, option_type_text) = named(a, &o.option_type);
    let (expiration_type, expiration_type_text) = named(a, &o.expiration_type);
    EtnaOption {
        struct_size: size_of::<EtnaOption>(),
        id: o.id,
        symbol: a.text(&o.symbol),
        underlying_symbol: a.text(&o.underlying_symbol),
        option_type,
        option_type_text,
        expiration_ms: o.expiration_ms,
        expiration_type,
        expiration_type_text,
        strike: o.strike,
        contract_size: o.contract_size,
        series_id: o.series_id,
        json: ptr::null(),
    }
}

pub(crate) fn expiration(e: &models::Expiration, a: &mut Arena) -> EtnaExpiration {
    let (expiration_type, expiration_type_text) = named(a, &e.expiration_type);
    EtnaExpiration {
        struct_size: size_of::<EtnaExpiration>(),
        expiration_ms: e.expiration_ms,
        expiration_type,
        expiration_type_text,
        series_id: e.series_id,
        series_type: a.text(&e.series_type),
        json: ptr::null(),
    }
}

pub(crate) fn price_alert(p: &models::PriceAlert, a: &mut Arena) -> EtnaPriceAlert {
    let (state, state_text) = named(a, &p.state);
    EtnaPriceAlert {
        struct_size: size_of::<EtnaPriceAlert>(),
        id: p.id,
        security_id: p.security_id,
        field: a.text(&p.field),
        operator: a.text(&p.operator),
        argument: p.argument,
        state,
        state_text,
        expiration_ms: p.expiration_ms,
        json: ptr::null(),
    }
}

pub(crate) fn news(n: &models::News, a: &mut Arena) -> EtnaNews {
    EtnaNews {
        struct_size: size_of::<EtnaNews>(),
        key: a.text(&n.key),
        date_ms: n.date_ms,
        source: a.text(&n.source),
        header: a.text(&n.header),
        content: a.text(&n.content),
        attachment: a.text(&n.attachment),
        news_id: a.text(&n.news_id),
        json: ptr::null(),
    }
}

pub(crate) fn history_point(h: &models::HistoryPoint, _: &mut Arena) -> EtnaHistoryPoint {
    EtnaHistoryPoint {
        struct_size: size_of::<EtnaHistoryPoint>(),
        date_ms: h.date_ms,
        value: h.value,
        json: ptr::null(),
    }
}

pub(crate) fn position_group(g: &models::PositionGroup, a: &mut Arena) -> EtnaPositionGroup {
    EtnaPositionGroup {
        struct_size: size_of::<EtnaPositionGroup>(),
        name: a.text(&g.name),
        market_value: g.market_value,
        json: ptr::null(),
    }
}

pub(crate) fn order_detail(d: &models::OrderDetail, a: &mut Arena) -> EtnaOrderDetail {
    let (status, status_text) = named(a, &d.status);
    EtnaOrderDetail {
        struct_size: size_of::<EtnaOrderDetail>(),
        id: d.id,
        order_id: d.order_id,
        status,
        status_text,
        executed_quantity: d.executed_quantity,
        leaves_quantity: d.leaves_quantity,
        last_price: d.last_price,
        last_quantity: d.last_quantity,
        average_price: d.average_price,
        date_ms: d.date_ms,
        description: a.text(&d.description),
        json: ptr::null(),
    }
}
