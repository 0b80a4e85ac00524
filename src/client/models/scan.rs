//! A fast, strict reader of the plain JSON that fills the broker's large pages and its streams:
//! strings without escapes, numbers with at most 15 digits and no exponent, literals, and nested
//! values it skips. An item it cannot read exactly as serde would (an escape, a long or exponent
//! number, deep nesting) is handed back unread, and the general reader reads it; an item it reads
//! is valid JSON by construction and gives the same values. The 5,000-order page is read about
//! twice as fast as through serde; the streamers' flat messages (`flat_fields`), a million a
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
        let bit = 1 << field;
        (self.0 & bit == 0).then(|| {
            self.0 |= bit;
            *slot = value;
        })
    }
}

/// Hands each `"name":"value"` pair of `text` to `each`, in order, when `text` is one flat JSON
/// object of unescaped strings (as the streamers send); `None` when it is not (what `each` saw
/// then means nothing).
pub fn flat_fields<'a>(text: &'a str, mut each: impl FnMut(&'a str, &'a str)) -> Option<()> {
    match compact_fields(text, &mut each) {
        Ok(()) => Some(()),
        Err(at) => scanned_fields(text, at, each),
    }
}

/// `flat_fields` through the general steps (white space allowed), from the start (`at` 0) or
/// from a field's opening quote after a comma.
fn scanned_fields<'a>(
    text: &'a str,
    at: usize,
    mut each: impl FnMut(&'a str, &'a str),
) -> Option<()> {
    let mut s = Scanner::new(text, at);
    if at == 0 {
        s.byte(b'{')?;
    }
    if at != 0 || !s.next_is(b'}') {
        loop {
            let name = s.string()?;
            s.byte(b':')?;
            each(name, s.string()?);
            if s.next_is(b'}') {
                break;
            }
            s.byte(b',')?;
        }
    }
    s.space();
    (s.pos() == text.len()).then_some(())
}

/// Reads the compact form the streamers write (`{"n":"v","n":"v"}`: no white space, escape or
/// control character) in one pass that finds every quote a block of bytes at a time, rather
/// than a scan per string (most strings here are a few bytes long). `Err(at)`: the text stops
/// being compact in the field that starts at `at` (0: the first); `each` has seen the fields
/// before it, and the general steps read the rest.
fn compact_fields<'a>(text: &'a str, each: &mut impl FnMut(&'a str, &'a str)) -> Result<(), usize> {
    let b = text.as_bytes();
    if b.len() < 2 || b[0] != b'{' || b[1] != b'"' {
        return Err(0);
    }
    let mut quotes = Quotes {
        b,
        next_block: 0,
        base: 0,
        found: 0,
        done: false,
    };
    let (mut start, mut resume) = (1, 0);
    quotes.next(); // the first field's, at 1
    loop {
        // Name, `:`, value, then `,` and the next name, or the closing brace at the very end.
        let (Some(name_end), Some(value)) = (quotes.next(), quotes.next()) else {
            return Err(resume);
        };
        if value != name_end + 2 || b[name_end + 1] != b':' {
            return Err(resume);
        }
        let Some(value_end) = quotes.next() else {
            return Err(resume);
        };
        let last = match b.get(value_end + 1) {
            Some(b',') => false,
            Some(b'}') if value_end + 2 == b.len() => true,
            _ => return Err(resume),
        };
        // SAFETY: each bound is a quote's place or the byte after one: a quote is ASCII, so
        // every bound is a character boundary of `text`, and `start < name_end`,
        // `value < value_end` (quotes are found in order).
        let (name, value) = unsafe {
            (
                text.get_unchecked(start + 1..name_end),
                text.get_unchecked(value + 1..value_end),
            )
        };
        each(name, value);
        if last {
            return Ok(());
        }
        resume = value_end + 2;
        match quotes.next() {
            Some(next) if next == resume => start = next,
            _ => return Err(resume),
        }
    }
}

