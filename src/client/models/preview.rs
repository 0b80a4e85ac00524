//! What the broker says of an order before it is placed (`VerifyOrderModel`): whether it would
//! pass, and what it would cost.

use super::convert;
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Preview<'a> {
    #[serde(deserialize_with = "convert::flag", default = "convert::minus_one_i32")]
    pub is_successful: i32,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub commission: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub cost: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub net_cost: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub total_cost: f64,
    /// The broker's code for a reject (`DayTradingBuyingPowerExceeded`), `""` when it passes.
    #[serde(
        borrow,
        rename = "ErrorDescription",
        deserialize_with = "convert::text",
        default
    )]
    pub error_code_text: Cow<'a, str>,
    /// The broker's words for it.
    #[serde(
        borrow,
        rename = "ErrorDescriptionText",
        deserialize_with = "convert::text",
        default
    )]
    pub error_text: Cow<'a, str>,
}
