//! Watchlists (`WatchlistModel`) with the tickers they hold.

use super::convert::{self, Named, named_reader};
use serde::Deserialize;
use serde::de::{Deserializer, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// `Type`, as the broker lists them.
pub const WATCHLIST_TYPES: &[&str] = &["UserList", "SystemList", "Snapshot"];
named_reader!(watchlist_type, WATCHLIST_TYPES);

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Watchlist<'a> {
    /// Data stream messages spell it `id`.
    #[serde(
        alias = "id",
        deserialize_with = "convert::int",
        default = "convert::minus_one"
    )]
    pub id: i64,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub name: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub description: Cow<'a, str>,
    #[serde(
        borrow,
        rename = "Type",
        deserialize_with = "watchlist_type",
        default = "Named::unknown"
    )]
    pub kind: Named<'a>,
    #[serde(deserialize_with = "convert::flag", default = "convert::minus_one_i32")]
    pub read_only: i32,
    #[serde(
        rename = "CreateDate",
        deserialize_with = "convert::instant_ms",
        default
    )]
    pub created_at_ms: i64,
    #[serde(
        rename = "ModifyDate",
        deserialize_with = "convert::instant_ms",
        default
    )]
    pub modified_at_ms: i64,
    /// The tickers of `SecurityList`, in the broker's order.
    #[serde(borrow, rename = "SecurityList", deserialize_with = "symbols", default)]
    pub symbols: Vec<Cow<'a, str>>,
}

/// The `Symbol` of each security in a list (anything else in the list is skipped).
fn symbols<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Cow<'de, str>>, D::Error> {
    #[derive(Deserialize)]
    struct Entry<'a> {
        #[serde(borrow, rename = "Symbol", deserialize_with = "convert::text", default)]
        symbol: Cow<'a, str>,
    }
    struct List;
    impl<'de> Visitor<'de> for List {
        type Value = Vec<Cow<'de, str>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of securities")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = seq.next_element::<serde_json::Value>()? {
                if let Ok(e) = Entry::deserialize(&entry) {
                    if !e.symbol.is_empty() {
                        out.push(Cow::Owned(e.symbol.into_owned()));
                    }
                }
            }
            Ok(out)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(List)
}
