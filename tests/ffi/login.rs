//! Every login path through the C ABI against the simulator, and what goes on the wire.

use crate::support::canned::{Behaviour, Canned, http};
use crate::support::ffi::Session;
use crate::support::*;
use etna::ffi::*;
use etna_sim::{SimConfig, Simulator};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn session(sim: &Simulator) -> Session {
    Session::new(&sim.base_url(), APP_KEY).unwrap()
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn password_only_login_gives_a_token_for_24_hours() {
    let sim = start_sim();
    let s = session(&sim);
    assert_eq!(s.state(), ETNA_AUTH_NONE);
    assert_eq!(
        s.login("alice", "alice-pass").unwrap(),
        ETNA_AUTH_AUTHENTICATED
    );
    assert_eq!(s.state(), ETNA_AUTH_AUTHENTICATED);
    let ttl = s.expires_at() - now();
    assert!(
        (24 * 3600 - 60..=24 * 3600).contains(&ttl),
        "token lifetime {ttl} s"
    );
    assert!(
        s.get("v1.0/users/@me/info")
            .unwrap()
            .contains("\"Login\":\"alice\"")
    );
}

#[test]
fn two_factor_login_with_a_wrong_code_first() {
    // Random codes, read from the simulator's outbox as a user reads their e-mail.
    let sim = Simulator::start(SimConfig::default()).unwrap();
    let s = session(&sim);
    assert_eq!(
        s.login("bob", "bob-pass").unwrap(),
        ETNA_AUTH_VERIFICATION_REQUIRED
    );
    assert_eq!(s.expires_at(), 0, "no final token yet");
    let code = sim.latest_code("bob").expect("a code was sent to bob");
    let wrong = if code == "000000" { "111111" } else { "000000" };

    let e = s.verify(wrong).unwrap_err();
    assert_eq!(e.code, ETNA_ERR_INVALID_VERIFICATION_CODE);
    assert_eq!(e.http_status, 401);
    assert_eq!(
        s.state(),
        ETNA_AUTH_VERIFICATION_REQUIRED,
        "a wrong code may be retried"
    );
    let e = s.get("v1.0/users/@me/info").unwrap_err();
    assert_eq!(
        e.code, ETNA_ERR_NOT_AUTHENTICATED,
        "the interim token is not a login"
    );

    assert_eq!(s.verify(&code).unwrap(), ETNA_AUTH_AUTHENTICATED);
    assert!(s.expires_at() > now());
    assert!(
        s.get("v1.0/users/@me/info")
            .unwrap()
            .contains("\"Login\":\"bob\"")
    );
}

#[test]
fn the_verify_step_sends_the_same_credentials_with_the_interim_token() {
    let sim = start_sim();
    let s = session(&sim);
    s.login("bob", "bob-pass").unwrap();
    s.verify(FIXED_CODE).unwrap();
    let tokens: Vec<_> = sim
        .recorded_requests()
        .into_iter()
        .filter(|r| r.url == "/api/token")
        .collect();
    assert_eq!(tokens.len(), 2);
    let (first, second) = (&tokens[0], &tokens[1]);
    assert_eq!(first.header("Authorization"), None);
    assert_eq!(first.header("VerificationCode"), None);
    for step in [first, second] {
        assert_eq!(step.method, "POST");
        assert_eq!(step.header("Username"), Some("bob"));
        assert_eq!(step.header("Password"), Some("bob-pass"));
        assert_eq!(step.header("Et-App-Key"), Some(APP_KEY));
        assert_eq!(
            step.header("Content-Length"),
            Some("0"),
            "/token carries no body"
        );
        assert!(step.body.is_empty());
    }
    assert_eq!(second.header("VerificationCode"), Some(FIXED_CODE));
    let bearer = second.header("Authorization").expect("interim token sent");
    assert!(
        bearer.starts_with("Bearer ") && bearer.len() > 20,
        "{bearer}"
    );
}

#[test]
fn four_wrong_codes_end_the_login_attempt() {
    let sim = start_sim();
    let s = session(&sim);
    s.login("bob", "bob-pass").unwrap();
    let mut last = None;
    for _ in 0..6 {
        let e = s.verify("999999").unwrap_err();
        assert_eq!(e.code, ETNA_ERR_INVALID_VERIFICATION_CODE);
        if s.state() == ETNA_AUTH_NONE {
            last = Some(e);
            break;
        }
    }
    let e = last.expect("the broker stopped accepting the interim token");
    assert!(e.message.contains("log in again"), "{}", e.message);
    assert_eq!(
        s.verify(FIXED_CODE).unwrap_err().code,
        ETNA_ERR_INVALID_STATE
    );
    // A fresh login works again.
    s.login("bob", "bob-pass").unwrap();
    assert_eq!(s.verify(FIXED_CODE).unwrap(), ETNA_AUTH_AUTHENTICATED);
}

#[test]
fn pin_login_with_a_wrong_pin_first() {
    let sim = start_sim();
    let s = session(&sim);
    assert_eq!(
        s.login("carol", "carol-pass").unwrap(),
        ETNA_AUTH_PIN_REQUIRED
    );
    assert_eq!(
        s.verify("123456").unwrap_err().code,
        ETNA_ERR_INVALID_STATE,
        "a PIN is expected, not a code"
    );
    let e = s.pin("0000").unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_INVALID_PIN, 401));
    assert_eq!(s.state(), ETNA_AUTH_PIN_REQUIRED);
    assert_eq!(s.pin("2468").unwrap(), ETNA_AUTH_AUTHENTICATED);
    let pin_step = sim
        .recorded_requests()
        .into_iter()
        .rfind(|r| r.url == "/api/token")
        .unwrap();
    assert_eq!(pin_step.header("PinCode"), Some("2468"));
    assert_eq!(pin_step.header("Password"), Some("carol-pass"));
    assert!(
        pin_step
            .header("Authorization")
            .unwrap()
            .starts_with("Bearer ")
    );
}

