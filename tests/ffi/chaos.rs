//! Where faults meet cancels and concurrent re-logins, through the C ABI against the simulator:
//! the five defects a chaos run once found, each as the scenario that showed it, then a chaos run
//! of our own (threads, one session, random faults of every kind, cancels, re-logins) that checks
//! every promise at once: deadlines, orders accepted at most once and never lost, readable reads,
//! and no secret in a log or an error.

use crate::support::ffi::{Failure, Session, c, parse};
use crate::support::logs::{Logs, Secrets};
use crate::support::*;
use etna::ffi::*;
use std::ffi::{CStr, c_char};
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

const ACCOUNT: i64 = 1001;

/// alice, logged in, with auto re-login on and the given request timeout.
fn alice(sim: &Simulator, request_ms: u32) -> Session {
    let s = Session::new(&sim.base_url(), APP_KEY).unwrap();
    s.unit(|e| unsafe { etna_session_set_auto_relogin(s.0, 1, e) })
        .unwrap();
    // Logged in with the default timeouts: under valgrind the first login is slow.
    s.login("alice", "alice-pass").unwrap();
    s.set_timeouts(1000, request_ms).unwrap();
    s
}

/// What a placement gave: the status, the order's id or the error's ClientId and message.
#[derive(Debug)]
struct Placed {
    code: EtnaStatus,
    client_id: String,
    message: String,
    took: Duration,
}

fn place(s: &Session, client_id: &str, order_type: &str) -> Placed {
    let price = if order_type == "Limit" {
        r#","Price":1.0"#
    } else {
        ""
    };
    let order = format!(
        r#"{{"Symbol":"AAPL","Type":"{order_type}","Side":"Buy","Quantity":1{price},"TimeInForce":"Day","ClientId":"{client_id}"}}"#
    );
    let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
    let started = Instant::now();
    let code = unsafe { etna_place_order(s.0, ACCOUNT, c(&order).as_ptr(), &mut out, &mut err) };
    let took = started.elapsed();
    let text = |p: *const c_char| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
    if code == ETNA_OK {
        let order = unsafe { etna_result_order(out, 0).as_ref() }.expect("the placed order");
        assert_eq!(text(order.client_id), client_id);
        assert_eq!(parse(&text(order.json))["ClientId"], client_id);
        unsafe { etna_result_free(out) };
        return Placed {
            code,
            client_id: client_id.into(),
            message: String::new(),
            took,
        };
    }
    let placed = unsafe {
        Placed {
            code,
            client_id: text(etna_error_client_id(err)),
            message: text(etna_error_message(err)),
            took,
        }
    };
    unsafe { etna_error_free(err) };
    assert_eq!(
        placed.client_id, client_id,
        "every placement error names its order"
    );
    placed
}

fn find(s: &Session, client_id: &str) -> Result<String, Failure> {
    s.json(|o, e| unsafe {
        etna_find_order_by_client_id(s.0, ACCOUNT, c(client_id).as_ptr(), o, e)
    })
}

fn accounts(s: &Session) -> (Result<String, Failure>, Duration) {
    let started = Instant::now();
    let result = s.json(|o, e| unsafe { etna_get_accounts(s.0, o, e) });
    (result, started.elapsed())
}

fn token_requests(sim: &Simulator) -> usize {
    sim.recorded_requests()
        .iter()
        .filter(|r| r.method == "POST" && r.url == "/api/token")
        .count()
}

/// Waits for orders the simulator still holds back (a `Delay` fault processes them late).
fn settle(sim: &Simulator, expected: u64, within: Duration) {
    let until = Instant::now() + within;
    while sim.orders_accepted() < expected && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(20));
    }
}

// --- 1. a cancel that comes after the order left ---------------------------------------------

