//! libetna installed as its users install it, and its ABI held to the committed lists.
//!
//! - `consumers`: README.md's "Install" lines, run as they are: `scripts/install.sh --prefix`
//!   into a fresh prefix and `--nuget` into a fresh folder feed (under
//!   target/<profile>/test-programs/install), then a C program built with pkg-config (shared and
//!   static), a C++ program built with CMake's find_package(etna) (shared and static) and a C#
//!   program built against the Etna package restored from the feed, run under Mono. Each logs in
//!   to the simulator and has an order filled, without LD_LIBRARY_PATH.
//! - `abi`: only etna_* functions exported, and the functions, types and constants of etna.h
//!   held to abi/*.txt: nothing removed or changed, no struct field lost or moved, without a new
//!   major version.
//! - `version`: etna_version.h, etna_version() and Cargo.toml agree.
//!
//! A test whose tools are missing (pkg-config, cmake and make, nuget, mcs and mono) is skipped
//! with a message, unless ETNA_REQUIRE_INSTALL_TOOLS=1 (CI sets it).

mod support;

mod abi;
mod consumers;
mod version;
