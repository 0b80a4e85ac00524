//! Each account's book: cash, positions and transactions; fills applied to
//! it; the balance map of `GET accounts/{id}/info`.
//!
//! Accounting: a buy pays `quantity × price` plus commission out of cash, a
//! sell (or short sale) receives `quantity × price` less commission.
//! Positions keep a signed quantity and an average open price; reducing a
//! position realizes `closed × (price − average)` (sign-adjusted for
//! shorts). A position that reaches zero is removed; its realized P/L stays
//! in the account's `closePL`.

use super::filter::{Kind, Schema, Val};
use super::json::Obj;
use super::market::{Market, Security, cents};
use super::orders::Side;
use super::sim_clock::{self, Ticks};

pub const TRANSACTION_TYPES: &[&str] = &[
    "Undefined",
    "Commission",
    "OrderExecution",
    "OptionExpiration",
    "Payment",
    "ManualManipulation",
    "Clearing",
    "Rpl",
];
const EXECUTION: usize = 2;
const PAYMENT: usize = 4;
const MANUAL: usize = 5;

pub struct Position {
    pub id: i64,
    pub security_id: i64,
    /// Positive long, negative short.
    pub qty: f64,
    pub avg_open: f64,
    pub realized: f64,
    closed_qty: f64,
    closed_value: f64,
    pub created: Ticks,
    pub modified: Ticks,
    /// The session the `day_*` numbers belong to.
    day: i64,
    day_qty: f64,
    day_realized: f64,
    /// The session the current position was opened in (day trades).
    opened_session: i64,
}

impl Position {
    pub fn avg_close(&self) -> f64 {
        if self.closed_qty > 0.0 {
            self.closed_value / self.closed_qty
        } else {
            0.0
        }
    }

    fn day_values(&self, session: i64) -> (f64, f64) {
        if self.day == session {
            (self.day_qty, self.day_realized)
        } else {
            (0.0, 0.0)
        }
    }
}

pub struct Fee {
    pub id: i64,
    pub value: f64,
}

pub struct Transaction {
    pub id: i64,
    /// -1 for cash.
    pub security_id: i64,
    pub order_state_id: Option<i64>,
    pub account_id: i64,
    pub date: Ticks,
    /// Signed cash movement before fees: negative for buys.
    pub value: f64,
    pub quantity: f64,
    pub leaves: f64,
    pub fee: Option<Fee>,
    kind: usize,
    pub is_day_trade: bool,
    pub description: String,
    pub symbol: Option<&'static str>,
    pub price: Option<f64>,
    pub order_id: Option<i64>,
}

pub struct Book {
    pub account_id: i64,
    pub margin: bool,
    pub cash: f64,
    /// Realized P/L of closed trades (`closePL`).
    pub realized: f64,
    pub positions: Vec<Position>,
    pub transactions: Vec<Transaction>,
    /// Session index of each day trade.
    day_trades: Vec<i64>,
}

/// Ids handed out by the broker.
#[derive(Default)]
pub struct Ids {
    last: i64,
}

impl Ids {
    pub fn starting_at(first: i64) -> Ids {
        Ids { last: first - 1 }
    }

    pub fn next(&mut self) -> i64 {
        self.last += 1;
        self.last
    }
}

/// One execution to book.
pub struct Fill<'a> {
    pub order_id: i64,
    pub state_id: i64,
    pub security: &'a Security,
    pub side: Side,
    pub qty: f64,
    pub price: f64,
    pub commission: f64,
    /// The order's leaves quantity after this fill.
    pub leaves: f64,
    pub at: Ticks,
}

/// The session a fill or valuation at `t` belongs to.
pub fn session_of(t: Ticks) -> i64 {
    sim_clock::session_index(sim_clock::quote_second(t))
}

/// The last price of the session before the one current at `t`.
pub fn previous_close(security: &Security, t: Ticks) -> f64 {
    let session = session_of(t);
    security
        .quote_at(session * sim_clock::SESSION_SECS - 1)
        .last
}

