//! Listed options on every security of the universe, and their prices.
//!
//! - **Expirations.** Options expire on Fridays, at the close of that day's regular session
//!   (the simulated calendar has no holidays). At any instant the listed expirations are the
//!   next four Fridays whose close is still ahead (`Weekly`, or `Regular` when the Friday is
//!   the third of its month) and the next three third Fridays (`Regular`, the monthlies).
//! - **Strikes.** One fixed grid for every underlying: steps of 0.50 below 25, 1 below 100,
//!   2.50 below 250, 5 below 1,000 and 10 above. A chain shows the grid strike nearest the
//!   underlying's last price (its central strike) and ten strikes either side.
//! - **Symbols.** OSI: the root padded to six characters, `YYMMDD`, `C` or `P`, and the strike
//!   × 1000 in eight digits (`"AAPL  260320C00190000"`). Lookups also take the root unpadded
//!   and any letter case.
//! - **Ids.** An option's id encodes its contract, so that every option has a stable id
//!   without a registry: `2^30 + ((week × 64 + underlying id) × 2 + put) × 1024 + strike
//!   index`, where `week` counts Fridays since 1970-01-02. They are 31-bit numbers, above the
//!   equities' ids. `SeriesId` is `week × 64 + underlying id` (one series per underlying and
//!   expiration).
//! - **Prices.** A pure function of the session second, like the underlying's: intrinsic
//!   value at the underlying's mid price plus a time value `0.4 · S · σ√T · exp(−d²/2)`
//!   (`d = ln(S/K) / σ√T`, σ = 25 % × the underlying's volatility factor, `T` the years to the
//!   expiration close), which shrinks to nothing at expiry. The spread is 2 % of the mid, at
//!   least 0.05 and at most 1.00; the bid is never below 0, the last lies between bid and ask.

use crate::market::clock::{self, SESSION_SECS, TICKS_PER_SEC, Ticks};
use crate::market::prices::{Quote, cents, hash};
use crate::market::securities::{Market, Security};
use crate::market::timestamps;

/// Shares per contract.
pub const CONTRACT_SIZE: f64 = 100.0;
/// The MIC options are listed on (Cboe Options).
pub const EXCHANGE: &str = "XCBO";
/// Strikes either side of the central strike in a chain.
pub const CHAIN_HALF_WIDTH: i64 = 10;
/// Weekly expirations listed.
const WEEKLIES: usize = 4;
/// Monthly expirations listed.
const MONTHLIES: usize = 3;

const ID_BASE: i64 = 1 << 30;
const STRIKE_SLOTS: i64 = 1024;
const UNDERLYING_SLOTS: i64 = 64;
const WEEKS: i64 = 8192;
/// The day number of 1970-01-02, the first Friday.
const FIRST_FRIDAY: i64 = 1;

/// (first strike, step) of each band of the strike grid; a band ends where the next begins.
const BANDS: [(f64, f64); 5] = [
    (0.5, 0.5),
    (25.0, 1.0),
    (100.0, 2.5),
    (250.0, 5.0),
    (1000.0, 10.0),
];

/// `ExpirationType` / `SeriesType` names in code order.
pub const EXPIRATION_TYPES: &[&str] = &[
    "Regular",
    "Quarterly",
    "Weekly",
    "Flex",
    "Undefined",
    "Mini",
    "NonStandard",
];
/// `OptionType` names in code order.
pub const OPTION_TYPES: &[&str] = &["Call", "Put", "Undefined"];

/// One option contract.
#[derive(Clone, Copy)]
pub struct OptionContract<'m> {
    pub underlying: &'m Security,
    /// The New York date (day number) of the expiration Friday.
    pub expiry: i64,
    pub put: bool,
    /// The strike's position on the grid.
    pub strike_index: i64,
}

