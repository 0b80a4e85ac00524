//! Options (`OptionResource`), their expirations, and the chain of an underlying.

use super::convert::{self, Named, named_reader};
use super::listing::{self, Item, Listing};
use crate::client::error::Result;
use serde::Deserialize;
use std::borrow::Cow;

/// `OptionType`, as the broker lists them.
pub const OPTION_TYPES: &[&str] = &["Call", "Put", "Undefined"];
/// `ExpirationType`, numbered as the broker numbers them.
pub const EXPIRATION_TYPES: &[&str] = &[
    "Regular",
    "Quarterly",
    "Weekly",
    "Flex",
    "Undefined",
    "Mini",
    "NonStandard",
];
named_reader!(option_type, OPTION_TYPES);
named_reader!(expiration_type, EXPIRATION_TYPES);

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OptionContract<'a> {
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub id: i64,
    /// The OSI symbol, e.g. `AAPL  261218C00190000`.
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub symbol: Cow<'a, str>,
    #[serde(
        borrow,
        rename = "UnderlyingAssetSymbol",
        deserialize_with = "convert::text",
        default
    )]
    pub underlying_symbol: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "option_type", default = "Named::unknown")]
    pub option_type: Named<'a>,
    #[serde(
        rename = "ExpirationDate",
        deserialize_with = "convert::instant_ms",
        default
    )]
    pub expiration_ms: i64,
    #[serde(
        borrow,
        deserialize_with = "expiration_type",
        default = "Named::unknown"
    )]
    pub expiration_type: Named<'a>,
    #[serde(
        rename = "StrikePrice",
        deserialize_with = "convert::num",
        default = "convert::nan"
    )]
    pub strike: f64,
    #[serde(deserialize_with = "convert::num", default = "convert::nan")]
    pub contract_size: f64,
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub series_id: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Expiration<'a> {
    #[serde(
        rename = "ExpirationDate",
        deserialize_with = "convert::instant_ms",
        default
    )]
    pub expiration_ms: i64,
    #[serde(
        borrow,
        deserialize_with = "expiration_type",
        default = "Named::unknown"
    )]
    pub expiration_type: Named<'a>,
    #[serde(deserialize_with = "convert::int", default = "convert::minus_one")]
    pub series_id: i64,
    #[serde(borrow, deserialize_with = "convert::text", default)]
    pub series_type: Cow<'a, str>,
}

/// The options of a chain (`{"Expirations":[{"Expiration","CentralStrike","Options":[...]}]}`),
/// every expiration's in turn, each keeping its own JSON.
pub fn chain(body: &str) -> Result<Listing<'_, OptionContract<'_>>> {
    let Some(at) = listing::field(body, "Expirations")? else {
        return Ok(Listing::of(Vec::new()));
    };
    let (expirations, _) = listing::array::<ExpirationSpan>(body, at)?;
    let mut items: Vec<Item<OptionContract>> = Vec::new();
    for e in expirations {
        let offset = e.json.as_ptr() as usize - body.as_ptr() as usize;
        let end = offset + e.json.len();
        if let Some(options) = listing::field(&body[offset..end], "Options")? {
            if body.as_bytes().get(offset + options) == Some(&b'[') {
                let (list, _) = listing::array::<OptionContract>(body, offset + options)?;
                items.extend(list);
            }
        }
    }
    Ok(Listing::of(items))
}

/// An expiration of a chain, read only for its span.
#[derive(Deserialize)]
struct ExpirationSpan {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_expirations_and_a_chain() {
        let o = r#"{"Id":9001,"Symbol":"AAPL  261218C00190000","OptionType":"Call","ExpirationType":"Regular",
            "ExpirationDate":"2026-12-18T00:00:00Z","StrikePrice":190.0,"SeriesId":77,"UnderlyingAssetSymbol":"AAPL","ContractSize":100}"#;
        let o = &listing::one::<OptionContract>(o).unwrap().items[0].value;
        assert_eq!(
            (o.id, o.symbol.as_ref(), o.underlying_symbol.as_ref()),
            (9001, "AAPL  261218C00190000", "AAPL")
        );
        assert_eq!(
            (
                o.option_type.code,
                o.expiration_type.code,
                o.strike,
                o.contract_size
            ),
            (0, 0, 190.0, 100.0)
        );
        assert_eq!(
            o.expiration_ms,
            crate::client::models::time::instant_ms("2026-12-18T00:00:00Z")
        );

        let e = r#"[{"ExpirationDate":"2026-12-04T00:00:00Z","ExpirationType":"Weekly","SeriesId":5,"SeriesType":"Standard"}]"#;
        let e = listing::read::<Expiration>(e).unwrap();
        assert_eq!(
            (
                e.items[0].value.expiration_type.code,
                e.items[0].value.series_id
            ),
            (2, 5)
        );

        let c = r#"{"Expirations":[{"Expiration":"2026-12-04T00:00:00Z","CentralStrike":190,"Options":[{"Id":1,"OptionType":"Call"},{"Id":2,"OptionType":"Put"}]},
            {"Expiration":"2026-12-11T00:00:00Z","CentralStrike":190,"Options":[{"Id":3,"OptionType":"Put"}]}]}"#;
        let c = chain(c).unwrap();
        let ids: Vec<i64> = c.items.iter().map(|i| i.value.id).collect();
        assert_eq!(ids, [1, 2, 3]);
        assert_eq!(c.items[2].json, r#"{"Id":3,"OptionType":"Put"}"#);
        assert!(chain(r#"{"Expirations":[]}"#).unwrap().items.is_empty());
    }
}
