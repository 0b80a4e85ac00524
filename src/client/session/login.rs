//! The `POST /token` steps, logout, and logging in again when the token dies (auto re-login,
//! single flight: threads that saw the same dead token cause one `/token` call, and share its
//! failure too). Every step, a re-login inside a call included, ends within the calling call's
//! deadline and stops when that call is cancelled.

use super::steps::{Relogin, Turn};
use super::{Auth, Credentials, Session, TOKEN_LIFETIME, lock};
use crate::client::broker_error::answer_error;
use crate::client::error::{Error, ErrorKind, Result};
use crate::client::log::LogLevel;
use crate::client::secret::{Secret, sensitive_header};
use crate::client::token_answer::{self, AuthState, TokenAnswer};
use crate::client::transport::{Body, Outgoing};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime};
use ureq::http::{HeaderName, HeaderValue, Method, header::AUTHORIZATION};
use zeroize::Zeroizing;

const USERNAME: HeaderName = HeaderName::from_static("username");
const PASSWORD: HeaderName = HeaderName::from_static("password");
const VERIFICATION_CODE: HeaderName = HeaderName::from_static("verificationcode");
const PIN_CODE: HeaderName = HeaderName::from_static("pincode");

/// Bounds on what a person types, so a runaway argument is an error and not a huge header.
const MAX_USERNAME: usize = 256;
const MAX_PASSWORD: usize = 1024;
const MAX_CODE: usize = 64;

/// A token this close to its expiry is renewed before use (auto re-login only).
const RENEW_BEFORE: Duration = Duration::from_secs(60);

/// What a failed login step does to the login.
enum AfterFailure {
    /// Same state: the caller may try again (a wrong code or PIN, a busy or garbled answer).
    Keep,
    /// Back to `None`: this login attempt is over.
    Reset,
}

impl Session {
    /// Step one: user name and password. Gives `Authenticated`, or the step the broker expects
    /// next (`VerificationRequired`, `PinRequired`).
    pub fn login(&self, username: &str, password: &str) -> Result<AuthState> {
        if username.is_empty() {
            return Err(Error::invalid_argument("user name is empty"));
        }
        if username.len() > MAX_USERNAME {
            return Err(Error::invalid_argument(format!(
                "user name is longer than {MAX_USERNAME} bytes"
            )));
        }
        let username = HeaderValue::from_str(username).map_err(|_| {
            Error::invalid_argument("user name contains a character not allowed in an HTTP header")
        })?;
        let password = secret_value("password", password, MAX_PASSWORD)?;
        let (deadline, since) = self.step_deadline();
        let _turn = self.turn(deadline, since)?;
        self.password_step(Credentials { username, password }, deadline, since)
    }

    /// Step two: the verification code the broker sent by e-mail or SMS.
    pub fn verify(&self, code: &str) -> Result<AuthState> {
        let code = secret_value("verification code", code, MAX_CODE)?;
        self.next_step(AuthState::VerificationRequired, VERIFICATION_CODE, code)
    }

    /// The `SecutityPin` step: the account's security PIN.
    pub fn submit_pin(&self, pin: &str) -> Result<AuthState> {
        let pin = secret_value("PIN", pin, MAX_CODE)?;
        self.next_step(AuthState::PinRequired, PIN_CODE, pin)
    }

    /// Ends the login. The session is back to `None` whatever happens; an error says only that
    /// the broker was not told (its token then lapses on its own). Kept credentials are dropped.
    pub fn logout(&self) -> Result<()> {
        let (deadline, since) = self.step_deadline();
        // Without the turn (a re-login held it too long) the login still ends here.
        let turn = self.turn(deadline, since);
        *lock(&self.relogin) = None;
        let (before, bearer) = {
            let mut auth = lock(&self.auth);
            let generation = auth.generation;
            let old = std::mem::replace(&mut *auth, Auth::none(generation));
            (old.state, old.bearer)
        };
        self.announce(before, AuthState::None);
        let _turn = turn?;
        let Some(bearer) = bearer.filter(|_| before == AuthState::Authenticated) else {
            return Ok(());
        };
        let out = Outgoing {
            method: Method::POST,
            path: "logout",
            headers: vec![(AUTHORIZATION, bearer)],
            body: Body::Empty,
            file: false,
        };
        let settings = *lock(&self.settings);
        let answer = self.send(
            out,
            settings.timeouts.until(deadline),
            settings.max_body,
            since,
        )?;
        // 401: the token was already dead, which is what logging out wants.
        if (200..300).contains(&answer.status) || answer.status == 401 {
            return Ok(());
        }
        Err(answer_error(
            "POST logout",
            answer.status,
            answer.body,
            answer.retry_after,
        ))
    }

