//! The TCP layer under ureq, written for a request loop that should cost the kernel no more than
//! one write and one read.
//!
//! ureq's own TCP transport spends eight extra system calls per keep-alive request: it re-arms
//! the socket timeout (`setsockopt`) whenever the remaining deadline moves, which is on every
//! read and write, and it probes a pooled socket both when returning it and when taking it, each
//! probe three calls (non-blocking on, read, non-blocking off). Here a timeout is re-armed only
//! when the armed one is off by more than 1/64 of what is wanted, and a socket is probed once, on
//! its way out of the pool, with a single non-blocking peek.
//!
//! An `https` connection is secured here too, straight on the socket (`tls.rs` holds the TLS
//! itself): ureq's TLS link would sit on top of this one through an adapter, with a second pair
//! of buffers per connection and a copy of every byte between them, and would go through the
//! probe of a plain socket, which takes a late TLS 1.3 ticket for garbage and drops the
//! connection.

use crate::client::tls::{self, Tls};
use rustls::ClientConfig;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, ShutdownHandle,
    Transport,
};
use ureq::{Error, Proxy, ProxyProtocol, Timeout};

/// Fails a connection that a SOCKS proxy should carry (one `NO_PROXY` exempts goes direct).
/// libetna speaks to HTTP CONNECT proxies only; without this link ureq would, for a SOCKS proxy
/// from the environment, connect directly, quietly leaving the network path the user chose.
#[derive(Debug, Default)]
pub struct RefuseSocks;

impl<In: Transport> Connector<In> for RefuseSocks {
    type Out = In;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, Error> {
        let carries = |p: &Proxy| is_socks(p) && !p.is_no_proxy(details.uri);
        if details.config.proxy().is_some_and(carries) {
            return Err(Error::ConnectProxyFailed(SOCKS_REFUSED.into()));
        }
        Ok(chained)
    }
}

pub fn is_socks(proxy: &Proxy) -> bool {
    !matches!(proxy.protocol(), ProxyProtocol::Http | ProxyProtocol::Https)
}

pub const SOCKS_REFUSED: &str = "SOCKS proxies are not supported; use an http:// (CONNECT) proxy";

/// Opens TCP connections (to the broker, or to a CONNECT proxy) unless an earlier link of the
/// chain already made one, and secures those to an `https` URI with `tls`.
pub struct TcpConnector {
    pub tls: Arc<ClientConfig>,
}

impl std::fmt::Debug for TcpConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpConnector").finish()
    }
}

impl<In: Transport> Connector<In> for TcpConnector {
    type Out = Either<In, TcpTransport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, Error> {
        if let Some(transport) = chained {
            return Ok(Some(Either::A(transport)));
        }
        let started = Instant::now();
        let budget = details.timeout.not_zero().map(|t| *t);
        let stream = connect_any(details.addrs.iter().copied(), budget)?;
        if details.config.no_delay() {
            stream.set_nodelay(true)?;
        }
        let config = details.config;
        let mut transport = TcpTransport {
            stream: Arc::new(stream),
            tls: None,
            buffers: LazyBuffers::new(config.input_buffer_size(), config.output_buffer_size()),
            read_armed: None,
            write_armed: None,
            just_read: false,
        };
        // Lets Agent::shutdown (the session's cancel) break a read blocked on this socket, the
        // TLS handshake's too.
        (details.register_shutdown)(Arc::downgrade(&transport.stream) as Weak<dyn ShutdownHandle>)?;
        if details.needs_tls() {
            transport.handshake(&self.tls, details, budget, started)?;
        }
        Ok(Some(Either::B(transport)))
    }
}

