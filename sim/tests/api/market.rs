//! Equities (get, lookup) and history candles from the price model.

use crate::support::*;
use serde_json::Value;

const OPEN: &str = "2026-03-04T15:00:00Z";

const AAPL: &str = r#"{"Id":1,"Symbol":"AAPL","Description":"Apple Inc.","Exchange":"XNAS","Currency":"USD","AddedDate":"2010-01-04T00:00:00.0000000Z","ModifyDate":"2010-01-04T00:00:00.0000000Z","Type":"CommonStock","Precision":2,"VolumePrecision":0,"TickSize":0.01,"Enabled":true,"AllowTrade":true,"AllowMargin":true,"AllowShort":true}"#;

#[test]
fn equities_by_symbol_id_and_lookup() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    api.get("equities/AAPL").assert(200, AAPL);
    api.get("equities/aapl").assert(200, AAPL);
    api.get("equities/1").assert(200, AAPL);
    for unknown in ["equities/NOPE", "equities/9999"] {
        let a = api.get(unknown);
        assert_eq!(a.status, 404, "{}", a.text);
        assert!(a.json()["Message"].is_string());
    }
    let mut exchanges = std::collections::BTreeSet::new();
    for id in 1..=30 {
        let e = api.ok(&format!("equities/{id}"));
        assert_eq!(e["Id"], id);
        exchanges.insert(e["Exchange"].as_str().unwrap().to_string());
    }
    let spy = api.ok("equities/SPY");
    assert_eq!(
        (spy["Exchange"].as_str(), spy["Type"].as_str()),
        (Some("ARCX"), Some("ETF"))
    );
    exchanges.insert("ARCX".to_string());
    assert_eq!(
        exchanges.into_iter().collect::<Vec<_>>(),
        ["ARCX", "XNAS", "XNYS"]
    );

    let symbols = |path: &str| -> Vec<String> {
        api.ok(path)
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["Symbol"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        symbols("equities/lookup?mask=a&count=3"),
        ["AAPL", "ADBE", "AMD"]
    );
    assert_eq!(symbols("equities/lookup?mask=MSFT&count=5")[0], "MSFT");
    assert_eq!(symbols("equities/lookup?mask=apple&count=5"), ["AAPL"]);
    assert_eq!(
        symbols("equities/lookup?mask=zzzz&count=5"),
        Vec::<String>::new()
    );
    assert_eq!(
        symbols("equities/lookup?mask=A&count=0"),
        Vec::<String>::new()
    );
    assert_eq!(
        symbols("equities/lookup?mask=s&count=10&filter=Type%20%3D%20%27ETF%27"),
        ["SPY", "DIA", "GLD", "IWM", "XLF"]
    );
    let full = &api.ok("equities/lookup?mask=GOOGL&count=1")[0];
    for key in [
        "Id",
        "Symbol",
        "Description",
        "Exchange",
        "Currency",
        "AddedDate",
        "ModifyDate",
        "Type",
        "Precision",
        "VolumePrecision",
        "TickSize",
        "Enabled",
        "AllowTrade",
        "AllowMargin",
        "AllowShort",
    ] {
        assert!(!full[key].is_null(), "{key} missing in {full}");
    }
    assert_eq!(api.get("equities/lookup?mask=A&count=many").status, 400);
}

fn history(api: &Api, symbol: &str, settings: &str) -> Answer {
    api.with_body(
        "PUT",
        "history/symbols",
        &format!(
            r#"{{"Security":{{"Symbol":"{symbol}","Exchange":"XNAS","Currency":"USD"}},"SecurityHistorySettings":{settings},"IndicatorsHistorySettings":[]}}"#
        ),
    )
}

#[track_caller]
fn candles(answer: &Answer) -> Vec<Value> {
    assert_eq!(answer.status, 200, "{}", answer.text);
    let body = answer.json();
    assert_eq!(body["IndicatorsHistory"], serde_json::json!([]));
    let outer = body["SecurityHistory"].as_array().unwrap();
    assert_eq!(outer.len(), 1, "an array of arrays");
    let list = outer[0].as_array().unwrap().clone();
    for c in &list {
        let (o, h, l, cl) = (
            num(c, "Open"),
            num(c, "High"),
            num(c, "Low"),
            num(c, "Close"),
        );
        assert!(h >= o.max(cl) && o.min(cl) >= l && l > 0.0, "{c}");
        assert!(num(c, "Volume") > 0.0, "{c}");
        assert_eq!(c["IsMarket"], true);
        assert_eq!(c["ValuationLevels"], serde_json::json!([]));
        assert!(c["OpenInterest"].is_number());
        // Time and DateTime name the same instant.
        let t = c["Time"].as_i64().unwrap();
        let dt = etna_sim::parse_instant(c["DateTime"].as_str().unwrap()).unwrap();
        let secs = dt.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        assert_eq!(t, secs, "{c}");
        assert!(c["DateTime"].as_str().unwrap().ends_with(".0000000Z"));
    }
    list
}

