//! Every model read from the shapes the broker documents: REST answers (numbers as numbers, ISO
//! dates, 28-digit decimals) and streamer messages (every value a string, epoch-ms dates).

use super::listing::{self, Listing};
use super::*;

fn only<'a, T: serde::Deserialize<'a>>(body: &'a str) -> T {
    let mut listing: Listing<T> = listing::read(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(listing.items.len(), 1, "{body}");
    listing.items.remove(0).value
}

#[test]
fn an_order_resource_and_a_streamed_order_read_alike() {
    let rest = r#"{"Id":1453,"SecurityId":5,"Quantity":10.0,"Price":181.5,"StopPrice":0.0,
        "ClientId":"etna-1","ExecutedQuantity":4.0,"LastPrice":181.4,"LastQuantity":4.0,
        "LeavesQuantity":6.0,"AveragePrice":-0.05700775140829844330933239,"Side":"Buy",
        "Date":"2019-02-25T13:33:40.9022856Z","TransactionDate":"2019-02-25T13:33:41Z",
        "Status":"PartiallyFilled","Type":"Limit","TimeInForce":"Day","Description":"",
        "AccountId":1001,"Symbol":"AAPL","CreateDate":"2019-02-25T13:33:40.9022856Z",
        "Legs":[],"ParentId":-1,"ExecutionInstructions":{"PerTradeCommission":"1"}}"#;
    let streamed = r#"{"EntityType":"Order","Id":"1453","SecurityId":"5","Quantity":"10.00000",
        "Price":"181.50000","StopPrice":"0","ClientId":"etna-1","ExecutedQuantity":"4.00000",
        "LastPrice":"181.40000","LastQuantity":"4","LeavesQuantity":"6.00000",
        "AveragePrice":"-0.05700775140829844330933239","Side":"0","Status":"1","Type":"1",
        "TimeInForce":"0","AccountId":"1001","Symbol":"AAPL","CreateDate":"1551101620902",
        "TransactionDate":"1551101621000","DateOffset":"10800000"}"#;
    for body in [rest, streamed] {
        let o: Order = only(body);
        assert_eq!((o.id, o.account_id, o.security_id), (1453, 1001, 5));
        assert_eq!(
            (o.symbol.as_ref(), o.client_id.as_ref()),
            ("AAPL", "etna-1")
        );
        assert_eq!((o.side.code, o.side.text.as_ref()), (0, "Buy"));
        assert_eq!(
            (o.order_type.code, o.order_type.text.as_ref()),
            (1, "Limit")
        );
        assert_eq!(
            (o.status.code, o.status.text.as_ref()),
            (1, "PartiallyFilled")
        );
        assert_eq!(
            (o.time_in_force.code, o.time_in_force.text.as_ref()),
            (0, "Day")
        );
        assert_eq!(
            (o.quantity, o.price, o.executed_quantity),
            (10.0, 181.5, 4.0)
        );
        assert_eq!(
            (o.leaves_quantity, o.last_price, o.last_quantity),
            (6.0, 181.4, 4.0)
        );
        assert!((o.average_price + 0.057_007_751_408_298_44).abs() < 1e-15);
        assert_eq!(o.created_at_ms, 1_551_101_620_902);
        assert_eq!(o.transaction_at_ms, 1_551_101_621_000);
        assert!(!order::status_is_final(o.status.code));
    }
}

#[test]
fn an_order_with_fields_of_unexpected_types_keeps_them_in_its_json() {
    let body = r#"{"Id":"x","Quantity":{"v":1},"Status":"Teleported","Side":42,"Symbol":7}"#;
    let listing: Listing<Order> = listing::read(body).unwrap();
    let o = &listing.items[0];
    assert_eq!(o.value.id, -1);
    assert!(o.value.quantity.is_nan() && o.value.price.is_nan());
    assert_eq!(
        (o.value.status.code, o.value.status.text.as_ref()),
        (-1, "Teleported")
    );
    assert_eq!((o.value.side.code, o.value.side.text.as_ref()), (-1, "42"));
    assert_eq!(o.value.symbol, "7");
    assert_eq!(o.json, body);
}

