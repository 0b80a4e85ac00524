//! Account routes: balances (`info`), positions, position groups and
//! transactions.

use super::broker;
use super::json::{Json, Obj};
use super::paging;
use super::portfolio::{self, Position, Transaction};
use super::reply::{self, Reply};
use super::routes::Call;
use super::verify;
use super::{State, market::Security};

fn answer(result: Result<Reply, Reply>) -> Reply {
    result.unwrap_or_else(|r| r)
}

/// `GET accounts/{accountId}/info`: the flat camelCase balance map.
pub fn info(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = broker::account(state, call)?;
        let (b, now) = broker::at_now(state);
        let c = verify::commitments(&state.market, &b.orders, account.id, now, None);
        let balances = portfolio::balances(b.book(account.id), &state.market, now, &c);
        Ok(Reply::json(200, portfolio::balance_model(&balances)))
    })())
}

/// `GET accounts/{accountId}/positions` (paged).
pub fn positions(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = broker::account(state, call)?;
        let page = paging::parse(call, &paging::POSITIONS, portfolio::POSITION_SCHEMA)?;
        let (b, now) = broker::at_now(state);
        let held: Vec<(&Position, &Security)> = b
            .book(account.id)
            .positions
            .iter()
            .filter_map(|p| Some((p, state.market.by_id(p.security_id)?)))
            .collect();
        let body = page.result(
            call,
            held,
            |(p, sec), f| portfolio::position_field(p, sec, f),
            |(p, sec)| portfolio::position_model(p, account.id, sec, now).into(),
        );
        Ok(Reply::json(200, body))
    })())
}

/// `GET accounts/{accountId}/positions/{symbol}`: the positions in one
/// ticker (`[]` when none). A numeric id instead of a ticker is the
/// documented 500.
pub fn position(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = broker::account(state, call)?;
        let symbol = call.param("symbol");
        if symbol.trim().parse::<f64>().is_ok() {
            return Err(reply::server_error());
        }
        let (b, now) = broker::at_now(state);
        let found: Vec<Json> = state
            .market
            .by_symbol(symbol)
            .and_then(|sec| {
                let p = b.book(account.id).position(sec.id)?;
                Some(Json::from(portfolio::position_model(
                    p, account.id, sec, now,
                )))
            })
            .into_iter()
            .collect();
        Ok(Reply::json(200, found))
    })())
}

/// `GET accounts/{accountId}/positions/groups`: market value by asset
/// class (`Equity` for stocks and ETFs, `Cash`).
pub fn groups(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = broker::account(state, call)?;
        let (b, now) = broker::at_now(state);
        let book = b.book(account.id);
        let equity: f64 = book
            .positions
            .iter()
            .filter_map(|p| Some(p.qty * state.market.by_id(p.security_id)?.quote(now).last))
            .sum();
        let group = |name: &str, value: f64| {
            Json::from(
                Obj::new()
                    .with("Name", name)
                    .with("MarketValue", super::market::cents(value)),
            )
        };
        Ok(Reply::json(
            200,
            vec![group("Equity", equity), group("Cash", book.cash)],
        ))
    })())
}

/// `GET accounts/{accountId}/transactions` (paged, `sortBy`/`isDesc`).
pub fn transactions(state: &State, call: &Call) -> Reply {
    answer((|| {
        let account = broker::account(state, call)?;
        let page = paging::parse(call, &paging::TRANSACTIONS, portfolio::TRANSACTION_SCHEMA)?;
        let (b, _) = broker::at_now(state);
        let list: Vec<&Transaction> = b.book(account.id).transactions.iter().collect();
        let body = page.result(
            call,
            list,
            |t, f| portfolio::transaction_field(t, f),
            |t| portfolio::transaction_model(t).into(),
        );
        Ok(Reply::json(200, body))
    })())
}
