//! Streams: live quotes from the quote streamer, and order, position, balance and watchlist
//! events from the data streamer, pulled one `EtnaResult` at a time with `etna_stream_next`.
//!
//! A stream has its own I/O thread, which never runs caller code; a caller waiting in
//! `etna_stream_next` with nothing queued reads the socket on its own thread. Subscriptions are
//! remembered and replayed after every reconnect; reconnects are announced with
//! `ETNA_KIND_STREAM_STATE` events, followed on the data stream by a gap (the broker replays
//! nothing: read the state again over REST). Quotes are conflated per security when the caller
//! falls behind (newest wins; `etna_stream_stats` counts them); order, position and balance events
//! are never dropped.

use crate::client::models::quote::Memory;
use crate::client::stream::{State, Stream, StreamKind, Timing};
use crate::client::{Error, ErrorKind, Session};
use crate::ffi::args;
use crate::ffi::boundary::{run, value};
use crate::ffi::error::EtnaError;
use crate::ffi::result::{self, EtnaResult};
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::collections::HashMap;
use std::ffi::c_char;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Which streamer `etna_stream_open` connects to.
pub type EtnaStreamKind = i32;
/// The quote streamer: `Quote` events.
pub const ETNA_STREAM_QUOTES: EtnaStreamKind = 1;
/// The data streamer: `Order`, `Position`, `AccountBalance`, `UserBalance`, `Watchlist` and
/// `WatchlistContent` events.
pub const ETNA_STREAM_DATA: EtnaStreamKind = 2;
/// Added to a kind (`ETNA_STREAM_QUOTES | ETNA_STREAM_LOGIN_FORM`): connect with the login form
/// (`User=<login>&Password=<password>`) instead of the session form. The password is sent in the
/// address, so it needs auto re-login on (the only time the session keeps it).
pub const ETNA_STREAM_LOGIN_FORM: EtnaStreamKind = 0x100;

/// A stream opened from a session. Opaque; freed with `etna_stream_free`. Its functions may be
/// called from any thread, `etna_stream_close` while another thread waits in `etna_stream_next`.
pub struct EtnaStream {
    stream: Stream,
    session: Arc<Session>,
    /// The tickers of securities subscribed by `etna_stream_subscribe_quotes`, by id.
    symbols: Mutex<HashMap<i64, String>>,
    /// What the stream keeps of its last quotes (their layouts, their date), to read the next
    /// ones with less work.
    quotes: Mutex<Memory>,
}

/// A stream's counters. Set `struct_size` to `sizeof(EtnaStreamStats)` before calling
/// `etna_stream_stats`.
#[repr(C)]
pub struct EtnaStreamStats {
    pub struct_size: u32,
    /// Data messages read from the streamer.
    pub received: u64,
    /// Events handed out by `etna_stream_next`.
    pub delivered: u64,
    /// Quotes replaced by a newer one of the same security before they were taken.
    pub conflated: u64,
    /// Events waiting now, and the most that ever waited.
    pub queued: u64,
    pub high_water: u64,
    pub reconnects: u64,
    pub gaps: u64,
    /// Milliseconds since the streamer last sent anything; -1 before the first message.
    pub last_message_age_ms: i64,
}

/// The stream behind a handle.
///
/// # Safety
/// `ptr` is NULL or a stream from `etna_stream_open` that `etna_stream_free` does not free
/// during `'a`.
unsafe fn stream<'a>(ptr: *const EtnaStream) -> Result<&'a EtnaStream, EtnaError> {
    // SAFETY: `ptr` is NULL or a live stream for 'a: this function's contract. Only shared
    // references are made; a stream is internally synchronised.
    unsafe { ptr.as_ref() }.ok_or_else(|| args::null("stream"))
}

