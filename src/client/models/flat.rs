//! The streamers' messages are flat JSON objects whose values are all strings, almost never
//! escaped. Such a message is read here in one pass without serde (a quote stream delivers a
//! million of them a second); anything else (an escape, a number, a nested value) is left to the
//! general reader, which then gives the same values or the same error.

/// Hands each `"name":"value"` pair of `text` to `each`, in order, when `text` is one flat JSON
/// object of unescaped strings; `None` when it is not (what `each` saw then means nothing).
pub fn fields<'a>(text: &'a str, mut each: impl FnMut(&'a str, &'a str)) -> Option<()> {
    let b = text.as_bytes();
    let mut i = space(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = space(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return (space(b, i + 1) == b.len()).then_some(());
    }
    loop {
        let (name, end) = string(text, i)?;
        i = space(b, end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let (value, end) = string(text, space(b, i + 1))?;
        each(name, value);
        i = space(b, end);
        match b.get(i) {
            Some(b',') => i = space(b, i + 1),
            Some(b'}') => return (space(b, i + 1) == b.len()).then_some(()),
            _ => return None,
        }
    }
}

/// The string whose opening quote is at `at`, when it holds no escape (nor a control character,
/// which JSON forbids there), and where it ends.
fn string(text: &str, at: usize) -> Option<(&str, usize)> {
    let b = text.as_bytes();
    if b.get(at) != Some(&b'"') {
        return None;
    }
    let start = at + 1;
    let len = to_special(&b[start..])?;
    (b[start + len] == b'"').then(|| (&text[start..start + len], start + len + 1))
}

/// Where the first quote, backslash or control character of `b` is: what ends a JSON string's
/// plain run. Eight bytes at a time: in each test below, the lowest flagged byte is the first
/// byte that matches (flags above it may be false), so the lowest flag of all is the answer.
pub fn to_special(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |w: u64, n: u64| w.wrapping_sub(ONES * n) & !w & HIGH;
    let mut chunks = b.chunks_exact(8);
    for (i, chunk) in chunks.by_ref().enumerate() {
        let w = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let flags = below(w ^ (ONES * u64::from(b'"')), 1)
            | below(w ^ (ONES * u64::from(b'\\')), 1)
            | below(w, 0x20);
        if flags != 0 {
            return Some(i * 8 + flags.trailing_zeros() as usize / 8);
        }
    }
    let rest = chunks.remainder();
    let at = rest
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
    Some(b.len() - rest.len() + at)
}

/// Past JSON's white space (space, tab, line feed, carriage return) from `i`.
fn space(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
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
}
