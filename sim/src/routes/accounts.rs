//! Account routes: the account's record (`accounts/{id}`) and opening record (`details`),
//! balances (`info`), value history, positions, position groups and transactions, and the
//! account check every `accounts/{accountId}/…` route makes (the bodies they answer are in
//! `routes::account_resources`).

use crate::State;
use crate::http::paging;
use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::{Json, Obj};
use crate::market::clock::{self, TICKS_PER_SEC, Ticks};
use crate::market::instruments::Instrument;
use crate::market::prices::cents;
use crate::market::timestamps;
use crate::routes::account_resources as resources;
use crate::trading::portfolio::{Position, Transaction};
use crate::trading::{balances, broker, history, order_checks};
use crate::users::Account;

fn answer(result: Result<Reply, Reply>) -> Reply {
    result.unwrap_or_else(|r| r)
}

/// The account in `{accountId}`, if the caller may use it: `@me` is the
/// broker's 400 (it stands for a user, not an account), an id that is no
/// account the documented 500 (as for a user id in its place), another
/// user's account 401.
pub fn account<'s>(state: &'s State, call: &Call) -> Result<&'s Account, Reply> {
    let raw = call.param("accountId");
    if raw == "@me" {
        return Err(reply::invalid_request());
    }
    let id: i64 = raw
        .parse()
        .expect("route constraint admits only integers and @me");
    let account = state.account(id).ok_or_else(reply::server_error)?;
    if account.owner_id != call.session().user_id {
        return Err(reply::denied());
    }
    Ok(account)
}

/// `GET accounts/{accountId}/info`: the flat camelCase balance map.
pub fn info(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = account(state, call)?;
        let (b, now) = broker::at_now(state);
        let c = order_checks::commitments(&state.market, &b.orders, account.id, now, None);
        let balances = balances::balances(b.book(account.id), &state.market, now, &c);
        Ok(Reply::json(200, resources::balance_model(&balances)))
    })())
}

/// `GET accounts/{accountId}/positions` (paged).
pub fn positions(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = account(state, call)?;
        let page = paging::parse(call, &paging::POSITIONS, resources::POSITION_SCHEMA)?;
        let (b, now) = broker::at_now(state);
        let held: Vec<(&Position, Instrument)> = b
            .book(account.id)
            .positions
            .iter()
            .filter_map(|p| Some((p, state.market.instrument(p.security_id)?)))
            .collect();
        let body = page.result(
            call,
            held,
            |(p, inst), f| resources::position_field(p, inst, f),
            |(p, inst)| resources::position_model(p, account.id, inst, now).into(),
        );
        Ok(Reply::json(200, body))
    })())
}

/// `GET accounts/{accountId}/positions/{symbol}`: the positions in one
/// ticker or option symbol (`[]` when none). A numeric id instead of a symbol is the
/// documented 500.
pub fn position(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = account(state, call)?;
        let symbol = call.param("symbol");
        if symbol.trim().parse::<f64>().is_ok() {
            return Err(reply::server_error());
        }
        let (b, now) = broker::at_now(state);
        let found: Vec<Json> = state
            .market
            .instrument_by_symbol(symbol)
            .and_then(|inst| {
                let p = b.book(account.id).position(inst.id())?;
                Some(Json::from(resources::position_model(
                    p, account.id, &inst, now,
                )))
            })
            .into_iter()
            .collect();
        Ok(Reply::json(200, found))
    })())
}

/// `GET accounts/{accountId}/positions/groups`: market value by asset class, in the
/// broker's group names: `Equity` (stocks and ETFs), `Options` and `Cash`, always in that
/// order (the other documented groups hold nothing the simulator trades and are left out).
pub fn groups(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = account(state, call)?;
        let (b, now) = broker::at_now(state);
        let book = b.book(account.id);
        let (mut equity, mut options) = (0.0, 0.0);
        for p in &book.positions {
            let Some(inst) = state.market.instrument(p.security_id) else {
                continue;
            };
            let value = p.qty * inst.quote(now).last * p.multiplier;
            if inst.option().is_some() {
                options += value;
            } else {
                equity += value;
            }
        }
        let group = |name: &str, value: f64| {
            Json::from(
                Obj::new()
                    .with("Name", name)
                    .with("MarketValue", cents(value)),
            )
        };
        Ok(Reply::json(
            200,
            vec![
                group("Equity", equity),
                group("Options", options),
                group("Cash", book.cash),
            ],
        ))
    })())
}

