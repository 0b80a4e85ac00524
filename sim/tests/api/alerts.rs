//! Price alerts over raw HTTP: create, list (paged in the `sortBy`/`isDesc` dialect), get,
//! modify, delete, their validation and access errors, completion from the price model and
//! expiry, and the `PriceAlert` messages of the data streamer.

use std::time::Duration;

use serde_json::{Value, json};

use crate::streaming::{ALICE, alice_sessions, ask, bearer_token, next_data, session, subscribe};
use crate::support::*;

/// A Wednesday, 10:00 New York time: the market is open.
const OPEN: &str = "2026-03-04T15:00:00Z";
/// Unix seconds of OPEN.
const OPEN_SECS: i64 = 1_772_636_400;

fn create(api: &Api, body: &Value) -> Answer {
    api.with_body("POST", "users/@me/pricealerts", &body.to_string())
}

/// Polls an alert until its state is `state` (at most 30 s).
#[track_caller]
fn wait_state(api: &Api, id: i64, state: &str) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let a = api.ok(&format!("users/@me/pricealerts/{id}"));
        if a["State"] == state {
            return a;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "alert {id} stuck: {a}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn price_alerts_lifecycle_and_errors() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    let expires = OPEN_SECS + 30 * 86_400;
    // Last >= 1 holds at once; Bid <= 1 never does.
    let hit = create(
        &api,
        &json!({"Operator":"GTEQ","SecurityId":1,"Field":"Last","Argument":1,"ExpirationDate":expires}),
    );
    assert_eq!(hit.status, 200, "{}", hit.text);
    let hit = hit.json();
    let id = hit["Id"].as_i64().unwrap();
    let created = hit["CreatedDate"].as_i64().unwrap();
    assert!((created - OPEN_SECS).abs() < 60, "{hit}");
    assert_eq!(
        hit,
        json!({"Id":id,"State":"New","CreatedDate":created,"Operator":"GTEQ","SecurityId":1,
               "Symbol":"AAPL","Field":"Last","Argument":1.0,"ExpirationDate":expires})
    );
    let keys: Vec<&String> = hit.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 9);
    let waiting = create(
        &api,
        &json!({"operator":"lteq","securityId":"20","field":"bid","argument":1.5,"expirationDate":expires}),
    )
    .json();
    let wid = waiting["Id"].as_i64().unwrap();
    assert_eq!(waiting["Symbol"], "DIS");
    assert_eq!(waiting["Operator"], "LTEQ");
    assert_eq!(waiting["Field"], "Bid");

    wait_state(&api, id, "Completed");
    assert_eq!(
        api.ok(&format!("users/@me/pricealerts/{wid}"))["State"],
        "New"
    );

    // The list: paged, all four parameters required, filter and sort.
    let page = api.ok("users/@me/pricealerts?pageSize=10&pageNumber=0&sortBy=Id&isDesc=true");
    assert_eq!(page["TotalCount"], 2);
    assert_eq!(page["Result"][0]["Id"], wid);
    assert_eq!(page["Result"][1]["State"], "Completed");
    assert_eq!(page["NextPageLink"], "");
    let done = api.ok(
        "users/@me/pricealerts?pageSize=1&pageNumber=0&sortBy=Id&isDesc=false&filter=State%20%3D%20'Completed'",
    );
    assert_eq!(done["TotalCount"], 1);
    assert_eq!(done["Result"][0]["Id"], id);
    for query in [
        "pageNumber=0&sortBy=Id&isDesc=false",
        "pageSize=5&sortBy=Id&isDesc=false",
        "pageSize=5&pageNumber=0&isDesc=false",
        "pageSize=5&pageNumber=0&sortBy=Id",
    ] {
        api.get(&format!("users/@me/pricealerts?{query}")).assert(
            404,
            &format!(
                r#"{{"Message":"No HTTP resource was found that matches the request URI 'http://127.0.0.1:{}/api/v1.0/users/@me/pricealerts?{query}'."}}"#,
                sim.port()
            ),
        );
    }
    let bad = api.get("users/@me/pricealerts?pageSize=5&pageNumber=0&sortBy=Id&isDesc=false&filter=State%20%3D%20'Gone'");
    assert_eq!(bad.status, 400, "{}", bad.text);

    // Modify: fields given change, the rest stay; a finished alert is 409.
    let stopped = api.with_body(
        "PUT",
        &format!("users/@me/pricealerts/{wid}"),
        r#"{"State":"Stopped","Argument":2}"#,
    );
    assert_eq!(stopped.status, 200, "{}", stopped.text);
    let stopped = stopped.json();
    assert_eq!(stopped["State"], "Stopped");
    assert_eq!(stopped["Argument"], 2.0);
    assert_eq!(stopped["Operator"], "LTEQ");
    assert_eq!(stopped["ExpirationDate"], expires);
    api.with_body(
        "PUT",
        &format!("users/@me/pricealerts/{id}"),
        r#"{"Argument":5}"#,
    )
    .assert(
        409,
        &format!(r#"{{"Message":"Price alert {id} is Completed."}}"#),
    );
    // A stopped alert does not fire; armed again, it does.
    let armed = api.with_body(
        "PUT",
        &format!("users/@me/pricealerts/{wid}"),
        r#"{"State":"New","Operator":"GTEQ","Argument":0}"#,
    );
    assert_eq!(armed.json()["State"], "New");
    wait_state(&api, wid, "Completed");

    // Validation: every field that does not bind or is out of range.
    create(
        &api,
        &json!({"State":"Completed","Operator":"EQ","SecurityId":999,"Field":"Mid","Argument":-1,"ExpirationDate":OPEN_SECS - 10}),
    )
    .assert(
        422,
        r#"{"Message":"Validation error occured while processing entity","ModelState":{"model.State":["An error has occurred."],"model.Operator":["An error has occurred."],"model.SecurityId":["An error has occurred."],"model.Field":["An error has occurred."],"model.Argument":["An error has occurred."],"model.ExpirationDate":["An error has occurred."]}}"#,
    );
    create(&api, &json!({"SecurityId":1,"Argument":1})).assert(
        422,
        r#"{"Message":"Validation error occured while processing entity","ModelState":{"model.Operator":["An error has occurred."],"model.Field":["An error has occurred."],"model.ExpirationDate":["An error has occurred."]}}"#,
    );
    api.with_body("POST", "users/@me/pricealerts", "nope").assert(
        422,
        r#"{"Message":"Validation error occured while processing entity","ModelState":{"model":["An error has occurred."]}}"#,
    );

    // Delete, then it is gone.
    assert_eq!(
        api.delete(&format!("users/@me/pricealerts/{id}")).status,
        204
    );
    api.get(&format!("users/@me/pricealerts/{id}")).assert(
        404,
        &format!(r#"{{"Message":"Price alert {id} was not found."}}"#),
    );
    api.delete(&format!("users/@me/pricealerts/{id}")).assert(
        404,
        &format!(r#"{{"Message":"Price alert {id} was not found."}}"#),
    );
    api.with_body("PUT", "users/@me/pricealerts/77", "{}")
        .assert(404, r#"{"Message":"Price alert 77 was not found."}"#);

    // Another user's list is 401, nobody's the broker's 500; alert ids are per user.
    api.get("users/102/pricealerts?pageSize=5&pageNumber=0&sortBy=Id&isDesc=false")
        .assert(401, DENIED);
    api.with_body("POST", "users/102/pricealerts", "{}")
        .assert(401, DENIED);
    assert_eq!(api.get("users/999/pricealerts/1").status, 500);
    let stats = sim.stats();
    assert!(stats["Requests"]["POST /api/v1.0/users/{userId}/pricealerts"].as_u64() >= Some(5));
    assert_eq!(
        stats["Requests"]["DELETE /api/v1.0/users/{userId}/pricealerts/{alertId}"],
        2
    );
}

#[test]
fn alerts_are_published_on_the_data_streamer() {
    let sim = trading_sim(OPEN, 60.0);
    let api = Api::alice(&sim);
    let (_, data_session) = alice_sessions(&api);
    let token = bearer_token(&sim);
    let (mut ws, sid) = session(
        &sim.data_streamer_url(),
        &format!("{ALICE}:{data_session}"),
        &token,
    );
    // Only the user's own id is a key.
    assert_eq!(
        ask(&mut ws, "Subscribe.txt", &sid, "PriceAlert", "102"),
        "Error"
    );
    subscribe(&mut ws, &sid, "PriceAlert", &ALICE.to_string());

    let hit = create(
        &api,
        &json!({"Operator":"LTEQ","SecurityId":29,"Field":"Ask","Argument":1000,"ExpirationDate":OPEN_SECS + 3600}),
    )
    .json();
    let m = next_data(&mut ws, Duration::from_secs(10)).expect("a PriceAlert message");
    assert_eq!(m["EntityType"], "PriceAlert");
    assert_eq!(m["Key"], ALICE.to_string());
    assert_eq!(m["Id"], hit["Id"].to_string());
    assert_eq!(m["State"], "Completed");
    assert_eq!(m["Symbol"], "F");
    assert_eq!(m["Field"], "Ask");
    assert_eq!(m["Operator"], "LTEQ");
    assert_eq!(m["Argument"], "1000.00000");
    assert!(m["Value"].as_str().unwrap().parse::<f64>().unwrap() < 1000.0);
    assert!(m.as_object().unwrap().values().all(Value::is_string), "{m}");

    // An alert that never fires expires at its date (a simulated minute on).
    let now = sim
        .now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let late = create(
        &api,
        &json!({"Operator":"GTEQ","SecurityId":29,"Field":"Last","Argument":1000,"ExpirationDate":now + 60}),
    )
    .json();
    let m = next_data(&mut ws, Duration::from_secs(15)).expect("an expiry message");
    assert_eq!(m["Id"], late["Id"].to_string());
    assert_eq!(m["State"], "Expired");
    assert_eq!(m["Value"], "");
    assert_eq!(m["Date"], (now + 60).to_string());
    assert_eq!(
        api.ok(&format!("users/@me/pricealerts/{}", late["Id"]))["State"],
        "Expired"
    );
}
