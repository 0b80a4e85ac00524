//! A session with the broker: the login state machine of `POST /token` (password, then
//! verification code or PIN as the broker asks), the token it earns, and authenticated calls.
//!
//! A `Session` is shared by reference between threads. Its state sits behind short-lived locks
//! that are never held across network I/O. Login steps take turns (`steps.rs`) so that two of
//! them (a step and a logout, two re-logins) never interleave on the wire.
//!
//! - `login.rs`: the `/token` steps, logout, logging in again when the token dies.
//! - `calls.rs`: authenticated calls, retries, outcome-unknown, cancellation.
//! - `steps.rs`: login steps one at a time, within each call's deadline; single-flight re-login.
//! - `trading.rs`: the documented trading routes, one method each.
//! - `markets.rs`: options, price alerts, news, account history, position groups, pages.
//! - `streaming.rs`: what a stream needs of its session (addresses, credentials, network).
//! - `export.rs`: carrying a login across a restart.

mod calls;

pub(crate) use calls::check_json;
mod export;
mod login;
mod markets;
mod steps;
mod streaming;
mod trading;

use crate::client::cancel::Cancellation;
use crate::client::config::{BaseUrl, Timeouts};
use crate::client::error::{Error, Result};
use crate::client::log::{LogLevel, LogSink, Logger};
use crate::client::retry::RetryPolicy;
use crate::client::secret::Secret;
use crate::client::token_answer::AuthState;
use crate::client::transport::{DEFAULT_MAX_BODY_BYTES, Transport};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, SystemTime};
use ureq::http::HeaderValue;

/// "The authorization token lifetime is 24 hours" (every ETNA auth page).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// A successful (2xx) answer of an authenticated call.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// The body as the broker sent it; empty for 204.
    pub body: String,
}

/// Told when the session's login state changes (e.g. a re-login needs a person to type a code).
pub trait AuthListener: Send + Sync {
    fn auth_changed(&self, state: AuthState);
}

pub struct Session {
    transport: Transport,
    settings: Mutex<Settings>,
    auth: Mutex<Auth>,
    steps: steps::Steps,
    /// User name and password kept for logging in again (auto re-login only).
    relogin: Mutex<Option<Credentials>>,
    auto_relogin: AtomicBool,
    logger: Logger,
    auth_listener: RwLock<Option<Arc<dyn AuthListener>>>,
    cancellation: Cancellation,
    /// A digest of the app key, to match exported sessions without keeping the key readable.
    app_key_fingerprint: String,
    /// Seals exported sessions (HMAC keyed by the app key).
    seal_key: ring::hmac::Key,
}

/// What the application may tune; copied out at the start of each call.
#[derive(Debug, Clone, Copy)]
struct Settings {
    timeouts: Timeouts,
    retry: RetryPolicy,
    max_body: u64,
    /// Place, replace and cancel through the broker's "sync" order routes, which the venue
    /// validates too before the broker answers.
    sync_orders: bool,
}

/// `Username` and `Password` header values; the password's bytes zero themselves.
#[derive(Clone)]
struct Credentials {
    username: HeaderValue,
    password: HeaderValue,
}

/// Login data. The password is kept only while a login waits for its next step, because the
/// broker wants it again on that step; header values are built once and zero themselves.
struct Auth {
    state: AuthState,
    /// Pending login: the credentials the next step sends again.
    pending: Option<Credentials>,
    /// `Bearer <token>`: the interim token while a step is pending, then the final one.
    bearer: Option<HeaderValue>,
    expires_at: Option<SystemTime>,
    /// The user name of the finished login (for export).
    username: Option<String>,
    /// Counts final tokens, so threads that saw the same dead token re-login only once.
    generation: u64,
}

impl Auth {
    fn none(generation: u64) -> Auth {
        Auth {
            state: AuthState::None,
            pending: None,
            bearer: None,
            expires_at: None,
            username: None,
            generation,
        }
    }
}

impl Session {
    /// A session for the broker at `base_url` with the application key `app_key`. No request is
    /// made until the first login.
    pub fn new(base_url: &str, app_key: &str) -> Result<Session> {
        let base = BaseUrl::parse(base_url)?;
        if app_key.trim().is_empty() {
            return Err(Error::invalid_argument("app key is empty"));
        }
        Ok(Session {
            transport: Transport::new(base, &Secret::new(app_key))?,
            settings: Mutex::new(Settings {
                timeouts: Timeouts::default(),
                retry: RetryPolicy::default(),
                max_body: DEFAULT_MAX_BODY_BYTES,
                sync_orders: false,
            }),
            auth: Mutex::new(Auth::none(0)),
            steps: steps::Steps::default(),
            relogin: Mutex::new(None),
            auto_relogin: AtomicBool::new(false),
            logger: Logger::default(),
            auth_listener: RwLock::new(None),
            cancellation: Cancellation::default(),
            app_key_fingerprint: export::fingerprint(app_key),
            seal_key: export::seal_key(app_key),
        })
    }

    pub fn base_url(&self) -> &str {
        self.transport.base().as_str()
    }

    pub fn set_timeouts(&self, timeouts: Timeouts) {
        lock(&self.settings).timeouts = timeouts;
    }

    pub fn timeouts(&self) -> Timeouts {
        lock(&self.settings).timeouts
    }

