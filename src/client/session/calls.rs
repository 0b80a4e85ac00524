//! Authenticated calls: retries for requests safe to repeat, "outcome unknown" for the others,
//! logging in again on a dead token, and cancellation from another thread.

use super::{Session, Settings, lock};
use crate::client::broker_error::answer_error;
use crate::client::config::Timeouts;
use crate::client::error::{Error, ErrorKind, HttpDetails, Result};
use crate::client::log::LogLevel;
use crate::client::retry::worth_retrying;
use crate::client::session::Reply;
use crate::client::transport::{Body, Incoming, Outgoing};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use ureq::http::{HeaderValue, Method, header::AUTHORIZATION};

impl Session {
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
    /// reached the broker, the error is `OutcomeUnknown`. With auto re-login, a 401 logs in
    /// again once; only a GET is then repeated.
    pub(crate) fn call(
        &self,
        method: Method,
        path: &str,
        json_body: Option<&str>,
    ) -> Result<Reply> {
        self.call_read(method, path, json_body, |status, body| {
            check_json(status, &body)?;
            Ok(Reply { status, body })
        })
    }

    /// `call`, with the 2xx answer (status, body) handed to `read`, which must refuse an answer
    /// that is not the JSON expected with a garbled protocol error: a GET is then retried like
    /// any other transient failure, and a change's outcome is unknown. One pass over the answer
    /// both checks and reads it.
    pub(crate) fn call_read<T>(
        &self,
        method: Method,
        path: &str,
        json_body: Option<&str>,
        read: impl FnMut(u16, String) -> Result<T>,
    ) -> Result<T> {
        let repeatable = method == Method::GET;
        self.call_text(method, path, json_body, repeatable, read)
    }

    /// `call_read` for a request that changes nothing though the broker spells it POST or PUT
    /// (previews, price histories): safe to repeat, so it is retried like a GET, repeated after a
    /// re-login, and never "outcome unknown".
    pub(crate) fn call_query<T>(
        &self,
        method: Method,
        path: &str,
        json_body: Option<&str>,
        read: impl FnMut(u16, String) -> Result<T>,
    ) -> Result<T> {
        self.call_text(method, path, json_body, true, read)
    }

    /// A call whose 2xx answer is text, repeated on transient failures when `repeatable`.
    fn call_text<T>(
        &self,
        method: Method,
        path: &str,
        json_body: Option<&str>,
        repeatable: bool,
        mut read: impl FnMut(u16, String) -> Result<T>,
    ) -> Result<T> {
        let kind = Kind {
            repeatable,
            file: false,
        };
        self.call_with(method, path, json_body, kind, |status, body, _| {
            read(status, body)
        })
    }

    /// `call_query` for the answer's text, checked to be JSON.
    pub(crate) fn query(
        &self,
        method: Method,
        path: &str,
        json_body: Option<&str>,
    ) -> Result<String> {
        self.call_query(method, path, json_body, |status, body| {
            check_json(status, &body)?;
            Ok(body)
        })
    }

    /// `call_query`, for a route whose 2xx answer is a file: its bytes.
    pub(crate) fn call_for_file(
        &self,
        method: Method,
        path: &str,
        json_body: Option<&str>,
    ) -> Result<Vec<u8>> {
        let kind = Kind {
            repeatable: true,
            file: true,
        };
        self.call_with(method, path, json_body, kind, |_, _, file| {
            file.ok_or_else(|| Error::new(ErrorKind::Protocol, "bad answer: no file").garbled())
        })
    }