/// The strike at a grid position (`None` off the grid).
pub fn strike_at(index: i64) -> Option<f64> {
    if !(0..STRIKE_SLOTS).contains(&index) {
        return None;
    }
    let mut rest = index;
    for (i, &(first, step)) in BANDS.iter().enumerate() {
        let count = match BANDS.get(i + 1) {
            Some(&(next, _)) => ((next - first) / step).round() as i64,
            None => i64::MAX,
        };
        if rest < count {
            return Some(first + rest as f64 * step);
        }
        rest -= count;
    }
    None
}

/// The grid position of a strike exactly on the grid.
pub fn strike_index(strike: f64) -> Option<i64> {
    let mut base = 0;
    for (i, &(first, step)) in BANDS.iter().enumerate() {
        let end = BANDS.get(i + 1).map_or(f64::INFINITY, |b| b.0);
        let count = ((end - first) / step).round() as i64;
        if strike >= first - 1e-9 && strike < end - 1e-9 {
            let k = (strike - first) / step;
            if (k - k.round()).abs() > 1e-6 {
                return None;
            }
            let index = base + k.round() as i64;
            return (index < STRIKE_SLOTS).then_some(index);
        }
        base += count;
    }
    None
}

/// The grid position of the strike nearest `price`.
pub fn nearest_strike_index(price: f64) -> i64 {
    let mut best = 0;
    let mut best_gap = f64::INFINITY;
    let mut index = 0;
    while let Some(k) = strike_at(index) {
        let gap = (k - price).abs();
        if gap < best_gap {
            (best, best_gap) = (index, gap);
        } else if k > price {
            break;
        }
        index += 1;
    }
    best
}

/// Whether a day is the third Friday of its month.
pub fn is_third_friday(day: i64) -> bool {
    let (_, _, d) = timestamps::civil_from_days(day);
    clock::weekday(day) == 4 && (15..=21).contains(&d)
}

/// `Regular` (a third Friday) or `Weekly`.
pub fn expiration_type(day: i64) -> &'static str {
    if is_third_friday(day) {
        "Regular"
    } else {
        "Weekly"
    }
}

/// The instant an expiration takes effect: the close of that day's session.
pub fn expiry_close(day: i64) -> Ticks {
    (clock::open_secs(day) + SESSION_SECS) * TICKS_PER_SEC
}

/// The expirations listed at `now`, earliest first.
pub fn listed_expirations(now: Ticks) -> Vec<i64> {
    let mut day = clock::ny_date(clock::unix_secs(now));
    while clock::weekday(day) != 4 || expiry_close(day) <= now {
        day += 1;
    }
    let mut days: Vec<i64> = (0..WEEKLIES as i64).map(|w| day + 7 * w).collect();
    let mut monthly = day;
    let mut found = 0;
    while found < MONTHLIES {
        if is_third_friday(monthly) {
            days.push(monthly);
            found += 1;
        }
        monthly += 7;
    }
    days.sort_unstable();
    days.dedup();
    days
}

/// Whether an expiration is tradable at `now`: listed, or (for contracts already held)
/// not yet past its close. Expired contracts are still known, but no longer listed.
pub fn is_listed(day: i64, now: Ticks) -> bool {
    listed_expirations(now).contains(&day)
}

fn week_of(day: i64) -> Option<i64> {
    let offset = day - FIRST_FRIDAY;
    (offset >= 0 && offset % 7 == 0 && offset / 7 < WEEKS).then_some(offset / 7)
}

