//! Who reads the connection: the I/O thread, or a caller waiting with nothing queued, which then
//! reads for itself (no hand-over between threads on an event's way). A caller reading a busy
//! stream takes the connection and gives it back for every event through one atomic slot
//! (`Queue::free`), not the queue's lock; the I/O thread takes it back once callers leave it
//! unread for `AWAY`.

use super::Queue;
use crate::client::stream::worker::{End, Live};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// How long a connection lent to the caller's side may go unread before the I/O thread reads it
/// again (a caller that stopped calling `next`: its quotes are then conflated, as they would be).
pub const AWAY: Duration = Duration::from_millis(10);

impl Drop for Queue {
    fn drop(&mut self) {
        let live = *self.free.get_mut();
        if !live.is_null() {
            // SAFETY: a non-null `free` is a `Box<Live>` put there by `put_free`, owned by the
            // slot; nothing else can reach it now.
            drop(unsafe { Box::from_raw(live) });
        }
    }
}

impl Queue {
    /// Without a lock, for a caller reading a busy stream for itself: the connection it gave
    /// back, when it is still free and nothing is queued (looked at again once taken, since the
    /// I/O thread may have taken it, queued, and lent it again in between). `None`: `take`.
    pub fn take_free(&self) -> Option<Box<Live>> {
        if self.pending.load(Ordering::SeqCst) != 0 {
            return None;
        }
        let live = self.swap_free()?;
        if self.pending.load(Ordering::SeqCst) == 0 {
            return Some(live);
        }
        self.put_free(live, self.free_since.load(Ordering::Relaxed));
        None
    }

    pub(super) fn swap_free(&self) -> Option<Box<Live>> {
        let live = self.free.swap(std::ptr::null_mut(), Ordering::SeqCst);
        // SAFETY: a non-null `free` is a `Box<Live>` put there by `put_free`; the swap made
        // this thread its only owner.
        (!live.is_null()).then(|| unsafe { Box::from_raw(live) })
    }

    /// Puts the connection in `free`, given back `since` (nanoseconds after `epoch`).
    fn put_free(&self, live: Box<Live>, since: u64) {
        self.free_since.store(since, Ordering::Relaxed);
        let old = self.free.swap(Box::into_raw(live), Ordering::SeqCst);
        debug_assert!(old.is_null(), "one connection, one owner");
    }

    fn nanos(&self, at: Instant) -> u64 {
        at.saturating_duration_since(self.epoch).as_nanos() as u64
    }

    fn free_for(&self) -> Duration {
        let since = self.epoch + Duration::from_nanos(self.free_since.load(Ordering::Relaxed));
        since.elapsed()
    }

    /// Whether a caller waits in `take` with nothing to take.
    pub fn caller_waiting(&self) -> bool {
        self.waiting.load(Ordering::Relaxed) > 0
    }

    /// The I/O thread lends the connection to a waiting caller; gives it back when none waits
    /// any more (or the queue is finished).
    pub fn lend(&self, live: Box<Live>) -> Result<(), Box<Live>> {
        let q = self.lock();
        if q.waiting == 0 || q.finished {
            return Err(live);
        }
        self.put_free(live, self.nanos(Instant::now()));
        drop(q);
        self.arrived.notify_all();
        Ok(())
    }

    /// The I/O thread waits for the lent connection: back with no end once the callers have left
    /// it unread for `AWAY`, or with the end a caller found (or `Closed` once finished).
    pub fn reclaim(&self) -> (Option<Box<Live>>, Option<End>) {
        let mut q = self.lock();
        loop {
            if let Some((live, end)) = q.ended.take() {
                return (live, Some(end));
            }
            let free = !self.free.load(Ordering::SeqCst).is_null();
            if free && (q.finished || (q.waiting == 0 && self.free_for() >= AWAY)) {
                if let Some(live) = self.swap_free() {
                    return (Some(live), q.finished.then_some(End::Closed));
                }
            }
            // A caller that gives the connection back every few messages is looked at again
            // after `AWAY`, without waking this thread each time (on a busy CPU that wake-up
            // would stand between every message and its reader). One that has held it longer
            // (a quiet stream) wakes this thread when it gives it back (the long wait is only a
            // safeguard): an idle stream's I/O thread does not tick. Parked before looking
            // again, as the caller puts it back before looking at `io_parked`.
            let since = self.free_for();
            let wait = if since < AWAY {
                AWAY - since
            } else {
                self.io_parked.store(true, Ordering::SeqCst);
                if self.free.load(Ordering::SeqCst).is_null() {
                    Duration::from_secs(1)
                } else {
                    self.io_parked.store(false, Ordering::SeqCst);
                    Duration::ZERO // free, and for long enough: taken on the next turn
                }
            };
            q = self
                .io_wake
                .wait_timeout(q, wait.max(Duration::from_millis(1)))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
    }

    /// A caller gives the connection back after reading it, at `now` (`event`: it read a data
    /// event).
    pub fn return_reader(&self, live: Box<Live>, event: bool, now: Instant) {
        if event {
            let read = self.read_by_callers.load(Ordering::Relaxed);
            self.read_by_callers.store(read + 1, Ordering::Relaxed);
        }
        self.put_free(live, self.nanos(now));
        let wake = self.waiting.load(Ordering::SeqCst) > 0;
        if wake || self.io_parked.load(Ordering::SeqCst) {
            // Taken so that a thread about to wait is waiting before it is woken.
            let q = self.lock();
            let io = self.io_parked.swap(false, Ordering::SeqCst);
            drop(q);
            if wake {
                // Another caller waits: the connection is free for it to read.
                self.arrived.notify_one();
            }
            if io {
                // The I/O thread starts the clock of `AWAY`.
                self.io_wake.notify_one();
            }
        }
    }

    /// A caller found the connection ended: the I/O thread takes it from here.
    pub fn reader_ended(&self, live: Option<Box<Live>>, end: End) {
        self.lock().ended = Some((live, end));
        self.io_wake.notify_one();
    }
}
