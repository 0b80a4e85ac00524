// How the C++ tours print the typed values of etna.hpp: one line per value, every field by its C
// name, the item's JSON last (the format tests/bindings/support/records.rs reads and checks;
// tests/bindings/csharp/Records.cs prints the same for C#):
//
//   id=42|symbol=AAPL|status=2|status_text=Filled|average_price=180.25|...|json=<JSON>
//
// Numbers with round-trip precision, "-" for an absent number (NaN), an unset instant or an
// unknown flag; instants as Unix milliseconds; enumerations as their codes.
#ifndef ETNA_TOUR_RECORDS_HPP
#define ETNA_TOUR_RECORDS_HPP

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iomanip>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "etna.hpp"

namespace tour {

// A number with round-trip precision; "-" for NaN (absent).
inline std::string number(double value) {
    if (std::isnan(value)) {
        return "-";
    }
    std::ostringstream n;
    n << std::setprecision(std::numeric_limits<double>::max_digits10) << value;
    return n.str();
}

class Record {
public:
    Record& text(const char* key, const std::string& value) {
        out_ << (first_ ? "" : "|") << key << '=' << value;
        first_ = false;
        return *this;
    }
    Record& id(const char* key, int64_t value) { return text(key, std::to_string(value)); }
    Record& number(const char* key, double value) { return text(key, tour::number(value)); }
    Record& instant(const char* key, etna::Instant at) {
        return at == etna::Instant{} ? text(key, "-") : id(key, etna::unix_ms(at));
    }
    Record& flag(const char* key, std::optional<bool> value) {
        return text(key, value ? (*value ? "1" : "0") : "-");
    }
    template <typename E>
    Record& code(const char* key, E value) {
        return id(key, static_cast<int64_t>(value));
    }
    std::string json(const std::string& json) {
        text("json", json);
        return out_.str();
    }
    std::string str() const { return out_.str(); }

private:
    std::ostringstream out_;
    bool first_ = true;
};

inline std::string show(const etna::User& u) {
    return Record()
        .id("id", u.id)
        .text("login", u.login)
        .text("first_name", u.first_name)
        .text("middle_name", u.middle_name)
        .text("last_name", u.last_name)
        .text("email", u.email)
        .text("role", u.role)
        .instant("added_at_ms", u.added_at)
        .json(u.json);
}

inline std::string show(const etna::Account& a) {
    return Record()
        .id("id", a.id)
        .text("alias", a.alias)
        .text("clearing_account", a.clearing_account)
        .text("clearing_firm", a.clearing_firm)
        .code("margin_type", a.margin_type)
        .code("access_type", a.access_type)
        .flag("enabled", a.enabled)
        .text("margin_type_text", a.margin_type_text)
        .text("access_type_text", a.access_type_text)
        .text("owner_type", a.owner_type)
        .text("currency", a.currency)
        .json(a.json);
}

inline std::string show(const etna::Balances& b) {
    return Record()
        .number("cash", b.cash)
        .number("net_cash", b.net_cash)
        .number("equity_total", b.equity_total)
        .number("net_liquidity", b.net_liquidity)
        .number("stock_buying_power", b.stock_buying_power)
        .number("day_trading_buying_power", b.day_trading_buying_power)
        .number("maintenance_margin", b.maintenance_margin)
        .number("open_pl", b.open_pl)
        .number("market_value", b.market_value)
        .json(b.json);
}

inline std::string show(const etna::Position& p) {
    return Record()
        .id("id", p.id)
        .id("account_id", p.account_id)
        .id("security_id", p.security_id)
        .text("symbol", p.symbol)
        .number("quantity", p.quantity)
        .number("average_open_price", p.average_open_price)
        .number("cost_basis", p.cost_basis)
        .number("realized_profit_loss", p.realized_profit_loss)
        .instant("created_at_ms", p.created_at)
        .instant("modified_at_ms", p.modified_at)
        .json(p.json);
}

inline std::string show(const etna::Order& o) {
    return Record()
        .id("id", o.id)
        .id("account_id", o.account_id)
        .id("security_id", o.security_id)
        .text("symbol", o.symbol)
        .text("client_id", o.client_id)
        .code("side", o.side)
        .code("type", o.type)
        .code("status", o.status)
        .code("time_in_force", o.time_in_force)
        .number("quantity", o.quantity)
        .number("price", o.price)
        .number("stop_price", o.stop_price)
        .number("executed_quantity", o.executed_quantity)
        .number("leaves_quantity", o.leaves_quantity)
        .number("average_price", o.average_price)
        .number("last_price", o.last_price)
        .number("last_quantity", o.last_quantity)
        .instant("created_at_ms", o.created_at)
        .instant("transaction_at_ms", o.transaction_at)
        .text("description", o.description)
        .text("side_text", o.side_text)
        .text("type_text", o.type_text)
        .text("status_text", o.status_text)
        .text("time_in_force_text", o.time_in_force_text)
        .json(o.json);
}

inline std::string show(const etna::Preview& p) {
    return Record()
        .flag("is_successful", p.is_successful)
        .number("commission", p.commission)
        .number("cost", p.cost)
        .number("net_cost", p.net_cost)
        .number("total_cost", p.total_cost)
        .text("error_code_text", p.error_code_text)
        .text("error_text", p.error_text)
        .json(p.json);
}

inline std::string show(const etna::Transaction& t) {
    return Record()
        .id("id", t.id)
        .id("account_id", t.account_id)
        .id("order_id", t.order_id)
        .id("security_id", t.security_id)
        .instant("date_ms", t.date)
        .code("type", t.type)
        .text("type_text", t.type_text)
        .text("symbol", t.symbol)
        .number("quantity", t.quantity)
        .number("price", t.price)
        .number("value", t.value)
        .number("commission", t.commission)
        .text("description", t.description)
        .json(t.json);
}

inline std::string show(const etna::Security& s) {
    return Record()
        .id("id", s.id)
        .text("symbol", s.symbol)
        .text("description", s.description)
        .text("exchange", s.exchange)
        .text("currency", s.currency)
        .text("type_text", s.type_text)
        .number("tick_size", s.tick_size)
        .id("precision", s.precision)
        .flag("enabled", s.enabled)
        .flag("allow_trade", s.allow_trade)
        .flag("allow_margin", s.allow_margin)
        .flag("allow_short", s.allow_short)
        .json(s.json);
}

inline std::string show(const etna::Candle& c) {
    return Record()
        .instant("time_ms", c.time)
        .number("open", c.open)
        .number("high", c.high)
        .number("low", c.low)
        .number("close", c.close)
        .number("volume", c.volume)
        .id("series", c.series)
        .json(c.json);
}

// A record: how many fields and their names in order (each field's value is checked by the
// steps that find it by name).
inline std::string show(const etna::Record& r) {
    std::string names;
    for (const etna::Field& f : r.fields) {
        names += (names.empty() ? "" : ";") + f.name;
    }
    return Record().id("field_count", static_cast<int64_t>(r.fields.size())).text("names", names).json(r.json);
}

inline std::string show(const etna::Watchlist& w) {
    std::string symbols;
    for (std::size_t i = 0; i < w.symbols.size(); ++i) {
        symbols += (i ? ";" : "") + w.symbols[i];
    }
    return Record()
        .id("id", w.id)
        .text("name", w.name)
        .text("description", w.description)
        .code("type", w.type)
        .flag("read_only", w.read_only)
        .text("type_text", w.type_text)
        .instant("created_at_ms", w.created_at)
        .instant("modified_at_ms", w.modified_at)
        .id("symbol_count", static_cast<int64_t>(w.symbols.size()))
        .text("symbols", symbols)
        .json(w.json);
}

inline std::string show(const etna::Streamer& s) {
    return Record()
        .text("url", s.url)
        .text("type", s.type)
        .text("session_id", s.session_id)
        .flag("is_quote", s.is_quote)
        .json(s.json);
}

inline std::string show(const etna::Quote& q) {
    return Record()
        .id("security_id", q.security_id)
        .text("symbol", q.symbol)
        .number("bid", q.bid)
        .number("ask", q.ask)
        .number("last", q.last)
        .number("bid_size", q.bid_size)
        .number("ask_size", q.ask_size)
        .number("volume", q.volume)
        .number("open", q.open)
        .number("high", q.high)
        .number("low", q.low)
        .number("close", q.close)
        .instant("time_ms", q.time)
        .json(q.json);
}

inline std::string show(const etna::StreamState& s) {
    return Record()
        .code("state", s.state)
        .text("reason", s.reason)
        .instant("gap_from_ms", s.gap_from)
        .instant("gap_to_ms", s.gap_to)
        .json(s.json);
}

inline std::string joined(const std::vector<std::string>& symbols) {
    std::string out;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        out += (i ? ";" : "") + symbols[i];
    }
    return out;
}

