//! Session lifecycle and fault handling through the C++ layer (include/etna.hpp): builds
//! tests/cpp/session_tour.cpp with warnings as errors against libetna.so and runs it against the
//! simulator as bob (two-factor). The checks live in tests/cpp/session_checks.rs, shared with the
//! C# tests.

mod common;
#[path = "cpp/session_checks.rs"]
mod session_checks;

use common::*;
use session_checks::*;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

const BUILD_LIMIT: Duration = Duration::from_secs(180);
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// Compiles the tour once, with the strict flags of the other C++ tests.
fn tour() -> PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        assert!(have("g++"), "g++ is needed to build the C++ tests");
        let lib = lib_dir();
        let exe = scratch("cpp_session").join("session_tour");
        run_ok(
            Command::new("g++")
                .args([
                    "-std=c++17",
                    "-Wall",
                    "-Wextra",
                    "-Wpedantic",
                    "-Werror",
                    "-pthread",
                    "-I",
                ])
                .arg(include_dir())
                .arg(manifest_dir().join("tests/cpp/session_tour.cpp"))
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

/// The tour as bob, with a CA file to trust and no proxy from the environment.
fn tour_command(exe: PathBuf, sim: &Simulator) -> Command {
    let mut cmd = Command::new(exe);
    sim_env(&mut cmd, sim, "bob", "bob-pass");
    cmd.env("ETNA_CA_FILE", manifest_dir().join("tests/tls/ca.pem"));
    for var in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"] {
        cmd.env_remove(var).env_remove(var.to_lowercase());
    }
    cmd
}

#[test]
fn export_import_cancel_and_find_by_client_id() {
    let sim = start_sim();
    let stdout = run_ok(&mut tour_command(tour(), &sim), "123456\n", RUN_LIMIT);
    check_session_tour(&stdout, &sim, Lang::Cpp);
}
