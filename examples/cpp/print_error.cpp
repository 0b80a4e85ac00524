// The quickstart's second translation unit: it includes etna.hpp too, which proves the header
// links from several translation units (everything in it is inline).
#include <iostream>

#include "etna.hpp"

void print_error(const etna::Error& e);

// Prints what failed: message, code number and its description, HTTP status, broker's reason.
void print_error(const etna::Error& e) {
    std::cerr << "error: " << e.what() << " (code " << e.code() << ": " << etna::status_str(e.code())
              << ")";
    if (e.http_status() != 0) {
        std::cerr << " [HTTP " << e.http_status() << "]";
    }
    if (!e.api_reason().empty()) {
        std::cerr << " broker says: " << e.api_reason();
    }
    std::cerr << '\n';
}
