//! The simulated clock and the New York trading calendar.
//!
//! Simulated time runs `speed` times faster than real time from a starting
//! instant (by default 09:30 New York time today, or on the last weekday when
//! today is a weekend), so the market is open whenever the simulator starts.
//!
//! The regular session is 09:30–16:00 America/New_York, Monday to Friday,
//! with US daylight saving rules (second Sunday of March to first Sunday of
//! November); exchange holidays are not modelled.
//!
//! Instants are [`Ticks`], .NET-style 100 ns units since the Unix epoch.
//! Prices move only during sessions, so the price model is indexed by the
//! *session second*: the number of whole regular-session seconds since the
//! epoch. [`quote_second`] maps an instant to the session second whose quote
//! is current then; [`instant_of_second`] maps back.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::market::timestamps;

/// 100 ns units since 1970-01-01T00:00:00Z.
pub type Ticks = i64;
pub const TICKS_PER_SEC: i64 = 10_000_000;
/// Length of the regular session, 09:30–16:00.
pub const SESSION_SECS: i64 = 6 * 3600 + 1800;
const OPEN_LOCAL_SECS: i64 = 9 * 3600 + 1800;
const DAY: i64 = 86_400;

pub struct SimClock {
    start: Ticks,
    real_start: Instant,
    speed: f64,
}

impl SimClock {
    /// `start` defaults to [`default_start`] of the current real time;
    /// `speed` must be finite and positive.
    pub fn new(start: Option<SystemTime>, speed: f64) -> SimClock {
        let start = start
            .map(from_system)
            .unwrap_or_else(|| default_start(from_system(SystemTime::now())));
        SimClock {
            start,
            real_start: Instant::now(),
            speed,
        }
    }

    /// The current simulated instant.
    pub fn now(&self) -> Ticks {
        let real = self.real_start.elapsed().as_secs_f64();
        self.start + (real * self.speed * TICKS_PER_SEC as f64) as i64
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }
}

pub fn from_system(t: SystemTime) -> Ticks {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64) * TICKS_PER_SEC + i64::from(d.subsec_nanos() / 100),
        Err(_) => 0,
    }
}

pub fn to_system(t: Ticks) -> SystemTime {
    let t = t.max(0);
    UNIX_EPOCH
        + Duration::new(
            (t / TICKS_PER_SEC) as u64,
            ((t % TICKS_PER_SEC) * 100) as u32,
        )
}

/// `YYYY-MM-DDTHH:MM:SS.fffffffZ`.
pub fn iso(t: Ticks) -> String {
    timestamps::format_iso(to_system(t))
}

/// Unix seconds.
pub fn unix_secs(t: Ticks) -> i64 {
    t.div_euclid(TICKS_PER_SEC)
}

/// 09:30 New York time on the New York date of `now`, or on the last
/// weekday before it when that date is a Saturday or Sunday.
pub fn default_start(now: Ticks) -> Ticks {
    let mut day = ny_date(unix_secs(now));
    while !is_trading_day(day) {
        day -= 1;
    }
    open_secs(day) * TICKS_PER_SEC
}

/// Monday = 0 … Sunday = 6 for a day number (days since 1970-01-01, a
/// Thursday).
pub fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

pub fn is_trading_day(day: i64) -> bool {
    weekday(day) < 5
}

/// The day number of the `n`-th Sunday of a month.
fn nth_sunday(year: i64, month: u32, n: i64) -> i64 {
    let first = timestamps::days_from_civil(year, month, 1);
    first + (6 - weekday(first)) + 7 * (n - 1)
}

/// Whether New York observes daylight saving time at this Unix second.
fn is_dst(secs: i64) -> bool {
    let (year, _, _) = timestamps::civil_from_days(secs.div_euclid(DAY));
    // 02:00 EST = 07:00 UTC; 02:00 EDT = 06:00 UTC.
    let start = nth_sunday(year, 3, 2) * DAY + 7 * 3600;
    let end = nth_sunday(year, 11, 1) * DAY + 6 * 3600;
    (start..end).contains(&secs)
}

/// New York's offset behind UTC, in seconds, at a Unix second.
fn ny_offset(secs: i64) -> i64 {
    if is_dst(secs) { 4 * 3600 } else { 5 * 3600 }
}

/// The New York calendar day (days since 1970-01-01) of a Unix second.
pub fn ny_date(secs: i64) -> i64 {
    (secs - ny_offset(secs)).div_euclid(DAY)
}

/// The Unix second of 09:30 New York time on a day.
pub fn open_secs(day: i64) -> i64 {
    // The offset at local noon of that day decides EST or EDT.
    day * DAY + OPEN_LOCAL_SECS + ny_offset(day * DAY + 17 * 3600)
}

/// Weekdays in `[1970-01-01, day)`.
fn trading_days_before(day: i64) -> i64 {
    // Day 0 is a Thursday: Thu Fri Sat Sun Mon Tue Wed.
    const PREFIX: [i64; 8] = [0, 1, 2, 2, 2, 3, 4, 5];
    5 * day.div_euclid(7) + PREFIX[day.rem_euclid(7) as usize]
}

/// The day number of the `k`-th trading day (k = 0 is 1970-01-01).
fn trading_day(k: i64) -> i64 {
    const OFFSET: [i64; 5] = [0, 1, 4, 5, 6];
    7 * k.div_euclid(5) + OFFSET[k.rem_euclid(5) as usize]
}

/// Regular-session time elapsed before `t`, in ticks.
fn session_ticks(t: Ticks) -> i64 {
    let day = ny_date(unix_secs(t));
    let base = trading_days_before(day) * SESSION_SECS * TICKS_PER_SEC;
    if !is_trading_day(day) {
        return base;
    }
    let open = open_secs(day) * TICKS_PER_SEC;
    base + (t - open).clamp(0, SESSION_SECS * TICKS_PER_SEC)
}