/// `GET accounts/{accountId}/transactions` (paged, `sortBy`/`isDesc`).
pub fn transactions(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = account(state, call)?;
        let page = paging::parse(call, &paging::TRANSACTIONS, resources::TRANSACTION_SCHEMA)?;
        let (b, _) = broker::at_now(state);
        let list: Vec<&Transaction> = b.book(account.id).transactions.iter().collect();
        let body = page.result(
            call,
            list,
            |t, f| resources::transaction_field(t, f),
            |t| resources::transaction_model(t).into(),
        );
        Ok(Reply::json(200, body))
    })())
}

/// The longest `accounts/{id}/history` answer, in points.
const MAX_HISTORY_POINTS: i64 = 3_660;

/// A required ISO date of the history route as a UTC day number: 404 when missing, 400 when
/// it does not parse.
fn day_param(call: &Call, name: &str) -> Result<i64, Reply> {
    let text = call
        .query(name)
        .ok_or_else(|| reply::not_found(&call.full_url))?;
    let t = timestamps::parse_iso(&text)
        .ok_or_else(|| paging::invalid(&format!("{name} '{text}' is not an ISO-8601 date")))?;
    Ok(clock::unix_secs(clock::from_system(t)).div_euclid(86_400))
}

/// `GET accounts/{accountId}/history?startDate=&endDate=&step=`: `[{"Date","Value"}]`, the
/// account's equity at the New York close of every `step`-th calendar day (default 1) from
/// `startDate` to `endDate` (ISO dates, both required, their UTC dates counted), or at the
/// simulated now for today; days before the account opened or after today are left out.
/// `Date` is the day at 00:00 UTC.
pub fn history(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = account(state, call)?;
        let start = day_param(call, "startDate")?;
        let end = day_param(call, "endDate")?;
        let step = match call.query("step") {
            None => 1,
            Some(v) => match v.trim().parse::<i64>() {
                Ok(n) if (1..=366).contains(&n) => n,
                _ => {
                    return Err(paging::invalid(&format!(
                        "step '{v}' is not a number of days from 1 to 366"
                    )));
                }
            },
        };
        if end < start {
            return Err(paging::invalid("endDate is before startDate"));
        }
        if (end - start) / step + 1 > MAX_HISTORY_POINTS {
            return Err(paging::invalid(&format!(
                "At most {MAX_HISTORY_POINTS} points: ask for a shorter range or a longer step"
            )));
        }
        let (b, now) = broker::at_now(state);
        let book = b.book(account.id);
        let first = history::opened(book).map_or(i64::MAX, |t| clock::ny_date(clock::unix_secs(t)));
        let today = clock::ny_date(clock::unix_secs(now));
        let days: Vec<i64> = (0..)
            .map(|k| start + k * step)
            .take_while(|&d| d <= end.min(today))
            .filter(|&d| d >= first)
            .collect();
        let instants: Vec<Ticks> = days
            .iter()
            .map(|&d| ((clock::open_secs(d) + clock::SESSION_SECS) * TICKS_PER_SEC).min(now))
            .collect();
        let values = history::equity_at(book, &state.market, &instants);
        let points: Vec<Json> = days
            .iter()
            .zip(values)
            .map(|(&d, v)| {
                Json::from(
                    Obj::new()
                        .with("Date", clock::iso(d * 86_400 * TICKS_PER_SEC))
                        .with("Value", v),
                )
            })
            .collect();
        Ok(Reply::json(200, points))
    })())
}

