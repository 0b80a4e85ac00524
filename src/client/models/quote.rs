//! What the streamers send that REST does not: quotes (every value a string, `Date` as
//! `MM/DD/YYYY HH:MM:SS`), balances whose `Items` is a JSON-encoded string, and watchlist
//! content changes.

use super::convert;
use super::portfolio::Balances;
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
