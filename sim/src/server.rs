//! The HTTP side: HTTP/1.1 on 127.0.0.1 over std's TcpListener, one thread per connection,
//! keep-alive.
//!
//! Why not tiny_http: its task pool can leave a new connection queued behind long-lived
//! keep-alive connections (two connections arriving while one pool thread wakes up), so a client
//! sharing its pool across 8 threads saw a request never answered. A thread per connection has
//! no such queue, and owning the socket lets the simulator misbehave on purpose (drop a
//! connection, truncate an answer) when tests ask for it.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::faults::Kind;
use super::reply::{self, Reply};
use super::{RecordedRequest, State, admin, lock, routes};

/// An idle keep-alive connection is closed after this long.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
const MAX_HEAD_BYTES: u64 = 64 * 1024;
const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

pub struct HttpServer {
    port: u16,
    stopping: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
    connections: Arc<Connections>,
}

/// Open connections, so that stopping can close them and wait for their threads.
#[derive(Default)]
struct Connections {
    next: AtomicU64,
    open: Mutex<HashMap<u64, TcpStream>>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

/// Listens on 127.0.0.1:`port` (0 = any free port); returns the bound port.
pub fn bind(port: u16) -> io::Result<(TcpListener, u16)> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let port = listener.local_addr()?.port();
    Ok((listener, port))
}

/// Starts accepting connections on `listener`.
pub fn run(listener: TcpListener, state: Arc<State>) -> io::Result<HttpServer> {
    let port = state.port;
    let stopping = Arc::new(AtomicBool::new(false));
    let connections = Arc::new(Connections::default());
    let (stop, conns) = (stopping.clone(), connections.clone());
    let acceptor = std::thread::Builder::new()
        .name("etna-sim-accept".into())
        .spawn(move || {
            for stream in listener.incoming() {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    conns.serve(stream, state.clone(), stop.clone());
                }
            }
        })?;
    Ok(HttpServer {
        port,
        stopping,
        acceptor: Some(acceptor),
        connections,
    })
}

impl HttpServer {
    /// Stops accepting, closes every open connection and waits for all threads. Once it
    /// returns, the port refuses connections. Calling it again does nothing.
    pub fn shutdown(&mut self) {
        let Some(acceptor) = self.acceptor.take() else {
            return;
        };
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the blocking accept so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        let _ = acceptor.join();
        for stream in lock(&self.connections.open).values() {
            let _ = stream.shutdown(Shutdown::Both);
        }
        let threads = std::mem::take(&mut *lock(&self.connections.threads));
        for thread in threads {
            let _ = thread.join();
        }
    }
}

impl Connections {
    fn serve(self: &Arc<Self>, stream: TcpStream, state: Arc<State>, stopping: Arc<AtomicBool>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(handle) = stream.try_clone() {
            lock(&self.open).insert(id, handle);
        }
        let conns = self.clone();
        let spawned = std::thread::Builder::new()
            .name("etna-sim-conn".into())
            .spawn(move || {
                let _ = connection(stream, &state, &stopping);
                lock(&conns.open).remove(&id);
            });
        let mut threads = lock(&self.threads);
        threads.retain(|t| !t.is_finished());
        if let Ok(handle) = spawned {
            threads.push(handle);
        }
    }
}

/// Answers requests on one connection until the client closes it, asks to, or idles out (or a
/// fault closes it).
fn connection(stream: TcpStream, state: &State, stopping: &AtomicBool) -> io::Result<()> {
    let peer = stream.peer_addr()?.ip();
    stream.set_read_timeout(Some(IDLE_TIMEOUT))?;
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let (request, keep_alive) = match read_request(&mut reader)? {
            Some(Ok(parsed)) => parsed,
            Some(Err(status)) => {
                write_reply(&mut writer, &plain_error(status), false)?;
                return Ok(());
            }
            None => return Ok(()),
        };
        let path = routes::path_of(&request.url).to_string();
        if admin::is_admin(&path) {
            let reply = panic::catch_unwind(AssertUnwindSafe(|| {
                admin::handle(state, &request, &path, peer)
            }))
            .unwrap_or_else(|_| reply::server_error());
            write_reply(&mut writer, &reply, keep_alive)?;
        } else {
            lock(&state.recorded).push(request.clone());
            let fault = if is_simulator_path(&path) {
                None
            } else {
                let decoded = routes::percent_decode(&path);
                state.faults.take(&request.method, &[&path, &decoded])
            };
            let Some(fault) = fault else {
                let reply = process(state, &request);
                write_reply(&mut writer, &reply, keep_alive)?;
                if !keep_alive {
                    return Ok(());
                }
                continue;
            };
            if !misbehave(fault, state, &request, &mut writer, keep_alive, stopping)? {
                // The fault closed the connection, or the simulator is stopping.
                let _ = writer.shutdown(Shutdown::Both);
                return Ok(());
            }
        }
        if !keep_alive {
            return Ok(());
        }
    }
}