impl Book {
    /// A book with a deposit of `cash` (a `Payment` transaction at `at`).
    pub fn new(account_id: i64, margin: bool, cash: f64, at: Ticks, txn_id: i64) -> Book {
        let mut book = Book {
            account_id,
            margin,
            cash,
            realized: 0.0,
            positions: Vec::new(),
            transactions: Vec::new(),
            day_trades: Vec::new(),
        };
        book.transactions.push(Transaction {
            id: txn_id,
            security_id: -1,
            order_state_id: None,
            account_id,
            date: at,
            value: cash,
            quantity: 0.0,
            leaves: 0.0,
            fee: None,
            kind: PAYMENT,
            is_day_trade: false,
            description: "Initial deposit".to_string(),
            symbol: None,
            price: None,
            order_id: None,
        });
        book
    }

    /// A position transferred in at `avg` (no cash moves), recorded as a
    /// `ManualManipulation` transaction.
    pub fn transfer_in(
        &mut self,
        sec: &Security,
        qty: f64,
        avg: f64,
        at: Ticks,
        txn_id: i64,
        position_id: i64,
    ) {
        let session = session_of(at);
        self.positions.push(Position {
            id: position_id,
            security_id: sec.id,
            qty,
            avg_open: avg,
            realized: 0.0,
            closed_qty: 0.0,
            closed_value: 0.0,
            created: at,
            modified: at,
            day: session,
            day_qty: 0.0,
            day_realized: 0.0,
            opened_session: session,
        });
        self.transactions.push(Transaction {
            id: txn_id,
            security_id: sec.id,
            order_state_id: None,
            account_id: self.account_id,
            date: at,
            value: 0.0,
            quantity: qty,
            leaves: 0.0,
            fee: None,
            kind: MANUAL,
            is_day_trade: false,
            description: format!("Position transfer: {qty} {} at {avg}", sec.symbol),
            symbol: Some(sec.symbol),
            price: Some(avg),
            order_id: None,
        });
    }

    pub fn position(&self, security_id: i64) -> Option<&Position> {
        self.positions.iter().find(|p| p.security_id == security_id)
    }

    /// Signed shares held.
    pub fn held(&self, security_id: i64) -> f64 {
        self.position(security_id).map_or(0.0, |p| p.qty)
    }

    /// Books one execution: cash, position, transaction.
    pub fn apply_fill(&mut self, f: &Fill, txn_id: i64, position_id: i64) {
        let signed = if f.side.is_buy() { f.qty } else { -f.qty };
        let gross = cents(f.qty * f.price);
        let value = if f.side.is_buy() { -gross } else { gross };
        self.cash = cents(self.cash + value - f.commission);

        let session = session_of(f.at);
        let index = match self
            .positions
            .iter()
            .position(|p| p.security_id == f.security.id)
        {
            Some(i) => i,
            None => {
                self.positions.push(Position {
                    id: position_id,
                    security_id: f.security.id,
                    qty: 0.0,
                    avg_open: 0.0,
                    realized: 0.0,
                    closed_qty: 0.0,
                    closed_value: 0.0,
                    created: f.at,
                    modified: f.at,
                    day: session,
                    day_qty: 0.0,
                    day_realized: 0.0,
                    opened_session: session,
                });
                self.positions.len() - 1
            }
        };
        let p = &mut self.positions[index];
        if p.day != session {
            (p.day, p.day_qty, p.day_realized) = (session, 0.0, 0.0);
        }
        let mut realized = 0.0;
        let mut day_trade = false;
        if p.qty == 0.0 || p.qty.signum() == signed.signum() {
            if p.qty == 0.0 {
                p.opened_session = session;
            }
            let held = p.qty.abs();
            p.avg_open = (held * p.avg_open + f.qty * f.price) / (held + f.qty);
            p.qty += signed;
        } else {
            let closed = f.qty.min(p.qty.abs());
            realized = cents(closed * (f.price - p.avg_open) * p.qty.signum());
            day_trade = p.opened_session == session;
            p.closed_qty += closed;
            p.closed_value += closed * f.price;
            if f.qty > p.qty.abs() {
                p.qty += signed;
                p.avg_open = f.price;
                p.opened_session = session;
            } else {
                p.qty += signed;
            }
        }
        p.realized = cents(p.realized + realized);
        p.day_realized = cents(p.day_realized + realized);
        p.day_qty += signed;
        p.modified = f.at;
        self.realized = cents(self.realized + realized);
        if day_trade {
            self.day_trades.push(session);
        }
        if p.qty.abs() < 1e-9 {
            self.positions.remove(index);
        }
        self.transactions.push(Transaction {
            id: txn_id,
            security_id: f.security.id,
            order_state_id: Some(f.state_id),
            account_id: self.account_id,
            date: f.at,
            value,
            quantity: f.qty,
            leaves: f.leaves,
            fee: Some(Fee {
                id: txn_id,
                value: f.commission,
            }),
            kind: EXECUTION,
            is_day_trade: day_trade,
            description: format!(
                "{} {} {} @ {}",
                f.side.name(),
                f.qty,
                f.security.symbol,
                f.price
            ),
            symbol: Some(f.security.symbol),
            price: Some(f.price),
            order_id: Some(f.order_id),
        });
    }
}

