//! What the programs of the markets API must print, for the C++ and the C# tests: the markets
//! tours (tests/bindings/cpp/markets_tour.cpp, tests/bindings/csharp/MarketsTour.cs), which print
//! the same lines (typed values as records.rs reads them), the options example
//! (examples/cpp/options.cpp) and the price alerts example (examples/csharp/PriceAlerts.cs).

use super::records::{Model, Record};
use super::trading_checks::{Tour, count};
use super::{Lang, Simulator};
use serde_json::Value;
use std::collections::BTreeSet;

/// The underlying both tours and the options example trade options on.
pub const UNDERLYING: &str = "AAPL";

/// The simulator's stocks and ETFs.
const EQUITIES: i64 = 38;

/// The text after `label` on the first line that starts with it.
fn after<'a>(stdout: &'a str, label: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no line starting {label:?} in:\n{stdout}"))
}

fn id(text: &str, what: &str) -> i64 {
    text.trim()
        .parse()
        .unwrap_or_else(|e| panic!("{what} is not an id ({e}): {text}"))
}

/// An OSI option symbol: `AAPL  261218C00190000` is the root (padded to six), the expiration as
/// YYMMDD, C or P, and the strike in thousandths.
#[derive(Debug, PartialEq)]
pub struct Osi {
    pub root: String,
    pub expiration: String,
    pub call: bool,
    pub strike: f64,
}

pub fn osi(symbol: &str) -> Osi {
    fn bad(symbol: &str) -> ! {
        panic!("{symbol:?} is not an OSI option symbol")
    }
    if symbol.len() != 21 || !symbol.is_ascii() {
        bad(symbol);
    }
    let (root, rest) = symbol.split_at(6);
    let (expiration, rest) = rest.split_at(6);
    let (kind, strike) = rest.split_at(1);
    let call = match kind {
        "C" => true,
        "P" => false,
        _ => bad(symbol),
    };
    let strike: u64 = strike.parse().unwrap_or_else(|_| bad(symbol));
    if !expiration.bytes().all(|b| b.is_ascii_digit()) {
        bad(symbol);
    }
    Osi {
        root: root.trim_end().to_owned(),
        expiration: expiration.to_owned(),
        call,
        strike: strike as f64 / 1000.0,
    }
}

fn ints(items: &[Record], key: &str) -> Vec<i64> {
    items.iter().map(|r| r.int(key)).collect()
}

/// Requests the simulator received with this method and path (without /api/), their bodies.
fn bodies(sim: &Simulator, method: &str, path: &str) -> Vec<Value> {
    sim.recorded_requests()
        .iter()
        .filter(|r| {
            let p = r.url.split('?').next().unwrap_or("");
            r.method == method && p.trim_start_matches("/api/") == path
        })
        .map(|r| serde_json::from_slice(&r.body).unwrap_or(Value::Null))
        .collect()
}

