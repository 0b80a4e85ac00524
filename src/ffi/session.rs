//! Session handles: create, configure, inspect, free.

use crate::client::{RetryPolicy, Session, Timeouts};
use crate::ffi::args;
use crate::ffi::boundary::{run, value};
use crate::ffi::error::EtnaError;
use crate::ffi::status::*;
use std::ffi::c_char;
use std::time::UNIX_EPOCH;

/// A connection to one broker for one user: login state, token, keep-alive connection pool.
///
/// Opaque. Created by `etna_session_new`, freed by `etna_session_free`. One session may be
/// used from several threads at once (its state sits behind a lock and its connection pool is
/// shared); only `etna_session_free` must not race with other calls on the same session.
///
/// That is why every function that takes a session takes `const EtnaSession *`, except
/// `etna_session_free`, which consumes it and takes `EtnaSession *`.
pub struct EtnaSession {
    /// Shared with the streams opened from it, which may outlive the handle.
    pub(crate) core: std::sync::Arc<Session>,
}

// Every function but etna_session_free makes a shared reference to the session, from whatever
// thread calls it: sound only while `Session` is `Send + Sync`, which this checks at compile time.
const _: () = {
    const fn shared_between_threads<T: Send + Sync>() {}
    shared_between_threads::<Session>();
};

/// Creates a session for the broker at `base_url` (e.g.
/// `"https://pub-api-et-demo-prod.etnasoft.us/api/"`, trailing slash optional) with the
/// application key `app_key` (sent as `Et-App-Key`). No request is made.
///
/// `https` is required, except for loopback hosts (127.0.0.0/8, ::1, `localhost`), where
/// `http` is allowed. Timeouts start at 10 s (connect) and 30 s (whole request).
///
/// Ownership: both strings are borrowed for the call. On success `*out_session` receives a new
/// session that the caller frees with `etna_session_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8` or
/// `ETNA_ERR_INVALID_ARGUMENT` (with a message saying what is wrong with the URL or key).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_new(
    base_url: *const c_char,
    app_key: *const c_char,
    out_session: *mut *mut EtnaSession,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_session_new", out_err, || {
        // SAFETY: the header's contract for this function: `base_url` and `app_key` are NULL or
        // NUL-terminated strings alive for the call, `out_session` NULL or writable storage for
        // an `EtnaSession *`.
        let (base_url, app_key, out_session) = unsafe {
            (
                args::text(base_url, "base_url")?,
                args::text(app_key, "app_key")?,
                args::required_out(out_session, "out_session")?,
            )
        };
        let session = Box::new(EtnaSession {
            core: std::sync::Arc::new(Session::new(base_url, app_key)?),
        });
        out_session.write(Box::into_raw(session));
        Ok(())
    })
}

/// Frees a session made by `etna_session_new`: closes its connections and releases its log
/// and auth callbacks (calling their `free_user_data`). Does not log out; call `etna_logout`
/// first to revoke the token. NULL is a no-op. Free each session exactly once; no other call on
/// it may be running or start afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_free(session: *mut EtnaSession) {
    if !session.is_null() {
        // SAFETY: not NULL, so by the header's contract for this function `session` came from
        // etna_session_new (Box::into_raw), is freed exactly once, here, and no other call on
        // it is running or will start: this Box is its only user.
        let session = unsafe { Box::from_raw(session) };
        value((), || drop(session));
    }
}

/// Sets how long connecting (`connect_ms`) and a whole request, from connecting to the last
/// byte of the answer (`request_ms`), may take. Each must be 1 to 600000 ms. Applies to calls
/// that start afterwards.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT` or `ETNA_ERR_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_set_timeouts(
    session: *const EtnaSession,
    connect_ms: u32,
    request_ms: u32,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_session_set_timeouts", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new: the header's
        // contract for this function.
        let session = unsafe { args::session(session) }?;
        session.set_timeouts(Timeouts::from_millis(connect_ms.into(), request_ms.into())?);
        Ok(())
    })
}

