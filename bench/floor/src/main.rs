//! The floor of the streaming figures: the simulator's quote firehose read with tungstenite over
//! a plain `TcpStream`, and nothing else (no I/O thread, no queue, no parsing, no allocation per
//! quote beyond tungstenite's own).
//!
//! ```text
//! stream_floor rate    MS BASE_URL   text frames per second over MS milliseconds
//! stream_floor latency MS BASE_URL   now - SimSentNs of every quote over MS milliseconds
//! ```
//!
//! Both log alice in over REST (`POST token`, password only), read the quote streamer's address
//! from `GET v1.0/streamers`, open the WebSocket with the login form
//! (`CreateSession.txt?User=alice&Password=alice-pass`), subscribe AAPL, MSFT and NVDA (security
//! ids 1, 2 and 6), read for `BENCH_STREAM_WARMUP_MS` (default 1000) without counting, then
//! measure. Prints one `RESULT` line in the format of bench/c/common.h.
//!
//! `BENCH_FLOOR_WORK_NS=N` (latency only, for hand experiments): after each quote, N ns of busy
//! work, as a reader that does more with each quote than the floor; it shows how the latency on
//! a shared CPU follows a reader's CPU time per quote (bench/README.md).
//! `BENCH_FLOOR_TYPED=1` (latency only; figure 8c): each quote read into a map of its fields with
//! serde_json and its ten numbers parsed, before the clock is read, as a Rust program using the
//! quotes would: a floor that types the quote, as libetna does.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tungstenite::{Message, WebSocket};

const APP_KEY: &str = "sim-app-key";
const LOGIN: &str = "alice";
const PASSWORD: &str = "alice-pass";
/// AAPL, MSFT, NVDA: what etna_bench subscribes by ticker.
const KEYS: &str = "1;2;6";

fn die(what: &str) -> ! {
    eprintln!("stream_floor: {what}");
    std::process::exit(1)
}

/// The value of `"name":"..."` in a flat JSON text.
fn field<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let pattern = format!("\"{name}\":\"");
    let at = text.find(&pattern)? + pattern.len();
    let len = text[at..].find('"')?;
    Some(&text[at..at + len])
}

/// One HTTP/1.1 request on a new connection; the body of the answer (by its Content-Length).
fn http(host_port: &str, head: &str) -> String {
    let mut s = TcpStream::connect(host_port).unwrap_or_else(|e| die(&format!("connect: {e}")));
    s.write_all(head.as_bytes())
        .unwrap_or_else(|e| die(&format!("write: {e}")));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = s
            .read(&mut chunk)
            .unwrap_or_else(|e| die(&format!("read: {e}")));
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                if !text.starts_with("HTTP/1.1 200") {
                    die(&format!(
                        "HTTP answer: {}",
                        text.lines().next().unwrap_or("")
                    ));
                }
                return text[end + 4..end + 4 + length].to_owned();
            }
        }
        if n == 0 {
            die("the connection closed before the answer was complete");
        }
    }
}

