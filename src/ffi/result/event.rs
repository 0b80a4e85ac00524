//! A stream event as a one-item result: a quote the streamers' flat way is made in the
//! message's own buffer, every other event through the general readers.

use super::{
    BalancesItem, ETNA_KIND_QUOTE, ETNA_KIND_USER_BALANCE, EtnaResult, Items, Read, convert,
};
use crate::client;
use crate::client::models::quote::Memory;
use crate::client::models::{self, listing};
use crate::client::stream::{Entity, Event, ROOM};
use crate::ffi::arena::Arena;
use crate::ffi::models::*;
use std::ptr;
use std::sync::OnceLock;

impl EtnaResult {
    /// A stream event as a one-item result. `quotes` is what the stream keeps of its quotes
    /// (`Quote::flat_by`); `symbol` names a quote's security by its id when the message does
    /// not (asked only then). A message the caller's thread read is taken over; a pooled one
    /// (read by the I/O thread) is copied, and the event handed to `give_back`, so that this
    /// result's memory is the caller's own.
    pub(crate) fn from_event(
        event: Event,
        quotes: &mut Memory,
        symbol: impl Fn(i64) -> String,
        give_back: impl FnOnce(Event),
    ) -> client::Result<EtnaResult> {
        let mut a = Arena::default();
        let (json, entity) = match event {
            Event::State(s) => {
                let json = serde_json::json!({
                    "State": format!("{:?}", s.state),
                    "Reason": s.reason,
                    "GapFromMs": s.gap_from_ms,
                    "GapToMs": s.gap_to_ms,
                })
                .to_string();
                let item = EtnaStreamState {
                    struct_size: std::mem::size_of::<EtnaStreamState>() as u32,
                    state: s.state as i32,
                    reason: a.text(&s.reason),
                    gap_from_ms: s.gap_from_ms,
                    gap_to_ms: s.gap_to_ms,
                    json: ptr::null(),
                };
                let read = Read {
                    items: Items::StreamState(vec![item]),
                    spans: std::iter::once(0..json.len()).collect(),
                    total_count: 1,
                    next_page: -1,
                };
                return Ok(EtnaResult::made(read, json, a));
            }
            Event::Data {
                json,
                entity,
                pooled: false,
                ..
            } => (json, entity),
            pooled @ Event::Data { .. } => {
                let Event::Data { json, entity, .. } = &pooled else {
                    unreachable!("matched as data")
                };
                let mut copy = String::with_capacity(json.len() + ROOM);
                copy.push_str(json);
                let entity = *entity;
                give_back(pooled);
                (copy, entity)
            }
        };
        let json = match entity {
            Entity::Quote => match EtnaResult::flat_quote(json, quotes, &symbol) {
                Ok(result) => return Ok(result),
                Err(json) => json,
            },
            _ => json,
        };
        let read = {
            let body = json.as_str();
            match entity {
                Entity::Quote => {
                    // Not the flat shape (`flat_quote` tried it): serde reads it.
                    let l = listing::one::<models::Quote>(body)?;
                    let make = |q: &models::Quote, a: &mut Arena| {
                        let named = if q.symbol.is_empty() {
                            symbol(q.security_id)
                        } else {
                            String::new()
                        };
                        quote(q, &named, a)
                    };
                    convert(body, l, &mut a, make, Items::Quote)
                }
                Entity::Order => convert(body, listing::one(body)?, &mut a, order, Items::Order),
                Entity::Position => {
                    convert(body, listing::one(body)?, &mut a, position, Items::Position)
                }
                Entity::AccountBalance | Entity::UserBalance => {
                    let l = listing::one::<models::StreamedBalances>(body)?;
                    let keep = |b: &models::StreamedBalances, a: &mut Arena| {
                        let b = b.balances();
                        BalancesItem {
                            c: balances(&b, a),
                            values: b.values.iter().map(|(n, v)| (n.to_string(), *v)).collect(),
                        }
                    };
                    convert(body, l, &mut a, keep, Items::Balances)
                }
                Entity::Watchlist => convert(
                    body,
                    listing::one(body)?,
                    &mut a,
                    watchlist,
                    Items::Watchlist,
                ),
                Entity::WatchlistContent => {
                    let l = listing::one(body)?;
                    convert(body, l, &mut a, watchlist_content, Items::WatchlistContent)
                }
            }
        };
        let mut result = EtnaResult::made(read, json, a);
        if entity == Entity::UserBalance {
            result.kind = ETNA_KIND_USER_BALANCE;
        }
        Ok(result)
    }

