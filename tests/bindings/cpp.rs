//! The C++ layer (include/etna.hpp), built with warnings as errors against libetna.so and run
//! against the simulator: the quickstart (examples/cpp, two translation units), the trading
//! example, and the tours of the session (tests/bindings/cpp/session_tour.cpp) and of every
//! trading method (trading_tour.cpp), the latter also under valgrind. The checks are shared with
//! the C# tests (support/).

use crate::support::consumers::quickstart;
use crate::support::session_checks::{check_session_tour, session_tour_command};
use crate::support::trading_checks::{check_example, check_tour, refuses_a_broker_elsewhere};
use crate::support::*;
use std::process::Command;
use std::time::Duration;

const RUN_LIMIT: Duration = Duration::from_secs(60);

fn cpp(sources: &[&str], name: &str) -> Program {
    build(Lang::Cpp, Link::Dynamic, sources, name)
}

fn quickstart_command(sim: &Simulator, user: &str, password: &str) -> Command {
    let program = cpp(
        &[
            "examples/cpp/quickstart.cpp",
            "examples/cpp/print_error.cpp",
        ],
        "quickstart",
    );
    let mut cmd = program.command();
    sim_env(&mut cmd, sim, user, password);
    cmd
}

fn example() -> Program {
    cpp(&["examples/cpp/trading.cpp"], "trading")
}

#[test]
fn bob_logs_in_with_a_verification_code() {
    quickstart::bob_logs_in_with_a_verification_code(quickstart_command);
}

#[test]
fn a_wrong_code_is_asked_again() {
    quickstart::a_wrong_code_is_asked_again(quickstart_command);
}

#[test]
fn carol_logs_in_with_her_pin() {
    quickstart::carol_logs_in_with_her_pin(quickstart_command);
}

#[test]
fn a_wrong_password_is_reported_with_its_code() {
    quickstart::a_wrong_password_is_reported_with_its_code(quickstart_command);
}

#[test]
fn log_lines_reach_the_callback() {
    quickstart::log_lines_reach_the_callback(quickstart_command);
}

#[test]
fn export_import_cancel_and_find_by_client_id() {
    let tour = cpp(&["tests/bindings/cpp/session_tour.cpp"], "session_tour");
    let sim = start_sim();
    let stdout = run_ok(
        &mut session_tour_command(&tour, &sim),
        "123456\n",
        RUN_LIMIT,
    );
    check_session_tour(&stdout, &sim, Lang::Cpp);
}

#[test]
fn the_example_trades_as_bob() {
    let sim = start_sim();
    let mut cmd = example().command();
    sim_env(&mut cmd, &sim, "bob", "bob-pass");
    let stdout = run_ok(&mut cmd, "123456\n", RUN_LIMIT);
    check_example(&stdout, &sim);
}

#[test]
fn the_example_refuses_a_broker_elsewhere() {
    refuses_a_broker_elsewhere(&example());
}

#[test]
fn every_trading_method_and_its_errors() {
    let tour = cpp(&["tests/bindings/cpp/trading_tour.cpp"], "trading_tour");
    let sim = start_sim();
    let mut cmd = tour.command();
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    let stdout = run_ok(&mut cmd, "", RUN_LIMIT);
    check_tour(&stdout, &sim, Lang::Cpp);
}

#[test]
fn the_trading_tour_frees_every_result_under_valgrind() {
    if !have("valgrind") {
        assert!(
            !required("ETNA_REQUIRE_VALGRIND"),
            "valgrind is required but not installed"
        );
        eprintln!("valgrind not installed: skipped");
        return;
    }
    // Every typed answer of etna.hpp is an EtnaResult freed by RAII (also when an answer
    // throws): nothing leaks over the whole tour, error paths included.
    let tour = cpp(&["tests/bindings/cpp/trading_tour.cpp"], "trading_tour");
    let sim = start_sim();
    let suppressions = format!(
        "--suppressions={}",
        manifest_dir()
            .join("tests/bindings/c/valgrind.supp")
            .display()
    );
    let mut cmd = Command::new("valgrind");
    cmd.args([
        "--leak-check=full",
        "--error-exitcode=1",
        "-q",
        &suppressions,
    ])
    .arg(tour.path())
    .env("LD_LIBRARY_PATH", lib_dir());
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    let stdout = run_ok(&mut cmd, "", Duration::from_secs(240));
    check_tour(&stdout, &sim, Lang::Cpp);
}
