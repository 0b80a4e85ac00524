//! Fault injection: every kind against a read, a login and an order placement, as seen on the
//! wire and in the simulator's counters; rules counting down, matched by method and path,
//! cleared, refused when malformed, installed by flag; tokens that die early; delays that
//! neither block other connections nor stopping.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::*;
use etna_sim::Simulator;
use serde_json::{Value, json};

const OPEN: &str = "2026-03-04T15:00:00Z";
const ORDER: &str = r#"{"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":1}"#;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Read,
    Login,
    Order,
}

const OPS: [Op; 3] = [Op::Read, Op::Login, Op::Order];

impl Op {
    /// The rule's Method and Path for this operation.
    fn target(self) -> (&'static str, &'static str) {
        match self {
            Op::Read => ("GET", "/api/v1.0/users/*/info"),
            Op::Login => ("POST", "/api/token"),
            Op::Order => ("POST", "/api/v1.0/accounts/*/orders"),
        }
    }

    /// The stats key the simulator counts this operation under.
    fn key(self) -> &'static str {
        match self {
            Op::Read => "GET /api/v1.0/users/{userId}/info",
            Op::Login => "POST /api/token",
            Op::Order => "POST /api/v1.0/accounts/{accountId}/orders",
        }
    }

    /// Sends the operation on a fresh connection and reads until the server closes it.
    fn send(self, sim: &Simulator, token: &str) -> Wire {
        match self {
            Op::Read => wire(
                sim.port(),
                &format!(
                    "GET /api/v1.0/users/@me/info HTTP/1.1\nEt-App-Key: {KEY}\n\
                     Authorization: Bearer {token}"
                ),
                b"",
            ),
            Op::Login => wire(
                sim.port(),
                &format!(
                    "POST /api/token HTTP/1.1\nEt-App-Key: {KEY}\nUsername: alice\n\
                     Password: alice-pass"
                ),
                b"",
            ),
            Op::Order => wire(
                sim.port(),
                &format!(
                    "POST /api/v1.0/accounts/1001/orders HTTP/1.1\nEt-App-Key: {KEY}\n\
                     Authorization: Bearer {token}\nContent-Type: application/json"
                ),
                ORDER.as_bytes(),
            ),
        }
    }

    /// Asserts the body is this operation's normal success answer.
    #[track_caller]
    fn assert_success(self, body: &Value) {
        match self {
            Op::Read => assert_eq!(body["Login"], "alice", "{body}"),
            Op::Login => assert_eq!(body["State"], "Succeeded", "{body}"),
            Op::Order => assert!(body["Id"].is_i64(), "not an OrderResource: {body}"),
        }
    }
}

/// A count in the stats (0 when absent).
fn count(stats: &Value, group: &str, key: &str) -> u64 {
    stats[group][key].as_u64().unwrap_or(0)
}

