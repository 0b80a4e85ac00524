//! Watchlists (create, duplicate, add, remove, rename, delete, read-only
//! system list, other users) and the streamer addresses.

use crate::support::*;
use serde_json::Value;

fn symbols(list: &Value) -> Vec<String> {
    list["SecurityList"]
        .as_array()
        .unwrap_or_else(|| panic!("no SecurityList in {list}"))
        .iter()
        .map(|s| s["Symbol"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn watchlist_lifecycle() {
    let sim = trading_sim("2026-03-04T15:00:00Z", 1.0);
    let api = Api::alice(&sim);

    // One read-only system list to start with.
    let lists = api.ok("users/@me/watchlists?includeSecurities=false");
    assert_eq!(lists.as_array().unwrap().len(), 1, "{lists}");
    let system = &lists[0];
    assert_eq!(system["Type"], "SystemList");
    assert_eq!(system["ReadOnly"], true);
    assert_eq!(system["SecurityList"], serde_json::json!([]));
    for key in [
        "Id",
        "Name",
        "Description",
        "Type",
        "CreateDate",
        "ModifyDate",
        "Source",
        "ReadOnly",
    ] {
        assert!(!system[key].is_null(), "{key} missing in {system}");
    }
    let system_id = system["Id"].as_i64().unwrap();
    let with = api.ok("users/101/watchlists?includeSecurities=true");
    assert!(symbols(&with[0]).contains(&"AAPL".to_string()));

    // Create; the same name again is a conflict.
    let created = api.with_body(
        "POST",
        "users/@me/watchlists",
        r#"{"Name":"Tech","Securities":[1,2]}"#,
    );
    assert_eq!(created.status, 200, "{}", created.text);
    let tech = created.json();
    assert_eq!(tech["Name"], "Tech");
    assert_eq!(tech["Type"], "UserList");
    assert_eq!(tech["ReadOnly"], false);
    assert_eq!(symbols(&tech), ["AAPL", "MSFT"]);
    let id = tech["Id"].as_i64().unwrap();
    let duplicate = api.with_body(
        "POST",
        "users/@me/watchlists",
        r#"{"Name":"tech","Securities":[]}"#,
    );
    assert_eq!(duplicate.status, 409);
    assert!(duplicate.json()["Message"].is_string());
    assert_eq!(
        api.with_body("POST", "users/@me/watchlists", r#"{"Securities":[1]}"#)
            .status,
        422
    );
    assert_eq!(
        api.with_body(
            "POST",
            "users/@me/watchlists",
            r#"{"Name":"Bad","Securities":[9999]}"#
        )
        .status,
        404
    );
    assert_eq!(api.ok("users/@me/watchlists").as_array().unwrap().len(), 2);

    // Add by symbol (200 with the list), remove by symbol (204).
    let path = format!("users/@me/watchlists/{id}/securities");
    let added = api.with_body(
        "PUT",
        &path,
        r#"{"Symbol":"SPY","Exchange":"ARCX","Currency":"USD"}"#,
    );
    assert_eq!(added.status, 200, "{}", added.text);
    assert_eq!(symbols(&added.json()), ["AAPL", "MSFT", "SPY"]);
    let again = api.with_body("PUT", &path, r#"{"Symbol":"spy"}"#);
    assert_eq!(
        symbols(&again.json()),
        ["AAPL", "MSFT", "SPY"],
        "idempotent"
    );
    assert_eq!(
        api.with_body("PUT", &path, r#"{"Symbol":"NOPE"}"#).status,
        404
    );
    assert_eq!(
        api.with_body("PUT", &path, r#"{"Symbol":"SPY","Exchange":"XNAS"}"#)
            .status,
        404
    );
    let removed = api.with_body(
        "DELETE",
        &path,
        r#"{"Symbol":"AAPL","Exchange":"XNAS","Currency":"USD"}"#,
    );
    assert_eq!((removed.status, removed.text.as_str()), (204, ""));
    assert_eq!(
        symbols(&api.ok(&format!("users/@me/watchlists/{id}"))),
        ["MSFT", "SPY"]
    );

    // By security id.
    let by_id = api.with_body("PUT", &format!("{path}/29"), "");
    assert_eq!(symbols(&by_id.json()), ["MSFT", "SPY", "F"]);
    assert_eq!(api.delete(&format!("{path}/2")).status, 204);
    assert_eq!(
        symbols(&api.ok(&format!("users/@me/watchlists/{id}"))),
        ["SPY", "F"]
    );

    // Rename.
    let renamed = api.with_body(
        "PUT",
        &format!("users/@me/watchlists/{id}/name?name=Movers%20II"),
        "",
    );
    renamed.assert(200, &format!(r#"{{"m_Item1":{id},"m_Item2":"Movers II"}}"#));

    // The system list refuses changes.
    for (method, p) in [
        (
            "PUT",
            format!("users/@me/watchlists/{system_id}/securities"),
        ),
        (
            "DELETE",
            format!("users/@me/watchlists/{system_id}/securities"),
        ),
    ] {
        let a = api.with_body(method, &p, r#"{"Symbol":"F"}"#);
        assert_eq!(a.status, 409, "{method} {p}: {}", a.text);
    }
    assert_eq!(
        api.delete(&format!("users/@me/watchlists/{system_id}"))
            .status,
        409
    );

    // Other users: their lists are not alice's, their user id is 401.
    get(&sim, "v1.0/users/102/watchlists", Some(&alice_token(&sim))).assert(401, DENIED);
    assert_eq!(api.get("users/@me/watchlists/999").status, 404);

    // Delete: 204, then gone.
    let deleted = api.delete(&format!("users/@me/watchlists/{id}"));
    assert_eq!((deleted.status, deleted.text.as_str()), (204, ""));
    assert_eq!(api.get(&format!("users/@me/watchlists/{id}")).status, 404);
    assert_eq!(api.ok("users/@me/watchlists").as_array().unwrap().len(), 1);
}

#[test]
fn streamer_addresses() {
    let sim = trading_sim("2026-03-04T15:00:00Z", 1.0);
    let api = Api::alice(&sim);
    let s = api.ok("streamers");
    let quote = &s["QuoteAddresses"][0];
    assert!(quote["Url"].as_str().unwrap().contains("127.0.0.1"));
    assert!(quote["Type"].is_string());
    assert_eq!(quote["SessionId"].as_str().unwrap().len(), 36);
    let data = &s["DataAddresses"][0];
    assert!(data["Url"].as_str().unwrap().contains("127.0.0.1"));
    assert!(data.get("SessionId").is_none());
    let recovered = api.with_body("PUT", "streamers/session/recover?sessionType=1", "");
    assert_eq!(recovered.status, 200);
    assert_eq!(recovered.json()["Id"].as_str().unwrap().len(), 36);
    assert_eq!(
        api.with_body("PUT", "streamers/session/recover", "").status,
        404
    );
    get(&sim, "v1.0/streamers", None).assert(401, DENIED);
}
