//! The remaining record routes over raw HTTP: an account's record and opening record, a
//! user's summed balances and trading settings, chart comparison, and fault rules and
//! counters on the routes added with options, alerts and news.

use serde_json::{Value, json};

use crate::support::*;

/// A Saturday: the market is closed, prices stand still.
const SATURDAY: &str = "2026-03-07T15:00:00Z";

#[test]
fn account_record_and_opening_record() {
    let sim = trading_sim(SATURDAY, 1.0);
    let api = Api::alice(&sim);
    let record = api.ok("accounts/1001");
    let list = record.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let a = &list[0];
    let info = api.info(1001);
    assert_eq!(a["Id"], 1001);
    assert_eq!(a["ClearingAccount"], "SIM1001");
    assert_eq!(a["Login"], "alice");
    assert_eq!(a["MarginType"], "Cash");
    assert_eq!(a["AccountName"], "Alice cash");
    assert_eq!(a["UserId"], 101);
    assert_eq!(a["CreatedDate"], "2024-01-02T14:30:00.0000000Z");
    assert_eq!(a["Cash"], info["cash"]);
    assert_eq!(a["EquityTotal"], info["equityTotal"]);
    assert_eq!(a["MarketValue"], info["marketValue"]);
    assert_eq!(a["OpenPL"], info["openPL"]);
    assert!(a.get("MiddleName").is_none(), "nulls are omitted");
    assert_eq!(api.ok("accounts/1002")[0]["MarginType"], "Margin");
    // Unknown is 404 here (not the other account routes' 500); another user's is 401.
    api.get("accounts/4242")
        .assert(404, r#"{"Message":"Account 4242 was not found."}"#);
    api.get("accounts/1003").assert(401, DENIED);
    api.get("accounts/@me")
        .assert(400, r#"{"Message":"The request is invalid."}"#);

    let details = api.ok("accounts/1001/details");
    assert_eq!(
        details,
        json!({"Id":"5a1d03e9-0000-4000-8000-0000000003e9","CreatedAt":"2024-01-02T14:30:00.0000000Z",
               "AccountProvider":"PaperTrading","FormType":"Direct","User":"alice",
               "ClearingAccountNumber":"SIM1001","IsOpened":true,"CustomerType":"Individual"})
    );
    api.get("accounts/1003/details").assert(401, DENIED);
}

#[test]
fn user_balances_add_up_the_accounts() {
    let sim = trading_sim(SATURDAY, 1.0);
    let api = Api::alice(&sim);
    let total = api.ok("users/@me/balance-info");
    let (a, b) = (api.info(1001), api.info(1002));
    for key in [
        "cash",
        "equityTotal",
        "stockLongMarketValue",
        "openPL",
        "marketValue",
    ] {
        assert_money(num(&total, key), num(&a, key) + num(&b, key));
    }
    assert_eq!(
        total.as_object().unwrap().len(),
        a.as_object().unwrap().len()
    );
    api.get("users/102/balance-info").assert(401, DENIED);
    assert_eq!(api.get("users/999/balance-info").status, 500);
}

#[test]
fn trading_settings_are_stored_per_user() {
    let sim = trading_sim(SATURDAY, 1.0);
    let api = Api::alice(&sim);
    let defaults = api.ok("users/@me/settings/trading");
    assert_eq!(defaults["Instruments"]["Stocks"]["Quantity"], 100);
    assert_eq!(defaults["Instruments"]["Options"]["Spreads"], 1);
    assert_eq!(defaults["MaxOptionsQuantity"], 100);
    assert_eq!(defaults["SkipVerifyOrder"], "False");

    let changed = api.with_body(
        "PUT",
        "users/101/settings/trading",
        r#"{"maxStocksQuantity":5,"Instruments":{"Options":{"Spreads":3,"AON":true}},"Unknown":1}"#,
    );
    assert_eq!(changed.status, 200, "{}", changed.text);
    let changed = changed.json();
    assert_eq!(changed["MaxStocksQuantity"], 5);
    assert_eq!(changed["Instruments"]["Options"]["Spreads"], 3);
    assert_eq!(changed["Instruments"]["Options"]["AON"], true);
    assert_eq!(
        changed["Instruments"]["Stocks"],
        defaults["Instruments"]["Stocks"]
    );
    assert!(changed.get("Unknown").is_none());
    assert_eq!(api.ok("users/@me/settings/trading"), changed);

    // A wrong type changes nothing.
    api.with_body(
        "PUT",
        "users/@me/settings/trading",
        r#"{"MaxStocksQuantity":"many","Instruments":{"Stocks":{"AON":1}}}"#,
    )
    .assert(
        422,
        r#"{"Message":"Validation error occured while processing entity","ModelState":{"tradingSettings.Instruments.Stocks.AON":["An error has occurred."],"tradingSettings.MaxStocksQuantity":["An error has occurred."]}}"#,
    );
    api.with_body("PUT", "users/@me/settings/trading", "[]").assert(
        422,
        r#"{"Message":"Validation error occured while processing entity","ModelState":{"tradingSettings":["An error has occurred."]}}"#,
    );
    assert_eq!(api.ok("users/@me/settings/trading"), changed);
    api.get("users/102/settings/trading").assert(401, DENIED);
}

#[test]
fn chart_comparison_gives_one_series_per_security() {
    let sim = trading_sim(SATURDAY, 1.0);
    let api = Api::alice(&sim);
    let settings = r#""SecuritiesHistorySettings":{"Period":"1D","StartDate":1772409600,"EndDate":1772841600}"#;
    let a = api.with_body(
        "PUT",
        "history/compare",
        &format!(r#"{{"Securities":[{{"Symbol":"AAPL"}},{{"Symbol":"F"}}],{settings}}}"#),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let series = a.json();
    assert_eq!(series.as_array().unwrap().len(), 2);
    // The same candles as history/symbols.
    let single = api.with_body(
        "PUT",
        "history/symbols",
        r#"{"Security":{"Symbol":"F"},"SecurityHistorySettings":{"Period":"1D","StartDate":1772409600,"EndDate":1772841600}}"#,
    );
    assert_eq!(series[1], single.json()["SecurityHistory"][0]);
    assert_eq!(series[0].as_array().unwrap().len(), 5, "Monday to Friday");
    let unknown = api.with_body(
        "PUT",
        "history/compare",
        &format!(r#"{{"Securities":[{{"Symbol":"NOPE"}}],{settings}}}"#),
    );
    unknown.assert(
        409,
        r#"{"Message":"There is no history data for the requested security and period."}"#,
    );
    for bad in [
        format!(r#"{{"Securities":[],{settings}}}"#),
        r#"{"Securities":[{"Symbol":"F"}]}"#.to_string(),
        "nope".to_string(),
    ] {
        api.with_body("PUT", "history/compare", &bad)
            .assert(400, r#"{"Message":"The request is invalid."}"#);
    }
}

#[test]
fn the_new_routes_take_faults_and_are_counted() {
    let sim = trading_sim(SATURDAY, 1.0);
    let api = Api::alice(&sim);
    sim.add_faults(
        r#"{"Rules":[
            {"Method":"GET","Path":"/api/v1.0/options/*","Kind":"Status","Status":503,"Times":1},
            {"Method":"GET","Path":"/api/v1.0/news","Kind":"RateLimit","RetryAfter":2,"Times":1},
            {"Method":"POST","Path":"/api/v1.0/users/*/pricealerts","Kind":"Status","Status":409,"Times":1}
        ]}"#,
    )
    .unwrap();
    api.get("options/expirations?underlying=F")
        .assert(503, r#"{"Message":"Service Unavailable"}"#);
    assert_eq!(api.get("options/expirations?underlying=F").status, 200);
    let limited = api.get("news?symbol=F");
    assert_eq!(limited.status, 429, "{}", limited.text);
    assert_eq!(api.get("news?symbol=F").status, 200);
    let alert = json!({"Operator":"GTEQ","SecurityId":1,"Field":"Last","Argument":1,"ExpirationDate":1_900_000_000});
    api.with_body("POST", "users/@me/pricealerts", &alert.to_string())
        .assert(
            409,
            r#"{"Message":"The request conflicts with the current state of the resource."}"#,
        );
    let created = api.with_body("POST", "users/@me/pricealerts", &alert.to_string());
    assert_eq!(created.status, 200);
    let page = api.ok("users/@me/pricealerts?pageSize=5&pageNumber=0&sortBy=Id&isDesc=false");
    assert_eq!(page["TotalCount"], 1, "the faulted POST created nothing");

    let stats = sim.stats();
    let requests = &stats["Requests"];
    let count = |key: &str| requests[key].as_u64().unwrap_or(0);
    assert_eq!(count("GET /api/v1.0/options/expirations"), 1);
    assert_eq!(count("GET /api/v1.0/news"), 1);
    assert_eq!(count("POST /api/v1.0/users/{userId}/pricealerts"), 1);
    assert_eq!(count("GET /api/v1.0/users/{userId}/pricealerts"), 1);
    assert_eq!(stats["Faulted"]["Status"], 2);
    assert_eq!(stats["Faulted"]["RateLimit"], 1);
    for path in [
        "options/1",
        "options/optionChain/F",
        "equities?pageNumber=0&pageSize=1&sortField=Id&desc=false",
        "accounts/1001/history?startDate=2026-03-01&endDate=2026-03-02",
        "accounts/1001",
        "accounts/1001/details",
        "users/@me/balance-info",
        "users/@me/settings/trading",
    ] {
        api.get(path);
    }
    let stats: Value = sim.stats();
    for key in [
        "GET /api/v1.0/options/{symbol}",
        "GET /api/v1.0/options/optionChain/{symbol}",
        "GET /api/v1.0/equities",
        "GET /api/v1.0/accounts/{accountId}/history",
        "GET /api/v1.0/accounts/{accountId}",
        "GET /api/v1.0/accounts/{accountId}/details",
        "GET /api/v1.0/users/{userId}/balance-info",
        "GET /api/v1.0/users/{userId}/settings/trading",
    ] {
        assert_eq!(stats["Requests"][key], 1, "{key}: {stats}");
    }
}

#[test]
fn history_exports_as_a_spreadsheet_of_the_same_candles() {
    let sim = trading_sim(SATURDAY, 1.0);
    let api = Api::alice(&sim);
    let request = r#"{"Security":{"Symbol":"F"},"SecurityHistorySettings":{"Period":"1D","StartDate":1772409600,"EndDate":1772841600}}"#;
    let (status, content_type, bytes) = api.post_for_file("history/export", request);
    assert_eq!(status, 200);
    assert_eq!(
        content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(bytes.starts_with(b"PK\x03\x04"), "a ZIP archive");
    let text = String::from_utf8_lossy(&bytes);
    let candles = api.with_body("PUT", "history/symbols", request).json();
    let candles = candles["SecurityHistory"][0].as_array().unwrap().clone();
    assert_eq!(candles.len(), 5);
    for (row, c) in candles.iter().enumerate() {
        let close = format!(
            r#"<c r="E{}"><v>{}</v></c>"#,
            row + 2,
            c["Close"].as_f64().unwrap()
        );
        assert!(text.contains(&close), "{close} missing");
    }
    // Errors are the JSON ones of history/symbols.
    let (status, _, bytes) = api.post_for_file("history/export", "nope");
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&bytes));
    let (status, _, _) = api.post_for_file("history/export", &request.replace("\"F\"", "\"NOPE\""));
    assert_eq!(status, 409);
}
