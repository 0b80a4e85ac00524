//! What a trader reads beside the book: news and corporate actions for a ticker, an account's
//! equity over time, its positions grouped by asset class, and an order's state history.

use super::convert::{self, Named};
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct News<'a> {
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub key: Cow<'a, str>,
    /// The broker sends Unix seconds.
    #[serde(rename = "Date", deserialize_with = "convert::seconds_ms", default)]
    pub date_ms: i64,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub source: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub header: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub content: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub attachment: Cow<'a, str>,
    #[serde(borrow, rename = "NewsId", deserialize_with = "convert::text", default)]
    pub news_id: Cow<'a, str>,
}

/// One point of an account's history (`{"Date","Value"}`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HistoryPoint {
    #[serde(rename = "Date", deserialize_with = "convert::instant_ms", default)]
    pub date_ms: i64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub value: f64,
}

/// Positions grouped by asset class (`{"Name":"Equity","MarketValue":n}`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PositionGroup<'a> {
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub name: Cow<'a, str>,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub market_value: f64,
}

/// One state an order went through (`OrderDetailsModel`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OrderDetail<'a> {
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub id: i64,
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub order_id: i64,
    #[serde(
        borrow,
        deserialize_with = "super::order::status",
        default = "Named::unknown"
    )]
    pub status: Named<'a>,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub executed_quantity: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub leaves_quantity: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub last_price: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub last_quantity: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub average_price: f64,
    #[serde(rename = "Date", deserialize_with = "convert::instant_ms", default)]
    pub date_ms: i64,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub description: Cow<'a, str>,
}
