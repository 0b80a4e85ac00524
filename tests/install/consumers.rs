//! The installed library as its users take it: README.md's "Install" lines, run as they are,
//! build tests/install/c, cpp and csharp against a fresh prefix and a fresh NuGet folder feed,
//! and each program logs in to the simulator and has an order filled, without LD_LIBRARY_PATH.

use crate::abi::check_exports;
use crate::support::readme::install_section;
use crate::support::*;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const BUILD_LIMIT: Duration = Duration::from_secs(300);
const VERSION: &str = env!("CARGO_PKG_VERSION");
const MAJOR: &str = env!("CARGO_PKG_VERSION_MAJOR");

fn same_file(a: &Path, b: &Path) {
    let read = |p: &Path| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    assert!(
        read(a) == read(b),
        "{} differs from {}",
        a.display(),
        b.display()
    );
}

#[test]
fn installed_library_has_its_soname_links_headers_and_packages() {
    if !tools(
        "installed_library_has_its_soname_links_headers_and_packages",
        &["readelf", "nm"],
    ) {
        return;
    }
    let prefix = installed_prefix();
    let lib = prefix.join("lib");
    let real = lib.join(format!("libetna.so.{VERSION}"));
    let (_, soname) = dynamic_section(&real);
    assert_eq!(soname.as_deref(), Some(&*format!("libetna.so.{MAJOR}")));
    let link = |name: &str| std::fs::read_link(lib.join(name)).expect(name);
    assert_eq!(
        link(&format!("libetna.so.{MAJOR}")),
        Path::new(&format!("libetna.so.{VERSION}"))
    );
    assert_eq!(
        link("libetna.so"),
        Path::new(&format!("libetna.so.{MAJOR}"))
    );
    assert!(lib.join("libetna.a").is_file());
    check_exports(&real);
    for h in ["etna.h", "etna_version.h", "etna.hpp"] {
        same_file(
            &prefix.join("include").join(h),
            &manifest_dir().join("include").join(h),
        );
    }

    // etna.pc: the version, and Libs.private as rustc printed them for libetna.a.
    let pc = std::fs::read_to_string(lib.join("pkgconfig/etna.pc")).expect("etna.pc");
    assert!(pc.contains(&format!("\nVersion: {VERSION}\n")), "{pc}");
    let native = pc
        .lines()
        .find_map(|l| l.strip_prefix("native_static_libs="))
        .expect("native_static_libs in etna.pc");
    assert!(native.split(' ').any(|w| w == "-lc"), "{native}");
    assert!(
        pc.contains("\nLibs.private: ${native_static_libs}\n"),
        "{pc}"
    );
    let cmake = std::fs::read_to_string(lib.join("cmake/etna/etnaConfig.cmake")).expect("cmake");
    let listed = native.replace("-l", "").replace(' ', ";");
    assert!(
        cmake.contains(&format!("INTERFACE_LINK_LIBRARIES \"{listed}\"")),
        "etnaConfig.cmake does not link {listed}:\n{cmake}"
    );
    assert!(lib.join("cmake/etna/etnaConfigVersion.cmake").is_file());
}

/// Builds tests/install/c/consumer.c as README's `app.c` with the README's `cc app.c ...` line
/// tagged `tag`, and gives the program.
fn c_program(tag: &str) -> std::path::PathBuf {
    let prefix = installed_prefix();
    let dir = fresh_dir(&format!("c-{tag}"));
    copy_sources("c", &dir, &[("consumer.c", "app.c")]);
    let readme = install_section();
    let script = format!(
        "{}\n{}",
        readme.command("export PKG_CONFIG_PATH="),
        readme.tagged("cc app.c", tag)
    );
    let mut cmd = shell(&dir, &script);
    cmd.env("prefix", prefix);
    run_ok(&mut cmd, BUILD_LIMIT);
    dir.join("app")
}

#[test]
fn c_program_built_with_pkg_config_shared() {
    if !tools(
        "c_program_built_with_pkg_config_shared",
        &["cc", "pkg-config", "readelf"],
    ) {
        return;
    }
    let app = c_program("shared");
    let (needed, _) = dynamic_section(&app);
    assert!(
        needed.contains(&format!("libetna.so.{MAJOR}")),
        "the program needs {needed:?}"
    );
    check_consumer(Command::new(&app), "the C program (pkg-config, shared)");
}

#[test]
fn c_program_built_with_pkg_config_static() {
    if !tools(
        "c_program_built_with_pkg_config_static",
        &["cc", "pkg-config", "readelf"],
    ) {
        return;
    }
    let app = c_program("static");
    let (needed, _) = dynamic_section(&app);
    assert!(
        !needed.iter().any(|n| n.starts_with("libetna")),
        "a static program needs {needed:?}"
    );
    check_consumer(Command::new(&app), "the C program (pkg-config, static)");
}

