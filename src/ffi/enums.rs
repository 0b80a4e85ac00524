//! The enumerations of the typed results, as `int32_t` codes: the broker's own numbers where it
//! documents them (order status), its order of listing otherwise. -1 (`ETNA_UNKNOWN`) is a value
//! libetna does not know; the item's `*_text` field always has the broker's spelling.

/// A value of an enumeration that libetna does not know (the `*_text` field says what it was).
pub const ETNA_UNKNOWN: i32 = -1;

/// An order's status (`EtnaOrder.status`), numbered as the broker numbers it.
pub type EtnaOrderStatus = i32;
/// `New`.
pub const ETNA_ORDER_STATUS_NEW: EtnaOrderStatus = 0;
/// `PartiallyFilled`.
pub const ETNA_ORDER_STATUS_PARTIALLY_FILLED: EtnaOrderStatus = 1;
/// `Filled`.
pub const ETNA_ORDER_STATUS_FILLED: EtnaOrderStatus = 2;
/// `DoneForDay`.
pub const ETNA_ORDER_STATUS_DONE_FOR_DAY: EtnaOrderStatus = 3;
/// `Canceled`.
pub const ETNA_ORDER_STATUS_CANCELED: EtnaOrderStatus = 4;
/// `Replaced`.
pub const ETNA_ORDER_STATUS_REPLACED: EtnaOrderStatus = 5;
/// `PendingCancel`.
pub const ETNA_ORDER_STATUS_PENDING_CANCEL: EtnaOrderStatus = 6;
/// `Stopped`.
pub const ETNA_ORDER_STATUS_STOPPED: EtnaOrderStatus = 7;
/// `Rejected`.
pub const ETNA_ORDER_STATUS_REJECTED: EtnaOrderStatus = 8;
/// `Suspended`.
pub const ETNA_ORDER_STATUS_SUSPENDED: EtnaOrderStatus = 9;
/// `PendingNew`.
pub const ETNA_ORDER_STATUS_PENDING_NEW: EtnaOrderStatus = 10;
/// `Calculated`.
pub const ETNA_ORDER_STATUS_CALCULATED: EtnaOrderStatus = 11;
/// `Expired`.
pub const ETNA_ORDER_STATUS_EXPIRED: EtnaOrderStatus = 12;
/// `AcceptedForBidding`.
pub const ETNA_ORDER_STATUS_ACCEPTED_FOR_BIDDING: EtnaOrderStatus = 13;
/// `PendingReplace`.
pub const ETNA_ORDER_STATUS_PENDING_REPLACE: EtnaOrderStatus = 14;
/// `Error`.
pub const ETNA_ORDER_STATUS_ERROR: EtnaOrderStatus = 15;
/// `Held`.
pub const ETNA_ORDER_STATUS_HELD: EtnaOrderStatus = 16;

/// An order's side (`EtnaOrder.side`).
pub type EtnaSide = i32;
/// `Buy`.
pub const ETNA_SIDE_BUY: EtnaSide = 0;
/// `Sell`.
pub const ETNA_SIDE_SELL: EtnaSide = 1;
/// `SellShort`.
pub const ETNA_SIDE_SELL_SHORT: EtnaSide = 2;
/// `BuyToCover`.
pub const ETNA_SIDE_BUY_TO_COVER: EtnaSide = 3;

/// An order's type (`EtnaOrder.type`).
pub type EtnaOrderType = i32;
/// `Market`.
pub const ETNA_ORDER_TYPE_MARKET: EtnaOrderType = 0;
/// `Limit`.
pub const ETNA_ORDER_TYPE_LIMIT: EtnaOrderType = 1;
/// `Stop`.
pub const ETNA_ORDER_TYPE_STOP: EtnaOrderType = 2;
/// `StopLimit`.
pub const ETNA_ORDER_TYPE_STOP_LIMIT: EtnaOrderType = 3;
/// `Pegged`.
pub const ETNA_ORDER_TYPE_PEGGED: EtnaOrderType = 4;
/// `TrailingStop`.
pub const ETNA_ORDER_TYPE_TRAILING_STOP: EtnaOrderType = 5;
/// `TrailingStopLimit`.
pub const ETNA_ORDER_TYPE_TRAILING_STOP_LIMIT: EtnaOrderType = 6;
/// `OneCancelOther`.
pub const ETNA_ORDER_TYPE_ONE_CANCEL_OTHER: EtnaOrderType = 7;
/// `OneTriggerOther`.
pub const ETNA_ORDER_TYPE_ONE_TRIGGER_OTHER: EtnaOrderType = 8;
/// `OneTriggerOneCancelOther`.
pub const ETNA_ORDER_TYPE_ONE_TRIGGER_ONE_CANCEL_OTHER: EtnaOrderType = 9;
/// `External`.
pub const ETNA_ORDER_TYPE_EXTERNAL: EtnaOrderType = 10;
/// `MutualFundsExchange`.
pub const ETNA_ORDER_TYPE_MUTUAL_FUNDS_EXCHANGE: EtnaOrderType = 11;
/// `StagingBlotter`.
pub const ETNA_ORDER_TYPE_STAGING_BLOTTER: EtnaOrderType = 12;

