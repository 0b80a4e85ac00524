//! One version everywhere: Cargo.toml's, the macros of include/etna_version.h (which etna.h
//! includes), etna_version() at run time, and the C# library project's.

use crate::support::manifest_dir;
use std::ffi::CStr;
use std::process::Command;

/// `#define NAME VALUE` of a header, VALUE as written.
fn define(header: &str, name: &str) -> String {
    header
        .lines()
        .find_map(|l| {
            let mut words = l.split_whitespace();
            (words.next() == Some("#define") && words.next() == Some(name))
                .then(|| words.collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| panic!("etna_version.h has no #define {name}"))
}

#[test]
fn version_macros_agree_with_cargo_toml_and_etna_version() {
    let dir = manifest_dir();
    let header = std::fs::read_to_string(dir.join("include/etna_version.h")).expect("header");
    assert_eq!(
        define(&header, "ETNA_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        define(&header, "ETNA_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        define(&header, "ETNA_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION_PATCH")
    );
    assert_eq!(
        define(&header, "ETNA_VERSION"),
        format!("\"{}\"", env!("CARGO_PKG_VERSION"))
    );
    // SAFETY: etna_version returns a static NUL-terminated string.
    let runtime = unsafe { CStr::from_ptr(etna::ffi::etna_version()) };
    assert_eq!(runtime.to_str().unwrap(), env!("CARGO_PKG_VERSION"));

    let etna_h = std::fs::read_to_string(dir.join("include/etna.h")).expect("etna.h");
    assert!(
        etna_h.contains("#include \"etna_version.h\""),
        "etna.h does not include etna_version.h"
    );
    // Cargo.toml's text itself, not only what cargo told the compiler.
    let toml = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    let package = toml.split("\n[package]\n").nth(1).expect("[package]");
    assert!(
        package.contains(&format!("\nversion = \"{}\"\n", env!("CARGO_PKG_VERSION"))),
        "Cargo.toml's [package] version"
    );
}

#[test]
fn the_csharp_project_has_the_crate_version() {
    let project = std::fs::read_to_string(manifest_dir().join("bindings/csharp/Etna.csproj"))
        .expect("bindings/csharp/Etna.csproj");
    assert!(
        project.contains(&format!("<Version>{}</Version>", env!("CARGO_PKG_VERSION"))),
        "bindings/csharp/Etna.csproj's <Version> is not {}",
        env!("CARGO_PKG_VERSION")
    );
    assert!(project.contains("<TargetFramework>netstandard2.0</TargetFramework>"));
}

#[test]
fn committed_version_header_is_fresh() {
    let dir = manifest_dir();
    let git = |args: &[&str]| Command::new("git").arg("-C").arg(&dir).args(args).output();
    let Ok(diff) = git(&["diff", "--exit-code", "--", "include/etna_version.h"]) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "git is needed to check the header in CI"
        );
        println!("skipped committed_version_header_is_fresh: git not available");
        return;
    };
    let tracked = git(&["ls-files", "--error-unmatch", "include/etna_version.h"]);
    assert!(
        tracked.is_ok_and(|o| o.status.success()),
        "include/etna_version.h must be committed"
    );
    assert!(
        diff.status.success(),
        "include/etna_version.h differs from the committed copy: commit the regenerated \
         header.\n{}",
        String::from_utf8_lossy(&diff.stdout)
    );
}
