// The streams of etna.hpp against the simulator: a quote stream (typed quotes, counters, timing,
// errors, a reader blocked in next() on another thread woken by close(), a moved-from Stream) and a
// data stream (an order's events to its fill, its position, the account's and the user's
// balances, watchlist events, the end of a closed stream). Prints one line per step for
// tests/bindings/cpp.rs to check, in the format of the trading tour (records.hpp); the same lines
// as tests/bindings/csharp/StreamTour.cs, checked by tests/bindings/support/stream_checks.rs.
//
// Log in with ETNA_BASE_URL, ETNA_APP_KEY, ETNA_USERNAME, ETNA_PASSWORD (a user without a second
// step, e.g. alice). Exits 0 unless something other than etna::Error goes wrong.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "etna.hpp"
#include "records.hpp"

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

std::string env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr) {
        throw std::runtime_error(std::string(name) + " is not set");
    }
    return value;
}

// Runs `call` and prints its answer ("ok" when empty), or the etna::Error it threw.
void step(const char* name, const std::function<std::string()>& call) {
    try {
        std::string answer = call();
        std::cout << name << ": " << (answer.empty() ? "ok" : answer) << std::endl;
    } catch (const etna::Error& e) {
        std::cout << name << ": error code=" << e.code() << " http=" << e.http_status()
                  << " reason=" << e.api_reason() << std::endl;
    }
}

// Hands events to `done` until it says so (true) or `limit` passes (false).
bool read_until(etna::Stream& stream, milliseconds limit, const std::function<bool(const etna::Event&)>& done) {
    const Clock::time_point until = Clock::now() + limit;
    while (Clock::now() < until) {
        const std::optional<etna::Event> e = stream.next(milliseconds(100));
        if (e && done(*e)) {
            return true;
        }
    }
    return false;
}

// Takes events until none comes for 300 ms: a subscription reaches the streamer a moment after
// subscribe() returns, and this is that moment.
void settle(etna::Stream& stream) {
    for (int i = 0; i < 30 && stream.next(milliseconds(300)); ++i) {
    }
}

long long millis_between(Clock::time_point from, Clock::time_point to) {
    return static_cast<long long>(std::chrono::duration_cast<milliseconds>(to - from).count());
}

}  // namespace

