//! Orders: list, read, place (checked first), preview, replace, cancel, wait for a fill.
//!
//! Answers go to `*out_result` (may be NULL when not wanted): a typed `EtnaResult` the caller
//! frees with `etna_result_free`. Before anything is sent an order is checked: symbol present,
//! quantity finite and > 0, `Price` for Limit and StopLimit, `StopPrice` for Stop and StopLimit, side,
//! type and time in force among the documented names; a bad order is
//! `ETNA_ERR_INVALID_ARGUMENT` with a message naming the field, and no request is made.

use crate::client::{NewOrder, Page};
use crate::ffi::args;
use crate::ffi::boundary::run;
use crate::ffi::error::EtnaError;
use crate::ffi::result::{self, EtnaResult};
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::ffi::c_char;
use std::time::Duration;

/// One page of the account's orders. `filter` may be NULL; otherwise it is the broker's filter
/// expression, e.g. `"Status in (0,1)"` or `"Side = 'Buy' and Quantity > 10"` (the library encodes
/// it). Paging: `page_number` from 0, `page_size` 1 to 100. `*out_result` (may be NULL) receives an
/// `EtnaResult` of `ETNA_KIND_ORDER` items (the page), with the broker's JSON beside them; free it
/// with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_orders(
    session: *const EtnaSession,
    account_id: i64,
    filter: *const c_char,
    page_number: i32,
    page_size: i32,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_orders", out_err, || {
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
        let page = Page::new(page_number, page_size)?;
        result::hand_out(out_result, s.orders(account_id, filter, page)?)
    })
}

/// Finds an order by its `ClientId`, e.g. after `ETNA_ERR_OUTCOME_UNKNOWN` (the id is in
/// `etna_error_client_id`), so the caller can reconcile instead of sending the order twice.
/// `*out_result` (may be NULL) receives an `EtnaResult` of `ETNA_KIND_ORDER` items (the order),
/// with the broker's JSON beside them; free it with `etna_result_free`. `ETNA_ERR_NOT_FOUND` means
/// the broker has no such order: it was never accepted.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_find_order_by_client_id(
    session: *const EtnaSession,
    account_id: i64,
    client_id: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_find_order_by_client_id", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `client_id` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, client_id, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(client_id, "client_id")?,
                args::out(out_result),
            )
        };
        match s.find_order_by_client_id(account_id, client_id)? {
            Some(order) => result::hand_out(out_result, order),
            None => Err(EtnaError::new(
                ETNA_ERR_NOT_FOUND,
                format!("account {account_id} has no order with ClientId '{client_id}'"),
            )),
        }
    })
}

/// One order (OrderResource JSON). `*out_result` (may be NULL) receives an `EtnaResult` of
/// `ETNA_KIND_ORDER` items (the order), with the broker's JSON beside them; free it with
/// `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_order(
    session: *const EtnaSession,
    account_id: i64,
    order_id: i64,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_order", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.order(account_id, order_id)?)
    })
}

/// Places an order from CreateOrderResource JSON, e.g.
/// `{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":10,"Price":180,"TimeInForce":"Day"}`
/// (either spelling of time in force; the broker's create route wants `TimeInforce`). Every order
/// carries a `ClientId`: the caller's, or a new unique one, so it can always be found again.
/// `*out_result` (may be NULL) receives an `EtnaResult` of `ETNA_KIND_ORDER` items (the broker's
/// OrderResource), with the broker's JSON beside them; free it with `etna_result_free`. Its
/// `Status` starts at `PendingNew`.
///
/// Returns `ETNA_OK`; `ETNA_ERR_INVALID_ARGUMENT` (bad order, nothing sent);
/// `ETNA_ERR_OUTCOME_UNKNOWN` when the order may have reached the broker but no readable answer
/// came back (`etna_error_client_id` then gives its `ClientId`: find it with
/// `etna_find_order_by_client_id` before sending it again); or the errors of `etna_request`. Never
/// retried automatically.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_place_order(
    session: *const EtnaSession,
    account_id: i64,
    order_json: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_place_order", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `order_json` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, order_json, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(order_json, "order_json")?,
                args::out(out_result),
            )
        };
        let order = NewOrder::from_json(order_json)?;
        result::hand_out(out_result, s.place_order(account_id, &order)?)
    })
}

/// Asks the broker what an order would cost (commission, cost, quote) without placing it. A
/// business reject (200 with `IsSuccessful:false`) is `ETNA_ERR_REJECTED`, whose
/// `etna_error_api_reason` is the broker's `ErrorDescription` (and text). `*out_result` (may be
/// NULL) receives an `EtnaResult` of `ETNA_KIND_PREVIEW` items (the preview), with the broker's
/// JSON beside them; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_preview_order(
    session: *const EtnaSession,
    account_id: i64,
    order_json: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_preview_order", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `order_json` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, order_json, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(order_json, "order_json")?,
                args::out(out_result),
            )
        };
        let order = NewOrder::from_json(order_json)?;
        result::hand_out(out_result, s.preview_order(account_id, &order)?)
    })
}

