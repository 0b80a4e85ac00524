//! The account bodies on the wire: the flat balance map of
//! `GET accounts/{id}/info`, `PositionResource` and `TransactionMapModel`,
//! with the fields `filter` and sorting see on positions and transactions.

use crate::http::filter::{Kind, Schema, Val};
use crate::json::Obj;
use crate::market::clock::{self, Ticks};
use crate::market::instruments::Instrument;
use crate::market::prices::cents;
use crate::trading::balances::Balances;
use crate::trading::portfolio::{
    Position, TRANSACTION_TYPES, Transaction, previous_close, session_of,
};

/// The flat camelCase map of `GET accounts/{id}/info`.
pub fn balance_model(b: &Balances) -> Obj {
    let percent = |part: f64, whole: f64| {
        if whole.abs() > 1e-9 {
            cents(part / whole * 100.0)
        } else {
            0.0
        }
    };
    let market_value = cents(b.long_mv + b.short_mv + b.option_long_mv + b.option_short_mv);
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
        .with("optionLongMarketValue", b.option_long_mv)
        .with("optionShortMarketValue", b.option_short_mv)
        .with("forexLongMarketValue", 0.0)
        .with("forexShortMarketValue", 0.0)
        .with("dayTrades", b.day_trades as f64)
        .with("stockBuyingPower", b.stock_bp)
        .with("optionBuyingPower", b.option_bp)
        .with("forexBuyingPower", b.stock_bp)
        .with("dayTradingBuyingPower", b.day_trading_bp)
        .with("pendingCash", b.pending_cash)
        .with("maintenanceMargin", b.maintenance)
        .with("optionMaintenanceMargin", b.option_maintenance)
        .with("openPL", b.open_pl)
        .with("openPLDay", b.open_pl_day)
        .with("openPLPercent", percent(b.open_pl, b.cost_basis))
        .with("closePL", b.close_pl)
        .with("marketValue", market_value)
        .with("totalPL", cents(b.open_pl + b.close_pl))
}

/// `PositionResource`, fields in the documented order (options: their OSI symbol,
/// `SecurityType` `Option`, `ContractSize` 100, money amounts times the contract size).
pub fn position_model(p: &Position, account_id: i64, inst: &Instrument, now: Ticks) -> Obj {
    let session = session_of(now);
    let prev = previous_close(inst, now);
    let (day_qty, day_realized) = p.day_values(session);
    let overnight = p.qty - day_qty;
    let mult = p.multiplier;
    let daily_cost = cents((overnight * prev + day_qty * p.avg_open) * mult);
    let symbol = inst.symbol();
    Obj::new()
        .with("Id", p.id)
        .with("AccountId", account_id)
        .with("SecurityId", inst.id())
        .with("Symbol", symbol.as_str())
        .with("Name", symbol.as_str())
        .with("CompanyName", inst.description())
        .with("SecurityCurrency", "USD")
        .with("SecurityType", inst.kind())
        .with("ContractSize", mult)
        .with("CostBasis", cents(p.qty * p.avg_open * mult))
        .with("DailyCostBasis", daily_cost)
        .with("CreateDate", clock::iso(p.created))
        .with("ModifyDate", clock::iso(p.modified))
        .with("Quantity", p.qty)
        .with("RealizedProfitLoss", p.realized)
        .with("AverageOpenPrice", p.avg_open)
        .with("AverageClosePrice", p.avg_close())
        .with("DailyCloseProfitLoss", day_realized)
        .with("ExcessChanges", 0.0)
        .with("DayQuantity", day_qty)
        .with("MarketValueEOD", cents(p.qty * prev * mult))
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

pub fn position_field(p: &Position, inst: &Instrument, name: &str) -> Val {
    match name {
        "Id" => Val::Num(p.id as f64),
        "SecurityId" => Val::Num(inst.id() as f64),
        "Symbol" | "Name" => Val::Text(inst.symbol()),
        "CompanyName" => Val::Text(inst.description()),
        "SecurityType" => Val::Text(inst.kind().to_string()),
        "Quantity" => Val::Num(p.qty),
        "CostBasis" => Val::Num(p.qty * p.avg_open * p.multiplier),
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
        .with("Date", clock::iso(t.date))
        .with("Value", t.value)
        .with("Quantity", t.quantity)
        .with("LeavesQuantity", t.leaves)
        .opt("Fee", fee)
        .with("Type", TRANSACTION_TYPES[t.kind])
        .with("IsDayTrade", t.is_day_trade)
        .with("Description", t.description.as_str())
        .opt("Symbol", t.symbol.clone())
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
        "Symbol" => t.symbol.clone().map_or(Val::Null, Val::Text),
        "Description" => Val::Text(t.description.clone()),
        "IsDayTrade" => Val::Bool(t.is_day_trade),
        _ => Val::Null,
    }
}
