//! A session with the broker: the login state machine of `POST /token` (password, then
//! verification code or PIN as the broker asks), the token it earns, and authenticated calls.
//!
//! A `Session` is shared by reference between threads. Its state sits behind short-lived locks
//! that are never held across network I/O, except the login-step lock, which keeps two login
//! steps (or a step and a logout) from interleaving on the wire.

use crate::core::broker_error::answer_error;
use crate::core::cancel::Cancellation;
use crate::core::config::{BaseUrl, Timeouts};
use crate::core::error::{Error, ErrorKind, Result};
use crate::core::log::{LogLevel, LogSink, Logger};
use crate::core::retry::{RetryPolicy, worth_retrying};
use crate::core::secret::{Secret, sensitive_header};
use crate::core::token_answer::{self, AuthState, TokenAnswer};
use crate::core::transport::{Body, DEFAULT_MAX_BODY_BYTES, Incoming, Outgoing, Transport};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};
use ureq::http::{HeaderName, HeaderValue, Method, header::AUTHORIZATION};
use zeroize::Zeroizing;

/// "The authorization token lifetime is 24 hours" (every ETNA auth page).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

const USERNAME: HeaderName = HeaderName::from_static("username");
const PASSWORD: HeaderName = HeaderName::from_static("password");
const VERIFICATION_CODE: HeaderName = HeaderName::from_static("verificationcode");
const PIN_CODE: HeaderName = HeaderName::from_static("pincode");

/// A successful (2xx) answer of an authenticated call.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// The body as the broker sent it; empty for 204.
    pub body: String,
}

pub struct Session {
    transport: Transport,
    settings: Mutex<Settings>,
    auth: Mutex<Auth>,
    login_step: Mutex<()>,
    logger: Logger,
    cancellation: Cancellation,
}

/// What the application may tune; copied out at the start of each call.
#[derive(Debug, Clone, Copy)]
struct Settings {
    timeouts: Timeouts,
    retry: RetryPolicy,
    max_body: u64,
}

/// Login data. The password is kept only while a login waits for its next step, because the
/// broker wants it again on that step; header values are built once and zero themselves.
struct Auth {
    state: AuthState,
    username: Option<HeaderValue>,
    password: Option<HeaderValue>,
    /// `Bearer <token>`: the interim token while a step is pending, then the final one.
    bearer: Option<HeaderValue>,
    expires_at: Option<SystemTime>,
}

impl Auth {
    const NONE: Auth = Auth {
        state: AuthState::None,
        username: None,
        password: None,
        bearer: None,
        expires_at: None,
    };
}

