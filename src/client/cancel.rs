//! Cancelling a session's calls in flight from another thread: a generation number that each
//! call remembers at its start, and a signal that wakes calls pausing between retries.

use crate::client::error::{Error, ErrorKind, Result};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// The generation is read by every call (one atomic load); the mutex only pairs with the
/// condition variable, so a pause cannot miss a cancel.
#[derive(Default)]
pub struct Cancellation {
    generation: AtomicU64,
    lock: Mutex<()>,
    changed: Condvar,
}

impl Cancellation {
    /// The generation a call starts in.
    pub fn current(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Whether the call that started in generation `since` has been cancelled.
    pub fn is_cancelled(&self, since: u64) -> bool {
        self.current() != since
    }

    /// Cancels every call that started before now.
    pub fn cancel(&self) {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.changed.notify_all();
    }

    /// `Err(Cancelled)` when the call that started in generation `since` has been cancelled;
    /// `what` (e.g. `GET path`) is formatted only then.
    pub fn check(&self, since: u64, what: impl FnOnce() -> String) -> Result<()> {
        if !self.is_cancelled(since) {
            Ok(())
        } else {
            Err(cancelled(&what()))
        }
    }

    /// Sleeps for `pause`, waking early (with `Err(Cancelled)`) if the call is cancelled.
    pub fn pause(&self, pause: Duration, since: u64, what: &str) -> Result<()> {
        let until = Instant::now() + pause;
        let mut guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        while self.current() == since {
            let now = Instant::now();
            if now >= until {
                return Ok(());
            }
            guard = self
                .changed
                .wait_timeout(guard, until - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        Err(cancelled(what))
    }
}

fn cancelled(what: &str) -> Error {
    Error::new(ErrorKind::Cancelled, format!("{what}: cancelled"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_cancel_wakes_a_pause_at_once() {
        let c = Arc::new(Cancellation::default());
        let since = c.current();
        let waker = {
            let c = c.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(30));
                c.cancel();
            })
        };
        let started = Instant::now();
        let e = c
            .pause(Duration::from_secs(10), since, "GET x")
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Cancelled);
        assert!(started.elapsed() < Duration::from_secs(2));
        waker.join().unwrap();
        assert!(c.check(since, || "x".into()).is_err());
        assert!(
            c.check(c.current(), || "x".into()).is_ok(),
            "later calls are not cancelled"
        );
        assert!(c.pause(Duration::from_millis(5), c.current(), "x").is_ok());
    }
}
