// The session lifecycle and fault handling of etna.hpp against the simulator: the session
// setters, the auth callback, export and import, cancel from another thread during
// wait_for_order, find_order_by_client_id and Error::client_id. Prints one line per step for
// tests/bindings/cpp.rs to check (the same lines as tests/bindings/csharp/SessionTour.cs; the
// checks live in tests/bindings/support/session_checks.rs):
//
//   <step>: <field>=<value>|...|json=<JSON>                  a typed value (records.hpp)
//   <step>: count=<n>, then <step>[i]: <value>               a list
//   <step>: <JSON answer>                                    an exported session
//   <step>: ok                                               a call with no answer succeeded
//   <step>: <text>                                           a number, a list, "none"
//   <step>: error code=<n> http=<h> client=<id> reason=<r>   the call threw etna::Error
//                                                            (client "-" when it carries none)
//
// Log in with ETNA_BASE_URL, ETNA_APP_KEY, ETNA_USERNAME, ETNA_PASSWORD and, when asked, the
// verification code read from stdin (bob). ETNA_CA_FILE names a PEM file with a CA certificate.
// Exits 0 unless something other than etna::Error goes wrong.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "etna.hpp"
#include "records.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::string env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr) {
        throw std::runtime_error(std::string(name) + " is not set");
    }
    return value;
}

void print_error(const char* name, const etna::Error& e) {
    std::cout << name << ": error code=" << e.code() << " http=" << e.http_status()
              << " client=" << (e.client_id().empty() ? "-" : e.client_id()) << " reason=" << e.api_reason()
              << std::endl;
}

// Runs `call` and prints its answer, or the etna::Error it threw; returns the answer ("" for
// an error).
std::string step(const char* name, const std::function<std::string()>& call) {
    try {
        std::string answer = call();
        std::cout << name << ": " << (answer.empty() ? "ok" : answer) << std::endl;
        return answer;
    } catch (const etna::Error& e) {
        print_error(name, e);
        return std::string();
    }
}

// As step(), for a call with no answer.
void act(const char* name, const std::function<void()>& call) {
    step(name, [&] { call(); return std::string(); });
}

// The order found by its ClientId, or "none".
std::string found(const std::optional<etna::Order>& order) { return order ? tour::show(*order) : "none"; }

// The login states an auth callback saw, in order; callbacks may come from any thread.
class States {
public:
    etna::AuthCallback callback() {
        return [this](etna::AuthState state) {
            std::lock_guard<std::mutex> lock(mutex_);
            seen_.push_back(static_cast<int>(state));
        };
    }
    std::string text() {
        std::lock_guard<std::mutex> lock(mutex_);
        std::ostringstream out;
        for (std::size_t i = 0; i < seen_.size(); ++i) {
            out << (i ? "," : "") << seen_[i];
        }
        return seen_.empty() ? "none" : out.str();
    }

private:
    std::mutex mutex_;
    std::vector<int> seen_;
};

}  // namespace

