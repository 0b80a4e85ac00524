//! What the trading programs must print, for the C++ and the C# tests: the trading examples
//! (examples/cpp/trading.cpp, examples/csharp/Trading.cs) and the tours of every binding method
//! (tests/bindings/cpp/trading_tour.cpp, tests/bindings/csharp/TradingTour.cs), which print the
//! same lines (typed values as records.rs reads them).

use super::records::{Lines, Model, Record};
use super::{Lang, Program, Simulator, run_limited};
use serde_json::Value;
use std::time::Duration;

/// Symbol both programs trade.
pub const SYMBOL: &str = "AAPL";

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
        .unwrap_or_else(|e| panic!("{what} is not an order id ({e}): {text}"))
}

/// The JSON value of a number or numeric string field, as f64.
fn num(v: &Value) -> f64 {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Requests the simulator received whose method and path (without /api/ and query) match.
pub(crate) fn count(sim: &Simulator, method: &str, path: &str) -> usize {
    sim.recorded_requests()
        .iter()
        .filter(|r| {
            let p = r.url.split('?').next().unwrap_or("");
            r.method == method && p.trim_start_matches("/api/") == path
        })
        .count()
}

/// No order or preview the simulator received has a quantity that is not positive.
fn no_bad_order_was_sent(sim: &Simulator) {
    for r in sim.recorded_requests() {
        if r.method == "POST" && r.url.contains("orders") {
            let body: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
            let q = body.get("Quantity").map(num).unwrap_or(1.0);
            assert!(
                q > 0.0,
                "an order with quantity {q} reached the broker: {body}"
            );
        }
        assert!(
            !r.url.contains("pageSize=0"),
            "a bad page reached the broker: {}",
            r.url
        );
    }
}

/// The words of the first line that starts with `label`, after it.
fn words_after<'a>(stdout: &'a str, label: &str) -> Vec<&'a str> {
    after(stdout, label).split_whitespace().collect()
}

fn number(word: &str, what: &str) -> f64 {
    word.trim_end_matches(',')
        .parse()
        .unwrap_or_else(|e| panic!("{what} is not a number ({e}): {word}"))
}

/// The lines of a trading example (bob, account 1003), read from its typed values: the order ids
/// and statuses, the fill's average price, the position, the log out; and the simulator saw the
/// replace and the cancel of the Limit order.
///
///   Account: 1003
///   Balances: cash 100000.00, stock buying power 200000.00, option buying power 100000.00
///   Limit order: 5
///   Replaced: order 6 at 1.05, New
///   Canceled: order 6 is Canceled
///   Market order: 7
///   Order 7 is Filled: 5 at 180.12 on average
///   Position: 5 AAPL at 180.12 on average
pub fn check_example(stdout: &str, sim: &Simulator) {
    assert!(stdout.contains("Enter the verification code: "), "{stdout}");
    let account = id(after(stdout, "Account: "), "account");
    assert_eq!(account, 1003, "bob's account\n{stdout}");
    let balances = after(stdout, "Balances: ");
    for part in ["cash ", "stock buying power ", "option buying power "] {
        assert!(balances.contains(part), "no {part:?} in {balances:?}");
    }

    let limit = id(after(stdout, "Limit order: "), "Limit order id");
    // The order as changed, under its old id or a new one.
    let replaced = words_after(stdout, "Replaced: ");
    let (open, price) = match replaced[..] {
        ["order", id_text, "at", price, _status] => (
            id(id_text, "replaced order id"),
            number(price, "replaced price"),
        ),
        _ => panic!("bad Replaced line: {replaced:?}\n{stdout}"),
    };
    assert_eq!(price, 1.05, "{stdout}");
    assert_eq!(
        words_after(stdout, "Canceled: "),
        ["order", &open.to_string(), "is", "Canceled"],
        "{stdout}"
    );

    let market = id(after(stdout, "Market order: "), "Market order id");
    assert!(market != limit && market != open, "{stdout}");
    let done = words_after(stdout, &format!("Order {market} is "));
    match done[..] {
        ["Filled:", quantity, "at", average, "on", "average"] => {
            assert_eq!(number(quantity, "filled quantity"), 5.0, "{stdout}");
            assert!(number(average, "average price") > 0.0, "{stdout}");
        }
        _ => panic!("the Market order did not fill: {done:?}\n{stdout}"),
    }
    match words_after(stdout, "Position: ")[..] {
        [held, SYMBOL, "at", _, "on", "average"] => {
            let held = number(held, "position");
            assert!(held >= 5.0, "bob holds {held} {SYMBOL}\n{stdout}");
        }
        _ => panic!("bad Position line\n{stdout}"),
    }
    assert!(stdout.contains("Logged out"), "{stdout}");

    let order = |id: i64| format!("v1.0/accounts/{account}/orders/{id}");
    assert_eq!(
        count(sim, "POST", &format!("v1.0/accounts/{account}/orders")),
        2
    );
    assert_eq!(
        count(sim, "PUT", &order(limit)),
        1,
        "the Limit order was not replaced"
    );
    assert_eq!(
        count(sim, "DELETE", &order(open)),
        1,
        "the Limit order was not canceled"
    );
    assert!(
        count(sim, "GET", &order(market)) >= 1,
        "nobody waited for the Market order"
    );
    assert_eq!(
        count(sim, "POST", "logout"),
        1,
        "the program did not log out"
    );
}

