//! `EtnaResult`: what a trading call hands back. It owns the broker's answer, the typed items
//! read from it (C structs the caller reads through `const` pointers), their strings and the
//! paging facts, and frees them all at once with `etna_result_free`.

use crate::client::models::{self, Item, Listing, listing, market, streamer};
use crate::client::{self, Answer, HttpDetails, Shape};
use crate::ffi::arena::Arena;
use crate::ffi::args;
use crate::ffi::boundary::{run, value};
use crate::ffi::enums::EtnaOrderStatus;
use crate::ffi::error::EtnaError;
use crate::ffi::models::*;
use crate::ffi::record::{EtnaRecord, RecordItem, record};
use crate::ffi::status::*;
use std::ffi::c_char;
use std::ops::Range;
use std::ptr;
use std::sync::OnceLock;

mod event;

/// What the items of a result are (`etna_result_kind`).
pub type EtnaResultKind = i32;

/// `EtnaUser` items (`etna_result_user`).
pub const ETNA_KIND_USER: EtnaResultKind = 1;
/// `EtnaAccount` items (`etna_result_account`).
pub const ETNA_KIND_ACCOUNT: EtnaResultKind = 2;
/// `EtnaBalances` items (`etna_result_balances`).
pub const ETNA_KIND_BALANCES: EtnaResultKind = 3;
/// `EtnaPosition` items (`etna_result_position`).
pub const ETNA_KIND_POSITION: EtnaResultKind = 4;
/// `EtnaOrder` items (`etna_result_order`).
pub const ETNA_KIND_ORDER: EtnaResultKind = 5;
/// `EtnaPreview` items (`etna_result_preview`).
pub const ETNA_KIND_PREVIEW: EtnaResultKind = 6;
/// `EtnaTransaction` items (`etna_result_transaction`).
pub const ETNA_KIND_TRANSACTION: EtnaResultKind = 7;
/// `EtnaSecurity` items (`etna_result_security`).
pub const ETNA_KIND_SECURITY: EtnaResultKind = 8;
/// `EtnaCandle` items (`etna_result_candle`).
pub const ETNA_KIND_CANDLE: EtnaResultKind = 9;
/// `EtnaWatchlist` items (`etna_result_watchlist`).
pub const ETNA_KIND_WATCHLIST: EtnaResultKind = 10;
/// `EtnaStreamer` items (`etna_result_streamer`).
pub const ETNA_KIND_STREAMER: EtnaResultKind = 11;
/// A quote from the quote stream: one `EtnaQuote` (`etna_result_quote`).
pub const ETNA_KIND_QUOTE: EtnaResultKind = 12;
/// A change in a stream's life: one `EtnaStreamState` (`etna_result_stream_state`).
pub const ETNA_KIND_STREAM_STATE: EtnaResultKind = 13;
/// A user's total balances from the data stream: one `EtnaBalances` (`etna_result_balances`).
pub const ETNA_KIND_USER_BALANCE: EtnaResultKind = 14;
/// Tickers added to or removed from a watchlist: one `EtnaWatchlistContent`
/// (`etna_result_watchlist_content`).
pub const ETNA_KIND_WATCHLIST_CONTENT: EtnaResultKind = 15;

/// Option contracts (`etna_result_option`).
pub const ETNA_KIND_OPTION: EtnaResultKind = 16;
/// Option expirations (`etna_result_expiration`).
pub const ETNA_KIND_EXPIRATION: EtnaResultKind = 17;
/// Price alerts (`etna_result_price_alert`).
pub const ETNA_KIND_PRICE_ALERT: EtnaResultKind = 18;
/// News items or corporate actions (`etna_result_news`).
pub const ETNA_KIND_NEWS: EtnaResultKind = 19;
/// An account's value per day (`etna_result_history_point`).
pub const ETNA_KIND_HISTORY_POINT: EtnaResultKind = 20;
/// Market value by asset class (`etna_result_position_group`).
pub const ETNA_KIND_POSITION_GROUP: EtnaResultKind = 21;
/// An order's state history (`etna_result_order_detail`).
pub const ETNA_KIND_ORDER_DETAIL: EtnaResultKind = 22;
/// Objects the broker documents by name only, as their values (`etna_result_record`).
pub const ETNA_KIND_RECORD: EtnaResultKind = 23;

