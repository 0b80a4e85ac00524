//! Status codes, login states and log levels: plain `int32_t` constants, so C# and C can hold
//! them in an int and a new value never changes an existing one.

use crate::client::ErrorKind;
use std::ffi::{CStr, c_char};

/// What a fallible function returns: `ETNA_OK` (0) or one of the `ETNA_ERR_*` codes.
/// Numbers are stable and never reused. Every function that returns it takes
/// `EtnaError **out_err` last, except `etna_session_cancel` (it fails only for NULL, and the
/// status says so).
pub type EtnaStatus = i32;

/// Success.
pub const ETNA_OK: EtnaStatus = 0;
/// A required pointer argument is NULL.
pub const ETNA_ERR_NULL_ARGUMENT: EtnaStatus = 1;
/// A string argument is not valid UTF-8.
pub const ETNA_ERR_INVALID_UTF8: EtnaStatus = 2;
/// An argument is out of range or malformed (URL, method, path, JSON body, timeout, level).
pub const ETNA_ERR_INVALID_ARGUMENT: EtnaStatus = 3;
/// The call does not fit the session's state (e.g. a verification code with no pending login).
pub const ETNA_ERR_INVALID_STATE: EtnaStatus = 4;
/// The connection could not be made or broke (refused, reset, DNS failure).
pub const ETNA_ERR_NETWORK: EtnaStatus = 10;
/// The connect or request timeout ran out.
pub const ETNA_ERR_TIMEOUT: EtnaStatus = 11;
/// TLS handshake or certificate verification failed.
pub const ETNA_ERR_TLS: EtnaStatus = 12;
/// `etna_session_cancel` interrupted the call (or its retries).
pub const ETNA_ERR_CANCELLED: EtnaStatus = 13;
/// The broker does not know the application key (`Et-App-Key`).
pub const ETNA_ERR_INVALID_APP_KEY: EtnaStatus = 20;
/// Wrong user name or password.
pub const ETNA_ERR_INVALID_CREDENTIALS: EtnaStatus = 21;
/// Wrong two-factor verification code, or the verification step is no longer valid.
pub const ETNA_ERR_INVALID_VERIFICATION_CODE: EtnaStatus = 22;
/// Wrong security PIN.
pub const ETNA_ERR_INVALID_PIN: EtnaStatus = 23;
/// The password has expired and must be changed on the broker's site.
pub const ETNA_ERR_PASSWORD_EXPIRED: EtnaStatus = 24;
/// The account has no security PIN set up yet (the broker said "PIN code is not init").
pub const ETNA_ERR_PIN_NOT_SET: EtnaStatus = 25;
/// No valid token: not logged in, login unfinished, token expired or revoked, or no rights
/// (HTTP 401).
pub const ETNA_ERR_NOT_AUTHENTICATED: EtnaStatus = 26;
/// The broker answered with another non-success HTTP status; see `etna_error_http_status`.
pub const ETNA_ERR_HTTP: EtnaStatus = 30;
/// The broker answered 429; see `etna_error_retry_after_ms`.
pub const ETNA_ERR_RATE_LIMITED: EtnaStatus = 31;
/// The answer does not follow the broker's protocol (a 2xx answer that is not JSON, unknown
/// login state, not UTF-8, too large). A GET whose answer was garbled is retried first.
pub const ETNA_ERR_PROTOCOL: EtnaStatus = 32;
/// A request that changes state may have reached the broker, but no readable answer came back
/// (dropped, timed out, garbled, or cancelled after it left).
pub const ETNA_ERR_OUTCOME_UNKNOWN: EtnaStatus = 33;
/// The broker refused an order preview or replacement (HTTP 200 with `IsSuccessful:false`);
/// `etna_error_api_reason` gives its `ErrorDescription` (and text).
pub const ETNA_ERR_REJECTED: EtnaStatus = 34;
/// The broker has no such object (`etna_find_order_by_client_id`: no order with that
/// `ClientId`, so it was never accepted and may be sent again).
pub const ETNA_ERR_NOT_FOUND: EtnaStatus = 35;
/// A bug inside libetna was caught at the boundary; the process is unharmed. Please report it.
pub const ETNA_ERR_PANIC: EtnaStatus = 99;

