//! The streamers' short decimals (`"189.34000"`, `"1800"`: about ten a quote) read a word at a
//! time: the digits on either side of the dot turned into a number by three multiplications
//! (all of them at once when they are at most eight), rather than a digit at a time, where each
//! digit waits for the one before it. Anything else goes to `convert::decimal`, which reads the
//! same numbers to the same bits.

use super::scan::{word, zero_bytes};
use super::{convert, listing};

/// The number `value` writes, as `convert::decimal` reads it, NaN when it reads none; `value`
/// is a slice of `text` (the sixteen bytes from its start are read at once, where `text` has
/// them).
pub fn decimal(text: &str, value: &str) -> f64 {
    let (lo, hi) = window(text, value);
    match quick(lo, hi, value.len()) {
        Some(v) => v,
        None => general(value),
    }
}

/// Out of the quick path's way, so that it saves no registers for it.
#[cold]
#[inline(never)]
fn general(value: &str) -> f64 {
    convert::decimal(value).unwrap_or(f64::NAN)
}

/// The sixteen bytes of `text` from where `value` starts, as two words (the first byte lowest);
/// zeros past the end of `text`.
#[inline(always)]
fn window(text: &str, value: &str) -> (u64, u64) {
    let b = text.as_bytes();
    let at = listing::span_of(text, value).start;
    if let Some(all) = b.get(at..at + 16) {
        return (word(&all[..8]), word(&all[8..]));
    }
    last_bytes(b.get(at..).unwrap_or_default())
}

/// `window` at the end of a text: fewer than sixteen bytes, zeros after them.
#[cold]
#[inline(never)]
fn last_bytes(rest: &[u8]) -> (u64, u64) {
    let mut w = [0; 16];
    w[..rest.len()].copy_from_slice(rest);
    (word(&w[..8]), word(&w[8..]))
}

const fn repeat(byte: u8) -> u64 {
    u64::from_le_bytes([byte; 8])
}

/// A mask of the low `n` bytes of a word (`n` at most 8).
fn low(n: usize) -> u64 {
    u64::MAX.checked_shr(64 - 8 * n as u32).unwrap_or(0)
}

/// `digits.digits` (a whole part of at most 7 digits and a fraction of at most 8) or `digits`
/// (at most 8) in the first `n` bytes of `lo` and `hi`; `None` for anything else (a sign,
/// longer numbers, other bytes), which `convert::decimal` reads.
fn quick(lo: u64, hi: u64, n: usize) -> Option<f64> {
    if n == 0 || n > 16 {
        return None;
    }
    let first = lo & low(n.min(8));
    // The dot, if the first eight bytes hold one (past `n` they are zero: no dot there).
    let dots = zero_bytes(first ^ repeat(b'.'));
    if dots == 0 {
        if n > 8 || !all_digits(first, n) {
            return None;
        }
        // At most 8 digits: exact as a double.
        return Some(eight(first << (8 * (8 - n))) as f64);
    }
    let at = dots.trailing_zeros() as usize / 8;
    let fraction = n - at - 1;
    // Digits on both sides (`.5` and `5.` are left to the full reader), at most 8 after.
    if at == 0 || fraction == 0 || fraction > 8 {
        return None;
    }
    if n <= 9 {
        // At most eight digits (a price such as `189.34000`): the bytes after the dot moved
        // down over it, and all the digits read as one number.
        let digits = n - 1;
        let joined = ((first & low(at)) | ((lo >> 8 | hi << 56) & !low(at))) & low(digits);
        if !all_digits(joined, digits) {
            return None;
        }
        let mantissa = eight(joined << (8 * (8 - digits)));
        return Some(convert::exact_decimal(mantissa, fraction, false));
    }
    two_parts(first & low(at), lo, hi, at, fraction)
}

/// `whole.fraction` with nine digits or more in all: each side read on its own (out of
/// `quick`'s line, so that the common prices save no registers for it).
#[inline(never)]
fn two_parts(whole: u64, lo: u64, hi: u64, at: usize, fraction: usize) -> Option<f64> {
    let after = lo.checked_shr(8 * (at as u32 + 1)).unwrap_or(0) | hi << (8 * (7 - at));
    let after = after & low(fraction);
    if !all_digits(whole, at) || !all_digits(after, fraction) {
        return None;
    }
    const POW10: [u64; 9] = [
        1,
        10,
        100,
        1_000,
        10_000,
        100_000,
        1_000_000,
        10_000_000,
        100_000_000,
    ];
    // At most 15 digits in all: the mantissa is exact, as `exact_decimal` needs.
    let mantissa =
        eight(whole << (8 * (8 - at))) * POW10[fraction] + eight(after << (8 * (8 - fraction)));
    Some(convert::exact_decimal(mantissa, fraction, false))
}

