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

/// Compiles the quickstart once for all tests in this file.
fn quickstart_exe() -> PathBuf {
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
    let mut cmd = Command::new(quickstart_exe());
    sim_env(&mut cmd, sim, user, password);
    cmd
}

#[test]
fn bob_logs_in_with_a_verification_code() {
    quickstart::bob_logs_in_with_a_verification_code(command);
}

#[test]
fn a_wrong_code_is_asked_again() {
    quickstart::a_wrong_code_is_asked_again(command);
}

#[test]
fn carol_logs_in_with_her_pin() {
    quickstart::carol_logs_in_with_her_pin(command);
}

#[test]
fn a_wrong_password_is_reported_with_its_code() {
    quickstart::a_wrong_password_is_reported_with_its_code(command);
}

#[test]
fn log_lines_reach_the_callback() {
    quickstart::log_lines_reach_the_callback(command);
}
