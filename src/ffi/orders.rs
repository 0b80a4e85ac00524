//! Orders: list, read, place (checked first), preview, replace, cancel, wait for a fill.
//!
//! JSON answers go to `*out_json` as in accounts.rs (may be NULL; free with
//! `etna_string_free`). Before anything is sent an order is checked: symbol present, quantity
//! finite and > 0, `Price` for Limit and StopLimit, `StopPrice` for Stop and StopLimit, side,
//! type and time in force among the documented names; a bad order is
//! `ETNA_ERR_INVALID_ARGUMENT` with a message naming the field, and no request is made.

use crate::client::{NewOrder, Page};
use crate::ffi::args;
use crate::ffi::boundary::run;
use crate::ffi::error::EtnaError;
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::ffi::c_char;
use std::time::Duration;

/// One page of the account's orders. `filter` may be NULL; otherwise it is the broker's filter
/// expression, e.g. `"Status in (0,1)"` or `"Side = 'Buy' and Quantity > 10"` (the library
/// encodes it). Paging: `page_number` from 0, `page_size` 1 to 100.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_orders(
    session: *mut EtnaSession,
    account_id: i64,
    filter: *const c_char,
    page_number: i32,
    page_size: i32,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_orders", out_err, || {
        // SAFETY: the caller passes NULL or live pointers of the documented types.
        let s = unsafe { args::session(session) }?;
        let filter = unsafe { args::optional_text(filter, "filter") }?;
        let page = Page::new(page_number, page_size)?;
        unsafe { args::write_text(out_json, s.orders(account_id, filter, page)?) }
    })
}

/// Finds an order by its `ClientId`, e.g. after `ETNA_ERR_OUTCOME_UNKNOWN` (the id is in
/// `etna_error_client_id`), so the caller can reconcile instead of sending the order twice.
/// `*out_json` receives the OrderResource. `ETNA_ERR_NOT_FOUND` means the broker has no such
/// order: it was never accepted.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_find_order_by_client_id(
    session: *mut EtnaSession,
    account_id: i64,
    client_id: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_find_order_by_client_id", out_err, || {
        // SAFETY: the caller passes NULL or live pointers of the documented types.
        let s = unsafe { args::session(session) }?;
        let client_id = unsafe { args::text(client_id, "client_id") }?;
        match s.find_order_by_client_id(account_id, client_id)? {
            Some(order) => unsafe { args::write_text(out_json, order) },
            None => Err(EtnaError::new(
                ETNA_ERR_NOT_FOUND,
                format!("account {account_id} has no order with ClientId '{client_id}'"),
            )),
        }
    })
}

/// One order (OrderResource JSON).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_order(
    session: *mut EtnaSession,
    account_id: i64,
    order_id: i64,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_order", out_err, || {
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        unsafe { args::write_text(out_json, s.order(account_id, order_id)?) }
    })
}

/// Places an order from CreateOrderResource JSON, e.g.
/// `{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":10,"Price":180,"TimeInForce":"Day"}`
/// (either spelling of time in force; the broker's create route wants `TimeInforce`).
/// Every order carries a `ClientId`: the caller's, or a new unique one, so it can always be found
/// again. `*out_json` receives the broker's OrderResource; its `Status` starts at `PendingNew`.
///
/// Returns `ETNA_OK`; `ETNA_ERR_INVALID_ARGUMENT` (bad order, nothing sent);
/// `ETNA_ERR_OUTCOME_UNKNOWN` when the order may have reached the broker but no readable answer
/// came back (`etna_error_client_id` then gives its `ClientId`: find it with
/// `etna_find_order_by_client_id` before sending it again); or the errors of `etna_request`.
/// Never retried automatically.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_place_order(
    session: *mut EtnaSession,
    account_id: i64,
    order_json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_place_order", out_err, || {
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        let order = NewOrder::from_json(unsafe { args::text(order_json, "order_json") }?)?;
        unsafe { args::write_text(out_json, s.place_order(account_id, &order)?) }
    })
}

/// Asks the broker what an order would cost (commission, cost, quote) without placing it.
/// A business reject (200 with `IsSuccessful:false`) is `ETNA_ERR_REJECTED`, whose
/// `etna_error_api_reason` is the broker's `ErrorDescription` (and text).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_preview_order(
    session: *mut EtnaSession,
    account_id: i64,
    order_json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_preview_order", out_err, || {
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        let order = NewOrder::from_json(unsafe { args::text(order_json, "order_json") }?)?;
        unsafe { args::write_text(out_json, s.preview_order(account_id, &order)?) }
    })
}

/// Replaces (modifies) an open order with ModifyOrderResource JSON, e.g. `{"Price":181.5}` or
/// `{"Quantity":20,"Price":180}`; `Id` is filled in from `order_id` (a different `Id` is
/// `ETNA_ERR_INVALID_ARGUMENT`). The broker may give the replaced order a new id: use the `Id`
/// of the answer from then on (the old id ends as `Replaced`). Returns `ETNA_ERR_REJECTED` for
/// a business reject and `ETNA_ERR_HTTP` with status 409 when the order can no longer change.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_replace_order(
    session: *mut EtnaSession,
    account_id: i64,
    order_id: i64,
    order_json: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_replace_order", out_err, || {
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        let changes = unsafe { args::text(order_json, "order_json") }?;
        unsafe { args::write_text(out_json, s.replace_order(account_id, order_id, changes)?) }
    })
}

/// Cancels an open order (the broker answers 204). A finished order (filled, canceled, ...) is
/// `ETNA_ERR_HTTP` with `etna_error_http_status` 409 and the broker's reason.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_cancel_order(
    session: *mut EtnaSession,
    account_id: i64,
    order_id: i64,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_cancel_order", out_err, || {
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        Ok(s.cancel_order(account_id, order_id)?)
    })
}

/// Polls the order until its status is terminal (Filled, Canceled, Rejected, Expired,
/// DoneForDay, Error, or Replaced: final for this id, the order lives on under the id the
/// replace gave) and hands back the final OrderResource; read its `Status` to know which. Blocks the calling thread up to
/// `timeout_ms` (plus one request); `ETNA_ERR_TIMEOUT` when the order is still open then.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_wait_for_order(
    session: *mut EtnaSession,
    account_id: i64,
    order_id: i64,
    timeout_ms: u32,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_wait_for_order", out_err, || {
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        let timeout = Duration::from_millis(timeout_ms.into());
        unsafe { args::write_text(out_json, s.wait_for_order(account_id, order_id, timeout)?) }
    })
}

/// Places the common equity order without JSON. `side` (`"Buy"`, `"Sell"`, `"SellShort"`,
/// `"BuyToCover"`), `type` (`"Market"`, `"Limit"`, `"Stop"`, `"StopLimit"`, ...) and
/// `time_in_force` (`"Day"`, `"GoodTillCancel"`, ...; NULL means `"Day"`) are the broker's names.
/// `price` is read only for Limit and StopLimit, `stop_price` only for Stop and StopLimit.
/// On success `*out_order_id` (may be NULL) receives the new order's id.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_place_simple_order(
    session: *mut EtnaSession,
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
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        let symbol = unsafe { args::text(symbol, "symbol") }?;
        let side = unsafe { args::text(side, "side") }?;
        let order_type = unsafe { args::text(r#type, "type") }?;
        let tif = unsafe { args::optional_text(time_in_force, "time_in_force") }?.unwrap_or("Day");
        let order = NewOrder::simple(symbol, side, order_type, quantity, price, stop_price, tif)?;
        let id = s.place_order_id(account_id, &order)?;
        unsafe { args::write(out_order_id, id) };
        Ok(())
    })
}
