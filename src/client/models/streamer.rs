//! Where the streamers are (`GET v1.0/streamers`): quote addresses, then data addresses.

use super::convert;
use super::listing::{self, Item, Listing};
use crate::client::error::Result;
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Streamer<'a> {
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub url: Cow<'a, str>,
    /// `Delayed`, ... as the broker writes it.
    #[serde(borrow, rename = "Type", deserialize_with = "convert::text", default)]
    pub kind: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub session_id: Cow<'a, str>,
    /// Set by `streamers`: 1 for a quote streamer, 0 for a data streamer.
    #[serde(skip)]
    pub is_quote: i32,
}

/// The quote streamers, then the data streamers.
pub fn streamers(body: &str) -> Result<Listing<'_, Streamer<'_>>> {
    let mut items = Vec::new();
    for (name, is_quote) in [("QuoteAddresses", 1), ("DataAddresses", 0)] {
        let Some(at) = listing::field(body, name)? else {
            continue;
        };
        if body.as_bytes().get(at) != Some(&b'[') {
            continue;
        }
        let (list, _) = listing::array::<Streamer>(body, at)?;
        items.extend(list.into_iter().map(|mut item: Item<Streamer>| {
            item.value.is_quote = is_quote;
            item
        }));
    }
    Ok(Listing::of(items))
}
