//! A fast, strict reader of the plain JSON that fills the broker's large pages: strings without
//! escapes, numbers with at most 15 digits and no exponent, literals, and nested values it skips.
//! An item it cannot read exactly as serde would (an escape, a long or exponent number, deep
//! nesting) is handed back unread, and the general reader reads it; an item it reads is valid
//! JSON by construction and gives the same values. The 5,000-order page is read about twice as
//! fast as through serde.

use super::convert::Scalar;
use super::flat::to_special;
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

    fn space(&mut self) {
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
        self.byte(b'"')?;
        let start = self.pos;
        let len = to_special(&self.text.as_bytes()[start..])?;
        if self.text.as_bytes()[start + len] != b'"' {
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
        const POW10: [f64; 16] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        ];
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
            let v = mantissa as f64 / POW10[scale];
            Scalar::Number(if negative { -v } else { v })
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
        mut field: impl FnMut(&str, &mut Self) -> Option<()>,
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
