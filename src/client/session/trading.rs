//! The documented trading surface, one method each: user and accounts, balances, positions,
//! orders (place, preview, replace, cancel, wait, find by ClientId), transactions, equities,
//! price history, watchlists, streamers. Answers are the broker's JSON text, passed through
//! unparsed unless the method must look inside (paging shape, business rejects, order status).

use crate::client::answer::{Answer, Shape};
use crate::client::api::decode::{
    not_rejected, order_id_of, order_with_client_id, page_is_last, readable_after_change, status_of,
};
use crate::client::api::encode::{Page, query_text, symbol};
use crate::client::api::order::{NewOrder, check_client_id, is_terminal, modify_order_json};
use crate::client::error::{Error, ErrorKind, Result};
use crate::client::session::Session;
use crate::client::session::check_json;
use serde_json::Value;
use std::time::{Duration, Instant};
use ureq::http::Method;

/// The positions route's documented page size limit (the other lists allow 100).
const MAX_POSITIONS_PAGE: i32 = 99;

/// How many pages of 100 orders `find_order_by_client_id` reads when it must scan.
const SCAN_PAGES: i32 = 10;

/// The user the token belongs to; the broker accepts `@me` for every `{userId}`.
const ME: &str = "v1.0/users/@me";

impl Session {
    /// A GET whose answer is read as `A` (text or a typed result) in the same pass that checks it.
    fn get<A: Answer>(&self, path: &str, shape: Shape) -> Result<A> {
        self.call_read(Method::GET, path, None, |status, body| {
            A::read(shape, status, body)
        })
    }

    /// `GET users/@me/info`: UserInfoModel.
    pub fn user_info<A: Answer>(&self) -> Result<A> {
        self.get(&format!("{ME}/info"), Shape::User)
    }

    /// `GET users/@me/accounts`: [UserAccountModel].
    pub fn accounts<A: Answer>(&self) -> Result<A> {
        self.get(&format!("{ME}/accounts"), Shape::Accounts)
    }

    /// `GET accounts/{id}`: `[AccountModel]`, the account's full record (404 when there is no
    /// such account). Read with the `UserAccountModel` fields both carry.
    pub fn account<A: Answer>(&self, account_id: i64) -> Result<A> {
        self.get(&format!("v1.0/accounts/{account_id}"), Shape::Accounts)
    }

    /// `GET accounts/{id}/info`: the balance map (camelCase keys).
    pub fn account_info<A: Answer>(&self, account_id: i64) -> Result<A> {
        self.get(&format!("v1.0/accounts/{account_id}/info"), Shape::Balances)
    }

    /// `GET accounts/{id}/positions`, a page (or, in one documented example, a bare array) of
    /// PositionResource. The broker pages positions by at most 99.
    pub fn positions<A: Answer>(&self, account_id: i64, page: Page) -> Result<A> {
        if page.size > MAX_POSITIONS_PAGE {
            return Err(Error::invalid_argument(format!(
                "page size {} is out of range for positions: 1 to {MAX_POSITIONS_PAGE}",
                page.size
            )));
        }
        let path = format!(
            "v1.0/accounts/{account_id}/positions?pageNumber={}&pageSize={}&sortField=Id&desc=false",
            page.number, page.size
        );
        self.get(&path, Shape::Positions)
    }

    /// `GET accounts/{id}/positions/{symbol}`: [PositionResource].
    pub fn position<A: Answer>(&self, account_id: i64, ticker: &str) -> Result<A> {
        let path = format!("v1.0/accounts/{account_id}/positions/{}", symbol(ticker)?);
        self.get(&path, Shape::TickerPositions)
    }

    /// `GET accounts/{id}/orders`, with the broker's filter expression (e.g. `Status in (0,1)`).
    pub fn orders<A: Answer>(
        &self,
        account_id: i64,
        filter: Option<&str>,
        page: Page,
    ) -> Result<A> {
        let mut path = format!(
            "v1.0/accounts/{account_id}/orders?pageNumber={}&pageSize={}",
            page.number, page.size
        );
        if let Some(filter) = filter.filter(|f| !f.trim().is_empty()) {
            path.push_str("&filter=");
            path.push_str(&query_text("filter", filter)?);
        }
        self.get(&path, Shape::Orders)
    }

