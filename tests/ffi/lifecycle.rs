//! Sessions that survive a trading day: logging in again when the token dies (once, however
//! many threads notice), asking a person when the broker wants a code, and carrying a login
//! across a restart.

use crate::support::ffi::{Session, c};
use crate::support::*;
use etna::ffi::*;
use etna_sim::{SimConfig, Simulator};
use std::ffi::{CStr, c_void};
use std::ptr;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn short_lived_tokens() -> Simulator {
    Simulator::start(SimConfig {
        token_ttl: Duration::from_secs(1),
        fixed_code: Some(FIXED_CODE.into()),
        ..SimConfig::default()
    })
    .unwrap()
}

fn token_calls(sim: &Simulator) -> usize {
    sim.recorded_requests()
        .iter()
        .filter(|r| r.url == "/api/token")
        .count()
}

fn auto_relogin(s: &Session, on: bool) {
    s.unit(|err| unsafe { etna_session_set_auto_relogin(s.0, i32::from(on), err) })
        .unwrap();
}

#[test]
fn eight_threads_with_an_expired_token_cause_exactly_one_login() {
    let sim = short_lived_tokens();
    let s = Arc::new(Session::new(&sim.base_url(), APP_KEY).unwrap());
    auto_relogin(&s, true);
    s.login("alice", "alice-pass").unwrap();
    std::thread::sleep(Duration::from_millis(1300));
    let barrier = Arc::new(std::sync::Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (s, barrier) = (s.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                s.get("v1.0/users/@me/info")
            })
        })
        .collect();
    for t in threads {
        let body = t
            .join()
            .unwrap()
            .unwrap_or_else(|e| panic!("{}", e.message));
        assert!(body.contains("\"Login\":\"alice\""));
    }
    assert_eq!(token_calls(&sim), 2, "the first login and one re-login");
    assert_eq!(s.state(), ETNA_AUTH_AUTHENTICATED);
}

#[test]
fn without_auto_relogin_an_expired_token_is_an_error() {
    let sim = short_lived_tokens();
    let s = Session::new(&sim.base_url(), APP_KEY).unwrap();
    s.login("alice", "alice-pass").unwrap();
    std::thread::sleep(Duration::from_millis(1300));
    let e = s.get("v1.0/users/@me/info").unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_NOT_AUTHENTICATED, 401));
    assert_eq!(token_calls(&sim), 1);
}

#[test]
fn a_request_that_changes_state_is_not_repeated_after_logging_in_again() {
    let sim = short_lived_tokens();
    let s = Session::new(&sim.base_url(), APP_KEY).unwrap();
    auto_relogin(&s, true);
    s.login("alice", "alice-pass").unwrap();
    std::thread::sleep(Duration::from_millis(1300));
    let before = sim.recorded_requests().len();
    let e = s.request("POST", "logout", None).unwrap_err();
    assert_eq!(e.code, ETNA_ERR_NOT_AUTHENTICATED);
    assert!(e.message.contains("not repeated"), "{}", e.message);
    let after: Vec<_> = sim.recorded_requests()[before..]
        .iter()
        .map(|r| r.url.clone())
        .collect();
    assert_eq!(
        after,
        ["/api/logout", "/api/token"],
        "one refused POST, one login, no replay"
    );
    assert_eq!(s.state(), ETNA_AUTH_AUTHENTICATED);
    s.get("v1.0/users/@me/info").unwrap();
}

struct Seen {
    states: Mutex<Vec<EtnaAuthState>>,
    frees: AtomicUsize,
}

unsafe extern "C" fn on_auth(user_data: *mut c_void, state: EtnaAuthState) {
    let seen = unsafe { &*(user_data as *const Seen) };
    seen.states.lock().unwrap().push(state);
}

unsafe extern "C" fn on_free(user_data: *mut c_void) {
    let seen = unsafe { &*(user_data as *const Seen) };
    seen.frees.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn when_logging_in_again_needs_a_code_a_person_is_asked() {
    let sim = short_lived_tokens();
    let seen: &'static Seen = Box::leak(Box::new(Seen {
        states: Mutex::new(Vec::new()),
        frees: AtomicUsize::new(0),
    }));
    let s = Session::new(&sim.base_url(), APP_KEY).unwrap();
    let data = seen as *const Seen as *mut c_void;
    assert_eq!(
        unsafe {
            etna_session_set_auth_callback(s.0, Some(on_auth), data, Some(on_free), ptr::null_mut())
        },
        ETNA_OK
    );
    auto_relogin(&s, true);
    s.login("bob", "bob-pass").unwrap();
    s.verify(FIXED_CODE).unwrap();
    std::thread::sleep(Duration::from_millis(1300));

    let e = s.get("v1.0/users/@me/info").unwrap_err();
    assert_eq!(e.code, ETNA_ERR_NOT_AUTHENTICATED);
    assert!(e.message.contains("verification code"), "{}", e.message);
    assert_eq!(
        s.state(),
        ETNA_AUTH_VERIFICATION_REQUIRED,
        "nothing is guessed"
    );
    assert_eq!(
        *seen.states.lock().unwrap(),
        [
            ETNA_AUTH_VERIFICATION_REQUIRED,
            ETNA_AUTH_AUTHENTICATED,
            ETNA_AUTH_VERIFICATION_REQUIRED
        ]
    );
    // The person types the new code; the session carries on.
    assert_eq!(s.verify(FIXED_CODE).unwrap(), ETNA_AUTH_AUTHENTICATED);
    s.get("v1.0/users/@me/info").unwrap();
    drop(s);
    assert_eq!(
        seen.frees.load(Ordering::SeqCst),
        1,
        "the callback's data is released once"
    );
}

