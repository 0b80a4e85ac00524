//! What the streamers send that REST does not: quotes (every value a string, `Date` as
//! `MM/DD/YYYY HH:MM:SS`), balances whose `Items` is a JSON-encoded string, and watchlist
//! content changes.

use super::flat;
use super::portfolio::Balances;
use super::scan::Seen;
use super::shape::{SKIP, Shapes, Store};
use super::{convert, digits, time};
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Quote<'a> {
    /// The security id the quote was subscribed by.
    #[serde(
        rename = "Key",
        deserialize_with = "convert::int",
        default = "convert::minus_one"
    )]
    pub security_id: i64,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub symbol: Cow<'a, str>,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub bid: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub ask: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub last: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub bid_size: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub ask_size: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub volume: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub open: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub high: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub low: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub close: f64,
    #[serde(rename = "Date", deserialize_with = "convert::instant_ms", default)]
    pub time_ms: i64,
}

impl<'a> Quote<'a> {
    /// The quote of a flat message (every value an unescaped string, as the streamers send), read
    /// without serde; `None` for any other message, which the general reader then reads. Each
    /// field reads as the general reader reads it; a field named twice is left to it as well
    /// (it refuses the message).
    pub fn flat(text: &'a str) -> Option<Quote<'a>> {
        let mut reading = Reading {
            q: Quote::unset(),
            text,
            seen: Seen::default(),
            twice: false,
        };
        flat::fields(text, &mut reading)?;
        (!reading.twice).then_some(reading.q)
    }

    /// `flat`, by the layout of a quote read before when `text` has it (a streamer writes its
    /// quotes alike); otherwise field by field, and `memory` learns the layout of `text`.
    pub fn flat_by(text: &'a str, memory: &mut Memory) -> Option<Quote<'a>> {
        let mut by_shape = ByShape {
            q: Quote::unset(),
            text,
            date: &mut memory.date,
        };
        if memory.shapes.read(text, &mut by_shape).is_some() {
            return Some(by_shape.q);
        }
        let q = Quote::flat(text)?;
        memory.shapes.learn(text, field_of);
        Some(q)
    }

    fn unset() -> Quote<'a> {
        Quote {
            security_id: -1,
            symbol: Cow::Borrowed(""),
            bid: f64::NAN,
            ask: f64::NAN,
            last: f64::NAN,
            bid_size: f64::NAN,
            ask_size: f64::NAN,
            volume: f64::NAN,
            open: f64::NAN,
            high: f64::NAN,
            low: f64::NAN,
            close: f64::NAN,
            time_ms: 0,
        }
    }

    /// Reads `value` (a slice of `text`) into field number `field` (`field_of`); a date through
    /// `instant` (`time::instant_ms`, or what a stream kept of its last date).
    #[inline(always)]
    fn set(&mut self, field: u8, text: &'a str, value: &'a str, instant: impl FnOnce(&str) -> i64) {
        let num = || digits::decimal(text, value);
        match field {
            0 => self.security_id = convert::parse_int(value),
            1 => self.symbol = Cow::Borrowed(value),
            2 => self.bid = num(),
            3 => self.ask = num(),
            4 => self.last = num(),
            5 => self.bid_size = num(),
            6 => self.ask_size = num(),
            7 => self.volume = num(),
            8 => self.open = num(),
            9 => self.high = num(),
            10 => self.low = num(),
            11 => self.close = num(),
            DATE => self.time_ms = instant(value),
            _ => {}
        }
    }
}

/// `Date`'s field number.
const DATE: u8 = 12;

/// The number of the quote field a streamed name fills (`shape::SKIP`: none).
#[inline(always)]
fn field_of(name: &str) -> u8 {
    // Byte patterns: compared as integers, not through `memcmp`.
    match name.as_bytes() {
        b"Key" => 0,
        b"Symbol" => 1,
        b"Bid" => 2,
        b"Ask" => 3,
        b"Last" => 4,
        b"BidSize" => 5,
        b"AskSize" => 6,
        b"Volume" => 7,
        b"Open" => 8,
        b"High" => 9,
        b"Low" => 10,
        b"Close" => 11,
        b"Date" => DATE,
        _ => SKIP,
    }
}

/// A flat quote being read, a field at a time.
struct Reading<'a> {
    q: Quote<'a>,
    text: &'a str,
    seen: Seen,
    /// A field came twice (the general reader refuses such a message).
    twice: bool,
}

impl<'a> flat::Each<'a> for &mut Reading<'a> {
    #[inline(always)]
    fn field(&mut self, name: &'a str, value: &'a str) {
        let field = field_of(name);
        if field != SKIP {
            self.twice |= !self.seen.first(u32::from(field));
            self.q.set(field, self.text, value, time::instant_ms);
        }
    }
}

/// What a stream keeps of its quotes to read the next ones with less work: the layouts of the
/// last two, and the last date (a second's quotes carry the same one).
#[derive(Default)]
pub struct Memory {
    shapes: Shapes,
    date: time::LastInstant,
}

