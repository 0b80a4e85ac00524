//! Securities, price history and streamer addresses. JSON answers go to `*out_json` (may be NULL
//! when not wanted): a new string the caller frees with `etna_string_free`.

use crate::ffi::args;
use crate::ffi::boundary::run;
use crate::ffi::error::EtnaError;
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::ffi::c_char;

/// One equity by ticker (`GET v1.0/equities/{symbol}`): EquityResource JSON (`Id`, `Symbol`,
/// `Description`, `Exchange` as a MIC, ...). An unknown ticker is `ETNA_ERR_HTTP` 404.
/// `*out_json` (may be NULL) receives it as a new string; free it with `etna_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_equity(
    session: *const EtnaSession,
    symbol: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_equity", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `symbol` NULL or a NUL-terminated string alive for the call,
        // `out_json` NULL or writable storage for a `char *`.
        let (s, symbol, out_json) = unsafe {
            (
                args::session(session)?,
                args::text(symbol, "symbol")?,
                args::out(out_json),
            )
        };
        args::put_text(out_json, s.equity(symbol)?)
    })
}

/// Equities matching `mask` (`GET v1.0/equities/lookup?mask=&count=`), at most `count` (>= 1):
/// a JSON array of EquityResource. `*out_json` (may be NULL) receives it as a new string; free
/// it with `etna_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_lookup_equities(
    session: *const EtnaSession,
    mask: *const c_char,
    count: i32,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_lookup_equities", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `mask` NULL or a NUL-terminated string alive for the call,
        // `out_json` NULL or writable storage for a `char *`.
        let (s, mask, out_json) = unsafe {
            (
                args::session(session)?,
                args::text(mask, "mask")?,
                args::out(out_json),
            )
        };
        args::put_text(out_json, s.lookup_equities(mask, count)?)
    })
}

/// Candles (`PUT v1.0/history/symbols`) for a ChartHistoryRequestModel, e.g.
/// `{"Security":{"Symbol":"AAPL"},"SecurityHistorySettings":{"StartDate":1764000000,
/// "EndDate":1764086400,"CandlesCount":-1,"Period":"1h","Interval":0,
/// "IncludeNonMarketData":false},"IndicatorsHistorySettings":[]}`. The answer's
/// `SecurityHistory` is an array of arrays of candles. No data is `ETNA_ERR_HTTP` 409.
/// `*out_json` (may be NULL) receives the answer as a new string; free it with
/// `etna_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_price_history(
    session: *const EtnaSession,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_price_history", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `request_json` NULL or a NUL-terminated string alive for the call,
        // `out_json` NULL or writable storage for a `char *`.
        let (s, request_json, out_json) = unsafe {
            (
                args::session(session)?,
                args::text(request_json, "request_json")?,
                args::out(out_json),
            )
        };
        args::put_text(out_json, s.price_history(request_json)?)
    })
}

/// The quote and data streamer addresses (`GET v1.0/streamers`):
/// `{"QuoteAddresses":[{Url,Type,SessionId}],"DataAddresses":[{Url,Type}]}`. `*out_json` (may
/// be NULL) receives it as a new string; free it with `etna_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_streamers(
    session: *const EtnaSession,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_streamers", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_json` NULL or writable storage for a `char *`.
        let (s, out_json) = unsafe { (args::session(session)?, args::out(out_json)) };
        args::put_text(out_json, s.streamers()?)
    })
}