/// Tries the addresses in order; each but the last gets half of the time left, so one that
/// swallows packets does not use up the budget of the others. Running out of time is always
/// `Timeout::Connect`, whichever deadline was nearer: it says nothing was sent.
fn connect_any(
    addrs: impl ExactSizeIterator<Item = SocketAddr>,
    budget: Option<Duration>,
) -> Result<TcpStream, Error> {
    const MIN_ATTEMPT: Duration = Duration::from_millis(10);
    let start = Instant::now();
    let count = addrs.len();
    let mut last = None;
    for (i, addr) in addrs.enumerate() {
        let attempt = match budget {
            None => TcpStream::connect(addr),
            Some(budget) => {
                let left = budget.saturating_sub(start.elapsed());
                if left.is_zero() {
                    return Err(Error::Timeout(Timeout::Connect));
                }
                let share = if i + 1 == count { left } else { left / 2 };
                TcpStream::connect_timeout(&addr, share.max(MIN_ATTEMPT).min(left))
            }
        };
        match attempt {
            Ok(stream) => return Ok(stream),
            Err(e) if only_this_address(&e) => last = Some(Error::Io(e)),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
                ) =>
            {
                last = Some(Error::Timeout(Timeout::Connect));
            }
            Err(e) => return Err(Error::Io(e)),
        }
    }
    Err(last.unwrap_or_else(|| Error::Io(io::ErrorKind::ConnectionRefused.into())))
}

/// Failures after which another address of the same host may still answer.
fn only_this_address(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::HostUnreachable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::NetworkDown
            | io::ErrorKind::AddrNotAvailable
    )
}

pub struct TcpTransport {
    /// Shared (weakly) with the agent's shutdown handle; all I/O goes through `&TcpStream`.
    stream: Arc<TcpStream>,
    /// For `https`: what goes through `buffers` is the plaintext, and the socket carries TLS.
    tls: Option<Box<Tls>>,
    buffers: LazyBuffers,
    read_armed: Option<Duration>,
    write_armed: Option<Duration>,
    /// Set by a read, cleared by the next probe: the probe ureq makes when it returns a socket
    /// to the pool right after reading the answer is skipped, the one when it takes the socket
    /// out again is not. Anything the server sent or closed in between is seen by the latter.
    just_read: bool,
}

impl std::fmt::Debug for TcpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpTransport")
            .field("peer", &self.stream.peer_addr().ok())
            .finish()
    }
}

impl TcpTransport {
    /// The TLS handshake, within what is left of the connect budget: running out of it is
    /// `Timeout::Connect` (nothing of the request was sent).
    fn handshake(
        &mut self,
        config: &Arc<ClientConfig>,
        details: &ConnectionDetails,
        budget: Option<Duration>,
        started: Instant,
    ) -> Result<(), Error> {
        let mut session = Tls::new(config, tls::server_name(details.uri)?)?;
        let left = match budget {
            Some(budget) => {
                let left = budget.saturating_sub(started.elapsed());
                if left.is_zero() {
                    return Err(Error::Timeout(Timeout::Connect));
                }
                Some(left)
            }
            None => None,
        };
        self.stream.set_read_timeout(left)?;
        self.stream.set_write_timeout(left)?;
        (self.read_armed, self.write_armed) = (left, left);
        session
            .handshake(&mut &*self.stream)
            .map_err(|e| io_error(e, Timeout::Connect))?;
        self.tls = Some(Box::new(session));
        Ok(())
    }
}

