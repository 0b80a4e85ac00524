//! The stream's I/O thread: it reads the streamer, answers its pings, sends the caller's
//! subscribe commands, watches for silence, and replaces a dead or dropped connection, replaying
//! the subscriptions and announcing the gap. It never runs caller code.

use super::protocol::{self, Incoming};
use super::queue::Pushed;
use super::socket::{self, Endpoint, Limit};
use super::{
    Command, Entity, Event, QuoteKey, Shared, Source, State, StateEvent, StreamKind, lock,
};
use crate::client::error::{Error, ErrorKind, Result};
use crate::client::models::listing;
use std::borrow::Cow;
use std::io;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tungstenite::{Message, WebSocket};

type Socket = WebSocket<Box<dyn socket::ReadWrite>>;

/// A connection with its streamer session.
pub struct Connection {
    ws: Socket,
    tcp: std::net::TcpStream,
    session_id: String,
    deadline: socket::Deadline,
}

/// How long a read may wait before its thread looks at the clocks (silence, a caller waiting
/// for the connection): the idle thread's only wake-up. A subscribe ends the wait at once
/// (`wake`).
pub const POLL: Duration = Duration::from_millis(50);

/// How long a caller's own read of the connection (the connection lent to a thread waiting in
/// `next`) blocks before that thread looks at the outbox again: the longest another thread's
/// subscribe waits while one waits in `next` on a quiet stream. Such a read is a plain blocking
/// read: a poll that a subscribe could end would stand ahead of every read of a busy stream.
pub const CALLER_READ: Duration = Duration::from_millis(10);

/// What one read of the socket may take. tungstenite clears the room it reads into before every
/// read: its default (128 KiB) costs a clear of that size per read, which on a quiet stream is
/// per message, ahead of the message.
const READ_BUFFER: usize = 16 * 1024;

/// Connects, creates the streamer session and replays the subscriptions.
pub fn establish(source: &dyn Source, shared: &Shared) -> Result<Connection> {
    let (url, credentials) = source.connect_info(shared.kind, shared.login_form)?;
    let endpoint = Endpoint::parse(&url)?;
    let network = source.network()?;
    let shown = protocol::redacted(&url);
    let link = socket::connect(
        &endpoint,
        &network,
        source.connect_timeout(),
        shared.queue.io_waker(),
    )?;
    let address = protocol::create_session_url(&url, &credentials);
    let config = tungstenite::protocol::WebSocketConfig::default().read_buffer_size(READ_BUFFER);
    let (mut ws, _) =
        tungstenite::client::client_with_config(address.expose(), link.io, Some(config)).map_err(
            |e| match e {
                // tungstenite's errors may quote the request: never the address with its secrets.
                tungstenite::HandshakeError::Failure(e) => handshake_error(&e, &shown),
                tungstenite::HandshakeError::Interrupted(_) => Error::new(
                    ErrorKind::Timeout,
                    format!("timed out in the WebSocket handshake with {shown}"),
                ),
            },
        )?;
    let session_id = loop {
        match ws.read() {
            Ok(Message::Text(text)) => match protocol::classify(&text)? {
                Incoming::Session(Some(id)) => break id,
                Incoming::Session(None) => {
                    return Err(Error::new(
                        ErrorKind::NotAuthenticated,
                        format!("{shown}: the streamer refused the session (StatusCode Error)"),
                    ));
                }
                _ => {}
            },
            Ok(Message::Close(_)) => {
                return Err(Error::new(
                    ErrorKind::Network,
                    format!("{shown}: the streamer closed the connection before a session"),
                ));
            }
            Ok(_) => {}
            Err(e) => return Err(ws_error(e, "waiting for the streamer session")),
        }
    };
    *lock(&shared.socket) = link.tcp.try_clone().ok();
    if shared.closed.load(Ordering::Acquire) {
        socket::shut(&link.tcp);
    }
    let mut connection = Connection {
        ws,
        tcp: link.tcp,
        session_id,
        deadline: link.deadline,
    };
    // Everything subscribed so far, one command per entity type; the outbox is now moot.
    lock(&shared.outbox).clear();
    let subscriptions = lock(&shared.subscriptions).clone();
    for (entity, keys) in subscriptions.iter().filter(|(_, k)| !k.is_empty()) {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let cmd = protocol::command(
            "Subscribe.txt",
            &connection.session_id,
            entity,
            &keys.join(";"),
        );
        send(&mut connection.ws, cmd)?;
    }
    source.log(&format!("stream connected to {shown}"));
    Ok(connection)
}

