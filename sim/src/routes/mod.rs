//! The route table and the handlers, one file per API area.
//!
//! - [`auth`]: `POST /api/token` (sign-in and its second steps) and
//!   `POST /api/logout`.
//! - [`users`]: `users/{userId}/info`, `users/{userId}/accounts` and
//!   `users/{userId}/balance-info`; [`settings`]: `users/{userId}/settings/trading`.
//! - [`accounts`]: an account's record, opening record, balances, value history,
//!   positions, position groups and transactions, and the account check every
//!   `accounts/{accountId}/…` route makes.
//! - [`orders`]: place, preview, list, get, replace, cancel, state history and
//!   verified orders, under `orders` and the same under `syncorders`;
//!   [`order_resources`] holds the order bodies on the wire.
//! - [`equities`] (lookup, one equity), [`options`] (options, expirations, chains, the
//!   paged equity and option lists), [`history`] (candles), [`news`] (news and corporate
//!   actions), [`watchlists`], [`alerts`] (price alerts), [`streamers`]: their API areas.
//! - [`sim`]: the simulator's own routes under `/sim/` (clock, outbox, fault
//!   rules and counters).
//!
//! Every route under `/api` and the open `/sim/` routes are rows of
//! [`ROUTES`]; new endpoints are new rows. The admin routes (`/sim/faults`,
//! `/sim/stats`) are answered before routing, see [`sim::is_admin`].

pub mod account_resources;
pub mod accounts;
pub mod alerts;
pub mod auth;
pub mod equities;
pub mod history;
pub mod news;
pub mod options;
pub mod order_resources;
pub mod orders;
pub mod settings;
pub mod sim;
pub mod streamers;
pub mod users;
pub mod watchlists;

use crate::http::router::{Guard, Route};

