//! The C# binding (examples/csharp/Etna.cs): builds it with the quickstart using Mono's `mcs`
//! (C# 6, warnings as errors) and runs it with `mono` against libetna.so and the simulator.
//! Skipped when mcs or mono is missing, unless ETNA_REQUIRE_CSHARP=1.

mod common;

use common::consumers::*;
use common::*;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

const BUILD_LIMIT: Duration = Duration::from_secs(180);
const RUN_LIMIT: Duration = Duration::from_secs(30);

/// Compiles Etna.cs and Quickstart.cs once for all tests in this file.
fn quickstart() -> PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        let examples = manifest_dir().join("examples/csharp");
        let exe = scratch("csharp").join("quickstart.exe");
        run_ok(
            Command::new("mcs")
                .args(["-langversion:6", "-warnaserror"])
                .arg(format!("-out:{}", exe.display()))
                .arg(examples.join("Etna.cs"))
                .arg(examples.join("Quickstart.cs")),
            "",
            BUILD_LIMIT,
        );
        exe
    })
    .clone()
}

fn command(sim: &Simulator, user: &str, password: &str) -> Command {
    let exe = quickstart();
    let mut cmd = Command::new("mono");
    cmd.arg(&exe);
    // Mono drops crash reports in the working directory: keep them out of the source tree.
    cmd.current_dir(exe.parent().expect("scratch dir"));
    sim_env(&mut cmd, sim, user, password); // LD_LIBRARY_PATH lets DllImport("etna") find libetna.so
    cmd
}

#[test]
fn bob_logs_in_with_a_verification_code() {
    if !csharp_toolchain("bob_logs_in_with_a_verification_code") {
        return;
    }
    let sim = start_sim();
    let stdout = run_ok(&mut command(&sim, "bob", "bob-pass"), "123456\n", RUN_LIMIT);
    assert!(stdout.contains("Enter the verification code: "), "{stdout}");
    assert_eq!(
        login_and_accounts(&stdout),
        ("bob".to_owned(), vec![1003]),
        "{stdout}"
    );
    assert!(stdout.contains("Logged out"), "{stdout}");
    assert!(
        sim.recorded_requests()
            .iter()
            .any(|r| r.method == "POST" && r.url.ends_with("/logout")),
        "the program did not call /logout"
    );
}

#[test]
fn a_wrong_code_is_asked_again() {
    if !csharp_toolchain("a_wrong_code_is_asked_again") {
        return;
    }
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
    if !csharp_toolchain("carol_logs_in_with_her_pin") {
        return;
    }
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
}

#[test]
fn a_wrong_password_is_reported_with_its_code() {
    if !csharp_toolchain("a_wrong_password_is_reported_with_its_code") {
        return;
    }
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
}

#[test]
fn log_lines_reach_the_callback() {
    if !csharp_toolchain("log_lines_reach_the_callback") {
        return;
    }
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
