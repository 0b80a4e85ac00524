//! TLS to the broker: one client configuration for the whole process per set of trusted roots,
//! and the TLS layer of a connection.
//!
//! A `rustls::ClientConfig` holds the parsed trust anchors (Mozilla's, about 150, plus the
//! application's CAs) and the session cache. Built per session, as ureq's own TLS connector does,
//! a thousand sessions parse the roots a thousand times, hold a thousand copies of them and never
//! resume a TLS session, since each new session starts with an empty cache. Here every session
//! with the same roots gets the same `Arc<ClientConfig>`: the roots are parsed once, and the
//! in-memory session cache (rustls's default: TLS 1.3 tickets and TLS 1.2 session ids, 256
//! servers) lets a new session's first connection to a broker resume the TLS session of an
//! earlier one, which skips the certificate chain and the server's signature.
//!
//! [`Tls`] is the protocol on top of a byte stream: the handshake, sending and receiving
//! application data, and the check that a pooled connection is still usable. `tcp.rs` runs it
//! straight on its own sockets (no second set of buffers between TLS and TCP); [`TlsConnector`]
//! runs it over a transport that an earlier link of ureq's chain made (a tunnel through an HTTP
//! CONNECT proxy).

use crate::client::error::{Error, ErrorKind, Result};
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore};
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, Either, LazyBuffers, NextTimeout, Transport,
    TransportAdapter,
};

/// Configurations kept for sets of extra roots. A process talks to one broker, perhaps with a
/// test CA: a handful is plenty. Beyond it the least recently used is forgotten (the sessions
/// holding it keep it).
const MAX_CONFIGS: usize = 8;

struct Cached {
    /// The extra roots, sorted and without duplicates (the key).
    extra: Vec<CertificateDer<'static>>,
    config: Arc<ClientConfig>,
}

/// Most recently used first.
static CONFIGS: Mutex<Vec<Cached>> = Mutex::new(Vec::new());
static BUILT: AtomicUsize = AtomicUsize::new(0);

/// Mozilla's roots, parsed once.
fn mozilla() -> &'static RootCertStore {
    static ROOTS: OnceLock<RootCertStore> = OnceLock::new();
    ROOTS.get_or_init(|| {
        let mut roots = RootCertStore::empty();
        roots.add_parsable_certificates(webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().cloned());
        roots
    })
}

