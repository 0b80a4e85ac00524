//! Building paths and query strings: every value the caller gives is percent-encoded, so a
//! symbol with spaces (`AAPL  190503C00165000`) or a filter (`Status in (0,1)`) arrives intact.

use crate::client::error::{Error, Result};
use std::fmt::Write;

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(byte as char)
            }
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

/// A page of a paged list: zero-based number, size 1 to 100 (the broker's maximum).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub number: i32,
    pub size: i32,
}

impl Page {
    pub const MAX_SIZE: i32 = 100;

    pub fn new(number: i32, size: i32) -> Result<Page> {
        if number < 0 {
            return Err(Error::invalid_argument(format!(
                "page number {number} is negative (pages start at 0)"
            )));
        }
        if !(1..=Self::MAX_SIZE).contains(&size) {
            return Err(Error::invalid_argument(format!(
                "page size {size} is out of range: 1 to {}",
                Self::MAX_SIZE
            )));
        }
        Ok(Page { number, size })
    }
}

/// Option symbols are 21 characters; anything far longer is a mistake.
const MAX_SYMBOL: usize = 64;
/// The longest filter expression or other free text sent in a query.
pub const MAX_QUERY_TEXT: usize = 4096;

/// Free text for a query (a filter, a lookup mask): not longer than `MAX_QUERY_TEXT`.
pub fn query_text(what: &str, text: &str) -> Result<String> {
    if text.len() > MAX_QUERY_TEXT {
        return Err(Error::invalid_argument(format!(
            "{what} is longer than {MAX_QUERY_TEXT} bytes"
        )));
    }
    Ok(encode(text))
}

/// A symbol for a path segment or query: not empty, no control characters.
pub fn symbol(text: &str) -> Result<String> {
    if text.trim().is_empty() {
        return Err(Error::invalid_argument("symbol is empty"));
    }
    if text.len() > MAX_SYMBOL {
        return Err(Error::invalid_argument(format!(
            "symbol is longer than {MAX_SYMBOL} bytes"
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::invalid_argument(
            "symbol contains control characters",
        ));
    }
    Ok(encode(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(encode("Status in (0,1)"), "Status%20in%20%280%2C1%29");
        assert_eq!(encode("AAPL  190503C00165000"), "AAPL%20%20190503C00165000");
        assert_eq!(encode("a&b=c/d?é"), "a%26b%3Dc%2Fd%3F%C3%A9");
        assert_eq!(encode("BRK.B_x-y~"), "BRK.B_x-y~");
    }

    #[test]
    fn pages_are_zero_based_and_bounded() {
        assert!(Page::new(0, 1).is_ok() && Page::new(7, 100).is_ok());
        assert!(Page::new(-1, 10).is_err());
        assert!(Page::new(0, 0).is_err());
        assert!(Page::new(0, 101).is_err());
        assert!(symbol(" ").is_err() && symbol("A\nB").is_err());
        assert!(symbol(&"A".repeat(65)).is_err() && symbol(&"A".repeat(21)).is_ok());
        assert!(query_text("filter", &"x".repeat(10 << 20)).is_err());
    }
}
