//! One streamer connection after `CreateSession.txt`: its commands, its subscriptions, what it
//! sends, and the stream faults it takes.
//!
//! The connection's thread polls its non-blocking socket: it reads every command that
//! arrived, sends what is due (a Ping, data events, quotes), then waits a few milliseconds (or,
//! on the data streamer, until an event arrives).
//!
//! - Commands: `Subscribe.txt` and `Unsubscribe.txt` with the connection's `SessionId`, an
//!   `EntityType` this streamer serves and `;`-joined keys the user may see, answered
//!   `{"Cmd":"Subscribe.txt","StatusCode":"Ok"}` (or `Unsubscribe.txt`), or `"Error"` with
//!   nothing changed. `Pong` (the answer to a Ping) and anything that is not a JSON object are
//!   ignored; any other `Cmd` is answered `Error`. Every text frame is recorded.
//! - Quotes (of equities, and of options by their option id), by default: each subscribed security is looked at every [`PACE`] and sent when
//!   its bid, ask or last moved, or a second after it was last sent anyway; a new subscription
//!   gets its quote at once. With `SimConfig::quote_rate` N > 0 instead, the firehose: N quotes a
//!   second in total, round the subscribed securities, sent in batches every millisecond; a
//!   reader too slow for it loses quotes (beyond [`SOFT_BACKLOG`] waiting) rather than making the
//!   simulator buffer without end, unless a `CutSlowReader` fault cuts it.
//! - Data events (orders, positions, balances, watchlists) matching a subscription, in the
//!   order they happened.
//! - `{"Cmd":"Ping"}` every `SimConfig::stream_ping_every`.
//!
//! Stream faults are taken when the session is created and whenever rules are added: see
//! [`Armed`].

use std::collections::{BTreeSet, VecDeque};
use std::io;
use std::net::Shutdown;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::Value;
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::{Message, WebSocket};

use crate::State;
use crate::faults::rules::Kind;
use crate::market::{clock, options};
use crate::streaming::messages::{self, Entity, Event};
use crate::streaming::outgoing::{Mode, Outgoing};
use crate::streaming::quotes::Snapshot;
use crate::streaming::server;
use crate::streaming::{Streamer, quotes};

/// How often subscribed quotes are looked at (default pace).
pub const PACE: Duration = Duration::from_millis(200);
/// A quote that did not move is sent again after this long.
const REFRESH: Duration = Duration::from_secs(1);
/// The longest a connection waits before looking at its socket again.
const POLL: Duration = Duration::from_millis(5);
/// The firehose's batch interval.
const FIREHOSE_TICK: Duration = Duration::from_millis(1);
/// Unsent bytes beyond which the firehose skips quotes (no `CutSlowReader` fault armed).
pub const SOFT_BACKLOG: usize = 4 << 20;
/// Commands read in one go before sending again.
const READS_PER_TURN: usize = 256;

const PING: &str = r#"{"Cmd":"Ping"}"#;

/// Why a connection ends.
#[derive(Debug)]
enum End {
    /// The client closed it, or it broke: nothing more to send.
    Gone,
    /// `StreamClose`: a close frame, then the connection closes.
    Close,
    /// `CutSlowReader`: the connection is dropped at once.
    Cut,
}

/// The stream faults a connection took (one rule of each kind at most).
#[derive(Default)]
struct Armed {
    /// `StreamClose`: the data message count at which the connection closes.
    close_at: Option<u64>,
    /// `StreamSilent`: nothing more is sent.
    silent: bool,
    /// `CutSlowReader`: the unsent bytes beyond which the connection is cut.
    backlog: Option<usize>,
    /// `IgnorePings`: WebSocket pings are not answered.
    ignore_pings: bool,
    /// `SpacedJson`: messages are written with a space after each colon and comma.
    spaced: bool,
}

/// A subscribed security.
struct Watched {
    id: i64,
    /// Its position in the market's list; `None` for an option.
    index: Option<usize>,
    /// When its quote was last sent (default pace), and its prices then.
    last: Option<(Instant, [f64; 3])>,
    /// An option's quote and its session second (options are not on the shared board).
    cached: Option<(i64, Snapshot)>,
}

/// The firehose's progress since it started.
struct Firehose {
    start: Instant,
    sent: u64,
    /// The next security, round the subscriptions.
    turn: usize,
}

pub struct Connection<'a> {
    state: &'a State,
    streamer: Streamer,
    number: u64,
    user_id: i64,
    session_id: String,
    ws: WebSocket<Outgoing>,
    quotes: Vec<Watched>,
    data: BTreeSet<(Entity, i64)>,
    events: Option<Receiver<Arc<Event>>>,
    /// Events received while waiting, to send next.
    waiting: VecDeque<Arc<Event>>,
    armed: Armed,
    /// The fault rules' generation last looked at.
    fault_generation: Option<u64>,
    /// Data messages sent (quotes and data events).
    data_sent: u64,
    next_ping: Instant,
    next_pace: Instant,
    firehose: Firehose,
}

