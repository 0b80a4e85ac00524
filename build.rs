//! Generates the C headers: `etna.h` from the FFI layer with cbindgen (pinned in Cargo.toml), and
//! `etna_version.h` (the version macros, which etna.h includes) from Cargo.toml's version. On
//! Linux, with `ETNA_SONAME=1` (set by scripts/install.sh), gives libetna.so its SONAME.
//!
//! The headers always go to `OUT_DIR`. In a development checkout (a git work tree) they also
//! refresh the committed copies in `include/`, which tests compare with git's. Built as a
//! dependency, from a package or from a read-only copy, the source tree is never written.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=ETNA_SONAME");

    let env = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("cargo sets {name}"));
    let dir = env("CARGO_MANIFEST_DIR");
    let out = env("OUT_DIR");
    let (dir, out) = (Path::new(&dir), Path::new(&out));
    let major = env("CARGO_PKG_VERSION_MAJOR");

    // The SONAME names the ABI: libetna.so.<major>. Only for an installed library: a program
    // linked with `-L target/release -letna` records the SONAME as what it needs, and cargo
    // makes no libetna.so.<major> there. (cargo-c does the same: plain builds have none.)
    if std::env::var("ETNA_SONAME").is_ok_and(|v| v == "1")
        && std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux")
    {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libetna.so.{major}");
    }

    let version = version_header(
        &env("CARGO_PKG_VERSION"),
        &major,
        &env("CARGO_PKG_VERSION_MINOR"),
        &env("CARGO_PKG_VERSION_PATCH"),
    );
    write(&out.join("etna_version.h"), version.as_bytes());

    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable and valid");
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/ffi/mod.rs"))
        .generate()
        .expect("cbindgen can parse src/ffi");
    let mut header = Vec::new();
    bindings.write(&mut header);
    write(&out.join("etna.h"), &header);

    if dir.join(".git").exists() {
        refresh(dir, out, "etna.h", &header);
        refresh(dir, out, "etna_version.h", version.as_bytes());
    }
}

/// The version macros. In a header of their own, as curl's curlver.h and OpenSSL's opensslv.h:
/// etna.h includes it, and every `#define` of etna.h stays a constant of the ABI.
fn version_header(version: &str, major: &str, minor: &str, patch: &str) -> String {
    format!(
        "/*
 * libetna's version, as these headers describe it. etna_version() gives the version of the
 * library loaded at run time; the SONAME, libetna.so.ETNA_VERSION_MAJOR, changes when the ABI
 * does. Included by etna.h.
 */

#ifndef ETNA_VERSION_H
#define ETNA_VERSION_H

/* Generated from Cargo.toml's version by build.rs. Do not edit by hand. */

#define ETNA_VERSION_MAJOR {major}
#define ETNA_VERSION_MINOR {minor}
#define ETNA_VERSION_PATCH {patch}
#define ETNA_VERSION \"{version}\"

/* True when these headers are version x.y.z or later: #if ETNA_VERSION_AT_LEAST(0, 2, 0) */
#define ETNA_VERSION_AT_LEAST(x, y, z) \\
    (ETNA_VERSION_MAJOR > (x) || \\
     (ETNA_VERSION_MAJOR == (x) && (ETNA_VERSION_MINOR > (y) || \\
      (ETNA_VERSION_MINOR == (y) && ETNA_VERSION_PATCH >= (z)))))

#endif /* ETNA_VERSION_H */
"
    )
}

fn write(path: &Path, text: &[u8]) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Writes the committed copy `include/<file>` when it changed, so an unchanged header keeps its
/// timestamp.
fn refresh(dir: &Path, out: &Path, file: &str, text: &[u8]) {
    let committed = dir.join("include").join(file);
    if std::fs::read(&committed).ok().as_deref() != Some(text) {
        if let Err(e) = std::fs::write(&committed, text) {
            println!(
                "cargo:warning=include/{file} is stale and cannot be refreshed: {e}; the fresh \
                 header is {}",
                out.join(file).display()
            );
        }
    }
}
