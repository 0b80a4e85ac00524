//! libetna on Windows, under Wine: scripts/build-windows.sh cross-builds etna.dll with mingw-w64,
//! the C scenarios (tests/bindings/c/abi_test.c, the same file as on Linux) are built with
//! mingw-w64 against it, through etna.lib, the import library MSVC users link, and statically
//! with libetna.a, and both run under Wine against the simulator, running natively on 127.0.0.1.
//! They take Windows' paths of the library: sockets, the probe of a pooled connection (WSAPoll),
//! reads that must not wait under TLS, socket timeouts, a refused connection, a CA file named by
//! a Windows path.
//!
//! Skipped with a message when mingw-w64, Wine or Rust's x86_64-pc-windows-gnu target is
//! missing, unless ETNA_REQUIRE_WINDOWS=1 (CI sets it).

use crate::c_scenarios::ScenarioServers;
use crate::support::c_header::Header;
use crate::support::front::test_ca;
use crate::support::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TRIPLE: &str = "x86_64-pc-windows-gnu";
const GCC: &str = "x86_64-w64-mingw32-gcc";

/// Wine's loader: Debian's `wine` wrapper, or the 64-bit loader `wine64` installs.
fn wine() -> Option<PathBuf> {
    ["wine", "wine64"]
        .iter()
        .find(|t| have(t))
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/usr/lib/wine/wine64")).filter(|p| p.is_file()))
}

fn wineserver() -> Option<PathBuf> {
    Some(PathBuf::from("wineserver"))
        .filter(|_| have("wineserver"))
        .or_else(|| Some(PathBuf::from("/usr/lib/wine/wineserver")).filter(|p| p.is_file()))
}

fn rust_target_installed() -> bool {
    Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .is_some_and(|o| {
            let sysroot = String::from_utf8_lossy(&o.stdout).trim().to_owned();
            Path::new(&sysroot)
                .join("lib/rustlib")
                .join(TRIPLE)
                .join("lib")
                .is_dir()
        })
}

/// Wine and wineserver, when everything is here; fails instead when ETNA_REQUIRE_WINDOWS=1
/// demands it.
fn toolchain(test: &str) -> Option<(PathBuf, PathBuf)> {
    let mut missing = Vec::new();
    if !have(GCC) {
        missing.push(format!("{GCC} (apt-get install gcc-mingw-w64-x86-64)"));
    }
    let (wine, server) = (wine(), wineserver());
    if wine.is_none() || server.is_none() {
        missing.push("Wine (apt-get install wine wine64)".to_owned());
    }
    if !rust_target_installed() {
        missing.push(format!(
            "Rust's {TRIPLE} target (rustup target add {TRIPLE})"
        ));
    }
    if missing.is_empty() {
        return wine.zip(server);
    }
    assert!(
        !required("ETNA_REQUIRE_WINDOWS"),
        "ETNA_REQUIRE_WINDOWS=1 but missing: {}",
        missing.join(", ")
    );
    println!("skipped {test}: missing {}", missing.join(", "));
    None
}

/// How long the release cross-build may take on a busy machine (LTO, one codegen unit).
const BUILD_LIMIT: Duration = Duration::from_secs(20 * 60);

/// scripts/build-windows.sh, run as its users run it, into `out`.
fn build_windows(out: &Path) {
    let mut cmd = Command::new(manifest_dir().join("scripts/build-windows.sh"));
    cmd.arg("--out").arg(out);
    let stdout = run_ok(&mut cmd, "", BUILD_LIMIT);
    assert!(stdout.contains("== done"), "{stdout}");
    for file in [
        "bin/etna.dll",
        "lib/etna.lib",
        "lib/libetna.dll.a",
        "lib/libetna.a",
        "lib/etna.def",
        "lib/etna-static-libs.txt",
        "include/etna.h",
        "include/etna_version.h",
        "include/etna.hpp",
    ] {
        assert!(out.join(file).is_file(), "build-windows.sh made no {file}");
    }
    // The header is the one of Linux, not one of its own.
    for header in ["etna.h", "etna_version.h", "etna.hpp"] {
        assert_eq!(
            std::fs::read(out.join("include").join(header)).unwrap(),
            std::fs::read(include_dir().join(header)).unwrap(),
            "{header}"
        );
    }
}

/// The names etna.def exports, in order.
fn exported(def: &str) -> Vec<String> {
    def.lines()
        .skip_while(|l| l.trim() != "EXPORTS")
        .skip(1)
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

/// Kills the wine server of the prefix, and waits for it, however the test ends: a server left
/// behind would hold the test's pipes open.
struct WineServer {
    server: PathBuf,
    prefix: PathBuf,
}

impl WineServer {
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.server);
        cmd.args(args);
        wine_env(&mut cmd, &self.prefix);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    }
}

impl Drop for WineServer {
    fn drop(&mut self) {
        let _ = self.command(&["-k"]).status();
        let _ = self.command(&["-w"]).status();
    }
}

/// A quiet, unattended Wine in its own prefix: no debug output, no Mono or Gecko installer
/// dialogs on first start, no display.
fn wine_env(cmd: &mut Command, prefix: &Path) {
    cmd.env("WINEPREFIX", prefix)
        .env("WINEDEBUG", "-all")
        .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
}