/// Builds tests/install/cpp with the README's cmake line, `extra` added to the configure step.
fn cpp_program(name: &str, extra: &str) -> std::path::PathBuf {
    let prefix = installed_prefix();
    let dir = fresh_dir(name);
    copy_sources("cpp", &dir, &[]);
    let line = install_section().command("cmake -S . -B build");
    let line = line.replacen(
        "cmake -S . -B build",
        &format!("cmake -S . -B build{extra}"),
        1,
    );
    let mut cmd = shell(&dir, &line);
    cmd.env("prefix", prefix);
    run_ok(&mut cmd, BUILD_LIMIT);
    dir.join("build/consumer")
}

#[test]
fn cpp_program_built_with_cmake_find_package_shared() {
    if !tools(
        "cpp_program_built_with_cmake_find_package_shared",
        &["cmake", "make", "g++", "readelf"],
    ) {
        return;
    }
    let app = cpp_program("cpp-shared", "");
    let (needed, _) = dynamic_section(&app);
    assert!(
        needed.contains(&format!("libetna.so.{MAJOR}")),
        "the program needs {needed:?}"
    );
    check_consumer(Command::new(&app), "the C++ program (CMake, etna::etna)");
}

#[test]
fn cpp_program_built_with_cmake_find_package_static() {
    if !tools(
        "cpp_program_built_with_cmake_find_package_static",
        &["cmake", "make", "g++", "readelf"],
    ) {
        return;
    }
    let app = cpp_program("cpp-static", " -DETNA_STATIC=ON");
    let (needed, _) = dynamic_section(&app);
    assert!(
        !needed.iter().any(|n| n.starts_with("libetna")),
        "a static program needs {needed:?}"
    );
    check_consumer(
        Command::new(&app),
        "the C++ program (CMake, etna::etna_static)",
    );
}

#[test]
fn csharp_program_from_a_local_nuget_feed_runs_under_mono() {
    if !tools(
        "csharp_program_from_a_local_nuget_feed_runs_under_mono",
        &["nuget", "mcs", "mono"],
    ) {
        return;
    }
    let feed = nuget_feed();
    assert!(feed.join(format!("Etna.{VERSION}.nupkg")).is_file());
    let dir = fresh_dir("csharp");
    copy_sources("csharp", &dir, &[("Consumer.cs", "App.cs")]);
    let home = dir.join("home");
    std::fs::create_dir_all(&home).expect("a home for nuget");
    // From `nuget install` to `mono bin/App.exe`: restore, build, copy, run.
    let script = install_section().lines_between("nuget install Etna", "mono bin/App.exe");
    let mut cmd = shell(&dir, &script);
    // NuGet 2.x keeps a machine-wide cache and config under HOME: a fresh one, so the package
    // comes from the feed and nothing else is consulted.
    cmd.env("feed", feed)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"));
    check_consumer(cmd, "the C# program (NuGet package, Mono)");

    // What the package holds, restored.
    let package = dir.join(format!("packages/Etna.{VERSION}"));
    for file in [
        "lib/netstandard2.0/Etna.dll",
        "lib/netstandard2.0/Etna.dll.config",
        "runtimes/linux-x64/native/libetna.so",
        "build/Etna.targets",
        "buildTransitive/Etna.targets",
    ] {
        assert!(package.join(file).is_file(), "the package has no {file}");
    }
    let config = std::fs::read_to_string(package.join("lib/netstandard2.0/Etna.dll.config"))
        .expect("Etna.dll.config");
    assert!(
        config.contains(r#"dll="etna""#)
            && config.contains(r#"target="runtimes/linux-x64/native/libetna.so""#),
        "{config}"
    );

    // etna.dll for Windows, where DllImport("etna") finds it by name, when install.sh could
    // cross-build it (in CI it must: ETNA_REQUIRE_WINDOWS=1).
    let dll = package.join("runtimes/win-x64/native/etna.dll");
    if windows_toolchain() {
        let bytes =
            std::fs::read(&dll).expect("the package has no runtimes/win-x64/native/etna.dll");
        assert!(bytes.starts_with(b"MZ"), "etna.dll is no Windows PE file");
        assert!(
            contains_bytes(&bytes, b"etna_session_new\0") && contains_bytes(&bytes, b"etna.dll\0"),
            "etna.dll does not export the library's functions"
        );
        let targets = std::fs::read_to_string(package.join("build/Etna.targets")).unwrap();
        assert!(
            targets.contains("runtimes/win-x64/native/etna.dll")
                && targets.contains("<Link>etna.dll</Link>"),
            "{targets}"
        );
    } else {
        assert!(
            !std::env::var("ETNA_REQUIRE_WINDOWS").is_ok_and(|v| v == "1"),
            "ETNA_REQUIRE_WINDOWS=1 but mingw-w64 or Rust's x86_64-pc-windows-gnu is missing"
        );
        println!("the package has no etna.dll: no Windows toolchain here");
        assert!(!dll.exists());
    }
}

/// Whether `bytes` holds `needle` somewhere.
fn contains_bytes(bytes: &[u8], needle: &[u8]) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle)
}
