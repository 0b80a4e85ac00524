//! The byte stream under a streamer's WebSocket: TCP to the streamer (through the session's HTTP
//! CONNECT proxy when one applies), then TLS for `wss://` with the session's trusted roots.
//! Certificate verification is never off, as for REST.

use super::wake::{Waker, Woke};
use super::worker::POLL;
use crate::client::error::{Error, ErrorKind, Result};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use ureq::Proxy;
use ureq::http::Uri;

/// Where a streamer is, from its `Url` (`ws://host:port` or `wss://host:port/path`).
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub tls: bool,
    pub host: String,
    pub port: u16,
}

impl Endpoint {
    pub fn parse(url: &str) -> Result<Endpoint> {
        let bad = |why: &str| {
            Error::new(
                ErrorKind::Protocol,
                format!("the broker gave a streamer address that is not usable ({why})"),
            )
        };
        let uri: Uri = url.parse().map_err(|_| bad("not a URL"))?;
        let tls = match uri.scheme_str() {
            Some("wss" | "https") => true,
            Some("ws" | "http") => false,
            _ => return Err(bad("not ws:// or wss://")),
        };
        let host = uri.host().ok_or_else(|| bad("no host"))?;
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = uri.port_u16().unwrap_or(if tls { 443 } else { 80 });
        Ok(Endpoint { tls, host, port })
    }

    fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// What a link needs from the session: trusted roots and the proxy.
#[derive(Clone)]
pub struct Network {
    pub tls: Arc<rustls::ClientConfig>,
    /// `None`: the environment's (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, ...).
    pub proxy: Option<Proxy>,
}

/// A connected byte stream, the socket under it (to shut it down from another thread and to
/// set its timeouts), and the deadline its reads keep.
pub struct Link {
    pub io: Box<dyn ReadWrite>,
    pub tcp: TcpStream,
    pub deadline: Deadline,
}

pub trait ReadWrite: Read + Write + Send {}
impl<T: Read + Write + Send> ReadWrite for T {}

/// Connects to `endpoint` within `timeout`. The I/O thread's reads of the connection will wait
/// for `waker` as well as for the socket.
pub fn connect(
    endpoint: &Endpoint,
    network: &Network,
    timeout: Duration,
    waker: Option<Arc<Waker>>,
) -> Result<Link> {
    let deadline = Instant::now() + timeout;
    let proxy = network.proxy.clone().or_else(Proxy::try_from_env);
    let target: Uri = format!(
        "{}://{}/",
        if endpoint.tls { "https" } else { "http" },
        endpoint.authority()
    )
    .parse()
    .map_err(|_| Error::invalid_argument("streamer host is not valid"))?;
    let proxy = proxy.filter(|p| !p.is_no_proxy(&target));
    let tcp = match &proxy {
        Some(p) if crate::client::tcp::is_socks(p) => {
            return Err(Error::new(
                ErrorKind::Network,
                crate::client::tcp::SOCKS_REFUSED,
            ));
        }
        Some(p) => {
            let tcp = tcp_to(p.host(), p.port(), deadline)?;
            tunnel(&tcp, &endpoint.authority(), p, deadline)?;
            tcp
        }
        None => tcp_to(&endpoint.host, endpoint.port, deadline)?,
    };
    tcp.set_nodelay(true).map_err(network_error)?;
    // The handshakes (TLS, WebSocket, the streamer session) share the connect deadline.
    set_timeouts(&tcp, deadline)?;
    let deadline = Deadline::new();
    let io: Box<dyn ReadWrite> = if endpoint.tls {
        let name = rustls::pki_types::ServerName::try_from(endpoint.host.clone())
            .map_err(|_| Error::invalid_argument("streamer host is not a valid TLS name"))?;
        let conn = rustls::ClientConnection::new(network.tls.clone(), name)
            .map_err(|e| Error::new(ErrorKind::Tls, format!("TLS error: {e}")))?;
        let mut tls = rustls::StreamOwned::new(conn, reader_of(&tcp, &deadline, waker)?);
        // Finishes the handshake now, so a certificate failure is a TLS error of the connect.
        while tls.conn.is_handshaking() {
            tls.conn
                .complete_io(&mut tls.sock)
                .map_err(|e| io_error(e, "TLS handshake with the streamer"))?;
        }
        Box::new(tls)
    } else {
        Box::new(reader_of(&tcp, &deadline, waker)?)
    };
    Ok(Link { io, tcp, deadline })
}

/// The socket as the WebSocket reads it.
fn reader_of(tcp: &TcpStream, deadline: &Deadline, waker: Option<Arc<Waker>>) -> Result<Gate> {
    tcp.try_clone()
        .map(|tcp| Gate {
            tcp,
            deadline: deadline.clone(),
            waker,
        })
        .map_err(network_error)
}

/// When a read of the stream's socket gives up, and when one last brought bytes. The I/O
/// thread's reads wait up to `POLL`, or until it is woken (`Limit::UntilWoken`). A caller's
/// thread reading for itself sets its own limit (down to 0, a poll), either as an instant or as
/// a wait the next read of the socket fixes from the clock it reads anyway (a caller that finds
/// a message already read in pays for no clock); each of its reads blocks no longer than the
/// socket's read timeout, `CALLER_READ`. Whoever reads sets it; one thread reads at a time.
#[derive(Clone)]
pub struct Deadline {
    marks: Arc<Marks>,
    epoch: Instant,
}

/// Nanoseconds after `epoch` (0: none), and a wait not yet fixed (its nanoseconds + 1).
#[derive(Default)]
struct Marks {
    at: AtomicU64,
    within: AtomicU64,
    /// When a read last brought bytes: one reading of the clock per read of the socket, which
    /// brings many messages of a busy stream, rather than one per message.
    last_data: AtomicU64,
    /// The reads are the I/O thread's (`Limit::UntilWoken`).
    until_woken: AtomicBool,
}

/// A time limit for the reads of a caller's thread, or the I/O thread's none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    None,
    /// The I/O thread's: no limit, but a wake-up (a caller's command) ends a wait.
    UntilWoken,
    At(Instant),
    /// This long from the next read of the socket.
    Within(Duration),
}

