//! Order checks and the verify model (`VerifyOrderModel`): the checks of the
//! request alone (static) and against the market and the account now
//! (dynamic), the estimate (cost, commission, margin change) preview
//! answers, what a business reject looks like, and what
//! `GET verified/orders/{id}` reports.
//!
//! Commission: $1.00 per equity order (charged with its first execution) plus
//! $0.005 per share, rounded to cents; $0.65 per option contract, no per-order fee.
//!
//! Options: a single-leg option order names the option's OSI symbol; a multi-leg order has
//! no symbol of its own, one to four legs `{Symbol, Quantity, Side}` of options on one
//! underlying, and a net `Price` per spread. Money checks on options use the option buying
//! power; a short option needs its premium plus 20 % of the underlying's value.

use crate::json::{Json, Obj};
use crate::market::clock::{self, Ticks};
use crate::market::instruments::Instrument;
use crate::market::options;
use crate::market::prices::{Quote, cents};
use crate::market::securities::Market;
use crate::trading::balances::{self, Commitments};
use crate::trading::orders::{self, Order, Request, Side};
use crate::trading::portfolio::Book;

pub const PER_TRADE: f64 = 1.0;
pub const PER_SHARE: f64 = 0.005;
/// Commission per option contract (no per-order fee on option orders).
pub const PER_CONTRACT: f64 = 0.65;
/// Legs a multi-leg order may have.
pub const MAX_LEGS: usize = 4;
/// Part of the underlying's value a short option needs besides its premium.
pub const SHORT_OPTION_RATE: f64 = 0.2;

/// A business reject: an `ErrorDescription` code and its text.
pub type Reject = (&'static str, String);

/// A security and quote a verification priced the order with.
#[derive(Clone, Debug)]
pub struct Priced {
    pub security_id: i64,
    pub symbol: String,
    pub quote: Quote,
    pub open_interest: f64,
    pub at: Ticks,
}

/// The outcome of checking an order.
#[derive(Clone, Debug, Default)]
pub struct Verify {
    pub error: Option<Reject>,
    pub per_trade: f64,
    pub per_share: f64,
    pub per_contract: f64,
    /// Options: commissions are per contract.
    pub options: bool,
    pub cost: f64,
    pub net_cost: f64,
    pub total_cost: f64,
    pub margin_change: f64,
    pub quotes: Vec<Priced>,
}

impl Verify {
    pub fn rejected(error: Reject) -> Verify {
        Verify {
            error: Some(error),
            ..Verify::default()
        }
    }

    pub fn commission(&self) -> f64 {
        cents(self.per_trade + self.per_share + self.per_contract)
    }
}

/// Commission of one execution of `qty` shares or contracts; `first` adds the per-trade fee
/// of an equity order.
pub fn commission(qty: f64, first: bool, option: bool) -> f64 {
    if option {
        cents(PER_CONTRACT * qty)
    } else {
        cents(if first { PER_TRADE } else { 0.0 } + PER_SHARE * qty)
    }
}

/// One instrument an order trades: a single order's, or one leg of a multi-leg order.
#[derive(Clone, Copy)]
pub struct Part<'m> {
    pub inst: Instrument<'m>,
    pub side: Side,
    /// Units per spread (1 for a single order).
    pub ratio: f64,
}

/// What an order trades, resolved by [`static_check`].
pub struct Target<'m> {
    pub parts: Vec<Part<'m>>,
    pub multi_leg: bool,
}

impl<'m> Target<'m> {
    /// The instrument of a single order.
    pub fn single(&self) -> Option<Instrument<'m>> {
        (!self.multi_leg).then(|| self.parts[0].inst)
    }
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

/// The price a single order is expected to trade at now: the limit, else the
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

