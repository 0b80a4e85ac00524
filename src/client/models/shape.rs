//! A flat message read by the layout of one read before it. A streamer writes every message
//! of a kind with the same names in the same order and the same bytes between them, so once
//! one has been read field by field, the next is read by checking that the bytes between its
//! values are those of the layout (`{"EntityType":"` first, `","Key":"` after a value: sixteen
//! bytes compared at once) and finding each value's end a block of bytes at a time: no search
//! for quotes across the names, no name matched. A message that differs from the layout in any
//! byte outside its values is not read here: the field-by-field reader reads it, and its layout
//! is kept for the messages after it.

use super::scan::word;
use super::{flat, listing};

/// A field number that takes nothing: a name the reader does not read.
pub const SKIP: u8 = u8::MAX;

/// What takes a message's values by field number (`field` is `#[inline(always)]` in the
/// readers, so that it runs inside the walk).
pub trait Store<'a> {
    fn field(&mut self, field: u8, value: &'a str);
}

/// The layouts of the last two messages read field by field, the one read last first: a stream
/// whose messages come in two layouts (say, quotes of two kinds of security) is read by them
/// as one of a single layout is.
#[derive(Default)]
pub struct Shapes([Shape; 2]);

impl Shapes {
    /// Hands each value of `text` to `store` by its field number when `text` has one of the
    /// layouts kept (`Shape::read`); `None` otherwise. A layout tried first that does not read
    /// `text` may have handed `store` some of its first fields before it stopped: the same
    /// fields with the same values that the layout that reads `text` then hands over again
    /// (both follow the one way `text` divides into fields), so a store that keeps each field's
    /// last value ends as the field-by-field reader does.
    #[inline(always)]
    pub fn read<'a>(&mut self, text: &'a str, mut store: impl Store<'a>) -> Option<()> {
        if self.0[0].read(text, &mut store).is_some() {
            return Some(());
        }
        self.0[1].read(text, &mut store)?;
        self.0.swap(0, 1);
        Some(())
    }

    /// Keeps the layout of `text` (`Shape::learn`) in place of the one used longer ago.
    pub fn learn(&mut self, text: &str, field_of: impl Fn(&str) -> u8) {
        self.0.swap(0, 1);
        self.0[0].learn(text, field_of);
    }
}

impl<'a, S: Store<'a>> Store<'a> for &mut S {
    #[inline(always)]
    fn field(&mut self, field: u8, value: &'a str) {
        (**self).field(field, value);
    }
}

/// The layout of a flat message: the bytes before each value (from the previous value's
/// closing quote to this one's opening quote), each with the field number its value fills, and
/// the bytes after the last value. Empty until it is learned; reads nothing then.
#[derive(Default)]
pub struct Shape {
    openers: Vec<Opener>,
    /// The openers' bytes, one after another, then the tail's (kept when a layout is learned in
    /// this one's place).
    bytes: Vec<u8>,
    tail_at: usize,
    /// A tail of at most eight bytes (`"}` in the streamers' messages) as the last bytes of a
    /// word, and their mask: a text's last word is compared to it at once.
    tail_word: u64,
    tail_mask: u64,
}

struct Opener {
    /// Its first sixteen bytes (zeros past its end), and a bit for each of them.
    first: [u8; 16],
    mask: u32,
    /// Where its bytes are in the shape's `bytes` (all of them: for one longer than sixteen,
    /// or near the text's end), and how many.
    at: usize,
    len: usize,
    field: u8,
}

impl Opener {
    fn new(bytes: &[u8], at: usize, field: u8) -> Opener {
        let mut first = [0; 16];
        let n = bytes.len().min(16);
        first[..n].copy_from_slice(&bytes[..n]);
        Opener {
            first,
            mask: (1 << n) - 1,
            at,
            len: bytes.len(),
            field,
        }
    }

    /// Whether `b` has this opener (whose bytes `all` holds) at `at`.
    #[inline(always)]
    fn is_at(&self, all: &[u8], b: &[u8], at: usize) -> bool {
        let whole = || b[at..].starts_with(&all[self.at..self.at + self.len]);
        match b.get(at..at + 16) {
            Some(w) => {
                flat::same_bytes(w, &self.first) & self.mask == self.mask
                    && (self.len <= 16 || whole())
            }
            None => whole(),
        }
    }
}

