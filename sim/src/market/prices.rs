//! The deterministic price model.
//!
//! Each security's mid price is a pure function of the session second (see
//! `market::clock`): `base · exp(Σ aₖ · noiseₖ(s / periodₖ))`, a sum of seeded,
//! smoothly interpolated value-noise octaves with periods from 45 seconds to
//! about a year, plus a small per-second jitter. The same function serves
//! quotes, fills and history candles, so they agree: a fill at second `s`
//! happens at that second's bid or ask, and a candle's Low and High are the
//! lowest bid and highest ask of its seconds. Prices do not move outside the
//! regular session.

use crate::market::clock::{self, Ticks};
use crate::market::securities::Security;

/// (period in session seconds, amplitude in log-price) of each octave.
const OCTAVES: [(f64, f64); 9] = [
    (45.0, 0.0006),
    (300.0, 0.0012),
    (1_800.0, 0.0025),
    (7_800.0, 0.004),
    (23_400.0, 0.007),
    (117_000.0, 0.015),
    (468_000.0, 0.03),
    (2_340_000.0, 0.06),
    (9_360_000.0, 0.12),
];
const JITTER: f64 = 0.0002;

/// Bid, ask and last of one session second.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quote {
    pub bid: f64,
    pub ask: f64,
    pub last: f64,
    /// Shares traded in the session so far.
    pub volume: f64,
}

/// One candle's numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: f64,
}

impl Security {
    /// The unrounded mid price of a session second.
    pub fn mid(&self, s: i64) -> f64 {
        let x = s as f64;
        let mut log = 0.0;
        for (k, &(period, amp)) in OCTAVES.iter().enumerate() {
            log += amp * self.vol * value_noise(self.seed.wrapping_add(k as u64), x / period);
        }
        log += JITTER * self.vol * unit(hash(self.seed ^ 0x5eed, s as u64));
        self.base * log.exp()
    }

    /// The quote of a session second: bid and ask on cents, a spread of
    /// about 3 basis points (at least a cent), last between them.
    pub fn quote_at(&self, s: i64) -> Quote {
        let mid = self.mid(s);
        let spread = cents((mid * 0.0003).max(0.01));
        let bid = cents(mid - spread / 2.0);
        let ask = cents(bid + spread);
        let last = cents(mid).clamp(bid, ask);
        let into_session = s.rem_euclid(clock::SESSION_SECS) + 1;
        Quote {
            bid,
            ask,
            last,
            volume: (self.volume * into_session as f64).round(),
        }
    }

    /// The quote current at instant `t`.
    pub fn quote(&self, t: Ticks) -> Quote {
        self.quote_at(clock::quote_second(t))
    }

    /// The bid and ask sizes quoted in a session second: round lots, 100 to 5,000 shares
    /// (deterministic).
    pub fn sizes_at(&self, s: i64) -> (f64, f64) {
        let lots = |salt: u64| (1 + hash(self.seed ^ salt, s as u64) % 50) as f64 * 100.0;
        (lots(0xB1D), lots(0xA5C))
    }

    /// Shares traded during one session second (deterministic).
    fn second_volume(&self, s: i64) -> f64 {
        let u = (unit(hash(self.seed ^ 0x0001_7011, s as u64)) + 1.0) / 2.0;
        (self.volume * (0.5 + u)).floor()
    }

    /// The candle of session seconds `[s0, s1)` (`s1 > s0`), reading every
    /// `stride`-th second (1 = every second, exact).
    pub fn bar(&self, s0: i64, s1: i64, stride: i64) -> Bar {
        let stride = stride.max(1);
        let first = self.quote_at(s0);
        let mut bar = Bar {
            open: first.last,
            high: first.ask,
            low: first.bid,
            close: first.last,
            volume: 0.0,
        };
        let mut s = s0;
        while s < s1 {
            let q = self.quote_at(s);
            bar.high = bar.high.max(q.ask);
            bar.low = bar.low.min(q.bid);
            bar.volume += self.second_volume(s) * stride.min(s1 - s) as f64;
            s += stride;
        }
        let last = self.quote_at(s1 - 1);
        bar.high = bar.high.max(last.ask);
        bar.low = bar.low.min(last.bid);
        bar.close = last.last;
        bar
    }
}

/// Rounds to whole cents (never `-0.0`).
pub fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0 + 0.0
}

/// Smoothly interpolated noise in [-1, 1].
fn value_noise(seed: u64, x: f64) -> f64 {
    let i = x.floor();
    let f = x - i;
    let a = unit(hash(seed, i as i64 as u64));
    let b = unit(hash(seed, (i as i64 + 1) as u64));
    let s = f * f * (3.0 - 2.0 * f);
    a + (b - a) * s
}

/// A hash value mapped to [-1, 1].
fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

/// splitmix64 of a seed and a point.
pub(super) fn hash(seed: u64, x: u64) -> u64 {
    let mut z = seed ^ x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use crate::market::securities::Market;

    #[test]
    fn prices_are_deterministic_positive_and_move() {
        let m = Market::universe();
        let aapl = m.by_symbol("AAPL").unwrap();
        let s = 12_345_678;
        assert_eq!(aapl.quote_at(s), aapl.quote_at(s));
        let mut changed = false;
        for k in 0..600 {
            let q = aapl.quote_at(s + k);
            assert!(q.bid > 0.0 && q.bid < q.ask, "{q:?}");
            assert!(q.bid <= q.last && q.last <= q.ask, "{q:?}");
            assert!(q.ask - q.bid < 0.2, "{q:?}");
            changed |= q.last != aapl.quote_at(s).last;
        }
        assert!(changed);
        // A year on, the price is still in a plausible range.
        let later = aapl.quote_at(s + 252 * 23_400);
        assert!(later.last > 50.0 && later.last < 700.0, "{later:?}");
    }

    #[test]
    fn bars_bound_every_second() {
        let m = Market::universe();
        let f = m.by_symbol("F").unwrap();
        let bar = f.bar(1000, 1060, 1);
        assert!(bar.low <= bar.open.min(bar.close));
        assert!(bar.high >= bar.open.max(bar.close));
        for s in 1000..1060 {
            let q = f.quote_at(s);
            assert!(bar.low <= q.bid && q.ask <= bar.high);
        }
        assert!(bar.volume > 0.0);
    }
}
