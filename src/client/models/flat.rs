//! The streamers' flat messages: one JSON object of unescaped strings. The compact form they
//! write (`{"n":"v","n":"v"}`) is read in one pass that finds every quote a block of bytes at a
//! time (SSE2 on x86_64); anything else (white space) through the scanner's general steps, from
//! the field where the compact form stops. The same block readers, sixteen bytes at a time, find
//! a value's end and compare the bytes between values for a learned layout (`shape`).

use super::scan::Scanner;

/// What takes a flat message's fields, one at a time, in order: a closure, or a type whose
/// `field` is marked `#[inline(always)]` so that it runs inside the walk's loop (the compiler
/// calls a closure as large as a quote's reader, saving and restoring the walk's place around
/// each call).
pub trait Each<'a> {
    fn field(&mut self, name: &'a str, value: &'a str);
}

impl<'a, F: FnMut(&'a str, &'a str)> Each<'a> for F {
    fn field(&mut self, name: &'a str, value: &'a str) {
        self(name, value)
    }
}

/// Hands each `"name":"value"` pair of `text` to `each`, in order, when `text` is one flat JSON
/// object of unescaped strings (as the streamers send); `None` when it is not (what `each` saw
/// then means nothing).
pub fn fields<'a>(text: &'a str, mut each: impl Each<'a>) -> Option<()> {
    match compact_fields(text, &mut each) {
        Ok(()) => Some(()),
        Err(at) => scanned_fields(text, at, each),
    }
}

/// `fields` through the general steps (white space allowed), from the start (`at` 0) or
/// from a field's opening quote after a comma.
fn scanned_fields<'a>(text: &'a str, at: usize, mut each: impl Each<'a>) -> Option<()> {
    let mut s = Scanner::new(text, at);
    if at == 0 {
        s.byte(b'{')?;
    }
    if at != 0 || !s.next_is(b'}') {
        loop {
            let name = s.string()?;
            s.byte(b':')?;
            each.field(name, s.string()?);
            if s.next_is(b'}') {
                break;
            }
            s.byte(b',')?;
        }
    }
    s.space();
    (s.pos() == text.len()).then_some(())
}

/// Where the string that starts at `from` (after its opening quote) ends: the place of the
/// first quote from there, when no backslash or control character comes before it; `None`
/// otherwise, or when no quote follows. Sixteen bytes at a time (the streamers' values are
/// short), the text's last bytes through its last sixteen.
#[inline(always)]
pub fn plain_end(b: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let (quotes, bad) = match b.get(at..at + 16) {
            Some(block) => sixteen_marks(block),
            None => {
                // The text's last sixteen bytes (a text shorter than that padded with spaces,
                // which mark nothing), moved down to start at `at`: past their start, by at
                // most 16 (`from` is at most the text's length).
                let (last, (quotes, bad)) = match b.len().checked_sub(16) {
                    Some(last) => (last, sixteen_marks(&b[last..])),
                    None => {
                        let mut padded = [b' '; 16];
                        padded[..b.len()].copy_from_slice(b);
                        (0, sixteen_marks(&padded))
                    }
                };
                let shift = at.checked_sub(last)? as u32;
                (quotes.checked_shr(shift)?, bad.checked_shr(shift)?)
            }
        };
        // The bytes before the first quote: all sixteen when there is none.
        if bad & quotes.wrapping_sub(1) & !quotes != 0 {
            return None;
        }
        if quotes != 0 {
            return Some(at + quotes.trailing_zeros() as usize);
        }
        if at + 16 >= b.len() {
            return None;
        }
        at += 16;
    }
}