/// Why a connection ended.
pub enum End {
    Closed,
    /// Dropped, dead, or refused: reconnect.
    Lost(String),
    /// The queue is full: reconnect once the caller has caught up.
    Full,
}

/// The I/O thread's body. A panic in it (a bug in libetna) would end the thread in silence and
/// leave the caller waiting on a stream that no longer reads: it fails the stream instead, as a
/// refused session does (a `failed` event, then the error from `next`), and prints nothing.
pub fn guarded(source: Arc<dyn Source>, shared: Arc<Shared>, first: Connection) {
    let watched = shared.clone();
    if let Err(why) = crate::client::panic::catch(move || run(source, shared, first)) {
        if let Some(tcp) = lock(&watched.socket).take() {
            socket::shut(&tcp);
        }
        fail(
            &watched,
            Error::new(
                ErrorKind::Internal,
                format!("the stream stopped on an internal error in libetna: {why}"),
            ),
        );
    }
}

fn run(source: Arc<dyn Source>, shared: Arc<Shared>, first: Connection) {
    let mut connection = Some(Box::new(Live::new(first, &shared)));
    let mut lost_at_ms = 0;
    let mut attempt: u32 = 0;
    loop {
        if let Some(live) = connection.take() {
            let (live, end) = serve(&shared, live);
            match live {
                Some(live) => socket::shut(&live.c.tcp),
                // Lost with a caller's thread that stopped while reading it.
                None => lock(&shared.socket).iter().for_each(socket::shut),
            }
            *lock(&shared.socket) = None;
            lost_at_ms = now_ms();
            match end {
                End::Closed => return,
                End::Lost(reason) => {
                    source.log(&format!("stream connection lost: {reason}"));
                    announce(&shared, State::Reconnecting, reason)
                }
                End::Full => {
                    announce(
                        &shared,
                        State::Reconnecting,
                        "the application fell behind: the connection was dropped so that no \
                         event is lost in memory"
                            .into(),
                    );
                    wait_for_room(&shared);
                }
            }
        }
        if shared.closed.load(Ordering::Acquire) {
            return;
        }
        pause(&shared, backoff(&shared, attempt));
        if shared.closed.load(Ordering::Acquire) {
            return;
        }
        match establish(&*source, &shared) {
            Ok(c) => {
                attempt = 0;
                lock(&shared.life).reconnects += 1;
                announce(&shared, State::Reconnected, String::new());
                if shared.kind == StreamKind::Data {
                    lock(&shared.life).gaps += 1;
                    shared.queue.push_state(Event::State(StateEvent {
                        state: State::Gap,
                        reason: "the broker replays nothing: events in between may be lost; \
                                 read orders, positions and balances again"
                            .into(),
                        gap_from_ms: lost_at_ms,
                        gap_to_ms: now_ms(),
                    }));
                }
                connection = Some(Box::new(Live::new(c, &shared)));
            }
            Err(e) if e.kind() == ErrorKind::NotAuthenticated && e.http().is_some() => {
                // The session itself is refused (a 401 the session could not cure by logging
                // in again): a person must log in.
                fail(&shared, e);
                return;
            }
            Err(e) => {
                attempt = attempt.saturating_add(1);
                source.log(&format!("stream reconnect failed: {}", e.message()));
                announce(&shared, State::Reconnecting, e.message().to_owned());
            }
        }
    }
}

/// Reads until the connection ends, queueing what comes; while a caller's thread waits for an
/// event, the connection is lent to it (it then reads for itself, without a hand-over between
/// threads) until that caller stays away for `queue::lending::AWAY` or finds the connection ended.
fn serve(shared: &Shared, mut live: Box<Live>) -> (Option<Box<Live>>, End) {
    loop {
        match live.step(shared, Limit::UntilWoken, true) {
            Step::Event(event) => {
                if shared.queue.push(event) == Pushed::Full {
                    return (Some(live), End::Full);
                }
            }
            Step::Nothing => {}
            Step::End(end) => return (Some(live), end),
        }
        if shared.queue.caller_waiting() {
            live = match shared.queue.lend(live) {
                Err(back) => back,
                Ok(()) => match shared.queue.reclaim() {
                    (Some(back), None) => back,
                    (back, end) => return (back, end.unwrap_or(End::Closed)),
                },
            };
        }
    }
}