/// What a failed login step does to the login.
enum AfterFailure {
    /// Same state: the caller may try again (a wrong code or PIN, a busy or garbled answer).
    Keep,
    /// Back to `None`: this login attempt is over.
    Reset,
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
            }),
            auth: Mutex::new(Auth::NONE),
            login_step: Mutex::new(()),
            logger: Logger::default(),
            cancellation: Cancellation::default(),
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

    /// Sends log lines at `max_level` and more severe to `sink` (`None`: no logging).
    pub fn set_logger(&self, sink: Option<Arc<dyn LogSink>>, max_level: LogLevel) {
        self.logger.set(sink, max_level);
    }

    /// Makes every call in flight on this session, and its retries, return `Cancelled` promptly
    /// (their connections are shut down). Callable from any thread; the session stays usable,
    /// and calls that start afterwards run normally.
    pub fn cancel(&self) {
        self.cancellation.cancel();
        self.transport.interrupt();
        self.logger
            .log(LogLevel::Info, || "calls in flight cancelled".to_owned());
    }

    /// Sleeps up to `pause` between polls of a call that started in generation `since`.
    pub(crate) fn pause(&self, pause: Duration, since: u64, what: &str) -> Result<()> {
        self.cancellation.pause(pause, since, what)
    }

    pub(crate) fn generation(&self) -> u64 {
        self.cancellation.current()
    }

    pub fn auth_state(&self) -> AuthState {
        lock(&self.auth).state
    }

    /// When the final token stops being valid: 24 h after the broker issued it, by this
    /// machine's clock. `None` until logged in.
    pub fn token_expires_at(&self) -> Option<SystemTime> {
        lock(&self.auth).expires_at
    }

    /// Step one: user name and password. Gives `Authenticated`, or the step the broker expects
    /// next (`VerificationRequired`, `PinRequired`).
    pub fn login(&self, username: &str, password: &str) -> Result<AuthState> {
        if username.is_empty() {
            return Err(Error::invalid_argument("user name is empty"));
        }
        if password.is_empty() {
            return Err(Error::invalid_argument("password is empty"));
        }
        let user = HeaderValue::from_str(username).map_err(|_| {
            Error::invalid_argument("user name contains a character not allowed in an HTTP header")
        })?;
        let pass = secret_value("password", password)?;
        let _step = lock(&self.login_step);
        let headers = vec![(USERNAME, user.clone()), (PASSWORD, pass.clone())];
        self.token_step(headers, false, Some((user, pass)))
    }

    /// Step two: the verification code the broker sent by e-mail or SMS.
    pub fn verify(&self, code: &str) -> Result<AuthState> {
        let code = secret_value("verification code", code)?;
        self.next_step(AuthState::VerificationRequired, VERIFICATION_CODE, code)
    }

    /// The `SecutityPin` step: the account's security PIN.
    pub fn submit_pin(&self, pin: &str) -> Result<AuthState> {
        let pin = secret_value("PIN", pin)?;
        self.next_step(AuthState::PinRequired, PIN_CODE, pin)
    }

    /// Ends the login. The session is back to `None` whatever happens; an error says only that
    /// the broker was not told (its token then lapses on its own).
    pub fn logout(&self) -> Result<()> {
        let since = self.cancellation.current();
        let _step = lock(&self.login_step);
        let (before, bearer) = {
            let mut auth = lock(&self.auth);
            let old = std::mem::replace(&mut *auth, Auth::NONE);
            (old.state, old.bearer)
        };
        self.log_transition(before, AuthState::None);
        let Some(bearer) = bearer.filter(|_| before == AuthState::Authenticated) else {
            return Ok(());
        };
        let out = Outgoing {
            method: Method::POST,
            path: "logout",
            headers: vec![(AUTHORIZATION, bearer)],
            body: Body::Empty,
        };
        let settings = *lock(&self.settings);
        let answer = self.send(out, settings.timeouts, settings.max_body, since)?;
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

    /// Any endpoint, authenticated with the session's token. `path` is relative to the base URL
    /// (`v1.0/users/@me/info`); `json_body` goes as `application/json`. A non-2xx answer is an
    /// error carrying the status, the broker's reason and the body.
    pub fn request(&self, method: &str, path: &str, json_body: Option<&str>) -> Result<Reply> {
        let method = parse_method(method)?;
        let path = check_path(path)?;
        if let Some(json) = json_body {
            serde_json::from_str::<serde::de::IgnoredAny>(json).map_err(|e| {
                Error::invalid_argument(format!("request body is not valid JSON: {e}"))
            })?;
        }
        self.call(method, path, json_body)
    }

    /// An authenticated call with a path and body the library built itself.
    ///
    /// A GET is retried on failures another attempt may cure (connection failures, timeouts,
    /// 429, 502 to 504), with jittered backoff that honours `Retry-After`, all within the
    /// request timeout. POST, PUT and DELETE are sent once: when they fail after they may have
    /// reached the broker, the error is `OutcomeUnknown`.
    pub(crate) fn call(
        &self,
        method: Method,
        path: &str,
        json_body: Option<&str>,
    ) -> Result<Reply> {
        let since = self.cancellation.current();
        let settings = *lock(&self.settings);
        let repeatable = method == Method::GET;
        let deadline = Instant::now() + settings.timeouts.request;
        let what = format!("{method} {path}");
        let mut attempt = 1;
        loop {
            let error = match self.attempt(&method, path, json_body, settings, deadline, since) {
                Ok(reply) => return Ok(reply),
                Err(error) => error,
            };
            if error.kind() == ErrorKind::Cancelled {
                return Err(error);
            }
            if !repeatable {
                return Err(outcome(&method, path, error));
            }
            let retry_after = error.http().and_then(|h| h.retry_after);
            let pause = settings.retry.delay(attempt, retry_after);
            let out_of_time = Instant::now() + pause >= deadline;
            if attempt >= settings.retry.max_attempts || !worth_retrying(&error) || out_of_time {
                return Err(error);
            }
            self.logger.log(LogLevel::Info, || {
                format!(
                    "{method} {path}: attempt {attempt} failed, retrying in {} ms",
                    pause.as_millis()
                )
            });
            self.cancellation.pause(pause, since, &what)?;
            attempt += 1;
        }
    }

    /// One attempt of `call`, given what is left of the request timeout.
    fn attempt(
        &self,
        method: &Method,
        path: &str,
        json_body: Option<&str>,
        settings: Settings,
        deadline: Instant,
        since: u64,
    ) -> Result<Reply> {
        let bearer = self.bearer()?;
        let body = match json_body {
            Some(json) => Body::Json(json),
            None if *method == Method::POST
                || *method == Method::PUT
                || *method == Method::PATCH =>
            {
                Body::Empty
            }
            None => Body::None,
        };
        let left = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1));
        let timeouts = Timeouts {
            connect: settings.timeouts.connect.min(left),
            request: left,
        };
        let out = Outgoing {
            method: method.clone(),
            path,
            headers: vec![(AUTHORIZATION, bearer)],
            body,
        };
        let answer = self.send(out, timeouts, settings.max_body, since)?;
        if (200..300).contains(&answer.status) {
            return Ok(Reply {
                status: answer.status,
                body: answer.body,
            });
        }
        Err(answer_error(
            &format!("{method} {path}"),
            answer.status,
            answer.body,
            answer.retry_after,
        ))
    }

    /// The bearer header of a finished login.
    fn bearer(&self) -> Result<HeaderValue> {
        let auth = lock(&self.auth);
        match (auth.state, &auth.bearer) {
            (AuthState::Authenticated, Some(bearer)) => Ok(bearer.clone()),
            (AuthState::VerificationRequired, _) => Err(Error::new(
                ErrorKind::NotAuthenticated,
                "the login is not finished: the broker is waiting for the verification code",
            )),
            (AuthState::PinRequired, _) => Err(Error::new(
                ErrorKind::NotAuthenticated,
                "the login is not finished: the broker is waiting for the PIN",
            )),
            _ => Err(Error::new(
                ErrorKind::NotAuthenticated,
                "not logged in: log in first",
            )),
        }
    }

    fn next_step(
        &self,
        expected: AuthState,
        header: HeaderName,
        value: HeaderValue,
    ) -> Result<AuthState> {
        let _step = lock(&self.login_step);
        let (user, pass, bearer) = {
            let auth = lock(&self.auth);
            match (&auth.username, &auth.password, &auth.bearer) {
                (Some(u), Some(p), Some(b)) if auth.state == expected => {
                    (u.clone(), p.clone(), b.clone())
                }
                _ => return Err(out_of_order(expected, auth.state)),
            }
        };
        let headers = vec![
            (USERNAME, user),
            (PASSWORD, pass),
            (AUTHORIZATION, bearer),
            (header, value),
        ];
        self.token_step(headers, true, None)
    }

    /// One `POST /token` exchange and what it does to the login. `credentials` are kept when
    /// the broker asks for another step (step one passes them; later steps keep the stored ones).
    fn token_step(
        &self,
        headers: Vec<(HeaderName, HeaderValue)>,
        later_step: bool,
        credentials: Option<(HeaderValue, HeaderValue)>,
    ) -> Result<AuthState> {
        let out = Outgoing {
            method: Method::POST,
            path: "token",
            headers,
            body: Body::Empty,
        };
        // A transport failure changes nothing: the step may simply be tried again.
        let settings = *lock(&self.settings);
        let since = self.cancellation.current();
        let answer = self.send(out, settings.timeouts, settings.max_body, since)?;
        let body = Zeroizing::new(answer.body);
        let outcome = token_answer::interpret(answer.status, &body, answer.retry_after);
        let (before, after, result) = {
            let mut auth = lock(&self.auth);
            let before = auth.state;
            let result = apply(&mut auth, outcome, later_step, credentials);
            (before, auth.state, result)
        };
        self.log_transition(before, after);
        result
    }

    /// Sends one request, logging it. A failure after `cancel` is `Cancelled`, whatever the
    /// interrupted socket said.
    fn send(
        &self,
        out: Outgoing<'_>,
        timeouts: Timeouts,
        max_body: u64,
        since: u64,
    ) -> Result<Incoming> {
        let what = format!("{} {}", out.method, out.path);
        self.cancellation.check(since, &what)?;
        let result = self.send_logged(out, timeouts, max_body);
        if result.is_err() {
            self.cancellation.check(since, &what)?;
        }
        result
    }

    fn send_logged(
        &self,
        out: Outgoing<'_>,
        timeouts: Timeouts,
        max_body: u64,
    ) -> Result<Incoming> {
        let what = self
            .logger
            .enabled(LogLevel::Debug)
            .then(|| format!("{} {}", out.method, out.path));
        let started = Instant::now();
        let result = self.transport.send(out, timeouts, max_body);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match &result {
            Ok(answer) => self.logger.log(LogLevel::Debug, || {
                format!(
                    "{} -> {} in {ms:.2} ms",
                    what.unwrap_or_default(),
                    answer.status
                )
            }),
            Err(e) => self.logger.log(LogLevel::Warn, || {
                format!("{} (after {ms:.2} ms)", e.message())
            }),
        }
        result
    }

    fn log_transition(&self, before: AuthState, after: AuthState) {
        if before != after {
            self.logger.log(LogLevel::Info, || {
                format!("login state {} -> {}", before.name(), after.name())
            });
        }
    }
}

