//! What stands in front of the simulator for the C scenarios: a relay that counts the
//! connections it is given (plain, or HTTPS with the test certificate of tests/tls), and a
//! server that takes connections and never answers.

use super::manifest_dir;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, ServerConnection};
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The test CA (tests/tls/ca.pem), which signed the relay's certificate.
pub fn test_ca() -> PathBuf {
    manifest_dir().join("tests/tls/ca.pem")
}

/// A relay on 127.0.0.1 to the simulator at `backend` (its port), over TLS when `tls`. Its
/// threads outlive it, idle in `accept`, until the test binary ends.
pub struct Front {
    port: u16,
    tls: bool,
    connections: Arc<AtomicUsize>,
}

impl Front {
    pub fn start(backend: u16, tls: bool) -> Front {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counted = connections.clone();
        let config = tls.then(server_config);
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                counted.fetch_add(1, Ordering::SeqCst);
                let config = config.clone();
                std::thread::spawn(move || {
                    let Ok(backend) = TcpStream::connect(("127.0.0.1", backend)) else {
                        return;
                    };
                    // Ends when either side closes or fails (a refused handshake, too).
                    let _ = match config {
                        None => relay_plain(client, backend),
                        Some(config) => relay_tls(config, client, backend),
                    };
                });
            }
        });
        Front {
            port,
            tls,
            connections,
        }
    }

    /// The base URL of the API behind it.
    pub fn base_url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}/api/", self.port)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// The test certificate (tests/tls/server.pem, for 127.0.0.1 and localhost).
fn server_config() -> Arc<ServerConfig> {
    let dir = manifest_dir().join("tests/tls");
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(dir.join("server.pem"))
        .expect("tests/tls/server.pem")
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(dir.join("server.key")).expect("tests/tls/server.key");
    let config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .expect("the test certificate and its key");
    Arc::new(config)
}

/// Bytes both ways, a thread each; a close on one side is passed on to the other.
fn relay_plain(client: TcpStream, backend: TcpStream) -> io::Result<()> {
    let (mut client_in, mut backend_out) = (client.try_clone()?, backend.try_clone()?);
    let upstream = std::thread::spawn(move || {
        let _ = io::copy(&mut client_in, &mut backend_out);
        let _ = backend_out.shutdown(Shutdown::Write);
    });
    let (mut backend_in, mut client_out) = (backend, client);
    let _ = io::copy(&mut backend_in, &mut client_out);
    let _ = client_out.shutdown(Shutdown::Write);
    upstream.join().ok();
    Ok(())
}

/// TLS with the client, plaintext with the simulator, on one thread: each side is read for a
/// few milliseconds in turn.
fn relay_tls(
    config: Arc<ServerConfig>,
    mut client: TcpStream,
    mut backend: TcpStream,
) -> io::Result<()> {
    const TURN: Duration = Duration::from_millis(2);
    let waiting = |e: &io::Error| {
        matches!(
            e.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        )
    };
    let mut tls = ServerConnection::new(config).map_err(io::Error::other)?;
    client.set_read_timeout(Some(TURN))?;
    backend.set_read_timeout(Some(TURN))?;
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match tls.read_tls(&mut client) {
            Ok(0) => return Ok(()),
            Ok(_) => {
                let processed = tls.process_new_packets();
                while tls.wants_write() {
                    tls.write_tls(&mut client)?;
                }
                processed.map_err(io::Error::other)?;
                loop {
                    match tls.reader().read(&mut buf) {
                        Ok(0) => return Ok(()),
                        Ok(n) => backend.write_all(&buf[..n])?,
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                        Err(e) => return Err(e),
                    }
                }
            }
            Err(e) if waiting(&e) => {}
            Err(e) => return Err(e),
        }
        match backend.read(&mut buf) {
            Ok(0) => {
                tls.send_close_notify();
                while tls.wants_write() {
                    tls.write_tls(&mut client)?;
                }
                return Ok(());
            }
            Ok(n) => {
                tls.writer().write_all(&buf[..n])?;
                while tls.wants_write() {
                    tls.write_tls(&mut client)?;
                }
            }
            Err(e) if waiting(&e) => {}
            Err(e) => return Err(e),
        }
    }
}

/// A loopback port that takes connections and never answers; they stay open as long as it does.
pub struct Silent {
    port: u16,
    _listener: TcpListener,
}

impl Silent {
    pub fn start() -> Silent {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        // The kernel completes the connections (the listen backlog); nobody accepts or reads.
        Silent {
            port: listener.local_addr().unwrap().port(),
            _listener: listener,
        }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/api/", self.port)
    }
}
