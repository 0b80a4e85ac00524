//! TLS is always verified: a server whose certificate chains to an unknown CA is refused with
//! ETNA_ERR_TLS, and accepted once that CA is added. Sessions that trust the same CAs share one
//! TLS configuration, so a new session's login resumes the TLS session of an earlier one; a kept
//! alive TLS connection stays in use across what the server sends while it idles. Proxies are
//! configurable. A quote stream over `wss://` reads through TLS on either thread.

use crate::support::canned::{Behaviour, Canned, http};
use crate::support::ffi::{Session, c};
use crate::support::manifest_dir;
use etna::client::config::BaseUrl;
use etna::client::secret::Secret;
use etna::client::transport::{Transport, tls_configurations_built};
use etna::ffi::*;
use rustls::HandshakeKind;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::ptr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The test certificate's server configuration (tests/tls), with rustls's defaults: TLS 1.2 and
/// 1.3, and sessions it can resume (two TLS 1.3 tickets after each handshake).
fn server_config() -> Arc<rustls::ServerConfig> {
    let dir = manifest_dir().join("tests/tls");
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(dir.join("server.pem"))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(dir.join("server.key")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    Arc::new(config)
}

/// An HTTPS server on 127.0.0.1 with the test certificate (tests/tls), answering a token to
/// `/api/token` and a user to anything else, one connection per request.
fn https_server() -> u16 {
    let config = server_config();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(16) {
            let Ok(stream) = stream else { continue };
            let config = config.clone();
            std::thread::spawn(move || {
                let connection = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(connection, stream);
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match tls.read(&mut byte) {
                        Ok(1) => head.push(byte[0]),
                        _ => return, // the client gave up on the handshake
                    }
                }
                let body: &[u8] = if head.starts_with(b"POST /api/token") {
                    br#"{"State":"Succeeded","Token":"tls-token"}"#
                } else {
                    br#"{"Login":"alice"}"#
                };
                tls.write_all(&http("200 OK", &[], body)).ok();
                tls.conn.send_close_notify();
                tls.flush().ok();
            });
        }
    });
    port
}

fn set_ca_file(s: &Session, path: &str) -> Result<(), crate::support::ffi::Failure> {
    s.unit(|err| unsafe { etna_session_set_ca_file(s.0, c(path).as_ptr(), err) })
}

#[test]
fn an_unknown_ca_is_refused_and_accepted_once_added() {
    let port = https_server();
    for host in ["127.0.0.1", "localhost"] {
        let s = Session::new(&format!("https://{host}:{port}/api/"), "k").unwrap();
        let e = s.login("alice", "alice-pass").unwrap_err();
        assert_eq!(
            (e.code, e.http_status),
            (ETNA_ERR_TLS, 0),
            "{host}: {}",
            e.message
        );

        let ca = manifest_dir().join("tests/tls/ca.pem");
        set_ca_file(&s, ca.to_str().unwrap()).unwrap();
        assert_eq!(
            s.login("alice", "alice-pass").unwrap(),
            ETNA_AUTH_AUTHENTICATED,
            "{host}"
        );
        assert_eq!(
            s.get("v1.0/users/@me/info").unwrap(),
            r#"{"Login":"alice"}"#
        );
    }
}

#[test]
fn a_ca_file_must_exist_and_hold_certificates() {
    let s = Session::new("https://127.0.0.1:1/api/", "k").unwrap();
    let e = set_ca_file(&s, "/no/such/ca.pem").unwrap_err();
    assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT);
    assert!(e.message.contains("cannot read"), "{}", e.message);
    let not_pem = manifest_dir().join("tests/tls/README.md");
    let e = set_ca_file(&s, not_pem.to_str().unwrap()).unwrap_err();
    assert!(e.message.contains("no PEM certificate"), "{}", e.message);
    let key_only = manifest_dir().join("tests/tls/server.key");
    assert_eq!(
        set_ca_file(&s, key_only.to_str().unwrap())
            .unwrap_err()
            .code,
        ETNA_ERR_INVALID_ARGUMENT
    );
    let mut err = ptr::null_mut();
    assert_eq!(
        unsafe { etna_session_set_ca_file(s.0, ptr::null(), &mut err) },
        ETNA_ERR_NULL_ARGUMENT
    );
    unsafe { etna_error_free(err) };
}