int main() {
    using tour::show;
    try {
        etna::Session session(env("ETNA_BASE_URL"), env("ETNA_APP_KEY"));
        if (session.login(env("ETNA_USERNAME"), env("ETNA_PASSWORD")) != etna::AuthState::Authenticated) {
            throw std::runtime_error("the tour wants a user who logs in with a password alone");
        }
        const etna::User user = session.user_info();
        const int64_t account = session.accounts().at(0).id;
        std::map<std::string, int> kinds;  // the kind of each sort of event seen

        // ---- The quote stream ----
        etna::Stream quotes = session.open_stream(etna::StreamKind::Quotes);
        const std::optional<etna::Event> first = quotes.next(seconds(10));
        if (!first || first->get<etna::StreamState>() == nullptr) {
            throw std::runtime_error("a stream's first event is its state");
        }
        kinds["stream_state"] = static_cast<int>(first->kind);
        std::cout << "connected: " << show(*first->get<etna::StreamState>()) << std::endl;
        step("subscribe_quotes", [&] {
            quotes.subscribe_quotes(std::vector<std::string>{"AAPL", "MSFT"});
            return std::string();
        });
        step("unknown_ticker", [&] { quotes.subscribe_quotes("NOSUCHTICKER"); return std::string(); });
        step("wrong_stream", [&] { quotes.subscribe("Order", account); return std::string(); });
        step("bad_entity", [&] { quotes.subscribe("Teleport", "1"); return std::string(); });
        step("nul_keys", [&] { quotes.subscribe("Quote", std::string("1\0;2", 4)); return std::string(); });

        std::map<std::string, etna::Quote> by_symbol;
        read_until(quotes, seconds(10), [&](const etna::Event& e) {
            if (const etna::Quote* q = e.get<etna::Quote>()) {
                kinds["quote"] = static_cast<int>(e.kind);
                by_symbol.emplace(q->symbol, *q);
            }
            return by_symbol.size() >= 2;
        });
        for (const char* symbol : {"AAPL", "MSFT"}) {
            auto found = by_symbol.find(symbol);
            std::cout << "quote_" << symbol << ": " << (found == by_symbol.end() ? "none" : show(found->second))
                      << std::endl;
        }
        step("quote_stats", [&] { return show(quotes.stats()); });
        step("set_timing", [&] { quotes.set_timing(seconds(30), milliseconds(250), seconds(30)); return std::string(); });
        step("bad_timing", [&] { quotes.set_timing(milliseconds(10), milliseconds(250), seconds(30)); return std::string(); });
        step("unsubscribe", [&] {
            std::string keys;
            for (const auto& q : by_symbol) {
                keys += (keys.empty() ? "" : ";") + std::to_string(q.second.security_id);
            }
            quotes.unsubscribe("Quote", keys);
            return std::string();
        });
        // With nothing subscribed, a wait runs out: no value.
        step("quiet", [&] {
            for (int i = 0; i < 20; ++i) {
                if (!quotes.next(milliseconds(300))) {
                    return std::string("none");
                }
            }
            return std::string("events go on");
        });
        step("negative_timeout", [&] { quotes.next(milliseconds(-1)); return std::string(); });

        // A reader waits in next() on another thread, until close() here wakes it.
        {
            int last_state = -1;
            int code = 0;
            Clock::time_point ended;
            std::thread reader([&] {
                try {
                    for (;;) {
                        const std::optional<etna::Event> e = quotes.next();
                        if (e && e->get<etna::StreamState>() != nullptr) {
                            last_state = static_cast<int>(e->get<etna::StreamState>()->state);
                        }
                    }
                } catch (const etna::Error& e) {
                    code = e.code();
                }
                ended = Clock::now();
            });
            std::this_thread::sleep_for(milliseconds(300));
            const Clock::time_point closed = Clock::now();
            quotes.close();
            quotes.close();  // again: nothing happens
            reader.join();
            std::cout << "blocked_next: last_state=" << last_state << "|code=" << code
                      << "|woken_ms=" << millis_between(closed, ended) << std::endl;
        }
        step("after_close_next", [&] { return quotes.next(milliseconds(0)) ? std::string("event") : std::string("none"); });
        step("after_close_subscribe", [&] { quotes.subscribe("Quote", "1"); return std::string(); });
        etna::Stream moved = std::move(quotes);
        step("moved_from", [&] { quotes.next(milliseconds(0)); return std::string(); });  // NOLINT(bugprone-use-after-move)
        quotes.close();  // does nothing on a moved-from Stream

        // ---- The data stream ----
        etna::Stream data(session, etna::StreamKind::Data);
        const std::optional<etna::Event> connected = data.next(seconds(10));
        if (!connected || connected->get<etna::StreamState>() == nullptr) {
            throw std::runtime_error("a stream's first event is its state");
        }
        step("data_subscribe", [&] {
            data.subscribe("Order", account);
            data.subscribe("Position", account);
            data.subscribe("AccountBalance", account);
            data.subscribe("UserBalance", user.id);
            data.subscribe("Watchlist", user.id);
            return std::string();
        });
        step("data_wrong_stream", [&] { data.subscribe("Quote", "1"); return std::string(); });
        settle(data);

        const etna::Order placed = session.place_order(
            account, R"({"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":5,"ClientId":"stream-tour"})");
        std::cout << "placed: " << placed.id << std::endl;
        std::vector<etna::Order> order_events;
        std::optional<etna::Position> position;
        std::optional<etna::Balances> balances;
        std::optional<etna::Balances> user_balance;
        read_until(data, seconds(30), [&](const etna::Event& e) {
            if (const etna::Order* o = e.get<etna::Order>()) {
                kinds["order"] = static_cast<int>(e.kind);
                if (o->client_id == "stream-tour") {
                    order_events.push_back(*o);
                }
            } else if (const etna::Position* p = e.get<etna::Position>()) {
                kinds["position"] = static_cast<int>(e.kind);
                position = position ? position : *p;
            } else if (const etna::Balances* b = e.get<etna::Balances>()) {
                if (e.kind == etna::EventKind::UserBalance) {
                    kinds["user_balance"] = static_cast<int>(e.kind);
                    user_balance = user_balance ? user_balance : *b;
                } else {
                    kinds["balances"] = static_cast<int>(e.kind);
                    balances = balances ? balances : *b;
                }
            }
            return !order_events.empty() && order_events.back().is_final() && position && balances && user_balance;
        });
        std::cout << "order_events: " << tour::show_list("order_events", order_events) << std::endl;
        std::cout << "position_event: " << (position ? show(*position) : "none") << std::endl;
        std::cout << "balances_event: " << (balances ? show(*balances) : "none") << std::endl;
        step("balances_event_cash", [&] {
            const std::optional<double> cash = balances ? balances->value("cash") : std::nullopt;
            return cash ? tour::number(*cash) : std::string("none");
        });
        std::cout << "user_balance_event: " << (user_balance ? show(*user_balance) : "none") << std::endl;

        const etna::Watchlist list = session.create_watchlist("Stream list");
        std::optional<etna::Watchlist> created;
        read_until(data, seconds(10), [&](const etna::Event& e) {
            const etna::Watchlist* w = e.get<etna::Watchlist>();
            if (w != nullptr && w->id == list.id) {
                kinds["watchlist"] = static_cast<int>(e.kind);
                created = *w;
            }
            return created.has_value();
        });
        std::cout << "watchlist_event: " << (created ? show(*created) : "none") << std::endl;
        data.subscribe("WatchlistContent", list.id);
        settle(data);
        session.add_to_watchlist(list.id, "AAPL");
        std::optional<etna::WatchlistContent> content;
        read_until(data, seconds(10), [&](const etna::Event& e) {
            if (const etna::WatchlistContent* c = e.get<etna::WatchlistContent>()) {
                kinds["watchlist_content"] = static_cast<int>(e.kind);
                content = *c;
            }
            return content.has_value();
        });
        std::cout << "watchlist_content_event: " << (content ? show(*content) : "none") << std::endl;
        session.delete_watchlist(list.id);

        tour::Record seen;
        for (const auto& k : kinds) {
            seen.id(k.first.c_str(), k.second);
        }
        std::cout << "kinds: " << seen.str() << std::endl;
        step("data_stats", [&] { return show(data.stats()); });

        // Closed, the stream hands out what it still holds, ending with its Closed state.
        data.close();
        step("data_end", [&] {
            for (;;) {
                const std::optional<etna::Event> e = data.next(seconds(5));
                if (!e) {
                    return std::string("timeout");
                }
                if (e->ends_stream()) {
                    return show(*e->get<etna::StreamState>());
                }
            }
        });
        step("data_after_end", [&] { data.next(); return std::string("event"); });

        session.logout();
        std::cout << "done" << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "tour failed: " << e.what() << std::endl;
        return 1;
    }
}
