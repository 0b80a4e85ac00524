//! Who is logged in (`UserInfoModel`) and the accounts they may trade (`UserAccountModel`).

use super::convert::{self, Named, named_reader};
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct User<'a> {
    #[serde(
        rename = "UserId",
        deserialize_with = "convert::int",
        default = "convert::minus_one"
    )]
    pub id: i64,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub login: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub first_name: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub middle_name: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub last_name: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub email: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub role: Cow<'a, str>,
    #[serde(
        rename = "AddedDate",
        deserialize_with = "convert::instant_ms",
        default
    )]
    pub added_at_ms: i64,
}

/// `MarginType`, as the broker lists them.
pub const MARGIN_TYPES: &[&str] = &["Empty", "Cash", "Margin", "DayTrader", "MarginIra"];
/// `AccessType`, as the broker lists them.
pub const ACCESS_TYPES: &[&str] = &["Full", "ReadOnly", "ClosePositionsOnly", "Owner"];
named_reader!(margin_type, MARGIN_TYPES);
named_reader!(access_type, ACCESS_TYPES);

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Account<'a> {
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub id: i64,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub alias: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub clearing_account: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub clearing_firm: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "margin_type", default = "Named::unknown")]
    pub margin_type: Named<'a>,
    #[serde(borrow, deserialize_with = "access_type", default = "Named::unknown")]
    pub access_type: Named<'a>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub owner_type: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub currency: Cow<'a, str>,
    #[serde(deserialize_with = "convert::flag", default = "convert::minus_one_i32")]
    pub enabled: i32,
}
