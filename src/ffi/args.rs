//! Reading arguments from C: NULL and invalid UTF-8 become errors that name the parameter (and
//! never echo its value, which may be a password).

use crate::client::Session;
use crate::ffi::error::EtnaError;
use crate::ffi::session::EtnaSession;
use crate::ffi::status::{ETNA_ERR_INVALID_UTF8, ETNA_ERR_NULL_ARGUMENT, ETNA_ERR_PROTOCOL};
use std::ffi::{CStr, CString, c_char};

/// A required NUL-terminated UTF-8 string.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives `'a`.
pub(crate) unsafe fn text<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, EtnaError> {
    // SAFETY: forwarded from the caller.
    unsafe { optional_text(ptr, name) }?.ok_or_else(|| null(name))
}

/// An optional string: NULL gives `None`.
///
/// # Safety
/// As for [`text`].
pub(crate) unsafe fn optional_text<'a>(
    ptr: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, EtnaError> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes.to_str().map(Some).map_err(|e| {
        EtnaError::new(
            ETNA_ERR_INVALID_UTF8,
            format!(
                "{name} is not valid UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// The session behind a handle.
///
/// # Safety
/// `ptr` is NULL or a live handle from `etna_session_new`.
pub(crate) unsafe fn session<'a>(ptr: *const EtnaSession) -> Result<&'a Session, EtnaError> {
    // SAFETY: forwarded from the caller.
    unsafe { ptr.as_ref() }
        .map(|s| &s.core)
        .ok_or_else(|| null("session"))
}

/// Checks that a required output pointer is there before any work is done.
pub(crate) fn required<T>(ptr: *mut T, name: &str) -> Result<(), EtnaError> {
    if ptr.is_null() {
        Err(null(name))
    } else {
        Ok(())
    }
}

/// Writes an output the caller may have passed as NULL (meaning "not wanted").
///
/// # Safety
/// `ptr` is NULL or valid for a write of `T`.
pub(crate) unsafe fn write<T>(ptr: *mut T, value: T) {
    if !ptr.is_null() {
        // SAFETY: non-NULL and writable per the caller's contract.
        unsafe { ptr.write(value) };
    }
}

pub(crate) fn null(name: &str) -> EtnaError {
    EtnaError::new(ETNA_ERR_NULL_ARGUMENT, format!("{name} is NULL"))
}

/// Hands a JSON (or other text) answer to the caller as a new C string in `*out` (skipped when
/// `out` is NULL). A NUL byte inside, which JSON never needs, is a protocol error.
///
/// # Safety
/// `out` is NULL or valid for a write of a `char *`.
pub(crate) unsafe fn write_text(out: *mut *mut c_char, text: String) -> Result<(), EtnaError> {
    // memchr's vectorised search: CString::new's own scan is several times slower on a large body.
    if memchr::memchr(0, text.as_bytes()).is_some() {
        return Err(EtnaError::new(
            ETNA_ERR_PROTOCOL,
            "the broker's answer contains a NUL byte",
        ));
    }
    // SAFETY: no NUL inside, checked just above.
    let text = unsafe { CString::from_vec_unchecked(text.into_bytes()) };
    if !out.is_null() {
        // SAFETY: non-NULL and writable per the caller's contract.
        unsafe { out.write(text.into_raw()) };
    }
    Ok(())
}
