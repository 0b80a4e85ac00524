//! Faults on the wire: how a request matched by a fault rule is answered (late, not at all,
//! with another status, cut short or garbled) and whether it is processed first.

use std::io;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::faults::rules::Kind;
use crate::http::reply::{self, Reply};
use crate::http::server::process;
use crate::http::wire::{reason_phrase, write_reply, write_response};
use crate::{RecordedRequest, State};

/// Answers `request` as the fault says. `Ok(false)` when the connection must be closed now.
pub fn misbehave(
    fault: Kind,
    state: &State,
    request: &RecordedRequest,
    writer: &mut TcpStream,
    keep_alive: bool,
    stopping: &AtomicBool,
) -> io::Result<bool> {
    match fault {
        Kind::Delay { ms } => {
            if !pause(Duration::from_millis(ms), stopping) {
                return Ok(false);
            }
            let reply = process(state, request);
            write_reply(writer, &reply, keep_alive)?;
        }
        Kind::DropBefore => return Ok(false),
        Kind::DropAfter => {
            process(state, request);
            return Ok(false);
        }
        Kind::Status(status) => {
            let full_url = format!("http://127.0.0.1:{}{}", state.port, request.url);
            write_reply(writer, &status_reply(status, &full_url), keep_alive)?;
        }
        Kind::RateLimit { retry_after } => {
            let reply = reply::message(429, "Too many requests");
            let retry = [("Retry-After", retry_after.to_string())];
            write_response(writer, &reply, keep_alive, &retry, None)?;
        }
        Kind::Malformed => {
            let real = process(state, request);
            let reply = Reply {
                status: 200,
                body: Some(malformed(real.body.as_deref().unwrap_or(""))),
                file: None,
            };
            write_reply(writer, &reply, keep_alive)?;
        }
        Kind::Truncated => {
            let mut reply = process(state, request);
            if reply.body.as_deref().unwrap_or("").len() < 2 {
                // Nothing to cut in half (e.g. a 204): stand in a small body.
                reply = Reply {
                    status: if reply.status == 204 {
                        200
                    } else {
                        reply.status
                    },
                    body: Some(r#"{"Message":"Truncated"}"#.to_string()),
                    file: None,
                };
            }
            let body = reply.body.as_deref().unwrap_or("");
            let half = floor_char_boundary(body, body.len() / 2);
            write_response(writer, &reply, keep_alive, &[], Some(half))?;
            return Ok(false);
        }
        // Applied when installed, or to the streamers: never matched against a request.
        Kind::ExpireTokens { .. }
        | Kind::StreamClose { .. }
        | Kind::StreamSilent
        | Kind::RefuseSession
        | Kind::CutSlowReader { .. }
        | Kind::IgnorePings
        | Kind::SpacedJson => {
            let reply = process(state, request);
            write_reply(writer, &reply, keep_alive)?;
        }
    }
    Ok(true)
}

/// Sleeps in small slices so that stopping the simulator is not held up; `false` when it is
/// stopping.
fn pause(total: Duration, stopping: &AtomicBool) -> bool {
    let deadline = Instant::now() + total;
    loop {
        if stopping.load(Ordering::SeqCst) {
            return false;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(Duration::from_millis(20)));
    }
}

/// The documented body for a status a `Status` fault answers (the bodies the broker answers
/// with that status, see `http::reply`).
fn status_reply(status: u16, full_url: &str) -> Reply {
    match status {
        400 => reply::invalid_request(),
        401 => reply::denied(),
        403 => reply::bad_app_key(),
        404 => reply::not_found(full_url),
        409 => reply::message(
            409,
            "The request conflicts with the current state of the resource.",
        ),
        422 => reply::validation_error(&[]),
        429 => reply::message(429, "Too many requests"),
        500 => reply::server_error(),
        _ => reply::message(status, reason_phrase(status)),
    }
}

/// The first half of a real body, which is never valid JSON for the objects and arrays the
/// routes answer; a fixed broken object when the real body is too short to cut.
fn malformed(real: &str) -> String {
    let cut = &real[..floor_char_boundary(real, real.len() / 2)];
    if !cut.trim().is_empty() && serde_json::from_str::<serde_json::Value>(cut).is_err() {
        cut.to_string()
    } else {
        r#"{"State":"Succ"#.to_string()
    }
}

/// The largest char boundary of `s` at or below `at`.
fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}
