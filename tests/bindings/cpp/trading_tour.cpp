// Calls every trading method of etna.hpp once against the simulator, plus the error paths, and
// prints one line per step for tests/bindings/cpp.rs to check (the same lines as
// tests/bindings/csharp/TradingTour.cs; the checks live in
// tests/bindings/support/trading_checks.rs):
//
//   <step>: <JSON answer>                      the call succeeded
//   <step>: ok                                 a call with no answer succeeded
//   <step>: <number>                           an order id
//   <step>: error code=<n> http=<h> reason=<r> the call threw etna::Error
//
// Log in with ETNA_BASE_URL, ETNA_APP_KEY, ETNA_USERNAME, ETNA_PASSWORD (a user without a second
// step, e.g. alice). Exits 0 unless something other than etna::Error goes wrong.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>

#include "etna.hpp"

namespace {

const char* const kSymbol = "AAPL";

std::string env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr) {
        throw std::runtime_error(std::string(name) + " is not set");
    }
    return value;
}

// Runs `call` and prints its answer, or the etna::Error it threw; returns the answer ("" for
// an error).
std::string step(const char* name, const std::function<std::string()>& call) {
    try {
        std::string answer = call();
        std::cout << name << ": " << (answer.empty() ? "ok" : answer) << std::endl;
        return answer;
    } catch (const etna::Error& e) {
        std::cout << name << ": error code=" << e.code() << " http=" << e.http_status()
                  << " reason=" << e.api_reason() << std::endl;
        return std::string();
    }
}

// The number after the first "name": in `json`; 0 when there is none.
int64_t number(const std::string& json, const std::string& name) {
    std::string::size_type at = json.find("\"" + name + "\"");
    if (at == std::string::npos || (at = json.find(':', at)) == std::string::npos) {
        return 0;
    }
    return std::strtoll(json.c_str() + at + 1, nullptr, 10);
}

}  // namespace

int main() {
    try {
        etna::Session session(env("ETNA_BASE_URL"), env("ETNA_APP_KEY"));
        if (session.login(env("ETNA_USERNAME"), env("ETNA_PASSWORD")) != etna::AuthState::Authenticated) {
            throw std::runtime_error("the tour wants a user who logs in with a password alone");
        }
        step("user_info", [&] { return session.user_info(); });
        std::string accounts = session.accounts();
        std::cout << "accounts: " << accounts << std::endl;
        const int64_t account = number(accounts, "Id");
        step("account_info", [&] { return session.account_info(account); });

        step("lookup", [&] { return session.lookup_equities("A", 10); });
        step("equity", [&] { return session.equity(kSymbol); });
        step("unknown_equity", [&] { return session.equity("NOSUCHTICKER"); });

        const std::string limit = std::string(R"({"Symbol":")") + kSymbol +
                                  R"(","Type":"Limit","Side":"Buy","Quantity":1,"Price":1.0,"TimeInForce":"Day","ClientId":"tour-limit"})";
        step("preview", [&] { return session.preview_order(account, limit); });
        step("preview_rejected", [&] {
            return session.preview_order(account, std::string(R"({"Symbol":")") + kSymbol +
                                                      R"(","Type":"Market","Side":"Buy","Quantity":100000000})");
        });

        // An open order: read, list, change (which may give it a new id), wait for (in vain),
        // cancel twice.
        std::string placed = session.place_order(account, limit);
        std::cout << "place_order: " << placed << std::endl;
        const int64_t limit_id = number(placed, "Id");
        step("order", [&] { return session.order(account, limit_id); });
        step("orders", [&] { return session.orders(account); });
        step("orders_filtered", [&] { return session.orders(account, std::string("Side = 'Buy'"), 0, 10); });
        const std::string replaced =
            step("replace_order", [&] { return session.replace_order(account, limit_id, R"({"Price":1.05})"); });
        const int64_t open_id = replaced.empty() ? limit_id : number(replaced, "Id");
        step("wait_open", [&] { return session.wait_for_order(account, open_id, std::chrono::milliseconds(50)); });
        step("cancel_order", [&] { session.cancel_order(account, open_id); return std::string(); });
        step("cancel_again", [&] { session.cancel_order(account, open_id); return std::string(); });
        step("replace_canceled", [&] { return session.replace_order(account, open_id, R"({"Price":1.10})"); });

        // Bad arguments: refused before any request.
        step("bad_simple", [&] {
            return std::to_string(session.place_simple_order(account, kSymbol, "Buy", "Market", -5));
        });
        step("bad_json", [&] {
            return session.place_order(account, R"({"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":-1})");
        });
        step("bad_preview", [&] {
            return session.preview_order(account, R"({"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1})");
        });
        step("bad_page", [&] { return session.positions(account, 0, 0); });
        step("nul_symbol", [&] { return session.equity(std::string("AA\0PL", 5)); });
        step("bad_wait", [&] {
            return session.wait_for_order(account, limit_id, std::chrono::milliseconds(-1));
        });

        // A Market order fills and makes a position.
        const int64_t market_id = session.place_simple_order(account, kSymbol, "Buy", "Market", 5);
        std::cout << "market_order: " << market_id << std::endl;
        step("filled", [&] { return session.wait_for_order(account, market_id, std::chrono::seconds(30)); });
        step("position", [&] { return session.position(account, kSymbol); });
        step("positions", [&] { return session.positions(account); });
        step("transactions", [&] { return session.transactions(account, 0, 20); });

        step("price_history", [&] {
            return session.price_history(std::string(R"({"Security":{"Symbol":")") + kSymbol +
                                         R"("},"SecurityHistorySettings":{"StartDate":1764000000,"EndDate":1764086400,"CandlesCount":-1,"Period":"1h","Interval":0,"IncludeNonMarketData":false},"IndicatorsHistorySettings":[]})");
        });
        step("streamers", [&] { return session.streamers(); });

        std::string list = session.create_watchlist("Tour list");
        std::cout << "create_watchlist: " << list << std::endl;
        const int64_t list_id = number(list, "Id");
        step("duplicate_watchlist", [&] { return session.create_watchlist("Tour list"); });
        step("add_to_watchlist", [&] { session.add_to_watchlist(list_id, kSymbol); return std::string(); });
        step("watchlists", [&] { return session.watchlists(); });
        step("remove_from_watchlist", [&] {
            session.remove_from_watchlist(list_id, kSymbol);
            return std::string();
        });
        step("delete_watchlist", [&] { session.delete_watchlist(list_id); return std::string(); });
        step("watchlists_after", [&] { return session.watchlists(); });

        session.logout();
        step("after_logout", [&] { return session.accounts(); });

        etna::Session moved = std::move(session);
        step("moved_from", [&] { return session.user_info(); });  // NOLINT(bugprone-use-after-move)
        std::cout << "done" << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "tour failed: " << e.what() << std::endl;
        return 1;
    }
}