inline std::string show(const etna::WatchlistContent& w) {
    return Record()
        .id("watchlist_id", w.watchlist_id)
        .text("added_symbols", joined(w.added_symbols))
        .text("removed_symbols", joined(w.removed_symbols))
        .json(w.json);
}

inline std::string show(const etna::OptionContract& o) {
    return Record()
        .id("id", o.id)
        .text("symbol", o.symbol)
        .text("underlying_symbol", o.underlying_symbol)
        .code("option_type", o.option_type)
        .text("option_type_text", o.option_type_text)
        .instant("expiration_ms", o.expiration)
        .code("expiration_type", o.expiration_type)
        .text("expiration_type_text", o.expiration_type_text)
        .number("strike", o.strike)
        .number("contract_size", o.contract_size)
        .id("series_id", o.series_id)
        .json(o.json);
}

inline std::string show(const etna::Expiration& e) {
    return Record()
        .instant("expiration_ms", e.expiration)
        .code("expiration_type", e.expiration_type)
        .text("expiration_type_text", e.expiration_type_text)
        .id("series_id", e.series_id)
        .text("series_type", e.series_type)
        .json(e.json);
}

inline std::string show(const etna::PriceAlert& a) {
    return Record()
        .id("id", a.id)
        .id("security_id", a.security_id)
        .text("field", a.field)
        .text("operator", a.operator_)
        .number("argument", a.argument)
        .code("state", a.state)
        .text("state_text", a.state_text)
        .instant("expiration_ms", a.expiration)
        .json(a.json);
}

