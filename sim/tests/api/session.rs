//! The simulated clock and the session: the default start, Day orders
//! expiring at the close, market orders refused while closed, frozen
//! prices, IOC / FOK.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::*;
use etna_sim::Simulator;

#[test]
fn the_default_start_is_an_open_market() {
    let sim = Simulator::start_default().unwrap();
    assert!(sim.market_open());
    // 09:30 New York is 13:30 or 14:30 UTC.
    let secs = sim.now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let of_day = secs % 86_400;
    assert!(
        (13 * 3600 + 1800..13 * 3600 + 1860).contains(&of_day)
            || (14 * 3600 + 1800..14 * 3600 + 1860).contains(&of_day),
        "{of_day}"
    );
    // Today, or the last weekday (at most three days back).
    let real = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(
        secs + 4 * 86_400 > real && secs < real + 86_400,
        "{secs} vs {real}"
    );

    let clock = send(
        &agent(),
        "GET",
        &format!("http://127.0.0.1:{}/sim/clock", sim.port()),
        &[],
    );
    assert_eq!(clock.status, 200);
    let c = clock.json();
    assert_eq!(c["MarketOpen"], true);
    assert_eq!(c["Speed"], 1.0);
    assert!(c["Now"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn the_clock_runs_at_its_speed() {
    let sim = trading_sim("2026-03-04T15:00:00Z", 600.0);
    let start = etna_sim::parse_instant("2026-03-04T15:00:00Z").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let elapsed = sim.now().duration_since(start).unwrap();
    assert!(elapsed >= Duration::from_secs(120), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3600), "{elapsed:?}");
    assert!(
        Simulator::start(etna_sim::SimConfig {
            speed: 0.0,
            ..Default::default()
        })
        .is_err()
    );
}

#[test]
fn day_orders_expire_at_the_close_and_the_market_closes() {
    // 15:58 New York (EST); 60× speed: the close is two real seconds away.
    let sim = trading_sim("2026-03-04T20:58:00Z", 60.0);
    let api = Api::alice(&sim);
    assert!(sim.market_open());
    let day = api.place(
        1001,
        r#"{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1,"Price":1,"TimeInforce":"Day"}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    let gtc = api.place(
        1001,
        r#"{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1,"Price":1,"TimeInforce":"GoodTillCancel"}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    api.wait_status(1001, day, "New");

    let expired = api.wait_status(1001, day, "Expired");
    assert_eq!(expired["Description"], "Expired by OMS");
    assert_eq!(expired["Date"], "2026-03-04T21:00:00.0000000Z");
    assert_eq!(num(&expired, "LeavesQuantity"), 0.0);
    assert_eq!(api.order(1001, gtc)["Status"], "New");
    assert!(!sim.market_open());
    // An expired order is finished: cancel is a conflict.
    assert_eq!(
        api.delete(&format!("accounts/1001/orders/{day}")).status,
        409
    );

    // Closed: market orders are refused, prices stand still.
    let preview = |body: &str| {
        api.with_body("POST", "accounts/1001/preview/orders", body)
            .json()
    };
    let market = r#"{"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":1}"#;
    let p1 = preview(market);
    assert_eq!(p1["IsSuccessful"], false);
    assert_eq!(p1["ErrorDescription"], "MarketClosed");
    std::thread::sleep(Duration::from_millis(100));
    let p2 = preview(market);
    assert_eq!(p1["Quotes"][0]["Ask"], p2["Quotes"][0]["Ask"]);
    assert_eq!(p1["Quotes"][0]["Bid"], p2["Quotes"][0]["Bid"]);

    let id = api.place(1001, market)["Id"].as_i64().unwrap();
    let rejected = api.wait_status(1001, id, "Rejected");
    assert!(
        rejected["Description"].as_str().unwrap().contains("closed"),
        "{rejected}"
    );
    let verified = api.ok(&format!("accounts/1001/verified/orders/{id}"));
    assert_eq!(verified["Model"]["ErrorDescription"], "MarketClosed");
    // Limit orders are still taken; they wait for the next session.
    let waiting = api.place(
        1001,
        r#"{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1,"Price":1000,"TimeInforce":"GoodTillCancel"}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    let w = api.wait_status(1001, waiting, "New");
    assert_eq!(num(&w, "ExecutedQuantity"), 0.0);
    let info = api.info(1001);
    assert_eq!(num(&info, "pendingOrdersCount"), 2.0);
}

#[test]
fn immediate_or_cancel_and_fill_or_kill() {
    let sim = trading_sim("2026-03-04T15:00:00Z", 50.0);
    let api = Api::alice(&sim);
    // IOC keeps the first 1,000 shares, cancels the rest.
    let ioc = api.place(
        1002,
        r#"{"Symbol":"F","Type":"Market","Side":"Buy","Quantity":2500,"TimeInforce":"ImmediateOrCancel"}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    let o = api.wait_status(1002, ioc, "Canceled");
    assert_eq!(num(&o, "ExecutedQuantity"), 1000.0);
    assert_eq!(num(&o, "LeavesQuantity"), 0.0);
    // FOK fills whole or not at all.
    let fok = api.place(
        1002,
        r#"{"Symbol":"F","Type":"Market","Side":"Buy","Quantity":2500,"TimeInforce":"FillOrKill"}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        num(&api.wait_status(1002, fok, "Filled"), "ExecutedQuantity"),
        2500.0
    );
    let kill = api.place(
        1002,
        r#"{"Symbol":"F","Type":"Limit","Side":"Buy","Quantity":10,"Price":1,"TimeInforce":"FillOrKill"}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        num(&api.wait_status(1002, kill, "Canceled"), "ExecutedQuantity"),
        0.0
    );
    let position = &api.ok("accounts/1002/positions/F")[0];
    assert_eq!(num(position, "Quantity"), 3500.0);
}

#[test]
fn stop_orders_trigger() {
    let sim = trading_sim("2026-03-04T15:00:00Z", 50.0);
    let api = Api::alice(&sim);
    // A buy stop below the market triggers at once and fills at the ask.
    let id = api.place(
        1002,
        r#"{"Symbol":"KO","Type":"Stop","Side":"Buy","Quantity":3,"StopPrice":1,"TimeInforce":"Day"}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    let o = api.wait_status(1002, id, "Filled");
    assert_eq!(num(&o, "StopPrice"), 1.0);
    assert!(num(&o, "AveragePrice") > 1.0);
    // A buy stop far above it rests.
    let id = api.place(
        1002,
        r#"{"Symbol":"KO","Type":"StopLimit","Side":"Buy","Quantity":3,"StopPrice":1000,"Price":1001,"TimeInforce":"GoodTillCancel"}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    let o = api.wait_status(1002, id, "New");
    assert_eq!(num(&o, "Price"), 1001.0);
}