/// Whether `t` is inside a regular session.
pub fn is_open(t: Ticks) -> bool {
    let day = ny_date(unix_secs(t));
    let open = open_secs(day) * TICKS_PER_SEC;
    is_trading_day(day) && t >= open && t < open + SESSION_SECS * TICKS_PER_SEC
}

/// The session second whose quote is current at `t`: the running second
/// during a session, the last second of the previous session otherwise.
pub fn quote_second(t: Ticks) -> i64 {
    let s = session_ticks(t);
    if is_open(t) {
        s.div_euclid(TICKS_PER_SEC)
    } else {
        s.div_euclid(TICKS_PER_SEC) - 1
    }
}

/// The first session second strictly after the quote of `t` that a new
/// event may use: the running second when open, the next session's first
/// second when closed.
pub fn first_second_from(t: Ticks) -> i64 {
    if is_open(t) {
        quote_second(t)
    } else {
        quote_second(t) + 1
    }
}

/// The instant a session second starts.
pub fn instant_of_second(s: i64) -> Ticks {
    let day = trading_day(s.div_euclid(SESSION_SECS));
    (open_secs(day) + s.rem_euclid(SESSION_SECS)) * TICKS_PER_SEC
}

/// The index of the session a session second belongs to.
pub fn session_index(s: i64) -> i64 {
    s.div_euclid(SESSION_SECS)
}

/// The New York date of a session index.
pub fn session_date(k: i64) -> i64 {
    trading_day(k)
}

/// The first session close strictly after `t` (Day orders expire then).
pub fn next_close(t: Ticks) -> Ticks {
    let mut day = ny_date(unix_secs(t));
    loop {
        if is_trading_day(day) {
            let close = (open_secs(day) + SESSION_SECS) * TICKS_PER_SEC;
            if close > t {
                return close;
            }
        }
        day += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i64, m: u32, d: u32, hh: u32, mm: u32) -> Ticks {
        from_system(timestamps::utc(y, m, d, hh, mm, 0, 0))
    }

    #[test]
    fn sessions_follow_new_york_daylight_saving() {
        // Winter (EST): 09:30 = 14:30 UTC. Summer (EDT): 13:30 UTC.
        assert!(!is_open(at(2026, 1, 7, 14, 29)));
        assert!(is_open(at(2026, 1, 7, 14, 30)));
        assert!(is_open(at(2026, 1, 7, 20, 59)));
        assert!(!is_open(at(2026, 1, 7, 21, 0)));
        assert!(is_open(at(2026, 7, 8, 13, 30)));
        assert!(!is_open(at(2026, 7, 8, 20, 0)));
        // 2026: DST from March 8 to November 1.
        assert!(!is_open(at(2026, 3, 6, 13, 45)));
        assert!(is_open(at(2026, 3, 9, 13, 45)));
        assert!(is_open(at(2026, 10, 30, 13, 45)));
        assert!(!is_open(at(2026, 11, 2, 13, 45)));
        // Weekends are closed.
        assert!(!is_open(at(2026, 1, 10, 15, 0)));
    }

    #[test]
    fn session_seconds_round_trip_and_freeze_when_closed() {
        let open = at(2026, 1, 7, 14, 30);
        let s = quote_second(open);
        assert_eq!(instant_of_second(s), open);
        assert_eq!(quote_second(open + 90 * TICKS_PER_SEC + 5), s + 90);
        // After the close and over the weekend the last second stays current.
        let last = quote_second(at(2026, 1, 9, 20, 59) + 59 * TICKS_PER_SEC);
        assert_eq!(quote_second(at(2026, 1, 9, 21, 0)), last);
        assert_eq!(quote_second(at(2026, 1, 11, 3, 0)), last);
        // Monday's first second follows Friday's last one.
        assert_eq!(quote_second(at(2026, 1, 12, 14, 30)), last + 1);
        assert_eq!(first_second_from(at(2026, 1, 11, 3, 0)), last + 1);
        assert_eq!(instant_of_second(last + 1), at(2026, 1, 12, 14, 30));
        assert_eq!(
            session_date(session_index(last + 1)),
            ny_date(unix_secs(open)) + 5
        );
    }

    #[test]
    fn closes_and_default_starts() {
        assert_eq!(next_close(at(2026, 1, 7, 15, 0)), at(2026, 1, 7, 21, 0));
        assert_eq!(next_close(at(2026, 1, 7, 21, 0)), at(2026, 1, 8, 21, 0));
        assert_eq!(next_close(at(2026, 1, 9, 22, 0)), at(2026, 1, 12, 21, 0));
        assert_eq!(default_start(at(2026, 1, 7, 3, 0)), at(2026, 1, 6, 14, 30));
        assert_eq!(default_start(at(2026, 1, 7, 23, 0)), at(2026, 1, 7, 14, 30));
        assert_eq!(
            default_start(at(2026, 1, 11, 12, 0)),
            at(2026, 1, 9, 14, 30)
        );
        assert_eq!(default_start(at(2026, 7, 8, 12, 0)), at(2026, 7, 8, 13, 30));
    }

    #[test]
    fn the_clock_runs_at_its_speed() {
        let start = timestamps::utc(2026, 1, 7, 14, 30, 0, 0);
        let c = SimClock::new(Some(start), 1000.0);
        std::thread::sleep(Duration::from_millis(20));
        let elapsed = c.now() - from_system(start);
        assert!(elapsed >= 20 * TICKS_PER_SEC, "{elapsed}");
        assert!(elapsed < 3600 * TICKS_PER_SEC, "{elapsed}");
    }
}