impl<'m> OptionContract<'m> {
    /// A contract on a grid strike and a Friday.
    pub fn new(
        underlying: &'m Security,
        expiry: i64,
        put: bool,
        strike_index: i64,
    ) -> Option<OptionContract<'m>> {
        week_of(expiry)?;
        strike_at(strike_index)?;
        (underlying.id > 0 && underlying.id < UNDERLYING_SLOTS).then_some(OptionContract {
            underlying,
            expiry,
            put,
            strike_index,
        })
    }

    pub fn strike(&self) -> f64 {
        strike_at(self.strike_index).expect("a grid strike")
    }

    pub fn series_id(&self) -> i64 {
        week_of(self.expiry).expect("a Friday") * UNDERLYING_SLOTS + self.underlying.id
    }

    pub fn id(&self) -> i64 {
        ID_BASE + ((self.series_id() * 2 + i64::from(self.put)) * STRIKE_SLOTS + self.strike_index)
    }

    /// `Call` or `Put`.
    pub fn option_type(&self) -> &'static str {
        if self.put { "Put" } else { "Call" }
    }

    /// The OSI symbol, root padded to six characters.
    pub fn symbol(&self) -> String {
        let (y, m, d) = timestamps::civil_from_days(self.expiry);
        format!(
            "{:<6}{:02}{m:02}{d:02}{}{:08}",
            self.underlying.symbol,
            y.rem_euclid(100),
            if self.put { 'P' } else { 'C' },
            (self.strike() * 1000.0).round() as i64
        )
    }

    /// "Apple Inc. 20 Mar 2026 190.00 Call".
    pub fn description(&self) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let (y, m, d) = timestamps::civil_from_days(self.expiry);
        format!(
            "{} {d} {} {y} {:.2} {}",
            self.underlying.description,
            MONTHS[m as usize - 1],
            self.strike(),
            self.option_type()
        )
    }

    /// The instant the contract expires (the close of its expiration day).
    pub fn expires_at(&self) -> Ticks {
        expiry_close(self.expiry)
    }

    /// Intrinsic value per share at an underlying price.
    pub fn intrinsic(&self, underlying: f64) -> f64 {
        let k = self.strike();
        if self.put {
            (k - underlying).max(0.0)
        } else {
            (underlying - k).max(0.0)
        }
    }

    /// The model's unrounded mid price of a session second.
    pub fn mid(&self, s: i64) -> f64 {
        let spot = self.underlying.mid(s);
        let k = self.strike();
        let left = (self.expires_at() - clock::instant_of_second(s)) as f64 / TICKS_PER_SEC as f64;
        let years = (left / (365.0 * 86_400.0)).max(0.0);
        let sigma = 0.25 * self.underlying.vol;
        let spread = sigma * years.sqrt();
        let time_value = if spread > 0.0 {
            let d = (spot / k).ln() / spread;
            0.4 * spot * spread * (-0.5 * d * d).exp()
        } else {
            0.0
        };
        self.intrinsic(spot) + time_value
    }

    /// The quote of a session second.
    pub fn quote_at(&self, s: i64) -> Quote {
        let mid = self.mid(s);
        let spread = cents((0.02 * mid).clamp(0.05, 1.0));
        let bid = cents(mid - spread / 2.0).max(0.0);
        let ask = cents(bid + spread);
        let last = cents(mid).clamp(bid, ask);
        let underlying = self.underlying.quote_at(s);
        let moneyness = (self.underlying.mid(s) / self.strike()).ln().abs();
        let volume = (underlying.volume / 2_000.0 * (-20.0 * moneyness).exp()).floor();
        Quote {
            bid,
            ask,
            last,
            volume,
        }
    }

    /// Open interest (deterministic, constant).
    pub fn open_interest(&self) -> f64 {
        (100 + hash(self.underlying.seed ^ 0x0_1E7, self.id() as u64) % 4_900) as f64
    }
}

/// Parses an OSI symbol: a root (padded or not), `YYMMDD`, `C`/`P`, eight digits of strike ×
/// 1000; ASCII case-insensitive. The root must be a security of `market`, the date a Friday
/// and the strike on the grid.
pub fn parse_symbol<'m>(market: &'m Market, text: &str) -> Option<OptionContract<'m>> {
    let text = text.trim().to_ascii_uppercase();
    if !text.is_ascii() || text.len() < 16 {
        return None;
    }
    let (root, tail) = text.split_at(text.len() - 15);
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (date, rest) = tail.split_at(6);
    let (kind, strike) = rest.split_at(1);
    if !digits(date) || !digits(strike) {
        return None;
    }
    let put = match kind {
        "C" => false,
        "P" => true,
        _ => return None,
    };
    let num = |s: &str| s.parse::<i64>().ok();
    let (y, m, d) = (num(&date[0..2])?, num(&date[2..4])?, num(&date[4..6])?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let day = timestamps::days_from_civil(2000 + y, m as u32, d as u32);
    if timestamps::civil_from_days(day) != (2000 + y, m as u32, d as u32) {
        return None;
    }
    let underlying = market.by_symbol(root.trim())?;
    let index = strike_index(num(strike)? as f64 / 1000.0)?;
    OptionContract::new(underlying, day, put, index)
}

