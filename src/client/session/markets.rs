//! Options, price alerts, news, account history, position groups, and the pages of securities:
//! the rest of the broker's documented routes, one method each.

use super::Session;
use crate::client::answer::{Answer, Shape};
use crate::client::api::encode::{Page, query_text, symbol};
use crate::client::error::{Error, Result};
use std::time::{Duration, UNIX_EPOCH};
use ureq::http::Method;

const ME: &str = "v1.0/users/@me";

impl Session {
    fn get_as<A: Answer>(&self, path: &str, shape: Shape) -> Result<A> {
        self.call_read(Method::GET, path, None, |status, body| {
            A::read(shape, status, body)
        })
    }

    /// `GET options/{symbol}` (an OSI symbol such as `AAPL  261218C00190000`) or
    /// `GET options/{id}`: OptionResource.
    pub fn option<A: Answer>(&self, symbol_or_id: &str) -> Result<A> {
        self.get_as(
            &format!("v1.0/options/{}", symbol(symbol_or_id)?),
            Shape::Options,
        )
    }

    /// `GET options/expirations?underlying=`: the expirations of an underlying's options.
    pub fn option_expirations<A: Answer>(&self, underlying: &str) -> Result<A> {
        let path = format!(
            "v1.0/options/expirations?underlying={}",
            query_text("underlying", underlying)?
        );
        self.get_as(&path, Shape::Expirations)
    }

    /// `GET options/optionChain/{symbol}`, with the broker's filter (e.g. `Range = 1`,
    /// `Expiration = #2026-12-18T00:00:00Z#`): every option of every expiration listed.
    pub fn option_chain<A: Answer>(&self, underlying: &str, filter: Option<&str>) -> Result<A> {
        let mut path = format!("v1.0/options/optionChain/{}", symbol(underlying)?);
        if let Some(filter) = filter.filter(|f| !f.trim().is_empty()) {
            path.push_str("?filter=");
            path.push_str(&query_text("filter", filter)?);
        }
        self.get_as(&path, Shape::OptionChain)
    }

    /// `GET options` paged, with the broker's filter.
    pub fn options<A: Answer>(&self, filter: Option<&str>, page: Page) -> Result<A> {
        self.get_as(&paged_path("v1.0/options", filter, page)?, Shape::Options)
    }

    /// `GET equities` paged, with the broker's filter.
    pub fn equities<A: Answer>(&self, filter: Option<&str>, page: Page) -> Result<A> {
        self.get_as(
            &paged_path("v1.0/equities", filter, page)?,
            Shape::Securities,
        )
    }

    /// `GET users/@me/pricealerts` (this route pages with `sortBy`/`isDesc`).
    pub fn price_alerts<A: Answer>(&self, page: Page) -> Result<A> {
        let path = format!(
            "{ME}/pricealerts?pageNumber={}&pageSize={}&sortBy=Id&isDesc=false",
            page.number, page.size
        );
        self.get_as(&path, Shape::PriceAlerts)
    }

    /// `GET users/@me/pricealerts/{id}`.
    pub fn price_alert<A: Answer>(&self, alert_id: i64) -> Result<A> {
        self.get_as(&format!("{ME}/pricealerts/{alert_id}"), Shape::PriceAlerts)
    }

    /// `POST users/@me/pricealerts` with `{State, Operator, SecurityId, Field, Argument,
    /// ExpirationDate}`.
    pub fn create_price_alert<A: Answer>(&self, alert_json: &str) -> Result<A> {
        let body = alert(alert_json)?;
        self.call_read(
            Method::POST,
            &format!("{ME}/pricealerts"),
            Some(&body),
            |status, body| A::read(Shape::PriceAlerts, status, body),
        )
    }

    /// `PUT users/@me/pricealerts/{id}`: changes an alert.
    pub fn update_price_alert<A: Answer>(&self, alert_id: i64, alert_json: &str) -> Result<A> {
        let body = alert(alert_json)?;
        self.call_read(
            Method::PUT,
            &format!("{ME}/pricealerts/{alert_id}"),
            Some(&body),
            |status, body| A::read(Shape::PriceAlerts, status, body),
        )
    }

    /// `DELETE users/@me/pricealerts/{id}`.
    pub fn delete_price_alert(&self, alert_id: i64) -> Result<()> {
        self.call(
            Method::DELETE,
            &format!("{ME}/pricealerts/{alert_id}"),
            None,
        )
        .map(drop)
    }

    /// `GET news?symbol=`.
    pub fn news<A: Answer>(&self, ticker: &str) -> Result<A> {
        let path = format!("v1.0/news?symbol={}", query_text("symbol", ticker)?);
        self.get_as(&path, Shape::News)
    }

    /// `GET news/corporate-actions?symbol=`.
    pub fn corporate_actions<A: Answer>(&self, ticker: &str) -> Result<A> {
        let path = format!(
            "v1.0/news/corporate-actions?symbol={}",
            query_text("symbol", ticker)?
        );
        self.get_as(&path, Shape::News)
    }