impl Transport for TcpTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        let timeout = timeout.for_write();
        let wanted = time_left(&timeout)?;
        rearm(&mut self.write_armed, wanted, |t| {
            self.stream.set_write_timeout(t)
        })?;
        let output = &self.buffers.output()[..amount];
        match &mut self.tls {
            None => (&*self.stream).write_all(output),
            Some(tls) => tls.send(output, &mut &*self.stream),
        }
        .map_err(|e| io_error(e, timeout.reason))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        let timeout = timeout.for_read();
        let wanted = time_left(&timeout)?;
        let started = Instant::now();
        rearm(&mut self.read_armed, wanted, |t| {
            self.stream.set_read_timeout(t)
        })?;
        let amount = loop {
            let input = self.buffers.input_append_buf();
            let read = match &mut self.tls {
                None => (&*self.stream).read(input),
                Some(tls) => tls.recv(input, &mut &*self.stream),
            };
            match read {
                Ok(n) => break n,
                // Linux does not restart a socket read with a timeout after a signal: go on
                // with what is left of the time.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    let Some(wanted) = wanted else {
                        return Err(Error::Io(e));
                    };
                    let left = wanted.saturating_sub(started.elapsed());
                    if left.is_zero() {
                        return Err(Error::Timeout(timeout.reason));
                    }
                    rearm(&mut self.read_armed, Some(left), |t| {
                        self.stream.set_read_timeout(t)
                    })?;
                }
                Err(e) => return Err(io_error(e, timeout.reason)),
            }
        };
        self.buffers.input_appended(amount);
        self.just_read = true;
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        if std::mem::take(&mut self.just_read) {
            return true;
        }
        match &mut self.tls {
            None => idle_and_open(&self.stream),
            // Takes in what arrived (a late ticket or a key update is fine), one system call
            // when nothing did.
            Some(tls) => tls.idle_and_open(&mut Ready(&self.stream)),
        }
    }

    fn is_tls(&self) -> bool {
        self.tls.is_some()
    }
}

/// Reads what the socket already holds, without waiting: `WouldBlock` when nothing.
struct Ready<'a>(&'a TcpStream);

#[cfg(unix)]
impl Read for Ready<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::os::fd::AsRawFd;
        // SAFETY: a valid open descriptor and a buffer of `buf.len()` bytes we may write.
        let n = unsafe {
            libc::recv(
                self.0.as_raw_fd(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                libc::MSG_DONTWAIT,
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(n as usize)
    }
}

/// Windows has no per-call `MSG_DONTWAIT`: a poll that does not wait says whether a read would
/// return at once (bytes, the server's close, an error), and only then is the read made. One call
/// when nothing came, as on Unix, and the socket never leaves blocking mode.
#[cfg(windows)]
impl Read for Ready<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !readable_now(self.0)? {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        (&*self.0).read(buf)
    }
}

#[cfg(not(any(unix, windows)))]
impl Read for Ready<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.set_nonblocking(true)?;
        let read = (&*self.0).read(buf);
        self.0.set_nonblocking(false)?;
        read
    }
}

/// What is left of the time for the next read or write (`None`: no limit), or the timeout
/// error if nothing is.
fn time_left(timeout: &NextTimeout) -> Result<Option<Duration>, Error> {
    if !timeout.after.is_not_happening() && timeout.after.is_zero() {
        return Err(Error::Timeout(timeout.reason));
    }
    Ok(timeout.not_zero().map(|t| *t))
}

/// Sets the socket timeout to `wanted` unless the one armed is already within 1/64 of it. A
/// read may thus wait up to 1.6% past the deadline; the saving is a system call per read and
/// per write.
fn rearm(
    armed: &mut Option<Duration>,
    wanted: Option<Duration>,
    set: impl FnOnce(Option<Duration>) -> io::Result<()>,
) -> io::Result<()> {
    let close_enough = match (*armed, wanted) {
        (Some(armed), Some(wanted)) => armed.abs_diff(wanted) <= wanted / 64,
        (None, None) => true,
        _ => false,
    };
    if !close_enough {
        set(wanted)?;
        *armed = wanted;
    }
    Ok(())
}

/// A socket timeout surfaces as WouldBlock (Unix) or TimedOut (Windows).
fn io_error(e: io::Error, reason: Timeout) -> Error {
    match e.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Error::Timeout(reason),
        _ => Error::Io(e),
    }
}

