//! Orders (`OrderResource`, and the data streamer's order messages), with the enumerations the
//! broker documents for them, numbered as it numbers them where it does (status) and in the
//! order it lists them otherwise.

use super::convert::{self, Named, named_of, named_reader};
use super::scan::{Scanner, Seen};
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

impl<'a> Order<'a> {
    /// The order object at `at` read by the fast reader (`scan`), and where it ends; `None` when
    /// it is not plain or names a field twice (the general reader then reads it, or refuses it).
    pub fn scan(text: &'a str, at: usize) -> Option<(Order<'a>, usize)> {
        use convert::{instant_of, int_of, num_of, text_of};
        let mut o = Order {
            id: -1,
            account_id: -1,
            security_id: -1,
            symbol: Cow::Borrowed(""),
            client_id: Cow::Borrowed(""),
            side: Named::unknown(),
            order_type: Named::unknown(),
            status: Named::unknown(),
            time_in_force: Named::unknown(),
            quantity: f64::NAN,
            price: f64::NAN,
            stop_price: f64::NAN,
            executed_quantity: f64::NAN,
            leaves_quantity: f64::NAN,
            average_price: f64::NAN,
            last_price: f64::NAN,
            last_quantity: f64::NAN,
            created_at_ms: 0,
            transaction_at_ms: 0,
            description: Cow::Borrowed(""),
        };
        let mut seen = Seen::default();
        let end = Scanner::new(text, at).object(|name, s| {
            let v = s.value()?;
            // Byte patterns: compared as integers, not through `memcmp`.
            match name.as_bytes() {
                b"Id" => seen.set(0, &mut o.id, int_of(v)),
                b"AccountId" => seen.set(1, &mut o.account_id, int_of(v)),
                b"SecurityId" => seen.set(2, &mut o.security_id, int_of(v)),
                b"Symbol" => seen.set(3, &mut o.symbol, text_of(v)),
                b"ClientId" => seen.set(4, &mut o.client_id, text_of(v)),
                b"Side" => seen.set(5, &mut o.side, named_of(v, SIDES)),
                b"Type" => seen.set(6, &mut o.order_type, named_of(v, ORDER_TYPES)),
                b"Status" => seen.set(7, &mut o.status, named_of(v, ORDER_STATUSES)),
                b"TimeInForce" => seen.set(8, &mut o.time_in_force, named_of(v, TIMES_IN_FORCE)),
                b"Quantity" => seen.set(9, &mut o.quantity, num_of(v)),
                b"Price" => seen.set(10, &mut o.price, num_of(v)),
                b"StopPrice" => seen.set(11, &mut o.stop_price, num_of(v)),
                b"ExecutedQuantity" => seen.set(12, &mut o.executed_quantity, num_of(v)),
                b"LeavesQuantity" => seen.set(13, &mut o.leaves_quantity, num_of(v)),
                b"AveragePrice" => seen.set(14, &mut o.average_price, num_of(v)),
                b"LastPrice" => seen.set(15, &mut o.last_price, num_of(v)),
                b"LastQuantity" => seen.set(16, &mut o.last_quantity, num_of(v)),
                b"CreateDate" => seen.set(17, &mut o.created_at_ms, instant_of(v)),
                b"TransactionDate" => seen.set(18, &mut o.transaction_at_ms, instant_of(v)),
                b"Description" => seen.set(19, &mut o.description, text_of(v)),
                _ => Some(()),
            }
        })?;
        Some((o, end))
    }
}

#[cfg(test)]
mod tests_support {
    pub const PLAIN: &str = r#"{"Id":900001,"SecurityId":1009,"Symbol":"ORCL","Quantity":5.0,"Price":304.25,"StopPrice":0.0,"ClientId":"etna-c7d5-1","ExecutedQuantity":0.0,"LastPrice":0.0,"LastQuantity":0.0,"LeavesQuantity":5.0,"AveragePrice":0.0,"Side":"Sell","Date":"2025-11-10T13:39:14.9992400Z","TransactionDate":"2025-11-10T17:06:44.8557743Z","SettDate":"2025-11-11T00:00:00Z","Status":"New","ExecutionStatus":"New","Type":"Limit","RequestStatus":"Complete","Target":"New","Description":"","Comment":"","TimeInForce":"Day","ExecInst":"None","ExpireDate":"0001-01-01T00:00:00Z","AccountId":1,"UserId":42,"RequestId":5000001,"StateId":7000001,"ParentId":-1,"Legs":[],"Exchange":"XNAS","IsExternal":false,"ExecBrocker":"SIM","ExecutionInstructions":{"PerTradeCommission":"1"},"TransType":"New","ValidationsToBypass":0}"#;
}

#[cfg(test)]
mod tests {
    use super::tests_support::PLAIN;
    use super::*;
    use crate::client::models::listing;

