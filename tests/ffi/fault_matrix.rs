//! Every fault the simulator can inject, against a read, a login and an order placement,
//! through the C ABI: each gives its documented status within its timeout, and the simulator's
//! counters show that no order was ever accepted twice, and that each order whose outcome was
//! unknown can be found again (or is known never to have arrived) by its ClientId.

use crate::support::ffi::{Failure, Session, c, parse};
use crate::support::*;
use etna::ffi::*;
use etna_sim::{SimConfig, Simulator};
use std::time::{Duration, Instant};

const REQUEST_TIMEOUT_MS: u32 = 1500;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Read,
    Login,
    Order,
}

fn path_of(op: Op) -> (&'static str, &'static str) {
    match op {
        Op::Read => ("GET", "/api/v1.0/accounts/*/info"),
        Op::Login => ("POST", "/api/token"),
        Op::Order => ("POST", "/api/v1.0/accounts/*/orders"),
    }
}

/// A session logged in as alice (before any fault), with short timeouts and quick retries.
fn alice(sim: &Simulator) -> Session {
    let s = Session::new(&sim.base_url(), APP_KEY).unwrap();
    s.set_timeouts(1000, REQUEST_TIMEOUT_MS).unwrap();
    s.unit(|e| unsafe { etna_session_set_retry_policy(s.0, 3, 50, 200, e) })
        .unwrap();
    s.login("alice", "alice-pass").unwrap();
    s
}

struct Outcome {
    result: Result<String, Failure>,
    took: Duration,
}

fn run(s: &Session, op: Op, client_id: &str) -> Outcome {
    let started = Instant::now();
    let result = match op {
        Op::Read => s.json(|o, e| unsafe { etna_get_account_info(s.0, 1001, o, e) }),
        Op::Login => s
            .login("alice", "alice-pass")
            .map(|state| state.to_string()),
        Op::Order => {
            let order = format!(
                r#"{{"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":1,"ClientId":"{client_id}"}}"#
            );
            s.json(|o, e| unsafe { etna_place_order(s.0, 1001, c(&order).as_ptr(), o, e) })
        }
    };
    Outcome {
        result,
        took: started.elapsed(),
    }
}

fn find(s: &Session, client_id: &str) -> Result<String, Failure> {
    s.json(|o, e| unsafe { etna_find_order_by_client_id(s.0, 1001, c(client_id).as_ptr(), o, e) })
}

/// What each fault must give: a status (and HTTP status), or success.
fn expected(kind: &str, op: Op) -> (EtnaStatus, u16) {
    match (kind, op) {
        ("Delay", Op::Order) | ("DropBefore" | "DropAfter" | "Truncated", Op::Order) => {
            (ETNA_ERR_OUTCOME_UNKNOWN, 0)
        }
        ("Malformed", Op::Order) => (ETNA_ERR_OUTCOME_UNKNOWN, 200),
        ("Delay", _) => (ETNA_ERR_TIMEOUT, 0),
        ("DropBefore" | "DropAfter" | "Truncated", _) => (ETNA_ERR_NETWORK, 0),
        ("Status503", _) => (ETNA_ERR_HTTP, 503),
        ("Status500", _) => (ETNA_ERR_HTTP, 500),
        ("Status401", _) => (ETNA_ERR_NOT_AUTHENTICATED, 401),
        ("RateLimit", _) => (ETNA_ERR_RATE_LIMITED, 429),
        ("Malformed", Op::Login) => (ETNA_ERR_PROTOCOL, 200),
        ("Malformed", Op::Read) => (ETNA_ERR_PROTOCOL, 200),
        other => panic!("no expectation for {other:?}"),
    }
}

