//! An order's state history (`orders/{id}/details`), its verification, and the `syncorders`
//! routes that mirror the quick order routes, over raw HTTP.

use serde_json::{Value, json};

use crate::support::*;

/// A Wednesday, 10:00 New York time: the market is open.
const OPEN: &str = "2026-03-04T15:00:00Z";

fn details(api: &Api, account: i64, id: i64) -> Vec<Value> {
    api.ok(&format!("accounts/{account}/orders/{id}/details"))
        .as_array()
        .unwrap()
        .clone()
}

fn statuses(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|d| d["Status"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn details_list_every_state_an_order_went_through() {
    let sim = trading_sim(OPEN, 50.0);
    let api = Api::alice(&sim);
    // 2,500 shares fill in three executions, 30 session seconds apart.
    let big = api.place(
        1002,
        r#"{"Symbol":"F","Type":"Market","Side":"Buy","Quantity":2500,"ClientId":"d-1"}"#,
    );
    let id = big["Id"].as_i64().unwrap();
    let filled = api.wait_status(1002, id, "Filled");
    let list = details(&api, 1002, id);
    assert_eq!(
        statuses(&list),
        [
            "PendingNew",
            "New",
            "PartiallyFilled",
            "PartiallyFilled",
            "Filled"
        ]
    );
    let state_ids: Vec<i64> = list
        .iter()
        .map(|d| d["StateId"].as_i64().unwrap())
        .collect();
    assert_eq!(state_ids, [1, 2, 3, 4, 5]);
    assert_eq!(filled["StateId"], 5);
    let executed: Vec<f64> = list.iter().map(|d| num(d, "ExecutedQuantity")).collect();
    assert_eq!(executed, [0.0, 0.0, 1000.0, 2000.0, 2500.0]);
    let leaves: Vec<f64> = list.iter().map(|d| num(d, "LeavesQuantity")).collect();
    assert_eq!(leaves, [2500.0, 2500.0, 1500.0, 500.0, 0.0]);
    let dates: Vec<&str> = list.iter().map(|d| d["Date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    assert_eq!(dates[0], big["CreateDate"].as_str().unwrap());
    assert_eq!(dates[4], filled["Date"].as_str().unwrap());
    let first = &list[0];
    assert_eq!(first["RequestStatus"], "RequireValidation");
    assert_eq!(first["IsRequest"], true);
    assert_eq!(first["IsCompleted"], false);
    assert_eq!(first["ClientId"], "d-1");
    assert_eq!(first["Login"], "alice");
    assert_eq!(first["Symbol"], "F");
    assert_eq!(first["Id"], id);
    let last = &list[4];
    assert_eq!(last["IsCompleted"], true);
    assert_eq!(last["ExecutionTarget"], "Execution");
    assert_eq!(num(last, "LastQuantity"), 500.0);
    assert_money(num(last, "AveragePrice"), num(&filled, "AveragePrice"));
    assert_eq!(last["ParentId"], -1);

    // A rejected order: placed, then rejected with its reason.
    let rejected = api.place(
        1001,
        r#"{"Symbol":"MSFT","Type":"Market","Side":"Buy","Quantity":1000}"#,
    );
    let rid = rejected["Id"].as_i64().unwrap();
    api.wait_status(1001, rid, "Rejected");
    let list = details(&api, 1001, rid);
    assert_eq!(statuses(&list), ["PendingNew", "Rejected"]);
    assert!(
        list[1]["OrderStatusDescription"]
            .as_str()
            .unwrap()
            .starts_with("Insufficient buying power")
    );
    let verified = api.ok(&format!("accounts/1001/verified/orders/{rid}"));
    assert_eq!(verified["IsSucceed"], true);
    assert_eq!(verified["Errors"], json!([]));
    assert_eq!(verified["Model"]["OrderId"], rid);
    assert_eq!(verified["Model"]["IsSuccessful"], false);
    assert_eq!(
        verified["Model"]["ErrorDescription"],
        "InsufficientBuyingPower"
    );

    // Replace and cancel: the old order ends Replaced, the new one starts PendingReplace.
    let limit = api.place(
        1001,
        r#"{"Symbol":"F","Type":"Limit","Price":1,"Side":"Buy","Quantity":5,"TimeInforce":"GoodTillCancel"}"#,
    );
    let lid = limit["Id"].as_i64().unwrap();
    api.wait_status(1001, lid, "New");
    let new = api.with_body(
        "PUT",
        &format!("accounts/1001/orders/{lid}"),
        &format!(r#"{{"Id":{lid},"Price":1.5}}"#),
    );
    assert_eq!(new.status, 200, "{}", new.text);
    let nid = new.json()["Id"].as_i64().unwrap();
    assert_eq!(
        statuses(&details(&api, 1001, lid)),
        ["PendingNew", "New", "Replaced"]
    );
    api.wait_status(1001, nid, "New");
    assert_eq!(
        api.delete(&format!("accounts/1001/orders/{nid}")).status,
        204
    );
    let list = details(&api, 1001, nid);
    assert_eq!(statuses(&list), ["PendingReplace", "New", "Canceled"]);
    assert_eq!(list[0]["Price"], 1.5);
    assert_eq!(list[2]["ExecutionTarget"], "Cancel");

    // Errors: an unknown order, another user's account, no account, @me.
    api.get("accounts/1001/orders/42/details")
        .assert(404, r#"{"Message":"Order 42 was not found."}"#);
    api.get(&format!("accounts/1002/orders/{lid}/details"))
        .assert(
            404,
            &format!(r#"{{"Message":"Order {lid} was not found."}}"#),
        );
    api.get(&format!("accounts/1003/orders/{lid}/details"))
        .assert(401, DENIED);
    assert_eq!(
        api.get(&format!("accounts/4242/orders/{lid}/details"))
            .status,
        500
    );
    api.get(&format!("accounts/@me/orders/{lid}/details"))
        .assert(400, r#"{"Message":"The request is invalid."}"#);
    assert_eq!(
        sim.stats()["Requests"]["GET /api/v1.0/accounts/{accountId}/orders/{orderId}/details"],
        9
    );
}

#[test]
fn sync_routes_mirror_the_quick_ones() {
    let sim = trading_sim(OPEN, 50.0);
    let api = Api::alice(&sim);
    let body = r#"{"Symbol":"F","Type":"Limit","Price":1,"Side":"Buy","Quantity":3,"TimeInforce":"GoodTillCancel"}"#;
    // Previews agree (but for the instant their quote is stamped with).
    let mut quick = api
        .with_body("POST", "accounts/1001/preview/orders", body)
        .json();
    let mut sync = api
        .with_body("POST", "accounts/1001/preview/syncorders", body)
        .json();
    for v in [&mut quick, &mut sync] {
        v["Quotes"][0]["Timestamp"] = Value::Null;
    }
    assert_eq!(quick["IsSuccessful"], true);
    assert_eq!(quick["Commission"], sync["Commission"]);
    assert_eq!(quick["Cost"], sync["Cost"]);
    // Placing.
    let placed = api.with_body("POST", "accounts/1001/syncorders", body);
    assert_eq!(placed.status, 200, "{}", placed.text);
    let placed = placed.json();
    assert_eq!(placed["Status"], "PendingNew");
    let id = placed["Id"].as_i64().unwrap();
    assert_eq!(sim.orders_accepted(), 1);
    // The same order under both routes.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while api.ok(&format!("accounts/1001/syncorders/{id}"))["Status"] != "New" {
        assert!(std::time::Instant::now() < deadline);
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(
        api.ok(&format!("accounts/1001/syncorders/{id}")),
        api.order(1001, id)
    );
    let list = api.ok("accounts/1001/syncorders?pageNumber=0&pageSize=10");
    assert_eq!(list["TotalCount"], 1);
    assert_eq!(list["Result"][0]["Id"], id);
    api.get("accounts/1001/syncorders?pageSize=10").assert(
        404,
        &format!(
            r#"{{"Message":"No HTTP resource was found that matches the request URI 'http://127.0.0.1:{}/api/v1.0/accounts/1001/syncorders?pageSize=10'."}}"#,
            sim.port()
        ),
    );
    // Replace preview and replace.
    let modify = format!(r#"{{"Id":{id},"Price":1.25}}"#);
    let preview = api.with_body(
        "PUT",
        &format!("accounts/1001/preview/syncorders/{id}"),
        &modify,
    );
    assert_eq!(preview.json()["IsSuccessful"], true, "{}", preview.text);
    let replaced = api.with_body("PUT", &format!("accounts/1001/syncorders/{id}"), &modify);
    assert_eq!(replaced.status, 200, "{}", replaced.text);
    let nid = replaced.json()["Id"].as_i64().unwrap();
    assert_eq!(replaced.json()["Status"], "PendingReplace");
    api.with_body("PUT", &format!("accounts/1001/syncorders/{id}"), &modify)
        .assert(
            409,
            &format!(r#"{{"Message":"Order {id} cannot be modified: it is Replaced."}}"#),
        );
    let mismatch = api.with_body("PUT", &format!("accounts/1001/syncorders/{nid}"), &modify);
    assert_eq!(mismatch.status, 400);
    // Cancel: 204, then 409.
    assert_eq!(
        api.delete(&format!("accounts/1001/syncorders/{nid}"))
            .status,
        204
    );
    api.delete(&format!("accounts/1001/syncorders/{nid}"))
        .assert(
            409,
            &format!(r#"{{"Message":"Order {nid} cannot be canceled: it is Canceled."}}"#),
        );
    // Validated the same way: business rejects, unbindable bodies, access.
    let reject = api.with_body(
        "POST",
        "accounts/1001/syncorders",
        r#"{"Symbol":"F","Type":"Limit","Side":"Buy","Quantity":1}"#,
    );
    assert_eq!(reject.json()["ErrorDescription"], "LimitPriceUndefined");
    api.with_body(
        "POST",
        "accounts/1001/syncorders",
        r#"{"Symbol":"F","Side":"Buy","Quantity":1}"#,
    )
    .assert(
        422,
        r#"{"Message":"Validation error occured while processing entity","ModelState":{"placeParams.Type":["An error has occurred."]}}"#,
    );
    api.with_body("POST", "accounts/1003/syncorders", body)
        .assert(401, DENIED);
    api.get("accounts/1001/syncorders/77")
        .assert(404, r#"{"Message":"Order 77 was not found."}"#);
    assert_eq!(sim.orders_accepted(), 1, "a replacement is not a placement");
    let stats = sim.stats();
    assert_eq!(
        stats["Requests"]["POST /api/v1.0/accounts/{accountId}/syncorders"],
        4
    );
    assert_eq!(
        stats["Requests"]["DELETE /api/v1.0/accounts/{accountId}/syncorders/{orderId}"],
        2
    );
}
