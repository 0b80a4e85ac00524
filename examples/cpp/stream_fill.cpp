// libetna C++ example: place an order and learn of its fill from the data stream, not by asking
// the broker again and again. Log in, open the data stream, subscribe to the Order events of the
// first account, place a Market buy over REST, then read events until that order (known by its
// ClientId) is final. The events are typed values (etna::Event holding an etna::Order): no JSON to
// parse.
//
// A reconnect can lose events (the stream then says so with a Gap state): the order is then read
// once over REST, which is what a program must do after any gap.
//
// This places a real order. So that nobody trades a real account by accident, it refuses to run
// unless ETNA_BASE_URL is on this machine (127.0.0.1, localhost: the simulator) or
// ETNA_PLACE_ORDERS=1 says you mean it.
//
//   ETNA_BASE_URL      default http://127.0.0.1:18080/api/ (the simulator: etna-sim --port 18080)
//   ETNA_APP_KEY       default sim-app-key
//   ETNA_USERNAME      default bob (the simulator's two-factor user)
//   ETNA_PASSWORD      default bob-pass
//   ETNA_PLACE_ORDERS  set to 1 to place the order at a broker that is not on this machine
//
// Build (after cargo build --release), from the repository root:
//   g++ -std=c++17 -I include examples/cpp/stream_fill.cpp -L target/release -letna
//       -Wl,-rpath,target/release -o stream_fill
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

static const char* const kSymbol = "AAPL";  // what to buy
static const int kShares = 5;               // how many shares

// A price with two decimals.
static std::string money(double value) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << value;
    return out.str();
}

static const char* state_name(etna::StreamStateCode state) {
    switch (state) {
    case etna::StreamStateCode::Connected: return "connected";
    case etna::StreamStateCode::Reconnecting: return "reconnecting";
    case etna::StreamStateCode::Reconnected: return "reconnected";
    case etna::StreamStateCode::Gap: return "gap";
    case etna::StreamStateCode::Closed: return "closed";
    case etna::StreamStateCode::Failed: return "failed";
    default: return "unknown";
    }
}

static void print_state(const etna::StreamState& s) {
    std::cout << "State: " << state_name(s.state);
    if (!s.reason.empty()) {
        std::cout << " (" << s.reason << ')';
    }
    std::cout << '\n';
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
        finish_login(session, session.login(env_or("ETNA_USERNAME", "bob"), env_or("ETNA_PASSWORD", "bob-pass")));
        std::cout << "Logged in\n";

        const std::vector<etna::Account> accounts = session.accounts();
        if (accounts.empty()) {
            throw std::runtime_error("the user has no account");
        }
        const int64_t account = accounts.front().id;
        std::cout << "Account: " << account << '\n';

        // Subscribe first, so that no event of the order can come before the subscription.
        etna::Stream events = session.open_stream(etna::StreamKind::Data);
        events.subscribe("Order", account);
        std::cout << "Streaming: Order events of account " << account << '\n';
        // The subscription reaches the streamer a moment after subscribe() returns: take what comes
        // for a short while (the Connected state) before placing the order.
        while (std::optional<etna::Event> e = events.next(std::chrono::milliseconds(300))) {
            if (const etna::StreamState* s = e->get<etna::StreamState>()) {
                print_state(*s);
            }
        }

        // The ClientId tells this order's events from those of the account's other orders.
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        const std::string client_id =
            "stream-fill-" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
        const etna::Order placed = session.place_order(
            account, std::string(R"({"Symbol":")") + kSymbol + R"(","Type":"Market","Side":"Buy","Quantity":)" +
                         std::to_string(kShares) + R"(,"TimeInForce":"Day","ClientId":")" + client_id + "\"}");
        std::cout << "Placed: order " << placed.id << " (ClientId " << client_id << ")\n";

        std::optional<etna::Order> done;
        std::string source = "from the stream";
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!done && std::chrono::steady_clock::now() < deadline) {
            const std::optional<etna::Event> e = events.next(std::chrono::seconds(1));
            if (!e) {
                continue;  // nothing in that second
            }
            if (const etna::Order* o = e->get<etna::Order>()) {
                if (o->client_id != client_id) {
                    continue;  // another order of the account
                }
                std::cout << "Event: order " << o->id << ' ' << o->status_text << ", " << o->executed_quantity
                          << " of " << o->quantity << " filled\n";
                if (o->is_final()) {
                    done = *o;
                }
            } else if (const etna::StreamState* s = e->get<etna::StreamState>()) {
                print_state(*s);
                if (s->state == etna::StreamStateCode::Gap || s->ends_stream()) {
                    // Events may have been lost: ask the broker once.
                    const etna::Order o = session.order(account, placed.id);
                    if (o.is_final() || s->ends_stream()) {
                        done = o;
                        source = "read over REST after the stream said " + std::string(state_name(s->state));
                    }
                }
            }
        }
        if (!done) {
            done = session.order(account, placed.id);
            source = "read over REST: no final event within 30 s";
        }
        events.close();
        if (done->status != etna::OrderStatus::Filled) {
            throw std::runtime_error("the Market order did not fill: it is " + done->status_text);
        }
        std::cout << "Filled: order " << done->id << ", " << done->executed_quantity << ' ' << done->symbol << " at "
                  << money(done->average_price) << " on average (" << source << ")\n";

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
