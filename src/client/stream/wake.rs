//! Wakes the I/O thread's wait on a stream's connection, so that a subscribe, an unsubscribe or
//! new timing goes out at once, and a caller that starts waiting in `next` is lent the
//! connection at once, rather than when that wait ends (`worker::POLL`).
//!
//! The reader waits in `poll` on two descriptors: the streamer's socket and one end of a pair
//! that `wake` writes a byte to. A socket pair on Unix; on Windows, where `WSAPoll` takes only
//! sockets, a loopback UDP socket connected to itself. Wake-ups coalesce: the reader takes all
//! that came with one read.

use std::io;
#[cfg(unix)]
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

pub struct Waker {
    #[cfg(unix)]
    rx: std::os::unix::net::UnixStream,
    #[cfg(unix)]
    tx: std::os::unix::net::UnixStream,
    #[cfg(windows)]
    udp: std::net::UdpSocket,
}

/// What a wait on the connection found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Woke {
    /// A read of the socket returns at once (bytes, the peer's close, or an error).
    Readable,
    /// `wake` was called (the wake-ups are taken).
    Woken,
    TimedOut,
}

impl Waker {
    #[cfg(unix)]
    pub fn new() -> io::Result<Waker> {
        let (tx, rx) = std::os::unix::net::UnixStream::pair()?;
        tx.set_nonblocking(true)?;
        rx.set_nonblocking(true)?;
        Ok(Waker { rx, tx })
    }

    #[cfg(windows)]
    pub fn new() -> io::Result<Waker> {
        let udp = std::net::UdpSocket::bind((std::net::Ipv4Addr::LOCALHOST, 0))?;
        udp.connect(udp.local_addr()?)?;
        udp.set_nonblocking(true)?;
        Ok(Waker { udp })
    }

    /// Wakes the waiting reader, or the next one to wait. A full pair means a wake-up is
    /// already pending, so a write that would block is as good as done.
    pub fn wake(&self) {
        #[cfg(unix)]
        let _ = (&self.tx).write(&[1]);
        #[cfg(windows)]
        let _ = self.udp.send(&[1]);
    }

    /// Takes every wake-up sent so far.
    fn take(&self) {
        let mut bytes = [0u8; 64];
        #[cfg(unix)]
        while matches!((&self.rx).read(&mut bytes), Ok(n) if n > 0) {}
        #[cfg(windows)]
        while self.udp.recv(&mut bytes).is_ok() {}
    }

    /// Waits up to `wait` for `tcp` to be readable or for a wake-up, whichever comes first.
    pub fn wait(&self, tcp: &TcpStream, wait: Duration) -> io::Result<Woke> {
        use crate::client::tcp::{handle, readable};
        let [readable, woken] = readable([handle(tcp), handle(self.end())], Some(wait))?;
        if woken {
            self.take();
        }
        Ok(if readable {
            Woke::Readable
        } else if woken {
            Woke::Woken
        } else {
            Woke::TimedOut
        })
    }

    /// The end a reader polls.
    #[cfg(unix)]
    fn end(&self) -> &std::os::unix::net::UnixStream {
        &self.rx
    }

    #[cfg(windows)]
    fn end(&self) -> &std::net::UdpSocket {
        &self.udp
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::tcp::loopback_pair;
    use std::io::{Read, Write};
    use std::time::Instant;

    /// A reader waiting far longer than any test runs is woken by another thread, and the
    /// wake-ups sent before it waited are taken together.
    #[test]
    fn a_wake_up_ends_a_long_wait_at_once() {
        let (tcp, _server) = loopback_pair();
        let waker = std::sync::Arc::new(Waker::new().unwrap());
        let waiting = {
            let waker = waker.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                (
                    waker.wait(&tcp, Duration::from_secs(600)).unwrap(),
                    started.elapsed(),
                )
            })
        };
        std::thread::sleep(Duration::from_millis(20));
        waker.wake();
        let (woke, took) = waiting.join().unwrap();
        assert_eq!(woke, Woke::Woken);
        assert!(took < Duration::from_secs(60), "{took:?}");

        let (tcp, _server) = loopback_pair();
        for _ in 0..3 {
            waker.wake();
        }
        assert_eq!(
            waker.wait(&tcp, Duration::from_secs(600)).unwrap(),
            Woke::Woken
        );
        assert_eq!(waker.wait(&tcp, Duration::ZERO).unwrap(), Woke::TimedOut);
    }

    /// Bytes on the socket end the wait as readable, woken or not; nothing ends it on time.
    #[test]
    fn bytes_on_the_socket_end_the_wait_and_silence_times_out() {
        let (tcp, mut server) = loopback_pair();
        let waker = Waker::new().unwrap();
        let started = Instant::now();
        assert_eq!(
            waker.wait(&tcp, Duration::from_millis(30)).unwrap(),
            Woke::TimedOut
        );
        assert!(started.elapsed() >= Duration::from_millis(20));
        server.write_all(b"q").unwrap();
        assert_eq!(
            waker.wait(&tcp, Duration::from_secs(600)).unwrap(),
            Woke::Readable
        );
        waker.wake();
        assert_eq!(
            waker.wait(&tcp, Duration::from_secs(600)).unwrap(),
            Woke::Readable
        );
        assert_eq!(
            waker.wait(&tcp, Duration::ZERO).unwrap(),
            Woke::Readable,
            "still unread"
        );
        let mut byte = [0u8];
        (&tcp).read_exact(&mut byte).unwrap();
        assert_eq!(
            waker.wait(&tcp, Duration::ZERO).unwrap(),
            Woke::TimedOut,
            "taken"
        );
    }
}
