//! Between the stream's I/O thread and the caller: events in arrival order, with quotes
//! conflated per security once the caller falls behind (newest wins, counted), and every other
//! event kept. When the queue reaches its cap, the I/O thread is told to drop the connection on
//! purpose rather than lose an order event; the caller then sees a gap. The queue also says who
//! reads the connection (`lending`): the I/O thread, or a caller waiting with nothing queued.

use super::Event;
use super::wake::Waker;
use super::worker::{End, Live};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

mod lending;

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
    /// The sequence number of each security's newest queued quote; waiting while it is at or
    /// past `head`. Entries stay once taken (their keys are allocated and freed by the I/O
    /// thread only: a free on the caller's thread of memory from the I/O thread's allocator
    /// arena takes that arena's lock, which both threads then fight over).
    newest_quote: HashMap<String, u64>,
    counters: Counters,
    /// No more events will come (closed or failed): `take` returns what is left, then `None`.
    finished: bool,
    /// Callers waiting in `take`: a push wakes someone only when someone waits, since a wake-up
    /// is a system call and most pushes find the caller busy.
    waiting: usize,
    /// A caller's thread found the lent connection ended (the connection, `None` when that
    /// thread stopped while reading it, and why): the I/O thread takes over from here.
    ended: Option<(Option<Box<Live>>, End)>,
}

/// What `take` gives.
pub enum Taken {
    Event(Event),
    /// Nothing is queued and the connection is the caller's to read: `return_reader` or
    /// `reader_ended` gives it back.
    Reader(Box<Live>),
    TimedOut,
    /// The queue is finished and empty.
    Finished,
}

pub struct Queue {
    inner: Mutex<Inner>,
    arrived: Condvar,
    /// Where the I/O thread waits while the connection is lent.
    io_wake: Condvar,
    /// `Inner::waiting`, read without the lock by the I/O thread after every message.
    waiting: AtomicUsize,
    /// The caller's side: events moved out of `inner` a batch at a time, so the lock the I/O
    /// thread takes for every message changes cores once per batch, not once per event.
    taken: Mutex<VecDeque<Event>>,
    delivered: AtomicU64,
    /// Message buffers the caller has read, for the I/O thread to fill again: events cross
    /// threads without a malloc on one side and a free on the other. Each side keeps a batch
    /// of its own (`returned`, `reusable`) and swaps through `spare`.
    spare: Mutex<Vec<String>>,
    returned: Mutex<Vec<String>>,
    reusable: Mutex<Vec<String>>,
    /// The lent connection while no caller reads it (null otherwise; whoever swaps it out owns
    /// it). A caller reading a busy stream takes it and gives it back for every event: without
    /// a lock, which would be two more per event.
    free: AtomicPtr<Live>,
    /// When it was last put there: nanoseconds after `epoch`.
    free_since: AtomicU64,
    epoch: Instant,
    /// Events queued on either side: a caller takes the free connection only when none is.
    pending: AtomicUsize,
    /// Data messages callers read for themselves (part of `received` and `delivered`). Only the
    /// thread holding the connection writes it, so a load and a store do (no locked
    /// instruction per message); whoever takes the connection next sees it through `free`.
    read_by_callers: AtomicU64,
    /// The I/O thread sleeps until a caller gives the connection back, which then wakes it.
    io_parked: AtomicBool,
    /// Ends the I/O thread's wait on the socket: when a caller starts waiting here (it then
    /// lends the connection at once rather than after its read, `worker::POLL` at most), and
    /// for the stream's commands (`wake_io`). `None` when the system gave no descriptor pair.
    io_waker: Option<Arc<Waker>>,
}

impl Default for Queue {
    fn default() -> Queue {
        Queue::new(None)
    }
}

impl Queue {
    pub fn new(io_waker: Option<Arc<Waker>>) -> Queue {
        Queue {
            inner: Mutex::default(),
            arrived: Condvar::new(),
            io_wake: Condvar::new(),
            waiting: AtomicUsize::new(0),
            taken: Mutex::default(),
            delivered: AtomicU64::new(0),
            spare: Mutex::default(),
            returned: Mutex::default(),
            reusable: Mutex::default(),
            free: AtomicPtr::new(std::ptr::null_mut()),
            free_since: AtomicU64::new(0),
            epoch: Instant::now(),
            pending: AtomicUsize::new(0),
            read_by_callers: AtomicU64::new(0),
            io_parked: AtomicBool::new(false),
            io_waker,
        }
    }
}

