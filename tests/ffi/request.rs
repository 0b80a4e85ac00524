//! `etna_request` through the C ABI: success shapes, each documented error shape, transport
//! failures, and arguments refused before anything is sent.

use crate::support::canned::{Behaviour, Canned, http, logged_in_to};
use crate::support::ffi::{Session, c};
use crate::support::*;
use etna::ffi::*;
use std::ptr;
use std::time::{Duration, Instant};

fn alice(sim: &Simulator) -> Session {
    let s = Session::new(&sim.base_url(), APP_KEY).unwrap();
    s.login("alice", "alice-pass").unwrap();
    s
}

#[test]
fn a_json_body_goes_as_application_json_and_the_answer_comes_back_whole() {
    let sim = start_sim();
    let s = alice(&sim);
    let (status, body) = s.request("GET", "/v1.0/users/@me/accounts", None).unwrap();
    assert_eq!(status, 200);
    assert!(
        body.starts_with('[') && body.contains("\"ClearingAccount\""),
        "{body}"
    );
    let e = s
        .request("POST", "v1.0/echo", Some(r#"{"Name":"x"}"#))
        .unwrap_err();
    assert_eq!(e.http_status, 404);
    let sent = sim
        .recorded_requests()
        .into_iter()
        .rfind(|r| r.url == "/api/v1.0/echo")
        .unwrap();
    assert_eq!(sent.header("Content-Type"), Some("application/json"));
    assert_eq!(sent.body, br#"{"Name":"x"}"#);
}

#[test]
fn each_error_shape_gives_status_reason_and_body() {
    let sim = start_sim();
    let s = alice(&sim);
    let e = s.get("v1.0/nothing/here").unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 404));
    let reason = e.reason.unwrap();
    assert!(
        reason.starts_with("No HTTP resource was found that matches the request URI"),
        "{reason}"
    );
    assert!(e.body.unwrap().contains("\"Message\""));
    assert!(
        e.message.contains("GET v1.0/nothing/here") && e.message.contains("404"),
        "{}",
        e.message
    );

    // Another user's id: no rights.
    let e = s.get("v1.0/users/102/info").unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_NOT_AUTHENTICATED, 401));
    // A user id nobody has: the broker's 500 with an Errors[] body.
    let e = s.get("v1.0/users/99999/info").unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 500));
    assert!(e.reason.unwrap().starts_with("Value cannot be null."));

    let (_srv, s) = logged_in_to(vec![Behaviour::Answer(http(
        "422 Unprocessable Entity",
        &[],
        br#"{"Message":"Validation error occured while processing entity","ModelState":{"placeParams.Type":["An error has occurred."]}}"#,
    ))]);
    let e = s.get("v1.0/x").unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 422));
    assert_eq!(
        e.reason.as_deref(),
        Some(
            "Validation error occured while processing entity (placeParams.Type: An error has occurred.)"
        )
    );
}

#[test]
fn no_content_gives_an_empty_string() {
    let sim = start_sim();
    let s = alice(&sim);
    assert_eq!(
        s.request("POST", "logout", None).unwrap(),
        (204, String::new())
    );
}

#[test]
fn rate_limits_carry_retry_after() {
    let (_srv, s) = logged_in_to(vec![Behaviour::Answer(http(
        "429 Too Many Requests",
        &["Retry-After: 2"],
        b"{}",
    ))]);
    // One attempt: this test is about what the error carries, not about retrying.
    s.unit(|err| unsafe { etna_session_set_retry_policy(s.0, 1, 0, 0, err) })
        .unwrap();
    let e = s.get("v1.0/users/@me/info").unwrap_err();
    assert_eq!(
        (e.code, e.http_status, e.retry_after_ms),
        (ETNA_ERR_RATE_LIMITED, 429, 2000)
    );
}

#[test]
fn a_server_that_never_answers_times_out_on_time() {
    let (_srv, s) = logged_in_to(vec![Behaviour::Silence]);
    s.set_timeouts(1000, 400).unwrap();
    let started = Instant::now();
    let e = s.get("v1.0/users/@me/info").unwrap_err();
    let took = started.elapsed();
    assert_eq!(e.code, ETNA_ERR_TIMEOUT, "{}", e.message);
    assert!(
        took >= Duration::from_millis(350) && took < Duration::from_secs(3),
        "took {took:?}"
    );
    assert_eq!(
        s.state(),
        ETNA_AUTH_AUTHENTICATED,
        "a timeout does not end the login"
    );
}