/// Where a login stands (`etna_session_auth_state`).
pub type EtnaAuthState = i32;

/// Not logged in.
pub const ETNA_AUTH_NONE: EtnaAuthState = 0;
/// The broker sent a verification code (e-mail or SMS): call `etna_login_verify`.
pub const ETNA_AUTH_VERIFICATION_REQUIRED: EtnaAuthState = 1;
/// The broker wants the account's security PIN: call `etna_login_pin`.
pub const ETNA_AUTH_PIN_REQUIRED: EtnaAuthState = 2;
/// Logged in: requests carry the session's token.
pub const ETNA_AUTH_AUTHENTICATED: EtnaAuthState = 3;

/// Severity of a log line, most severe first.
pub type EtnaLogLevel = i32;

/// Failures that end a call with an error.
pub const ETNA_LOG_ERROR: EtnaLogLevel = 1;
/// Failures worth attention (a request that failed, a refused login step).
pub const ETNA_LOG_WARN: EtnaLogLevel = 2;
/// Login state changes.
pub const ETNA_LOG_INFO: EtnaLogLevel = 3;
/// Each request: method, path, status, elapsed time.
pub const ETNA_LOG_DEBUG: EtnaLogLevel = 4;
/// Everything, including internal detail.
pub const ETNA_LOG_TRACE: EtnaLogLevel = 5;

/// Static text for every status code (`"unknown status code"` for numbers libetna does not
/// define). Never NULL; valid for as long as the library is loaded; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn etna_status_str(code: EtnaStatus) -> *const c_char {
    status_text(code).as_ptr()
}

/// The library's version, e.g. `"0.1.0"`. Static: never NULL, valid for as long as the library
/// is loaded; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn etna_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// One row per status code: the constant, its text for `etna_status_str`, and the error kind of
/// the client that becomes it (none for the codes only the C layer gives). The constants above
/// are spelled out because cbindgen reads them, not macros; the tests below fail when a constant
/// of the header has no row or a kind of the client no code, so a code cannot be half-added.
const TABLE: &[(EtnaStatus, &CStr, Option<ErrorKind>)] = &[
    (ETNA_OK, c"ok", None),
    (
        ETNA_ERR_NULL_ARGUMENT,
        c"a required pointer argument is NULL",
        None,
    ),
    (
        ETNA_ERR_INVALID_UTF8,
        c"a string argument is not valid UTF-8",
        None,
    ),
    (
        ETNA_ERR_INVALID_ARGUMENT,
        c"an argument is out of range or malformed",
        Some(ErrorKind::InvalidArgument),
    ),
    (
        ETNA_ERR_INVALID_STATE,
        c"the call does not fit the session's login state",
        Some(ErrorKind::InvalidState),
    ),
    (
        ETNA_ERR_NETWORK,
        c"network error: the connection could not be made or broke",
        Some(ErrorKind::Network),
    ),
    (
        ETNA_ERR_TIMEOUT,
        c"the connect or request timeout ran out",
        Some(ErrorKind::Timeout),
    ),
    (
        ETNA_ERR_TLS,
        c"TLS handshake or certificate verification failed",
        Some(ErrorKind::Tls),
    ),
    (
        ETNA_ERR_CANCELLED,
        c"the call was cancelled by etna_session_cancel before anything was sent",
        Some(ErrorKind::Cancelled),
    ),
    (
        ETNA_ERR_INVALID_APP_KEY,
        c"the broker does not accept the application key",
        Some(ErrorKind::InvalidAppKey),
    ),
    (
        ETNA_ERR_INVALID_CREDENTIALS,
        c"wrong user name or password",
        Some(ErrorKind::InvalidCredentials),
    ),
    (
        ETNA_ERR_INVALID_VERIFICATION_CODE,
        c"wrong or expired verification code",
        Some(ErrorKind::InvalidVerificationCode),
    ),
    (
        ETNA_ERR_INVALID_PIN,
        c"wrong security PIN",
        Some(ErrorKind::InvalidPin),
    ),
    (
        ETNA_ERR_PASSWORD_EXPIRED,
        c"the password has expired and must be changed",
        Some(ErrorKind::PasswordExpired),
    ),
    (
        ETNA_ERR_PIN_NOT_SET,
        c"the account has no security PIN set up",
        Some(ErrorKind::PinNotSet),
    ),
    (
        ETNA_ERR_NOT_AUTHENTICATED,
        c"not authenticated: log in, or the token expired",
        Some(ErrorKind::NotAuthenticated),
    ),
    (
        ETNA_ERR_HTTP,
        c"the broker answered with an HTTP error status",
        Some(ErrorKind::Http),
    ),
    (
        ETNA_ERR_RATE_LIMITED,
        c"rate limited by the broker: retry later",
        Some(ErrorKind::RateLimited),
    ),
    (
        ETNA_ERR_PROTOCOL,
        c"the broker's answer does not follow its protocol",
        Some(ErrorKind::Protocol),
    ),
    (
        ETNA_ERR_OUTCOME_UNKNOWN,
        c"the request may have reached the broker but no readable answer came back",
        Some(ErrorKind::OutcomeUnknown),
    ),
    (
        ETNA_ERR_REJECTED,
        c"the broker rejected the order",
        Some(ErrorKind::Rejected),
    ),
    (ETNA_ERR_NOT_FOUND, c"the broker has no such object", None),
    (
        ETNA_ERR_PANIC,
        c"internal error in libetna (caught; please report it)",
        Some(ErrorKind::Internal),
    ),
];

