//! The streamers' listeners, the WebSocket upgrade and `CreateSession.txt`, and the ticker that
//! drives the order engine.
//!
//! Each streamer has an accepting thread; each connection gets a thread of its own (see
//! `streaming::connection`), at most [`MAX_CONNECTIONS`] open on both streamers together: the
//! next one is answered `503` and closed. The upgrade must ask for `/CreateSession.txt` (any
//! other path is `404`); its query carries the credentials, checked once the WebSocket is open
//! so that a refusal can be the documented `StatusCode` `Error` message.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tungstenite::protocol::frame::coding::CloseCode;
use tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tungstenite::{Message, WebSocket};

use crate::faults::rules::Kind;
use crate::http::router::percent_decode;
use crate::streaming::connection::Connection;
use crate::streaming::outgoing::Outgoing;
use crate::streaming::{Streamer, TICK, guid};
use crate::trading::broker;
use crate::users::SignIn;
use crate::{State, lock};

/// Open streamer connections allowed at once, both streamers together.
pub const MAX_CONNECTIONS: usize = 256;

/// How long the upgrade request and the first answers may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a closing connection waits for its client to take the last bytes and close.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// The running streamers: their threads, and the open sockets to close when stopping.
pub struct StreamServer {
    threads: Vec<JoinHandle<()>>,
    connections: Arc<Connections>,
}

#[derive(Default)]
struct Connections {
    next: AtomicU64,
    open: Mutex<HashMap<u64, TcpStream>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// Listens on two free ports of 127.0.0.1: the quote streamer's, then the data streamer's.
pub fn bind() -> io::Result<[TcpListener; 2]> {
    Ok([
        TcpListener::bind(("127.0.0.1", 0))?,
        TcpListener::bind(("127.0.0.1", 0))?,
    ])
}

/// Starts accepting on both listeners, and the ticker.
pub fn run(listeners: [TcpListener; 2], state: Arc<State>) -> io::Result<StreamServer> {
    let connections = Arc::new(Connections::default());
    let mut server = StreamServer {
        threads: Vec::new(),
        connections: connections.clone(),
    };
    let [quotes, data] = listeners;
    for (listener, streamer) in [(quotes, Streamer::Quotes), (data, Streamer::Data)] {
        let (shared, conns) = (state.clone(), connections.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("etna-sim-{}", streamer.name()))
            .spawn(move || accept_loop(&listener, streamer, &shared, &conns));
        match spawned {
            Ok(handle) => server.threads.push(handle),
            Err(e) => {
                server.shutdown(&state);
                return Err(e);
            }
        }
    }
    let ticker_state = state.clone();
    let spawned = std::thread::Builder::new()
        .name("etna-sim-ticker".into())
        .spawn(move || tick(&ticker_state));
    match spawned {
        Ok(handle) => server.threads.push(handle),
        Err(e) => {
            server.shutdown(&state);
            return Err(e);
        }
    }
    Ok(server)
}

impl StreamServer {
    /// Stops accepting, closes every connection and waits for every thread. Calling it again
    /// does nothing.
    pub fn shutdown(&mut self, state: &State) {
        if self.threads.is_empty() {
            return;
        }
        state.streams.stopping.store(true, Ordering::SeqCst);
        for thread in &self.threads {
            // The ticker waits parked: wake it.
            thread.thread().unpark();
        }
        for streamer in [Streamer::Quotes, Streamer::Data] {
            // Wake the blocking accept so it sees the flag.
            let _ = TcpStream::connect(("127.0.0.1", state.streams.port(streamer)));
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
        for stream in lock(&self.connections.open).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let threads = std::mem::take(&mut *lock(&self.connections.threads));
        for thread in threads {
            let _ = thread.join();
        }
    }
}

/// Brings the order engine and the price alerts up to the simulated now every [`TICK`]
/// (which publishes what happened), until the simulator stops.
fn tick(state: &State) {
    let mut next = Instant::now() + TICK;
    while !state.streams.stopping() {
        let now = Instant::now();
        if now < next {
            std::thread::park_timeout(next - now);
            continue;
        }
        next = now + TICK;
        drop(broker::at_now(state));
        crate::routes::alerts::advance(state);
    }
}

fn accept_loop(
    listener: &TcpListener,
    streamer: Streamer,
    state: &Arc<State>,
    conns: &Arc<Connections>,
) {
    for stream in listener.incoming() {
        if state.streams.stopping() {
            break;
        }
        let Ok(stream) = stream else {
            continue;
        };
        if state.streams.open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            state.streams.open.fetch_sub(1, Ordering::SeqCst);
            refuse(stream);
            continue;
        }
        conns.spawn(stream, streamer, state.clone());
    }
}

/// Answers a connection beyond the limit with 503 and closes it.
fn refuse(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let _ = stream.write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    let _ = stream.shutdown(Shutdown::Both);
}

/// Gives the connection count back when a connection's thread ends, however it ends.
struct OpenSlot<'a>(&'a State);

impl Drop for OpenSlot<'_> {
    fn drop(&mut self) {
        self.0.streams.open.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Connections {
    fn spawn(self: &Arc<Self>, stream: TcpStream, streamer: Streamer, state: Arc<State>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(handle) = stream.try_clone() {
            lock(&self.open).insert(id, handle);
        }
        let conns = self.clone();
        let shared = state.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("etna-sim-{}-conn", streamer.name()))
            .spawn(move || {
                let _slot = OpenSlot(&shared);
                serve(stream, streamer, &shared);
                lock(&conns.open).remove(&id);
            });
        let mut threads = lock(&self.threads);
        threads.retain(|t| !t.is_finished());
        match spawned {
            Ok(handle) => threads.push(handle),
            Err(_) => {
                // The thread never ran: give its slot back.
                lock(&self.open).remove(&id);
                state.streams.open.fetch_sub(1, Ordering::SeqCst);
            }
        }
    }
}

