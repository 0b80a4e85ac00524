// A C++ program as a user builds it against an installed libetna, with CMake's
// find_package(etna) (tests/install/consumers.rs). Logs in as ETNA_USERNAME, places a market
// order for ETNA_QUANTITY shares of ETNA_SYMBOL on account ETNA_ACCOUNT, waits for its fill.
#include <etna.hpp>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

static std::string need(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v) {
        std::cerr << name << " is not set\n";
        std::exit(2);
    }
    return v;
}

int main() {
    std::cout << "headers " << ETNA_VERSION << ", library " << etna_version() << '\n';
    if (std::strcmp(ETNA_VERSION, etna_version()) != 0) {
        std::cerr << "version mismatch\n";
        return 1;
    }
    try {
        const int64_t account = std::stoll(need("ETNA_ACCOUNT"));
        etna::Session session(need("ETNA_BASE_URL"), need("ETNA_APP_KEY"));
        if (session.login(need("ETNA_USERNAME"), need("ETNA_PASSWORD")) != etna::AuthState::Authenticated) {
            std::cerr << "login wants a code or a PIN\n";
            return 1;
        }
        std::cout << "logged in as " << need("ETNA_USERNAME") << '\n';
        const int64_t id =
            session.place_simple_order(account, need("ETNA_SYMBOL"), "Buy", "Market", std::stod(need("ETNA_QUANTITY")));
        const etna::Order o = session.wait_for_order(account, id, std::chrono::seconds(20));
        std::cout << "order " << o.id << ": " << o.status_text << ' ' << o.executed_quantity << " at "
                  << o.average_price << '\n';
        session.logout();
        std::cout << "logged out\n";
    } catch (const etna::Error& e) {
        std::cerr << "failed: code " << e.code() << ": " << e.what() << '\n';
        return 1;
    }
    return 0;
}