/// A GUID-shaped id derived from a number (stable across runs).
fn stable_guid(n: i64) -> String {
    format!("5a1d{n:04x}-0000-4000-8000-{n:012x}")
}

/// `GET accounts/{accountId}`: `[AccountModel]`, the account's record with its balances.
/// This route alone answers 404 for an id that is no account (the others answer 500).
pub fn record(state: &State, call: &Call) -> Reply {
    answer((|| {
        let raw = call.param("accountId");
        if raw == "@me" {
            return Err(reply::invalid_request());
        }
        let id: i64 = raw.parse().map_err(|_| reply::invalid_request())?;
        let account = state
            .account(id)
            .ok_or_else(|| reply::message(404, format!("Account {id} was not found.")))?;
        if account.owner_id != call.session().user_id {
            return Err(reply::denied());
        }
        let owner = state
            .user(account.owner_id)
            .ok_or_else(reply::server_error)?;
        let (b, now) = broker::at_now(state);
        let c = order_checks::commitments(&state.market, &b.orders, account.id, now, None);
        let book = b.book(account.id);
        let bal = balances::balances(book, &state.market, now, &c);
        let created = history::opened(book).map_or_else(|| clock::iso(0), clock::iso);
        let open_pl_percent = if bal.cost_basis.abs() > 1e-9 {
            cents(bal.open_pl / bal.cost_basis * 100.0)
        } else {
            0.0
        };
        let model = Obj::new()
            .with("Id", account.id)
            .with("ClearingAccount", account.clearing_account)
            .with("FirstName", owner.first_name)
            .opt("MiddleName", owner.middle_name)
            .with("LastName", owner.last_name)
            .with("Login", owner.login)
            .with("Email", owner.email)
            .with("CreatedDate", created.as_str())
            .with("ModifiedDate", created.as_str())
            .with("Enabled", account.enabled)
            .with("IsChanged", false)
            .with("Cash", bal.cash)
            .with("Currency", account.currency)
            .with("Status", "Approved")
            .with("CommissionPlan", "Simulator")
            .with("OptionLevel", if book.margin { 4 } else { 2 })
            .with("MarginType", account.margin_type)
            .with("OwnerType", account.owner_type)
            .with("DayTradingBuyingPower", bal.day_trading_bp)
            .with("DayTrades", bal.day_trades as i64)
            .with("IsAverageAccount", false)
            .with("ClearingFirm", account.clearing_firm)
            .with("ExcessEquity", bal.excess)
            .with("EquityTotal", bal.equity)
            .with("AccountName", account.alias)
            .with("UnsettledCash", 0.0)
            .with(
                "MarketValue",
                cents(bal.long_mv + bal.short_mv + bal.option_long_mv + bal.option_short_mv),
            )
            .with("OpenPL", bal.open_pl)
            .with("OpenPLPercent", open_pl_percent)
            .with(
                "AvailableToWithdraw",
                cents((bal.cash - bal.pending_cash).max(0.0)),
            )
            .with("UserId", owner.id);
        Ok(Reply::json(200, vec![model]))
    })())
}

/// `GET accounts/{accountId}/details`: the account's opening record (`AMSAccountModel`).
pub fn details(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = account(state, call)?;
        let owner = state
            .user(account.owner_id)
            .ok_or_else(reply::server_error)?;
        let (b, _) = broker::at_now(state);
        let created = history::opened(b.book(account.id)).map_or_else(|| clock::iso(0), clock::iso);
        let customer = if account.owner_type == "Joint" {
            "Joint"
        } else {
            "Individual"
        };
        Ok(Reply::json(
            200,
            Obj::new()
                .with("Id", stable_guid(account.id))
                .with("CreatedAt", created)
                .with("AccountProvider", "PaperTrading")
                .with("FormType", "Direct")
                .with("User", owner.login)
                .with("ClearingAccountNumber", account.clearing_account)
                .with("IsOpened", true)
                .with("CustomerType", customer),
        ))
    })())
}