/// A flat quote being read by a learned layout, whose fields come at most once each.
struct ByShape<'a, 'm> {
    q: Quote<'a>,
    text: &'a str,
    date: &'m mut time::LastInstant,
}

impl<'a> Store<'a> for ByShape<'a, '_> {
    #[inline(always)]
    fn field(&mut self, field: u8, value: &'a str) {
        let date = &mut *self.date;
        self.q.set(field, self.text, value, |v| date.ms(v));
    }
}

/// An `AccountBalance` or `UserBalance` message: `Items` is a JSON-encoded string of
/// `[{"Name":"cash","Value":"..."},...]`, read into the same map as REST balances.
#[derive(Debug, Clone, Deserialize)]
pub struct StreamedBalances<'a> {
    #[serde(borrow, rename = "Items", deserialize_with = "convert::text", default)]
    items: Cow<'a, str>,
}

impl StreamedBalances<'_> {
    /// The balances; an `Items` that is not the documented list reads as no balances.
    pub fn balances(&self) -> Balances<'static> {
        #[derive(Deserialize)]
        struct Entry<'a> {
            #[serde(borrow, rename = "Name", deserialize_with = "convert::text", default)]
            name: Cow<'a, str>,
            #[serde(
                rename = "Value",
                deserialize_with = "convert::num",
                default = "convert::nan"
            )]
            value: f64,
        }
        let entries: Vec<Entry> = serde_json::from_str(&self.items).unwrap_or_default();
        Balances {
            values: entries
                .into_iter()
                .map(|e| (Cow::Owned(e.name.into_owned()), e.value))
                .collect(),
        }
    }
}

/// A `WatchlistContent` message: tickers added to or removed from a list.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct WatchlistContent<'a> {
    #[serde(
        rename = "Key",
        deserialize_with = "convert::int",
        default = "convert::minus_one"
    )]
    pub watchlist_id: i64,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    added_symbols: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    removed_symbols: Cow<'a, str>,
}

impl WatchlistContent<'_> {
    /// The tickers added, joined by `;` (`""` when none; the broker writes `"null"`).
    pub fn added(&self) -> String {
        symbols(&self.added_symbols)
    }

    pub fn removed(&self) -> String {
        symbols(&self.removed_symbols)
    }
}