    /// A quote the streamers' flat way (`Quote::flat`), made in the message's own buffer: the
    /// symbol is copied after the message's terminator, so a quote costs no allocation beyond
    /// its buffer, its item and the result. `Err` gives the text back, for the general reader.
    fn flat_quote(
        text: String,
        quotes: &mut Memory,
        symbol: impl Fn(i64) -> String,
    ) -> Result<EtnaResult, String> {
        let (mut item, named, span) = {
            let Some(q) = models::Quote::flat_by(&text, quotes) else {
                return Err(text);
            };
            let named = if q.symbol.is_empty() {
                Err(symbol(q.security_id).replace('\0', "\\0"))
            } else {
                Ok(listing::span_of(&text, &q.symbol))
            };
            // The streamers' messages have no white space around them: no trim to scan for.
            let b = text.as_bytes();
            let whole = b.first() == Some(&b'{') && b.last() == Some(&b'}');
            let json = if whole { text.as_str() } else { text.trim() };
            (quote_fields(&q), named, listing::span_of(&text, json))
        };
        let mut buffer = text.into_bytes();
        let mut restore = Vec::new();
        if span.end < buffer.len() {
            restore.push((span.end, buffer[span.end]));
            buffer[span.end] = 0;
        }
        buffer.push(0);
        let symbol_at = buffer.len();
        match named {
            Ok(inside) => buffer.extend_from_within(inside),
            Err(name) => buffer.extend_from_slice(name.as_bytes()),
        }
        buffer.push(0);
        // The buffer is complete: pointers into it stay valid as it moves into the result.
        let base = buffer.as_ptr();
        item.json = base.wrapping_add(span.start).cast();
        item.symbol = base.wrapping_add(symbol_at).cast();
        Ok(EtnaResult {
            kind: ETNA_KIND_QUOTE,
            items: Items::OneQuote(item),
            total_count: 1,
            next_page: -1,
            buffer,
            restore,
            whole: OnceLock::new(),
            _strings: Arena::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::result::{
        etna_result_json, etna_result_kind, etna_result_len, etna_result_quote,
    };
    use std::cell::Cell;
    use std::ffi::{CStr, c_char};

    fn text(p: *const c_char) -> String {
        // SAFETY: every pointer checked here comes from a live result and is NUL-terminated.
        unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned()
    }

    fn data(message: &str, pooled: bool) -> Event {
        let mut json = String::with_capacity(message.len() + ROOM);
        json.push_str(message);
        Event::Data {
            entity: Entity::Quote,
            quote_key: None,
            json,
            pooled,
        }
    }

    /// The quote of `event`: its symbol, bid, item JSON and whole JSON, and where the item's
    /// JSON lies.
    fn read(event: Event, names: &[(i64, &str)]) -> (String, f64, String, String, *const c_char) {
        let symbol = |id| {
            let name = names.iter().find(|(n, _)| *n == id);
            name.map_or(String::new(), |(_, s)| s.to_string())
        };
        let r = EtnaResult::from_event(event, &mut Memory::default(), symbol, |_| {
            panic!("not pooled")
        })
        .unwrap();
        // SAFETY: `r` is alive for the whole block; the accessors take a live result.
        unsafe {
            assert_eq!(etna_result_kind(&r), ETNA_KIND_QUOTE);
            assert_eq!(etna_result_len(&r), 1);
            assert!(
                etna_result_quote(&r, 1).is_null(),
                "a quote event is one item"
            );
            let q = &*etna_result_quote(&r, 0);
            let json = text(etna_result_json(&r));
            (text(q.symbol), q.bid, text(q.json), json, q.json)
        }
    }

    #[test]
    fn a_quote_the_caller_read_is_made_in_its_own_buffer() {
        let message = r#"{"EntityType":"Quote","Key":"1","Symbol":"AAPL","Bid":"189.12000"}"#;
        let event = data(message, false);
        let Event::Data { json, .. } = &event else {
            unreachable!()
        };
        let buffer = json.as_ptr();
        let (symbol, bid, item, whole, at) = read(event, &[]);
        assert_eq!((symbol.as_str(), bid), ("AAPL", 189.12));
        assert_eq!((item.as_str(), whole.as_str()), (message, message));
        assert_eq!(at.cast::<u8>(), buffer, "the message was not copied");
    }

    #[test]
    fn a_quote_without_its_symbol_is_named_by_the_subscription() {
        let message = r#"{"EntityType":"Quote","Key":"7","Bid":"1.5"}"#;
        let (symbol, ..) = read(data(message, false), &[(7, "MSFT")]);
        assert_eq!(symbol, "MSFT");
        let long = "L".repeat(3 * ROOM);
        let (symbol, _, item, ..) = read(data(message, false), &[(7, &long)]);
        assert_eq!(
            (symbol, item.as_str()),
            (long, message),
            "past the room kept"
        );
        let (symbol, ..) = read(data(message, false), &[(7, "A\0B")]);
        assert_eq!(symbol, "A\\0B", "a NUL cannot cut the name short");
        let (symbol, ..) = read(data(message, false), &[]);
        assert_eq!(symbol, "", "unknown: empty, never NULL");
    }

    #[test]
    fn white_space_escapes_and_pooled_messages_read_alike() {
        let spaced = " {\"EntityType\":\"Quote\", \"Key\":\"7\",\"Bid\":\"2.5\"}\n";
        let (_, bid, item, whole, _) = read(data(spaced, false), &[]);
        assert_eq!((bid, item.as_str()), (2.5, spaced.trim()));
        assert_eq!(whole, spaced, "the answer as it came");
        let escaped = r#"{"EntityType":"Quote","Key":"7","Symbol":"A\u0041PL","Bid":"3"}"#;
        let (symbol, bid, ..) = read(data(escaped, false), &[]);
        assert_eq!((symbol.as_str(), bid), ("AAPL", 3.0));
        // An event of the I/O thread's pool is copied and handed back, once and intact.
        let message = r#"{"EntityType":"Quote","Key":"1","Symbol":"NVDA","Bid":"4"}"#;
        let given = Cell::new(0);
        let r = EtnaResult::from_event(
            data(message, true),
            &mut Memory::default(),
            |_| String::new(),
            |e| {
                given.set(given.get() + 1);
                assert!(matches!(e, Event::Data { ref json, .. } if json == message));
            },
        )
        .unwrap();
        assert_eq!(given.get(), 1);
        // SAFETY: `r` is alive; the accessors take a live result.
        let q = unsafe { &*etna_result_quote(&r, 0) };
        assert_eq!(
            (text(q.symbol), q.bid, text(q.json)),
            ("NVDA".into(), 4.0, message.into())
        );
    }
}
