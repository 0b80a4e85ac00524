/*
 * libetna for C++17: RAII, exceptions and typed answers over the C ABI in etna.h. Header-only;
 * every function is inline, so any number of translation units may include it. Link with -letna.
 *
 *   etna::Session session("https://pub-api-et-demo-prod.etnasoft.us/api/", app_key);
 *   if (session.login(user, password) == etna::AuthState::VerificationRequired)
 *       session.verify(code_from_the_user);
 *   std::cout << session.user_info().login << '\n';
 *   int64_t id = session.place_simple_order(account_id, "AAPL", "Buy", "Market", 10);
 *   etna::Order done = session.wait_for_order(account_id, id, std::chrono::seconds(30));
 *   std::cout << done.status_text << " at " << done.average_price << '\n';
 *   session.logout();
 *
 * Live quotes and order events come from streams, pulled one etna::Event at a time:
 *
 *   etna::Stream quotes = session.open_stream(etna::StreamKind::Quotes);
 *   quotes.subscribe_quotes("AAPL;MSFT");
 *   while (std::optional<etna::Event> e = quotes.next(std::chrono::seconds(5))) {
 *       if (const etna::Quote* q = e->get<etna::Quote>())
 *           std::cout << q->symbol << ' ' << q->bid << ' ' << q->ask << '\n';
 *   }
 *
 * Every call that can fail throws etna::Error. A session may be used from several threads at
 * once, as in C; only destroying or moving it must not race with other calls. cancel() is the
 * way to stop a call in flight from another thread, Stream::close() the way to stop a reader.
 */
#ifndef ETNA_HPP
#define ETNA_HPP

#include "etna.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace etna {

/// Why a call failed: code, message (what()), and the broker's answer when there was one.
/// Copying is cheap and never throws (the details are shared).
class Error : public std::runtime_error {
public:
    /// Takes ownership of `err` (may be NULL) and frees it. `status` is used when `err` is NULL.
    Error(EtnaStatus status, EtnaError* err) : Error(status, Owned(err)) {}

    /// An error raised by this header itself (no broker answer). Does not throw beyond bad_alloc.
    Error(EtnaStatus status, const std::string& message)
        : std::runtime_error(message),
          details_(std::make_shared<Details>(Details{status, 0, {}, {}, 0, {}})) {}

    /// One of the ETNA_ERR_* codes (never ETNA_OK).
    EtnaStatus code() const noexcept { return details_->code; }
    /// HTTP status of the broker's answer; 0 when there was no answer.
    uint16_t http_status() const noexcept { return details_->http_status; }
    /// The broker's own words; empty when it gave none.
    const std::string& api_reason() const noexcept { return details_->api_reason; }
    /// The broker's raw answer (tokens redacted); empty when there was none.
    const std::string& body() const noexcept { return details_->body; }
    /// For ETNA_ERR_RATE_LIMITED: how long the broker asked to wait; 0 when it did not say.
    std::chrono::milliseconds retry_after() const noexcept {
        using Rep = std::chrono::milliseconds::rep;
        return std::chrono::milliseconds(static_cast<Rep>(details_->retry_after_ms));
    }
    /// For errors of order placement: the order's ClientId, the key for
    /// Session::find_order_by_client_id (above all after ETNA_ERR_OUTCOME_UNKNOWN, before sending
    /// the order again). Empty for other errors.
    const std::string& client_id() const noexcept { return details_->client_id; }

private:
    struct Free {
        void operator()(EtnaError* err) const noexcept { etna_error_free(err); }
    };
    using Owned = std::unique_ptr<EtnaError, Free>;
    struct Details {
        EtnaStatus code;
        uint16_t http_status;
        std::string api_reason;
        std::string body;
        uint64_t retry_after_ms;
        std::string client_id;
    };

    // `err` is freed when this constructor returns, or throws.
    Error(EtnaStatus status, Owned err)
        : std::runtime_error(err ? etna_error_message(err.get()) : etna_status_str(status)),
          details_(std::make_shared<Details>(Details{err ? etna_error_code(err.get()) : status,
                                                     etna_error_http_status(err.get()),
                                                     text(etna_error_api_reason(err.get())),
                                                     text(etna_error_body(err.get())),
                                                     etna_error_retry_after_ms(err.get()),
                                                     text(etna_error_client_id(err.get()))})) {}

    static std::string text(const char* s) { return s ? std::string(s) : std::string(); }

    std::shared_ptr<const Details> details_;
};

/// Throws Error (taking and freeing `err`) unless `status` is ETNA_OK. On ETNA_OK, `err` is
/// NULL (libetna sets it so) and nothing happens. Call it in its own statement after the C
/// call: in `check(etna_x(..., &err), err)` the compiler may read `err` before etna_x runs.
inline void check(EtnaStatus status, EtnaError* err) {
    if (status != ETNA_OK) {
        throw Error(status, err);
    }
}

/// Where a login stands.
enum class AuthState : int32_t {
    None = ETNA_AUTH_NONE,
    VerificationRequired = ETNA_AUTH_VERIFICATION_REQUIRED,
    PinRequired = ETNA_AUTH_PIN_REQUIRED,
    Authenticated = ETNA_AUTH_AUTHENTICATED,
};

/// A successful (2xx) answer.
struct Response {
    uint16_t status;
    std::string body;  ///< UTF-8 JSON text; empty for 204.
};

/// Receives one log line: an ETNA_LOG_* level and a message valid only during the call.
using LogCallback = std::function<void(int level, std::string_view message)>;

/// Told of each change of the session's login state (see Session::set_auth_callback).
using AuthCallback = std::function<void(AuthState state)>;

namespace detail {

/// Throws Error(ETNA_ERR_INVALID_ARGUMENT) when `s` holds a NUL byte, which C would silently
/// cut the string at; otherwise returns it as a C string borrowed from `s`.
inline const char* c_str(const std::string& s, const char* what) {
    if (s.find('\0') != std::string::npos) {
        throw Error(ETNA_ERR_INVALID_ARGUMENT, std::string(what) + " holds a NUL byte");
    }
    return s.c_str();
}

/// Converts a duration (a timeout, a delay) to the ABI's uint32_t milliseconds; libetna checks
/// the range it accepts.
inline uint32_t millis(std::chrono::milliseconds ms, const char* what) {
    if (ms.count() < 0 || ms.count() > static_cast<std::chrono::milliseconds::rep>(UINT32_MAX)) {
        throw Error(ETNA_ERR_INVALID_ARGUMENT, std::string(what) + " is out of range");
    }
    return static_cast<uint32_t>(ms.count());
}

struct StringFree {
    void operator()(char* s) const noexcept { etna_string_free(s); }
};

struct BytesFree {
    void operator()(uint8_t* data) const noexcept { etna_bytes_free(data); }
};

// C linkage, as the callback types in etna.h are declared inside extern "C".
extern "C" {
/// Calls the LogCallback behind `user_data`; nothing it throws may reach libetna.
inline void etna_hpp_log_trampoline(void* user_data, EtnaLogLevel level, const char* message) noexcept {
    try {
        (*static_cast<LogCallback*>(user_data))(level, message ? message : "");
    } catch (...) {
        // A logger that fails loses its line; the call being logged goes on.
    }
}

/// Deletes the LogCallback that set_log_callback moved to the heap.
inline void etna_hpp_log_free(void* user_data) noexcept {
    delete static_cast<LogCallback*>(user_data);
}

/// Calls the AuthCallback behind `user_data`; nothing it throws may reach libetna.
inline void etna_hpp_auth_trampoline(void* user_data, EtnaAuthState state) noexcept {
    try {
        (*static_cast<AuthCallback*>(user_data))(static_cast<AuthState>(state));
    } catch (...) {
        // A listener that fails misses this change; the call that made it goes on.
    }
}

/// Deletes the AuthCallback that set_auth_callback moved to the heap.
inline void etna_hpp_auth_free(void* user_data) noexcept {
    delete static_cast<AuthCallback*>(user_data);
}
}  // extern "C"

}  // namespace detail

// ---- Typed answers ----
//
// Every trading method hands back value types read from libetna's C structs (etna.h): strings
// as std::string ("" when the broker sent none), numbers as double (NaN when absent: test with
// std::isnan), ids as int64_t (-1 when absent), instants as Instant (Instant{}, the Unix epoch,
// when unset), yes/no facts as std::optional<bool> (empty when the broker did not say), and
// enumerations as enum classes whose Unknown stands for a value this header does not know; the
// broker's own spelling is beside each (`*_text`). Every item keeps its own JSON (`json`), so a
// field not read here is never lost.

/// An instant, UTC, to the millisecond: what the broker's dates become. Instant{} (the Unix
/// epoch) when the broker did not say.
using Instant = std::chrono::system_clock::time_point;