#[test]
fn documented_login_failures_have_their_own_codes() {
    let sim = start_sim();
    let s = session(&sim);
    let e = s.login("alice", "nope").unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_INVALID_CREDENTIALS, 401));
    assert_eq!(e.reason.as_deref(), Some("Invalid credentials"));
    let e = s.login("dave", "dave-pass").unwrap_err();
    assert_eq!(e.code, ETNA_ERR_PASSWORD_EXPIRED, "{}", e.message);
    let e = s.login("erin", "erin-pass").unwrap_err();
    assert_eq!(e.code, ETNA_ERR_PIN_NOT_SET, "{}", e.message);
    assert!(e.message.contains("PIN code is not init"), "{}", e.message);
    assert_eq!(s.state(), ETNA_AUTH_NONE);

    let bad_key = Session::new(&sim.base_url(), "wrong-key").unwrap();
    let e = bad_key.login("alice", "alice-pass").unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_INVALID_APP_KEY, 403));
    assert_eq!(
        e.reason.as_deref(),
        Some("Application key is not defined or does not exist")
    );
    assert!(
        !e.message.contains("wrong-key"),
        "the app key is never echoed: {}",
        e.message
    );
}

#[test]
fn a_failed_new_login_ends_the_old_one() {
    let sim = start_sim();
    let s = session(&sim);
    s.login("alice", "alice-pass").unwrap();
    assert_eq!(
        s.login("alice", "bad").unwrap_err().code,
        ETNA_ERR_INVALID_CREDENTIALS
    );
    assert_eq!(s.state(), ETNA_AUTH_NONE);
    assert_eq!(
        s.get("v1.0/users/@me/info").unwrap_err().code,
        ETNA_ERR_NOT_AUTHENTICATED
    );
}