#[test]
fn positions_page_balances_and_transactions() {
    let page = r#"{"Result":[{"Id":30004,"AccountId":1003,"SecurityId":1,"Symbol":"AAPL",
        "CostBasis":951.5,"CreateDate":"2026-11-27T14:30:01.1201181Z",
        "ModifyDate":"2026-11-27T14:30:01.1201181Z","Quantity":5.0,"RealizedProfitLoss":0.0,
        "AverageOpenPrice":190.3}],"NextPageLink":"","PreviousPageLink":"","TotalCount":1}"#;
    let l: Listing<Position> = listing::read(page).unwrap();
    let p = &l.items[0].value;
    assert_eq!(
        (p.id, p.symbol.as_ref(), p.quantity, p.average_open_price),
        (30004, "AAPL", 5.0, 190.3)
    );
    assert_eq!((p.cost_basis, p.realized_profit_loss), (951.5, 0.0));
    assert_eq!(p.created_at_ms, p.modified_at_ms);
    assert_eq!((l.total_count, l.next_page), (1, -1));

    let b: Balances = only(
        r#"{"cash":100000.0,"netCash":99000.12,"stockBuyingPower":"200000.00000",
            "openPL":-0.05700775140829844330933239,"pendingOrdersCount":2}"#,
    );
    assert_eq!(
        (b.get("cash"), b.get("netCash"), b.get("stockBuyingPower")),
        (100000.0, 99000.12, 200000.0)
    );
    assert_eq!(b.value("pendingOrdersCount"), Some(2.0));
    assert_eq!(b.value("equityTotal"), None);

    let t: Transaction = only(
        r#"{"Id":9,"SecurityId":1,"OrderStateId":3,"AccountId":1001,"Date":"2026-11-27T14:30:00Z",
            "Value":-1900.5,"Quantity":10,"Fee":{"Id":1,"Value":1.05},"Type":"OrderExecution",
            "Symbol":"AAPL","Price":190.0,"OrderId":77,"Description":"Bought 10 AAPL"}"#,
    );
    assert_eq!(
        (t.id, t.order_id, t.kind.code, t.kind.text.as_ref()),
        (9, 77, 2, "OrderExecution")
    );
    assert_eq!(
        (t.quantity, t.price, t.value, t.commission()),
        (10.0, 190.0, -1900.5, 1.05)
    );
    let cash: Transaction = only(r#"{"Id":1,"SecurityId":-1,"Type":"Payment","Value":500}"#);
    assert_eq!((cash.security_id, cash.kind.code), (-1, 4));
    assert!(cash.commission().is_nan());
}