fn export(s: &Session) -> String {
    s.text(|out, err| unsafe { etna_session_export(s.0, out, err) })
        .unwrap()
}

fn import(s: &Session, text: &str) -> Result<(), crate::support::ffi::Failure> {
    s.unit(|err| unsafe { etna_session_import(s.0, c(text).as_ptr(), err) })
}

#[test]
fn an_exported_login_is_imported_without_a_new_two_factor_prompt() {
    let sim = start_sim();
    let first = Session::new(&sim.base_url(), APP_KEY).unwrap();
    first.login("bob", "bob-pass").unwrap();
    first.verify(FIXED_CODE).unwrap();
    let text = export(&first);
    for secret in ["bob-pass", FIXED_CODE, APP_KEY] {
        assert!(!text.contains(secret), "{secret} in the exported text");
    }
    let logins = token_calls(&sim);

    let restarted = Session::new(&sim.base_url(), APP_KEY).unwrap();
    import(&restarted, &text).unwrap();
    assert_eq!(restarted.state(), ETNA_AUTH_AUTHENTICATED);
    assert_eq!(restarted.expires_at(), first.expires_at());
    assert!(
        restarted
            .get("v1.0/users/@me/info")
            .unwrap()
            .contains("\"Login\":\"bob\"")
    );
    assert_eq!(token_calls(&sim), logins, "no /token call");
}

#[test]
fn tampered_mismatched_or_malformed_session_text_is_refused() {
    let sim = start_sim();
    let s = Session::new(&sim.base_url(), APP_KEY).unwrap();
    s.login("alice", "alice-pass").unwrap();
    let text = export(&s);
    let fresh = || Session::new(&sim.base_url(), APP_KEY).unwrap();

    let mut doc = crate::support::ffi::parse(&text);
    let token = doc["Token"].as_str().unwrap().to_owned();
    doc["Token"] = format!("{}A", &token[..token.len() - 1]).into();
    let e = import(&fresh(), &doc.to_string()).unwrap_err();
    assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT);
    assert!(e.message.contains("altered"), "{}", e.message);
    let mut doc = crate::support::ffi::parse(&text);
    doc["ExpiresAt"] = (doc["ExpiresAt"].as_u64().unwrap() + 3600).into();
    assert_eq!(
        import(&fresh(), &doc.to_string()).unwrap_err().code,
        ETNA_ERR_INVALID_ARGUMENT
    );
    let mut doc = crate::support::ffi::parse(&text);
    doc["Username"] = "mallory".into();
    assert_eq!(
        import(&fresh(), &doc.to_string()).unwrap_err().code,
        ETNA_ERR_INVALID_ARGUMENT
    );

    let other_sim = start_sim();
    let elsewhere = Session::new(&other_sim.base_url(), APP_KEY).unwrap();
    let e = import(&elsewhere, &text).unwrap_err();
    assert!(e.message.contains("another broker"), "{}", e.message);
    let other_key = Session::new(&sim.base_url(), "another-key").unwrap();
    let e = import(&other_key, &text).unwrap_err();
    assert!(e.message.contains("another app key"), "{}", e.message);
    assert!(
        !e.message.contains(&token[..20]),
        "the token is never echoed"
    );
    for bad in [
        "",
        "[]",
        "{}",
        "not json",
        r#"{"Format":"libetna-session/1"}"#,
    ] {
        assert_eq!(
            import(&fresh(), bad).unwrap_err().code,
            ETNA_ERR_INVALID_ARGUMENT,
            "{bad}"
        );
    }
    let refused = fresh();
    assert_eq!(
        refused.state(),
        ETNA_AUTH_NONE,
        "a refused import changes nothing"
    );

    let logged_out = fresh();
    let e = logged_out
        .text(|out, err| unsafe { etna_session_export(logged_out.0, out, err) })
        .unwrap_err();
    assert_eq!(e.code, ETNA_ERR_INVALID_STATE);
    let mut err = ptr::null_mut();
    assert_eq!(
        unsafe { etna_session_export(logged_out.0, ptr::null_mut(), &mut err) },
        ETNA_ERR_NULL_ARGUMENT
    );
    unsafe { etna_error_free(err) };
}

#[test]
fn auto_relogin_takes_only_zero_or_one() {
    let s = Session::new("http://127.0.0.1:9/api", "k").unwrap();
    let e = s
        .unit(|err| unsafe { etna_session_set_auto_relogin(s.0, 2, err) })
        .unwrap_err();
    assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT);
    static STATE: AtomicI32 = AtomicI32::new(-1);
    unsafe extern "C" fn remember(_: *mut c_void, state: EtnaAuthState) {
        STATE.store(state, Ordering::SeqCst);
    }
    assert_eq!(
        unsafe {
            etna_session_set_auth_callback(
                ptr::null_mut(),
                Some(remember),
                ptr::null_mut(),
                None,
                ptr::null_mut(),
            )
        },
        ETNA_ERR_NULL_ARGUMENT
    );
    let text = unsafe { CStr::from_ptr(etna_status_str(ETNA_ERR_CANCELLED)) };
    assert!(text.to_str().unwrap().contains("cancel"));
}