/// Milliseconds since the Unix epoch of an Instant (0 for Instant{}).
inline int64_t unix_ms(Instant t) noexcept {
    return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

/// An order's status, numbered as the broker numbers it (ETNA_ORDER_STATUS_*).
enum class OrderStatus : int32_t {
    Unknown = ETNA_UNKNOWN,
    New = ETNA_ORDER_STATUS_NEW,
    PartiallyFilled = ETNA_ORDER_STATUS_PARTIALLY_FILLED,
    Filled = ETNA_ORDER_STATUS_FILLED,
    DoneForDay = ETNA_ORDER_STATUS_DONE_FOR_DAY,
    Canceled = ETNA_ORDER_STATUS_CANCELED,
    Replaced = ETNA_ORDER_STATUS_REPLACED,
    PendingCancel = ETNA_ORDER_STATUS_PENDING_CANCEL,
    Stopped = ETNA_ORDER_STATUS_STOPPED,
    Rejected = ETNA_ORDER_STATUS_REJECTED,
    Suspended = ETNA_ORDER_STATUS_SUSPENDED,
    PendingNew = ETNA_ORDER_STATUS_PENDING_NEW,
    Calculated = ETNA_ORDER_STATUS_CALCULATED,
    Expired = ETNA_ORDER_STATUS_EXPIRED,
    AcceptedForBidding = ETNA_ORDER_STATUS_ACCEPTED_FOR_BIDDING,
    PendingReplace = ETNA_ORDER_STATUS_PENDING_REPLACE,
    Error = ETNA_ORDER_STATUS_ERROR,
    Held = ETNA_ORDER_STATUS_HELD,
};

/// An order's side (ETNA_SIDE_*).
enum class Side : int32_t {
    Unknown = ETNA_UNKNOWN,
    Buy = ETNA_SIDE_BUY,
    Sell = ETNA_SIDE_SELL,
    SellShort = ETNA_SIDE_SELL_SHORT,
    BuyToCover = ETNA_SIDE_BUY_TO_COVER,
};

/// An order's type (ETNA_ORDER_TYPE_*).
enum class OrderType : int32_t {
    Unknown = ETNA_UNKNOWN,
    Market = ETNA_ORDER_TYPE_MARKET,
    Limit = ETNA_ORDER_TYPE_LIMIT,
    Stop = ETNA_ORDER_TYPE_STOP,
    StopLimit = ETNA_ORDER_TYPE_STOP_LIMIT,
    Pegged = ETNA_ORDER_TYPE_PEGGED,
    TrailingStop = ETNA_ORDER_TYPE_TRAILING_STOP,
    TrailingStopLimit = ETNA_ORDER_TYPE_TRAILING_STOP_LIMIT,
    OneCancelOther = ETNA_ORDER_TYPE_ONE_CANCEL_OTHER,
    OneTriggerOther = ETNA_ORDER_TYPE_ONE_TRIGGER_OTHER,
    OneTriggerOneCancelOther = ETNA_ORDER_TYPE_ONE_TRIGGER_ONE_CANCEL_OTHER,
    External = ETNA_ORDER_TYPE_EXTERNAL,
    MutualFundsExchange = ETNA_ORDER_TYPE_MUTUAL_FUNDS_EXCHANGE,
    StagingBlotter = ETNA_ORDER_TYPE_STAGING_BLOTTER,
};

/// How long an order stays working (ETNA_TIF_*).
enum class TimeInForce : int32_t {
    Unknown = ETNA_UNKNOWN,
    Day = ETNA_TIF_DAY,
    GoodTillCancel = ETNA_TIF_GOOD_TILL_CANCEL,
    AtTheOpening = ETNA_TIF_AT_THE_OPENING,
    ImmediateOrCancel = ETNA_TIF_IMMEDIATE_OR_CANCEL,
    FillOrKill = ETNA_TIF_FILL_OR_KILL,
    GoodTillCrossing = ETNA_TIF_GOOD_TILL_CROSSING,
    GoodTillDate = ETNA_TIF_GOOD_TILL_DATE,
    GoodTillTime = ETNA_TIF_GOOD_TILL_TIME,
    AtTheClose = ETNA_TIF_AT_THE_CLOSE,
    GoodTillCancelPlus = ETNA_TIF_GOOD_TILL_CANCEL_PLUS,
    GoodTillDatePlus = ETNA_TIF_GOOD_TILL_DATE_PLUS,
};

/// What a transaction is (ETNA_TRANSACTION_*); fills are OrderExecution.
enum class TransactionType : int32_t {
    Unknown = ETNA_UNKNOWN,
    Undefined = ETNA_TRANSACTION_UNDEFINED,
    Commission = ETNA_TRANSACTION_COMMISSION,
    OrderExecution = ETNA_TRANSACTION_ORDER_EXECUTION,
    OptionExpiration = ETNA_TRANSACTION_OPTION_EXPIRATION,
    Payment = ETNA_TRANSACTION_PAYMENT,
    ManualManipulation = ETNA_TRANSACTION_MANUAL_MANIPULATION,
    Clearing = ETNA_TRANSACTION_CLEARING,
    Rpl = ETNA_TRANSACTION_RPL,
};

/// An account's margin type (ETNA_MARGIN_*).
enum class MarginType : int32_t {
    Unknown = ETNA_UNKNOWN,
    Empty = ETNA_MARGIN_EMPTY,
    Cash = ETNA_MARGIN_CASH,
    Margin = ETNA_MARGIN_MARGIN,
    DayTrader = ETNA_MARGIN_DAY_TRADER,
    MarginIra = ETNA_MARGIN_MARGIN_IRA,
};

/// What the user may do with an account (ETNA_ACCESS_*).
enum class AccessType : int32_t {
    Unknown = ETNA_UNKNOWN,
    Full = ETNA_ACCESS_FULL,
    ReadOnly = ETNA_ACCESS_READ_ONLY,
    ClosePositionsOnly = ETNA_ACCESS_CLOSE_POSITIONS_ONLY,
    Owner = ETNA_ACCESS_OWNER,
};

/// Who keeps a watchlist (ETNA_WATCHLIST_*).
enum class WatchlistType : int32_t {
    Unknown = ETNA_UNKNOWN,
    UserList = ETNA_WATCHLIST_USER_LIST,
    SystemList = ETNA_WATCHLIST_SYSTEM_LIST,
    Snapshot = ETNA_WATCHLIST_SNAPSHOT,
};

/// Whether an option is a call or a put (ETNA_OPTION_*).
enum class OptionType : int32_t {
    Unknown = ETNA_UNKNOWN,
    Call = ETNA_OPTION_CALL,
    Put = ETNA_OPTION_PUT,
    Undefined = ETNA_OPTION_UNDEFINED,
};

/// What kind of expiration an option has (ETNA_EXPIRATION_*).
enum class ExpirationType : int32_t {
    Unknown = ETNA_UNKNOWN,
    Regular = ETNA_EXPIRATION_REGULAR,
    Quarterly = ETNA_EXPIRATION_QUARTERLY,
    Weekly = ETNA_EXPIRATION_WEEKLY,
    Flex = ETNA_EXPIRATION_FLEX,
    Undefined = ETNA_EXPIRATION_UNDEFINED,
    Mini = ETNA_EXPIRATION_MINI,
    NonStandard = ETNA_EXPIRATION_NON_STANDARD,
};

/// Where a price alert stands (ETNA_ALERT_*): New while it watches, Completed once the price
/// reached its argument, Expired once its expiration passed first, Stopped when paused.
enum class AlertState : int32_t {
    Unknown = ETNA_UNKNOWN,
    New = ETNA_ALERT_NEW,
    Expired = ETNA_ALERT_EXPIRED,
    Completed = ETNA_ALERT_COMPLETED,
    Stopped = ETNA_ALERT_STOPPED,
};

/// Where a stream stands (ETNA_STREAM_STATE_*), told by StreamState events.
enum class StreamStateCode : int32_t {
    Unknown = ETNA_UNKNOWN,
    /// Connected: the first event of every stream.
    Connected = ETNA_STREAM_STATE_CONNECTED,
    /// The connection was lost (or found dead); the stream is reconnecting (`reason` says why).
    Reconnecting = ETNA_STREAM_STATE_RECONNECTING,
    /// Connected again, subscriptions replayed.
    Reconnected = ETNA_STREAM_STATE_RECONNECTED,
    /// On the data stream after a reconnect: events between `gap_from` and `gap_to` may be lost
    /// (the broker replays nothing); read orders, positions and balances again.
    Gap = ETNA_STREAM_STATE_GAP,
    /// Closed by Stream::close() (or the Stream's destruction): the last event.
    Closed = ETNA_STREAM_STATE_CLOSED,
    /// The stream cannot go on (its login is refused and no re-login is possible): the last
    /// event. The next read throws the error that ended it.
    Failed = ETNA_STREAM_STATE_FAILED,
};

/// Which streamer a Stream connects to (ETNA_STREAM_*). `StreamKind::Quotes |
/// StreamKind::LoginForm` connects with the login form (user name and password, which needs
/// auto re-login on) instead of the session's token.
enum class StreamKind : int32_t {
    /// The quote streamer: Quote events.
    Quotes = ETNA_STREAM_QUOTES,
    /// The data streamer: Order, Position, Balances (an account's and the user's), Watchlist and
    /// WatchlistContent events.
    Data = ETNA_STREAM_DATA,
    /// Added to Quotes or Data: connect with the login form.
    LoginForm = ETNA_STREAM_LOGIN_FORM,
};

/// `StreamKind::Quotes | StreamKind::LoginForm`.
constexpr StreamKind operator|(StreamKind a, StreamKind b) noexcept {
    return static_cast<StreamKind>(static_cast<int32_t>(a) | static_cast<int32_t>(b));
}

/// What a stream Event carries (the ETNA_KIND_* of its result).
enum class EventKind : int32_t {
    /// A kind of event this header does not know (only `json` is set).
    Unknown = ETNA_UNKNOWN,
    Quote = ETNA_KIND_QUOTE,
    Order = ETNA_KIND_ORDER,
    Position = ETNA_KIND_POSITION,
    /// An account's balances (Balances).
    Balances = ETNA_KIND_BALANCES,
    /// The user's balances, all accounts added up (Balances).
    UserBalance = ETNA_KIND_USER_BALANCE,
    Watchlist = ETNA_KIND_WATCHLIST,
    WatchlistContent = ETNA_KIND_WATCHLIST_CONTENT,
    StreamState = ETNA_KIND_STREAM_STATE,
};

/// True when an order in `status` will not change any more (Filled, Canceled, Rejected, Expired,
/// DoneForDay, Error, Replaced); false otherwise, Unknown included.
inline bool is_final(OrderStatus status) noexcept {
    return etna_order_status_is_final(static_cast<EtnaOrderStatus>(status)) == 1;
}

/// The logged-in user.
struct User {
    int64_t id = -1;
    std::string login;
    std::string first_name;
    std::string middle_name;
    std::string last_name;
    std::string email;
    std::string role;
    Instant added_at;
    std::string json;
};

/// An account the user may trade; `id` is what the trading methods take.
struct Account {
    int64_t id = -1;
    std::string alias;
    std::string clearing_account;
    std::string clearing_firm;
    MarginType margin_type = MarginType::Unknown;
    AccessType access_type = AccessType::Unknown;
    std::optional<bool> enabled;
    std::string margin_type_text;
    std::string access_type_text;
    std::string owner_type;
    std::string currency;
    std::string json;
};

/// A position; `quantity` is negative for a short one.
struct Position {
    int64_t id = -1;
    int64_t account_id = -1;
    int64_t security_id = -1;
    std::string symbol;
    double quantity = std::numeric_limits<double>::quiet_NaN();
    double average_open_price = std::numeric_limits<double>::quiet_NaN();
    double cost_basis = std::numeric_limits<double>::quiet_NaN();
    double realized_profit_loss = std::numeric_limits<double>::quiet_NaN();
    Instant created_at;
    Instant modified_at;
    std::string json;
};

/// An order, as the broker has it.
struct Order {
    int64_t id = -1;
    int64_t account_id = -1;
    int64_t security_id = -1;
    std::string symbol;
    std::string client_id;
    Side side = Side::Unknown;
    OrderType type = OrderType::Unknown;
    OrderStatus status = OrderStatus::Unknown;
    TimeInForce time_in_force = TimeInForce::Unknown;
    double quantity = std::numeric_limits<double>::quiet_NaN();
    double price = std::numeric_limits<double>::quiet_NaN();
    double stop_price = std::numeric_limits<double>::quiet_NaN();
    double executed_quantity = std::numeric_limits<double>::quiet_NaN();
    double leaves_quantity = std::numeric_limits<double>::quiet_NaN();
    double average_price = std::numeric_limits<double>::quiet_NaN();
    double last_price = std::numeric_limits<double>::quiet_NaN();
    double last_quantity = std::numeric_limits<double>::quiet_NaN();
    Instant created_at;
    Instant transaction_at;
    std::string description;  ///< Why the broker rejected or expired it, when it did.
    std::string side_text;
    std::string type_text;
    std::string status_text;
    std::string time_in_force_text;
    std::string json;

    /// True when the order will not change any more (etna::is_final(status)).
    bool is_final() const noexcept { return etna::is_final(status); }
};

/// What the broker says of an order before it is placed.
struct Preview {
    std::optional<bool> is_successful;
    double commission = std::numeric_limits<double>::quiet_NaN();
    double cost = std::numeric_limits<double>::quiet_NaN();
    double net_cost = std::numeric_limits<double>::quiet_NaN();
    double total_cost = std::numeric_limits<double>::quiet_NaN();
    std::string error_code_text;  ///< The broker's code for a reject; "" when none.
    std::string error_text;
    std::string json;
};

/// A transaction; fills are TransactionType::OrderExecution.
struct Transaction {
    int64_t id = -1;
    int64_t account_id = -1;
    int64_t order_id = -1;     ///< -1 when the transaction belongs to no order.
    int64_t security_id = -1;  ///< -1 for cash.
    Instant date;
    TransactionType type = TransactionType::Unknown;
    std::string type_text;
    std::string symbol;
    double quantity = std::numeric_limits<double>::quiet_NaN();
    double price = std::numeric_limits<double>::quiet_NaN();
    double value = std::numeric_limits<double>::quiet_NaN();
    double commission = std::numeric_limits<double>::quiet_NaN();
    std::string description;
    std::string json;
};

/// A security (an equity).
struct Security {
    int64_t id = -1;
    std::string symbol;
    std::string description;
    std::string exchange;   ///< The venue's MIC, e.g. XNAS.
    std::string currency;
    std::string type_text;  ///< CommonStock, ETF, ... as the broker writes it.
    double tick_size = std::numeric_limits<double>::quiet_NaN();
    int64_t precision = -1;
    std::optional<bool> enabled;
    std::optional<bool> allow_trade;
    std::optional<bool> allow_margin;
    std::optional<bool> allow_short;
    std::string json;
};

/// A price history candle.
struct Candle {
    Instant time;
    double open = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();
    double low = std::numeric_limits<double>::quiet_NaN();
    double close = std::numeric_limits<double>::quiet_NaN();
    double volume = std::numeric_limits<double>::quiet_NaN();
    std::string json;
    /// Which security of a comparison the candle is for (0 for the first).
    int32_t series = 0;
};

/// A watchlist with the tickers of its securities.
struct Watchlist {
    int64_t id = -1;
    std::string name;
    std::string description;
    WatchlistType type = WatchlistType::Unknown;
    std::optional<bool> read_only;
    std::string type_text;
    Instant created_at;
    Instant modified_at;
    std::vector<std::string> symbols;
    std::string json;
};

/// A streamer's address.
struct Streamer {
    std::string url;
    std::string type;  ///< Delayed, ... as the broker writes it.
    std::string session_id;
    bool is_quote = false;  ///< true for a quote streamer, false for a data streamer.
    std::string json;
};

/// A quote from the quote stream.
struct Quote {
    int64_t security_id = -1;
    std::string symbol;  ///< The streamer's ticker, or the one given to subscribe_quotes().
    double bid = std::numeric_limits<double>::quiet_NaN();
    double ask = std::numeric_limits<double>::quiet_NaN();
    double last = std::numeric_limits<double>::quiet_NaN();
    double bid_size = std::numeric_limits<double>::quiet_NaN();
    double ask_size = std::numeric_limits<double>::quiet_NaN();
    double volume = std::numeric_limits<double>::quiet_NaN();
    double open = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();
    double low = std::numeric_limits<double>::quiet_NaN();
    double close = std::numeric_limits<double>::quiet_NaN();
    Instant time;  ///< When the quote was made, by the streamer's clock; Instant{} when unsaid.
    std::string json;
};

/// A change in a stream's life.
struct StreamState {
    StreamStateCode state = StreamStateCode::Unknown;
    std::string reason;  ///< Why, in words (never a secret); "" when there is nothing to say.
    /// For StreamStateCode::Gap: events between these instants may be lost.
    Instant gap_from;
    Instant gap_to;
    std::string json;

    /// True for the last event of a stream (Closed or Failed).
    bool ends_stream() const noexcept {
        return state == StreamStateCode::Closed || state == StreamStateCode::Failed;
    }
};

/// Tickers added to or removed from a watchlist.
struct WatchlistContent {
    int64_t watchlist_id = -1;
    std::vector<std::string> added_symbols;
    std::vector<std::string> removed_symbols;
    std::string json;
};

/// An option contract. Its `symbol` (the OSI symbol, e.g. "AAPL  261218C00190000") is what an
/// order's Symbol, or a leg's, takes.
struct OptionContract {
    int64_t id = -1;
    std::string symbol;
    std::string underlying_symbol;
    OptionType option_type = OptionType::Unknown;
    std::string option_type_text;
    Instant expiration;
    ExpirationType expiration_type = ExpirationType::Unknown;
    std::string expiration_type_text;
    double strike = std::numeric_limits<double>::quiet_NaN();
    double contract_size = std::numeric_limits<double>::quiet_NaN();
    int64_t series_id = -1;
    std::string json;
};

/// An expiration of an underlying's options.
struct Expiration {
    Instant expiration;
    ExpirationType expiration_type = ExpirationType::Unknown;
    std::string expiration_type_text;
    int64_t series_id = -1;
    std::string series_type;
    std::string json;
};

/// A price alert: `field` of security `security_id` compared by `operator_` with `argument`
/// until `expiration`.
struct PriceAlert {
    int64_t id = -1;
    int64_t security_id = -1;
    std::string field;      ///< Ask, Bid or Last.
    std::string operator_;  ///< GTEQ (at or above) or LTEQ (at or below).
    double argument = std::numeric_limits<double>::quiet_NaN();
    AlertState state = AlertState::Unknown;
    std::string state_text;
    Instant expiration;
    std::string json;
};

/// A news story or a corporate action.
struct News {
    std::string key;
    Instant date;
    std::string source;
    std::string header;
    std::string content;
    std::string attachment;
    std::string news_id;
    std::string json;
};

/// An account's value on a day.
struct HistoryPoint {
    Instant date;
    double value = std::numeric_limits<double>::quiet_NaN();
    std::string json;
};

/// An account's market value in one asset class.
struct PositionGroup {
    std::string name;  ///< Equity, Options, Cash, ... as the broker names it.
    double market_value = std::numeric_limits<double>::quiet_NaN();
    std::string json;
};

/// One state an order went through (Session::order_details()).
struct OrderDetail {
    int64_t id = -1;
    int64_t order_id = -1;
    OrderStatus status = OrderStatus::Unknown;
    std::string status_text;
    double executed_quantity = std::numeric_limits<double>::quiet_NaN();
    double leaves_quantity = std::numeric_limits<double>::quiet_NaN();
    double last_price = std::numeric_limits<double>::quiet_NaN();
    double last_quantity = std::numeric_limits<double>::quiet_NaN();
    double average_price = std::numeric_limits<double>::quiet_NaN();
    Instant date;
    std::string description;
    std::string json;
};

/// A stream's counters (Stream::stats()).
struct StreamStats {
    uint64_t received = 0;    ///< Data messages read from the streamer.
    uint64_t delivered = 0;   ///< Events handed out by Stream::next().
    uint64_t conflated = 0;   ///< Quotes replaced by a newer one of the same security unread.
    uint64_t queued = 0;      ///< Events waiting now.
    uint64_t high_water = 0;  ///< The most events that ever waited.
    uint64_t reconnects = 0;
    uint64_t gaps = 0;
    /// How long ago the streamer last sent anything; empty before its first message.
    std::optional<std::chrono::milliseconds> last_message_age;
};

/// One page of a paged answer (orders, positions, transactions, options, equities, price alerts).
template <typename T>
struct Page {
    std::vector<T> items;
    /// The broker's TotalCount: items on every page together.
    int64_t total_count = 0;
    /// The page to ask for next; empty on the last page.
    std::optional<int32_t> next_page;
    /// The broker's whole answer.
    std::string json;
};

namespace detail {

struct ResultFree {
    void operator()(EtnaResult* r) const noexcept { etna_result_free(r); }
};

/// An EtnaResult, freed however the reading of it ends.
using Result = std::unique_ptr<EtnaResult, ResultFree>;

/// Reads the fields of a C item of libetna, each only if the item holds it: `struct_size` tells
/// how much a library older than this header wrote, and a field past it reads as absent.
template <typename S>
class Fields {
public:
    explicit Fields(const S& s) noexcept : s_(s) {}

    std::string text(const char* S::*m) const {
        const char* p = has(m) ? s_.*m : nullptr;
        return p ? std::string(p) : std::string();
    }
    double number(double S::*m) const noexcept {
        return has(m) ? s_.*m : std::numeric_limits<double>::quiet_NaN();
    }
    int64_t id(int64_t S::*m) const noexcept { return has(m) ? s_.*m : -1; }
    Instant instant(int64_t S::*m) const noexcept {
        const int64_t ms = has(m) ? s_.*m : 0;
        return Instant(std::chrono::duration_cast<Instant::duration>(std::chrono::milliseconds(ms)));
    }
    /// A yes/no fact: 1, 0, or -1 (unknown: empty).
    std::optional<bool> flag(int32_t S::*m) const noexcept {
        const int32_t v = has(m) ? s_.*m : -1;
        return v < 0 ? std::nullopt : std::optional<bool>(v != 0);
    }
    /// Any other field, or `absent` when the struct is older than the field.
    template <typename F>
    F plain(F S::*m, F absent) const noexcept {
        return has(m) ? s_.*m : absent;
    }
    /// An enumeration's code, Unknown when absent or past `last` (a value newer than this header).
    template <typename E>
    E code(int32_t S::*m, int32_t last) const noexcept {
        const int32_t v = has(m) ? s_.*m : ETNA_UNKNOWN;
        return v >= 0 && v <= last ? static_cast<E>(v) : E::Unknown;
    }

private:
    template <typename F>
    bool has(F S::*m) const noexcept {
        static const S probe{};
        const auto offset = static_cast<std::size_t>(reinterpret_cast<const char*>(&(probe.*m)) -
                                                     reinterpret_cast<const char*>(&probe));
        return s_.struct_size >= offset + sizeof(F);
    }

    const S& s_;
};

inline User to_value(const EtnaUser& s) {
    Fields<EtnaUser> f(s);
    User v;
    v.id = f.id(&EtnaUser::id);
    v.login = f.text(&EtnaUser::login);
    v.first_name = f.text(&EtnaUser::first_name);
    v.middle_name = f.text(&EtnaUser::middle_name);
    v.last_name = f.text(&EtnaUser::last_name);
    v.email = f.text(&EtnaUser::email);
    v.role = f.text(&EtnaUser::role);
    v.added_at = f.instant(&EtnaUser::added_at_ms);
    v.json = f.text(&EtnaUser::json);
    return v;
}

inline Account to_value(const EtnaAccount& s) {
    Fields<EtnaAccount> f(s);
    Account v;
    v.id = f.id(&EtnaAccount::id);
    v.alias = f.text(&EtnaAccount::alias);
    v.clearing_account = f.text(&EtnaAccount::clearing_account);
    v.clearing_firm = f.text(&EtnaAccount::clearing_firm);
    v.margin_type = f.code<MarginType>(&EtnaAccount::margin_type, ETNA_MARGIN_MARGIN_IRA);
    v.access_type = f.code<AccessType>(&EtnaAccount::access_type, ETNA_ACCESS_OWNER);
    v.enabled = f.flag(&EtnaAccount::enabled);
    v.margin_type_text = f.text(&EtnaAccount::margin_type_text);
    v.access_type_text = f.text(&EtnaAccount::access_type_text);
    v.owner_type = f.text(&EtnaAccount::owner_type);
    v.currency = f.text(&EtnaAccount::currency);
    v.json = f.text(&EtnaAccount::json);
    return v;
}

inline Position to_value(const EtnaPosition& s) {
    Fields<EtnaPosition> f(s);
    Position v;
    v.id = f.id(&EtnaPosition::id);
    v.account_id = f.id(&EtnaPosition::account_id);
    v.security_id = f.id(&EtnaPosition::security_id);
    v.symbol = f.text(&EtnaPosition::symbol);
    v.quantity = f.number(&EtnaPosition::quantity);
    v.average_open_price = f.number(&EtnaPosition::average_open_price);
    v.cost_basis = f.number(&EtnaPosition::cost_basis);
    v.realized_profit_loss = f.number(&EtnaPosition::realized_profit_loss);
    v.created_at = f.instant(&EtnaPosition::created_at_ms);
    v.modified_at = f.instant(&EtnaPosition::modified_at_ms);
    v.json = f.text(&EtnaPosition::json);
    return v;
}

inline Order to_value(const EtnaOrder& s) {
    Fields<EtnaOrder> f(s);
    Order v;
    v.id = f.id(&EtnaOrder::id);
    v.account_id = f.id(&EtnaOrder::account_id);
    v.security_id = f.id(&EtnaOrder::security_id);
    v.symbol = f.text(&EtnaOrder::symbol);
    v.client_id = f.text(&EtnaOrder::client_id);
    v.side = f.code<Side>(&EtnaOrder::side, ETNA_SIDE_BUY_TO_COVER);
    v.type = f.code<OrderType>(&EtnaOrder::type, ETNA_ORDER_TYPE_STAGING_BLOTTER);
    v.status = f.code<OrderStatus>(&EtnaOrder::status, ETNA_ORDER_STATUS_HELD);
    v.time_in_force = f.code<TimeInForce>(&EtnaOrder::time_in_force, ETNA_TIF_GOOD_TILL_DATE_PLUS);
    v.quantity = f.number(&EtnaOrder::quantity);
    v.price = f.number(&EtnaOrder::price);
    v.stop_price = f.number(&EtnaOrder::stop_price);
    v.executed_quantity = f.number(&EtnaOrder::executed_quantity);
    v.leaves_quantity = f.number(&EtnaOrder::leaves_quantity);
    v.average_price = f.number(&EtnaOrder::average_price);
    v.last_price = f.number(&EtnaOrder::last_price);
    v.last_quantity = f.number(&EtnaOrder::last_quantity);
    v.created_at = f.instant(&EtnaOrder::created_at_ms);
    v.transaction_at = f.instant(&EtnaOrder::transaction_at_ms);
    v.description = f.text(&EtnaOrder::description);
    v.side_text = f.text(&EtnaOrder::side_text);
    v.type_text = f.text(&EtnaOrder::type_text);
    v.status_text = f.text(&EtnaOrder::status_text);
    v.time_in_force_text = f.text(&EtnaOrder::time_in_force_text);
    v.json = f.text(&EtnaOrder::json);
    return v;
}

inline Preview to_value(const EtnaPreview& s) {
    Fields<EtnaPreview> f(s);
    Preview v;
    v.is_successful = f.flag(&EtnaPreview::is_successful);
    v.commission = f.number(&EtnaPreview::commission);
    v.cost = f.number(&EtnaPreview::cost);
    v.net_cost = f.number(&EtnaPreview::net_cost);
    v.total_cost = f.number(&EtnaPreview::total_cost);
    v.error_code_text = f.text(&EtnaPreview::error_code_text);
    v.error_text = f.text(&EtnaPreview::error_text);
    v.json = f.text(&EtnaPreview::json);
    return v;
}

inline Transaction to_value(const EtnaTransaction& s) {
    Fields<EtnaTransaction> f(s);
    Transaction v;
    v.id = f.id(&EtnaTransaction::id);
    v.account_id = f.id(&EtnaTransaction::account_id);
    v.order_id = f.id(&EtnaTransaction::order_id);
    v.security_id = f.id(&EtnaTransaction::security_id);
    v.date = f.instant(&EtnaTransaction::date_ms);
    v.type = f.code<TransactionType>(&EtnaTransaction::type, ETNA_TRANSACTION_RPL);
    v.type_text = f.text(&EtnaTransaction::type_text);
    v.symbol = f.text(&EtnaTransaction::symbol);
    v.quantity = f.number(&EtnaTransaction::quantity);
    v.price = f.number(&EtnaTransaction::price);
    v.value = f.number(&EtnaTransaction::value);
    v.commission = f.number(&EtnaTransaction::commission);
    v.description = f.text(&EtnaTransaction::description);
    v.json = f.text(&EtnaTransaction::json);
    return v;
}

inline Security to_value(const EtnaSecurity& s) {
    Fields<EtnaSecurity> f(s);
    Security v;
    v.id = f.id(&EtnaSecurity::id);
    v.symbol = f.text(&EtnaSecurity::symbol);
    v.description = f.text(&EtnaSecurity::description);
    v.exchange = f.text(&EtnaSecurity::exchange);
    v.currency = f.text(&EtnaSecurity::currency);
    v.type_text = f.text(&EtnaSecurity::type_text);
    v.tick_size = f.number(&EtnaSecurity::tick_size);
    v.precision = f.id(&EtnaSecurity::precision);
    v.enabled = f.flag(&EtnaSecurity::enabled);
    v.allow_trade = f.flag(&EtnaSecurity::allow_trade);
    v.allow_margin = f.flag(&EtnaSecurity::allow_margin);
    v.allow_short = f.flag(&EtnaSecurity::allow_short);
    v.json = f.text(&EtnaSecurity::json);
    return v;
}

inline Candle to_value(const EtnaCandle& s) {
    Fields<EtnaCandle> f(s);
    Candle v;
    v.time = f.instant(&EtnaCandle::time_ms);
    v.open = f.number(&EtnaCandle::open);
    v.high = f.number(&EtnaCandle::high);
    v.low = f.number(&EtnaCandle::low);
    v.close = f.number(&EtnaCandle::close);
    v.volume = f.number(&EtnaCandle::volume);
    v.json = f.text(&EtnaCandle::json);
    v.series = f.plain(&EtnaCandle::series, 0);
    return v;
}

/// `AAPL;MSFT` as {"AAPL", "MSFT"}; "" as {}.
inline std::vector<std::string> split_symbols(const std::string& joined) {
    std::vector<std::string> out;
    std::string::size_type start = 0;
    while (start < joined.size()) {
        std::string::size_type end = joined.find(';', start);
        if (end == std::string::npos) {
            end = joined.size();
        }
        out.push_back(joined.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

inline Watchlist to_value(const EtnaWatchlist& s) {
    Fields<EtnaWatchlist> f(s);
    Watchlist v;
    v.id = f.id(&EtnaWatchlist::id);
    v.name = f.text(&EtnaWatchlist::name);
    v.description = f.text(&EtnaWatchlist::description);
    v.type = f.code<WatchlistType>(&EtnaWatchlist::type, ETNA_WATCHLIST_SNAPSHOT);
    v.read_only = f.flag(&EtnaWatchlist::read_only);
    v.type_text = f.text(&EtnaWatchlist::type_text);
    v.created_at = f.instant(&EtnaWatchlist::created_at_ms);
    v.modified_at = f.instant(&EtnaWatchlist::modified_at_ms);
    // symbol_count is the length of `symbols`, which carries the tickers themselves.
    v.symbols = split_symbols(f.text(&EtnaWatchlist::symbols));
    v.json = f.text(&EtnaWatchlist::json);
    return v;
}

inline Streamer to_value(const EtnaStreamer& s) {
    Fields<EtnaStreamer> f(s);
    Streamer v;
    v.url = f.text(&EtnaStreamer::url);
    v.type = f.text(&EtnaStreamer::type);
    v.session_id = f.text(&EtnaStreamer::session_id);
    v.is_quote = f.flag(&EtnaStreamer::is_quote).value_or(false);
    v.json = f.text(&EtnaStreamer::json);
    return v;
}

inline Quote to_value(const EtnaQuote& s) {
    Fields<EtnaQuote> f(s);
    Quote v;
    v.security_id = f.id(&EtnaQuote::security_id);
    v.symbol = f.text(&EtnaQuote::symbol);
    v.bid = f.number(&EtnaQuote::bid);
    v.ask = f.number(&EtnaQuote::ask);
    v.last = f.number(&EtnaQuote::last);
    v.bid_size = f.number(&EtnaQuote::bid_size);
    v.ask_size = f.number(&EtnaQuote::ask_size);
    v.volume = f.number(&EtnaQuote::volume);
    v.open = f.number(&EtnaQuote::open);
    v.high = f.number(&EtnaQuote::high);
    v.low = f.number(&EtnaQuote::low);
    v.close = f.number(&EtnaQuote::close);
    v.time = f.instant(&EtnaQuote::time_ms);
    v.json = f.text(&EtnaQuote::json);
    return v;
}

inline StreamState to_value(const EtnaStreamState& s) {
    Fields<EtnaStreamState> f(s);
    StreamState v;
    v.state = f.code<StreamStateCode>(&EtnaStreamState::state, ETNA_STREAM_STATE_FAILED);
    v.reason = f.text(&EtnaStreamState::reason);
    v.gap_from = f.instant(&EtnaStreamState::gap_from_ms);
    v.gap_to = f.instant(&EtnaStreamState::gap_to_ms);
    v.json = f.text(&EtnaStreamState::json);
    return v;
}

inline WatchlistContent to_value(const EtnaWatchlistContent& s) {
    Fields<EtnaWatchlistContent> f(s);
    WatchlistContent v;
    v.watchlist_id = f.id(&EtnaWatchlistContent::watchlist_id);
    v.added_symbols = split_symbols(f.text(&EtnaWatchlistContent::added_symbols));
    v.removed_symbols = split_symbols(f.text(&EtnaWatchlistContent::removed_symbols));
    v.json = f.text(&EtnaWatchlistContent::json);
    return v;
}

inline OptionContract to_value(const EtnaOption& s) {
    Fields<EtnaOption> f(s);
    OptionContract v;
    v.id = f.id(&EtnaOption::id);
    v.symbol = f.text(&EtnaOption::symbol);
    v.underlying_symbol = f.text(&EtnaOption::underlying_symbol);
    v.option_type = f.code<OptionType>(&EtnaOption::option_type, ETNA_OPTION_UNDEFINED);
    v.option_type_text = f.text(&EtnaOption::option_type_text);
    v.expiration = f.instant(&EtnaOption::expiration_ms);
    v.expiration_type = f.code<ExpirationType>(&EtnaOption::expiration_type, ETNA_EXPIRATION_NON_STANDARD);
    v.expiration_type_text = f.text(&EtnaOption::expiration_type_text);
    v.strike = f.number(&EtnaOption::strike);
    v.contract_size = f.number(&EtnaOption::contract_size);
    v.series_id = f.id(&EtnaOption::series_id);
    v.json = f.text(&EtnaOption::json);
    return v;
}

inline Expiration to_value(const EtnaExpiration& s) {
    Fields<EtnaExpiration> f(s);
    Expiration v;
    v.expiration = f.instant(&EtnaExpiration::expiration_ms);
    v.expiration_type = f.code<ExpirationType>(&EtnaExpiration::expiration_type, ETNA_EXPIRATION_NON_STANDARD);
    v.expiration_type_text = f.text(&EtnaExpiration::expiration_type_text);
    v.series_id = f.id(&EtnaExpiration::series_id);
    v.series_type = f.text(&EtnaExpiration::series_type);
    v.json = f.text(&EtnaExpiration::json);
    return v;
}

inline PriceAlert to_value(const EtnaPriceAlert& s) {
    Fields<EtnaPriceAlert> f(s);
    PriceAlert v;
    v.id = f.id(&EtnaPriceAlert::id);
    v.security_id = f.id(&EtnaPriceAlert::security_id);
    v.field = f.text(&EtnaPriceAlert::field);
    v.operator_ = f.text(&EtnaPriceAlert::operator_);
    v.argument = f.number(&EtnaPriceAlert::argument);
    v.state = f.code<AlertState>(&EtnaPriceAlert::state, ETNA_ALERT_STOPPED);
    v.state_text = f.text(&EtnaPriceAlert::state_text);
    v.expiration = f.instant(&EtnaPriceAlert::expiration_ms);
    v.json = f.text(&EtnaPriceAlert::json);
    return v;
}

inline News to_value(const EtnaNews& s) {
    Fields<EtnaNews> f(s);
    News v;
    v.key = f.text(&EtnaNews::key);
    v.date = f.instant(&EtnaNews::date_ms);
    v.source = f.text(&EtnaNews::source);
    v.header = f.text(&EtnaNews::header);
    v.content = f.text(&EtnaNews::content);
    v.attachment = f.text(&EtnaNews::attachment);
    v.news_id = f.text(&EtnaNews::news_id);
    v.json = f.text(&EtnaNews::json);
    return v;
}

inline HistoryPoint to_value(const EtnaHistoryPoint& s) {
    Fields<EtnaHistoryPoint> f(s);
    HistoryPoint v;
    v.date = f.instant(&EtnaHistoryPoint::date_ms);
    v.value = f.number(&EtnaHistoryPoint::value);
    v.json = f.text(&EtnaHistoryPoint::json);
    return v;
}

inline PositionGroup to_value(const EtnaPositionGroup& s) {
    Fields<EtnaPositionGroup> f(s);
    PositionGroup v;
    v.name = f.text(&EtnaPositionGroup::name);
    v.market_value = f.number(&EtnaPositionGroup::market_value);
    v.json = f.text(&EtnaPositionGroup::json);
    return v;
}

inline OrderDetail to_value(const EtnaOrderDetail& s) {
    Fields<EtnaOrderDetail> f(s);
    OrderDetail v;
    v.id = f.id(&EtnaOrderDetail::id);
    v.order_id = f.id(&EtnaOrderDetail::order_id);
    v.status = f.code<OrderStatus>(&EtnaOrderDetail::status, ETNA_ORDER_STATUS_HELD);
    v.status_text = f.text(&EtnaOrderDetail::status_text);
    v.executed_quantity = f.number(&EtnaOrderDetail::executed_quantity);
    v.leaves_quantity = f.number(&EtnaOrderDetail::leaves_quantity);
    v.last_price = f.number(&EtnaOrderDetail::last_price);
    v.last_quantity = f.number(&EtnaOrderDetail::last_quantity);
    v.average_price = f.number(&EtnaOrderDetail::average_price);
    v.date = f.instant(&EtnaOrderDetail::date_ms);
    v.description = f.text(&EtnaOrderDetail::description);
    v.json = f.text(&EtnaOrderDetail::json);
    return v;
}

/// For each C item: its getter, the kind of result that holds it, and its name for errors.
template <typename C>
struct Item;
#define ETNA_HPP_ITEM(C, getter, result_kind, what)                                    \
    template <>                                                                        \
    struct Item<C> {                                                                   \
        static const C* get(const EtnaResult* r, std::size_t i) noexcept { return getter(r, i); } \
        static constexpr EtnaResultKind kind = result_kind;                            \
        static constexpr const char* name = what;                                      \
    };
ETNA_HPP_ITEM(EtnaUser, etna_result_user, ETNA_KIND_USER, "user")
ETNA_HPP_ITEM(EtnaAccount, etna_result_account, ETNA_KIND_ACCOUNT, "account")
ETNA_HPP_ITEM(EtnaBalances, etna_result_balances, ETNA_KIND_BALANCES, "balances")
ETNA_HPP_ITEM(EtnaPosition, etna_result_position, ETNA_KIND_POSITION, "position")
ETNA_HPP_ITEM(EtnaOrder, etna_result_order, ETNA_KIND_ORDER, "order")
ETNA_HPP_ITEM(EtnaPreview, etna_result_preview, ETNA_KIND_PREVIEW, "preview")
ETNA_HPP_ITEM(EtnaTransaction, etna_result_transaction, ETNA_KIND_TRANSACTION, "transaction")
ETNA_HPP_ITEM(EtnaSecurity, etna_result_security, ETNA_KIND_SECURITY, "security")
ETNA_HPP_ITEM(EtnaCandle, etna_result_candle, ETNA_KIND_CANDLE, "candle")
ETNA_HPP_ITEM(EtnaWatchlist, etna_result_watchlist, ETNA_KIND_WATCHLIST, "watchlist")
ETNA_HPP_ITEM(EtnaStreamer, etna_result_streamer, ETNA_KIND_STREAMER, "streamer")
ETNA_HPP_ITEM(EtnaQuote, etna_result_quote, ETNA_KIND_QUOTE, "quote")
ETNA_HPP_ITEM(EtnaStreamState, etna_result_stream_state, ETNA_KIND_STREAM_STATE, "stream state")
ETNA_HPP_ITEM(EtnaWatchlistContent, etna_result_watchlist_content, ETNA_KIND_WATCHLIST_CONTENT,
              "watchlist content")
ETNA_HPP_ITEM(EtnaOption, etna_result_option, ETNA_KIND_OPTION, "option")
ETNA_HPP_ITEM(EtnaExpiration, etna_result_expiration, ETNA_KIND_EXPIRATION, "expiration")
ETNA_HPP_ITEM(EtnaPriceAlert, etna_result_price_alert, ETNA_KIND_PRICE_ALERT, "price alert")
ETNA_HPP_ITEM(EtnaNews, etna_result_news, ETNA_KIND_NEWS, "news")
ETNA_HPP_ITEM(EtnaHistoryPoint, etna_result_history_point, ETNA_KIND_HISTORY_POINT, "history point")
ETNA_HPP_ITEM(EtnaPositionGroup, etna_result_position_group, ETNA_KIND_POSITION_GROUP, "position group")
ETNA_HPP_ITEM(EtnaOrderDetail, etna_result_order_detail, ETNA_KIND_ORDER_DETAIL, "order detail")
ETNA_HPP_ITEM(EtnaRecord, etna_result_record, ETNA_KIND_RECORD, "record")
#undef ETNA_HPP_ITEM

/// The C items of `r`, which must be of C's kind (Error(ETNA_ERR_PROTOCOL) otherwise).
template <typename C>
std::vector<const C*> c_items(const EtnaResult* r) {
    if (etna_result_kind(r) != Item<C>::kind) {
        throw Error(ETNA_ERR_PROTOCOL, std::string("libetna answered with items that are not of kind ") +
                                           Item<C>::name);
    }
    const std::size_t n = etna_result_len(r);
    std::vector<const C*> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const C* item = Item<C>::get(r, i);
        if (item == nullptr) {
            throw Error(ETNA_ERR_PROTOCOL, std::string("libetna lost ") + Item<C>::name + " " + std::to_string(i));
        }
        out.push_back(item);
    }
    return out;
}

/// The one item of `r` (the first, should the broker send more).
template <typename C>
const C& c_one(const EtnaResult* r) {
    std::vector<const C*> items = c_items<C>(r);
    if (items.empty()) {
        throw Error(ETNA_ERR_PROTOCOL, std::string("the broker's answer holds no ") + Item<C>::name);
    }
    return *items.front();
}

/// Every item of `r`, as values.
template <typename C>
auto values(const EtnaResult* r) {
    std::vector<decltype(to_value(std::declval<const C&>()))> out;
    for (const C* item : c_items<C>(r)) {
        out.push_back(to_value(*item));
    }
    return out;
}

/// `r` as a Page.
template <typename C>
auto page(const EtnaResult* r) {
    Page<decltype(to_value(std::declval<const C&>()))> p;
    p.items = values<C>(r);
    p.total_count = etna_result_total_count(r);
    const int32_t next = etna_result_next_page(r);
    if (next >= 0) {
        p.next_page = next;
    }
    const char* json = etna_result_json(r);
    p.json = json ? json : "";
    return p;
}

}  // namespace detail

class Balances;

namespace detail {
Balances balances_of(Result r);
}  // namespace detail

/// An account's balances. The usual numbers are fields (NaN when the broker did not send them);
/// value() reads any other number the broker sent, by its name. A Balances shares the answer it
/// was read from (freed with the last copy), so copies are cheap and value() works on any of them.
class Balances {
public:
    double cash = std::numeric_limits<double>::quiet_NaN();
    double net_cash = std::numeric_limits<double>::quiet_NaN();
    double equity_total = std::numeric_limits<double>::quiet_NaN();
    double net_liquidity = std::numeric_limits<double>::quiet_NaN();
    double stock_buying_power = std::numeric_limits<double>::quiet_NaN();
    double day_trading_buying_power = std::numeric_limits<double>::quiet_NaN();
    double maintenance_margin = std::numeric_limits<double>::quiet_NaN();
    double open_pl = std::numeric_limits<double>::quiet_NaN();
    double market_value = std::numeric_limits<double>::quiet_NaN();
    std::string json;

    Balances() = default;

    /// The number the broker sent under `name`, spelled as the broker spells it ("cash",
    /// "optionBuyingPower", ...), or no value when it sent none (or this Balances was not read
    /// from an answer). Throws Error(ETNA_ERR_INVALID_ARGUMENT) for a name with a NUL byte and
    /// Error(ETNA_ERR_INVALID_UTF8) for one that is not UTF-8.
    std::optional<double> value(const std::string& name) const {
        const char* key = detail::c_str(name, "balance name");
        if (item_ == nullptr) {
            return std::nullopt;
        }
        double out = 0;
        EtnaError* err = nullptr;
        EtnaStatus status = etna_balances_value(item_, key, &out, &err);
        if (status == ETNA_ERR_NOT_FOUND) {
            etna_error_free(err);
            return std::nullopt;
        }
        check(status, err);
        return out;
    }

private:
    friend Balances detail::balances_of(detail::Result r);

    std::shared_ptr<const EtnaResult> result_;  // keeps item_ alive
    const EtnaBalances* item_ = nullptr;
};

/// The balances in `r` (an account's, or from a stream the user's), which the Balances keeps.
inline Balances detail::balances_of(Result r) {
    if (etna_result_kind(r.get()) == ETNA_KIND_USER_BALANCE && etna_result_balances(r.get(), 0) == nullptr) {
        throw Error(ETNA_ERR_PROTOCOL, "libetna lost the user's balances");
    }
    const EtnaBalances& s = etna_result_kind(r.get()) == ETNA_KIND_USER_BALANCE
                                ? *etna_result_balances(r.get(), 0)
                                : c_one<EtnaBalances>(r.get());
    Fields<EtnaBalances> f(s);
    Balances v;
    v.cash = f.number(&EtnaBalances::cash);
    v.net_cash = f.number(&EtnaBalances::net_cash);
    v.equity_total = f.number(&EtnaBalances::equity_total);
    v.net_liquidity = f.number(&EtnaBalances::net_liquidity);
    v.stock_buying_power = f.number(&EtnaBalances::stock_buying_power);
    v.day_trading_buying_power = f.number(&EtnaBalances::day_trading_buying_power);
    v.maintenance_margin = f.number(&EtnaBalances::maintenance_margin);
    v.open_pl = f.number(&EtnaBalances::open_pl);
    v.market_value = f.number(&EtnaBalances::market_value);
    v.json = f.text(&EtnaBalances::json);
    v.item_ = &s;
    // If making the shared_ptr throws, it frees the result itself.
    v.result_ = std::shared_ptr<const EtnaResult>(r.release(), ResultFree());
    return v;
}

/// What a record's field holds.
enum class FieldKind : int32_t {
    Unknown = ETNA_UNKNOWN,
    Text = ETNA_FIELD_TEXT,
    Number = ETNA_FIELD_NUMBER,
    Bool = ETNA_FIELD_BOOL,
    Null = ETNA_FIELD_NULL,
};

/// One value of a Record, named by its path (`Instruments.Stocks.Quantity`, `Items[0].Name`).
struct Field {
    std::string name;
    FieldKind kind = FieldKind::Unknown;
    /// Strings as sent, numbers as written, "true" or "false", "" for null.
    std::string text;
    /// Numbers, numeric strings, booleans (and the broker's "True"/"False") as 1 and 0; NaN otherwise.
    double number = std::numeric_limits<double>::quiet_NaN();
};

class Record;

namespace detail {
Record record_of(Result r);

inline Field to_value(const EtnaField& s) {
    Fields<EtnaField> f(s);
    Field v;
    v.name = f.text(&EtnaField::name);
    v.kind = f.code<FieldKind>(&EtnaField::kind, ETNA_FIELD_NULL);
    v.text = f.text(&EtnaField::text);
    v.number = f.number(&EtnaField::number);
    return v;
}
}  // namespace detail

/// An answer the broker documents by name only (an account's opening record, trading settings):
/// every value under its path, in the order sent. Copies share the answer (freed with the last).
class Record {
public:
    std::vector<Field> fields;
    std::string json;

    Record() = default;

    /// The field named `name` (ASCII case ignored), or none. Throws
    /// Error(ETNA_ERR_INVALID_ARGUMENT) for a name with a NUL byte.
    std::optional<Field> find(const std::string& name) const {
        const char* key = detail::c_str(name, "field name");
        const EtnaField* field = item_ ? etna_record_find(item_, key) : nullptr;
        return field ? std::optional<Field>(detail::to_value(*field)) : std::nullopt;
    }

private:
    friend Record detail::record_of(detail::Result r);

    std::shared_ptr<const EtnaResult> result_;  // keeps item_ alive
    const EtnaRecord* item_ = nullptr;
};

/// The record in `r`, which the Record keeps.
inline Record detail::record_of(Result r) {
    const EtnaRecord& s = c_one<EtnaRecord>(r.get());
    Fields<EtnaRecord> f(s);
    Record v;
    const std::size_t n = f.plain(&EtnaRecord::field_count, std::size_t{0});
    for (std::size_t i = 0; i < n; ++i) {
        const EtnaField* field = etna_record_field(&s, i);
        if (field == nullptr) {
            throw Error(ETNA_ERR_PROTOCOL, "libetna lost field " + std::to_string(i) + " of a record");
        }
        v.fields.push_back(to_value(*field));
    }
    v.json = f.text(&EtnaRecord::json);
    v.item_ = &s;
    // If making the shared_ptr throws, it frees the result itself.
    v.result_ = std::shared_ptr<const EtnaResult>(r.release(), ResultFree());
    return v;
}

// ---- Streams ----

/// One event of a stream: what it is (`kind`), the typed value it carries (`payload`:
/// Quote, Order, Position, Balances for both balance kinds, Watchlist, WatchlistContent or
/// StreamState; std::monostate for a kind this header does not know), and the message as JSON.
struct Event {
    EventKind kind = EventKind::Unknown;
    std::variant<std::monostate, Quote, Order, Position, Balances, Watchlist, WatchlistContent, StreamState>
        payload;
    std::string json;

    /// The payload if it is a T (`e.get<etna::Order>()`), else nullptr.
    template <typename T>
    const T* get() const noexcept {
        return std::get_if<T>(&payload);
    }

    /// True for the last event of a stream: a StreamState Closed or Failed.
    bool ends_stream() const noexcept {
        const StreamState* s = get<StreamState>();
        return s != nullptr && s->ends_stream();
    }
};

namespace detail {

/// The event in `r`, a one-item result of etna_stream_next.
inline Event event_of(Result r) {
    Event e;
    const char* json = etna_result_json(r.get());
    e.json = json ? json : "";
    switch (etna_result_kind(r.get())) {
    case ETNA_KIND_QUOTE:
        e.kind = EventKind::Quote;
        e.payload = to_value(c_one<EtnaQuote>(r.get()));
        break;
    case ETNA_KIND_ORDER:
        e.kind = EventKind::Order;
        e.payload = to_value(c_one<EtnaOrder>(r.get()));
        break;
    case ETNA_KIND_POSITION:
        e.kind = EventKind::Position;
        e.payload = to_value(c_one<EtnaPosition>(r.get()));
        break;
    case ETNA_KIND_BALANCES:
        e.kind = EventKind::Balances;
        e.payload = balances_of(std::move(r));  // keeps the result, for Balances::value()
        break;
    case ETNA_KIND_USER_BALANCE:
        e.kind = EventKind::UserBalance;
        e.payload = balances_of(std::move(r));
        break;
    case ETNA_KIND_WATCHLIST:
        e.kind = EventKind::Watchlist;
        e.payload = to_value(c_one<EtnaWatchlist>(r.get()));
        break;
    case ETNA_KIND_WATCHLIST_CONTENT:
        e.kind = EventKind::WatchlistContent;
        e.payload = to_value(c_one<EtnaWatchlistContent>(r.get()));
        break;
    case ETNA_KIND_STREAM_STATE:
        e.kind = EventKind::StreamState;
        e.payload = to_value(c_one<EtnaStreamState>(r.get()));
        break;
    default:
        break;  // a kind newer than this header: the JSON alone
    }
    return e;
}

/// A wait for etna_stream_next: 0 only looks, longer than INT32_MAX ms waits without end (-1).
inline int32_t stream_wait(std::chrono::milliseconds timeout) {
    if (timeout.count() < 0) {
        throw Error(ETNA_ERR_INVALID_ARGUMENT, "stream timeout is negative");
    }
    if (timeout.count() > static_cast<std::chrono::milliseconds::rep>(INT32_MAX)) {
        return -1;
    }
    return static_cast<int32_t>(timeout.count());
}

}  // namespace detail

class Stream;

/// A connection to one broker for one user. Owns its EtnaSession: movable, not copyable.
/// Destroying it frees the session without logging out (call logout() first). A moved-from
/// Session holds nothing; calls on it throw Error(ETNA_ERR_NULL_ARGUMENT).
class Session {
public:
    /// A session for the broker at `base_url` with the application key `app_key`; no request is
    /// made. Throws Error (ETNA_ERR_INVALID_ARGUMENT for a bad URL or key).
    Session(const std::string& base_url, const std::string& app_key) {
        EtnaSession* session = nullptr;
        EtnaError* err = nullptr;
        EtnaStatus status = etna_session_new(detail::c_str(base_url, "base URL"),
                                             detail::c_str(app_key, "app key"), &session, &err);
        check(status, err);
        handle_.reset(session);
    }

    /// Step one of a login. Returns Authenticated, or the step the broker wants next
    /// (VerificationRequired: call verify(); PinRequired: call pin()). Throws Error.
    AuthState login(const std::string& username, const std::string& password) {
        EtnaAuthState state = ETNA_AUTH_NONE;
        EtnaError* err = nullptr;
        EtnaStatus status = etna_login(handle(), detail::c_str(username, "user name"),
                                       detail::c_str(password, "password"), &state, &err);
        check(status, err);
        return static_cast<AuthState>(state);
    }

    /// The two-factor code the broker sent. Throws Error; ETNA_ERR_INVALID_VERIFICATION_CODE
    /// leaves the session waiting for a code while the broker allows (see state()).
    AuthState verify(const std::string& code) {
        EtnaAuthState state = ETNA_AUTH_NONE;
        EtnaError* err = nullptr;
        EtnaStatus status =
            etna_login_verify(handle(), detail::c_str(code, "verification code"), &state, &err);
        check(status, err);
        return static_cast<AuthState>(state);
    }

    /// The account's security PIN. Throws Error; ETNA_ERR_INVALID_PIN leaves the session
    /// waiting for a PIN while the broker allows (see state()).
    AuthState pin(const std::string& pin) {
        EtnaAuthState state = ETNA_AUTH_NONE;
        EtnaError* err = nullptr;
        EtnaStatus status = etna_login_pin(handle(), detail::c_str(pin, "PIN"), &state, &err);
        check(status, err);
        return static_cast<AuthState>(state);
    }

    /// Revokes the token. The session is logged out even when this throws Error, which then
    /// says only that the broker was not told.
    void logout() {
        EtnaError* err = nullptr;
        EtnaStatus status = etna_logout(handle(), &err);
        check(status, err);
    }

    /// Where the login stands (None for a moved-from session).
    AuthState state() const noexcept {
        return static_cast<AuthState>(etna_session_auth_state(handle()));
    }

    /// When the token expires, in Unix seconds; 0 when not logged in.
    int64_t token_expires_at() const noexcept { return etna_session_token_expires_at(handle()); }

    /// Limits for connecting and for a whole request (each 1 ms to 600 s). Throws Error.
    void set_timeouts(std::chrono::milliseconds connect, std::chrono::milliseconds request) {
        EtnaError* err = nullptr;
        EtnaStatus status = etna_session_set_timeouts(handle(), detail::millis(connect, "connect timeout"),
                                                      detail::millis(request, "request timeout"), &err);
        check(status, err);
    }

    /// How GETs are retried (POST, PUT and DELETE never are): `max_attempts` in all (1 to 10;
    /// 1 = never retry; default 3), pauses growing from `base_delay` to at most `max_delay`
    /// (at most 60 s) with jitter, never shorter than the broker's Retry-After; all attempts stay
    /// within the request timeout. Throws Error (ETNA_ERR_INVALID_ARGUMENT out of range).
    void set_retry_policy(uint32_t max_attempts, std::chrono::milliseconds base_delay,
                          std::chrono::milliseconds max_delay) {
        call(etna_session_set_retry_policy, max_attempts, detail::millis(base_delay, "base delay"),
             detail::millis(max_delay, "max delay"));
    }

    /// The largest answer body accepted (default 64 MiB, at least 1); a larger one throws
    /// Error(ETNA_ERR_PROTOCOL). Throws Error (ETNA_ERR_INVALID_ARGUMENT for 0).
    void set_max_response_bytes(uint64_t max_bytes) {
        call(etna_session_set_max_response_bytes, max_bytes);
    }

    /// Auto re-login (off by default): when on, the session keeps the user name and password of
    /// the next successful login (zeroed on logout, when turned off, or when the session is
    /// destroyed) and logs in again, once, when the token expires or is refused; a GET that
    /// failed for it is repeated. When logging in again needs a code or PIN, the call throws
    /// ETNA_ERR_NOT_AUTHENTICATED and the auth callback is told (see set_auth_callback).
    void set_auto_relogin(bool enabled) { call(etna_session_set_auto_relogin, enabled ? 1 : 0); }

    /// Places, replaces and cancels orders through the broker's "sync" order routes (true), which
    /// the venue validates too before the broker answers, or through the quick ones (false, the
    /// default). Applies to calls that start afterwards. Throws Error only for a moved-from Session.
    void set_sync_orders(bool enabled) { call(etna_session_set_sync_orders, enabled ? 1 : 0); }

    /// Trusts the CA certificates in the PEM file at `pem_path` as well as the built-in roots
    /// (a private broker, a corporate TLS proxy). Verification cannot be turned off. Throws Error
    /// (ETNA_ERR_INVALID_ARGUMENT for a missing or unreadable file, or one with no certificate).
    void set_ca_file(const std::string& pem_path) {
        call(etna_session_set_ca_file, detail::c_str(pem_path, "CA file path"));
    }

    /// Sends requests through the proxy at `url`, e.g. "http://proxy.example:3128"; no URL (the
    /// default) means the environment's HTTPS_PROXY / HTTP_PROXY / ALL_PROXY with NO_PROXY.
    /// Throws Error (ETNA_ERR_INVALID_ARGUMENT for a URL that is not an HTTP proxy URL; SOCKS
    /// is not supported).
    void set_proxy(const std::optional<std::string>& url = std::nullopt) {
        call(etna_session_set_proxy, url ? detail::c_str(*url, "proxy URL") : nullptr);
    }

    /// Interrupts the calls in flight on this session, from any thread: each throws
    /// Error(ETNA_ERR_CANCELLED) promptly (a request, its retries, wait_for_order). The session
    /// stays usable; calls that start afterwards run normally. Does nothing on a moved-from
    /// Session. Must not race with destroying or moving this Session, like any other call.
    void cancel() const noexcept { etna_session_cancel(handle()); }

    /// The logged-in session as sealed text for import_session() in another Session or process,
    /// so a restart needs no new two-factor login. It holds the token (never the password or app
    /// key): keep it like a password. Throws Error (ETNA_ERR_INVALID_STATE when not logged in).
    std::string export_session() { return call_json(etna_session_export); }

    /// Restores a session from export_session() text without a /token call; the state becomes
    /// Authenticated. Throws Error: ETNA_ERR_INVALID_ARGUMENT for malformed or edited text or text
    /// for another base URL or app key, ETNA_ERR_NOT_AUTHENTICATED when its token has expired.
    void import_session(const std::string& text) {
        call(etna_session_import, detail::c_str(text, "session text"));
    }

    /// Calls any endpoint: `method` "GET", "POST", "PUT", "DELETE" or "PATCH"; `path` relative to
    /// the base URL with its query already encoded; `json_body` sent as application/json.
    /// Throws Error for anything but a 2xx answer (ETNA_ERR_HTTP carries status, reason, body).
    Response request(const std::string& method, const std::string& path,
                     const std::optional<std::string>& json_body = std::nullopt) {
        const char* json = json_body ? detail::c_str(*json_body, "JSON body") : nullptr;
        uint16_t http_status = 0;
        char* body = nullptr;
        EtnaError* err = nullptr;
        EtnaStatus status = etna_request(handle(), detail::c_str(method, "method"),
                                         detail::c_str(path, "path"), json, &http_status, &body, &err);
        check(status, err);
        std::unique_ptr<char, detail::StringFree> owned(body);  // freed even if the copy throws
        return Response{http_status, body ? std::string(body) : std::string()};
    }

    /// request("GET", path).
    Response get(const std::string& path) { return request("GET", path); }

    /// Sends log lines of `min_level` (ETNA_LOG_ERROR = 1 .. ETNA_LOG_TRACE = 5) and above to
    /// `callback`, replacing any earlier one; an empty callback turns logging off. The callback
    /// runs on the thread making the call being logged (several at once if the session is
    /// shared); whatever it throws is swallowed. Throws Error (ETNA_ERR_INVALID_ARGUMENT for a
    /// bad level).
    void set_log_callback(LogCallback callback, int min_level = ETNA_LOG_INFO) {
        EtnaError* err = nullptr;
        if (!callback) {
            EtnaStatus status =
                etna_session_set_log_callback(handle(), nullptr, nullptr, nullptr, ETNA_LOG_ERROR, &err);
            check(status, err);
            return;
        }
        auto owned = std::make_unique<LogCallback>(std::move(callback));
        EtnaStatus status = etna_session_set_log_callback(handle(), detail::etna_hpp_log_trampoline, owned.get(),
                                                          detail::etna_hpp_log_free, min_level, &err);
        check(status, err);  // on failure libetna took nothing: `owned` deletes the callback
        owned.release();  // libetna owns it now and calls etna_hpp_log_free once
    }

    /// Calls `callback` with the new state on every change of the login state: each login step,
    /// logout, import_session(), and when auto re-login finds the broker wants a code or PIN (a
    /// person must then call verify() or pin()). Replaces any earlier callback; an empty one
    /// removes it. It runs on the thread whose call made the change; whatever it throws is
    /// swallowed. Throws Error only for a moved-from Session.
    void set_auth_callback(AuthCallback callback) {
        EtnaError* err = nullptr;
        if (!callback) {
            EtnaStatus status = etna_session_set_auth_callback(handle(), nullptr, nullptr, nullptr, &err);
            check(status, err);
            return;
        }
        auto owned = std::make_unique<AuthCallback>(std::move(callback));
        EtnaStatus status = etna_session_set_auth_callback(handle(), detail::etna_hpp_auth_trampoline,
                                                           owned.get(), detail::etna_hpp_auth_free, &err);
        check(status, err);  // on failure libetna took nothing: `owned` deletes the callback
        owned.release();  // libetna owns it now and calls etna_hpp_auth_free once
    }

    // The trading API. Each method is one C function of etna.h: it throws Error as request()
    // does, and hands back typed values (see "Typed answers" above; each keeps the broker's JSON
    // in `json`). The libetna result behind an answer is freed before the method returns, also
    // when reading it throws. Paging: page_number from 0, page_size 1 to 100 (1 to 99 for
    // positions, the broker's limit); ask for Page::next_page until it is empty. Orders are
    // checked before anything is sent: a bad one throws Error(ETNA_ERR_INVALID_ARGUMENT) and
    // reaches no broker.

    /// The logged-in user.
    User user_info() { return detail::to_value(detail::c_one<EtnaUser>(call_result(etna_get_user_info).get())); }

    /// The user's accounts; each `id` is an account id.
    std::vector<Account> accounts() { return detail::values<EtnaAccount>(call_result(etna_get_accounts).get()); }

    /// One account's full record: the Account fields it carries, and all of it in `json`. An
    /// account that does not exist throws Error with http_status() 404.
    Account account(int64_t account_id) {
        return detail::to_value(detail::c_one<EtnaAccount>(call_result(etna_get_account, account_id).get()));
    }

    /// An account's balances; Balances::value() reads any number the broker sent by name.
    Balances account_info(int64_t account_id) {
        return detail::balances_of(call_result(etna_get_account_info, account_id));
    }

    /// All the user's accounts together: account_info's balances, added up.
    Balances user_balances() { return detail::balances_of(call_result(etna_get_user_balances)); }

    /// An account's opening record (who opened it, when, how): `details.find("CreatedAt")`.
    /// Another user's account throws Error with http_status() 401.
    Record account_details(int64_t account_id) {
        return detail::record_of(call_result(etna_get_account_details, account_id));
    }

    /// The user's trading settings: `settings.find("Instruments.Stocks.Quantity")`.
    Record trading_settings() { return detail::record_of(call_result(etna_get_trading_settings)); }

    /// Changes the trading settings `changes_json` names (a JSON object, e.g.
    /// `{"Instruments":{"Stocks":{"Quantity":50}}}`); answers the settings as they are then. A value
    /// of the wrong type throws ETNA_ERR_HTTP (422) and changes nothing.
    Record set_trading_settings(const std::string& changes_json) {
        return detail::record_of(
            call_result(etna_set_trading_settings, detail::c_str(changes_json, "trading settings JSON")));
    }

    /// One page of the account's positions.
    Page<Position> positions(int64_t account_id, int32_t page_number = 0, int32_t page_size = 50) {
        return detail::page<EtnaPosition>(call_result(etna_get_positions, account_id, page_number, page_size).get());
    }

    /// The account's positions in one ticker; empty when there is none.
    std::vector<Position> position(int64_t account_id, const std::string& symbol) {
        return detail::values<EtnaPosition>(
            call_result(etna_get_position, account_id, detail::c_str(symbol, "symbol")).get());
    }

    /// One page of the account's transactions, newest first (fills are OrderExecution).
    Page<Transaction> transactions(int64_t account_id, int32_t page_number = 0, int32_t page_size = 50) {
        return detail::page<EtnaTransaction>(
            call_result(etna_get_transactions, account_id, page_number, page_size).get());
    }

    /// One page of the account's orders, optionally filtered by the broker's filter expression,
    /// e.g. "Status in (0,1)" (encoded by the library).
    Page<Order> orders(int64_t account_id, const std::optional<std::string>& filter = std::nullopt,
                       int32_t page_number = 0, int32_t page_size = 50) {
        const char* f = filter ? detail::c_str(*filter, "filter") : nullptr;
        return detail::page<EtnaOrder>(call_result(etna_get_orders, account_id, f, page_number, page_size).get());
    }

    /// The order with this ClientId, or no value when the broker has none: then it was never
    /// accepted and may be sent again. Use it after an error whose client_id() is set
    /// (ETNA_ERR_OUTCOME_UNKNOWN above all) instead of placing the order twice. Throws Error for
    /// anything else (ETNA_ERR_INVALID_ARGUMENT for an empty id or one with quotes).
    std::optional<Order> find_order_by_client_id(int64_t account_id, const std::string& client_id) {
        EtnaResult* r = nullptr;
        EtnaError* err = nullptr;
        EtnaStatus status = etna_find_order_by_client_id(
            handle(), account_id, detail::c_str(client_id, "client id"), &r, &err);
        detail::Result owned(r);
        if (status == ETNA_ERR_NOT_FOUND) {
            etna_error_free(err);
            return std::nullopt;
        }
        check(status, err);
        return detail::to_value(detail::c_one<EtnaOrder>(owned.get()));
    }

    /// One order.
    Order order(int64_t account_id, int64_t order_id) {
        return order_of(call_result(etna_get_order, account_id, order_id));
    }

    /// Places an order from CreateOrderResource JSON, e.g.
    /// {"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":10,"Price":180,"TimeInForce":"Day"}.
    /// Returns the order as the broker took it (`id`; `status` starts at PendingNew: follow it
    /// with order() or wait_for_order()). Every order carries a ClientId (yours, or a new one);
    /// never retried. Error(ETNA_ERR_OUTCOME_UNKNOWN) means it may have reached the broker: its
    /// client_id() is the key for find_order_by_client_id() before sending it again.
    Order place_order(int64_t account_id, const std::string& order_json) {
        return order_of(call_result(etna_place_order, account_id, detail::c_str(order_json, "order JSON")));
    }

    /// What an order would cost, without placing it. A business reject throws
    /// Error(ETNA_ERR_REJECTED) whose api_reason() is the broker's ErrorDescription.
    Preview preview_order(int64_t account_id, const std::string& order_json) {
        detail::Result r = call_result(etna_preview_order, account_id, detail::c_str(order_json, "order JSON"));
        return detail::to_value(detail::c_one<EtnaPreview>(r.get()));
    }

    /// What replace_order() with these changes would cost, without changing the order. Throws
    /// Error: ETNA_ERR_REJECTED when the broker would refuse the change, ETNA_ERR_HTTP (404, 409)
    /// for an order it does not know or that can no longer change.
    Preview preview_replace_order(int64_t account_id, int64_t order_id, const std::string& changes_json) {
        detail::Result r = call_result(etna_preview_replace_order, account_id, order_id,
                                       detail::c_str(changes_json, "order changes JSON"));
        return detail::to_value(detail::c_one<EtnaPreview>(r.get()));
    }

    /// Changes an open order with ModifyOrderResource JSON, e.g. {"Price":181.5} (`Id` is filled
    /// in), and returns it as the broker now has it: use its `id` from then on (the broker may
    /// give it a new one; the old id ends as Replaced). Throws Error: ETNA_ERR_REJECTED for a
    /// business reject, ETNA_ERR_HTTP with http_status() 409 when the order can no longer change.
    Order replace_order(int64_t account_id, int64_t order_id, const std::string& changes_json) {
        return order_of(call_result(etna_replace_order, account_id, order_id,
                                    detail::c_str(changes_json, "order changes JSON")));
    }

    /// Cancels an open order. A finished one throws Error(ETNA_ERR_HTTP) with http_status() 409.
    void cancel_order(int64_t account_id, int64_t order_id) {
        call(etna_cancel_order, account_id, order_id);
    }

    /// Blocks until the order is Filled, Canceled, Rejected, Expired, DoneForDay, Error or
    /// Replaced (final for this id: the order lives on under the id replace_order() answered) and
    /// returns it (read its `status`). Throws Error: ETNA_ERR_TIMEOUT if it is still open after
    /// `timeout`, ETNA_ERR_CANCELLED when cancel() interrupts it.
    Order wait_for_order(int64_t account_id, int64_t order_id, std::chrono::milliseconds timeout) {
        return order_of(
            call_result(etna_wait_for_order, account_id, order_id, detail::millis(timeout, "wait timeout")));
    }

    /// Places the common equity order and returns its id. `side` ("Buy", "Sell", "SellShort",
    /// "BuyToCover"), `type` ("Market", "Limit", "Stop", "StopLimit", ...) and `time_in_force`
    /// ("Day", "GoodTillCancel", ...) are the broker's names; `price` counts only for Limit and
    /// StopLimit, `stop_price` only for Stop and StopLimit. Its errors carry the order's new
    /// ClientId (Error::client_id()), as place_order()'s do.
    int64_t place_simple_order(int64_t account_id, const std::string& symbol, const std::string& side,
                               const std::string& type, double quantity, double price = 0.0,
                               double stop_price = 0.0, const std::string& time_in_force = "Day") {
        int64_t order_id = 0;
        EtnaError* err = nullptr;
        EtnaStatus status = etna_place_simple_order(
            handle(), account_id, detail::c_str(symbol, "symbol"), detail::c_str(side, "side"),
            detail::c_str(type, "type"), quantity, price, stop_price,
            detail::c_str(time_in_force, "time in force"), &order_id, &err);
        check(status, err);
        return order_id;
    }

    /// One equity by ticker. An unknown ticker throws ETNA_ERR_HTTP (404).
    Security equity(const std::string& symbol) {
        detail::Result r = call_result(etna_get_equity, detail::c_str(symbol, "symbol"));
        return detail::to_value(detail::c_one<EtnaSecurity>(r.get()));
    }

    /// Up to `count` (>= 1) equities matching `mask`.
    std::vector<Security> lookup_equities(const std::string& mask, int32_t count = 10) {
        return detail::values<EtnaSecurity>(
            call_result(etna_lookup_equities, detail::c_str(mask, "mask"), count).get());
    }

    /// Candles, oldest first, for a ChartHistoryRequestModel (see etna_get_price_history). No data
    /// throws ETNA_ERR_HTTP (409).
    std::vector<Candle> price_history(const std::string& request_json) {
        return detail::values<EtnaCandle>(
            call_result(etna_get_price_history, detail::c_str(request_json, "history request JSON")).get());
    }

    /// The candles of a ChartHistoryRequestModel (as for price_history) as a spreadsheet file: the
    /// bytes of the .xlsx workbook the broker answers. No data throws ETNA_ERR_HTTP (409).
    std::vector<uint8_t> export_price_history(const std::string& request_json) {
        uint8_t* data = nullptr;
        std::size_t len = 0;
        EtnaError* err = nullptr;
        EtnaStatus status = etna_export_price_history(
            handle(), detail::c_str(request_json, "history request JSON"), &data, &len, &err);
        check(status, err);
        std::unique_ptr<uint8_t, detail::BytesFree> owned(data);  // freed even if the copy throws
        return data ? std::vector<uint8_t>(data, data + len) : std::vector<uint8_t>();
    }

    /// Candles of several securities for a ChartCompareRequestModel (see
    /// etna_compare_price_history): each security's candles oldest first, in the order asked;
    /// Candle::series says which. An unknown symbol or no data throws ETNA_ERR_HTTP (409).
    std::vector<Candle> compare_price_history(const std::string& request_json) {
        return detail::values<EtnaCandle>(
            call_result(etna_compare_price_history, detail::c_str(request_json, "comparison request JSON"))
                .get());
    }

    /// The streamer addresses, quote streamers first.
    std::vector<Streamer> streamers() { return detail::values<EtnaStreamer>(call_result(etna_get_streamers).get()); }

    /// Opens a stream of live events (see Stream): `StreamKind::Quotes` for quotes,
    /// `StreamKind::Data` for orders, positions, balances and watchlists. Throws Error (see
    /// Stream::Stream).
    Stream open_stream(StreamKind kind);

    /// The user's watchlists with their securities.
    std::vector<Watchlist> watchlists() {
        return detail::values<EtnaWatchlist>(call_result(etna_get_watchlists).get());
    }

    /// One watchlist with its securities. One that does not exist throws ETNA_ERR_HTTP (404).
    Watchlist watchlist(int64_t watchlist_id) {
        return detail::to_value(detail::c_one<EtnaWatchlist>(call_result(etna_get_watchlist, watchlist_id).get()));
    }

    /// Creates an empty watchlist and returns it (its `id` is what the calls below take). A name
    /// already in use throws ETNA_ERR_HTTP (409).
    Watchlist create_watchlist(const std::string& name) {
        detail::Result r = call_result(etna_create_watchlist, detail::c_str(name, "watchlist name"));
        return detail::to_value(detail::c_one<EtnaWatchlist>(r.get()));
    }

    /// Deletes a watchlist. A read-only one throws ETNA_ERR_HTTP (409).
    void delete_watchlist(int64_t watchlist_id) { call(etna_delete_watchlist, watchlist_id); }

    /// Adds the security with ticker `symbol` to a watchlist.
    void add_to_watchlist(int64_t watchlist_id, const std::string& symbol) {
        call(etna_add_to_watchlist, watchlist_id, detail::c_str(symbol, "symbol"));
    }

    /// Removes the security with ticker `symbol` from a watchlist.
    void remove_from_watchlist(int64_t watchlist_id, const std::string& symbol) {
        call(etna_remove_from_watchlist, watchlist_id, detail::c_str(symbol, "symbol"));
    }

    /// Renames a watchlist (1 to 256 bytes). A read-only one throws ETNA_ERR_HTTP (409).
    void rename_watchlist(int64_t watchlist_id, const std::string& name) {
        call(etna_rename_watchlist, watchlist_id, detail::c_str(name, "watchlist name"));
    }

    /// Adds the security with id `security_id` to a watchlist. An unknown id throws ETNA_ERR_HTTP
    /// (404).
    void add_to_watchlist_by_id(int64_t watchlist_id, int64_t security_id) {
        call(etna_add_to_watchlist_by_id, watchlist_id, security_id);
    }

    /// Removes the security with id `security_id` from a watchlist.
    void remove_from_watchlist_by_id(int64_t watchlist_id, int64_t security_id) {
        call(etna_remove_from_watchlist_by_id, watchlist_id, security_id);
    }

    // Options. An option order goes through place_order() and preview_order(): one leg as an
    // equity order with the option's `symbol`; a spread with Symbol "", Type Market or Limit
    // (a net Price) and Legs [{Symbol, Quantity, Side}, ...].

    /// One option by its OSI symbol ("AAPL  261218C00190000") or its id as text. An unknown one
    /// throws ETNA_ERR_HTTP (404).
    OptionContract option(const std::string& symbol_or_id) {
        detail::Result r = call_result(etna_get_option, detail::c_str(symbol_or_id, "option symbol"));
        return detail::to_value(detail::c_one<EtnaOption>(r.get()));
    }

    /// One option by its id.
    OptionContract option(int64_t option_id) { return option(std::to_string(option_id)); }

    /// The expirations of an underlying's options, earliest first.
    std::vector<Expiration> option_expirations(const std::string& underlying) {
        return detail::values<EtnaExpiration>(
            call_result(etna_get_option_expirations, detail::c_str(underlying, "underlying")).get());
    }

    /// An underlying's option chain: every option of every expiration listed, optionally
    /// filtered by the broker's filter, e.g. "Range = 1" (strikes near the money) or
    /// "Expiration = #2026-12-18T00:00:00Z#".
    std::vector<OptionContract> option_chain(const std::string& underlying,
                                             const std::optional<std::string>& filter = std::nullopt) {
        const char* f = filter ? detail::c_str(*filter, "filter") : nullptr;
        return detail::values<EtnaOption>(
            call_result(etna_get_option_chain, detail::c_str(underlying, "underlying"), f).get());
    }

    /// One page of every listed option, optionally filtered by the broker's filter expression
    /// (e.g. "UnderlyingAssetSymbol = 'AAPL'").
    Page<OptionContract> options(const std::optional<std::string>& filter = std::nullopt, int32_t page_number = 0,
                                 int32_t page_size = 50) {
        const char* f = filter ? detail::c_str(*filter, "filter") : nullptr;
        return detail::page<EtnaOption>(call_result(etna_get_options, f, page_number, page_size).get());
    }

    /// One page of every equity, optionally filtered by the broker's filter expression.
    Page<Security> equities(const std::optional<std::string>& filter = std::nullopt, int32_t page_number = 0,
                            int32_t page_size = 50) {
        const char* f = filter ? detail::c_str(*filter, "filter") : nullptr;
        return detail::page<EtnaSecurity>(call_result(etna_get_equities, f, page_number, page_size).get());
    }

    // Price alerts: the broker watches a price for the user.

    /// One page of the user's price alerts, oldest first.
    Page<PriceAlert> price_alerts(int32_t page_number = 0, int32_t page_size = 50) {
        return detail::page<EtnaPriceAlert>(call_result(etna_get_price_alerts, page_number, page_size).get());
    }

    /// One price alert. An unknown one throws ETNA_ERR_HTTP (404).
    PriceAlert price_alert(int64_t alert_id) {
        detail::Result r = call_result(etna_get_price_alert, alert_id);
        return detail::to_value(detail::c_one<EtnaPriceAlert>(r.get()));
    }

    /// Creates a price alert from JSON and returns it, e.g.
    /// {"SecurityId":1,"Field":"Last","Operator":"GTEQ","Argument":200,"State":"New","ExpirationDate":1798761600}
    /// (ExpirationDate in Unix seconds). JSON that is not an object throws
    /// Error(ETNA_ERR_INVALID_ARGUMENT) before any request.
    PriceAlert create_price_alert(const std::string& alert_json) {
        detail::Result r = call_result(etna_create_price_alert, detail::c_str(alert_json, "price alert JSON"));
        return detail::to_value(detail::c_one<EtnaPriceAlert>(r.get()));
    }

    /// Changes a price alert with the same JSON as create_price_alert() (fields left out keep
    /// their values; {"State":"Stopped"} pauses it) and returns it as changed.
    PriceAlert update_price_alert(int64_t alert_id, const std::string& alert_json) {
        detail::Result r =
            call_result(etna_update_price_alert, alert_id, detail::c_str(alert_json, "price alert JSON"));
        return detail::to_value(detail::c_one<EtnaPriceAlert>(r.get()));
    }

    /// Deletes a price alert. An unknown one throws ETNA_ERR_HTTP (404).
    void delete_price_alert(int64_t alert_id) { call(etna_delete_price_alert, alert_id); }

    // Research and account history.

    /// News for a ticker, one item per story.
    std::vector<News> news(const std::string& symbol) {
        return detail::values<EtnaNews>(call_result(etna_get_news, detail::c_str(symbol, "symbol")).get());
    }

    /// Corporate actions (dividends, splits, ...) for a ticker.
    std::vector<News> corporate_actions(const std::string& symbol) {
        return detail::values<EtnaNews>(
            call_result(etna_get_corporate_actions, detail::c_str(symbol, "symbol")).get());
    }

    /// An account's value per day between two instants (`from` not after `to`, neither before the
    /// Unix epoch: Error(ETNA_ERR_INVALID_ARGUMENT) otherwise).
    std::vector<HistoryPoint> account_history(int64_t account_id, Instant from, Instant to) {
        return detail::values<EtnaHistoryPoint>(
            call_result(etna_get_account_history, account_id, unix_ms(from), unix_ms(to)).get());
    }

    /// An account's market value by asset class.
    std::vector<PositionGroup> position_groups(int64_t account_id) {
        return detail::values<EtnaPositionGroup>(call_result(etna_get_position_groups, account_id).get());
    }

    /// An order's state history, oldest first: one item per state it went through.
    std::vector<OrderDetail> order_details(int64_t account_id, int64_t order_id) {
        return detail::values<EtnaOrderDetail>(call_result(etna_get_order_details, account_id, order_id).get());
    }

    /// The broker's verification of an order: whether it passes and what it costs.
    Preview verified_order(int64_t account_id, int64_t order_id) {
        detail::Result r = call_result(etna_get_verified_order, account_id, order_id);
        return detail::to_value(detail::c_one<EtnaPreview>(r.get()));
    }

    /// The C handle, still owned by this Session, for calls this header does not wrap.
    EtnaSession* handle() const noexcept { return handle_.get(); }

private:
    struct Free {
        void operator()(EtnaSession* session) const noexcept { etna_session_free(session); }
    };

    /// Calls `fn(handle(), args..., &json, &err)`, throws Error unless it succeeded, and returns
    /// the text it handed over (libetna's copy is freed, also if copying throws).
    template <typename Fn, typename... Args>
    std::string call_json(Fn fn, Args... args) {
        char* json = nullptr;
        EtnaError* err = nullptr;
        EtnaStatus status = fn(handle(), args..., &json, &err);
        std::unique_ptr<char, detail::StringFree> owned(json);
        check(status, err);
        return json ? std::string(json) : std::string();
    }

    /// Calls `fn(handle(), args..., &result, &err)`, throws Error unless it succeeded, and returns
    /// the result, owned: it is freed however the reading of it ends.
    template <typename Fn, typename... Args>
    detail::Result call_result(Fn fn, Args... args) {
        EtnaResult* result = nullptr;
        EtnaError* err = nullptr;
        EtnaStatus status = fn(handle(), args..., &result, &err);
        detail::Result owned(result);
        check(status, err);
        if (!owned) {
            throw Error(ETNA_ERR_PROTOCOL, "libetna answered with no result");
        }
        return owned;
    }

    /// The order in `r`.
    static Order order_of(const detail::Result& r) { return detail::to_value(detail::c_one<EtnaOrder>(r.get())); }

    /// Calls `fn(handle(), args..., &err)` and throws Error unless it succeeded.
    template <typename Fn, typename... Args>
    void call(Fn fn, Args... args) {
        EtnaError* err = nullptr;
        EtnaStatus status = fn(handle(), args..., &err);
        check(status, err);
    }

    std::unique_ptr<EtnaSession, Free> handle_;
};

/// A live stream from one of the broker's streamers, opened from a logged-in Session
/// (Session::open_stream(), or this constructor): subscribe, then pull events with next(). Owns
/// its EtnaStream: movable, not copyable. Subscriptions are replayed after every reconnect, and
/// reconnects arrive as StreamState events (on the data stream followed by a Gap: the broker
/// replays nothing, so read orders and positions again). Quotes are conflated per security when
/// the reader falls behind (stats() counts them); other events are never dropped. The stream
/// keeps what it needs of the session, so it may outlive the Session. Destroying it closes and
/// frees it (waiting at most about 100 ms for its I/O thread).
///
/// Its methods may be called from several threads; close() from any of them, also while another
/// waits in next(), which then wakes. Only destroying or moving a Stream must not race with other
/// calls on it. A moved-from Stream holds nothing: calls on it throw
/// Error(ETNA_ERR_NULL_ARGUMENT), close() does nothing.
class Stream {
public:
    /// Connects to the streamer of `kind` with the session's settings (TLS, CA file, proxy,
    /// connect timeout) and token; the first event is a StreamState Connected. Throws Error:
    /// ETNA_ERR_NOT_AUTHENTICATED (not logged in, or the streamer refused the session),
    /// ETNA_ERR_INVALID_STATE (LoginForm without auto re-login), ETNA_ERR_INVALID_ARGUMENT (a kind
    /// that is neither Quotes nor Data), ETNA_ERR_NETWORK, ETNA_ERR_TIMEOUT, ETNA_ERR_TLS,
    /// ETNA_ERR_PROTOCOL, ETNA_ERR_CANCELLED (Session::cancel()).
    Stream(const Session& session, StreamKind kind) {
        EtnaStream* stream = nullptr;
        EtnaError* err = nullptr;
        EtnaStatus status = etna_stream_open(session.handle(), static_cast<EtnaStreamKind>(kind), &stream, &err);
        check(status, err);
        handle_.reset(stream);
    }

    /// Subscribes to `entity_type` events for `keys` joined by ';': "Quote" (security ids) on a
    /// quote stream; "Order", "Position", "AccountBalance" (account ids), "UserBalance",
    /// "Watchlist" (the user's id) and "WatchlistContent" (watchlist ids) on a data stream. Throws
    /// Error: ETNA_ERR_INVALID_ARGUMENT (unknown entity type, one of the other streamer, bad keys),
    /// ETNA_ERR_INVALID_STATE (closed).
    void subscribe(const std::string& entity_type, const std::string& keys) {
        call(etna_stream_subscribe, detail::c_str(entity_type, "entity type"), detail::c_str(keys, "keys"));
    }

    /// subscribe(entity_type, one key), e.g. subscribe("Order", account_id).
    void subscribe(const std::string& entity_type, int64_t key) { subscribe(entity_type, std::to_string(key)); }

    /// Ends a subscription (same arguments as subscribe()).
    void unsubscribe(const std::string& entity_type, const std::string& keys) {
        call(etna_stream_unsubscribe, detail::c_str(entity_type, "entity type"), detail::c_str(keys, "keys"));
    }

    void unsubscribe(const std::string& entity_type, int64_t key) { unsubscribe(entity_type, std::to_string(key)); }

    /// Subscribes a quote stream to tickers joined by ';' ("AAPL;MSFT"), each looked up over REST
    /// first. Throws Error: ETNA_ERR_HTTP 404 for an unknown ticker (nothing is subscribed then),
    /// ETNA_ERR_INVALID_ARGUMENT (no ticker, or a data stream), ETNA_ERR_INVALID_STATE (closed).
    void subscribe_quotes(const std::string& tickers) {
        call(etna_stream_subscribe_quotes, detail::c_str(tickers, "tickers"));
    }

    /// subscribe_quotes() for a list of tickers.
    void subscribe_quotes(const std::vector<std::string>& tickers) {
        std::string joined;
        for (const std::string& t : tickers) {
            joined += (joined.empty() ? "" : ";") + t;
        }
        subscribe_quotes(joined);
    }

    /// The next event, waiting up to `timeout` (0 only looks; the default, or anything longer
    /// than INT32_MAX ms, waits until an event comes or the stream ends). No value when none came
    /// in time. Throws Error: ETNA_ERR_CANCELLED once the stream is closed and every event was
    /// taken (after the StreamState Closed event: Event::ends_stream()); for a failed stream, after
    /// its StreamState Failed, the error that ended it (e.g. ETNA_ERR_NOT_AUTHENTICATED);
    /// ETNA_ERR_PROTOCOL for a message that is not the JSON expected (the stream goes on: the next
    /// call reads the next event); ETNA_ERR_INVALID_ARGUMENT for a negative timeout.
    std::optional<Event> next(std::chrono::milliseconds timeout = std::chrono::milliseconds::max()) {
        const int32_t wait = detail::stream_wait(timeout);
        EtnaResult* r = nullptr;
        EtnaError* err = nullptr;
        EtnaStatus status = etna_stream_next(handle(), wait, &r, &err);
        detail::Result owned(r);
        if (status == ETNA_ERR_TIMEOUT) {
            etna_error_free(err);
            return std::nullopt;
        }
        check(status, err);
        if (!owned) {
            throw Error(ETNA_ERR_PROTOCOL, "libetna answered with no event");
        }
        return detail::event_of(std::move(owned));
    }

    /// The stream's counters.
    StreamStats stats() const {
        EtnaStreamStats c{};
        c.struct_size = static_cast<uint32_t>(sizeof c);
        EtnaError* err = nullptr;
        EtnaStatus status = etna_stream_stats(handle(), &c, &err);
        check(status, err);
        StreamStats v;
        v.received = c.received;
        v.delivered = c.delivered;
        v.conflated = c.conflated;
        v.queued = c.queued;
        v.high_water = c.high_water;
        v.reconnects = c.reconnects;
        v.gaps = c.gaps;
        if (c.last_message_age_ms >= 0) {
            v.last_message_age = std::chrono::milliseconds(c.last_message_age_ms);
        }
        return v;
    }

    /// How long silence is tolerated (`stale_after`, at least 100 ms; then a ping, and as long
    /// again without an answer replaces the connection) and how reconnects back off (from
    /// `reconnect_min`, doubling with jitter, up to `reconnect_max`). Defaults 30 s, 250 ms,
    /// 30 s. Throws Error (ETNA_ERR_INVALID_ARGUMENT out of range).
    void set_timing(std::chrono::milliseconds stale_after, std::chrono::milliseconds reconnect_min,
                    std::chrono::milliseconds reconnect_max) {
        call(etna_stream_set_timing, detail::millis(stale_after, "stale after"),
             detail::millis(reconnect_min, "reconnect min"), detail::millis(reconnect_max, "reconnect max"));
    }

    /// Closes the stream, from any thread: its connection is shut, a next() waiting elsewhere
    /// wakes, and the events already queued (ending with StreamState Closed) can still be taken;
    /// then next() throws ETNA_ERR_CANCELLED. Closing again, or a moved-from Stream, does nothing.
    void close() noexcept { etna_stream_close(handle(), nullptr); }

    /// The C handle, still owned by this Stream, for calls this header does not wrap.
    EtnaStream* handle() const noexcept { return handle_.get(); }

private:
    struct Free {
        void operator()(EtnaStream* stream) const noexcept { etna_stream_free(stream); }
    };

    /// Calls `fn(handle(), args..., &err)` and throws Error unless it succeeded.
    template <typename Fn, typename... Args>
    void call(Fn fn, Args... args) {
        EtnaError* err = nullptr;
        EtnaStatus status = fn(handle(), args..., &err);
        check(status, err);
    }

    std::unique_ptr<EtnaStream, Free> handle_;
};

inline Stream Session::open_stream(StreamKind kind) { return Stream(*this, kind); }

/// The library's version, e.g. "0.1.0". Static; never NULL.
inline const char* version() noexcept { return etna_version(); }

/// A static description of any status code. Never NULL.
inline const char* status_str(EtnaStatus code) noexcept { return etna_status_str(code); }

}  // namespace etna

#endif  // ETNA_HPP