    /// `GET accounts/{id}/orders/{orderId}`: OrderResource.
    pub fn order<A: Answer>(&self, account_id: i64, order_id: i64) -> Result<A> {
        self.get(
            &format!("v1.0/accounts/{account_id}/orders/{order_id}"),
            Shape::Order,
        )
    }

    /// `POST accounts/{id}/orders`: places a checked order. Gives the broker's OrderResource
    /// (status `PendingNew` at first: follow it with `order` or `wait_for_order`).
    pub fn place_order<A: Answer>(&self, account_id: i64, order: &NewOrder) -> Result<A> {
        let path = format!("v1.0/accounts/{account_id}/{}", self.orders_route());
        let reply = self.call_read(
            Method::POST,
            &path,
            Some(&order.to_json()),
            |status, body| A::read(Shape::Order, status, readable_after_change(body)?),
        );
        // Whatever went wrong, the caller can look the order up by its ClientId.
        reply.map_err(|e| e.with_client_id(order.client_id()))
    }

    /// Finds an order by its `ClientId`, e.g. after `OutcomeUnknown`: `Some(order JSON)`, or
    /// `None` when the broker has no such order (so it was never accepted). Uses the orders
    /// filter, and pages through the newest orders when the broker refuses that filter.
    pub fn find_order_by_client_id<A: Answer>(
        &self,
        account_id: i64,
        client_id: &str,
    ) -> Result<Option<A>> {
        let found = self.find_order_json(account_id, client_id)?;
        found
            .map(|json| A::read(Shape::Order, 200, json))
            .transpose()
    }

    fn find_order_json(&self, account_id: i64, client_id: &str) -> Result<Option<String>> {
        check_client_id(client_id)?;
        let filtered = self.orders::<String>(
            account_id,
            Some(&format!("ClientId = '{client_id}'")),
            Page {
                number: 0,
                size: 10,
            },
        );
        let (pages, filtered) = match filtered {
            Ok(json) => (vec![json], true),
            Err(e) if e.kind() == ErrorKind::Http && e.http().is_some_and(|h| h.status == 400) => {
                (Vec::new(), false)
            }
            Err(e) => return Err(e),
        };
        for json in pages {
            if let Some(order) = order_with_client_id(&json, client_id)? {
                return Ok(Some(order));
            }
        }
        if filtered {
            return Ok(None);
        }
        for number in 0..SCAN_PAGES {
            let path = format!(
                "v1.0/accounts/{account_id}/orders?pageNumber={number}&pageSize={}&sortField=Id&desc=true",
                Page::MAX_SIZE
            );
            let json: String = self.get(&path, Shape::Orders)?;
            if let Some(order) = order_with_client_id(&json, client_id)? {
                return Ok(Some(order));
            }
            if page_is_last(&json) {
                break;
            }
        }
        Ok(None)
    }

    /// `place_order`, giving the new order's `Id`.
    pub fn place_order_id(&self, account_id: i64, order: &NewOrder) -> Result<i64> {
        let json: String = self.place_order(account_id, order)?;
        order_id_of(&json).ok_or_else(|| {
            Error::new(
                ErrorKind::Protocol,
                format!(
                    "order {} was placed, but the answer carries no Id: {json}",
                    order.client_id()
                ),
            )
        })
    }

    /// `POST accounts/{id}/preview/orders`: commission, cost, quote. A business reject (200 with
    /// `IsSuccessful:false`) is `ErrorKind::Rejected`.
    pub fn preview_order<A: Answer>(&self, account_id: i64, order: &NewOrder) -> Result<A> {
        let path = format!("v1.0/accounts/{account_id}/preview/orders");
        let body = self.query(Method::POST, &path, Some(&order.to_json()))?;
        let body = not_rejected(&format!("POST {path}"), body)?;
        A::read(Shape::Preview, 200, body)
    }

    /// `PUT accounts/{id}/orders/{orderId}` with a ModifyOrderResource (`Id` is set from
    /// `order_id`). A business reject is `ErrorKind::Rejected`; a finished order is HTTP 409.
    pub fn replace_order<A: Answer>(
        &self,
        account_id: i64,
        order_id: i64,
        changes_json: &str,
    ) -> Result<A> {
        let body = modify_order_json(order_id, changes_json)?;
        let path = format!(
            "v1.0/accounts/{account_id}/{}/{order_id}",
            self.orders_route()
        );
        let body = self.call_read(Method::PUT, &path, Some(&body), |status, body| {
            check_json(status, &body)?;
            readable_after_change(body)
        })?;
        let body = not_rejected(&format!("PUT {path}"), body)?;
        A::read(Shape::Order, 200, body)
    }

