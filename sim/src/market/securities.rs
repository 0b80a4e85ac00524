//! The tradable universe: 38 US stocks and ETFs with their ids, symbols,
//! listing exchanges and the parameters of their price paths (base price,
//! volatility, shares traded per second, seed).

/// Mixed into every symbol's seed.
const SEED: u64 = 0x00E7_4A5E_ED5E_ED01;

pub struct Security {
    pub id: i64,
    pub symbol: &'static str,
    pub description: &'static str,
    /// MIC of the listing exchange.
    pub exchange: &'static str,
    /// `CommonStock` or `ETF`.
    pub kind: &'static str,
    pub(super) base: f64,
    /// Scales every octave (1.0 = an ordinary large-cap stock).
    pub(super) vol: f64,
    /// Average shares traded per session second.
    pub(super) volume: f64,
    pub(super) seed: u64,
}

pub struct Market {
    securities: Vec<Security>,
}

/// (symbol, description, MIC, type, price, volatility, shares per second)
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    f64,
    f64,
);

const UNIVERSE: &[Row] = &[
    (
        "AAPL",
        "Apple Inc.",
        "XNAS",
        "CommonStock",
        190.0,
        1.0,
        2_500.0,
    ),
    (
        "MSFT",
        "Microsoft Corporation",
        "XNAS",
        "CommonStock",
        410.0,
        0.9,
        1_200.0,
    ),
    (
        "AMZN",
        "Amazon.com, Inc.",
        "XNAS",
        "CommonStock",
        180.0,
        1.1,
        2_000.0,
    ),
    (
        "GOOGL",
        "Alphabet Inc. Class A",
        "XNAS",
        "CommonStock",
        165.0,
        1.0,
        1_500.0,
    ),
    (
        "META",
        "Meta Platforms, Inc.",
        "XNAS",
        "CommonStock",
        480.0,
        1.3,
        800.0,
    ),
    (
        "NVDA",
        "NVIDIA Corporation",
        "XNAS",
        "CommonStock",
        120.0,
        1.6,
        10_000.0,
    ),
    (
        "TSLA",
        "Tesla, Inc.",
        "XNAS",
        "CommonStock",
        240.0,
        1.8,
        4_000.0,
    ),
    (
        "NFLX",
        "Netflix, Inc.",
        "XNAS",
        "CommonStock",
        620.0,
        1.3,
        200.0,
    ),
    (
        "INTC",
        "Intel Corporation",
        "XNAS",
        "CommonStock",
        31.0,
        1.2,
        3_000.0,
    ),
    (
        "CSCO",
        "Cisco Systems, Inc.",
        "XNAS",
        "CommonStock",
        49.0,
        0.8,
        1_200.0,
    ),
    (
        "ADBE",
        "Adobe Inc.",
        "XNAS",
        "CommonStock",
        520.0,
        1.1,
        150.0,
    ),
    (
        "PEP",
        "PepsiCo, Inc.",
        "XNAS",
        "CommonStock",
        170.0,
        0.6,
        300.0,
    ),
    (
        "COST",
        "Costco Wholesale Corporation",
        "XNAS",
        "CommonStock",
        780.0,
        0.7,
        120.0,
    ),
    (
        "AMD",
        "Advanced Micro Devices, Inc.",
        "XNAS",
        "CommonStock",
        160.0,
        1.5,
        3_500.0,
    ),
    (
        "QCOM",
        "QUALCOMM Incorporated",
        "XNAS",
        "CommonStock",
        170.0,
        1.1,
        500.0,
    ),
    (
        "JPM",
        "JPMorgan Chase & Co.",
        "XNYS",
        "CommonStock",
        200.0,
        0.8,
        600.0,
    ),
    (
        "BAC",
        "Bank of America Corporation",
        "XNYS",
        "CommonStock",
        38.0,
        0.9,
        2_500.0,
    ),
    (
        "WMT",
        "Walmart Inc.",
        "XNYS",
        "CommonStock",
        68.0,
        0.6,
        1_000.0,
    ),
    (
        "KO",
        "The Coca-Cola Company",
        "XNYS",
        "CommonStock",
        62.0,
        0.5,
        800.0,
    ),
    (
        "DIS",
        "The Walt Disney Company",
        "XNYS",
        "CommonStock",
        100.0,
        0.9,
        600.0,
    ),
    (
        "XOM",
        "Exxon Mobil Corporation",
        "XNYS",
        "CommonStock",
        115.0,
        0.8,
        1_000.0,
    ),
    (
        "CVX",
        "Chevron Corporation",
        "XNYS",
        "CommonStock",
        155.0,
        0.8,
        500.0,
    ),
    (
        "PFE",
        "Pfizer Inc.",
        "XNYS",
        "CommonStock",
        28.0,
        0.8,
        2_500.0,
    ),
    (
        "JNJ",
        "Johnson & Johnson",
        "XNYS",
        "CommonStock",
        155.0,
        0.5,
        500.0,
    ),
    (
        "V",
        "Visa Inc. Class A",
        "XNYS",
        "CommonStock",
        275.0,
        0.6,
        400.0,
    ),
    (
        "MA",
        "Mastercard Incorporated Class A",
        "XNYS",
        "CommonStock",
        460.0,
        0.6,
        200.0,
    ),
    (
        "IBM",
        "International Business Machines Corporation",
        "XNYS",
        "CommonStock",
        185.0,
        0.7,
        300.0,
    ),
    (
        "GE",
        "GE Aerospace",
        "XNYS",
        "CommonStock",
        165.0,
        1.0,
        400.0,
    ),
    (
        "F",
        "Ford Motor Company",
        "XNYS",
        "CommonStock",
        11.5,
        1.1,
        4_000.0,
    ),
    ("T", "AT&T Inc.", "XNYS", "CommonStock", 19.0, 0.6, 3_000.0),
    (
        "BA",
        "The Boeing Company",
        "XNYS",
        "CommonStock",
        180.0,
        1.2,
        600.0,
    ),
    (
        "NKE",
        "NIKE, Inc. Class B",
        "XNYS",
        "CommonStock",
        80.0,
        0.9,
        700.0,
    ),
    (
        "MCD",
        "McDonald's Corporation",
        "XNYS",
        "CommonStock",
        270.0,
        0.5,
        250.0,
    ),
    (
        "SPY",
        "SPDR S&P 500 ETF Trust",
        "ARCX",
        "ETF",
        560.0,
        0.4,
        5_000.0,
    ),
    (
        "IWM",
        "iShares Russell 2000 ETF",
        "ARCX",
        "ETF",
        210.0,
        0.6,
        2_000.0,
    ),
    ("GLD", "SPDR Gold Shares", "ARCX", "ETF", 220.0, 0.4, 600.0),
    (
        "XLF",
        "Financial Select Sector SPDR Fund",
        "ARCX",
        "ETF",
        42.0,
        0.5,
        2_500.0,
    ),
    (
        "DIA",
        "SPDR Dow Jones Industrial Average ETF Trust",
        "ARCX",
        "ETF",
        400.0,
        0.4,
        250.0,
    ),
];