#[test]
fn candles_come_from_the_price_model() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);

    // The last 30 one-minute candles: 09:31 … 10:00 New York.
    let last30 = candles(&history(
        &api,
        "AAPL",
        r#"{"StartDate":0,"EndDate":0,"CandlesCount":30,"Period":"1m","Interval":0,"IncludeNonMarketData":false}"#,
    ));
    assert_eq!(last30.len(), 30);
    assert_eq!(last30[0]["DateTime"], "2026-03-04T14:31:00.0000000Z");
    assert_eq!(last30[29]["DateTime"], "2026-03-04T15:00:00.0000000Z");
    for pair in last30.windows(2) {
        assert_eq!(
            pair[1]["Time"].as_i64().unwrap() - pair[0]["Time"].as_i64().unwrap(),
            60
        );
    }

    // The previous day in hours: 09:30, 10:30, … 15:30 (a half hour).
    let tuesday = r#"{"StartDate":1772496000,"EndDate":1772582399,"CandlesCount":-1,"Period":"1h","Interval":-3,"IncludeNonMarketData":false}"#;
    let hours = candles(&history(&api, "AAPL", tuesday));
    let times: Vec<&str> = hours
        .iter()
        .map(|c| c["DateTime"].as_str().unwrap())
        .collect();
    assert_eq!(
        times,
        [
            "2026-03-03T14:30:00.0000000Z",
            "2026-03-03T15:30:00.0000000Z",
            "2026-03-03T16:30:00.0000000Z",
            "2026-03-03T17:30:00.0000000Z",
            "2026-03-03T18:30:00.0000000Z",
            "2026-03-03T19:30:00.0000000Z",
            "2026-03-03T20:30:00.0000000Z",
        ]
    );
    // Deterministic: the same past range gives the same candles.
    assert_eq!(candles(&history(&api, "AAPL", tuesday)), hours);
    // The day candle spans the hours.
    let day = candles(&history(
        &api,
        "AAPL",
        r#"{"StartDate":1772496000,"EndDate":1772582399,"CandlesCount":-1,"Period":"1D","Interval":-3,"IncludeNonMarketData":false}"#,
    ));
    assert_eq!(day.len(), 1);
    assert_eq!(day[0]["Open"], hours[0]["Open"]);
    assert_eq!(day[0]["Close"], hours[6]["Close"]);
    let high = hours
        .iter()
        .map(|c| num(c, "High"))
        .fold(f64::MIN, f64::max);
    let low = hours.iter().map(|c| num(c, "Low")).fold(f64::MAX, f64::min);
    assert_eq!((num(&day[0], "High"), num(&day[0], "Low")), (high, low));
    let volume: f64 = hours.iter().map(|c| num(c, "Volume")).sum();
    assert_eq!(num(&day[0], "Volume"), volume);

    // A month of days: one candle per weekday.
    let month = candles(&history(
        &api,
        "MSFT",
        r#"{"StartDate":0,"EndDate":0,"CandlesCount":-1,"Period":"1D","Interval":-6,"IncludeNonMarketData":false}"#,
    ));
    assert!((21..=23).contains(&month.len()), "{}", month.len());
    let year = candles(&history(
        &api,
        "SPY",
        r#"{"StartDate":0,"EndDate":0,"CandlesCount":-1,"Period":"1W","Interval":-9,"IncludeNonMarketData":false}"#,
    ));
    assert!((52..=54).contains(&year.len()), "{}", year.len());

    // No data: unknown symbol, a weekend, the future.
    let no_data = |symbol: &str, settings: &str| {
        let a = history(&api, symbol, settings);
        assert_eq!(a.status, 409, "{}", a.text);
        assert!(a.json()["Message"].is_string());
    };
    no_data(
        "NOPE",
        r#"{"StartDate":0,"EndDate":0,"CandlesCount":5,"Period":"1m","Interval":0}"#,
    );
    // Saturday 2026-02-28 to Sunday 2026-03-01.
    no_data(
        "AAPL",
        r#"{"StartDate":1772236800,"EndDate":1772409599,"CandlesCount":-1,"Period":"1m","Interval":-3}"#,
    );
    no_data(
        "AAPL",
        r#"{"StartDate":1800000000,"EndDate":1800086400,"CandlesCount":-1,"Period":"1m","Interval":-3}"#,
    );
    let bad = history(
        &api,
        "AAPL",
        r#"{"StartDate":0,"EndDate":0,"CandlesCount":5,"Period":"7m","Interval":0}"#,
    );
    assert_eq!(bad.status, 400);
    let bad = api.with_body("PUT", "history/symbols", "nonsense");
    assert_eq!(bad.status, 400);
}
