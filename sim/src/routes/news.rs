//! `GET news?symbol=` and `GET news/corporate-actions?symbol=`: a few deterministic items per
//! security, newest first, as `[{Key, Date, Source, Header, Attachment, Content, NewsId}]`
//! (`Date` in Unix seconds).
//!
//! - **News**: one item on each of the last ten sessions up to the simulated now, published
//!   at that session's close (the current session's only once it closed): a market report
//!   with the session's move from the price model, in turn with a note on the stock's
//!   options, an analyst rating and an earnings date, all derived from the symbol and the date.
//! - **Corporate actions**: quarterly dividends, declared two weeks before an ex-date on the
//!   10th of February, May, August and November, the last four declared by now; securities
//!   that pay none (a fixed list of growth stocks) have an annual meeting notice instead.
//!
//! `symbol` is required (404 without it); an unknown symbol is 404.

use crate::State;
use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::{Json, Obj};
use crate::market::clock::{self, SESSION_SECS, TICKS_PER_SEC, Ticks};
use crate::market::options;
use crate::market::securities::Security;
use crate::market::timestamps;

const SOURCE: &str = "Sim Newswire";
const NEWS_ITEMS: i64 = 10;
/// Securities that pay no dividend.
const NO_DIVIDEND: &[&str] = &["AMZN", "GOOGL", "META", "TSLA", "NFLX", "ADBE", "AMD", "BA"];

struct Item {
    key: String,
    at: Ticks,
    header: String,
    content: String,
    id: i64,
}

impl Item {
    fn model(&self) -> Json {
        Obj::new()
            .with("Key", self.key.as_str())
            .with("Date", clock::unix_secs(self.at))
            .with("Source", SOURCE)
            .with("Header", self.header.as_str())
            .with("Attachment", "")
            .with("Content", self.content.as_str())
            .with("NewsId", self.id)
            .into()
    }
}

