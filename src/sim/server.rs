//! The HTTP side: a tiny_http server on 127.0.0.1 and a few worker threads.
//!
//! tiny_http reads requests (keep-alive included) on its own connection
//! threads and queues them; the workers all call `recv` on one shared
//! `Server`, so several requests are answered at once. Stopping sets a flag
//! and calls `unblock` once per worker (each call frees one blocked `recv`),
//! then drops the server and waits until the port refuses connections:
//! tiny_http closes its listener on its accept thread, a moment later.

use std::io;
use std::net::TcpStream;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tiny_http::{Header, Response};

use super::reply::{self, Reply};
use super::{RecordedRequest, State, lock, routes};

const WORKERS: usize = 4;

pub struct HttpServer {
    /// `None` once shut down.
    http: Option<Arc<tiny_http::Server>>,
    port: u16,
    stopping: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
}

/// Listens on 127.0.0.1:`port` (0 = any free port); returns the bound port.
pub fn bind(port: u16) -> io::Result<(tiny_http::Server, u16)> {
    let http = tiny_http::Server::http(("127.0.0.1", port)).map_err(io::Error::other)?;
    let port = http
        .server_addr()
        .to_ip()
        .map(|addr| addr.port())
        .ok_or_else(|| io::Error::other("server is not on an IP address"))?;
    Ok((http, port))
}

/// Starts the workers answering requests from `http`.
pub fn run(http: tiny_http::Server, state: Arc<State>) -> io::Result<HttpServer> {
    let http = Arc::new(http);
    let stopping = Arc::new(AtomicBool::new(false));
    let mut server = HttpServer {
        http: Some(http.clone()),
        port: state.port,
        stopping: stopping.clone(),
        workers: Vec::with_capacity(WORKERS),
    };
    for i in 0..WORKERS {
        let (http, state, stopping) = (http.clone(), state.clone(), stopping.clone());
        let spawned = std::thread::Builder::new()
            .name(format!("etna-sim-{i}"))
            .spawn(move || {
                while !stopping.load(Ordering::SeqCst) {
                    // Err comes from `unblock` (we are stopping) or from a
                    // failed accept; either way, look at the flag again.
                    if let Ok(request) = http.recv() {
                        serve(&state, request);
                    }
                }
            });
        match spawned {
            Ok(handle) => server.workers.push(handle),
            Err(e) => {
                server.shutdown();
                return Err(e);
            }
        }
    }
    Ok(server)
}

impl HttpServer {
    /// Stops the workers, waits for them, and waits (up to two seconds)
    /// for the port to close. Calling it again does nothing.
    pub fn shutdown(&mut self) {
        let Some(http) = self.http.take() else {
            return;
        };
        self.stopping.store(true, Ordering::SeqCst);
        for _ in &self.workers {
            http.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
        // The workers' clones are gone: this drops the server itself.
        drop(http);
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline && TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
            std::thread::sleep(Duration::from_millis(2));
        }
    }
}

/// Records one request, answers it and writes the reply.
fn serve(state: &State, mut request: tiny_http::Request) {
    let mut body = Vec::new();
    // A body that cannot be read is recorded as far as it got; the request
    // is still answered.
    let _ = request.as_reader().read_to_end(&mut body);
    let recorded = RecordedRequest {
        method: request.method().as_str().to_string(),
        url: request.url().to_string(),
        headers: request
            .headers()
            .iter()
            .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_string()))
            .collect(),
        body,
    };
    lock(&state.recorded).push(recorded.clone());

    // A bug in a handler answers 500 instead of taking a worker down.
    let reply = panic::catch_unwind(AssertUnwindSafe(|| routes::dispatch(state, &recorded)))
        .unwrap_or_else(|_| reply::server_error());
    // The client may have gone away; nothing to do about it.
    let _ = request.respond(to_response(reply));
}

fn to_response(reply: Reply) -> Response<io::Cursor<Vec<u8>>> {
    let response = Response::from_data(reply.body.clone().unwrap_or_default().into_bytes())
        .with_status_code(reply.status);
    match reply.body {
        Some(_) => response.with_header(
            Header::from_bytes("Content-Type", "application/json; charset=utf-8")
                .expect("valid header"),
        ),
        None => response,
    }
}