/// The market's net price of one spread per share at a session second: the legs' asks
/// (buying legs) less their bids (selling legs), times their ratios. Positive is a debit.
pub fn net_price(parts: &[Part], s: i64) -> f64 {
    let net: f64 = parts
        .iter()
        .map(|p| {
            let q = p.inst.quote_at(s);
            if p.side.is_buy() {
                q.ask * p.ratio
            } else {
                -q.bid * p.ratio
            }
        })
        .sum();
    cents(net)
}

/// What a short option position of `qty` contracts needs: its value plus 20 % of the
/// underlying's.
pub fn short_option_requirement(inst: &Instrument, qty: f64, now: Ticks) -> f64 {
    let premium = inst.quote(now).last;
    let underlying = inst.underlying().quote(now).last;
    cents(qty * options::CONTRACT_SIZE * (premium + SHORT_OPTION_RATE * underlying))
}

/// An option symbol must name a listed series: an expired one is `OptionExpired`, a date
/// not listed (yet) `SymbolNotFound`.
fn listed(inst: &Instrument, symbol: &str, now: Ticks) -> Result<(), Reject> {
    let Some(o) = inst.option() else {
        return Ok(());
    };
    if o.expires_at() <= now {
        return Err((
            "OptionExpired",
            format!("Option '{}' has expired.", symbol.trim()),
        ));
    }
    if !options::is_listed(o.expiry, now) {
        return Err((
            "SymbolNotFound",
            format!("Symbol '{}' was not found.", symbol.trim()),
        ));
    }
    Ok(())
}

/// Checks of the time in force and expire date, shared by single and multi-leg orders.
fn check_tif(req: &Request, now: Ticks) -> Result<(), Reject> {
    match req.tif {
        orders::DAY | orders::GTC | orders::GTC_PLUS | orders::IOC | orders::FOK => Ok(()),
        orders::GTD | orders::GTD_PLUS => {
            if req.expire_date.is_none_or(|t| t <= now) {
                Err((
                    "ExpireDateIsInvalid",
                    "Expire date must be in the future.".into(),
                ))
            } else {
                Ok(())
            }
        }
        other => Err((
            "TimeInForceNotSupported",
            format!("Time in force {} is not supported.", orders::TIFS[other]),
        )),
    }
}

fn short_in_cash() -> Reject {
    (
        "ShortSellingNotAllowed",
        "Short selling needs a margin account.".into(),
    )
}