/// The process's TLS configuration for Mozilla's roots plus `extra`: the same `Arc` for the same
/// set of extra roots (in any order), built the first time it is asked for.
pub fn client_config(extra: &[CertificateDer<'static>]) -> Result<Arc<ClientConfig>> {
    let mut key = extra.to_vec();
    key.sort_by(|a, b| a.as_ref().cmp(b.as_ref()));
    key.dedup();
    let mut configs = CONFIGS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(i) = configs.iter().position(|c| c.extra == key) {
        let hit = configs.remove(i);
        let config = hit.config.clone();
        configs.insert(0, hit);
        return Ok(config);
    }
    // Built under the lock: two sessions asking at once get one configuration, not two.
    let config = build(&key)?;
    BUILT.fetch_add(1, Ordering::Relaxed);
    configs.insert(
        0,
        Cached {
            extra: key,
            config: config.clone(),
        },
    );
    configs.truncate(MAX_CONFIGS);
    Ok(config)
}

fn build(extra: &[CertificateDer<'static>]) -> Result<Arc<ClientConfig>> {
    let mut roots = mozilla().clone();
    roots.add_parsable_certificates(extra.iter().cloned());
    // ring, as ureq and the streams use it; TLS 1.2 and 1.3.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::new(ErrorKind::Tls, format!("TLS error: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// How many TLS configurations this process has built (one per set of extra roots, unless more
/// than `MAX_CONFIGS` sets alternate). For tests and diagnostics.
pub fn configurations_built() -> usize {
    BUILT.load(Ordering::Relaxed)
}

/// The name the server's certificate must hold: the URI's host, a DNS name or an IP address
/// (`[::1]` without its brackets).
pub fn server_name(uri: &ureq::http::Uri) -> std::result::Result<ServerName<'static>, ureq::Error> {
    let host = uri.host().unwrap_or_default();
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    ServerName::try_from(host.to_owned()).map_err(|_| ureq::Error::Tls("invalid TLS server name"))
}

/// One connection's TLS: rustls's state machine, driven over any byte stream the caller hands
/// in for each call (a socket, or a transport of ureq's chain).
pub struct Tls {
    conn: ClientConnection,
}

impl Tls {
    pub fn new(
        config: &Arc<ClientConfig>,
        name: ServerName<'static>,
    ) -> std::result::Result<Self, ureq::Error> {
        Ok(Tls {
            conn: ClientConnection::new(config.clone(), name)?,
        })
    }

    /// Runs the handshake to its end. Errors of rustls come back as io errors that carry the
    /// `rustls::Error` (what `transport::classify` calls a TLS error).
    pub fn handshake(&mut self, io: &mut (impl Read + Write)) -> io::Result<()> {
        while self.conn.is_handshaking() {
            match self.conn.complete_io(io) {
                Ok(_) => {}
                // A signal: the state is as it was, go on (as std's write_all does).
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        // Whatever the last flight left queued (nothing, as a client, but cheap to be sure).
        self.flush(io)
    }

    /// Encrypts `plain` and writes it out, with anything else queued (alerts, key updates).
    pub fn send(&mut self, plain: &[u8], io: &mut impl Write) -> io::Result<()> {
        self.conn.writer().write_all(plain)?;
        self.flush(io)
    }

    fn flush(&mut self, io: &mut impl Write) -> io::Result<()> {
        while self.conn.wants_write() {
            match self.conn.write_tls(io) {
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Reads decrypted application data into `buf`, reading records from `io` until there is
    /// some. `Ok(0)`: the server closed the connection with a close_notify. A close without one
    /// is an `UnexpectedEof` error (the answer may have been cut).
    pub fn recv(&mut self, buf: &mut [u8], io: &mut (impl Read + Write)) -> io::Result<usize> {
        loop {
            match self.conn.reader().read(buf) {
                Ok(n) => return Ok(n),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(e),
            }
            // An error here (a socket timeout, a signal) leaves the TLS state as it was: the
            // caller may call again.
            self.conn.read_tls(io)?;
            if let Err(e) = self.conn.process_new_packets() {
                // The alert that says why, best effort.
                let _ = self.flush(io);
                return Err(io::Error::new(io::ErrorKind::InvalidData, e));
            }
            if self.conn.wants_write() {
                self.flush(io)?;
            }
        }
    }

    /// Whether a pooled connection can carry the next request: takes in what the server sent
    /// while it was idle, read from `ready` (which must not block: `WouldBlock` when nothing is
    /// left), and says no after a close, an error, or application data nobody asked for. TLS 1.3
    /// tickets and key updates that arrive late are taken in here and keep it usable.
    pub fn idle_and_open(&mut self, ready: &mut impl Read) -> bool {
        loop {
            match self.conn.process_new_packets() {
                Ok(state) if state.plaintext_bytes_to_read() == 0 && !state.peer_has_closed() => {}
                _ => return false,
            }
            match self.conn.read_tls(ready) {
                Ok(0) => return false,
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
    }
}

/// The TLS link of ureq's connector chain, for connections that an earlier link made and did not
/// secure (the tunnel of a CONNECT proxy; `tcp.rs` secures its own sockets itself).
pub struct TlsConnector {
    pub config: Arc<ClientConfig>,
}

impl std::fmt::Debug for TlsConnector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsConnector").finish()
    }
}

impl<In: Transport> Connector<In> for TlsConnector {
    type Out = Either<In, ChainedTls>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<In>,
    ) -> std::result::Result<Option<Self::Out>, ureq::Error> {
        let Some(transport) = chained else {
            return Ok(None);
        };
        if !details.needs_tls() || transport.is_tls() {
            return Ok(Some(Either::A(transport)));
        }
        let mut tls = Tls::new(&self.config, server_name(details.uri)?)?;
        let mut io = TransportAdapter::new(transport.boxed(), details.current_time.clone());
        io.set_timeout(details.timeout);
        tls.handshake(&mut io)?;
        let config = details.config;
        Ok(Some(Either::B(ChainedTls {
            tls,
            io,
            buffers: LazyBuffers::new(config.input_buffer_size(), config.output_buffer_size()),
        })))
    }
}

/// TLS over another transport of the chain.
pub struct ChainedTls {
    tls: Tls,
    io: TransportAdapter,
    buffers: LazyBuffers,
}

impl std::fmt::Debug for ChainedTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainedTls")
            .field("inner", &self.io.get_ref())
            .finish()
    }
}

impl Transport for ChainedTls {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(
        &mut self,
        amount: usize,
        timeout: NextTimeout,
    ) -> std::result::Result<(), ureq::Error> {
        self.io.set_timeout(timeout);
        let output = &self.buffers.output()[..amount];
        Ok(self.tls.send(output, &mut self.io)?)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> std::result::Result<bool, ureq::Error> {
        self.io.set_timeout(timeout);
        let amount = self
            .tls
            .recv(self.buffers.input_append_buf(), &mut self.io)?;
        self.buffers.input_appended(amount);
        Ok(amount > 0)
    }

    fn is_open(&mut self) -> bool {
        self.io.get_mut().is_open()
    }

    fn is_tls(&self) -> bool {
        true
    }
}
