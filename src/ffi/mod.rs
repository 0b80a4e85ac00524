//! The C ABI (`include/etna.h`): one thin `extern "C"` function per operation, each checking
//! its arguments, calling the client and converting, inside one panic boundary.
//!
//! Conventions (`docs/c-abi.md` states them in full; the opening comment of the header, set in
//! `cbindgen.toml`, sums them up):
//! - Every function that can fail returns `EtnaStatus` and takes `EtnaError **out_err` last (may
//!   be NULL; on failure it receives an error freed with `etna_error_free`, on success NULL).
//!   Outputs are written only on success. Exceptions, which take no `out_err`: the functions
//!   that return a value rather than a status (`etna_session_auth_state`,
//!   `etna_session_token_expires_at`, `etna_status_str`, `etna_version`, and the accessors
//!   `etna_error_code`, `etna_error_message`, `etna_error_http_status`, `etna_error_api_reason`,
//!   `etna_error_body`, `etna_error_retry_after_ms`, `etna_error_client_id`);
//!   `etna_session_cancel`, which fails only for NULL, as its status says; and the `*_free`
//!   functions (`etna_session_free`, `etna_string_free`, `etna_error_free`).
//! - Strings in are NUL-terminated UTF-8 and borrowed for the call. Strings out (`char **out_*`)
//!   are owned by the caller and freed once with `etna_string_free`; `const char *` results are
//!   owned by libetna (static, or by the `EtnaError` they came from).
//! - A session is internally synchronised and may be shared between threads, so every function
//!   that takes one takes `const EtnaSession *` (`*const EtnaSession`), except
//!   `etna_session_free`, which consumes it (`EtnaSession *`).
//! - Each `*_free` accepts NULL (a no-op); each object is freed exactly once.
//!
//! Unsafe code: the helpers in `args` turn raw pointers into safe references, each stating its
//! requirement under `# Safety`; an exported function calls them in one unsafe block whose
//! `SAFETY` comment names its pointer arguments and the contract that makes them valid.

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
pub mod markets;
pub mod result;
pub mod record;
pub mod stream;
pub mod models;
pub mod enums;
pub mod callbacks;
pub mod error;
pub mod status;
mod arena;
mod args;
mod boundary;

pub use accounts::*;
pub use callbacks::*;
pub use enums::*;
pub use error::*;
pub use login::*;
pub use market::*;
pub use markets::*;
pub use models::*;
pub use orders::*;
pub use record::*;
pub use request::*;
pub use result::*;
pub use session::*;
pub use status::*;
pub use stream::*;
pub use watchlists::*;
