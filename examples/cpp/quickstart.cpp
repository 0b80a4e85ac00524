// libetna C++ quickstart: log in (password, then a verification code or PIN when the broker
// asks for one), print the user and the accounts (typed values: no JSON to parse), log out.
//
//   ETNA_BASE_URL  default http://127.0.0.1:18080/api/ (the simulator: etna-sim --port 18080)
//   ETNA_APP_KEY   default sim-app-key
//   ETNA_USERNAME  default bob (the simulator's two-factor user)
//   ETNA_PASSWORD  default bob-pass
//   ETNA_LOG       set to anything to print libetna's log lines (debug and above) to stderr
//
// Build (after cargo build --release), from the repository root:
//   g++ -std=c++17 -I include examples/cpp/quickstart.cpp examples/cpp/print_error.cpp
//       -L target/release -letna -Wl,-rpath,target/release -o quickstart
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "etna.hpp"
#include "interactive.hpp"

// In print_error.cpp: prints what an etna::Error says to stderr.
void print_error(const etna::Error& e);

int main() {
    try {
        etna::Session session(env_or("ETNA_BASE_URL", "http://127.0.0.1:18080/api/"),
                              env_or("ETNA_APP_KEY", "sim-app-key"));
        std::cout << "libetna " << etna::version() << '\n';
        if (!env_or("ETNA_LOG", "").empty()) {
            auto print_line = [](int level, std::string_view message) {
                std::cerr << "[etna " << level << "] " << message << '\n';
            };
            session.set_log_callback(print_line, ETNA_LOG_DEBUG);
        }

        etna::AuthState state =
            session.login(env_or("ETNA_USERNAME", "bob"), env_or("ETNA_PASSWORD", "bob-pass"));
        finish_login(session, state);
        std::cout << "Logged in; the token expires at " << session.token_expires_at()
                  << " (Unix time)\n";

        const etna::User user = session.user_info();
        std::cout << "User: " << user.login << " (id " << user.id << ")\n";
        for (const etna::Account& account : session.accounts()) {
            std::cout << "Account " << account.id << ": " << account.alias << " (" << account.margin_type_text
                      << ")\n";
        }

        session.logout();
        std::cout << "Logged out\n";
        return 0;
    } catch (const etna::Error& e) {
        print_error(e);
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << '\n';
    }
    return 1;
}