    /// `GET accounts/{id}/history?startDate=&endDate=&step=1`: the account's value per day
    /// between two instants (Unix ms).
    pub fn account_history<A: Answer>(
        &self,
        account_id: i64,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<A> {
        if from_ms < 0 || to_ms < from_ms {
            return Err(Error::invalid_argument(format!(
                "history from {from_ms} to {to_ms} ms: need 0 <= from <= to"
            )));
        }
        let path = format!(
            "v1.0/accounts/{account_id}/history?startDate={}&endDate={}&step=1",
            iso(from_ms),
            iso(to_ms)
        );
        self.get_as(&path, Shape::AccountHistory)
    }

    /// `GET accounts/{id}/positions/groups`: market value by asset class.
    pub fn position_groups<A: Answer>(&self, account_id: i64) -> Result<A> {
        self.get_as(
            &format!("v1.0/accounts/{account_id}/positions/groups"),
            Shape::PositionGroups,
        )
    }

    /// `GET accounts/{id}/orders/{orderId}/details`: the order's state history.
    pub fn order_details<A: Answer>(&self, account_id: i64, order_id: i64) -> Result<A> {
        self.get_as(
            &format!("v1.0/accounts/{account_id}/orders/{order_id}/details"),
            Shape::OrderDetails,
        )
    }

    /// `GET accounts/{id}/verified/orders/{orderId}`: the broker's verification of the order.
    pub fn verified_order<A: Answer>(&self, account_id: i64, order_id: i64) -> Result<A> {
        self.get_as(
            &format!("v1.0/accounts/{account_id}/verified/orders/{order_id}"),
            Shape::VerifiedOrder,
        )
    }

    /// `GET accounts/{id}/details`: the account's opening record (shape undocumented).
    pub fn account_details<A: Answer>(&self, account_id: i64) -> Result<A> {
        self.get_as(
            &format!("v1.0/accounts/{account_id}/details"),
            Shape::Record,
        )
    }

    /// `GET users/@me/balance-info`: the balance map of all the user's accounts together.
    pub fn user_balances<A: Answer>(&self) -> Result<A> {
        self.get_as(&format!("{ME}/balance-info"), Shape::UserBalances)
    }

    /// `GET users/@me/settings/trading`: the user's trading settings.
    pub fn trading_settings<A: Answer>(&self) -> Result<A> {
        self.get_as(&format!("{ME}/settings/trading"), Shape::Record)
    }

    /// `PUT users/@me/settings/trading` with the settings to change (a JSON object; what it does
    /// not name stays): the settings as they are then.
    pub fn set_trading_settings<A: Answer>(&self, changes_json: &str) -> Result<A> {
        let body = object(changes_json, "trading settings")?;
        self.call_read(
            Method::PUT,
            &format!("{ME}/settings/trading"),
            Some(&body),
            |status, body| A::read(Shape::Record, status, body),
        )
    }

    /// `POST history/export` with a ChartHistoryRequestModel: the candles as a spreadsheet file
    /// (xlsx), its bytes.
    pub fn export_price_history(&self, request_json: &str) -> Result<Vec<u8>> {
        let body = object(request_json, "price history request")?;
        self.call_for_file(Method::POST, "v1.0/history/export", Some(&body))
    }

    /// `PUT history/compare` with a ChartCompareRequestModel: candles per security.
    pub fn compare_price_history<A: Answer>(&self, request_json: &str) -> Result<A> {
        let body = object(request_json, "price comparison request")?;
        self.call_query(
            Method::PUT,
            "v1.0/history/compare",
            Some(&body),
            |status, body| A::read(Shape::ComparedCandles, status, body),
        )
    }
}

fn paged_path(route: &str, filter: Option<&str>, page: Page) -> Result<String> {
    let mut path = format!(
        "{route}?pageNumber={}&pageSize={}&sortField=Id&desc=false",
        page.number, page.size
    );
    if let Some(filter) = filter.filter(|f| !f.trim().is_empty()) {
        path.push_str("&filter=");
        path.push_str(&query_text("filter", filter)?);
    }
    Ok(path)
}

/// A price alert body must be a JSON object.
fn alert(json: &str) -> Result<String> {
    object(json, "price alert")
}

/// `json`, which must be a JSON object (`what` names it in the error).
fn object(json: &str, what: &str) -> Result<String> {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(_)) => Ok(json.to_owned()),
        _ => Err(Error::invalid_argument(format!(
            "{what} must be a JSON object"
        ))),
    }
}

/// An instant as the ISO text the history route takes (`2026-11-27T00:00:00Z`).
fn iso(ms: i64) -> String {
    let secs = ms.div_euclid(1000) as u64;
    let t = UNIX_EPOCH + Duration::from_secs(secs);
    let days = t
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    let rem = secs % 86_400;
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_instants_are_iso_utc() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso(1_551_101_620_902), "2019-02-25T13:33:40Z");
        assert_eq!(iso(1_795_737_600_000), "2026-11-27T00:00:00Z");
    }
}