/// The places of the quotes of a text, in order, found a block at a time; none past a
/// backslash's or control character's block (the compact form has neither).
struct Quotes<'b> {
    b: &'b [u8],
    next_block: usize,
    /// Where the block of `found` starts, and its quotes not yet handed out.
    base: usize,
    found: u64,
    done: bool,
}

impl Quotes<'_> {
    #[inline(always)]
    fn next(&mut self) -> Option<usize> {
        while self.found == 0 {
            if self.done {
                return None;
            }
            let at = self.next_block;
            self.base = at;
            if let Some(block) = self.b.get(at..at + block::LEN) {
                let (found, bad) = block::marks(block);
                self.done = bad;
                self.found = if bad { 0 } else { found };
                self.next_block = at + block::LEN;
            } else {
                // The last bytes, fewer than a block: one at a time, marked the same way.
                self.done = true;
                for (i, &c) in self.b[at..].iter().enumerate() {
                    match c {
                        b'"' => self.found |= 1 << (i * block::BITS + block::BITS - 1),
                        b'\\' => return None,
                        c if c < 0x20 => return None,
                        _ => {}
                    }
                }
            }
        }
        let p = self.base + self.found.trailing_zeros() as usize / block::BITS;
        self.found &= self.found - 1;
        Some(p)
    }
}

/// A block of bytes read at once: where its quotes are (a bit, or a byte's top bit, per byte)
/// and whether it holds a backslash or a control character. SSE2 on x86_64 (16 bytes), eight
/// bytes in a word elsewhere.
#[cfg(target_arch = "x86_64")]
use sse2 as block;
#[cfg(not(target_arch = "x86_64"))]
use word as block;

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };

    pub const LEN: usize = 16;
    /// Bits of the mask per byte.
    pub const BITS: usize = 1;

    #[inline(always)]
    pub fn marks(block: &[u8]) -> (u64, bool) {
        assert_eq!(block.len(), LEN);
        // SAFETY: SSE2 is part of every x86_64 processor; the load reads the 16 bytes of
        // `block` (checked above), unaligned loads being allowed.
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().cast());
            let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
            let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
            // Unsigned `v <= 0x1f`: where the smaller of the two is `v` itself.
            let low = _mm_set1_epi8(0x1f);
            let control = _mm_cmpeq_epi8(_mm_min_epu8(v, low), v);
            let bad = _mm_movemask_epi8(_mm_or_si128(backslash, control));
            (_mm_movemask_epi8(quote) as u32 as u64, bad != 0)
        }
    }
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
mod word {
    pub const LEN: usize = 8;
    pub const BITS: usize = 8;

    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;

    /// The top bit of each byte of `x` that is zero (exactly: no borrow reaches the next byte).
    fn zero_bytes(x: u64) -> u64 {
        !(((x & LOW) + LOW) | x) & !LOW
    }

    #[inline(always)]
    pub fn marks(block: &[u8]) -> (u64, bool) {
        let w = u64::from_le_bytes(block.try_into().expect("eight bytes"));
        let bad = zero_bytes(w ^ (ONES * u64::from(b'\\'))) | zero_bytes(w & (ONES * 0xe0));
        (zero_bytes(w ^ (ONES * u64::from(b'"'))), bad != 0)
    }
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
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
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

