//! The user's watchlists. JSON answers go to `*out_json` (may be NULL when not wanted): a new
//! string the caller frees with `etna_string_free`.

use crate::ffi::args;
use crate::ffi::boundary::run;
use crate::ffi::error::EtnaError;
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::ffi::c_char;

/// The user's watchlists with their securities: a JSON array of WatchlistModel. `*out_json`
/// (may be NULL) receives it as a new string; free it with `etna_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_watchlists(
    session: *const EtnaSession,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_watchlists", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_json` NULL or writable storage for a `char *`.
        let (s, out_json) = unsafe { (args::session(session)?, args::out(out_json)) };
        args::put_text(out_json, s.watchlists()?)
    })
}

/// Creates an empty watchlist named `name`; `*out_json` (may be NULL) receives it as a new
/// string (its `Id` is what the other functions take); free it with `etna_string_free`. A name
/// already in use is `ETNA_ERR_HTTP` 409.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_create_watchlist(
    session: *const EtnaSession,
    name: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_create_watchlist", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `name` NULL or a NUL-terminated string alive for the call,
        // `out_json` NULL or writable storage for a `char *`.
        let (s, name, out_json) = unsafe {
            (
                args::session(session)?,
                args::text(name, "name")?,
                args::out(out_json),
            )
        };
        args::put_text(out_json, s.create_watchlist(name)?)
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