#[test]
fn an_order_cancelled_while_the_broker_holds_it_is_outcome_unknown_and_found_later() {
    let sim = start_sim();
    let s = Arc::new(alice(&sim, 5000));
    sim.add_faults(
        r#"{"Rules":[{"Method":"POST","Path":"/api/v1.0/accounts/*/orders","Kind":"Delay","DelayMs":1000,"Times":1}]}"#,
    )
    .unwrap();
    let placing = {
        let s = s.clone();
        std::thread::spawn(move || place(&s, "cancel-held-1", "Limit"))
    };
    std::thread::sleep(Duration::from_millis(300));
    let cancelled_at = Instant::now();
    assert_eq!(unsafe { etna_session_cancel(s.0) }, ETNA_OK);
    let placed = placing.join().unwrap();
    assert!(cancelled_at.elapsed() < Duration::from_millis(200));
    assert_eq!(
        placed.code, ETNA_ERR_OUTCOME_UNKNOWN,
        "the order had left: {}",
        placed.message
    );
    assert!(placed.message.contains("cancelled"), "{}", placed.message);
    settle(&sim, 1, Duration::from_secs(3));
    let found = find(&s, "cancel-held-1").expect("the broker accepted it after all");
    assert_eq!(parse(&found)["ClientId"], "cancel-held-1");
    assert_eq!(sim.orders_accepted(), 1);
}

#[test]
fn an_order_reported_cancelled_never_reaches_the_broker() {
    let sim = start_sim();
    let s = Arc::new(alice(&sim, 5000));
    // Cancelled while the session logs in again for it: the broker has refused it (401).
    sim.add_faults(
        r#"{"Rules":[
            {"Method":"POST","Path":"/api/v1.0/accounts/*/orders","Kind":"Status","Status":401,"Times":1},
            {"Method":"POST","Path":"/api/token","Kind":"Delay","DelayMs":1500,"Times":1}]}"#,
    )
    .unwrap();
    let placing = {
        let s = s.clone();
        std::thread::spawn(move || place(&s, "cancel-relogin-1", "Limit"))
    };
    std::thread::sleep(Duration::from_millis(300));
    unsafe { etna_session_cancel(s.0) };
    let placed = placing.join().unwrap();
    assert_eq!(placed.code, ETNA_ERR_CANCELLED, "{}", placed.message);
    sim.clear_faults();
    // Cancels at every moment of a placement, from before the request is built to after the
    // answer: whatever each says is what the broker has.
    let mut placements = vec![placed];
    for round in 0..40u64 {
        let client_id = format!("cancel-any-{round}");
        let placing = {
            let (s, client_id) = (s.clone(), client_id.clone());
            std::thread::spawn(move || place(&s, &client_id, "Limit"))
        };
        std::thread::sleep(Duration::from_micros(round * 50));
        unsafe { etna_session_cancel(s.0) };
        placements.push(placing.join().unwrap());
    }
    settle(&sim, placements.len() as u64, Duration::from_millis(500));
    let mut found = 0;
    for p in &placements {
        let on_the_broker = find(&s, &p.client_id).is_ok();
        found += u64::from(on_the_broker);
        match p.code {
            ETNA_OK => assert!(on_the_broker, "{p:?}"),
            ETNA_ERR_CANCELLED => assert!(!on_the_broker, "said cancelled but was placed: {p:?}"),
            ETNA_ERR_OUTCOME_UNKNOWN => {}
            other => panic!("unexpected status {other}: {p:?}"),
        }
    }
    assert_eq!(sim.orders_accepted(), found, "none accepted twice or lost");
}

// --- 2. and 3. re-logins within the call's deadline, and cancelled ----------------------------

#[test]
fn threads_that_need_a_relogin_at_once_end_within_their_timeout_and_share_its_failure() {
    let sim = start_sim();
    let s = Arc::new(alice(&sim, 2000));
    let logins_before = token_requests(&sim);
    sim.add_faults(
        r#"{"Rules":[
            {"Method":"GET","Path":"/api/v1.0/users/*/accounts","Kind":"Status","Status":401,"Times":4},
            {"Method":"POST","Path":"/api/token","Kind":"Delay","DelayMs":2600,"Times":2}]}"#,
    )
    .unwrap();
    let start = Arc::new(Barrier::new(4));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (s, start) = (s.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                accounts(&s)
            })
        })
        .collect();
    for t in threads {
        let (result, took) = t.join().unwrap();
        let e = result.unwrap_err();
        assert_eq!(e.code, ETNA_ERR_TIMEOUT, "{}", e.message);
        assert!(
            took < Duration::from_millis(2300),
            "a 2 s call took {took:?}"
        );
    }
    assert_eq!(
        token_requests(&sim) - logins_before,
        1,
        "one re-login for four threads, its failure shared"
    );
    // The broker never refused the token itself: the session goes on with it.
    sim.clear_faults();
    assert!(accounts(&s).0.is_ok());
}