    /// The bearer of the finished login and its generation. With auto re-login, a token at the
    /// end of its life is renewed first, within the call's `deadline`.
    pub(super) fn bearer(&self, deadline: Instant, since: u64) -> Result<(HeaderValue, u64)> {
        let (bearer, generation, expiring) = {
            let auth = lock(&self.auth);
            match (auth.state, &auth.bearer) {
                (AuthState::Authenticated, Some(bearer)) => {
                    // The clock is read only when the session may renew its token.
                    let expiring = self.auto_relogin.load(Ordering::Acquire)
                        && auth
                            .expires_at
                            .is_some_and(|t| t <= SystemTime::now() + RENEW_BEFORE);
                    (bearer.clone(), auth.generation, expiring)
                }
                (AuthState::VerificationRequired, _) => {
                    return Err(not_authenticated(
                        "the login is not finished: the broker is waiting for the verification code",
                    ));
                }
                (AuthState::PinRequired, _) => {
                    return Err(not_authenticated(
                        "the login is not finished: the broker is waiting for the PIN",
                    ));
                }
                _ => return Err(not_authenticated("not logged in: log in first")),
            }
        };
        if expiring {
            self.relogin(generation, deadline, since)?;
            return self.bearer_now();
        }
        Ok((bearer, generation))
    }

    fn bearer_now(&self) -> Result<(HeaderValue, u64)> {
        let auth = lock(&self.auth);
        match (auth.state, &auth.bearer) {
            (AuthState::Authenticated, Some(bearer)) => Ok((bearer.clone(), auth.generation)),
            _ => Err(not_authenticated("not logged in: log in first")),
        }
    }

    /// Logs in again with the kept credentials because the token of `generation` died, for a
    /// call that started in cancellation generation `since` and must end by `deadline`. When
    /// another thread already did, or is doing it, takes that outcome: one `/token` call however
    /// many threads saw the dead token. When the broker now wants a code or PIN, a person must
    /// finish the login: the state says which, and the auth listener is told.
    pub(super) fn relogin(&self, generation: u64, deadline: Instant, since: u64) -> Result<()> {
        let cancelled = || self.cancellation.is_cancelled(since);
        let renewed = || {
            let auth = lock(&self.auth);
            auth.generation != generation && auth.state == AuthState::Authenticated
        };
        let turn = match self.steps.relogin(deadline, &cancelled, &renewed)? {
            Relogin::Done(result) => return result,
            Relogin::Run(turn) => turn,
        };
        let result = self.relogin_now(deadline, since);
        if let Err(error) = &result {
            turn.failed(error);
        }
        result
    }

    fn relogin_now(&self, deadline: Instant, since: u64) -> Result<()> {
        let Some(credentials) = lock(&self.relogin).clone() else {
            return Err(not_authenticated(
                "the token is no longer valid and no password is kept: log in again",
            ));
        };
        self.logger.log(LogLevel::Info, || {
            "the token expired or was refused: logging in again".to_owned()
        });
        match self.password_step(credentials, deadline, since)? {
            AuthState::Authenticated => Ok(()),
            AuthState::VerificationRequired => Err(not_authenticated(
                "logging in again needs the verification code the broker just sent: a person must enter it",
            )),
            AuthState::PinRequired => Err(not_authenticated(
                "logging in again needs the PIN: a person must enter it",
            )),
            AuthState::None => Err(not_authenticated("not logged in: log in again")),
        }
    }

    /// A login step called by the application: its deadline is the request timeout from now.
    fn step_deadline(&self) -> (Instant, u64) {
        let since = self.cancellation.current();
        (
            Instant::now() + lock(&self.settings).timeouts.request,
            since,
        )
    }

    /// The turn to run a login step, for a call started in cancellation generation `since`.
    fn turn(&self, deadline: Instant, since: u64) -> Result<Turn<'_>> {
        self.steps
            .turn(deadline, &|| self.cancellation.is_cancelled(since))
    }

    /// Step one, with the turn held.
    fn password_step(
        &self,
        credentials: Credentials,
        deadline: Instant,
        since: u64,
    ) -> Result<AuthState> {
        let headers = vec![
            (USERNAME, credentials.username.clone()),
            (PASSWORD, credentials.password.clone()),
        ];
        self.token_step(headers, false, Some(credentials), deadline, since)
    }

    fn next_step(
        &self,
        expected: AuthState,
        header: HeaderName,
        value: HeaderValue,
    ) -> Result<AuthState> {
        let (deadline, since) = self.step_deadline();
        let _turn = self.turn(deadline, since)?;
        let (credentials, bearer) = {
            let auth = lock(&self.auth);
            match (&auth.pending, &auth.bearer) {
                (Some(c), Some(b)) if auth.state == expected => (c.clone(), b.clone()),
                _ => return Err(out_of_order(expected, auth.state)),
            }
        };
        let headers = vec![
            (USERNAME, credentials.username),
            (PASSWORD, credentials.password),
            (AUTHORIZATION, bearer),
            (header, value),
        ];
        self.token_step(headers, true, None, deadline, since)
    }

    /// One `POST /token` exchange and what it does to the login. `credentials` (step one) are
    /// kept while the broker asks for another step; later steps use the kept ones.
    fn token_step(
        &self,
        headers: Vec<(HeaderName, HeaderValue)>,
        later_step: bool,
        credentials: Option<Credentials>,
        deadline: Instant,
        since: u64,
    ) -> Result<AuthState> {
        let out = Outgoing {
            method: Method::POST,
            path: "token",
            headers,
            body: Body::Empty,
            file: false,
        };
        // A transport failure changes nothing: the step may simply be tried again.
        let settings = *lock(&self.settings);
        let answer = self.send(
            out,
            settings.timeouts.until(deadline),
            settings.max_body,
            since,
        )?;
        let body = Zeroizing::new(answer.body);
        let outcome = token_answer::interpret(answer.status, &body, answer.retry_after);
        let (before, after, result, finished_with) = {
            let mut auth = lock(&self.auth);
            let before = auth.state;
            let (result, finished_with) = apply(&mut auth, outcome, later_step, credentials);
            (before, auth.state, result, finished_with)
        };
        if let Some(credentials) =
            finished_with.filter(|_| self.auto_relogin.load(Ordering::Acquire))
        {
            *lock(&self.relogin) = Some(credentials);
        }
        self.announce(before, after);
        result
    }
}