/// A trading example stops before anything else when its broker is not on this machine and
/// ETNA_PLACE_ORDERS=1 does not say to trade there.
pub fn refuses_a_broker_elsewhere(example: &Program) {
    for url in [
        "https://pub-api-et-demo-prod.etnasoft.us/api/",
        "https://127.0.0.1.example.com/api/",
        "https://localhost@example.com/api/",
    ] {
        let mut cmd = example.command();
        cmd.env("ETNA_BASE_URL", url)
            .env_remove("ETNA_PLACE_ORDERS");
        let out = run_limited(&mut cmd, "", Duration::from_secs(60));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{url}: {stderr}");
        assert!(stderr.contains("ETNA_PLACE_ORDERS=1"), "{url}: {stderr}");
        assert!(out.stdout.is_empty(), "{url}: it went on after refusing");
    }
}

/// One line of the tour.
pub(crate) enum Answer<'a> {
    Ok,
    /// A typed value or list (read with `one` or `list`).
    Value,
    Failed {
        code: i32,
        http: u16,
        reason: String,
    },
    Other(&'a str),
}

/// A tour's lines, by step (also the stream tours', stream_checks.rs).
pub(crate) struct Tour<'a> {
    pub(crate) lines: Lines<'a>,
    stdout: &'a str,
}

impl<'a> Tour<'a> {
    pub(crate) fn parse(stdout: &'a str) -> Tour<'a> {
        Tour {
            lines: Lines::parse(stdout),
            stdout,
        }
    }

    pub(crate) fn answer(&self, step: &str) -> Answer<'a> {
        let text = self.lines.text(step);
        if text == "ok" {
            return Answer::Ok;
        }
        if let Some(rest) = text.strip_prefix("error ") {
            let (code, rest) = rest
                .strip_prefix("code=")
                .and_then(|r| r.split_once(" http="))
                .unwrap_or_else(|| panic!("{step}: bad error line {text}"));
            let (http, reason) = rest
                .split_once(" reason=")
                .unwrap_or_else(|| panic!("{step}: bad error line {text}"));
            return Answer::Failed {
                code: code.parse().unwrap(),
                http: http.parse().unwrap(),
                reason: reason.to_owned(),
            };
        }
        match Record::parse(text) {
            Some(_) => Answer::Value,
            None => Answer::Other(text),
        }
    }

    /// The step succeeded: its value, a `model`, checked against its JSON.
    pub(crate) fn one(&self, step: &str, model: Model) -> Record<'a> {
        self.succeeded(step);
        self.lines.one(step, model)
    }

    /// The step succeeded: its list of `model`s (with the list's head), each checked.
    pub(crate) fn list(&self, step: &str, model: Model) -> (Record<'a>, Vec<Record<'a>>) {
        self.succeeded(step);
        self.lines.list(step, model)
    }

    pub(crate) fn succeeded(&self, step: &str) {
        if let Answer::Failed { code, http, reason } = self.answer(step) {
            panic!(
                "{step} failed: code {code}, HTTP {http}, reason {reason:?}\n{}",
                self.stdout
            );
        }
    }

    pub(crate) fn ok(&self, step: &str) {
        match self.answer(step) {
            Answer::Ok => {}
            Answer::Failed { code, http, reason } => panic!(
                "{step} failed: code {code}, HTTP {http}, reason {reason:?}\n{}",
                self.stdout
            ),
            _ => panic!("{step}: expected no answer\n{}", self.stdout),
        }
    }

    /// The step failed with `code` and `http`; gives the broker's reason.
    pub(crate) fn failed(&self, step: &str, want_code: i32, want_http: u16) -> String {
        match self.answer(step) {
            Answer::Failed { code, http, reason } => {
                assert_eq!(
                    (code, http),
                    (want_code, want_http),
                    "{step}: code and HTTP status (reason {reason:?})"
                );
                reason
            }
            _ => panic!(
                "{step} should have failed with code {want_code}\n{}",
                self.stdout
            ),
        }
    }

    /// A line that is neither a value nor an error: a number, "none", an exception's name.
    pub(crate) fn other(&self, step: &str) -> &'a str {
        match self.answer(step) {
            Answer::Other(t) => t,
            _ => panic!("{step}: unexpected answer\n{}", self.stdout),
        }
    }

    /// A record's field found by name, printed `kind=K|text=T|number=N`.
    pub(crate) fn field(&self, step: &str) -> Record<'a> {
        self.succeeded(step);
        let text = self.lines.text(step);
        Record::parse(text).unwrap_or_else(|| panic!("{step}: not a field: {text}"))
    }

    pub(crate) fn number(&self, step: &str) -> f64 {
        let text = self.other(step);
        text.parse()
            .unwrap_or_else(|e| panic!("{step} is not a number ({e}): {text}"))
    }
}

