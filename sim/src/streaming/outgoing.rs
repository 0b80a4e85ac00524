//! The socket under a streamer connection's WebSocket, with the simulator's own send buffer.
//!
//! tungstenite writes whole frames; [`Outgoing`] accepts every byte at once and keeps what the
//! socket (non-blocking) cannot take yet, so the connection knows exactly how far its client has
//! fallen behind (`CutSlowReader`). It is also where two stream faults act on the wire, because
//! tungstenite answers pings by itself: with `IgnorePings` it drops the pong frames, and once
//! `StreamSilent` it drops everything written from then on.

use std::io::{self, Read, Write};
use std::net::TcpStream;

/// What reaches the socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Everything.
    Normal,
    /// Everything but pong frames.
    NoPongs,
    /// Nothing written from now on (what was already buffered still goes out).
    Silent,
}

pub struct Outgoing {
    socket: TcpStream,
    /// Bytes waiting for the socket: `buf[start..]`.
    buf: Vec<u8>,
    start: usize,
    mode: Mode,
    /// Where the frame parser of `Mode::NoPongs` stands.
    frame: FrameState,
}

/// Server frames are parsed only to drop pongs: a header being read, or a payload being passed
/// through (`keep`) or dropped.
#[derive(Debug)]
enum FrameState {
    Header(Vec<u8>),
    Payload { left: u64, keep: bool },
}

/// Opcode of a pong frame.
const PONG: u8 = 0xA;

impl Outgoing {
    pub fn new(socket: TcpStream) -> Outgoing {
        Outgoing {
            socket,
            buf: Vec::new(),
            start: 0,
            mode: Mode::Normal,
            frame: FrameState::Header(Vec::new()),
        }
    }

    pub fn socket(&self) -> &TcpStream {
        &self.socket
    }

    /// Bytes accepted but not yet taken by the socket.
    pub fn backlog(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Changes what reaches the socket; `Silent` is never left.
    pub fn set_mode(&mut self, mode: Mode) {
        if self.mode != Mode::Silent {
            self.mode = mode;
        }
    }

    /// Writes buffered bytes until the socket would block. Fails on a broken connection.
    pub fn push(&mut self) -> io::Result<()> {
        while self.start < self.buf.len() {
            match self.socket.write(&self.buf[self.start..]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => self.start += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        } else if self.start > self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        Ok(())
    }

    /// Appends `data` (whole or partial server frames) without their pong frames.
    fn keep_all_but_pongs(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            match &mut self.frame {
                FrameState::Payload { left, keep } => {
                    let n = (*left).min(data.len() as u64) as usize;
                    if *keep {
                        self.buf.extend_from_slice(&data[..n]);
                    }
                    *left -= n as u64;
                    data = &data[n..];
                    if *left == 0 {
                        self.frame = FrameState::Header(Vec::new());
                    }
                }
                FrameState::Header(header) => {
                    header.push(data[0]);
                    data = &data[1..];
                    let Some((len, payload)) = header_length(header) else {
                        continue;
                    };
                    if header.len() < len {
                        continue;
                    }
                    let keep = header[0] & 0x0F != PONG;
                    let header = std::mem::take(header);
                    if keep {
                        self.buf.extend_from_slice(&header);
                    }
                    self.frame = if payload == 0 {
                        FrameState::Header(Vec::new())
                    } else {
                        FrameState::Payload {
                            left: payload,
                            keep,
                        }
                    };
                }
            }
        }
    }
}

/// The full length of a frame header and the payload length, once enough of the header is
/// there to tell.
fn header_length(header: &[u8]) -> Option<(usize, u64)> {
    if header.len() < 2 {
        return None;
    }
    let masked = header[1] & 0x80 != 0;
    let mask = if masked { 4 } else { 0 };
    match header[1] & 0x7F {
        126 => {
            let len = 4 + mask;
            let payload = header
                .get(2..4)
                .map(|b| u64::from(u16::from_be_bytes([b[0], b[1]])));
            Some((len, payload?))
        }
        127 => {
            let len = 10 + mask;
            let bytes: [u8; 8] = header.get(2..10)?.try_into().ok()?;
            Some((len, u64::from_be_bytes(bytes)))
        }
        short => Some((2 + mask, u64::from(short))),
    }
}

impl Read for Outgoing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.socket.read(buf)
    }
}

impl Write for Outgoing {
    /// Accepts everything: what the socket does not take now waits in the buffer.
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        match self.mode {
            Mode::Silent => {}
            Mode::NoPongs => {
                self.keep_all_but_pongs(data);
                self.push()?;
            }
            Mode::Normal if self.backlog() == 0 => {
                let mut written = 0;
                while written < data.len() {
                    match self.socket.write(&data[written..]) {
                        Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                        Ok(n) => written += n,
                        Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                }
                self.buf.extend_from_slice(&data[written..]);
            }
            Mode::Normal => {
                self.buf.extend_from_slice(data);
                self.push()?;
            }
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.push()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn pair() -> (Outgoing, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        server.set_nonblocking(true).unwrap();
        (Outgoing::new(server), client)
    }

    #[test]
    fn pongs_are_dropped_in_any_split() {
        let text = [0x81, 3, b'a', b'b', b'c'];
        let pong = [0x8A, 2, b'x', b'y'];
        let mut long = vec![0x81, 126, 0, 200];
        long.extend(std::iter::repeat_n(b'z', 200));
        let mut all = Vec::new();
        all.extend_from_slice(&text);
        all.extend_from_slice(&pong);
        all.extend_from_slice(&long);
        all.extend_from_slice(&pong);
        all.extend_from_slice(&text);
        let mut wanted = Vec::new();
        wanted.extend_from_slice(&text);
        wanted.extend_from_slice(&long);
        wanted.extend_from_slice(&text);
        for chunk in [1, 2, 3, 7, all.len()] {
            let (mut out, _client) = pair();
            out.set_mode(Mode::NoPongs);
            // Straight into the buffer, to look at it.
            for piece in all.chunks(chunk) {
                out.keep_all_but_pongs(piece);
            }
            assert_eq!(out.buf, wanted, "chunks of {chunk}");
        }
    }

    #[test]
    fn silence_is_final_and_backlog_is_counted() {
        let (mut out, mut client) = pair();
        out.write_all(b"hello").unwrap();
        out.flush().unwrap();
        let mut got = [0u8; 5];
        client.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"hello");
        out.set_mode(Mode::Silent);
        out.set_mode(Mode::Normal);
        assert_eq!(out.mode, Mode::Silent);
        out.write_all(b"dropped").unwrap();
        assert_eq!(out.backlog(), 0);
        // A client that does not read makes the backlog grow.
        let (mut out, _client) = pair();
        let block = vec![b'x'; 1 << 20];
        for _ in 0..64 {
            out.write_all(&block).unwrap();
        }
        assert!(out.backlog() > 0);
    }
}