/// Checks that need only the request: symbol (or legs), quantity, type, prices, time in
/// force, short selling in a cash account. Returns what the order trades.
pub fn static_check<'m>(
    req: &Request,
    market: &'m Market,
    margin: bool,
    now: Ticks,
) -> Result<Target<'m>, Reject> {
    if req.is_multi_leg() {
        return static_legs(req, market, margin, now);
    }
    let symbol = req.symbol.as_deref().unwrap_or("").trim();
    let inst = market.instrument_by_symbol(symbol).ok_or((
        "SymbolNotFound",
        format!("Symbol '{symbol}' was not found."),
    ))?;
    listed(&inst, symbol, now)?;
    if req.quantity <= 0.0 {
        return Err((
            "InvalidQuantity",
            "Quantity must be greater than zero.".into(),
        ));
    }
    if inst.option().is_some() && req.quantity.fract() != 0.0 {
        return Err((
            "InvalidQuantity",
            "Options trade in whole contracts.".into(),
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
    check_tif(req, now)?;
    if req.side == Side::SellShort && !margin {
        return Err(short_in_cash());
    }
    Ok(Target {
        parts: vec![Part {
            inst,
            side: req.side,
            ratio: 1.0,
        }],
        multi_leg: false,
    })
}

/// [`static_check`] of a multi-leg order: one to four legs, each an option on the same
/// underlying, listed, a whole number of contracts above zero, no symbol twice; the root a
/// Market or Limit order (a Limit's net price may be negative, a credit).
fn static_legs<'m>(
    req: &Request,
    market: &'m Market,
    margin: bool,
    now: Ticks,
) -> Result<Target<'m>, Reject> {
    if req.legs.is_empty() {
        return Err((
            "LegsUndefined",
            "A multi-leg order needs at least one leg.".into(),
        ));
    }
    let root = req.symbol.as_deref().unwrap_or("").trim();
    if !root.is_empty() {
        return Err((
            "InvalidSymbol",
            format!(
                "A multi-leg order has no symbol of its own (got '{root}'): its legs carry the symbols."
            ),
        ));
    }
    if req.legs.len() > MAX_LEGS {
        return Err((
            "TooManyLegs",
            format!("A multi-leg order has at most {MAX_LEGS} legs."),
        ));
    }
    let spreads = req.spreads();
    let mut parts: Vec<Part<'m>> = Vec::new();
    for (i, leg) in req.legs.iter().enumerate() {
        let n = i + 1;
        if !(leg.quantity >= 1.0 && leg.quantity.fract() == 0.0) {
            return Err((
                "InvalidQuantity",
                format!("Leg {n}: the quantity must be a whole number of contracts above zero."),
            ));
        }
        let symbol = leg.symbol.trim();
        let inst = market.instrument_by_symbol(symbol).ok_or((
            "SymbolNotFound",
            format!("Leg {n}: symbol '{symbol}' was not found."),
        ))?;
        let Some(option) = inst.option() else {
            return Err((
                "LegIsNotAnOption",
                format!("Leg {n}: '{symbol}' is not an option."),
            ));
        };
        listed(&inst, symbol, now).map_err(|(code, text)| (code, format!("Leg {n}: {text}")))?;
        if let Some(first) = parts.first() {
            let underlying = first.inst.underlying();
            if option.underlying.id != underlying.id {
                return Err((
                    "LegsUnderlyingMismatch",
                    format!(
                        "Leg {n}: an option on {} cannot join options on {}.",
                        option.underlying.symbol, underlying.symbol
                    ),
                ));
            }
        }
        if parts.iter().any(|p| p.inst.id() == inst.id()) {
            return Err((
                "DuplicateLegs",
                format!("Leg {n}: '{symbol}' is already a leg of this order."),
            ));
        }
        if leg.side == Side::SellShort && !margin {
            return Err(short_in_cash());
        }
        parts.push(Part {
            inst,
            side: leg.side,
            ratio: leg.quantity / spreads,
        });
    }
    if !matches!(req.kind, orders::MARKET | orders::LIMIT) {
        return Err((
            "OrderTypeNotSupported",
            format!(
                "Order type {} is not supported for multi-leg orders: Market or Limit.",
                orders::TYPES[req.kind]
            ),
        ));
    }
    if req.kind == orders::LIMIT {
        match req.price {
            None => return Err(("LimitPriceUndefined", "Limit price is not defined.".into())),
            Some(p) if !p.is_finite() => {
                return Err((
                    "QuotePriceIsInvalid",
                    "Order price must be a number.".into(),
                ));
            }
            Some(_) => {}
        }
    }
    check_tif(req, now)?;
    Ok(Target {
        parts,
        multi_leg: true,
    })
}

fn priced(inst: &Instrument, now: Ticks) -> Priced {
    Priced {
        security_id: inst.id(),
        symbol: inst.symbol(),
        quote: inst.quote(now),
        open_interest: inst.option().map_or(0.0, |o| o.open_interest()),
        at: now,
    }
}

