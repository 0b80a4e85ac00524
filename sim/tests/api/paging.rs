//! Paging, sorting and filters on orders, positions and transactions;
//! missing paging parameters in both dialects.

use crate::support::*;
use serde_json::Value;

const OPEN: &str = "2026-03-04T15:00:00Z";

/// Five resting orders in account 1002 (prices far from the market), the
/// third canceled. Returns their ids in placement order.
fn five_orders(api: &Api) -> Vec<i64> {
    let bodies = [
        r#"{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":5,"Price":1,"TimeInforce":"GoodTillCancel","ClientId":"p-1"}"#,
        r#"{"Symbol":"MSFT","Type":"Limit","Side":"Buy","Quantity":50,"Price":1,"TimeInforce":"GoodTillCancel","ClientId":"p-2"}"#,
        r#"{"Symbol":"AMZN","Type":"Limit","Side":"Buy","Quantity":20,"Price":1,"TimeInforce":"GoodTillCancel","ClientId":"p-3"}"#,
        r#"{"Symbol":"NVDA","Type":"Limit","Side":"Buy","Quantity":15,"Price":1,"TimeInforce":"GoodTillCancel","ClientId":"q-4"}"#,
        r#"{"Symbol":"SPY","Type":"Limit","Side":"SellShort","Quantity":30,"Price":9999,"TimeInforce":"GoodTillCancel","ClientId":"q-5"}"#,
    ];
    let ids: Vec<i64> = bodies
        .iter()
        .map(|b| api.place(1002, b)["Id"].as_i64().unwrap())
        .collect();
    for id in &ids {
        api.wait_status(1002, *id, "New");
    }
    assert_eq!(
        api.delete(&format!("accounts/1002/orders/{}", ids[2]))
            .status,
        204
    );
    ids
}

fn ids_of(page: &Value) -> Vec<i64> {
    page["Result"]
        .as_array()
        .unwrap_or_else(|| panic!("no Result in {page}"))
        .iter()
        .map(|o| o["Id"].as_i64().unwrap())
        .collect()
}

#[test]
fn orders_page_with_absolute_links() {
    let sim = trading_sim(OPEN, 20.0);
    let api = Api::alice(&sim);
    let ids = five_orders(&api);
    let base = format!(
        "http://127.0.0.1:{}/api/v1.0/accounts/1002/orders",
        sim.port()
    );

    let first = api.ok("accounts/1002/orders?pageNumber=0&pageSize=2");
    assert_eq!(first["TotalCount"], 5);
    assert_eq!(ids_of(&first), ids[..2]);
    assert_eq!(first["PreviousPageLink"], "");
    assert_eq!(
        first["NextPageLink"],
        format!("{base}?pageNumber=1&pageSize=2")
    );

    let second = api.get_url(first["NextPageLink"].as_str().unwrap()).json();
    assert_eq!(ids_of(&second), ids[2..4]);
    assert_eq!(
        second["PreviousPageLink"],
        format!("{base}?pageNumber=0&pageSize=2")
    );
    let third = api.get_url(second["NextPageLink"].as_str().unwrap()).json();
    assert_eq!(ids_of(&third), ids[4..]);
    assert_eq!(third["NextPageLink"], "");
    assert_eq!(
        third["PreviousPageLink"],
        format!("{base}?pageNumber=1&pageSize=2")
    );
    // Past the end: empty, still counted.
    let past = api.ok("accounts/1002/orders?pageNumber=7&pageSize=2");
    assert_eq!(ids_of(&past), Vec::<i64>::new());
    assert_eq!(past["TotalCount"], 5);

    // Other parameters are kept in the links, in the order sent.
    let sorted =
        api.ok("accounts/1002/orders?sortField=Quantity&desc=true&pageSize=2&pageNumber=0");
    assert_eq!(ids_of(&sorted), [ids[1], ids[4]]);
    assert_eq!(
        sorted["NextPageLink"],
        format!("{base}?sortField=Quantity&desc=true&pageSize=2&pageNumber=1")
    );
    let ascending =
        api.ok("accounts/1002/orders?pageNumber=0&pageSize=10&sortField=quantity&desc=false");
    assert_eq!(ids_of(&ascending), [ids[0], ids[3], ids[2], ids[4], ids[1]]);
    let by_symbol = api.ok("accounts/1002/orders?pageNumber=0&pageSize=10&sortField=Symbol");
    assert_eq!(ids_of(&by_symbol), [ids[0], ids[2], ids[1], ids[3], ids[4]]);

    // Page size limits: 1..=100.
    for bad in [
        "pageSize=0",
        "pageSize=101",
        "pageSize=x",
        "pageSize=2&desc=maybe",
        "pageSize=2&sortField=Nope",
    ] {
        let a = api.get(&format!("accounts/1002/orders?pageNumber=0&{bad}"));
        assert_eq!(a.status, 400, "{bad}: {}", a.text);
        assert!(a.json()["Message"].is_string());
    }
}

