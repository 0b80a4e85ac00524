//! What an account holds: positions (`PositionResource`), balances (`accounts/{id}/info`, a flat
//! map of camelCase numbers), transactions (`TransactionMapModel`; fills are `OrderExecution`).

use super::convert::{self, Named, named_reader};
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Position<'a> {
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub id: i64,
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub account_id: i64,
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub security_id: i64,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub symbol: Cow<'a, str>,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub quantity: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub average_open_price: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub cost_basis: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub realized_profit_loss: f64,
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
}

/// An account's balances: every number the broker sent, by its name (`cash`, `netCash`,
/// `stockBuyingPower`, ...), in the order sent.
#[derive(Debug, Clone, Default)]
pub struct Balances<'a> {
    pub values: Vec<(Cow<'a, str>, f64)>,
}

impl Balances<'_> {
    /// The value the broker sent under `name` (exact spelling), NaN when it sent none.
    pub fn value(&self, name: &str) -> Option<f64> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// `value`, NaN when absent.
    pub fn get(&self, name: &str) -> f64 {
        self.value(name).unwrap_or(f64::NAN)
    }
}

impl<'de> Deserialize<'de> for Balances<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = Balances<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of balances")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut values = Vec::new();
                while let Some(name) = map.next_key::<Cow<'de, str>>()? {
                    let value = map.next_value::<Lenient>()?.0;
                    values.push((name, value));
                }
                Ok(Balances { values })
            }
        }
        d.deserialize_map(Entries)
    }
}

/// A number read leniently (see `convert::num`).
struct Lenient(f64);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        convert::num(d).map(Lenient)
    }
}

/// `Type` of a transaction, as the broker lists them.
pub const TRANSACTION_TYPES: &[&str] = &[
    "Undefined",
    "Commission",
    "OrderExecution",
    "OptionExpiration",
    "Payment",
    "ManualManipulation",
    "Clearing",
    "Rpl",
];
named_reader!(transaction_type, TRANSACTION_TYPES);

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Transaction<'a> {
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub id: i64,
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub account_id: i64,
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub order_id: i64,
    /// -1 for cash.
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub security_id: i64,
    #[serde(rename = "Date", deserialize_with = "convert::instant_ms", default)]
    pub date_ms: i64,
    #[serde(
        borrow,
        rename = "Type",
        deserialize_with = "transaction_type",
        default = "Named::unknown"
    )]
    pub kind: Named<'a>,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub symbol: Cow<'a, str>,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub quantity: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub price: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub value: f64,
    /// The fee's value (`Fee.Value`), or a flat `Commission` where the broker sends one.
    #[serde(default)]
    fee: Option<Fee>,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    commission: f64,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub description: Cow<'a, str>,
}

impl Transaction<'_> {
    /// What the broker charged for it: `Fee.Value`, else `Commission`, else NaN.
    pub fn commission(&self) -> f64 {
        match &self.fee {
            Some(fee) if !fee.value.is_nan() => fee.value,
            _ => self.commission,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Fee {
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    value: f64,
}
