//! HTTP to the broker: one `ureq::Agent` (one keep-alive connection pool) per session, constant
//! headers prepared once, ureq failures sorted into the error kinds callers branch on.

use crate::client::config::{BaseUrl, Timeouts};
use crate::client::error::{Error, ErrorKind, Result};
use crate::client::resolver::CachingResolver;
use crate::client::secret::{Secret, sensitive_header};
use crate::client::tcp::{RefuseSocks, SOCKS_REFUSED, TcpConnector, is_socks};
use crate::client::tls::{self, TlsConnector};
use rustls::ClientConfig;
use rustls::pki_types::CertificateDer;
use std::io::{self, Read};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use ureq::Proxy;
use ureq::http::{self, HeaderName, HeaderValue, Method};
use ureq::unversioned::transport::{ConnectProxyConnector, Connector};

/// How many TLS client configurations the process has built: one per set of CA certificates
/// that sessions trust on top of Mozilla's, however many sessions (see `tls.rs`).
#[doc(hidden)]
pub use crate::client::tls::configurations_built as tls_configurations_built;

/// Default for the largest response body read into memory; larger is a protocol error, not an
/// allocation failure.
pub const DEFAULT_MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;
/// Per-connection buffers: headers must fit the input buffer.
const MAX_HEADER_BYTES: usize = 16 * 1024;
const INPUT_BUFFER_BYTES: usize = 16 * 1024;
const OUTPUT_BUFFER_BYTES: usize = 16 * 1024;
/// Idle keep-alive connections kept per session: enough for a handful of threads sharing it.
const POOL_SIZE: usize = 16;

pub static USER_AGENT: &str = concat!("libetna/", env!("CARGO_PKG_VERSION"));

/// One request, before the transport adds the base URL and the constant headers.
pub struct Outgoing<'a> {
    pub method: Method,
    /// Relative to the base URL: `token`, `v1.0/users/@me/info?x=1`.
    pub path: &'a str,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Body<'a>,
    /// A 2xx answer is a file, kept as bytes (`Incoming::file`), not text.
    pub file: bool,
}

pub enum Body<'a> {
    /// No body and no `Content-Length` (GET, DELETE).
    None,
    /// `Content-Length: 0`, as the broker's `/token` samples send.
    Empty,
    Json(&'a str),
}

/// The broker's answer, whatever its status.
#[derive(Debug)]
pub struct Incoming {
    pub status: u16,
    /// The answer's text (empty when it is a file).
    pub body: String,
    pub retry_after: Option<Duration>,
    /// The 2xx answer to a request for a file (`Outgoing::file`).
    pub file: Option<Vec<u8>>,
}

pub struct Transport {
    /// Replaced by a fresh one (new pool) when the session cancels its calls in flight or its
    /// TLS roots or proxy change.
    agent: RwLock<ureq::Agent>,
    options: Mutex<Options>,
    base: BaseUrl,
    app_key: HeaderValue,
}

/// What the application may change about connections.
#[derive(Clone)]
struct Options {
    /// CA certificates trusted on top of Mozilla's roots.
    extra_roots: Vec<CertificateDer<'static>>,
    /// The process's TLS configuration for those roots, shared with every session that trusts
    /// the same (and with its streams): roots parsed once, TLS sessions resumed across sessions.
    tls: Arc<ClientConfig>,
    /// `None`: the environment's (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, ...).
    proxy: Option<Proxy>,
}

impl Transport {
    pub fn new(base: BaseUrl, app_key: &Secret) -> Result<Self> {
        let app_key = sensitive_header("", app_key.expose()).ok_or_else(|| {
            Error::invalid_argument("app key contains characters not allowed in an HTTP header")
        })?;
        let options = Options {
            extra_roots: Vec::new(),
            tls: tls::client_config(&[])?,
            proxy: None,
        };
        Ok(Transport {
            agent: RwLock::new(agent_for(&options)),
            options: Mutex::new(options),
            base,
            app_key,
        })
    }