/// How long an order stays working (`EtnaOrder.time_in_force`).
pub type EtnaTimeInForce = i32;
/// `Day`.
pub const ETNA_TIF_DAY: EtnaTimeInForce = 0;
/// `GoodTillCancel`.
pub const ETNA_TIF_GOOD_TILL_CANCEL: EtnaTimeInForce = 1;
/// `AtTheOpening`.
pub const ETNA_TIF_AT_THE_OPENING: EtnaTimeInForce = 2;
/// `ImmediateOrCancel`.
pub const ETNA_TIF_IMMEDIATE_OR_CANCEL: EtnaTimeInForce = 3;
/// `FillOrKill`.
pub const ETNA_TIF_FILL_OR_KILL: EtnaTimeInForce = 4;
/// `GoodTillCrossing`.
pub const ETNA_TIF_GOOD_TILL_CROSSING: EtnaTimeInForce = 5;
/// `GoodTillDate`.
pub const ETNA_TIF_GOOD_TILL_DATE: EtnaTimeInForce = 6;
/// `GoodTillTime`.
pub const ETNA_TIF_GOOD_TILL_TIME: EtnaTimeInForce = 7;
/// `AtTheClose`.
pub const ETNA_TIF_AT_THE_CLOSE: EtnaTimeInForce = 8;
/// `GoodTillCancelPlus`.
pub const ETNA_TIF_GOOD_TILL_CANCEL_PLUS: EtnaTimeInForce = 9;
/// `GoodTillDatePlus`.
pub const ETNA_TIF_GOOD_TILL_DATE_PLUS: EtnaTimeInForce = 10;

/// What a transaction is (`EtnaTransaction.type`); fills are `ETNA_TRANSACTION_ORDER_EXECUTION`.
pub type EtnaTransactionType = i32;
/// `Undefined`.
pub const ETNA_TRANSACTION_UNDEFINED: EtnaTransactionType = 0;
/// `Commission`.
pub const ETNA_TRANSACTION_COMMISSION: EtnaTransactionType = 1;
/// `OrderExecution`.
pub const ETNA_TRANSACTION_ORDER_EXECUTION: EtnaTransactionType = 2;
/// `OptionExpiration`.
pub const ETNA_TRANSACTION_OPTION_EXPIRATION: EtnaTransactionType = 3;
/// `Payment`.
pub const ETNA_TRANSACTION_PAYMENT: EtnaTransactionType = 4;
/// `ManualManipulation`.
pub const ETNA_TRANSACTION_MANUAL_MANIPULATION: EtnaTransactionType = 5;
/// `Clearing`.
pub const ETNA_TRANSACTION_CLEARING: EtnaTransactionType = 6;
/// `Rpl`.
pub const ETNA_TRANSACTION_RPL: EtnaTransactionType = 7;

/// An account's margin type (`EtnaAccount.margin_type`).
pub type EtnaMarginType = i32;
/// `Empty`.
pub const ETNA_MARGIN_EMPTY: EtnaMarginType = 0;
/// `Cash`.
pub const ETNA_MARGIN_CASH: EtnaMarginType = 1;
/// `Margin`.
pub const ETNA_MARGIN_MARGIN: EtnaMarginType = 2;
/// `DayTrader`.
pub const ETNA_MARGIN_DAY_TRADER: EtnaMarginType = 3;
/// `MarginIra`.
pub const ETNA_MARGIN_MARGIN_IRA: EtnaMarginType = 4;

/// What the user may do with an account (`EtnaAccount.access_type`).
pub type EtnaAccessType = i32;
/// `Full`.
pub const ETNA_ACCESS_FULL: EtnaAccessType = 0;
/// `ReadOnly`.
pub const ETNA_ACCESS_READ_ONLY: EtnaAccessType = 1;
/// `ClosePositionsOnly`.
pub const ETNA_ACCESS_CLOSE_POSITIONS_ONLY: EtnaAccessType = 2;
/// `Owner`.
pub const ETNA_ACCESS_OWNER: EtnaAccessType = 3;

