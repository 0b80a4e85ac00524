//! The user routes: `GET users/{userId}/info`, `GET users/{userId}/accounts` and
//! `GET users/{userId}/balance-info`, and the check of `{userId}` that the
//! watchlist, price alert and settings routes share.

use crate::State;
use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::{Json, Obj};
use crate::market::timestamps;
use crate::routes::account_resources;
use crate::trading::balances::{self, Balances};
use crate::trading::{broker, order_checks};
use crate::users::{Account, User};

/// `UserInfoModel`, properties in documented order, absent ones omitted.
pub fn user_info(user: &User) -> Obj {
    Obj::new()
        .with("UserId", user.id)
        .with("FirstName", user.first_name)
        .opt("MiddleName", user.middle_name)
        .with("LastName", user.last_name)
        .with("Login", user.login)
        .with("Email", user.email)
        .with("Role", user.role)
        .with("AddedDate", timestamps::format_iso(user.added))
        .opt("Salutation", user.salutation)
        .opt("Suffix", user.suffix)
}

/// `UserAccountModel`, with `IsAverageAccount` and `Currency` where the
/// broker's schema places them.
fn account_model(state: &State, account: &Account) -> Obj {
    let owners: Vec<Json> = state
        .user(account.owner_id)
        .map(|owner| Json::from(user_info(owner)))
        .into_iter()
        .collect();
    Obj::new()
        .with("Id", account.id)
        .with("ClearingAccount", account.clearing_account)
        .with("AccessType", account.access_type)
        .with("MarginType", account.margin_type)
        .with("OwnerType", account.owner_type)
        .with("Enabled", account.enabled)
        .with("Alias", account.alias)
        .with("ClearingFirm", account.clearing_firm)
        .with("IsAverageAccount", false)
        .with("Owners", owners)
        .with("Currency", account.currency)
}

/// The user named by `{userId}` if the caller may see it: `@me` or the
/// caller's own id. Another user's id is 401; an id of nobody is the
/// broker's 500 "Value cannot be null" body.
pub fn target<'s>(state: &'s State, call: &Call) -> Result<&'s User, Reply> {
    let me = call.session().user_id;
    let raw = call.param("userId");
    let id = if raw == "@me" {
        me
    } else {
        raw.parse()
            .expect("route constraint admits only integers and @me")
    };
    let user = state.user(id).ok_or_else(reply::no_such_user)?;
    if id != me {
        return Err(reply::denied());
    }
    Ok(user)
}

/// `GET /api/v1.0/users/{userId}/info`
pub fn info(state: &State, call: &Call) -> Reply {
    match target(state, call) {
        Ok(user) => Reply::json(200, user_info(user)),
        Err(reply) => reply,
    }
}

/// `GET /api/v1.0/users/{userId}/accounts`
pub fn accounts(state: &State, call: &Call) -> Reply {
    match target(state, call) {
        Ok(user) => {
            let list: Vec<Json> = user
                .accounts
                .iter()
                .filter_map(|id| state.account(*id))
                .map(|a| Json::from(account_model(state, a)))
                .collect();
            Reply::json(200, list)
        }
        Err(reply) => reply,
    }
}

/// `GET /api/v1.0/users/{userId}/balance-info`: the balance map of `accounts/{id}/info`
/// with the user's accounts added up (the broker leaves this shape undocumented; the
/// simulator answers the sum).
pub fn balance_info(state: &State, call: &Call) -> Reply {
    let user = match target(state, call) {
        Ok(user) => user,
        Err(reply) => return reply,
    };
    let (b, now) = broker::at_now(state);
    let all: Vec<Balances> = user
        .accounts
        .iter()
        .map(|&id| {
            let c = order_checks::commitments(&state.market, &b.orders, id, now, None);
            balances::balances(b.book(id), &state.market, now, &c)
        })
        .collect();
    Reply::json(
        200,
        account_resources::balance_model(&Balances::total(&all)),
    )
}
