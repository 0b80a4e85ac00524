//! Answers that hold items: a bare array, the paged shape `{Result, NextPageLink,
//! PreviousPageLink, TotalCount}`, or one object. Each item is read once, typed, and keeps the
//! span of its own JSON in the answer, so nothing the broker sent is lost to the caller.

use crate::client::error::{Error, ErrorKind, Result};
use serde::Deserialize;
use serde::de::IgnoredAny;
use std::borrow::Cow;

/// The items of one answer, with the paging facts.
#[derive(Debug)]
pub struct Listing<'a, T> {
    pub items: Vec<Item<'a, T>>,
    /// The broker's `TotalCount` for a page; the number of items otherwise.
    pub total_count: i64,
    /// The `pageNumber` of the next page, or -1 when there is none.
    pub next_page: i32,
}

/// One item and its own JSON object, as the broker wrote it.
#[derive(Debug)]
pub struct Item<'a, T> {
    pub value: T,
    pub json: &'a str,
}

impl<'a, T> Listing<'a, T> {
    /// Items that are the whole answer: no paging.
    pub fn of(items: Vec<Item<'a, T>>) -> Self {
        Listing {
            total_count: items.len() as i64,
            next_page: -1,
            items,
        }
    }
}

/// Reads an answer whose items are `T`: an array, a page, or a single object (one item).
pub fn read<'a, T: Deserialize<'a>>(body: &'a str) -> Result<Listing<'a, T>> {
    let mut items = Vec::new();
    let paging = read_each(body, |value, json| items.push(Item { value, json }))?;
    Ok(Listing {
        total_count: paging.total_count.unwrap_or(items.len() as i64),
        next_page: paging.next_page,
        items,
    })
}

/// What a page says of the listing beyond its items.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paging {
    /// The broker's `TotalCount`, when the answer is a page that gives one.
    pub total_count: Option<i64>,
    /// The `pageNumber` of the next page, or -1.
    pub next_page: i32,
}

/// Reads an answer as `read` does, handing each item and its JSON to `each` as soon as it is
/// read: a caller that converts items (the C layer) holds one list, not two. On an error some
/// items may have been handed over already.
pub fn read_each<'a, T: Deserialize<'a>>(
    body: &'a str,
    each: impl FnMut(T, &'a str),
) -> Result<Paging> {
    read_each_with(body, None, each)
}

/// A fast reader of one item at a position (`Order::scan`): the item and where it ends, or
/// `None` to leave it to serde.
pub type Fast<'a, T> = fn(&'a str, usize) -> Option<(T, usize)>;