/// Whether a pooled socket is still usable: nothing to read (bytes now would be garbage after
/// an answer) and not closed by the server.
#[cfg(unix)]
fn idle_and_open(stream: &TcpStream) -> bool {
    use std::os::fd::AsRawFd;
    let mut byte = 0u8;
    loop {
        // SAFETY: a valid open descriptor and a one-byte buffer we own.
        let n = unsafe {
            libc::recv(
                stream.as_raw_fd(),
                (&mut byte as *mut u8).cast(),
                1,
                libc::MSG_PEEK | libc::MSG_DONTWAIT,
            )
        };
        if n >= 0 {
            return false;
        }
        match io::Error::last_os_error().kind() {
            io::ErrorKind::WouldBlock => return true,
            io::ErrorKind::Interrupted => continue,
            _ => return false,
        }
    }
}

/// Readable now means bytes, a close or an error: none of them leaves the socket reusable. One
/// call, like the peek on Unix.
#[cfg(windows)]
fn idle_and_open(stream: &TcpStream) -> bool {
    matches!(readable_now(stream), Ok(false))
}

/// Whether a read would return without waiting (`WSAPoll` with a zero timeout): there are bytes,
/// the server closed the connection, or the socket failed.
#[cfg(windows)]
fn readable_now(stream: &TcpStream) -> io::Result<bool> {
    readable_within(stream, Some(Duration::ZERO))
}

/// `wait` as `poll` and `WSAPoll` take it: -1 for none, and a wait below a millisecond rounded
/// up (zero would not wait at all).
#[cfg(any(unix, windows))]
fn poll_ms(wait: Option<Duration>) -> i32 {
    wait.map_or(-1, |w| {
        if w.is_zero() {
            0
        } else {
            w.as_millis().clamp(1, i32::MAX as u128) as i32
        }
    })
}

/// Whether a read would return within `wait` (`None`: however long it takes).
#[cfg(any(unix, windows))]
pub(crate) fn readable_within(stream: &TcpStream, wait: Option<Duration>) -> io::Result<bool> {
    Ok(readable([handle(stream)], wait)?[0])
}

/// What `readable` polls for a socket: its descriptor on Unix, its handle on Windows.
#[cfg(unix)]
pub(crate) fn handle(s: &impl std::os::fd::AsRawFd) -> std::os::fd::RawFd {
    s.as_raw_fd()
}

#[cfg(windows)]
pub(crate) fn handle(
    s: &impl std::os::windows::io::AsRawSocket,
) -> std::os::windows::io::RawSocket {
    s.as_raw_socket()
}

/// Both ends of a TCP connection on loopback: the client's, then the server's.
#[cfg(test)]
pub(crate) fn loopback_pair() -> (TcpStream, TcpStream) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    (client, listener.accept().unwrap().0)
}