/// Applies one `/token` outcome to the login data. Gives the caller's result and, when the
/// login finished, the credentials it used (for auto re-login).
fn apply(
    auth: &mut Auth,
    outcome: Result<TokenAnswer>,
    later_step: bool,
    credentials: Option<Credentials>,
) -> (Result<AuthState>, Option<Credentials>) {
    match outcome {
        Ok(TokenAnswer::Succeeded { token }) => {
            let bearer = match bearer_of(&token) {
                Ok(b) => b,
                Err(e) => return (Err(e), None),
            };
            let used = credentials.or_else(|| auth.pending.take());
            *auth = Auth {
                state: AuthState::Authenticated,
                pending: None,
                bearer: Some(bearer),
                expires_at: Some(SystemTime::now() + TOKEN_LIFETIME),
                username: used
                    .as_ref()
                    .and_then(|c| c.username.to_str().ok())
                    .map(str::to_owned),
                generation: auth.generation + 1,
            };
            (Ok(AuthState::Authenticated), used)
        }
        Ok(TokenAnswer::Expecting { next, interim }) => {
            let bearer = match bearer_of(&interim) {
                Ok(b) => b,
                Err(e) => return (Err(e), None),
            };
            if let Some(credentials) = credentials {
                auth.pending = Some(credentials);
            }
            auth.state = next;
            auth.bearer = Some(bearer);
            auth.expires_at = None;
            (Ok(next), None)
        }
        Err(error) => {
            let (after, error) = after_failure(error, later_step);
            if let AfterFailure::Reset = after {
                *auth = Auth::none(auth.generation);
            }
            (Err(error), None)
        }
    }
}

/// Whether a failed step ends the login attempt (and the message that says so).
fn after_failure(error: Error, later_step: bool) -> (AfterFailure, Error) {
    let reason = error.http().and_then(|h| h.reason.as_deref()).unwrap_or("");
    match error.kind() {
        ErrorKind::InvalidVerificationCode | ErrorKind::InvalidPin if later_step => {
            // "Corrupted ticket": the interim token is dead, so no code can succeed any more.
            if reason.to_ascii_lowercase().contains("ticket") {
                let message = format!(
                    "{}; this login attempt is over: log in again",
                    error.message()
                );
                let kind = error.kind();
                (AfterFailure::Reset, error.reclassify(kind, message))
            } else {
                (AfterFailure::Keep, error)
            }
        }
        ErrorKind::InvalidAppKey
        | ErrorKind::InvalidCredentials
        | ErrorKind::PasswordExpired
        | ErrorKind::PinNotSet
        | ErrorKind::InvalidVerificationCode
        | ErrorKind::InvalidPin => (AfterFailure::Reset, error),
        _ => (AfterFailure::Keep, error),
    }
}

fn out_of_order(expected: AuthState, actual: AuthState) -> Error {
    let wanted = match expected {
        AuthState::PinRequired => "a PIN",
        _ => "a verification code",
    };
    let why = match actual {
        AuthState::None => "no login is in progress: log in first",
        AuthState::Authenticated => "the session is already logged in",
        AuthState::VerificationRequired => "the broker is waiting for the verification code",
        AuthState::PinRequired => "the broker is waiting for the PIN",
    };
    Error::new(
        ErrorKind::InvalidState,
        format!("not expecting {wanted}: {why}"),
    )
}

fn not_authenticated(message: &str) -> Error {
    Error::new(ErrorKind::NotAuthenticated, message)
}

pub(super) fn bearer_of(token: &Secret) -> Result<HeaderValue> {
    sensitive_header("Bearer ", token.expose()).ok_or_else(|| {
        Error::new(
            ErrorKind::Protocol,
            "POST token: the token is not a valid header value",
        )
    })
}

fn secret_value(name: &str, value: &str, max_len: usize) -> Result<HeaderValue> {
    if value.is_empty() {
        return Err(Error::invalid_argument(format!("{name} is empty")));
    }
    if value.len() > max_len {
        return Err(Error::invalid_argument(format!(
            "{name} is longer than {max_len} bytes"
        )));
    }
    sensitive_header("", value).ok_or_else(|| {
        Error::invalid_argument(format!(
            "{name} contains a character not allowed in an HTTP header"
        ))
    })
}