#[test]
fn user_accounts_securities_watchlists_previews_streamers_and_candles() {
    let u: User = only(
        r#"{"UserId":101,"FirstName":"Alice","LastName":"Anders","Login":"alice",
            "Email":"alice@example.com","Role":"Trader","AddedDate":"2020-01-02T03:04:05Z"}"#,
    );
    assert_eq!(
        (
            u.id,
            u.login.as_ref(),
            u.first_name.as_ref(),
            u.middle_name.as_ref()
        ),
        (101, "alice", "Alice", "")
    );
    let accounts: Listing<Account> = listing::read(
        r#"[{"Id":1001,"ClearingAccount":"SIM1001","AccessType":"Full","MarginType":"Cash",
             "OwnerType":"Individual","Enabled":true,"Alias":"alice cash","ClearingFirm":"SIM"},
            {"Id":1002,"AccessType":"Owner","MarginType":"Margin","Enabled":"False"}]"#,
    )
    .unwrap();
    let (a, m) = (&accounts.items[0].value, &accounts.items[1].value);
    assert_eq!(
        (
            a.id,
            a.alias.as_ref(),
            a.margin_type.code,
            a.access_type.code,
            a.enabled
        ),
        (1001, "alice cash", 1, 0, 1)
    );
    assert_eq!(
        (m.margin_type.code, m.access_type.code, m.enabled),
        (2, 3, 0)
    );

    let s: Security = only(
        r#"{"Id":1,"Symbol":"AAPL","Description":"Apple Inc.","Exchange":"XNAS","Currency":"USD",
            "Type":"CommonStock","Precision":2,"TickSize":0.01,"Enabled":true,"AllowTrade":true,
            "AllowMargin":true,"AllowShort":false}"#,
    );
    assert_eq!(
        (s.id, s.exchange.as_ref(), s.kind.as_ref(), s.tick_size),
        (1, "XNAS", "CommonStock", 0.01)
    );
    assert_eq!((s.allow_trade, s.allow_short, s.precision), (1, 0, 2));

    let w: Watchlist = only(
        r#"{"Id":5,"Name":"Tech","Type":"UserList","ReadOnly":false,
            "CreateDate":"2026-11-27T14:30:00Z","SecurityList":[{"Id":1,"Symbol":"AAPL"},{"Id":2,"Symbol":"MSFT"}]}"#,
    );
    assert_eq!(
        (w.id, w.name.as_ref(), w.kind.code, w.read_only),
        (5, "Tech", 0, 0)
    );
    assert_eq!(w.symbols, ["AAPL", "MSFT"]);

    let p: Preview = only(
        r#"{"IsSuccessful":false,"ErrorDescription":"DayTradingBuyingPowerExceeded",
            "ErrorDescriptionText":"Not enough buying power","Commission":1.05,
            "Commissions":{"Per Trade Commission":1.0},"Cost":1900.5,"NetCost":1901.55,
            "TotalCost":1901.55,"Quotes":[]}"#,
    );
    assert_eq!(
        (p.is_successful, p.commission, p.total_cost),
        (0, 1.05, 1901.55)
    );
    assert_eq!(p.error_code_text, "DayTradingBuyingPowerExceeded");

    let streamers = streamer::streamers(
        r#"{"QuoteAddresses":[{"Url":"wss://q.example:9995","Type":"Delayed","SessionId":"abc"}],
            "DataAddresses":[{"Url":"wss://d.example:9999","Type":"delayed"}]}"#,
    )
    .unwrap();
    let kinds: Vec<_> = streamers
        .items
        .iter()
        .map(|s| (s.value.url.as_ref(), s.value.is_quote))
        .collect();
    assert_eq!(
        kinds,
        [("wss://q.example:9995", 1), ("wss://d.example:9999", 0)]
    );

    let candles = market::candles(
        r#"{"SecurityHistory":[[{"ValuationLevels":[],"IsMarket":true,"Volume":1200,"Time":1700000000,
            "DateTime":"2023-11-14T22:13:20Z","Open":1.5,"High":2,"Low":1,"Close":1.75},
            {"Time":"1700000060","Open":"1.75","High":"1.8","Low":"1.7","Close":"1.72","Volume":"300"}]],
            "IndicatorsHistory":[]}"#,
    )
    .unwrap();
    let c: Vec<_> = candles
        .items
        .iter()
        .map(|c| (c.value.time_ms, c.value.close, c.value.volume))
        .collect();
    assert_eq!(
        c,
        [
            (1_700_000_000_000, 1.75, 1200.0),
            (1_700_000_060_000, 1.72, 300.0)
        ]
    );
    assert!(candles.items[0].json.contains("ValuationLevels"));
    assert!(candles.items.iter().all(|c| c.value.series == 0));
    let compared = market::compared(
        r#"[[{"Time":1700000000,"Close":1.5}],[{"Time":1700000000,"Close":9},{"Time":1700000060,"Close":9.5}]]"#,
    )
    .unwrap();
    let c: Vec<_> = compared
        .items
        .iter()
        .map(|c| (c.value.series, c.value.close))
        .collect();
    assert_eq!(c, [(0, 1.5), (1, 9.0), (1, 9.5)]);
    assert_eq!(
        market::candles(r#"{"SecurityHistory":[]}"#)
            .unwrap()
            .items
            .len(),
        0
    );
}