impl Deadline {
    fn new() -> Deadline {
        Deadline {
            marks: Arc::default(),
            epoch: Instant::now(),
        }
    }

    fn nanos(&self, at: Instant) -> u64 {
        (at.saturating_duration_since(self.epoch).as_nanos() as u64).max(1)
    }

    fn instant(&self, ns: u64) -> Option<Instant> {
        (ns != 0).then(|| self.epoch + Duration::from_nanos(ns))
    }

    /// When a read last brought bytes (`None`: never).
    pub fn last_data(&self) -> Option<Instant> {
        self.instant(self.marks.last_data.load(Ordering::Relaxed))
    }

    pub fn set(&self, limit: Limit) {
        self.marks
            .until_woken
            .store(limit == Limit::UntilWoken, Ordering::Relaxed);
        let (at, within) = match limit {
            Limit::None | Limit::UntilWoken => (0, 0),
            Limit::At(at) => (self.nanos(at), 0),
            Limit::Within(wait) => (0, (wait.as_nanos() as u64).saturating_add(1)),
        };
        self.marks.at.store(at, Ordering::Relaxed);
        self.marks.within.store(within, Ordering::Relaxed);
    }

    /// The limit as an instant, once fixed (`None`: none, or a wait no read has fixed yet).
    pub fn fixed(&self) -> Option<Instant> {
        self.instant(self.marks.at.load(Ordering::Relaxed))
    }

    /// How long a read may wait from `now` (`None`: no limit), fixing a wait from `now`.
    fn left(&self, now: Instant) -> Option<Duration> {
        let within = self.marks.within.swap(0, Ordering::Relaxed);
        if within != 0 {
            let at = now + Duration::from_nanos(within - 1);
            self.marks.at.store(self.nanos(at), Ordering::Relaxed);
            return Some(at - now);
        }
        self.fixed().map(|at| at.saturating_duration_since(now))
    }

