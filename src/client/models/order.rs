//! Orders (`OrderResource`, and the data streamer's order messages), with the enumerations the
//! broker documents for them, numbered as it numbers them where it does (status) and in the
//! order it lists them otherwise.

use super::convert::{self, Named, named_reader};
use serde::Deserialize;
use std::borrow::Cow;

/// `Status` (and `ExecutionStatus`): the broker's codes 0 to 16.
pub const ORDER_STATUSES: &[&str] = &[
    "New",
    "PartiallyFilled",
    "Filled",
    "DoneForDay",
    "Canceled",
    "Replaced",
    "PendingCancel",
    "Stopped",
    "Rejected",
    "Suspended",
    "PendingNew",
    "Calculated",
    "Expired",
    "AcceptedForBidding",
    "PendingReplace",
    "Error",
    "Held",
];
pub const SIDES: &[&str] = &["Buy", "Sell", "SellShort", "BuyToCover"];
pub const ORDER_TYPES: &[&str] = &[
    "Market",
    "Limit",
    "Stop",
    "StopLimit",
    "Pegged",
    "TrailingStop",
    "TrailingStopLimit",
    "OneCancelOther",
    "OneTriggerOther",
    "OneTriggerOneCancelOther",
    "External",
    "MutualFundsExchange",
    "StagingBlotter",
];
pub const TIMES_IN_FORCE: &[&str] = &[
    "Day",
    "GoodTillCancel",
    "AtTheOpening",
    "ImmediateOrCancel",
    "FillOrKill",
    "GoodTillCrossing",
    "GoodTillDate",
    "GoodTillTime",
    "AtTheClose",
    "GoodTillCancelPlus",
    "GoodTillDatePlus",
];

named_reader!(status, ORDER_STATUSES);
named_reader!(side, SIDES);
named_reader!(order_type, ORDER_TYPES);
named_reader!(time_in_force, TIMES_IN_FORCE);

/// Whether an order in this status will not change any more (filled, canceled, rejected,
/// expired, done for the day, in error, or replaced by a new order).
pub fn status_is_final(code: i32) -> bool {
    matches!(code, 2 | 3 | 4 | 5 | 8 | 12 | 15)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Order<'a> {
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub id: i64,
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub account_id: i64,
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub security_id: i64,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub symbol: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub client_id: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "side", default = "Named::unknown")]
    pub side: Named<'a>,
    #[serde(
        borrow,
        rename = "Type",
        deserialize_with = "order_type",
        default = "Named::unknown"
    )]
    pub order_type: Named<'a>,
    #[serde(borrow, deserialize_with = "status", default = "Named::unknown")]
    pub status: Named<'a>,
    #[serde(borrow, deserialize_with = "time_in_force", default = "Named::unknown")]
    pub time_in_force: Named<'a>,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub quantity: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub price: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub stop_price: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub executed_quantity: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub leaves_quantity: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub average_price: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub last_price: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub last_quantity: f64,
    #[serde(
        rename = "CreateDate",
        deserialize_with = "convert::instant_ms",
        default
    )]
    pub created_at_ms: i64,
    #[serde(
        rename = "TransactionDate",
        deserialize_with = "convert::instant_ms",
        default
    )]
    pub transaction_at_ms: i64,
    /// Why the broker rejected or expired it, when it did.
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub description: Cow<'a, str>,
}
