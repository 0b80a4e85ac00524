//! The broker's instants as Unix milliseconds (UTC): ISO-8601 with up to 7 fractional digits and
//! a `Z` or an offset (REST), epoch milliseconds (the data streamer), `MM/DD/YYYY HH:MM:SS`
//! (quote and watchlist messages, no zone: read as UTC). .NET's unset date
//! (`0001-01-01T00:00:00Z`, or `-62135596800000` ms) is 0, as is anything unreadable.

/// .NET's `DateTime.MinValue` in Unix milliseconds.
const DOTNET_UNSET_MS: i64 = -62_135_596_800_000;

/// Milliseconds since the Unix epoch for a text instant in any of the broker's forms; 0 when
/// unset or unreadable.
pub fn instant_ms(text: &str) -> i64 {
    let text = super::convert::trimmed(text);
    let digits = text.strip_prefix('-').unwrap_or(text);
    // The quote streamer's form first: it comes a million times a second.
    let ms = if text.as_bytes().get(2) == Some(&b'/') {
        us_date(text)
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        iso(text)
    };
    ms.filter(|&ms| ms > DOTNET_UNSET_MS).unwrap_or(0)
}

/// The last instant read from one source, with its text: the quote streamer dates a second's
/// quotes alike, so the same text comes again and again (a compare instead of a conversion).
#[derive(Debug, Default, Clone)]
pub struct LastInstant {
    text: [u8; LastInstant::ROOM],
    /// 0: none kept (nothing read yet, or the last text was longer than `ROOM`).
    len: usize,
    ms: i64,
}

impl LastInstant {
    const ROOM: usize = 32;

    /// `instant_ms(text)`, from what is kept when `text` is the last one read.
    #[inline(always)]
    pub fn ms(&mut self, text: &str) -> i64 {
        let b = text.as_bytes();
        if self.len != 0 && b.len() == self.len && b == &self.text[..self.len] {
            return self.ms;
        }
        self.read(text)
    }

    #[cold]
    #[inline(never)]
    fn read(&mut self, text: &str) -> i64 {
        let ms = instant_ms(text);
        let b = text.as_bytes();
        self.len = if b.len() <= Self::ROOM { b.len() } else { 0 };
        self.text[..self.len].copy_from_slice(&b[..self.len]);
        self.ms = ms;
        ms
    }
}

/// An epoch-milliseconds number; the unset date is 0.
pub fn epoch_ms(ms: i64) -> i64 {
    if ms <= DOTNET_UNSET_MS { 0 } else { ms }
}

/// `2019-02-25T13:33:40.9022856Z`, `2026-11-27T09:30:00-05:00`, `2026-11-27` (midnight UTC).
fn iso(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let date = civil_days(num(b, 0, 4)?, num(b, 5, 2)?, num(b, 8, 2)?)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if b.len() == 10 {
        return Some(date * 86_400_000);
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(13) != Some(&b':') {
        return None;
    }
    let (h, m) = (num(b, 11, 2)?, num(b, 14, 2)?);
    let s = if b.get(16) == Some(&b':') {
        num(b, 17, 2)?
    } else {
        0
    };
    let mut i = if b.get(16) == Some(&b':') { 19 } else { 16 };
    let mut millis = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 3 {
                millis = millis * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        for _ in (i - start)..3 {
            millis *= 10;
        }
    }
    let offset_minutes = match b.get(i) {
        None | Some(b'Z' | b'z') if i + 1 >= b.len() => 0,
        Some(sign @ (b'+' | b'-')) => {
            let minutes = num(b, i + 1, 2)? * 60 + num(b, i + 4, 2)?;
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(date * 86_400_000 + ((h * 60 + m - offset_minutes) * 60 + s) * 1000 + millis)
}

/// `08/20/2015 20:00:00` (month first, no zone).
fn us_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.get(5) != Some(&b'/') {
        return None;
    }
    let date = civil_days(num(b, 6, 4)?, num(b, 0, 2)?, num(b, 3, 2)?)?;
    let time = if b.len() >= 19 {
        (num(b, 11, 2)? * 60 + num(b, 14, 2)?) * 60 + num(b, 17, 2)?
    } else {
        0
    };
    Some((date * 86_400 + time) * 1000)
}

/// A fixed-width decimal number at `at`.
fn num(b: &[u8], at: usize, width: usize) -> Option<i64> {
    let digits = b.get(at..at + width)?;
    digits.iter().try_fold(0i64, |n, d| {
        d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_days(year: i64, month: i64, day: i64) -> Option<i64> {
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_the_broker_writes() {
        assert_eq!(instant_ms("1970-01-01T00:00:00Z"), 0);
        assert_eq!(
            instant_ms("2019-02-25T13:33:40.9022856Z"),
            1_551_101_620_902
        );
        assert_eq!(instant_ms("2019-02-25T13:33:40Z"), 1_551_101_620_000);
        assert_eq!(instant_ms("2019-02-25T13:33:40.5Z"), 1_551_101_620_500);
        assert_eq!(
            instant_ms("2026-11-27T09:30:00-05:00"),
            instant_ms("2026-11-27T14:30:00Z")
        );
        assert_eq!(
            instant_ms("2026-11-27T14:30:00+00:00"),
            instant_ms("2026-11-27T14:30:00Z")
        );
        assert_eq!(instant_ms("2026-11-27"), instant_ms("2026-11-27T00:00:00Z"));
        assert_eq!(instant_ms("1551101620902"), 1_551_101_620_902);
        assert_eq!(instant_ms("08/20/2015 20:00:00"), 1_440_100_800_000);
    }

    #[test]
    fn unset_and_unreadable_instants_are_zero() {
        for text in [
            "0001-01-01T00:00:00Z",
            "-62135596800000",
            "",
            "soon",
            "2019-13-01T00:00:00Z",
            "2019-02-25T25:00:00Z",
            "2019-02-25T13:33:40Zjunk",
            "--",
        ] {
            assert_eq!(instant_ms(text), 0, "{text}");
        }
        assert_eq!(epoch_ms(DOTNET_UNSET_MS), 0);
    }

    #[test]
    fn the_last_instant_kept_reads_as_the_conversion() {
        let texts = [
            "11/30/2026 14:30:05",
            "11/30/2026 14:30:05",
            "11/30/2026 14:30:06",
            "11/30/2026 14:30:0",
            "11/30/2026 14:30:06",
            "",
            "",
            "11/30/2026 14:30:06 ",
            "not a date",
            "not a date",
            "2026-11-30T14:30:06.1234567+05:00 and more than 32 bytes",
            "2026-11-30T14:30:06.1234567+05:00 and more than 32 bytes",
            "2026-11-30T14:30:06Z",
            "1796000000000",
            "1796000000000",
            "11/30/2026 14:30:05",
        ];
        let mut last = LastInstant::default();
        for text in texts {
            assert_eq!(last.ms(text), instant_ms(text), "{text:?}");
        }
        let mut last = LastInstant::default();
        let damaged = crate::client::models::damaged("11/30/2026 14:30:05", b"019/: ", 5_000);
        for (i, text) in damaged.enumerate() {
            let text = text.as_str();
            assert_eq!(last.ms(text), instant_ms(text), "{text:?}");
            if i % 3 == 0 {
                assert_eq!(last.ms(text), instant_ms(text), "again: {text:?}");
            }
        }
    }
}
