//! Helpers shared by the test modules: raw HTTP over ureq (statuses are
//! answers, not errors) and over a bare TCP stream (exact header spelling,
//! several requests on one connection, faults that cut answers short), and
//! the `etna-sim` program run as a child process.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use etna_sim::Simulator;
use serde_json::Value;

pub const KEY: &str = "sim-app-key";

/// A keep-alive agent that returns non-2xx responses instead of errors.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }

    /// The `Token` property of a /token answer.
    pub fn token(&self) -> String {
        self.json()["Token"]
            .as_str()
            .unwrap_or_else(|| panic!("no Token in {}", self.text))
            .to_string()
    }

    /// The body with the `Token` value replaced by `<T>`, for exact
    /// comparisons of /token answers.
    pub fn masked(&self) -> String {
        match self.json()["Token"].as_str() {
            Some(t) => self.text.replace(t, "<T>"),
            None => self.text.clone(),
        }
    }

    /// Asserts a JSON answer with this status and exact body text once its
    /// token is masked as `<T>`.
    #[track_caller]
    pub fn assert_masked(&self, status: u16, masked: &str) {
        assert_eq!((self.status, self.masked().as_str()), (status, masked));
        assert_eq!(
            self.content_type.as_deref(),
            Some("application/json; charset=utf-8")
        );
    }

    /// Asserts a JSON answer with this status and exact body text.
    #[track_caller]
    pub fn assert(&self, status: u16, text: &str) {
        assert_eq!((self.status, self.text.as_str()), (status, text));
        assert_eq!(
            self.content_type.as_deref(),
            Some("application/json; charset=utf-8")
        );
    }
}

/// Sends a request without a body (POST and PUT send an empty one).
pub fn send(agent: &ureq::Agent, method: &str, url: &str, headers: &[(&str, &str)]) -> Answer {
    macro_rules! with_headers {
        ($builder:expr) => {
            headers.iter().fold($builder, |b, (k, v)| b.header(*k, *v))
        };
    }
    let result = match method {
        "GET" => with_headers!(agent.get(url)).call(),
        "DELETE" => with_headers!(agent.delete(url)).call(),
        "POST" => with_headers!(agent.post(url)).send_empty(),
        "PUT" => with_headers!(agent.put(url)).send_empty(),
        other => panic!("no helper for {other}"),
    };
    let mut response = result.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    Answer {
        status: response.status().as_u16(),
        content_type,
        text: response.body_mut().read_to_string().unwrap(),
    }
}

/// `POST /api/token` with the app key plus `headers`.
pub fn token(sim: &Simulator, headers: &[(&str, &str)]) -> Answer {
    let mut all = vec![("Et-App-Key", KEY)];
    all.extend_from_slice(headers);
    send(&agent(), "POST", &format!("{}token", sim.base_url()), &all)
}

/// Step one for `user` with password `<user>-pass`.
pub fn first_step(sim: &Simulator, user: &str) -> Answer {
    let password = format!("{user}-pass");
    token(sim, &[("Username", user), ("Password", &password)])
}

/// A final token for alice (password-only sign-in).
pub fn alice_token(sim: &Simulator) -> String {
    let answer = first_step(sim, "alice");
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.token()
}

/// GET `path` (relative to `/api/`) with the app key and, if given, a bearer.
pub fn get(sim: &Simulator, path: &str, bearer: Option<&str>) -> Answer {
    let auth = bearer.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Et-App-Key", KEY)];
    if let Some(a) = &auth {
        headers.push(("Authorization", a));
    }
    send(
        &agent(),
        "GET",
        &format!("{}{path}", sim.base_url()),
        &headers,
    )
}

/// The message of the 401 a bad bearer gets.
pub const DENIED: &str = r#"{"Message":"Authorization has been denied for this request."}"#;

/// One HTTP/1.1 response read off a raw connection.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// A raw connection, for exact header spelling and keep-alive checks.
pub struct Raw {
    reader: BufReader<TcpStream>,
}

impl Raw {
    pub fn connect(sim: &Simulator) -> Raw {
        let stream = TcpStream::connect(("127.0.0.1", sim.port())).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        Raw {
            reader: BufReader::new(stream),
        }
    }

