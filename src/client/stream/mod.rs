//! Live events from the broker's two WebSocket streamers: quotes (quote streamer) and order,
//! position, balance and watchlist events (data streamer).
//!
//! A `Stream` owns one I/O thread that never runs caller code. The caller pulls events with
//! `next`. Subscriptions are remembered and replayed on every reconnect; silence is detected
//! (a WebSocket ping after `stale_after`, the connection replaced when none answers); reconnects
//! back off exponentially with jitter and are announced with state events, and on the data
//! stream a `Gap` follows, because the broker replays nothing. Quotes are conflated per security
//! once the caller falls behind; other events are never dropped (see `queue`).
//!
//! A caller that waits in `next` with nothing queued reads the connection itself, on its own
//! thread, once the I/O thread lends it (the caller's wait wakes the I/O thread for that): the
//! event then reaches it without a hand-over between threads, which was most of a quote's
//! latency and of the CPU each quote cost. The I/O thread reads again as soon as the callers
//! leave the connection unread for `queue::lending::AWAY`, so a caller busy elsewhere still has
//! its quotes conflated and its pings answered.
//!
//! - `protocol.rs`: the wire format (connect address, commands, message kinds).
//! - `socket.rs`: TCP, proxy tunnel and TLS under the WebSocket.
//! - `wake.rs`: what ends the I/O thread's wait when a caller queues a command or waits.
//! - `queue.rs`: events between the I/O thread and the caller, and who reads the connection.
//! - `worker.rs`: the I/O thread (connect, session, subscriptions, reconnects) and the read of
//!   one frame (`Live::step`, liveness included) that whichever thread reads does.

mod protocol;
mod queue;
mod socket;
mod wake;
mod worker;

pub use protocol::Credentials;
pub use queue::Counters;
pub use socket::{Endpoint, Network};

use crate::client::error::{Error, ErrorKind, Result};
use queue::Taken;
use socket::Limit;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use worker::Step;

/// Which streamer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    Quotes,
    Data,
}

/// What a data event is, by the broker's `EntityType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Quote,
    Order,
    Position,
    AccountBalance,
    UserBalance,
    Watchlist,
    WatchlistContent,
}

impl Entity {
    /// The broker's names, in this order.
    pub const NAMES: [(&'static str, Entity); 7] = [
        ("Quote", Entity::Quote),
        ("Order", Entity::Order),
        ("Position", Entity::Position),
        ("AccountBalance", Entity::AccountBalance),
        ("UserBalance", Entity::UserBalance),
        ("Watchlist", Entity::Watchlist),
        ("WatchlistContent", Entity::WatchlistContent),
    ];

    pub fn from_name(name: &str) -> Option<Entity> {
        // The broker's own spelling first: it names every message the streamers send.
        if let Some((_, e)) = Self::NAMES.iter().find(|(n, _)| *n == name) {
            return Some(*e);
        }
        let name = name.trim();
        Self::NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, e)| *e)
    }

    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, e)| *e == self)
            .map_or("", |(n, _)| n)
    }

    /// The streamer that carries it.
    pub fn streamer(self) -> StreamKind {
        if self == Entity::Quote {
            StreamKind::Quotes
        } else {
            StreamKind::Data
        }
    }
}

/// Where a stream stands, as its state events say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Connected = 0,
    Reconnecting = 1,
    Reconnected = 2,
    /// Events between `gap_from_ms` and `gap_to_ms` may be lost: read the state again over REST.
    Gap = 3,
    Closed = 4,
    /// The stream cannot go on (e.g. its login is refused and no re-login is possible).
    Failed = 5,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StateEvent {
    pub state: State,
    pub reason: String,
    pub gap_from_ms: i64,
    pub gap_to_ms: i64,
}

/// Bytes a data event's buffer has room for beyond its message: what a reader appends without
/// growing it (the C layer: a terminator and the quote's symbol).
pub const ROOM: usize = 32;

/// One event of a stream.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A data message, as the streamer sent it (a flat JSON object, every value a string).
    Data {
        entity: Entity,
        /// For quotes: the security, for conflation.
        quote_key: Option<QuoteKey>,
        /// With room for `ROOM` more bytes (a reader's terminator and a short name).
        json: String,
        /// `json`'s buffer is the I/O thread's, lent: hand the event back with
        /// `Stream::give_back` once read rather than dropping it. Otherwise (a caller read the
        /// message itself) the buffer is the reader's to keep.
        pooled: bool,
    },
    State(StateEvent),
}