#[test]
fn order_filters() {
    let sim = trading_sim(OPEN, 20.0);
    let api = Api::alice(&sim);
    let ids = five_orders(&api);
    let filtered = |filter: &str| -> Vec<i64> {
        let encoded: String = filter
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        let a = api.get(&format!(
            "accounts/1002/orders?pageNumber=0&pageSize=100&filter={encoded}"
        ));
        assert_eq!(a.status, 200, "{filter}: {}", a.text);
        ids_of(&a.json())
    };
    let all_but_canceled = vec![ids[0], ids[1], ids[3], ids[4]];
    assert_eq!(filtered("Status in (0,1)"), all_but_canceled);
    assert_eq!(filtered("Status in (0, 1, 4, 5, 7)"), ids);
    assert_eq!(filtered("Status = 4"), [ids[2]]);
    assert_eq!(filtered("Status = 'Canceled'"), [ids[2]]);
    assert_eq!(
        filtered("Side = 'Buy' and Quantity > 10"),
        [ids[1], ids[2], ids[3]]
    );
    assert_eq!(
        filtered("side = 'buy' AND quantity >= 15 and Quantity <= 20"),
        [ids[2], ids[3]]
    );
    assert_eq!(filtered("Side = 'SellShort'"), [ids[4]]);
    assert_eq!(filtered("Symbol contains 'M'"), [ids[1], ids[2]]);
    assert_eq!(filtered("ClientId startsWith 'p-'"), ids[..3]);
    assert_eq!(filtered("ClientId endsWith '5'"), [ids[4]]);
    assert_eq!(filtered(&format!("Id = {}", ids[3])), [ids[3]]);
    assert_eq!(filtered("Type = 'Limit' and Price < 2"), ids[..4]);
    assert_eq!(
        filtered("Quantity between 10 and 30"),
        [ids[2], ids[3], ids[4]]
    );
    assert_eq!(filtered("CreateDate > #2026-03-04T00:00:00Z#"), ids);
    assert_eq!(
        filtered("CreateDate < #2026-03-04T00:00:00Z#"),
        Vec::<i64>::new()
    );

    for bad in [
        "Status in (0,1",
        "Nope = 1",
        "Quantity > 'abc'",
        "Status = 99",
        "Side = 'Buy' or Quantity > 1",
        "Symbol =",
    ] {
        let encoded = bad
            .replace(' ', "%20")
            .replace('\'', "%27")
            .replace('=', "%3D")
            .replace('>', "%3E")
            .replace('(', "%28")
            .replace(')', "%29")
            .replace(',', "%2C");
        let a = api.get(&format!(
            "accounts/1002/orders?pageNumber=0&pageSize=10&filter={encoded}"
        ));
        assert_eq!(a.status, 400, "{bad}: {}", a.text);
        assert!(
            a.json()["Message"]
                .as_str()
                .unwrap()
                .starts_with("Invalid filter"),
            "{}",
            a.text
        );
    }
}

#[test]
fn missing_paging_parameters_are_404_in_both_dialects() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    let port = sim.port();
    let route_404 = |path: &str| {
        format!(
            r#"{{"Message":"No HTTP resource was found that matches the request URI 'http://127.0.0.1:{port}/api/v1.0/{path}'."}}"#
        )
    };
    for path in [
        "accounts/1001/orders",
        "accounts/1001/orders?pageNumber=0",
        "accounts/1001/orders?pageSize=10",
        "accounts/1001/orders?pageNumber=&pageSize=10",
        "accounts/1001/positions?pageNumber=0&pageSize=10&sortField=Symbol",
        "accounts/1001/positions?pageNumber=0&pageSize=10&desc=false",
        "accounts/1001/positions",
        "equities/lookup?mask=A",
        "equities/lookup?count=3",
    ] {
        api.get(path).assert(404, &route_404(path));
    }
    let version_404 = r#"{"Error":{"Code":"UnsupportedApiVersion","Message":"The requested resource with API version '1.0' does not support HTTP method 'GET'."}}"#;
    for path in [
        "accounts/1001/transactions",
        "accounts/1001/transactions?pageNumber=0&pageSize=10&sortBy=Date",
        "accounts/1001/transactions?pageNumber=0&pageSize=10&isDesc=true",
        // The orders names are not the transactions names.
        "accounts/1001/transactions?pageNumber=0&pageSize=10&sortField=Date&desc=true",
    ] {
        api.get(path).assert(404, version_404);
    }
}

