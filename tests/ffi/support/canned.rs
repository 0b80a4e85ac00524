//! A loopback server that answers every connection with bytes chosen by the test: for
//! answers no well-behaved server gives (garbage, truncation, silence, a dropped connection).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Clone)]
pub enum Behaviour {
    /// Write these bytes, then close.
    Answer(Vec<u8>),
    /// Read the request, then close without a word.
    Drop,
    /// Read the request and never answer (until the server is dropped).
    Silence,
    /// Write these bytes as soon as the connection opens, without reading (a server that
    /// does not speak the client's protocol, e.g. plain HTTP to a TLS client).
    Blurt(Vec<u8>),
}

pub struct Canned {
    pub port: u16,
    stop: Arc<AtomicBool>,
    pub connections: Arc<AtomicUsize>,
    pub requests: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

/// `HTTP/1.1 <status>` with a JSON body and extra header lines.
pub fn http(status: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for h in headers {
        out.push_str(h);
        out.push_str("\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

impl Canned {
    /// Answers the n-th connection with `script[n]`, and later ones with the last entry.
    pub fn start(script: Vec<Behaviour>) -> Canned {
        assert!(!script.is_empty());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (s, n, r) = (stop.clone(), connections.clone(), requests.clone());
        let thread = std::thread::spawn(move || {
            let mut held = Vec::new();
            while !s.load(Ordering::Acquire) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let i = n.fetch_add(1, Ordering::AcqRel).min(script.len() - 1);
                        if let Some(stream) = serve(stream, &script[i], &r) {
                            held.push(stream);
                        }
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Canned {
            port,
            stop,
            connections,
            requests,
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/api/", self.port)
    }
}

/// Handles one connection; gives it back when it must be kept open (silence).
fn serve(
    mut stream: TcpStream,
    behaviour: &Behaviour,
    requests: &Mutex<Vec<String>>,
) -> Option<TcpStream> {
    stream.set_nonblocking(false).ok();
    if let Behaviour::Blurt(bytes) = behaviour {
        stream.write_all(bytes).ok();
        return None;
    }
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).ok()? == 1 {
        head.push(byte[0]);
    }
    requests
        .lock()
        .unwrap()
        .push(String::from_utf8_lossy(&head).into_owned());
    match behaviour {
        Behaviour::Answer(bytes) => {
            stream.write_all(bytes).ok();
            None
        }
        Behaviour::Drop => None,
        Behaviour::Silence => Some(stream),
        Behaviour::Blurt(_) => None,
    }
}

impl Drop for Canned {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            t.join().ok();
        }
    }
}

/// A session logged in to a canned server (its first connection answers the login), whose
/// later connections follow `then`.
pub fn logged_in_to(then: Vec<Behaviour>) -> (Canned, super::ffi::Session) {
    let mut script = vec![Behaviour::Answer(http(
        "200 OK",
        &[],
        br#"{"State":"Succeeded","Token":"tok"}"#,
    ))];
    script.extend(then);
    let server = Canned::start(script);
    let s = super::ffi::Session::new(&server.url(), "k").unwrap();
    assert_eq!(
        s.login("alice", "alice-pass").unwrap(),
        etna::ffi::ETNA_AUTH_AUTHENTICATED
    );
    (server, s)
}
