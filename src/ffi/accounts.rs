//! The user, their accounts, balances, positions and transactions.
//!
//! Each function hands back a typed `EtnaResult` in `*out_result` (may be NULL when not wanted),
//! which the caller frees with `etna_result_free`. Besides the codes listed, each may return
//! the errors of `etna_request` (`ETNA_ERR_NOT_AUTHENTICATED`, `ETNA_ERR_HTTP`, transport errors).

use crate::client::Page;
use crate::ffi::args;
use crate::ffi::boundary::run;
use crate::ffi::error::EtnaError;
use crate::ffi::result::{self, EtnaResult};
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::ffi::c_char;

/// The logged-in user (`GET v1.0/users/@me/info`): UserInfoModel JSON. `*out_result` (may be NULL)
/// receives an `EtnaResult` of `ETNA_KIND_USER` items (the user), with the broker's JSON beside
/// them; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_user_info(
    session: *const EtnaSession,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_user_info", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.user_info()?)
    })
}

/// The user's accounts (`GET v1.0/users/@me/accounts`): a JSON array of UserAccountModel (`Id` is
/// the account id the other functions take). `*out_result` (may be NULL) receives an `EtnaResult`
/// of `ETNA_KIND_ACCOUNT` items (one item per account), with the broker's JSON beside them; free it
/// with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_accounts(
    session: *const EtnaSession,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_accounts", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.accounts()?)
    })
}

/// One account's full record (`GET v1.0/accounts/{id}`): a JSON array of one AccountModel, which
/// carries more than `etna_get_accounts` does (cash, equity, day trades, names, dates). `*out_result`
/// (may be NULL) receives an `EtnaResult` of `ETNA_KIND_ACCOUNT` items (one item; fields the record
/// does not carry, such as `access_type`, are unknown or empty), with the broker's JSON beside them;
/// free it with `etna_result_free`. An account that does not exist is `ETNA_ERR_HTTP` with status
/// 404; another user's account `ETNA_ERR_HTTP` with status 401.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_account(
    session: *const EtnaSession,
    account_id: i64,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_account", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.account(account_id)?)
    })
}

/// An account's balances (`GET v1.0/accounts/{id}/info`): a flat JSON object of camelCase numbers
/// (`cash`, `netCash`, `stockBuyingPower`, `equityTotal`, ...). `*out_result` (may be NULL)
/// receives an `EtnaResult` of `ETNA_KIND_BALANCES` items (one item), with the broker's JSON beside
/// them; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_account_info(
    session: *const EtnaSession,
    account_id: i64,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_account_info", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.account_info(account_id)?)
    })
}

/// All the user's accounts together (`GET v1.0/users/@me/balance-info`): the balance map of
/// `etna_get_account_info`, added up. `*out_result` (may be NULL) receives an `EtnaResult` of
/// `ETNA_KIND_USER_BALANCE` (one `EtnaBalances`, read with `etna_result_balances` and
/// `etna_balances_value`), with the broker's JSON beside it; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_user_balances(
    session: *const EtnaSession,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_user_balances", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.user_balances()?)
    })
}

/// An account's opening record (`GET v1.0/accounts/{id}/details`: who opened it, when, with which
/// provider and form), a shape the broker does not document field by field. `*out_result` (may be
/// NULL) receives an `EtnaResult` of `ETNA_KIND_RECORD` (one `EtnaRecord`: `etna_record_find(rec,
/// "CreatedAt")`, ...), with the broker's JSON beside it; free it with `etna_result_free`. Another
/// user's account is `ETNA_ERR_HTTP` with status 401; an id that is no account, status 500 (as the
/// broker answers).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_account_details(
    session: *const EtnaSession,
    account_id: i64,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_account_details", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.account_details(account_id)?)
    })
}

/// The user's trading settings (`GET v1.0/users/@me/settings/trading`: default order type and
/// quantity per instrument, confirmations to skip, limits). `*out_result` (may be NULL) receives
/// an `EtnaResult` of `ETNA_KIND_RECORD` (one `EtnaRecord`: `etna_record_find(rec,
/// "Instruments.Stocks.Quantity")`, ...), with the broker's JSON beside it; free it with
/// `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_trading_settings(
    session: *const EtnaSession,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_trading_settings", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.trading_settings()?)
    })
}

/// Changes the user's trading settings (`PUT v1.0/users/@me/settings/trading`): `changes_json` is
/// a JSON object naming what to change, e.g. `{"Instruments":{"Stocks":{"Quantity":50}}}`; what it
/// does not name stays. A value of the wrong type is `ETNA_ERR_HTTP` 422 and changes nothing; a
/// body that is not a JSON object is `ETNA_ERR_INVALID_ARGUMENT`, refused before sending.
/// `*out_result` (may be NULL) receives an `EtnaResult` of `ETNA_KIND_RECORD` (the settings as
/// they are then), with the broker's JSON beside it; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_set_trading_settings(
    session: *const EtnaSession,
    changes_json: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_set_trading_settings", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `changes_json` NULL or a NUL-terminated string alive for the
        // call, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, changes_json, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(changes_json, "changes_json")?,
                args::out(out_result),
            )
        };
        result::hand_out(out_result, s.set_trading_settings(changes_json)?)
    })
}

/// One page of an account's positions, always as `{Result, NextPageLink, PreviousPageLink,
/// TotalCount}` (also when the broker answers a bare array). `page_number` starts at 0; `page_size`
/// is 1 to 99 (the broker's limit for positions), else `ETNA_ERR_INVALID_ARGUMENT`. `*out_result`
/// (may be NULL) receives an `EtnaResult` of `ETNA_KIND_POSITION` items (the page), with the
/// broker's JSON beside them; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_positions(
    session: *const EtnaSession,
    account_id: i64,
    page_number: i32,
    page_size: i32,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_positions", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        let page = Page::new(page_number, page_size)?;
        result::hand_out(out_result, s.positions(account_id, page)?)
    })
}

/// The account's position in one ticker (`GET v1.0/accounts/{id}/positions/{symbol}`): a JSON array
/// of PositionResource, empty when there is none. `*out_result` (may be NULL) receives an
/// `EtnaResult` of `ETNA_KIND_POSITION` items (none when there is no position), with the broker's
/// JSON beside them; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_position(
    session: *const EtnaSession,
    account_id: i64,
    symbol: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_position", out_err, || {
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
        result::hand_out(out_result, s.position(account_id, symbol)?)
    })
}

/// One page of the account's transactions, newest first (fills are `Type:"OrderExecution"`):
/// `{Result, NextPageLink, PreviousPageLink, TotalCount}`. `page_number` from 0, `page_size` 1 to
/// 100. `*out_result` (may be NULL) receives an `EtnaResult` of `ETNA_KIND_TRANSACTION` items (the
/// page), with the broker's JSON beside them; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_transactions(
    session: *const EtnaSession,
    account_id: i64,
    page_number: i32,
    page_size: i32,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_transactions", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        let page = Page::new(page_number, page_size)?;
        result::hand_out(out_result, s.transactions(account_id, page)?)
    })
}
