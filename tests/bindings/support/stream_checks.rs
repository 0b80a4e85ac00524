//! What the streaming programs must print, for the C++ and the C# tests: the stream tours
//! (tests/bindings/cpp/stream_tour.cpp, tests/bindings/csharp/StreamTour.cs), which print the
//! same lines (typed values as records.rs reads them), and the examples that wait for an order's
//! fill on the data stream (examples/cpp/stream_fill.cpp, examples/csharp/StreamFill.cs).

use super::records::{Model, Record};
use super::trading_checks::{Tour, count};
use super::{Lang, Simulator};

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

/// A record line that is no typed value (`blocked_next: last_state=4|code=13|...`).
fn fields<'a>(t: &Tour<'a>, step: &str) -> Record<'a> {
    let text = t.lines.text(step);
    Record::parse(text).unwrap_or_else(|| panic!("{step}: not key=value|...: {text}"))
}

/// The stream tour's lines (alice, account 1001, user 101), and what the simulator received.
/// Every value is checked field by field against its own JSON (records::check).
pub fn check_stream_tour(stdout: &str, sim: &Simulator, lang: Lang) {
    use etna::ffi::*;
    let t = Tour::parse(stdout);
    assert!(stdout.lines().any(|l| l == "done"), "{stdout}");

    // The quote stream: its first event, errors, a quote of each ticker.
    let connected = t.one("connected", Model::StreamState);
    assert_eq!(
        connected.int("state"),
        i64::from(ETNA_STREAM_STATE_CONNECTED)
    );
    t.ok("subscribe_quotes");
    t.failed("unknown_ticker", ETNA_ERR_HTTP, 404);
    t.failed("wrong_stream", ETNA_ERR_INVALID_ARGUMENT, 0);
    t.failed("bad_entity", ETNA_ERR_INVALID_ARGUMENT, 0);
    let mut ids = Vec::new();
    for symbol in ["AAPL", "MSFT"] {
        let quote = t.one(&format!("quote_{symbol}"), Model::Quote);
        assert_eq!(quote.get("symbol"), symbol);
        let (bid, ask) = (quote.num("bid"), quote.num("ask"));
        assert!(bid > 0.0 && bid < ask, "{symbol}: bid {bid}, ask {ask}");
        assert!(quote.int("time_ms") > 0, "{}", quote.json);
        ids.push(quote.int("security_id"));
    }
    assert!(ids[0] > 0 && ids[0] != ids[1], "{ids:?}");
    let stats = fields(&t, "quote_stats");
    assert!(stats.int("received") >= 2, "{stdout}");
    assert!(stats.int("delivered") >= 3, "the state and two quotes");
    assert!(stats.int("high_water") >= stats.int("queued"));
    assert_eq!((stats.int("reconnects"), stats.int("gaps")), (0, 0));
    assert!(stats.int("last_message_age_ms") >= 0, "{stdout}");
    t.ok("set_timing");
    t.failed("bad_timing", ETNA_ERR_INVALID_ARGUMENT, 0);
    t.ok("unsubscribe");
    assert_eq!(t.other("quiet"), "none", "a wait that runs out");

    // close() on this thread wakes the reader waiting on another; the stream ends.
    let blocked = fields(&t, "blocked_next");
    assert_eq!(
        blocked.int("last_state"),
        i64::from(ETNA_STREAM_STATE_CLOSED),
        "{stdout}"
    );
    assert_eq!(blocked.int("code"), i64::from(ETNA_ERR_CANCELLED));
    let woken = blocked.int("woken_ms");
    assert!((0..2000).contains(&woken), "woken {woken} ms after close");
    t.failed("after_close_next", ETNA_ERR_CANCELLED, 0);
    t.failed("after_close_subscribe", ETNA_ERR_INVALID_STATE, 0);
    match lang {
        Lang::Cpp => {
            t.failed("nul_keys", ETNA_ERR_INVALID_ARGUMENT, 0);
            t.failed("negative_timeout", ETNA_ERR_INVALID_ARGUMENT, 0);
            t.failed("moved_from", ETNA_ERR_NULL_ARGUMENT, 0);
        }
        Lang::CSharp => {
            assert_eq!(t.other("nul_keys"), "ArgumentException");
            assert_eq!(t.other("negative_timeout"), "ArgumentOutOfRangeException");
            assert_eq!(t.other("disposed"), "ObjectDisposedException");
            assert_eq!(t.other("close_after_dispose"), "no exception");
            // A cancelled token ends Events (within its wait slice), leaving the stream open.
            let cancelled = fields(&t, "events_cancelled");
            assert!(cancelled.int("events") >= 1, "the Connected state at least");
            let ended = cancelled.int("ended_ms");
            assert!((650..3000).contains(&ended), "ended after {ended} ms");
            assert_eq!(cancelled.int("still_open"), 1, "{stdout}");
        }
        Lang::C => unreachable!("the stream tours are C++ and C#"),
    }

    // The data stream: an order's events to its fill, and what the fill changed.
    t.ok("data_subscribe");
    t.failed("data_wrong_stream", ETNA_ERR_INVALID_ARGUMENT, 0);
    let placed = id(t.other("placed"), "placed");
    let (_, orders) = t.list("order_events", Model::Order);
    assert!(!orders.is_empty(), "no event of the order:\n{stdout}");
    for o in &orders {
        assert_eq!(
            (o.int("id"), o.get("client_id"), o.get("symbol")),
            (placed, "stream-tour", "AAPL")
        );
        assert_eq!(o.num("quantity"), 5.0);
    }
    let statuses: Vec<i64> = orders.iter().map(|o| o.int("status")).collect();
    let last = orders.last().unwrap();
    assert_eq!(
        (last.int("status"), last.get("status_text")),
        (i64::from(ETNA_ORDER_STATUS_FILLED), "Filled"),
        "statuses {statuses:?}"
    );
    assert_eq!(last.num("executed_quantity"), 5.0);
    assert!(last.num("average_price") > 0.0, "{}", last.json);
    let position = t.one("position_event", Model::Position);
    assert_eq!(position.get("symbol"), "AAPL");
    assert!(position.num("quantity") >= 5.0, "{}", position.json);
    let balances = t.one("balances_event", Model::StreamedBalances);
    assert!(balances.num("cash") > 0.0, "{}", balances.json);
    assert_eq!(t.number("balances_event_cash"), balances.num("cash"));
    let user = t.one("user_balance_event", Model::StreamedBalances);
    assert!(
        user.num("cash") > balances.num("cash"),
        "alice's two accounts together"
    );
    let list = t.one("watchlist_event", Model::Watchlist);
    assert_eq!(list.get("name"), "Stream list");
    let content = t.one("watchlist_content_event", Model::WatchlistContent);
    assert_eq!(
        (content.int("watchlist_id"), content.get("added_symbols")),
        (list.int("id"), "AAPL")
    );
    assert_eq!(content.get("removed_symbols"), "");

    // Each sort of event came with its kind.
    let kinds = fields(&t, "kinds");
    for (name, kind) in [
        ("quote", ETNA_KIND_QUOTE),
        ("order", ETNA_KIND_ORDER),
        ("position", ETNA_KIND_POSITION),
        ("balances", ETNA_KIND_BALANCES),
        ("user_balance", ETNA_KIND_USER_BALANCE),
        ("watchlist", ETNA_KIND_WATCHLIST),
        ("watchlist_content", ETNA_KIND_WATCHLIST_CONTENT),
        ("stream_state", ETNA_KIND_STREAM_STATE),
    ] {
        assert_eq!(kinds.int(name), i64::from(kind), "{name}");
    }
    let stats = fields(&t, "data_stats");
    assert!(
        stats.int("delivered") >= orders.len() as i64 + 5,
        "{stdout}"
    );
    let end = t.one("data_end", Model::StreamState);
    assert_eq!(end.int("state"), i64::from(ETNA_STREAM_STATE_CLOSED));
    assert!(!end.get("reason").is_empty(), "a close says why");
    t.failed("data_after_end", ETNA_ERR_CANCELLED, 0);

    // The fill came from the stream: nobody asked the broker about the order.
    let path = format!("v1.0/accounts/1001/orders/{placed}");
    assert_eq!(count(sim, "GET", &path), 0, "the tour polled the order");
    assert_eq!(count(sim, "POST", "v1.0/accounts/1001/orders"), 1);
}

