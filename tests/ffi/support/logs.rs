//! Log lines collected through the C callback, and every secret of a simulator run, for tests
//! that check no secret reaches a log or an error.

use super::Simulator;
use super::ffi::Session;
use etna::ffi::*;
use std::collections::HashSet;
use std::ffi::{CStr, c_char, c_void};
use std::ptr;
use std::sync::{Arc, Mutex};

/// Log lines collected through the C callback.
#[derive(Default)]
pub struct Logs(Mutex<Vec<String>>);

unsafe extern "C" fn collect_line(
    user_data: *mut c_void,
    _level: EtnaLogLevel,
    line: *const c_char,
) {
    let logs = unsafe { &*(user_data as *const Logs) };
    let line = unsafe { CStr::from_ptr(line) }
        .to_string_lossy()
        .into_owned();
    logs.0.lock().unwrap().push(line);
}

unsafe extern "C" fn release_logs(user_data: *mut c_void) {
    drop(unsafe { Arc::from_raw(user_data as *const Logs) });
}

impl Logs {
    pub fn attach(s: &Session) -> Arc<Logs> {
        let logs = Arc::new(Logs::default());
        let status = unsafe {
            etna_session_set_log_callback(
                s.0,
                Some(collect_line),
                Arc::into_raw(logs.clone()) as *mut c_void,
                Some(release_logs),
                ETNA_LOG_TRACE,
                ptr::null_mut(),
            )
        };
        assert_eq!(status, ETNA_OK);
        logs
    }

    pub fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

/// Every secret of a run: the password, the app key and every 12-character piece of every token
/// the simulator issued.
pub struct Secrets {
    pieces: HashSet<Vec<u8>>,
    pub tokens: usize,
}

const PIECE: usize = 12;

impl Secrets {
    pub fn of(sim: &Simulator) -> Secrets {
        let tokens = sim.issued_tokens();
        let mut pieces: HashSet<Vec<u8>> = tokens
            .iter()
            .flat_map(|t| t.as_bytes().windows(PIECE).map(<[u8]>::to_vec))
            .collect();
        pieces.insert(b"alice-pass".to_vec());
        pieces.insert(b"sim-app-key".to_vec());
        Secrets {
            pieces,
            tokens: tokens.len(),
        }
    }

    pub fn assert_absent(&self, texts: &[String], what: &str) {
        for text in texts {
            let bytes = text.as_bytes();
            let leaked = bytes.windows(PIECE).any(|w| self.pieces.contains(w))
                || text.contains("alice-pass")
                || text.contains("sim-app-key");
            assert!(!leaked, "{what}: a secret in {text:?}");
        }
    }
}