/// What working orders hold back from buying power.
#[derive(Default)]
pub struct Commitments {
    /// Estimated cost of working buys (Buy, BuyToCover).
    pub buys: f64,
    /// Estimated proceeds of working short sales (margin they need).
    pub shorts: f64,
    /// Orders not yet finished, pending ones included.
    pub count: usize,
}

/// The account's balance numbers (reference §3).
pub struct Balances {
    pub cash: f64,
    pub long_mv: f64,
    pub short_mv: f64,
    pub equity: f64,
    pub excess: f64,
    pub stock_bp: f64,
    pub day_trading_bp: f64,
    pub maintenance: f64,
    pub pending_cash: f64,
    pub open_pl: f64,
    pub open_pl_day: f64,
    pub cost_basis: f64,
    pub close_pl: f64,
    pub day_trades: usize,
    pub pending_count: usize,
}

/// Computes the balances at `now`. Positions are valued at the last price.
///
/// - Cash account: buying power = cash − pending buys (never below 0),
///   day-trading buying power the same, no margin.
/// - Margin account (simplified Reg T): maintenance = 25 % of gross
///   position value, excess = equity − maintenance, stock buying power =
///   2 × (equity − 50 % of gross) − commitments, day-trading buying power =
///   4 × excess − commitments.
pub fn balances(book: &Book, market: &Market, now: Ticks, c: &Commitments) -> Balances {
    let session = session_of(now);
    let (mut long_mv, mut short_mv, mut open_pl, mut open_pl_day, mut cost_basis) =
        (0.0, 0.0, 0.0, 0.0, 0.0);
    for p in &book.positions {
        let Some(sec) = market.by_id(p.security_id) else {
            continue;
        };
        let last = sec.quote(now).last;
        let value = p.qty * last;
        if p.qty > 0.0 {
            long_mv += value;
        } else {
            short_mv += value;
        }
        open_pl += p.qty * (last - p.avg_open);
        cost_basis += p.qty.abs() * p.avg_open;
        // Shares held since before today move from the previous close;
        // shares bought today from their price.
        let (day_qty, _) = p.day_values(session);
        let overnight = p.qty - day_qty;
        let reference = if p.opened_session == session && overnight.abs() < 1e-9 {
            p.avg_open
        } else {
            previous_close(sec, now)
        };
        open_pl_day += p.qty * (last - reference);
    }
    let equity = book.cash + long_mv + short_mv;
    let gross = long_mv - short_mv;
    let pending_cash = c.buys;
    let (excess, stock_bp, day_trading_bp, maintenance) = if book.margin {
        let maintenance = 0.25 * gross;
        let excess = equity - maintenance;
        let stock_bp = 2.0 * (equity - 0.5 * gross) - c.buys - c.shorts;
        let dt_bp = 4.0 * excess - c.buys - c.shorts;
        (excess, stock_bp.max(0.0), dt_bp.max(0.0), maintenance)
    } else {
        let available = (book.cash - c.buys).max(0.0);
        (book.cash - c.buys, available, available, 0.0)
    };
    Balances {
        cash: book.cash,
        long_mv: cents(long_mv),
        short_mv: cents(short_mv),
        equity: cents(equity),
        excess: cents(excess),
        stock_bp: cents(stock_bp),
        day_trading_bp: cents(day_trading_bp),
        maintenance: cents(maintenance),
        pending_cash: cents(pending_cash),
        open_pl: cents(open_pl),
        open_pl_day: cents(open_pl_day),
        cost_basis: cents(cost_basis),
        close_pl: book.realized,
        day_trades: book.day_trades.iter().filter(|&&s| s == session).count(),
        pending_count: c.count,
    }
}

