//! The C++ layer (include/etna.hpp): builds examples/cpp (two translation units, warnings as
//! errors) against libetna.so and runs the quickstart against the simulator.

mod common;

use common::consumers::*;
use common::*;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

const BUILD_LIMIT: Duration = Duration::from_secs(180);
const RUN_LIMIT: Duration = Duration::from_secs(30);

/// Compiles the quickstart once for all tests in this file.
fn quickstart() -> PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        assert!(have("g++"), "g++ is needed to build the C++ examples");
        let examples = manifest_dir().join("examples/cpp");
        let lib = lib_dir();
        let exe = scratch("cpp").join("quickstart");
        run_ok(
            Command::new("g++")
                .args([
                    "-std=c++17",
                    "-Wall",
                    "-Wextra",
                    "-Wpedantic",
                    "-Werror",
                    "-I",
                ])
                .arg(include_dir())
                .arg(examples.join("quickstart.cpp"))
                .arg(examples.join("print_error.cpp"))
                .arg("-L")
                .arg(&lib)
                .arg("-letna")
                .arg(format!("-Wl,-rpath,{}", lib.display()))
                .arg("-o")
                .arg(&exe),
            "",
            BUILD_LIMIT,
        );
        exe
    })
    .clone()
}

fn command(sim: &Simulator, user: &str, password: &str) -> Command {
    let mut cmd = Command::new(quickstart());
    sim_env(&mut cmd, sim, user, password);
    cmd
}

fn logged_out(sim: &Simulator) -> bool {
    sim.recorded_requests()
        .iter()
        .any(|r| r.method == "POST" && r.url.ends_with("/logout"))
}

#[test]
fn bob_logs_in_with_a_verification_code() {
    let sim = start_sim();
    let stdout = run_ok(&mut command(&sim, "bob", "bob-pass"), "123456\n", RUN_LIMIT);
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

#[test]
fn a_wrong_code_is_asked_again() {
    let sim = start_sim();
    let out = run_limited(
        &mut command(&sim, "bob", "bob-pass"),
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

#[test]
fn carol_logs_in_with_her_pin() {
    let sim = start_sim();
    let stdout = run_ok(
        &mut command(&sim, "carol", "carol-pass"),
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

#[test]
fn a_wrong_password_is_reported_with_its_code() {
    let sim = start_sim();
    let out = run_limited(
        &mut command(&sim, "bob", "not-bobs-password"),
        "",
        RUN_LIMIT,
    );
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

#[test]
fn log_lines_reach_the_callback() {
    let sim = start_sim();
    let mut cmd = command(&sim, "alice", "alice-pass");
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
