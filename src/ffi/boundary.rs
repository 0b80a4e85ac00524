//! The one panic boundary every exported function runs inside. A panic becomes
//! `ETNA_ERR_PANIC` instead of unwinding into C (which would abort the host), and it prints
//! nothing: the library never writes to stderr.

use crate::client::panic::catch;
use crate::ffi::error::EtnaError;
use crate::ffi::status::{ETNA_ERR_PANIC, ETNA_OK, EtnaStatus};

/// Runs a fallible body. On success `*out_err` is set to NULL; on failure it receives an owned
/// error (when `out_err` is not NULL) and the error's code is returned.
///
/// `out_err` must be the `out_err` parameter of the exported function calling `run`, passed on
/// unchanged: the header's contract makes it NULL or writable storage for an `EtnaError *`.
/// Every caller is one of those functions (this module is private to `ffi`); the tests below
/// pass pointers to their own locals.
pub(crate) fn run(
    function: &'static str,
    out_err: *mut *mut EtnaError,
    body: impl FnOnce() -> Result<(), EtnaError>,
) -> EtnaStatus {
    let (code, error) = match catch(body) {
        Ok(Ok(())) => (ETNA_OK, None),
        Ok(Err(e)) => (e.code(), Some(e)),
        Err(why) => {
            let e = EtnaError::new(
                ETNA_ERR_PANIC,
                format!("internal error in {function}: {why}"),
            );
            (ETNA_ERR_PANIC, Some(e))
        }
    };
    if !out_err.is_null() {
        let error = error.map_or(std::ptr::null_mut(), |e| Box::into_raw(Box::new(e)));
        // SAFETY: `out_err` is not NULL (checked just above) and is an exported function's own
        // `out_err` parameter (see the doc above), which the header's contract makes writable
        // storage for an `EtnaError *`. The old value, if any, is not read or dropped.
        unsafe { out_err.write(error) };
    }
    code
}

/// Runs an infallible body (accessors, frees); a panic gives `fallback`.
pub(crate) fn value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch(body).unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::error::{etna_error_free, etna_error_message};
    use std::ffi::CStr;

    #[test]
    fn a_panic_becomes_an_error_object() {
        let mut err: *mut EtnaError = std::ptr::null_mut();
        let code = run("etna_test", &mut err, || panic!("boom"));
        assert_eq!(code, ETNA_ERR_PANIC);
        assert!(!err.is_null());
        // SAFETY: `err` is the live error `run` just wrote; its message is NUL-terminated and
        // lives until etna_error_free below.
        let msg = unsafe { CStr::from_ptr(etna_error_message(err)) }
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(msg, "internal error in etna_test: boom");
        // SAFETY: `err` came from `run` and is freed exactly once, here.
        unsafe { etna_error_free(err) };
        assert_eq!(value(7, || -> i32 { panic!("quiet") }), 7);
    }

    #[test]
    fn success_clears_the_error_slot() {
        let mut err: *mut EtnaError = std::ptr::dangling_mut::<EtnaError>();
        assert_eq!(run("etna_test", &mut err, || Ok(())), ETNA_OK);
        assert!(err.is_null());
    }
}