/// `read_each`, each item tried with `fast` first.
pub fn read_each_with<'a, T: Deserialize<'a>>(
    body: &'a str,
    fast: Option<Fast<'a, T>>,
    mut each: impl FnMut(T, &'a str),
) -> Result<Paging> {
    let start = skip_space(body, 0);
    let unpaged = Paging {
        total_count: None,
        next_page: -1,
    };
    match body.as_bytes().get(start) {
        Some(b'[') => {
            let end = array_each(body, start, fast, &mut each)?;
            finish(body, end)?;
            Ok(unpaged)
        }
        Some(b'{') => match page(body, start, fast, &mut each)? {
            Some(paging) => Ok(paging),
            None => {
                let (value, end) = item_at(body, start, fast)?;
                finish(body, end)?;
                each(value, body[start..end].trim_end());
                Ok(unpaged)
            }
        },
        _ => Err(bad("expected a JSON array or object")),
    }
}

/// Reads an answer that is one object.
pub fn one<'a, T: Deserialize<'a>>(body: &'a str) -> Result<Listing<'a, T>> {
    let start = skip_space(body, 0);
    let (value, end) = value_at::<T>(body, start)?;
    let json = body[start..end].trim_end();
    finish(body, end)?;
    Ok(Listing::of(vec![Item { value, json }]))
}

/// Reads the items of the array at `at`; gives them and where the array ends.
pub fn array<'a, T: Deserialize<'a>>(
    text: &'a str,
    at: usize,
) -> Result<(Vec<Item<'a, T>>, usize)> {
    let mut items = Vec::new();
    let end = array_each(text, at, None, &mut |value, json| {
        items.push(Item { value, json })
    })?;
    Ok((items, end))
}

/// Hands each item of the array at `at` to `each`; gives where the array ends.
fn array_each<'a, T: Deserialize<'a>>(
    text: &'a str,
    at: usize,
    fast: Option<Fast<'a, T>>,
    each: &mut impl FnMut(T, &'a str),
) -> Result<usize> {
    let b = text.as_bytes();
    let mut pos = skip_space(text, at + 1);
    if b.get(pos) == Some(&b']') {
        return Ok(pos + 1);
    }
    loop {
        let start = pos;
        let (value, end) = item_at(text, start, fast)?;
        each(value, &text[start..end]);
        pos = skip_space(text, end);
        match b.get(pos) {
            Some(b',') => pos = skip_space(text, pos + 1),
            Some(b']') => return Ok(pos + 1),
            _ => return Err(bad("an array is not closed")),
        }
    }
}

/// The paged shape, its items handed to `each` (those of the first `Result` array), or `None`
/// when the object at `at` has no `Result` array: then nothing was handed over.
fn page<'a, T: Deserialize<'a>>(
    text: &'a str,
    at: usize,
    fast: Option<Fast<'a, T>>,
    each: &mut impl FnMut(T, &'a str),
) -> Result<Option<Paging>> {
    let b = text.as_bytes();
    let mut pos = skip_space(text, at + 1);
    let (mut paged, mut total, mut next) = (false, None, -1);
    if b.get(pos) != Some(&b'}') {
        loop {
            let (key, end) = string_at(text, pos)?;
            pos = skip_space(text, end);
            if b.get(pos) != Some(&b':') {
                return Err(bad("an object key has no value"));
            }
            pos = skip_space(text, pos + 1);
            pos = match key.as_ref() {
                "Result" if b.get(pos) == Some(&b'[') && !paged => {
                    paged = true;
                    array_each(text, pos, fast, each)?
                }
                "TotalCount" => {
                    let (count, end) = value_at::<serde_json::Value>(text, pos)?;
                    total = count.as_i64().or_else(|| count.as_f64().map(|f| f as i64));
                    end
                }
                "NextPageLink" => {
                    let (link, end) = value_at::<Option<Cow<str>>>(text, pos)?;
                    next = link.as_deref().map_or(-1, next_page_of);
                    end
                }
                _ => value_at::<IgnoredAny>(text, pos)?.1,
            };
            pos = skip_space(text, pos);
            match b.get(pos) {
                Some(b',') => pos = skip_space(text, pos + 1),
                Some(b'}') => break,
                _ => return Err(bad("an object is not closed")),
            }
        }
    }
    finish(text, pos + 1)?;
    Ok(paged.then_some(Paging {
        total_count: total,
        next_page: next,
    }))
}

/// Where the value of the top-level field `name` of the object answer `text` starts, if it has
/// that field; the whole answer is checked to be one JSON object.
pub fn field(text: &str, name: &str) -> Result<Option<usize>> {
    let b = text.as_bytes();
    let at = skip_space(text, 0);
    if b.get(at) != Some(&b'{') {
        return Err(bad("expected a JSON object"));
    }
    let mut pos = skip_space(text, at + 1);
    let mut found = None;
    if b.get(pos) != Some(&b'}') {
        loop {
            let (key, end) = string_at(text, pos)?;
            pos = skip_space(text, end);
            if b.get(pos) != Some(&b':') {
                return Err(bad("an object key has no value"));
            }
            pos = skip_space(text, pos + 1);
            if key == name && found.is_none() {
                found = Some(pos);
            }
            pos = skip_space(text, value_at::<IgnoredAny>(text, pos)?.1);
            match b.get(pos) {
                Some(b',') => pos = skip_space(text, pos + 1),
                Some(b'}') => break,
                _ => return Err(bad("an object is not closed")),
            }
        }
    }
    finish(text, pos + 1)?;
    Ok(found)
}

/// Where `part`, a slice of `text`, lies in it.
pub fn span_of(text: &str, part: &str) -> std::ops::Range<usize> {
    let start = part.as_ptr() as usize - text.as_ptr() as usize;
    start..start + part.len()
}

/// How long the JSON value at `at` is.
pub fn span_of_value(text: &str, at: usize) -> Result<usize> {
    Ok(value_at::<IgnoredAny>(text, at)?.1 - at)
}

/// The first top-level fields of the object `text`, in order, until `visit` has what it wants
/// (it returns `false`): each field's name and the text of its value when that value is a
/// string (`None` otherwise). What follows is not read, so not checked: a reader that needs
/// the whole object parses it later.
pub fn leading_fields<'a>(
    text: &'a str,
    mut visit: impl FnMut(&str, Option<Cow<'a, str>>) -> bool,
) -> Result<()> {
    let b = text.as_bytes();
    let at = skip_space(text, 0);
    if b.get(at) != Some(&b'{') {
        return Err(bad("expected a JSON object"));
    }
    let mut pos = skip_space(text, at + 1);
    while b.get(pos) == Some(&b'"') {
        let (key, end) = string_at(text, pos)?;
        pos = skip_space(text, end);
        if b.get(pos) != Some(&b':') {
            return Err(bad("an object key has no value"));
        }
        pos = skip_space(text, pos + 1);
        let (value, end) = if b.get(pos) == Some(&b'"') {
            let (v, end) = string_at(text, pos)?;
            (Some(v), end)
        } else {
            (None, value_at::<IgnoredAny>(text, pos)?.1)
        };
        if !visit(&key, value) {
            return Ok(());
        }
        pos = skip_space(text, end);
        if b.get(pos) == Some(&b',') {
            pos = skip_space(text, pos + 1);
        }
    }
    Ok(())
}

/// The JSON string at `at` (its opening quote): borrowed from `text` when it holds no escape,
/// as keys and the streamers' values almost never do; where it ends.
pub fn string_at(text: &str, at: usize) -> Result<(Cow<'_, str>, usize)> {
    let b = text.as_bytes();
    let body = at + 1;
    match super::scan::to_special(&b[body.min(b.len())..]) {
        Some(n) if b[body + n] == b'"' => Ok((Cow::Borrowed(&text[body..body + n]), body + n + 1)),
        Some(n) if b[body + n] != b'\\' => Err(bad("a control character in a string")),
        _ => value_at::<String>(text, at).map(|(s, end)| (Cow::Owned(s), end)),
    }
}

/// The `pageNumber` of a next-page link, or -1 (an empty link: this is the last page).
pub fn next_page_of(link: &str) -> i32 {
    let query = link.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .find_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            name.eq_ignore_ascii_case("pageNumber")
                .then(|| value.parse().ok())
                .flatten()
        })
        .unwrap_or(-1)
}

/// The item at `at` (by `fast` when it can), and where it ends.
fn item_at<'a, T: Deserialize<'a>>(
    text: &'a str,
    at: usize,
    fast: Option<Fast<'a, T>>,
) -> Result<(T, usize)> {
    match fast.and_then(|f| f(text, at)) {
        Some(read) => Ok(read),
        None => value_at(text, at),
    }
}

/// One JSON value at `at`, and where it ends.
fn value_at<'a, T: Deserialize<'a>>(text: &'a str, at: usize) -> Result<(T, usize)> {
    let mut stream = serde_json::Deserializer::from_str(&text[at..]).into_iter::<T>();
    match stream.next() {
        Some(Ok(value)) => Ok((value, at + stream.byte_offset())),
        Some(Err(e)) => Err(bad(&e.to_string())),
        None => Err(bad("the answer ends early")),
    }
}

pub fn skip_space(text: &str, mut at: usize) -> usize {
    let b = text.as_bytes();
    while b.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// Only white space may follow the answer's value.
fn finish(text: &str, end: usize) -> Result<()> {
    if skip_space(text, end) == text.len() {
        Ok(())
    } else {
        Err(bad("text after the JSON value"))
    }
}

/// A garbled answer: a protocol error that a GET may retry.
fn bad(why: &str) -> Error {
    Error::new(
        ErrorKind::Protocol,
        format!("bad answer: the body is not the JSON expected ({why})"),
    )
    .garbled()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn ids(listing: &Listing<'_, Value>) -> Vec<i64> {
        listing
            .items
            .iter()
            .map(|i| i.value["Id"].as_i64().unwrap())
            .collect()
    }

    #[test]
    fn pages_arrays_and_single_objects_give_items_with_their_own_json() {
        let page = r#"{"NextPageLink":"https://x/api/v1.0/accounts/1/orders?pageNumber=3&pageSize=2",
            "Result":[ {"Id":1,"S":"a\"b"} , {"Id":2,"Nested":{"Result":[9]}}],
            "PreviousPageLink":"","TotalCount":57}"#;
        let l = read::<Value>(page).unwrap();
        assert_eq!(ids(&l), [1, 2]);
        assert_eq!((l.total_count, l.next_page), (57, 3));
        assert_eq!(l.items[0].json, r#"{"Id":1,"S":"a\"b"}"#);
        assert_eq!(l.items[1].json, r#"{"Id":2,"Nested":{"Result":[9]}}"#);

        let last = read::<Value>(r#"{"Result":[],"NextPageLink":"","TotalCount":0}"#).unwrap();
        assert_eq!(
            (last.items.len(), last.total_count, last.next_page),
            (0, 0, -1)
        );

        let array = read::<Value>(" [{\"Id\":5}]\n").unwrap();
        assert_eq!(
            (ids(&array), array.total_count, array.next_page),
            (vec![5], 1, -1)
        );

        let object = read::<Value>(r#"{"Id":7,"Result":"not an array"}"#).unwrap();
        assert_eq!(ids(&object), [7]);
        assert_eq!(object.items[0].json, r#"{"Id":7,"Result":"not an array"}"#);
    }

    #[test]
    fn items_are_handed_over_in_order_as_they_are_read() {
        let mut seen = Vec::new();
        let page =
            r#"{"TotalCount":9,"Result":[{"Id":1},{"Id":2}],"NextPageLink":"x?pageNumber=2"}"#;
        let paging = read_each(page, |v: Value, json| seen.push((v["Id"].as_i64(), json))).unwrap();
        assert_eq!(seen, [(Some(1), r#"{"Id":1}"#), (Some(2), r#"{"Id":2}"#)]);
        assert_eq!(
            paging,
            Paging {
                total_count: Some(9),
                next_page: 2
            }
        );
        let mut one = Vec::new();
        let paging = read_each(r#"{"Id":3} "#, |v: Value, json| one.push((v, json))).unwrap();
        assert_eq!((one.len(), one[0].1), (1, r#"{"Id":3}"#));
        assert_eq!(paging.total_count, None);
        assert!(read_each(r#"[{"Id":1},"#, |_: Value, _| {}).is_err());
    }

    #[test]
    fn a_cut_or_garbled_answer_is_a_retryable_protocol_error() {
        for body in [
            r#"{"Result":[{"Id":1},{"Id":2"#,
            r#"[{"Id":1},"#,
            r#"{"Result":[{"Id":1}] "TotalCount":1}"#,
            "[1] x",
            "<html>",
            "",
            r#"{"Id":1"#,
        ] {
            let e = read::<Value>(body).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Protocol, "{body}");
            assert!(e.is_garbled());
        }
    }

    #[test]
    fn next_page_links() {
        assert_eq!(next_page_of("https://h/api/x?pageNumber=1&pageSize=2"), 1);
        assert_eq!(next_page_of("https://h/api/x?pageSize=2&PageNumber=12"), 12);
        assert_eq!(next_page_of(""), -1);
        assert_eq!(next_page_of("https://h/api/x?pageSize=2"), -1);
    }
}
