//! What the trading programs must print, for the C++ and the C# tests: the trading examples
//! (examples/cpp/trading.cpp, examples/csharp/Trading.cs) and the tours of every binding method
//! (tests/bindings/cpp/trading_tour.cpp, tests/bindings/csharp/TradingTour.cs), which print the
//! same lines.

use super::{Lang, Program, Simulator, run_limited};
use serde_json::Value;
use std::collections::HashMap;
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

fn json(text: &str, what: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{what} is not JSON ({e}): {text}"))
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
fn count(sim: &Simulator, method: &str, path: &str) -> usize {
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

/// The lines of a trading example (bob, account 1003): the order ids, the Filled status, the
/// position, the log out, and the simulator saw the replace and the cancel of the Limit order.
pub fn check_example(stdout: &str, sim: &Simulator) {
    assert!(stdout.contains("Enter the verification code: "), "{stdout}");
    let account = id(after(stdout, "Account: "), "account");
    assert_eq!(account, 1003, "bob's account\n{stdout}");
    let balances = json(after(stdout, "Balances: "), "balances");
    assert!(balances.is_object(), "balances: {balances}");

    let limit = id(after(stdout, "Limit order: "), "Limit order id");
    let replaced = json(after(stdout, "Replaced: "), "replace answer");
    // The order as changed, under its old id or a new one.
    let open = replaced["Id"]
        .as_i64()
        .expect("the replace answer carries the order's Id");
    assert_eq!(num(&replaced["Price"]), 1.05, "{replaced}");
    let canceled = json(after(stdout, "Canceled: "), "canceled order");
    assert_eq!(canceled["Id"].as_i64(), Some(open), "{canceled}");
    assert_eq!(canceled["Status"], "Canceled", "{canceled}");

    let market = id(after(stdout, "Market order: "), "Market order id");
    assert!(market != limit && market != open, "{stdout}");
    let done = after(stdout, &format!("Order {market} is "));
    let final_order = json(
        done.strip_prefix("Filled: ")
            .unwrap_or_else(|| panic!("the Market order did not fill: {done}")),
        "filled order",
    );
    assert_eq!(final_order["Id"].as_i64(), Some(market), "{final_order}");
    assert_eq!(final_order["Status"], "Filled", "{final_order}");

    let position = json(after(stdout, "Position: "), "position");
    let held: f64 = position
        .as_array()
        .expect("the position is a JSON array")
        .iter()
        .filter(|p| p["Symbol"] == SYMBOL)
        .map(|p| num(&p["Quantity"]))
        .sum();
    assert!(held >= 5.0, "bob holds {held} {SYMBOL}: {position}");
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
enum Answer {
    Ok,
    Json(Value),
    Failed {
        code: i32,
        http: u16,
        reason: String,
    },
    Other(String),
}

struct Tour<'a> {
    lines: HashMap<&'a str, &'a str>,
    stdout: &'a str,
}

impl<'a> Tour<'a> {
    fn parse(stdout: &'a str) -> Tour<'a> {
        let lines = stdout.lines().filter_map(|l| l.split_once(": ")).collect();
        Tour { lines, stdout }
    }

    fn answer(&self, step: &str) -> Answer {
        let text = self
            .lines
            .get(step)
            .unwrap_or_else(|| panic!("the tour printed no {step:?} line:\n{}", self.stdout));
        if *text == "ok" {
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
        match serde_json::from_str(text) {
            Ok(v) => Answer::Json(v),
            Err(_) => Answer::Other((*text).to_owned()),
        }
    }

    fn json(&self, step: &str) -> Value {
        match self.answer(step) {
            Answer::Json(v) => v,
            Answer::Failed { code, http, reason } => panic!(
                "{step} failed: code {code}, HTTP {http}, reason {reason:?}\n{}",
                self.stdout
            ),
            Answer::Ok => panic!("{step} answered nothing"),
            Answer::Other(t) => panic!("{step} answered {t:?}"),
        }
    }

    fn ok(&self, step: &str) {
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
    fn failed(&self, step: &str, want_code: i32, want_http: u16) -> String {
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

    fn other(&self, step: &str) -> String {
        match self.answer(step) {
            Answer::Other(t) => t,
            _ => panic!("{step}: unexpected answer\n{}", self.stdout),
        }
    }
}

fn ids(page: &Value) -> Vec<i64> {
    page["Result"]
        .as_array()
        .unwrap_or_else(|| panic!("not a page: {page}"))
        .iter()
        .filter_map(|o| o["Id"].as_i64())
        .collect()
}

/// The tour's lines (alice, account 1001) and what the simulator received.
pub fn check_tour(stdout: &str, sim: &Simulator, lang: Lang) {
    use etna::ffi::*;
    let t = Tour::parse(stdout);
    assert!(stdout.lines().any(|l| l == "done"), "{stdout}");

    assert_eq!(t.json("user_info")["Login"], "alice");
    let accounts: Vec<i64> = t
        .json("accounts")
        .as_array()
        .expect("accounts are an array")
        .iter()
        .map(|a| a["Id"].as_i64().unwrap())
        .collect();
    assert_eq!(accounts, vec![1001, 1002]);
    let info = t.json("account_info");
    assert!(info.get("cash").is_some_and(Value::is_number), "{info}");

    let lookup = t.json("lookup");
    let found = lookup.as_array().expect("lookup gives an array");
    assert!(!found.is_empty() && found.len() <= 10, "{lookup}");
    assert_eq!(t.json("equity")["Symbol"], SYMBOL);
    t.failed("unknown_equity", ETNA_ERR_HTTP, 404);

    assert!(t.json("preview").is_object());
    let reason = t.failed("preview_rejected", ETNA_ERR_REJECTED, 200);
    assert!(!reason.is_empty(), "a reject names its reason");

    let placed = t.json("place_order");
    let limit = placed["Id"].as_i64().expect("placed order Id");
    assert_eq!(placed["ClientId"], "tour-limit", "{placed}");
    assert_eq!(t.json("order")["Id"].as_i64(), Some(limit));
    assert!(ids(&t.json("orders")).contains(&limit));
    let filtered = t.json("orders_filtered");
    assert!(ids(&filtered).contains(&limit), "{filtered}");
    assert!(
        filtered["Result"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["Side"] == "Buy"),
        "{filtered}"
    );
    let replaced = t.json("replace_order");
    let open = replaced["Id"].as_i64().expect("the replaced order's Id");
    assert_eq!(num(&replaced["Price"]), 1.05, "{replaced}");
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

    let market = match t.answer("market_order") {
        Answer::Json(v) => v.as_i64().expect("market order id"),
        _ => panic!("no market order id\n{stdout}"),
    };
    let filled = t.json("filled");
    assert_eq!(filled["Id"].as_i64(), Some(market), "{filled}");
    assert_eq!(filled["Status"], "Filled", "{filled}");
    let position = t.json("position");
    assert!(
        position
            .as_array()
            .expect("position is an array")
            .iter()
            .any(|p| p["Symbol"] == SYMBOL && num(&p["Quantity"]) >= 5.0),
        "{position}"
    );
    let positions = t.json("positions");
    assert!(
        positions["Result"]
            .as_array()
            .expect("positions page")
            .iter()
            .any(|p| p["Symbol"] == SYMBOL),
        "{positions}"
    );
    let transactions = t.json("transactions");
    assert!(
        transactions["Result"]
            .as_array()
            .expect("transactions page")
            .iter()
            .any(|x| x["Type"] == "OrderExecution"),
        "{transactions}"
    );

    match t.answer("price_history") {
        Answer::Json(v) => assert!(v["SecurityHistory"].is_array(), "{v}"),
        Answer::Failed { code, http, .. } => assert_eq!((code, http), (ETNA_ERR_HTTP, 409)),
        _ => panic!("price_history: unexpected answer\n{stdout}"),
    }
    assert!(t.json("streamers")["QuoteAddresses"].is_array());

    let list = t.json("create_watchlist");
    let list_id = list["Id"].as_i64().expect("watchlist Id");
    assert_eq!(list["Name"], "Tour list", "{list}");
    t.failed("duplicate_watchlist", ETNA_ERR_HTTP, 409);
    t.ok("add_to_watchlist");
    let lists = t.json("watchlists");
    let ours = lists
        .as_array()
        .expect("watchlists are an array")
        .iter()
        .find(|l| l["Id"].as_i64() == Some(list_id))
        .unwrap_or_else(|| panic!("watchlist {list_id} is missing: {lists}"));
    assert!(ours.to_string().contains(SYMBOL), "{ours}");
    t.ok("remove_from_watchlist");
    t.ok("delete_watchlist");
    let after = t.json("watchlists_after");
    assert!(
        !after
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["Id"].as_i64() == Some(list_id)),
        "{after}"
    );
    t.failed("after_logout", ETNA_ERR_NOT_AUTHENTICATED, 0);

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