    fn pairs(text: &str) -> Option<Vec<(&str, &str)>> {
        let mut seen = Vec::new();
        flat_fields(text, |n, v| seen.push((n, v)))?;
        Some(seen)
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
    fn flat_objects_of_plain_strings_are_read_and_nothing_else_is() {
        assert_eq!(
            pairs(" {\"A\":\"1\", \"B\" : \"x y\"}\n"),
            Some(vec![("A", "1"), ("B", "x y")])
        );
        assert_eq!(pairs("{}"), Some(vec![]));
        assert_eq!(pairs(r#"{"É":"ü"}"#), Some(vec![("É", "ü")]));
        for not_flat in [
            r#"{"A":1}"#,
            r#"{"A":"\"q\""}"#,
            r#"{"A":{"B":"1"}}"#,
            r#"{"A":"1",}"#,
            r#"{"A":"1"} x"#,
            r#"{"A":"1""#,
            r#"{"A" "1"}"#,
            "{\"A\":\"a\tb\"}",
            "\u{c}{\"A\":\"1\"}",
            r#"["A"]"#,
            "",
        ] {
            assert_eq!(pairs(not_flat), None, "{not_flat}");
        }
    }

    #[test]
    fn the_compact_form_is_read_in_one_pass_as_the_general_steps_read_it() {
        let quote = r#"{"EntityType":"Quote","Key":"1","Symbol":"AAPL","Bid":"189.12000","Ask":"189.14000","BidSize":"1200","Date":"11/30/2026 06:59:00","Note":"é ü"}"#;
        let compact = |text: &str| compact_fields(text, &mut |_, _| {}).is_ok();
        fn scanned(text: &str) -> Option<Vec<(&str, &str)>> {
            let mut seen = Vec::new();
            scanned_fields(text, 0, |n, v| seen.push((n, v))).map(|()| seen)
        }
        assert!(
            compact(quote),
            "the streamers' form takes the one-pass path"
        );
        assert!(compact(r#"{"A":""}"#) && !compact("{}"));
        let mut variants = 0;
        // Every byte replaced by each character that matters, and every cut: whatever the
        // one pass takes, the general steps take and read the same; and the general steps
        // take nothing without white space that the one pass refuses.
        for at in 0..quote.len() {
            if !quote.is_char_boundary(at) {
                continue;
            }
            let cut = &quote[..at];
            let mut texts = vec![cut.to_owned()];
            let rest = &quote[at..];
            let next = rest.chars().next().map_or(0, char::len_utf8);
            for c in [
                "\"", "\\", ",", ":", "{", "}", " ", "\n", "\u{1}", "x", "\"\"", "",
            ] {
                texts.push(format!("{cut}{c}{}", &rest[next..]));
            }
            for text in &texts {
                variants += 1;
                assert_eq!(pairs(text), scanned(text), "{text}");
                if scanned(text).is_some() && !text.contains([' ', '\n']) && text.len() > 2 {
                    assert!(compact(text), "{text}");
                }
            }
        }
        assert!(variants > 1000);
        let many: Vec<String> = (0..100).map(|i| format!("\"F{i}\":\"{i}\"")).collect();
        let long = format!("{{{}}}", many.join(","));
        assert!(compact(&long));
        assert_eq!(pairs(&long).map(|p| p.len()), Some(100));
        // Compact, then not: each field is handed over once, the rest read the general way.
        let mixed = r#"{"A":"1","B":"2", "C":"3" ,"D":"4"}"#;
        assert_eq!(
            compact_fields(mixed, &mut |_, _| {}),
            Err(mixed.find(" \"C").unwrap())
        );
        assert_eq!(
            pairs(mixed),
            Some(vec![("A", "1"), ("B", "2"), ("C", "3"), ("D", "4")])
        );
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn both_block_readers_mark_the_same_bytes() {
        for (i, text) in [
            r#"{"EntityType":"Quote","Key":"1","Symbol":"AAPL","Bid":"189.12000"}"#,
            "\\\"\u{1f}\u{7f}ÿ\"\"\" \n\"a\"b\"c\"\u{0}x",
        ]
        .iter()
        .enumerate()
        {
            for start in 0..text.len().saturating_sub(16) {
                let b = &text.as_bytes()[start..start + 16];
                let bytes = |mask: u64, bits: usize| -> Vec<usize> {
                    (0..64 / bits)
                        .filter(|k| mask >> (k * bits) & 1 << (bits - 1) != 0)
                        .collect()
                };
                let (w0, wb0) = word::marks(&b[..8]);
                let (w1, wb1) = word::marks(&b[8..]);
                let mut words = bytes(w0, word::BITS);
                words.extend(bytes(w1, word::BITS).into_iter().map(|k| k + 8));
                let (s, sb) = sse2::marks(b);
                assert_eq!(
                    (bytes(s, sse2::BITS), sb),
                    (words, wb0 || wb1),
                    "{i} {start}"
                );
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