inline std::string show(const etna::News& n) {
    return Record()
        .text("key", n.key)
        .instant("date_ms", n.date)
        .text("source", n.source)
        .text("header", n.header)
        .text("content", n.content)
        .text("attachment", n.attachment)
        .text("news_id", n.news_id)
        .json(n.json);
}

inline std::string show(const etna::HistoryPoint& h) {
    return Record().instant("date_ms", h.date).number("value", h.value).json(h.json);
}

inline std::string show(const etna::PositionGroup& g) {
    return Record().text("name", g.name).number("market_value", g.market_value).json(g.json);
}

inline std::string show(const etna::OrderDetail& d) {
    return Record()
        .id("id", d.id)
        .id("order_id", d.order_id)
        .code("status", d.status)
        .text("status_text", d.status_text)
        .number("executed_quantity", d.executed_quantity)
        .number("leaves_quantity", d.leaves_quantity)
        .number("last_price", d.last_price)
        .number("last_quantity", d.last_quantity)
        .number("average_price", d.average_price)
        .instant("date_ms", d.date)
        .text("description", d.description)
        .json(d.json);
}

// A stream's counters; "-" for a last message age not known yet.
inline std::string show(const etna::StreamStats& s) {
    return Record()
        .id("received", static_cast<int64_t>(s.received))
        .id("delivered", static_cast<int64_t>(s.delivered))
        .id("conflated", static_cast<int64_t>(s.conflated))
        .id("queued", static_cast<int64_t>(s.queued))
        .id("high_water", static_cast<int64_t>(s.high_water))
        .id("reconnects", static_cast<int64_t>(s.reconnects))
        .id("gaps", static_cast<int64_t>(s.gaps))
        .text("last_message_age_ms",
              s.last_message_age ? std::to_string(s.last_message_age->count()) : std::string("-"))
        .str();
}

// A list: "count=N", then one line "<name>[i]: <value>" per item.
template <typename T>
std::string show_list(const std::string& name, const std::vector<T>& items) {
    std::string out = "count=" + std::to_string(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += "\n" + name + "[" + std::to_string(i) + "]: " + show(items[i]);
    }
    return out;
}

// A page: "count=N|total=T|next=P|json=<page>", then its items as show_list() prints them.
template <typename T>
std::string show_page(const std::string& name, const etna::Page<T>& page) {
    std::string head = Record()
                           .id("count", static_cast<int64_t>(page.items.size()))
                           .id("total", page.total_count)
                           .text("next", page.next_page ? std::to_string(*page.next_page) : "-")
                           .json(page.json);
    std::string items = show_list(name, page.items);
    return head + items.substr(items.find('\n') == std::string::npos ? items.size() : items.find('\n'));
}

}  // namespace tour

#endif  // ETNA_TOUR_RECORDS_HPP
