//! Between the stream's I/O thread and the caller: events in arrival order, with quotes
//! conflated per security once the caller falls behind (newest wins, counted), and every other
//! event kept. When the queue reaches its cap, the I/O thread is told to drop the connection on
//! purpose rather than lose an order event; the caller then sees a gap.

use super::Event;
use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Queued events beyond which a new quote replaces the queued quote of its security.
pub const CONFLATE_AFTER: usize = 1024;
/// Queued events at which the connection is dropped on purpose (nothing is thrown away).
pub const CAP: usize = 65_536;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Data messages read from the streamer.
    pub received: u64,
    /// Events handed to the caller.
    pub delivered: u64,
    /// Quotes replaced by a newer one of the same security before the caller took them.
    pub conflated: u64,
    /// Events waiting now, and the most that ever waited.
    pub queued: u64,
    pub high_water: u64,
}

#[derive(Default)]
struct Inner {
    events: VecDeque<Event>,
    /// Sequence number of `events[0]`.
    head: u64,
    /// The sequence number of each security's quote still waiting.
    waiting_quotes: HashMap<String, u64>,
    counters: Counters,
    /// No more events will come (closed or failed): `take` returns what is left, then `None`.
    finished: bool,
    /// Callers waiting in `take`: a push wakes someone only when someone waits, since a wake-up
    /// is a system call and most pushes find the caller busy.
    waiting: usize,
}

#[derive(Default)]
pub struct Queue {
    inner: Mutex<Inner>,
    arrived: Condvar,
}

/// What `push` tells the I/O thread.
#[derive(Debug, PartialEq, Eq)]
pub enum Pushed {
    Queued,
    /// The queue is at its cap: drop the connection, then wait for the caller to catch up.
    Full,
}

impl Queue {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a data event; a quote (its `quote_key` names its security) may be conflated.
    pub fn push(&self, event: Event) -> Pushed {
        let mut q = self.lock();
        q.counters.received += 1;
        let key = match &event {
            Event::Data {
                quote_key: Some(key),
                ..
            } => Some(key.as_str()),
            _ => None,
        };
        if let Some(key) = key.filter(|_| q.events.len() >= CONFLATE_AFTER) {
            if let Some(&seq) = q.waiting_quotes.get(key) {
                let at = (seq - q.head) as usize;
                q.events[at] = event;
                q.counters.conflated += 1;
                return Pushed::Queued;
            }
        }
        let seq = q.head + q.events.len() as u64;
        if let Some(key) = key {
            match q.waiting_quotes.get_mut(key) {
                Some(waiting) => *waiting = seq,
                None => {
                    q.waiting_quotes.insert(key.to_owned(), seq);
                }
            }
        }
        q.events.push_back(event);
        let queued = q.events.len() as u64;
        q.counters.queued = queued;
        q.counters.high_water = q.counters.high_water.max(queued);
        let wake = q.waiting > 0;
        drop(q);
        if wake {
            self.arrived.notify_one();
        }
        if queued as usize >= CAP {
            Pushed::Full
        } else {
            Pushed::Queued
        }
    }

    /// Adds a stream state event (never conflated, not counted as received).
    pub fn push_state(&self, event: Event) {
        let mut q = self.lock();
        q.events.push_back(event);
        let queued = q.events.len() as u64;
        q.counters.queued = queued;
        q.counters.high_water = q.counters.high_water.max(queued);
        let wake = q.waiting > 0;
        drop(q);
        if wake {
            self.arrived.notify_one();
        }
    }

    /// The next event, waiting up to `wait` (`None`: as long as it takes). `Err(true)` when the
    /// queue is finished and empty, `Err(false)` when the wait ran out.
    pub fn take(&self, wait: Option<Duration>) -> Result<Event, bool> {
        let until = wait.map(|w| Instant::now() + w);
        let mut q = self.lock();
        loop {
            if let Some(event) = q.events.pop_front() {
                let seq = q.head;
                q.head += 1;
                if let Event::Data {
                    quote_key: Some(key),
                    ..
                } = &event
                {
                    if q.waiting_quotes.get(key) == Some(&seq) {
                        q.waiting_quotes.remove(key);
                    }
                }
                q.counters.delivered += 1;
                q.counters.queued = q.events.len() as u64;
                return Ok(event);
            }
            if q.finished {
                return Err(true);
            }
            let now = Instant::now();
            if until.is_some_and(|until| now >= until) {
                return Err(false);
            }
            q.waiting += 1;
            q = match until {
                None => self.arrived.wait(q).unwrap_or_else(|e| e.into_inner()),
                Some(until) => {
                    self.arrived
                        .wait_timeout(q, until - now)
                        .unwrap_or_else(|e| e.into_inner())
                        .0
                }
            };
            q.waiting -= 1;
        }
    }

    /// How many events wait.
    pub fn len(&self) -> usize {
        self.lock().events.len()
    }

    /// No more events will come; wakes every waiting `take`.
    pub fn finish(&self) {
        self.lock().finished = true;
        self.arrived.notify_all();
    }

    pub fn counters(&self) -> Counters {
        self.lock().counters
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(key: &str, n: u64) -> Event {
        Event::Data {
            entity: super::super::Entity::Quote,
            quote_key: Some(key.to_owned()),
            json: format!(r#"{{"Key":"{key}","Bid":"{n}"}}"#),
        }
    }

    fn json(e: Event) -> String {
        match e {
            Event::Data { json, .. } => json,
            Event::State(_) => panic!("a state"),
        }
    }

    #[test]
    fn quotes_are_conflated_only_once_the_caller_falls_behind() {
        let q = Queue::default();
        for n in 0..CONFLATE_AFTER as u64 {
            q.push(quote("5", n));
        }
        assert_eq!(
            q.counters().conflated,
            0,
            "every quote kept while the queue is short"
        );
        q.push(quote("5", 9999));
        q.push(quote("7", 1));
        q.push(quote("7", 2));
        let c = q.counters();
        assert_eq!((c.received, c.conflated), (CONFLATE_AFTER as u64 + 3, 2));
        let all: Vec<String> =
            std::iter::from_fn(|| q.take(Some(Duration::ZERO)).ok().map(json)).collect();
        assert_eq!(all.len(), CONFLATE_AFTER + 1);
        assert!(
            all[CONFLATE_AFTER - 1].contains("9999"),
            "the newest quote of 5 took the last place of 5"
        );
        assert!(
            all[CONFLATE_AFTER].contains("\"2\""),
            "newest wins for 7 too"
        );
    }

    #[test]
    fn a_full_queue_says_so_and_a_finished_one_drains_then_ends() {
        let q = Queue::default();
        let order = |n: usize| Event::Data {
            entity: super::super::Entity::Order,
            quote_key: None,
            json: n.to_string(),
        };
        for n in 0..CAP - 1 {
            assert_eq!(q.push(order(n)), Pushed::Queued);
        }
        assert_eq!(
            q.push(order(CAP)),
            Pushed::Full,
            "never dropped, but flagged"
        );
        assert_eq!(q.len(), CAP);
        q.finish();
        let mut n = 0;
        while q.take(None).is_ok() {
            n += 1;
        }
        assert_eq!(n, CAP);
        assert_eq!(q.take(Some(Duration::from_secs(5))), Err(true));
    }

    #[test]
    fn take_waits_and_times_out() {
        let q = Queue::default();
        let started = Instant::now();
        assert_eq!(q.take(Some(Duration::from_millis(30))), Err(false));
        assert!(started.elapsed() >= Duration::from_millis(30));
    }
}