/// The contract an option id encodes.
pub fn from_id(market: &Market, id: i64) -> Option<OptionContract<'_>> {
    let x = id.checked_sub(ID_BASE)?;
    if !(0..ID_BASE).contains(&x) {
        return None;
    }
    let strike_index = x % STRIKE_SLOTS;
    let rest = x / STRIKE_SLOTS;
    let put = rest % 2 == 1;
    let series = rest / 2;
    let underlying = market.by_id(series % UNDERLYING_SLOTS)?;
    let expiry = FIRST_FRIDAY + 7 * (series / UNDERLYING_SLOTS);
    OptionContract::new(underlying, expiry, put, strike_index)
}

/// The chain of one expiration at `now`: the central strike's grid position and the contracts
/// from `width` strikes below it to `width` above, each strike's call before its put.
pub fn chain<'m>(
    underlying: &'m Security,
    expiry: i64,
    now: Ticks,
    width: i64,
) -> (i64, Vec<OptionContract<'m>>) {
    let central = nearest_strike_index(underlying.quote(now).last);
    let mut list = Vec::new();
    for index in (central - width).max(0)..=central + width {
        for put in [false, true] {
            if let Some(c) = OptionContract::new(underlying, expiry, put, index) {
                list.push(c);
            }
        }
    }
    (central, list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: u32, d: u32) -> i64 {
        timestamps::days_from_civil(y, m, d)
    }

    #[test]
    fn the_strike_grid() {
        assert_eq!(strike_at(0), Some(0.5));
        assert_eq!(strike_at(48), Some(24.5));
        assert_eq!(strike_at(49), Some(25.0));
        assert_eq!(strike_at(124), Some(100.0));
        assert_eq!(strike_at(125), Some(102.5));
        for i in 0..STRIKE_SLOTS {
            let k = strike_at(i).unwrap();
            assert_eq!(strike_index(k), Some(i), "{k}");
        }
        assert_eq!(strike_index(101.0), None);
        assert_eq!(strike_index(190.0).and_then(strike_at), Some(190.0));
        assert_eq!(strike_at(nearest_strike_index(189.4)), Some(190.0));
        assert_eq!(strike_at(nearest_strike_index(11.3)), Some(11.5));
        assert_eq!(strike_at(nearest_strike_index(0.01)), Some(0.5));
    }

    #[test]
    fn expirations_are_fridays_weekly_and_monthly() {
        // Wednesday 2026-03-04, 10:00 New York.
        let now = clock::from_system(timestamps::utc(2026, 3, 4, 15, 0, 0, 0));
        let listed = listed_expirations(now);
        let expected = [
            day(2026, 3, 6),
            day(2026, 3, 13),
            day(2026, 3, 20),
            day(2026, 3, 27),
            day(2026, 4, 17),
            day(2026, 5, 15),
        ];
        assert_eq!(listed, expected);
        assert_eq!(expiration_type(day(2026, 3, 20)), "Regular");
        assert_eq!(expiration_type(day(2026, 3, 13)), "Weekly");
        // On an expiration Friday after the close, that Friday is gone.
        let after = clock::from_system(timestamps::utc(2026, 3, 6, 21, 0, 0, 0));
        assert_eq!(listed_expirations(after)[0], day(2026, 3, 13));
        let before = clock::from_system(timestamps::utc(2026, 3, 6, 20, 59, 0, 0));
        assert_eq!(listed_expirations(before)[0], day(2026, 3, 6));
    }

    #[test]
    fn symbols_and_ids_round_trip() {
        let market = Market::universe();
        let aapl = market.by_symbol("AAPL").unwrap();
        let c = OptionContract::new(aapl, day(2026, 3, 20), false, strike_index(190.0).unwrap())
            .unwrap();
        assert_eq!(c.symbol(), "AAPL  260320C00190000");
        assert!(c.id() > i64::from(i32::MAX) / 2 && c.id() <= i64::from(i32::MAX));
        for text in [
            "AAPL  260320C00190000",
            "aapl260320c00190000",
            " AAPL 260320C00190000 ",
        ] {
            assert_eq!(parse_symbol(&market, text).map(|o| o.id()), Some(c.id()));
        }
        let back = from_id(&market, c.id()).unwrap();
        assert_eq!(back.symbol(), c.symbol());
        let p = parse_symbol(&market, "F     260320P00011500").unwrap();
        assert!(p.put);
        assert_eq!(p.strike(), 11.5);
        assert_eq!(from_id(&market, p.id()).unwrap().symbol(), p.symbol());
        for bad in [
            "AAPL  260319C00190000", // a Thursday
            "AAPL  260320C00190100", // off the grid
            "NOPE  260320C00190000",
            "AAPL  260320X00190000",
            "AAPL  261320C00190000",
            "AAPL",
        ] {
            assert!(parse_symbol(&market, bad).is_none(), "{bad}");
        }
        assert!(from_id(&market, 5).is_none());
        assert_eq!(c.description(), "Apple Inc. 20 Mar 2026 190.00 Call");
    }

    #[test]
    fn prices_are_intrinsic_plus_a_shrinking_time_value() {
        let market = Market::universe();
        let aapl = market.by_symbol("AAPL").unwrap();
        let expiry = day(2026, 3, 20);
        let last = clock::quote_second(expiry_close(expiry) - 1);
        let early = last - 40 * SESSION_SECS;
        let spot = aapl.mid(early);
        let atm = nearest_strike_index(spot);
        let call = OptionContract::new(aapl, expiry, false, atm).unwrap();
        let put = OptionContract::new(aapl, expiry, true, atm).unwrap();
        let q = call.quote_at(early);
        assert!(q.bid > 0.0 && q.bid < q.ask && q.bid <= q.last && q.last <= q.ask);
        assert!(call.mid(early) > call.intrinsic(spot));
        // Put-call parity holds roughly (no rates, no dividends).
        let parity = call.mid(early) - put.mid(early) - (spot - call.strike());
        assert!(parity.abs() < 1e-6, "{parity}");
        // At the last second only the intrinsic value is left.
        let end_spot = aapl.mid(last);
        let time_left = call.mid(last) - call.intrinsic(end_spot);
        assert!(time_left < 0.5, "{time_left}");
        // Far out of the money: worth nearly nothing, bid 0.
        let far = OptionContract::new(aapl, expiry, false, atm + 60).unwrap();
        let q = far.quote_at(last);
        assert_eq!(q.bid, 0.0);
        assert_eq!(q.ask, 0.05);
        assert_eq!(call.quote_at(early), call.quote_at(early));
    }

    #[test]
    fn chains_center_on_the_price() {
        let market = Market::universe();
        let spy = market.by_symbol("SPY").unwrap();
        let now = clock::from_system(timestamps::utc(2026, 3, 4, 15, 0, 0, 0));
        let (central, list) = chain(spy, day(2026, 3, 20), now, CHAIN_HALF_WIDTH);
        assert_eq!(list.len(), 42);
        let k = strike_at(central).unwrap();
        assert!((k - spy.quote(now).last).abs() <= 2.5, "{k}");
        assert_eq!(list[20].strike(), k);
        assert!(!list[20].put && list[21].put);
    }
}
