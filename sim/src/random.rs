//! Randomness for tokens and verification codes, read from /dev/urandom
//! (the simulator runs on Linux; no RNG crate needed).

use std::fs::File;
use std::io::Read;

/// `n` bytes from /dev/urandom. Panics if the device cannot be read, which
/// on Linux means something is badly wrong with the machine.
pub fn bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .expect("cannot read /dev/urandom");
    buf
}

/// An opaque token: 256 random bytes in standard base64, so 344 characters
/// from `A-Z a-z 0-9 + /` ending in `==`, like the broker's tokens.
pub fn token() -> String {
    base64(&bytes(256))
}

/// A six-digit verification code, uniformly distributed, zero padded.
pub fn code() -> String {
    // Reject the top of the u32 range so that `% 1_000_000` has no bias.
    const LIMIT: u32 = u32::MAX - u32::MAX % 1_000_000;
    loop {
        let b = bytes(4);
        let n = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if n < LIMIT {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn tokens_are_long_distinct_base64() {
        let (a, b) = (token(), token());
        assert_eq!(a.len(), 344);
        assert!(a.ends_with("=="));
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"+/=".contains(&c))
        );
        assert_ne!(a, b);
    }

    #[test]
    fn codes_are_six_digits() {
        for _ in 0..50 {
            let c = code();
            assert_eq!(c.len(), 6);
            assert!(c.bytes().all(|d| d.is_ascii_digit()));
        }
    }
}