/// Where a stream stands (`EtnaStreamState.state`).
pub type EtnaStreamStateCode = i32;
/// Connected: the first event of every stream.
pub const ETNA_STREAM_STATE_CONNECTED: EtnaStreamStateCode = 0;
/// The connection was lost (or found dead); the stream is reconnecting (the reason says why).
pub const ETNA_STREAM_STATE_RECONNECTING: EtnaStreamStateCode = 1;
/// Connected again, subscriptions replayed.
pub const ETNA_STREAM_STATE_RECONNECTED: EtnaStreamStateCode = 2;
/// On the data stream after a reconnect: events between `gap_from_ms` and `gap_to_ms` may be
/// lost (the broker replays nothing); read orders, positions and balances again over REST.
pub const ETNA_STREAM_STATE_GAP: EtnaStreamStateCode = 3;
/// Closed by `etna_stream_close`: the last event.
pub const ETNA_STREAM_STATE_CLOSED: EtnaStreamStateCode = 4;
/// The stream cannot go on (its login is refused and no re-login is possible, or a bug in
/// libetna stopped its I/O thread; `reason` says which): the last event.
pub const ETNA_STREAM_STATE_FAILED: EtnaStreamStateCode = 5;

/// The typed answer of a trading call. Opaque: read it with the `etna_result_*` functions, free
/// it with `etna_result_free`. Everything it hands out (items, strings, JSON) lives until then.
/// A result is not changed after it is made (the whole JSON is only written once, on first
/// use), so several threads may read one at once.
pub struct EtnaResult {
    /// Balances say which kind they are (an account's, or a user's from the data stream).
    kind: EtnaResultKind,
    items: Items,
    total_count: i64,
    next_page: i32,
    /// The answer, with a NUL written after each item so that every item's `json` points into
    /// it; `restore` says what those bytes were.
    buffer: Vec<u8>,
    restore: Vec<(usize, u8)>,
    /// The whole answer, made from `buffer` the first time `etna_result_json` asks.
    whole: OnceLock<Vec<u8>>,
    /// The items' other strings.
    _strings: Arena,
}

enum Items {
    User(Vec<EtnaUser>),
    Account(Vec<EtnaAccount>),
    Balances(Vec<BalancesItem>),
    Position(Vec<EtnaPosition>),
    Order(Vec<EtnaOrder>),
    Preview(Vec<EtnaPreview>),
    Transaction(Vec<EtnaTransaction>),
    Security(Vec<EtnaSecurity>),
    Candle(Vec<EtnaCandle>),
    Watchlist(Vec<EtnaWatchlist>),
    Streamer(Vec<EtnaStreamer>),
    Quote(Vec<EtnaQuote>),
    /// A quote event's one item, held in place: quotes are a stream's firehose, and this
    /// spares each of them an allocation.
    OneQuote(EtnaQuote),
    StreamState(Vec<EtnaStreamState>),
    WatchlistContent(Vec<EtnaWatchlistContent>),
    Option(Vec<EtnaOption>),
    Expiration(Vec<EtnaExpiration>),
    PriceAlert(Vec<EtnaPriceAlert>),
    News(Vec<EtnaNews>),
    HistoryPoint(Vec<EtnaHistoryPoint>),
    PositionGroup(Vec<EtnaPositionGroup>),
    OrderDetail(Vec<EtnaOrderDetail>),
    Record(Vec<RecordItem>),
}

/// `EtnaBalances` with every value the broker sent, for `etna_balances_value`. The C struct is
/// the first field, so a pointer to it is a pointer to the whole item.
#[repr(C)]
struct BalancesItem {
    c: EtnaBalances,
    values: Vec<(String, f64)>,
}

impl HasJson for BalancesItem {
    fn json_mut(&mut self) -> &mut *const c_char {
        self.c.json_mut()
    }
}

/// Items read from a text, with where each one's JSON lies in it.
struct Read {
    items: Items,
    spans: Vec<Range<usize>>,
    total_count: i64,
    next_page: i32,
}

