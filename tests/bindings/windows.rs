//! libetna on Windows, under Wine: scripts/build-windows.sh cross-builds etna.dll with mingw-w64,
//! the C scenarios (tests/bindings/c/abi_test.c, the same file as on Linux) are built with
//! mingw-w64 against it, through etna.lib, the import library MSVC users link, and statically
//! with libetna.a, and both run under Wine against the simulator, running natively on 127.0.0.1.
//! They take Windows' paths of the library: sockets, the probe of a pooled connection (WSAPoll),
//! reads that must not wait under TLS, socket timeouts, a refused connection, a CA file named by
//! a Windows path. The library's unit tests, built for Windows, run under Wine too.
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

/// Wine in a fresh prefix of its own, booted, its server kept up until it is dropped; then the
/// server is killed and waited for, however the test ends (a server left behind would hold the
/// test's pipes open).
struct Wine {
    wine: PathBuf,
    server: PathBuf,
    prefix: PathBuf,
}

impl Wine {
    fn boot(wine: PathBuf, server: PathBuf, prefix: PathBuf) -> Wine {
        let _ = std::fs::remove_dir_all(&prefix);
        std::fs::create_dir_all(&prefix).unwrap();
        let wine = Wine {
            wine,
            server,
            prefix,
        };
        let started = Instant::now();
        assert!(wine.server_command(&["-p"]).status().unwrap().success());
        let mut boot = wine.command();
        boot.arg("wineboot").arg("--init");
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
        assert!(
            wine.system32().join("kernel32.dll").is_file(),
            "no prefix made"
        );
        println!("Wine prefix made in {:?}", started.elapsed());
        wine
    }

    /// `wine`, to be given the program and its arguments.
    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.wine);
        wine_env(&mut cmd, &self.prefix);
        cmd
    }

    fn server_command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.server);
        cmd.args(args);
        wine_env(&mut cmd, &self.prefix);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd
    }

    fn system32(&self) -> PathBuf {
        self.prefix.join("drive_c/windows/system32")
    }

    /// Wine 8 has no bcryptprimitives.dll (Windows 10 and later do): the stand-in of
    /// tests/bindings/windows, put beside each program in `dirs`, where Windows looks first.
    fn bcryptprimitives_beside(&self, dirs: &[&Path]) {
        if self.system32().join("bcryptprimitives.dll").is_file() {
            println!("Wine has bcryptprimitives.dll");
            return;
        }
        println!("Wine has no bcryptprimitives.dll: the stand-in of tests/bindings/windows");
        let stand_in = scratch("windows").join("bcryptprimitives.dll");
        static BUILT: std::sync::Once = std::sync::Once::new();
        BUILT.call_once(|| {
            mingw_build(
                &[manifest_dir().join("tests/bindings/windows/bcryptprimitives.c")],
                &stand_in,
                &["-shared"],
                &[],
                "-ladvapi32",
            )
        });
        for dir in dirs {
            std::fs::copy(&stand_in, dir.join("bcryptprimitives.dll")).unwrap();
        }
    }
}

impl Drop for Wine {
    fn drop(&mut self) {
        let _ = self.server_command(&["-k"]).status();
        let _ = self.server_command(&["-w"]).status();
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
    let scenarios = [manifest_dir().join("tests/bindings/c/abi_test.c")];
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

    let wine = Wine::boot(wine, server, dir.join("prefix-scenarios"));
    wine.bcryptprimitives_beside(&[&dynamic, &statics]);

    for exe in [
        dynamic.join("abi_test.exe"),
        statics.join("abi_test_static.exe"),
    ] {
        let servers = ScenarioServers::start();
        let mut cmd = wine.command();
        cmd.arg(&exe).current_dir(exe.parent().unwrap());
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

/// The library's own unit tests, built for Windows and run under Wine: among them those of the
/// probe of a pooled socket (idle, unread bytes, closed by the server; blocking afterwards), of
/// connecting past a refused address, and of the timeouts' re-arming.
#[test]
fn the_library_unit_tests_pass_under_wine() {
    let Some((wine, server)) = toolchain("the_library_unit_tests_pass_under_wine") else {
        return;
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut build = Command::new(cargo);
    build
        .args([
            "test", "-p", "etna", "--lib", "--no-run", "--target", TRIPLE,
        ])
        .args(["--message-format", "json"])
        .current_dir(manifest_dir());
    let messages = run_ok(&mut build, "", BUILD_LIMIT);
    let exe = messages
        .lines()
        .filter(|l| l.contains(r#""reason":"compiler-artifact""#))
        .find_map(|l| {
            let path = l.split(r#""executable":""#).nth(1)?.split('"').next()?;
            path.ends_with(".exe").then(|| PathBuf::from(path))
        })
        .unwrap_or_else(|| panic!("no test executable in cargo's messages:\n{messages}"));
    let dir = scratch("windows").join("unit");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("etna_unit_tests.exe");
    std::fs::copy(&exe, &copy).unwrap();

    let wine = Wine::boot(wine, server, scratch("windows").join("prefix-unit"));
    wine.bcryptprimitives_beside(&[&dir]);
    let mut cmd = wine.command();
    cmd.arg(&copy).current_dir(&dir);
    let stdout = run_ok(&mut cmd, "", Duration::from_secs(300));
    println!("{stdout}");
    assert!(
        stdout.contains("a_probe_sees_an_idle_socket_a_closed_one_and_unread_bytes ... ok"),
        "{stdout}"
    );
    assert!(stdout.contains(" 0 failed;"), "{stdout}");
}
