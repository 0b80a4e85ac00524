//! User routes, routing errors, the outbox route and request recording.

use crate::support::*;
use etna_sim::Simulator;

const ALICE_INFO: &str = r#"{"UserId":101,"FirstName":"Alice","LastName":"Adams","Login":"alice","Email":"alice@example.com","Role":"Trader","AddedDate":"2019-02-25T13:33:40.9022856Z","Salutation":"Ms"}"#;

#[test]
fn user_info_for_me_and_own_id() {
    let sim = Simulator::start_default().unwrap();
    let t = alice_token(&sim);
    get(&sim, "v1.0/users/@me/info", Some(&t)).assert(200, ALICE_INFO);
    get(&sim, "v1.0/users/101/info", Some(&t)).assert(200, ALICE_INFO);
    // `@` percent-encoded, literal segments in another case.
    get(&sim, "V1.0/Users/%40me/Info", Some(&t)).assert(200, ALICE_INFO);

    // Optional properties appear when set, in documented order.
    let bob = sim_bob_token(&sim);
    let info = get(&sim, "v1.0/users/@me/info", Some(&bob));
    info.assert(
        200,
        r#"{"UserId":102,"FirstName":"Bob","MiddleName":"B.","LastName":"Brown","Login":"bob","Email":"bob@example.com","Role":"Trader","AddedDate":"2020-07-01T09:00:00.1234567Z","Salutation":"Mr","Suffix":"Jr"}"#,
    );
}

fn sim_bob_token(sim: &Simulator) -> String {
    let interim = first_step(sim, "bob").token();
    let code = sim.latest_code("bob").unwrap();
    let bearer = format!("Bearer {interim}");
    token(
        sim,
        &[
            ("Username", "bob"),
            ("Password", "bob-pass"),
            ("Authorization", &bearer),
            ("VerificationCode", &code),
        ],
    )
    .token()
}

