//! `accounts/{id}/history` over raw HTTP: the starting book valued day by day before the
//! simulator started (checked against daily candles), the real book afterwards, its
//! parameters and errors.

use serde_json::Value;

use crate::support::*;

/// A Saturday: the market is closed, prices stand still at Friday's close.
const SATURDAY: &str = "2026-03-07T15:00:00Z";
/// A Wednesday, 10:00 New York time.
const OPEN: &str = "2026-03-04T15:00:00Z";

/// The daily closes of `symbol` from `start` to `end` (Unix seconds), by New York date.
fn closes(api: &Api, symbol: &str, start: i64, end: i64) -> Vec<(String, f64)> {
    let a = api.with_body(
        "PUT",
        "history/symbols",
        &format!(
            r#"{{"Security":{{"Symbol":"{symbol}"}},"SecurityHistorySettings":{{"Period":"1D","StartDate":{start},"EndDate":{end}}}}}"#
        ),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    a.json()["SecurityHistory"][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["DateTime"].as_str().unwrap()[..10].to_string(),
                num(c, "Close"),
            )
        })
        .collect()
}

fn points(v: &Value) -> Vec<(String, f64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p.as_object().unwrap().len(), 2);
            (p["Date"].as_str().unwrap().to_string(), num(p, "Value"))
        })
        .collect()
}

#[test]
fn history_values_the_book_at_each_close() {
    let sim = trading_sim(SATURDAY, 1.0);
    let api = Api::alice(&sim);
    // Account 1001: 100,000 cash, 100 AAPL and 200 F since 2024-01-02.
    let history =
        points(&api.ok("accounts/1001/history?startDate=2026-02-23&endDate=2026-03-01&step=1"));
    assert_eq!(history.len(), 7);
    assert_eq!(history[0].0, "2026-02-23T00:00:00.0000000Z");
    assert_eq!(history[6].0, "2026-03-01T00:00:00.0000000Z");
    // 2026-02-23 14:30 UTC to 2026-02-28.
    let aapl = closes(&api, "AAPL", 1_771_857_000, 1_772_236_800);
    let f = closes(&api, "F", 1_771_857_000, 1_772_236_800);
    assert_eq!(aapl.len(), 5);
    for (i, ((day, a), (_, f))) in aapl.iter().zip(&f).enumerate() {
        assert!(history[i].0.starts_with(day.as_str()), "{day}");
        assert_money(history[i].1, 100_000.0 + 100.0 * a + 200.0 * f);
    }
    // The weekend keeps Friday's close.
    assert_eq!(history[5].1, history[4].1);
    assert_eq!(history[6].1, history[4].1);
    // Today's point is the account's equity now.
    let today = points(&api.ok("accounts/1001/history?startDate=2026-03-07&endDate=2026-03-31"));
    assert_eq!(today.len(), 1, "days after today are left out");
    assert_money(today[0].1, num(&api.info(1001), "equityTotal"));

    // Before the account opened (2024-01-02) there is nothing; steps skip days.
    let opening = points(
        &api.ok("accounts/1002/history?startDate=2023-12-25T00:00:00Z&endDate=2024-01-10&step=3"),
    );
    let days: Vec<&str> = opening.iter().map(|(d, _)| &d[..10]).collect();
    assert_eq!(days, ["2024-01-03", "2024-01-06", "2024-01-09"]);
    assert!(opening.iter().all(|(_, v)| *v == 100_000.0));
}

#[test]
fn history_follows_trades_after_the_start() {
    let sim = trading_sim(OPEN, 20.0);
    let api = Api::alice(&sim);
    let path = "accounts/1002/history?startDate=2026-03-03&endDate=2026-03-04";
    let before = points(&api.ok(path));
    assert_eq!(before.len(), 2);
    assert_eq!(before[1].1, 100_000.0);
    let id = api.place(
        1002,
        r#"{"Symbol":"F","Type":"Market","Side":"Buy","Quantity":100}"#,
    )["Id"]
        .as_i64()
        .unwrap();
    api.wait_status(1002, id, "Filled");
    let after = points(&api.ok(path));
    assert_eq!(after[0], before[0], "the past does not change");
    let equity = num(&api.info(1002), "equityTotal");
    // Prices move between the two reads, by a few cents a share at most.
    assert!((after[1].1 - equity).abs() < 5.0, "{after:?} vs {equity}");
    assert!(after[1].1 < 100_000.0, "commission and spread were paid");
}

#[test]
fn history_parameters_and_errors() {
    let sim = trading_sim(SATURDAY, 1.0);
    let api = Api::alice(&sim);
    let port = sim.port();
    for query in ["startDate=2026-03-01", "endDate=2026-03-01", ""] {
        let path = format!("accounts/1001/history?{query}");
        let url = format!("http://127.0.0.1:{port}/api/v1.0/{path}");
        api.get(&path).assert(
            404,
            &format!(r#"{{"Message":"No HTTP resource was found that matches the request URI '{url}'."}}"#),
        );
    }
    for query in [
        "startDate=March&endDate=2026-03-01",
        "startDate=2026-03-02&endDate=2026-03-01",
        "startDate=2026-03-01&endDate=2026-03-02&step=0",
        "startDate=2026-03-01&endDate=2026-03-02&step=x",
        "startDate=2000-01-01&endDate=2026-03-02",
    ] {
        let a = api.get(&format!("accounts/1001/history?{query}"));
        assert_eq!(a.status, 400, "{query}: {}", a.text);
        assert!(a.json()["Message"].is_string());
    }
    api.get("accounts/1003/history?startDate=2026-03-01&endDate=2026-03-02")
        .assert(401, DENIED);
    assert_eq!(
        api.get("accounts/9999/history?startDate=2026-03-01&endDate=2026-03-02")
            .status,
        500
    );
    api.get("accounts/@me/history?startDate=2026-03-01&endDate=2026-03-02")
        .assert(400, r#"{"Message":"The request is invalid."}"#);
}