/// One connection: the upgrade, `CreateSession.txt`, then the connection's life.
fn serve(stream: TcpStream, streamer: Streamer, state: &State) {
    let Ok((query, mut ws)) = upgrade(stream) else {
        return;
    };
    let number = state.streams.accept(streamer);
    let refused = state
        .faults
        .take_stream(streamer.path(), Kind::RefuseSession)
        .is_some();
    let user_id = if refused {
        None
    } else {
        authenticate(state, streamer, &query)
    };
    let Some(user_id) = user_id else {
        let answer = r#"{"Cmd":"CreateSession.txt","StatusCode":"Error"}"#;
        if ws.send(Message::text(answer)).is_ok() {
            close(&mut ws, CloseCode::Normal, "");
        }
        return;
    };
    let session_id = guid();
    let answer =
        format!(r#"{{"Cmd":"CreateSession.txt","StatusCode":"Ok","SessionId":"{session_id}"}}"#);
    if ws.send(Message::text(answer)).is_err() {
        return;
    }
    if ws.get_ref().socket().set_nonblocking(true).is_err() {
        return;
    }
    let connection = Connection::new(state, streamer, number, user_id, session_id, ws);
    connection.run();
}

/// The WebSocket upgrade of `GET /CreateSession.txt?...`: the socket, blocking with timeouts
/// until the session is created, and the query.
fn upgrade(stream: TcpStream) -> Result<(String, WebSocket<Outgoing>), ()> {
    stream.set_nodelay(true).map_err(drop)?;
    stream
        .set_read_timeout(Some(HANDSHAKE_TIMEOUT))
        .map_err(drop)?;
    stream
        .set_write_timeout(Some(HANDSHAKE_TIMEOUT))
        .map_err(drop)?;
    let mut query = None;
    // The error type is tungstenite's (an HTTP response), whatever its size.
    #[allow(clippy::result_large_err)]
    let callback = |request: &Request, response: Response| {
        let uri = request.uri();
        if !is_create_session(uri.path()) {
            let mut refusal = ErrorResponse::new(Some(format!(
                "No streamer resource at {}: connect to /CreateSession.txt",
                uri.path()
            )));
            *refusal.status_mut() = tungstenite::http::StatusCode::NOT_FOUND;
            return Err(refusal);
        }
        query = Some(uri.query().unwrap_or("").to_string());
        Ok(response)
    };
    let config = WebSocketConfig::default()
        .max_message_size(Some(1 << 20))
        .max_frame_size(Some(1 << 20))
        .write_buffer_size(64 * 1024);
    let ws = tungstenite::accept_hdr_with_config(Outgoing::new(stream), callback, Some(config))
        .map_err(drop)?;
    Ok((query.unwrap_or_default(), ws))
}

/// `/CreateSession.txt`, ASCII case-insensitively; the Cyrillic `С` one page of the broker's
/// documentation spells it with is accepted too.
fn is_create_session(path: &str) -> bool {
    let decoded = percent_decode(path);
    let lower = decoded.to_lowercase();
    lower == "/createsession.txt" || lower == "/\u{441}reatesession.txt"
}

/// A query parameter, name compared case-insensitively, value decoded (`+` is a space).
fn param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| percent_decode(&s.replace('+', " "));
        decode(k).eq_ignore_ascii_case(name).then(|| decode(v))
    })
}

/// The user a `CreateSession.txt` query proves to be:
/// - `User=<UserId>:<StreamerSessionId>&Password=<token>`: a streamer session id issued to that
///   user for this streamer, and a live final token of the same user;
/// - `User=<login>&Password=<password>`: a demo user who can sign in (not one whose password
///   has expired or whose PIN was never set).
fn authenticate(state: &State, streamer: Streamer, query: &str) -> Option<i64> {
    let user = param(query, "User")?;
    let password = param(query, "Password")?;
    if let Some((id, session)) = user.split_once(':')
        && let Ok(user_id) = id.trim().parse::<i64>()
    {
        state.user(user_id)?;
        if !state.streams.knows(user_id, streamer, session.trim()) {
            return None;
        }
        let live = state.tokens.session(Some(&format!("Bearer {password}")))?;
        return (live.user_id == user_id).then_some(user_id);
    }
    let u = state.user_by_login(&user)?;
    let can_sign_in = matches!(
        u.sign_in,
        SignIn::Password | SignIn::TwoFactor | SignIn::Pin(_)
    );
    (u.password == password && can_sign_in).then_some(u.id)
}

/// Closes the WebSocket from this side: a close frame with `code`, then waits (a little) for
/// the client to take it and answer, so that nothing it still has to read is lost.
pub fn close(ws: &mut WebSocket<Outgoing>, code: CloseCode, reason: &str) {
    let socket = match ws.get_ref().socket().try_clone() {
        Ok(socket) => socket,
        Err(_) => return,
    };
    let _ = socket.set_nonblocking(false);
    let _ = socket.set_write_timeout(Some(CLOSE_GRACE));
    let _ = socket.set_read_timeout(Some(Duration::from_millis(100)));
    let _ = ws.close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }));
    let _ = ws.flush();
    let deadline = Instant::now() + CLOSE_GRACE;
    while Instant::now() < deadline {
        match ws.read() {
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
    }
    let _ = socket.shutdown(Shutdown::Write);
    // Take what the client still sends so that closing does not reset the connection.
    let mut sink = [0u8; 4096];
    let mut raw = &socket;
    while Instant::now() < deadline {
        match raw.read(&mut sink) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
    }
}