    /// Trusts the CA certificates in `pem` (on top of Mozilla's roots) for new connections.
    /// Gives how many certificates were added. Verification itself is never turned off.
    pub fn add_root_certificates(&self, pem: &[u8]) -> Result<usize> {
        let mut added = Vec::new();
        for item in ureq::tls::parse_pem(pem) {
            match item {
                Ok(ureq::tls::PemItem::Certificate(cert)) => {
                    added.push(CertificateDer::from(cert.der().to_vec()));
                }
                Ok(_) => {}
                Err(e) => {
                    return Err(Error::invalid_argument(format!(
                        "the CA file is not valid PEM: {e}"
                    )));
                }
            }
        }
        if added.is_empty() {
            return Err(Error::invalid_argument(
                "the CA file holds no PEM certificate",
            ));
        }
        let count = added.len();
        self.reconfigure(|o| {
            let mut roots = o.extra_roots.clone();
            roots.extend(added);
            o.tls = tls::client_config(&roots)?;
            o.extra_roots = roots;
            Ok(())
        })?;
        Ok(count)
    }

    /// Sends requests through the HTTP CONNECT proxy at `url` (`http://host:port`); `None` goes
    /// back to the environment's proxy settings.
    pub fn set_proxy(&self, url: Option<&str>) -> Result<()> {
        let proxy = match url {
            Some(url) => Some(Proxy::new(url).map_err(|_| {
                // The URL may carry a proxy password: it is not repeated here.
                Error::invalid_argument(
                    "the proxy URL is not valid (expected e.g. http://proxy.example:3128)",
                )
            })?),
            None => None,
        };
        if proxy.as_ref().is_some_and(is_socks) {
            return Err(Error::invalid_argument(SOCKS_REFUSED));
        }
        self.reconfigure(|o| {
            o.proxy = proxy;
            Ok(())
        })
    }

    /// New connections use the changed options; calls in flight finish on their old ones.
    fn reconfigure(&self, change: impl FnOnce(&mut Options) -> Result<()>) -> Result<()> {
        let options = {
            let mut options = self.options.lock().unwrap_or_else(|e| e.into_inner());
            change(&mut options)?;
            options.clone()
        };
        *self.agent.write().unwrap_or_else(|e| e.into_inner()) = agent_for(&options);
        Ok(())
    }

