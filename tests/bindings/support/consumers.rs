//! What the C++ and C# quickstart tests share: the quickstart's scenarios (the same program in
//! two languages) and reading what it prints.

use super::{Simulator, run_limited, run_ok, start_sim};
use std::ffi::CStr;
use std::process::Command;
use std::time::Duration;

/// How the quickstarts print a status code: "(code 21: wrong user name or password)".
fn code_note(code: i32) -> String {
    // SAFETY: etna_status_str returns a static NUL-terminated string for any code.
    let text = unsafe { CStr::from_ptr(etna::ffi::etna_status_str(code)) };
    format!("(code {code}: {})", text.to_str().expect("UTF-8"))
}

/// The user's login and the ids of the accounts the program printed, from its typed reads:
/// `User: bob (id 102)` and one `Account 1003: <alias> (<margin type>)` line per account.
fn login_and_accounts(stdout: &str) -> (String, Vec<i64>) {
    let user = stdout
        .lines()
        .find_map(|l| l.strip_prefix("User: "))
        .unwrap_or_else(|| panic!("no User line in:\n{stdout}"));
    let (login, id) = user
        .split_once(" (id ")
        .unwrap_or_else(|| panic!("bad User line: {user}"));
    let id: i64 = id.trim_end_matches(')').parse().expect("the user's id");
    assert!(id > 0, "{user}");
    let ids = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("Account "))
        .map(|l| {
            let (id, rest) = l.split_once(": ").expect("Account <id>: <alias> (<type>)");
            assert!(rest.ends_with(')'), "{l}");
            id.parse().expect("an account id")
        })
        .collect();
    (login.to_owned(), ids)
}

/// How a test starts its language's quickstart for a user of the simulator.
pub type Launch = fn(&Simulator, &str, &str) -> Command;

const RUN_LIMIT: Duration = Duration::from_secs(30);

fn logged_out(sim: &Simulator) -> bool {
    sim.recorded_requests()
        .iter()
        .any(|r| r.method == "POST" && r.url.ends_with("/logout"))
}

/// The quickstart's scenarios, as each binding's tests run them.
pub mod quickstart {
    use super::*;

    pub fn bob_logs_in_with_a_verification_code(launch: Launch) {
        let sim = start_sim();
        let stdout = run_ok(&mut launch(&sim, "bob", "bob-pass"), "123456\n", RUN_LIMIT);
        assert!(stdout.contains("Enter the verification code: "), "{stdout}");
        assert!(!stdout.contains("Enter your PIN: "), "{stdout}");
        assert_eq!(
            login_and_accounts(&stdout),
            ("bob".to_owned(), vec![1003]),
            "{stdout}"
        );
        assert!(stdout.contains("Logged out"), "{stdout}");
        assert!(logged_out(&sim), "the program did not call /logout");
    }

    pub fn a_wrong_code_is_asked_again(launch: Launch) {
        let sim = start_sim();
        let out = run_limited(
            &mut launch(&sim, "bob", "bob-pass"),
            "000000\n123456\n",
            RUN_LIMIT,
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            stdout.matches("Enter the verification code: ").count(),
            2,
            "{stdout}"
        );
        assert_eq!(login_and_accounts(&stdout).1, vec![1003], "{stdout}");
    }

    pub fn carol_logs_in_with_her_pin(launch: Launch) {
        let sim = start_sim();
        let stdout = run_ok(
            &mut launch(&sim, "carol", "carol-pass"),
            "2468\n",
            RUN_LIMIT,
        );
        assert!(stdout.contains("Enter your PIN: "), "{stdout}");
        assert_eq!(
            login_and_accounts(&stdout),
            ("carol".to_owned(), vec![1004]),
            "{stdout}"
        );
        assert!(logged_out(&sim), "the program did not call /logout");
    }

    pub fn a_wrong_password_is_reported_with_its_code(launch: Launch) {
        let sim = start_sim();
        let out = run_limited(&mut launch(&sim, "bob", "not-bobs-password"), "", RUN_LIMIT);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
        let expected = code_note(etna::ffi::ETNA_ERR_INVALID_CREDENTIALS);
        assert!(
            stderr.contains(&expected),
            "wanted {expected:?} in:\n{stderr}"
        );
        assert!(!stdout.contains("User: "), "{stdout}");
        assert!(
            !stderr.contains("not-bobs-password"),
            "the password leaked: {stderr}"
        );
    }

    pub fn log_lines_reach_the_callback(launch: Launch) {
        let sim = start_sim();
        let mut cmd = launch(&sim, "alice", "alice-pass");
        cmd.env("ETNA_LOG", "1");
        let out = run_limited(&mut cmd, "", RUN_LIMIT);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert_eq!(
            login_and_accounts(&String::from_utf8_lossy(&out.stdout)).1,
            vec![1001, 1002]
        );
        // Debug lines (level 4) name each request; nothing secret is logged.
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with("[etna 4] ") && l.contains("@me/info")),
            "{stderr}"
        );
        assert!(
            !stderr.contains("alice-pass"),
            "the password leaked: {stderr}"
        );
    }
}