/// `YYYY-MM-DD` of a day number.
fn date_text(day: i64) -> String {
    let (y, m, d) = timestamps::civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A small deterministic number for a security and a day.
fn pick(sec: &Security, day: i64, salt: i64) -> u64 {
    let x = (sec.id * 1_000_003 + day * 7919 + salt).unsigned_abs();
    x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40
}

/// The news of one session (index `k`).
fn news_of(sec: &Security, k: i64) -> Item {
    let day = clock::session_date(k);
    let close = sec.quote_at((k + 1) * SESSION_SECS - 1).last;
    let before = sec.quote_at(k * SESSION_SECS - 1).last;
    let change = (close / before - 1.0) * 100.0;
    let verb = if change >= 0.0 { "rise" } else { "fall" };
    let at = clock::instant_of_second(k * SESSION_SECS) + SESSION_SECS * TICKS_PER_SEC;
    let (header, content) = match k.rem_euclid(4) {
        0 => (
            format!(
                "{} shares {verb} {:.2}% to {close:.2}",
                sec.symbol,
                change.abs()
            ),
            format!(
                "{} ({}) closed at {close:.2} on {}, from {before:.2} the session before.",
                sec.description,
                sec.symbol,
                date_text(day)
            ),
        ),
        1 => {
            let expiry = options::listed_expirations(at)[0];
            (
                format!(
                    "{} options active ahead of {} expiration",
                    sec.symbol,
                    date_text(expiry)
                ),
                format!(
                    "Traders positioned in {} options expiring {}, the stock closing at {close:.2}.",
                    sec.symbol,
                    date_text(expiry)
                ),
            )
        }
        2 => {
            let ratings = ["Buy", "Hold", "Sell", "Outperform", "Neutral"];
            let rating = ratings[(pick(sec, day, 1) % ratings.len() as u64) as usize];
            let target = (close * (0.9 + (pick(sec, day, 2) % 30) as f64 / 100.0)).round();
            (
                format!("Analyst rates {} {rating}, target {target:.0}", sec.symbol),
                format!(
                    "A sell-side analyst rated {} {rating} with a price target of {target:.0}; the stock closed at {close:.2}.",
                    sec.description
                ),
            )
        }
        _ => {
            let report = day + 14 + (pick(sec, day, 3) % 30) as i64;
            (
                format!(
                    "{} to report quarterly results on {}",
                    sec.description,
                    date_text(report)
                ),
                format!(
                    "{} ({}) will publish its quarterly results on {} after the close.",
                    sec.description,
                    sec.symbol,
                    date_text(report)
                ),
            )
        }
    };
    Item {
        key: format!("SIM-{}-{}-N", sec.symbol, date_text(day)),
        at,
        header,
        content,
        id: (day - 19_000) * 1_000 + sec.id * 10 + 1,
    }
}

/// The last sessions' news at `now`, newest first.
fn news(sec: &Security, now: Ticks) -> Vec<Item> {
    // The last session that closed by now.
    let mut k = clock::session_index(clock::quote_second(now));
    if clock::is_open(now) {
        k -= 1;
    }
    (0..NEWS_ITEMS).map(|back| news_of(sec, k - back)).collect()
}

/// 12:00 UTC of a day.
fn noon(day: i64) -> Ticks {
    (day * 86_400 + 12 * 3600) * TICKS_PER_SEC
}

/// The quarterly dividend declared for the ex-date `ex` (a day number).
fn dividend(sec: &Security, ex: i64) -> Item {
    let declared = ex - 14;
    let at = noon(declared);
    let price = sec.quote(at).last;
    let yield_pct = 0.8 + (pick(sec, 0, 4) % 25) as f64 / 10.0;
    let amount = ((price * yield_pct / 100.0 / 4.0) * 100.0).round() / 100.0;
    Item {
        key: format!("SIM-{}-{}-D", sec.symbol, date_text(ex)),
        at,
        header: format!(
            "{} declares quarterly dividend of {amount:.2} per share",
            sec.description
        ),
        content: format!(
            "{} ({}) declared a quarterly cash dividend of {amount:.2} per share, ex-dividend {}, payable {}.",
            sec.description,
            sec.symbol,
            date_text(ex),
            date_text(ex + 21)
        ),
        id: (declared - 19_000) * 1_000 + sec.id * 10 + 2,
    }
}

/// The annual meeting notice of a year.
fn meeting(sec: &Security, year: i64) -> Item {
    let day = timestamps::days_from_civil(year, 4, 20);
    let at = noon(day);
    Item {
        key: format!("SIM-{}-{year}-M", sec.symbol),
        at,
        header: format!(
            "{} sets its annual meeting for {}",
            sec.description,
            date_text(day + 45)
        ),
        content: format!(
            "{} ({}) will hold its annual meeting of shareholders on {}; holders of record on {} may vote.",
            sec.description,
            sec.symbol,
            date_text(day + 45),
            date_text(day + 10)
        ),
        id: (day - 19_000) * 1_000 + sec.id * 10 + 3,
    }
}

/// The corporate actions known at `now`, newest first.
fn corporate_actions(sec: &Security, now: Ticks) -> Vec<Item> {
    let today = clock::ny_date(clock::unix_secs(now));
    let (year, _, _) = timestamps::civil_from_days(today);
    if NO_DIVIDEND.contains(&sec.symbol) {
        return [year, year - 1]
            .into_iter()
            .map(|y| meeting(sec, y))
            .filter(|i| i.at <= now)
            .collect();
    }
    let mut items = Vec::new();
    for y in (year - 2..=year + 1).rev() {
        for m in [11, 8, 5, 2] {
            let item = dividend(sec, timestamps::days_from_civil(y, m, 10));
            if item.at <= now && items.len() < 4 {
                items.push(item);
            }
        }
    }
    items
}

/// The security `symbol` names (404 when missing or unknown).
fn security<'s>(state: &'s State, call: &Call) -> Result<&'s Security, Reply> {
    let symbol = call
        .query("symbol")
        .ok_or_else(|| reply::not_found(&call.full_url))?;
    state
        .market
        .by_symbol(&symbol)
        .ok_or_else(|| reply::message(404, format!("Security '{symbol}' was not found.")))
}

/// `GET news?symbol=`
pub fn list(state: &State, call: &Call) -> Reply {
    match security(state, call) {
        Ok(sec) => {
            let items: Vec<Json> = news(sec, state.clock.now())
                .iter()
                .map(Item::model)
                .collect();
            Reply::json(200, items)
        }
        Err(reply) => reply,
    }
}

/// `GET news/corporate-actions?symbol=`
pub fn corporate(state: &State, call: &Call) -> Reply {
    match security(state, call) {
        Ok(sec) => {
            let items: Vec<Json> = corporate_actions(sec, state.clock.now())
                .iter()
                .map(Item::model)
                .collect();
            Reply::json(200, items)
        }
        Err(reply) => reply,
    }
}
