//! Callbacks into the application: log lines, and login state changes.

use crate::client::{AuthListener, AuthState, LogLevel, LogSink};
use crate::ffi::args;
use crate::ffi::boundary::run;
use crate::ffi::error::{EtnaError, c_text};
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::ffi::{c_char, c_void};
use std::sync::Arc;

/// Receives one log line. `message` is UTF-8, valid only during the call, and never holds a
/// password, code, PIN, token or app key. Runs on the thread that made the call being logged,
/// so on several threads at once when the session is shared: the callback and its `user_data`
/// must allow that. It must return normally (no C++ exception, no longjmp out of it) and must
/// not free the session.
pub type EtnaLogCallback = Option<
    unsafe extern "C" fn(user_data: *mut c_void, level: EtnaLogLevel, message: *const c_char),
>;

/// Releases `user_data` once libetna no longer needs it (e.g. a C# GCHandle). Called exactly
/// once, on whichever thread lets go of the callback last.
pub type EtnaFreeUserData = Option<unsafe extern "C" fn(user_data: *mut c_void)>;

/// The application's log callback and its data. The header's contract for `EtnaLogCallback` and
/// `EtnaFreeUserData` says they may be used from any thread that uses the session, also several
/// at once, which is what makes sharing them sound.
struct CallbackSink {
    callback: unsafe extern "C" fn(*mut c_void, EtnaLogLevel, *const c_char),
    user_data: *mut c_void,
    free_user_data: EtnaFreeUserData,
}

// SAFETY: the only field that is not Send is `user_data`, and the header's contract for
// `EtnaLogCallback` and `EtnaFreeUserData` lets the callback and `free_user_data` use it on any
// thread that uses the session, so the sink may move to (and be dropped on) any of them.
unsafe impl Send for CallbackSink {}
// SAFETY: through a shared reference the sink only calls `callback(user_data, ...)`, which the
// header's contract for `EtnaLogCallback` allows on several threads at once.
unsafe impl Sync for CallbackSink {}

impl LogSink for CallbackSink {
    fn log(&self, level: LogLevel, message: &str) {
        let message = c_text(message.to_owned());
        // SAFETY: `callback` and `user_data` are what the application passed to
        // etna_session_set_log_callback for exactly this call, and `user_data` is not released
        // yet (that happens in Drop, after every use). `message` is a NUL-terminated string that
        // lives until after the callback returns, as its contract promises.
        unsafe { (self.callback)(self.user_data, level as EtnaLogLevel, message.as_ptr()) };
    }
}

impl Drop for CallbackSink {
    fn drop(&mut self) {
        if let Some(free) = self.free_user_data {
            // SAFETY: `free` and `user_data` are what the application passed with the callback;
            // the value is dropped once, when the last user lets go (the session holds it in an
            // Arc), so `user_data` is released exactly once and never used afterwards.
            unsafe { free(self.user_data) };
        }
    }
}

/// Sends the session's log lines of severity `min_level` and above (`ETNA_LOG_ERROR` = 1 up to
/// `ETNA_LOG_TRACE` = 5; e.g. `ETNA_LOG_INFO` gives errors, warnings and info) to `callback`:
/// each request's method, path, status and elapsed time (debug), login state changes (info),
/// failures (warn). Never a password, code, PIN, token or app key, at any level.
///
/// A NULL `callback` turns logging off. On success libetna owns `user_data`:
/// `free_user_data(user_data)` (if not NULL) is called exactly once, when the callback is
/// replaced, the session is freed, or at once if `callback` is NULL; if a call on another
/// thread is using the old callback at that moment, after that call is done. On failure
/// nothing is taken and nothing is called.
///
/// Returns `ETNA_OK`, `ETNA_ERR_NULL_ARGUMENT` (session) or `ETNA_ERR_INVALID_ARGUMENT`
/// (`min_level` outside 1..5 with a callback); on failure `*out_err` (if not NULL) receives an
/// error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_set_log_callback(
    session: *const EtnaSession,
    callback: EtnaLogCallback,
    user_data: *mut c_void,
    free_user_data: EtnaFreeUserData,
    min_level: EtnaLogLevel,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_session_set_log_callback", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new: the header's
        // contract for this function.
        let session = unsafe { args::session(session) }?;
        // With no callback the level means nothing, so any value turns logging off.
        let level = match callback {
            None => Some(LogLevel::Error),
            Some(_) => LogLevel::from_number(min_level),
        };
        let level = level.ok_or_else(|| {
            EtnaError::new(
                ETNA_ERR_INVALID_ARGUMENT,
                format!("log level {min_level} is not 1 (ERROR) to 5 (TRACE)"),
            )
        })?;
        match callback {
            Some(callback) => {
                let sink = CallbackSink {
                    callback,
                    user_data,
                    free_user_data,
                };
                session.set_logger(Some(Arc::new(sink)), level);
            }
            None => {
                session.set_logger(None, level);
                if let Some(free) = free_user_data {
                    // SAFETY: `free_user_data` and `user_data` come from the caller, who hands
                    // `user_data` to libetna on success (this is success: nothing fails after
                    // this point), and with no callback nothing else holds it, so it is
                    // released exactly once, here.
                    unsafe { free(user_data) };
                }
            }
        }
        Ok(())
    })
}