/// The security a quote is for: where its `Key` lies in the message (a plain id, as the
/// streamers send), or the key itself when the streamer escaped it. A span costs no allocation,
/// and the I/O thread reads a million messages a second.
#[derive(Debug, Clone, PartialEq)]
pub enum QuoteKey {
    At(std::ops::Range<usize>),
    Own(String),
}

impl Event {
    /// The security of a quote (`None` for any other event).
    pub fn quote_key(&self) -> Option<&str> {
        match self {
            Event::Data {
                quote_key: Some(QuoteKey::At(span)),
                json,
                ..
            } => json.get(span.clone()),
            Event::Data {
                quote_key: Some(QuoteKey::Own(key)),
                ..
            } => Some(key),
            _ => None,
        }
    }
}

/// How long silence is tolerated and how reconnects back off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// After this long without any traffic a WebSocket ping is sent; after as long again
    /// without an answer the connection is replaced.
    pub stale_after: Duration,
    pub reconnect_min: Duration,
    pub reconnect_max: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            stale_after: Duration::from_secs(30),
            reconnect_min: Duration::from_millis(250),
            reconnect_max: Duration::from_secs(30),
        }
    }
}

impl Timing {
    pub fn new(
        stale_after_ms: u32,
        reconnect_min_ms: u32,
        reconnect_max_ms: u32,
    ) -> Result<Timing> {
        if stale_after_ms < 100 || reconnect_min_ms < 10 || reconnect_min_ms > reconnect_max_ms {
            return Err(Error::invalid_argument(format!(
                "stream timing {stale_after_ms}/{reconnect_min_ms}/{reconnect_max_ms} ms: need \
                 stale_after >= 100 ms and 10 ms <= reconnect_min <= reconnect_max"
            )));
        }
        Ok(Timing {
            stale_after: Duration::from_millis(stale_after_ms.into()),
            reconnect_min: Duration::from_millis(reconnect_min_ms.into()),
            reconnect_max: Duration::from_millis(reconnect_max_ms.into()),
        })
    }
}

/// A stream's counters (`queue::Counters`) and its life so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub counters: Counters,
    pub reconnects: u64,
    pub gaps: u64,
    /// Milliseconds since the last message from the streamer (any kind); -1 before the first.
    pub last_message_age_ms: i64,
}

/// What the stream asks of the session it was opened from: where the streamer is and who the
/// stream is (fresh each time: a reconnect may need a new token), and the network settings.
pub trait Source: Send + Sync + 'static {
    fn connect_info(&self, kind: StreamKind, login_form: bool) -> Result<(String, Credentials)>;
    fn network(&self) -> Result<Network>;
    fn connect_timeout(&self) -> Duration;
    /// Logs a line (never a secret).
    fn log(&self, line: &str);
}

/// The subscriptions a stream replays on every reconnect: keys by entity type.
pub(crate) type Subscriptions = BTreeMap<&'static str, std::collections::BTreeSet<String>>;

/// State shared by the caller's handle and the I/O thread.
pub(crate) struct Shared {
    kind: StreamKind,
    login_form: bool,
    queue: queue::Queue,
    subscriptions: Mutex<Subscriptions>,
    /// Commands for the I/O thread to send (subscribe, unsubscribe).
    outbox: Mutex<Vec<Command>>,
    /// Set after the outbox or the timing changes: the I/O thread looks at them only then.
    attention: AtomicBool,
    timing: Mutex<Timing>,
    closed: AtomicBool,
    /// The live connection's socket, to shut it down from `close`.
    socket: Mutex<Option<std::net::TcpStream>>,
    life: Mutex<Life>,
    /// Why the stream ended, when it failed.
    failure: Mutex<Option<Error>>,
}

impl Shared {
    /// Has the connection's reader look at the outbox and timing before its next read, and
    /// wakes it if it is waiting.
    fn look(&self) {
        self.attention.store(true, Ordering::Release);
        self.queue.wake_io();
    }
}

#[derive(Default)]
struct Life {
    reconnects: u64,
    gaps: u64,
    last_message: Option<std::time::Instant>,
}

/// A subscribe or unsubscribe for the I/O thread to send with the connection's session id.
pub(crate) struct Command {
    cmd: &'static str,
    entity: &'static str,
    keys: String,
}