fn status_text(code: EtnaStatus) -> &'static CStr {
    TABLE
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(c"unknown status code", |(_, text, _)| text)
}

/// The status code an error of the client becomes.
pub(crate) fn status_of(kind: ErrorKind) -> EtnaStatus {
    row_of(kind).unwrap_or(ETNA_ERR_PANIC)
}

fn row_of(kind: ErrorKind) -> Option<EtnaStatus> {
    TABLE
        .iter()
        .find(|(_, _, k)| *k == Some(kind))
        .map(|(code, _, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_of_the_header_has_one_row_and_nothing_else_does() {
        let header = include_str!("../../include/etna.h");
        let mut in_header: Vec<(String, i32)> = header
            .lines()
            .filter_map(|line| {
                let rest = line.strip_prefix("#define ETNA_")?;
                let (name, value) = rest.split_once(' ')?;
                if name != "OK" && !name.starts_with("ERR_") {
                    return None;
                }
                Some((format!("ETNA_{name}"), value.trim().parse().ok()?))
            })
            .collect();
        in_header.sort_by_key(|(_, v)| *v);
        let mut codes: Vec<i32> = TABLE.iter().map(|(c, _, _)| *c).collect();
        codes.sort();
        codes.dedup();
        let header_codes: Vec<i32> = in_header.iter().map(|(_, v)| *v).collect();
        assert_eq!(codes, header_codes, "{in_header:?}");
        for (code, text, _) in TABLE {
            assert_eq!(status_text(*code), *text);
            assert!(!text.to_bytes().is_empty());
        }
    }

    #[test]
    fn every_error_kind_of_the_client_has_its_own_code() {
        let mut seen = Vec::new();
        for kind in ErrorKind::ALL {
            let code = row_of(kind).unwrap_or_else(|| panic!("{kind:?} has no row"));
            assert!(!seen.contains(&code), "{kind:?} shares {code}");
            seen.push(code);
        }
    }
}