/// Reads the compact form the streamers write (`{"n":"v","n":"v"}`: no white space, escape or
/// control character) in one pass that finds every quote a block of bytes at a time, rather
/// than a scan per string (most strings here are a few bytes long). `Err(at)`: the text stops
/// being compact in the field that starts at `at` (0: the first); `each` has seen the fields
/// before it, and the general steps read the rest.
fn compact_fields<'a>(text: &'a str, each: &mut impl Each<'a>) -> Result<(), usize> {
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
        each.field(name, value);
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
                self.done = true;
                if let Some(from) = self.b.len().checked_sub(block::LEN) {
                    // The last bytes, fewer than a block: the text's last block, which ends
                    // with them (the bytes before them were read, and had no mark that stops).
                    let (found, bad) = block::marks(&self.b[from..]);
                    if bad {
                        return None;
                    }
                    // (None of them when the text ends with a whole block.)
                    self.found = found
                        .checked_shr(((at - from) * block::BITS) as u32)
                        .unwrap_or(0);
                    continue;
                }
                // A text shorter than a block: one byte at a time, marked the same way.
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
/// and whether it holds a backslash or a control character. SSE2 on x86_64 (64 bytes, four
/// loads: a quote's message is five such blocks, where sixteen bytes made it twenty-one), eight
/// bytes in a word elsewhere.
#[cfg(target_arch = "x86_64")]
use sse2 as block;
#[cfg(target_arch = "x86_64")]
pub use sse2::same_bytes;
#[cfg(target_arch = "x86_64")]
use sse2::sixteen_marks;
#[cfg(not(target_arch = "x86_64"))]
use word as block;
#[cfg(not(target_arch = "x86_64"))]
pub use word::same_bytes;
#[cfg(not(target_arch = "x86_64"))]
use word::sixteen_marks;

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };

    pub const LEN: usize = 64;
    /// Bits of the mask per byte.
    pub const BITS: usize = 1;

    #[inline(always)]
    pub fn marks(block: &[u8]) -> (u64, bool) {
        assert_eq!(block.len(), LEN);
        let (a, a_bad) = sixteen(&block[..16]);
        let (b, b_bad) = sixteen(&block[16..32]);
        let (c, c_bad) = sixteen(&block[32..48]);
        let (d, d_bad) = sixteen(&block[48..]);
        (
            a | b << 16 | c << 32 | d << 48,
            a_bad | b_bad | c_bad | d_bad,
        )
    }

    #[inline(always)]
    fn sixteen(block: &[u8]) -> (u64, bool) {
        let (quotes, bad) = sixteen_marks(block);
        (u64::from(quotes), bad != 0)
    }

    /// Sixteen bytes' quotes and backslashes or control characters, a bit per byte.
    #[inline(always)]
    pub fn sixteen_marks(block: &[u8]) -> (u32, u32) {
        assert_eq!(block.len(), 16);
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
            (_mm_movemask_epi8(quote) as u32, bad as u32)
        }
    }

    /// Where sixteen bytes equal those of `other`, a bit per byte.
    #[inline(always)]
    pub fn same_bytes(block: &[u8], other: &[u8; 16]) -> u32 {
        assert_eq!(block.len(), 16);
        // SAFETY: as in `sixteen_marks`, on the sixteen bytes of each.
        unsafe {
            let v = _mm_loadu_si128(block.as_ptr().cast());
            let w = _mm_loadu_si128(other.as_ptr().cast());
            _mm_movemask_epi8(_mm_cmpeq_epi8(v, w)) as u32
        }
    }
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
mod word {
    pub const LEN: usize = 8;
    pub const BITS: usize = 8;

    use super::super::scan::{word, zero_bytes};

    const ONES: u64 = 0x0101_0101_0101_0101;

    #[inline(always)]
    pub fn marks(block: &[u8]) -> (u64, bool) {
        let (quotes, bad) = flags(block);
        (quotes, bad != 0)
    }

    /// Eight bytes' quotes and backslashes or control characters, each byte's top bit.
    #[inline(always)]
    fn flags(block: &[u8]) -> (u64, u64) {
        let w = word(block);
        let bad = zero_bytes(w ^ (ONES * u64::from(b'\\'))) | zero_bytes(w & (ONES * 0xe0));
        (zero_bytes(w ^ (ONES * u64::from(b'"'))), bad)
    }

    /// Sixteen bytes' marks, a bit per byte.
    pub fn sixteen_marks(block: &[u8]) -> (u32, u32) {
        let (q0, b0) = flags(&block[..8]);
        let (q1, b1) = flags(&block[8..16]);
        (gather(q0) | gather(q1) << 8, gather(b0) | gather(b1) << 8)
    }

