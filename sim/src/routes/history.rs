//! `PUT history/symbols` and `PUT history/compare`: candles from the price model;
//! `POST history/export`: the same candles as a spreadsheet (`.xlsx`).
//!
//! Candles cover regular-session time only (`IsMarket` true;
//! `IncludeNonMarketData` is accepted and ignored). Intraday periods
//! (`1m` … `4h`) are cut from each session's open; `1D` is one session;
//! `1W`, `1M`, `3M`, `6M`, `1Y` group sessions by calendar week, month,
//! quarter, half-year and year (New York dates). A candle's Open and Close
//! are the last prices of its first and last seconds, its Low and High the
//! lowest bid and highest ask in it, so every fill lies inside its candle.
//! Requests covering more than ~400,000 session seconds read every n-th
//! second instead of all of them. At most 5,000 candles, the latest ones;
//! data starts on 2010-01-04 and ends at the simulated now.

use crate::State;
use crate::http::body::{self, Body};
use crate::http::reply::{self, File, Reply};
use crate::http::router::Call;
use crate::http::xlsx;
use crate::json::{Json, Obj};
use crate::market::clock::{self, SESSION_SECS, TICKS_PER_SEC, Ticks};
use crate::market::securities::Security;
use crate::market::timestamps;

const MAX_CANDLES: usize = 5_000;
const SAMPLE_BUDGET: i64 = 400_000;

#[derive(Clone, Copy, Debug)]
enum Period {
    /// Seconds per candle, cut from the session open.
    Intraday(i64),
    Day,
    /// Sessions grouped by a calendar key.
    Group(fn(i64) -> i64),
}

fn period(name: &str) -> Option<Period> {
    let minutes = match name {
        "1m" => 1,
        "2m" => 2,
        "3m" => 3,
        "5m" => 5,
        "10m" => 10,
        "15m" => 15,
        "30m" => 30,
        "1h" => 60,
        "2h" => 120,
        "4h" => 240,
        "1D" | "1d" => return Some(Period::Day),
        "1W" | "1w" => return Some(Period::Group(week)),
        "1M" => return Some(Period::Group(month)),
        "3M" => return Some(Period::Group(quarter)),
        "6M" => return Some(Period::Group(half)),
        "1Y" | "1y" => return Some(Period::Group(year)),
        _ => return None,
    };
    Some(Period::Intraday(minutes * 60))
}

/// Monday of the week of a day.
fn week(day: i64) -> i64 {
    day - clock::weekday(day)
}

fn month(day: i64) -> i64 {
    let (y, m, _) = timestamps::civil_from_days(day);
    y * 12 + i64::from(m) - 1
}

fn quarter(day: i64) -> i64 {
    month(day).div_euclid(3)
}

fn half(day: i64) -> i64 {
    month(day).div_euclid(6)
}

fn year(day: i64) -> i64 {
    timestamps::civil_from_days(day).0
}

/// The session seconds `[b0, b1)` of the candle holding second `s`.
fn bucket(p: Period, s: i64) -> (i64, i64) {
    let k = clock::session_index(s);
    match p {
        Period::Intraday(len) => {
            let b0 = k * SESSION_SECS + (s - k * SESSION_SECS) / len * len;
            (b0, (b0 + len).min((k + 1) * SESSION_SECS))
        }
        Period::Day => (k * SESSION_SECS, (k + 1) * SESSION_SECS),
        Period::Group(key) => {
            let key_of = |k: i64| key(clock::session_date(k));
            let own = key_of(k);
            let (mut first, mut last) = (k, k);
            while key_of(first - 1) == own {
                first -= 1;
            }
            while key_of(last + 1) == own {
                last += 1;
            }
            (first * SESSION_SECS, (last + 1) * SESSION_SECS)
        }
    }
}

fn unix(t: Ticks) -> i64 {
    t.div_euclid(TICKS_PER_SEC)
}

fn no_data() -> Reply {
    reply::message(
        409,
        "There is no history data for the requested security and period.",
    )
}

