//! The bindings of libetna as their users build them: C programs against include/etna.h (the
//! scenarios, dynamic, static, under valgrind and the sanitizers; misuse of every function), the
//! C++ layer include/etna.hpp, the C# binding bindings/csharp/Etna.cs, and the header itself
//! (fresh, and the bindings in step with it); and etna.dll, cross-built for Windows, with the C
//! scenarios built by mingw-w64 and run under Wine. Programs are built once per run into
//! target/<profile>/test-programs and run against the simulator on 127.0.0.1.
//!
//! ETNA_REQUIRE_CSHARP=1, ETNA_REQUIRE_VALGRIND=1 and ETNA_REQUIRE_WINDOWS=1 (set by CI) make a
//! missing mono/mcs, valgrind, or mingw-w64, Wine and Rust's Windows target fail the tests that
//! need them instead of skipping them.

mod support;

mod c_misuse;
mod c_scenarios;
mod cpp;
mod csharp;
mod header;
mod windows;
