// Calls every trading method of etna.hpp once against the simulator, plus the error paths, and
// prints one line per step for tests/bindings/cpp.rs to check (the same lines as
// tests/bindings/csharp/TradingTour.cs; the checks live in
// tests/bindings/support/trading_checks.rs):
//
//   <step>: <field>=<value>|...|json=<JSON>    a typed value, every field (records.hpp)
//   <step>: count=<n>...                       a list or page, then <step>[i]: <value> lines
//   <step>: ok                                 a call with no answer succeeded
//   <step>: <number>                           an order id, a balance
//   <step>: error code=<n> http=<h> reason=<r> the call threw etna::Error
//
// Log in with ETNA_BASE_URL, ETNA_APP_KEY, ETNA_USERNAME, ETNA_PASSWORD (a user without a second
// step, e.g. alice). Exits 0 unless something other than etna::Error goes wrong.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

#include "etna.hpp"
#include "records.hpp"

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

// A balance read by name: the number, or "none".
std::string balance(const etna::Balances& b, const std::string& name) {
    std::optional<double> v = b.value(name);
    return v ? tour::number(*v) : "none";
}

// A record's field by name: its kind, text and number, or "none".
std::string field(const etna::Record& r, const std::string& name) {
    std::optional<etna::Field> f = r.find(name);
    if (!f) {
        return "none";
    }
    return "kind=" + std::to_string(static_cast<int32_t>(f->kind)) + "|text=" + f->text +
           "|number=" + tour::number(f->number);
}

// An EtnaOrder as a libetna older than this header writes it: struct_size stops before
// `quantity`, so the fields from there on (left full of values here) must read as absent.
std::string short_struct() {
    EtnaOrder c{};
    c.id = 7;
    c.symbol = "AAPL";
    c.status = ETNA_ORDER_STATUS_FILLED;
    c.quantity = 3;
    c.average_price = 180.5;
    c.created_at_ms = 1764000000000;
    c.status_text = "Filled";
    c.json = "{}";
    c.struct_size = static_cast<uint32_t>(offsetof(EtnaOrder, quantity));
    const etna::Order o = etna::detail::to_value(c);
    return tour::Record()
        .id("id", o.id)
        .text("symbol", o.symbol)
        .code("status", o.status)
        .number("quantity", o.quantity)
        .number("average_price", o.average_price)
        .instant("created_at_ms", o.created_at)
        .text("status_text", o.status_text)
        .str();
}

}  // namespace

