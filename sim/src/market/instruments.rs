//! A tradable instrument: an equity of the universe or an option on one. The order engine,
//! the books and the bodies that show positions and fills see both through this one type.

use crate::market::clock::{self, Ticks};
use crate::market::options::{self, OptionContract};
use crate::market::prices::Quote;
use crate::market::securities::{Market, Security};

#[derive(Clone, Copy)]
pub enum Instrument<'m> {
    Equity(&'m Security),
    Option(OptionContract<'m>),
}

impl<'m> Instrument<'m> {
    pub fn id(&self) -> i64 {
        match self {
            Instrument::Equity(sec) => sec.id,
            Instrument::Option(o) => o.id(),
        }
    }

    /// The ticker, or the OSI symbol.
    pub fn symbol(&self) -> String {
        match self {
            Instrument::Equity(sec) => sec.symbol.to_string(),
            Instrument::Option(o) => o.symbol(),
        }
    }

    pub fn description(&self) -> String {
        match self {
            Instrument::Equity(sec) => sec.description.to_string(),
            Instrument::Option(o) => o.description(),
        }
    }

    /// The MIC it trades on.
    pub fn exchange(&self) -> &'static str {
        match self {
            Instrument::Equity(sec) => sec.exchange,
            Instrument::Option(_) => options::EXCHANGE,
        }
    }

    /// The `SecurityType`: `CommonStock`, `ETF` or `Option`.
    pub fn kind(&self) -> &'static str {
        match self {
            Instrument::Equity(sec) => sec.kind,
            Instrument::Option(_) => "Option",
        }
    }

    /// Shares one unit stands for: 1, or 100 for an option contract.
    pub fn multiplier(&self) -> f64 {
        match self {
            Instrument::Equity(_) => 1.0,
            Instrument::Option(_) => options::CONTRACT_SIZE,
        }
    }

    pub fn option(&self) -> Option<&OptionContract<'m>> {
        match self {
            Instrument::Equity(_) => None,
            Instrument::Option(o) => Some(o),
        }
    }

    /// The security itself, or an option's underlying.
    pub fn underlying(&self) -> &'m Security {
        match self {
            Instrument::Equity(sec) => sec,
            Instrument::Option(o) => o.underlying,
        }
    }

    /// The quote of a session second.
    pub fn quote_at(&self, s: i64) -> Quote {
        match self {
            Instrument::Equity(sec) => sec.quote_at(s),
            Instrument::Option(o) => o.quote_at(s),
        }
    }

    /// The quote current at `t`.
    pub fn quote(&self, t: Ticks) -> Quote {
        self.quote_at(clock::quote_second(t))
    }

    /// When it stops trading (an option's expiration close).
    pub fn expires_at(&self) -> Option<Ticks> {
        self.option().map(OptionContract::expires_at)
    }
}

impl Market {
    /// An equity by id, or the option an option id encodes.
    pub fn instrument(&self, id: i64) -> Option<Instrument<'_>> {
        match self.by_id(id) {
            Some(sec) => Some(Instrument::Equity(sec)),
            None => options::from_id(self, id).map(Instrument::Option),
        }
    }

    /// An equity by ticker, or an option by OSI symbol.
    pub fn instrument_by_symbol(&self, symbol: &str) -> Option<Instrument<'_>> {
        match self.by_symbol(symbol) {
            Some(sec) => Some(Instrument::Equity(sec)),
            None => options::parse_symbol(self, symbol).map(Instrument::Option),
        }
    }
}