/// The lines of a stream fill example (bob, account 1003):
///
///   Account: 1003
///   Streaming: Order events of account 1003
///   State: connected
///   Placed: order 7 (ClientId stream-fill-...)
///   Event: order 7 New, 0 of 5 filled
///   Event: order 7 Filled, 5 of 5 filled
///   Filled: order 7, 5 AAPL at 180.12 on average (from the stream)
///   Logged out
///
/// and the simulator saw one order placed and never asked about (no polling).
pub fn check_stream_fill(stdout: &str, sim: &Simulator) {
    assert!(stdout.contains("Enter the verification code: "), "{stdout}");
    let account = id(after(stdout, "Account: "), "account");
    assert_eq!(account, 1003, "bob's account\n{stdout}");
    assert!(
        stdout.contains(&format!("Streaming: Order events of account {account}\n")),
        "{stdout}"
    );
    assert!(stdout.contains("\nState: connected\n"), "{stdout}");
    let placed = after(stdout, "Placed: order ");
    let (order, client_id) = placed
        .split_once(" (ClientId ")
        .unwrap_or_else(|| panic!("bad Placed line: {placed}"));
    let order = id(order, "the placed order");
    assert!(client_id.starts_with("stream-fill-"), "{placed}");
    let events: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("Event: order {order} ")))
        .collect();
    assert_eq!(
        events.last().copied(),
        Some("Filled, 5 of 5 filled"),
        "{stdout}"
    );
    let filled = after(stdout, &format!("Filled: order {order}, "));
    let (shares, rest) = filled
        .split_once(" AAPL at ")
        .unwrap_or_else(|| panic!("bad Filled line: {filled}"));
    assert_eq!(shares, "5", "{filled}");
    let (price, source) = rest
        .split_once(" on average ")
        .unwrap_or_else(|| panic!("bad Filled line: {filled}"));
    let price: f64 = price.parse().expect("an average price");
    assert!(price > 0.0, "{filled}");
    assert_eq!(source, "(from the stream)", "{stdout}");
    assert!(stdout.ends_with("Logged out\n"), "{stdout}");

    let orders = format!("v1.0/accounts/{account}/orders");
    assert_eq!(count(sim, "POST", &orders), 1);
    assert_eq!(
        count(sim, "GET", &format!("{orders}/{order}")),
        0,
        "the example polled the order instead of reading the stream"
    );
    assert_eq!(count(sim, "POST", "logout"), 1, "it did not log out");
}