    fn options(&self) -> Options {
        self.options
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The TLS configuration new connections use (shared by every transport that trusts the
    /// same CAs). For tests.
    #[doc(hidden)]
    pub fn tls_config(&self) -> Arc<ClientConfig> {
        self.options().tls
    }

    /// Interrupts every request in flight on this transport: their sockets are shut down, so a
    /// call blocked reading returns at once. Later requests use a new connection pool.
    pub fn interrupt(&self) {
        let fresh = agent_for(&self.options());
        let old = std::mem::replace(
            &mut *self.agent.write().unwrap_or_else(|e| e.into_inner()),
            fresh,
        );
        old.shutdown();
    }

    /// What a stream's own connections need: the same trusted roots (Mozilla's and the added
    /// CAs) and the same proxy as the session's requests.
    pub fn stream_network(&self) -> Result<crate::client::stream::Network> {
        let options = self.options();
        Ok(crate::client::stream::Network {
            tls: options.tls,
            proxy: options.proxy,
        })
    }

    fn agent(&self) -> ureq::Agent {
        self.agent.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    /// Sends one request and reads the whole answer. Only transport failures are errors here;
    /// the caller decides what a status means.
    pub fn send(&self, out: Outgoing<'_>, timeouts: Timeouts, max_body: u64) -> Result<Incoming> {
        let what = || format!("{} {}", out.method, out.path);
        let url = format!("{}{}", self.base.as_str(), out.path);
        let uri = url.parse::<http::Uri>().map_err(|e| {
            Error::invalid_argument(format!("{}: not a valid URL path: {e}", what()))
        })?;
        let mut builder = http::Request::builder().method(out.method.clone()).uri(uri);
        let headers = builder
            .headers_mut()
            .ok_or_else(|| Error::invalid_argument(format!("{}: invalid request", what())))?;
        headers.insert(HeaderName::from_static("et-app-key"), self.app_key.clone());
        for (name, value) in out.headers {
            headers.insert(name, value);
        }
        let bad_request = |e: http::Error| Error::invalid_argument(format!("{}: {e}", what()));
        let reading = Reading {
            timeouts,
            max_body,
            file: out.file,
        };
        let reply = match out.body {
            Body::None => self.run(builder.body(()).map_err(bad_request)?, reading),
            Body::Empty => self.run(builder.body(&[][..]).map_err(bad_request)?, reading),
            Body::Json(json) => {
                let request = builder
                    .header(http::header::CONTENT_TYPE, "application/json")
                    .body(json.as_bytes())
                    .map_err(bad_request)?;
                self.run(request, reading)
            }
        };
        reply.map_err(|e| classify(&what(), e))
    }

    fn run<B: ureq::AsSendBody>(
        &self,
        request: http::Request<B>,
        reading: Reading,
    ) -> std::result::Result<Incoming, ureq::Error> {
        let Reading {
            timeouts,
            max_body,
            file,
        } = reading;
        let agent = self.agent();
        let request = agent
            .configure_request(request)
            .timeout_connect(Some(timeouts.connect))
            .timeout_global(Some(timeouts.request))
            .build();
        let mut response = agent.run(request)?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        let body = response.body_mut();
        let length = body.content_length();
        let mut reader = body.with_config().limit(max_body).reader();
        let bytes = match length {
            Some(n) => read_sized(&mut reader, n.min(max_body) as usize)?,
            None => read_unsized(&mut reader)?,
        };
        if file && (200..300).contains(&status) {
            return Ok(Incoming {
                status,
                body: String::new(),
                retry_after,
                file: Some(bytes),
            });
        }
        let body = String::from_utf8(bytes)
            .map_err(|_| ureq::Error::Io(io::Error::new(io::ErrorKind::InvalidData, NotUtf8)))?;
        Ok(Incoming {
            status,
            body,
            retry_after,
            file: None,
        })
    }
}

/// How to read an answer.
#[derive(Clone, Copy)]
struct Reading {
    timeouts: Timeouts,
    max_body: u64,
    file: bool,
}

/// Reads an answer of `length` bytes (its `Content-Length`) straight into a vector of that size,
/// plus room for the NUL the C layer appends, so handing it over does not reallocate. The room is
/// zeroed a window at a time just ahead of the reads (the window is still in cache when ureq
/// copies into it): one pass over a large answer, not a zeroing pass and then a copy, nor a copy
/// through a scratch buffer.
fn read_sized(reader: &mut impl Read, length: usize) -> std::result::Result<Vec<u8>, ureq::Error> {
    const WINDOW: usize = 16 * 1024;
    let mut bytes = Vec::with_capacity(length + 1);
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            // At least one byte: the last byte's room is the probe for the end (a read into it
            // gives 0); past the Content-Length (never: ureq stops at it) the vector grows.
            let end = (filled + WINDOW).min(bytes.capacity()).max(filled + 1);
            bytes.resize(end, 0);
        }
        match reader.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ureq::Error::from(e)),
        }
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// Reads an answer of unknown length (chunked). Not read_to_end or io::copy: offering the
/// vector's spare room to a reader without read_buf makes std zero it first, a full extra pass
/// over a large answer. A small buffer, hot in cache, costs one copy instead.
fn read_unsized(reader: &mut impl Read) -> std::result::Result<Vec<u8>, ureq::Error> {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ureq::Error::from(e)),
        }
    }
    // Room for the NUL the C layer appends.
    bytes.reserve_exact(1);
    Ok(bytes)
}

