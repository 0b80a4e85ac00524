//! Order checks and the verify model (`VerifyOrderModel`): the checks of the
//! request alone (static) and against the market and the account now
//! (dynamic), the estimate (cost, commission, margin change) preview
//! answers, what a business reject looks like, and what
//! `GET verified/orders/{id}` reports.
//!
//! Commission: $1.00 per order (charged with its first execution) plus
//! $0.005 per share, rounded to cents.

use crate::json::{Json, Obj};
use crate::market::clock::{self, Ticks};
use crate::market::prices::{Quote, cents};
use crate::market::securities::{Market, Security};
use crate::trading::balances::{self, Commitments};
use crate::trading::orders::{self, Order, Request, Side};
use crate::trading::portfolio::Book;

pub const PER_TRADE: f64 = 1.0;
pub const PER_SHARE: f64 = 0.005;

/// A business reject: an `ErrorDescription` code and its text.
pub type Reject = (&'static str, String);

/// The security and quote a verification priced the order with.
#[derive(Clone, Debug)]
pub struct Priced {
    pub security_id: i64,
    pub symbol: &'static str,
    pub quote: Quote,
    pub at: Ticks,
}

/// The outcome of checking an order.
#[derive(Clone, Debug, Default)]
pub struct Verify {
    pub error: Option<Reject>,
    pub per_trade: f64,
    pub per_share: f64,
    pub cost: f64,
    pub net_cost: f64,
    pub total_cost: f64,
    pub margin_change: f64,
    pub quote: Option<Priced>,
}

impl Verify {
    pub fn rejected(error: Reject) -> Verify {
        Verify {
            error: Some(error),
            ..Verify::default()
        }
    }

    pub fn commission(&self) -> f64 {
        cents(self.per_trade + self.per_share)
    }
}

/// Commission of one execution of `qty` shares; `first` adds the per-trade
/// fee.
pub fn commission(qty: f64, first: bool) -> f64 {
    cents(if first { PER_TRADE } else { 0.0 } + PER_SHARE * qty)
}

/// Everything the money and share checks look at.
pub struct Ctx<'a> {
    pub market: &'a Market,
    pub book: &'a Book,
    /// All orders (those of other accounts are ignored).
    pub orders: &'a [Order],
    pub now: Ticks,
    /// An order to leave out of the commitments (the one being replaced).
    pub except: Option<i64>,
}

/// The price an order is expected to trade at now: the limit, else the
/// stop, else the ask (buys) or bid (sells).
pub fn reference_price(req: &Request, quote: &Quote) -> f64 {
    req.price
        .or(req.stop_price)
        .unwrap_or(if req.side.is_buy() {
            quote.ask
        } else {
            quote.bid
        })
}

/// Checks that need only the request: symbol, quantity, type, prices,
/// time in force, short selling in a cash account.
pub fn static_check<'m>(
    req: &Request,
    market: &'m Market,
    margin: bool,
    now: Ticks,
) -> Result<&'m Security, Reject> {
    let symbol = req.symbol.as_deref().unwrap_or("").trim();
    let sec = market.by_symbol(symbol).ok_or((
        "SymbolNotFound",
        format!("Symbol '{symbol}' was not found."),
    ))?;
    if req.quantity <= 0.0 {
        return Err((
            "InvalidQuantity",
            "Quantity must be greater than zero.".into(),
        ));
    }
    if !matches!(
        req.kind,
        orders::MARKET | orders::LIMIT | orders::STOP | orders::STOP_LIMIT
    ) {
        return Err((
            "OrderTypeNotSupported",
            format!("Order type {} is not supported.", orders::TYPES[req.kind]),
        ));
    }
    let uses_limit = matches!(req.kind, orders::LIMIT | orders::STOP_LIMIT);
    let uses_stop = matches!(req.kind, orders::STOP | orders::STOP_LIMIT);
    if uses_limit && req.price.is_none() {
        return Err(("LimitPriceUndefined", "Limit price is not defined.".into()));
    }
    if uses_stop && req.stop_price.is_none() {
        return Err(("QuotePriceIsInvalid", "Stop price is not defined.".into()));
    }
    let bad = |p: Option<f64>| p.is_some_and(|p| !(p > 0.0 && p.is_finite()));
    if (uses_limit && bad(req.price)) || (uses_stop && bad(req.stop_price)) {
        return Err((
            "QuotePriceIsInvalid",
            "Order price must be positive.".into(),
        ));
    }
    match req.tif {
        orders::DAY | orders::GTC | orders::GTC_PLUS | orders::IOC | orders::FOK => {}
        orders::GTD | orders::GTD_PLUS => {
            if req.expire_date.is_none_or(|t| t <= now) {
                return Err((
                    "ExpireDateIsInvalid",
                    "Expire date must be in the future.".into(),
                ));
            }
        }
        other => {
            return Err((
                "TimeInForceNotSupported",
                format!("Time in force {} is not supported.", orders::TIFS[other]),
            ));
        }
    }
    if req.side == Side::SellShort && !margin {
        return Err((
            "ShortSellingNotAllowed",
            "Short selling needs a margin account.".into(),
        ));
    }
    Ok(sec)
}

