//! What the session tours must print, for the C++ and the C# tests: tests/bindings/cpp/
//! session_tour.cpp and tests/bindings/csharp/SessionTour.cs log in as bob, set every session
//! option, export and import the session, cancel a wait from another thread and find an order by
//! its ClientId, printing the same lines (typed values as records.rs reads them).

use super::records::{Lines, Model};
use super::{APP_KEY, Lang, Program, Simulator, manifest_dir, sim_env};
use serde_json::Value;
use std::collections::HashMap;
use std::process::Command;

/// A tour as bob, with a CA file to trust and no proxy from the environment.
pub fn session_tour_command(tour: &Program, sim: &Simulator) -> Command {
    let mut cmd = tour.command();
    sim_env(&mut cmd, sim, "bob", "bob-pass");
    cmd.env("ETNA_CA_FILE", manifest_dir().join("tests/tls/ca.pem"));
    for var in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"] {
        cmd.env_remove(var).env_remove(var.to_lowercase());
    }
    cmd
}

/// How long a cancelled wait may take to return after the cancel.
pub const CANCEL_LIMIT_MS: u64 = 500;

/// ClientIds the tours use.
const WAITED: &str = "session-tour-wait";
const UNSENT: &str = "session-tour-unsent";

/// Order statuses after which an order no longer changes.
const TERMINAL: [&str; 7] = [
    "Filled",
    "Canceled",
    "Rejected",
    "Expired",
    "DoneForDay",
    "Error",
    "Replaced",
];

struct Failed {
    code: i32,
    http: u16,
    client: Option<String>,
}

struct Tour<'a> {
    lines: HashMap<&'a str, &'a str>,
    stdout: &'a str,
}

impl<'a> Tour<'a> {
    fn parse(stdout: &'a str) -> Tour<'a> {
        let mut lines = HashMap::new();
        for (step, text) in stdout.lines().filter_map(|l| l.split_once(": ")) {
            lines.entry(step).or_insert(text);
        }
        Tour { lines, stdout }
    }

    fn text(&self, step: &str) -> &'a str {
        self.lines
            .get(step)
            .unwrap_or_else(|| panic!("the tour printed no {step:?} line:\n{}", self.stdout))
    }

    fn error(&self, step: &str) -> Option<Failed> {
        let text = self.text(step);
        let rest = text.strip_prefix("error code=")?;
        let parsed = rest.split_once(" http=").and_then(|(code, rest)| {
            let (http, rest) = rest.split_once(" client=")?;
            let (client, _reason) = rest.split_once(" reason=")?;
            Some(Failed {
                code: code.parse().ok()?,
                http: http.parse().ok()?,
                client: (client != "-").then(|| client.to_owned()),
            })
        });
        Some(parsed.unwrap_or_else(|| panic!("{step}: bad error line {text:?}")))
    }

    fn is(&self, step: &str, want: &str) {
        assert_eq!(self.text(step), want, "{step}\n{}", self.stdout);
    }

    fn ok(&self, step: &str) {
        self.is(step, "ok");
    }

    /// The exported session, the one answer that stays text.
    fn json(&self, step: &str) -> Value {
        let text = self.text(step);
        serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("{step} is not JSON ({e}): {text}\n{}", self.stdout))
    }

    /// The step failed with `code`; gives the error.
    fn failed(&self, step: &str, code: i32) -> Failed {
        let e = self.error(step).unwrap_or_else(|| {
            panic!(
                "{step} should have failed with code {code}\n{}",
                self.stdout
            )
        });
        assert_eq!(e.code, code, "{step}: code\n{}", self.stdout);
        e
    }

    fn millis(&self, step: &str) -> u64 {
        let text = self.text(step);
        text.parse()
            .unwrap_or_else(|e| panic!("{step} is not a number of ms ({e}): {text}"))
    }
}