int main() {
    try {
        const std::string base_url = env("ETNA_BASE_URL");
        const std::string app_key = env("ETNA_APP_KEY");

        // Log in (two-factor for bob), watched by an auth callback.
        States states;
        etna::Session session(base_url, app_key);
        session.set_auth_callback(states.callback());
        etna::AuthState state = session.login(env("ETNA_USERNAME"), env("ETNA_PASSWORD"));
        std::cout << "login: " << static_cast<int>(state) << std::endl;
        if (state == etna::AuthState::VerificationRequired) {
            std::string code;
            if (!std::getline(std::cin, code)) {
                throw std::runtime_error("no verification code on stdin");
            }
            state = session.verify(code);
            std::cout << "verify: " << static_cast<int>(state) << std::endl;
        }
        std::cout << "auth_states: " << states.text() << std::endl;

        // The setters, and what they refuse.
        act("retry_policy", [&] {
            session.set_retry_policy(2, std::chrono::milliseconds(20), std::chrono::milliseconds(200));
        });
        act("bad_retry_policy", [&] {
            session.set_retry_policy(0, std::chrono::milliseconds(20), std::chrono::milliseconds(200));
        });
        act("max_response_bytes", [&] { session.set_max_response_bytes(1 << 20); });
        act("bad_max_response_bytes", [&] { session.set_max_response_bytes(0); });
        act("auto_relogin", [&] { session.set_auto_relogin(true); });
        act("ca_file_missing", [&] { session.set_ca_file("/no/such/dir/etna-ca.pem"); });
        act("ca_file", [&] { session.set_ca_file(env("ETNA_CA_FILE")); });
        act("bad_proxy", [&] { session.set_proxy(std::string("::not a proxy::")); });
        act("bad_log_level", [&] {
            try {
                session.set_log_callback([](int, std::string_view) {}, 0);
            } catch (const etna::Error& e) {
                std::cout << "bad_log_level_message: " << e.what() << std::endl;  // libetna's own words
                throw;
            }
        });
        act("dead_proxy", [&] { session.set_proxy(std::string("http://127.0.0.1:9")); });
        step("via_dead_proxy", [&] { return tour::show_list("via_dead_proxy", session.accounts()); });
        act("proxy_from_environment", [&] { session.set_proxy(); });
        int64_t account = -1;
        step("accounts", [&] {
            const std::vector<etna::Account> accounts = session.accounts();
            account = accounts.at(0).id;
            return tour::show_list("accounts", accounts);
        });

        // Export, import into a new session: no new /token call (the simulator's log tells).
        const std::string exported = step("export", [&] { return session.export_session(); });
        States imported_states;
        etna::Session imported(base_url, app_key);
        imported.set_auth_callback(imported_states.callback());
        act("import", [&] { imported.import_session(exported); });
        std::cout << "imported_state: " << static_cast<int>(imported.state()) << std::endl;
        std::cout << "imported_auth_states: " << imported_states.text() << std::endl;
        step("imported_user_info", [&] { return tour::show(imported.user_info()); });

        // Edited text is refused; a session never logged in has nothing to export. Its errors
        // carry a ClientId only for an order; a throwing auth callback harms nothing.
        etna::Session other(base_url, app_key);
        other.set_auth_callback([](etna::AuthState) { throw std::runtime_error("listener failed"); });
        step("export_logged_out", [&] { return other.export_session(); });
        std::string tampered = exported;
        const std::string user_field = "\"Username\":\"" + env("ETNA_USERNAME") + "\"";
        const std::string::size_type at = tampered.find(user_field);
        if (at == std::string::npos) {
            throw std::runtime_error("no " + user_field + " in the exported text");
        }
        tampered.replace(at, user_field.size(), "\"Username\":\"mallory\"");
        act("tampered", [&] { other.import_session(tampered); });
        act("malformed", [&] { other.import_session("{not json"); });
        std::cout << "tampered_state: " << static_cast<int>(other.state()) << std::endl;
        step("unsent_order", [&] {
            return tour::show(other.place_order(
                account, R"({"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1,)"
                         R"("Price":1.0,"TimeInForce":"Day","ClientId":"session-tour-unsent"})"));
        });
        step("no_client_id", [&] { return tour::show_list("no_client_id", other.accounts()); });
        act("throwing_callback_import", [&] { other.import_session(exported); });

        // A resting order: waiting for it is interrupted by cancel() from another thread.
        int64_t order_id = -1;
        step("placed", [&] {
            const etna::Order placed = session.place_order(
                account, R"({"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1,)"
                         R"("Price":1.0,"TimeInForce":"Day","ClientId":"session-tour-wait"})");
            order_id = placed.id;
            return tour::show(placed);
        });
        step("wait_open", [&] {
            return tour::show(session.wait_for_order(account, order_id, std::chrono::milliseconds(50)));
        });
        Clock::time_point cancelled_at;
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            cancelled_at = Clock::now();
            session.cancel();
        });
        const Clock::time_point wait_started = Clock::now();
        step("cancelled_wait", [&] {
            return tour::show(session.wait_for_order(account, order_id, std::chrono::seconds(20)));
        });
        const Clock::time_point wait_ended = Clock::now();
        canceller.join();
        using std::chrono::duration_cast;
        using std::chrono::milliseconds;
        std::cout << "cancel_latency_ms: " << duration_cast<milliseconds>(wait_ended - cancelled_at).count()
                  << std::endl;
        std::cout << "wait_ms: " << duration_cast<milliseconds>(wait_ended - wait_started).count() << std::endl;
        step("after_cancel", [&] { return tour::show(session.order(account, order_id)); });

        // Found by its ClientId; an unknown one is no value.
        step("found", [&] { return found(session.find_order_by_client_id(account, "session-tour-wait")); });
        step("find_unknown", [&] {
            return found(session.find_order_by_client_id(account, "session-tour-no-such-order"));
        });
        step("find_bad", [&] { return found(session.find_order_by_client_id(account, "it's")); });

        act("cancel_order", [&] { session.cancel_order(account, order_id); });
        step("final", [&] { return tour::show(session.wait_for_order(account, order_id, std::chrono::seconds(20))); });

        // Logging out ends the token the imported session shares.
        act("logout", [&] { session.logout(); });
        std::cout << "auth_states_end: " << states.text() << std::endl;
        step("imported_after_logout", [&] { return tour::show(imported.user_info()); });

        // An empty callback removes it and libetna releases the old one.
        auto witness = std::make_shared<int>(0);
        imported.set_auth_callback([witness](etna::AuthState) {});
        const long held = witness.use_count();
        act("auth_callback_off", [&] { imported.set_auth_callback(nullptr); });
        std::cout << "callback_released: " << (held == 2 && witness.use_count() == 1 ? "yes" : "no") << std::endl;

        etna::Session moved = std::move(imported);
        imported.cancel();  // NOLINT(bugprone-use-after-move): a no-op on a moved-from Session
        step("moved_from_export", [&] { return imported.export_session(); });  // NOLINT
        std::cout << "done" << std::endl;
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "session tour failed: " << e.what() << std::endl;
        return 1;
    }
}