/// Prices `req` at `now` (no checks).
pub fn estimate(req: &Request, target: &Target, margin: bool, now: Ticks) -> Verify {
    let Some(inst) = target.single() else {
        return estimate_legs(req, target, margin, now);
    };
    let quote = inst.quote(now);
    let option = inst.option().is_some();
    let cost = cents(req.quantity * reference_price(req, &quote) * inst.multiplier());
    let (per_trade, per_share, per_contract) = if option {
        (0.0, 0.0, commission(req.quantity, true, true))
    } else {
        (PER_TRADE, cents(PER_SHARE * req.quantity), 0.0)
    };
    let commission = cents(per_trade + per_share + per_contract);
    let margin_change = match (margin, req.side) {
        (false, _) => 0.0,
        (true, Side::Buy) if option => cost,
        (true, Side::SellShort) if option => short_option_requirement(&inst, req.quantity, now),
        (true, Side::Buy | Side::SellShort) => cents(cost / 2.0),
        (true, Side::Sell | Side::BuyToCover) if option => -cost,
        (true, Side::Sell | Side::BuyToCover) => -cents(cost / 2.0),
    };
    Verify {
        error: None,
        per_trade,
        per_share,
        per_contract,
        options: option,
        cost,
        net_cost: if req.side.is_buy() {
            cents(cost + commission)
        } else {
            cents(cost - commission)
        },
        total_cost: cents(cost + commission),
        margin_change,
        quotes: vec![priced(&inst, now)],
    }
}

/// [`estimate`] of a multi-leg order: `Cost` is the net debit of all its spreads (negative
/// for a credit), `NetCost` that plus commission, `TotalCost` the debit or credit's size
/// plus commission.
fn estimate_legs(req: &Request, target: &Target, margin: bool, now: Ticks) -> Verify {
    let s = clock::quote_second(now);
    let net = match req.kind {
        orders::LIMIT => req.price.unwrap_or(0.0),
        _ => net_price(&target.parts, s),
    };
    let cost = cents(net * req.quantity * options::CONTRACT_SIZE);
    let contracts: f64 = target.parts.iter().map(|p| p.ratio * req.quantity).sum();
    let per_contract = commission(contracts, true, true);
    Verify {
        error: None,
        per_trade: 0.0,
        per_share: 0.0,
        per_contract,
        options: true,
        cost,
        net_cost: cents(cost + per_contract),
        total_cost: cents(cost.abs() + per_contract),
        margin_change: if margin { cost.max(0.0) } else { 0.0 },
        quotes: target.parts.iter().map(|p| priced(&p.inst, now)).collect(),
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
        if !o.legs.is_empty() {
            let parts: Vec<Part> = o
                .legs
                .iter()
                .filter_map(|l| {
                    Some(Part {
                        inst: market.instrument(l.security_id)?,
                        side: l.side,
                        ratio: l.ratio,
                    })
                })
                .collect();
            let net = match o.req.kind {
                orders::LIMIT => o.req.price.unwrap_or(0.0),
                _ => net_price(&parts, clock::quote_second(now)),
            };
            let contracts: f64 = o.legs.iter().map(|l| l.ratio * o.leaves()).sum();
            c.buys += net.max(0.0) * o.leaves() * options::CONTRACT_SIZE
                + commission(contracts, false, true);
            continue;
        }
        let Some(inst) = market.instrument(o.security_id) else {
            continue;
        };
        let option = inst.option().is_some();
        let value = o.leaves() * reference_price(&o.req, &inst.quote(now)) * inst.multiplier();
        match o.req.side {
            Side::Buy | Side::BuyToCover => {
                c.buys += value + commission(o.leaves(), !o.per_trade_charged, option);
            }
            Side::SellShort if option => {
                c.shorts += short_option_requirement(&inst, o.leaves(), now);
            }
            Side::SellShort => c.shorts += value,
            Side::Sell => {}
        }
    }
    c
}