impl Answer for EtnaResult {
    fn read(shape: Shape, status: u16, body: String) -> client::Result<Self> {
        let mut a = Arena::default();
        match read_items(shape, &body, &mut a) {
            Ok(read) => {
                let mut result = EtnaResult::made(read, body, a);
                if shape == Shape::UserBalances {
                    result.kind = ETNA_KIND_USER_BALANCE;
                }
                Ok(result)
            }
            // The garbled answer stays with the error, for diagnosis.
            Err(e) => Err(e.with_http(HttpDetails {
                status,
                reason: None,
                body,
                retry_after: None,
            })),
        }
    }
}

impl EtnaResult {
    /// Takes over `text` and points each item's `json` into it: no copy of the items' JSON.
    fn made(read: Read, text: String, a: Arena) -> Self {
        let Read {
            mut items,
            spans,
            total_count,
            next_page,
        } = read;
        // The text parsed as JSON, so it holds no NUL byte: each item ends at one written here
        // over the byte that follows it (a comma, a bracket, white space, or the NUL added).
        let mut buffer = text.into_bytes();
        let len = buffer.len();
        buffer.push(0);
        let mut restore = Vec::new();
        for span in &spans {
            if span.end < len && buffer[span.end] != 0 {
                restore.push((span.end, buffer[span.end]));
                buffer[span.end] = 0;
            }
        }
        let base = buffer.as_ptr();
        items.set_json(|i| base.wrapping_add(spans[i].start).cast());
        EtnaResult {
            kind: kind_of(&items),
            items,
            total_count,
            next_page,
            buffer,
            restore,
            whole: OnceLock::new(),
            _strings: a,
        }
    }

    /// The whole answer, NUL-terminated.
    fn whole(&self) -> &[u8] {
        if self.restore.is_empty() {
            return &self.buffer; // no item's end was written over: the answer as it came
        }
        self.whole.get_or_init(|| {
            let mut whole = self.buffer.clone();
            for &(at, byte) in &self.restore {
                whole[at] = byte;
            }
            whole
        })
    }
}

/// The C items of an answer of shape `shape`, and its paging facts.
fn read_items(shape: Shape, body: &str, a: &mut Arena) -> client::Result<Read> {
    Ok(match shape {
        Shape::User => convert(body, listing::one(body)?, a, user, Items::User),
        Shape::Accounts => read_listing(body, a, account, Items::Account)?,
        Shape::Balances | Shape::UserBalances => {
            let listing = listing::one::<models::Balances>(body)?;
            let keep = |b: &models::Balances, a: &mut Arena| BalancesItem {
                c: balances(b, a),
                values: b.values.iter().map(|(n, v)| (n.to_string(), *v)).collect(),
            };
            convert(body, listing, a, keep, Items::Balances)
        }
        Shape::Positions | Shape::TickerPositions => {
            read_listing(body, a, position, Items::Position)?
        }
        Shape::Orders | Shape::Order => {
            let fast = Some(models::Order::scan as listing::Fast<_>);
            read_listing_with(body, a, fast, order, Items::Order)?
        }
        Shape::Preview => convert(body, listing::one(body)?, a, preview, Items::Preview),
        Shape::Transactions => read_listing(body, a, transaction, Items::Transaction)?,
        Shape::Securities | Shape::Security => read_listing(body, a, security, Items::Security)?,
        Shape::Candles => convert(body, market::candles(body)?, a, candle, Items::Candle),
        Shape::ComparedCandles => convert(body, market::compared(body)?, a, candle, Items::Candle),
        Shape::Record => read_listing(body, a, record, Items::Record)?,
        Shape::Watchlists | Shape::Watchlist => read_listing(body, a, watchlist, Items::Watchlist)?,
        Shape::Options => read_listing(body, a, option, Items::Option)?,
        Shape::OptionChain => convert(
            body,
            models::options::chain(body)?,
            a,
            option,
            Items::Option,
        ),
        Shape::Expirations => read_listing(body, a, expiration, Items::Expiration)?,
        Shape::PriceAlerts => read_listing(body, a, price_alert, Items::PriceAlert)?,
        Shape::News => read_listing(body, a, news, Items::News)?,
        Shape::AccountHistory => read_listing(body, a, history_point, Items::HistoryPoint)?,
        Shape::PositionGroups => read_listing(body, a, position_group, Items::PositionGroup)?,
        Shape::OrderDetails => read_listing(body, a, order_detail, Items::OrderDetail)?,
        Shape::VerifiedOrder => {
            // `{"Model":VerifyOrderModel,"Errors":[],"IsSucceed":true}`: the model is the item.
            match listing::field(body, "Model")? {
                Some(at) if body.as_bytes().get(at) == Some(&b'{') => {
                    let end = at + listing::span_of_value(body, at)?;
                    let l = listing::one::<models::Preview>(&body[at..end])?;
                    convert(body, l, a, preview, Items::Preview)
                }
                _ => convert(body, listing::one(body)?, a, preview, Items::Preview),
            }
        }
        Shape::Streamers => convert(
            body,
            streamer::streamers(body)?,
            a,
            streamer,
            Items::Streamer,
        ),
    })
}