    fn is_set(&self) -> bool {
        self.marks.at.load(Ordering::Relaxed) != 0 || self.marks.within.load(Ordering::Relaxed) != 0
    }

    /// Whether the reads are the I/O thread's, which a wake-up ends.
    fn until_woken(&self) -> bool {
        self.marks.until_woken.load(Ordering::Relaxed)
    }

    fn data_came(&self) {
        let ns = self.nanos(Instant::now());
        self.marks.last_data.store(ns, Ordering::Relaxed);
    }
}

/// The socket, read only once a poll says a read will not wait past the deadline (when one is
/// set); a poll that finds nothing is `WouldBlock`, which the WebSocket and TLS layers take as
/// "nothing yet" and resume from. The I/O thread's reads of a live connection wait in a poll of
/// the socket and the stream's waker together, so that a caller's subscribe goes out at once. A
/// caller's own reads keep to a plain read: a poll ahead of every read cost them 4 µs of latency
/// a message on one shared core, and a caller in `next` is not the one subscribing (another
/// thread's subscribe waits for that read, `CALLER_READ` at most). On Windows every read is
/// polled first, the socket's read timeout as the wait when no deadline is set: after a read
/// that times out through `SO_RCVTIMEO` Winsock leaves the socket in an indeterminate state (its
/// documentation says so), while a poll that times out leaves it as it was.
struct Gate {
    tcp: TcpStream,
    deadline: Deadline,
    waker: Option<Arc<Waker>>,
}

impl Read for Gate {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.deadline.until_woken() {
            let ready = match self.waker.as_deref() {
                Some(waker) => waker.wait(&self.tcp, POLL)? == Woke::Readable,
                // No waker (the system gave no descriptors): the socket alone, as long.
                None => crate::client::tcp::readable_within(&self.tcp, Some(POLL))?,
            };
            if !ready {
                return Err(io::ErrorKind::WouldBlock.into());
            }
        } else {
            let left = if self.deadline.is_set() {
                self.deadline.left(Instant::now())
            } else {
                None
            };
            // A limit past the socket's own timeout (`CALLER_READ`) is left to it: the read
            // gives up by then anyway, and the reader looks at the limit again.
            #[cfg(not(windows))]
            let poll = left.filter(|&left| left < super::worker::CALLER_READ);
            #[cfg(windows)]
            let poll = match (left, self.tcp.read_timeout()?) {
                (Some(left), Some(timeout)) => Some(left.min(timeout)),
                (left, timeout) => left.or(timeout),
            };
            if (cfg!(windows) || poll.is_some())
                && !crate::client::tcp::readable_within(&self.tcp, poll)?
            {
                return Err(io::ErrorKind::WouldBlock.into());
            }
        }
        let n = (&self.tcp).read(buf)?;
        if n > 0 {
            self.deadline.data_came();
        }
        Ok(n)
    }
}

impl Write for Gate {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (&self.tcp).write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        (&self.tcp).flush()
    }
}

fn tcp_to(host: &str, port: u16, deadline: Instant) -> Result<TcpStream> {
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|e| {
            Error::new(
                ErrorKind::Network,
                format!("cannot resolve the streamer host: {e}"),
            )
        })?
        .collect();
    let mut last = Error::new(ErrorKind::Network, "the streamer host has no address");
    for addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(timed_out("connecting to the streamer"));
        }
        match TcpStream::connect_timeout(&addr, left) {
            Ok(tcp) => return Ok(tcp),
            Err(e) => last = io_error(e, "connecting to the streamer"),
        }
    }
    Err(last)
}

