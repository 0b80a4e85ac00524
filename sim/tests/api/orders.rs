//! The order engine over raw HTTP: fills, positions, transactions and
//! balances that agree; limit orders, partial fills, rejects, preview,
//! replace, cancel, malformed bodies and account access.

use crate::support::*;
use serde_json::Value;

/// A Wednesday, 10:00 New York time: the market is open.
const OPEN: &str = "2026-03-04T15:00:00Z";

fn transactions_of(api: &Api, account: i64, order_id: i64) -> Vec<Value> {
    let page = api.ok(&format!(
        "accounts/{account}/transactions?pageNumber=0&pageSize=100&sortBy=Id&isDesc=false&filter=OrderId%20%3D%20{order_id}"
    ));
    page["Result"].as_array().unwrap().clone()
}

#[test]
fn market_buy_fills_at_the_ask_and_the_books_agree() {
    let sim = trading_sim(OPEN, 50.0);
    let api = Api::alice(&sim);
    let before = api.info(1002);
    assert_eq!(
        api.ok("accounts/1002/positions/F"),
        serde_json::json!([]),
        "no F position yet"
    );

    let placed = api.place(
        1002,
        r#"{"Symbol":"F","Type":"Market","Side":"Buy","Quantity":10,"TimeInforce":"Day","ClientId":"buy-f-1"}"#,
    );
    assert_eq!(placed["Status"], "PendingNew");
    assert_eq!(placed["RequestStatus"], "RequireValidation");
    assert_eq!(placed["Target"], "New");
    assert_eq!(placed["ClientId"], "buy-f-1");
    assert_eq!(placed["ParentId"], -1);
    assert_eq!(placed["Legs"], serde_json::json!([]));
    assert_eq!(placed["ExpireDate"], "0001-01-01T00:00:00Z");
    assert!(placed.get("Price").is_none(), "nulls are omitted");
    let id = placed["Id"].as_i64().unwrap();

    let filled = api.wait_status(1002, id, "Filled");
    let price = num(&filled, "AveragePrice");
    assert_eq!(num(&filled, "ExecutedQuantity"), 10.0);
    assert_eq!(num(&filled, "LeavesQuantity"), 0.0);
    assert_eq!(num(&filled, "LastPrice"), price);
    assert_eq!(filled["ExecutionStatus"], "Filled");
    assert_eq!(filled["Exchange"], "XNYS");

    // The verification at acceptance quoted the same instant: the fill is
    // that quote's ask.
    let verified = api.ok(&format!("accounts/1002/verified/orders/{id}"));
    assert_eq!(verified["IsSucceed"], true);
    assert_eq!(verified["Errors"], serde_json::json!([]));
    assert_eq!(verified["Model"]["OrderId"], id);
    assert_eq!(verified["Model"]["IsSuccessful"], true);
    let quote = &verified["Model"]["Quotes"][0];
    assert_eq!(num(quote, "Ask"), price);
    assert!(num(quote, "Bid") < price);
    assert_eq!(quote["Symbol"], "F");

    // One OrderExecution transaction, commission $1 + $0.005/share.
    let txns = transactions_of(&api, 1002, id);
    assert_eq!(txns.len(), 1, "{txns:?}");
    let t = &txns[0];
    assert_eq!(t["Type"], "OrderExecution");
    assert_eq!(t["Symbol"], "F");
    assert_eq!(num(t, "Quantity"), 10.0);
    assert_eq!(num(t, "LeavesQuantity"), 0.0);
    assert_eq!(num(t, "Price"), price);
    assert_money(num(t, "Value"), -10.0 * price);
    assert_money(num(&t["Fee"], "Value"), 1.05);
    assert_eq!(t["Fee"]["ValueType"], "Absolute");
    assert_eq!(t["OrderId"], id);
    assert_eq!(t["Date"], filled["TransactionDate"]);

    // A position at the fill price; cash down by cost plus commission.
    let positions = api.ok("accounts/1002/positions/f");
    assert_eq!(positions.as_array().unwrap().len(), 1, "{positions}");
    let p = &positions[0];
    assert_eq!(p["Symbol"], "F");
    assert_eq!(num(p, "Quantity"), 10.0);
    assert_eq!(num(p, "AverageOpenPrice"), price);
    assert_money(num(p, "CostBasis"), 10.0 * price);
    assert_eq!(p["AccountId"], 1002);
    assert_eq!(p["SecurityType"], "CommonStock");

    let after = api.info(1002);
    assert_money(
        num(&after, "cash"),
        num(&before, "cash") - 10.0 * price - 1.05,
    );
    let long = num(&after, "stockLongMarketValue");
    assert!((long - 10.0 * price).abs() < 10.0 * 0.5, "{long}");
    assert_money(num(&after, "equityTotal"), num(&after, "cash") + long);
    assert_money(num(&after, "marketValue"), long);
    assert_eq!(num(&after, "pendingOrdersCount"), 0.0);
    for key in [
        "netCash",
        "excess",
        "netLiquidity",
        "stockShortMarketValue",
        "stockBuyingPower",
        "dayTradingBuyingPower",
        "openPL",
        "closePL",
        "totalPL",
        "maintenanceMargin",
        "dayTrades",
        "changeAbsolute",
        "changePercent",
        "pendingCash",
        "openPLDay",
        "openPLPercent",
        "optionBuyingPower",
        "forexBuyingPower",
    ] {
        assert!(after[key].is_number(), "{key} missing from {after}");
    }

    // Selling it back realizes P/L and closes the position.
    let sell = api.place(
        1002,
        r#"{"Symbol":"F","Type":"Market","Side":"Sell","Quantity":10}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    let sold = api.wait_status(1002, sell, "Filled");
    let exit = num(&sold, "AveragePrice");
    let closed = api.info(1002);
    assert_money(
        num(&closed, "closePL"),
        ((exit - price) * 10.0 * 100.0).round() / 100.0,
    );
    assert_money(
        num(&closed, "cash"),
        num(&after, "cash") + 10.0 * exit - 1.05,
    );
    assert_eq!(api.ok("accounts/1002/positions/F"), serde_json::json!([]));
    let t = &transactions_of(&api, 1002, sell)[0];
    assert_eq!(t["IsDayTrade"], true);
    assert_money(num(t, "Value"), 10.0 * exit);
    assert_eq!(sim.orders_accepted(), 2);
}

#[test]
fn limit_orders_rest_then_fill_when_the_price_crosses() {
    let sim = trading_sim(OPEN, 2000.0);
    let api = Api::alice(&sim);
    let preview = api.with_body(
        "POST",
        "accounts/1001/preview/orders",
        r#"{"Symbol":"TSLA","Type":"Market","Side":"Buy","Quantity":1}"#,
    );
    let ask = num(&preview.json()["Quotes"][0], "Ask");
    let limit = (ask * 0.997 * 100.0).round() / 100.0;
    let body = format!(
        r#"{{"Symbol":"TSLA","Type":"Limit","Side":"Buy","Quantity":5,"Price":{limit},"TimeInforce":"GoodTillCancel"}}"#
    );
    let placed = api.place(1001, &body);
    assert_eq!(num(&placed, "Price"), limit);
    let id = placed["Id"].as_i64().unwrap();
    let resting = api.wait_order(1001, id, |o| o["Status"] != "PendingNew");
    assert_eq!(
        resting["Status"], "New",
        "rests below the market: {resting}"
    );
    assert_eq!(resting["TimeInForce"], "GoodTillCancel");
    let info = api.info(1001);
    assert_eq!(num(&info, "pendingOrdersCount"), 1.0);
    assert!(num(&info, "pendingCash") >= 5.0 * limit);

    let filled = api.wait_status(1001, id, "Filled");
    let price = num(&filled, "AveragePrice");
    assert!(price <= limit, "{price} > {limit}");

    // The fill lies inside the 1-minute candle of its time.
    let t = &transactions_of(&api, 1001, id)[0];
    let when = etna_sim::parse_instant(t["Date"].as_str().unwrap()).unwrap();
    let secs = when
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let minute = secs - secs % 60;
    let history = api.with_body(
        "PUT",
        "history/symbols",
        &format!(
            r#"{{"Security":{{"Symbol":"TSLA"}},"SecurityHistorySettings":{{"StartDate":{minute},"EndDate":{},"CandlesCount":-1,"Period":"1m","Interval":-3,"IncludeNonMarketData":false}},"IndicatorsHistorySettings":[]}}"#,
            minute + 59
        ),
    );
    assert_eq!(history.status, 200, "{}", history.text);
    let candle = &history.json()["SecurityHistory"][0][0];
    assert_eq!(candle["Time"], minute);
    assert!(
        num(candle, "Low") <= price && price <= num(candle, "High"),
        "{price} outside {candle}"
    );
}

#[test]
fn large_orders_fill_in_chunks() {
    let sim = trading_sim(OPEN, 100.0);
    let api = Api::alice(&sim);
    let id = api.place(
        1002,
        r#"{"Symbol":"F","Type":"Market","Side":"Buy","Quantity":2500}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    let partial = api.wait_order(1002, id, |o| {
        o["Status"] != "PendingNew" && o["Status"] != "New"
    });
    assert_eq!(partial["Status"], "PartiallyFilled", "{partial}");
    assert_eq!(num(&partial, "ExecutedQuantity"), 1000.0);
    assert_eq!(num(&partial, "LeavesQuantity"), 1500.0);
    assert_eq!(num(&partial, "LastQuantity"), 1000.0);

    let filled = api.wait_status(1002, id, "Filled");
    assert_eq!(num(&filled, "ExecutedQuantity"), 2500.0);
    let txns = transactions_of(&api, 1002, id);
    let quantities: Vec<f64> = txns.iter().map(|t| num(t, "Quantity")).collect();
    let leaves: Vec<f64> = txns.iter().map(|t| num(t, "LeavesQuantity")).collect();
    let fees: Vec<f64> = txns.iter().map(|t| num(&t["Fee"], "Value")).collect();
    assert_eq!(quantities, [1000.0, 1000.0, 500.0]);
    assert_eq!(leaves, [1500.0, 500.0, 0.0]);
    assert_eq!(fees, [6.0, 5.0, 2.5]);
    // The average price is the volume-weighted fill price.
    let cost: f64 = txns
        .iter()
        .map(|t| num(t, "Quantity") * num(t, "Price"))
        .sum();
    assert!((num(&filled, "AveragePrice") - cost / 2500.0).abs() < 1e-9);
    let position = &api.ok("accounts/1002/positions/F")[0];
    assert_eq!(num(position, "Quantity"), 2500.0);
}