/// The session seconds a request covers: `(first, last, count)`, with
/// `count` > 0 meaning "the last `count` candles up to `last`".
fn range(settings: &Body, now: Ticks) -> Result<(i64, i64, usize), Reply> {
    let bad = |_| reply::invalid_request();
    let start = body::int(settings.get("StartDate"))
        .map_err(bad)?
        .unwrap_or(0);
    let end = body::int(settings.get("EndDate"))
        .map_err(bad)?
        .unwrap_or(0);
    let count = body::int(settings.get("CandlesCount"))
        .map_err(bad)?
        .unwrap_or(-1);
    let interval = body::int(settings.get("Interval"))
        .map_err(bad)?
        .unwrap_or(0);
    let end_t = if end > 0 {
        (end * TICKS_PER_SEC).min(now)
    } else {
        now
    };
    const DAY: i64 = 86_400 * TICKS_PER_SEC;
    let data_start = clock::from_system(timestamps::utc(2010, 1, 4, 0, 0, 0, 0));
    let start_t = match interval {
        -1 => data_start,
        -2 => {
            let (y, _, _) = timestamps::civil_from_days(clock::ny_date(unix(end_t)));
            clock::open_secs(timestamps::days_from_civil(y, 1, 1)) * TICKS_PER_SEC
        }
        -4 => end_t - DAY,
        -5 => end_t - 7 * DAY,
        -6 => end_t - 30 * DAY,
        -7 => end_t - 91 * DAY,
        -8 => end_t - 182 * DAY,
        -9 => end_t - 365 * DAY,
        -10 => end_t - 3 * 365 * DAY,
        -12 => end_t - 3 * DAY,
        -13 => clock::open_secs(clock::ny_date(unix(end_t))) * TICKS_PER_SEC,
        _ => start * TICKS_PER_SEC,
    };
    let first = clock::first_second_from(start_t.max(data_start));
    let last = clock::quote_second(end_t);
    let count = if count > 0 && matches!(interval, 0 | -3 | -11) {
        count as usize
    } else {
        0
    };
    Ok((first, last, count))
}

fn candle(sec: &Security, b0: i64, b1: i64, stride: i64) -> Json {
    let bar = sec.bar(b0, b1, stride);
    let t = clock::instant_of_second(b0);
    Obj::new()
        .with("ValuationLevels", Vec::<Json>::new())
        .with("IsMarket", true)
        .with("Volume", bar.volume)
        .with("OpenInterest", 0.0)
        .with("Time", unix(t))
        .with("DateTime", clock::iso(t))
        .with("Open", bar.open)
        .with("High", bar.high)
        .with("Low", bar.low)
        .with("Close", bar.close)
        .into()
}

/// The period named in history settings: 400 when unknown.
fn period_of(settings: &Body) -> Result<Period, Reply> {
    let name = body::text(settings.get("Period"))
        .ok()
        .flatten()
        .unwrap_or_default();
    period(name.trim())
        .ok_or_else(|| reply::message(400, format!("Period '{name}' is not supported.")))
}

/// The candles of one security for history settings; 409 when there are none.
fn candles(sec: &Security, p: Period, settings: &Body, now: Ticks) -> Result<Vec<Json>, Reply> {
    let (first, last, count) = range(settings, now)?;
    // Buckets from the newest back.
    let limit = if count > 0 {
        count.min(MAX_CANDLES)
    } else {
        MAX_CANDLES
    };
    let mut buckets = Vec::new();
    let mut s = last;
    while buckets.len() < limit && s >= 0 {
        let (b0, b1) = bucket(p, s);
        if count == 0 && b1 <= first {
            break;
        }
        buckets.push((b0, b1.min(last + 1)));
        s = b0 - 1;
    }
    if count > 0 {
        let data_start =
            clock::first_second_from(clock::from_system(timestamps::utc(2010, 1, 4, 0, 0, 0, 0)));
        buckets.retain(|(b0, _)| *b0 >= data_start);
    }
    buckets.reverse();
    if buckets.is_empty() {
        return Err(no_data());
    }
    let seconds: i64 = buckets.iter().map(|(a, b)| b - a).sum();
    let stride = (seconds / SAMPLE_BUDGET).max(1);
    Ok(buckets
        .iter()
        .map(|&(b0, b1)| candle(sec, b0, b1, stride))
        .collect())
}

/// `POST history/export` with a `ChartHistoryRequestModel`: the candles of `history/symbols`
/// as a workbook of one sheet (Time in Unix seconds, Open, High, Low, Close, Volume), errors as
/// there. The broker documents only that the answer is xlsx; the simulator keeps it that plain.
pub fn export(state: &State, call: &Call) -> Reply {
    let candles = match requested(state, call) {
        Ok((candles, _)) => candles,
        Err(reply) => return reply,
    };
    let columns = ["Time", "Open", "High", "Low", "Close", "Volume"];
    let rows: Vec<Vec<f64>> = candles
        .iter()
        .map(|c| columns.map(|k| number(c, k)).to_vec())
        .collect();
    Reply::file(File {
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        name: "history.xlsx".into(),
        bytes: xlsx::workbook(&columns, &rows),
    })
}