#[test]
fn requests_go_through_the_configured_proxy() {
    let proxy = Canned::start(vec![Behaviour::Answer(http(
        "200 OK",
        &[],
        br#"{"State":"Succeeded","Token":"p"}"#,
    ))]);
    let s = Session::new("http://127.0.0.1:9/api/", "k").unwrap();
    let set = |url: Option<&str>| {
        let url = url.map(c);
        s.unit(|err| unsafe {
            etna_session_set_proxy(s.0, url.as_ref().map_or(ptr::null(), |u| u.as_ptr()), err)
        })
    };
    set(Some(&format!("http://127.0.0.1:{}", proxy.port))).unwrap();
    let _ = s.login("alice", "alice-pass");
    let seen = proxy.requests.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "the proxy got the request: {seen:?}");
    assert!(seen[0].contains("127.0.0.1:9"), "{}", seen[0]);

    let e = set(Some("::not a proxy::")).unwrap_err();
    assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT);
    let e = set(Some("http://user:hunter2@[bad")).unwrap_err();
    assert!(!e.message.contains("hunter2"), "{}", e.message);
    let e = set(Some("socks5://127.0.0.1:1080")).unwrap_err();
    assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT);
    assert!(e.message.contains("SOCKS"), "{}", e.message);
    set(None).unwrap();
}

/// Runs `test` of this binary again in a child process, with the proxy variables of this
/// environment removed and `env` set (a test process's own environment must not change under
/// other tests). The test knows it is the child by `ETNA_TEST_CHILD`.
fn in_child(test: &str, env: &[(&str, String)]) {
    let mut child = std::process::Command::new(std::env::current_exe().unwrap());
    child
        .args([
            "--exact",
            &format!("{}::{test}", module_path!().trim_start_matches("ffi::")),
            "--nocapture",
        ])
        .env("ETNA_TEST_CHILD", "1");
    for var in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"] {
        child.env_remove(var).env_remove(var.to_lowercase());
    }
    let out = child
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 passed"),
        "the child ran {test}: {stdout}"
    );
}

fn is_child() -> bool {
    std::env::var_os("ETNA_TEST_CHILD").is_some()
}

#[test]
fn the_environments_proxy_is_honoured_when_none_is_set() {
    if is_child() {
        let s = Session::new("http://127.0.0.1:9/api/", "k").unwrap();
        let _ = s.login("alice", "alice-pass");
        return;
    }
    let proxy = Canned::start(vec![Behaviour::Answer(http(
        "200 OK",
        &[],
        br#"{"State":"Succeeded","Token":"p"}"#,
    ))]);
    in_child(
        "the_environments_proxy_is_honoured_when_none_is_set",
        &[("HTTP_PROXY", format!("http://127.0.0.1:{}", proxy.port))],
    );
    let seen = proxy.requests.lock().unwrap().clone();
    assert_eq!(
        seen.len(),
        1,
        "the environment's proxy got the login: {seen:?}"
    );
    assert!(seen[0].contains("127.0.0.1:9"), "{}", seen[0]);
}

