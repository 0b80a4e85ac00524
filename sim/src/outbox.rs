//! Delivery of two-factor codes. The broker sends them by e-mail or SMS; the
//! simulator keeps them per user (read back by tests through
//! `Simulator::latest_code` or `GET /sim/outbox/{username}`) and, for the
//! command-line program, also prints them.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;

use super::json::Obj;
use super::reply::{self, Reply};
use super::routes::Call;
use super::{State, lock};

pub struct Outbox {
    codes: Mutex<HashMap<String, Vec<String>>>,
    print: bool,
}

impl Outbox {
    pub fn new(print: bool) -> Outbox {
        Outbox {
            codes: Mutex::new(HashMap::new()),
            print,
        }
    }

    pub fn deliver(&self, username: &str, code: &str) {
        lock(&self.codes)
            .entry(username.to_string())
            .or_default()
            .push(code.to_string());
        if self.print {
            // One whole line, flushed: scripts read it from a pipe.
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "outbox: verification code for {username}: {code}");
            let _ = out.flush();
        }
    }

    /// Every code sent to `username`, oldest first.
    pub fn codes(&self, username: &str) -> Vec<String> {
        lock(&self.codes).get(username).cloned().unwrap_or_default()
    }

    pub fn latest(&self, username: &str) -> Option<String> {
        lock(&self.codes).get(username)?.last().cloned()
    }
}

/// `GET /sim/outbox/{username}`: `{"Username":..,"Codes":[..]}`, 404 for
/// an unknown user.
pub fn show(state: &State, call: &Call) -> Reply {
    let name = call.param("username");
    match state.user_by_login(name) {
        Some(user) => Reply::json(
            200,
            Obj::new()
                .with("Username", user.login)
                .with("Codes", state.outbox.codes(user.login)),
        ),
        None => reply::not_found(&call.full_url),
    }
}