/// A live stream. Dropping it closes it and joins its thread.
pub struct Stream {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Stream {
    /// Connects to the streamer of `kind`, creates the streamer session (the session form,
    /// `User=<UserId>:<StreamerSessionId>`, unless `login_form`), and starts the I/O thread. The
    /// first event is a `Connected` state.
    pub fn open(source: Arc<dyn Source>, kind: StreamKind, login_form: bool) -> Result<Stream> {
        let shared = Arc::new(Shared {
            kind,
            login_form,
            // Without a descriptor pair, a command waits for the reader's next turn instead.
            queue: queue::Queue::new(wake::Waker::new().ok().map(Arc::new)),
            subscriptions: Mutex::new(Subscriptions::new()),
            outbox: Mutex::new(Vec::new()),
            attention: AtomicBool::new(false),
            timing: Mutex::new(Timing::default()),
            closed: AtomicBool::new(false),
            socket: Mutex::new(None),
            life: Mutex::new(Life::default()),
            failure: Mutex::new(None),
        });
        let connection = worker::establish(&*source, &shared)?;
        shared.queue.push_state(Event::State(StateEvent {
            state: State::Connected,
            reason: String::new(),
            gap_from_ms: 0,
            gap_to_ms: 0,
        }));
        let thread = {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name("etna-stream".into())
                .spawn(move || worker::guarded(source, shared, connection))
                .map_err(|e| {
                    Error::new(
                        ErrorKind::Network,
                        format!("cannot start the stream thread: {e}"),
                    )
                })?
        };
        Ok(Stream {
            shared,
            thread: Some(thread),
        })
    }

    pub fn kind(&self) -> StreamKind {
        self.shared.kind
    }

    /// Subscribes to `entity_type` (`Quote`, `Order`, ...) for `keys` joined by `;`.
    pub fn subscribe(&self, entity_type: &str, keys: &str) -> Result<()> {
        self.change(entity_type, keys, true)
    }

    pub fn unsubscribe(&self, entity_type: &str, keys: &str) -> Result<()> {
        self.change(entity_type, keys, false)
    }

    fn change(&self, entity_type: &str, keys: &str, add: bool) -> Result<()> {
        let entity = Entity::from_name(entity_type).ok_or_else(|| {
            Error::invalid_argument(format!(
                "entity type '{entity_type}' is not one of Quote, Order, Position, \
                 AccountBalance, UserBalance, Watchlist, WatchlistContent"
            ))
        })?;
        if entity.streamer() != self.shared.kind {
            return Err(Error::invalid_argument(format!(
                "{} events come from the {} streamer, not this one",
                entity.name(),
                if entity == Entity::Quote {
                    "quote"
                } else {
                    "data"
                }
            )));
        }
        let keys = split_keys(keys)?;
        if self.shared.closed.load(Ordering::Acquire) {
            return Err(Error::new(ErrorKind::InvalidState, "the stream is closed"));
        }
        {
            let mut subs = lock(&self.shared.subscriptions);
            let set = subs.entry(entity.name()).or_default();
            for k in &keys {
                if add {
                    set.insert(k.clone());
                } else {
                    set.remove(k);
                }
            }
        }
        let cmd = if add {
            "Subscribe.txt"
        } else {
            "Unsubscribe.txt"
        };
        lock(&self.shared.outbox).push(Command {
            cmd,
            entity: entity.name(),
            keys: keys.join(";"),
        });
        self.shared.look();
        Ok(())
    }

    /// The next event, waiting up to `wait` (`None`: until one comes or the stream ends).
    /// `Timeout` when none came in time; once the stream is closed and drained, `Cancelled`
    /// (or, when it failed, the failure).
    pub fn next(&self, wait: Option<Duration>) -> Result<Event> {
        let mut until = Until { wait, at: None };
        loop {
            let taken = match self.shared.queue.take_free() {
                Some(live) => Taken::Reader(live),
                None => self.shared.queue.take(until.at()),
            };
            match taken {
                Taken::Event(event) => return Ok(event),
                Taken::TimedOut => return Err(timed_out()),
                Taken::Finished => {
                    return Err(lock(&self.shared.failure).clone().unwrap_or_else(|| {
                        Error::new(ErrorKind::Cancelled, "the stream is closed")
                    }));
                }
                Taken::Reader(live) => {
                    if let Some(read) = self.read_itself(live, &mut until) {
                        return read;
                    }
                }
            }
        }
    }

    /// Reads the lent connection on the caller's thread until an event, the caller's time
    /// limit, or the connection's end (`None`: the I/O thread reconnects and queues what
    /// follows).
    fn read_itself(&self, live: Box<worker::Live>, until: &mut Until) -> Option<Result<Event>> {
        let mut lent = Lent {
            queue: &self.shared.queue,
            live: Some(live),
        };
        loop {
            let live = lent.live.as_mut()?;
            let step = live.step(&self.shared, until.limit(), false);
            until.at = until.at.or_else(|| live.fixed_limit());
            match step {
                Step::Event(event) => {
                    let now = live.last_read();
                    lent.give_back(true, now);
                    return Some(Ok(event));
                }
                Step::Nothing => {
                    let now = Instant::now();
                    if until.at().is_some_and(|at| now >= at) {
                        lent.give_back(false, now);
                        return Some(Err(timed_out()));
                    }
                }
                Step::End(end) => {
                    self.shared.queue.reader_ended(lent.live.take(), end);
                    return None;
                }
            }
        }
    }