/// Opens a stream: reads the streamer's address (`v1.0/streamers`, and the session recovery
/// route for the data streamer), connects with the session's TLS settings, CA file, proxy and
/// connect timeout, and creates the streamer session (the session form,
/// `User=<UserId>:<StreamerSessionId>` with the session's token, unless `ETNA_STREAM_LOGIN_FORM`
/// is added). Cancelled by `etna_session_cancel` while it runs.
///
/// `kind` is `ETNA_STREAM_QUOTES` or `ETNA_STREAM_DATA`. On success `*out_stream` receives the
/// stream; free it with `etna_stream_free`. Its first event is `ETNA_STREAM_STATE_CONNECTED`.
/// The stream keeps what it needs of the session, so it may outlive `etna_session_free`; when its
/// token expires it logs in again if auto re-login is on, else it ends with
/// `ETNA_STREAM_STATE_FAILED`.
///
/// Returns `ETNA_OK`; `ETNA_ERR_NULL_ARGUMENT`; `ETNA_ERR_INVALID_ARGUMENT` (unknown kind);
/// `ETNA_ERR_INVALID_STATE` (login form without auto re-login); `ETNA_ERR_NOT_AUTHENTICATED`
/// (not logged in, or the streamer refused the session); `ETNA_ERR_NETWORK`, `ETNA_ERR_TIMEOUT`,
/// `ETNA_ERR_TLS`, `ETNA_ERR_PROTOCOL`, `ETNA_ERR_CANCELLED`. On failure `*out_err` (if not NULL)
/// receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_stream_open(
    session: *const EtnaSession,
    kind: EtnaStreamKind,
    out_stream: *mut *mut EtnaStream,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_stream_open", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new, `out_stream` NULL
        // or writable storage for an `EtnaStream *`: the header's contract for this function.
        let (session, out) = unsafe {
            (
                args::session_shared(session)?,
                args::required_out(out_stream, "out_stream")?,
            )
        };
        let login_form = kind & ETNA_STREAM_LOGIN_FORM != 0;
        let streamer = match kind & !ETNA_STREAM_LOGIN_FORM {
            ETNA_STREAM_QUOTES => StreamKind::Quotes,
            ETNA_STREAM_DATA => StreamKind::Data,
            other => {
                return Err(EtnaError::new(
                    ETNA_ERR_INVALID_ARGUMENT,
                    format!(
                        "stream kind {other} is not ETNA_STREAM_QUOTES (1) or ETNA_STREAM_DATA (2)"
                    ),
                ));
            }
        };
        let stream = Stream::open(session.clone(), streamer, login_form)?;
        out.write(Box::into_raw(Box::new(EtnaStream {
            stream,
            session,
            symbols: Mutex::new(HashMap::new()),
            quotes: Mutex::default(),
        })));
        Ok(())
    })
}

/// Subscribes to `entity_type` events (`"Quote"` on the quote stream; `"Order"`, `"Position"`,
/// `"AccountBalance"`, `"UserBalance"`, `"Watchlist"`, `"WatchlistContent"` on the data stream)
/// for `keys` joined by `;`: security ids for quotes, account ids for orders, positions and
/// account balances, user ids for user balances and watchlists, watchlist ids for their content.
/// The subscription is remembered and replayed after every reconnect. The command goes out at
/// once; only while another of your threads waits in `etna_stream_next` on a quiet stream does
/// it wait for that call's read of the connection to end (10 ms at most).
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT` (unknown entity, one of the other stream, bad keys) or
/// `ETNA_ERR_INVALID_STATE` (closed). On failure `*out_err` (if not NULL) receives an error you
/// free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_stream_subscribe(
    stream: *const EtnaStream,
    entity_type: *const c_char,
    keys: *const c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_stream_subscribe", out_err, || {
        // SAFETY: `stream` is NULL or a live stream, the strings NULL or NUL-terminated: the
        // header's contract for this function.
        let (s, entity, keys) = unsafe {
            (
                self::stream(stream)?,
                args::text(entity_type, "entity_type")?,
                args::text(keys, "keys")?,
            )
        };
        Ok(s.stream.subscribe(entity, keys)?)
    })
}

/// Ends a subscription made by `etna_stream_subscribe` (same arguments). Returns and fails as
/// `etna_stream_subscribe`; on failure `*out_err` (if not NULL) receives an error you free with
/// `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_stream_unsubscribe(
    stream: *const EtnaStream,
    entity_type: *const c_char,
    keys: *const c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_stream_unsubscribe", out_err, || {
        // SAFETY: `stream` is NULL or a live stream, the strings NULL or NUL-terminated: the
        // header's contract for this function.
        let (s, entity, keys) = unsafe {
            (
                self::stream(stream)?,
                args::text(entity_type, "entity_type")?,
                args::text(keys, "keys")?,
            )
        };
        Ok(s.stream.unsubscribe(entity, keys)?)
    })
}

