//! The login steps of `POST /token`: password, verification code, PIN; and logout.
//!
//! Each step returns the state the login is in afterwards through `out_state` (may be NULL;
//! `etna_session_auth_state` tells the same). The library never prompts: the code and the PIN
//! always come from the caller. Only these requests carry the password, code or PIN.

use crate::ffi::args;
use crate::ffi::boundary::run;
use crate::ffi::error::EtnaError;
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::ffi::c_char;

/// Step one: logs in with user name and password (headers `Et-App-Key`, `Username`,
/// `Password`).
///
/// `*out_state` becomes `ETNA_AUTH_AUTHENTICATED` when the broker is satisfied,
/// `ETNA_AUTH_VERIFICATION_REQUIRED` when it sent a two-factor code (call
/// `etna_login_verify`), or `ETNA_AUTH_PIN_REQUIRED` (call `etna_login_pin`).
/// Calling it again starts a new login. Strings are borrowed for the call; the library keeps
/// its own copy of the password only while the login waits for its next step, and zeroes it.
///
/// Returns `ETNA_OK`; `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT` (empty or header-breaking text); `ETNA_ERR_INVALID_APP_KEY`,
/// `ETNA_ERR_INVALID_CREDENTIALS`, `ETNA_ERR_PASSWORD_EXPIRED`, `ETNA_ERR_PIN_NOT_SET`
/// (the session is then `ETNA_AUTH_NONE`); `ETNA_ERR_NETWORK`, `ETNA_ERR_TIMEOUT`,
/// `ETNA_ERR_TLS` (state unchanged); `ETNA_ERR_RATE_LIMITED`, `ETNA_ERR_HTTP`,
/// `ETNA_ERR_PROTOCOL`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_login(
    session: *const EtnaSession,
    username: *const c_char,
    password: *const c_char,
    out_state: *mut EtnaAuthState,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_login", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `username` and `password` NULL or NUL-terminated strings alive
        // for the call, `out_state` NULL or writable storage for an `EtnaAuthState`.
        let (session, username, password, out_state) = unsafe {
            (
                args::session(session)?,
                args::text(username, "username")?,
                args::text(password, "password")?,
                args::out(out_state),
            )
        };
        let state = session.login(username, password)?;
        args::put(out_state, state as EtnaAuthState);
        Ok(())
    })
}

/// Step two of a two-factor login: the code the broker sent by e-mail or SMS (headers as step
/// one plus `Authorization: Bearer <interim token>` and `VerificationCode`). On success the
/// final token replaces the interim one.
///
/// A wrong code gives `ETNA_ERR_INVALID_VERIFICATION_CODE` and the session stays
/// `ETNA_AUTH_VERIFICATION_REQUIRED`, so the caller may ask the user again, as long as the
/// broker keeps accepting the interim token; when it stops ("Corrupted ticket"), the same code
/// is returned and the session is back to `ETNA_AUTH_NONE`.
///
/// Returns `ETNA_OK`; `ETNA_ERR_INVALID_STATE` when no login waits for a code; the argument
/// errors; `ETNA_ERR_INVALID_VERIFICATION_CODE`; and the errors of `etna_login`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_login_verify(
    session: *const EtnaSession,
    code: *const c_char,
    out_state: *mut EtnaAuthState,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_login_verify", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `code` NULL or a NUL-terminated string alive for the call,
        // `out_state` NULL or writable storage for an `EtnaAuthState`.
        let (session, code, out_state) = unsafe {
            (
                args::session(session)?,
                args::text(code, "code")?,
                args::out(out_state),
            )
        };
        let state = session.verify(code)?;
        args::put(out_state, state as EtnaAuthState);
        Ok(())
    })
}

/// The PIN step (the broker's `SecutityPin`, sic): headers as step one plus
/// `Authorization: Bearer <interim token>` and `PinCode`.
///
/// A wrong PIN gives `ETNA_ERR_INVALID_PIN` and the session stays `ETNA_AUTH_PIN_REQUIRED`
/// while the broker accepts the interim token.
///
/// Returns `ETNA_OK`; `ETNA_ERR_INVALID_STATE` when no login waits for a PIN; the argument
/// errors; `ETNA_ERR_INVALID_PIN`; and the errors of `etna_login`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_login_pin(
    session: *const EtnaSession,
    pin: *const c_char,
    out_state: *mut EtnaAuthState,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_login_pin", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new, `pin` NULL or a NUL-terminated string alive for the call,
        // `out_state` NULL or writable storage for an `EtnaAuthState`.
        let (session, pin, out_state) = unsafe {
            (
                args::session(session)?,
                args::text(pin, "pin")?,
                args::out(out_state),
            )
        };
        let state = session.submit_pin(pin)?;
        args::put(out_state, state as EtnaAuthState);
        Ok(())
    })
}

/// Logs out: `POST {base}/logout` with the bearer token when logged in. The session is back
/// to `ETNA_AUTH_NONE` whatever the broker says; a pending (unfinished) login is dropped
/// without a request.
///
/// Returns `ETNA_OK` (also when the broker says the token was already invalid, 401),
/// `ETNA_ERR_NULL_ARGUMENT`, or the transport and HTTP errors of `etna_request`, which say only
/// that the broker was not told (the token then lapses on its own).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_logout(
    session: *const EtnaSession,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_logout", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new: the header's
        // contract for this function.
        let session = unsafe { args::session(session) }?;
        session.logout()?;
        Ok(())
    })
}