    /// Hands back an event taken with `next` once it has been read, so its buffer serves
    /// again (optional: an event dropped instead is simply freed).
    pub fn give_back(&self, event: Event) {
        self.shared.queue.give_back(event);
    }

    pub fn stats(&self) -> Stats {
        let life = lock(&self.shared.life);
        Stats {
            counters: self.shared.queue.counters(),
            reconnects: life.reconnects,
            gaps: life.gaps,
            last_message_age_ms: life
                .last_message
                .map_or(-1, |t| t.elapsed().as_millis().min(i64::MAX as u128) as i64),
        }
    }

    pub fn set_timing(&self, timing: Timing) {
        *lock(&self.shared.timing) = timing;
        self.shared.look();
    }

    /// Closes the stream from any thread: the connection is shut, a blocked `next` wakes, and
    /// what was queued can still be taken. Closing again does nothing.
    pub fn close(&self) {
        close(&self.shared);
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        close(&self.shared);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn timed_out() -> Error {
    Error::new(ErrorKind::Timeout, "no stream event within the timeout")
}

/// A caller's time limit, read from the clock only once it matters: a caller that finds an
/// event ready (a busy stream) reads no clock for it.
struct Until {
    wait: Option<Duration>,
    /// Fixed by the first wait (`take`'s, or a read of the socket's).
    at: Option<Instant>,
}

impl Until {
    /// As the socket reader keeps it: a wait not yet fixed is fixed by the next read.
    fn limit(&self) -> Limit {
        match (self.wait, self.at) {
            (None, _) => Limit::None,
            (Some(_), Some(at)) => Limit::At(at),
            (Some(wait), None) => Limit::Within(wait),
        }
    }

    fn at(&mut self) -> Option<Instant> {
        if let (Some(wait), None) = (self.wait, self.at) {
            self.at = Some(Instant::now() + wait);
        }
        self.at
    }
}

/// The connection while a caller's thread reads it. Were that thread to stop with it (a panic
/// unwinding to the C boundary), the I/O thread is told the connection is lost and replaces it.
struct Lent<'a> {
    queue: &'a queue::Queue,
    live: Option<Box<worker::Live>>,
}

impl Lent<'_> {
    fn give_back(&mut self, event: bool, now: Instant) {
        if let Some(live) = self.live.take() {
            self.queue.return_reader(live, event, now);
        }
    }
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(live) = self.live.take() {
            let why = "the thread reading the stream stopped".to_owned();
            self.queue.reader_ended(Some(live), worker::End::Lost(why));
        }
    }
}

fn close(shared: &Shared) {
    if shared.closed.swap(true, Ordering::AcqRel) {
        return;
    }
    if let Some(socket) = lock(&shared.socket).as_ref() {
        socket::shut(socket);
    }
    shared.queue.wake_io();
    shared.queue.finish_with(Event::State(StateEvent {
        state: State::Closed,
        reason: "closed by the application".into(),
        gap_from_ms: 0,
        gap_to_ms: 0,
    }));
}

/// Keys joined by `;`: each non-empty, printable, without spaces.
fn split_keys(keys: &str) -> Result<Vec<String>> {
    let list: Vec<String> = keys
        .split(';')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect();
    if list.is_empty() {
        return Err(Error::invalid_argument("no keys to subscribe to"));
    }
    if let Some(bad) = list
        .iter()
        .find(|k| k.len() > 64 || !k.chars().all(|c| c.is_ascii_graphic()))
    {
        return Err(Error::invalid_argument(format!(
            "key '{}' is not an id (printable, at most 64 characters)",
            bad.chars().take(64).collect::<String>()
        )));
    }
    Ok(list)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_entities() {
        assert_eq!(split_keys(" 5; 7 ;;9").unwrap(), ["5", "7", "9"]);
        assert!(split_keys(" ; ").is_err() && split_keys("a b").is_err());
        assert_eq!(
            Entity::from_name("accountbalance"),
            Some(Entity::AccountBalance)
        );
        assert_eq!(Entity::Quote.streamer(), StreamKind::Quotes);
        assert_eq!(Entity::WatchlistContent.name(), "WatchlistContent");
        assert!(Timing::new(50, 10, 20).is_err() && Timing::new(1000, 100, 50).is_err());
    }
}
