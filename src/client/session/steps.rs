//! One login step on the wire at a time (a step and a logout, two re-logins must not interleave),
//! waited for within the waiting call's deadline and given up at once when the call is
//! cancelled. Re-logins are single flight: calls that find one running wait for it and share its
//! outcome, failure included, instead of each sending `/token` in turn.

use crate::client::error::{Error, ErrorKind, Result};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Instant;

#[derive(Default)]
pub(super) struct Steps {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    /// A step holds the turn.
    busy: bool,
    /// Re-logins started so far; the number of the running one, when a re-login holds the turn.
    relogins: u64,
    running_relogin: Option<u64>,
    /// The last re-login that failed, and how: what the calls that waited for it report.
    failed_relogin: Option<(u64, Error)>,
}

/// The turn to run a login step; gives it back when dropped.
pub(super) struct Turn<'a> {
    steps: &'a Steps,
    relogin: Option<u64>,
}

/// What a call that needs a re-login gets: the turn to run it, or the outcome of the re-login
/// that ran while it waited.
pub(super) enum Relogin<'a> {
    Run(Turn<'a>),
    Done(Result<()>),
}

impl Steps {
    /// Waits for the turn to run a login step, until `deadline` or until `cancelled()`.
    pub(super) fn turn(&self, deadline: Instant, cancelled: &dyn Fn() -> bool) -> Result<Turn<'_>> {
        let mut state = self.lock();
        loop {
            if cancelled() {
                return Err(Error::new(
                    ErrorKind::Cancelled,
                    "login step: cancelled while another login step was running",
                ));
            }
            if !state.busy {
                state.busy = true;
                return Ok(Turn {
                    steps: self,
                    relogin: None,
                });
            }
            state = self.wait(state, deadline)?;
        }
    }

    /// Waits for the turn to log in again, or for the re-login that holds it: once `renewed()`
    /// (another call logged in again) gives `Done(Ok)`, a failure of that re-login `Done(Err)`.
    pub(super) fn relogin(
        &self,
        deadline: Instant,
        cancelled: &dyn Fn() -> bool,
        renewed: &dyn Fn() -> bool,
    ) -> Result<Relogin<'_>> {
        let mut state = self.lock();
        let mut watching = None;
        loop {
            if cancelled() {
                return Err(Error::new(
                    ErrorKind::Cancelled,
                    "logging in again: cancelled",
                ));
            }
            if renewed() {
                return Ok(Relogin::Done(Ok(())));
            }
            if let Some((number, error)) = &state.failed_relogin {
                if watching == Some(*number) {
                    return Ok(Relogin::Done(Err(error.clone())));
                }
            }
            if !state.busy {
                state.busy = true;
                state.relogins += 1;
                state.running_relogin = Some(state.relogins);
                return Ok(Relogin::Run(Turn {
                    steps: self,
                    relogin: Some(state.relogins),
                }));
            }
            watching = state.running_relogin.or(watching);
            state = self.wait(state, deadline)?;
        }
    }

    /// Wakes every waiting call so it looks at its cancellation (called by `Session::cancel`).
    pub(super) fn wake(&self) {
        let _state = self.lock();
        self.changed.notify_all();
    }

    fn wait<'a>(
        &self,
        state: MutexGuard<'a, State>,
        deadline: Instant,
    ) -> Result<MutexGuard<'a, State>> {
        let now = Instant::now();
        if now >= deadline {
            return Err(Error::new(
                ErrorKind::Timeout,
                "timed out waiting for another login step (a login or re-login) to finish",
            ));
        }
        Ok(self
            .changed
            .wait_timeout(state, deadline - now)
            .unwrap_or_else(|e| e.into_inner())
            .0)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Turn<'_> {
    /// Ends a re-login that failed: the calls waiting for it report `error`. A cancelled
    /// re-login is not shared, since the calls waiting for it may not be cancelled themselves.
    pub(super) fn failed(self, error: &Error) {
        if let Some(number) = self
            .relogin
            .filter(|_| error.kind() != ErrorKind::Cancelled)
        {
            self.steps.lock().failed_relogin = Some((number, error.clone()));
        }
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut state = self.steps.lock();
        state.busy = false;
        state.running_relogin = None;
        self.steps.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    fn never() -> bool {
        false
    }

    #[test]
    fn a_waiting_step_gives_up_at_its_deadline() {
        let steps = Steps::default();
        let _held = steps
            .turn(Instant::now() + Duration::from_secs(1), &never)
            .unwrap();
        let started = Instant::now();
        let e = steps
            .turn(Instant::now() + Duration::from_millis(50), &never)
            .err()
            .unwrap();
        assert_eq!(e.kind(), ErrorKind::Timeout);
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn calls_waiting_for_a_relogin_share_its_failure() {
        let steps = Arc::new(Steps::default());
        let Relogin::Run(turn) = steps
            .relogin(Instant::now() + Duration::from_secs(5), &never, &never)
            .unwrap()
        else {
            panic!("the first call runs the re-login");
        };
        let waiter = {
            let steps = steps.clone();
            std::thread::spawn(move || {
                match steps
                    .relogin(Instant::now() + Duration::from_secs(5), &never, &never)
                    .unwrap()
                {
                    Relogin::Done(result) => result.unwrap_err().kind(),
                    Relogin::Run(_) => panic!("a second re-login started"),
                }
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        turn.failed(&Error::new(ErrorKind::Timeout, "POST token: timed out"));
        assert_eq!(waiter.join().unwrap(), ErrorKind::Timeout);
        // A call arriving afterwards tries again itself.
        assert!(matches!(
            steps
                .relogin(Instant::now() + Duration::from_secs(1), &never, &never)
                .unwrap(),
            Relogin::Run(_)
        ));
    }

    #[test]
    fn a_cancelled_waiter_returns_when_woken() {
        let steps = Arc::new(Steps::default());
        let _held = steps
            .turn(Instant::now() + Duration::from_secs(5), &never)
            .unwrap();
        let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let waiter = {
            let (steps, flag) = (steps.clone(), flag.clone());
            std::thread::spawn(move || {
                let cancelled = || flag.load(std::sync::atomic::Ordering::Acquire);
                steps
                    .turn(Instant::now() + Duration::from_secs(5), &cancelled)
                    .err()
                    .unwrap()
                    .kind()
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        let started = Instant::now();
        flag.store(true, std::sync::atomic::Ordering::Release);
        steps.wake();
        assert_eq!(waiter.join().unwrap(), ErrorKind::Cancelled);
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
