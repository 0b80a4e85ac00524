//! The safe client: configuration, the login state machine, transport, typed errors. It knows
//! nothing of C; the `ffi` module is a thin layer over it.

pub mod answer;
pub mod api;
pub mod broker_error;
pub mod cancel;
pub mod config;
#[cfg(test)]
mod decode_fuzz;
pub mod error;
pub mod log;
pub mod models;
pub mod panic;
mod resolver;
pub mod retry;
pub mod secret;
pub mod session;
pub mod stream;
mod tcp;
mod tls;
pub mod token_answer;
pub mod transport;

pub use answer::{Answer, Shape};
pub use api::{NewOrder, Page};
pub use config::Timeouts;
pub use error::{Error, ErrorKind, HttpDetails, Result};
pub use log::{LogLevel, LogSink};
pub use retry::RetryPolicy;
pub use session::{AuthListener, Reply, Session, TOKEN_LIFETIME};
pub use token_answer::AuthState;
