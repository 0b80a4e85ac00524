//! How a trading method hands back the broker's answer: as checked JSON text (`String`), or as
//! whatever a caller builds from it (the C layer's typed results), read in one pass inside the
//! call, so that a garbled answer is retried like any other transient failure of a GET.

use crate::client::api::decode::paged;
use crate::client::error::Result;
use crate::client::session::check_json;

/// What a 2xx answer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `UserInfoModel`.
    User,
    /// `[UserAccountModel]`.
    Accounts,
    /// The balance map of `accounts/{id}/info`.
    Balances,
    /// A page (or a bare array) of `PositionResource`.
    Positions,
    /// `[PositionResource]`: the positions in one ticker.
    TickerPositions,
    /// A page of `OrderResource`.
    Orders,
    /// One `OrderResource`.
    Order,
    /// A `VerifyOrderModel`.
    Preview,
    /// A page of `TransactionMapModel`.
    Transactions,
    /// `[EquityResource]`.
    Securities,
    /// One `EquityResource`.
    Security,
    /// A `ChartHistoryModel`.
    Candles,
    /// `[WatchlistModel]`.
    Watchlists,
    /// One `WatchlistModel`.
    Watchlist,
    /// The streamers' addresses.
    Streamers,
    /// One `OptionResource`, or a page of them.
    Options,
    /// `[{ExpirationDate, ExpirationType, SeriesId, SeriesType}]`.
    Expirations,
    /// `{"Expirations":[{"Expiration","CentralStrike","Options":[...]}]}`.
    OptionChain,
    /// A page of `PriceAlertInfoModel`, or one.
    PriceAlerts,
    /// `[{Key, Date, Source, Header, Attachment, Content, NewsId}]`.
    News,
    /// `[{"Date","Value"}]`.
    AccountHistory,
    /// `[{"Name","MarketValue"}]`.
    PositionGroups,
    /// `[OrderDetailsModel]`.
    OrderDetails,
    /// `{"Model":VerifyOrderModel,"Errors":[],"IsSucceed":true}`.
    VerifiedOrder,
    /// The balance map of `users/{id}/balance-info`: the user's accounts added up.
    UserBalances,
    /// `[[candles], ...]`: one array per security compared.
    ComparedCandles,
    /// An object the broker documents by name only (an account's opening record, trading
    /// settings): read as a record of its values.
    Record,
}

/// Something a trading method can give back, made from the broker's 2xx answer.
pub trait Answer: Sized {
    /// Reads `body`, the answer of shape `shape`. An answer that is not the JSON expected must
    /// be refused with a garbled protocol error (`Error::garbled`), so a GET is retried.
    fn read(shape: Shape, status: u16, body: String) -> Result<Self>;
}

/// The broker's JSON text, checked to be JSON; positions always in the paged shape
/// `{Result, NextPageLink, PreviousPageLink, TotalCount}`, also when the broker answers a bare
/// array (as one of its documented examples does).
impl Answer for String {
    fn read(shape: Shape, status: u16, body: String) -> Result<Self> {
        check_json(status, &body)?;
        match shape {
            Shape::Positions => paged(body),
            _ => Ok(body),
        }
    }
}