/// A symbol list as the broker writes it (`"AAPL,MSFT"`, `"AAPL;MSFT"`, `"null"`), joined by `;`.
fn symbols(text: &str) -> String {
    if text.trim().eq_ignore_ascii_case("null") {
        return String::new();
    }
    text.split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(";")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::models::listing;

    /// Every field of a quote, NaN included, for comparing two readings.
    fn fields(q: &Quote) -> (i64, String, Vec<u64>, i64) {
        let nums = [
            q.bid, q.ask, q.last, q.bid_size, q.ask_size, q.volume, q.open, q.high, q.low, q.close,
        ];
        let bits = nums.iter().map(|n| n.to_bits()).collect();
        (q.security_id, q.symbol.to_string(), bits, q.time_ms)
    }

    #[test]
    fn a_flat_quote_reads_as_the_general_reader_reads_it() {
        let base = r#"{"EntityType":"Quote","Key":"1014","Symbol":"MSFT","Bid":"235.06830","Ask":"235.08830","Last":"235.07","BidSize":"300","AskSize":"100","Volume":"1200345","Open":"233.5","High":"236.25000","Low":"232.00000","Close":"234.10000","Date":"11/30/2026 14:30:05","SimSentNs":"1796000000000000000"}"#;
        assert!(
            Quote::flat(base).is_some(),
            "the streamers' shape is read flat"
        );
        // (what changes, whether the message is still flat)
        let mut variants = vec![(base.to_owned(), true)];
        for (from, to, flat) in [
            (r#""235.06830""#, r#"" 235.0683 ""#, true),
            (r#""235.06830""#, r#""-0.000001""#, true),
            (r#""235.06830""#, r#""1e3""#, true),
            (r#""235.06830""#, r#""12345678901234567.5""#, true),
            (r#""235.06830""#, r#""n/a""#, true),
            (r#""235.06830""#, r#""""#, true),
            (r#""1014""#, r#""1014.0""#, true),
            (r#""1014""#, r#""x""#, true),
            (r#""11/30/2026 14:30:05""#, r#""1796000000000""#, true),
            (
                r#""11/30/2026 14:30:05""#,
                r#""0001-01-01T00:00:00Z""#,
                true,
            ),
            (r#""Close":"234.10000","#, "", true),
            (",", " ,\n", true),
            (r#""235.06830""#, "235.0683", false),
            (r#""MSFT""#, r#""MS\"FT""#, false),
            (r#""1014""#, "null", false),
            (
                r#""Close":"234.10000""#,
                r#""Close":"234.1","Close":"1""#,
                false,
            ),
            (
                r#""Volume":"1200345","#,
                r#""Volume":"1200345","X":{"A":"1"},"#,
                false,
            ),
            ("}", "} x", false),
        ] {
            variants.push((base.replacen(from, to, 1), flat));
        }
        for (text, is_flat) in &variants {
            let general = listing::one::<Quote>(text).map(|l| fields(&l.items[0].value));
            match Quote::flat(text) {
                Some(q) => assert_eq!(Ok(fields(&q)), general.map_err(|_| ()), "{text}"),
                None => assert!(!is_flat, "read flat: {text}"),
            }
        }
    }

    /// Damaged quotes (a byte dropped, doubled or replaced): whatever is read flat, serde
    /// accepts and reads the same.
    #[test]
    fn a_damaged_quote_read_flat_is_one_serde_reads_the_same() {
        let base = r#"{"EntityType":"Quote","Key":"1014","Symbol":"MSFT","Bid":"235.06830","Ask":"235.08830","Volume":"1200345","Date":"11/30/2026 14:30:05"}"#;
        let mut flat = 0;
        for text in crate::client::models::damaged(base, b"\"\\{}[],:0-.5 \x01", 20_000) {
            if let Some(q) = Quote::flat(&text) {
                flat += 1;
                let general = listing::one::<Quote>(&text)
                    .unwrap_or_else(|e| panic!("serde refuses what was read flat: {e}: {text}"));
                assert_eq!(fields(&q), fields(&general.items[0].value), "{text}");
            }
        }
        assert!(flat > 1_000, "{flat}: the damage is not always fatal");
    }

    /// Quotes read by the layout of one before them read as field by field: the streamers'
    /// quote and damaged copies of it, with the layout of the undamaged one kept in turn.
    #[test]
    fn a_quote_read_by_a_learned_layout_reads_as_field_by_field() {
        let base = r#"{"EntityType":"Quote","Key":"1014","Symbol":"MSFT","Bid":"235.06830","Ask":"235.08830","Last":"235.07","BidSize":"300","AskSize":"100","Volume":"1200345","Open":"233.5","High":"236.25000","Low":"232.00000","Close":"234.10000","Date":"11/30/2026 14:30:05","SimSentNs":"1796000000000000000"}"#;
        let mut memory = Memory::default();
        let by_layout = |text: &str, memory: &mut Memory| {
            let mut reading = ByShape {
                q: Quote::unset(),
                text,
                date: &mut memory.date,
            };
            memory
                .shapes
                .read(text, &mut reading)
                .map(|()| fields(&reading.q))
        };
        assert_eq!(by_layout(base, &mut memory), None, "nothing learned yet");
        let first = Quote::flat_by(base, &mut memory).map(|q| fields(&q));
        assert_eq!(first, Quote::flat(base).map(|q| fields(&q)));
        assert_eq!(by_layout(base, &mut memory), first, "learned");
        let mut read_by_layout = 0;
        for text in crate::client::models::damaged(base, b"\"\\{}[],:0-.5 \x01", 20_000) {
            let flat = Quote::flat(&text).map(|q| fields(&q));
            if let Some(q) = by_layout(&text, &mut memory) {
                read_by_layout += 1;
                assert_eq!(Some(q), flat, "{text}");
            }
            assert_eq!(Quote::flat_by(&text, &mut memory).map(|q| fields(&q)), flat);
            Quote::flat_by(base, &mut memory);
        }
        assert!(read_by_layout > 5_000, "{read_by_layout}");
    }

    #[test]
    fn streamed_shapes() {
        let q = r#"{"EntityType":"Quote","Key":"5","Symbol":"AAPL","Bid":"189.50000","Ask":"189.52000",
            "Last":"189.51","BidSize":"300","AskSize":"100","Volume":"120000","Open":"188","High":"190",
            "Low":"187.5","Close":"188.2","Date":"08/20/2015 20:00:00"}"#;
        let q = &listing::one::<Quote>(q).unwrap().items[0].value;
        assert_eq!(
            (q.security_id, q.symbol.as_ref(), q.bid, q.ask),
            (5, "AAPL", 189.5, 189.52)
        );
        assert_eq!(
            (q.bid_size, q.volume, q.time_ms),
            (300.0, 120000.0, 1_440_100_800_000)
        );

        let b = r#"{"EntityType":"AccountBalance","Key":"1001",
            "Items":"[{\"Name\":\"cash\",\"Value\":\"100.05700775140829844330933239\"},{\"Name\":\"netCash\",\"Value\":\"99\"}]"}"#;
        let b = listing::one::<StreamedBalances>(b).unwrap().items[0]
            .value
            .balances();
        assert!((b.get("cash") - 100.057_007_751_408_3).abs() < 1e-9);
        assert_eq!(b.get("netCash"), 99.0);
        let odd = listing::one::<StreamedBalances>(r#"{"Items":"not a list"}"#).unwrap();
        assert!(odd.items[0].value.balances().values.is_empty());

        let w = r#"{"EntityType":"WatchlistContent","Key":"17","AddedSymbols":"AAPL,MSFT","RemovedSymbols":"null"}"#;
        let w = &listing::one::<WatchlistContent>(w).unwrap().items[0].value;
        assert_eq!(
            (w.watchlist_id, w.added(), w.removed()),
            (17, "AAPL;MSFT".into(), String::new())
        );
    }
}