/// Reads the items of the array, page or object `body` straight into their C form, with the
/// span of each item's JSON in it.
fn read_listing<'a, T: serde::Deserialize<'a>, C>(
    body: &'a str,
    a: &mut Arena,
    make: impl Fn(&T, &mut Arena) -> C,
    wrap: impl FnOnce(Vec<C>) -> Items,
) -> client::Result<Read> {
    read_listing_with(body, a, None, make, wrap)
}

/// `read_listing`, each item tried with a fast reader first.
fn read_listing_with<'a, T: serde::Deserialize<'a>, C>(
    body: &'a str,
    a: &mut Arena,
    fast: Option<listing::Fast<'a, T>>,
    make: impl Fn(&T, &mut Arena) -> C,
    wrap: impl FnOnce(Vec<C>) -> Items,
) -> client::Result<Read> {
    let (mut items, mut spans) = (Vec::new(), Vec::new());
    let paging = listing::read_each_with(body, fast, |value: T, json: &str| {
        spans.push(listing::span_of(body, json));
        items.push(make(&value, a));
    })?;
    Ok(Read {
        total_count: paging.total_count.unwrap_or(items.len() as i64),
        next_page: paging.next_page,
        items: wrap(items),
        spans,
    })
}

/// Makes the C items of a listing read from `body`, with the span of each item's JSON in it.
fn convert<'a, T, C>(
    body: &str,
    from: Listing<'a, T>,
    a: &mut Arena,
    make: impl Fn(&T, &mut Arena) -> C,
    wrap: impl FnOnce(Vec<C>) -> Items,
) -> Read {
    let mut spans = Vec::with_capacity(from.items.len());
    let items = from
        .items
        .iter()
        .map(|Item { value, json }| {
            spans.push(listing::span_of(body, json));
            make(value, a)
        })
        .collect();
    Read {
        items: wrap(items),
        spans,
        total_count: from.total_count,
        next_page: from.next_page,
    }
}

impl Items {
    /// Sets item `i`'s `json` to `at(i)`.
    fn set_json(&mut self, at: impl Fn(usize) -> *const c_char) {
        fn each<T: HasJson>(v: &mut [T], at: impl Fn(usize) -> *const c_char) {
            for (i, item) in v.iter_mut().enumerate() {
                *item.json_mut() = at(i);
            }
        }
        match self {
            Items::User(v) => each(v, at),
            Items::Account(v) => each(v, at),
            Items::Balances(v) => each(v, at),
            Items::Position(v) => each(v, at),
            Items::Order(v) => each(v, at),
            Items::Preview(v) => each(v, at),
            Items::Transaction(v) => each(v, at),
            Items::Security(v) => each(v, at),
            Items::Candle(v) => each(v, at),
            Items::Watchlist(v) => each(v, at),
            Items::Streamer(v) => each(v, at),
            Items::Quote(v) => each(v, at),
            Items::OneQuote(q) => each(std::slice::from_mut(q), at),
            Items::StreamState(v) => each(v, at),
            Items::WatchlistContent(v) => each(v, at),
            Items::Option(v) => each(v, at),
            Items::Expiration(v) => each(v, at),
            Items::PriceAlert(v) => each(v, at),
            Items::News(v) => each(v, at),
            Items::HistoryPoint(v) => each(v, at),
            Items::PositionGroup(v) => each(v, at),
            Items::OrderDetail(v) => each(v, at),
            Items::Record(v) => each(v, at),
        }
    }
}