/// The markets tour's lines (alice, trading in her margin account 1002), and what the simulator
/// received. Every value
/// is checked field by field against its own JSON (records::check); the checks here are about
/// the scenario.
pub fn check_markets_tour(stdout: &str, sim: &Simulator, lang: Lang) {
    use etna::ffi::*;
    let t = Tour::parse(stdout);
    assert!(stdout.lines().any(|l| l == "done"), "{stdout}");
    let account = id(after_step(stdout, "account"), "account");
    assert_eq!(account, 1002, "alice's margin account");
    let orders = format!("v1.0/accounts/{account}");

    // Expirations, earliest first, each of a known kind.
    let (_, expirations) = t.list("option_expirations", Model::Expiration);
    assert!(!expirations.is_empty(), "{stdout}");
    let days = ints(&expirations, "expiration_ms");
    assert!(
        days.windows(2).all(|w| w[0] < w[1]),
        "earliest first: {days:?}"
    );
    for e in &expirations {
        assert!(
            (0..=ETNA_EXPIRATION_NON_STANDARD).contains(&(e.int("expiration_type") as i32)),
            "{}",
            e.json
        );
    }

    // The chain near the money: calls and puts of AAPL, of the listed expirations, at most
    // three strikes each; the whole chain holds more.
    let (_, near) = t.list("option_chain", Model::OptionContract);
    assert!(!near.is_empty(), "{stdout}");
    for o in &near {
        assert_eq!(o.get("underlying_symbol"), UNDERLYING, "{}", o.json);
        assert!(days.contains(&o.int("expiration_ms")), "{}", o.json);
        let kind = o.int("option_type") as i32;
        assert!(
            kind == ETNA_OPTION_CALL || kind == ETNA_OPTION_PUT,
            "{}",
            o.json
        );
        let symbol = osi(o.get("symbol"));
        assert_eq!(symbol.root, UNDERLYING);
        assert_eq!(symbol.call, kind == ETNA_OPTION_CALL, "{}", o.json);
        assert_eq!(symbol.strike, o.num("strike"), "{}", o.json);
        assert_eq!(o.num("contract_size"), 100.0, "{}", o.json);
    }
    for day in &days {
        let strikes: BTreeSet<String> = near
            .iter()
            .filter(|o| o.int("expiration_ms") == *day)
            .map(|o| o.get("strike").to_owned())
            .collect();
        assert!(strikes.len() <= 3, "Range = 1 gave strikes {strikes:?}");
    }
    let (_, all) = t.list("option_chain_all", Model::OptionContract);
    assert!(all.len() > near.len(), "{} <= {}", all.len(), near.len());
    t.failed("option_chain_bad_filter", ETNA_ERR_HTTP, 400);
    t.failed("option_chain_unknown", ETNA_ERR_HTTP, 404);

    // The spread's legs: two calls of the nearest expiration, the lower strike first.
    let legs: Vec<&str> = t.lines.text("spread_legs").split(';').collect();
    let [lower, higher] = legs[..] else {
        panic!("spread_legs: {legs:?}");
    };
    let (l, h) = (osi(lower), osi(higher));
    assert!(l.call && h.call && l.expiration == h.expiration && l.strike < h.strike);
    let option = t.one("option", Model::OptionContract);
    assert_eq!(option.get("symbol"), lower);
    let by_id = t.one("option_by_id", Model::OptionContract);
    assert_eq!(
        (by_id.int("id"), by_id.get("symbol")),
        (option.int("id"), lower)
    );
    t.failed("option_unknown", ETNA_ERR_HTTP, 404);

    // Pages of options and equities.
    let (head, options) = t.list("options", Model::OptionContract);
    assert!(options.len() == 5 && head.int("total") > 5, "{stdout}");
    assert_eq!(head.get("next"), "1");
    assert!(
        options
            .iter()
            .all(|o| o.get("underlying_symbol") == UNDERLYING)
    );
    let default = Record::parse(t.lines.text("options_default")).expect("count=..|total=..");
    assert_eq!(
        default.int("count"),
        default.int("total").min(50),
        "{stdout}"
    );
    t.failed("options_bad_page", ETNA_ERR_INVALID_ARGUMENT, 0);
    let (head, first) = t.list("equities", Model::Security);
    assert_eq!(
        (first.len(), head.int("total"), head.get("next")),
        (10, EQUITIES, "1")
    );
    let (_, filtered) = t.list("equities_filtered", Model::Security);
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0].get("symbol"), UNDERLYING);
    let (head, second) = t.list("equities_second_page", Model::Security);
    assert_eq!((second.len(), head.get("next")), (10, "2"));
    let first_ids: BTreeSet<i64> = ints(&first, "id").into_iter().collect();
    assert!(ints(&second, "id").iter().all(|i| !first_ids.contains(i)));

    // A single-leg option order fills; the spread is accepted with its legs.
    let preview = t.one("option_preview", Model::Preview);
    assert_eq!(preview.get("is_successful"), "1", "{}", preview.json);
    let placed = t.one("option_order", Model::Order);
    let option_order = placed.int("id");
    assert_eq!(placed.get("symbol"), lower);
    let filled = t.one("option_filled", Model::Order);
    assert_eq!(
        (filled.int("id"), filled.get("status_text")),
        (option_order, "Filled"),
        "{}",
        filled.json
    );
    let spread_preview = t.one("spread_preview", Model::Preview);
    assert_eq!(spread_preview.get("is_successful"), "1");
    let spread = t.one("spread_order", Model::Order);
    assert_eq!(
        (
            spread.get("symbol"),
            spread.int("type"),
            spread.num("price")
        ),
        ("", i64::from(ETNA_ORDER_TYPE_LIMIT), 0.01),
        "{}",
        spread.json
    );
    let sent_legs: Vec<(String, String)> = spread.json_value()["Legs"]
        .as_array()
        .unwrap_or_else(|| panic!("the spread has no Legs: {}", spread.json))
        .iter()
        .map(|l| {
            (
                l["Symbol"].as_str().unwrap_or_default().to_owned(),
                l["Side"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        sent_legs,
        [
            (lower.to_owned(), "Buy".to_owned()),
            (higher.to_owned(), "SellShort".to_owned())
        ]
    );
    let reason = t.failed("spread_in_cash", ETNA_ERR_REJECTED, 200);
    assert!(reason.contains("ShortSellingNotAllowed"), "{reason}");
    t.failed("spread_no_legs", ETNA_ERR_INVALID_ARGUMENT, 0);
    t.failed("spread_bad_leg", ETNA_ERR_INVALID_ARGUMENT, 0);

    // The option order's states, oldest first, ending Filled; the spread's; the verification.
    let (_, details) = t.list("order_details", Model::OrderDetail);
    assert!(details.len() >= 2, "{stdout}");
    let last = details.last().unwrap();
    assert_eq!(
        (last.int("status"), last.get("status_text")),
        (i64::from(ETNA_ORDER_STATUS_FILLED), "Filled")
    );
    assert_eq!(last.num("executed_quantity"), 1.0);
    let dates = ints(&details, "date_ms");
    assert!(
        dates.windows(2).all(|w| w[0] <= w[1]),
        "oldest first: {dates:?}"
    );
    let (_, spread_details) = t.list("spread_details", Model::OrderDetail);
    assert!(!spread_details.is_empty(), "{stdout}");
    t.failed("order_details_unknown", ETNA_ERR_HTTP, 404);
    let verified = t.one("verified_order", Model::Preview);
    assert_eq!(verified.get("is_successful"), "1", "{}", verified.json);
    t.failed("verified_unknown", ETNA_ERR_HTTP, 404);

    // The sync routes took one order and its cancel; the quick ones the rest.
    t.ok("sync_on");
    let sync_order = t.one("sync_order", Model::Order).int("id");
    t.ok("sync_cancel");
    t.ok("sync_off");
    assert!(t.number("quick_order") > 0.0, "{stdout}");
    assert_eq!(count(sim, "POST", &format!("{orders}/syncorders")), 1);
    assert_eq!(
        count(sim, "DELETE", &format!("{orders}/syncorders/{sync_order}")),
        1
    );
    assert_eq!(count(sim, "POST", &format!("{orders}/orders")), 3);
    assert_eq!(count(sim, "POST", &format!("{orders}/preview/orders")), 2);

    // History, one point a day, and the account's value by asset class.
    let (_, history) = t.list("account_history", Model::HistoryPoint);
    assert!(!history.is_empty(), "{stdout}");
    let points = ints(&history, "date_ms");
    assert!(points.windows(2).all(|w| w[0] < w[1]), "{points:?}");
    assert!(history.iter().all(|p| p.num("value") > 0.0), "{stdout}");
    t.failed("account_history_backwards", ETNA_ERR_INVALID_ARGUMENT, 0);
    let (_, groups) = t.list("position_groups", Model::PositionGroup);
    let names: Vec<&str> = groups.iter().map(|g| g.get("name")).collect();
    assert_eq!(names, ["Equity", "Options", "Cash"]);
    assert!(
        groups[1].num("market_value") > 0.0,
        "the call bought: {stdout}"
    );
    assert!(groups[2].num("market_value") > 0.0, "{stdout}");

    // News and corporate actions of AAPL; none of a ticker that is not one.
    for step in ["news", "corporate_actions"] {
        let (_, items) = t.list(step, Model::News);
        assert!(!items.is_empty(), "{step}: {stdout}");
        for n in &items {
            assert!(
                !n.get("header").is_empty() && n.int("date_ms") > 0,
                "{}",
                n.json
            );
        }
    }
    t.failed("news_unknown", ETNA_ERR_HTTP, 404);

    // A price alert through its life.
    let created = t.one("create_price_alert", Model::PriceAlert);
    let alert = created.int("id");
    assert_eq!(
        (
            created.get("field"),
            created.get("operator"),
            created.num("argument")
        ),
        ("Last", "GTEQ", 100_000.0)
    );
    assert_eq!(
        (created.int("state"), created.get("state_text")),
        (i64::from(ETNA_ALERT_NEW), "New")
    );
    assert!(created.int("expiration_ms") > 0, "{}", created.json);
    let (_, alerts) = t.list("price_alerts", Model::PriceAlert);
    assert!(ints(&alerts, "id").contains(&alert), "{stdout}");
    assert_eq!(t.one("price_alert", Model::PriceAlert).int("id"), alert);
    let updated = t.one("update_price_alert", Model::PriceAlert);
    assert_eq!(
        (updated.num("argument"), updated.get("field")),
        (200_000.0, "Last")
    );
    let stopped = t.one("stop_price_alert", Model::PriceAlert);
    assert_eq!(
        (stopped.int("state"), stopped.get("state_text")),
        (i64::from(ETNA_ALERT_STOPPED), "Stopped")
    );
    t.failed("bad_price_alert", ETNA_ERR_INVALID_ARGUMENT, 0);
    t.ok("delete_price_alert");
    t.failed("deleted_price_alert", ETNA_ERR_HTTP, 404);
    t.failed("delete_again", ETNA_ERR_HTTP, 404);
    let (_, after) = t.list("price_alerts_after", Model::PriceAlert);
    assert!(!ints(&after, "id").contains(&alert), "{stdout}");
    assert_eq!(count(sim, "POST", "v1.0/users/@me/pricealerts"), 1);
    assert_eq!(
        count(sim, "PUT", &format!("v1.0/users/@me/pricealerts/{alert}")),
        2
    );

    // A watchlist renamed and changed by security id.
    let list = id(after_step(stdout, "watchlist"), "watchlist id");
    t.ok("rename_watchlist");
    t.failed("rename_empty", ETNA_ERR_INVALID_ARGUMENT, 0);
    t.ok("add_by_id");
    t.ok("add_other_by_id");
    let added = t.one("watchlist_after_add", Model::Watchlist);
    assert_eq!(added.get("name"), "Markets tour renamed");
    let symbols: BTreeSet<&str> = added.get("symbols").split(';').collect();
    assert_eq!(symbols, BTreeSet::from([UNDERLYING, "MSFT"]));
    t.ok("remove_by_id");
    let removed = t.one("watchlist_after_remove", Model::Watchlist);
    assert_eq!(removed.get("symbols"), "MSFT");
    t.failed("add_unknown_id", ETNA_ERR_HTTP, 404);
    let renames = sim
        .recorded_requests()
        .iter()
        .filter(|r| {
            r.method == "PUT"
                && r.url
                    .contains(&format!("v1.0/users/@me/watchlists/{list}/name?"))
        })
        .count();
    assert_eq!(renames, 1, "the empty name reached the broker");

    match lang {
        Lang::Cpp => {
            t.failed("nul_underlying", ETNA_ERR_INVALID_ARGUMENT, 0);
        }
        Lang::CSharp => assert_eq!(t.other("nul_underlying"), "ArgumentException"),
        Lang::C => unreachable!("the markets tours are C++ and C#"),
    }
    t.failed("after_logout", ETNA_ERR_NOT_AUTHENTICATED, 0);
}

/// The text of a tour's line that is no typed value (`watchlist: 7`).
fn after_step<'a>(stdout: &'a str, step: &str) -> &'a str {
    after(stdout, &format!("{step}: "))
}