/// Told of every change of the session's login state, e.g. when logging in again (auto
/// re-login) needs a person to enter a verification code (`ETNA_AUTH_VERIFICATION_REQUIRED`) or
/// a PIN. Runs on the thread whose call caused the change, so on several threads at once when
/// the session is shared: the callback and its `user_data` must allow that. It must return
/// normally and must not free the session.
pub type EtnaAuthCallback =
    Option<unsafe extern "C" fn(user_data: *mut c_void, state: EtnaAuthState)>;

/// The application's auth callback and its data. The header's contract for `EtnaAuthCallback`
/// and `EtnaFreeUserData` says they may be used from any thread that uses the session, also
/// several at once, which is what makes sharing them sound.
struct AuthCallback {
    callback: unsafe extern "C" fn(*mut c_void, EtnaAuthState),
    user_data: *mut c_void,
    free_user_data: EtnaFreeUserData,
}

// SAFETY: the only field that is not Send is `user_data`, and the header's contract for
// `EtnaAuthCallback` and `EtnaFreeUserData` lets the callback and `free_user_data` use it on any
// thread that uses the session, so the listener may move to (and be dropped on) any of them.
unsafe impl Send for AuthCallback {}
// SAFETY: through a shared reference the listener only calls `callback(user_data, state)`,
// which the header's contract for `EtnaAuthCallback` allows on several threads at once.
unsafe impl Sync for AuthCallback {}

impl AuthListener for AuthCallback {
    fn auth_changed(&self, state: AuthState) {
        // SAFETY: `callback` and `user_data` are what the application passed to
        // etna_session_set_auth_callback for exactly this call, and `user_data` is not released
        // yet (that happens in Drop, after every use).
        unsafe { (self.callback)(self.user_data, state as EtnaAuthState) };
    }
}

impl Drop for AuthCallback {
    fn drop(&mut self) {
        if let Some(free) = self.free_user_data {
            // SAFETY: `free` and `user_data` are what the application passed with the callback;
            // the value is dropped once, when the last user lets go (the session holds it in an
            // Arc), so `user_data` is released exactly once and never used afterwards.
            unsafe { free(self.user_data) };
        }
    }
}

/// Calls `callback(user_data, state)` whenever the session's login state changes: on each
/// login step, logout, import, and when auto re-login finds that the broker wants a code or PIN
/// (a person is needed: finish with `etna_login_verify` or `etna_login_pin`).
///
/// A NULL `callback` removes it. Ownership of `user_data` as in
/// `etna_session_set_log_callback`: on success `free_user_data(user_data)` (if not NULL) is
/// called exactly once, when the callback is replaced, the session is freed, or at once if
/// `callback` is NULL.
///
/// Returns `ETNA_OK` or `ETNA_ERR_NULL_ARGUMENT` (session); on failure `*out_err` (if not NULL)
/// receives an error you free with `etna_error_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_session_set_auth_callback(
    session: *const EtnaSession,
    callback: EtnaAuthCallback,
    user_data: *mut c_void,
    free_user_data: EtnaFreeUserData,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_session_set_auth_callback", out_err, || {
        // SAFETY: `session` is NULL or a live session from etna_session_new: the header's
        // contract for this function.
        let session = unsafe { args::session(session) }?;
        match callback {
            Some(callback) => {
                let listener = AuthCallback {
                    callback,
                    user_data,
                    free_user_data,
                };
                session.set_auth_listener(Some(Arc::new(listener)));
            }
            None => {
                session.set_auth_listener(None);
                if let Some(free) = free_user_data {
                    // SAFETY: `free_user_data` and `user_data` come from the caller, who hands
                    // `user_data` to libetna on success (this is success: nothing fails after
                    // this point), and with no callback nothing else holds it, so it is
                    // released exactly once, here.
                    unsafe { free(user_data) };
                }
            }
        }
        Ok(())
    })
}
