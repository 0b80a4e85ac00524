//! Any endpoint, authenticated with the session's token; and freeing strings the library made.

use crate::ffi::args;
use crate::ffi::boundary::{run, value};
use crate::ffi::error::EtnaError;
use crate::ffi::session::EtnaSession;
use crate::ffi::status::*;
use std::ffi::CString;
use std::ffi::c_char;

/// Calls any endpoint of the broker with the session's token.
///
/// - `method`: `"GET"`, `"POST"`, `"PUT"`, `"DELETE"` or `"PATCH"`.
/// - `path`: relative to the base URL, with its query string already encoded, e.g.
///   `"v1.0/users/@me/info"` or `"v1.0/accounts/42/orders?pageNumber=0&pageSize=10"`.
/// - `json_body`: NULL for none, or JSON text sent as `application/json` (checked to be JSON).
///
/// On success `*out_http_status` receives the status (2xx) and `*out_body` the answer's body as
/// a new NUL-terminated UTF-8 string (`""` for 204) that the caller frees with
/// `etna_string_free`. Either output may be NULL when not wanted.
///
/// Returns `ETNA_OK`; `ETNA_ERR_NULL_ARGUMENT`, `ETNA_ERR_INVALID_UTF8`,
/// `ETNA_ERR_INVALID_ARGUMENT`; `ETNA_ERR_NOT_AUTHENTICATED` before a finished login or on 401;
/// `ETNA_ERR_RATE_LIMITED` on 429; `ETNA_ERR_HTTP` on any other non-2xx status (the error
/// carries the status, the broker's reason and the body); `ETNA_ERR_NETWORK`,
/// `ETNA_ERR_TIMEOUT`, `ETNA_ERR_TLS`; `ETNA_ERR_PROTOCOL` for a body that is not UTF-8, holds
/// a NUL byte or exceeds 64 MiB.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_request(
    session: *const EtnaSession,
    method: *const c_char,
    path: *const c_char,
    json_body: *const c_char,
    out_http_status: *mut u16,
    out_body: *mut *mut c_char,
    out_err: *mut *mut EtnaError,
) -> EtnaStatus {
    run("etna_request", out_err, || {
        // SAFETY: the header's contract for this function: `session` is NULL or a live session
        // from etna_session_new; `method`, `path` and `json_body` NULL or NUL-terminated strings
        // alive for the call; `out_http_status` NULL or writable storage for a `uint16_t`, and
        // `out_body` for a `char *`.
        let (session, method, path, json_body, out_http_status, out_body) = unsafe {
            (
                args::session(session)?,
                args::text(method, "method")?,
                args::text(path, "path")?,
                args::optional_text(json_body, "json_body")?,
                args::out(out_http_status),
                args::out(out_body),
            )
        };
        let reply = session.request(method, path, json_body)?;
        args::put_text(out_body, reply.body)?;
        args::put(out_http_status, reply.status);
        Ok(())
    })
}

/// Frees a string that libetna handed out through a `char **out_*` parameter (`out_body` of
/// `etna_request`, `out_json`, ...). NULL is a no-op. Free each string exactly once. Never pass
/// it to C `free`, and never free a string owned by an `EtnaError` or a static one
/// (`etna_status_str`, `etna_version`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: not NULL, so by the header's contract for this function `s` is a string libetna
        // handed out (CString::into_raw in args::put_text) and is freed exactly once, here.
        let s = unsafe { CString::from_raw(s) };
        value((), || drop(s));
    }
}

/// How many bytes before a file handed out hold its length, for `etna_bytes_free`.
const LENGTH_PREFIX: usize = std::mem::size_of::<u64>();

/// Hands `bytes` to the caller: the data through `out_data`, its length through `out_len`. The
/// length also goes just before the data, so `etna_bytes_free` needs only the pointer.
pub(crate) fn put_bytes(
    out_data: args::Out<'_, *mut u8>,
    out_len: args::Out<'_, usize>,
    bytes: Vec<u8>,
) {
    let len = bytes.len();
    let mut all = Vec::with_capacity(LENGTH_PREFIX + len);
    all.extend_from_slice(&(len as u64).to_le_bytes());
    all.extend_from_slice(&bytes);
    let all: Box<[u8]> = all.into_boxed_slice();
    args::put(out_len, len);
    if let Some(slot) = out_data {
        let start = Box::into_raw(all).cast::<u8>();
        slot.write(start.wrapping_add(LENGTH_PREFIX));
    }
}

/// Frees the bytes of a file libetna handed out through a `uint8_t **out_data` parameter
/// (`etna_export_price_history`). NULL is a no-op. Free each exactly once. Never pass them to C
/// `free`, nor to `etna_string_free`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn etna_bytes_free(data: *mut u8) {
    if data.is_null() {
        return;
    }
    // SAFETY: not NULL, so by the header's contract `data` is what `put_bytes` handed out: the
    // start of a boxed slice moved LENGTH_PREFIX bytes on, the prefix holding the data's length,
    // freed exactly once, here.
    let all = unsafe {
        let start = data.sub(LENGTH_PREFIX);
        let mut len = [0u8; LENGTH_PREFIX];
        std::ptr::copy_nonoverlapping(start, len.as_mut_ptr(), LENGTH_PREFIX);
        let len = u64::from_le_bytes(len) as usize;
        Box::from_raw(std::ptr::slice_from_raw_parts_mut(
            start,
            LENGTH_PREFIX + len,
        ))
    };
    value((), || drop(all));
}
