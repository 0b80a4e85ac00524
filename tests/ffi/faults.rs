//! Faults that must never cost an order: GETs are retried when that is safe; POST, PUT and
//! DELETE never are, and when one may have reached the broker without an answer the caller is
//! told the outcome is unknown and gets the order's ClientId to reconcile by.

use crate::support::canned::{Behaviour, Canned, http, logged_in_to};
use crate::support::ffi::{Session, c};
use etna::ffi::*;
use std::ffi::CStr;
use std::ptr;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

fn connections(server: &Canned) -> usize {
    server.connections.load(Ordering::Acquire)
}

fn answer(status: &str, headers: &[&str], body: &[u8]) -> Behaviour {
    Behaviour::Answer(http(status, headers, body))
}

#[test]
fn a_get_is_retried_after_a_503_and_succeeds() {
    let (server, s) = logged_in_to(vec![
        answer("503 Service Unavailable", &[], b"{}"),
        answer("200 OK", &[], br#"{"ok":1}"#),
    ]);
    assert_eq!(s.get("v1.0/users/@me/info").unwrap(), r#"{"ok":1}"#);
    assert_eq!(connections(&server), 3, "login, the 503, the retry");
}

#[test]
fn a_get_waits_as_long_as_retry_after_says() {
    let (server, s) = logged_in_to(vec![
        answer("429 Too Many Requests", &["Retry-After: 1"], b"{}"),
        answer("200 OK", &[], b"[]"),
    ]);
    let started = Instant::now();
    assert_eq!(s.get("v1.0/users/@me/accounts").unwrap(), "[]");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "retried after {:?}",
        started.elapsed()
    );
    assert_eq!(connections(&server), 3);
}

#[test]
fn retries_stop_at_the_policy_limit() {
    let (server, s) = logged_in_to(vec![answer("503 Service Unavailable", &[], b"{}")]);
    s.unit(|err| unsafe { etna_session_set_retry_policy(s.0, 2, 10, 20, err) })
        .unwrap();
    let e = s.get("v1.0/users/@me/info").unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 503));
    assert_eq!(connections(&server), 3, "login and two attempts");
    for (attempts, base, max) in [(0, 1, 1), (11, 1, 1), (3, 100, 10), (3, 1, 60_001)] {
        let e = s
            .unit(|err| unsafe { etna_session_set_retry_policy(s.0, attempts, base, max, err) })
            .unwrap_err();
        assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT, "{attempts} {base} {max}");
    }
}

