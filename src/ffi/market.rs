//! Securities, price history and streamer addresses. Answers go to `*out_result` (may be
//! NULL when not wanted): a typed `EtnaResult` the caller frees with `etna_result_free`.

use crate::ffi::args;
use crate::ffi::boundary::run;
use crate::ffi::error::EtnaError;
use crate::ffi::request;
use crate::ffi::result::{self, EtnaResult};
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::ffi::c_char;

/// One equity by ticker (`GET v1.0/equities/{symbol}`): EquityResource JSON (`Id`, `Symbol`,
/// `Description`, `Exchange` as a MIC, ...). An unknown ticker is `ETNA_ERR_HTTP` 404.
/// `*out_result` (may be NULL) receives an `EtnaResult` of `ETNA_KIND_SECURITY` items (the equity),
/// with the broker's JSON beside them; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_equity(
    session: *const EtnaSession,
    symbol: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_equity", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `symbol` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, symbol, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(symbol, "symbol")?,
                args::out(out_result),
            )
        };
        result::hand_out(out_result, s.equity(symbol)?)
    })
}

/// Equities matching `mask` (`GET v1.0/equities/lookup?mask=&count=`), at most `count` (>= 1): a
/// JSON array of EquityResource. `*out_result` (may be NULL) receives an `EtnaResult` of
/// `ETNA_KIND_SECURITY` items (one item per match), with the broker's JSON beside them; free it
/// with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_lookup_equities(
    session: *const EtnaSession,
    mask: *const c_char,
    count: i32,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_lookup_equities", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `mask` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, mask, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(mask, "mask")?,
                args::out(out_result),
            )
        };
        result::hand_out(out_result, s.lookup_equities(mask, count)?)
    })
}

/// Candles (`PUT v1.0/history/symbols`) for a ChartHistoryRequestModel, e.g.
/// `{"Security":{"Symbol":"AAPL"},"SecurityHistorySettings":{"StartDate":1764000000,
/// "EndDate":1764086400,"CandlesCount":-1,"Period":"1h","Interval":0,
/// "IncludeNonMarketData":false},"IndicatorsHistorySettings":[]}`. The answer's `SecurityHistory`
/// is an array of arrays of candles. No data is `ETNA_ERR_HTTP` 409. `*out_result` (may be NULL)
/// receives an `EtnaResult` of `ETNA_KIND_CANDLE` items (one item per candle, oldest first), with
/// the broker's JSON beside them; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_price_history(
    session: *const EtnaSession,
    request_json: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_price_history", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `request_json` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, request_json, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(request_json, "request_json")?,
                args::out(out_result),
            )
        };
        result::hand_out(out_result, s.price_history(request_json)?)
    })
}

/// The candles of a ChartHistoryRequestModel (as for `etna_get_price_history`) as a spreadsheet
/// file (`POST v1.0/history/export`): the broker answers an `.xlsx` workbook. On success
/// `*out_data` receives its bytes (free them with `etna_bytes_free`) and `*out_len` their count
/// (either may be NULL when not wanted). A request that is not a JSON object is
/// `ETNA_ERR_INVALID_ARGUMENT`, refused before sending; no data is `ETNA_ERR_HTTP` 409.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT`, or the errors of `etna_request`; on failure `*out_err` (if not
/// NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_export_price_history(
    session: *const EtnaSession,
    request_json: *const c_char,
    out_data: *mut *mut u8,
    out_len: *mut usize,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_export_price_history", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `request_json` NULL or a NUL-terminated string alive for the
        // call, `out_data` and `out_len` NULL or writable.
        let (s, request_json, out_data, out_len) = unsafe {
            (
                args::session(session)?,
                args::text(request_json, "request_json")?,
                args::out(out_data),
                args::out(out_len),
            )
        };
        let bytes = s.export_price_history(request_json)?;
        request::put_bytes(out_data, out_len, bytes);
        Ok(())
    })
}

/// Candles of several securities side by side (`PUT v1.0/history/compare`) for a
/// ChartCompareRequestModel, e.g. `{"Securities":[{"Symbol":"AAPL"},{"Symbol":"MSFT"}],
/// "SecuritiesHistorySettings":{"StartDate":1764000000,"EndDate":1764086400,"CandlesCount":-1,
/// "Period":"1h","Interval":0,"IncludeNonMarketData":false}}`. A request that is not a JSON
/// object is `ETNA_ERR_INVALID_ARGUMENT`, refused before sending; an unknown symbol or no data is
/// `ETNA_ERR_HTTP` 409. `*out_result` (may be NULL) receives an `EtnaResult` of
/// `ETNA_KIND_CANDLE` items (each security's candles, oldest first, in the order asked;
/// `EtnaCandle.series` says which security), with the broker's JSON beside them; free it with
/// `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_compare_price_history(
    session: *const EtnaSession,
    request_json: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_compare_price_history", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `request_json` NULL or a NUL-terminated string alive for the
        // call, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, request_json, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(request_json, "request_json")?,
                args::out(out_result),
            )
        };
        result::hand_out(out_result, s.compare_price_history(request_json)?)
    })
}

/// The quote and data streamer addresses (`GET v1.0/streamers`):
/// `{"QuoteAddresses":[{Url,Type,SessionId}],"DataAddresses":[{Url,Type}]}`. `*out_result` (may be
/// NULL) receives an `EtnaResult` of `ETNA_KIND_STREAMER` items (quote streamers first), with the
/// broker's JSON beside them; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_streamers(
    session: *const EtnaSession,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_streamers", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.streamers()?)
    })
}
