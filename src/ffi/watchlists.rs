//! The user's watchlists. Answers go to `*out_result` (may be NULL when not wanted): a typed
//! `EtnaResult` the caller frees with `etna_result_free`.

use crate::ffi::args;
use crate::ffi::boundary::run;
use crate::ffi::error::EtnaError;
use crate::ffi::result::{self, EtnaResult};
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::ffi::c_char;

/// The user's watchlists with their securities: a JSON array of WatchlistModel. `*out_result` (may
/// be NULL) receives an `EtnaResult` of `ETNA_KIND_WATCHLIST` items (one item per list), with the
/// broker's JSON beside them; free it with `etna_result_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_watchlists(
    session: *const EtnaSession,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_watchlists", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.watchlists()?)
    })
}

/// One watchlist with its securities: a WatchlistModel. `*out_result` (may be NULL) receives an
/// `EtnaResult` of `ETNA_KIND_WATCHLIST` items (the list), with the broker's JSON beside them; free
/// it with `etna_result_free`. A list that does not exist is `ETNA_ERR_HTTP` 404.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_watchlist(
    session: *const EtnaSession,
    watchlist_id: i64,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_watchlist", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, out_result) = unsafe { (args::session(session)?, args::out(out_result)) };
        result::hand_out(out_result, s.watchlist(watchlist_id)?)
    })
}

/// Creates an empty watchlist named `name`; `*out_result` (may be NULL) receives an `EtnaResult` of
/// `ETNA_KIND_WATCHLIST` items (the new list), with the broker's JSON beside them; free it with
/// `etna_result_free`. A name already in use is `ETNA_ERR_HTTP` 409.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_create_watchlist(
    session: *const EtnaSession,
    name: *const c_char,
    out_result: *mut *mut EtnaResult,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_create_watchlist", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `name` NULL or a NUL-terminated string alive for the call,
        // `out_result` NULL or writable storage for an `EtnaResult *`.
        let (s, name, out_result) = unsafe {
            (
                args::session(session)?,
                args::text(name, "name")?,
                args::out(out_result),
            )
        };
        result::hand_out(out_result, s.create_watchlist(name)?)
    })
}

/// Deletes a watchlist. A read-only list is `ETNA_ERR_HTTP` 409.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_delete_watchlist(
    session: *const EtnaSession,
    watchlist_id: i64,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_delete_watchlist", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new: the header's
        // contract for this function.
        let s = unsafe { args::session(session) }?;
        Ok(s.delete_watchlist(watchlist_id)?)
    })
}

/// Adds the security with ticker `symbol` to a watchlist.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_add_to_watchlist(
    session: *const EtnaSession,
    watchlist_id: i64,
    symbol: *const c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_add_to_watchlist", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `symbol` NULL or a NUL-terminated string alive for the call.
        let (s, symbol) = unsafe { (args::session(session)?, args::text(symbol, "symbol")?) };
        Ok(s.add_to_watchlist(watchlist_id, symbol)?)
    })
}

/// Removes the security with ticker `symbol` from a watchlist.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_remove_from_watchlist(
    session: *const EtnaSession,
    watchlist_id: i64,
    symbol: *const c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_remove_from_watchlist", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `symbol` NULL or a NUL-terminated string alive for the call.
        let (s, symbol) = unsafe { (args::session(session)?, args::text(symbol, "symbol")?) };
        Ok(s.remove_from_watchlist(watchlist_id, symbol)?)
    })
}

/// Renames a watchlist (`PUT v1.0/users/@me/watchlists/{id}/name`). A read-only list is
/// `ETNA_ERR_HTTP` 409.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT`, or the errors of `etna_request`; on failure `*out_err` (if not
/// NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_rename_watchlist(
    session: *const EtnaSession,
    watchlist_id: i64,
    name: *const c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_rename_watchlist", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `name` NULL or a NUL-terminated string alive for the call.
        let (s, name) = unsafe { (args::session(session)?, args::text(name, "name")?) };
        Ok(s.rename_watchlist(watchlist_id, name)?)
    })
}

/// Adds a security to a watchlist by its id (`PUT .../watchlists/{id}/securities/{securityId}`).
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, or the errors of `etna_request`; on failure
/// `*out_err` (if not NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_add_to_watchlist_by_id(
    session: *const EtnaSession,
    watchlist_id: i64,
    security_id: i64,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_add_to_watchlist_by_id", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new: the header's
        // contract for this function.
        let s = unsafe { args::session(session) }?;
        Ok(s.add_to_watchlist_by_id(watchlist_id, security_id)?)
    })
}

/// Removes a security from a watchlist by its id (`DELETE .../securities/{securityId}`).
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, or the errors of `etna_request`; on failure
/// `*out_err` (if not NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_remove_from_watchlist_by_id(
    session: *const EtnaSession,
    watchlist_id: i64,
    security_id: i64,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_remove_from_watchlist_by_id", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new: the header's
        // contract for this function.
        let s = unsafe { args::session(session) }?;
        Ok(s.remove_from_watchlist_by_id(watchlist_id, security_id)?)
    })
}
