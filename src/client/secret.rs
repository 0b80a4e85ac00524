//! Secrets (passwords, codes, PINs, tokens, the app key): redacted in Debug, zeroed on drop.

use std::fmt;
use ureq::http::HeaderValue;
use zeroize::Zeroizing;

/// A string that must never reach a log, an error message or a Debug print.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: &str) -> Self {
        Secret(Zeroizing::new(value.to_owned()))
    }

    /// The value itself, for the one place that must put it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(Zeroizing::new(value))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// A header value `prefix + secret` whose bytes are zeroed when ureq drops its last copy, and
/// which the `http` crate itself prints as `Sensitive`.
/// `None` when the text is not a valid header value (a line break, a control character).
pub fn sensitive_header(prefix: &str, secret: &str) -> Option<HeaderValue> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(prefix.len() + secret.len()));
    bytes.extend_from_slice(prefix.as_bytes());
    bytes.extend_from_slice(secret.as_bytes());
    let mut value = HeaderValue::from_maybe_shared(bytes::Bytes::from_owner(bytes)).ok()?;
    value.set_sensitive(true);
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_print_hides_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn sensitive_headers_hide_themselves_and_refuse_line_breaks() {
        let h = sensitive_header("Bearer ", "abc+/=").unwrap();
        assert_eq!(h.to_str().unwrap(), "Bearer abc+/=");
        assert!(!format!("{h:?}").contains("abc"));
        assert!(sensitive_header("", "a\r\nX-Evil: 1").is_none());
    }
}