fn rule_for(op: Op, kind_args: &str) -> String {
    let (method, path) = op.target();
    format!(r#"{{"Rules":[{{"Method":"{method}","Path":"{path}",{kind_args},"Times":1}}]}}"#)
}

/// What the client must see on the wire under each fault.
fn check_wire(kind: &str, op: Op, w: &Wire) {
    let what = format!("{kind} on {op:?}");
    match kind {
        "Delay" => {
            assert!(
                w.elapsed >= Duration::from_millis(300),
                "{what}: {:?}",
                w.elapsed
            );
            let r = w.response();
            assert_eq!(r.status, 200, "{what}");
            op.assert_success(&serde_json::from_slice(&r.body).unwrap());
        }
        "DropBefore" | "DropAfter" => {
            assert!(w.raw.is_empty(), "{what}: got {:?}", w.text());
        }
        "Status" => {
            let r = w.response();
            assert_eq!(
                (r.status, r.text()),
                (503, r#"{"Message":"Service Unavailable"}"#),
                "{what}"
            );
            assert_eq!(r.content_length(), r.body.len(), "{what}");
        }
        "RateLimit" => {
            let r = w.response();
            assert_eq!(
                (r.status, r.text()),
                (429, r#"{"Message":"Too many requests"}"#),
                "{what}"
            );
            assert_eq!(r.header("Retry-After"), Some("7"), "{what}");
        }
        "Malformed" => {
            let r = w.response();
            assert_eq!(r.status, 200, "{what}");
            assert_eq!(r.content_length(), r.body.len(), "{what}: a complete body");
            assert!(!r.body.is_empty(), "{what}");
            assert!(
                serde_json::from_slice::<Value>(&r.body).is_err(),
                "{what}: valid JSON {:?}",
                r.text()
            );
            assert_eq!(
                r.header("Content-Type"),
                Some("application/json; charset=utf-8")
            );
        }
        "Truncated" => {
            let r = w.response();
            assert_eq!(r.status, 200, "{what}");
            let announced = r.content_length();
            assert!(announced > 2, "{what}");
            assert_eq!(r.body.len(), announced / 2, "{what}: half the body");
            assert!(serde_json::from_slice::<Value>(&r.body).is_err(), "{what}");
        }
        other => panic!("no expectation for {other}"),
    }
}

#[test]
fn every_kind_against_a_read_a_login_and_an_order() {
    let kinds = [
        ("Delay", r#""Kind":"Delay","DelayMs":300"#, true),
        ("DropBefore", r#""Kind":"DropBefore""#, false),
        ("DropAfter", r#""Kind":"DropAfter""#, true),
        ("Status", r#""Kind":"Status","Status":503"#, false),
        ("RateLimit", r#""Kind":"RateLimit","RetryAfter":7"#, false),
        ("Malformed", r#""Kind":"Malformed""#, true),
        ("Truncated", r#""Kind":"Truncated""#, true),
    ];
    for (kind, args, processed) in kinds {
        for op in OPS {
            let what = format!("{kind} on {op:?}");
            let sim = trading_sim(OPEN, 1.0);
            let token = alice_token(&sim);
            let before = sim.stats();
            sim.add_faults(&rule_for(op, args)).unwrap();

            let w = op.send(&sim, &token);
            check_wire(kind, op, &w);

            // What the server did.
            let after = sim.stats();
            let was = count(&before, "Requests", op.key());
            assert_eq!(
                count(&after, "Requests", op.key()),
                was + u64::from(processed),
                "{what}: {after}"
            );
            assert_eq!(
                count(&after, "Faulted", kind),
                u64::from(!processed),
                "{what}: {after}"
            );
            assert_eq!(count(&after, "Injected", kind), 1, "{what}: {after}");
            let orders = u64::from(op == Op::Order && processed);
            assert_eq!(sim.orders_accepted(), orders, "{what}");
            assert_eq!(after["OrdersAccepted"], orders, "{what}");

            // The rule is spent and the simulator fully usable: the same request succeeds.
            let again = op.send(&sim, &token).response();
            assert_eq!(again.status, 200, "{what}: {}", again.text());
            op.assert_success(&serde_json::from_slice(&again.body).unwrap());
            assert_eq!(
                count(&sim.stats(), "Requests", op.key()),
                was + u64::from(processed) + 1,
                "{what}"
            );
            if op == Op::Order {
                assert_eq!(sim.orders_accepted(), orders + 1, "{what}: once more, once");
            }
        }
    }
}

#[test]
fn status_faults_answer_the_documented_bodies() {
    let sim = Simulator::start_default().unwrap();
    let token = alice_token(&sim);
    let url = format!("http://127.0.0.1:{}/api/v1.0/users/@me/info", sim.port());
    let cases = [
        (400, r#"{"Message":"The request is invalid."}"#.to_string()),
        (401, DENIED.to_string()),
        (
            403,
            r#"{"error":"Application key is not defined or does not exist"}"#.to_string(),
        ),
        (
            404,
            format!(
                r#"{{"Message":"No HTTP resource was found that matches the request URI '{url}'."}}"#
            ),
        ),
        (
            409,
            r#"{"Message":"The request conflicts with the current state of the resource."}"#
                .to_string(),
        ),
        (
            500,
            r#"{"message":"An error occurred while processing your request","error":"Unexpected server error"}"#
                .to_string(),
        ),
        (502, r#"{"Message":"Bad Gateway"}"#.to_string()),
        (503, r#"{"Message":"Service Unavailable"}"#.to_string()),
        (504, r#"{"Message":"Gateway Timeout"}"#.to_string()),
    ];
    for (status, body) in &cases {
        sim.add_faults(&format!(
            r#"{{"Rules":[{{"Kind":"Status","Status":{status},"Times":1}}]}}"#
        ))
        .unwrap();
        let a = get(&sim, "v1.0/users/@me/info", Some(&token));
        a.assert(*status, body);
    }
    let stats = sim.stats();
    assert_eq!(count(&stats, "Faulted", "Status"), cases.len() as u64);
    assert_eq!(count(&stats, "Requests", Op::Read.key()), 0, "{stats}");
    // Spent: the next read is answered normally.
    assert_eq!(get(&sim, "v1.0/users/@me/info", Some(&token)).status, 200);
}

#[test]
fn a_fault_answer_keeps_the_connection_alive() {
    let sim = Simulator::start_default().unwrap();
    let token = alice_token(&sim);
    sim.add_faults(r#"{"Rules":[{"Kind":"RateLimit","RetryAfter":3,"Times":1},{"Kind":"Status","Status":502,"Times":1}]}"#)
        .unwrap();
    let mut raw = Raw::connect(&sim);
    let head = format!(
        "GET /api/v1.0/users/@me/info HTTP/1.1\nHost: x\nEt-App-Key: {KEY}\n\
         Authorization: Bearer {token}"
    );
    let first = raw.exchange(&head, b"");
    assert_eq!(first.status, 429);
    assert!(
        first
            .headers
            .contains(&("Retry-After".to_string(), "3".to_string()))
    );
    assert_eq!(raw.exchange(&head, b"").status, 502);
    let third = raw.exchange(&head, b"");
    assert_eq!(third.status, 200, "{}", third.body);
}

#[test]
fn times_count_down_and_the_first_live_match_applies() {
    let sim = Simulator::start_default().unwrap();
    let token = alice_token(&sim);
    sim.add_faults(
        r#"{"Rules":[
            {"Method":"GET","Path":"/api/v1.0/users/*/info","Kind":"Status","Status":503,"Times":2},
            {"Method":"GET","Path":"/api/v1.0/users/*/info","Kind":"Status","Status":504,"Times":1}
        ]}"#,
    )
    .unwrap();
    let listing = admin(&sim, "GET", "/sim/faults", "");
    assert_eq!(listing.status, 200);
    assert_eq!(listing.json()["Rules"][0]["Times"], 2);
    assert_eq!(listing.json()["Rules"][1]["Times"], 1);

    let read = || get(&sim, "v1.0/users/@me/info", Some(&token)).status;
    assert_eq!(read(), 503);
    let listing = admin(&sim, "GET", "/sim/faults", "").json();
    assert_eq!(
        listing,
        json!({"Rules":[
            {"Method":"GET","Path":"/api/v1.0/users/*/info","Kind":"Status","Status":503,"Times":1},
            {"Method":"GET","Path":"/api/v1.0/users/*/info","Kind":"Status","Status":504,"Times":1}
        ]})
    );
    assert_eq!(read(), 503);
    assert_eq!(read(), 504);
    assert_eq!(read(), 200);
    assert_eq!(read(), 200);
    assert_eq!(
        admin(&sim, "GET", "/sim/faults", "").json(),
        json!({"Rules":[]})
    );
    let stats = sim.stats();
    assert_eq!(count(&stats, "Faulted", "Status"), 3);
    assert_eq!(count(&stats, "Requests", Op::Read.key()), 2);
}

#[test]
fn rules_match_by_method_and_path_pattern() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    // Only POSTs to an account's orders, any account: not reads of them, not other routes.
    sim.add_faults(
        r#"{"Rules":[{"Method":"POST","Path":"/api/v1.0/accounts/*/orders","Kind":"Status","Status":503}]}"#,
    )
    .unwrap();
    assert_eq!(
        api.get("accounts/1001/orders?pageNumber=0&pageSize=10")
            .status,
        200
    );
    assert_eq!(api.get("accounts/1001/info").status, 200);
    assert_eq!(
        api.with_body("POST", "accounts/1001/orders/1", ORDER)
            .status,
        405,
        "not the pattern: answered by the routes"
    );
    // `*` spans slashes: `1001/preview` matches too.
    assert_eq!(
        api.with_body("POST", "accounts/1001/preview/orders", ORDER)
            .status,
        503
    );
    assert_eq!(
        api.with_body("POST", "accounts/1001/orders", ORDER).status,
        503
    );
    assert_eq!(
        api.with_body("POST", "accounts/1002/orders", ORDER).status,
        503
    );
    // No Times: it keeps applying.
    assert_eq!(
        api.with_body("POST", "accounts/1001/orders", ORDER).status,
        503
    );
    assert_eq!(sim.orders_accepted(), 0);

    // Method "*" and a pattern whose star spans slashes; matched case-insensitively, and
    // against the percent-decoded path too.
    sim.clear_faults();
    sim.add_faults(r#"{"Rules":[{"Path":"/api/*/@me/info","Kind":"Status","Status":502}]}"#)
        .unwrap();
    assert_eq!(api.get("users/@me/info").status, 502);
    assert_eq!(api.get("users/%40me/info").status, 502);
    assert_eq!(api.get("USERS/@me/INFO").status, 502);
    assert_eq!(api.get("users/101/info").status, 200);
    assert_eq!(api.get("users/@me/accounts").status, 200);

    sim.clear_faults();
    assert_eq!(
        api.with_body("POST", "accounts/1001/orders", ORDER).status,
        200
    );
    assert_eq!(sim.orders_accepted(), 1);
}

#[test]
fn delete_clears_every_rule_and_the_token_lifetime() {
    let sim = Simulator::start_default().unwrap();
    let a = admin(
        &sim,
        "POST",
        "/sim/faults",
        r#"{"Rules":[{"Kind":"DropBefore","Path":"/api/v1.0/*"},{"Kind":"ExpireTokens","AfterSeconds":1}]}"#,
    );
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(
        a.json(),
        json!({"Rules":[
            {"Kind":"ExpireTokens","AfterSeconds":1},
            {"Method":"*","Path":"/api/v1.0/*","Kind":"DropBefore"}
        ]})
    );
    let d = admin(&sim, "DELETE", "/sim/faults", "");
    assert_eq!((d.status, d.text.as_str()), (204, ""));
    assert_eq!(
        admin(&sim, "GET", "/sim/faults", "").json(),
        json!({"Rules":[]})
    );
    // Tokens live their configured lifetime again, and reads are not dropped.
    let token = alice_token(&sim);
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(get(&sim, "v1.0/users/@me/info", Some(&token)).status, 200);
}

#[test]
fn the_admin_route_refuses_malformed_rules_and_installs_none() {
    let sim = Simulator::start_default().unwrap();
    let cases = [
        ("{", "not valid JSON"),
        (r#"[]"#, "Rules"),
        (
            r#"{"Rules":[{"Kind":"Explode"}]}"#,
            "unknown Kind 'Explode'",
        ),
        (r#"{"Rules":[{"Kind":"Delay"}]}"#, "DelayMs"),
        (r#"{"Rules":[{"Kind":"Status","Status":200}]}"#, "400-599"),
        (r#"{"Rules":[{"Kind":"DropAfter","Times":0}]}"#, "Times"),
        (r#"{"Rules":[{"Kind":"DropAfter","Tims":1}]}"#, "'Tims'"),
        (r#"{"Rules":[{"Kind":"DropAfter","Path":"api"}]}"#, "'Path'"),
        (r#"{"Rules":[{"Kind":"DropAfter","Method":7}]}"#, "'Method'"),
        (
            r#"{"Rules":[{"Kind":"DropBefore"},{"Kind":"Malformed","DelayMs":5}]}"#,
            "Rules[1]: property 'DelayMs'",
        ),
    ];
    for (body, problem) in cases {
        let a = admin(&sim, "POST", "/sim/faults", body);
        assert_eq!(a.status, 400, "{body}: {}", a.text);
        let message = a.json()["Message"].as_str().unwrap().to_string();
        assert!(message.contains(problem), "{body}: {message}");
        let err = sim.add_faults(body).unwrap_err();
        assert_eq!(err, message, "the Rust API says the same");
    }
    // Nothing was installed, not even the valid first rule of the last case.
    assert_eq!(
        admin(&sim, "GET", "/sim/faults", "").json(),
        json!({"Rules":[]})
    );
    assert_eq!(first_step(&sim, "alice").status, 200);
    // Other methods on the admin routes.
    assert_eq!(admin(&sim, "PUT", "/sim/faults", "").status, 405);
    assert_eq!(admin(&sim, "POST", "/sim/stats", "").status, 405);
}

#[test]
fn admin_and_simulator_routes_are_never_faulted_nor_counted() {
    let sim = Simulator::start_default().unwrap();
    sim.add_faults(r#"{"Rules":[{"Kind":"DropBefore"}]}"#)
        .unwrap();
    // Every /api request is dropped ...
    let w = wire(
        sim.port(),
        &format!("POST /api/token HTTP/1.1\nEt-App-Key: {KEY}"),
        b"",
    );
    assert!(w.raw.is_empty(), "{}", w.text());
    // ... but not the simulator's own routes.
    assert_eq!(admin(&sim, "GET", "/sim/stats", "").status, 200);
    assert_eq!(admin(&sim, "GET", "/sim/faults", "").status, 200);
    assert_eq!(admin(&sim, "GET", "/sim/clock", "").status, 200);
    assert_eq!(admin(&sim, "GET", "/sim/outbox/bob", "").status, 200);
    assert_eq!(admin(&sim, "DELETE", "/sim/faults", "").status, 204);
    // Unknown routes count under one key per method; admin requests not at all.
    let key_less = send(&agent(), "GET", &format!("{}nowhere", sim.base_url()), &[]);
    assert_eq!(key_less.status, 403);
    let with_key = get(&sim, "v1.0/nowhere/at/all", None);
    assert_eq!(with_key.status, 404);
    let stats = admin(&sim, "GET", "/sim/stats", "").json();
    assert_eq!(
        stats,
        json!({
            "Requests":{"GET <unmatched>":2},
            "OrdersAccepted":0,
            "Faulted":{"DropBefore":1},
            "Injected":{"DropBefore":1}
        })
    );
    assert_eq!(sim.stats(), stats, "the Rust API gives the same JSON");
    // Admin requests are not recorded either; the dropped one was.
    let urls: Vec<String> = sim.recorded_requests().into_iter().map(|r| r.url).collect();
    assert!(
        !urls
            .iter()
            .any(|u| u.starts_with("/sim/faults") || u.starts_with("/sim/stats"))
    );
    assert!(urls.contains(&"/api/token".to_string()));
}

#[test]
fn stats_count_processed_requests_by_route_template() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    api.ok("users/@me/info");
    api.ok("users/101/info");
    api.ok("accounts/1001/info");
    api.place(1001, ORDER);
    assert_eq!(first_step(&sim, "nobody").status, 401);
    let stats = sim.stats();
    assert_eq!(
        stats["Requests"],
        json!({
            "POST /api/token":2,
            "GET /api/v1.0/users/{userId}/info":2,
            "GET /api/v1.0/accounts/{accountId}/info":1,
            "POST /api/v1.0/accounts/{accountId}/orders":1
        })
    );
    assert_eq!(stats["OrdersAccepted"], 1);
    assert_eq!(stats["Faulted"], json!({}));
}

#[test]
fn expire_tokens_makes_new_tokens_die_after_a_second() {
    let sim = Simulator::start_default().unwrap();
    let old = alice_token(&sim);
    sim.add_faults(r#"{"Rules":[{"Kind":"ExpireTokens","AfterSeconds":1}]}"#)
        .unwrap();
    let new = alice_token(&sim);
    assert_eq!(get(&sim, "v1.0/users/@me/info", Some(&new)).status, 200);
    std::thread::sleep(Duration::from_millis(1300));
    get(&sim, "v1.0/users/@me/info", Some(&new)).assert(401, DENIED);
    // Tokens issued before the rule keep their lifetime.
    assert_eq!(get(&sim, "v1.0/users/@me/info", Some(&old)).status, 200);
    // It is not a per-request rule: nothing was faulted.
    assert_eq!(sim.stats()["Faulted"], json!({}));
    // Cleared: new tokens live the configured lifetime again.
    sim.clear_faults();
    let after = alice_token(&sim);
    std::thread::sleep(Duration::from_millis(1300));
    assert_eq!(get(&sim, "v1.0/users/@me/info", Some(&after)).status, 200);
}

#[test]
fn a_delay_blocks_neither_other_connections_nor_stopping() {
    let sim = Simulator::start_default().unwrap();
    let token = alice_token(&sim);
    sim.add_faults(
        r#"{"Rules":[{"Path":"/api/v1.0/users/*/accounts","Kind":"Delay","DelayMs":60000}]}"#,
    )
    .unwrap();
    let port = sim.port();
    let slow = std::thread::spawn(move || {
        wire(
            port,
            &format!(
                "GET /api/v1.0/users/@me/accounts HTTP/1.1\nEt-App-Key: {KEY}\n\
                 Authorization: Bearer {token}"
            ),
            b"",
        )
    });
    std::thread::sleep(Duration::from_millis(200));
    // Other connections are answered meanwhile.
    let started = Instant::now();
    for _ in 0..5 {
        assert_eq!(first_step(&sim, "alice").status, 200);
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    // Stopping does not wait for the delay; the delayed request is never processed.
    let started = Instant::now();
    drop(sim);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "stopped after {:?}",
        started.elapsed()
    );
    let w = slow.join().unwrap();
    assert!(w.raw.is_empty(), "{}", w.text());
    assert!(w.elapsed < Duration::from_secs(10));
}

#[test]
fn a_delayed_order_is_processed_after_the_client_gave_up() {
    let sim = trading_sim(OPEN, 1.0);
    let token = alice_token(&sim);
    sim.add_faults(
        r#"{"Rules":[{"Method":"POST","Path":"/api/v1.0/accounts/*/orders","Kind":"Delay","DelayMs":400,"Times":1}]}"#,
    )
    .unwrap();
    {
        use std::io::Write;
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", sim.port())).unwrap();
        let request = format!(
            "POST /api/v1.0/accounts/1001/orders HTTP/1.1\r\nHost: x\r\nEt-App-Key: {KEY}\r\n\
             Authorization: Bearer {token}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{ORDER}",
            ORDER.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        std::thread::sleep(Duration::from_millis(50));
        // The client gives up: the connection is gone before the answer.
    }
    assert_eq!(sim.orders_accepted(), 0, "still delayed");
    let deadline = Instant::now() + Duration::from_secs(10);
    while sim.orders_accepted() == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(sim.orders_accepted(), 1);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(sim.orders_accepted(), 1, "exactly once");
    assert_eq!(count(&sim.stats(), "Injected", "Delay"), 1);
    // The simulator carries on.
    let api = Api::alice(&sim);
    api.place(1001, ORDER);
    assert_eq!(sim.orders_accepted(), 2);
}

#[test]
fn truncated_and_malformed_without_a_body_still_break_the_answer() {
    // Logout answers 204 without a body: a stand-in body is cut instead.
    let sim = Simulator::start_default().unwrap();
    let token = alice_token(&sim);
    sim.add_faults(r#"{"Rules":[{"Path":"/api/logout","Kind":"Truncated","Times":1}]}"#)
        .unwrap();
    let head =
        format!("POST /api/logout HTTP/1.1\nEt-App-Key: {KEY}\nAuthorization: Bearer {token}");
    let r = wire(sim.port(), &head, b"").response();
    assert_eq!(r.status, 200);
    assert!(r.body.len() < r.content_length());
    // Processed: the token is gone.
    assert_eq!(get(&sim, "v1.0/users/@me/info", Some(&token)).status, 401);

    let token = alice_token(&sim);
    sim.add_faults(r#"{"Rules":[{"Path":"/api/logout","Kind":"Malformed","Times":1}]}"#)
        .unwrap();
    let head =
        format!("POST /api/logout HTTP/1.1\nEt-App-Key: {KEY}\nAuthorization: Bearer {token}");
    let r = wire(sim.port(), &head, b"").response();
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), r.content_length());
    assert!(
        serde_json::from_slice::<Value>(&r.body).is_err(),
        "{}",
        r.text()
    );
    assert_eq!(get(&sim, "v1.0/users/@me/info", Some(&token)).status, 401);
}

// --- the etna-sim program -------------------------------------------------------------------

/// A request to the program's port through ureq.
fn call(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let url = format!("http://127.0.0.1:{port}{path}");
    if body.is_empty() {
        send(&agent(), method, &url, headers)
    } else {
        send_body(&agent(), method, &url, headers, body)
    }
}

#[test]
fn the_fault_flag_installs_rules_at_start() {
    let (_child, port) = spawn_on_free_port(&[
        "--fault",
        r#"{"Method":"POST","Path":"/api/token","Kind":"Status","Status":503,"Times":1}"#,
        "--fault={\"Path\":\"/api/v1.0/users/*\",\"Kind\":\"RateLimit\",\"RetryAfter\":4,\"Times\":1}",
    ]);
    let listing = call(port, "GET", "/sim/faults", &[], "").json();
    assert_eq!(
        listing,
        json!({"Rules":[
            {"Method":"POST","Path":"/api/token","Kind":"Status","Status":503,"Times":1},
            {"Method":"*","Path":"/api/v1.0/users/*","Kind":"RateLimit","RetryAfter":4,"Times":1}
        ]})
    );
    let login = [
        ("Et-App-Key", KEY),
        ("Username", "alice"),
        ("Password", "alice-pass"),
    ];
    let first = call(port, "POST", "/api/token", &login, "");
    first.assert(503, r#"{"Message":"Service Unavailable"}"#);
    let second = call(port, "POST", "/api/token", &login, "");
    assert_eq!(second.status, 200, "{}", second.text);
    let bearer = format!("Bearer {}", second.token());
    let auth = [("Et-App-Key", KEY), ("Authorization", bearer.as_str())];
    let limited = call(port, "GET", "/api/v1.0/users/@me/info", &auth, "");
    assert_eq!(limited.status, 429);
    assert_eq!(
        call(port, "GET", "/api/v1.0/users/@me/info", &auth, "").status,
        200
    );
    let stats = call(port, "GET", "/sim/stats", &[], "").json();
    assert_eq!(stats["Requests"]["POST /api/token"], 1, "{stats}");
    assert_eq!(stats["Faulted"], json!({"RateLimit":1,"Status":1}));
}

#[test]
fn a_bad_fault_flag_is_refused_naming_the_problem() {
    for (rule, problem) in [
        (r#"{"Kind":"Explode"}"#, "unknown Kind 'Explode'"),
        (r#"{"Kind":"#, "not valid JSON"),
        (r#"{"Kind":"Delay"}"#, "DelayMs"),
    ] {
        let out = Command::new(BIN)
            .args(["--port", "0", "--fault", rule])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{rule}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(problem), "{rule}: {stderr}");
        assert!(out.stdout.is_empty(), "{rule}: never listened");
    }
}

/// A request to the simulator's own routes (no key).
fn admin(sim: &Simulator, method: &str, path: &str, body: &str) -> Answer {
    call(sim.port(), method, path, &[], body)
}
