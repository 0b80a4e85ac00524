//! The trading API through the C ABI against the simulator: fills, positions and balances that
//! agree, partial fills, paging and filters, rejects, cancels, replaces, securities, history,
//! watchlists, streamers.

use crate::support::ffi::{Failure, Session, c, parse};
use crate::support::*;
use etna::ffi::*;
use etna_sim::{SimConfig, Simulator};
use serde_json::Value;
use std::ptr;
use std::time::{Duration, Instant};

const CASH_ACCOUNT: i64 = 1001;

/// The simulator with its clock at 60x, so partial fills follow each other in half a second.
fn fast_sim() -> Simulator {
    Simulator::start(SimConfig {
        speed: 60.0,
        fixed_code: Some(FIXED_CODE.into()),
        ..SimConfig::default()
    })
    .unwrap()
}

fn alice(sim: &Simulator) -> Session {
    let s = Session::new(&sim.base_url(), APP_KEY).unwrap();
    s.login("alice", "alice-pass").unwrap();
    s
}

fn simple_order(
    s: &Session,
    symbol: &str,
    side: &str,
    kind: &str,
    qty: f64,
    price: f64,
) -> Result<i64, Failure> {
    let mut id = 0;
    s.unit(|err| unsafe {
        etna_place_simple_order(
            s.0,
            CASH_ACCOUNT,
            c(symbol).as_ptr(),
            c(side).as_ptr(),
            c(kind).as_ptr(),
            qty,
            price,
            0.0,
            ptr::null(),
            &mut id,
            err,
        )
    })
    .map(|()| id)
}

fn order(s: &Session, id: i64) -> Value {
    parse(
        &s.json(|o, e| unsafe { etna_get_order(s.0, CASH_ACCOUNT, id, o, e) })
            .unwrap(),
    )
}

fn wait(s: &Session, id: i64, ms: u32) -> Result<Value, Failure> {
    s.json(|o, e| unsafe { etna_wait_for_order(s.0, CASH_ACCOUNT, id, ms, o, e) })
        .map(|j| parse(&j))
}

fn cash(s: &Session) -> f64 {
    let info = parse(
        &s.json(|o, e| unsafe { etna_get_account_info(s.0, CASH_ACCOUNT, o, e) })
            .unwrap(),
    );
    info["cash"].as_f64().expect("cash is a number")
}

fn held(s: &Session, symbol: &str) -> f64 {
    let positions = parse(
        &s.json(|o, e| unsafe { etna_get_position(s.0, CASH_ACCOUNT, c(symbol).as_ptr(), o, e) })
            .unwrap(),
    );
    positions
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["Quantity"].as_f64().unwrap())
        .sum()
}

fn executions_of(s: &Session, order_id: i64) -> Vec<Value> {
    let page = parse(
        &s.json(|o, e| unsafe { etna_get_transactions(s.0, CASH_ACCOUNT, 0, 100, o, e) })
            .unwrap(),
    );
    page["Result"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["Type"] == "OrderExecution" && t["OrderId"].as_i64() == Some(order_id))
        .cloned()
        .collect()
}

#[test]
fn a_market_order_fills_and_the_position_and_balances_agree_with_the_fill() {
    let sim = fast_sim();
    let s = alice(&sim);
    let (cash_before, held_before) = (cash(&s), held(&s, "F"));
    let id = simple_order(&s, "F", "Buy", "Market", 10.0, f64::NAN).unwrap();
    let placed = order(&s, id);
    assert!(
        placed["ClientId"].as_str().unwrap().starts_with("etna-"),
        "{placed}"
    );

    let filled = wait(&s, id, 10_000).unwrap();
    assert_eq!(filled["Status"], "Filled", "{filled}");
    assert_eq!(filled["ExecutedQuantity"], 10.0);
    let price = filled["AveragePrice"].as_f64().unwrap();
    let executions = executions_of(&s, id);
    assert_eq!(executions.len(), 1, "{executions:?}");
    let commission = executions[0]["Fee"]["Value"].as_f64().unwrap();
    assert!(commission > 0.0);

    assert_eq!(held(&s, "F"), held_before + 10.0);
    let expected = cash_before - 10.0 * price - commission;
    assert!(
        (cash(&s) - expected).abs() < 0.011,
        "cash {} vs {expected}",
        cash(&s)
    );
}