    /// The fast reader gives what serde gives, field for field, or leaves the order to serde.
    #[test]
    fn a_plain_order_reads_fast_as_serde_reads_it() {
        // (what changes, whether the order is still plain)
        let variants = [
            ("", "", true),
            (r#""Id":900001"#, r#""Id":"900001""#, true),
            (r#""Id":900001"#, r#""Id":1.5"#, true),
            (r#""Id":900001"#, r#""Id":null"#, true),
            (r#""Id":900001"#, r#""Id":-0"#, true),
            (r#""Price":304.25"#, r#""Price":"304.25""#, true),
            (r#""Price":304.25"#, r#""Price":true"#, true),
            (r#""Price":304.25"#, r#""Price":-0.000001"#, true),
            (r#""Price":304.25"#, r#""Price":{"A":[1,{"B":null}]}"#, true),
            (r#""Side":"Sell""#, r#""Side":1"#, true),
            (r#""Side":"Sell""#, r#""Side":"sell ""#, true),
            (r#""Side":"Sell""#, r#""Side":"3""#, true),
            (r#""Status":"New""#, r#""Status":99"#, true),
            (r#""Status":"New""#, r#""Status":"Teleported""#, true),
            (r#""Symbol":"ORCL""#, r#""Symbol":123"#, true),
            (r#""Symbol":"ORCL""#, r#""Symbol":null"#, true),
            (r#""Symbol":"ORCL""#, r#""Symbol":"ORCL ü""#, true),
            (
                r#""AccountId":1,"#,
                r#""CreateDate":"2025-11-10T13:39:14Z","#,
                true,
            ),
            (
                r#""TransactionDate":"2025-11-10T17:06:44.8557743Z""#,
                r#""TransactionDate":1731258404855"#,
                true,
            ),
            (
                r#""TransactionDate":"2025-11-10T17:06:44.8557743Z""#,
                r#""TransactionDate":null"#,
                true,
            ),
            (
                r#""Legs":[]"#,
                r#""Legs":[{"A":[1,2,{"B":"x"}]},[],{}]"#,
                true,
            ),
            (r#""Quantity":5.0,"#, "", true),
            (",", " ,\n\t", true),
            (r#""Price":304.25"#, r#""Price":1e2"#, false),
            (r#""Price":304.25"#, r#""Price":12345678901234567"#, false),
            (r#""Symbol":"ORCL""#, r#""Symbol":"OR\"CL""#, false),
            (r#""Comment":"""#, r#""Comment":"a\nb""#, false),
            (r#""Id":900001"#, r#""Id":900001,"Id":2"#, false),
            (r#""Id":900001"#, r#""Id":01"#, false),
            (r#""Legs":[]"#, r#""Legs":[1,]"#, false),
            (r#""IsExternal":false"#, r#""IsExternal":fals"#, false),
            (
                r#""ValidationsToBypass":0}"#,
                r#""ValidationsToBypass":0"#,
                false,
            ),
        ];
        for (from, to, plain) in variants {
            let text = if from.is_empty() {
                PLAIN.to_owned()
            } else {
                PLAIN.replacen(from, to, 1)
            };
            let general = listing::one::<Order>(&text).map(|l| format!("{:?}", l.items[0].value));
            match Order::scan(&text, 0) {
                Some((order, end)) => {
                    assert!(plain, "read fast: {text}");
                    assert_eq!(end, text.len(), "{text}");
                    assert_eq!(Ok(format!("{order:?}")), general.map_err(|_| ()), "{text}");
                }
                None => assert!(!plain, "left to serde: {text}"),
            }
        }
    }

    /// A page read with the fast reader gives the same items and spans as one read without it,
    /// an order the fast reader leaves (an escape) included.
    #[test]
    fn a_page_reads_the_same_with_the_fast_reader() {
        let odd = PLAIN.replacen(r#""ORCL""#, r#""OR\u0043L""#, 1);
        let items = [PLAIN, &odd, PLAIN].join(" ,\n");
        let page = format!(r#"{{"Result":[{items}],"TotalCount":3,"NextPageLink":""}}"#);
        fn read<'a>(
            page: &'a str,
            fast: Option<listing::Fast<'a, Order<'a>>>,
        ) -> (Vec<(String, usize)>, listing::Paging) {
            let mut seen = Vec::new();
            let paging = listing::read_each_with(page, fast, |o: Order, json| {
                seen.push((format!("{o:?}"), json.len()))
            })
            .unwrap();
            (seen, paging)
        }
        let slow = read(&page, None);
        assert_eq!(read(&page, Some(Order::scan)), slow);
        assert_eq!(slow.0.len(), 3);
        assert!(slow.0[1].0.contains("symbol: \"ORCL\""), "{:?}", slow.0[1]);
    }
}

#[cfg(test)]
mod mutations {
    use super::tests_support::PLAIN;
    use super::*;
    use crate::client::models::listing;

    /// Thousands of damaged orders (a byte dropped, doubled or replaced by one that matters to
    /// JSON): whatever the fast reader accepts, serde accepts and reads the same.
    #[test]
    fn the_fast_reader_never_accepts_what_serde_refuses_nor_reads_it_otherwise() {
        let mut accepted = 0;
        for text in crate::client::models::damaged(PLAIN, b"\"\\{}[],:0-.5eEtn \x01", 20_000) {
            if let Some((order, end)) = Order::scan(&text, 0) {
                accepted += 1;
                let general = listing::one::<Order>(&text[..end])
                    .unwrap_or_else(|e| panic!("serde refuses what was read fast: {e}: {text}"));
                assert_eq!(
                    format!("{order:?}"),
                    format!("{:?}", general.items[0].value)
                );
            }
        }
        assert!(
            accepted > 1_000,
            "{accepted}: the damage is not always fatal"
        );
    }
}
