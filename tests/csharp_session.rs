//! Session lifecycle and fault handling through the C# binding (examples/csharp/Etna.cs): builds
//! tests/csharp/SessionTour.cs with Mono's `mcs` (C# 6, warnings as errors) and runs it with
//! `mono` against libetna.so and the simulator as bob (two-factor). The checks live in
//! tests/cpp/session_checks.rs, shared with the C++ tests. Skipped when mcs or mono is missing,
//! unless ETNA_REQUIRE_CSHARP=1.

mod common;
#[path = "cpp/session_checks.rs"]
mod session_checks;

use common::consumers::*;
use common::*;
use session_checks::*;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

const BUILD_LIMIT: Duration = Duration::from_secs(180);
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// Compiles Etna.cs with the tour once.
fn tour() -> PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        let exe = scratch("csharp_session").join("session_tour.exe");
        run_ok(
            Command::new("mcs")
                .args(["-langversion:6", "-warnaserror"])
                .arg(format!("-out:{}", exe.display()))
                .arg(manifest_dir().join("examples/csharp/Etna.cs"))
                .arg(manifest_dir().join("tests/csharp/SessionTour.cs")),
            "",
            BUILD_LIMIT,
        );
        exe
    })
    .clone()
}

#[test]
fn export_import_cancel_and_find_by_client_id() {
    if !csharp_toolchain("export_import_cancel_and_find_by_client_id") {
        return;
    }
    let sim = start_sim();
    let exe = tour();
    let mut cmd = Command::new("mono");
    cmd.arg(&exe);
    // Mono drops crash reports in the working directory: keep them out of the source tree.
    cmd.current_dir(exe.parent().expect("scratch dir"));
    sim_env(&mut cmd, &sim, "bob", "bob-pass"); // LD_LIBRARY_PATH lets DllImport("etna") find libetna.so
    cmd.env("ETNA_CA_FILE", manifest_dir().join("tests/tls/ca.pem"));
    for var in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"] {
        cmd.env_remove(var).env_remove(var.to_lowercase());
    }
    let stdout = run_ok(&mut cmd, "123456\n", RUN_LIMIT);
    check_session_tour(&stdout, &sim, Lang::CSharp);
}