#[test]
fn rejects_for_money_and_shares() {
    let sim = trading_sim(OPEN, 50.0);
    let api = Api::alice(&sim);
    let before = api.info(1001);

    // Cash account: more than the cash.
    let id = api.place(
        1001,
        r#"{"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":100000}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    let rejected = api.wait_status(1001, id, "Rejected");
    assert_eq!(rejected["RequestStatus"], "Rejected");
    let description = rejected["Description"].as_str().unwrap();
    assert!(description.contains("buying power"), "{description}");
    let verified = api.ok(&format!("accounts/1001/verified/orders/{id}"));
    assert_eq!(verified["Model"]["IsSuccessful"], false);
    assert_eq!(
        verified["Model"]["ErrorDescription"],
        "InsufficientBuyingPower"
    );

    // Margin account: the documented day-trading code.
    let id = api.place(
        1002,
        r#"{"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":100000}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    api.wait_status(1002, id, "Rejected");
    let verified = api.ok(&format!("accounts/1002/verified/orders/{id}"));
    assert_eq!(
        verified["Model"]["ErrorDescription"],
        "DayTradingBuyingPowerExceeded"
    );

    // Selling more than held (alice holds 100 AAPL in 1001).
    let id = api.place(
        1001,
        r#"{"Symbol":"AAPL","Type":"Market","Side":"Sell","Quantity":101}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    let rejected = api.wait_status(1001, id, "Rejected");
    assert!(rejected["Description"].as_str().unwrap().contains("shares"));
    let verified = api.ok(&format!("accounts/1001/verified/orders/{id}"));
    assert_eq!(verified["Model"]["ErrorDescription"], "InsufficientShares");

    // Nothing moved.
    let after = api.info(1001);
    assert_eq!(after["cash"], before["cash"]);
    assert_eq!(
        num(&api.ok("accounts/1001/positions/AAPL")[0], "Quantity"),
        100.0
    );
    assert_eq!(sim.orders_accepted(), 3);
}

#[test]
fn preview_prices_and_rejects() {
    let sim = trading_sim(OPEN, 10.0);
    let api = Api::alice(&sim);
    let preview = |account: i64, body: &str| {
        let a = api.with_body("POST", &format!("accounts/{account}/preview/orders"), body);
        assert_eq!(a.status, 200, "{}", a.text);
        a.json()
    };
    let ok = preview(
        1001,
        r#"{"Symbol":"MSFT","Type":"Market","Side":"Buy","Quantity":10}"#,
    );
    assert_eq!(ok["IsSuccessful"], true);
    assert!(ok.get("ErrorDescription").is_none());
    assert_money(num(&ok, "Commission"), 1.05);
    assert_money(num(&ok["Commissions"], "Per Trade Commission"), 1.0);
    let quote = &ok["Quotes"][0];
    for key in [
        "Ask",
        "Bid",
        "Last",
        "Volume",
        "SecurityId",
        "Timestamp",
        "Symbol",
    ] {
        assert!(!quote[key].is_null(), "{key} missing in {quote}");
    }
    assert_eq!(quote["Symbol"], "MSFT");
    assert_money(num(&ok, "Cost"), 10.0 * num(quote, "Ask"));
    assert_money(num(&ok, "TotalCost"), num(&ok, "Cost") + 1.05);
    assert!(ok["NetCost"].is_number() && ok["MarginChange"].is_number());

    let code = |account: i64, body: &str| {
        let v = preview(account, body);
        assert_eq!(v["IsSuccessful"], false, "{v}");
        assert!(v["ErrorDescriptionText"].is_string(), "{v}");
        v["ErrorDescription"].as_str().unwrap().to_string()
    };
    for (account, order, reason) in [
        (
            1001,
            r#"{"Symbol":"MSFT","Type":"Market","Side":"Buy","Quantity":1000}"#,
            "InsufficientBuyingPower",
        ),
        (
            1002,
            r#"{"Symbol":"MSFT","Type":"Market","Side":"Buy","Quantity":5000}"#,
            "DayTradingBuyingPowerExceeded",
        ),
        (
            1001,
            r#"{"Symbol":"F","Type":"Market","Side":"Sell","Quantity":201}"#,
            "InsufficientShares",
        ),
        (
            1001,
            r#"{"Symbol":"F","Type":"Limit","Side":"Buy","Quantity":1}"#,
            "LimitPriceUndefined",
        ),
        (
            1001,
            r#"{"Symbol":"F","Type":"Stop","Side":"Buy","Quantity":1}"#,
            "QuotePriceIsInvalid",
        ),
        (
            1001,
            r#"{"Symbol":"NOPE","Type":"Market","Side":"Buy","Quantity":1}"#,
            "SymbolNotFound",
        ),
    ] {
        assert_eq!(code(account, order), reason, "{order}");
    }
    // A business reject on place is the verify model too; nothing placed.
    let a = api.with_body(
        "POST",
        "accounts/1001/orders",
        r#"{"Symbol":"F","Type":"Limit","Side":"Buy","Quantity":1}"#,
    );
    assert_eq!(a.status, 200);
    assert_eq!(a.json()["IsSuccessful"], false);
    assert_eq!(a.json()["ErrorDescription"], "LimitPriceUndefined");
    assert_eq!(sim.orders_accepted(), 0);
}

#[test]
fn replace_then_cancel() {
    let sim = trading_sim(OPEN, 50.0);
    let api = Api::alice(&sim);
    let old = api.place(
        1001,
        r#"{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":10,"Price":1.0,"TimeInforce":"GoodTillCancel","ClientId":"r-1"}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    api.wait_status(1001, old, "New");

    // The id in the body must be the route's.
    let path = format!("accounts/1001/orders/{old}");
    let mismatch = api.with_body("PUT", &path, r#"{"Id":1,"Price":2}"#);
    assert_eq!(mismatch.status, 400, "{}", mismatch.text);
    assert!(mismatch.json()["Message"].is_string());
    let no_id = api.with_body("PUT", &path, r#"{"Price":2}"#);
    no_id.assert(
        422,
        r#"{"Message":"Validation error occured while processing entity","ModelState":{"modifyParams.Id":["An error has occurred."]}}"#,
    );
    // Business rejects: 200 verify model, the order untouched.
    let reject = api.with_body(
        "PUT",
        &path,
        &format!(r#"{{"Id":{old},"Type":"StopLimit","StopPrice":1}}"#),
    );
    assert_eq!(reject.status, 200);
    assert_eq!(reject.json()["IsSuccessful"], false);
    assert_eq!(reject.json()["ErrorDescription"], "LimitPriceUndefined");
    let reject = api.with_body("PUT", &path, &format!(r#"{{"Id":{old},"Quantity":0}}"#));
    assert_eq!(reject.json()["IsSuccessful"], false);
    let preview = api.with_body(
        "PUT",
        &format!("accounts/1001/preview/orders/{old}"),
        &format!(r#"{{"Id":{old},"Quantity":20,"Price":2}}"#),
    );
    assert_eq!(preview.status, 200);
    assert_eq!(preview.json()["IsSuccessful"], true);
    assert_money(num(&preview.json(), "Cost"), 40.0);
    assert_eq!(api.order(1001, old)["Status"], "New");

    // The replace: the old order becomes Replaced, a new one takes over.
    let replaced = api.with_body(
        "PUT",
        &path,
        &format!(r#"{{"Id":{old},"Quantity":20,"Price":2}}"#),
    );
    assert_eq!(replaced.status, 200, "{}", replaced.text);
    let new = replaced.json();
    let new_id = new["Id"].as_i64().unwrap();
    assert_ne!(new_id, old);
    assert_eq!(new["Status"], "PendingReplace");
    assert_eq!(new["Target"], "Modify");
    assert_eq!(num(&new, "Quantity"), 20.0);
    assert_eq!(num(&new, "Price"), 2.0);
    assert_eq!(new["ClientId"], "r-1");
    let old_now = api.order(1001, old);
    assert_eq!(old_now["Status"], "Replaced");
    assert_eq!(num(&old_now, "LeavesQuantity"), 0.0);
    api.wait_status(1001, new_id, "New");
    // A finished order cannot be replaced.
    let conflict = api.with_body("PUT", &path, &format!(r#"{{"Id":{old},"Price":3}}"#));
    assert_eq!(conflict.status, 409);
    assert!(conflict.json()["Message"].is_string());

    // Cancel: 204 without a body, then 409.
    let new_path = format!("accounts/1001/orders/{new_id}");
    let cancel = api.delete(&new_path);
    assert_eq!((cancel.status, cancel.text.as_str()), (204, ""));
    let canceled = api.order(1001, new_id);
    assert_eq!(canceled["Status"], "Canceled");
    assert_eq!(num(&canceled, "LeavesQuantity"), 0.0);
    let again = api.delete(&new_path);
    assert_eq!(again.status, 409);
    assert!(
        again.json()["Message"]
            .as_str()
            .unwrap()
            .contains("Canceled")
    );
    // Filled orders cannot be canceled either; unknown ones are 404.
    let filled = api.place(
        1001,
        r#"{"Symbol":"F","Type":"Market","Side":"Buy","Quantity":1}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    api.wait_status(1001, filled, "Filled");
    assert_eq!(
        api.delete(&format!("accounts/1001/orders/{filled}")).status,
        409
    );
    let unknown = api.delete("accounts/1001/orders/999");
    assert_eq!(unknown.status, 404);
    assert!(unknown.json()["Message"].is_string());
    let unknown = api.get("accounts/1001/orders/999");
    assert_eq!(unknown.status, 404);
    // Another account's order is not found in this one.
    assert_eq!(
        api.get(&format!("accounts/1002/orders/{filled}")).status,
        404
    );
}

#[test]
fn malformed_bodies_are_422_and_not_counted() {
    let sim = trading_sim(OPEN, 10.0);
    let api = Api::alice(&sim);
    let post = |body: &str| api.with_body("POST", "accounts/1001/orders", body);
    post("not json").assert(
        422,
        r#"{"Message":"Validation error occured while processing entity","ModelState":{"placeParams":["An error has occurred."]}}"#,
    );
    post(r#"{"Symbol":"AAPL","Side":"Buy","Quantity":1}"#).assert(
        422,
        r#"{"Message":"Validation error occured while processing entity","ModelState":{"placeParams.Type":["An error has occurred."]}}"#,
    );
    post(r#"{"Symbol":"AAPL","Type":"Market","Side":"Sideways","Quantity":1}"#).assert(
        422,
        r#"{"Message":"Validation error occured while processing entity","ModelState":{"placeParams.Side":["An error has occurred."]}}"#,
    );
    let missing_all = post("{}");
    assert_eq!(missing_all.status, 422);
    for field in ["Type", "Side", "Quantity"] {
        assert!(missing_all.text.contains(&format!("placeParams.{field}")));
    }
    let preview = api.with_body("POST", "accounts/1001/preview/orders", "[]");
    assert_eq!(preview.status, 422);
    assert_eq!(sim.orders_accepted(), 0);

    // Names are case-insensitive, enums too; TimeInForce is accepted as
    // well as the create spelling TimeInforce.
    let o = api.place(
        1001,
        r#"{"symbol":"aapl","type":"limit","side":"buy","quantity":"3","price":1,"TimeInForce":"goodtillcancel"}"#,
    );
    assert_eq!(o["Symbol"], "AAPL");
    assert_eq!(o["Type"], "Limit");
    assert_eq!(o["TimeInForce"], "GoodTillCancel");
    assert_eq!(sim.orders_accepted(), 1);
}

#[test]
fn accounts_of_others_unknown_and_at_me() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    for route in ["info", "orders?pageNumber=0&pageSize=10", "positions/AAPL"] {
        let other = api.get(&format!("accounts/1003/{route}"));
        other.assert(401, DENIED);
        let unknown = api.get(&format!("accounts/101/{route}"));
        unknown.assert(
            500,
            r#"{"message":"An error occurred while processing your request","error":"Unexpected server error"}"#,
        );
        api.get(&format!("accounts/@me/{route}"))
            .assert(400, r#"{"Message":"The request is invalid."}"#);
        assert_eq!(api.get(&format!("accounts/abc/{route}")).status, 404);
    }
    let post = api.with_body(
        "POST",
        "accounts/1003/orders",
        r#"{"Symbol":"F","Type":"Market","Side":"Buy","Quantity":1}"#,
    );
    post.assert(401, DENIED);
    // No bearer: 401 before anything else.
    get(&sim, "v1.0/accounts/1001/info", None).assert(401, DENIED);
    // A numeric id instead of a ticker is the documented 500.
    assert_eq!(api.get("accounts/1001/positions/1").status, 500);
    assert_eq!(sim.orders_accepted(), 0);
}

#[test]
fn replacing_a_partially_filled_order_keeps_its_executions() {
    let sim = trading_sim(OPEN, 20.0);
    let api = Api::alice(&sim);
    let old = api.place(
        1002,
        r#"{"Symbol":"F","Type":"Market","Side":"Buy","Quantity":3000,"TimeInforce":"GoodTillCancel"}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    let partial = api.wait_order(1002, old, |o| num(o, "ExecutedQuantity") > 0.0);
    assert_eq!(partial["Status"], "PartiallyFilled");
    assert_eq!(num(&partial, "ExecutedQuantity"), 1000.0);
    let path = format!("accounts/1002/orders/{old}");

    // Not below what has been executed.
    let below = api.with_body("PUT", &path, &format!(r#"{{"Id":{old},"Quantity":500}}"#));
    assert_eq!(below.status, 200);
    assert_eq!(below.json()["IsSuccessful"], false);
    assert_eq!(below.json()["ErrorDescription"], "QuantityLessThanExecuted");

    let replaced = api.with_body("PUT", &path, &format!(r#"{{"Id":{old},"Quantity":1500}}"#));
    assert_eq!(replaced.status, 200, "{}", replaced.text);
    let new = replaced.json();
    let new_id = new["Id"].as_i64().unwrap();
    assert_eq!(num(&new, "ExecutedQuantity"), 1000.0);
    assert_eq!(num(&new, "LeavesQuantity"), 500.0);
    assert_eq!(new["Description"], format!("Replaces order {old}"));
    let old_now = api.order(1002, old);
    assert_eq!(old_now["Status"], "Replaced");
    assert_eq!(
        old_now["Description"],
        format!("Replaced by order {new_id}")
    );

    let done = api.wait_status(1002, new_id, "Filled");
    assert_eq!(num(&done, "ExecutedQuantity"), 1500.0);
    let position = &api.ok("accounts/1002/positions/F")[0];
    assert_eq!(num(position, "Quantity"), 1500.0);
    // The per-trade dollar was charged once, with the first execution.
    let fees: Vec<f64> = transactions_of(&api, 1002, old)
        .iter()
        .chain(transactions_of(&api, 1002, new_id).iter())
        .map(|t| num(&t["Fee"], "Value"))
        .collect();
    assert_eq!(fees, [6.0, 2.5]);
}
