//! Securities (`EquityResource`) and price history candles (`ChartHistoryModel`).

use super::convert;
use super::listing::{self, Listing};
use crate::client::error::Result;
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Security<'a> {
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub id: i64,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub symbol: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub description: Cow<'a, str>,
    /// The venue's MIC, e.g. `XNAS`.
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub exchange: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub currency: Cow<'a, str>,
    /// `CommonStock`, `ETF`, ... as the broker writes it.
    #[serde(borrow, rename = "Type", deserialize_with = "convert::text", default)]
    pub kind: Cow<'a, str>,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub tick_size: f64,
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub precision: i64,
    #[serde(deserialize_with = "convert::flag", default = "convert::minus_one_i32")]
    pub enabled: i32,
    #[serde(deserialize_with = "convert::flag", default = "convert::minus_one_i32")]
    pub allow_trade: i32,
    #[serde(deserialize_with = "convert::flag", default = "convert::minus_one_i32")]
    pub allow_margin: i32,
    #[serde(deserialize_with = "convert::flag", default = "convert::minus_one_i32")]
    pub allow_short: i32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Candle {
    /// The candle's start (the broker sends Unix seconds).
    #[serde(rename = "Time", deserialize_with = "convert::seconds_ms", default)]
    pub time_ms: i64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub open: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub high: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub low: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub close: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub volume: f64,
}

/// The candles of a `ChartHistoryModel`: `SecurityHistory` is an array of arrays (one per
/// security asked for); its first array is the history, in time order.
pub fn candles(body: &str) -> Result<Listing<'_, Candle>> {
    let Some(at) = listing::field(body, "SecurityHistory")? else {
        return Ok(Listing::of(Vec::new()));
    };
    let b = body.as_bytes();
    let first = listing::skip_space(body, at + 1);
    if b.get(at) != Some(&b'[') || b.get(first) != Some(&b'[') {
        return Ok(Listing::of(Vec::new()));
    }
    let (items, _) = listing::array::<Candle>(body, first)?;
    Ok(Listing::of(items))
}