/// A SOCKS proxy from the environment is not quietly bypassed: the call fails, and nothing
/// reaches the broker directly. A host `NO_PROXY` exempts is reached directly, as it should be.
#[test]
fn a_socks_proxy_from_the_environment_fails_the_call_instead_of_being_bypassed() {
    const TEST: &str =
        "a_socks_proxy_from_the_environment_fails_the_call_instead_of_being_bypassed";
    if is_child() {
        let broker = std::env::var("ETNA_TEST_BROKER").unwrap();
        let s = Session::new(&broker, "k").unwrap();
        let login = s.login("alice", "alice-pass");
        if std::env::var_os("NO_PROXY").is_some() {
            assert_eq!(login.unwrap(), ETNA_AUTH_AUTHENTICATED);
        } else {
            let e = login.unwrap_err();
            assert_eq!(e.code, ETNA_ERR_NETWORK, "{}", e.message);
            assert!(e.message.contains("SOCKS"), "{}", e.message);
        }
        return;
    }
    let answer = || Behaviour::Answer(http("200 OK", &[], br#"{"State":"Succeeded","Token":"p"}"#));
    let (broker, socks) = (Canned::start(vec![answer()]), Canned::start(vec![answer()]));
    let socks_url = format!("socks5://127.0.0.1:{}", socks.port);
    let touched = |c: &Canned| c.connections.load(std::sync::atomic::Ordering::Acquire);
    in_child(
        TEST,
        &[
            ("ETNA_TEST_BROKER", broker.url()),
            ("ALL_PROXY", socks_url.clone()),
        ],
    );
    assert_eq!((touched(&broker), touched(&socks)), (0, 0));
    in_child(
        TEST,
        &[
            ("ETNA_TEST_BROKER", broker.url()),
            ("ALL_PROXY", socks_url),
            ("NO_PROXY", "127.0.0.1".into()),
        ],
    );
    assert_eq!((touched(&broker), touched(&socks)), (1, 0));
}

/// An HTTPS broker on 127.0.0.1 that keeps connections alive, records the kind of every TLS
/// handshake, and (with `key_update`) rolls its keys 20 ms after each answer, so a KeyUpdate
/// reaches the client while its connection idles in the pool.
struct TlsBroker {
    port: u16,
    handshakes: Arc<Mutex<Vec<HandshakeKind>>>,
}

impl TlsBroker {
    fn start(key_update: bool) -> TlsBroker {
        let config = server_config();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handshakes = Arc::new(Mutex::new(Vec::new()));
        let seen = handshakes.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(16) {
                let Ok(mut sock) = stream else { continue };
                let (config, seen) = (config.clone(), seen.clone());
                std::thread::spawn(move || {
                    let mut conn = rustls::ServerConnection::new(config).unwrap();
                    while conn.is_handshaking() {
                        if conn.complete_io(&mut sock).is_err() {
                            return;
                        }
                    }
                    seen.lock().unwrap().push(conn.handshake_kind().unwrap());
                    let mut tls = rustls::StreamOwned::new(conn, sock);
                    loop {
                        let mut head = Vec::new();
                        let mut byte = [0u8; 1];
                        while !head.ends_with(b"\r\n\r\n") {
                            match tls.read(&mut byte) {
                                Ok(1) => head.push(byte[0]),
                                _ => return, // closed
                            }
                        }
                        let body: &[u8] = if head.starts_with(b"POST /api/token") {
                            br#"{"State":"Succeeded","Token":"tls-token"}"#
                        } else {
                            br#"{"Login":"alice"}"#
                        };
                        let answer = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                             Content-Length: {}\r\n\r\n",
                            body.len()
                        );
                        let mut answer = answer.into_bytes();
                        answer.extend_from_slice(body);
                        if tls.write_all(&answer).and_then(|_| tls.flush()).is_err() {
                            return;
                        }
                        if key_update {
                            std::thread::sleep(Duration::from_millis(20));
                            tls.conn.refresh_traffic_keys().unwrap();
                            while tls.conn.wants_write() {
                                if tls.conn.write_tls(&mut tls.sock).is_err() {
                                    return;
                                }
                            }
                        }
                    }
                });
            }
        });
        TlsBroker { port, handshakes }
    }

    fn url(&self) -> String {
        format!("https://127.0.0.1:{}/api/", self.port)
    }

    fn handshakes(&self) -> Vec<HandshakeKind> {
        self.handshakes.lock().unwrap().clone()
    }
}

fn test_ca() -> String {
    manifest_dir()
        .join("tests/tls/ca.pem")
        .to_str()
        .unwrap()
        .to_owned()
}

/// What each session holds (its transport's configuration, which its streams use too) is one
/// `Arc` for every session that trusts the same CAs, in whatever order they were added.
#[test]
fn sessions_that_trust_the_same_cas_share_one_tls_configuration() {
    let transport = || {
        Transport::new(
            BaseUrl::parse("https://127.0.0.1:1/api/").unwrap(),
            &Secret::new("k"),
        )
        .unwrap()
    };
    let dir = manifest_dir().join("tests/tls");
    let ca = std::fs::read(dir.join("ca.pem")).unwrap();
    let other = std::fs::read(dir.join("server.pem")).unwrap();
    let (a, b, c) = (transport(), transport(), transport());
    assert!(
        Arc::ptr_eq(&a.tls_config(), &b.tls_config()),
        "Mozilla's roots alone"
    );
    a.add_root_certificates(&ca).unwrap();
    assert!(!Arc::ptr_eq(&a.tls_config(), &b.tls_config()));
    b.add_root_certificates(&ca).unwrap();
    assert!(Arc::ptr_eq(&a.tls_config(), &b.tls_config()), "the same CA");
    assert!(Arc::ptr_eq(
        &a.tls_config(),
        &b.stream_network().unwrap().tls
    ));
    // Another set is another configuration; the same set in another order is the same one.
    a.add_root_certificates(&other).unwrap();
    c.add_root_certificates(&other).unwrap();
    assert!(!Arc::ptr_eq(&a.tls_config(), &c.tls_config()));
    c.add_root_certificates(&ca).unwrap();
    assert!(
        Arc::ptr_eq(&a.tls_config(), &c.tls_config()),
        "{{ca, other}}"
    );
}

