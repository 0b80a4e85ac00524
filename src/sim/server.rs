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
use std::time::Duration;

use super::reply::{self, Reply};
use super::{RecordedRequest, State, lock, routes};

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
                    conns.serve(stream, state.clone());
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
    fn serve(self: &Arc<Self>, stream: TcpStream, state: Arc<State>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        if let Ok(handle) = stream.try_clone() {
            lock(&self.open).insert(id, handle);
        }
        let conns = self.clone();
        let spawned = std::thread::Builder::new()
            .name("etna-sim-conn".into())
            .spawn(move || {
                let _ = connection(stream, &state);
                lock(&conns.open).remove(&id);
            });
        let mut threads = lock(&self.threads);
        threads.retain(|t| !t.is_finished());
        if let Ok(handle) = spawned {
            threads.push(handle);
        }
    }
}

/// Answers requests on one connection until the client closes it, asks to, or idles out.
fn connection(stream: TcpStream, state: &State) -> io::Result<()> {
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
        lock(&state.recorded).push(request.clone());
        // A bug in a handler answers 500 instead of taking the connection down.
        let reply = panic::catch_unwind(AssertUnwindSafe(|| routes::dispatch(state, &request)))
            .unwrap_or_else(|_| reply::server_error());
        write_reply(&mut writer, &reply, keep_alive)?;
        if !keep_alive {
            return Ok(());
        }
    }
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
    if !keep_alive {
        out.push_str("Connection: close\r\n");
    }
    out.push_str("\r\n");
    if let Some(body) = &reply.body {
        out.push_str(body);
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
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "Status",
    }
}
