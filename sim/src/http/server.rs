//! The server: HTTP/1.1 on 127.0.0.1 over std's TcpListener, one thread per connection,
//! keep-alive, and the path of each request (admin route, fault, or recording, counting and
//! routing).
//!
//! Why not tiny_http: its task pool can leave a new connection queued behind long-lived
//! keep-alive connections (two connections arriving while one pool thread wakes up), so a client
//! sharing its pool across 8 threads saw a request never answered. A thread per connection has
//! no such queue, and owning the socket lets the simulator misbehave on purpose (drop a
//! connection, truncate an answer) when tests ask for it.

use std::collections::HashMap;
use std::io::{self, BufReader};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::http::misbehave::misbehave;
use crate::http::reply::{self, Reply};
use crate::http::router;
use crate::http::wire::{plain_error, read_request, write_reply};
use crate::routes::sim;
use crate::{RecordedRequest, State, lock};

/// An idle keep-alive connection is closed after this long.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

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
        let path = router::path_of(&request.url).to_string();
        if sim::is_admin(&path) {
            let reply = panic::catch_unwind(AssertUnwindSafe(|| {
                sim::handle(state, &request, &path, peer)
            }))
            .unwrap_or_else(|_| reply::server_error());
            write_reply(&mut writer, &reply, keep_alive)?;
        } else {
            lock(&state.recorded).push(request.clone());
            let fault = if is_simulator_path(&path) {
                None
            } else {
                let decoded = router::percent_decode(&path);
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
pub fn process(state: &State, request: &RecordedRequest) -> Reply {
    if !is_simulator_path(router::path_of(&request.url)) {
        state
            .faults
            .count(router::stats_key(&request.method, &request.url));
    }
    panic::catch_unwind(AssertUnwindSafe(|| router::dispatch(state, request)))
        .unwrap_or_else(|_| reply::server_error())
}