fn kind_of(items: &Items) -> EtnaResultKind {
    {
        match items {
            Items::User(_) => ETNA_KIND_USER,
            Items::Account(_) => ETNA_KIND_ACCOUNT,
            Items::Balances(_) => ETNA_KIND_BALANCES,
            Items::Position(_) => ETNA_KIND_POSITION,
            Items::Order(_) => ETNA_KIND_ORDER,
            Items::Preview(_) => ETNA_KIND_PREVIEW,
            Items::Transaction(_) => ETNA_KIND_TRANSACTION,
            Items::Security(_) => ETNA_KIND_SECURITY,
            Items::Candle(_) => ETNA_KIND_CANDLE,
            Items::Watchlist(_) => ETNA_KIND_WATCHLIST,
            Items::Streamer(_) => ETNA_KIND_STREAMER,
            Items::Quote(_) | Items::OneQuote(_) => ETNA_KIND_QUOTE,
            Items::StreamState(_) => ETNA_KIND_STREAM_STATE,
            Items::WatchlistContent(_) => ETNA_KIND_WATCHLIST_CONTENT,
            Items::Option(_) => ETNA_KIND_OPTION,
            Items::Expiration(_) => ETNA_KIND_EXPIRATION,
            Items::PriceAlert(_) => ETNA_KIND_PRICE_ALERT,
            Items::News(_) => ETNA_KIND_NEWS,
            Items::HistoryPoint(_) => ETNA_KIND_HISTORY_POINT,
            Items::PositionGroup(_) => ETNA_KIND_POSITION_GROUP,
            Items::OrderDetail(_) => ETNA_KIND_ORDER_DETAIL,
            Items::Record(_) => ETNA_KIND_RECORD,
        }
    }
}

impl EtnaResult {
    fn kind(&self) -> EtnaResultKind {
        self.kind
    }

    fn len(&self) -> usize {
        match &self.items {
            Items::User(v) => v.len(),
            Items::Account(v) => v.len(),
            Items::Balances(v) => v.len(),
            Items::Position(v) => v.len(),
            Items::Order(v) => v.len(),
            Items::Preview(v) => v.len(),
            Items::Transaction(v) => v.len(),
            Items::Security(v) => v.len(),
            Items::Candle(v) => v.len(),
            Items::Watchlist(v) => v.len(),
            Items::Streamer(v) => v.len(),
            Items::Quote(v) => v.len(),
            Items::OneQuote(_) => 1,
            Items::StreamState(v) => v.len(),
            Items::WatchlistContent(v) => v.len(),
            Items::Option(v) => v.len(),
            Items::Expiration(v) => v.len(),
            Items::PriceAlert(v) => v.len(),
            Items::News(v) => v.len(),
            Items::HistoryPoint(v) => v.len(),
            Items::PositionGroup(v) => v.len(),
            Items::OrderDetail(v) => v.len(),
            Items::Record(v) => v.len(),
        }
    }
}

/// Hands a new result to the caller through `out`, when the caller wants it (otherwise it is
/// dropped here, not leaked).
pub(crate) fn hand_out(
    out: args::Out<'_, *mut EtnaResult>,
    result: EtnaResult,
) -> Result<(), EtnaError> {
    if let Some(slot) = out {
        slot.write(Box::into_raw(Box::new(result)));
    }
    Ok(())
}

/// The result behind a `const` pointer, for the read-only accessors below.
///
/// # Safety
/// `r` is NULL or a result from libetna that `etna_result_free` has not freed.
unsafe fn get<'a>(r: *const EtnaResult) -> Option<&'a EtnaResult> {
    // SAFETY: `r` is NULL or a live result: this function's contract. Only shared references
    // are made, and a result is never changed after it is made.
    unsafe { r.as_ref() }
}

