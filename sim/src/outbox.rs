//! Delivery of two-factor codes. The broker sends them by e-mail or SMS; the
//! simulator keeps them per user (read back by tests through
//! `Simulator::latest_code` or `GET /sim/outbox/{username}`) and, for the
//! command-line program, also prints them.

use std::collections::HashMap;
use std::io::Write;
use std::sync::Mutex;

use crate::lock;

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
