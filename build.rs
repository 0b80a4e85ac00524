//! Generates the C header from the FFI layer with cbindgen (pinned in Cargo.toml).
//!
//! The header always goes to `OUT_DIR`. In a development checkout (a git work tree) it also
//! refreshes the committed `include/etna.h`, which a test compares with git's copy. Built as a
//! dependency, from a package or from a read-only copy, the source tree is never written.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=build.rs");

    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let dir = Path::new(&dir);
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is readable and valid");
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/ffi/mod.rs"))
        .generate()
        .expect("cbindgen can parse src/ffi");
    bindings.write_to_file(Path::new(&out).join("etna.h"));

    let committed = dir.join("include/etna.h");
    if dir.join(".git").exists() {
        let mut text = Vec::new();
        bindings.write(&mut text);
        // Written only when it changed, so an unchanged header keeps its timestamp.
        if std::fs::read(&committed).ok().as_deref() != Some(&text[..]) {
            if let Err(e) = std::fs::write(&committed, &text) {
                println!(
                    "cargo:warning=include/etna.h is stale and cannot be refreshed: {e}; the \
                     fresh header is in {out}/etna.h"
                );
            }
        }
    }
}