/// Subscribes a quote stream to tickers joined by `;` (`"AAPL;MSFT"`): each is resolved to its
/// security id (`v1.0/equities/{symbol}`, through the session), then subscribed as `"Quote"`. The
/// quotes' `symbol` is the ticker given here when the streamer does not name it.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT`, `ETNA_ERR_INVALID_STATE`, or the errors of `etna_get_equity`
/// (e.g. `ETNA_ERR_HTTP` 404 for an unknown ticker; nothing is subscribed then). On failure
/// `*out_err` (if not NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_stream_subscribe_quotes(
    stream: *const EtnaStream,
    tickers: *const c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_stream_subscribe_quotes", out_err, || {
        // SAFETY: `stream` is NULL or a live stream, `tickers` NULL or NUL-terminated: the
        // header's contract for this function.
        let (s, tickers) = unsafe { (self::stream(stream)?, args::text(tickers, "tickers")?) };
        let mut ids = Vec::new();
        for ticker in tickers.split(';').map(str::trim).filter(|t| !t.is_empty()) {
            let body: String = s.session.equity(ticker)?;
            let id = crate::client::models::listing::one::<crate::client::models::Security>(&body)?
                .items[0]
                .value
                .id;
            ids.push((id, ticker.to_owned()));
        }
        if ids.is_empty() {
            return Err(EtnaError::new(
                ETNA_ERR_INVALID_ARGUMENT,
                "no tickers given",
            ));
        }
        let keys: Vec<String> = ids.iter().map(|(id, _)| id.to_string()).collect();
        s.stream.subscribe("Quote", &keys.join(";"))?;
        let mut symbols = s.symbols.lock().unwrap_or_else(|e| e.into_inner());
        symbols.extend(ids);
        Ok(())
    })
}

/// The next event, as a one-item `EtnaResult` whose kind says what it is: `ETNA_KIND_QUOTE`,
/// `ETNA_KIND_ORDER`, `ETNA_KIND_POSITION`, `ETNA_KIND_BALANCES` (an account's),
/// `ETNA_KIND_USER_BALANCE`, `ETNA_KIND_WATCHLIST`, `ETNA_KIND_WATCHLIST_CONTENT` or
/// `ETNA_KIND_STREAM_STATE`. Waits up to `timeout_ms` (0: only looks; -1: until an event comes or
/// the stream ends). On success `*out_result` receives it; free it with `etna_result_free`.
/// While it waits with nothing queued, the calling thread reads the stream's socket itself, so
/// an event reaches it without a hand-over from the I/O thread.
///
/// Returns `ETNA_OK`; `ETNA_ERR_TIMEOUT` when nothing came in time; `ETNA_ERR_CANCELLED` once
/// the stream is closed and every queued event was taken (or the error that ended a failed
/// stream: `ETNA_ERR_NOT_AUTHENTICATED` for a refused login, `ETNA_ERR_PANIC` when a bug in
/// libetna stopped its I/O thread); `ETNA_ERR_PROTOCOL` for a message that is not the JSON
/// expected (the next call goes on with the next event); `ETNA_ERR_NULL_ARGUMENT`,
/// `ETNA_ERR_INVALID_ARGUMENT` (timeout below -1). On failure `*out_err` (if not NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_stream_next(
    stream: *const EtnaStream,
    timeout_ms: i32,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_stream_next", out_err, || {
        // SAFETY: `stream` is NULL or a live stream, `out_result` NULL or writable storage for
        // an `EtnaResult *`: the header's contract for this function.
        let (s, out) = unsafe {
            (
                self::stream(stream)?,
                args::required_out(out_result, "out_result")?,
            )
        };
        let wait = match timeout_ms {
            -1 => None,
            ms if ms >= 0 => Some(Duration::from_millis(ms as u64)),
            ms => {
                return Err(EtnaError::new(
                    ETNA_ERR_INVALID_ARGUMENT,
                    format!("timeout {ms} ms: use 0 or more, or -1 to wait until an event comes"),
                ));
            }
        };
        let event = s.stream.next(wait)?;
        let symbol = |id: i64| {
            let symbols = s.symbols.lock().unwrap_or_else(|e| e.into_inner());
            symbols.get(&id).cloned().unwrap_or_default()
        };
        // What the stream keeps of its quotes, unless another thread is reading one (then this
        // quote is read field by field).
        let mut kept = s.quotes.try_lock().ok();
        let mut spare;
        let quotes = match kept.as_deref_mut() {
            Some(quotes) => quotes,
            None => {
                spare = Memory::default();
                &mut spare
            }
        };
        let result = EtnaResult::from_event(event, quotes, symbol, |e| s.stream.give_back(e));
        let result = result.map_err(|e| {
            Error::new(
                ErrorKind::Protocol,
                format!("a stream message is not the JSON expected: {}", e.message()),
            )
        })?;
        out.write(Box::into_raw(Box::new(result)));
        Ok(())
    })
}