/// Which of `fds` a read would not wait on, once one is or `wait` is over (`None`: however long
/// it takes), by one `poll`. A close or an error counts as readable: it comes back in `revents`
/// (POLLHUP, POLLERR) whatever was asked for.
#[cfg(unix)]
pub(crate) fn readable<const N: usize>(
    fds: [std::os::fd::RawFd; N],
    wait: Option<Duration>,
) -> io::Result<[bool; N]> {
    let mut polls = fds.map(|fd| libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    });
    let ms = poll_ms(wait);
    loop {
        // SAFETY: `N` pollfds we own, for the length of the call (a descriptor that is not open
        // comes back as POLLNVAL, not as undefined behaviour).
        let ready = unsafe { libc::poll(polls.as_mut_ptr(), N as libc::nfds_t, ms) };
        if ready >= 0 {
            return Ok(polls.map(|p| p.revents != 0));
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Which of `sockets` a read would not wait on, once one is or `wait` is over (`None`: however
/// long it takes), by one `WSAPoll`. A close or an error counts as readable.
#[cfg(windows)]
pub(crate) fn readable<const N: usize>(
    sockets: [std::os::windows::io::RawSocket; N],
    wait: Option<Duration>,
) -> io::Result<[bool; N]> {
    use windows_sys::Win32::Networking::WinSock::{
        POLLRDNORM, SOCKET_ERROR, WSAGetLastError, WSAPOLLFD, WSAPoll,
    };
    let mut polls = sockets.map(|socket| WSAPOLLFD {
        fd: socket as usize,
        events: POLLRDNORM,
        revents: 0,
    });
    let ms = poll_ms(wait);
    // SAFETY: `N` WSAPOLLFDs we own, for the length of the call.
    let ready = unsafe { WSAPoll(polls.as_mut_ptr(), N as u32, ms) };
    if ready == SOCKET_ERROR {
        // SAFETY: no arguments; reads this thread's last Winsock error, set by the call above.
        return Err(io::Error::from_raw_os_error(unsafe { WSAGetLastError() }));
    }
    Ok(polls.map(|p| p.revents != 0))
}

#[cfg(not(any(unix, windows)))]
fn idle_and_open(stream: &TcpStream) -> bool {
    if stream.set_nonblocking(true).is_err() {
        return false;
    }
    let idle = matches!(stream.peek(&mut [0u8]), Err(e) if e.kind() == io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).is_ok() && idle
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn armed_after(armed: Option<Duration>, wanted: Option<Duration>) -> (Option<Duration>, bool) {
        let mut armed = armed;
        let mut called = false;
        rearm(&mut armed, wanted, |_| {
            called = true;
            Ok(())
        })
        .unwrap();
        (armed, called)
    }

    #[test]
    fn a_deadline_that_moved_a_little_is_not_rearmed() {
        let wanted = Duration::from_secs(30);
        let (armed, called) = armed_after(Some(wanted - Duration::from_micros(30)), Some(wanted));
        assert!(!called);
        assert_eq!(armed, Some(wanted - Duration::from_micros(30)));
    }

    #[test]
    fn a_deadline_that_moved_much_is_rearmed_either_way() {
        let wanted = Duration::from_secs(1);
        for armed in [Duration::from_secs(2), Duration::from_millis(500)] {
            assert_eq!(armed_after(Some(armed), Some(wanted)), (Some(wanted), true));
        }
        assert_eq!(armed_after(None, Some(wanted)), (Some(wanted), true));
        assert_eq!(armed_after(Some(wanted), None), (None, true));
        assert_eq!(armed_after(None, None), (None, false));
    }

    #[test]
    fn the_slack_shrinks_with_the_time_left() {
        // 1 ms left: an armed 1.1 ms would overshoot by 10%; it is re-armed.
        let wanted = Duration::from_millis(1);
        let (_, called) = armed_after(Some(Duration::from_micros(1100)), Some(wanted));
        assert!(called);
    }

    #[test]
    fn a_probe_sees_an_idle_socket_a_closed_one_and_unread_bytes() {
        let (client, mut server) = loopback_pair();
        assert!(idle_and_open(&client), "nothing sent: idle");
        server.write_all(b"x").unwrap();
        std::thread::sleep(Duration::from_millis(20));
        assert!(!idle_and_open(&client), "unread bytes: not reusable");
        let mut byte = [0u8];
        (&client).read_exact(&mut byte).unwrap();
        assert!(idle_and_open(&client), "bytes consumed: idle again");
        drop(server);
        std::thread::sleep(Duration::from_millis(20));
        assert!(!idle_and_open(&client), "closed by the server");
        // The probe left the socket blocking.
        client
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        assert_eq!((&client).read(&mut byte).unwrap(), 0);
    }

    #[test]
    fn connecting_tries_the_next_address_after_a_refusal() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let refused = {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap()
        };
        let live = listener.local_addr().unwrap();
        let stream =
            connect_any([refused, live].into_iter(), Some(Duration::from_secs(5))).unwrap();
        assert_eq!(stream.peer_addr().unwrap(), live);
        let only_refused = connect_any([refused].into_iter(), Some(Duration::from_secs(5)));
        assert!(
            matches!(only_refused, Err(Error::Io(ref e)) if e.kind() == io::ErrorKind::ConnectionRefused)
        );
    }
}