/// What the items of `r` are (`ETNA_KIND_*`), or 0 for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_kind(r: *const EtnaResult) -> EtnaResultKind {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(0, || unsafe { get(r) }.map_or(0, EtnaResult::kind))
}

/// How many items `r` holds (0 for NULL). A single object (one order, the balances, the user)
/// is a result of length 1.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_len(r: *const EtnaResult) -> usize {
    // SAFETY: `r` is NULL or a live result.
    value(0, || unsafe { get(r) }.map_or(0, EtnaResult::len))
}

/// For a page, the broker's `TotalCount` (items on every page); otherwise the number of items.
/// 0 for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_total_count(r: *const EtnaResult) -> i64 {
    // SAFETY: `r` is NULL or a live result.
    value(0, || unsafe { get(r) }.map_or(0, |r| r.total_count))
}

/// The `page` to ask for next (`etna_get_orders(..., page, ...)`), or -1 when this is the last
/// page, the answer is not paged, or `r` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_next_page(r: *const EtnaResult) -> i32 {
    // SAFETY: `r` is NULL or a live result.
    value(-1, || unsafe { get(r) }.map_or(-1, |r| r.next_page))
}

/// The broker's whole answer as JSON text; NULL for NULL. Owned by `r`: valid until
/// `etna_result_free(r)`, never freed by the caller.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_json(r: *const EtnaResult) -> *const c_char {
    value(ptr::null(), || {
        // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
        let r = unsafe { get(r) };
        r.map_or(ptr::null(), |r| r.whole().as_ptr().cast())
    })
}

/// Frees a result and everything it handed out (items, strings, JSON). NULL is a no-op; free
/// each result exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_free(r: *mut EtnaResult) {
    if !r.is_null() {
        // SAFETY: `r` came from `Box::into_raw` in `hand_out` and the caller frees it once (the
        // header's contract), so ownership comes back exactly once.
        let result = unsafe { Box::from_raw(r) };
        value((), move || drop(result));
    }
}

/// Item `index` of `r`, when `r` holds items of the kind `pick` takes.
///
/// # Safety
/// `r` is NULL or a result from libetna that `etna_result_free` has not freed.
unsafe fn item<T>(
    r: *const EtnaResult,
    index: usize,
    pick: impl FnOnce(&Items) -> Option<&[T]>,
) -> *const T {
    // SAFETY: `r` is NULL or a live result: this function's contract.
    let items = unsafe { get(r) }.and_then(|r| pick(&r.items));
    items
        .and_then(|v| v.get(index))
        .map_or(ptr::null(), ptr::from_ref)
}

/// The user (`ETNA_KIND_USER`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_user(r: *const EtnaResult, index: usize) -> *const EtnaUser {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::User(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// An account (`ETNA_KIND_ACCOUNT`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_account(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaAccount {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Account(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// An account's balances (`ETNA_KIND_BALANCES`); read any other number with `etna_balances_value`.
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_balances(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaBalances {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    let found = value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Balances(v) => Some(v.as_slice()),
            _ => None,
        })
    });
    // `c` is the first field of the `#[repr(C)]` item: the same address.
    found.cast::<EtnaBalances>()
}

/// A position (`ETNA_KIND_POSITION`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_position(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaPosition {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Position(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// An order (`ETNA_KIND_ORDER`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_order(r: *const EtnaResult, index: usize) -> *const EtnaOrder {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Order(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// An order preview (`ETNA_KIND_PREVIEW`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_preview(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaPreview {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Preview(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// A transaction (`ETNA_KIND_TRANSACTION`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_transaction(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaTransaction {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Transaction(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// A security (`ETNA_KIND_SECURITY`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_security(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaSecurity {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Security(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// A price history candle (`ETNA_KIND_CANDLE`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_candle(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaCandle {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Candle(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// A watchlist (`ETNA_KIND_WATCHLIST`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_watchlist(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaWatchlist {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Watchlist(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// A streamer address (`ETNA_KIND_STREAMER`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_streamer(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaStreamer {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Streamer(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// A quote (`ETNA_KIND_QUOTE`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_quote(r: *const EtnaResult, index: usize) -> *const EtnaQuote {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Quote(v) => Some(v.as_slice()),
            Items::OneQuote(q) => Some(std::slice::from_ref(q)),
            _ => None,
        })
    })
}

