//! Securities, price history and streamer addresses. JSON answers as in accounts.rs.

use crate::ffi::args;
use crate::ffi::boundary::run;
use crate::ffi::error::EtnaError;
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::ffi::c_char;

/// One equity by ticker (`GET v1.0/equities/{symbol}`): EquityResource JSON (`Id`, `Symbol`,
/// `Description`, `Exchange` as a MIC, ...). An unknown ticker is `ETNA_ERR_HTTP` 404.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_equity(
    session: *mut EtnaSession,
    symbol: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_equity", out_err, || {
        // SAFETY: the caller passes NULL or live pointers of the documented types.
        let s = unsafe { args::session(session) }?;
        let symbol = unsafe { args::text(symbol, "symbol") }?;
        unsafe { args::write_text(out_json, s.equity(symbol)?) }
    })
}

/// Equities matching `mask` (`GET v1.0/equities/lookup?mask=&count=`), at most `count` (>= 1):
/// a JSON array of EquityResource.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_lookup_equities(
    session: *mut EtnaSession,
    mask: *const c_char,
    count: i32,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_lookup_equities", out_err, || {
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        let mask = unsafe { args::text(mask, "mask") }?;
        unsafe { args::write_text(out_json, s.lookup_equities(mask, count)?) }
    })
}

/// Candles (`PUT v1.0/history/symbols`) for a ChartHistoryRequestModel, e.g.
/// `{"Security":{"Symbol":"AAPL"},"SecurityHistorySettings":{"StartDate":1764000000,
/// "EndDate":1764086400,"CandlesCount":-1,"Period":"1h","Interval":0,
/// "IncludeNonMarketData":false},"IndicatorsHistorySettings":[]}`. The answer's
/// `SecurityHistory` is an array of arrays of candles. No data is `ETNA_ERR_HTTP` 409.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_price_history(
    session: *mut EtnaSession,
    request_json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_price_history", out_err, || {
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        let request = unsafe { args::text(request_json, "request_json") }?;
        unsafe { args::write_text(out_json, s.price_history(request)?) }
    })
}

/// The quote and data streamer addresses (`GET v1.0/streamers`):
/// `{"QuoteAddresses":[{Url,Type,SessionId}],"DataAddresses":[{Url,Type}]}`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_streamers(
    session: *mut EtnaSession,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_streamers", out_err, || {
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        unsafe { args::write_text(out_json, s.streamers()?) }
    })
}
