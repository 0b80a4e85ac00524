//! ISO-8601 UTC timestamps in the broker's style.
//!
//! The API writes dates as UTC with a `Z` and .NET's 100 ns resolution
//! ("2019-02-25T13:33:40.9022856Z"); an unset date is .NET's
//! `DateTime.MinValue`. Written by hand (Howard Hinnant's civil-date
//! algorithms) to keep the crate free of date dependencies.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How an unset date (`DateTime.MinValue`) goes over the wire.
#[allow(dead_code)] // for models with optional dates (orders), not yet served
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

/// Days since 1970-01-01 for a proleptic Gregorian date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
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