    /// `PUT accounts/{id}/preview/orders/{orderId}` with a ModifyOrderResource: what replacing
    /// the order would cost, without changing it (a VerifyOrderModel). A business reject is
    /// `ErrorKind::Rejected`.
    pub fn preview_replace_order<A: Answer>(
        &self,
        account_id: i64,
        order_id: i64,
        changes_json: &str,
    ) -> Result<A> {
        let body = modify_order_json(order_id, changes_json)?;
        let path = format!("v1.0/accounts/{account_id}/preview/orders/{order_id}");
        let body = self.query(Method::PUT, &path, Some(&body))?;
        let body = not_rejected(&format!("PUT {path}"), body)?;
        A::read(Shape::Preview, 200, body)
    }

    /// `DELETE accounts/{id}/orders/{orderId}` (204). A finished order is HTTP 409.
    pub fn cancel_order(&self, account_id: i64, order_id: i64) -> Result<()> {
        let path = format!(
            "v1.0/accounts/{account_id}/{}/{order_id}",
            self.orders_route()
        );
        self.call(Method::DELETE, &path, None).map(drop)
    }

    /// `PUT users/@me/watchlists/{id}/name?name=`.
    pub fn rename_watchlist(&self, watchlist_id: i64, name: &str) -> Result<()> {
        if name.trim().is_empty() || name.len() > 256 {
            return Err(Error::invalid_argument(
                "watchlist name is empty or longer than 256 bytes",
            ));
        }
        let path = format!(
            "{ME}/watchlists/{watchlist_id}/name?name={}",
            query_text("name", name)?
        );
        self.call(Method::PUT, &path, None).map(drop)
    }

    /// `PUT users/@me/watchlists/{id}/securities/{securityId}`.
    pub fn add_to_watchlist_by_id(&self, watchlist_id: i64, security_id: i64) -> Result<()> {
        let path = format!("{ME}/watchlists/{watchlist_id}/securities/{security_id}");
        self.call(Method::PUT, &path, None).map(drop)
    }

    /// `DELETE users/@me/watchlists/{id}/securities/{securityId}`.
    pub fn remove_from_watchlist_by_id(&self, watchlist_id: i64, security_id: i64) -> Result<()> {
        let path = format!("{ME}/watchlists/{watchlist_id}/securities/{security_id}");
        self.call(Method::DELETE, &path, None).map(drop)
    }

