//! Reading arguments from C: NULL and invalid UTF-8 become errors that name the parameter (and
//! never echo its value, which may be a password).
//!
//! Each `unsafe fn` here turns one raw pointer into a safe value, and its `# Safety` says what
//! the pointer must be: exactly what the header promises for that kind of parameter. An exported
//! function calls them in one unsafe block that names its pointer arguments; from then on it
//! works with safe references only, and writes its outputs with the safe [`put`] and
//! [`put_text`].

use crate::client::Session;
use crate::ffi::error::EtnaError;
use crate::ffi::session::EtnaSession;
use crate::ffi::status::{ETNA_ERR_INVALID_UTF8, ETNA_ERR_NULL_ARGUMENT, ETNA_ERR_PROTOCOL};
use std::ffi::{CStr, CString, c_char};
use std::mem::MaybeUninit;

/// Where an output goes: `None` when the caller passed NULL (it does not want the value). The
/// slot may hold anything before the write; it is never read.
pub(crate) type Out<'a, T> = Option<&'a mut MaybeUninit<T>>;

/// A required NUL-terminated UTF-8 string.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays alive and unchanged for `'a`.
pub(crate) unsafe fn text<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, EtnaError> {
    // SAFETY: `ptr` is NULL or a NUL-terminated string alive for 'a: this function's contract,
    // which is also `optional_text`'s.
    unsafe { optional_text(ptr, name) }?.ok_or_else(|| null(name))
}

/// An optional NUL-terminated UTF-8 string: NULL gives `None`.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that stays alive and unchanged for `'a`.
pub(crate) unsafe fn optional_text<'a>(
    ptr: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, EtnaError> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: `ptr` is not NULL (checked just above), so by this function's contract it points
    // to a NUL-terminated string that stays alive and unchanged for 'a.
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

/// The session behind a handle, shared: the session is internally synchronised (it is `Sync`),
/// so other threads may hold the same reference at the same time.
///
/// # Safety
/// `ptr` is NULL or a session from `etna_session_new` that `etna_session_free` does not free
/// during `'a`.
pub(crate) unsafe fn session<'a>(ptr: *const EtnaSession) -> Result<&'a Session, EtnaError> {
    // SAFETY: `ptr` is NULL (giving None) or a live session for 'a: this function's contract.
    // Only shared references are ever made from it, so other threads' calls do not conflict.
    unsafe { ptr.as_ref() }
        .map(|s| &*s.core)
        .ok_or_else(|| null("session"))
}

/// The session behind a handle, as a shared owner: what a stream keeps so that it may outlive
/// the handle.
///
/// # Safety
/// As for [`session`].
pub(crate) unsafe fn session_shared(
    ptr: *const EtnaSession,
) -> Result<std::sync::Arc<Session>, EtnaError> {
    // SAFETY: `ptr` is NULL (giving None) or a live session: this function's contract.
    unsafe { ptr.as_ref() }
        .map(|s| s.core.clone())
        .ok_or_else(|| null("session"))
}

/// An output the caller may pass as NULL ("not wanted").
///
/// # Safety
/// `ptr` is NULL or aligned and valid for writes of a `T` that nothing else reads or writes
/// during `'a`. What it holds now does not matter.
pub(crate) unsafe fn out<'a, T>(ptr: *mut T) -> Out<'a, T> {
    // SAFETY: `ptr` is NULL (giving None) or aligned, writable and not otherwise used for 'a:
    // this function's contract. `MaybeUninit<T>` has the layout of `T` and claims nothing about
    // the current contents, so an uninitialised slot is fine.
    unsafe { ptr.cast::<MaybeUninit<T>>().as_mut() }
}

/// An output the function cannot do without: NULL is `ETNA_ERR_NULL_ARGUMENT` naming it.
///
/// # Safety
/// `ptr` is NULL or aligned and valid for writes of a `T` that nothing else reads or writes
/// during `'a`.
pub(crate) unsafe fn required_out<'a, T>(
    ptr: *mut T,
    name: &str,
) -> Result<&'a mut MaybeUninit<T>, EtnaError> {
    // SAFETY: `ptr` is NULL or aligned, writable and not otherwise used for 'a: this function's
    // contract, which is also `out`'s.
    unsafe { out(ptr) }.ok_or_else(|| null(name))
}

/// Writes an output, if the caller wanted it.
pub(crate) fn put<T>(slot: Out<'_, T>, value: T) {
    if let Some(slot) = slot {
        slot.write(value);
    }
}

pub(crate) fn null(name: &str) -> EtnaError {
    EtnaError::new(ETNA_ERR_NULL_ARGUMENT, format!("{name} is NULL"))
}

/// Hands a JSON (or other text) answer to the caller as a new C string in the slot (skipped
/// when the caller did not want it); the caller frees it with `etna_string_free`. A NUL byte
/// inside, which JSON never needs, is a protocol error, also when the text is not wanted.
pub(crate) fn put_text(slot: Out<'_, *mut c_char>, text: String) -> Result<(), EtnaError> {
    // memchr's vectorised search: CString::new's own scan is several times slower on a large body.
    if memchr::memchr(0, text.as_bytes()).is_some() {
        return Err(EtnaError::new(
            ETNA_ERR_PROTOCOL,
            "the broker's answer contains a NUL byte",
        ));
    }
    // SAFETY: `text` holds no NUL byte: memchr found none just above.
    let text = unsafe { CString::from_vec_unchecked(text.into_bytes()) };
    if let Some(slot) = slot {
        slot.write(text.into_raw());
    }
    Ok(())
}