/// A stream state (`ETNA_KIND_STREAM_STATE`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_stream_state(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaStreamState {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::StreamState(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// A watchlist content change (`ETNA_KIND_WATCHLIST_CONTENT`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_watchlist_content(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaWatchlistContent {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::WatchlistContent(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// An option contract (`ETNA_KIND_OPTION`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_option(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaOption {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Option(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// An option expiration (`ETNA_KIND_EXPIRATION`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_expiration(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaExpiration {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Expiration(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// A price alert (`ETNA_KIND_PRICE_ALERT`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_price_alert(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaPriceAlert {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::PriceAlert(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// A news item or corporate action (`ETNA_KIND_NEWS`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_news(r: *const EtnaResult, index: usize) -> *const EtnaNews {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::News(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// An account's value on a day (`ETNA_KIND_HISTORY_POINT`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_history_point(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaHistoryPoint {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::HistoryPoint(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// A position group (`ETNA_KIND_POSITION_GROUP`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_position_group(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaPositionGroup {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::PositionGroup(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// A state of an order's history (`ETNA_KIND_ORDER_DETAIL`).
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item and
/// its strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_order_detail(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaOrderDetail {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::OrderDetail(v) => Some(v.as_slice()),
            _ => None,
        })
    })
}

/// An object the broker documents by name only (`ETNA_KIND_RECORD`): read its values with
/// `etna_record_field` and `etna_record_find`.
///
/// NULL when `r` is NULL, holds another kind of item, or `index` is out of range. The item, its
/// fields and their strings are owned by `r`: valid until `etna_result_free(r)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_result_record(
    r: *const EtnaResult,
    index: usize,
) -> *const EtnaRecord {
    // SAFETY: `r` is NULL or a live result: the header's contract for every accessor.
    value(ptr::null(), || unsafe {
        item(r, index, |i| match i {
            Items::Record(v) => Some(v.as_slice()),
            _ => None,
        })
        .cast::<EtnaRecord>()
    })
}

/// Any number the broker sent in an account's balances, by its name as the broker spells it
/// (`cash`, `stockBuyingPower`, `optionMaintenanceMargin`, ...).
///
/// `balances` must be a pointer `etna_result_balances` gave (not a copy of the struct), whose
/// result is not freed. On success `*out_value` receives the number; a name the broker did not
/// send is `ETNA_ERR_NOT_FOUND`. Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`,
/// `ETNA_ERR_INVALID_UTF8` or `ETNA_ERR_NOT_FOUND`; on failure `*out_err` (if not NULL) receives
/// an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_balances_value(
    balances: *const EtnaBalances,
    name: *const c_char,
    out_value: *mut f64,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_balances_value", out_err, || {
        // SAFETY: `balances` is NULL or a pointer from `etna_result_balances`, which points to
        // the `c` field at the start of a live `#[repr(C)] BalancesItem`; `name` is NULL or a
        // NUL-terminated string; `out_value` is NULL or writable: the header's contract.
        let (item, name, out) = unsafe {
            (
                balances.cast::<BalancesItem>().as_ref(),
                args::text(name, "name")?,
                args::required_out(out_value, "out_value")?,
            )
        };
        let item = item.ok_or_else(|| args::null("balances"))?;
        let found = item.values.iter().find(|(n, _)| n == name);
        let (_, v) = found.ok_or_else(|| {
            EtnaError::new(
                ETNA_ERR_NOT_FOUND,
                format!("the broker sent no balance named '{name}'"),
            )
        })?;
        out.write(*v);
        Ok(())
    })
}

/// 1 when an order in `status` will not change any more (filled, canceled, rejected, expired,
/// done for the day, in error, replaced by a new order), 0 otherwise (unknown included).
#[unsafe(no_mangle)]
pub extern "C" fn etna_order_status_is_final(status: EtnaOrderStatus) -> i32 {
    i32::from(models::order::status_is_final(status))
}