/// Sets how reads are retried: `max_attempts` in all (1 to 10; 1 = never retry; default 3), pauses
/// growing from `base_delay_ms` to at most `max_delay_ms` (at most 60000), with random jitter, at
/// least as long as the broker's `Retry-After`. Only reads are retried (GETs, and the previews,
/// price histories, comparisons and exports the broker spells POST or PUT), on connection
/// failures, timeouts, 429, 502, 503 and 504, and all attempts together stay within the request
/// timeout. A POST, PUT or DELETE that changes something is never retried automatically.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT` or `ETNA_ERR_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_set_retry_policy(
    session: *const EtnaSession,
    max_attempts: u32,
    base_delay_ms: u32,
    max_delay_ms: u32,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_session_set_retry_policy", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new: the header's
        // contract for this function.
        let session = unsafe { args::session(session) }?;
        session.set_retry_policy(RetryPolicy::new(max_attempts, base_delay_ms, max_delay_ms)?);
        Ok(())
    })
}

/// Sets the largest response body the session accepts (default 64 MiB, at least 1). A larger
/// answer is `ETNA_ERR_PROTOCOL`, never an out-of-memory crash.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT` or `ETNA_ERR_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_set_max_response_bytes(
    session: *const EtnaSession,
    max_bytes: u64,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_session_set_max_response_bytes", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new: the header's
        // contract for this function.
        let session = unsafe { args::session(session) }?;
        Ok(session.set_max_response_bytes(max_bytes)?)
    })
}

/// Cancels the calls in flight on this session: each one (a request, its retries, a wait for an
/// order, a re-login it is doing or waiting for) returns promptly, its connection shut down.
/// Callable from any thread, also while other threads are inside calls on the same session; the
/// session stays usable, and calls that start afterwards run normally. (A TCP connect already
/// under way is not interrupted; it is bounded by the connect timeout.)
///
/// A cancelled call returns `ETNA_ERR_CANCELLED` only when nothing of a POST, PUT or DELETE can
/// have reached the broker. Once any byte of one may have left, the call returns
/// `ETNA_ERR_OUTCOME_UNKNOWN` (its message says it was cancelled; for an order,
/// `etna_error_client_id` gives the `ClientId` to look it up with): the broker may have taken
/// it, so do not send it again before looking. A cancelled GET is always `ETNA_ERR_CANCELLED`.
///
/// Returns `ETNA_OK`, or `ETNA_ERR_NULL_ARGUMENT` for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_cancel(session: *const EtnaSession) -> EtnaStatus {
    // SAFETY: `session` is NULL or a live session from etna_session_new, which may be in use on
    // other threads: the header's contract for this function. The reference is shared.
    let session = unsafe { session.as_ref() };
    value(ETNA_ERR_PANIC, || match session {
        Some(s) => {
            s.core.cancel();
            ETNA_OK
        }
        None => ETNA_ERR_NULL_ARGUMENT,
    })
}

/// Turns auto re-login on (`enabled` = 1) or off (0; the default). When on, the session keeps
/// the user name and password of the next successful login (zeroed when the session is freed,
/// on logout, or when turned off) and logs in again, once, when the token has expired, is about
/// to, or is answered with 401. Several threads meeting a dead token at the same moment cause
/// exactly one `/token` call; the others wait for its result. The failed request is repeated
/// only when that is safe (GET). When the broker wants a verification code or PIN to log in
/// again, nothing is guessed: the call fails with `ETNA_ERR_NOT_AUTHENTICATED`, the state
/// becomes `ETNA_AUTH_VERIFICATION_REQUIRED` (or PIN), and the auth callback is told.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT` or `ETNA_ERR_INVALID_ARGUMENT` (not 0 or 1).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_set_auto_relogin(
    session: *const EtnaSession,
    enabled: i32,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_session_set_auto_relogin", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new: the header's
        // contract for this function.
        let session = unsafe { args::session(session) }?;
        match enabled {
            0 | 1 => {
                session.set_auto_relogin(enabled == 1);
                Ok(())
            }
            _ => Err(EtnaError::new(
                ETNA_ERR_INVALID_ARGUMENT,
                format!("enabled must be 0 or 1, not {enabled}"),
            )),
        }
    })
}

/// Trusts the CA certificates in the PEM file at `pem_path` on top of the built-in (Mozilla)
/// roots, for a private broker or a corporate TLS proxy. Certificate verification is always on;
/// there is no switch that turns it off.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`, or
/// `ETNA_ERR_INVALID_ARGUMENT` (unreadable file, no certificate in it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_set_ca_file(
    session: *const EtnaSession,
    pem_path: *const c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_session_set_ca_file", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `pem_path` NULL or a NUL-terminated string alive for the call.
        let (session, path) =
            unsafe { (args::session(session)?, args::text(pem_path, "pem_path")?) };
        Ok(session.set_ca_file(path)?)
    })
}

