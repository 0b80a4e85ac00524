//! The C++ layer (include/etna.hpp), built with warnings as errors against libetna.so and run
//! against the simulator: the quickstart (examples/cpp, two translation units), the trading
//! example, the example that waits for a fill on the data stream, and the tours of the session
//! (tests/bindings/cpp/session_tour.cpp), of every trading method (trading_tour.cpp) and of the
//! streams (stream_tour.cpp) and of the markets API (markets_tour.cpp: options, equity pages,
//! price alerts, news, history, order details, sync orders, watchlists by id), the trading,
//! stream and markets tours also under valgrind; and the options example (a vertical spread). The
//! checks are shared with the C# tests (support/).

use crate::support::consumers::quickstart;
use crate::support::markets_checks::{check_markets_tour, check_options_example};
use crate::support::session_checks::{check_session_tour, session_tour_command};
use crate::support::stream_checks::{check_stream_fill, check_stream_tour};
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

fn stream_fill() -> Program {
    cpp(&["examples/cpp/stream_fill.cpp"], "stream_fill")
}

fn markets_tour() -> Program {
    cpp(&["tests/bindings/cpp/markets_tour.cpp"], "markets_tour")
}

fn options_example() -> Program {
    cpp(&["examples/cpp/options.cpp"], "options")
}

fn stream_tour() -> Program {
    cpp(&["tests/bindings/cpp/stream_tour.cpp"], "stream_tour")
}

/// `program` under valgrind (leaks, invalid reads and writes, on every thread), with the
/// suppressions of the C scenarios; None (the test skips) when valgrind is missing and not
/// required.
fn valgrind(program: &Program) -> Option<Command> {
    if !have("valgrind") {
        assert!(
            !required("ETNA_REQUIRE_VALGRIND"),
            "valgrind is required but not installed"
        );
        eprintln!("valgrind not installed: skipped");
        return None;
    }
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
    .arg(program.path())
    .env("LD_LIBRARY_PATH", lib_dir());
    Some(cmd)
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
    // Every typed answer of etna.hpp is an EtnaResult freed by RAII (also when an answer
    // throws): nothing leaks over the whole tour, error paths included.
    let tour = cpp(&["tests/bindings/cpp/trading_tour.cpp"], "trading_tour");
    let Some(mut cmd) = valgrind(&tour) else {
        return;
    };
    let sim = start_sim();
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    let stdout = run_ok(&mut cmd, "", Duration::from_secs(240));
    check_tour(&stdout, &sim, Lang::Cpp);
}

#[test]
fn the_example_waits_for_a_fill_on_the_data_stream() {
    let sim = start_sim();
    let mut cmd = stream_fill().command();
    sim_env(&mut cmd, &sim, "bob", "bob-pass");
    let stdout = run_ok(&mut cmd, "123456\n", RUN_LIMIT);
    check_stream_fill(&stdout, &sim);
}

#[test]
fn the_stream_example_refuses_a_broker_elsewhere() {
    refuses_a_broker_elsewhere(&stream_fill());
}

#[test]
fn quotes_an_orders_fill_and_every_event_kind_from_streams() {
    let sim = start_sim();
    let mut cmd = stream_tour().command();
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    let stdout = run_ok(&mut cmd, "", RUN_LIMIT);
    check_stream_tour(&stdout, &sim, Lang::Cpp);
}

#[test]
fn the_stream_tour_frees_every_stream_and_event_under_valgrind() {
    // Streams and their events are freed by RAII, a reader thread is woken by close(), a
    // moved-from Stream holds nothing: no leak, no invalid access, on any thread.
    let tour = stream_tour();
    let Some(mut cmd) = valgrind(&tour) else {
        return;
    };
    let sim = start_sim();
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    let stdout = run_ok(&mut cmd, "", Duration::from_secs(240));
    check_stream_tour(&stdout, &sim, Lang::Cpp);
}

#[test]
fn every_markets_method_and_its_errors() {
    let sim = start_sim();
    let mut cmd = markets_tour().command();
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    let stdout = run_ok(&mut cmd, "", RUN_LIMIT);
    check_markets_tour(&stdout, &sim, Lang::Cpp);
}

#[test]
fn the_markets_tour_frees_every_result_under_valgrind() {
    // Options, alerts, news, history points, position groups and order details: each answer an
    // EtnaResult freed by RAII, also on the error paths.
    let tour = markets_tour();
    let Some(mut cmd) = valgrind(&tour) else {
        return;
    };
    let sim = start_sim();
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    let stdout = run_ok(&mut cmd, "", Duration::from_secs(300));
    check_markets_tour(&stdout, &sim, Lang::Cpp);
}

#[test]
fn the_options_example_trades_a_vertical_spread_as_bob() {
    let sim = start_sim();
    let mut cmd = options_example().command();
    sim_env(&mut cmd, &sim, "bob", "bob-pass");
    cmd.env_remove("ETNA_UNDERLYING");
    let stdout = run_ok(&mut cmd, "123456\n", RUN_LIMIT);
    check_options_example(&stdout, &sim);
}

#[test]
fn the_options_example_refuses_a_broker_elsewhere() {
    refuses_a_broker_elsewhere(&options_example());
}
