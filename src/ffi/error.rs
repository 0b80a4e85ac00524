//! `EtnaError`: the error object a failed call hands to its caller.

use crate::client;
use crate::ffi::boundary::value;
use crate::ffi::status::*;
use std::ffi::CString;
use std::ffi::c_char;
use std::ptr;

/// Why a call failed. Opaque; created by libetna, owned by the caller, freed with
/// `etna_error_free`. Its strings live as long as the error.
pub struct EtnaError {
    code: EtnaStatus,
    message: CString,
    http_status: u16,
    api_reason: Option<CString>,
    body: Option<CString>,
    retry_after_ms: u64,
    client_id: Option<CString>,
}

impl EtnaError {
    pub(crate) fn new(code: EtnaStatus, message: impl Into<String>) -> Self {
        EtnaError {
            code,
            message: c_text(message.into()),
            http_status: 0,
            api_reason: None,
            body: None,
            retry_after_ms: 0,
            client_id: None,
        }
    }

    pub(crate) fn code(&self) -> EtnaStatus {
        self.code
    }
}

impl From<client::Error> for EtnaError {
    fn from(error: client::Error) -> Self {
        let mut out = EtnaError::new(status_of(error.kind()), error.message());
        out.client_id = error.client_id().map(|id| c_text(id.to_owned()));
        if let Some(http) = error.http() {
            out.http_status = http.status;
            out.api_reason = http.reason.clone().map(c_text);
            out.body = Some(c_text(http.body.clone()));
            out.retry_after_ms = http
                .retry_after
                .map_or(0, |d| d.as_millis().min(u64::MAX as u128) as u64);
        }
        out
    }
}

/// Text for C: a NUL inside (possible only in a server's body) is shown as `\0` rather than
/// cutting the string short.
pub(crate) fn c_text(text: String) -> CString {
    CString::new(text).unwrap_or_else(|e| {
        let escaped = String::from_utf8_lossy(&e.into_vec()).replace('\0', "\\0");
        CString::new(escaped).unwrap_or_default()
    })
}

/// The error's status code; `ETNA_OK` for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_error_code(err: *const EtnaError) -> EtnaStatus {
    // SAFETY: `err` is NULL or an error libetna handed out through `out_err` and not yet freed:
    // the header's contract for this function. The reference is shared and is gone before we
    // return.
    let err = unsafe { err.as_ref() };
    value(ETNA_OK, || err.map_or(ETNA_OK, |e| e.code))
}

/// A sentence saying what failed and why (UTF-8). Never holds a password, code, PIN, token or
/// app key. Owned by `err`: valid until `etna_error_free(err)`; never free it yourself. `""`
/// (static) for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_error_message(err: *const EtnaError) -> *const c_char {
    // SAFETY: `err` is NULL or an error libetna handed out through `out_err` and not yet freed:
    // the header's contract for this function. The reference is shared and is gone before we
    // return.
    let err = unsafe { err.as_ref() };
    value(c"".as_ptr(), || {
        err.map_or(c"".as_ptr(), |e| e.message.as_ptr())
    })
}

/// The HTTP status of the broker's answer, or 0 when there was no answer (or `err` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_error_http_status(err: *const EtnaError) -> u16 {
    // SAFETY: `err` is NULL or an error libetna handed out through `out_err` and not yet freed:
    // the header's contract for this function. The reference is shared and is gone before we
    // return.
    let err = unsafe { err.as_ref() };
    value(0, || err.map_or(0, |e| e.http_status))
}

/// The broker's own words (`Reason`, `Message`, `error`, `Error.Message`, `Errors`,
/// `ModelState`), or NULL when its answer had none. Owned by `err`: valid until
/// `etna_error_free(err)`; never free it yourself.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_error_api_reason(err: *const EtnaError) -> *const c_char {
    // SAFETY: `err` is NULL or an error libetna handed out through `out_err` and not yet freed:
    // the header's contract for this function. The reference is shared and is gone before we
    // return.
    let err = unsafe { err.as_ref() };
    value(ptr::null(), || {
        opt_ptr(err.and_then(|e| e.api_reason.as_ref()))
    })
}

/// The raw body of the broker's answer, or NULL when there was no answer. Tokens in `/token`
/// answers are replaced by `<redacted>`. Owned by `err`: valid until `etna_error_free(err)`;
/// never free it yourself.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_error_body(err: *const EtnaError) -> *const c_char {
    // SAFETY: `err` is NULL or an error libetna handed out through `out_err` and not yet freed:
    // the header's contract for this function. The reference is shared and is gone before we
    // return.
    let err = unsafe { err.as_ref() };
    value(ptr::null(), || opt_ptr(err.and_then(|e| e.body.as_ref())))
}

/// For `ETNA_ERR_RATE_LIMITED`: how long the broker asked to wait (`Retry-After`), in
/// milliseconds; 0 when it did not say (or `err` is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_error_retry_after_ms(err: *const EtnaError) -> u64 {
    // SAFETY: `err` is NULL or an error libetna handed out through `out_err` and not yet freed:
    // the header's contract for this function. The reference is shared and is gone before we
    // return.
    let err = unsafe { err.as_ref() };
    value(0, || err.map_or(0, |e| e.retry_after_ms))
}

/// For errors of order placement (`etna_place_order`, `etna_place_simple_order`): the order's
/// `ClientId`, the key to find it with `etna_find_order_by_client_id` (after
/// `ETNA_ERR_OUTCOME_UNKNOWN` above all). NULL for other errors. Owned by `err`: valid until
/// `etna_error_free(err)`; never free it yourself.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_error_client_id(err: *const EtnaError) -> *const c_char {
    // SAFETY: `err` is NULL or an error libetna handed out through `out_err` and not yet freed:
    // the header's contract for this function. The reference is shared and is gone before we
    // return.
    let err = unsafe { err.as_ref() };
    value(ptr::null(), || {
        opt_ptr(err.and_then(|e| e.client_id.as_ref()))
    })
}

/// Frees an error that libetna handed out through `out_err`, with the strings its accessors
/// returned. NULL is a no-op. Free each error exactly once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_error_free(err: *mut EtnaError) {
    if !err.is_null() {
        // SAFETY: not NULL, so by the header's contract for this function `err` is an error
        // libetna handed out (Box::into_raw in boundary::run) and is freed exactly once, here.
        let err = unsafe { Box::from_raw(err) };
        value((), || drop(err));
    }
}

fn opt_ptr(text: Option<&CString>) -> *const c_char {
    text.map_or(ptr::null(), |t| t.as_ptr())
}