/// What replacing an open order would cost, without changing it: the same ModifyOrderResource
/// JSON as `etna_replace_order` (`Id` filled in from `order_id`; a different `Id` is
/// `ETNA_ERR_INVALID_ARGUMENT`). Returns `ETNA_ERR_REJECTED` when the broker would refuse the
/// change and `ETNA_ERR_HTTP` (404, 409) for an order it does not know or that can no longer
/// change. `*out_result` (may be NULL) receives an `EtnaResult` of `ETNA_KIND_PREVIEW` items (one),
/// with the broker's JSON beside them; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_preview_replace_order(
    session: *const EtnaSession,
    account_id: i64,
    order_id: i64,
    order_json: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_preview_replace_order", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `order_json` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, order_json, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(order_json, "order_json")?,
                args::out(out_result),
            )
        };
        result::hand_out(
            out_result,
            s.preview_replace_order(account_id, order_id, order_json)?,
        )
    })
}

/// Replaces (modifies) an open order with ModifyOrderResource JSON, e.g. `{"Price":181.5}` or
/// `{"Quantity":20,"Price":180}`; `Id` is filled in from `order_id` (a different `Id` is
/// `ETNA_ERR_INVALID_ARGUMENT`). The broker may give the replaced order a new id: use the `Id` of
/// the answer from then on (the old id ends as `Replaced`). Returns `ETNA_ERR_REJECTED` for a
/// business reject and `ETNA_ERR_HTTP` with status 409 when the order can no longer change.
/// `*out_result` (may be NULL) receives an `EtnaResult` of `ETNA_KIND_ORDER` items (the order as
/// the broker now has it), with the broker's JSON beside them; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_replace_order(
    session: *const EtnaSession,
    account_id: i64,
    order_id: i64,
    order_json: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_replace_order", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `order_json` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, order_json, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(order_json, "order_json")?,
                args::out(out_result),
            )
        };
        result::hand_out(
            out_result,
            s.replace_order(account_id, order_id, order_json)?,
        )
    })
}

/// Cancels an open order (the broker answers 204). A finished order (filled, canceled, ...) is
/// `ETNA_ERR_HTTP` with `etna_error_http_status` 409 and the broker's reason.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_cancel_order(
    session: *const EtnaSession,
    account_id: i64,
    order_id: i64,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_cancel_order", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new: the header's
        // contract for this function.
        let s = unsafe { args::session(session) }?;
        Ok(s.cancel_order(account_id, order_id)?)
    })
}

/// Polls the order until its status is terminal (Filled, Canceled, Rejected, Expired, DoneForDay,
/// Error, or Replaced: final for this id, the order lives on under the id the replace gave) and
/// hands back the final OrderResource; read its `Status` to know which. Blocks the calling thread
/// up to `timeout_ms` (plus one request); `ETNA_ERR_TIMEOUT` when the order is still open then.
/// `*out_result` (may be NULL) receives an `EtnaResult` of `ETNA_KIND_ORDER` items (the order),
/// with the broker's JSON beside them; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_wait_for_order(
    session: *const EtnaSession,
    account_id: i64,
    order_id: i64,
    timeout_ms: u32,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_wait_for_order", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        let timeout = Duration::from_millis(timeout_ms.into());
        result::hand_out(out_result, s.wait_for_order(account_id, order_id, timeout)?)
    })
}

/// Places the common equity order without JSON. `side` (`"Buy"`, `"Sell"`, `"SellShort"`,
/// `"BuyToCover"`), `type` (`"Market"`, `"Limit"`, `"Stop"`, `"StopLimit"`, ...) and
/// `time_in_force` (`"Day"`, `"GoodTillCancel"`, ...; NULL means `"Day"`) are the broker's names.
/// `price` is read only for Limit and StopLimit, `stop_price` only for Stop and StopLimit. On
/// success `*out_order_id` (may be NULL) receives the new order's id.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_place_simple_order(
    session: *const EtnaSession,
    account_id: i64,
    symbol: *const c_char,
    side: *const c_char,
    r#type: *const c_char,
    quantity: f64,
    price: f64,
    stop_price: f64,
    time_in_force: *const c_char,
    out_order_id: *mut i64,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_place_simple_order", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new; `symbol`, `side`, `type` and `time_in_force` NULL or
        // NUL-terminated strings alive for the call; `out_order_id` NULL or writable storage for
        // an `int64_t`.
        let (s, symbol, side, order_type, tif, out_order_id) = unsafe {
            (
                args::session(session)?,
                args::text(symbol, "symbol")?,
                args::text(side, "side")?,
                args::text(r#type, "type")?,
                args::optional_text(time_in_force, "time_in_force")?,
                args::out(out_order_id),
            )
        };
        let tif = tif.unwrap_or("Day");
        let order = NewOrder::simple(symbol, side, order_type, quantity, price, stop_price, tif)?;
        let id = s.place_order_id(account_id, &order)?;
        args::put(out_order_id, id);
        Ok(())
    })
}
