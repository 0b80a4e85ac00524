// libetna C++ trading example: log in, show the first account's balances, place a Limit buy far
// below the market, change its price, cancel it, buy a few shares at the market, wait for the
// fill, show the position, log out. Every answer is a typed value (etna::Order, etna::Balances,
// ...): no JSON to parse.
//
// This places real orders. So that nobody trades a real account by accident, it refuses to run
// unless ETNA_BASE_URL is on this machine (127.0.0.1, localhost: the simulator) or
// ETNA_PLACE_ORDERS=1 says you mean it.
//
//   ETNA_BASE_URL      default http://127.0.0.1:18080/api/ (the simulator: etna-sim --port 18080)
//   ETNA_APP_KEY       default sim-app-key
//   ETNA_USERNAME      default bob (the simulator's two-factor user)
//   ETNA_PASSWORD      default bob-pass
//   ETNA_PLACE_ORDERS  set to 1 to place orders at a broker that is not on this machine
//
// Build (after cargo build --release), from the repository root:
//   g++ -std=c++17 -I include examples/cpp/trading.cpp -L target/release -letna
//       -Wl,-rpath,target/release -o trading
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "etna.hpp"
#include "interactive.hpp"

static const char* const kSymbol = "AAPL";  // what to trade
static const double kShares = 5;            // how many shares the Market order buys

// A price with two decimals.
static std::string money(double value) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << value;
    return out.str();
}

int main() {
    try {
        const std::string base_url = env_or("ETNA_BASE_URL", "http://127.0.0.1:18080/api/");
        if (!is_local(base_url) && env_or("ETNA_PLACE_ORDERS", "") != "1") {
            std::cerr << "refusing to place orders at " << base_url
                      << ": it is not this machine. Set ETNA_PLACE_ORDERS=1 to trade on that account.\n";
            return 2;
        }
        etna::Session session(base_url, env_or("ETNA_APP_KEY", "sim-app-key"));
        std::cout << "libetna " << etna::version() << '\n';

        etna::AuthState state =
            session.login(env_or("ETNA_USERNAME", "bob"), env_or("ETNA_PASSWORD", "bob-pass"));
        finish_login(session, state);
        std::cout << "Logged in\n";

        const std::vector<etna::Account> accounts = session.accounts();
        if (accounts.empty()) {
            throw std::runtime_error("the user has no account");
        }
        const int64_t account = accounts.front().id;
        std::cout << "Account: " << account << '\n';
        const etna::Balances balances = session.account_info(account);
        // The usual numbers are fields; any other the broker sends is read by its name.
        const std::optional<double> option_bp = balances.value("optionBuyingPower");
        std::cout << "Balances: cash " << money(balances.cash) << ", stock buying power "
                  << money(balances.stock_buying_power) << ", option buying power "
                  << (option_bp ? money(*option_bp) : "-") << '\n';

        // A Limit buy far below the market stays open: change its price, then cancel it.
        const int64_t limit_id = session.place_simple_order(account, kSymbol, "Buy", "Limit", 1, 1.00);
        std::cout << "Limit order: " << limit_id << '\n';
        // The broker may give the changed order a new id (the old one ends as Replaced).
        const etna::Order replaced = session.replace_order(account, limit_id, R"({"Price":1.05})");
        std::cout << "Replaced: order " << replaced.id << " at " << money(replaced.price) << ", "
                  << replaced.status_text << '\n';
        session.cancel_order(account, replaced.id);
        const etna::Order canceled = session.order(account, replaced.id);
        std::cout << "Canceled: order " << canceled.id << " is " << canceled.status_text << '\n';

        // A Market buy fills: wait for it, then look at the position it made.
        const int64_t market_id = session.place_simple_order(account, kSymbol, "Buy", "Market", kShares);
        std::cout << "Market order: " << market_id << '\n';
        const etna::Order done = session.wait_for_order(account, market_id, std::chrono::seconds(30));
        if (done.status != etna::OrderStatus::Filled) {
            throw std::runtime_error("the Market order did not fill: it is " + done.status_text);
        }
        std::cout << "Order " << done.id << " is " << done.status_text << ": " << done.executed_quantity << " at "
                  << money(done.average_price) << " on average\n";
        for (const etna::Position& position : session.position(account, kSymbol)) {
            std::cout << "Position: " << position.quantity << ' ' << position.symbol << " at "
                      << money(position.average_open_price) << " on average\n";
        }

        session.logout();
        std::cout << "Logged out\n";
        return 0;
    } catch (const etna::Error& e) {
        std::cerr << "error: " << e.what() << " (code " << e.code() << ": "
                  << etna::status_str(e.code()) << ")";
        if (e.http_status() != 0) {
            std::cerr << " [HTTP " << e.http_status() << "]";
        }
        if (!e.api_reason().empty()) {
            std::cerr << " broker says: " << e.api_reason();
        }
        if (!e.client_id().empty()) {
            // Above all after ETNA_ERR_OUTCOME_UNKNOWN: look the order up before sending it again.
            std::cerr << " (order ClientId " << e.client_id() << ": see find_order_by_client_id)";
        }
        std::cerr << '\n';
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
    }
    return 1;
}
