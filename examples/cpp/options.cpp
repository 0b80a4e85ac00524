// libetna C++ options example: log in, list the expirations of an underlying's options and its
// chain near the money, pick the two calls of the nearest expiration around the money, and trade
// a vertical spread on them: buy the lower strike, sell (write: SellShort) the higher, one
// contract each, as one Limit order whose price is the net debit. Writing an option needs a
// margin account. The net price comes from the two options' quotes on
// the quote stream (pay the ask of the call bought, get the bid of the call sold); without quotes
// it is a small fixed debit. The spread is previewed, placed, and followed for a few seconds; one
// still working then is canceled. Every answer is a typed value (etna::OptionContract,
// etna::Expiration, etna::Preview, etna::Order): no JSON to parse.
//
// This places a real order. So that nobody trades a real account by accident, it refuses to run
// unless ETNA_BASE_URL is on this machine (127.0.0.1, localhost: the simulator) or
// ETNA_PLACE_ORDERS=1 says you mean it.
//
//   ETNA_BASE_URL      default http://127.0.0.1:18080/api/ (the simulator: etna-sim --port 18080)
//   ETNA_APP_KEY       default sim-app-key
//   ETNA_USERNAME      default bob (the simulator's two-factor user)
//   ETNA_PASSWORD      default bob-pass
//   ETNA_UNDERLYING    default AAPL
//   ETNA_PLACE_ORDERS  set to 1 to place the order at a broker that is not on this machine
//
// Build (after cargo build --release), from the repository root:
//   g++ -std=c++17 -I include examples/cpp/options.cpp -L target/release -letna
//       -Wl,-rpath,target/release -o options
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "etna.hpp"
#include "interactive.hpp"

static const double kFixedDebit = 0.50;  // the net price when the options have no quotes

// A price with two decimals; "-" when the broker sent none.
static std::string money(double value) {
    if (std::isnan(value)) {
        return "-";
    }
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << value;
    return out.str();
}

// An instant's date, UTC: 2026-12-18.
static std::string date(etna::Instant at) {
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm utc{};
    gmtime_r(&t, &utc);
    std::ostringstream out;
    out << std::put_time(&utc, "%Y-%m-%d");
    return out.str();
}

// An option's bid and ask.
struct Prices {
    double bid = std::numeric_limits<double>::quiet_NaN();
    double ask = std::numeric_limits<double>::quiet_NaN();
};

// The bid and ask of each option (by security id), from the quote stream: the first quote of each
// that comes within a few seconds. Those with no quote are left out.
static std::map<int64_t, Prices> quotes_of(etna::Session& session, const std::vector<int64_t>& ids) {
    std::map<int64_t, Prices> found;
    try {
        etna::Stream quotes = session.open_stream(etna::StreamKind::Quotes);
        std::string keys;
        for (int64_t id : ids) {
            keys += (keys.empty() ? "" : ";") + std::to_string(id);
        }
        quotes.subscribe("Quote", keys);
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (found.size() < ids.size() && std::chrono::steady_clock::now() < until) {
            const std::optional<etna::Event> e = quotes.next(std::chrono::milliseconds(500));
            const etna::Quote* q = e ? e->get<etna::Quote>() : nullptr;
            if (q != nullptr && !std::isnan(q->bid) && !std::isnan(q->ask) &&
                std::find(ids.begin(), ids.end(), q->security_id) != ids.end()) {
                found[q->security_id] = Prices{q->bid, q->ask};
            }
            if (e && e->ends_stream()) {
                break;
            }
        }
    } catch (const etna::Error& e) {
        std::cerr << "no quotes: " << e.what() << '\n';  // the fixed debit will do
    }
    return found;
}