/// A connection being read, with what its reader keeps between reads. Whichever thread reads
/// it (the I/O thread, or a caller's thread waiting for an event) does so through `step`.
pub struct Live {
    c: Connection,
    last_traffic: Instant,
    ping_sent: Option<Instant>,
    /// Re-armed only when it changes: a system call per message would cost as much as the read.
    write_timeout: Option<Duration>,
    stale_after: Duration,
    /// What `stats` last saw of `last_traffic`: kept to the millisecond it reports, not per
    /// message (a lock per message is a cache line crossing cores a million times a second).
    last_told: Option<Instant>,
    /// The outbox and timing are looked at on the first read and whenever the caller flags them.
    attention: bool,
}

/// What one read of the connection gave.
pub enum Step {
    Event(Event),
    /// Nothing for the caller: a control message, a ping answered, or no frame in time.
    Nothing,
    End(End),
}

impl Live {
    fn new(c: Connection, shared: &Shared) -> Live {
        let _ = c.tcp.set_read_timeout(Some(CALLER_READ));
        Live {
            c,
            last_traffic: Instant::now(),
            ping_sent: None,
            write_timeout: None,
            stale_after: lock(&shared.timing).stale_after,
            last_told: None,
            attention: true,
        }
    }

    /// Reads one frame, waiting until `limit` at most (and no longer than `POLL` on the I/O
    /// thread, `CALLER_READ` on a caller's); sends what the outbox holds first, and watches for
    /// silence. `pooled`: the message goes into a buffer of the queue's pool (the I/O thread
    /// reads).
    pub fn step(&mut self, shared: &Shared, limit: Limit, pooled: bool) -> Step {
        if shared.closed.load(Ordering::Acquire) {
            let _ = self.c.ws.close(None);
            return Step::End(End::Closed);
        }
        if self.attention || shared.attention.load(Ordering::Acquire) {
            self.attention = false;
            shared.attention.store(false, Ordering::Release);
            self.stale_after = lock(&shared.timing).stale_after;
            if self.write_timeout != Some(self.stale_after) {
                let _ = self.c.tcp.set_write_timeout(Some(self.stale_after));
                self.write_timeout = Some(self.stale_after);
            }
            let outbox = std::mem::take(&mut *lock(&shared.outbox));
            for Command { cmd, entity, keys } in outbox {
                let text = protocol::command(cmd, &self.c.session_id, entity, &keys);
                if let Err(e) = send(&mut self.c.ws, text) {
                    return Step::End(End::Lost(e.message().to_owned()));
                }
            }
        }
        self.c.deadline.set(limit);
        match self.c.ws.read() {
            Ok(message) => {
                self.last_traffic = self.c.deadline.last_data().unwrap_or(self.last_traffic);
                self.ping_sent = None;
                if self
                    .last_told
                    .is_none_or(|t| self.last_traffic - t >= Duration::from_millis(1))
                {
                    lock(&shared.life).last_message = Some(self.last_traffic);
                    self.last_told = Some(self.last_traffic);
                }
                match message {
                    Message::Text(text) => {
                        match event_of(shared, &mut self.c, text.as_str(), pooled) {
                            Ok(Some(event)) => Step::Event(event),
                            Ok(None) => Step::Nothing,
                            Err(e) => Step::End(End::Lost(e.message().to_owned())),
                        }
                    }
                    Message::Close(frame) => {
                        let why = frame.map_or_else(String::new, |f| {
                            format!(" ({} {})", u16::from(f.code), f.reason)
                        });
                        Step::End(End::Lost(format!(
                            "the streamer closed the connection{why}"
                        )))
                    }
                    // Pongs reset the silence clock above; pings are answered by tungstenite.
                    _ => Step::Nothing,
                }
            }
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                self.quiet()
            }
            Err(e) => {
                if shared.closed.load(Ordering::Acquire) {
                    return Step::End(End::Closed);
                }
                let e = ws_error(e, "reading the streamer");
                Step::End(End::Lost(e.message().to_owned()))
            }
        }
    }

    /// When the last frame was read.
    pub fn last_read(&self) -> Instant {
        self.last_traffic
    }

    /// The limit of the last `step` as an instant, once a read of the socket fixed it.
    pub fn fixed_limit(&self) -> Option<Instant> {
        self.c.deadline.fixed()
    }

    /// Nothing came in time: after `stale_after` of silence a ping, and after as long again
    /// without an answer the connection is dead.
    fn quiet(&mut self) -> Step {
        let silent = self.last_traffic.elapsed();
        match self.ping_sent {
            Some(at) if at.elapsed() >= self.stale_after => Step::End(End::Lost(format!(
                "no answer to a ping for {} ms: the connection is dead",
                at.elapsed().as_millis()
            ))),
            None if silent >= self.stale_after => {
                if let Err(e) = self.c.ws.send(Message::Ping(Vec::new().into())) {
                    let e = ws_error(e, "sending a ping");
                    return Step::End(End::Lost(e.message().to_owned()));
                }
                self.ping_sent = Some(Instant::now());
                Step::Nothing
            }
            _ => {
                // A pong or close queued by tungstenite goes out on the next write.
                let _ = self.c.ws.flush();
                Step::Nothing
            }
        }
    }
}

