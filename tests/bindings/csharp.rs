//! The C# binding (bindings/csharp/Etna.cs), built with Mono's `mcs` (C# 6, warnings as errors)
//! and run with `mono` against libetna.so and the simulator: the quickstart, the trading example
//! and the example that waits for a fill on the data stream (examples/csharp), and the tours of
//! the session (tests/bindings/csharp/SessionTour.cs), of every trading method (TradingTour.cs),
//! of the streams (StreamTour.cs) and of the markets API (MarketsTour.cs: options, equity pages,
//! price alerts, news, history, order details, sync orders, watchlists by id); and the price
//! alerts example. The checks are shared with the C++ tests (support/).
//! Skipped when mcs or mono is missing, unless ETNA_REQUIRE_CSHARP=1.

use crate::support::consumers::quickstart;
use crate::support::markets_checks::{check_markets_tour, check_price_alerts_example};
use crate::support::session_checks::{check_session_tour, session_tour_command};
use crate::support::stream_checks::{check_stream_fill, check_stream_tour};
use crate::support::trading_checks::{check_example, check_tour, refuses_a_broker_elsewhere};
use crate::support::*;
use std::process::Command;
use std::time::Duration;

const RUN_LIMIT: Duration = Duration::from_secs(60);

/// An example, with the prompts and settings every example shares.
fn csharp(program: &str, name: &str) -> Program {
    build(
        Lang::CSharp,
        Link::Dynamic,
        &[program, "examples/csharp/Interactive.cs"],
        name,
    )
}

/// A tour, with the printing of typed values it shares with the other tour.
fn tour(program: &str, name: &str) -> Program {
    build(
        Lang::CSharp,
        Link::Dynamic,
        &[program, "tests/bindings/csharp/Records.cs"],
        name,
    )
}

fn quickstart_command(sim: &Simulator, user: &str, password: &str) -> Command {
    let mut cmd = csharp("examples/csharp/Quickstart.cs", "quickstart").command();
    sim_env(&mut cmd, sim, user, password);
    cmd
}

fn example() -> Program {
    csharp("examples/csharp/Trading.cs", "trading")
}

#[test]
fn bob_logs_in_with_a_verification_code() {
    if csharp_toolchain("bob_logs_in_with_a_verification_code") {
        quickstart::bob_logs_in_with_a_verification_code(quickstart_command);
    }
}

#[test]
fn a_wrong_code_is_asked_again() {
    if csharp_toolchain("a_wrong_code_is_asked_again") {
        quickstart::a_wrong_code_is_asked_again(quickstart_command);
    }
}

#[test]
fn carol_logs_in_with_her_pin() {
    if csharp_toolchain("carol_logs_in_with_her_pin") {
        quickstart::carol_logs_in_with_her_pin(quickstart_command);
    }
}

#[test]
fn a_wrong_password_is_reported_with_its_code() {
    if csharp_toolchain("a_wrong_password_is_reported_with_its_code") {
        quickstart::a_wrong_password_is_reported_with_its_code(quickstart_command);
    }
}

#[test]
fn log_lines_reach_the_callback() {
    if csharp_toolchain("log_lines_reach_the_callback") {
        quickstart::log_lines_reach_the_callback(quickstart_command);
    }
}

#[test]
fn export_import_cancel_and_find_by_client_id() {
    if !csharp_toolchain("export_import_cancel_and_find_by_client_id") {
        return;
    }
    let tour = tour("tests/bindings/csharp/SessionTour.cs", "session_tour");
    let sim = start_sim();
    let stdout = run_ok(
        &mut session_tour_command(&tour, &sim),
        "123456\n",
        RUN_LIMIT,
    );
    check_session_tour(&stdout, &sim, Lang::CSharp);
}

#[test]
fn the_example_trades_as_bob() {
    if !csharp_toolchain("the_example_trades_as_bob") {
        return;
    }
    let sim = start_sim();
    let mut cmd = example().command();
    sim_env(&mut cmd, &sim, "bob", "bob-pass");
    let stdout = run_ok(&mut cmd, "123456\n", RUN_LIMIT);
    check_example(&stdout, &sim);
}

#[test]
fn the_example_refuses_a_broker_elsewhere() {
    if csharp_toolchain("the_example_refuses_a_broker_elsewhere") {
        refuses_a_broker_elsewhere(&example());
    }
}

#[test]
fn every_trading_method_and_its_errors() {
    if !csharp_toolchain("every_trading_method_and_its_errors") {
        return;
    }
    let tour = tour("tests/bindings/csharp/TradingTour.cs", "trading_tour");
    let sim = start_sim();
    let mut cmd = tour.command();
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    let stdout = run_ok(&mut cmd, "", RUN_LIMIT);
    check_tour(&stdout, &sim, Lang::CSharp);
}

#[test]
fn the_example_waits_for_a_fill_on_the_data_stream() {
    if !csharp_toolchain("the_example_waits_for_a_fill_on_the_data_stream") {
        return;
    }
    let sim = start_sim();
    let mut cmd = csharp("examples/csharp/StreamFill.cs", "stream_fill").command();
    sim_env(&mut cmd, &sim, "bob", "bob-pass");
    let stdout = run_ok(&mut cmd, "123456\n", RUN_LIMIT);
    check_stream_fill(&stdout, &sim);
}

#[test]
fn the_stream_example_refuses_a_broker_elsewhere() {
    if csharp_toolchain("the_stream_example_refuses_a_broker_elsewhere") {
        refuses_a_broker_elsewhere(&csharp("examples/csharp/StreamFill.cs", "stream_fill"));
    }
}

#[test]
fn quotes_an_orders_fill_and_every_event_kind_from_streams() {
    if !csharp_toolchain("quotes_an_orders_fill_and_every_event_kind_from_streams") {
        return;
    }
    let tour = tour("tests/bindings/csharp/StreamTour.cs", "stream_tour");
    let sim = start_sim();
    let mut cmd = tour.command();
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    let stdout = run_ok(&mut cmd, "", RUN_LIMIT);
    check_stream_tour(&stdout, &sim, Lang::CSharp);
}

#[test]
fn every_markets_method_and_its_errors() {
    if !csharp_toolchain("every_markets_method_and_its_errors") {
        return;
    }
    let tour = tour("tests/bindings/csharp/MarketsTour.cs", "markets_tour");
    let sim = start_sim();
    let mut cmd = tour.command();
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    let stdout = run_ok(&mut cmd, "", RUN_LIMIT);
    check_markets_tour(&stdout, &sim, Lang::CSharp);
}

#[test]
fn the_price_alerts_example_creates_changes_and_deletes_an_alert_as_bob() {
    if !csharp_toolchain("the_price_alerts_example_creates_changes_and_deletes_an_alert_as_bob") {
        return;
    }
    let sim = start_sim();
    let mut cmd = csharp("examples/csharp/PriceAlerts.cs", "price_alerts").command();
    sim_env(&mut cmd, &sim, "bob", "bob-pass");
    cmd.env_remove("ETNA_SYMBOL");
    let stdout = run_ok(&mut cmd, "123456\n", RUN_LIMIT);
    check_price_alerts_example(&stdout, &sim);
}
