/*
 * libetna for C++17: RAII and exceptions over the C ABI in etna.h. Header-only; every function
 * is inline, so any number of translation units may include it. Link with -letna.
 *
 *   etna::Session session("https://pub-api-et-demo-prod.etnasoft.us/api/", app_key);
 *   if (session.login(user, password) == etna::AuthState::VerificationRequired)
 *       session.verify(code_from_the_user);
 *   std::cout << session.user_info() << '\n';
 *   int64_t id = session.place_simple_order(account_id, "AAPL", "Buy", "Market", 10);
 *   std::cout << session.wait_for_order(account_id, id, std::chrono::seconds(30)) << '\n';
 *   session.logout();
 *
 * Every call that can fail throws etna::Error. A session may be used from several threads at
 * once, as in C; only destroying or moving it must not race with other calls. cancel() is the
 * way to stop a call in flight from another thread.
 */
#ifndef ETNA_HPP
#define ETNA_HPP

#include "etna.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

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
    // does, and JSON answers come back as the broker's text (parse it with any JSON library).
    // Paging: page_number from 0, page_size 1 to 100 (1 to 99 for positions, the broker's limit);
    // follow NextPageLink for more. Order rules are checked before anything is
    // sent: a bad order throws Error(ETNA_ERR_INVALID_ARGUMENT) and reaches no broker.

    /// The logged-in user: UserInfoModel JSON.
    std::string user_info() { return call_json(etna_get_user_info); }

    /// The user's accounts: a JSON array of UserAccountModel; each `Id` is an account id.
    std::string accounts() { return call_json(etna_get_accounts); }

    /// An account's balances: a flat JSON object of camelCase numbers (`cash`, `netCash`, ...).
    std::string account_info(int64_t account_id) {
        return call_json(etna_get_account_info, account_id);
    }

    /// One page of the account's positions: `{Result, NextPageLink, PreviousPageLink, TotalCount}`.
    std::string positions(int64_t account_id, int32_t page_number = 0, int32_t page_size = 50) {
        return call_json(etna_get_positions, account_id, page_number, page_size);
    }

    /// The account's position in one ticker: a JSON array, empty when there is none.
    std::string position(int64_t account_id, const std::string& symbol) {
        return call_json(etna_get_position, account_id, detail::c_str(symbol, "symbol"));
    }

    /// One page of the account's transactions, newest first (fills are `"OrderExecution"`).
    std::string transactions(int64_t account_id, int32_t page_number = 0, int32_t page_size = 50) {
        return call_json(etna_get_transactions, account_id, page_number, page_size);
    }

    /// One page of the account's orders, optionally filtered by the broker's filter expression,
    /// e.g. "Status in (0,1)" (encoded by the library).
    std::string orders(int64_t account_id, const std::optional<std::string>& filter = std::nullopt,
                       int32_t page_number = 0, int32_t page_size = 50) {
        const char* f = filter ? detail::c_str(*filter, "filter") : nullptr;
        return call_json(etna_get_orders, account_id, f, page_number, page_size);
    }

    /// The order with this ClientId (OrderResource JSON), or no value when the broker has none:
    /// then it was never accepted and may be sent again. Use it after an error whose client_id()
    /// is set (ETNA_ERR_OUTCOME_UNKNOWN above all) instead of placing the order twice. Throws
    /// Error for anything else (ETNA_ERR_INVALID_ARGUMENT for an empty id or one with quotes).
    std::optional<std::string> find_order_by_client_id(int64_t account_id, const std::string& client_id) {
        char* json = nullptr;
        EtnaError* err = nullptr;
        EtnaStatus status = etna_find_order_by_client_id(
            handle(), account_id, detail::c_str(client_id, "client id"), &json, &err);
        if (status == ETNA_ERR_NOT_FOUND) {
            etna_error_free(err);
            return std::nullopt;
        }
        check(status, err);
        std::unique_ptr<char, detail::StringFree> owned(json);
        return json ? std::string(json) : std::string();
    }

    /// One order: OrderResource JSON.
    std::string order(int64_t account_id, int64_t order_id) {
        return call_json(etna_get_order, account_id, order_id);
    }

    /// Places an order from CreateOrderResource JSON, e.g.
    /// {"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":10,"Price":180,"TimeInForce":"Day"}.
    /// Returns the broker's OrderResource (`Id`; `Status` starts at PendingNew: follow it with
    /// order() or wait_for_order()). Every order carries a ClientId (yours, or a new one); never
    /// retried. Error(ETNA_ERR_OUTCOME_UNKNOWN) means it may have reached the broker: its
    /// client_id() is the key for find_order_by_client_id() before sending it again.
    std::string place_order(int64_t account_id, const std::string& order_json) {
        return call_json(etna_place_order, account_id, detail::c_str(order_json, "order JSON"));
    }

    /// What an order would cost, without placing it. A business reject throws
    /// Error(ETNA_ERR_REJECTED) whose api_reason() is the broker's ErrorDescription.
    std::string preview_order(int64_t account_id, const std::string& order_json) {
        return call_json(etna_preview_order, account_id, detail::c_str(order_json, "order JSON"));
    }

    /// Changes an open order with ModifyOrderResource JSON, e.g. {"Price":181.5} (`Id` is filled
    /// in). Throws Error: ETNA_ERR_REJECTED for a business reject, ETNA_ERR_HTTP with
    /// http_status() 409 when the order can no longer change.
    std::string replace_order(int64_t account_id, int64_t order_id, const std::string& changes_json) {
        return call_json(etna_replace_order, account_id, order_id,
                         detail::c_str(changes_json, "order changes JSON"));
    }

    /// Cancels an open order. A finished one throws Error(ETNA_ERR_HTTP) with http_status() 409.
    void cancel_order(int64_t account_id, int64_t order_id) {
        call(etna_cancel_order, account_id, order_id);
    }

    /// Blocks until the order is Filled, Canceled, Rejected, Expired, DoneForDay, Error or
    /// Replaced (final for this id: the order lives on under the id replace_order() answered) and
    /// returns it (OrderResource JSON; read its Status). Throws Error: ETNA_ERR_TIMEOUT if it is
    /// still open after `timeout`, ETNA_ERR_CANCELLED when cancel() interrupts it.
    std::string wait_for_order(int64_t account_id, int64_t order_id, std::chrono::milliseconds timeout) {
        return call_json(etna_wait_for_order, account_id, order_id, detail::millis(timeout, "wait timeout"));
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

    /// One equity by ticker: EquityResource JSON. An unknown ticker throws ETNA_ERR_HTTP (404).
    std::string equity(const std::string& symbol) {
        return call_json(etna_get_equity, detail::c_str(symbol, "symbol"));
    }

    /// Up to `count` (>= 1) equities matching `mask`: a JSON array of EquityResource.
    std::string lookup_equities(const std::string& mask, int32_t count = 10) {
        return call_json(etna_lookup_equities, detail::c_str(mask, "mask"), count);
    }

    /// Candles for a ChartHistoryRequestModel (see etna_get_price_history). No data throws
    /// ETNA_ERR_HTTP (409).
    std::string price_history(const std::string& request_json) {
        return call_json(etna_get_price_history, detail::c_str(request_json, "history request JSON"));
    }

    /// The quote and data streamer addresses: {"QuoteAddresses":[...],"DataAddresses":[...]}.
    std::string streamers() { return call_json(etna_get_streamers); }

    /// The user's watchlists with their securities: a JSON array of WatchlistModel.
    std::string watchlists() { return call_json(etna_get_watchlists); }

    /// Creates an empty watchlist and returns it (its `Id` is what the calls below take). A name
    /// already in use throws ETNA_ERR_HTTP (409).
    std::string create_watchlist(const std::string& name) {
        return call_json(etna_create_watchlist, detail::c_str(name, "watchlist name"));
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

    /// The C handle, still owned by this Session, for calls this header does not wrap.
    EtnaSession* handle() const noexcept { return handle_.get(); }

private:
    struct Free {
        void operator()(EtnaSession* session) const noexcept { etna_session_free(session); }
    };

    /// Calls `fn(handle(), args..., &json, &err)`, throws Error unless it succeeded, and returns
    /// the JSON it handed over (libetna's copy is freed, also if copying throws).
    template <typename Fn, typename... Args>
    std::string call_json(Fn fn, Args... args) {
        char* json = nullptr;
        EtnaError* err = nullptr;
        EtnaStatus status = fn(handle(), args..., &json, &err);
        check(status, err);
        std::unique_ptr<char, detail::StringFree> owned(json);
        return json ? std::string(json) : std::string();
    }

    /// Calls `fn(handle(), args..., &err)` and throws Error unless it succeeded.
    template <typename Fn, typename... Args>
    void call(Fn fn, Args... args) {
        EtnaError* err = nullptr;
        EtnaStatus status = fn(handle(), args..., &err);
        check(status, err);
    }

    std::unique_ptr<EtnaSession, Free> handle_;
};

/// The library's version, e.g. "0.1.0". Static; never NULL.
inline const char* version() noexcept { return etna_version(); }

/// A static description of any status code. Never NULL.
inline const char* status_str(EtnaStatus code) noexcept { return etna_status_str(code); }

}  // namespace etna

#endif  // ETNA_HPP