/// The lines of the options example (bob, account 1003) and what the simulator received: the
/// expirations, the chain near the money of the nearest one, a vertical call spread previewed
/// and placed as one Limit order with the printed net debit, its status, and a cancel when it
/// was still working.
///
///   Account: 1003
///   Expirations of AAPL: 2026-12-04 (Weekly) 2026-12-11 (Weekly) ...
///   Option: AAPL  261204C00185000 Call 185.00
///   Spread: buy AAPL  261204C00185000, sell AAPL  261204C00195000, net debit 4.10 (the quotes: ...)
///   Preview: cost 410.00, commission 1.30
///   Spread order: 12
///   Order 12 is Filled: 1 of 1 filled at 4.05 net
pub fn check_options_example(stdout: &str, sim: &Simulator) {
    assert!(stdout.contains("Enter the verification code: "), "{stdout}");
    let account = id(after(stdout, "Account: "), "account");
    assert_eq!(account, 1003, "bob's account\n{stdout}");
    let expirations = after(stdout, &format!("Expirations of {UNDERLYING}: "));
    assert!(!expirations.trim().is_empty(), "{stdout}");
    let options: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("Option: "))
        .collect();
    assert!(options.len() >= 2, "{stdout}");

    let spread = after(stdout, "Spread: buy ");
    let (lower, rest) = spread.split_once(", sell ").expect("buy X, sell Y");
    let (higher, rest) = rest
        .split_once(", net debit ")
        .expect("sell Y, net debit P");
    let debit: f64 = rest
        .split_whitespace()
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no net debit in {rest:?}"));
    let (l, h) = (osi(lower), osi(higher));
    assert!(
        l.root == UNDERLYING && l.call && h.call && l.expiration == h.expiration,
        "{l:?} {h:?}"
    );
    assert!(l.strike < h.strike, "buy the lower strike: {l:?} {h:?}");
    assert!(
        options.iter().any(|o| o.starts_with(lower))
            && options.iter().any(|o| o.starts_with(higher)),
        "the legs come from the chain printed\n{stdout}"
    );
    assert!(debit > 0.0 && debit < h.strike - l.strike, "{debit}");
    assert!(stdout.contains("Preview: cost "), "{stdout}");

    let order = id(after(stdout, "Spread order: "), "spread order id");
    let status = after(stdout, &format!("Order {order} is "));
    let status = status.split(':').next().unwrap_or_default();
    assert!(
        ["Filled", "New", "PendingNew", "PartiallyFilled", "Canceled"].contains(&status),
        "{status}\n{stdout}"
    );
    let canceled = stdout.lines().any(|l| l.starts_with("Canceled: "));
    assert_eq!(
        canceled,
        status != "Filled" && status != "Canceled",
        "{stdout}"
    );
    assert!(stdout.contains("Logged out"), "{stdout}");

    // What reached the broker: the spread, previewed then placed, as one Limit order.
    let want = serde_json::json!([
        {"Symbol": lower, "Quantity": 1, "Side": "Buy"},
        {"Symbol": higher, "Quantity": 1, "Side": "SellShort"},
    ]);
    for path in ["preview/orders", "orders"] {
        let sent = bodies(sim, "POST", &format!("v1.0/accounts/{account}/{path}"));
        assert_eq!(sent.len(), 1, "{path}: {sent:?}");
        let body = &sent[0];
        assert_eq!(body["Symbol"], "", "{body}");
        assert_eq!(body["Type"], "Limit", "{body}");
        assert_eq!(body["Price"].as_f64(), Some(debit), "{body}");
        assert_eq!(body["Legs"], want, "{body}");
    }
    assert_eq!(
        count(
            sim,
            "DELETE",
            &format!("v1.0/accounts/{account}/orders/{order}")
        ),
        usize::from(canceled)
    );
    assert_eq!(count(sim, "POST", "logout"), 1, "the example logs out");
}

