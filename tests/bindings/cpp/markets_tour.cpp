// Calls every method of etna.hpp for options, equity pages, price alerts, news, account history,
// position groups, order state history and verification, sync order routes and watchlist changes
// by id once against the simulator, plus their error paths, and prints one line per step for
// tests/bindings/cpp.rs to check (the same lines as tests/bindings/csharp/MarketsTour.cs; the
// checks live in tests/bindings/support/markets_checks.rs):
//
//   <step>: <field>=<value>|...|json=<JSON>    a typed value, every field (records.hpp)
//   <step>: count=<n>...                       a list or page, then <step>[i]: <value> lines
//   <step>: ok                                 a call with no answer succeeded
//   <step>: <text>                             an id, a symbol
//   <step>: error code=<n> http=<h> reason=<r> the call threw etna::Error
//
// Log in with ETNA_BASE_URL, ETNA_APP_KEY, ETNA_USERNAME, ETNA_PASSWORD (a user without a second
// step with a cash and a margin account, e.g. alice). Trades in the margin account: a spread's
// short leg writes an option, which a cash account may not. Exits 0 unless something other than
// etna::Error goes wrong.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "etna.hpp"
#include "records.hpp"

namespace {

const char* const kUnderlying = "AAPL";

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

std::string leg(const std::string& symbol, const char* side) {
    return R"({"Symbol":")" + symbol + R"(","Quantity":1,"Side":")" + side + R"("})";
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
        const std::vector<etna::Account> accounts = session.accounts();
        const auto margin = std::find_if(accounts.begin(), accounts.end(), [](const etna::Account& a) {
            return a.margin_type == etna::MarginType::Margin;
        });
        const auto cash = std::find_if(accounts.begin(), accounts.end(), [](const etna::Account& a) {
            return a.margin_type == etna::MarginType::Cash;
        });
        if (margin == accounts.end() || cash == accounts.end()) {
            throw std::runtime_error("the tour wants a user with a cash and a margin account");
        }
        const int64_t account = margin->id;
        std::cout << "account: " << account << std::endl;
        const etna::Security underlying = session.equity(kUnderlying);
        const etna::Security other = session.equity("MSFT");

        // Options: expirations, chains (near the money, and whole), one option by symbol and by
        // id, pages of every option and every equity.
        const std::vector<etna::Expiration> expirations = session.option_expirations(kUnderlying);
        std::cout << "option_expirations: " << show_list("option_expirations", expirations) << std::endl;
        const std::vector<etna::OptionContract> near = session.option_chain(kUnderlying, std::string("Range = 1"));
        std::cout << "option_chain: " << show_list("option_chain", near) << std::endl;
        step("option_chain_all", [&] { return show_list("option_chain_all", session.option_chain(kUnderlying)); });
        step("option_chain_bad_filter", [&] {
            return show_list("option_chain_bad_filter", session.option_chain(kUnderlying, std::string("Range = x")));
        });
        step("option_chain_unknown", [&] { return show_list("option_chain_unknown", session.option_chain("NOSUCH")); });

        // The two calls of the nearest expiration around the money: a vertical spread's legs.
        std::vector<etna::OptionContract> calls;
        for (const etna::OptionContract& o : near) {
            if (o.option_type == etna::OptionType::Call && o.expiration == near.at(0).expiration) {
                calls.push_back(o);
            }
        }
        std::sort(calls.begin(), calls.end(),
                  [](const etna::OptionContract& a, const etna::OptionContract& b) { return a.strike < b.strike; });
        if (calls.size() < 2) {
            throw std::runtime_error("fewer than two calls near the money");
        }
        const etna::OptionContract& lower = calls.front();
        const etna::OptionContract& higher = calls.back();
        std::cout << "spread_legs: " << lower.symbol << ";" << higher.symbol << std::endl;

        step("option", [&] { return show(session.option(lower.symbol)); });
        step("option_by_id", [&] { return show(session.option(lower.id)); });
        step("option_unknown", [&] { return show(session.option("AAPL  200101C00001000")); });
        step("options", [&] {
            return show_page("options", session.options(std::string("UnderlyingAssetSymbol = 'AAPL'"), 0, 5));
        });
        step("options_default", [&] {
            const etna::Page<etna::OptionContract> page = session.options();
            return "count=" + std::to_string(page.items.size()) + "|total=" + std::to_string(page.total_count);
        });
        step("options_bad_page", [&] { return show_page("options_bad_page", session.options(std::nullopt, 0, 0)); });
        step("equities", [&] { return show_page("equities", session.equities(std::nullopt, 0, 10)); });
        step("equities_filtered", [&] {
            return show_page("equities_filtered", session.equities(std::string("Symbol = 'AAPL'")));
        });
        step("equities_second_page", [&] { return show_page("equities_second_page", session.equities(std::nullopt, 1, 10)); });

        // Option orders: a single leg previewed, placed and filled; a spread previewed and placed.
        const std::string single = R"({"Symbol":")" + lower.symbol +
                                   R"(","Type":"Market","Side":"Buy","Quantity":1,"TimeInForce":"Day"})";
        step("option_preview", [&] { return show(session.preview_order(account, single)); });
        int64_t option_order = -1;
        step("option_order", [&] {
            const etna::Order placed = session.place_order(account, single);
            option_order = placed.id;
            return show(placed);
        });
        step("option_filled", [&] {
            return show(session.wait_for_order(account, option_order, std::chrono::seconds(30)));
        });
        // Buy the lower strike, write the higher (SellShort: Sell would close a position held).
        const std::string spread = R"({"Symbol":"","Type":"Limit","Price":0.01,"TimeInForce":"Day","Legs":[)" +
                                   leg(lower.symbol, "Buy") + "," + leg(higher.symbol, "SellShort") + "]}";
        step("spread_preview", [&] { return show(session.preview_order(account, spread)); });
        step("spread_in_cash", [&] { return show(session.preview_order(cash->id, spread)); });
        int64_t spread_order = -1;
        step("spread_order", [&] {
            const etna::Order placed = session.place_order(account, spread);
            spread_order = placed.id;
            return show(placed);
        });
        step("spread_no_legs", [&] {
            return show(session.place_order(account, R"({"Symbol":"","Type":"Limit","Price":1,"Legs":[]})"));
        });
        step("spread_bad_leg", [&] {
            return show(session.preview_order(
                account, R"({"Symbol":"","Type":"Limit","Price":1,"Legs":[{"Symbol":"X","Quantity":0,"Side":"Buy"}]})"));
        });

        // An order's history and the broker's verification of it.
        step("order_details", [&] { return show_list("order_details", session.order_details(account, option_order)); });
        step("spread_details", [&] { return show_list("spread_details", session.order_details(account, spread_order)); });
        step("order_details_unknown", [&] {
            return show_list("order_details_unknown", session.order_details(account, 987654321));
        });
        step("verified_order", [&] { return show(session.verified_order(account, option_order)); });
        step("verified_unknown", [&] { return show(session.verified_order(account, 987654321)); });

        // The sync routes: an order placed and canceled through them, then the quick ones again.
        step("sync_on", [&] { session.set_sync_orders(true); return std::string(); });
        int64_t sync_order = -1;
        step("sync_order", [&] {
            const etna::Order placed = session.place_order(
                account, std::string(R"({"Symbol":")") + kUnderlying +
                             R"(","Type":"Limit","Side":"Buy","Quantity":1,"Price":1.0,"TimeInForce":"Day"})");
            sync_order = placed.id;
            return show(placed);
        });
        step("sync_cancel", [&] { session.cancel_order(account, sync_order); return std::string(); });
        step("sync_off", [&] { session.set_sync_orders(false); return std::string(); });
        step("quick_order", [&] {
            return std::to_string(session.place_simple_order(account, kUnderlying, "Buy", "Market", 2));
        });

        // Account history and position groups (after the fills above).
        const etna::Instant now = std::chrono::system_clock::now();
        step("account_history", [&] {
            return show_list("account_history", session.account_history(account, now - std::chrono::hours(24 * 10), now));
        });
        step("account_history_backwards", [&] {
            return show_list("account_history_backwards",
                             session.account_history(account, now, now - std::chrono::hours(24)));
        });
        step("position_groups", [&] { return show_list("position_groups", session.position_groups(account)); });

        // News and corporate actions.
        step("news", [&] { return show_list("news", session.news(kUnderlying)); });
        step("corporate_actions", [&] { return show_list("corporate_actions", session.corporate_actions(kUnderlying)); });
        step("news_unknown", [&] { return show_list("news_unknown", session.news("NOSUCHTICKER")); });

        // Price alerts: create, list, read, change, stop, delete; a bad body and an unknown id.
        const int64_t expires = std::chrono::duration_cast<std::chrono::seconds>(
                                    (now + std::chrono::hours(24 * 30)).time_since_epoch())
                                    .count();
        int64_t alert = -1;
        step("create_price_alert", [&] {
            const etna::PriceAlert created = session.create_price_alert(
                R"({"SecurityId":)" + std::to_string(underlying.id) +
                R"(,"Field":"Last","Operator":"GTEQ","Argument":100000,"State":"New","ExpirationDate":)" +
                std::to_string(expires) + "}");
            alert = created.id;
            return show(created);
        });
        step("price_alerts", [&] { return show_page("price_alerts", session.price_alerts()); });
        step("price_alert", [&] { return show(session.price_alert(alert)); });
        step("update_price_alert", [&] { return show(session.update_price_alert(alert, R"({"Argument":200000})")); });
        step("stop_price_alert", [&] { return show(session.update_price_alert(alert, R"({"State":"Stopped"})")); });
        step("bad_price_alert", [&] { return show(session.create_price_alert("[1]")); });
        step("delete_price_alert", [&] { session.delete_price_alert(alert); return std::string(); });
        step("deleted_price_alert", [&] { return show(session.price_alert(alert)); });
        step("delete_again", [&] { session.delete_price_alert(alert); return std::string(); });
        step("price_alerts_after", [&] { return show_page("price_alerts_after", session.price_alerts(0, 10)); });

        // Watchlists: renamed, and changed by security id.
        const etna::Watchlist list = session.create_watchlist("Markets tour");
        const int64_t list_id = list.id;
        std::cout << "watchlist: " << list_id << std::endl;
        step("rename_watchlist", [&] { session.rename_watchlist(list_id, "Markets tour renamed"); return std::string(); });
        step("rename_empty", [&] { session.rename_watchlist(list_id, " "); return std::string(); });
        step("add_by_id", [&] { session.add_to_watchlist_by_id(list_id, underlying.id); return std::string(); });
        step("add_other_by_id", [&] { session.add_to_watchlist_by_id(list_id, other.id); return std::string(); });
        const auto ours = [&](const char* name) {
            for (const etna::Watchlist& w : session.watchlists()) {
                if (w.id == list_id) {
                    return show(w);
                }
            }
            throw std::runtime_error(std::string(name) + ": the tour's watchlist is gone");
        };
        step("watchlist_after_add", [&] { return ours("watchlist_after_add"); });
        step("remove_by_id", [&] { session.remove_from_watchlist_by_id(list_id, underlying.id); return std::string(); });
        step("watchlist_after_remove", [&] { return ours("watchlist_after_remove"); });
        step("add_unknown_id", [&] { session.add_to_watchlist_by_id(list_id, 987654321); return std::string(); });
        session.delete_watchlist(list_id);

        // Text with a NUL byte never reaches the broker.
        step("nul_underlying", [&] { return show_list("nul_underlying", session.option_expirations(std::string("AA\0PL", 5))); });

        session.logout();
        step("after_logout", [&] { return show_list("after_logout", session.option_expirations(kUnderlying)); });
        std::cout << "done" << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "tour failed: " << e.what() << std::endl;
        return 1;
    }
}