/// The tour's lines (bob, account 1003) and what the simulator received.
pub fn check_session_tour(stdout: &str, sim: &Simulator, lang: Lang) {
    use etna::ffi::*;
    let t = Tour::parse(stdout);
    let typed = Lines::parse(stdout);
    assert!(stdout.lines().any(|l| l == "done"), "{stdout}");

    // Two-factor login, seen by the auth callback step by step.
    t.is("login", &ETNA_AUTH_VERIFICATION_REQUIRED.to_string());
    t.is("verify", &ETNA_AUTH_AUTHENTICATED.to_string());
    t.is("auth_states", "1,3");

    // The setters and what they refuse.
    for step in [
        "retry_policy",
        "max_response_bytes",
        "auto_relogin",
        "ca_file",
        "dead_proxy",
        "proxy_from_environment",
    ] {
        t.ok(step);
    }
    for step in [
        "bad_retry_policy",
        "bad_max_response_bytes",
        "ca_file_missing",
        "bad_proxy",
    ] {
        t.failed(step, ETNA_ERR_INVALID_ARGUMENT);
    }
    // A refused callback setter throws libetna's own error, not just its status.
    t.failed("bad_log_level", ETNA_ERR_INVALID_ARGUMENT);
    let message = t.text("bad_log_level_message");
    assert!(message.contains("log level 0"), "{message}");
    // Through a proxy nobody listens on, then back to the environment's (none): it works again.
    t.failed("via_dead_proxy", ETNA_ERR_NETWORK);
    let (_, accounts) = typed.list("accounts", Model::Account);
    assert_eq!(accounts[0].int("id"), 1003, "{stdout}");

    // Export: sealed text with the token, never the password or the app key.
    let exported = t.json("export");
    assert_eq!(exported["Username"], "bob", "{exported}");
    assert!(exported["Token"].is_string(), "{exported}");
    let text = t.text("export");
    assert!(
        !text.contains("bob-pass"),
        "the password was exported: {text}"
    );
    assert!(!text.contains(APP_KEY), "the app key was exported: {text}");

    // Import into a new session: logged in, told to its callback, and it works.
    t.ok("import");
    t.is("imported_state", &ETNA_AUTH_AUTHENTICATED.to_string());
    t.is("imported_auth_states", "3");
    assert_eq!(
        typed.one("imported_user_info", Model::User).get("login"),
        "bob"
    );
    no_token_call_after_import(sim);

    // Edited or malformed text is refused and leaves the session logged out; a session never
    // logged in has nothing to export.
    t.failed("export_logged_out", ETNA_ERR_INVALID_STATE);
    t.failed("tampered", ETNA_ERR_INVALID_ARGUMENT);
    t.failed("malformed", ETNA_ERR_INVALID_ARGUMENT);
    t.is("tampered_state", &ETNA_AUTH_NONE.to_string());
    // An order's error carries its ClientId; other errors none.
    let unsent = t.failed("unsent_order", ETNA_ERR_NOT_AUTHENTICATED);
    assert_eq!(unsent.client.as_deref(), Some(UNSENT));
    let other = t.failed("no_client_id", ETNA_ERR_NOT_AUTHENTICATED);
    assert_eq!(other.client, None);
    // A throwing auth callback does not break the call that told it.
    t.ok("throwing_callback_import");

    // The resting order; a cancel from another thread ends the wait for it promptly.
    let placed = typed.one("placed", Model::Order);
    let id = placed.int("id");
    assert_eq!(placed.get("client_id"), WAITED, "{stdout}");
    t.failed("wait_open", ETNA_ERR_TIMEOUT);
    t.failed("cancelled_wait", ETNA_ERR_CANCELLED);
    let latency = t.millis("cancel_latency_ms");
    assert!(
        latency < CANCEL_LIMIT_MS,
        "the wait returned {latency} ms after the cancel"
    );
    let waited = t.millis("wait_ms");
    assert!(
        (250..5000).contains(&waited),
        "the wait lasted {waited} ms: the cancel came 300 ms in"
    );
    // The session still works, and the order was not touched.
    let after = typed.one("after_cancel", Model::Order);
    assert_eq!(after.int("id"), id, "{stdout}");
    let status = after.get("status_text");
    let code = i32::try_from(after.int("status")).expect("a status code");
    assert!(
        !TERMINAL.contains(&status) && etna_order_status_is_final(code) == 0,
        "the order should still be open: {}",
        after.json
    );

    // Found by its ClientId; an unknown one is empty; a quote is refused before any request.
    let found = typed.one("found", Model::Order);
    assert_eq!(found.int("id"), id, "{stdout}");
    assert_eq!(found.get("client_id"), WAITED, "{stdout}");
    t.is("find_unknown", "none");
    t.failed("find_bad", ETNA_ERR_INVALID_ARGUMENT);

    t.ok("cancel_order");
    let last = typed.one("final", Model::Order);
    assert_eq!(last.get("status_text"), "Canceled", "{stdout}");
    assert_eq!(
        last.int("status"),
        i64::from(ETNA_ORDER_STATUS_CANCELED),
        "{stdout}"
    );

    // Logout is told to the callback and ends the token the imported session shares.
    t.ok("logout");
    t.is("auth_states_end", "1,3,0");
    let e = t.failed("imported_after_logout", ETNA_ERR_NOT_AUTHENTICATED);
    assert_eq!(e.http, 401);
    t.ok("auth_callback_off");
    match lang {
        Lang::Cpp => {
            t.is("callback_released", "yes");
            t.failed("moved_from_export", ETNA_ERR_NULL_ARGUMENT);
        }
        Lang::CSharp => t.is("disposed_cancel", "ObjectDisposedException"),
        Lang::C => unreachable!("the session tours are C++ and C#"),
    }

    // What reached the simulator: one order (the unsent one never left), polled while waiting.
    let orders: Vec<_> = sim
        .recorded_requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.url == "/api/v1.0/accounts/1003/orders")
        .collect();
    assert_eq!(orders.len(), 1, "one order was placed");
    let body = String::from_utf8_lossy(&orders[0].body);
    assert!(body.contains(WAITED), "{body}");
    let polls = sim
        .recorded_requests()
        .iter()
        .filter(|r| r.method == "GET" && r.url == format!("/api/v1.0/accounts/1003/orders/{id}"))
        .count();
    assert!(polls >= 2, "the waits polled the order {polls} times");
}