#[test]
fn cancel_reaches_a_call_inside_a_relogin_and_one_waiting_for_it() {
    let sim = start_sim();
    let s = Arc::new(alice(&sim, 5000));
    sim.add_faults(
        r#"{"Rules":[
            {"Method":"GET","Path":"/api/v1.0/users/*/accounts","Kind":"Status","Status":401,"Times":2},
            {"Method":"POST","Path":"/api/token","Kind":"Delay","DelayMs":1500,"Times":2}]}"#,
    )
    .unwrap();
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let s = s.clone();
            std::thread::spawn(move || {
                let (result, _) = accounts(&s);
                (result, Instant::now())
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let cancelled_at = Instant::now();
    unsafe { etna_session_cancel(s.0) };
    for t in threads {
        let (result, ended) = t.join().unwrap();
        let e = result.unwrap_err();
        assert_eq!(e.code, ETNA_ERR_CANCELLED, "{}", e.message);
        let after = ended.duration_since(cancelled_at);
        assert!(
            after < Duration::from_millis(200),
            "ended {after:?} after the cancel"
        );
    }
    sim.clear_faults();
    assert!(accounts(&s).0.is_ok(), "the session stays usable");
}

// --- 4. garbled answers to reads ---------------------------------------------------------------

#[test]
fn a_garbled_answer_to_a_read_is_retried_and_never_handed_over() {
    let sim = start_sim();
    let s = alice(&sim, 3000);
    s.unit(|e| unsafe { etna_session_set_retry_policy(s.0, 3, 10, 50, e) })
        .unwrap();
    let processed = |route: &str| sim.stats()["Requests"][route].as_u64().unwrap_or(0);
    for kind in ["Malformed", "Truncated"] {
        // Once: the retry gets the real answer.
        sim.add_faults(&format!(
            r#"{{"Rules":[{{"Method":"GET","Path":"/api/v1.0/accounts/*/orders","Kind":"{kind}","Times":1}}]}}"#
        ))
        .unwrap();
        let before = processed("GET /api/v1.0/accounts/{accountId}/orders");
        let page = s
            .json(|o, e| unsafe { etna_get_orders(s.0, ACCOUNT, ptr::null(), 0, 10, o, e) })
            .unwrap_or_else(|e| panic!("{kind}: {}", e.message));
        parse(&page);
        assert_eq!(
            processed("GET /api/v1.0/accounts/{accountId}/orders") - before,
            2,
            "{kind}: the garbled answer and the retry"
        );
        // Always: the caller gets an error, never the garbled text.
        sim.add_faults(&format!(
            r#"{{"Rules":[{{"Method":"GET","Path":"/api/v1.0/users/*/accounts","Kind":"{kind}"}}]}}"#
        ))
        .unwrap();
        let e = accounts(&s).0.unwrap_err();
        let wanted = if kind == "Malformed" {
            ETNA_ERR_PROTOCOL
        } else {
            ETNA_ERR_NETWORK
        };
        assert_eq!(e.code, wanted, "{kind}: {}", e.message);
        sim.clear_faults();
    }
    // etna_request too: a Malformed answer to any JSON endpoint is a protocol error.
    sim.add_faults(
        r#"{"Rules":[{"Method":"GET","Path":"/api/v1.0/accounts/*/info","Kind":"Malformed"}]}"#,
    )
    .unwrap();
    let e = s.get("v1.0/accounts/1001/info").unwrap_err();
    assert_eq!(
        (e.code, e.http_status),
        (ETNA_ERR_PROTOCOL, 200),
        "{}",
        e.message
    );
    assert!(e.message.contains("not JSON"), "{}", e.message);
}

// --- 5. a garbled /token answer must not leak the token it carried ----------------------------

#[test]
fn no_fragment_of_a_token_in_a_garbled_token_answer_reaches_an_error_or_a_log() {
    for kind in ["Malformed", "Truncated"] {
        let sim = start_sim();
        let s = alice(&sim, 3000);
        let logs = Logs::attach(&s);
        sim.add_faults(&format!(
            r#"{{"Rules":[
                {{"Method":"GET","Path":"/api/v1.0/users/*/accounts","Kind":"Status","Status":401,"Times":1}},
                {{"Method":"POST","Path":"/api/token","Kind":"{kind}","Times":2}}]}}"#
        ))
        .unwrap();
        let mut seen = Vec::new();
        // A re-login inside a call, then a login by hand, each getting a garbled answer.
        let e = accounts(&s).0.unwrap_err();
        seen.push(format!("{e:?}"));
        let e = s.login("alice", "alice-pass").unwrap_err();
        assert!(
            matches!(e.code, ETNA_ERR_PROTOCOL | ETNA_ERR_NETWORK),
            "{kind}: {}",
            e.message
        );
        seen.push(format!("{e:?}"));
        if kind == "Malformed" {
            assert!(
                seen.iter().any(|t| t.contains("Succeeded")),
                "the garbled body is kept for diagnosis: {seen:?}"
            );
        }
        seen.extend(logs.lines());
        let secrets = Secrets::of(&sim);
        assert!(
            secrets.tokens >= 3,
            "the broker issued the tokens it garbled"
        );
        secrets.assert_absent(&seen, kind);
    }
}