/// Events the caller's side moves out of the shared queue at once.
const TAKE_BATCH: usize = 64;
/// Buffers handed back at once, the most kept, and the largest kept (a rare large message is
/// not held on to).
const RETURN_BATCH: usize = 32;
const SPARE_BUFFERS: usize = 256;
const SPARE_CAPACITY: usize = 16 * 1024;
/// Interned quote keys beyond which those no longer waiting are forgotten.
const KEYS_KEPT: usize = 65_536;

fn relock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
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
        if q.finished {
            // After the last event (closed, failed): a message still in flight is not delivered.
            drop(q);
            self.reuse(event);
            return Pushed::Queued;
        }
        q.counters.received += 1;
        let head = q.head;
        let seq = head + q.events.len() as u64;
        if let Some(key) = event.quote_key() {
            let conflate = q.events.len() >= CONFLATE_AFTER;
            let newest = q.newest_quote.get(key).copied();
            if let Some(waiting) = newest.filter(|&at| at >= head && conflate) {
                let replaced = std::mem::replace(&mut q.events[(waiting - head) as usize], event);
                q.counters.conflated += 1;
                drop(q);
                self.reuse(replaced);
                return Pushed::Queued;
            }
            match q.newest_quote.get_mut(key) {
                Some(at) => *at = seq,
                None => {
                    if q.newest_quote.len() >= KEYS_KEPT {
                        q.newest_quote.retain(|_, at| *at >= head);
                    }
                    q.newest_quote.insert(key.to_owned(), seq);
                }
            }
        }
        q.events.push_back(event);
        self.pending.fetch_add(1, Ordering::SeqCst);
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

    /// An empty buffer for the next message, reusing one the caller has read when there is.
    pub fn buffer(&self) -> String {
        let mut reusable = relock(&self.reusable);
        if reusable.is_empty() {
            std::mem::swap(&mut *reusable, &mut *relock(&self.spare));
        }
        reusable.pop().unwrap_or_default()
    }

    /// The buffer of a quote the I/O thread itself replaced (conflation), for its next message.
    fn reuse(&self, event: Event) {
        if let Event::Data { mut json, .. } = event {
            let mut reusable = relock(&self.reusable);
            if json.capacity() <= SPARE_CAPACITY && reusable.len() < SPARE_BUFFERS {
                json.clear();
                reusable.push(json);
            }
        }
    }

    /// Hands an event's buffer back once the caller has read its message.
    pub fn give_back(&self, event: Event) {
        let Event::Data {
            mut json,
            pooled: true,
            ..
        } = event
        else {
            return;
        };
        if json.capacity() > SPARE_CAPACITY {
            return;
        }
        json.clear();
        let mut returned = relock(&self.returned);
        returned.push(json);
        if returned.len() >= RETURN_BATCH {
            let mut spare = relock(&self.spare);
            let room = SPARE_BUFFERS.saturating_sub(spare.len());
            let n = returned.len().min(room);
            spare.extend(returned.drain(..n));
            // Only when the I/O thread has more spares than it uses: freed here, rarely.
            returned.clear();
        }
    }

    /// Adds a stream state event (never conflated, not counted as received).
    pub fn push_state(&self, event: Event) {
        let mut q = self.lock();
        if q.finished {
            return;
        }
        q.events.push_back(event);
        self.pending.fetch_add(1, Ordering::SeqCst);
        let queued = q.events.len() as u64;
        q.counters.queued = queued;
        q.counters.high_water = q.counters.high_water.max(queued);
        let wake = q.waiting > 0;
        drop(q);
        if wake {
            self.arrived.notify_one();
        }
    }

    /// The next event, waiting until `until` (`None`: as long as it takes); or the connection
    /// to read, when nothing is queued and the I/O thread has lent it.
    pub fn take(&self, until: Option<Instant>) -> Taken {
        loop {
            // Lock order: `taken`, then `inner`; the wait holds `inner` only, so a second
            // caller is never stuck behind a waiting one past its own timeout.
            let mut taken = relock(&self.taken);
            if let Some(event) = taken.pop_front() {
                self.pending.fetch_sub(1, Ordering::SeqCst);
                self.delivered.fetch_add(1, Ordering::Relaxed);
                return Taken::Event(event);
            }
            let mut q = self.lock();
            if !q.events.is_empty() {
                let n = q.events.len().min(TAKE_BATCH);
                taken.extend(q.events.drain(..n));
                q.head += n as u64;
                q.counters.queued = q.events.len() as u64;
                continue;
            }
            drop(taken);
            if q.finished {
                return Taken::Finished;
            }
            // Counted as waiting before looking at the free connection: a caller giving it
            // back looks at `waiting` after putting it there, so one of the two sees the other.
            q.waiting += 1;
            self.waiting.store(q.waiting, Ordering::SeqCst);
            if let Some(live) = self.swap_free() {
                q.waiting -= 1;
                self.waiting.store(q.waiting, Ordering::SeqCst);
                return Taken::Reader(live);
            }
            let now = Instant::now();
            if until.is_some_and(|until| now >= until) {
                q.waiting -= 1;
                self.waiting.store(q.waiting, Ordering::SeqCst);
                return Taken::TimedOut;
            }
            if q.waiting == 1 {
                self.wake_io();
            }
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
            self.waiting.store(q.waiting, Ordering::SeqCst);
        }
    }

    /// Ends the I/O thread's wait on the socket (or its next one).
    pub fn wake_io(&self) {
        if let Some(waker) = &self.io_waker {
            waker.wake();
        }
    }

    /// What the I/O thread's reads of a connection wait for besides the socket.
    pub fn io_waker(&self) -> Option<Arc<Waker>> {
        self.io_waker.clone()
    }

    /// How many events wait.
    pub fn len(&self) -> usize {
        let taken = relock(&self.taken).len();
        taken + self.lock().events.len()
    }

    /// Ends the queue with `last` (closed, failed): whatever is pushed after it is dropped, so it
    /// stays the last event even when the I/O thread was delivering a message as the caller
    /// closed the stream. Once ended, a second end changes nothing. Wakes every waiting `take`.
    pub fn finish_with(&self, last: Event) {
        let mut q = self.lock();
        if !q.finished {
            q.events.push_back(last);
            self.pending.fetch_add(1, Ordering::SeqCst);
            q.finished = true;
            let queued = q.events.len() as u64;
            q.counters.queued = queued;
            q.counters.high_water = q.counters.high_water.max(queued);
        }
        drop(q);
        self.arrived.notify_all();
        self.io_wake.notify_all();
    }

    pub fn counters(&self) -> Counters {
        let taken = relock(&self.taken).len() as u64;
        let mut c = self.lock().counters;
        let by_callers = self.read_by_callers.load(Ordering::Relaxed);
        c.received += by_callers;
        c.queued += taken;
        c.delivered = self.delivered.load(Ordering::Relaxed) + by_callers;
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn take(q: &Queue, wait: Option<Duration>) -> Result<Event, bool> {
        match q.take(wait.map(|w| Instant::now() + w)) {
            Taken::Event(e) => Ok(e),
            Taken::Finished => Err(true),
            Taken::TimedOut => Err(false),
            Taken::Reader(_) => panic!("no connection was lent"),
        }
    }

    fn quote(key: &str, n: u64) -> Event {
        Event::Data {
            entity: super::super::Entity::Quote,
            quote_key: Some(super::super::QuoteKey::Own(key.to_owned())),
            json: format!(r#"{{"Key":"{key}","Bid":"{n}"}}"#),
            pooled: true,
        }
    }

    fn state(state: super::super::State) -> Event {
        Event::State(super::super::StateEvent {
            state,
            reason: String::new(),
            gap_from_ms: 0,
            gap_to_ms: 0,
        })
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
            std::iter::from_fn(|| take(&q, Some(Duration::ZERO)).ok().map(json)).collect();
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
            pooled: true,
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
        q.finish_with(order(0));
        let mut n = 0;
        while take(&q, None).is_ok() {
            n += 1;
        }
        assert_eq!(n, CAP + 1, "every event, then the last");
        assert_eq!(take(&q, Some(Duration::from_secs(5))), Err(true));
    }

    #[test]
    fn nothing_comes_after_the_last_event() {
        let q = Queue::default();
        q.push(quote("5", 1));
        q.finish_with(state(super::super::State::Closed));
        // The I/O thread was delivering as the stream closed; and a second end (a failure).
        q.push(quote("5", 2));
        q.push_state(state(super::super::State::Reconnecting));
        q.finish_with(quote("7", 3));
        assert!(json(take(&q, None).unwrap()).contains(r#""Bid":"1""#));
        match take(&q, None) {
            Ok(Event::State(s)) => assert_eq!(s.state, super::super::State::Closed),
            other => panic!("{other:?}"),
        }
        assert_eq!(take(&q, Some(Duration::ZERO)), Err(true));
        assert_eq!(q.counters().received, 1);
    }

    #[test]
    fn a_quote_already_moved_to_the_callers_side_is_not_replaced() {
        let q = Queue::default();
        for n in 0..1100 {
            q.push(quote(&n.to_string(), 0));
        }
        let first = json(take(&q, None).unwrap()); // the caller's side now holds 1 to 63
        assert!(first.contains(r#""Key":"0""#));
        q.push(quote("3", 1)); // 3 was moved to the caller's side: queued anew
        q.push(quote("100", 1)); // 100 still waits in the queue: replaced where it waits
        let c = q.counters();
        assert_eq!((c.received, c.conflated, c.queued), (1102, 1, 1100));
        let rest: Vec<String> =
            std::iter::from_fn(|| take(&q, Some(Duration::ZERO)).ok().map(json)).collect();
        assert_eq!(rest.len(), 1100);
        assert_eq!(rest[2], r#"{"Key":"3","Bid":"0"}"#);
        assert_eq!(
            rest[99], r#"{"Key":"100","Bid":"1"}"#,
            "newest, in its place"
        );
        assert_eq!(rest[1099], r#"{"Key":"3","Bid":"1"}"#, "the newer 3 last");
        assert_eq!(q.counters().delivered, 1101);
    }

    #[test]
    fn buffers_the_caller_has_read_are_filled_again() {
        let q = Queue::default();
        let mut given = Vec::new();
        for n in 0..RETURN_BATCH {
            let mut text = q.buffer();
            text.push_str(&format!(r#"{{"Key":"{n}"}}"#));
            given.push(text.as_ptr());
            q.push(Event::Data {
                entity: super::super::Entity::Quote,
                quote_key: None,
                json: text,
                pooled: true,
            });
        }
        for _ in 0..RETURN_BATCH {
            q.give_back(take(&q, None).unwrap());
        }
        let again = q.buffer();
        assert!(again.is_empty() && again.capacity() > 0);
        assert!(given.contains(&again.as_ptr()), "one of the buffers read");
    }

    #[test]
    fn take_waits_and_times_out() {
        let q = Queue::default();
        let started = Instant::now();
        assert_eq!(take(&q, Some(Duration::from_millis(30))), Err(false));
        assert!(started.elapsed() >= Duration::from_millis(30));
    }

    /// A caller that starts waiting with nothing queued wakes the I/O thread (to lend it the
    /// connection); one that only polls, or finds an event, does not.
    #[test]
    fn a_caller_that_waits_wakes_the_io_thread_and_one_that_polls_does_not() {
        let (tcp, _server) = crate::client::tcp::loopback_pair();
        let waker = Arc::new(Waker::new().unwrap());
        let woken = || waker.wait(&tcp, Duration::ZERO).unwrap() == super::super::wake::Woke::Woken;
        let q = Queue::new(Some(waker.clone()));
        assert_eq!(take(&q, Some(Duration::ZERO)), Err(false));
        assert!(!woken(), "a poll");
        q.push(quote("1", 1));
        assert!(take(&q, Some(Duration::from_millis(20))).is_ok());
        assert!(!woken(), "an event was there");
        assert_eq!(take(&q, Some(Duration::from_millis(20))), Err(false));
        assert!(woken(), "a wait");
    }
}