fn rule(kind: &str, op: Op) -> String {
    let (method, path) = path_of(op);
    let args = match kind {
        "Delay" => r#""Kind":"Delay","DelayMs":3000"#.to_owned(),
        "Status503" => r#""Kind":"Status","Status":503"#.to_owned(),
        "Status500" => r#""Kind":"Status","Status":500"#.to_owned(),
        "Status401" => r#""Kind":"Status","Status":401"#.to_owned(),
        "RateLimit" => r#""Kind":"RateLimit","RetryAfter":1"#.to_owned(),
        other => format!(r#""Kind":"{other}""#),
    };
    format!(r#"{{"Rules":[{{"Method":"{method}","Path":"{path}",{args}}}]}}"#)
}

/// Whether the request reached the broker's logic under this fault.
fn processed(kind: &str) -> bool {
    matches!(kind, "Delay" | "DropAfter" | "Malformed" | "Truncated")
}

#[test]
fn every_fault_against_a_read_a_login_and_an_order() {
    let kinds = [
        "Delay",
        "DropBefore",
        "DropAfter",
        "Status503",
        "Status500",
        "Status401",
        "RateLimit",
        "Malformed",
        "Truncated",
    ];
    for kind in kinds {
        for op in [Op::Read, Op::Login, Op::Order] {
            if kind == "Status401" && op == Op::Login {
                continue; // a 401 on /token is a login answer, covered by the login tests
            }
            let sim = Simulator::start(SimConfig {
                speed: 60.0,
                ..SimConfig::default()
            })
            .unwrap();
            let s = alice(&sim);
            let client_id = format!("matrix-{kind}-{op:?}");
            sim.add_faults(&rule(kind, op)).unwrap();
            let outcome = run(&s, op, &client_id);
            let (code, http) = expected(kind, op);
            let what = format!("{kind} on {op:?}");
            match &outcome.result {
                Ok(body) => {
                    assert_eq!(code, ETNA_OK, "{what}: succeeded with {body}");
                }
                Err(e) => {
                    assert_eq!(
                        (e.code, e.http_status),
                        (code, http),
                        "{what}: {}",
                        e.message
                    );
                    if code == ETNA_ERR_RATE_LIMITED {
                        assert_eq!(e.retry_after_ms, 1000, "{what}");
                    }
                }
            }
            // Every call ends within its timeout (plus one Retry-After for rate limits).
            let limit = Duration::from_millis(
                u64::from(REQUEST_TIMEOUT_MS) + if kind == "RateLimit" { 1500 } else { 500 },
            );
            assert!(outcome.took < limit, "{what} took {:?}", outcome.took);
            if op == Op::Login {
                assert_eq!(
                    s.state(),
                    ETNA_AUTH_AUTHENTICATED,
                    "{what}: a failed re-login transport keeps the old login"
                );
            }
            if op == Op::Order {
                sim.clear_faults();
                reconcile(&sim, &s, kind, &client_id, &what);
            }
        }
    }
}

/// After an order under a fault: the broker has it at most once, and the client can tell
/// whether it arrived by its ClientId; when it did not, sending it again is safe.
fn reconcile(sim: &Simulator, s: &Session, kind: &str, client_id: &str, what: &str) {
    if kind == "Delay" {
        // The broker processes the delayed order after the client gave up.
        let until = Instant::now() + Duration::from_secs(5);
        while sim.orders_accepted() == 0 && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let accepted = sim.orders_accepted();
    assert_eq!(
        accepted,
        u64::from(processed(kind)),
        "{what}: orders accepted"
    );
    match find(s, client_id) {
        Ok(order) => {
            assert!(processed(kind), "{what}: found an order that never arrived");
            assert_eq!(parse(&order)["ClientId"], client_id);
        }
        Err(e) => {
            assert_eq!(e.code, ETNA_ERR_NOT_FOUND, "{what}: {}", e.message);
            assert!(!processed(kind), "{what}: an accepted order was not found");
            let again = run(s, Op::Order, client_id);
            assert!(again.result.is_ok(), "{what}: resending after NOT_FOUND");
            assert_eq!(
                sim.orders_accepted(),
                1,
                "{what}: accepted once after the resend"
            );
        }
    }
    let stats = sim.stats();
    assert!(
        stats["OrdersAccepted"].as_u64().unwrap() <= 1,
        "{what}: {stats}"
    );
}

#[test]
fn a_token_that_dies_early_is_refused_then_renewed_once_with_auto_relogin() {
    let sim = Simulator::start(SimConfig::default()).unwrap();
    sim.add_faults(r#"{"Rules":[{"Kind":"ExpireTokens","AfterSeconds":1}]}"#)
        .unwrap();
    let plain = alice(&sim);
    let renewing = alice(&sim);
    renewing
        .unit(|e| unsafe { etna_session_set_auto_relogin(renewing.0, 1, e) })
        .unwrap();
    renewing.login("alice", "alice-pass").unwrap();
    std::thread::sleep(Duration::from_millis(1300));
    let e = plain
        .json(|o, e| unsafe { etna_get_account_info(plain.0, 1001, o, e) })
        .unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_NOT_AUTHENTICATED, 401));
    let logins = || {
        sim.stats()["Requests"]["POST /api/token"]
            .as_u64()
            .unwrap_or(0)
    };
    let before = logins();
    renewing
        .json(|o, e| unsafe { etna_get_account_info(renewing.0, 1001, o, e) })
        .unwrap();
    assert_eq!(logins(), before + 1, "one re-login");
}