#[test]
fn accounts_list_the_users_own_accounts() {
    let sim = Simulator::start_default().unwrap();
    let t = alice_token(&sim);
    let answer = get(&sim, "v1.0/users/@me/accounts", Some(&t));
    assert_eq!(answer.status, 200, "{}", answer.text);
    let expected = format!(
        r#"[{{"Id":1001,"ClearingAccount":"SIM1001","AccessType":"Owner","MarginType":"Cash","OwnerType":"IndividualCustomer","Enabled":true,"Alias":"Alice cash","ClearingFirm":"SIMCLEAR","IsAverageAccount":false,"Owners":[{ALICE_INFO}],"Currency":"USD"}},{{"Id":1002,"ClearingAccount":"SIM1002","AccessType":"Owner","MarginType":"Margin","OwnerType":"IndividualCustomer","Enabled":true,"Alias":"Alice margin","ClearingFirm":"SIMCLEAR","IsAverageAccount":false,"Owners":[{ALICE_INFO}],"Currency":"USD"}}]"#
    );
    answer.assert(200, &expected);
    get(&sim, "v1.0/users/101/accounts", Some(&t)).assert(200, &expected);

    let bob = get(&sim, "v1.0/users/@me/accounts", Some(&sim_bob_token(&sim))).json();
    let ids: Vec<i64> = bob
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["Id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [1003]);
    assert_eq!(bob[0]["Owners"][0]["UserId"], 102);
}

#[test]
fn other_and_unknown_user_ids() {
    let sim = Simulator::start_default().unwrap();
    let t = alice_token(&sim);
    for route in ["info", "accounts"] {
        // Another existing user: 401.
        get(&sim, &format!("v1.0/users/102/{route}"), Some(&t)).assert(401, DENIED);
        // A user that does not exist: the broker's 500.
        get(&sim, &format!("v1.0/users/999/{route}"), Some(&t)).assert(
            500,
            r#"{"Model":null,"Errors":["Value cannot be null.\r\nParameter name: user"],"StatusCode":500,"IsSucceed":false}"#,
        );
        // Not a number and not @me: no such route (even without a token).
        for bad in ["alice", "me", "99999999999"] {
            let path = format!("v1.0/users/{bad}/{route}");
            let not_found = format!(
                r#"{{"Message":"No HTTP resource was found that matches the request URI 'http://127.0.0.1:{}/api/{path}'."}}"#,
                sim.port()
            );
            get(&sim, &path, Some(&t)).assert(404, &not_found);
            get(&sim, &path, None).assert(404, &not_found);
        }
    }
}

#[test]
fn unknown_routes_versions_and_methods() {
    let sim = Simulator::start_default().unwrap();
    let agent = agent();
    let port = sim.port();
    let not_found = |path_and_query: &str| {
        format!(
            r#"{{"Message":"No HTTP resource was found that matches the request URI 'http://127.0.0.1:{port}{path_and_query}'."}}"#
        )
    };
    let t = alice_token(&sim);
    for path in [
        "/api/v2.0/users/@me/info",
        "/api/v1/users/@me/info",
        "/api/v1.0/users/@me",
        "/api/nothing?x=1&y=2",
        "/api/v1.0/users/@me/info/extra",
    ] {
        let url = format!("http://127.0.0.1:{port}{path}");
        let bearer = format!("Bearer {t}");
        send(
            &agent,
            "GET",
            &url,
            &[("Et-App-Key", KEY), ("Authorization", &bearer)],
        )
        .assert(404, &not_found(path));
    }
    // Outside /api and /sim no key is needed to get the same 404.
    for path in ["/", "/favicon.ico", "/sim/nothing", "/token"] {
        let url = format!("http://127.0.0.1:{port}{path}");
        send(&agent, "GET", &url, &[]).assert(404, &not_found(path));
    }

    // Known path, wrong method: 405 naming the method, before the bearer.
    let base = sim.base_url();
    let key = [("Et-App-Key", KEY)];
    let method_text = |m: &str| {
        format!(r#"{{"Message":"The requested resource does not support http method '{m}'."}}"#)
    };
    send(&agent, "GET", &format!("{base}token"), &key).assert(405, &method_text("GET"));
    send(&agent, "PUT", &format!("{base}logout"), &key).assert(405, &method_text("PUT"));
    send(
        &agent,
        "DELETE",
        &format!("{base}v1.0/users/@me/info"),
        &key,
    )
    .assert(405, &method_text("DELETE"));
    send(
        &agent,
        "POST",
        &format!("{base}v1.0/users/101/accounts"),
        &key,
    )
    .assert(405, &method_text("POST"));
    let outbox = format!("http://127.0.0.1:{port}/sim/outbox/bob");
    send(&agent, "POST", &outbox, &[]).assert(405, &method_text("POST"));
}

#[test]
fn outbox_route_lists_codes_oldest_first() {
    let sim = Simulator::start_default().unwrap();
    let agent = agent();
    let url = |user: &str| format!("http://127.0.0.1:{}/sim/outbox/{user}", sim.port());
    send(&agent, "GET", &url("bob"), &[]).assert(200, r#"{"Username":"bob","Codes":[]}"#);

    let mut codes = Vec::new();
    for _ in 0..3 {
        first_step(&sim, "bob");
        codes.push(sim.latest_code("bob").unwrap());
    }
    let answer = send(&agent, "GET", &url("bob"), &[]);
    let listed = format!(
        r#"{{"Username":"bob","Codes":["{}","{}","{}"]}}"#,
        codes[0], codes[1], codes[2]
    );
    answer.assert(200, &listed);
    // The app key is neither needed nor checked here.
    send(&agent, "GET", &url("bob"), &[("Et-App-Key", "wrong")]).assert(200, &listed);

    send(&agent, "GET", &url("alice"), &[]).assert(200, r#"{"Username":"alice","Codes":[]}"#);
    send(&agent, "GET", &url("mallory"), &[]).assert(
        404,
        &format!(
            r#"{{"Message":"No HTTP resource was found that matches the request URI 'http://127.0.0.1:{}/sim/outbox/mallory'."}}"#,
            sim.port()
        ),
    );
}

#[test]
fn requests_are_recorded_as_received() {
    let sim = Simulator::start_default().unwrap();
    let mut raw = Raw::connect(&sim);
    let r = raw.exchange(
        "POST /api/token?trace=1 HTTP/1.1\nHost: localhost\nEt-App-Key: sim-app-key\nUsername: alice\nPassword: alice-pass\nContent-Type: application/x-www-form-urlencoded\nContent-Length: 9",
        b"grant=abc",
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = raw.exchange("GET /nowhere HTTP/1.1\nHost: localhost", b"");
    assert_eq!(r.status, 404);

    let recorded = sim.recorded_requests();
    assert_eq!(recorded.len(), 2);
    let login = &recorded[0];
    assert_eq!(login.method, "POST");
    assert_eq!(login.url, "/api/token?trace=1");
    assert_eq!(login.body, b"grant=abc");
    assert_eq!(login.header("et-app-key"), Some("sim-app-key"));
    assert_eq!(login.header("USERNAME"), Some("alice"));
    assert_eq!(login.header("Password"), Some("alice-pass"));
    assert_eq!(login.header("Authorization"), None);
    // Names are kept as the client spelled them.
    assert!(login.headers.iter().any(|(n, _)| n == "Et-App-Key"));
    assert_eq!(recorded[1].method, "GET");
    assert_eq!(recorded[1].url, "/nowhere");
    assert!(recorded[1].body.is_empty());

    sim.clear_recorded();
    assert!(sim.recorded_requests().is_empty());
    get(&sim, "v1.0/users/@me/info", None);
    let after = sim.recorded_requests();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].url, "/api/v1.0/users/@me/info");
    assert_eq!(after[0].header("Et-App-Key"), Some(KEY));
}

#[test]
fn many_requests_on_one_connection() {
    let sim = Simulator::start_default().unwrap();
    let mut raw = Raw::connect(&sim);
    let r = raw.exchange(
        "POST /api/token HTTP/1.1\nHost: x\nEt-App-Key: sim-app-key\nUsername: alice\nPassword: alice-pass\nContent-Length: 0",
        b"",
    );
    let t = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["Token"]
        .as_str()
        .unwrap()
        .to_string();
    for i in 0..20 {
        let head = format!(
            "GET /api/v1.0/users/@me/info?i={i} HTTP/1.1\nHost: x\nEt-App-Key: sim-app-key\nAuthorization: Bearer {t}"
        );
        let r = raw.exchange(&head, b"");
        assert_eq!((r.status, r.body.as_str()), (200, ALICE_INFO));
    }
    // An error answer keeps the connection usable too.
    let r = raw.exchange("GET /api/v1.0/users/@me/info HTTP/1.1\nHost: x", b"");
    assert_eq!(r.status, 403);
    let r = raw.exchange(
        "DELETE /api/token HTTP/1.1\nHost: x\nEt-App-Key: sim-app-key",
        b"",
    );
    assert_eq!(r.status, 405);
    assert_eq!(sim.recorded_requests().len(), 23);
}