/// The lines of the price alerts example (bob) and what the simulator received: an alert created
/// 10 % above the last price, listed, lowered to 5 %, paused, read back, deleted, and gone from the
/// list.
///
///   AAPL: security 1, last 180.12
///   Created: alert 9001 on security 1: Last GTEQ 198.13 until 2026-12-30, New
///   Alerts: 1
///     alert 9001 on security 1: Last GTEQ 198.13 until 2026-12-30, New
///   Changed: alert 9001 on security 1: Last GTEQ 189.13 until 2026-12-30, New
///   Paused: alert 9001 on security 1: Last GTEQ 189.13 until 2026-12-30, Stopped
///   Read back: alert 9001 on security 1: Last GTEQ 189.13 until 2026-12-30, Stopped
///   Deleted: alert 9001
///   Alerts: 0
pub fn check_price_alerts_example(stdout: &str, sim: &Simulator) {
    assert!(stdout.contains("Enter the verification code: "), "{stdout}");
    let head = after(stdout, &format!("{UNDERLYING}: security "));
    let (security, last) = head.split_once(", last ").expect("security N, last P");
    let security = id(security, "security id");
    let last: f64 = last.trim().parse().expect("a last price");
    assert!(last > 0.0, "{stdout}");

    // `alert <id> on security <s>: <field> <operator> <argument> until <date>, <state>`
    let alert = |label: &str| -> (i64, f64, String) {
        let text = after(stdout, label);
        let words: Vec<&str> = text.split_whitespace().collect();
        match words[..] {
            [
                "alert",
                id_text,
                "on",
                "security",
                s,
                "Last",
                "GTEQ",
                argument,
                "until",
                _,
                state,
            ] => {
                assert_eq!(id(s.trim_end_matches(':'), "security"), security, "{text}");
                (
                    id(id_text, "alert id"),
                    argument.trim_end_matches(',').parse().expect("an argument"),
                    state.to_owned(),
                )
            }
            _ => panic!("{label}: not an alert: {text}\n{stdout}"),
        }
    };
    let (created, above, state) = alert("Created: ");
    assert_eq!(state, "New");
    assert!((above - last * 1.10).abs() < 0.011, "{above} vs {last}");
    let (changed, nearer, state) = alert("Changed: ");
    assert_eq!((changed, state.as_str()), (created, "New"));
    assert!((nearer - last * 1.05).abs() < 0.011, "{nearer} vs {last}");
    let (paused, argument, state) = alert("Paused: ");
    assert_eq!(
        (paused, argument, state.as_str()),
        (created, nearer, "Stopped")
    );
    let (read, _, state) = alert("Read back: ");
    assert_eq!((read, state.as_str()), (created, "Stopped"));
    assert_eq!(
        id(after(stdout, "Deleted: alert "), "deleted alert"),
        created
    );

    let listed: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("Alerts: "))
        .collect();
    assert_eq!(listed, ["1", "0"], "{stdout}");
    assert!(
        stdout.contains(&format!("  alert {created} on security")),
        "the list shows the alert\n{stdout}"
    );

    let alerts = "v1.0/users/@me/pricealerts";
    assert_eq!(count(sim, "POST", alerts), 1);
    assert_eq!(count(sim, "GET", alerts), 2);
    let one = format!("{alerts}/{created}");
    assert_eq!(
        (
            count(sim, "PUT", &one),
            count(sim, "GET", &one),
            count(sim, "DELETE", &one)
        ),
        (2, 1, 1)
    );
    assert_eq!(count(sim, "POST", "logout"), 1, "the example logs out");
}