    /// Polls the order until its status is terminal (Filled, Canceled, Rejected, Expired,
    /// DoneForDay, Error, Replaced) and gives it; `ErrorKind::Timeout` when `timeout` runs out first.
    pub fn wait_for_order<A: Answer>(
        &self,
        account_id: i64,
        order_id: i64,
        timeout: Duration,
    ) -> Result<A> {
        let since = self.generation();
        let deadline = Instant::now() + timeout;
        let mut pause = Duration::from_millis(20);
        loop {
            let json: String = self.order(account_id, order_id)?;
            let status = status_of(&json).map_err(|e| {
                Error::new(
                    ErrorKind::Protocol,
                    format!("order {order_id}: answer is not JSON: {e}"),
                )
            })?;
            if is_terminal(&status) {
                return A::read(Shape::Order, 200, json);
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "order {order_id} is still {status} after {} ms",
                        timeout.as_millis()
                    ),
                ));
            }
            self.pause(
                pause.min(deadline - now),
                since,
                &format!("waiting for order {order_id}"),
            )?;
            pause = (pause * 2).min(Duration::from_millis(500));
        }
    }

    /// `GET accounts/{id}/transactions` (this route pages with `sortBy`/`isDesc`), newest first.
    pub fn transactions<A: Answer>(&self, account_id: i64, page: Page) -> Result<A> {
        let path = format!(
            "v1.0/accounts/{account_id}/transactions?pageNumber={}&pageSize={}&sortBy=Date&isDesc=true",
            page.number, page.size
        );
        self.get(&path, Shape::Transactions)
    }

    /// `GET equities/{symbol}`: EquityResource.
    pub fn equity<A: Answer>(&self, ticker: &str) -> Result<A> {
        self.get(
            &format!("v1.0/equities/{}", symbol(ticker)?),
            Shape::Security,
        )
    }

    /// `GET equities/lookup?mask=&count=`: securities matching `mask`.
    pub fn lookup_equities<A: Answer>(&self, mask: &str, count: i32) -> Result<A> {
        if mask.trim().is_empty() {
            return Err(Error::invalid_argument("lookup mask is empty"));
        }
        if count < 1 {
            return Err(Error::invalid_argument(format!(
                "lookup count {count} must be at least 1"
            )));
        }
        let path = format!(
            "v1.0/equities/lookup?mask={}&count={count}",
            query_text("lookup mask", mask)?
        );
        self.get(&path, Shape::Securities)
    }

    /// `PUT history/symbols` with a ChartHistoryRequestModel: candles.
    pub fn price_history<A: Answer>(&self, request_json: &str) -> Result<A> {
        match serde_json::from_str::<Value>(request_json) {
            Ok(Value::Object(_)) => {}
            _ => {
                return Err(Error::invalid_argument(
                    "price history request must be a JSON object",
                ));
            }
        }
        // Asking for candles changes nothing: it is retried like a GET.
        self.call_query(
            Method::PUT,
            "v1.0/history/symbols",
            Some(request_json),
            |status, body| A::read(Shape::Candles, status, body),
        )
    }

    /// `GET users/@me/watchlists?includeSecurities=true`.
    pub fn watchlists<A: Answer>(&self) -> Result<A> {
        self.get(
            &format!("{ME}/watchlists?includeSecurities=true"),
            Shape::Watchlists,
        )
    }

    /// `GET users/@me/watchlists/{id}`: one WatchlistModel with its securities (404 when there
    /// is no such list).
    pub fn watchlist<A: Answer>(&self, watchlist_id: i64) -> Result<A> {
        self.get(&format!("{ME}/watchlists/{watchlist_id}"), Shape::Watchlist)
    }

    /// `POST users/@me/watchlists`: a new, empty list. A duplicate name is HTTP 409.
    pub fn create_watchlist<A: Answer>(&self, name: &str) -> Result<A> {
        if name.trim().is_empty() || name.len() > 256 {
            return Err(Error::invalid_argument(
                "watchlist name is empty or longer than 256 bytes",
            ));
        }
        let body = serde_json::json!({ "Name": name, "Securities": [] }).to_string();
        self.call_read(
            Method::POST,
            &format!("{ME}/watchlists"),
            Some(&body),
            |status, body| A::read(Shape::Watchlist, status, body),
        )
    }

    /// `DELETE users/@me/watchlists/{id}`.
    pub fn delete_watchlist(&self, watchlist_id: i64) -> Result<()> {
        self.call(
            Method::DELETE,
            &format!("{ME}/watchlists/{watchlist_id}"),
            None,
        )
        .map(drop)
    }

    /// `PUT users/@me/watchlists/{id}/securities` with `{"Symbol": ...}`.
    pub fn add_to_watchlist(&self, watchlist_id: i64, ticker: &str) -> Result<()> {
        self.watchlist_security(Method::PUT, watchlist_id, ticker)
    }

    /// `DELETE users/@me/watchlists/{id}/securities` with `{"Symbol": ...}`.
    pub fn remove_from_watchlist(&self, watchlist_id: i64, ticker: &str) -> Result<()> {
        self.watchlist_security(Method::DELETE, watchlist_id, ticker)
    }

    fn watchlist_security(&self, method: Method, watchlist_id: i64, ticker: &str) -> Result<()> {
        symbol(ticker)?;
        let body = serde_json::json!({ "Symbol": ticker }).to_string();
        self.call(
            method,
            &format!("{ME}/watchlists/{watchlist_id}/securities"),
            Some(&body),
        )
        .map(drop)
    }

    /// `GET streamers`: the quote and data streamer addresses.
    pub fn streamers<A: Answer>(&self) -> Result<A> {
        self.get("v1.0/streamers", Shape::Streamers)
    }
}