/// Copies the stream's counters into `*out_stats`, whose `struct_size` the caller sets to
/// `sizeof(EtnaStreamStats)` first (a smaller size is `ETNA_ERR_INVALID_ARGUMENT`).
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT` or `ETNA_ERR_INVALID_ARGUMENT`. On failure
/// `*out_err` (if not NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_stream_stats(
    stream: *const EtnaStream,
    out_stats: *mut EtnaStreamStats,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_stream_stats", out_err, || {
        // SAFETY: `stream` is NULL or a live stream; `out_stats` NULL or a writable
        // `EtnaStreamStats` whose `struct_size` the caller set: the header's contract.
        let (s, out) = unsafe { (self::stream(stream)?, out_stats.as_mut()) };
        let out = out.ok_or_else(|| args::null("out_stats"))?;
        let size = std::mem::size_of::<EtnaStreamStats>() as u32;
        if out.struct_size < size {
            return Err(EtnaError::new(
                ETNA_ERR_INVALID_ARGUMENT,
                format!(
                    "out_stats->struct_size is {}: set it to sizeof(EtnaStreamStats) ({size})",
                    out.struct_size
                ),
            ));
        }
        let st = s.stream.stats();
        *out = EtnaStreamStats {
            struct_size: size,
            received: st.counters.received,
            delivered: st.counters.delivered,
            conflated: st.counters.conflated,
            queued: st.counters.queued,
            high_water: st.counters.high_water,
            reconnects: st.reconnects,
            gaps: st.gaps,
            last_message_age_ms: st.last_message_age_ms,
        };
        Ok(())
    })
}

/// Sets how long silence is tolerated (`stale_after_ms`, at least 100: then a WebSocket ping;
/// as long again without an answer and the connection is replaced) and how reconnects back off
/// (`reconnect_min_ms` doubling with jitter up to `reconnect_max_ms`). Defaults: 30000, 250,
/// 30000.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT` or `ETNA_ERR_INVALID_ARGUMENT`. On failure
/// `*out_err` (if not NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_stream_set_timing(
    stream: *const EtnaStream,
    stale_after_ms: u32,
    reconnect_min_ms: u32,
    reconnect_max_ms: u32,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_stream_set_timing", out_err, || {
        // SAFETY: `stream` is NULL or a live stream: the header's contract for this function.
        let s = unsafe { self::stream(stream) }?;
        let timing = Timing::new(stale_after_ms, reconnect_min_ms, reconnect_max_ms)?;
        s.stream.set_timing(timing);
        Ok(())
    })
}

/// Closes the stream, from any thread: its connection is shut, a thread waiting in
/// `etna_stream_next` wakes, and the events already queued (ending with
/// `ETNA_STREAM_STATE_CLOSED`) can still be taken. Closing again does nothing.
///
/// Returns `ETNA_OK` or `ETNA_ERR_NULL_ARGUMENT`. On failure `*out_err` (if not NULL) receives
/// an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_stream_close(
    stream: *const EtnaStream,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_stream_close", out_err, || {
        // SAFETY: `stream` is NULL or a live stream: the header's contract for this function.
        let s = unsafe { self::stream(stream) }?;
        s.stream.close();
        Ok(())
    })
}

/// Closes the stream (if it is not) and frees it, waiting for its I/O thread to end (at most
/// about 100 ms). NULL is a no-op. Free each stream exactly once, after every other call on it
/// has returned; it may be freed before or after the session it came from.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_stream_free(stream: *mut EtnaStream) {
    if !stream.is_null() {
        // SAFETY: not NULL, so by the header's contract `stream` came from etna_stream_open
        // (Box::into_raw), is freed exactly once, here, and no other call on it is running.
        let stream = unsafe { Box::from_raw(stream) };
        value((), move || drop(stream));
    }
}

/// The stream state codes match the client's states.
const _: () = {
    assert!(State::Connected as i32 == result::ETNA_STREAM_STATE_CONNECTED);
    assert!(State::Failed as i32 == result::ETNA_STREAM_STATE_FAILED);
};