/// Checks that depend on the market and the account now: market hours
/// for market orders, shares (or contracts) for sells, buying power for buys and shorts.
pub fn dynamic_check(
    req: &Request,
    target: &Target,
    est: &Verify,
    ctx: &Ctx,
) -> Result<(), Reject> {
    if req.kind == orders::MARKET && !clock::is_open(ctx.now) {
        return Err(("MarketClosed", "The market is closed.".into()));
    }
    // What working orders already sell (or buy to cover) of an instrument.
    let working = |id: i64, side: Side| -> f64 {
        ctx.orders
            .iter()
            .filter(|o| o.account_id == ctx.book.account_id && Some(o.id) != ctx.except)
            .filter(|o| o.is_working())
            .flat_map(Order::pieces)
            .filter(|&(piece, s, _)| piece == id && s == side)
            .map(|(_, _, leaves)| leaves)
            .sum()
    };
    for part in &target.parts {
        let qty = part.ratio * req.quantity;
        let id = part.inst.id();
        let held = ctx.book.held(id);
        let available = match part.side {
            Side::Sell => held.max(0.0) - working(id, Side::Sell),
            Side::BuyToCover => (-held).max(0.0) - working(id, Side::BuyToCover),
            Side::Buy | Side::SellShort => continue,
        };
        if qty > available + 1e-9 {
            let (noun, symbol) = (
                if part.inst.option().is_some() {
                    "contracts"
                } else {
                    "shares"
                },
                part.inst.symbol(),
            );
            return Err((
                "InsufficientShares",
                format!(
                    "Insufficient {noun}: {} {} available, {qty} requested.",
                    available.max(0.0),
                    symbol.trim_end(),
                ),
            ));
        }
    }
    let account = ctx.book.account_id;
    let buying_power = || {
        let c = commitments(ctx.market, ctx.orders, account, ctx.now, ctx.except);
        balances::balances(ctx.book, ctx.market, ctx.now, &c)
    };
    let short_of = |needed: f64, power: f64, code: &'static str| {
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
    };
    if target.multi_leg {
        let needed = cents(est.cost.max(0.0) + est.commission());
        if needed <= 0.0 {
            return Ok(());
        }
        return short_of(needed, buying_power().option_bp, "InsufficientBuyingPower");
    }
    let inst = target.parts[0].inst;
    match (req.side, inst.option().is_some()) {
        (Side::Sell | Side::BuyToCover, _) => Ok(()),
        (Side::Buy, true) => short_of(
            est.total_cost,
            buying_power().option_bp,
            "InsufficientBuyingPower",
        ),
        (Side::SellShort, true) => short_of(
            short_option_requirement(&inst, req.quantity, ctx.now) + est.commission(),
            buying_power().option_bp,
            "InsufficientBuyingPower",
        ),
        (Side::Buy | Side::SellShort, false) => {
            let b = buying_power();
            let needed = if req.side == Side::Buy {
                est.total_cost
            } else {
                est.cost
            };
            if ctx.book.margin {
                short_of(needed, b.day_trading_bp, "DayTradingBuyingPowerExceeded")
            } else {
                short_of(needed, b.stock_bp, "InsufficientBuyingPower")
            }
        }
    }
}

/// Every check, as preview runs them.
pub fn full(req: &Request, ctx: &Ctx) -> Verify {
    let target = match static_check(req, ctx.market, ctx.book.margin, ctx.now) {
        Ok(target) => target,
        Err(reject) => return Verify::rejected(reject),
    };
    let mut v = estimate(req, &target, ctx.book.margin, ctx.now);
    if let Err(reject) = dynamic_check(req, &target, &v, ctx) {
        v.error = Some(reject);
    }
    v
}

/// The verify model; `order_id` leads it in `verified/orders`.
pub fn model(v: &Verify, order_id: Option<i64>) -> Obj {
    let quotes: Vec<Json> = v
        .quotes
        .iter()
        .map(|p| {
            Json::from(
                Obj::new()
                    .with("Ask", p.quote.ask)
                    .with("Bid", p.quote.bid)
                    .with("Last", p.quote.last)
                    .with("Volume", p.quote.volume)
                    .with("OpenInterest", p.open_interest)
                    .with("Symbol", p.symbol.as_str())
                    .with("SecurityId", p.security_id)
                    .with("Timestamp", clock::iso(p.at)),
            )
        })
        .collect();
    let commissions = if v.options {
        Obj::new().with("Per Contract Commission", v.per_contract)
    } else {
        Obj::new()
            .with("Per Trade Commission", v.per_trade)
            .with("Per Share Commission", v.per_share)
    };
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