impl Market {
    /// The fixed universe; ids are 1, 2, … in table order.
    pub fn universe() -> Market {
        let securities = UNIVERSE
            .iter()
            .enumerate()
            .map(
                |(i, &(symbol, description, exchange, kind, base, vol, volume))| Security {
                    id: i as i64 + 1,
                    symbol,
                    description,
                    exchange,
                    kind,
                    base,
                    vol,
                    volume,
                    seed: SEED ^ fnv(symbol.as_bytes()),
                },
            )
            .collect();
        Market { securities }
    }

    pub fn all(&self) -> &[Security] {
        &self.securities
    }

    /// By ticker, ASCII case-insensitively.
    pub fn by_symbol(&self, symbol: &str) -> Option<&Security> {
        self.securities
            .iter()
            .find(|s| s.symbol.eq_ignore_ascii_case(symbol.trim()))
    }

    pub fn by_id(&self, id: i64) -> Option<&Security> {
        self.securities.iter().find(|s| s.id == id)
    }
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn universe_is_large_and_unique() {
        let m = Market::universe();
        assert!(m.all().len() >= 30);
        for s in m.all() {
            assert_eq!(m.by_symbol(&s.symbol.to_lowercase()).unwrap().id, s.id);
            assert_eq!(m.by_id(s.id).unwrap().symbol, s.symbol);
            assert!(["XNAS", "XNYS", "ARCX"].contains(&s.exchange));
        }
        assert!(m.by_symbol("NOPE").is_none());
    }
}