/// Who keeps a watchlist (`EtnaWatchlist.type`).
pub type EtnaWatchlistType = i32;
/// `UserList`.
pub const ETNA_WATCHLIST_USER_LIST: EtnaWatchlistType = 0;
/// `SystemList`.
pub const ETNA_WATCHLIST_SYSTEM_LIST: EtnaWatchlistType = 1;
/// `Snapshot`.
pub const ETNA_WATCHLIST_SNAPSHOT: EtnaWatchlistType = 2;

/// Whether an option is a call or a put (`EtnaOption.option_type`).
pub type EtnaOptionType = i32;
/// `Call`.
pub const ETNA_OPTION_CALL: EtnaOptionType = 0;
/// `Put`.
pub const ETNA_OPTION_PUT: EtnaOptionType = 1;
/// `Undefined`.
pub const ETNA_OPTION_UNDEFINED: EtnaOptionType = 2;

/// What kind of expiration an option has, numbered as the broker numbers them.
pub type EtnaExpirationType = i32;
/// `Regular`.
pub const ETNA_EXPIRATION_REGULAR: EtnaExpirationType = 0;
/// `Quarterly`.
pub const ETNA_EXPIRATION_QUARTERLY: EtnaExpirationType = 1;
/// `Weekly`.
pub const ETNA_EXPIRATION_WEEKLY: EtnaExpirationType = 2;
/// `Flex`.
pub const ETNA_EXPIRATION_FLEX: EtnaExpirationType = 3;
/// `Undefined`.
pub const ETNA_EXPIRATION_UNDEFINED: EtnaExpirationType = 4;
/// `Mini`.
pub const ETNA_EXPIRATION_MINI: EtnaExpirationType = 5;
/// `NonStandard`.
pub const ETNA_EXPIRATION_NON_STANDARD: EtnaExpirationType = 6;