// --- the chaos run ---------------------------------------------------------------------------

/// Kinds of fault the chaos run draws from, with the routes it aims them at.
const FAULTS: [&str; 9] = [
    r#""Kind":"Delay","DelayMs":900"#,
    r#""Kind":"DropBefore""#,
    r#""Kind":"DropAfter""#,
    r#""Kind":"Status","Status":503"#,
    r#""Kind":"Status","Status":401"#,
    r#""Kind":"RateLimit","RetryAfter":1"#,
    r#""Kind":"Malformed""#,
    r#""Kind":"Truncated""#,
    r#""Kind":"Status","Status":500"#,
];
const TARGETS: [(&str, &str); 5] = [
    ("POST", "/api/v1.0/accounts/*/orders"),
    ("GET", "/api/v1.0/users/*/accounts"),
    ("GET", "/api/v1.0/accounts/*/info"),
    ("GET", "/api/v1.0/accounts/*/orders"),
    ("POST", "/api/token"),
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// What one worker call gave.
enum Call {
    Read { code: EtnaStatus, took: Duration },
    Order(Placed),
}

/// One of the chaos run's callers: places orders and reads, as a trading tool would, until told
/// to stop; logs in again by hand when a refused re-login ended the login.
fn worker(s: &Session, w: u64, stop: &AtomicBool, seen: &Mutex<Vec<String>>) -> Vec<Call> {
    let mut rng = Rng(0x0C4A_0500 + w * 7919);
    let mut calls = Vec::new();
    let mut n = 0;
    while !stop.load(Ordering::Acquire) {
        n += 1;
        if rng.below(3) == 0 {
            let kind = if rng.below(2) == 0 { "Market" } else { "Limit" };
            let placed = place(s, &format!("chaos-{w}-{n}"), kind);
            seen.lock().unwrap().push(placed.message.clone());
            calls.push(Call::Order(placed));
            continue;
        }
        let started = Instant::now();
        let result = match rng.below(3) {
            0 => s.json(|o, e| unsafe { etna_get_accounts(s.0, o, e) }),
            1 => s.json(|o, e| unsafe { etna_get_account_info(s.0, ACCOUNT, o, e) }),
            _ => s.json(|o, e| unsafe { etna_get_orders(s.0, ACCOUNT, ptr::null(), 0, 20, o, e) }),
        };
        let took = started.elapsed();
        let code = match result {
            Ok(json) => {
                assert!(
                    serde_json::from_str::<serde_json::Value>(&json).is_ok(),
                    "an OK read is JSON: {json}"
                );
                ETNA_OK
            }
            Err(e) => {
                assert_ne!(e.code, ETNA_ERR_PANIC, "{}", e.message);
                seen.lock().unwrap().push(format!("{e:?}"));
                e.code
            }
        };
        if code == ETNA_ERR_NOT_AUTHENTICATED && s.state() != ETNA_AUTH_AUTHENTICATED {
            let _ = s.login("alice", "alice-pass");
        }
        calls.push(Call::Read { code, took });
    }
    calls
}

const REQUEST_MS: u32 = 1500;
/// How far past its request timeout a call may end: scheduling, and the slack of the socket
/// timeouts (re-armed only when off by more than 1/64).
const SLACK: Duration = Duration::from_millis(400);

#[test]
fn chaos_threads_faults_cancels_and_relogins_keep_every_promise() {
    let under_valgrind = std::env::var_os("ETNA_CHAOS_SECONDS").is_some();
    let seconds: u64 = std::env::var("ETNA_CHAOS_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let sim = Simulator::start(SimConfig {
        speed: 60.0,
        ..SimConfig::default()
    })
    .unwrap();
    let s = alice(&sim, REQUEST_MS);
    s.unit(|e| unsafe { etna_session_set_retry_policy(s.0, 3, 20, 200, e) })
        .unwrap();
    let logs = Logs::attach(&s);
    let stop = AtomicBool::new(false);
    let cancels = AtomicU64::new(0);
    let seen = Mutex::new(Vec::<String>::new());
    let (sim, s, stop, seen) = (&sim, &s, &stop, &seen);

    let calls: Vec<Call> = std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut rng = Rng(0x5EED_C4A0_5001);
            while !stop.load(Ordering::Acquire) {
                sim.clear_faults();
                let rule = if rng.below(6) == 0 {
                    r#"{"Kind":"ExpireTokens","AfterSeconds":1}"#.to_owned()
                } else {
                    let (method, path) = TARGETS[rng.below(TARGETS.len() as u64) as usize];
                    let fault = FAULTS[rng.below(FAULTS.len() as u64) as usize];
                    let times = 1 + rng.below(3);
                    format!(r#"{{"Method":"{method}","Path":"{path}",{fault},"Times":{times}}}"#)
                };
                sim.add_faults(&format!(r#"{{"Rules":[{rule}]}}"#)).unwrap();
                std::thread::sleep(Duration::from_millis(100 + rng.below(300)));
            }
        });
        scope.spawn(|| {
            let mut rng = Rng(0xCA9C_E15E_0002);
            while !stop.load(Ordering::Acquire) {
                std::thread::sleep(Duration::from_millis(400 + rng.below(1200)));
                unsafe { etna_session_cancel(s.0) };
                cancels.fetch_add(1, Ordering::Relaxed);
            }
        });
        let workers: Vec<_> = (0..4u64)
            .map(|w| scope.spawn(move || worker(s, w, stop, seen)))
            .collect();
        std::thread::sleep(Duration::from_secs(seconds));
        stop.store(true, Ordering::Release);
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("no worker panicked"))
            .collect()
    });

    // Deadlines: no call outlived its request timeout by more than the slack.
    // Under valgrind everything runs many times slower, the library's own work included.
    let slack = if under_valgrind { SLACK * 4 } else { SLACK };
    let deadline = Duration::from_millis(REQUEST_MS.into()) + slack;
    let worst = calls
        .iter()
        .map(|c| match c {
            Call::Read { took, .. } => *took,
            Call::Order(p) => p.took,
        })
        .max()
        .unwrap();
    assert!(worst <= deadline, "the slowest call took {worst:?}");

    // Orders: after the faults, each is on the broker exactly when its status says so.
    sim.clear_faults();
    let orders: Vec<&Placed> = calls
        .iter()
        .filter_map(|c| match c {
            Call::Order(p) => Some(p),
            Call::Read { .. } => None,
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1000)); // delayed placements land
    if s.state() != ETNA_AUTH_AUTHENTICATED {
        s.login("alice", "alice-pass").unwrap();
    }
    let (mut found, mut unknown_found, mut unknown) = (0u64, 0, 0);
    for p in &orders {
        let on_the_broker = match find(s, &p.client_id) {
            Ok(_) => true,
            Err(e) => {
                assert_eq!(e.code, ETNA_ERR_NOT_FOUND, "{}", e.message);
                false
            }
        };
        found += u64::from(on_the_broker);
        match p.code {
            ETNA_OK => assert!(on_the_broker, "placed but not found: {p:?}"),
            ETNA_ERR_OUTCOME_UNKNOWN => {
                unknown += 1;
                unknown_found += u64::from(on_the_broker);
            }
            _ => assert!(
                !on_the_broker,
                "said not placed, but the broker has it: {p:?}"
            ),
        }
    }
    assert_eq!(
        sim.orders_accepted(),
        found,
        "every accepted order is one of ours, none twice"
    );

    // Secrets: none in any error or log line.
    let mut texts = seen.lock().unwrap().clone();
    texts.extend(logs.lines());
    let secrets = Secrets::of(sim);
    secrets.assert_absent(&texts, "chaos");

    let stats = sim.stats();
    let reads = calls
        .iter()
        .filter(|c| matches!(c, Call::Read { .. }))
        .count();
    let read_ok = calls
        .iter()
        .filter(|c| matches!(c, Call::Read { code: ETNA_OK, .. }))
        .count();
    let placed_ok = orders.iter().filter(|p| p.code == ETNA_OK).count();
    let cancelled = orders
        .iter()
        .filter(|p| p.code == ETNA_ERR_CANCELLED)
        .count();
    println!(
        "chaos: {seconds} s, {} calls ({reads} reads, {read_ok} OK), {} orders ({placed_ok} OK, \
         {unknown} outcome unknown of which {unknown_found} found, {cancelled} cancelled), \
         {found} accepted by the broker, {} cancels, {} /token requests, faults injected {}, \
         {} log lines; worst call {worst:?} against a {REQUEST_MS} ms timeout",
        calls.len(),
        orders.len(),
        cancels.load(Ordering::Relaxed),
        stats["Requests"]["POST /api/token"],
        stats["Injected"],
        texts.len(),
    );
    assert!(
        reads as u64 > 2 * seconds && orders.len() as u64 > seconds / 2,
        "the run did some work"
    );
}

