//! Options over raw HTTP: expirations, chains and their filter, lookups by symbol and id, the
//! paged option and equity lists, single-leg and multi-leg option orders through the engine
//! (premiums times the contract size, commissions per contract, positions and balances),
//! malformed legs, expiration in and out of the money, and option quotes on the quote
//! streamer.

use std::time::Duration;

use serde_json::{Value, json};

use crate::streaming::{alice_sessions, bearer_token, field, next_data, session, subscribe};
use crate::support::*;

/// A Wednesday, 10:00 New York time: the market is open.
const OPEN: &str = "2026-03-04T15:00:00Z";

/// The expirations listed then: four Fridays, and the third Fridays of March, April and May.
const LISTED: [(&str, &str); 6] = [
    ("2026-03-06", "Weekly"),
    ("2026-03-13", "Weekly"),
    ("2026-03-20", "Regular"),
    ("2026-03-27", "Weekly"),
    ("2026-04-17", "Regular"),
    ("2026-05-15", "Regular"),
];

fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The chain of `symbol` with a filter (empty for none).
#[track_caller]
fn chain(api: &Api, symbol: &str, filter: &str) -> Value {
    let path = if filter.is_empty() {
        format!("options/optionChain/{symbol}")
    } else {
        format!("options/optionChain/{symbol}?filter={}", enc(filter))
    };
    api.ok(&path)
}