/// A number of a candle made by `candle`.
fn number(candle: &Json, key: &str) -> f64 {
    let Json::Obj(fields) = candle else {
        return f64::NAN;
    };
    match fields.entries().iter().find(|(k, _)| k == key) {
        Some((_, Json::Num(v))) => *v,
        Some((_, Json::Int(v))) => *v as f64,
        _ => f64::NAN,
    }
}

/// The candles a `ChartHistoryRequestModel` asks for, and how many indicator series it asks
/// for; the error reply when it cannot be answered.
fn requested(state: &State, call: &Call) -> Result<(Vec<Json>, usize), Reply> {
    let request = Body::parse(&call.req.body).ok_or_else(reply::invalid_request)?;
    let (Some(security), Some(settings)) = (
        request.object("Security"),
        request.object("SecurityHistorySettings"),
    ) else {
        return Err(reply::invalid_request());
    };
    let symbol = body::text(security.get("Symbol"))
        .ok()
        .flatten()
        .unwrap_or_default();
    let sec = state.market.by_symbol(&symbol).ok_or_else(no_data)?;
    let p = period_of(&settings)?;
    let indicators = match request.get("IndicatorsHistorySettings") {
        Some(serde_json::Value::Array(list)) => list.len(),
        _ => 0,
    };
    Ok((candles(sec, p, &settings, state.clock.now())?, indicators))
}

/// `PUT history/symbols` with a `ChartHistoryRequestModel`.
pub fn symbols(state: &State, call: &Call) -> Reply {
    let (candles, indicators) = match requested(state, call) {
        Ok(r) => r,
        Err(reply) => return reply,
    };
    let empty: Vec<Json> = (0..indicators).map(|_| Json::Arr(Vec::new())).collect();
    Reply::json(
        200,
        Obj::new()
            .with("SecurityHistory", vec![Json::Arr(candles)])
            .with("IndicatorsHistory", empty),
    )
}

/// `PUT history/compare` with a `ChartCompareRequestModel` (`{"Securities":[{"Symbol":..},
/// ...],"SecuritiesHistorySettings":{...}}`, the settings as for `history/symbols`): one
/// array of candles per security, in the order asked. An unknown symbol, or a security with
/// no data in the range, is 409; no securities 400.
pub fn compare(state: &State, call: &Call) -> Reply {
    let Some(request) = Body::parse(&call.req.body) else {
        return reply::invalid_request();
    };
    let Some(settings) = request.object("SecuritiesHistorySettings") else {
        return reply::invalid_request();
    };
    let Some(serde_json::Value::Array(list)) = request.get("Securities") else {
        return reply::invalid_request();
    };
    if list.is_empty() {
        return reply::invalid_request();
    }
    let p = match period_of(&settings) {
        Ok(p) => p,
        Err(reply) => return reply,
    };
    let now = state.clock.now();
    let mut series = Vec::new();
    for item in list {
        let symbol = match item {
            serde_json::Value::Object(map) => body::text(Body::from_map(map.clone()).get("Symbol"))
                .ok()
                .flatten()
                .unwrap_or_default(),
            _ => return reply::invalid_request(),
        };
        let Some(sec) = state.market.by_symbol(&symbol) else {
            return no_data();
        };
        match candles(sec, p, &settings, now) {
            Ok(c) => series.push(Json::Arr(c)),
            Err(reply) => return reply,
        }
    }
    Reply::json(200, series)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_tile_sessions() {
        let p = period("5m").unwrap();
        let s = 1_000 * SESSION_SECS + 301;
        assert_eq!(
            bucket(p, s),
            (1_000 * SESSION_SECS + 300, 1_000 * SESSION_SECS + 600)
        );
        // The last 4h candle of a session is cut at the close.
        let p = period("4h").unwrap();
        assert_eq!(
            bucket(p, 1_000 * SESSION_SECS + 20_000),
            (1_000 * SESSION_SECS + 14_400, 1_001 * SESSION_SECS)
        );
        assert_eq!(
            bucket(period("1D").unwrap(), s),
            (1_000 * SESSION_SECS, 1_001 * SESSION_SECS)
        );
        // A week is five sessions, Monday to Friday.
        let (b0, b1) = bucket(period("1W").unwrap(), s);
        assert_eq!((b1 - b0) % SESSION_SECS, 0);
        assert!(b1 - b0 <= 5 * SESSION_SECS && b0 <= s && s < b1);
        let monday = clock::session_date(clock::session_index(b0));
        assert_eq!(clock::weekday(monday), 0);
        assert!(matches!(period("1M"), Some(Period::Group(_))));
        assert!(matches!(period("1m"), Some(Period::Intraday(60))));
        assert!(period("7m").is_none());
    }
}
