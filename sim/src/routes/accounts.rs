//! Account routes: balances (`info`), positions, position groups and
//! transactions, and the account check every `accounts/{accountId}/…`
//! route makes (the bodies they answer are in `routes::account_resources`).

use crate::State;
use crate::http::paging;
use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::{Json, Obj};
use crate::market::prices::cents;
use crate::market::securities::Security;
use crate::routes::account_resources as resources;
use crate::trading::portfolio::{Position, Transaction};
use crate::trading::{balances, broker, order_checks};
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
        let held: Vec<(&Position, &Security)> = b
            .book(account.id)
            .positions
            .iter()
            .filter_map(|p| Some((p, state.market.by_id(p.security_id)?)))
            .collect();
        let body = page.result(
            call,
            held,
            |(p, sec), f| resources::position_field(p, sec, f),
            |(p, sec)| resources::position_model(p, account.id, sec, now).into(),
        );
        Ok(Reply::json(200, body))
    })())
}

/// `GET accounts/{accountId}/positions/{symbol}`: the positions in one
/// ticker (`[]` when none). A numeric id instead of a ticker is the
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
            .by_symbol(symbol)
            .and_then(|sec| {
                let p = b.book(account.id).position(sec.id)?;
                Some(Json::from(resources::position_model(
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
        let account = account(state, call)?;
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
                    .with("MarketValue", cents(value)),
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