/// An agent (and its connection pool) configured for the broker.
fn agent_for(options: &Options) -> ureq::Agent {
    let mut builder = ureq::Agent::config_builder()
        // Non-2xx answers carry the broker's reason; we read them rather than lose them.
        .http_status_as_error(false)
        // A redirect could carry the bearer to another host: never follow one.
        .max_redirects(0)
        .user_agent(USER_AGENT)
        .accept("application/json")
        .no_delay(true)
        .max_idle_connections(POOL_SIZE)
        .max_idle_connections_per_host(POOL_SIZE)
        // ureq's defaults (128 KiB in, 128 KiB out, per connection) make a thousand idle
        // sessions cost a quarter of a gigabyte; the broker's headers and requests are small.
        .max_response_header_size(MAX_HEADER_BYTES)
        .input_buffer_size(INPUT_BUFFER_BYTES)
        .output_buffer_size(OUTPUT_BUFFER_BYTES);
    if let Some(proxy) = &options.proxy {
        builder = builder.proxy(Some(proxy.clone()));
    }
    // ureq's default chain with our TCP link, which secures its own https sockets (tcp.rs), our
    // TLS link for tunnels through a proxy (tls.rs), both on the process's shared TLS
    // configuration, and no SOCKS.
    let connector = ()
        .chain(RefuseSocks)
        .chain(ConnectProxyConnector::default())
        .chain(TcpConnector {
            tls: options.tls.clone(),
        })
        .chain(TlsConnector {
            config: options.tls.clone(),
        });
    ureq::Agent::with_parts(builder.build(), connector, CachingResolver::default())
}

/// Marks a body that is not UTF-8, so `classify` can call it a protocol error.
#[derive(Debug)]
struct NotUtf8;
impl std::fmt::Display for NotUtf8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("response body is not UTF-8")
    }
}
impl std::error::Error for NotUtf8 {}

/// `Retry-After` in seconds (the HTTP-date form is rare for APIs and is ignored).
fn parse_retry_after(text: &str) -> Option<Duration> {
    let secs: f64 = text.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

/// Sorts a ureq failure into the kinds a caller branches on, and says whether the request may
/// have reached the server (what decides "outcome unknown" for requests that change state).
fn classify(what: &str, error: ureq::Error) -> Error {
    use ureq::Error as U;
    use ureq::Timeout as T;
    // (kind, why, may have reached the broker, the answer was garbled on its way)
    let (kind, why, maybe_delivered, garbled) = match &error {
        U::Timeout(T::Connect | T::Resolve) => {
            (ErrorKind::Timeout, "timed out connecting", false, false)
        }
        U::Timeout(_) => (ErrorKind::Timeout, "timed out", true, false),
        // rustls reports handshake and certificate failures as io errors wrapping its own.
        U::Io(e) if e.get_ref().is_some_and(|inner| inner.is::<rustls::Error>()) => {
            (ErrorKind::Tls, "TLS error", false, false)
        }
        U::Io(e) if e.get_ref().is_some_and(|inner| inner.is::<NotUtf8>()) => {
            (ErrorKind::Protocol, "bad answer", true, true)
        }
        U::Io(e) => match e.kind() {
            io::ErrorKind::ConnectionRefused
            | io::ErrorKind::AddrNotAvailable
            | io::ErrorKind::NetworkUnreachable
            | io::ErrorKind::HostUnreachable => (ErrorKind::Network, "network error", false, false),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                (ErrorKind::Timeout, "timed out", true, false)
            }
            io::ErrorKind::InvalidData => (ErrorKind::Protocol, "bad answer", true, true),
            _ => (ErrorKind::Network, "network error", true, false),
        },
        U::HostNotFound | U::ConnectionFailed => {
            (ErrorKind::Network, "network error", false, false)
        }
        // Failing to reach the broker through the proxy: nothing was sent to it.
        U::ConnectProxyFailed(_) => (ErrorKind::Network, "proxy error", false, false),
        U::Tls(_) | U::Pem(_) | U::Rustls(_) => (ErrorKind::Tls, "TLS error", false, false),
        U::BodyExceedsLimit(_) => (ErrorKind::Protocol, "response body too large", true, false),
        U::Protocol(_) => (ErrorKind::Protocol, "malformed HTTP answer", true, true),
        U::BadUri(_) | U::Http(_) => (ErrorKind::InvalidArgument, "invalid request", false, false),
        _ => (ErrorKind::Network, "network error", true, false),
    };
    let mut classified = Error::new(kind, format!("{what}: {why}: {error}"));
    if maybe_delivered {
        classified = classified.maybe_delivered();
    }
    if garbled {
        classified = classified.garbled();
    }
    classified
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_read_as_seconds() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0.5 "), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }
}
