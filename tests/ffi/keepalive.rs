//! Keep-alive: a session sends its requests on one pooled connection, and never reuses one the
//! server has closed or has sent stray bytes on, so a stale socket cannot turn an order into
//! "outcome unknown" or answer a request with another's bytes.

use crate::support::ffi::Session;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

/// What the server does once it has answered a request.
#[derive(Clone, Copy)]
enum Then {
    StayOpen,
    /// Closes the connection without a `Connection: close`, like a broker's idle timeout.
    CloseQuietly,
    /// Writes bytes that belong to no request, with the answer or a moment after it.
    Junk {
        later: bool,
    },
}

/// An HTTP/1.1 server on 127.0.0.1 that keeps connections alive: `/token` logs in, any other
/// request is answered `{"n":<how many requests so far>}`.
struct KeepAlive {
    port: u16,
    connections: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl KeepAlive {
    fn start(then: Then) -> KeepAlive {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let server = KeepAlive {
            port: listener.local_addr().unwrap().port(),
            connections: Arc::default(),
            requests: Arc::default(),
            stop: Arc::default(),
        };
        let (connections, requests, stop) = (
            server.connections.clone(),
            server.requests.clone(),
            server.stop.clone(),
        );
        std::thread::spawn(move || {
            while !stop.load(Ordering::Acquire) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        connections.fetch_add(1, Ordering::AcqRel);
                        let requests = requests.clone();
                        std::thread::spawn(move || serve(stream, then, &requests));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        server
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/api/", self.port)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::Acquire)
    }
}

impl Drop for KeepAlive {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
    }
}

fn serve(mut stream: TcpStream, then: Then, requests: &AtomicUsize) {
    stream.set_nonblocking(false).ok();
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
    loop {
        let Some(head) = read_head(&mut stream) else {
            return;
        };
        let length = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase()
                    .strip_prefix("content-length:")
                    .map(str::to_owned)
            })
            .map_or(0, |n| n.trim().parse::<usize>().unwrap());
        let mut body = vec![0u8; length];
        if stream.read_exact(&mut body).is_err() {
            return;
        }
        let n = requests.fetch_add(1, Ordering::AcqRel) + 1;
        let json = if head.starts_with("POST /api/token") {
            r#"{"State":"Succeeded","Token":"tok"}"#.to_owned()
        } else {
            format!(r#"{{"n":{n}}}"#)
        };
        let mut answer = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{json}",
            json.len()
        )
        .into_bytes();
        let junk = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{\"n\":-1}\n";
        if let Then::Junk { later: false } = then {
            answer.extend_from_slice(junk);
        }
        if stream.write_all(&answer).is_err() {
            return;
        }
        match then {
            Then::StayOpen | Then::Junk { later: false } => {}
            Then::CloseQuietly => return,
            Then::Junk { later: true } => {
                std::thread::sleep(Duration::from_millis(10));
                if stream.write_all(junk).is_err() {
                    return;
                }
            }
        }
    }
}

fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    String::from_utf8(head).ok()
}

fn logged_in(server: &KeepAlive) -> Session {
    let s = Session::new(&server.url(), "k").unwrap();
    s.login("alice", "alice-pass").unwrap();
    s
}

/// Lets a close or stray bytes from the server reach the client's socket.
fn pause() {
    std::thread::sleep(Duration::from_millis(50));
}

#[test]
fn a_session_sends_all_its_requests_on_one_connection() {
    let server = KeepAlive::start(Then::StayOpen);
    let s = logged_in(&server);
    for i in 2..=51 {
        assert_eq!(
            s.get("v1.0/users/@me/info").unwrap(),
            format!(r#"{{"n":{i}}}"#)
        );
    }
    assert_eq!(server.connections(), 1);
}

#[test]
fn a_connection_the_server_closed_while_idle_is_not_reused() {
    let server = KeepAlive::start(Then::CloseQuietly);
    let s = logged_in(&server);
    for i in 0..5 {
        pause();
        // A POST is never retried: had it gone out on the dead socket it would fail as
        // "outcome unknown". It must go out on a fresh connection and succeed.
        let (status, body) = s
            .request(
                "POST",
                "v1.0/accounts/1/orders",
                Some(r#"{"Symbol":"AAPL"}"#),
            )
            .unwrap_or_else(|e| panic!("POST {i} after an idle close: {e:?}"));
        assert_eq!(status, 200);
        assert_eq!(body, format!(r#"{{"n":{}}}"#, 2 + 2 * i));
        pause();
        s.get("v1.0/users/@me/info").unwrap();
    }
    assert_eq!(server.connections(), 11, "one connection per request");
}

#[test]
fn bytes_after_an_answer_retire_the_connection() {
    for later in [false, true] {
        let server = KeepAlive::start(Then::Junk { later });
        let s = logged_in(&server);
        pause();
        // Not the stray `{"n":-1}`: the answer to this request, on a new connection.
        assert_eq!(
            s.get("v1.0/users/@me/info").unwrap(),
            r#"{"n":2}"#,
            "later: {later}"
        );
        pause();
        assert_eq!(
            s.get("v1.0/users/@me/info").unwrap(),
            r#"{"n":3}"#,
            "later: {later}"
        );
        assert_eq!(server.connections(), 3, "later: {later}");
    }
}
