// What the C++ examples share: settings from the environment, the guard that keeps the examples
// that place orders on this machine, and the login prompts (the broker's code or PIN from stdin).
// Each example includes it; a program of your own would take what it needs.
#ifndef ETNA_EXAMPLES_INTERACTIVE_HPP
#define ETNA_EXAMPLES_INTERACTIVE_HPP

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>

#include "etna.hpp"

inline std::string env_or(const char* name, const char* fallback) {
    const char* value = std::getenv(name);
    return (value != nullptr && value[0] != '\0') ? value : fallback;
}

// True when `url` names this machine, where orders cannot reach a real account.
inline bool is_local(const std::string& url) {
    std::string::size_type start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    std::string host = url.substr(start, url.find_first_of("/?#", start) - start);
    std::transform(host.begin(), host.end(), host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (host.find('@') != std::string::npos) {
        return false;  // user@host: not worth the risk of reading it wrong
    }
    if (host.compare(0, 5, "[::1]") == 0) {
        return host.size() == 5 || host[5] == ':';
    }
    host = host.substr(0, host.find(':'));
    return host == "127.0.0.1" || host == "localhost";
}

// Prints `prompt` and reads one line from stdin; throws at the end of input.
inline std::string ask(const char* prompt) {
    std::cout << prompt << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) {
        throw std::runtime_error("no input: login abandoned");
    }
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

// Answers the broker's extra login steps until logged in; a wrong code or PIN is asked again.
inline void finish_login(etna::Session& session, etna::AuthState state) {
    while (state == etna::AuthState::VerificationRequired || state == etna::AuthState::PinRequired) {
        try {
            state = state == etna::AuthState::VerificationRequired
                        ? session.verify(ask("Enter the verification code: "))
                        : session.pin(ask("Enter your PIN: "));
        } catch (const etna::Error& e) {
            if (e.code() != ETNA_ERR_INVALID_VERIFICATION_CODE && e.code() != ETNA_ERR_INVALID_PIN) {
                throw;
            }
            std::cerr << e.what() << '\n';  // the user may try again
            state = session.state();
        }
    }
    if (state != etna::AuthState::Authenticated) {
        throw std::runtime_error("login did not finish");
    }
}

#endif