int main() {
    using tour::show;
    using tour::show_list;
    using tour::show_page;
    try {
        etna::Session session(env("ETNA_BASE_URL"), env("ETNA_APP_KEY"));
        if (session.login(env("ETNA_USERNAME"), env("ETNA_PASSWORD")) != etna::AuthState::Authenticated) {
            throw std::runtime_error("the tour wants a user who logs in with a password alone");
        }
        step("user_info", [&] { return show(session.user_info()); });
        const std::vector<etna::Account> accounts = session.accounts();
        std::cout << "accounts: " << show_list("accounts", accounts) << std::endl;
        const int64_t account = accounts.at(0).id;
        step("account", [&] { return show(session.account(account)); });
        step("unknown_account", [&] { return show(session.account(999999)); });
        const etna::Balances balances = session.account_info(account);
        std::cout << "account_info: " << show(balances) << std::endl;
        step("balance_cash", [&] { return balance(balances, "cash"); });
        step("balance_option_buying_power", [&] { return balance(balances, "optionBuyingPower"); });
        step("balance_missing", [&] { return balance(balances, "noSuchBalance"); });
        const etna::Balances copy = balances;  // a copy shares the answer: value() still works
        step("balance_copy", [&] { return balance(copy, "cash"); });
        step("balance_nul", [&] { return balance(balances, std::string("ca\0sh", 5)); });
        step("user_balances", [&] { return show(session.user_balances()); });

        // Records: answers the broker documents by name only.
        const etna::Record details = session.account_details(account);
        std::cout << "account_details: " << show(details) << std::endl;
        step("account_created", [&] { return field(details, "createdat"); });
        step("account_no_field", [&] { return field(details, "NoSuchField"); });
        step("trading_settings", [&] { return show(session.trading_settings()); });
        step("set_trading_settings", [&] {
            return show(session.set_trading_settings(R"({"Instruments":{"Stocks":{"Quantity":50}}})"));
        });
        step("stock_quantity", [&] { return field(session.trading_settings(), "Instruments.Stocks.Quantity"); });
        step("bad_trading_settings", [&] { return show(session.set_trading_settings(R"({"MaxStocksQuantity":"lots"})")); });

        step("lookup", [&] { return show_list("lookup", session.lookup_equities("A", 10)); });
        step("equity", [&] { return show(session.equity(kSymbol)); });
        step("unknown_equity", [&] { return show(session.equity("NOSUCHTICKER")); });

        const std::string limit = std::string(R"({"Symbol":")") + kSymbol +
                                  R"(","Type":"Limit","Side":"Buy","Quantity":1,"Price":1.0,"TimeInForce":"Day","ClientId":"tour-limit"})";
        step("preview", [&] { return show(session.preview_order(account, limit)); });
        step("preview_rejected", [&] {
            return show(session.preview_order(account, std::string(R"({"Symbol":")") + kSymbol +
                                                           R"(","Type":"Market","Side":"Buy","Quantity":100000000})"));
        });

        // An open order: read, list, change (which may give it a new id), wait for (in vain),
        // cancel twice.
        const etna::Order placed = session.place_order(account, limit);
        std::cout << "place_order: " << show(placed) << std::endl;
        const int64_t limit_id = placed.id;
        step("order", [&] { return show(session.order(account, limit_id)); });
        step("orders", [&] { return show_page("orders", session.orders(account)); });
        step("orders_filtered", [&] {
            return show_page("orders_filtered", session.orders(account, std::string("Side = 'Buy'"), 0, 10));
        });
        int64_t open_id = limit_id;
        step("preview_replace", [&] { return show(session.preview_replace_order(account, limit_id, R"({"Quantity":3})")); });
        step("replace_order", [&] {
            const etna::Order replaced = session.replace_order(account, limit_id, R"({"Price":1.05})");
            open_id = replaced.id;
            return show(replaced);
        });
        step("wait_open", [&] { return show(session.wait_for_order(account, open_id, std::chrono::milliseconds(50))); });
        step("cancel_order", [&] { session.cancel_order(account, open_id); return std::string(); });
        step("cancel_again", [&] { session.cancel_order(account, open_id); return std::string(); });
        step("replace_canceled", [&] { return show(session.replace_order(account, open_id, R"({"Price":1.10})")); });

        // Bad arguments: refused before any request.
        step("bad_simple", [&] {
            return std::to_string(session.place_simple_order(account, kSymbol, "Buy", "Market", -5));
        });
        step("bad_json", [&] {
            return show(session.place_order(account, R"({"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":-1})"));
        });
        step("bad_preview", [&] {
            return show(session.preview_order(account, R"({"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1})"));
        });
        step("bad_page", [&] { return show_page("bad_page", session.positions(account, 0, 0)); });
        step("nul_symbol", [&] { return show(session.equity(std::string("AA\0PL", 5))); });
        step("bad_wait", [&] {
            return show(session.wait_for_order(account, limit_id, std::chrono::milliseconds(-1)));
        });

        // A Market order fills and makes a position.
        const int64_t market_id = session.place_simple_order(account, kSymbol, "Buy", "Market", 5);
        std::cout << "market_order: " << market_id << std::endl;
        step("filled", [&] {
            const etna::Order done = session.wait_for_order(account, market_id, std::chrono::seconds(30));
            std::cout << "filled_is_final: " << (done.is_final() && etna::is_final(done.status) ? 1 : 0) << std::endl;
            return show(done);
        });
        step("position", [&] { return show_list("position", session.position(account, kSymbol)); });
        step("positions", [&] { return show_page("positions", session.positions(account)); });
        step("transactions", [&] { return show_page("transactions", session.transactions(account, 0, 20)); });

        // Every order, one to a page, following next_page.
        step("orders_paged", [&] {
            std::string ids;
            int64_t total = -1;
            int pages = 0;
            for (std::optional<int32_t> page = 0; page && pages < 50; ++pages) {
                const etna::Page<etna::Order> one = session.orders(account, std::nullopt, *page, 1);
                for (const etna::Order& o : one.items) {
                    ids += (ids.empty() ? "" : ",") + std::to_string(o.id);
                }
                total = one.total_count;
                page = one.next_page;
            }
            return "pages=" + std::to_string(pages) + "|total=" + std::to_string(total) + "|ids=" + ids;
        });

        step("price_history", [&] {
            return show_list("price_history",
                             session.price_history(std::string(R"({"Security":{"Symbol":")") + kSymbol +
                                                   R"("},"SecurityHistorySettings":{"StartDate":1764000000,"EndDate":1764086400,"CandlesCount":-1,"Period":"1h","Interval":0,"IncludeNonMarketData":false},"IndicatorsHistorySettings":[]})"));
        });
        step("export_price_history", [&] {
            const std::vector<uint8_t> file = session.export_price_history(
                std::string(R"({"Security":{"Symbol":")") + kSymbol +
                R"("},"SecurityHistorySettings":{"StartDate":1764000000,"EndDate":1764086400,"CandlesCount":-1,"Period":"1h","Interval":0,"IncludeNonMarketData":false},"IndicatorsHistorySettings":[]})");
            return "bytes=" + std::to_string(file.size()) + "|starts=" + std::string(file.begin(), file.begin() + 2);
        });
        step("compare_price_history", [&] {
            return show_list("compare_price_history",
                             session.compare_price_history(std::string(R"({"Securities":[{"Symbol":")") + kSymbol +
                                                           R"("},{"Symbol":"MSFT"}],"SecuritiesHistorySettings":{"StartDate":1764000000,"EndDate":1764086400,"CandlesCount":-1,"Period":"1h","Interval":0,"IncludeNonMarketData":false}})"));
        });
        step("streamers", [&] { return show_list("streamers", session.streamers()); });

        const etna::Watchlist list = session.create_watchlist("Tour list");
        std::cout << "create_watchlist: " << show(list) << std::endl;
        const int64_t list_id = list.id;
        step("duplicate_watchlist", [&] { return show(session.create_watchlist("Tour list")); });
        step("add_to_watchlist", [&] { session.add_to_watchlist(list_id, kSymbol); return std::string(); });
        step("watchlists", [&] { return show_list("watchlists", session.watchlists()); });
        step("watchlist", [&] { return show(session.watchlist(list_id)); });
        step("remove_from_watchlist", [&] {
            session.remove_from_watchlist(list_id, kSymbol);
            return std::string();
        });
        step("delete_watchlist", [&] { session.delete_watchlist(list_id); return std::string(); });
        step("watchlists_after", [&] { return show_list("watchlists_after", session.watchlists()); });
        step("deleted_watchlist", [&] { return show(session.watchlist(list_id)); });

        session.logout();
        step("after_logout", [&] { return show_list("after_logout", session.accounts()); });

        etna::Session moved = std::move(session);
        step("moved_from", [&] { return show(session.user_info()); });  // NOLINT(bugprone-use-after-move)
        std::cout << "short_struct: " << short_struct() << std::endl;
        std::cout << "done" << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "tour failed: " << e.what() << std::endl;
        return 1;
    }
}