impl Shape {
    /// Learns the layout of `text` when it is a flat message (`flat::fields`), each name given
    /// its number by `field_of`; otherwise, or when two names are given one number (a reader
    /// that refuses a field named twice has refused the message), becomes empty.
    pub fn learn(&mut self, text: &str, field_of: impl Fn(&str) -> u8) {
        self.openers.clear();
        self.bytes.clear();
        let b = text.as_bytes();
        let mut taken = [false; 256];
        let mut twice = false;
        // Where the bytes before the next value start: the last value's closing quote.
        let mut from = 0;
        let flat = flat::fields(text, |name: &str, value: &str| {
            let field = field_of(name);
            twice |= field != SKIP && std::mem::replace(&mut taken[usize::from(field)], true);
            let value = listing::span_of(text, value);
            let at = self.bytes.len();
            self.bytes.extend_from_slice(&b[from..value.start]);
            self.openers.push(Opener::new(&self.bytes[at..], at, field));
            from = value.end;
        });
        self.tail_at = self.bytes.len();
        self.bytes.extend_from_slice(&b[from..]);
        let tail = &b[from..];
        (self.tail_word, self.tail_mask) = match b.len().checked_sub(8) {
            Some(last) if tail.len() <= 8 => {
                let mask = u64::MAX
                    .checked_shl(8 * (8 - tail.len() as u32))
                    .unwrap_or(0);
                (word(&b[last..]) & mask, mask)
            }
            _ => (0, 0),
        };
        if flat.is_none() || twice {
            self.openers.clear();
        }
    }

    /// Hands each value of `text` to `store` by its field number when `text` has this layout,
    /// byte for byte outside its values, and its values have no quote, backslash or control
    /// character (so the field-by-field reader would have read the same fields); `None`
    /// otherwise (what `store` saw then means nothing).
    #[inline(always)]
    pub fn read<'a>(&self, text: &'a str, mut store: impl Store<'a>) -> Option<()> {
        let b = text.as_bytes();
        let mut at = 0;
        for o in &self.openers {
            if !o.is_at(&self.bytes, b, at) {
                return None;
            }
            let start = at + o.len;
            let end = flat::plain_end(b, start)?;
            if o.field != SKIP {
                // SAFETY: `start` follows an opener, which ends with a quote, and `end` is a
                // quote's place at or after it: both are character boundaries of `text`.
                store.field(o.field, unsafe { text.get_unchecked(start..end) });
            }
            at = end;
        }
        let tail = &self.bytes[self.tail_at..];
        let last = b.len().checked_sub(8).filter(|_| self.tail_mask != 0);
        let same_tail = match last {
            Some(last) => word(&b[last..]) & self.tail_mask == self.tail_word,
            None => b[at..] == *tail,
        };
        (!self.openers.is_empty() && b.len() - at == tail.len() && same_tail).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(name: &str) -> u8 {
        match name {
            "A" => 0,
            "Bid" => 1,
            "LongerThanSixteenBytes" => 2,
            _ => SKIP,
        }
    }

    fn learned(text: &str) -> Shape {
        let mut shape = Shape::default();
        shape.learn(text, number);
        shape
    }

    struct Seen(Vec<(u8, String)>);

    impl<'a> Store<'a> for Seen {
        fn field(&mut self, field: u8, value: &'a str) {
            self.0.push((field, value.to_owned()));
        }
    }

    fn read(shape: &Shape, text: &str) -> Option<Vec<(u8, String)>> {
        let mut seen = Seen(Vec::new());
        shape.read(text, &mut seen)?;
        Some(seen.0)
    }

    /// What the field-by-field reader gives for the fields `number` reads.
    fn walked(text: &str) -> Option<Vec<(u8, String)>> {
        let mut seen = Vec::new();
        flat::fields(text, |n: &str, v: &str| {
            if number(n) != SKIP {
                seen.push((number(n), v.to_owned()));
            }
        })?;
        Some(seen)
    }

    #[test]
    fn a_message_of_the_learned_layout_reads_as_the_walk_reads_it_and_no_other_does() {
        let compact = r#"{"EntityType":"Quote","A":"1","Bid":"189.34000","LongerThanSixteenBytes":"x","Date":"11/30/2026 14:30:05","Z":""}"#;
        let spaced = "{ \"EntityType\": \"Quote\", \"A\" :\"1\",\"Bid\": \"é\",\"Z\":\"\" }\n";
        for base in [compact, spaced] {
            let shape = learned(base);
            assert_eq!(read(&shape, base), walked(base));
            assert_eq!(
                read(&shape, base).map(|f| f.len()),
                Some(2 + usize::from(base == compact))
            );
            let (mut variants, mut read_by_layout) = (0, 0);
            // Every byte replaced by each character that matters, inserted, or dropped, and
            // every cut: whatever the layout reads, the walk reads the same.
            for at in (0..=base.len()).filter(|&at| base.is_char_boundary(at)) {
                let next = base[at..].chars().next().map_or(0, char::len_utf8);
                for c in [
                    "\"", "\\", ",", ":", "{", "}", " ", "\u{1}", "x", "7", "é", "",
                ] {
                    for skip in [0, next] {
                        let text = format!("{}{c}{}", &base[..at], &base[at + skip..]);
                        variants += 1;
                        if let Some(fields) = read(&shape, &text) {
                            read_by_layout += 1;
                            assert_eq!(Some(fields), walked(&text), "{text}");
                        }
                    }
                }
                let cut = &base[..at];
                assert!(at == base.len() || read(&shape, cut).is_none(), "{cut}");
            }
            assert!(variants > 1_000 && read_by_layout > 100, "{read_by_layout}");
        }
    }

