//! TLS is always verified: a server whose certificate chains to an unknown CA is refused with
//! ETNA_ERR_TLS, and accepted once that CA is added. Proxies are configurable.

use crate::support::canned::{Behaviour, Canned, http};
use crate::support::ffi::{Session, c};
use crate::support::manifest_dir;
use etna::ffi::*;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::ptr;
use std::sync::Arc;

/// An HTTPS server on 127.0.0.1 with the test certificate (tests/tls), answering a token to
/// `/api/token` and a user to anything else, one connection per request.
fn https_server() -> u16 {
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
    let config = Arc::new(config);
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