#[test]
fn only_token_requests_carry_password_code_or_pin() {
    let sim = start_sim();
    for (user, pass, step) in [
        ("alice", "alice-pass", ""),
        ("bob", "bob-pass", "code"),
        ("carol", "carol-pass", "pin"),
    ] {
        let s = session(&sim);
        s.login(user, pass).unwrap();
        match step {
            "code" => drop(s.verify(FIXED_CODE).unwrap()),
            "pin" => drop(s.pin("2468").unwrap()),
            _ => {}
        }
        s.get("v1.0/users/@me/info").unwrap();
        s.request("GET", "v1.0/users/@me/accounts", None).unwrap();
        s.logout().unwrap();
    }
    let requests = sim.recorded_requests();
    assert!(requests.len() >= 12);
    let version = format!("libetna/{}", env!("CARGO_PKG_VERSION"));
    for r in &requests {
        let secret_headers = ["Password", "VerificationCode", "PinCode", "Username"];
        let carries = secret_headers.iter().any(|h| r.header(h).is_some());
        assert_eq!(
            carries,
            r.url == "/api/token",
            "{} {} {:?}",
            r.method,
            r.url,
            r.headers
        );
        assert_eq!(r.header("Accept"), Some("application/json"), "{}", r.url);
        assert_eq!(r.header("Et-App-Key"), Some(APP_KEY), "{}", r.url);
        assert_eq!(r.header("User-Agent"), Some(version.as_str()), "{}", r.url);
    }
    assert_eq!(
        requests.iter().filter(|r| r.url == "/api/logout").count(),
        3
    );
}

#[test]
fn logout_revokes_the_token_and_returns_to_none() {
    let sim = start_sim();
    let s = session(&sim);
    s.login("alice", "alice-pass").unwrap();
    s.logout().unwrap();
    assert_eq!((s.state(), s.expires_at()), (ETNA_AUTH_NONE, 0));
    let logout = sim
        .recorded_requests()
        .into_iter()
        .rfind(|r| r.url == "/api/logout")
        .unwrap();
    assert_eq!(logout.method, "POST");
    assert!(
        logout
            .header("Authorization")
            .unwrap()
            .starts_with("Bearer ")
    );
    let before = sim.recorded_requests().len();
    assert_eq!(
        s.get("v1.0/users/@me/info").unwrap_err().code,
        ETNA_ERR_NOT_AUTHENTICATED
    );
    assert_eq!(
        sim.recorded_requests().len(),
        before,
        "no request without a login"
    );
    s.logout().unwrap();
}

#[test]
fn an_expired_token_is_refused_by_the_broker() {
    let sim = Simulator::start(SimConfig {
        token_ttl: Duration::from_secs(1),
        ..SimConfig::default()
    })
    .unwrap();
    let s = session(&sim);
    s.login("alice", "alice-pass").unwrap();
    s.get("v1.0/users/@me/info").unwrap();
    std::thread::sleep(Duration::from_millis(1300));
    let e = s.get("v1.0/users/@me/info").unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_NOT_AUTHENTICATED, 401));
    assert_eq!(
        e.reason.as_deref(),
        Some("Authorization has been denied for this request.")
    );
}

#[test]
fn token_answers_off_the_protocol_are_protocol_errors() {
    let cases: [&[u8]; 3] = [
        b"not json at all",
        br#"{"State":"TwoFactorAuthRequired","Token":"t"}"#,
        br#"{"State":"Succeeded"}"#,
    ];
    for body in cases {
        let server = Canned::start(vec![Behaviour::Answer(http("200 OK", &[], body))]);
        let s = Session::new(&server.url(), "k").unwrap();
        let e = s.login("alice", "alice-pass").unwrap_err();
        assert_eq!(
            e.code,
            ETNA_ERR_PROTOCOL,
            "{}",
            String::from_utf8_lossy(body)
        );
        assert_eq!(s.state(), ETNA_AUTH_NONE);
    }
}

#[test]
fn a_login_step_that_times_out_changes_nothing() {
    let server = Canned::start(vec![Behaviour::Silence]);
    let s = Session::new(&server.url(), "k").unwrap();
    s.set_timeouts(500, 300).unwrap();
    let started = std::time::Instant::now();
    let e = s.login("alice", "alice-pass").unwrap_err();
    assert_eq!(e.code, ETNA_ERR_TIMEOUT, "{}", e.message);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(s.state(), ETNA_AUTH_NONE);
}