/// The OSI symbols of a chain's expiration `i`, calls (`put` false) or puts, by strike.
fn symbols(chain: &Value, i: usize, put: bool) -> Vec<String> {
    chain["Expirations"][i]["Options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| (o["OptionType"] == "Put") == put)
        .map(|o| o["Symbol"].as_str().unwrap().to_string())
        .collect()
}

fn transactions(api: &Api, account: i64) -> Vec<Value> {
    api.ok(&format!(
        "accounts/{account}/transactions?pageNumber=0&pageSize=100&sortBy=Id&isDesc=false"
    ))["Result"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn expirations_chains_and_lookups() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    let listed = api.ok("options/expirations?underlying=AAPL");
    let got: Vec<(String, String)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["SeriesType"], e["ExpirationType"]);
            assert!(e["SeriesId"].is_i64());
            (
                e["ExpirationDate"].as_str().unwrap()[..10].to_string(),
                e["ExpirationType"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = LISTED
        .iter()
        .map(|(d, k)| (d.to_string(), k.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        listed[0]["ExpirationDate"], "2026-03-06T00:00:00.0000000Z",
        "{listed}"
    );
    // By id too; an underlying that does not exist is 404, a missing one the routing 404.
    assert_eq!(api.ok("options/expirations?underlying=1"), listed);
    api.get("options/expirations?underlying=NOPE")
        .assert(404, r#"{"Message":"Security 'NOPE' was not found."}"#);
    api.get("options/expirations").assert(
        404,
        &format!(
            r#"{{"Message":"No HTTP resource was found that matches the request URI 'http://127.0.0.1:{}/api/v1.0/options/expirations'."}}"#,
            sim.port()
        ),
    );

    // The whole chain: every expiration, 21 strikes of calls and puts around the price.
    let full = chain(&api, "AAPL", "");
    let exps = full["Expirations"].as_array().unwrap();
    assert_eq!(exps.len(), 6);
    for (e, (day, _)) in exps.iter().zip(LISTED) {
        assert!(e["Expiration"].as_str().unwrap().starts_with(day));
        let options = e["Options"].as_array().unwrap();
        assert_eq!(options.len(), 42, "{e}");
        let central = e["CentralStrike"].as_f64().unwrap();
        assert_eq!(options[20]["StrikePrice"].as_f64().unwrap(), central);
        assert_eq!(options[20]["OptionType"], "Call");
        assert_eq!(options[21]["OptionType"], "Put");
    }
    let central = exps[0]["CentralStrike"].as_f64().unwrap();
    let underlying = api.with_body(
        "POST",
        "accounts/1001/preview/orders",
        r#"{"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":1}"#,
    );
    let last = underlying.json()["Quotes"][0]["Last"].as_f64().unwrap();
    assert!((last - central).abs() <= 2.5, "{last} vs {central}");

    // An OptionResource in full.
    let o = &exps[2]["Options"][20];
    let symbol = o["Symbol"].as_str().unwrap();
    let strike = o["StrikePrice"].as_f64().unwrap();
    let osi = format!("AAPL  260320C{:08}", (strike * 1000.0).round() as i64);
    assert_eq!(symbol, osi);
    let id = o["Id"].as_i64().unwrap();
    assert_eq!(
        o,
        &json!({
            "Id": id, "Symbol": osi, "Name": osi,
            "Description": format!("Apple Inc. 20 Mar 2026 {strike:.2} Call"),
            "Exchange": "XCBO", "Currency": "USD",
            "AddedDate": "2025-12-20T00:00:00.0000000Z", "ModifyDate": "2025-12-20T00:00:00.0000000Z",
            "Type": "Option", "Precision": 2, "VolumePrecision": 0, "TickSize": 0.01,
            "Enabled": true, "AllowTrade": true, "AllowMargin": false, "AllowShort": true,
            "OptionType": "Call", "ExpirationType": "Regular",
            "ExpirationDate": "2026-03-20T00:00:00.0000000Z", "StrikePrice": strike,
            "SeriesId": exps[2]["Options"][0]["SeriesId"], "UnderlyingAssetSymbol": "AAPL",
            "ContractSize": 100.0
        })
    );
    // By padded or unpadded symbol, any case, or by id.
    for key in [
        enc(symbol),
        enc(&symbol.replace(' ', "").to_lowercase()),
        id.to_string(),
    ] {
        assert_eq!(&api.ok(&format!("options/{key}")), o, "{key}");
    }
    // Not options: an equity, a Thursday, a Friday not listed, a strike off the grid.
    for bad in [
        "AAPL",
        "1",
        "AAPL  260319C00190000",
        "AAPL  261218C00190000",
        "AAPL  260320C00190100",
    ] {
        api.get(&format!("options/{}", enc(bad))).assert(
            404,
            &format!(r#"{{"Message":"Option '{bad}' was not found."}}"#),
        );
    }

    // The filter: Range = n strikes either side, an expiration, other fields.
    let near = chain(
        &api,
        "AAPL",
        "Range = 1 and Expiration = #2026-03-20T00:00:00Z#",
    );
    let exps = near["Expirations"].as_array().unwrap();
    assert_eq!(exps.len(), 1, "{near}");
    assert_eq!(exps[0]["Expiration"], "2026-03-20T00:00:00.0000000Z");
    assert_eq!(exps[0]["Options"].as_array().unwrap().len(), 6);
    let puts = chain(&api, "AAPL", "Range = 0 and OptionType = 'Put'");
    for e in puts["Expirations"].as_array().unwrap() {
        let options = e["Options"].as_array().unwrap();
        assert_eq!(options.len(), 1);
        assert_eq!(options[0]["OptionType"], "Put");
        assert_eq!(options[0]["StrikePrice"], e["CentralStrike"]);
    }
    let weekly = chain(&api, "AAPL", "ExpirationType = 'Weekly' and Range = 2");
    assert_eq!(weekly["Expirations"].as_array().unwrap().len(), 3);
    assert_eq!(
        chain(&api, "AAPL", "Expiration = #2026-03-19#"),
        json!({"Expirations":[]})
    );
    for bad in [
        "Range > 1",
        "Range = 'x'",
        "Nope = 1",
        "Range = 1 and Range = 2",
    ] {
        let a = api.get(&format!("options/optionChain/AAPL?filter={}", enc(bad)));
        assert_eq!(a.status, 400, "{bad}: {}", a.text);
        assert!(
            a.json()["Message"]
                .as_str()
                .unwrap()
                .starts_with("Invalid filter")
        );
    }
    api.get("options/optionChain/NOPE")
        .assert(404, r#"{"Message":"Security 'NOPE' was not found."}"#);
}

#[test]
fn options_and_equities_are_paged() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    let port = sim.port();
    for path in ["options", "equities"] {
        for query in [
            "pageSize=5&sortField=Id&desc=false",
            "pageNumber=0&sortField=Id&desc=false",
            "pageNumber=0&pageSize=5&desc=false",
            "pageNumber=0&pageSize=5&sortField=Id",
        ] {
            api.get(&format!("{path}?{query}")).assert(
                404,
                &format!(
                    r#"{{"Message":"No HTTP resource was found that matches the request URI 'http://127.0.0.1:{port}/api/v1.0/{path}?{query}'."}}"#
                ),
            );
        }
        let a = api.get(&format!(
            "{path}?pageNumber=0&pageSize=101&sortField=Id&desc=false"
        ));
        assert_eq!(a.status, 400, "{}", a.text);
        let a = api.get(&format!(
            "{path}?pageNumber=0&pageSize=5&sortField=Nope&desc=false"
        ));
        assert_eq!(a.status, 400, "{}", a.text);
    }

    let equities = api.ok("equities?pageNumber=0&pageSize=100&sortField=Id&desc=false");
    assert_eq!(equities["TotalCount"], 38);
    assert_eq!(equities["Result"][0]["Symbol"], "AAPL");
    assert_eq!(equities["Result"][37]["Symbol"], "DIA");
    assert_eq!(equities["NextPageLink"], "");
    let page = api.ok(&format!(
        "equities?pageNumber=1&pageSize=2&sortField=Symbol&desc=true&filter={}",
        enc("Exchange = 'ARCX'")
    ));
    let got: Vec<&str> = page["Result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["Symbol"].as_str().unwrap())
        .collect();
    assert_eq!(got, ["IWM", "GLD"]);
    assert_eq!(page["TotalCount"], 5);
    assert_eq!(api.ok("equities/IWM"), page["Result"][0]);

    // Every underlying's chains: 6 expirations × 42 options each.
    let f = api.ok(&format!(
        "options?pageNumber=0&pageSize=100&sortField=StrikePrice&desc=false&filter={}",
        enc(
            "UnderlyingAssetSymbol = 'F' and OptionType = 'Call' and ExpirationDate = #2026-03-06#"
        )
    ));
    assert_eq!(f["TotalCount"], 21);
    let strikes: Vec<f64> = f["Result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["StrikePrice"].as_f64().unwrap())
        .collect();
    assert!(strikes.windows(2).all(|w| w[0] < w[1]), "{strikes:?}");
    let all_f = api.ok(&format!(
        "options?pageNumber=0&pageSize=1&sortField=Id&desc=false&filter={}",
        enc("UnderlyingAssetSymbol = 'F'")
    ));
    assert_eq!(all_f["TotalCount"], 252);
    let all = api.ok("options?pageNumber=3&pageSize=10&sortField=Id&desc=false");
    assert_eq!(all["TotalCount"], 38 * 252);
    assert!(
        all["PreviousPageLink"]
            .as_str()
            .unwrap()
            .contains("pageNumber=2")
    );
    assert_eq!(all["Result"].as_array().unwrap().len(), 10);
}

#[test]
fn a_single_leg_option_order_fills_at_the_ask_and_books_contracts() {
    let sim = trading_sim(OPEN, 20.0);
    let api = Api::alice(&sim);
    let c = chain(&api, "AAPL", "Range = 0 and Expiration = #2026-03-20#");
    let call = symbols(&c, 0, false)[0].clone();
    let before = api.info(1001);

    let preview = api
        .with_body(
            "POST",
            "accounts/1001/preview/orders",
            &json!({"Symbol":call,"Type":"Market","Side":"Buy","Quantity":3}).to_string(),
        )
        .json();
    assert_eq!(preview["IsSuccessful"], true, "{preview}");
    assert_money(num(&preview, "Commission"), 1.95);
    assert_eq!(
        preview["Commissions"],
        json!({"Per Contract Commission":1.95})
    );
    let ask = num(&preview["Quotes"][0], "Ask");
    assert_eq!(preview["Quotes"][0]["Symbol"], call.as_str());
    assert!(num(&preview["Quotes"][0], "Bid") < ask);
    assert!(num(&preview["Quotes"][0], "OpenInterest") > 0.0);
    assert_money(num(&preview, "Cost"), 300.0 * ask);
    assert_money(num(&preview, "TotalCost"), 300.0 * ask + 1.95);

    // Whole contracts only.
    let half = api.with_body(
        "POST",
        "accounts/1001/orders",
        &json!({"Symbol":call,"Type":"Market","Side":"Buy","Quantity":1.5}).to_string(),
    );
    assert_eq!(half.json()["ErrorDescription"], "InvalidQuantity");

    let placed = api.place(
        1001,
        &json!({"Symbol":call,"Type":"Market","Side":"Buy","Quantity":3}).to_string(),
    );
    assert_eq!(placed["Symbol"], call.as_str());
    assert_eq!(placed["Exchange"], "XCBO");
    assert_eq!(placed["Legs"], json!([]));
    assert_eq!(placed["ParentId"], -1);
    let id = placed["Id"].as_i64().unwrap();
    let filled = api.wait_status(1001, id, "Filled");
    let price = num(&filled, "AveragePrice");
    let verified = api.ok(&format!("accounts/1001/verified/orders/{id}"));
    assert_eq!(num(&verified["Model"]["Quotes"][0], "Ask"), price);

    let txns = transactions(&api, 1001);
    let t = txns.last().unwrap();
    assert_eq!(t["Type"], "OrderExecution");
    assert_eq!(t["Symbol"], call.as_str());
    assert_money(num(t, "Value"), -300.0 * price);
    assert_money(num(&t["Fee"], "Value"), 1.95);
    assert_eq!(t["SecurityId"], placed["SecurityId"]);

    let p = &api.ok(&format!("accounts/1001/positions/{}", enc(&call)))[0];
    assert_eq!(p["SecurityType"], "Option");
    assert_eq!(p["ContractSize"], 100.0);
    assert_eq!(num(p, "Quantity"), 3.0);
    assert_eq!(num(p, "AverageOpenPrice"), price);
    assert_money(num(p, "CostBasis"), 300.0 * price);
    assert!(p["CompanyName"].as_str().unwrap().ends_with(" Call"));

    let after = api.info(1001);
    assert_money(
        num(&after, "cash"),
        num(&before, "cash") - 300.0 * price - 1.95,
    );
    let options_value = num(&after, "optionLongMarketValue");
    assert!(
        options_value > 0.0 && (options_value - 300.0 * price).abs() < 300.0,
        "{after}"
    );
    assert_money(
        num(&after, "equityTotal"),
        num(&after, "cash") + num(&after, "stockLongMarketValue") + options_value,
    );
    assert_money(
        num(&after, "optionBuyingPower"),
        num(&after, "stockBuyingPower"),
    );
    let groups = api.ok("accounts/1001/positions/groups");
    assert_eq!(groups[0]["Name"], "Equity");
    assert_eq!(groups[1]["Name"], "Options");
    assert_eq!(groups[2]["Name"], "Cash");
    assert_money(num(&groups[1], "MarketValue"), options_value);
    assert_money(num(&groups[2], "MarketValue"), num(&after, "cash"));

    // Selling more than held is refused; selling them closes the position.
    let too_many = api.with_body(
        "POST",
        "accounts/1001/preview/orders",
        &json!({"Symbol":call,"Type":"Market","Side":"Sell","Quantity":4}).to_string(),
    );
    assert_eq!(too_many.json()["ErrorDescription"], "InsufficientShares");
    let sell = api.place(
        1001,
        &json!({"Symbol":call,"Type":"Market","Side":"Sell","Quantity":3}).to_string(),
    );
    let sold = api.wait_status(1001, sell["Id"].as_i64().unwrap(), "Filled");
    let bid = num(&sold, "AveragePrice");
    assert_eq!(
        api.ok(&format!("accounts/1001/positions/{}", enc(&call))),
        json!([])
    );
    let closed = api.info(1001);
    assert_money(
        num(&closed, "closePL"),
        ((bid - price) * 300.0 * 100.0).round() / 100.0,
    );
    assert_eq!(num(&closed, "optionLongMarketValue"), 0.0);
}

#[test]
fn multi_leg_orders_fill_whole_at_the_net_price() {
    let sim = trading_sim(OPEN, 20.0);
    let api = Api::alice(&sim);
    let c = chain(&api, "AAPL", "Range = 2 and Expiration = #2026-03-20#");
    let calls = symbols(&c, 0, false);
    let (long, short) = (calls[1].clone(), calls[3].clone());
    let spread = json!({
        "Symbol": "", "Type": "Market", "TimeInforce": "Day",
        "Legs": [
            {"Symbol": long, "Quantity": 2, "Side": "Buy"},
            {"Symbol": short, "Quantity": 2, "Side": "SellShort"}
        ]
    });
    let preview = api
        .with_body("POST", "accounts/1002/preview/orders", &spread.to_string())
        .json();
    assert_eq!(preview["IsSuccessful"], true, "{preview}");
    assert_money(num(&preview, "Commission"), 2.6);
    let quotes = preview["Quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 2);
    let net = num(&quotes[0], "Ask") - num(&quotes[1], "Bid");
    assert_money(num(&preview, "Cost"), (net * 200.0 * 100.0).round() / 100.0);

    let placed = api.place(1002, &spread.to_string());
    let id = placed["Id"].as_i64().unwrap();
    assert_eq!(placed["Symbol"], "");
    assert_eq!(placed["SecurityId"], 0);
    assert_eq!(num(&placed, "Quantity"), 2.0, "two spreads");
    let legs = placed["Legs"].as_array().unwrap();
    assert_eq!(legs.len(), 2);
    for (leg, (symbol, side)) in legs.iter().zip([(&long, "Buy"), (&short, "SellShort")]) {
        assert_eq!(leg["Symbol"], symbol.as_str());
        assert_eq!(leg["Side"], side);
        assert_eq!(leg["ParentId"], id);
        assert_eq!(num(leg, "Quantity"), 2.0);
        assert_ne!(leg["Id"], id);
    }

    let filled = api.wait_status(1002, id, "Filled");
    let legs = filled["Legs"].as_array().unwrap();
    let (buy, sell) = (num(&legs[0], "AveragePrice"), num(&legs[1], "AveragePrice"));
    assert_money(
        num(&filled, "AveragePrice"),
        ((buy - sell) * 100.0).round() / 100.0,
    );
    assert_eq!(num(&filled, "ExecutedQuantity"), 2.0);
    for leg in legs {
        assert_eq!(num(leg, "ExecutedQuantity"), 2.0);
        assert_eq!(num(leg, "LeavesQuantity"), 0.0);
        assert_eq!(leg["Status"], "Filled");
    }
    let fills: Vec<Value> = transactions(&api, 1002)
        .into_iter()
        .filter(|t| t["OrderId"] == id)
        .collect();
    assert_eq!(fills.len(), 2, "{fills:?}");
    assert_money(num(&fills[0], "Value"), -200.0 * buy);
    assert_money(num(&fills[1], "Value"), 200.0 * sell);
    assert_money(num(&fills[0]["Fee"], "Value"), 1.3);
    let held = |symbol: &str| {
        num(
            &api.ok(&format!("accounts/1002/positions/{}", enc(symbol)))[0],
            "Quantity",
        )
    };
    assert_eq!(held(&long), 2.0);
    assert_eq!(held(&short), -2.0);
    let info = api.info(1002);
    assert!(num(&info, "optionShortMarketValue") < 0.0, "{info}");
    assert!(num(&info, "optionMaintenanceMargin") > 0.0, "{info}");

    // A limit (here a credit of 50 a share for a 1:2 ratio spread) the market never reaches
    // rests; it can be replaced (more spreads: the legs scale) and canceled.
    let resting = api.place(
        1002,
        &json!({
            "Type": "Limit", "Price": -50.0, "TimeInforce": "GoodTillCancel",
            "Legs": [
                {"Symbol": long, "Quantity": 1, "Side": "Buy"},
                {"Symbol": calls[4], "Quantity": 2, "Side": "SellShort"}
            ]
        })
        .to_string(),
    );
    let rid = resting["Id"].as_i64().unwrap();
    api.wait_status(1002, rid, "New");
    let replaced = api.with_body(
        "PUT",
        &format!("accounts/1002/orders/{rid}"),
        &json!({"Id": rid, "Quantity": 3, "Price": -49.0}).to_string(),
    );
    assert_eq!(replaced.status, 200, "{}", replaced.text);
    let new = replaced.json();
    assert_eq!(num(&new, "Quantity"), 3.0);
    assert_eq!(num(&new["Legs"][0], "Quantity"), 3.0);
    assert_eq!(num(&new["Legs"][1], "Quantity"), 6.0);
    let nid = new["Id"].as_i64().unwrap();
    api.wait_status(1002, nid, "New");
    assert_eq!(
        api.delete(&format!("accounts/1002/orders/{nid}")).status,
        204
    );
    assert_eq!(api.order(1002, nid)["Status"], "Canceled");
}

#[test]
fn malformed_legs_are_business_rejects() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    let c = chain(&api, "AAPL", "Range = 1 and Expiration = #2026-03-20#");
    let calls = symbols(&c, 0, false);
    let msft = symbols(
        &chain(&api, "MSFT", "Range = 0 and Expiration = #2026-03-20#"),
        0,
        false,
    );
    let leg =
        |symbol: &str, qty: Value, side: &str| json!({"Symbol":symbol,"Quantity":qty,"Side":side});
    let order = |legs: Value| json!({"Symbol":"","Type":"Market","Legs":legs});
    let cases = [
        (1002, order(json!([])), "LegsUndefined"),
        (
            1002,
            order(json!([leg("AAPL", json!(1), "Buy")])),
            "LegIsNotAnOption",
        ),
        (
            1002,
            order(json!([leg("NOPE  260320C00100000", json!(1), "Buy")])),
            "SymbolNotFound",
        ),
        (
            1002,
            order(json!([
                leg(&calls[0], json!(1), "Buy"),
                leg(&msft[0], json!(1), "SellShort")
            ])),
            "LegsUnderlyingMismatch",
        ),
        (
            1002,
            order(json!([leg(&calls[0], json!(0), "Buy")])),
            "InvalidQuantity",
        ),
        (
            1002,
            order(json!([leg(&calls[0], json!(-2), "Buy")])),
            "InvalidQuantity",
        ),
        (
            1002,
            order(json!([leg(&calls[0], json!(1.5), "Buy")])),
            "InvalidQuantity",
        ),
        (
            1002,
            order(json!([
                leg(&calls[0], json!(1), "Buy"),
                leg(&calls[0], json!(1), "SellShort")
            ])),
            "DuplicateLegs",
        ),
        (
            1002,
            order(json!([
                leg(&calls[0], json!(1), "Buy"),
                leg(&calls[1], json!(1), "Buy"),
                leg(&calls[2], json!(1), "Buy"),
                leg(&symbols(&c, 0, true)[0], json!(1), "Buy"),
                leg(&symbols(&c, 0, true)[1], json!(1), "Buy")
            ])),
            "TooManyLegs",
        ),
        (
            1002,
            json!({"Symbol":"AAPL","Type":"Market","Legs":[leg(&calls[0], json!(1), "Buy")]}),
            "InvalidSymbol",
        ),
        (
            1002,
            json!({"Type":"Stop","StopPrice":1,"Legs":[leg(&calls[0], json!(1), "Buy")]}),
            "OrderTypeNotSupported",
        ),
        (
            1002,
            json!({"Type":"Limit","Legs":[leg(&calls[0], json!(1), "Buy")]}),
            "LimitPriceUndefined",
        ),
        (
            1001,
            order(json!([
                leg(&calls[0], json!(1), "Buy"),
                leg(&calls[1], json!(1), "SellShort")
            ])),
            "ShortSellingNotAllowed",
        ),
        (
            1002,
            order(json!([
                leg("AAPL  260306C00190000", json!(1), "Buy"),
                leg("AAPL  261218C00190000", json!(1), "Sell")
            ])),
            "SymbolNotFound",
        ),
    ];
    for (account, body, code) in &cases {
        for route in ["orders", "preview/orders", "syncorders"] {
            let a = api.with_body(
                "POST",
                &format!("accounts/{account}/{route}"),
                &body.to_string(),
            );
            assert_eq!(a.status, 200, "{body}: {}", a.text);
            let v = a.json();
            assert_eq!(v["IsSuccessful"], false, "{route} {body}: {v}");
            assert_eq!(v["ErrorDescription"], *code, "{route} {body}: {v}");
            assert!(v["ErrorDescriptionText"].is_string());
        }
    }
    assert_eq!(sim.orders_accepted(), 0);
    // Contracts to sell are checked with the account (preview; a placed order is rejected
    // on acceptance).
    let short = api.with_body(
        "POST",
        "accounts/1002/preview/orders",
        &order(json!([leg(&calls[0], json!(1), "Sell")])).to_string(),
    );
    assert_eq!(short.json()["ErrorDescription"], "InsufficientShares");
    // A leg that does not bind is the 422 naming it.
    api.with_body(
        "POST",
        "accounts/1002/orders",
        &json!({"Type":"Market","Legs":[{"Symbol":calls[0],"Quantity":1}, "x"]}).to_string(),
    )
    .assert(
        422,
        r#"{"Message":"Validation error occured while processing entity","ModelState":{"placeParams.Legs[0].Side":["An error has occurred."],"placeParams.Legs[1]":["An error has occurred."]}}"#,
    );
}

#[test]
fn options_expire_in_or_out_of_the_money() {
    // Friday 2026-03-06, 15:58 New York: two minutes before the weekly expiration.
    let sim = trading_sim("2026-03-06T20:58:00Z", 30.0);
    let api = Api::alice(&sim);
    let c = chain(&api, "F", "Range = 4 and Expiration = #2026-03-06#");
    let calls = symbols(&c, 0, false);
    let puts = symbols(&c, 0, true);
    let (itm_call, otm_call, itm_put) = (calls[0].clone(), calls[8].clone(), puts[8].clone());
    let before = api.info(1002);
    let mut ids = Vec::new();
    for (symbol, side, qty) in [
        (&itm_call, "Buy", 2),
        (&otm_call, "Buy", 1),
        (&itm_put, "SellShort", 1),
    ] {
        let o = api.place(
            1002,
            &json!({"Symbol":symbol,"Type":"Market","Side":side,"Quantity":qty}).to_string(),
        );
        ids.push(o["Id"].as_i64().unwrap());
    }
    let mut paid = 0.0;
    for id in &ids {
        let o = api.wait_status(1002, *id, "Filled");
        let sign = if o["Side"] == "Buy" { -1.0 } else { 1.0 };
        paid += sign * num(&o, "AveragePrice") * 100.0 * num(&o, "Quantity")
            - 0.65 * num(&o, "Quantity");
    }
    // After the close every position is settled.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let held =
            api.ok("accounts/1002/positions?pageNumber=0&pageSize=10&sortField=Id&desc=false");
        if held["TotalCount"] == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "never expired: {held}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let expirations: Vec<Value> = transactions(&api, 1002)
        .into_iter()
        .filter(|t| t["Type"] == "OptionExpiration")
        .collect();
    assert_eq!(expirations.len(), 3, "{expirations:?}");
    let by_symbol = |s: &str| {
        expirations
            .iter()
            .find(|t| t["Symbol"] == s)
            .unwrap_or_else(|| panic!("no expiration of {s}"))
            .clone()
    };
    let (a, b, p) = (
        by_symbol(&itm_call),
        by_symbol(&otm_call),
        by_symbol(&itm_put),
    );
    assert_eq!(a["Date"], "2026-03-06T21:00:00.0000000Z");
    assert!(num(&a, "Price") > 0.0 && num(&a, "Value") > 0.0, "{a}");
    assert_money(num(&a, "Value"), num(&a, "Price") * 200.0);
    assert_eq!(num(&a, "Quantity"), 2.0);
    assert!(a["Description"].as_str().unwrap().contains("in the money"));
    assert_eq!((num(&b, "Price"), num(&b, "Value")), (0.0, 0.0));
    assert!(b["Description"].as_str().unwrap().contains("worthless"));
    assert!(num(&p, "Value") < 0.0, "a short put in the money pays: {p}");
    assert!(a.get("Fee").is_none());
    let after = api.info(1002);
    let settled = num(&a, "Value") + num(&b, "Value") + num(&p, "Value");
    assert_money(num(&after, "cash"), num(&before, "cash") + paid + settled);
    assert_eq!(num(&after, "optionLongMarketValue"), 0.0);

    // The expired series is still known, no longer listed, and no longer traded.
    assert_eq!(
        api.ok(&format!("options/{}", enc(&itm_call)))["Symbol"],
        itm_call.as_str()
    );
    let listed = api.ok("options/expirations?underlying=F");
    assert_eq!(listed[0]["ExpirationDate"], "2026-03-13T00:00:00.0000000Z");
    let late = api.with_body(
        "POST",
        "accounts/1002/orders",
        &json!({"Symbol":itm_call,"Type":"Limit","Price":1,"Side":"Buy","Quantity":1}).to_string(),
    );
    assert_eq!(late.json()["ErrorDescription"], "OptionExpired");
}

#[test]
fn option_quotes_stream_by_option_id() {
    let sim = trading_sim(OPEN, 1.0);
    let api = Api::alice(&sim);
    let c = chain(&api, "SPY", "Range = 0 and Expiration = #2026-03-13#");
    let option = &c["Expirations"][0]["Options"][0];
    let id = option["Id"].as_i64().unwrap();
    let (quote_session, _) = alice_sessions(&api);
    let token = bearer_token(&sim);
    let (mut ws, sid) = session(
        &sim.quote_streamer_url(),
        &format!("101:{quote_session}"),
        &token,
    );
    subscribe(&mut ws, &sid, "Quote", &id.to_string());
    let q = next_data(&mut ws, Duration::from_secs(5)).expect("an option quote");
    assert_eq!(q["EntityType"], "Quote");
    assert_eq!(q["Key"], id.to_string());
    assert_eq!(q["Symbol"], option["Symbol"]);
    assert!(field(&q, "Bid") < field(&q, "Ask"), "{q}");
    assert!(field(&q, "Low") <= field(&q, "Bid") && field(&q, "High") >= field(&q, "Ask"));
    assert!(
        field(&q, "AskSize") >= 1.0 && field(&q, "AskSize") <= 50.0,
        "{q}"
    );
}