/// A second session's login to the same broker resumes the TLS session of the first (the
/// server says which handshakes it made), and a hundred sessions later the process has built
/// two TLS configurations: Mozilla's roots, and those with the test CA. In a child process, so
/// that no other test's sessions share its configurations.
#[test]
fn a_second_login_from_a_new_session_resumes_the_tls_session() {
    const TEST: &str = "a_second_login_from_a_new_session_resumes_the_tls_session";
    if is_child() {
        let broker = std::env::var("ETNA_TEST_BROKER").unwrap();
        for _ in 0..2 {
            let s = Session::new(&broker, "k").unwrap();
            set_ca_file(&s, &test_ca()).unwrap();
            assert_eq!(
                s.login("alice", "alice-pass").unwrap(),
                ETNA_AUTH_AUTHENTICATED
            );
            assert_eq!(
                s.get("v1.0/users/@me/info").unwrap(),
                r#"{"Login":"alice"}"#
            );
        }
        for _ in 0..100 {
            let s = Session::new(&broker, "k").unwrap();
            set_ca_file(&s, &test_ca()).unwrap();
        }
        assert_eq!(tls_configurations_built(), 2);
        return;
    }
    let broker = TlsBroker::start(false);
    in_child(TEST, &[("ETNA_TEST_BROKER", broker.url())]);
    assert_eq!(
        broker.handshakes(),
        [HandshakeKind::Full, HandshakeKind::Resumed],
        "one connection per session, the second resumed"
    );
}

/// A kept-alive TLS connection is reused after the server rolled its keys while it sat in the
/// pool (a KeyUpdate arriving between answers, as a late TLS 1.3 ticket would): one connection
/// carries the login and three requests.
#[test]
fn a_pooled_tls_connection_takes_in_what_arrives_while_idle() {
    let broker = TlsBroker::start(true);
    let s = Session::new(&broker.url(), "k").unwrap();
    set_ca_file(&s, &test_ca()).unwrap();
    assert_eq!(
        s.login("alice", "alice-pass").unwrap(),
        ETNA_AUTH_AUTHENTICATED
    );
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(
            s.get("v1.0/users/@me/info").unwrap(),
            r#"{"Login":"alice"}"#
        );
    }
    assert_eq!(broker.handshakes().len(), 1, "{:?}", broker.handshakes());
}

/// An HTTP CONNECT proxy on 127.0.0.1: reads the CONNECT request, records its target, answers
/// 200 and relays bytes both ways.
fn connect_proxy() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let targets = Arc::new(Mutex::new(Vec::new()));
    let seen = targets.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().take(8) {
            let Ok(mut client) = client else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if client.read(&mut byte).unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).into_owned();
            let target = head
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            seen.lock().unwrap().push(target.clone());
            let Ok(upstream) = std::net::TcpStream::connect(&target) else {
                continue;
            };
            client
                .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                .unwrap();
            let (mut c2, mut u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
            let mut upstream = upstream;
            std::thread::spawn(move || std::io::copy(&mut c2, &mut u2));
            std::thread::spawn(move || std::io::copy(&mut upstream, &mut client));
        }
    });
    (port, targets)
}

/// HTTPS through a CONNECT proxy: TLS runs over the tunnel (the chain's TLS link), with the
/// same shared configuration, verified against the added CA.
#[test]
fn https_goes_through_a_connect_proxy_with_tls_over_the_tunnel() {
    let broker = TlsBroker::start(false);
    let (proxy, targets) = connect_proxy();
    let s = Session::new(&broker.url(), "k").unwrap();
    let proxy_url = c(&format!("http://127.0.0.1:{proxy}"));
    s.unit(|err| unsafe { etna_session_set_proxy(s.0, proxy_url.as_ptr(), err) })
        .unwrap();
    let e = s.login("alice", "alice-pass").unwrap_err();
    assert_eq!(e.code, ETNA_ERR_TLS, "unknown CA: {}", e.message);
    set_ca_file(&s, &test_ca()).unwrap();
    assert_eq!(
        s.login("alice", "alice-pass").unwrap(),
        ETNA_AUTH_AUTHENTICATED
    );
    assert_eq!(
        s.get("v1.0/users/@me/info").unwrap(),
        r#"{"Login":"alice"}"#
    );
    let targets = targets.lock().unwrap().clone();
    assert!(!targets.is_empty(), "nothing went through the proxy");
    let expected = format!("127.0.0.1:{}", broker.port);
    assert!(targets.iter().all(|t| *t == expected), "{targets:?}");
}