/// The flat camelCase map of `GET accounts/{id}/info`.
pub fn balance_model(b: &Balances) -> Obj {
    let percent = |part: f64, whole: f64| {
        if whole.abs() > 1e-9 {
            cents(part / whole * 100.0)
        } else {
            0.0
        }
    };
    let market_value = cents(b.long_mv + b.short_mv);
    Obj::new()
        .with("cash", b.cash)
        .with("netCash", cents(b.cash - b.pending_cash))
        .with("excess", b.excess)
        .with("changeAbsolute", b.open_pl_day)
        .with(
            "changePercent",
            percent(b.open_pl_day, b.equity - b.open_pl_day),
        )
        .with("equityTotal", b.equity)
        .with("pendingOrdersCount", b.pending_count as f64)
        .with("netLiquidity", b.equity)
        .with("stockLongMarketValue", b.long_mv)
        .with("stockShortMarketValue", b.short_mv)
        .with("optionLongMarketValue", 0.0)
        .with("optionShortMarketValue", 0.0)
        .with("forexLongMarketValue", 0.0)
        .with("forexShortMarketValue", 0.0)
        .with("dayTrades", b.day_trades as f64)
        .with("stockBuyingPower", b.stock_bp)
        .with("optionBuyingPower", cents(b.stock_bp / 2.0))
        .with("forexBuyingPower", b.stock_bp)
        .with("dayTradingBuyingPower", b.day_trading_bp)
        .with("pendingCash", b.pending_cash)
        .with("maintenanceMargin", b.maintenance)
        .with("optionMaintenanceMargin", 0.0)
        .with("openPL", b.open_pl)
        .with("openPLDay", b.open_pl_day)
        .with("openPLPercent", percent(b.open_pl, b.cost_basis))
        .with("closePL", b.close_pl)
        .with("marketValue", market_value)
        .with("totalPL", cents(b.open_pl + b.close_pl))
}

/// `PositionResource`, fields in the documented order.
pub fn position_model(p: &Position, account_id: i64, sec: &Security, now: Ticks) -> Obj {
    let session = session_of(now);
    let prev = previous_close(sec, now);
    let (day_qty, day_realized) = p.day_values(session);
    let overnight = p.qty - day_qty;
    let daily_cost = cents(overnight * prev + day_qty * p.avg_open);
    Obj::new()
        .with("Id", p.id)
        .with("AccountId", account_id)
        .with("SecurityId", sec.id)
        .with("Symbol", sec.symbol)
        .with("Name", sec.symbol)
        .with("CompanyName", sec.description)
        .with("SecurityCurrency", "USD")
        .with("SecurityType", sec.kind)
        .with("ContractSize", 1.0)
        .with("CostBasis", cents(p.qty * p.avg_open))
        .with("DailyCostBasis", daily_cost)
        .with("CreateDate", sim_clock::iso(p.created))
        .with("ModifyDate", sim_clock::iso(p.modified))
        .with("Quantity", p.qty)
        .with("RealizedProfitLoss", p.realized)
        .with("AverageOpenPrice", p.avg_open)
        .with("AverageClosePrice", p.avg_close())
        .with("DailyCloseProfitLoss", day_realized)
        .with("ExcessChanges", 0.0)
        .with("DayQuantity", day_qty)
        .with("MarketValueEOD", cents(p.qty * prev))
}

