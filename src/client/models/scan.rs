//! A fast, strict reader of the plain JSON that fills the broker's large pages and its streams:
//! strings without escapes, numbers with at most 15 digits and no exponent, literals, and nested
//! values it skips. An item it cannot read exactly as serde would (an escape, a long or exponent
//! number, deep nesting) is handed back unread, and the general reader reads it; an item it reads
//! is valid JSON by construction and gives the same values. The 5,000-order page is read about
//! twice as fast as through serde; the streamers' flat messages (`flat::fields`), a million a
//! second, without serde at all.

use super::convert::{self, Scalar};
use std::borrow::Cow;

/// Deeper than this, nested values are left to serde (which has its own limit).
const MAX_DEPTH: usize = 64;

pub struct Scanner<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str, pos: usize) -> Self {
        Scanner { text, pos }
    }

    pub fn pos(&self) -> usize {
        self.pos
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    pub(super) fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Takes `c` (after white space).
    pub fn byte(&mut self, c: u8) -> Option<()> {
        self.space();
        (self.peek()? == c).then(|| self.pos += 1)
    }

    /// After white space: whether `c` comes next (taken if so).
    pub fn next_is(&mut self, c: u8) -> bool {
        self.space();
        self.peek() == Some(c) && {
            self.pos += 1;
            true
        }
    }

    /// A string without escapes.
    pub fn string(&mut self) -> Option<&'a str> {
        let b = self.text.as_bytes();
        if b.get(self.pos) != Some(&b'"') {
            self.byte(b'"')?;
        } else {
            self.pos += 1;
        }
        let start = self.pos;
        let len = to_special(&b[start..])?;
        if b[start + len] != b'"' {
            return None;
        }
        self.pos = start + len + 1;
        Some(&self.text[start..start + len])
    }

    /// Any value: a scalar as serde's visitors would see it, a nested value skipped (`Other`).
    pub fn value(&mut self) -> Option<Scalar<'a>> {
        self.space();
        match self.peek()? {
            b'"' => self.string().map(|s| Scalar::Text(Cow::Borrowed(s))),
            b'{' | b'[' => self.nested(0).map(|()| Scalar::Other),
            b't' => self.literal("true", Scalar::Bool(true)),
            b'f' => self.literal("false", Scalar::Bool(false)),
            b'n' => self.literal("null", Scalar::Other),
            _ => self.number(),
        }
    }

    fn literal(&mut self, word: &str, value: Scalar<'a>) -> Option<Scalar<'a>> {
        self.text[self.pos..].starts_with(word).then(|| {
            self.pos += word.len();
            value
        })
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, at most 15 digits: an integer as `Integer` (serde's
    /// `visit_i64`/`visit_u64`), a decimal as `Number`, computed as serde computes it (the digits
    /// divided by an exact power of ten).
    fn number(&mut self) -> Option<Scalar<'a>> {
        let b = self.text.as_bytes();
        let negative = self.peek() == Some(b'-');
        let mut i = self.pos + usize::from(negative);
        let (mut mantissa, mut digits) = (0u64, 0usize);
        // Takes the digits from `i` on into `mantissa`; how many, or `None` past 15 in all.
        let mut run = |i: &mut usize| {
            let start = *i;
            while let Some(d) = b.get(*i).map(|c| c.wrapping_sub(b'0')).filter(|&d| d < 10) {
                mantissa = mantissa * 10 + u64::from(d);
                digits += 1;
                *i += 1;
                if digits > 15 {
                    return None;
                }
            }
            Some(*i - start)
        };
        let whole = run(&mut i)?;
        if whole == 0 || (b[i - whole] == b'0' && whole > 1) {
            return None; // no digits, or a leading zero
        }
        let mut scale = 0;
        if b.get(i) == Some(&b'.') {
            i += 1;
            scale = run(&mut i)?;
            if scale == 0 {
                return None;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            return None;
        }
        self.pos = i;
        Some(if scale == 0 {
            let v = mantissa as i64;
            Scalar::Integer(if negative { -v } else { v })
        } else {
            Scalar::Number(convert::exact_decimal(mantissa, scale, negative))
        })
    }

    /// Skips the object or array here, checking it as it goes.
    fn nested(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let (close, object) = match self.peek()? {
            b'{' => (b'}', true),
            _ => (b']', false),
        };
        self.pos += 1;
        if self.next_is(close) {
            return Some(());
        }
        loop {
            if object {
                self.string()?;
                self.byte(b':')?;
            }
            self.space();
            match self.peek()? {
                b'{' | b'[' => self.nested(depth + 1)?,
                _ => {
                    self.value()?;
                }
            }
            if self.next_is(close) {
                return Some(());
            }
            self.byte(b',')?;
        }
    }

    /// The fields of the object here, each handed to `field` (which reads its value); where the
    /// object ends. `None` when anything is not plain, or `field` refused.
    pub fn object(
        &mut self,
        mut field: impl FnMut(&'a str, &mut Self) -> Option<()>,
    ) -> Option<usize> {
        self.byte(b'{')?;
        if self.next_is(b'}') {
            return Some(self.pos);
        }
        loop {
            let name = self.string()?;
            self.byte(b':')?;
            field(name, self)?;
            if self.next_is(b'}') {
                return Some(self.pos);
            }
            self.byte(b',')?;
        }
    }
}

/// The fields a fast reader has set, by number: a field named twice is left to serde (which
/// refuses it, as a derived reader does).
#[derive(Default)]
pub struct Seen(u32);

impl Seen {
    /// Sets `slot` to `value` as field number `field` (below 32); `None` when that field was
    /// set before.
    pub fn set<T>(&mut self, field: u32, slot: &mut T, value: T) -> Option<()> {
        self.first(field).then(|| *slot = value)
    }

    /// Marks field number `field` (below 32) set; `false` when it was set before.
    pub fn first(&mut self, field: u32) -> bool {
        let bit = 1 << field;
        let first = self.0 & bit == 0;
        self.0 |= bit;
        first
    }
}

/// The top bit of each byte of `x` that is zero (exactly: no borrow reaches the next byte, so
/// every flag is right, not only the lowest).
pub fn zero_bytes(x: u64) -> u64 {
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((x & LOW) + LOW) | x) & !LOW
}

/// Eight bytes as a word, the first lowest.
#[inline(always)]
pub fn word(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().expect("eight bytes"))
}

/// Where the first quote, backslash or control character of `b` is: what ends a JSON string's
/// plain run. Eight bytes at a time: in each test below, the lowest flagged byte is the first
/// byte that matches (flags above it may be false), so the lowest flag of all is the answer.
pub fn to_special(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |w: u64, n: u64| w.wrapping_sub(ONES * n) & !w & HIGH;
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let w = word(chunk);
        let flags = below(w ^ (ONES * u64::from(b'"')), 1)
            | below(w ^ (ONES * u64::from(b'\\')), 1)
            | below(w, 0x20);
        if flags != 0 {
            return Some(i + flags.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    b[i..]
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .map(|at| i + at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// Whether the scanner takes `text` whole as one value.
    fn takes(text: &str) -> bool {
        let mut s = Scanner::new(text, 0);
        s.value().is_some() && {
            s.space();
            s.pos() == text.len()
        }
    }

    #[test]
    fn the_end_of_a_plain_run_is_found_at_any_place() {
        for len in 0..40 {
            for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                for filler in [b'a', 0x7f, 0xc3, 0x21, 0x5d, 0x23] {
                    let mut b = vec![filler; len];
                    assert_eq!(to_special(&b), None, "{len} {filler}");
                    b.push(special);
                    b.extend_from_slice(b"xx\"y");
                    assert_eq!(to_special(&b), Some(len), "{len} {special} {filler}");
                }
            }
        }
    }

    #[test]
    fn what_it_reads_is_json_and_numbers_read_as_serde_reads_them() {
        for (text, plain) in [
            ("0", true),
            ("-0", true),
            ("304.25", true),
            ("-1.5", true),
            ("123456789012345", true),
            ("1234567890123456", false),
            ("1e3", false),
            ("01", false),
            ("1.", false),
            (".5", false),
            ("-", false),
            ("\"a b\"", true),
            ("\"a\\\"b\"", false),
            ("true", true),
            ("nul", false),
            ("{\"A\":[1,{\"B\":null}],\"C\":{}}", true),
            ("{\"A\":1,}", false),
            ("[1 2]", false),
            ("{\"A\" 1}", false),
            ("[\"\\u0041\"]", false),
        ] {
            assert_eq!(takes(text), plain, "{text}");
            if plain {
                assert!(
                    serde_json::from_str::<Value>(text).is_ok(),
                    "{text} is JSON"
                );
            }
        }
        for text in ["0.1", "304.25", "-0.000001", "99999.9999999999", "7", "-42"] {
            let serde = serde_json::from_str::<Value>(text).unwrap();
            let ours = match Scanner::new(text, 0).value().unwrap() {
                Scalar::Integer(v) => Value::from(v),
                Scalar::Number(v) => Value::from(v),
                _ => panic!("{text}"),
            };
            assert_eq!(ours, serde, "{text}");
            assert_eq!(
                ours.as_f64().map(f64::to_bits),
                serde.as_f64().map(f64::to_bits)
            );
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(!takes(&deep), "deep nesting is left to serde");
    }
}