#[test]
fn a_large_order_fills_in_parts() {
    let sim = fast_sim();
    let s = alice(&sim);
    let id = simple_order(&s, "F", "Buy", "Market", 2500.0, f64::NAN).unwrap();
    let started = Instant::now();
    let mut saw_partial = false;
    loop {
        let o = order(&s, id);
        let done = o["ExecutedQuantity"].as_f64().unwrap();
        if o["Status"] == "PartiallyFilled" {
            assert!(done > 0.0 && done < 2500.0, "{o}");
            saw_partial = true;
        }
        if o["Status"] == "Filled" || started.elapsed() > Duration::from_secs(20) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(saw_partial, "the order went through PartiallyFilled");
    let filled = wait(&s, id, 20_000).unwrap();
    assert_eq!(filled["ExecutedQuantity"], 2500.0);
    let executions = executions_of(&s, id);
    assert!(
        executions.len() >= 3,
        "one execution per part: {executions:?}"
    );
    let total: f64 = executions
        .iter()
        .map(|t| t["Quantity"].as_f64().unwrap().abs())
        .sum();
    assert_eq!(total, 2500.0);
}

#[test]
fn orders_page_across_several_pages_and_filter() {
    let sim = fast_sim();
    let s = alice(&sim);
    let mut ids: Vec<i64> = (0..5)
        .map(|_| simple_order(&s, "F", "Buy", "Limit", 3.0, 1.00).unwrap())
        .collect();
    ids.sort();
    let page = |n: i32, filter: Option<&str>| {
        let filter = filter.map(c);
        parse(
            &s.json(|o, e| unsafe {
                etna_get_orders(
                    s.0,
                    CASH_ACCOUNT,
                    filter.as_ref().map_or(ptr::null(), |f| f.as_ptr()),
                    n,
                    2,
                    o,
                    e,
                )
            })
            .unwrap(),
        )
    };
    let first = page(0, None);
    let total = first["TotalCount"].as_u64().unwrap();
    assert!(total >= 5, "{first}");
    assert_eq!(first["PreviousPageLink"], "");
    assert!(
        first["NextPageLink"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:"),
        "{first}"
    );
    let mut seen = Vec::new();
    for n in 0.. {
        let p = page(n, None);
        seen.extend(
            p["Result"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["Id"].as_i64().unwrap()),
        );
        if p["NextPageLink"] == "" {
            assert!(n >= 2, "five orders need three pages of two");
            break;
        }
    }
    assert_eq!(seen.len() as u64, total, "every order once");
    assert!(ids.iter().all(|id| seen.contains(id)));

    let resting = page(0, Some("Status in (0,10) and Side = 'Buy'"));
    assert!(resting["TotalCount"].as_u64().unwrap() >= 5, "{resting}");
    for o in resting["Result"].as_array().unwrap() {
        assert!(o["Status"] == "New" || o["Status"] == "PendingNew", "{o}");
    }
    let sells = page(0, Some("Side = 'Sell'"));
    assert_eq!(sells["TotalCount"], 0, "{sells}");
    let e = s
        .json(|o, e| unsafe {
            etna_get_orders(s.0, CASH_ACCOUNT, c("Status ~~ 1").as_ptr(), 0, 2, o, e)
        })
        .unwrap_err();
    assert_eq!(
        (e.code, e.http_status),
        (ETNA_ERR_HTTP, 400),
        "a filter the broker cannot read"
    );
}

#[test]
fn a_preview_the_broker_refuses_is_rejected_with_its_reason() {
    let sim = fast_sim();
    let s = alice(&sim);
    let preview = |json: &str| {
        s.json(|o, e| unsafe { etna_preview_order(s.0, CASH_ACCOUNT, c(json).as_ptr(), o, e) })
    };
    let ok =
        parse(&preview(r#"{"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":1}"#).unwrap());
    assert_eq!(ok["IsSuccessful"], true);
    assert!(
        ok["Commission"].as_f64().unwrap() > 0.0 && ok["Quotes"][0]["Ask"].as_f64().unwrap() > 0.0,
        "{ok}"
    );

    let e = preview(r#"{"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":1000000}"#)
        .unwrap_err();
    assert_eq!(
        (e.code, e.http_status),
        (ETNA_ERR_REJECTED, 200),
        "{}",
        e.message
    );
    let reason = e.reason.unwrap();
    assert!(
        !reason.is_empty() && e.message.contains(&reason),
        "{reason} / {}",
        e.message
    );
    assert!(e.body.unwrap().contains("\"IsSuccessful\":false"));
    let before = sim.orders_accepted();
    let e = preview(r#"{"Symbol":"AAPL","Type":"Market","Side":"Sell","Quantity":100000}"#)
        .unwrap_err();
    assert_eq!(
        e.code, ETNA_ERR_REJECTED,
        "selling more than held: {}",
        e.message
    );
    assert_eq!(sim.orders_accepted(), before, "a preview places nothing");
}

#[test]
fn a_resting_order_is_replaced_then_canceled_and_a_second_cancel_is_409() {
    let sim = fast_sim();
    let s = alice(&sim);
    let id = simple_order(&s, "F", "Buy", "Limit", 10.0, 1.00).unwrap();
    let e = wait(&s, id, 300).unwrap_err();
    assert_eq!(
        e.code, ETNA_ERR_TIMEOUT,
        "a limit far below the market rests"
    );
    let replaced = s.json(|o, e| unsafe {
        etna_replace_order(s.0, CASH_ACCOUNT, id, c(r#"{"Price":1.25}"#).as_ptr(), o, e)
    });
    let replaced = parse(&replaced.unwrap());
    assert_eq!(replaced["Price"], 1.25, "{replaced}");
    let live = replaced["Id"].as_i64().unwrap();

    s.unit(|e| unsafe { etna_cancel_order(s.0, CASH_ACCOUNT, live, e) })
        .unwrap();
    assert_eq!(wait(&s, live, 5_000).unwrap()["Status"], "Canceled");
    let e = s
        .unit(|e| unsafe { etna_cancel_order(s.0, CASH_ACCOUNT, live, e) })
        .unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 409));
    assert!(e.reason.is_some(), "the broker's reason is carried");
    let e = s
        .json(|o, e| unsafe {
            etna_replace_order(
                s.0,
                CASH_ACCOUNT,
                live,
                c(r#"{"Price":1.5}"#).as_ptr(),
                o,
                e,
            )
        })
        .unwrap_err();
    assert_eq!(
        (e.code, e.http_status),
        (ETNA_ERR_HTTP, 409),
        "a finished order cannot change"
    );
}

#[test]
fn an_order_is_found_again_by_its_client_id() {
    let sim = fast_sim();
    let s = alice(&sim);
    let placed = s
        .json(|o, e| unsafe {
            let order = c(r#"{"Symbol":"F","Type":"Limit","Side":"Buy","Quantity":1,"Price":1.0,"ClientId":"find-me-1"}"#);
            etna_place_order(s.0, CASH_ACCOUNT, order.as_ptr(), o, e)
        })
        .unwrap();
    let id = parse(&placed)["Id"].as_i64().unwrap();
    let find = |client_id: &str| {
        s.json(|o, e| unsafe {
            etna_find_order_by_client_id(s.0, CASH_ACCOUNT, c(client_id).as_ptr(), o, e)
        })
    };
    assert_eq!(parse(&find("find-me-1").unwrap())["Id"].as_i64(), Some(id));
    assert_eq!(find("never-sent").unwrap_err().code, ETNA_ERR_NOT_FOUND);
    assert_eq!(find("it's").unwrap_err().code, ETNA_ERR_INVALID_ARGUMENT);
}

#[test]
fn positions_come_as_pages_and_transactions_page_newest_first() {
    let sim = fast_sim();
    let s = alice(&sim);
    let positions = parse(
        &s.json(|o, e| unsafe { etna_get_positions(s.0, CASH_ACCOUNT, 0, 1, o, e) })
            .unwrap(),
    );
    assert_eq!(positions["Result"].as_array().unwrap().len(), 1);
    assert!(
        positions["TotalCount"].as_u64().unwrap() >= 2,
        "{positions}"
    );
    assert_ne!(positions["NextPageLink"], "");
    for _ in 0..2 {
        let id = simple_order(&s, "F", "Buy", "Market", 1.0, f64::NAN).unwrap();
        wait(&s, id, 10_000).unwrap();
    }
    let page = parse(
        &s.json(|o, e| unsafe { etna_get_transactions(s.0, CASH_ACCOUNT, 0, 2, o, e) })
            .unwrap(),
    );
    let dates: Vec<&str> = page["Result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["Date"].as_str().unwrap())
        .collect();
    assert_eq!(dates.len(), 2);
    assert!(dates[0] >= dates[1], "newest first: {dates:?}");
}

#[test]
fn securities_history_watchlists_and_streamers() {
    let sim = fast_sim();
    let s = alice(&sim);
    let aapl = parse(
        &s.json(|o, e| unsafe { etna_get_equity(s.0, c("AAPL").as_ptr(), o, e) })
            .unwrap(),
    );
    assert_eq!(
        (aapl["Symbol"].as_str(), aapl["Exchange"].as_str()),
        (Some("AAPL"), Some("XNAS"))
    );
    let e = s
        .json(|o, e| unsafe { etna_get_equity(s.0, c("ZZZZZ").as_ptr(), o, e) })
        .unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 404));
    let found = parse(
        &s.json(|o, e| unsafe { etna_lookup_equities(s.0, c("A").as_ptr(), 3, o, e) })
            .unwrap(),
    );
    let found = found.as_array().unwrap();
    assert!(!found.is_empty() && found.len() <= 3, "{found:?}");

    let end = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let request = serde_json::json!({
        "Security": {"Symbol": "AAPL"},
        "SecurityHistorySettings": {"StartDate": end - 10 * 86_400, "EndDate": end, "CandlesCount": -1,
            "Period": "1h", "Interval": 0, "IncludeNonMarketData": false},
        "IndicatorsHistorySettings": []
    });
    let history = s.json(|o, e| unsafe {
        etna_get_price_history(s.0, c(&request.to_string()).as_ptr(), o, e)
    });
    let history = parse(&history.unwrap());
    let candles = history["SecurityHistory"][0]
        .as_array()
        .expect("an array of arrays of candles");
    assert!(!candles.is_empty());
    for k in candles {
        let (h, l) = (k["High"].as_f64().unwrap(), k["Low"].as_f64().unwrap());
        assert!(
            h >= k["Open"]
                .as_f64()
                .unwrap()
                .max(k["Close"].as_f64().unwrap())
                && l <= h,
            "{k}"
        );
    }

    let list = parse(
        &s.json(|o, e| unsafe { etna_create_watchlist(s.0, c("tech").as_ptr(), o, e) })
            .unwrap(),
    );
    let list_id = list["Id"].as_i64().unwrap();
    let e = s
        .json(|o, e| unsafe { etna_create_watchlist(s.0, c("tech").as_ptr(), o, e) })
        .unwrap_err();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 409));
    s.unit(|e| unsafe { etna_add_to_watchlist(s.0, list_id, c("AAPL").as_ptr(), e) })
        .unwrap();
    s.unit(|e| unsafe { etna_add_to_watchlist(s.0, list_id, c("MSFT").as_ptr(), e) })
        .unwrap();
    let symbols_in = |s: &Session| -> Vec<String> {
        let lists = parse(
            &s.json(|o, e| unsafe { etna_get_watchlists(s.0, o, e) })
                .unwrap(),
        );
        let list = lists
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["Id"].as_i64() == Some(list_id))
            .cloned();
        let Some(list) = list else {
            return vec!["<gone>".into()];
        };
        list["SecurityList"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["Symbol"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(symbols_in(&s), ["AAPL", "MSFT"]);
    s.unit(|e| unsafe { etna_remove_from_watchlist(s.0, list_id, c("AAPL").as_ptr(), e) })
        .unwrap();
    assert_eq!(symbols_in(&s), ["MSFT"]);
    s.unit(|e| unsafe { etna_delete_watchlist(s.0, list_id, e) })
        .unwrap();
    assert_eq!(symbols_in(&s), ["<gone>"]);

    let streamers = parse(
        &s.json(|o, e| unsafe { etna_get_streamers(s.0, o, e) })
            .unwrap(),
    );
    assert!(
        streamers["QuoteAddresses"][0]["Url"].is_string() && streamers["DataAddresses"].is_array(),
        "{streamers}"
    );
}

#[test]
fn waiting_on_a_replaced_order_ends_and_names_the_new_one() {
    let sim = fast_sim();
    let s = alice(&sim);
    let id = simple_order(&s, "F", "Buy", "Limit", 10.0, 1.00).unwrap();
    let replaced = s.json(|o, e| unsafe {
        etna_replace_order(s.0, CASH_ACCOUNT, id, c(r#"{"Price":1.10}"#).as_ptr(), o, e)
    });
    let new_id = parse(&replaced.unwrap())["Id"].as_i64().unwrap();
    if new_id != id {
        let old = wait(&s, id, 5_000).unwrap();
        assert_eq!(old["Status"], "Replaced", "{old}");
    }
    s.unit(|e| unsafe { etna_cancel_order(s.0, CASH_ACCOUNT, new_id, e) })
        .unwrap();
}