    /// How GET requests are retried (POST, PUT and DELETE never are).
    pub fn set_retry_policy(&self, retry: RetryPolicy) {
        lock(&self.settings).retry = retry;
    }

    /// Places, replaces and cancels orders through the broker's "sync" routes (`syncorders`),
    /// which the venue validates too before the broker answers, instead of the quick ones.
    pub fn set_sync_orders(&self, enabled: bool) {
        lock(&self.settings).sync_orders = enabled;
    }

    /// `orders` or `syncorders`, as the session is set.
    pub(crate) fn orders_route(&self) -> &'static str {
        if lock(&self.settings).sync_orders {
            "syncorders"
        } else {
            "orders"
        }
    }

    /// The largest response body accepted (default 64 MiB); larger is a protocol error.
    pub fn set_max_response_bytes(&self, bytes: u64) -> Result<()> {
        if bytes == 0 {
            return Err(Error::invalid_argument(
                "the response size limit must be at least 1 byte",
            ));
        }
        lock(&self.settings).max_body = bytes;
        Ok(())
    }

    /// Trusts the CA certificates of a PEM file, on top of Mozilla's roots (a private broker, a
    /// corporate TLS proxy). Verification itself can never be turned off.
    pub fn set_ca_file(&self, pem_path: &str) -> Result<()> {
        let pem = std::fs::read(pem_path).map_err(|e| {
            Error::invalid_argument(format!("cannot read the CA file '{pem_path}': {e}"))
        })?;
        let count = self.transport.add_root_certificates(&pem)?;
        self.logger.log(LogLevel::Info, || {
            format!("trusting {count} more CA certificate(s) from {pem_path}")
        });
        Ok(())
    }

    /// Sends requests through a proxy (`None`: the environment's `HTTPS_PROXY` and friends).
    pub fn set_proxy(&self, url: Option<&str>) -> Result<()> {
        self.transport.set_proxy(url)
    }

    /// Sends log lines at `max_level` and more severe to `sink` (`None`: no logging).
    pub fn set_logger(&self, sink: Option<Arc<dyn LogSink>>, max_level: LogLevel) {
        self.logger.set(sink, max_level);
    }

    /// Tells `listener` of every change of the login state (`None`: nobody). The old listener
    /// is dropped outside the lock.
    pub fn set_auth_listener(&self, listener: Option<Arc<dyn AuthListener>>) {
        let old = std::mem::replace(
            &mut *self
                .auth_listener
                .write()
                .unwrap_or_else(|e| e.into_inner()),
            listener,
        );
        drop(old);
    }

    /// With auto re-login on, the session keeps the user name and password of the next
    /// successful login and logs in again, once, when the token has expired, is about to, or is
    /// refused with 401. Turning it off forgets (and zeroes) the password.
    pub fn set_auto_relogin(&self, enabled: bool) {
        self.auto_relogin.store(enabled, Ordering::Release);
        if !enabled {
            *lock(&self.relogin) = None;
        }
    }

    /// Makes every call in flight on this session, and its retries, return `Cancelled` promptly
    /// (their connections are shut down). Callable from any thread; the session stays usable,
    /// and calls that start afterwards run normally.
    pub fn cancel(&self) {
        self.cancellation.cancel();
        self.steps.wake();
        self.transport.interrupt();
        self.logger
            .log(LogLevel::Info, || "calls in flight cancelled".to_owned());
    }

    pub fn auth_state(&self) -> AuthState {
        lock(&self.auth).state
    }

    /// When the final token stops being valid: 24 h after the broker issued it, by this
    /// machine's clock. `None` until logged in.
    pub fn token_expires_at(&self) -> Option<SystemTime> {
        lock(&self.auth).expires_at
    }

    /// Announces a login state change to the log and the auth listener (no lock held).
    fn announce(&self, before: AuthState, after: AuthState) {
        if before == after {
            return;
        }
        self.logger.log(LogLevel::Info, || {
            format!("login state {} -> {}", before.name(), after.name())
        });
        let listener = self
            .auth_listener
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if let Some(listener) = listener {
            listener.auth_changed(after);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not make the session unusable: the data is always consistent
    // between statements that take the lock.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ErrorKind;

    #[test]
    fn a_new_session_is_logged_out_and_refuses_requests() {
        let s = Session::new("http://127.0.0.1:9/api", "key").unwrap();
        assert_eq!(s.auth_state(), AuthState::None);
        assert_eq!(s.token_expires_at(), None);
        let e = s.request("GET", "v1.0/users/@me/info", None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotAuthenticated);
        assert_eq!(
            s.verify("123456").unwrap_err().kind(),
            ErrorKind::InvalidState
        );
        assert_eq!(
            s.submit_pin("1234").unwrap_err().kind(),
            ErrorKind::InvalidState
        );
        assert!(s.logout().is_ok());
    }

    #[test]
    fn bad_arguments_are_refused_before_any_request() {
        assert!(Session::new("http://127.0.0.1:9/api", " ").is_err());
        let s = Session::new("http://127.0.0.1:9/api", "key").unwrap();
        assert_eq!(
            s.login("", "pw").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            s.login("u", "").unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        let e = s.login("u", "pw\nInjected: 1").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(!e.message().contains("Injected"), "{}", e.message());
        let e = s.request("GET", "x", Some("{not json")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    }
}
