//! The C scenarios (tests/bindings/c/abi_test.c) and the C quickstart, compiled with strict
//! warnings, linked dynamically and statically, run against the simulator, and run under valgrind
//! and the sanitizers.

use crate::support::*;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const SCENARIOS: &str = "tests/bindings/c/abi_test.c";

fn scenarios(link: Link) -> Program {
    build(Lang::C, link, &[SCENARIOS], "abi_test")
}

fn quickstart() -> Program {
    build(
        Lang::C,
        Link::Dynamic,
        &["examples/c/quickstart.c"],
        "quickstart",
    )
}

/// A loopback URL where nothing listens: bind a port, then let it go.
fn refused_url() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}/api/")
}

fn run_scenarios(program: &Path, wrapper: &[&str]) {
    let sim = start_sim();
    let (exe, args) = match wrapper.split_first() {
        Some((tool, rest)) => (
            PathBuf::from(tool),
            [rest, &[program.to_str().unwrap()]].concat(),
        ),
        None => (program.to_path_buf(), vec![]),
    };
    let mut cmd = Command::new(exe);
    cmd.args(args)
        .env("ETNA_BASE_URL", sim.base_url())
        .env("ETNA_REFUSED_URL", refused_url());
    let stdout = run_ok(&mut cmd, "", Duration::from_secs(240));
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

#[test]
fn c_scenarios_pass_linked_dynamically() {
    run_scenarios(scenarios(Link::Dynamic).path(), &[]);
}

#[test]
fn c_scenarios_pass_linked_statically() {
    let program = scenarios(Link::Static);
    let symbols = run_ok(
        Command::new("nm").arg(program.path()),
        "",
        Duration::from_secs(60),
    );
    assert!(
        symbols.contains(" T etna_login"),
        "libetna.a was not linked in"
    );
    run_scenarios(program.path(), &[]);
}

#[test]
fn c_scenarios_leak_nothing_under_valgrind() {
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
    run_scenarios(
        scenarios(Link::Dynamic).path(),
        &[
            "valgrind",
            "--leak-check=full",
            "--error-exitcode=1",
            "-q",
            &suppressions,
        ],
    );
}

#[test]
fn c_scenarios_are_clean_under_address_and_undefined_behaviour_sanitizers() {
    let program = scenarios(Link::Sanitized);
    let suppressions = manifest_dir().join("tests/bindings/c/lsan.supp");
    let wrapper = format!(
        "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions={} UBSAN_OPTIONS=halt_on_error=1",
        suppressions.display()
    );
    let env: Vec<&str> = wrapper.split(' ').collect();
    run_scenarios(program.path(), &[&["env"], env.as_slice()].concat());
}

#[test]
fn c_quickstart_logs_in_with_two_factor_and_lists_accounts() {
    let sim = start_sim();
    let mut cmd = quickstart().command();
    sim_env(&mut cmd, &sim, "bob", "bob-pass");
    // A wrong code first: the quickstart says so and asks again.
    let out = run_limited(&mut cmd, "000000\n123456\n", Duration::from_secs(30));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(
        stdout.matches("Enter the verification code: ").count(),
        2,
        "{stdout}"
    );
    assert!(stderr.contains("rejected the code"), "{stderr}");
    assert!(stdout.contains("\"Login\":\"bob\""), "{stdout}");
    assert!(stdout.contains("Accounts: [{"), "{stdout}");
    // Against the simulator it trades: limit placed, replaced, canceled; market filled.
    for step in [
        "Balances: {\"cash\":",
        "Placed limit order",
        "Replaced (price 1.05): {",
        "Placed market order",
    ] {
        assert!(stdout.contains(step), "missing {step:?} in:\n{stdout}");
    }
    let filled = stdout
        .lines()
        .find(|l| l.starts_with("Market order, final: "))
        .expect("final market order");
    assert!(filled.contains("\"Status\":\"Filled\""), "{filled}");
    assert!(stdout.contains("Position in AAPL: [{"), "{stdout}");
    assert!(stdout.contains("Canceled limit order"), "{stdout}");
    assert!(stdout.contains("Logged out"), "{stdout}");
}

#[test]
fn c_quickstart_reports_bad_credentials_and_exits_1() {
    let sim = start_sim();
    let mut cmd = quickstart().command();
    sim_env(&mut cmd, &sim, "bob", "not-his-password");
    let out = run_limited(&mut cmd, "", Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("etna_login failed")
            && stderr.contains("code 21")
            && stderr.contains("[HTTP 401]"),
        "{stderr}"
    );
    assert!(!stderr.contains("not-his-password"), "{stderr}");
}