/// An HTTP CONNECT tunnel through the proxy to `authority`.
fn tunnel(tcp: &TcpStream, authority: &str, proxy: &Proxy, deadline: Instant) -> Result<()> {
    set_timeouts(tcp, deadline)?;
    let mut request = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
    if let (Some(user), Some(password)) = (proxy.username(), proxy.password()) {
        use std::fmt::Write as _;
        let basic = base64(format!("{user}:{password}").as_bytes());
        let _ = write!(request, "Proxy-Authorization: Basic {basic}\r\n");
    }
    request.push_str("\r\n");
    let mut writer = tcp;
    writer
        .write_all(request.as_bytes())
        .map_err(|e| io_error(e, "talking to the proxy"))?;
    let mut reader = BufReader::new(tcp);
    let mut status = String::new();
    reader
        .read_line(&mut status)
        .map_err(|e| io_error(e, "reading the proxy's answer"))?;
    if status.split_whitespace().nth(1) != Some("200") {
        return Err(Error::new(
            ErrorKind::Network,
            format!(
                "proxy error: the proxy refused the tunnel to the streamer ({})",
                status.trim()
            ),
        ));
    }
    loop {
        let mut line = String::new();
        let n = reader
            .read_line(&mut line)
            .map_err(|e| io_error(e, "reading the proxy's answer"))?;
        if n == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    // The proxy sends nothing more until the streamer speaks, so the reader holds no bytes.
    Ok(())
}

fn set_timeouts(tcp: &TcpStream, deadline: Instant) -> Result<()> {
    let left = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_millis(1));
    tcp.set_read_timeout(Some(left)).map_err(network_error)?;
    tcp.set_write_timeout(Some(left)).map_err(network_error)
}

/// Shuts the socket down, waking a thread blocked reading it.
pub fn shut(tcp: &TcpStream) {
    let _ = tcp.shutdown(Shutdown::Both);
}

fn timed_out(what: &str) -> Error {
    Error::new(ErrorKind::Timeout, format!("timed out {what}"))
}

fn network_error(e: io::Error) -> Error {
    Error::new(ErrorKind::Network, format!("network error: {e}"))
}