int main() {
    try {
        const std::string base_url = env_or("ETNA_BASE_URL", "http://127.0.0.1:18080/api/");
        if (!is_local(base_url) && env_or("ETNA_PLACE_ORDERS", "") != "1") {
            std::cerr << "refusing to place orders at " << base_url
                      << ": it is not this machine. Set ETNA_PLACE_ORDERS=1 to trade on that account.\n";
            return 2;
        }
        const std::string underlying = env_or("ETNA_UNDERLYING", "AAPL");
        etna::Session session(base_url, env_or("ETNA_APP_KEY", "sim-app-key"));
        std::cout << "libetna " << etna::version() << '\n';
        finish_login(session, session.login(env_or("ETNA_USERNAME", "bob"), env_or("ETNA_PASSWORD", "bob-pass")));
        std::cout << "Logged in\n";

        const std::vector<etna::Account> accounts = session.accounts();
        if (accounts.empty()) {
            throw std::runtime_error("the user has no account");
        }
        const int64_t account = accounts.front().id;
        std::cout << "Account: " << account << '\n';

        // The expirations, earliest first.
        const std::vector<etna::Expiration> expirations = session.option_expirations(underlying);
        if (expirations.empty()) {
            throw std::runtime_error(underlying + " has no listed options");
        }
        std::cout << "Expirations of " << underlying << ":";
        for (const etna::Expiration& e : expirations) {
            std::cout << ' ' << date(e.expiration) << " (" << e.expiration_type_text << ')';
        }
        std::cout << '\n';

        // The chain near the money ("Range = 1": the strike nearest the underlying's price and
        // one either side) of the nearest expiration.
        const std::vector<etna::OptionContract> chain = session.option_chain(underlying, std::string("Range = 1"));
        std::vector<etna::OptionContract> calls;
        for (const etna::OptionContract& o : chain) {
            if (o.expiration == expirations.front().expiration) {
                std::cout << "Option: " << o.symbol << ' ' << o.option_type_text << ' ' << money(o.strike) << '\n';
                if (o.option_type == etna::OptionType::Call) {
                    calls.push_back(o);
                }
            }
        }
        std::sort(calls.begin(), calls.end(),
                  [](const etna::OptionContract& a, const etna::OptionContract& b) { return a.strike < b.strike; });
        if (calls.size() < 2) {
            throw std::runtime_error("fewer than two calls near the money");
        }
        const etna::OptionContract& lower = calls.front();  // bought
        const etna::OptionContract& higher = calls.back();  // sold

        // The net debit: what buying the lower call costs less what selling the higher one brings.
        std::map<int64_t, Prices> prices = quotes_of(session, {lower.id, higher.id});
        double debit = kFixedDebit;
        std::string source = "a fixed debit";
        if (prices.count(lower.id) != 0 && prices.count(higher.id) != 0) {
            const double net = prices[lower.id].ask - prices[higher.id].bid;
            debit = std::max(0.01, std::ceil(net * 100.0 - 1e-9) / 100.0);
            source = "the quotes: ask " + money(prices[lower.id].ask) + " less bid " + money(prices[higher.id].bid);
        }
        std::cout << "Spread: buy " << lower.symbol << ", sell " << higher.symbol << ", net debit " << money(debit)
                  << " (" << source << ")\n";

        // One order: no symbol of its own, a Limit at the net price, and its legs. The call sold is
        // written (SellShort): Sell would close a position in it, which the account does not hold.
        std::ostringstream order;
        order << R"({"Symbol":"","Type":"Limit","Price":)" << money(debit) << R"(,"TimeInForce":"Day","Legs":[)"
              << R"({"Symbol":")" << lower.symbol << R"(","Quantity":1,"Side":"Buy"},)"
              << R"({"Symbol":")" << higher.symbol << R"(","Quantity":1,"Side":"SellShort"}]})";
        const etna::Preview preview = session.preview_order(account, order.str());
        std::cout << "Preview: cost " << money(preview.cost) << ", commission " << money(preview.commission) << '\n';

        const etna::Order placed = session.place_order(account, order.str());
        std::cout << "Spread order: " << placed.id << '\n';
        etna::Order now = placed;
        try {
            now = session.wait_for_order(account, placed.id, std::chrono::seconds(10));
        } catch (const etna::Error& e) {
            if (e.code() != ETNA_ERR_TIMEOUT) {
                throw;
            }
            now = session.order(account, placed.id);  // still working
        }
        std::cout << "Order " << now.id << " is " << now.status_text << ": " << now.executed_quantity << " of "
                  << now.quantity << " filled at " << money(now.average_price) << " net\n";
        if (!now.is_final()) {
            session.cancel_order(account, now.id);
            std::cout << "Canceled: order " << now.id << " is " << session.order(account, now.id).status_text << '\n';
        }

        session.logout();
        std::cout << "Logged out\n";
        return 0;
    } catch (const etna::Error& e) {
        std::cerr << "error: " << e.what() << " (code " << e.code() << ": " << etna::status_str(e.code()) << ")";
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