#[test]
fn positions_and_transactions_page() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    let port = sim.port();
    let page =
        api.ok("accounts/1001/positions?pageNumber=0&pageSize=1&sortField=Symbol&desc=false");
    assert_eq!(page["TotalCount"], 2);
    assert_eq!(page["Result"][0]["Symbol"], "AAPL");
    assert_eq!(
        page["NextPageLink"],
        format!(
            "http://127.0.0.1:{port}/api/v1.0/accounts/1001/positions?pageNumber=1&pageSize=1&sortField=Symbol&desc=false"
        )
    );
    let next = api.get_url(page["NextPageLink"].as_str().unwrap()).json();
    assert_eq!(next["Result"][0]["Symbol"], "F");
    assert_eq!(next["NextPageLink"], "");
    let p = &next["Result"][0];
    for key in [
        "Id",
        "AccountId",
        "SecurityId",
        "Symbol",
        "Name",
        "CompanyName",
        "SecurityCurrency",
        "SecurityType",
        "ContractSize",
        "CostBasis",
        "DailyCostBasis",
        "CreateDate",
        "ModifyDate",
        "Quantity",
        "RealizedProfitLoss",
        "AverageOpenPrice",
        "AverageClosePrice",
        "MarketValueEOD",
    ] {
        assert!(!p[key].is_null(), "{key} missing in {p}");
    }
    assert_eq!(num(p, "Quantity"), 200.0);
    assert_eq!(num(p, "AverageOpenPrice"), 11.5);
    assert_money(num(p, "CostBasis"), 2300.0);
    assert_eq!(p["CreateDate"], "2024-01-02T15:00:00.0000000Z");
    let desc =
        api.ok("accounts/1001/positions?pageNumber=0&pageSize=10&sortField=Quantity&desc=true");
    assert_eq!(desc["Result"][0]["Symbol"], "F");
    let filtered = api.ok("accounts/1001/positions?pageNumber=0&pageSize=10&sortField=Symbol&desc=false&filter=Quantity%20%3C%20150");
    assert_eq!(filtered["TotalCount"], 1);
    assert_eq!(filtered["Result"][0]["Symbol"], "AAPL");
    assert_eq!(
        api.get("accounts/1001/positions?pageNumber=0&pageSize=100&sortField=Symbol&desc=false")
            .status,
        400
    );

    // Transactions: the deposit and two transfers, newest first.
    let t = api.ok("accounts/1001/transactions?pageSize=2&pageNumber=0&sortBy=Id&isDesc=true");
    assert_eq!(t["TotalCount"], 3);
    let types: Vec<&str> = t["Result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["Type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["ManualManipulation", "ManualManipulation"]);
    assert_eq!(
        t["NextPageLink"],
        format!(
            "http://127.0.0.1:{port}/api/v1.0/accounts/1001/transactions?pageSize=2&pageNumber=1&sortBy=Id&isDesc=true"
        )
    );
    let last = api.get_url(t["NextPageLink"].as_str().unwrap()).json();
    let deposit = &last["Result"][0];
    assert_eq!(deposit["Type"], "Payment");
    assert_eq!(deposit["SecurityId"], -1);
    assert_money(num(deposit, "Value"), 100_000.0);
    assert!(
        deposit.get("Symbol").is_none(),
        "null Symbol omitted: {deposit}"
    );
    assert_eq!(deposit["Date"], "2024-01-02T14:30:00.0000000Z");
    let payments = api.ok("accounts/1001/transactions?pageSize=10&pageNumber=0&sortBy=Date&isDesc=false&filter=Type%20%3D%20%27Payment%27");
    assert_eq!(payments["TotalCount"], 1);
}
