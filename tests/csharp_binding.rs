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

/// Compiles Etna.cs and Quickstart.cs once for all tests in this file.
fn quickstart_exe() -> PathBuf {
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
    let exe = quickstart_exe();
    let mut cmd = Command::new("mono");
    cmd.arg(&exe);
    // Mono drops crash reports in the working directory: keep them out of the source tree.
    cmd.current_dir(exe.parent().expect("scratch dir"));
    sim_env(&mut cmd, sim, user, password); // LD_LIBRARY_PATH lets DllImport("etna") find libetna.so
    cmd
}

#[test]
fn bob_logs_in_with_a_verification_code() {
    if csharp_toolchain("bob_logs_in_with_a_verification_code") {
        quickstart::bob_logs_in_with_a_verification_code(command);
    }
}

#[test]
fn a_wrong_code_is_asked_again() {
    if csharp_toolchain("a_wrong_code_is_asked_again") {
        quickstart::a_wrong_code_is_asked_again(command);
    }
}

#[test]
fn carol_logs_in_with_her_pin() {
    if csharp_toolchain("carol_logs_in_with_her_pin") {
        quickstart::carol_logs_in_with_her_pin(command);
    }
}

#[test]
fn a_wrong_password_is_reported_with_its_code() {
    if csharp_toolchain("a_wrong_password_is_reported_with_its_code") {
        quickstart::a_wrong_password_is_reported_with_its_code(command);
    }
}

#[test]
fn log_lines_reach_the_callback() {
    if csharp_toolchain("log_lines_reach_the_callback") {
        quickstart::log_lines_reach_the_callback(command);
    }
}