/// A failed request that changes state: when it may have reached the broker, nobody knows
/// whether it took effect, and the caller must look before repeating it.
fn outcome(method: &Method, path: &str, error: Error) -> Error {
    if !error.may_have_been_delivered() {
        return error;
    }
    let message = format!(
        "{method} {path}: outcome unknown: the request may have reached the broker, but no answer \
         came back ({}); check its effect before repeating it",
        error.message()
    );
    error.reclassify(ErrorKind::OutcomeUnknown, message)
}

/// Applies one `/token` outcome to the login data; gives the caller's result.
fn apply(
    auth: &mut Auth,
    outcome: Result<TokenAnswer>,
    later_step: bool,
    credentials: Option<(HeaderValue, HeaderValue)>,
) -> Result<AuthState> {
    match outcome {
        Ok(TokenAnswer::Succeeded { token }) => {
            let bearer = bearer_of(&token)?;
            *auth = Auth {
                state: AuthState::Authenticated,
                username: None,
                password: None,
                bearer: Some(bearer),
                expires_at: Some(SystemTime::now() + TOKEN_LIFETIME),
            };
        }
        Ok(TokenAnswer::Expecting { next, interim }) => {
            let bearer = bearer_of(&interim)?;
            if let Some((user, pass)) = credentials {
                auth.username = Some(user);
                auth.password = Some(pass);
            }
            auth.state = next;
            auth.bearer = Some(bearer);
            auth.expires_at = None;
        }
        Err(error) => {
            let (after, error) = after_failure(error, later_step);
            if let AfterFailure::Reset = after {
                *auth = Auth::NONE;
            }
            return Err(error);
        }
    }
    Ok(auth.state)
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
                let http = error.http().cloned();
                let mut dead = Error::new(error.kind(), message);
                if let Some(h) = http {
                    dead = dead.with_http(h);
                }
                (AfterFailure::Reset, dead)
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
        AuthState::None => "no login is in progress: log in first".to_owned(),
        AuthState::Authenticated => "the session is already logged in".to_owned(),
        AuthState::VerificationRequired => {
            "the broker is waiting for the verification code".to_owned()
        }
        AuthState::PinRequired => "the broker is waiting for the PIN".to_owned(),
    };
    Error::new(
        ErrorKind::InvalidState,
        format!("not expecting {wanted}: {why}"),
    )
}

