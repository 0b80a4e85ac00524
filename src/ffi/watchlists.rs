//! The user's watchlists. JSON answers as in accounts.rs.

use crate::ffi::args;
use crate::ffi::boundary::run;
use crate::ffi::error::EtnaError;
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::ffi::c_char;

/// The user's watchlists with their securities: a JSON array of WatchlistModel.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_get_watchlists(
    session: *mut EtnaSession,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_get_watchlists", out_err, || {
        // SAFETY: the caller passes NULL or live pointers of the documented types.
        let s = unsafe { args::session(session) }?;
        unsafe { args::write_text(out_json, s.watchlists()?) }
    })
}

/// Creates an empty watchlist named `name`; `*out_json` receives it (its `Id` is what the other
/// functions take). A name already in use is `ETNA_ERR_HTTP` 409.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_create_watchlist(
    session: *mut EtnaSession,
    name: *const c_char,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_create_watchlist", out_err, || {
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        let name = unsafe { args::text(name, "name") }?;
        unsafe { args::write_text(out_json, s.create_watchlist(name)?) }
    })
}

/// Deletes a watchlist. A read-only list is `ETNA_ERR_HTTP` 409.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_delete_watchlist(
    session: *mut EtnaSession,
    watchlist_id: i64,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_delete_watchlist", out_err, || {
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        Ok(s.delete_watchlist(watchlist_id)?)
    })
}

/// Adds the security with ticker `symbol` to a watchlist.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_add_to_watchlist(
    session: *mut EtnaSession,
    watchlist_id: i64,
    symbol: *const c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_add_to_watchlist", out_err, || {
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        let symbol = unsafe { args::text(symbol, "symbol") }?;
        Ok(s.add_to_watchlist(watchlist_id, symbol)?)
    })
}

/// Removes the security with ticker `symbol` from a watchlist.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_remove_from_watchlist(
    session: *mut EtnaSession,
    watchlist_id: i64,
    symbol: *const c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_remove_from_watchlist", out_err, || {
        // SAFETY: as above.
        let s = unsafe { args::session(session) }?;
        let symbol = unsafe { args::text(symbol, "symbol") }?;
        Ok(s.remove_from_watchlist(watchlist_id, symbol)?)
    })
}