#[test]
fn refused_and_dropped_connections_are_network_errors() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let s = Session::new(&format!("http://127.0.0.1:{port}/api/"), "k").unwrap();
    let e = s.login("alice", "alice-pass").unwrap_err();
    assert_eq!(
        (e.code, e.http_status),
        (ETNA_ERR_NETWORK, 0),
        "{}",
        e.message
    );

    let (_srv, s) = logged_in_to(vec![Behaviour::Drop]);
    assert_eq!(
        s.get("v1.0/users/@me/info").unwrap_err().code,
        ETNA_ERR_NETWORK
    );
    let truncated = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Id\":".to_vec();
    let (_srv, s) = logged_in_to(vec![Behaviour::Answer(truncated)]);
    assert_eq!(
        s.get("v1.0/users/@me/info").unwrap_err().code,
        ETNA_ERR_NETWORK
    );
}

#[test]
fn answers_that_break_the_protocol_are_protocol_errors() {
    let cases: Vec<Vec<u8>> = vec![
        b"this is not HTTP\r\n\r\n".to_vec(),
        http("200 OK", &[], b"{\"Name\":\"\xff\xfe\"}"),
        http("200 OK", &[], b"{\"Name\":\"a\0b\"}"),
    ];
    for answer in cases {
        let (_srv, s) = logged_in_to(vec![Behaviour::Answer(answer.clone())]);
        let e = s.get("v1.0/users/@me/info").unwrap_err();
        assert_eq!(
            e.code,
            ETNA_ERR_PROTOCOL,
            "{}: {}",
            String::from_utf8_lossy(&answer),
            e.message
        );
    }
}

#[test]
fn a_tls_failure_is_a_tls_error() {
    // An https URL to a server that answers in plain text: the handshake cannot succeed.
    let server = Canned::start(vec![Behaviour::Blurt(http("400 Bad Request", &[], b"{}"))]);
    let s = Session::new(&format!("https://127.0.0.1:{}/api/", server.port), "k").unwrap();
    let e = s.login("alice", "alice-pass").unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_TLS, 0), "{}", e.message);
    assert_eq!(s.state(), ETNA_AUTH_NONE);
}

#[test]
fn redirects_are_not_followed() {
    let moved = http("302 Found", &["Location: http://127.0.0.1:9/steal"], b"");
    let (server, s) = logged_in_to(vec![Behaviour::Answer(moved), Behaviour::Silence]);
    let e = s.get("v1.0/users/@me/info").unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 302));
    assert_eq!(
        server
            .connections
            .load(std::sync::atomic::Ordering::Acquire),
        2,
        "login + the one request"
    );
}

#[test]
fn bad_arguments_are_refused_and_nothing_is_sent() {
    let sim = start_sim();
    let s = alice(&sim);
    let sent = sim.recorded_requests().len();
    for (method, path, body) in [
        ("FETCH", "v1.0/users/@me/info", None),
        ("GET", "https://evil.example/api/x", None),
        ("GET", "v1.0/users/me info", None),
        ("GET", "v1.0/users/{me}|<x>\"", None),
        ("GET", "", None),
        ("POST", "v1.0/x", Some("{not json")),
    ] {
        let e = s.request(method, path, body).unwrap_err();
        assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT, "{method} {path:?}");
    }
    // NULL and invalid UTF-8, in each pointer position.
    let bad = b"v1.0/\xc3\x28\0";
    let call = |method: *const i8, path: *const i8, body: *const i8| {
        let mut err = ptr::null_mut();
        let status = unsafe {
            etna_request(
                s.0,
                method,
                path,
                body,
                ptr::null_mut(),
                ptr::null_mut(),
                &mut err,
            )
        };
        crate::support::ffi::check(status, err).unwrap_err().code
    };
    let (get, info) = (c("GET"), c("v1.0/users/@me/info"));
    assert_eq!(
        call(ptr::null(), info.as_ptr(), ptr::null()),
        ETNA_ERR_NULL_ARGUMENT
    );
    assert_eq!(
        call(get.as_ptr(), ptr::null(), ptr::null()),
        ETNA_ERR_NULL_ARGUMENT
    );
    assert_eq!(
        call(get.as_ptr(), bad.as_ptr().cast(), ptr::null()),
        ETNA_ERR_INVALID_UTF8
    );
    assert_eq!(
        call(bad.as_ptr().cast(), info.as_ptr(), ptr::null()),
        ETNA_ERR_INVALID_UTF8
    );
    assert_eq!(
        call(get.as_ptr(), info.as_ptr(), bad.as_ptr().cast()),
        ETNA_ERR_INVALID_UTF8
    );
    let mut err = ptr::null_mut();
    let status = unsafe {
        etna_request(
            ptr::null_mut(),
            get.as_ptr(),
            info.as_ptr(),
            ptr::null(),
            ptr::null_mut(),
            ptr::null_mut(),
            &mut err,
        )
    };
    assert_eq!(
        crate::support::ffi::check(status, err).unwrap_err().code,
        ETNA_ERR_NULL_ARGUMENT
    );
    assert_eq!(
        sim.recorded_requests().len(),
        sent,
        "no request for a bad call"
    );
}