/// A TLS front for a plain TCP server (the simulator's quote streamer) on 127.0.0.1, with the
/// test certificate: each connection is pumped both ways, a few milliseconds at a time.
fn tls_front(to: u16) -> u16 {
    let config = server_config();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(stream) = stream else { continue };
            let config = config.clone();
            std::thread::spawn(move || {
                let quiet = |e: &std::io::Error| {
                    matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    )
                };
                let mut up = std::net::TcpStream::connect(("127.0.0.1", to)).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_millis(2)))
                    .unwrap();
                up.set_read_timeout(Some(Duration::from_millis(2))).unwrap();
                let connection = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(connection, stream);
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    match tls.read(&mut buf) {
                        Ok(0) => return,
                        Ok(n) => up.write_all(&buf[..n]).unwrap(),
                        Err(e) if quiet(&e) => {}
                        Err(_) => return,
                    }
                    match up.read(&mut buf) {
                        Ok(0) => return,
                        Ok(n) => {
                            if tls.write_all(&buf[..n]).is_err() {
                                return;
                            }
                        }
                        Err(e) if quiet(&e) => {}
                        Err(_) => return,
                    }
                }
            });
        }
    });
    port
}

/// A stream's source that is only a `wss://` address, the login form and the test CA.
struct Wss {
    url: String,
    network: etna::client::stream::Network,
}

impl etna::client::stream::Source for Wss {
    fn connect_info(
        &self,
        _: etna::client::stream::StreamKind,
        _: bool,
    ) -> etna::client::error::Result<(String, etna::client::stream::Credentials)> {
        let login = "alice".to_owned();
        let password = Secret::new("alice-pass");
        let credentials = etna::client::stream::Credentials::Login { login, password };
        Ok((self.url.clone(), credentials))
    }
    fn network(&self) -> etna::client::error::Result<etna::client::stream::Network> {
        Ok(self.network.clone())
    }
    fn connect_timeout(&self) -> Duration {
        Duration::from_secs(5)
    }
    fn log(&self, _: &str) {}
}

/// A quote stream over `wss://` is read through TLS both by a caller waiting in `next` (the
/// connection lent to it, polled with no wait at all) and by the I/O thread when the caller
/// stays away; it closes cleanly.
#[test]
fn a_quote_stream_over_tls_is_read_by_the_caller_and_the_io_thread_alike() {
    use etna::client::stream::{Event, Stream, StreamKind};
    let sim = etna_sim::Simulator::start(etna_sim::SimConfig {
        quote_rate: 2_000,
        ..etna_sim::SimConfig::default()
    })
    .unwrap();
    let streamer: u16 = sim
        .quote_streamer_url()
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let port = tls_front(streamer);
    let transport = Transport::new(
        BaseUrl::parse("https://127.0.0.1:1/api/").unwrap(),
        &Secret::new("k"),
    )
    .unwrap();
    let ca = std::fs::read(manifest_dir().join("tests/tls/ca.pem")).unwrap();
    transport.add_root_certificates(&ca).unwrap();
    let source = Wss {
        url: format!("wss://localhost:{port}"),
        network: transport.stream_network().unwrap(),
    };
    let stream = Stream::open(Arc::new(source), StreamKind::Quotes, true).unwrap();
    let quote = |e: &Event| matches!(e, Event::Data { json, .. } if json.contains("\"Bid\""));
    assert!(matches!(
        stream.next(Some(Duration::from_secs(5))).unwrap(),
        Event::State(_)
    ));
    stream.subscribe("Quote", "1;2").unwrap();
    let mut waited = 0;
    while waited < 50 {
        waited += usize::from(quote(&stream.next(Some(Duration::from_secs(5))).unwrap()));
    }
    // Polled without waiting: through TLS, "nothing yet" must be a timeout and nothing lost.
    let (mut polled, until) = (0, std::time::Instant::now() + Duration::from_millis(300));
    while std::time::Instant::now() < until {
        match stream.next(Some(Duration::ZERO)) {
            Ok(e) => polled += usize::from(quote(&e)),
            Err(e) => assert_eq!(e.kind(), etna::client::error::ErrorKind::Timeout, "{e:?}"),
        }
    }
    assert!(polled > 50, "{polled} quotes polled");
    // Away long enough for the I/O thread to read again; then the caller takes over once more.
    std::thread::sleep(Duration::from_millis(200));
    let mut after = 0;
    while after < 50 {
        after += usize::from(quote(&stream.next(Some(Duration::from_secs(5))).unwrap()));
    }
    let stats = stream.stats();
    assert_eq!(stats.reconnects, 0, "one TLS connection throughout");
    stream.close();
    loop {
        match stream.next(Some(Duration::from_secs(5))) {
            Ok(_) => continue,
            Err(e) => {
                assert_eq!(e.kind(), etna::client::error::ErrorKind::Cancelled, "{e:?}");
                break;
            }
        }
    }
}