#[test]
fn chaos_under_valgrind_is_clean() {
    if std::env::var_os("ETNA_CHAOS_SECONDS").is_some() {
        return; // this is the run under valgrind itself
    }
    if !have("valgrind") {
        assert!(
            !required("ETNA_REQUIRE_VALGRIND"),
            "valgrind is required but not installed"
        );
        eprintln!("valgrind not installed: skipped");
        return;
    }
    let suppressions = format!(
        "--suppressions={}",
        manifest_dir()
            .join("tests/bindings/c/valgrind.supp")
            .display()
    );
    let out = run_limited(
        std::process::Command::new("valgrind")
            .args([
                "--leak-check=full",
                "--errors-for-leak-kinds=definite",
                "--error-exitcode=99",
                "-q",
            ])
            .arg(&suppressions)
            .arg(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "chaos::chaos_threads_faults_cancels_and_relogins_keep_every_promise",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("ETNA_CHAOS_SECONDS", "5"),
        "",
        Duration::from_secs(240),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "valgrind run failed ({}):\n{}\n{stderr}",
        out.status,
        String::from_utf8_lossy(&out.stdout)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("1 passed"), "the chaos run ran: {stdout}");
    println!(
        "{}",
        stdout
            .lines()
            .find(|l| l.starts_with("chaos:"))
            .unwrap_or("")
    );
}