    /// Writes `head` (request line and headers, CRLF-separated, without
    /// the blank line) and `body`, then reads one response.
    pub fn exchange(&mut self, head: &str, body: &[u8]) -> RawResponse {
        let stream = self.reader.get_mut();
        let mut request = head.replace('\n', "\r\n").into_bytes();
        request.extend_from_slice(b"\r\n\r\n");
        request.extend_from_slice(body);
        stream.write_all(&request).unwrap();
        self.read_response()
    }

    fn read_response(&mut self) -> RawResponse {
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line {line:?}"));
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line).unwrap();
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            let (k, v) = l.split_once(':').unwrap();
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
        let length: usize = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(0);
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).unwrap();
        RawResponse {
            status,
            headers,
            body: String::from_utf8(body).unwrap(),
        }
    }
}

/// Sends a request with a JSON (or any text) body; DELETE may carry one too.
pub fn send_body(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    macro_rules! with_headers {
        ($builder:expr) => {
            headers
                .iter()
                .fold($builder, |b, (k, v)| b.header(*k, *v))
                .header("Content-Type", "application/json")
        };
    }
    let result = match method {
        "POST" => with_headers!(agent.post(url)).send(body),
        "PUT" => with_headers!(agent.put(url)).send(body),
        "DELETE" => with_headers!(agent.delete(url))
            .force_send_body()
            .send(body),
        other => panic!("no body helper for {other}"),
    };
    let mut response = result.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    Answer {
        status: response.status().as_u16(),
        content_type,
        text: response.body_mut().read_to_string().unwrap(),
    }
}

/// A simulator with its market clock at `start` (ISO-8601) running
/// `speed` times faster than real time.
pub fn trading_sim(start: &str, speed: f64) -> Simulator {
    Simulator::start(etna_sim::SimConfig {
        speed,
        start: Some(etna_sim::parse_instant(start).expect("a valid start")),
        ..etna_sim::SimConfig::default()
    })
    .unwrap()
}

/// A signed-in user: requests under `/api/v1.0/` with key and bearer.
pub struct Api<'a> {
    pub sim: &'a Simulator,
    pub agent: ureq::Agent,
    bearer: String,
}

impl<'a> Api<'a> {
    /// alice (password-only sign-in; accounts 1001 cash, 1002 margin).
    pub fn alice(sim: &'a Simulator) -> Api<'a> {
        Api {
            sim,
            agent: agent(),
            bearer: format!("Bearer {}", alice_token(sim)),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}v1.0/{path}", self.sim.base_url())
    }

    fn headers(&self) -> [(&str, &str); 2] {
        [("Et-App-Key", KEY), ("Authorization", self.bearer.as_str())]
    }

    pub fn get(&self, path: &str) -> Answer {
        send(&self.agent, "GET", &self.url(path), &self.headers())
    }

    /// GET of an absolute URL (a paging link).
    pub fn get_url(&self, url: &str) -> Answer {
        send(&self.agent, "GET", url, &self.headers())
    }

    pub fn delete(&self, path: &str) -> Answer {
        send(&self.agent, "DELETE", &self.url(path), &self.headers())
    }

    pub fn with_body(&self, method: &str, path: &str, body: &str) -> Answer {
        send_body(&self.agent, method, &self.url(path), &self.headers(), body)
    }

    /// POST with a JSON body, for a route that answers a file: status, Content-Type and bytes.
    pub fn post_for_file(&self, path: &str, body: &str) -> (u16, String, Vec<u8>) {
        let mut request = self.agent.post(&self.url(path));
        for (k, v) in self.headers() {
            request = request.header(k, v);
        }
        let mut response = request
            .header("Content-Type", "application/json")
            .send(body)
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        let content_type = response
            .headers()
            .get("content-type")
            .map_or(String::new(), |v| v.to_str().unwrap().to_string());
        let bytes = response.body_mut().read_to_vec().unwrap();
        (response.status().as_u16(), content_type, bytes)
    }

    /// GET that must answer 200; the JSON body.
    #[track_caller]
    pub fn ok(&self, path: &str) -> Value {
        let a = self.get(path);
        assert_eq!(a.status, 200, "GET {path}: {}", a.text);
        a.json()
    }

    /// Places an order (must answer 200 OrderResource); returns its JSON.
    #[track_caller]
    pub fn place(&self, account: i64, body: &str) -> Value {
        let a = self.with_body("POST", &format!("accounts/{account}/orders"), body);
        assert_eq!(a.status, 200, "{}", a.text);
        let v = a.json();
        assert!(v["Id"].is_i64(), "not an OrderResource: {}", a.text);
        v
    }

    pub fn order(&self, account: i64, id: i64) -> Value {
        self.ok(&format!("accounts/{account}/orders/{id}"))
    }

    /// Polls the order until `done` holds (at most 30 s of real time).
    #[track_caller]
    pub fn wait_order(&self, account: i64, id: i64, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let o = self.order(account, id);
            if done(&o) {
                return o;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "order {id} never got there: {o}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Polls until the order's Status is `status`.
    #[track_caller]
    pub fn wait_status(&self, account: i64, id: i64, status: &str) -> Value {
        self.wait_order(account, id, |o| o["Status"] == status)
    }

    /// The balance map of an account.
    pub fn info(&self, account: i64) -> Value {
        self.ok(&format!("accounts/{account}/info"))
    }
}

/// A float field.
#[track_caller]
pub fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("no number {key} in {v}"))
}

/// Asserts two money amounts agree to a thousandth of a cent.
#[track_caller]
pub fn assert_money(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-5, "{actual} != {expected}");
}

