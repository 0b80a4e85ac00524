//! ISO-8601 UTC timestamps in the broker's style.
//!
//! The API writes dates as UTC with a `Z` and .NET's 100 ns resolution
//! ("2019-02-25T13:33:40.9022856Z"); an unset date is .NET's
//! `DateTime.MinValue`. Written by hand (Howard Hinnant's civil-date
//! algorithms) to keep the crate free of date dependencies.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How an unset date (`DateTime.MinValue`) goes over the wire.
pub const UNSET: &str = "0001-01-01T00:00:00Z";

/// Formats `t` as `YYYY-MM-DDTHH:MM:SS.fffffffZ` (always 7 fractional digits).
/// Times before 1970 are not needed by the simulator and clamp to the epoch.
pub fn format_iso(t: SystemTime) -> String {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs() as i64;
    let ticks = since.subsec_nanos() / 100;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ticks:07}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// The instant for a UTC calendar date and time; `ticks` are 100 ns units.
/// Used for fixed demo dates. Dates before 1970 clamp to the epoch.
pub fn utc(y: i64, m: u32, d: u32, hh: u32, mm: u32, ss: u32, ticks: u32) -> SystemTime {
    let secs = days_from_civil(y, m, d) * 86_400 + i64::from(hh * 3600 + mm * 60 + ss);
    let secs = u64::try_from(secs).unwrap_or(0);
    UNIX_EPOCH + Duration::new(secs, ticks * 100)
}

/// Parses an ISO-8601 instant: `YYYY-MM-DD`, optionally followed by
/// `THH:MM[:SS[.fffffff]]` and `Z` or `±HH:MM` (no zone means UTC). Dates
/// before 1970 are refused.
pub fn parse_iso(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let num = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (date, rest) = text.split_at(text.find(['T', 't', ' ']).unwrap_or(text.len()));
    let mut parts = date.split('-');
    let (y, m, d) = (
        num(parts.next()?)?,
        num(parts.next()?)?,
        num(parts.next()?)?,
    );
    if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, m as u32, d as u32);
    if civil_from_days(days) != (y, m as u32, d as u32) {
        return None; // e.g. February 30
    }
    let mut secs = days * 86_400;
    let mut nanos = 0u32;
    if !rest.is_empty() {
        let rest = &rest[1..];
        // Split off the zone: `Z`, or a sign after the time.
        let (time, zone) = match rest.find(['Z', 'z', '+', '-']) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
        let mut hms = hms.split(':');
        let h = num(hms.next()?)?;
        let mi = num(hms.next()?)?;
        let s = hms.next().map(num).unwrap_or(Some(0))?;
        if hms.next().is_some() || h > 23 || mi > 59 || s > 60 {
            return None;
        }
        if !frac.is_empty() {
            num(frac)?;
            let digits: String = frac.chars().chain("000000000".chars()).take(9).collect();
            nanos = digits.parse().ok()?;
        }
        secs += h * 3600 + mi * 60 + s;
        match zone {
            "" | "Z" | "z" => {}
            _ => {
                let sign = if zone.starts_with('-') { -1 } else { 1 };
                let (zh, zm) = zone[1..].split_once(':').unwrap_or((&zone[1..], "00"));
                let (zh, zm) = (num(zh)?, num(zm)?);
                if zh > 23 || zm > 59 {
                    return None;
                }
                secs -= sign * (zh * 3600 + zm * 60);
            }
        }
    }
    let secs = u64::try_from(secs).ok()?;
    Some(UNIX_EPOCH + Duration::new(secs, nanos))
}

/// Days since 1970-01-01 for a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_seven_fraction_digits() {
        assert_eq!(
            format_iso(utc(2019, 2, 25, 13, 33, 40, 9_022_856)),
            "2019-02-25T13:33:40.9022856Z"
        );
        assert_eq!(format_iso(UNIX_EPOCH), "1970-01-01T00:00:00.0000000Z");
        assert_eq!(
            format_iso(utc(2000, 2, 29, 23, 59, 59, 1)),
            "2000-02-29T23:59:59.0000001Z"
        );
        assert_eq!(
            format_iso(utc(2024, 12, 31, 0, 0, 0, 0)),
            "2024-12-31T00:00:00.0000000Z"
        );
    }

    #[test]
    fn parses_iso_instants() {
        let t = |s| parse_iso(s).map(format_iso);
        assert_eq!(
            t("2019-02-25T13:33:40.9022856Z").as_deref(),
            Some("2019-02-25T13:33:40.9022856Z")
        );
        assert_eq!(
            t("2026-11-27T15:59:00Z").as_deref(),
            Some("2026-11-27T15:59:00.0000000Z")
        );
        assert_eq!(
            t("2026-11-27T10:59:00-05:00").as_deref(),
            Some("2026-11-27T15:59:00.0000000Z")
        );
        assert_eq!(
            t("2026-11-27T15:59").as_deref(),
            Some("2026-11-27T15:59:00.0000000Z")
        );
        assert_eq!(
            t("2026-11-27").as_deref(),
            Some("2026-11-27T00:00:00.0000000Z")
        );
        for bad in [
            "",
            "2026-02-30",
            "2026-13-01",
            "1969-12-31T00:00:00Z",
            "2026-1-1x",
            "noon",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(-719_162), (1, 1, 1));
        assert_eq!(UNSET, "0001-01-01T00:00:00Z");
    }
}
