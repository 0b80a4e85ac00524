//! The trading half of the C# binding (examples/csharp/Etna.cs): builds examples/csharp/Trading.cs
//! and tests/csharp/TradingTour.cs with Mono's `mcs` (C# 6, warnings as errors) and runs them with
//! `mono` against libetna.so and the simulator. The checks live in tests/cpp/trading_checks.rs,
//! shared with the C++ tests. Skipped when mcs or mono is missing, unless ETNA_REQUIRE_CSHARP=1.

mod common;
#[path = "cpp/trading_checks.rs"]
mod trading_checks;

use common::consumers::*;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;
use trading_checks::*;

const BUILD_LIMIT: Duration = Duration::from_secs(180);
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// Compiles Etna.cs with one program.
fn build(program: &Path, name: &str) -> PathBuf {
    let exe = scratch("csharp_trading").join(name);
    run_ok(
        Command::new("mcs")
            .args(["-langversion:6", "-warnaserror"])
            .arg(format!("-out:{}", exe.display()))
            .arg(manifest_dir().join("examples/csharp/Etna.cs"))
            .arg(program),
        "",
        BUILD_LIMIT,
    );
    exe
}

fn example() -> PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        build(
            &manifest_dir().join("examples/csharp/Trading.cs"),
            "trading.exe",
        )
    })
    .clone()
}

fn tour() -> PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        build(
            &manifest_dir().join("tests/csharp/TradingTour.cs"),
            "tour.exe",
        )
    })
    .clone()
}

fn mono(exe: PathBuf) -> Command {
    let mut cmd = Command::new("mono");
    cmd.arg(&exe);
    // Mono drops crash reports in the working directory: keep them out of the source tree.
    cmd.current_dir(exe.parent().expect("scratch dir"));
    // DllImport("etna") finds libetna.so through LD_LIBRARY_PATH.
    cmd.env("LD_LIBRARY_PATH", lib_dir());
    cmd
}

#[test]
fn the_example_trades_as_bob() {
    if !csharp_toolchain("the_example_trades_as_bob") {
        return;
    }
    let sim = start_sim();
    let mut cmd = mono(example());
    sim_env(&mut cmd, &sim, "bob", "bob-pass");
    let stdout = run_ok(&mut cmd, "123456\n", RUN_LIMIT);
    check_example(&stdout, &sim);
}

#[test]
fn the_example_refuses_a_broker_elsewhere() {
    if !csharp_toolchain("the_example_refuses_a_broker_elsewhere") {
        return;
    }
    for url in [
        "https://pub-api-et-demo-prod.etnasoft.us/api/",
        "https://127.0.0.1.example.com/api/",
        "https://localhost@example.com/api/",
    ] {
        let mut cmd = mono(example());
        cmd.env("ETNA_BASE_URL", url)
            .env_remove("ETNA_PLACE_ORDERS");
        let out = run_limited(&mut cmd, "", RUN_LIMIT);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{url}: {stderr}");
        assert!(stderr.contains("ETNA_PLACE_ORDERS=1"), "{url}: {stderr}");
        assert!(out.stdout.is_empty(), "{url}: it went on after refusing");
    }
}

#[test]
fn every_trading_method_and_its_errors() {
    if !csharp_toolchain("every_trading_method_and_its_errors") {
        return;
    }
    let sim = start_sim();
    let mut cmd = mono(tour());
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    let stdout = run_ok(&mut cmd, "", RUN_LIMIT);
    check_tour(&stdout, &sim, Lang::CSharp);
}
