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
    /// Which security of the request the candle belongs to (0 for the first): the broker
    /// answers an array of candles per security.
    #[serde(skip)]
    pub series: i32,
}

/// The candles of a `ChartHistoryModel`: `SecurityHistory` is an array of arrays (one per
/// security asked for), each in time order.
pub fn candles(body: &str) -> Result<Listing<'_, Candle>> {
    match listing::field(body, "SecurityHistory")? {
        Some(at) => series(body, at),
        None => Ok(Listing::of(Vec::new())),
    }
}

/// The answer of `history/compare`: an array of arrays of candles, one per security.
pub fn compared(body: &str) -> Result<Listing<'_, Candle>> {
    series(body, listing::skip_space(body, 0))
}

/// The arrays of candles in the array at `at`, each candle marked with its array's position.
/// Anything but an array of arrays holds no candles.
fn series(body: &str, at: usize) -> Result<Listing<'_, Candle>> {
    let b = body.as_bytes();
    let mut items = Vec::new();
    if b.get(at) != Some(&b'[') {
        return Ok(Listing::of(items));
    }
    let mut pos = listing::skip_space(body, at + 1);
    let mut n = 0;
    while b.get(pos) == Some(&b'[') {
        let (mut candles, end) = listing::array::<Candle>(body, pos)?;
        for c in &mut candles {
            c.value.series = n;
        }
        items.append(&mut candles);
        n += 1;
        pos = listing::skip_space(body, end);
        if b.get(pos) == Some(&b',') {
            pos = listing::skip_space(body, pos + 1);
        }
    }
    Ok(Listing::of(items))
}