#[test]
fn a_request_before_login_sends_nothing() {
    let sim = start_sim();
    let s = Session::new(&sim.base_url(), APP_KEY).unwrap();
    let e = s.get("v1.0/users/@me/info").unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_NOT_AUTHENTICATED, 0));
    assert!(sim.recorded_requests().is_empty());
}

#[test]
fn session_urls_and_timeouts_are_checked() {
    for (url, code) in [
        (
            "http://pub-api-et-demo-prod.etnasoft.us/api/",
            ETNA_ERR_INVALID_ARGUMENT,
        ),
        ("ftp://127.0.0.1/api/", ETNA_ERR_INVALID_ARGUMENT),
        ("not a url", ETNA_ERR_INVALID_ARGUMENT),
    ] {
        let e = Session::new(url, "k").err().expect(url);
        assert_eq!(e.code, code, "{url}");
    }
    let e = Session::new("http://example.com/api/", "k").err().unwrap();
    assert!(e.message.contains("https is required"), "{}", e.message);
    assert!(Session::new("https://pub-api-et-demo-prod.etnasoft.us/api", "k").is_ok());
    let s = Session::new("http://localhost:1/api", "k").unwrap();
    assert_eq!(
        s.set_timeouts(0, 100).unwrap_err().code,
        ETNA_ERR_INVALID_ARGUMENT
    );
    assert_eq!(
        s.set_timeouts(100, 700_000).unwrap_err().code,
        ETNA_ERR_INVALID_ARGUMENT
    );
    s.set_timeouts(100, 600_000).unwrap();
}

#[test]
fn every_status_code_has_a_description() {
    use std::ffi::CStr;
    let text = |code| {
        unsafe { CStr::from_ptr(etna_status_str(code)) }
            .to_str()
            .unwrap()
            .to_owned()
    };
    let codes = [
        ETNA_OK,
        ETNA_ERR_NULL_ARGUMENT,
        ETNA_ERR_INVALID_UTF8,
        ETNA_ERR_INVALID_ARGUMENT,
        ETNA_ERR_INVALID_STATE,
        ETNA_ERR_NETWORK,
        ETNA_ERR_TIMEOUT,
        ETNA_ERR_TLS,
        ETNA_ERR_INVALID_APP_KEY,
        ETNA_ERR_INVALID_CREDENTIALS,
        ETNA_ERR_INVALID_VERIFICATION_CODE,
        ETNA_ERR_INVALID_PIN,
        ETNA_ERR_PASSWORD_EXPIRED,
        ETNA_ERR_PIN_NOT_SET,
        ETNA_ERR_NOT_AUTHENTICATED,
        ETNA_ERR_HTTP,
        ETNA_ERR_RATE_LIMITED,
        ETNA_ERR_PROTOCOL,
        ETNA_ERR_OUTCOME_UNKNOWN,
        ETNA_ERR_PANIC,
    ];
    let mut seen = std::collections::HashSet::new();
    for code in codes {
        let t = text(code);
        assert_ne!(t, "unknown status code", "{code}");
        assert!(seen.insert(t), "two codes share a description");
    }
    assert_eq!(text(-1), "unknown status code");
    assert_eq!(text(12345), "unknown status code");
    let version = unsafe { CStr::from_ptr(etna_version()) }.to_str().unwrap();
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
}
