//! No secret reaches a log line, an error message or a Debug print: a two-factor login (with a
//! wrong code first), a failed login and a bad app key, with logging at its most verbose.

use crate::support::*;
use etna::client::{LogLevel, LogSink, Session};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct Lines(Mutex<Vec<String>>);

impl LogSink for Lines {
    fn log(&self, level: LogLevel, message: &str) {
        self.0.lock().unwrap().push(format!("{level:?} {message}"));
    }
}

#[test]
fn secrets_never_appear_in_logs_errors_or_debug_prints() {
    let sim = start_sim();
    let lines = Arc::new(Lines::default());
    let mut seen = Vec::new();

    let session = Session::new(&sim.base_url(), APP_KEY).unwrap();
    session.set_logger(Some(lines.clone()), LogLevel::Trace);
    session.login("bob", "bob-pass").unwrap();
    let wrong = session.verify("654321").unwrap_err();
    seen.push(format!("{wrong} {wrong:?}"));
    session.verify(FIXED_CODE).unwrap();
    session.request("GET", "v1.0/users/@me/info", None).unwrap();
    let not_found = session.request("GET", "v1.0/nothing", None).unwrap_err();
    seen.push(format!("{not_found} {not_found:?}"));
    session.logout().unwrap();
    let failed = session.login("bob", "bob-wrong-pass").unwrap_err();
    seen.push(format!("{failed} {failed:?}"));

    let bad_key = Session::new(&sim.base_url(), "secret-app-key-123").unwrap();
    bad_key.set_logger(Some(lines.clone()), LogLevel::Trace);
    let refused = bad_key.login("carol", "carol-pass").unwrap_err();
    seen.push(format!("{refused} {refused:?}"));
    carol_pin_login(&sim, &lines, &mut seen);

    // Every token the simulator handed out, interim and final, as it received them back.
    let mut secrets: Vec<String> = sim
        .recorded_requests()
        .iter()
        .filter_map(|r| {
            r.header("Authorization")
                .map(|b| b.trim_start_matches("Bearer ").to_owned())
        })
        .collect();
    assert!(secrets.len() >= 3, "tokens were used");
    secrets.extend(
        [
            "bob-pass",
            "bob-wrong-pass",
            "carol-pass",
            FIXED_CODE,
            "654321",
            "2468",
            "1357",
            APP_KEY,
            "secret-app-key-123",
        ]
        .map(String::from),
    );
    seen.extend(lines.0.lock().unwrap().iter().cloned());
    assert!(seen.len() > 10, "{seen:#?}");
    // The port is in 404 messages and could contain a short PIN by chance.
    let port = sim.port().to_string();
    for text in seen.iter().map(|t| t.replace(&port, "<port>")) {
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "secret {secret:?} leaked into: {text}"
            );
        }
    }
}

fn carol_pin_login(sim: &Simulator, lines: &Arc<Lines>, seen: &mut Vec<String>) {
    let session = Session::new(&sim.base_url(), APP_KEY).unwrap();
    session.set_logger(Some(lines.clone()), LogLevel::Trace);
    session.login("carol", "carol-pass").unwrap();
    let wrong = session.submit_pin("1357").unwrap_err();
    seen.push(format!("{wrong} {wrong:?}"));
    session.submit_pin("2468").unwrap();
}