    /// The loop of attempts behind `call_read`, `call_query` and `call_for_file`.
    fn call_with<T>(
        &self,
        method: Method,
        path: &str,
        json_body: Option<&str>,
        kind: Kind,
        mut read: impl FnMut(u16, String, Option<Vec<u8>>) -> Result<T>,
    ) -> Result<T> {
        let since = self.cancellation.current();
        let settings = *lock(&self.settings);
        let Kind { repeatable, file } = kind;
        let deadline = Instant::now() + settings.timeouts.request;
        let mut attempt = 1;
        let mut logged_in_again = false;
        loop {
            let (bearer, generation) = self.bearer(deadline, since)?;
            let attempt_at = Attempt {
                method: &method,
                path,
                json_body,
                bearer,
                settings,
                deadline,
                since,
                file,
            };
            let error = match self.attempt(attempt_at, &mut read) {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            if error.kind() == ErrorKind::Cancelled {
                // A cancelled POST may already be with the broker: that is no "not sent".
                return Err(if repeatable {
                    error
                } else {
                    outcome(&method, path, error)
                });
            }
            let refused = error.kind() == ErrorKind::NotAuthenticated && error.http().is_some();
            if refused && !logged_in_again && self.auto_relogin.load(Ordering::Acquire) {
                logged_in_again = true;
                self.relogin(generation, deadline, since)?;
                if repeatable {
                    continue;
                }
                let message = format!(
                    "{}; the session has logged in again, but the request was not repeated because it changes state",
                    error.message()
                );
                return Err(error.reclassify(ErrorKind::NotAuthenticated, message));
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
            self.cancellation
                .pause(pause, since, &format!("{method} {path}"))?;
            attempt += 1;
        }
    }

    /// One attempt of `call_read`, given what is left of the request timeout.
    fn attempt<T>(
        &self,
        at: Attempt<'_>,
        read: &mut impl FnMut(u16, String, Option<Vec<u8>>) -> Result<T>,
    ) -> Result<T> {
        let Attempt {
            method,
            path,
            json_body,
            bearer,
            settings,
            deadline,
            since,
            file,
        } = at;
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
        let timeouts = settings.timeouts.until(deadline);
        let out = Outgoing {
            method: method.clone(),
            path,
            headers: vec![(AUTHORIZATION, bearer)],
            body,
            file,
        };
        let answer = self.send(out, timeouts, settings.max_body, since)?;
        if (200..300).contains(&answer.status) {
            // The broker answered: whatever `read` finds wrong, the request did reach it.
            return read(answer.status, answer.body, answer.file).map_err(|e| {
                let e = e.maybe_delivered();
                let message = format!("{method} {path}: {}", e.message());
                let kind = e.kind();
                e.reclassify(kind, message)
            });
        }
        Err(answer_error(
            &format!("{method} {path}"),
            answer.status,
            answer.body,
            answer.retry_after,
        ))
    }

    /// Sends one request, logging it. A failure after `cancel` is `Cancelled`, whatever the
    /// interrupted socket said, but it still tells whether the request may have left.
    pub(super) fn send(
        &self,
        out: Outgoing<'_>,
        timeouts: Timeouts,
        max_body: u64,
        since: u64,
    ) -> Result<Incoming> {
        let (method, path) = (out.method.clone(), out.path);
        let what = || format!("{method} {path}");
        self.cancellation.check(since, what)?;
        let result = self.send_logged(out, timeouts, max_body);
        match result {
            Err(e) if self.cancellation.is_cancelled(since) => {
                let cancelled = Error::new(ErrorKind::Cancelled, format!("{}: cancelled", what()));
                Err(if e.may_have_been_delivered() {
                    cancelled.maybe_delivered()
                } else {
                    cancelled
                })
            }
            result => result,
        }
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

    /// Sleeps up to `pause` between polls of a call that started in generation `since`.
    pub(crate) fn pause(&self, pause: Duration, since: u64, what: &str) -> Result<()> {
        self.cancellation.pause(pause, since, what)
    }

    /// The cancellation generation a polling call starts in.
    pub(crate) fn generation(&self) -> u64 {
        self.cancellation.current()
    }
}

/// A failed request that changes state: when it may have reached the broker, nobody knows
/// whether it took effect, and the caller must look before repeating it.
fn outcome(method: &Method, path: &str, error: Error) -> Error {
    if !error.may_have_been_delivered() {
        return error;
    }
    let message = format!(
        "{method} {path}: outcome unknown: the request may have reached the broker, but no \
         readable answer came back ({}); check its effect before repeating it",
        error.message()
    );
    error.reclassify(ErrorKind::OutcomeUnknown, message)
}

/// What kind of request a call is.
#[derive(Clone, Copy)]
struct Kind {
    /// Safe to send again (a GET, or a read the broker spells POST or PUT).
    repeatable: bool,
    /// Its 2xx answer is a file, kept as bytes.
    file: bool,
}

/// What one attempt needs to know.
struct Attempt<'a> {
    method: &'a Method,
    path: &'a str,
    json_body: Option<&'a str>,
    bearer: HeaderValue,
    settings: Settings,
    deadline: Instant,
    since: u64,
    /// The answer is a file (`Outgoing::file`).
    file: bool,
}

/// A 2xx answer of the broker's JSON API that is not JSON was garbled on its way (cut short by a
/// proxy, a server's half-written page): a protocol error, which a GET may retry, and never
/// something handed to the caller as if it were the answer. 204's empty body is fine. The error
/// keeps the body, for diagnosis.
pub(crate) fn check_json(status: u16, body: &str) -> Result<()> {
    if body.bytes().all(|b| b.is_ascii_whitespace()) {
        return Ok(());
    }
    serde_json::from_str::<serde::de::IgnoredAny>(body)
        .map(|_| ())
        .map_err(|e| {
            Error::new(
                ErrorKind::Protocol,
                format!("bad answer: the body is not JSON ({e})"),
            )
            .garbled()
            .with_http(HttpDetails {
                status,
                reason: None,
                body: body.to_owned(),
                retry_after: None,
            })
        })
}

/// Longer paths are refused before anything is sent (servers refuse them anyway).
const MAX_PATH: usize = 8192;

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
    if path.len() > MAX_PATH {
        return Err(Error::invalid_argument(format!(
            "path is {} bytes long: at most {MAX_PATH}",
            path.len()
        )));
    }
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
        assert!(
            check_path(&"a".repeat(10 << 20))
                .unwrap_err()
                .message()
                .len()
                < 100
        );
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
}
