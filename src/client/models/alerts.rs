//! Price alerts (`PriceAlertInfoModel`): a security's field crossing an argument.

use super::convert::{self, Named, named_reader};
use serde::Deserialize;
use std::borrow::Cow;

/// `State`, as the broker lists them.
pub const ALERT_STATES: &[&str] = &["New", "Expired", "Completed", "Stopped"];
named_reader!(alert_state, ALERT_STATES);

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PriceAlert<'a> {
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub id: i64,
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub security_id: i64,
    /// `Ask`, `Bid` or `Last`.
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub field: Cow<'a, str>,
    /// `GTEQ` or `LTEQ`.
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub operator: Cow<'a, str>,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub argument: f64,
    #[serde(borrow, deserialize_with = "alert_state", default = "Named::unknown")]
    pub state: Named<'a>,
    /// The broker sends Unix seconds here.
    #[serde(
        rename = "ExpirationDate",
        deserialize_with = "convert::seconds_ms",
        default
    )]
    pub expiration_ms: i64,
}