/// Prices `req` at `now` (no checks).
pub fn estimate(req: &Request, sec: &Security, margin: bool, now: Ticks) -> Verify {
    let quote = sec.quote(now);
    let cost = cents(req.quantity * reference_price(req, &quote));
    let per_trade = PER_TRADE;
    let per_share = cents(PER_SHARE * req.quantity);
    let commission = cents(per_trade + per_share);
    let margin_change = match (margin, req.side) {
        (false, _) => 0.0,
        (true, Side::Buy | Side::SellShort) => cents(cost / 2.0),
        (true, Side::Sell | Side::BuyToCover) => -cents(cost / 2.0),
    };
    Verify {
        error: None,
        per_trade,
        per_share,
        cost,
        net_cost: if req.side.is_buy() {
            cents(cost + commission)
        } else {
            cents(cost - commission)
        },
        total_cost: cents(cost + commission),
        margin_change,
        quote: Some(Priced {
            security_id: sec.id,
            symbol: sec.symbol,
            quote,
            at: now,
        }),
    }
}

/// What an account's working orders hold back, leaving out `except`.
pub fn commitments(
    market: &Market,
    orders: &[Order],
    account_id: i64,
    now: Ticks,
    except: Option<i64>,
) -> Commitments {
    let mut c = Commitments::default();
    for o in orders {
        if o.account_id != account_id || o.status.is_terminal() || Some(o.id) == except {
            continue;
        }
        c.count += 1;
        if !o.is_working() {
            continue;
        }
        let Some(sec) = market.by_id(o.security_id) else {
            continue;
        };
        let value = o.leaves() * reference_price(&o.req, &sec.quote(now));
        match o.req.side {
            Side::Buy | Side::BuyToCover => {
                c.buys += value + commission(o.leaves(), !o.per_trade_charged);
            }
            Side::SellShort => c.shorts += value,
            Side::Sell => {}
        }
    }
    c
}

/// Checks that depend on the market and the account now: market hours
/// for market orders, shares for sells, buying power for buys and shorts.
pub fn dynamic_check(req: &Request, sec: &Security, est: &Verify, ctx: &Ctx) -> Result<(), Reject> {
    if req.kind == orders::MARKET && !clock::is_open(ctx.now) {
        return Err(("MarketClosed", "The market is closed.".into()));
    }
    let working = |side: Side| -> f64 {
        ctx.orders
            .iter()
            .filter(|o| o.account_id == ctx.book.account_id && o.security_id == sec.id)
            .filter(|o| o.req.side == side && Some(o.id) != ctx.except)
            .filter(|o| o.is_working())
            .map(Order::leaves)
            .sum()
    };
    let held = ctx.book.held(sec.id);
    let shares = |available: f64| -> Result<(), Reject> {
        if req.quantity > available + 1e-9 {
            Err((
                "InsufficientShares",
                format!(
                    "Insufficient shares: {} {} available, {} requested.",
                    available.max(0.0),
                    sec.symbol,
                    req.quantity
                ),
            ))
        } else {
            Ok(())
        }
    };
    match req.side {
        Side::Sell => shares(held.max(0.0) - working(Side::Sell)),
        Side::BuyToCover => shares((-held).max(0.0) - working(Side::BuyToCover)),
        Side::Buy | Side::SellShort => {
            let account = ctx.book.account_id;
            let c = commitments(ctx.market, ctx.orders, account, ctx.now, ctx.except);
            let b = balances::balances(ctx.book, ctx.market, ctx.now, &c);
            let needed = if req.side == Side::Buy {
                est.total_cost
            } else {
                est.cost
            };
            let (power, code) = if ctx.book.margin {
                (b.day_trading_bp, "DayTradingBuyingPowerExceeded")
            } else {
                (b.stock_bp, "InsufficientBuyingPower")
            };
            if needed > power + 1e-9 {
                Err((
                    code,
                    format!(
                        "Insufficient buying power: the order needs {needed:.2}, buying power is {power:.2}."
                    ),
                ))
            } else {
                Ok(())
            }
        }
    }
}

/// Every check, as preview runs them.
pub fn full(req: &Request, ctx: &Ctx) -> Verify {
    let sec = match static_check(req, ctx.market, ctx.book.margin, ctx.now) {
        Ok(sec) => sec,
        Err(reject) => return Verify::rejected(reject),
    };
    let mut v = estimate(req, sec, ctx.book.margin, ctx.now);
    if let Err(reject) = dynamic_check(req, sec, &v, ctx) {
        v.error = Some(reject);
    }
    v
}

/// The verify model; `order_id` leads it in `verified/orders`.
pub fn model(v: &Verify, order_id: Option<i64>) -> Obj {
    let quotes: Vec<Json> = v
        .quote
        .iter()
        .map(|p| {
            Json::from(
                Obj::new()
                    .with("Ask", p.quote.ask)
                    .with("Bid", p.quote.bid)
                    .with("Last", p.quote.last)
                    .with("Volume", p.quote.volume)
                    .with("OpenInterest", 0.0)
                    .with("Symbol", p.symbol)
                    .with("SecurityId", p.security_id)
                    .with("Timestamp", clock::iso(p.at)),
            )
        })
        .collect();
    let commissions = Obj::new()
        .with("Per Trade Commission", v.per_trade)
        .with("Per Share Commission", v.per_share);
    let (code, text, args) = match &v.error {
        Some((code, text)) => (Some(*code), Some(text.clone()), Some(Vec::<Json>::new())),
        None => (None, None, None),
    };
    Obj::new()
        .opt("OrderId", order_id)
        .with("IsSuccessful", v.error.is_none())
        .opt("ErrorDescription", code)
        .opt("ErrorDescriptionText", text)
        .opt("ErrorDescriptionArgs", args)
        .with("Commission", v.commission())
        .with("Commissions", commissions)
        .with("Cost", v.cost)
        .with("NetCost", v.net_cost)
        .with("TotalCost", v.total_cost)
        .with("Quotes", quotes)
        .with("MarginChange", v.margin_change)
}
