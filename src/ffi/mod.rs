//! The C ABI (`include/etna.h`): one thin `extern "C"` function per operation, each checking
//! its arguments, calling the client and converting, inside one panic boundary.
//!
//! Conventions (`docs/c-abi.md` states them in full): fallible functions return `EtnaStatus` and take
//! `EtnaError **out_err` last (may be NULL); outputs are written only on success; strings in are
//! NUL-terminated UTF-8 and borrowed; strings out are owned by the caller and freed with
//! `etna_string_free`.

// Each function's doc states its pointer contract (NULL or valid for the call, ownership of
// what it returns); a separate "# Safety" heading on every one would only repeat it in the header.
#![allow(clippy::missing_safety_doc)]

// Declared in the order the header presents them.
pub mod session;
pub mod login;
pub mod request;
pub mod accounts;
pub mod orders;
pub mod market;
pub mod watchlists;
pub mod callbacks;
pub mod error;
pub mod status;
mod args;
mod boundary;

pub use accounts::*;
pub use callbacks::*;
pub use error::*;
pub use login::*;
pub use market::*;
pub use orders::*;
pub use request::*;
pub use session::*;
pub use status::*;
pub use watchlists::*;