/// Whether the first `n` bytes of `w` (zero beyond them) are all digits: `3` in the top half,
/// at most 9 in the bottom one (adding 6 then leaves the top half alone). A byte whose top half
/// is not `3` fails the first test whatever the addition carries.
fn all_digits(w: u64, n: usize) -> bool {
    let m = low(n);
    let threes = repeat(b'0') & m;
    w & repeat(0xf0) & m == threes && w.wrapping_add(repeat(6)) & repeat(0xf0) & m == threes
}

/// Eight digits (ASCII or zero bytes, the first lowest) as their number: pairs, then fours,
/// then the eight, a multiplication each.
fn eight(v: u64) -> u64 {
    let v = (v & repeat(0x0f)).wrapping_mul(10 << 8 | 1) >> 8;
    let v = (v & 0x00ff_00ff_00ff_00ff).wrapping_mul(100 << 16 | 1) >> 16;
    (v & 0x0000_ffff_0000_ffff).wrapping_mul(10_000 << 32 | 1) >> 32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` as the value of a message that goes on after it, and at its very end.
    fn both_ways(text: &str) -> [f64; 2] {
        let inside = format!("{text}\",\"Ask\":\"189.40000\"}}");
        [decimal(&inside, &inside[..text.len()]), decimal(text, text)]
    }

    fn same(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    #[test]
    fn prices_and_sizes_read_as_the_full_reader_reads_them() {
        for text in [
            "189.34000",
            "1800",
            "0",
            "-0",
            "0.5",
            "-12.25",
            "5",
            "12345678",
            "123456789",
            "1234567.12345678",
            "12345678.1234567",
            "1.234567890123456",
            "0.00000001",
            "0.000000001",
            "00012.50",
            ".5",
            "5.",
            "-",
            "-.5",
            "1.2.3",
            "1e5",
            " 1",
            "1 ",
            "+1",
            "1-",
            "12a4",
            "",
            "١",
            "1/2",
            "9:",
            "1.2345678a",
            "99999999.99999999",
        ] {
            let want = convert::decimal(text).unwrap_or(f64::NAN);
            for got in both_ways(text) {
                assert!(same(got, want), "{text:?}: {got} against {want}");
            }
        }
        let quick_one = |text: &str| quick(window(text, text).0, window(text, text).1, text.len());
        assert_eq!(
            quick_one("189.34000"),
            Some(189.34),
            "a price takes the quick way"
        );
        assert_eq!(quick_one("1800"), Some(1800.0), "so does a size");
        assert_eq!(
            quick_one("1234.56789"),
            Some(1234.56789),
            "nine digits, in two parts"
        );
        assert_eq!(quick_one(".5"), None);
    }

    #[test]
    fn every_short_shape_reads_as_the_full_reader_reads_it() {
        // Strings of digits, dots, signs and stray bytes, every length to 17.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut quick_ones = 0;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 18) as usize;
            let text: String = (0..len)
                .map(|k| match (x >> (k * 3 % 60)) as u8 % 16 {
                    r @ 0..=10 => char::from(b'0' + r % 10),
                    11 => '.',
                    12 if k == 0 => '-',
                    r @ (12 | 13) => char::from(b'0' + (r + k as u8) % 10),
                    14 => ['e', ' ', '/', ':'][k % 4],
                    _ => '9',
                })
                .collect();
            let want = convert::decimal(&text).unwrap_or(f64::NAN);
            let (lo, hi) = window(&text, &text);
            quick_ones += usize::from(quick(lo, hi, text.len()).is_some());
            for got in both_ways(&text) {
                assert!(same(got, want), "{text:?}: {got} against {want}");
            }
        }
        assert!(quick_ones > 30_000, "{quick_ones}");
    }

    #[test]
    fn eight_digits_make_their_number() {
        let word = |s: &[u8; 8]| u64::from_le_bytes(*s);
        assert_eq!(eight(word(b"12345678")), 12_345_678);
        assert_eq!(eight(word(b"00000009")), 9);
        assert_eq!(eight(word(b"99999999")), 99_999_999);
        assert_eq!(
            eight(u64::from_le_bytes([0, 0, 0, 0, b'4', b'2', b'0', b'1'])),
            4201
        );
    }
}