/// Logs in, finds the quote streamer, opens the WebSocket with the login form and subscribes.
fn connect(base: &str) -> WebSocket<TcpStream> {
    let rest = base
        .strip_prefix("http://")
        .unwrap_or_else(|| die("BASE_URL is not http://"));
    let (host_port, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let common =
        format!("Host: {host_port}\r\nEt-App-Key: {APP_KEY}\r\nAccept: application/json\r\n");
    let answer = http(
        host_port,
        &format!(
            "POST /{prefix}token HTTP/1.1\r\n{common}Username: {LOGIN}\r\nPassword: {PASSWORD}\r\n\
             Content-Length: 0\r\nConnection: close\r\n\r\n"
        ),
    );
    let token = field(&answer, "Token").unwrap_or_else(|| die("no token"));
    let answer = http(
        host_port,
        &format!(
            "GET /{prefix}v1.0/streamers HTTP/1.1\r\n{common}Authorization: Bearer {token}\r\n\
             Connection: close\r\n\r\n"
        ),
    );
    let url = answer
        .split_once("\"QuoteAddresses\"")
        .and_then(|(_, rest)| field(rest, "Url"))
        .unwrap_or_else(|| die("no quote streamer"));
    let ws_host = url
        .strip_prefix("ws://")
        .unwrap_or_else(|| die("the streamer is not ws://"));
    let tcp = TcpStream::connect(ws_host.trim_end_matches('/'))
        .unwrap_or_else(|e| die(&format!("connect to the streamer: {e}")));
    tcp.set_nodelay(true).ok();
    let request = format!(
        "{}/CreateSession.txt?User={LOGIN}&Password={PASSWORD}&HttpClientType=WebSocket",
        url.trim_end_matches('/')
    );
    let (mut ws, _) = tungstenite::client::client(request, tcp)
        .unwrap_or_else(|e| die(&format!("WebSocket handshake: {e}")));
    let session = match ws.read() {
        Ok(Message::Text(t)) if t.contains("\"StatusCode\":\"Ok\"") => {
            field(t.as_str(), "SessionId")
                .unwrap_or_else(|| die("no SessionId"))
                .to_owned()
        }
        other => die(&format!("CreateSession.txt: {other:?}")),
    };
    let subscribe = format!(
        r#"{{"Cmd":"Subscribe.txt","SessionId":"{session}","Keys":"{KEYS}","EntityType":"Quote","HttpClientType":"WebSocket"}}"#
    );
    ws.send(Message::text(subscribe))
        .unwrap_or_else(|e| die(&format!("subscribe: {e}")));
    ws
}

fn read_text(ws: &mut WebSocket<TcpStream>) -> Option<tungstenite::Utf8Bytes> {
    match ws.read() {
        Ok(Message::Text(t)) => Some(t),
        Ok(_) => None,
        Err(e) => die(&format!("read: {e}")),
    }
}

fn warm_up(ws: &mut WebSocket<TcpStream>) {
    let ms = std::env::var("BENCH_STREAM_WARMUP_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let until = Instant::now() + Duration::from_millis(ms);
    while Instant::now() < until {
        read_text(ws);
    }
}

fn realtime_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

fn rate(ws: &mut WebSocket<TcpStream>, ms: u64) {
    let start = Instant::now();
    let end = start + Duration::from_millis(ms);
    let (mut n, mut bytes) = (0u64, 0u64);
    loop {
        if let Some(t) = read_text(ws) {
            n += 1;
            bytes += t.len() as u64;
        }
        if Instant::now() >= end {
            break;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "RESULT fig=stream_rate who=floor n={n} secs={secs:.4} quotes_per_s={:.0} bytes_per_quote={:.0}",
        n as f64 / secs,
        bytes as f64 / n.max(1) as f64
    );
}

/// A quote read into its fields with serde_json, its ten numbers parsed; their sum.
fn typed_quote(text: &str) -> f64 {
    const NUMBERS: [&str; 10] = [
        "Bid", "Ask", "Last", "BidSize", "AskSize", "Volume", "Open", "High", "Low", "Close",
    ];
    let Ok(fields) = serde_json::from_str::<std::collections::HashMap<&str, &str>>(text) else {
        return 0.0;
    };
    NUMBERS
        .iter()
        .filter_map(|n| fields.get(n)?.parse::<f64>().ok())
        .sum()
}

fn latency(ws: &mut WebSocket<TcpStream>, ms: u64) {
    let work = std::env::var("BENCH_FLOOR_WORK_NS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_nanos);
    let typed = std::env::var("BENCH_FLOOR_TYPED").is_ok_and(|v| v == "1");
    let mut numbers = 0.0;
    let end = Instant::now() + Duration::from_millis(ms);
    let mut ns = Vec::with_capacity(1 << 20);
    loop {
        if let Some(t) = read_text(ws) {
            if typed {
                numbers += typed_quote(t.as_str());
            }
            let now = realtime_ns();
            if let Some(sent) = field(t.as_str(), "SimSentNs").and_then(|v| v.parse::<u64>().ok()) {
                ns.push(now.saturating_sub(sent));
            }
            if let Some(work) = work {
                let from = Instant::now();
                while from.elapsed() < work {
                    std::hint::spin_loop();
                }
            }
        }
        if Instant::now() >= end {
            break;
        }
    }
    if typed && numbers == 0.0 {
        die("no quote read as typed");
    }
    if ns.is_empty() {
        die("no quote carried SimSentNs");
    }
    ns.sort_unstable();
    let n = ns.len();
    let mean = ns.iter().map(|&v| v as f64).sum::<f64>() / n as f64;
    println!(
        "RESULT fig=stream_latency who=floor n={n} p50_ns={} p99_ns={} mean_ns={mean:.0} min_ns={} max_ns={}",
        ns[(n - 1) / 2],
        ns[((n - 1) as f64 * 0.99) as usize],
        ns[0],
        ns[n - 1]
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        die("usage: stream_floor rate|latency MS BASE_URL");
    }
    let ms: u64 = args[2]
        .parse()
        .unwrap_or_else(|_| die("MS must be a number"));
    let mut ws = connect(&args[3]);
    warm_up(&mut ws);
    match args[1].as_str() {
        "rate" => rate(&mut ws, ms),
        "latency" => latency(&mut ws, ms),
        _ => die("unknown mode"),
    }
}