/// A path as Windows programs under Wine name it: Wine maps drive Z: to the Unix root.
fn windows_path(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

/// Compiles `sources` with mingw-w64 as the Linux programs are compiled (C11, warnings as
/// errors), then `link` (the library and what it needs).
fn mingw_build(sources: &[PathBuf], out: &Path, flags: &[&str], link: &[PathBuf], libs: &str) {
    let mut cc = Command::new(GCC);
    cc.args(["-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-Werror"])
        .args(flags)
        .args(sources)
        .arg("-o")
        .arg(out)
        .args(link)
        .args(libs.split_whitespace());
    run_ok(&mut cc, "", Duration::from_secs(120));
}

#[test]
fn c_scenarios_pass_under_wine_against_etna_dll_and_libetna_a() {
    let test = "c_scenarios_pass_under_wine_against_etna_dll_and_libetna_a";
    let Some((wine, server)) = toolchain(test) else {
        return;
    };
    let dir = scratch("windows");
    let dist = dir.join("windows-x64");
    build_windows(&dist);

    // etna.dll exports exactly the functions of etna.h (the C# binding's DllImports among them,
    // held to the header by header.rs), and nothing else.
    let header = Header::parse(&std::fs::read_to_string(include_dir().join("etna.h")).unwrap())
        .expect("etna.h parses");
    let mut declared: Vec<String> = header.functions.iter().map(|f| f.name.clone()).collect();
    declared.sort();
    let mut exports = exported(&std::fs::read_to_string(dist.join("lib/etna.def")).unwrap());
    exports.sort();
    assert_eq!(exports, declared, "etna.dll's exports and etna.h");

    // The programs, each in a folder of its own as a Windows user would ship it: the dynamic
    // one beside etna.dll (found there, no PATH), the static one alone.
    let root = manifest_dir();
    let scenarios = [root.join("tests/bindings/c/abi_test.c")];
    let include = format!("-I{}", include_dir().display());
    let dynamic = dir.join("dynamic");
    let statics = dir.join("static");
    for d in [&dynamic, &statics] {
        let _ = std::fs::remove_dir_all(d);
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::copy(dist.join("bin/etna.dll"), dynamic.join("etna.dll")).unwrap();
    mingw_build(
        &scenarios,
        &dynamic.join("abi_test.exe"),
        &[&include],
        &[dist.join("lib/etna.lib")],
        "",
    );
    let static_libs = std::fs::read_to_string(dist.join("lib/etna-static-libs.txt")).unwrap();
    mingw_build(
        &scenarios,
        &statics.join("abi_test_static.exe"),
        &[&include, "-static"],
        &[dist.join("lib/libetna.a")],
        &static_libs,
    );
    let objdump = |exe: &Path| {
        run_ok(
            Command::new("x86_64-w64-mingw32-objdump")
                .arg("-p")
                .arg(exe),
            "",
            Duration::from_secs(60),
        )
    };
    assert!(objdump(&dynamic.join("abi_test.exe")).contains("DLL Name: etna.dll"));
    assert!(!objdump(&statics.join("abi_test_static.exe")).contains("DLL Name: etna.dll"));

    // A fresh prefix, its server kept up for the whole test (and stopped at its end).
    let prefix = dir.join("prefix");
    let _ = std::fs::remove_dir_all(&prefix);
    std::fs::create_dir_all(&prefix).unwrap();
    let server = WineServer { server, prefix };
    let started = Instant::now();
    assert!(server.command(&["-p"]).status().unwrap().success());
    let mut boot = Command::new(&wine);
    boot.arg("wineboot").arg("--init");
    wine_env(&mut boot, &server.prefix);
    // The services wineboot starts outlive it, and would hold pipes open: none are given.
    boot.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let mut boot = boot.spawn().expect("wineboot starts");
    let booted = loop {
        if let Some(status) = boot.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(180) {
            boot.kill().ok();
            panic!("wineboot still running after 180 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(booted.success(), "wineboot --init: {booted}");
    println!("Wine prefix made in {:?}", started.elapsed());

    // Wine 8 has no bcryptprimitives.dll (Windows 10 and later do): a stand-in beside each
    // program, where Windows looks first.
    let system32 = server.prefix.join("drive_c/windows/system32");
    assert!(system32.join("kernel32.dll").is_file(), "no prefix made");
    if system32.join("bcryptprimitives.dll").is_file() {
        println!("Wine has bcryptprimitives.dll");
    } else {
        println!("Wine has no bcryptprimitives.dll: the stand-in of tests/bindings/windows");
        let stand_in = dir.join("bcryptprimitives.dll");
        mingw_build(
            &[root.join("tests/bindings/windows/bcryptprimitives.c")],
            &stand_in,
            &["-shared"],
            &[],
            "-ladvapi32",
        );
        for d in [&dynamic, &statics] {
            std::fs::copy(&stand_in, d.join("bcryptprimitives.dll")).unwrap();
        }
    }

    for exe in [
        dynamic.join("abi_test.exe"),
        statics.join("abi_test_static.exe"),
    ] {
        let servers = ScenarioServers::start();
        let mut cmd = Command::new(&wine);
        cmd.arg(&exe).current_dir(exe.parent().unwrap());
        wine_env(&mut cmd, &server.prefix);
        servers.env(&mut cmd, &windows_path(&test_ca()));
        let started = Instant::now();
        let out = run_limited(&mut cmd, "", Duration::from_secs(300));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        println!(
            "{} under Wine, {:?}, {}:\n{stdout}{stderr}",
            exe.file_name().unwrap().to_string_lossy(),
            started.elapsed(),
            out.status
        );
        assert!(out.status.success(), "{stdout}\n{stderr}");
        servers.check(&stdout);
    }
}