pub static ROUTES: &[Route] = &[
    Route {
        method: "POST",
        pattern: "/api/token",
        guard: Guard::AppKey,
        handler: auth::token,
    },
    Route {
        method: "POST",
        pattern: "/api/logout",
        guard: Guard::Bearer,
        handler: auth::logout,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/users/{userId:user}/info",
        guard: Guard::Bearer,
        handler: users::info,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/users/{userId:user}/accounts",
        guard: Guard::Bearer,
        handler: users::accounts,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/users/{userId:user}/balance-info",
        guard: Guard::Bearer,
        handler: users::balance_info,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/users/{userId:user}/settings/trading",
        guard: Guard::Bearer,
        handler: settings::get,
    },
    Route {
        method: "PUT",
        pattern: "/api/v1.0/users/{userId:user}/settings/trading",
        guard: Guard::Bearer,
        handler: settings::put,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}",
        guard: Guard::Bearer,
        handler: accounts::record,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}/details",
        guard: Guard::Bearer,
        handler: accounts::details,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}/history",
        guard: Guard::Bearer,
        handler: accounts::history,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}/info",
        guard: Guard::Bearer,
        handler: accounts::info,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}/positions",
        guard: Guard::Bearer,
        handler: accounts::positions,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}/positions/groups",
        guard: Guard::Bearer,
        handler: accounts::groups,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}/positions/{symbol}",
        guard: Guard::Bearer,
        handler: accounts::position,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}/transactions",
        guard: Guard::Bearer,
        handler: accounts::transactions,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}/orders",
        guard: Guard::Bearer,
        handler: orders::list,
    },
    Route {
        method: "POST",
        pattern: "/api/v1.0/accounts/{accountId:account}/orders",
        guard: Guard::Bearer,
        handler: orders::place,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}/orders/{orderId:int}",
        guard: Guard::Bearer,
        handler: orders::get,
    },
    Route {
        method: "PUT",
        pattern: "/api/v1.0/accounts/{accountId:account}/orders/{orderId:int}",
        guard: Guard::Bearer,
        handler: orders::replace,
    },
    Route {
        method: "DELETE",
        pattern: "/api/v1.0/accounts/{accountId:account}/orders/{orderId:int}",
        guard: Guard::Bearer,
        handler: orders::cancel,
    },
    Route {
        method: "POST",
        pattern: "/api/v1.0/accounts/{accountId:account}/preview/orders",
        guard: Guard::Bearer,
        handler: orders::preview,
    },
    Route {
        method: "PUT",
        pattern: "/api/v1.0/accounts/{accountId:account}/preview/orders/{orderId:int}",
        guard: Guard::Bearer,
        handler: orders::preview_replace,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}/verified/orders/{orderId:int}",
        guard: Guard::Bearer,
        handler: orders::verified,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}/orders/{orderId:int}/details",
        guard: Guard::Bearer,
        handler: orders::details,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}/syncorders",
        guard: Guard::Bearer,
        handler: orders::list,
    },
    Route {
        method: "POST",
        pattern: "/api/v1.0/accounts/{accountId:account}/syncorders",
        guard: Guard::Bearer,
        handler: orders::place,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/accounts/{accountId:account}/syncorders/{orderId:int}",
        guard: Guard::Bearer,
        handler: orders::get,
    },
    Route {
        method: "PUT",
        pattern: "/api/v1.0/accounts/{accountId:account}/syncorders/{orderId:int}",
        guard: Guard::Bearer,
        handler: orders::replace,
    },
    Route {
        method: "DELETE",
        pattern: "/api/v1.0/accounts/{accountId:account}/syncorders/{orderId:int}",
        guard: Guard::Bearer,
        handler: orders::cancel,
    },
    Route {
        method: "POST",
        pattern: "/api/v1.0/accounts/{accountId:account}/preview/syncorders",
        guard: Guard::Bearer,
        handler: orders::preview,
    },
    Route {
        method: "PUT",
        pattern: "/api/v1.0/accounts/{accountId:account}/preview/syncorders/{orderId:int}",
        guard: Guard::Bearer,
        handler: orders::preview_replace,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/equities",
        guard: Guard::Bearer,
        handler: options::equities,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/equities/lookup",
        guard: Guard::Bearer,
        handler: equities::lookup,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/equities/{symbol}",
        guard: Guard::Bearer,
        handler: equities::get,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/options",
        guard: Guard::Bearer,
        handler: options::list,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/options/expirations",
        guard: Guard::Bearer,
        handler: options::expirations,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/options/optionChain/{symbol}",
        guard: Guard::Bearer,
        handler: options::chain,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/options/{symbol}",
        guard: Guard::Bearer,
        handler: options::get,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/news",
        guard: Guard::Bearer,
        handler: news::list,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/news/corporate-actions",
        guard: Guard::Bearer,
        handler: news::corporate,
    },
    Route {
        method: "PUT",
        pattern: "/api/v1.0/history/symbols",
        guard: Guard::Bearer,
        handler: history::symbols,
    },
    Route {
        method: "PUT",
        pattern: "/api/v1.0/history/compare",
        guard: Guard::Bearer,
        handler: history::compare,
    },
    Route {
        method: "POST",
        pattern: "/api/v1.0/history/export",
        guard: Guard::Bearer,
        handler: history::export,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/users/{userId:user}/watchlists",
        guard: Guard::Bearer,
        handler: watchlists::list,
    },
    Route {
        method: "POST",
        pattern: "/api/v1.0/users/{userId:user}/watchlists",
        guard: Guard::Bearer,
        handler: watchlists::create,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/users/{userId:user}/watchlists/{id:int}",
        guard: Guard::Bearer,
        handler: watchlists::get,
    },
    Route {
        method: "DELETE",
        pattern: "/api/v1.0/users/{userId:user}/watchlists/{id:int}",
        guard: Guard::Bearer,
        handler: watchlists::delete,
    },
    Route {
        method: "PUT",
        pattern: "/api/v1.0/users/{userId:user}/watchlists/{id:int}/name",
        guard: Guard::Bearer,
        handler: watchlists::rename,
    },
    Route {
        method: "PUT",
        pattern: "/api/v1.0/users/{userId:user}/watchlists/{id:int}/securities",
        guard: Guard::Bearer,
        handler: watchlists::add,
    },
    Route {
        method: "DELETE",
        pattern: "/api/v1.0/users/{userId:user}/watchlists/{id:int}/securities",
        guard: Guard::Bearer,
        handler: watchlists::remove,
    },
    Route {
        method: "PUT",
        pattern: "/api/v1.0/users/{userId:user}/watchlists/{id:int}/securities/{securityId:int}",
        guard: Guard::Bearer,
        handler: watchlists::add,
    },
    Route {
        method: "DELETE",
        pattern: "/api/v1.0/users/{userId:user}/watchlists/{id:int}/securities/{securityId:int}",
        guard: Guard::Bearer,
        handler: watchlists::remove,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/users/{userId:user}/pricealerts",
        guard: Guard::Bearer,
        handler: alerts::list,
    },
    Route {
        method: "POST",
        pattern: "/api/v1.0/users/{userId:user}/pricealerts",
        guard: Guard::Bearer,
        handler: alerts::create,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/users/{userId:user}/pricealerts/{alertId:int}",
        guard: Guard::Bearer,
        handler: alerts::get,
    },
    Route {
        method: "PUT",
        pattern: "/api/v1.0/users/{userId:user}/pricealerts/{alertId:int}",
        guard: Guard::Bearer,
        handler: alerts::modify,
    },
    Route {
        method: "DELETE",
        pattern: "/api/v1.0/users/{userId:user}/pricealerts/{alertId:int}",
        guard: Guard::Bearer,
        handler: alerts::delete,
    },
    Route {
        method: "GET",
        pattern: "/api/v1.0/streamers",
        guard: Guard::Bearer,
        handler: streamers::list,
    },
    Route {
        method: "PUT",
        pattern: "/api/v1.0/streamers/session/recover",
        guard: Guard::Bearer,
        handler: streamers::recover,
    },
    Route {
        method: "GET",
        pattern: "/sim/clock",
        guard: Guard::Open,
        handler: sim::clock,
    },
    Route {
        method: "GET",
        pattern: "/sim/outbox/{username}",
        guard: Guard::Open,
        handler: sim::outbox,
    },
];
