//! The rest of the broker's documented routes: options and their chains, pages of securities,
//! price alerts, news and corporate actions, account history, position groups, an order's state
//! history and its verification. Each hands back a typed `EtnaResult` in `*out_result` (may be
//! NULL when not wanted), which the caller frees with `etna_result_free`. Besides the codes
//! listed, each may return the errors of `etna_request` (`ETNA_ERR_NOT_AUTHENTICATED`,
//! `ETNA_ERR_HTTP` (e.g. 404 for an unknown id), transport errors).

use crate::client::Page;
use crate::ffi::args;
use crate::ffi::boundary::run;
use crate::ffi::error::EtnaError;
use crate::ffi::result::{self, EtnaResult};
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::ffi::c_char;

/// One option by its OSI symbol (`"AAPL  261218C00190000"`) or its id as text (`GET
/// v1.0/options/{symbol}`). `*out_result` (may be NULL) receives an `EtnaResult` of
/// `ETNA_KIND_OPTION` items (the option), with the broker's JSON beside them; free it with
/// `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT`, or the errors above; on failure `*out_err` (if not NULL) receives
/// an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_option(
    session: *const EtnaSession,
    symbol_or_id: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_option", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `symbol_or_id` NULL or a NUL-terminated string alive for the
        // call, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, symbol_or_id, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(symbol_or_id, "symbol_or_id")?,
                args::out(out_result),
            )
        };
        result::hand_out(out_result, s.option(symbol_or_id)?)
    })
}

/// The expirations of an underlying's options (`GET v1.0/options/expirations?underlying=`).
/// `*out_result` (may be NULL) receives an `EtnaResult` of `ETNA_KIND_EXPIRATION` items (one item
/// per expiration), with the broker's JSON beside them; free it with `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT`, or the errors above; on failure `*out_err` (if not NULL) receives
/// an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_option_expirations(
    session: *const EtnaSession,
    underlying: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_option_expirations", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `underlying` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, underlying, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(underlying, "underlying")?,
                args::out(out_result),
            )
        };
        result::hand_out(out_result, s.option_expirations(underlying)?)
    })
}

/// An underlying's option chain (`GET v1.0/options/optionChain/{symbol}`). `filter` may be NULL, or
/// the broker's filter, e.g. `"Range = 1"` (strikes near the money) or `"Expiration =
/// #2026-12-18T00:00:00Z#"`. `*out_result` (may be NULL) receives an `EtnaResult` of
/// `ETNA_KIND_OPTION` items (every option of every expiration listed), with the broker's JSON
/// beside them; free it with `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT`, or the errors above; on failure `*out_err` (if not NULL) receives
/// an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_option_chain(
    session: *const EtnaSession,
    underlying: *const c_char,
    filter: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_option_chain", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `underlying` NULL or a NUL-terminated string alive for the call,
        // `filter` NULL or a NUL-terminated string alive for the call, `out_result` NULL or
        // writable storage for an `EtnaResult *`.
        let (s, underlying, filter, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(underlying, "underlying")?,
                args::optional_text(filter, "filter")?,
                args::out(out_result),
            )
        };
        result::hand_out(out_result, s.option_chain(underlying, filter)?)
    })
}

/// One page of options (`GET v1.0/options`), with the broker's filter (`filter` may be NULL).
/// `page_number` from 0, `page_size` 1 to 100. `*out_result` (may be NULL) receives an `EtnaResult`
/// of `ETNA_KIND_OPTION` items (the page), with the broker's JSON beside them; free it with
/// `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT`, or the errors above; on failure `*out_err` (if not NULL) receives
/// an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_options(
    session: *const EtnaSession,
    filter: *const c_char,
    page_number: i32,
    page_size: i32,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_options", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `filter` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, filter, out_result) = unsafe {
            (
                args::session(session)?,
                args::optional_text(filter, "filter")?,
                args::out(out_result),
            )
        };
        result::hand_out(
            out_result,
            s.options(filter, Page::new(page_number, page_size)?)?,
        )
    })
}

/// One page of equities (`GET v1.0/equities`), with the broker's filter (`filter` may be NULL).
/// `page_number` from 0, `page_size` 1 to 100. `*out_result` (may be NULL) receives an `EtnaResult`
/// of `ETNA_KIND_SECURITY` items (the page), with the broker's JSON beside them; free it with
/// `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT`, or the errors above; on failure `*out_err` (if not NULL) receives
/// an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_equities(
    session: *const EtnaSession,
    filter: *const c_char,
    page_number: i32,
    page_size: i32,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_equities", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `filter` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, filter, out_result) = unsafe {
            (
                args::session(session)?,
                args::optional_text(filter, "filter")?,
                args::out(out_result),
            )
        };
        result::hand_out(
            out_result,
            s.equities(filter, Page::new(page_number, page_size)?)?,
        )
    })
}

/// One page of the user's price alerts (`GET v1.0/users/@me/pricealerts`). `page_number` from 0,
/// `page_size` 1 to 100. `*out_result` (may be NULL) receives an `EtnaResult` of
/// `ETNA_KIND_PRICE_ALERT` items (the page), with the broker's JSON beside them; free it with
/// `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_ARGUMENT`, or the errors above;
/// on failure `*out_err` (if not NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_price_alerts(
    session: *const EtnaSession,
    page_number: i32,
    page_size: i32,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_price_alerts", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(
            out_result,
            s.price_alerts(Page::new(page_number, page_size)?)?,
        )
    })
}

