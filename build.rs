//! Generates include/etna.h from the FFI layer with cbindgen (pinned in Cargo.toml). The header
//! is committed; a test fails when the committed copy differs from this generation.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=build.rs");

    let dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let config = cbindgen::Config::from_file(Path::new(&dir).join("cbindgen.toml"))
        .expect("cbindgen.toml is readable and valid");
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(Path::new(&dir).join("src/ffi/mod.rs"))
        .generate()
        .expect("cbindgen can parse src/ffi");
    // Writes only when the text changed, so an unchanged header keeps its timestamp.
    bindings.write_to_file(Path::new(&dir).join("include/etna.h"));
}