/// Everything a server sent on one connection, read until it closed: for
/// faults that close early, answer short, or answer late.
#[derive(Debug)]
pub struct Wire {
    /// The bytes received before the server closed (empty: closed without a byte).
    pub raw: Vec<u8>,
    /// From the request being written to the connection closing.
    pub elapsed: Duration,
}

/// A response parsed out of [`Wire::raw`], however short its body.
#[derive(Debug)]
pub struct WireResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body bytes actually received.
    pub body: Vec<u8>,
}

impl WireResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The announced `Content-Length`.
    pub fn content_length(&self) -> usize {
        self.header("Content-Length")
            .expect("a Content-Length")
            .parse()
            .unwrap()
    }

    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).expect("a UTF-8 body")
    }
}

impl Wire {
    /// The response head and whatever body arrived; panics when no head did.
    #[track_caller]
    pub fn response(&self) -> WireResponse {
        let end = self
            .raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no response head in {:?}", self.text()));
        let head = std::str::from_utf8(&self.raw[..end]).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line in {head:?}"));
        let headers = lines
            .map(|l| {
                let (k, v) = l.split_once(':').unwrap();
                (k.trim().to_string(), v.trim().to_string())
            })
            .collect();
        WireResponse {
            status,
            headers,
            body: self.raw[end + 4..].to_vec(),
        }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.raw).into_owned()
    }
}

/// Sends one request on a fresh connection with `Connection: close` and reads
/// until the server closes it (a reset counts as a close), at most 20 s.
/// `head` is the request line and headers, one per line, without
/// `Content-Length` (added for `body`).
pub fn wire(port: u16, head: &str, body: &[u8]) -> Wire {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut request = head.trim_end().replace('\n', "\r\n");
    request.push_str(&format!(
        "\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    ));
    let mut request = request.into_bytes();
    request.extend_from_slice(body);
    let started = std::time::Instant::now();
    stream.write_all(&request).unwrap();
    let mut raw = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("reading {head:?}: {e} after {:?}", started.elapsed()),
        }
    }
    Wire {
        raw,
        elapsed: started.elapsed(),
    }
}

/// The `etna-sim` program built with these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_etna-sim");

/// A running `etna-sim`, killed when dropped (even when an assertion fails).
pub struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Spawns the program and streams its stdout lines through a channel.
pub fn spawn(args: &[&str]) -> (Running, Receiver<String>) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (Running(child), rx)
}

/// The program's next stdout line, waiting at most 20 s.
pub fn next_line(lines: &Receiver<String>) -> String {
    lines
        .recv_timeout(Duration::from_secs(20))
        .expect("a line from etna-sim within 20 s")
}

/// The port in the program's first line, `listening on http://127.0.0.1:PORT/api/`.
#[track_caller]
pub fn listening_port(first_line: &str) -> u16 {
    first_line
        .strip_prefix("listening on http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix("/api/"))
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {first_line:?}"))
}

/// Starts `etna-sim --port 0 args...` and returns it with the port its first line names.
pub fn spawn_on_free_port(args: &[&str]) -> (Running, u16) {
    let (running, lines) = spawn(&[&["--port", "0"], args].concat());
    let port = listening_port(&next_line(&lines));
    (running, port)
}