/// One price alert (`GET v1.0/users/@me/pricealerts/{id}`). `*out_result` (may be NULL) receives an
/// `EtnaResult` of `ETNA_KIND_PRICE_ALERT` items (the alert), with the broker's JSON beside them;
/// free it with `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_ARGUMENT`, or the errors above;
/// on failure `*out_err` (if not NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_price_alert(
    session: *const EtnaSession,
    alert_id: i64,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_price_alert", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.price_alert(alert_id)?)
    })
}

/// Creates a price alert from JSON, e.g.
/// `{"SecurityId":1,"Field":"Last","Operator":"GTEQ","Argument":200,"State":"New","ExpirationDate":1798761600}`
/// (`POST v1.0/users/@me/pricealerts`; `ExpirationDate` in Unix seconds). `*out_result` (may be
/// NULL) receives an `EtnaResult` of `ETNA_KIND_PRICE_ALERT` items (the new alert), with the
/// broker's JSON beside them; free it with `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT`, or the errors above; on failure `*out_err` (if not NULL) receives
/// an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_create_price_alert(
    session: *const EtnaSession,
    alert_json: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_create_price_alert", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `alert_json` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, alert_json, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(alert_json, "alert_json")?,
                args::out(out_result),
            )
        };
        result::hand_out(out_result, s.create_price_alert(alert_json)?)
    })
}

/// Changes a price alert (`PUT v1.0/users/@me/pricealerts/{id}`) with the same JSON as
/// `etna_create_price_alert`. `*out_result` (may be NULL) receives an `EtnaResult` of
/// `ETNA_KIND_PRICE_ALERT` items (the alert as changed), with the broker's JSON beside them; free
/// it with `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT`, or the errors above; on failure `*out_err` (if not NULL) receives
/// an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_update_price_alert(
    session: *const EtnaSession,
    alert_id: i64,
    alert_json: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_update_price_alert", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `alert_json` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, alert_json, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(alert_json, "alert_json")?,
                args::out(out_result),
            )
        };
        result::hand_out(out_result, s.update_price_alert(alert_id, alert_json)?)
    })
}

/// News for a ticker (`GET v1.0/news?symbol=`). `*out_result` (may be NULL) receives an
/// `EtnaResult` of `ETNA_KIND_NEWS` items (one item per story), with the broker's JSON beside them;
/// free it with `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT`, or the errors above; on failure `*out_err` (if not NULL) receives
/// an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_news(
    session: *const EtnaSession,
    symbol: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_news", out_err, || {
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
        result::hand_out(out_result, s.news(symbol)?)
    })
}

/// Corporate actions for a ticker (`GET v1.0/news/corporate-actions?symbol=`). `*out_result` (may
/// be NULL) receives an `EtnaResult` of `ETNA_KIND_NEWS` items (one item per action), with the
/// broker's JSON beside them; free it with `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT`, or the errors above; on failure `*out_err` (if not NULL) receives
/// an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_corporate_actions(
    session: *const EtnaSession,
    symbol: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_corporate_actions", out_err, || {
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
        result::hand_out(out_result, s.corporate_actions(symbol)?)
    })
}

/// An account's value per day between two instants, Unix ms (`GET v1.0/accounts/{id}/history`).
/// `*out_result` (may be NULL) receives an `EtnaResult` of `ETNA_KIND_HISTORY_POINT` items (one
/// item per day), with the broker's JSON beside them; free it with `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_ARGUMENT`, or the errors above;
/// on failure `*out_err` (if not NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_account_history(
    session: *const EtnaSession,
    account_id: i64,
    from_ms: i64,
    to_ms: i64,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_account_history", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.account_history(account_id, from_ms, to_ms)?)
    })
}

/// An account's market value by asset class (`GET v1.0/accounts/{id}/positions/groups`).
/// `*out_result` (may be NULL) receives an `EtnaResult` of `ETNA_KIND_POSITION_GROUP` items (one
/// item per class), with the broker's JSON beside them; free it with `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_ARGUMENT`, or the errors above;
/// on failure `*out_err` (if not NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_position_groups(
    session: *const EtnaSession,
    account_id: i64,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_position_groups", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.position_groups(account_id)?)
    })
}

/// An order's state history (`GET v1.0/accounts/{id}/orders/{orderId}/details`): one item per state
/// it went through, oldest first. `*out_result` (may be NULL) receives an `EtnaResult` of
/// `ETNA_KIND_ORDER_DETAIL` items (one item per state), with the broker's JSON beside them; free it
/// with `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_ARGUMENT`, or the errors above;
/// on failure `*out_err` (if not NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_order_details(
    session: *const EtnaSession,
    account_id: i64,
    order_id: i64,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_order_details", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.order_details(account_id, order_id)?)
    })
}

/// The broker's verification of an order (`GET v1.0/accounts/{id}/verified/orders/{orderId}`):
/// whether it passes and what it costs, as a preview. `*out_result` (may be NULL) receives an
/// `EtnaResult` of `ETNA_KIND_PREVIEW` items (the verification), with the broker's JSON beside
/// them; free it with `etna_result_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_ARGUMENT`, or the errors above;
/// on failure `*out_err` (if not NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_verified_order(
    session: *const EtnaSession,
    account_id: i64,
    order_id: i64,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_verified_order", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.verified_order(account_id, order_id)?)
    })
}

/// Deletes a price alert (`DELETE v1.0/users/@me/pricealerts/{id}`).
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, or the errors of `etna_request` (`ETNA_ERR_HTTP`
/// 404 for an unknown alert); on failure `*out_err` (if not NULL) receives an error you free with
/// `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_delete_price_alert(
    session: *const EtnaSession,
    alert_id: i64,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_delete_price_alert", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new: the header's
        // contract for this function.
        let s = unsafe { args::session(session) }?;
        Ok(s.delete_price_alert(alert_id)?)
    })
}