    /// Where sixteen bytes equal those of `other`, a bit per byte.
    pub fn same_bytes(block: &[u8], other: &[u8; 16]) -> u32 {
        let same = |k: usize| {
            let at = 8 * k..8 * k + 8;
            gather(zero_bytes(word(&block[at.clone()]) ^ word(&other[at])))
        };
        same(0) | same(1) << 8
    }

    /// A word's byte flags (top bits) as a bit per byte: a multiplication moves bit `8k + 7`
    /// to bit `56 + k`, without carries.
    fn gather(flags: u64) -> u32 {
        ((flags >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Option<Vec<(&str, &str)>> {
        let mut seen = Vec::new();
        fields(text, |n, v| seen.push((n, v)))?;
        Some(seen)
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

    /// A text's last bytes are read through its last whole block: every length and alignment
    /// of its end, texts of whole blocks among them, reads all its fields.
    #[test]
    fn every_length_and_alignment_reads_to_the_last_byte() {
        for pad in 0..=3 * block::LEN {
            let x = "x".repeat(pad);
            let one = format!(r#"{{"A":"{x}"}}"#);
            let two = format!(r#"{{"A":"{x}","B":"1"}}"#);
            for text in [&one, &two] {
                assert!(compact_fields(text, &mut |_, _| {}).is_ok(), "{text}");
            }
            assert_eq!(pairs(&one), Some(vec![("A", x.as_str())]));
            assert_eq!(pairs(&two), Some(vec![("A", x.as_str()), ("B", "1")]));
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn both_block_readers_mark_the_same_bytes() {
        for (i, text) in [
            r#"{"EntityType":"Quote","Key":"1","Symbol":"AAPL","Bid":"189.12000"}"#.repeat(3),
            "\\\"\u{1f}\u{7f}ÿ\"\"\" \n\"a\"b\"c\"\u{0}x".repeat(6),
            "x".repeat(sse2::LEN) + "\"",
        ]
        .iter()
        .enumerate()
        {
            for start in 0..=text.len() - sse2::LEN {
                let b = &text.as_bytes()[start..start + sse2::LEN];
                let bytes = |mask: u64, bits: usize| -> Vec<usize> {
                    (0..64 / bits)
                        .filter(|k| mask >> (k * bits) & 1 << (bits - 1) != 0)
                        .collect()
                };
                let (mut words, mut words_bad) = (Vec::new(), false);
                for (k, chunk) in b.chunks(word::LEN).enumerate() {
                    let (w, bad) = word::marks(chunk);
                    words.extend(bytes(w, word::BITS).into_iter().map(|n| n + k * word::LEN));
                    words_bad |= bad;
                }
                let (s, sb) = sse2::marks(b);
                assert_eq!(
                    (bytes(s, sse2::BITS), sb),
                    (words, words_bad),
                    "{i} {start}"
                );
                // The sixteen-byte readers of `plain_end` and of a layout's openers.
                let b = &b[..16];
                assert_eq!(
                    sse2::sixteen_marks(b),
                    word::sixteen_marks(b),
                    "{i} {start}"
                );
                let other: [u8; 16] = text.as_bytes()[..16].try_into().unwrap();
                assert_eq!(
                    sse2::same_bytes(b, &other),
                    word::same_bytes(b, &other),
                    "{i} {start}"
                );
            }
        }
    }

    #[test]
    fn a_plain_string_ends_at_its_first_quote_wherever_it_falls() {
        for len in 0..40 {
            for pad in 0..20 {
                let x = "x".repeat(len);
                let p = "p".repeat(pad);
                let text = format!("{p}\"{x}\"}}");
                let from = pad + 1;
                assert_eq!(plain_end(text.as_bytes(), from), Some(from + len), "{text}");
                let bad = format!("{p}\"{x}\\\"}}");
                assert_eq!(plain_end(bad.as_bytes(), from), None, "{bad}");
                let open = format!("{p}\"{x}");
                assert_eq!(plain_end(open.as_bytes(), from), None, "{open}");
                let after = format!("{p}\"{x}\"\u{1}\\");
                assert_eq!(
                    plain_end(after.as_bytes(), from),
                    Some(from + len),
                    "{after}"
                );
            }
        }
    }
}