/// Whether a path is the simulator's own (`/sim/...`): never faulted, never counted.
fn is_simulator_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower == "/sim" || lower.starts_with("/sim/")
}

/// Counts a request and runs its route. A bug in a handler answers 500 instead of taking the
/// connection down.
fn process(state: &State, request: &RecordedRequest) -> Reply {
    if !is_simulator_path(routes::path_of(&request.url)) {
        state
            .faults
            .count(routes::stats_key(&request.method, &request.url));
    }
    panic::catch_unwind(AssertUnwindSafe(|| routes::dispatch(state, request)))
        .unwrap_or_else(|_| reply::server_error())
}

/// Answers `request` as the fault says. `Ok(false)` when the connection must be closed now.
fn misbehave(
    fault: Kind,
    state: &State,
    request: &RecordedRequest,
    writer: &mut TcpStream,
    keep_alive: bool,
    stopping: &AtomicBool,
) -> io::Result<bool> {
    match fault {
        Kind::Delay { ms } => {
            if !pause(Duration::from_millis(ms), stopping) {
                return Ok(false);
            }
            let reply = process(state, request);
            write_reply(writer, &reply, keep_alive)?;
        }
        Kind::DropBefore => return Ok(false),
        Kind::DropAfter => {
            process(state, request);
            return Ok(false);
        }
        Kind::Status(status) => {
            let full_url = format!("http://127.0.0.1:{}{}", state.port, request.url);
            write_reply(writer, &status_reply(status, &full_url), keep_alive)?;
        }
        Kind::RateLimit { retry_after } => {
            let reply = reply::message(429, "Too many requests");
            let retry = [("Retry-After", retry_after.to_string())];
            write_response(writer, &reply, keep_alive, &retry, None)?;
        }
        Kind::Malformed => {
            let real = process(state, request);
            let reply = Reply {
                status: 200,
                body: Some(malformed(real.body.as_deref().unwrap_or(""))),
            };
            write_reply(writer, &reply, keep_alive)?;
        }
        Kind::Truncated => {
            let mut reply = process(state, request);
            if reply.body.as_deref().unwrap_or("").len() < 2 {
                // Nothing to cut in half (e.g. a 204): stand in a small body.
                reply = Reply {
                    status: if reply.status == 204 {
                        200
                    } else {
                        reply.status
                    },
                    body: Some(r#"{"Message":"Truncated"}"#.to_string()),
                };
            }
            let body = reply.body.as_deref().unwrap_or("");
            let half = floor_char_boundary(body, body.len() / 2);
            write_response(writer, &reply, keep_alive, &[], Some(half))?;
            return Ok(false);
        }
        // Applied when installed; never matched against a request.
        Kind::ExpireTokens { .. } => {
            let reply = process(state, request);
            write_reply(writer, &reply, keep_alive)?;
        }
    }
    Ok(true)
}

/// Sleeps in small slices so that stopping the simulator is not held up; `false` when it is
/// stopping.
fn pause(total: Duration, stopping: &AtomicBool) -> bool {
    let deadline = Instant::now() + total;
    loop {
        if stopping.load(Ordering::SeqCst) {
            return false;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(Duration::from_millis(20)));
    }
}

/// The documented body for a status a `Status` fault answers (reference §5).
fn status_reply(status: u16, full_url: &str) -> Reply {
    match status {
        400 => reply::invalid_request(),
        401 => reply::denied(),
        403 => reply::bad_app_key(),
        404 => reply::not_found(full_url),
        409 => reply::message(
            409,
            "The request conflicts with the current state of the resource.",
        ),
        422 => reply::validation_error(&[]),
        429 => reply::message(429, "Too many requests"),
        500 => reply::server_error(),
        _ => reply::message(status, reason_phrase(status)),
    }
}

/// The first half of a real body, which is never valid JSON for the objects and arrays the
/// routes answer; a fixed broken object when the real body is too short to cut.
fn malformed(real: &str) -> String {
    let cut = &real[..floor_char_boundary(real, real.len() / 2)];
    if !cut.trim().is_empty() && serde_json::from_str::<serde_json::Value>(cut).is_err() {
        cut.to_string()
    } else {
        r#"{"State":"Succ"#.to_string()
    }
}

/// The largest char boundary of `s` at or below `at`.
fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One request: `None` when the client closed the connection before a new request,
/// `Some(Err(status))` for a request the server cannot read.
fn read_request(
    reader: &mut BufReader<TcpStream>,
) -> io::Result<Option<Result<(RecordedRequest, bool), u16>>> {
    let mut head = Vec::new();
    loop {
        let mut line = Vec::new();
        let n = reader
            .by_ref()
            .take(MAX_HEAD_BYTES)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(if head.is_empty() {
                None
            } else {
                Some(Err(400))
            });
        }
        if line == b"\r\n" || line == b"\n" {
            if head.is_empty() {
                continue; // stray blank line between requests
            }
            break;
        }
        if !line.ends_with(b"\n") || head.len() > 200 {
            return Ok(Some(Err(431)));
        }
        head.push(String::from_utf8_lossy(&line).trim_end().to_string());
    }
    let mut parts = head[0].split(' ');
    let (Some(method), Some(url), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Ok(Some(Err(400)));
    };
    let (method, url, version) = (method.to_string(), url.to_string(), version.to_string());
    let mut headers = Vec::new();
    for line in &head[1..] {
        let Some((name, value)) = line.split_once(':') else {
            return Ok(Some(Err(400)));
        };
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut request = RecordedRequest {
        method,
        url,
        headers,
        body: Vec::new(),
    };
    if request.header("Transfer-Encoding").is_some() {
        return Ok(Some(Err(411)));
    }
    if let Some(length) = request.header("Content-Length") {
        match length.parse::<usize>() {
            Ok(n) if n <= MAX_BODY_BYTES => {
                request.body = vec![0; n];
                reader.read_exact(&mut request.body)?;
            }
            _ => return Ok(Some(Err(413))),
        }
    }
    let connection = request.header("Connection").map(str::to_ascii_lowercase);
    let keep_alive = match version.as_str() {
        "HTTP/1.1" => connection.as_deref() != Some("close"),
        _ => connection.as_deref() == Some("keep-alive"),
    };
    Ok(Some(Ok((request, keep_alive))))
}

fn plain_error(status: u16) -> Reply {
    Reply { status, body: None }
}

fn write_reply(writer: &mut TcpStream, reply: &Reply, keep_alive: bool) -> io::Result<()> {
    write_response(writer, reply, keep_alive, &[], None)
}

/// Writes a response with `extra` headers; `cut` sends only that many bytes of the body (the
/// `Content-Length` still announcing all of it).
fn write_response(
    writer: &mut TcpStream,
    reply: &Reply,
    keep_alive: bool,
    extra: &[(&str, String)],
    cut: Option<usize>,
) -> io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        reply.status,
        reason_phrase(reply.status)
    );
    if let Some(body) = &reply.body {
        out.push_str("Content-Type: application/json; charset=utf-8\r\n");
        out.push_str(&format!("Content-Length: {}\r\n", body.len()));
    } else if reply.status != 204 {
        out.push_str("Content-Length: 0\r\n");
    }
    for (name, value) in extra {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if !keep_alive {
        out.push_str("Connection: close\r\n");
    }
    out.push_str("\r\n");
    if let Some(body) = &reply.body {
        out.push_str(&body[..cut.unwrap_or(body.len())]);
    }
    writer.write_all(out.as_bytes())?;
    writer.flush()
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        423 => "Locked",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}
