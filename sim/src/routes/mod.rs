//! The route table and the handlers, one file per API area.
//!
//! - [`auth`]: `POST /api/token` (sign-in and its second steps) and
//!   `POST /api/logout`.
//! - [`users`]: `users/{userId}/info` and `users/{userId}/accounts`.
//! - [`accounts`]: an account's balances, positions, position groups and
//!   transactions, and the account check every `accounts/{accountId}/…`
//!   route makes.
//! - [`orders`]: place, preview, list, get, replace, cancel and verified
//!   orders; [`order_resources`] holds the order bodies on the wire.
//! - [`equities`], [`history`], [`watchlists`], [`streamers`]: their API
//!   areas.
//! - [`sim`]: the simulator's own routes under `/sim/` (clock, outbox, fault
//!   rules and counters).
//!
//! Every route under `/api` and the open `/sim/` routes are rows of
//! [`ROUTES`]; new endpoints are new rows. The admin routes (`/sim/faults`,
//! `/sim/stats`) are answered before routing, see [`sim::is_admin`].

pub mod account_resources;
pub mod accounts;
pub mod auth;
pub mod equities;
pub mod history;
pub mod order_resources;
pub mod orders;
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
        method: "PUT",
        pattern: "/api/v1.0/history/symbols",
        guard: Guard::Bearer,
        handler: history::symbols,
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