#[test]
fn a_get_that_keeps_failing_gives_up_within_the_request_timeout() {
    let (_server, s) = logged_in_to(vec![Behaviour::Silence]);
    s.set_timeouts(1000, 500).unwrap();
    let started = Instant::now();
    let e = s.get("v1.0/users/@me/info").unwrap_err();
    assert_eq!(e.code, ETNA_ERR_TIMEOUT);
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_post_is_sent_once_and_a_dropped_answer_is_outcome_unknown() {
    let (server, s) = logged_in_to(vec![Behaviour::Drop]);
    let e = s
        .request("POST", "v1.0/accounts/1/orders", Some("{}"))
        .unwrap_err();
    assert_eq!(e.code, ETNA_ERR_OUTCOME_UNKNOWN, "{}", e.message);
    assert!(e.message.contains("outcome unknown"), "{}", e.message);
    assert_eq!(connections(&server), 2, "never retried");
    for method in ["PUT", "DELETE"] {
        let (server, s) = logged_in_to(vec![Behaviour::Drop]);
        let e = s
            .request(method, "v1.0/accounts/1/orders/5", None)
            .unwrap_err();
        assert_eq!(e.code, ETNA_ERR_OUTCOME_UNKNOWN, "{method}");
        assert_eq!(connections(&server), 2, "{method} never retried");
    }
}

#[test]
fn an_order_that_times_out_is_outcome_unknown_with_its_client_id() {
    let (server, s) = logged_in_to(vec![Behaviour::Silence]);
    s.set_timeouts(1000, 300).unwrap();
    let order =
        r#"{"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":1,"ClientId":"recon-1"}"#;
    let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
    let status = unsafe { etna_place_order(s.0, 1, c(order).as_ptr(), &mut out, &mut err) };
    assert_eq!(status, ETNA_ERR_OUTCOME_UNKNOWN);
    assert!(out.is_null());
    let client_id = unsafe { CStr::from_ptr(etna_error_client_id(err)) }
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(client_id, "recon-1");
    unsafe { etna_error_free(err) };
    assert_eq!(connections(&server), 2, "never retried");
    let sent = server.requests.lock().unwrap().last().cloned().unwrap();
    assert!(
        sent.starts_with("POST /api/v1.0/accounts/1/orders"),
        "{sent}"
    );

    // The simple form generates the id, and hands it out the same way.
    let (_server, s) = logged_in_to(vec![Behaviour::Silence]);
    s.set_timeouts(1000, 300).unwrap();
    let mut err = ptr::null_mut();
    let status = unsafe {
        etna_place_simple_order(
            s.0,
            1,
            c("AAPL").as_ptr(),
            c("Buy").as_ptr(),
            c("Market").as_ptr(),
            1.0,
            0.0,
            0.0,
            ptr::null(),
            ptr::null_mut(),
            &mut err,
        )
    };
    assert_eq!(status, ETNA_ERR_OUTCOME_UNKNOWN);
    let generated = unsafe { CStr::from_ptr(etna_error_client_id(err)) }
        .to_str()
        .unwrap()
        .to_owned();
    assert!(generated.starts_with("etna-"), "{generated}");
    unsafe { etna_error_free(err) };
}

#[test]
fn an_order_that_never_connected_is_a_plain_network_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (_server, s) = logged_in_to(vec![]);
    drop(s);
    // A session whose broker went away: connection refused means nothing was sent.
    let s = Session::new(&format!("http://127.0.0.1:{port}/api/"), "k").unwrap();
    let e = s.login("a", "b").unwrap_err();
    assert_eq!(e.code, ETNA_ERR_NETWORK);
    let (_server, s) = logged_in_to(vec![answer("500 Internal Server Error", &[], br#"{"message":"An error occurred while processing your request","error":"Unexpected server error"}"#)]);
    let e = s
        .request("POST", "v1.0/accounts/1/orders", Some("{}"))
        .unwrap_err();
    assert_eq!(
        (e.code, e.http_status),
        (ETNA_ERR_HTTP, 500),
        "an answer is an answer, not an unknown outcome"
    );
}

#[test]
fn answers_over_the_size_limit_are_protocol_errors() {
    let big = format!("[{}]", vec!["1"; 1000].join(","));
    let (_server, s) = logged_in_to(vec![answer("200 OK", &[], big.as_bytes())]);
    s.unit(|err| unsafe { etna_session_set_max_response_bytes(s.0, 1000, err) })
        .unwrap();
    let e = s.get("v1.0/x").unwrap_err();
    assert_eq!(e.code, ETNA_ERR_PROTOCOL, "{}", e.message);
    s.unit(|err| unsafe { etna_session_set_max_response_bytes(s.0, 1 << 20, err) })
        .unwrap();
    assert_eq!(s.get("v1.0/x").unwrap().len(), big.len());
    let e = s
        .unit(|err| unsafe { etna_session_set_max_response_bytes(s.0, 0, err) })
        .unwrap_err();
    assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT);
}

#[test]
fn cancel_from_another_thread_interrupts_a_stuck_call_promptly() {
    let (_server, s) = logged_in_to(vec![Behaviour::Silence]);
    let s = std::sync::Arc::new(s);
    let caller = {
        let s = s.clone();
        std::thread::spawn(move || {
            let e = s.get("v1.0/users/@me/info").unwrap_err();
            (e, Instant::now())
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    let cancelled_at = Instant::now();
    assert_eq!(unsafe { etna_session_cancel(s.0) }, ETNA_OK);
    let (e, returned_at) = caller.join().unwrap();
    assert_eq!(e.code, ETNA_ERR_CANCELLED, "{}", e.message);
    // Stuck until the cancel, and back promptly after it.
    assert!(returned_at >= cancelled_at, "returned before the cancel");
    let after_cancel = returned_at - cancelled_at;
    assert!(
        after_cancel < Duration::from_millis(200),
        "returned {after_cancel:?} after the cancel"
    );
    assert_eq!(
        s.state(),
        ETNA_AUTH_AUTHENTICATED,
        "the session stays usable"
    );
    assert_eq!(
        unsafe { etna_session_cancel(ptr::null()) },
        ETNA_ERR_NULL_ARGUMENT
    );
}

#[test]
fn cancel_stops_retries_and_leaves_later_calls_alone() {
    let (server, s) = logged_in_to(vec![
        answer("503 Service Unavailable", &["Retry-After: 5"], b"{}"),
        answer("200 OK", &[], b"[]"),
    ]);
    let s = std::sync::Arc::new(s);
    let caller = {
        let s = s.clone();
        std::thread::spawn(move || s.get("v1.0/users/@me/accounts"))
    };
    std::thread::sleep(Duration::from_millis(200));
    let cancelled_at = Instant::now();
    unsafe { etna_session_cancel(s.0) };
    let e = caller.join().unwrap().unwrap_err();
    assert_eq!(e.code, ETNA_ERR_CANCELLED);
    assert!(cancelled_at.elapsed() < Duration::from_millis(200));
    assert_eq!(connections(&server), 2, "no retry after the cancel");
    assert_eq!(
        s.get("v1.0/users/@me/accounts").unwrap(),
        "[]",
        "a later call runs normally"
    );
}

#[test]
fn random_answers_on_the_wire_give_errors_never_a_panic() {
    let mut x: u64 = 0x5EED_0003;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..60 {
        let mut answer: Vec<u8> = (0..next() % 300).map(|_| next() as u8).collect();
        if round % 2 == 0 {
            // Half of them look like HTTP at first, so the garbage reaches the body decoders.
            let body = answer.clone();
            answer = http(
                ["200 OK", "401 Unauthorized", "500 Oops", "202 Accepted"][round % 4],
                &[],
                &body,
            );
        }
        let (_server, s) = logged_in_to(vec![Behaviour::Answer(answer)]);
        s.unit(|err| unsafe { etna_session_set_retry_policy(s.0, 1, 0, 0, err) })
            .unwrap();
        s.set_timeouts(1000, 1000).unwrap();
        for method in ["GET", "POST"] {
            if let Err(e) = s.request(method, "v1.0/users/@me/info", None) {
                assert_ne!(e.code, ETNA_ERR_PANIC, "{}", e.message);
                assert!(!e.message.is_empty());
            }
        }
    }
}

/// Reads the broker spells as changes (a preview is a POST, a price history a PUT) are safe to
/// send again: an answer lost after the broker took the request is retried like a GET's, never
/// "outcome unknown", while an order placed the same way still is.
#[test]
fn previews_and_price_histories_are_retried_like_reads_and_orders_are_not() {
    let sim = crate::support::start_sim();
    let s = Session::new(&sim.base_url(), crate::support::APP_KEY).unwrap();
    s.login("alice", "alice-pass").unwrap();
    sim.add_faults(
        r#"{"Rules":[
            {"Method":"POST","Path":"/api/v1.0/accounts/*/preview/orders","Kind":"DropAfter","Times":1},
            {"Method":"PUT","Path":"/api/v1.0/history/symbols","Kind":"Status","Status":503,"Times":1}
        ]}"#,
    )
    .unwrap();
    let sent = |path: &str| {
        sim.recorded_requests()
            .iter()
            .filter(|r| r.url.starts_with(path))
            .count()
    };
    let order = c(r#"{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1,"Price":1.0}"#);
    let preview = s
        .typed(|o, e| unsafe { etna_preview_order(s.0, 1001, order.as_ptr(), o, e) })
        .unwrap();
    assert_eq!(preview.kind(), ETNA_KIND_PREVIEW);
    assert_eq!(
        sent("/api/v1.0/accounts/1001/preview/orders"),
        2,
        "sent again"
    );

    let history = c(
        r#"{"Security":{"Symbol":"AAPL"},"SecurityHistorySettings":{"StartDate":1764000000,"EndDate":1764086400,"CandlesCount":-1,"Period":"1h","Interval":0,"IncludeNonMarketData":false},"IndicatorsHistorySettings":[]}"#,
    );
    let candles = s
        .typed(|o, e| unsafe { etna_get_price_history(s.0, history.as_ptr(), o, e) })
        .unwrap();
    assert_eq!(candles.kind(), ETNA_KIND_CANDLE);
    assert_eq!(
        sent("/api/v1.0/history/symbols"),
        2,
        "asked again after the 503"
    );

    // (A rule of its own, now: `*` would also match `1001/preview`.)
    sim.add_faults(
        r#"{"Rules":[{"Method":"POST","Path":"/api/v1.0/accounts/*/orders","Kind":"DropAfter","Times":1}]}"#,
    )
    .unwrap();
    let e = s
        .typed(|o, e| unsafe { etna_place_order(s.0, 1001, order.as_ptr(), o, e) })
        .err()
        .unwrap();
    assert_eq!(e.code, ETNA_ERR_OUTCOME_UNKNOWN, "{}", e.message);
    assert_eq!(
        sent("/api/v1.0/accounts/1001/orders"),
        1,
        "an order is sent once"
    );
}