    #[test]
    fn values_of_any_length_and_place_read_to_their_end() {
        for pad in 0..70 {
            let x = "9".repeat(pad);
            for text in [
                format!(r#"{{"A":"{x}"}}"#),
                format!(r#"{{"A":"{x}","Bid":"1"}}"#),
                format!(r#"{{"Bid":"1","A":"{x}"}}"#),
            ] {
                assert_eq!(read(&learned(&text), &text), walked(&text), "{text}");
            }
        }
        let shape = learned(r#"{"A":"12345","Bid":"1"}"#);
        let other = r#"{"A":"1","Bid":"1234567890123456789012345678901234567890"}"#;
        assert_eq!(read(&shape, other), walked(other));
    }

    #[test]
    fn only_flat_messages_with_a_field_at_most_once_are_learned() {
        let learns = |text: &str| !learned(text).openers.is_empty();
        assert!(learns(r#"{"A":"1", "Bid":"2"}"#));
        assert!(learns(r#"{"X":"1","X":"2"}"#));
        assert!(!learns(r#"{"A":"1","A":"2"}"#));
        assert!(!learns(r#"{"A":1}"#));
        assert!(!learns(r#"{"A":"\"1"}"#));
        assert!(!learns("{}"));
        assert_eq!(read(&Shape::default(), r#"{"A":"1"}"#), None);
        let mut shape = learned(r#"{"A":"1"}"#);
        shape.learn(r#"{"A":"1"} x"#, number);
        assert_eq!(
            read(&shape, r#"{"A":"1"}"#),
            None,
            "a failed lesson forgets"
        );
    }

    /// Random damage (one to three characters replaced, inserted or dropped) to messages of
    /// several layouts, two kept at a time and relearned now and then: whatever is read by
    /// layout, into a store that keeps each field's last value, the walk reads the same.
    #[test]
    fn randomly_damaged_messages_of_two_kept_layouts_read_as_the_walk_reads_them() {
        use std::collections::BTreeMap;
        struct Last(BTreeMap<u8, String>);
        impl<'a> Store<'a> for Last {
            fn field(&mut self, field: u8, value: &'a str) {
                self.0.insert(field, value.to_owned());
            }
        }
        let walked = |text: &str| {
            let (mut seen, mut twice) = (BTreeMap::new(), false);
            flat::fields(text, |n: &str, v: &str| {
                if number(n) != SKIP {
                    twice |= seen.insert(number(n), v.to_owned()).is_some();
                }
            })?;
            (!twice).then_some(seen)
        };
        let bases = [
            r#"{"EntityType":"Quote","A":"1","Bid":"189.34000","Date":"11/30/2026 14:30:05","Z":""}"#,
            "{ \"A\" : \"5\" ,\n\"Bid\":\"é1\",\t\"Long\":\"xxxxxxxxxxxxxxxxxxxxxxxx\" }  ",
            r#"{"LongerThanSixteenBytes":"1","Bid":"2"}"#,
        ];
        let alphabet: Vec<char> = "\"\\,:{} \u{1}x7é\n".chars().collect();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut random = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        let mut read_by_layout = 0;
        for (i, base) in bases.iter().enumerate() {
            let mut shapes = Shapes::default();
            shapes.learn(bases[(i + 1) % bases.len()], number);
            shapes.learn(base, number);
            for _ in 0..30_000 {
                let mut chars: Vec<char> = base.chars().collect();
                for _ in 0..1 + random(3) {
                    let at = random(chars.len() + 1);
                    let c = alphabet[random(alphabet.len())];
                    match (random(3), at < chars.len()) {
                        (0, true) => chars[at] = c,
                        (1, _) => chars.insert(at, c),
                        (_, true) => drop(chars.remove(at)),
                        _ => {}
                    }
                }
                let text: String = chars.into_iter().collect();
                let mut last = Last(BTreeMap::new());
                if shapes.read(&text, &mut last).is_some() {
                    read_by_layout += 1;
                    assert_eq!(Some(last.0), walked(&text), "{base} -> {text}");
                }
                if random(5) == 0 {
                    shapes.learn(&text, number);
                    shapes.learn(base, number);
                }
            }
        }
        assert!(read_by_layout > 5_000, "{read_by_layout}");
    }

    #[test]
    fn two_layouts_in_turn_are_both_kept_and_a_third_replaces_the_older() {
        let (one, two, three) = (r#"{"A":"1"}"#, r#"{"Bid":"2"}"#, r#"{"A":"3","Bid":"3"}"#);
        let mut shapes = Shapes::default();
        let by_layout =
            |shapes: &mut Shapes, text: &str| shapes.read(text, &mut Seen(Vec::new())).is_some();
        shapes.learn(one, number);
        shapes.learn(two, number);
        for text in [one, two, one, two, two, one] {
            assert!(by_layout(&mut shapes, text), "{text}");
        }
        // `one` was read last: `three` takes the place of `two`.
        shapes.learn(three, number);
        assert!(by_layout(&mut shapes, one) && by_layout(&mut shapes, three));
        assert!(!by_layout(&mut shapes, two));
    }
}