fn bearer_of(token: &Secret) -> Result<HeaderValue> {
    sensitive_header("Bearer ", token.expose()).ok_or_else(|| {
        Error::new(
            ErrorKind::Protocol,
            "POST token: the token is not a valid header value",
        )
    })
}

fn secret_value(name: &str, value: &str) -> Result<HeaderValue> {
    if value.is_empty() {
        return Err(Error::invalid_argument(format!("{name} is empty")));
    }
    sensitive_header("", value).ok_or_else(|| {
        Error::invalid_argument(format!(
            "{name} contains a character not allowed in an HTTP header"
        ))
    })
}

fn parse_method(method: &str) -> Result<Method> {
    match method.to_ascii_uppercase().as_str() {
        "GET" => Ok(Method::GET),
        "POST" => Ok(Method::POST),
        "PUT" => Ok(Method::PUT),
        "DELETE" => Ok(Method::DELETE),
        "PATCH" => Ok(Method::PATCH),
        _ => Err(Error::invalid_argument(format!(
            "method '{method}' is not supported: use GET, POST, PUT, DELETE or PATCH"
        ))),
    }
}

/// A path relative to the base URL, with its query. A leading `/` is tolerated and dropped.
fn check_path(path: &str) -> Result<&str> {
    let path = path.strip_prefix('/').unwrap_or(path);
    let bad = |why: &str| Err(Error::invalid_argument(format!("path '{path}' {why}")));
    if path.is_empty() {
        return Err(Error::invalid_argument("path is empty"));
    }
    if path.contains("://") || path.starts_with('/') {
        return bad("must be relative to the base URL, e.g. v1.0/users/@me/info");
    }
    if !path.chars().all(|c| c.is_ascii_graphic()) {
        return bad("contains white space, control or non-ASCII characters: percent-encode them");
    }
    if path.contains('#') {
        return bad("must not contain a fragment ('#')");
    }
    let route = path.split('?').next().unwrap_or("");
    if route
        .split('/')
        .any(|segment| segment == ".." || segment == ".")
    {
        return bad("must not contain '.' or '..' segments");
    }
    Ok(path)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not make the session unusable: the data is always consistent
    // between statements that take the lock.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_and_clean() {
        assert_eq!(
            check_path("v1.0/users/@me/info").unwrap(),
            "v1.0/users/@me/info"
        );
        assert_eq!(check_path("/v1.0/x?a=1&b=%20").unwrap(), "v1.0/x?a=1&b=%20");
        for bad in [
            "",
            "/",
            "https://evil/x",
            "//evil/x",
            "a b",
            "a\r\nb",
            "v1.0/é",
            "x#y",
            "../token",
            "v1.0/./x",
        ] {
            assert_eq!(
                check_path(bad).unwrap_err().kind(),
                ErrorKind::InvalidArgument,
                "{bad:?}"
            );
        }
    }

    #[test]
    fn methods_are_the_http_verbs_the_api_uses() {
        assert_eq!(parse_method("get").unwrap(), Method::GET);
        assert_eq!(parse_method("DELETE").unwrap(), Method::DELETE);
        assert!(parse_method("CONNECT").is_err());
        assert!(parse_method("").is_err());
    }

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