/// Sends the session's requests through a proxy, e.g. `"http://proxy.example:3128"` (HTTPS
/// goes through it with CONNECT). NULL goes back to the default: the environment's
/// `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY`, with `NO_PROXY`. SOCKS proxies are not
/// supported: `socks5://...` here is refused, and one from the environment makes calls fail
/// with `ETNA_ERR_NETWORK` rather than go around it.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT` (session), `ETNA_ERR_INVALID_UTF8` or
/// `ETNA_ERR_INVALID_ARGUMENT` (a URL that is not an HTTP proxy URL; the message never repeats
/// it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_set_proxy(
    session: *const EtnaSession,
    url: *const c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_session_set_proxy", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `url` NULL or a NUL-terminated string alive for the call.
        let (session, url) = unsafe { (args::session(session)?, args::optional_text(url, "url")?) };
        Ok(session.set_proxy(url)?)
    })
}

/// Exports the logged-in session as text that `etna_session_import` accepts in a new process,
/// so a restart needs no new two-factor login. The text holds the token, its expiry, the user
/// name, the base URL and a fingerprint of the app key, sealed against edits; never the
/// password or the key. It is a credential: store it like a password (a file of mode 0600,
/// written atomically). `*out_json` (required) receives it as a new string; free it with
/// `etna_string_free`.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT`, or `ETNA_ERR_INVALID_STATE` when not logged in.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_export(
    session: *const EtnaSession,
    out_json: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_session_export", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `out_json` NULL or writable storage for a `char *`.
        let (session, out_json) = unsafe {
            (
                args::session(session)?,
                args::required_out(out_json, "out_json")?,
            )
        };
        args::put_text(Some(out_json), session.export_session()?)
    })
}

/// Restores a session exported by `etna_session_export` without a `/token` call: the session
/// becomes `ETNA_AUTH_AUTHENTICATED`.
///
/// Returns `ETNA_OK`; `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`;
/// `ETNA_ERR_INVALID_ARGUMENT` for malformed or edited text, or text exported for another base
/// URL or app key; `ETNA_ERR_NOT_AUTHENTICATED` when its token has expired.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_import(
    session: *const EtnaSession,
    json: *const c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_session_import", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `json` NULL or a NUL-terminated string alive for the call.
        let (session, text) = unsafe { (args::session(session)?, args::text(json, "json")?) };
        Ok(session.import_session(text)?)
    })
}

/// Where the session's login stands: one of the `ETNA_AUTH_*` values (`ETNA_AUTH_NONE` for
/// NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_auth_state(session: *const EtnaSession) -> EtnaAuthState {
    // SAFETY: `session` is NULL or a live session from etna_session_new, which may be in use on
    // other threads: the header's contract for this function. The reference is shared.
    let session = unsafe { session.as_ref() };
    value(ETNA_AUTH_NONE, || match session {
        Some(s) => s.core.auth_state() as EtnaAuthState,
        None => ETNA_AUTH_NONE,
    })
}

/// When the session's token expires, in Unix seconds: 24 hours after the broker issued it (the
/// documented lifetime), by this machine's clock. 0 when not logged in (or NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_token_expires_at(session: *const EtnaSession) -> i64 {
    // SAFETY: `session` is NULL or a live session from etna_session_new, which may be in use on
    // other threads: the header's contract for this function. The reference is shared.
    let session = unsafe { session.as_ref() };
    value(0, || {
        let expires = session.and_then(|s| s.core.token_expires_at());
        expires
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs() as i64)
    })
}

/// Places, replaces and cancels orders through the broker's "sync" order routes (1), which the
/// venue validates too before the broker answers, or through the quick ones (0, the default).
/// Applies to calls that start afterwards.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT` or `ETNA_ERR_INVALID_ARGUMENT` (not 0 or 1); on
/// failure `*out_err` (if not NULL) receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_set_sync_orders(
    session: *const EtnaSession,
    enabled: i32,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_session_set_sync_orders", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new: the header's
        // contract for this function.
        let session = unsafe { args::session(session) }?;
        match enabled {
            0 | 1 => {
                session.set_sync_orders(enabled == 1);
                Ok(())
            }
            other => Err(EtnaError::new(
                ETNA_ERR_INVALID_ARGUMENT,
                format!("sync orders must be 0 or 1, not {other}"),
            )),
        }
    })
}