/// The imported session made no `/api/token` call: there were two in all (bob's login) and both
/// came before its first request (`GET users/@me/info`, which only it makes), and that request
/// carried the token the exporting session used.
fn no_token_call_after_import(sim: &Simulator) {
    let seen = sim.recorded_requests();
    let first_import = seen
        .iter()
        .position(|r| r.method == "GET" && r.url == "/api/v1.0/users/@me/info")
        .expect("the imported session asked for the user info");
    let tokens: Vec<usize> = seen
        .iter()
        .enumerate()
        .filter(|(_, r)| r.url == "/api/token")
        .map(|(i, _)| i)
        .collect();
    // Bob's two-factor login: the password, then the code.
    assert_eq!(tokens.len(), 2, "/api/token calls at {tokens:?}");
    assert!(
        tokens.iter().all(|&i| i < first_import),
        "a /api/token call came after the import: requests {tokens:?}, import at {first_import}"
    );
    let exporter = seen[..first_import]
        .iter()
        .rev()
        .find(|r| r.url.starts_with("/api/v1.0/"))
        .expect("the exporting session made a request before");
    let bearer = |r: &etna_sim::RecordedRequest| r.header("Authorization").map(str::to_owned);
    assert!(bearer(exporter).is_some_and(|b| b.starts_with("Bearer ")));
    assert_eq!(
        bearer(&seen[first_import]),
        bearer(exporter),
        "the imported session sends the exported token"
    );
}