/// Where a price alert stands (`EtnaPriceAlert.state`).
pub type EtnaAlertState = i32;
/// `New`.
pub const ETNA_ALERT_NEW: EtnaAlertState = 0;
/// `Expired`.
pub const ETNA_ALERT_EXPIRED: EtnaAlertState = 1;
/// `Completed`.
pub const ETNA_ALERT_COMPLETED: EtnaAlertState = 2;
/// `Stopped`.
pub const ETNA_ALERT_STOPPED: EtnaAlertState = 3;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::models::{account, alerts, options, order, portfolio, watchlist};

    /// Each constant's name spells its broker name, in the order the reader numbers them.
    fn check(prefix: &str, names: &[&str], codes: &[i32]) {
        assert_eq!(
            names.len(),
            codes.len(),
            "{prefix}: a name without a constant"
        );
        for (i, code) in codes.iter().enumerate() {
            assert_eq!(*code, i as i32, "{prefix} {}", names[i]);
        }
        let header = include_str!("../../include/etna.h");
        for (i, name) in names.iter().enumerate() {
            let mut snake = String::new();
            for (j, c) in name.char_indices() {
                let prev = name[..j].chars().last();
                if c.is_ascii_uppercase() && prev.is_some_and(|p| p.is_ascii_lowercase()) {
                    snake.push('_');
                }
                snake.push(c.to_ascii_uppercase());
            }
            let line = format!("#define ETNA_{prefix}_{snake} {i}");
            assert!(header.contains(&line), "the header lacks {line}");
        }
    }

    #[test]
    fn constants_match_the_names_the_readers_know() {
        check(
            "OPTION",
            options::OPTION_TYPES,
            &[ETNA_OPTION_CALL, ETNA_OPTION_PUT, ETNA_OPTION_UNDEFINED],
        );
        check(
            "EXPIRATION",
            options::EXPIRATION_TYPES,
            &[
                ETNA_EXPIRATION_REGULAR,
                ETNA_EXPIRATION_QUARTERLY,
                ETNA_EXPIRATION_WEEKLY,
                ETNA_EXPIRATION_FLEX,
                ETNA_EXPIRATION_UNDEFINED,
                ETNA_EXPIRATION_MINI,
                ETNA_EXPIRATION_NON_STANDARD,
            ],
        );
        check(
            "ALERT",
            alerts::ALERT_STATES,
            &[
                ETNA_ALERT_NEW,
                ETNA_ALERT_EXPIRED,
                ETNA_ALERT_COMPLETED,
                ETNA_ALERT_STOPPED,
            ],
        );
        check(
            "ORDER_STATUS",
            order::ORDER_STATUSES,
            &[
                ETNA_ORDER_STATUS_NEW,
                ETNA_ORDER_STATUS_PARTIALLY_FILLED,
                ETNA_ORDER_STATUS_FILLED,
                ETNA_ORDER_STATUS_DONE_FOR_DAY,
                ETNA_ORDER_STATUS_CANCELED,
                ETNA_ORDER_STATUS_REPLACED,
                ETNA_ORDER_STATUS_PENDING_CANCEL,
                ETNA_ORDER_STATUS_STOPPED,
                ETNA_ORDER_STATUS_REJECTED,
                ETNA_ORDER_STATUS_SUSPENDED,
                ETNA_ORDER_STATUS_PENDING_NEW,
                ETNA_ORDER_STATUS_CALCULATED,
                ETNA_ORDER_STATUS_EXPIRED,
                ETNA_ORDER_STATUS_ACCEPTED_FOR_BIDDING,
                ETNA_ORDER_STATUS_PENDING_REPLACE,
                ETNA_ORDER_STATUS_ERROR,
                ETNA_ORDER_STATUS_HELD,
            ],
        );
        check(
            "SIDE",
            order::SIDES,
            &[
                ETNA_SIDE_BUY,
                ETNA_SIDE_SELL,
                ETNA_SIDE_SELL_SHORT,
                ETNA_SIDE_BUY_TO_COVER,
            ],
        );
        check(
            "ORDER_TYPE",
            order::ORDER_TYPES,
            &[
                ETNA_ORDER_TYPE_MARKET,
                ETNA_ORDER_TYPE_LIMIT,
                ETNA_ORDER_TYPE_STOP,
                ETNA_ORDER_TYPE_STOP_LIMIT,
                ETNA_ORDER_TYPE_PEGGED,
                ETNA_ORDER_TYPE_TRAILING_STOP,
                ETNA_ORDER_TYPE_TRAILING_STOP_LIMIT,
                ETNA_ORDER_TYPE_ONE_CANCEL_OTHER,
                ETNA_ORDER_TYPE_ONE_TRIGGER_OTHER,
                ETNA_ORDER_TYPE_ONE_TRIGGER_ONE_CANCEL_OTHER,
                ETNA_ORDER_TYPE_EXTERNAL,
                ETNA_ORDER_TYPE_MUTUAL_FUNDS_EXCHANGE,
                ETNA_ORDER_TYPE_STAGING_BLOTTER,
            ],
        );
        check(
            "TIF",
            order::TIMES_IN_FORCE,
            &[
                ETNA_TIF_DAY,
                ETNA_TIF_GOOD_TILL_CANCEL,
                ETNA_TIF_AT_THE_OPENING,
                ETNA_TIF_IMMEDIATE_OR_CANCEL,
                ETNA_TIF_FILL_OR_KILL,
                ETNA_TIF_GOOD_TILL_CROSSING,
                ETNA_TIF_GOOD_TILL_DATE,
                ETNA_TIF_GOOD_TILL_TIME,
                ETNA_TIF_AT_THE_CLOSE,
                ETNA_TIF_GOOD_TILL_CANCEL_PLUS,
                ETNA_TIF_GOOD_TILL_DATE_PLUS,
            ],
        );
        check(
            "TRANSACTION",
            portfolio::TRANSACTION_TYPES,
            &[
                ETNA_TRANSACTION_UNDEFINED,
                ETNA_TRANSACTION_COMMISSION,
                ETNA_TRANSACTION_ORDER_EXECUTION,
                ETNA_TRANSACTION_OPTION_EXPIRATION,
                ETNA_TRANSACTION_PAYMENT,
                ETNA_TRANSACTION_MANUAL_MANIPULATION,
                ETNA_TRANSACTION_CLEARING,
                ETNA_TRANSACTION_RPL,
            ],
        );
        check(
            "MARGIN",
            account::MARGIN_TYPES,
            &[
                ETNA_MARGIN_EMPTY,
                ETNA_MARGIN_CASH,
                ETNA_MARGIN_MARGIN,
                ETNA_MARGIN_DAY_TRADER,
                ETNA_MARGIN_MARGIN_IRA,
            ],
        );
        check(
            "ACCESS",
            account::ACCESS_TYPES,
            &[
                ETNA_ACCESS_FULL,
                ETNA_ACCESS_READ_ONLY,
                ETNA_ACCESS_CLOSE_POSITIONS_ONLY,
                ETNA_ACCESS_OWNER,
            ],
        );
        check(
            "WATCHLIST",
            watchlist::WATCHLIST_TYPES,
            &[
                ETNA_WATCHLIST_USER_LIST,
                ETNA_WATCHLIST_SYSTEM_LIST,
                ETNA_WATCHLIST_SNAPSHOT,
            ],
        );
    }
}