fn ids(items: &[Record]) -> Vec<i64> {
    items.iter().map(|o| o.int("id")).collect()
}

/// The tour's lines (alice, account 1001) and what the simulator received. Every value is checked
/// field by field against its own JSON (records::check); the checks here are about the scenario.
pub fn check_tour(stdout: &str, sim: &Simulator, lang: Lang) {
    use etna::ffi::*;
    let t = Tour::parse(stdout);
    assert!(stdout.lines().any(|l| l == "done"), "{stdout}");

    let user = t.one("user_info", Model::User);
    assert_eq!((user.get("login"), user.int("id")), ("alice", 101));
    let (_, accounts) = t.list("accounts", Model::Account);
    assert_eq!(ids(&accounts), [1001, 1002]);
    assert_eq!(accounts[0].int("margin_type"), i64::from(ETNA_MARGIN_CASH));
    let record = t.one("account", Model::Account);
    assert_eq!(record.int("id"), 1001);
    assert_eq!(record.int("margin_type"), i64::from(ETNA_MARGIN_CASH));
    assert_eq!(record.json_value()["Login"], "alice", "the full record");
    t.failed("unknown_account", ETNA_ERR_HTTP, 404);

    // Balances: fields, and any number by its name (also after a copy, or a garbage collection).
    let info = t.one("account_info", Model::Balances);
    let cash = info.num("cash");
    assert!(cash > 0.0, "{}", info.json);
    assert_eq!(t.number("balance_cash"), cash);
    assert_eq!(t.number("balance_copy"), cash);
    let option_bp = info.json_value()["optionBuyingPower"].as_f64();
    assert_eq!(Some(t.number("balance_option_buying_power")), option_bp);
    assert_eq!(t.other("balance_missing"), "none");
    match lang {
        Lang::Cpp => {
            t.failed("balance_nul", ETNA_ERR_INVALID_ARGUMENT, 0);
        }
        Lang::CSharp => assert_eq!(t.other("balance_nul"), "ArgumentException"),
        Lang::C => unreachable!("the trading tours are C++ and C#"),
    }
    // All the user's accounts together hold at least this one's cash.
    let total = t.one("user_balances", Model::Balances);
    assert!(total.num("cash") > cash, "{}", total.json);

    // Records: every field's name in order, and fields found by name (any case).
    let details = t.one("account_details", Model::Record);
    let created = t.field("account_created");
    assert_eq!(
        (created.int("kind"), created.get("text")),
        (
            i64::from(ETNA_FIELD_TEXT),
            details.json_value()["CreatedAt"].as_str().unwrap()
        )
    );
    assert_eq!(created.get("number"), "-");
    assert_eq!(t.other("account_no_field"), "none");
    let quantity = |r: &Record| r.json_value()["Instruments"]["Stocks"]["Quantity"].as_i64();
    assert_eq!(
        quantity(&t.one("trading_settings", Model::Record)),
        Some(100)
    );
    assert_eq!(
        quantity(&t.one("set_trading_settings", Model::Record)),
        Some(50)
    );
    let after = t.field("stock_quantity");
    assert_eq!(
        (after.int("kind"), after.get("text"), after.num("number")),
        (i64::from(ETNA_FIELD_NUMBER), "50", 50.0)
    );
    t.failed("bad_trading_settings", ETNA_ERR_HTTP, 422);

    let (_, found) = t.list("lookup", Model::Security);
    assert!(!found.is_empty() && found.len() <= 10, "{stdout}");
    let equity = t.one("equity", Model::Security);
    assert_eq!(
        (equity.get("symbol"), equity.get("exchange")),
        (SYMBOL, "XNAS")
    );
    t.failed("unknown_equity", ETNA_ERR_HTTP, 404);

    let preview = t.one("preview", Model::Preview);
    assert_eq!(preview.get("is_successful"), "1");
    assert!(preview.num("commission") > 0.0, "{}", preview.json);
    let reason = t.failed("preview_rejected", ETNA_ERR_REJECTED, 200);
    assert!(!reason.is_empty(), "a reject names its reason");

    let placed = t.one("place_order", Model::Order);
    let limit = placed.int("id");
    assert_eq!(placed.get("client_id"), "tour-limit");
    assert_eq!(placed.int("side"), i64::from(ETNA_SIDE_BUY));
    assert_eq!(placed.int("type"), i64::from(ETNA_ORDER_TYPE_LIMIT));
    assert_eq!(t.one("order", Model::Order).int("id"), limit);
    let (head, orders) = t.list("orders", Model::Order);
    assert!(ids(&orders).contains(&limit), "{stdout}");
    assert_eq!(head.get("next"), "-", "one page holds them all");
    assert_eq!(head.int("total"), head.int("count"));
    let (_, filtered) = t.list("orders_filtered", Model::Order);
    assert!(ids(&filtered).contains(&limit), "{stdout}");
    assert!(
        filtered
            .iter()
            .all(|o| o.int("side") == i64::from(ETNA_SIDE_BUY) && o.get("side_text") == "Buy"),
        "{stdout}"
    );
    let change = t.one("preview_replace", Model::Preview);
    assert_eq!(change.get("is_successful"), "1");
    assert_eq!(change.num("cost"), 3.0, "three at 1.00: {}", change.json);
    let replaced = t.one("replace_order", Model::Order);
    let open = replaced.int("id");
    assert_eq!(replaced.num("price"), 1.05, "{}", replaced.json);
    t.failed("wait_open", ETNA_ERR_TIMEOUT, 0);
    t.ok("cancel_order");
    let reason = t.failed("cancel_again", ETNA_ERR_HTTP, 409);
    assert!(!reason.is_empty(), "the broker says why a cancel fails");
    t.failed("replace_canceled", ETNA_ERR_HTTP, 409);

    for step in ["bad_simple", "bad_json", "bad_preview", "bad_page"] {
        t.failed(step, ETNA_ERR_INVALID_ARGUMENT, 0);
    }
    match lang {
        Lang::Cpp => {
            t.failed("nul_symbol", ETNA_ERR_INVALID_ARGUMENT, 0);
            t.failed("bad_wait", ETNA_ERR_INVALID_ARGUMENT, 0);
            t.failed("moved_from", ETNA_ERR_NULL_ARGUMENT, 0);
        }
        Lang::CSharp => {
            assert_eq!(t.other("nul_symbol"), "ArgumentException");
            assert_eq!(t.other("bad_wait"), "ArgumentOutOfRangeException");
            assert_eq!(t.other("disposed"), "ObjectDisposedException");
        }
        Lang::C => unreachable!("the trading tours are C++ and C#"),
    }

    // The Market order: filled, final, at an average price; its position and its fill.
    let market = t.number("market_order") as i64;
    let filled = t.one("filled", Model::Order);
    assert_eq!(filled.int("id"), market);
    assert_eq!(
        (filled.int("status"), filled.get("status_text")),
        (i64::from(ETNA_ORDER_STATUS_FILLED), "Filled")
    );
    assert_eq!(filled.num("executed_quantity"), 5.0);
    assert!(filled.num("average_price") > 0.0, "{}", filled.json);
    assert_eq!(t.number("filled_is_final"), 1.0);
    let (_, position) = t.list("position", Model::Position);
    assert!(
        position
            .iter()
            .any(|p| p.get("symbol") == SYMBOL && p.num("quantity") >= 5.0),
        "{stdout}"
    );
    let (_, positions) = t.list("positions", Model::Position);
    assert!(
        positions.iter().any(|p| p.get("symbol") == SYMBOL),
        "{stdout}"
    );
    let (_, transactions) = t.list("transactions", Model::Transaction);
    assert!(
        transactions.iter().any(|x| x.int("order_id") == market
            && x.int("type") == i64::from(ETNA_TRANSACTION_ORDER_EXECUTION)),
        "{stdout}"
    );

    // Paging one order at a time reaches every order once.
    let paged = Record::parse(t.lines.text("orders_paged")).expect("pages=..|total=..|ids=..");
    let seen: Vec<i64> = paged
        .get("ids")
        .split(',')
        .map(|i| i.parse().expect("an order id"))
        .collect();
    assert_eq!(paged.int("pages"), paged.int("total"), "{stdout}");
    assert_eq!(seen.len() as i64, paged.int("total"), "{stdout}");
    let unique: std::collections::BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "an order came twice: {seen:?}");
    assert!(
        unique.contains(&limit) && unique.contains(&market),
        "{seen:?}"
    );

    // Two past trading days, by the hour: the simulator has candles for every past session.
    let (_, candles) = t.list("price_history", Model::Candle);
    let times: Vec<i64> = candles.iter().map(|c| c.int("time_ms")).collect();
    assert!(!times.is_empty(), "no candles\n{stdout}");
    assert!(
        times.windows(2).all(|w| w[0] < w[1]),
        "oldest first: {times:?}"
    );
    // The export: an xlsx workbook, a ZIP archive of the same candles.
    let file = t.field("export_price_history");
    assert_eq!(file.get("starts"), "PK");
    assert!(file.int("bytes") > 1000, "{}", file.get("bytes"));

    // The comparison: the tour's symbol's series is its own history, then MSFT's.
    let (_, compared) = t.list("compare_price_history", Model::Candle);
    let series: Vec<i64> = compared.iter().map(|c| c.int("series")).collect();
    assert!(series.contains(&1), "{series:?}");
    assert!(series.windows(2).all(|w| w[0] <= w[1]), "{series:?}");
    let own: Vec<(i64, f64)> = candles
        .iter()
        .map(|c| (c.int("time_ms"), c.num("close")))
        .collect();
    let first: Vec<(i64, f64)> = compared
        .iter()
        .filter(|c| c.int("series") == 0)
        .map(|c| (c.int("time_ms"), c.num("close")))
        .collect();
    assert_eq!(first, own);
    assert!(candles.iter().all(|c| c.int("series") == 0));

    let (_, streamers) = t.list("streamers", Model::Streamer);
    let quote: Vec<&str> = streamers.iter().map(|s| s.get("is_quote")).collect();
    assert_eq!(quote.first(), Some(&"1"), "quote streamers first: {stdout}");
    assert!(quote.windows(2).all(|w| w[0] >= w[1]), "{quote:?}");

    let list = t.one("create_watchlist", Model::Watchlist);
    let list_id = list.int("id");
    assert_eq!(
        (list.get("name"), list.int("symbol_count")),
        ("Tour list", 0)
    );
    t.failed("duplicate_watchlist", ETNA_ERR_HTTP, 409);
    t.ok("add_to_watchlist");
    let (_, lists) = t.list("watchlists", Model::Watchlist);
    let ours = lists
        .iter()
        .find(|l| l.int("id") == list_id)
        .unwrap_or_else(|| panic!("watchlist {list_id} is missing:\n{stdout}"));
    assert_eq!((ours.get("symbols"), ours.int("symbol_count")), (SYMBOL, 1));
    let one = t.one("watchlist", Model::Watchlist);
    assert_eq!(
        (one.int("id"), one.get("name"), one.get("symbols")),
        (list_id, "Tour list", SYMBOL)
    );
    t.ok("remove_from_watchlist");
    t.ok("delete_watchlist");
    let (_, after) = t.list("watchlists_after", Model::Watchlist);
    assert!(!ids(&after).contains(&list_id), "{stdout}");
    t.failed("deleted_watchlist", ETNA_ERR_HTTP, 404);
    t.failed("after_logout", ETNA_ERR_NOT_AUTHENTICATED, 0);

    // A struct from an older libetna (struct_size short of `quantity`): what it holds is read,
    // the rest is absent, nothing past its end.
    assert_eq!(
        t.lines.text("short_struct"),
        "id=7|symbol=AAPL|status=2|quantity=-|average_price=-|created_at_ms=-|status_text="
    );

    // What reached the simulator: two orders, two previews, two replaces, two cancels, nothing
    // bad.
    no_bad_order_was_sent(sim);
    let order = |id: i64| format!("v1.0/accounts/1001/orders/{id}");
    assert_eq!(count(sim, "POST", "v1.0/accounts/1001/orders"), 2);
    assert_eq!(count(sim, "POST", "v1.0/accounts/1001/preview/orders"), 2);
    assert_eq!(
        count(sim, "PUT", &order(limit)),
        1 + usize::from(open == limit)
    );
    assert_eq!(count(sim, "DELETE", &order(open)), 2);
}