/// Sorts an I/O failure as REST does: timeouts, TLS failures, network errors.
pub fn io_error(e: io::Error, what: &str) -> Error {
    if e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) {
        return Error::new(ErrorKind::Tls, format!("TLS error {what}: {e}"));
    }
    match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => timed_out(what),
        _ => Error::new(ErrorKind::Network, format!("network error {what}: {e}")),
    }
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::worker::CALLER_READ;
    use super::*;
    use crate::client::tcp::loopback_pair;

    /// A read that found nothing in time, as the socket's timeout or a poll says so.
    fn gave_up(e: &io::Error) -> bool {
        matches!(
            e.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        )
    }

    /// Quiet spells end in timeouts, and what comes after each is read whole: on Windows the
    /// wait is a poll (`Polled`), elsewhere the socket's own timeout.
    #[test]
    fn a_quiet_socket_times_out_again_and_again_and_still_reads_what_comes() {
        let (tcp, mut server) = loopback_pair();
        tcp.set_read_timeout(Some(Duration::from_millis(30)))
            .unwrap();
        let mut reader = reader_of(&tcp, &Deadline::new(), None).unwrap();
        let mut buf = [0u8; 16];
        for round in 0..3u8 {
            let started = Instant::now();
            let quiet = reader.read(&mut buf).unwrap_err();
            assert!(gave_up(&quiet), "{quiet:?}");
            assert!(started.elapsed() >= Duration::from_millis(20));
            server.write_all(&[b'a' + round; 3]).unwrap();
            let mut got = Vec::new();
            while got.len() < 3 {
                let n = reader.read(&mut buf).unwrap();
                got.extend_from_slice(&buf[..n]);
            }
            assert_eq!(got, [b'a' + round; 3]);
        }
    }

    /// Without a waker (the system gave no descriptors for one), the I/O thread's reads still
    /// wait `POLL`, not the callers' shorter socket timeout, and read what comes.
    #[test]
    fn the_io_threads_reads_without_a_waker_wait_as_long_and_read_what_comes() {
        let (tcp, mut server) = loopback_pair();
        tcp.set_read_timeout(Some(CALLER_READ)).unwrap();
        let deadline = Deadline::new();
        let mut reader = reader_of(&tcp, &deadline, None).unwrap();
        deadline.set(Limit::UntilWoken);
        let mut buf = [0u8; 16];
        let started = Instant::now();
        let e = reader.read(&mut buf).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
        let waited = started.elapsed();
        assert!(
            waited >= POLL - Duration::from_millis(5) && waited < Duration::from_secs(4),
            "{waited:?}"
        );
        server.write_all(b"abc").unwrap();
        let mut got = Vec::new();
        while got.len() < 3 {
            let n = reader.read(&mut buf).unwrap();
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, b"abc");
    }

    /// A caller's thread reading for itself waits no longer than its deadline, 0 included:
    /// a deadline before the socket's read timeout by a poll, a later one by reads that each
    /// give up at that timeout (`CALLER_READ`, as a live connection has it).
    #[test]
    fn a_read_with_a_deadline_gives_up_at_it_and_reads_what_is_there() {
        let (tcp, mut server) = loopback_pair();
        tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let deadline = Deadline::new();
        let mut reader = reader_of(&tcp, &deadline, None).unwrap();
        let mut buf = [0u8; 16];
        deadline.set(Limit::At(Instant::now()));
        let e = reader.read(&mut buf).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
        let started = Instant::now();
        deadline.set(Limit::At(started + CALLER_READ / 2));
        let e = reader.read(&mut buf).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
        let waited = started.elapsed();
        assert!(
            waited >= CALLER_READ / 4 && waited < Duration::from_secs(4),
            "{waited:?}"
        );
        tcp.set_read_timeout(Some(CALLER_READ)).unwrap();
        let started = Instant::now();
        let at = started + Duration::from_millis(40);
        deadline.set(Limit::At(at));
        while Instant::now() < at {
            let e = reader.read(&mut buf).unwrap_err();
            assert!(gave_up(&e), "{e:?}");
            assert!(started.elapsed() < Duration::from_secs(4));
        }
        let waited = started.elapsed();
        assert!(waited < Duration::from_secs(1), "{waited:?}");
        server.write_all(b"xyz").unwrap();
        let asked = Instant::now();
        deadline.set(Limit::Within(Duration::from_secs(2)));
        assert_eq!(deadline.fixed(), None, "fixed by the next read");
        let mut got = Vec::new();
        while got.len() < 3 {
            let n = reader.read(&mut buf).unwrap();
            got.extend_from_slice(&buf[..n]);
        }
        assert_eq!(got, b"xyz");
        let fixed = deadline.fixed().expect("the read fixed it") - asked;
        assert!(
            fixed >= Duration::from_secs(2) && fixed < Duration::from_secs(3),
            "{fixed:?}"
        );
        deadline.set(Limit::None);
        server.write_all(b"!").unwrap();
        assert_eq!(reader.read(&mut buf).unwrap(), 1);
    }

    #[test]
    fn streamer_addresses() {
        let e = Endpoint::parse("wss://q.example.com:9995").unwrap();
        assert_eq!(
            (e.tls, e.host.as_str(), e.port),
            (true, "q.example.com", 9995)
        );
        let e = Endpoint::parse("ws://127.0.0.1:81/").unwrap();
        assert_eq!(
            (e.tls, e.port, e.authority()),
            (false, 81, "127.0.0.1:81".to_owned())
        );
        assert_eq!(Endpoint::parse("wss://h").unwrap().port, 443);
        assert_eq!(
            Endpoint::parse("ws://[::1]:5").unwrap().authority(),
            "[::1]:5"
        );
        assert!(Endpoint::parse("ftp://h").is_err() && Endpoint::parse("nonsense").is_err());
    }

    #[test]
    fn basic_credentials() {
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }
}