/// What one text frame is for the caller: a data event, or nothing (a server ping is answered).
/// The I/O thread (`pooled`) copies the message into a buffer of the queue's pool, which the
/// caller hands back: a buffer allocated on one thread and freed on another would make both
/// threads' allocators take a lock. A caller reading for itself gets a buffer of its own.
fn event_of(
    shared: &Shared,
    c: &mut Connection,
    text: &str,
    pooled: bool,
) -> Result<Option<Event>> {
    match protocol::classify(text)? {
        Incoming::Data { entity_type, key } => {
            let Some(entity) = Entity::from_name(&entity_type) else {
                return Ok(None); // an entity this library does not know: skipped
            };
            // Only a queued quote needs its security (for conflation).
            let quote_key = (pooled && entity == Entity::Quote).then(|| match key {
                Cow::Borrowed(key) => QuoteKey::At(listing::span_of(text, key)),
                Cow::Owned(key) => QuoteKey::Own(key),
            });
            let mut json = if pooled {
                shared.queue.buffer()
            } else {
                String::with_capacity(text.len() + super::ROOM)
            };
            json.push_str(text);
            Ok(Some(Event::Data {
                entity,
                quote_key,
                json,
                pooled,
            }))
        }
        Incoming::Ping => {
            send(&mut c.ws, protocol::PONG.to_owned())?;
            Ok(None)
        }
        Incoming::Session(_) | Incoming::Control => Ok(None),
    }
}

fn send(ws: &mut Socket, text: String) -> Result<()> {
    ws.send(Message::Text(text.into()))
        .map_err(|e| ws_error(e, "writing to the streamer"))
}

fn announce(shared: &Shared, state: State, reason: String) {
    shared.queue.push_state(Event::State(StateEvent {
        state,
        reason,
        gap_from_ms: 0,
        gap_to_ms: 0,
    }));
}

fn fail(shared: &Shared, error: Error) {
    let reason = error.message().to_owned();
    *lock(&shared.failure) = Some(error);
    shared.closed.store(true, Ordering::Release);
    shared.queue.finish_with(Event::State(StateEvent {
        state: State::Failed,
        reason,
        gap_from_ms: 0,
        gap_to_ms: 0,
    }));
}

/// Waits (interruptibly by close) until the caller has taken half of the queue.
fn wait_for_room(shared: &Shared) {
    while shared.queue.len() > super::queue::CAP / 2 && !shared.closed.load(Ordering::Acquire) {
        std::thread::sleep(POLL);
    }
}

/// Exponential backoff with full jitter between `reconnect_min` and `reconnect_max`.
fn backoff(shared: &Shared, attempt: u32) -> Duration {
    let timing = *lock(&shared.timing);
    let ceiling = timing
        .reconnect_min
        .saturating_mul(1 << attempt.min(16))
        .min(timing.reconnect_max);
    let span = ceiling.saturating_sub(timing.reconnect_min);
    timing.reconnect_min + span.mul_f64(jitter())
}

/// Sleeps up to `d`, returning early when the stream is closed.
fn pause(shared: &Shared, d: Duration) {
    let until = Instant::now() + d;
    while Instant::now() < until && !shared.closed.load(Ordering::Acquire) {
        std::thread::sleep(POLL.min(until.saturating_duration_since(Instant::now())));
    }
}

fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A WebSocket failure in the library's terms (never quoting the connect address).
fn ws_error(e: tungstenite::Error, what: &str) -> Error {
    match e {
        tungstenite::Error::Io(e) => socket::io_error(e, what),
        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => Error::new(
            ErrorKind::Network,
            format!("network error {what}: the connection closed"),
        ),
        other => Error::new(
            ErrorKind::Protocol,
            format!("WebSocket protocol error {what}: {}", describe(&other)),
        ),
    }
}

fn handshake_error(e: &tungstenite::Error, shown: &str) -> Error {
    match e {
        tungstenite::Error::Http(response) => Error::new(
            ErrorKind::Protocol,
            format!(
                "{shown}: the streamer refused the WebSocket upgrade (HTTP {})",
                response.status().as_u16()
            ),
        ),
        tungstenite::Error::Io(io) => socket::io_error(
            io::Error::new(io.kind(), io.to_string()),
            &format!("connecting to {shown}"),
        ),
        other => Error::new(
            ErrorKind::Protocol,
            format!("{shown}: WebSocket handshake failed: {}", describe(other)),
        ),
    }
}

/// tungstenite's own words for protocol errors, which never hold the request.
fn describe(e: &tungstenite::Error) -> String {
    match e {
        tungstenite::Error::Url(_) => "bad streamer address".into(),
        tungstenite::Error::Http(r) => format!("HTTP {}", r.status().as_u16()),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Credentials, Stream, Timing};
    use super::*;
    use crate::client::secret::Secret;
    use std::net::TcpListener;
    use std::sync::atomic::AtomicU32;

    /// A session that gives the streamer's address once and panics when asked again (on the
    /// reconnect): a stand-in for a bug on the I/O thread.
    struct BreaksOnReconnect {
        url: String,
        asked: AtomicU32,
    }

    impl Source for BreaksOnReconnect {
        fn connect_info(&self, _: StreamKind, _: bool) -> Result<(String, Credentials)> {
            if self.asked.fetch_add(1, Ordering::SeqCst) > 0 {
                panic!("the session broke");
            }
            let login = Credentials::Login {
                login: "trader".into(),
                password: Secret::new("secret"),
            };
            Ok((self.url.clone(), login))
        }
        fn network(&self) -> Result<socket::Network> {
            Ok(socket::Network {
                tls: crate::client::tls::client_config(&[])?,
                proxy: None,
            })
        }
        fn connect_timeout(&self) -> Duration {
            Duration::from_secs(5)
        }
        fn log(&self, _: &str) {}
    }

    /// A streamer that opens one session and then drops the connection.
    fn one_session_streamer() -> (String, std::thread::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("ws://{}", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (tcp, _) = listener.accept().unwrap();
            let mut ws = tungstenite::accept(tcp).unwrap();
            let session = r#"{"Cmd":"CreateSession.txt","StatusCode":"Ok","SessionId":"s1"}"#;
            ws.send(Message::text(session)).unwrap();
        });
        (url, server)
    }

    fn state(event: Event) -> StateEvent {
        match event {
            Event::State(s) => s,
            other => panic!("not a state event: {other:?}"),
        }
    }

    #[test]
    fn a_panic_on_the_io_thread_fails_the_stream_instead_of_silencing_it() {
        let (url, server) = one_session_streamer();
        let source = Arc::new(BreaksOnReconnect {
            url,
            asked: AtomicU32::new(0),
        });
        let stream = Stream::open(source.clone(), StreamKind::Quotes, true).unwrap();
        stream.set_timing(Timing::new(1000, 10, 20).unwrap());
        server.join().unwrap();
        let wait = Some(Duration::from_secs(10));
        assert_eq!(state(stream.next(wait).unwrap()).state, State::Connected);
        assert_eq!(state(stream.next(wait).unwrap()).state, State::Reconnecting);
        let failed = state(stream.next(wait).unwrap());
        assert_eq!(failed.state, State::Failed);
        assert_eq!(
            failed.reason,
            "the stream stopped on an internal error in libetna: the session broke"
        );
        let after = stream.next(wait).unwrap_err();
        assert_eq!(after.kind(), ErrorKind::Internal);
        assert_eq!(after.message(), failed.reason);
        assert_eq!(source.asked.load(Ordering::SeqCst), 2);
        drop(stream); // joins the I/O thread, which has ended
    }
}