impl<'a> Connection<'a> {
    pub fn new(
        state: &'a State,
        streamer: Streamer,
        number: u64,
        user_id: i64,
        session_id: String,
        ws: WebSocket<Outgoing>,
    ) -> Connection<'a> {
        let now = Instant::now();
        let events = (streamer == Streamer::Data).then(|| state.streams.subscribe());
        Connection {
            state,
            streamer,
            number,
            user_id,
            session_id,
            ws,
            quotes: Vec::new(),
            data: BTreeSet::new(),
            events,
            waiting: VecDeque::new(),
            armed: Armed::default(),
            fault_generation: None,
            data_sent: 0,
            next_ping: later(now, state.config.stream_ping_every),
            next_pace: now,
            firehose: Firehose {
                start: now,
                sent: 0,
                turn: 0,
            },
        }
    }

    /// Serves the connection until it ends.
    pub fn run(mut self) {
        let end = loop {
            if self.state.streams.stopping() {
                break End::Gone;
            }
            if let Err(end) = self.turn() {
                break end;
            }
            self.wait();
        };
        match end {
            End::Gone => {
                let _ = self.ws.flush();
                let _ = self.ws.get_ref().socket().shutdown(Shutdown::Both);
            }
            End::Close => server::close(&mut self.ws, CloseCode::Away, "StreamClose"),
            End::Cut => {
                let _ = self.ws.get_ref().socket().shutdown(Shutdown::Both);
            }
        }
    }

    /// Reads, then sends what is due.
    fn turn(&mut self) -> Result<(), End> {
        self.take_faults()?;
        self.read_commands()?;
        if self.armed.silent {
            return Ok(());
        }
        let now = Instant::now();
        if now >= self.next_ping {
            self.send(PING.to_string())?;
            self.next_ping = later(now, self.state.config.stream_ping_every);
        }
        self.forward_events()?;
        if self.state.config.quote_rate > 0 {
            self.firehose(now)?;
        } else if now >= self.next_pace {
            self.next_pace = now + PACE;
            self.pace_quotes(now)?;
        }
        if self.ws.flush().is_err_and(|e| !would_block(&e)) {
            return Err(End::Gone);
        }
        if let Some(limit) = self.armed.backlog
            && self.ws.get_ref().backlog() > limit
        {
            return Err(End::Cut);
        }
        Ok(())
    }

    /// Sleeps until the next thing is due (at most [`POLL`]); on the data streamer, wakes for
    /// an event.
    fn wait(&mut self) {
        let now = Instant::now();
        let firehose = self.state.config.quote_rate > 0 && !self.quotes.is_empty();
        let mut wait = if firehose { FIREHOSE_TICK } else { POLL };
        if !self.armed.silent {
            wait = wait.min(self.next_ping.saturating_duration_since(now));
            if !self.quotes.is_empty() && !firehose {
                wait = wait.min(self.next_pace.saturating_duration_since(now));
            }
        }
        if wait.is_zero() {
            return;
        }
        match &self.events {
            Some(events) => match events.recv_timeout(wait) {
                Ok(event) => self.waiting.push_back(event),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => std::thread::sleep(wait),
            },
            None => std::thread::sleep(wait),
        }
    }

    /// Takes the stream fault rules that apply to this connection, when rules were added since
    /// it last looked (and at its start).
    fn take_faults(&mut self) -> Result<(), End> {
        let generation = self.state.faults.generation();
        if self.fault_generation == Some(generation) {
            return Ok(());
        }
        self.fault_generation = Some(generation);
        let faults = &self.state.faults;
        let path = self.streamer.path();
        if self.armed.close_at.is_none()
            && let Some(Kind::StreamClose { after }) =
                faults.take_stream(path, Kind::StreamClose { after: 0 })
        {
            self.armed.close_at = Some(self.data_sent.saturating_add(after));
        }
        if !self.armed.silent && faults.take_stream(path, Kind::StreamSilent).is_some() {
            self.armed.silent = true;
            self.ws.get_mut().set_mode(Mode::Silent);
        }
        if self.armed.backlog.is_none()
            && let Some(Kind::CutSlowReader { backlog }) =
                faults.take_stream(path, Kind::CutSlowReader { backlog: 0 })
        {
            self.armed.backlog = Some(usize::try_from(backlog).unwrap_or(usize::MAX));
        }
        if !self.armed.ignore_pings && faults.take_stream(path, Kind::IgnorePings).is_some() {
            self.armed.ignore_pings = true;
            self.ws.get_mut().set_mode(Mode::NoPongs);
        }
        if !self.armed.spaced && faults.take_stream(path, Kind::SpacedJson).is_some() {
            self.armed.spaced = true;
        }
        if self.armed.close_at.is_some_and(|n| self.data_sent >= n) {
            return Err(End::Close);
        }
        Ok(())
    }

    /// Reads and handles the frames that arrived.
    fn read_commands(&mut self) -> Result<(), End> {
        for _ in 0..READS_PER_TURN {
            match self.ws.read() {
                Ok(Message::Text(text)) => {
                    self.state
                        .streams
                        .record(self.streamer, self.number, text.as_str());
                    if !self.armed.silent {
                        self.command(text.as_str())?;
                    }
                }
                Ok(Message::Close(_)) => {
                    // tungstenite queued the answering close frame: send it, and end.
                    let _ = self.ws.flush();
                    return Err(End::Gone);
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e)) if would_block_io(&e) => return Ok(()),
                Err(_) => return Err(End::Gone),
            }
        }
        Ok(())
    }

    /// Handles one text frame.
    fn command(&mut self, text: &str) -> Result<(), End> {
        let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(text) else {
            return Ok(());
        };
        let cmd = obj.get("Cmd").and_then(Value::as_str).unwrap_or("").trim();
        let subscribe = if cmd.eq_ignore_ascii_case("Subscribe.txt") {
            true
        } else if cmd.eq_ignore_ascii_case("Unsubscribe.txt") {
            false
        } else if cmd.eq_ignore_ascii_case("Pong") {
            return Ok(());
        } else {
            return self.send(status(cmd, false));
        };
        let name = if subscribe {
            "Subscribe.txt"
        } else {
            "Unsubscribe.txt"
        };
        let Some((entity, keys)) = self.targets(&obj) else {
            return self.send(status(name, false));
        };
        if subscribe {
            self.add(entity, &keys);
        } else {
            self.remove(entity, &keys);
        }
        self.send(status(name, true))
    }

    /// The entity type and keys a command names, if it is this connection's session, an
    /// entity type of this streamer, and keys the user may see.
    fn targets(&self, obj: &serde_json::Map<String, Value>) -> Option<(Entity, Vec<i64>)> {
        let session = obj.get("SessionId").and_then(Value::as_str)?;
        if session.trim() != self.session_id {
            return None;
        }
        let entity = Entity::parse(obj.get("EntityType").and_then(Value::as_str)?)?;
        if entity.streamer() != self.streamer {
            return None;
        }
        let keys = match obj.get("Keys")? {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        let keys: Vec<i64> = keys
            .split(';')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(|k| k.parse::<i64>().ok().filter(|&k| self.may_see(entity, k)))
            .collect::<Option<_>>()?;
        (!keys.is_empty()).then_some((entity, keys))
    }

    /// Whether the user may subscribe to `(entity, key)`.
    fn may_see(&self, entity: Entity, key: i64) -> bool {
        let state = self.state;
        match entity {
            Entity::Quote => state.market.instrument(key).is_some(),
            Entity::Order | Entity::Position | Entity::AccountBalance => state
                .account(key)
                .is_some_and(|a| a.owner_id == self.user_id),
            Entity::UserBalance | Entity::Watchlist | Entity::PriceAlert => key == self.user_id,
            Entity::WatchlistContent => {
                crate::lock(&state.watchlists).owner_of(key) == Some(self.user_id)
            }
        }
    }

    fn add(&mut self, entity: Entity, keys: &[i64]) {
        if entity != Entity::Quote {
            self.data.extend(keys.iter().map(|&k| (entity, k)));
            return;
        }
        if self.quotes.is_empty() {
            self.firehose = Firehose {
                start: Instant::now(),
                sent: 0,
                turn: 0,
            };
        }
        for &id in keys {
            if self.quotes.iter().any(|w| w.id == id) {
                continue;
            }
            let index = self.state.market.all().iter().position(|s| s.id == id);
            if index.is_none() && options::from_id(&self.state.market, id).is_none() {
                continue;
            }
            self.quotes.push(Watched {
                id,
                index,
                last: None,
                cached: None,
            });
            // Its first quote goes out at once.
            self.next_pace = Instant::now();
        }
    }

    fn remove(&mut self, entity: Entity, keys: &[i64]) {
        if entity == Entity::Quote {
            self.quotes.retain(|w| !keys.contains(&w.id));
        } else {
            for &k in keys {
                self.data.remove(&(entity, k));
            }
        }
    }

    /// Sends the data events that match a subscription, in order.
    fn forward_events(&mut self) -> Result<(), End> {
        if let Some(events) = &self.events {
            self.waiting.extend(events.try_iter());
        }
        while let Some(event) = self.waiting.pop_front() {
            if self.data.contains(&(event.entity, event.key)) {
                self.send_data(event.text.clone())?;
            }
        }
        Ok(())
    }

    /// The current quote of each subscribed security.
    fn snapshots(&mut self) -> Vec<Snapshot> {
        let second = clock::quote_second(self.state.clock.now());
        let state = self.state;
        let all = state.market.all();
        self.quotes
            .iter_mut()
            .map(|w| match w.index {
                Some(i) => state.streams.board.get(&all[i], i, second),
                None => {
                    if let Some((s, snapshot)) = &w.cached
                        && *s == second
                    {
                        return snapshot.clone();
                    }
                    let snapshot = match options::from_id(&state.market, w.id) {
                        Some(c) => quotes::option_snapshot(&c, second),
                        // Not reached: only ids that decode are subscribed.
                        None => state.streams.board.get(&all[0], 0, second),
                    };
                    w.cached = Some((second, snapshot.clone()));
                    snapshot
                }
            })
            .collect()
    }

    /// The default pace: each quote that moved, or was not sent for a second.
    fn pace_quotes(&mut self, now: Instant) -> Result<(), End> {
        let snapshots = self.snapshots();
        for (i, snapshot) in snapshots.iter().enumerate() {
            let due = match self.quotes[i].last {
                None => true,
                Some((at, prices)) => prices != snapshot.prices || now - at >= REFRESH,
            };
            if due {
                self.quotes[i].last = Some((now, snapshot.prices));
                self.send_data(snapshot.message())?;
            }
        }
        Ok(())
    }

    /// The firehose: as many quotes as are due at `quote_rate` a second since it started.
    fn firehose(&mut self, now: Instant) -> Result<(), End> {
        if self.quotes.is_empty() {
            return Ok(());
        }
        let rate = u128::from(self.state.config.quote_rate);
        let elapsed = now
            .saturating_duration_since(self.firehose.start)
            .as_nanos();
        let due = u64::try_from(elapsed * rate / 1_000_000_000).unwrap_or(u64::MAX);
        // At most a tenth of a second's worth at once: after a stall, skip rather than burst.
        let most = (rate / 10).max(1) as u64;
        if due.saturating_sub(self.firehose.sent) > most {
            self.firehose.sent = due - most;
        }
        if self.armed.backlog.is_none() && self.ws.get_ref().backlog() > SOFT_BACKLOG {
            self.firehose.sent = due;
            return Ok(());
        }
        if due <= self.firehose.sent {
            return Ok(());
        }
        let snapshots = self.snapshots();
        while self.firehose.sent < due {
            let snapshot = &snapshots[self.firehose.turn % snapshots.len()];
            self.firehose.turn = self.firehose.turn.wrapping_add(1);
            self.firehose.sent += 1;
            self.send_data(snapshot.message())?;
        }
        Ok(())
    }

    /// Sends a text frame (buffered: flushed at the end of the turn).
    fn send(&mut self, text: String) -> Result<(), End> {
        let text = if self.armed.spaced {
            messages::spaced(&text)
        } else {
            text
        };
        match self.ws.write(Message::text(text)) {
            Ok(()) => Ok(()),
            Err(e) if would_block(&e) => Ok(()),
            Err(_) => Err(End::Gone),
        }
    }

    /// Sends a data message, and closes once a `StreamClose` fault's count is reached.
    fn send_data(&mut self, text: String) -> Result<(), End> {
        self.send(text)?;
        self.data_sent += 1;
        if self.armed.close_at.is_some_and(|n| self.data_sent >= n) {
            return Err(End::Close);
        }
        Ok(())
    }
}

/// `at + d`, or a year after `at` when that cannot be represented.
fn later(at: Instant, d: Duration) -> Instant {
    at.checked_add(d)
        .or_else(|| at.checked_add(Duration::from_secs(365 * 24 * 3600)))
        .unwrap_or(at)
}

/// `{"Cmd":"<cmd>","StatusCode":"Ok"}` or `"Error"`.
fn status(cmd: &str, ok: bool) -> String {
    let mut text = String::from("{\"Cmd\":");
    crate::json::write_str(cmd, &mut text);
    text.push_str(if ok {
        ",\"StatusCode\":\"Ok\"}"
    } else {
        ",\"StatusCode\":\"Error\"}"
    });
    text
}

fn would_block(e: &tungstenite::Error) -> bool {
    matches!(e, tungstenite::Error::Io(io) if would_block_io(io))
}

fn would_block_io(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}
