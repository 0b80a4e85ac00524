//! News and corporate actions over raw HTTP: their shape, determinism, the price model
//! behind the market reports, and the errors of a missing or unknown symbol.

use serde_json::Value;

use crate::support::*;

/// A Wednesday, 10:00 New York time.
const OPEN: &str = "2026-03-04T15:00:00Z";
/// Unix seconds of OPEN.
const OPEN_SECS: i64 = 1_772_636_400;

fn items(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap()
}

#[test]
fn news_items_are_deterministic_and_dated_before_now() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    let raw = api.get("news?symbol=AAPL");
    assert_eq!(raw.status, 200);
    // Properties in the documented order.
    let first = &raw.text[..raw.text.find('}').unwrap()];
    let at = |key: &str| first.find(&format!("\"{key}\":")).unwrap();
    let order = [
        "Key",
        "Date",
        "Source",
        "Header",
        "Attachment",
        "Content",
        "NewsId",
    ];
    assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{first}");
    let news = raw.json();
    let list = items(&news);
    assert_eq!(list.len(), 10);
    let mut previous = i64::MAX;
    for item in list {
        assert_eq!(item.as_object().unwrap().len(), 7);
        let date = item["Date"].as_i64().unwrap();
        assert!(date <= OPEN_SECS && date < previous, "{item}");
        previous = date;
        assert!(item["Key"].as_str().unwrap().starts_with("SIM-AAPL-"));
        assert!(item["NewsId"].is_i64());
        assert_eq!(item["Source"], "Sim Newswire");
        assert_eq!(item["Attachment"], "");
        assert!(!item["Header"].as_str().unwrap().is_empty());
    }
    // The latest item is from the session before (the current one has not closed), at its
    // close: 2026-03-03 16:00 New York.
    assert_eq!(list[0]["Date"], 1_772_571_600);
    // A market report quotes the session's close, which the daily candle agrees with.
    let report = list
        .iter()
        .find(|i| i["Header"].as_str().unwrap().starts_with("AAPL shares "))
        .expect("a market report");
    let day = &report["Key"].as_str().unwrap()[9..19];
    let date = report["Date"].as_i64().unwrap();
    let candles = api.with_body(
        "PUT",
        "history/symbols",
        &format!(
            r#"{{"Security":{{"Symbol":"AAPL"}},"SecurityHistorySettings":{{"Period":"1D","StartDate":{},"EndDate":{date}}}}}"#,
            date - 3600
        ),
    );
    let close = num(&candles.json()["SecurityHistory"][0][0], "Close");
    let header = report["Header"].as_str().unwrap();
    assert!(
        header.ends_with(&format!("to {close:.2}")),
        "{header} vs {close} on {day}"
    );

    // Another simulator at the same instant tells the same news; other symbols differ.
    let twin = trading_sim(OPEN, 1.0);
    assert_eq!(Api::alice(&twin).ok("news?symbol=aapl"), news);
    assert_ne!(api.ok("news?symbol=MSFT"), news);
}

#[test]
fn corporate_actions_are_dividends_or_meetings() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    let ko = api.ok("news/corporate-actions?symbol=KO");
    let list = items(&ko);
    assert_eq!(list.len(), 4, "{ko}");
    for item in list {
        assert!(
            item["Header"]
                .as_str()
                .unwrap()
                .contains("quarterly dividend")
        );
        assert!(item["Date"].as_i64().unwrap() <= OPEN_SECS);
        assert!(item["Key"].as_str().unwrap().ends_with("-D"));
    }
    assert_eq!(list[0]["Key"], "SIM-KO-2026-02-10-D");
    assert_eq!(list[3]["Key"], "SIM-KO-2025-05-10-D");
    let tsla = api.ok("news/corporate-actions?symbol=TSLA");
    assert_eq!(items(&tsla).len(), 1, "{tsla}");
    assert!(
        tsla[0]["Header"]
            .as_str()
            .unwrap()
            .contains("annual meeting")
    );
}

#[test]
fn a_missing_or_unknown_symbol_is_404() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    for path in ["news", "news/corporate-actions"] {
        api.get(path).assert(
            404,
            &format!(
                r#"{{"Message":"No HTTP resource was found that matches the request URI 'http://127.0.0.1:{}/api/v1.0/{path}'."}}"#,
                sim.port()
            ),
        );
        api.get(&format!("{path}?symbol=NOPE"))
            .assert(404, r#"{"Message":"Security 'NOPE' was not found."}"#);
        get(&sim, &format!("v1.0/{path}?symbol=AAPL"), None).assert(401, DENIED);
    }
    let stats = sim.stats();
    assert_eq!(stats["Requests"]["GET /api/v1.0/news"], 3);
    assert_eq!(stats["Requests"]["GET /api/v1.0/news/corporate-actions"], 3);
}