/// Fields for `filter` and `sortField` on positions.
pub const POSITION_SCHEMA: Schema = &[
    ("Id", Kind::Num),
    ("SecurityId", Kind::Num),
    ("Symbol", Kind::Text),
    ("Name", Kind::Text),
    ("CompanyName", Kind::Text),
    ("SecurityType", Kind::Text),
    ("Quantity", Kind::Num),
    ("CostBasis", Kind::Num),
    ("AverageOpenPrice", Kind::Num),
    ("RealizedProfitLoss", Kind::Num),
    ("CreateDate", Kind::Date),
    ("ModifyDate", Kind::Date),
];

pub fn position_field(p: &Position, sec: &Security, name: &str) -> Val {
    match name {
        "Id" => Val::Num(p.id as f64),
        "SecurityId" => Val::Num(sec.id as f64),
        "Symbol" | "Name" => Val::Text(sec.symbol.to_string()),
        "CompanyName" => Val::Text(sec.description.to_string()),
        "SecurityType" => Val::Text(sec.kind.to_string()),
        "Quantity" => Val::Num(p.qty),
        "CostBasis" => Val::Num(p.qty * p.avg_open),
        "AverageOpenPrice" => Val::Num(p.avg_open),
        "RealizedProfitLoss" => Val::Num(p.realized),
        "CreateDate" => Val::Date(p.created),
        "ModifyDate" => Val::Date(p.modified),
        _ => Val::Null,
    }
}

/// `TransactionMapModel`.
pub fn transaction_model(t: &Transaction) -> Obj {
    let fee = t.fee.as_ref().map(|f| {
        Obj::new()
            .with("Id", f.id)
            .with("CommissionId", 1)
            .with("Value", f.value)
            .with("Seizure", 0.0)
            .with("Leverage", 1.0)
            .with("ValueType", "Absolute")
    });
    Obj::new()
        .with("Id", t.id)
        .with("SecurityId", t.security_id)
        .opt("OrderStateId", t.order_state_id)
        .with("AccountId", t.account_id)
        .with("Date", sim_clock::iso(t.date))
        .with("Value", t.value)
        .with("Quantity", t.quantity)
        .with("LeavesQuantity", t.leaves)
        .opt("Fee", fee)
        .with("Type", TRANSACTION_TYPES[t.kind])
        .with("IsDayTrade", t.is_day_trade)
        .with("Description", t.description.as_str())
        .opt("Symbol", t.symbol)
        .opt("Price", t.price)
        .opt("OrderId", t.order_id)
}

/// Fields for `filter` and `sortBy` on transactions.
pub const TRANSACTION_SCHEMA: Schema = &[
    ("Id", Kind::Num),
    ("SecurityId", Kind::Num),
    ("AccountId", Kind::Num),
    ("OrderId", Kind::Num),
    ("Date", Kind::Date),
    ("Value", Kind::Num),
    ("Quantity", Kind::Num),
    ("Price", Kind::Num),
    ("Type", Kind::Enum(TRANSACTION_TYPES)),
    ("Symbol", Kind::Text),
    ("Description", Kind::Text),
    ("IsDayTrade", Kind::Bool),
];

pub fn transaction_field(t: &Transaction, name: &str) -> Val {
    match name {
        "Id" => Val::Num(t.id as f64),
        "SecurityId" => Val::Num(t.security_id as f64),
        "AccountId" => Val::Num(t.account_id as f64),
        "OrderId" => t.order_id.map_or(Val::Null, |id| Val::Num(id as f64)),
        "Date" => Val::Date(t.date),
        "Value" => Val::Num(t.value),
        "Quantity" => Val::Num(t.quantity),
        "Price" => t.price.map_or(Val::Null, Val::Num),
        "Type" => Val::Enum(t.kind),
        "Symbol" => t.symbol.map_or(Val::Null, |s| Val::Text(s.to_string())),
        "Description" => Val::Text(t.description.clone()),
        "IsDayTrade" => Val::Bool(t.is_day_trade),
        _ => Val::Null,
    }
}
