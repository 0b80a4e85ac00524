//! The trading half of the C++ layer (include/etna.hpp): builds examples/cpp/trading.cpp and
//! tests/cpp/trading_tour.cpp with warnings as errors against libetna.so and runs them against
//! the simulator. The checks live in tests/cpp/trading_checks.rs, shared with the C# tests.

mod common;
#[path = "cpp/trading_checks.rs"]
mod trading_checks;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;
use trading_checks::*;

const BUILD_LIMIT: Duration = Duration::from_secs(180);
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// Compiles one program with the strict flags the quickstart test uses.
fn build(source: &Path, name: &str) -> PathBuf {
    assert!(have("g++"), "g++ is needed to build the C++ examples");
    let lib = lib_dir();
    let exe = scratch("cpp_trading").join(name);
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
            .arg(source)
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
}

fn example() -> PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| build(&manifest_dir().join("examples/cpp/trading.cpp"), "trading"))
        .clone()
}

fn tour() -> PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        build(
            &manifest_dir().join("tests/cpp/trading_tour.cpp"),
            "trading_tour",
        )
    })
    .clone()
}

#[test]
fn the_example_trades_as_bob() {
    let sim = start_sim();
    let mut cmd = Command::new(example());
    sim_env(&mut cmd, &sim, "bob", "bob-pass");
    let stdout = run_ok(&mut cmd, "123456\n", RUN_LIMIT);
    check_example(&stdout, &sim);
}

#[test]
fn the_example_refuses_a_broker_elsewhere() {
    for url in [
        "https://pub-api-et-demo-prod.etnasoft.us/api/",
        "https://127.0.0.1.example.com/api/",
        "https://localhost@example.com/api/",
    ] {
        let mut cmd = Command::new(example());
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
    let sim = start_sim();
    let mut cmd = Command::new(tour());
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    let stdout = run_ok(&mut cmd, "", RUN_LIMIT);
    check_tour(&stdout, &sim, Lang::Cpp);
}
