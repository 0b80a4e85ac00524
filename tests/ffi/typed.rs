//! Typed results through the C ABI, against the simulator: every model read from a real answer,
//! each item's fields agreeing with its own JSON, paging by `etna_result_next_page`, and every
//! getter safe with NULL, another kind or an index out of range.

use crate::support::ffi::{Session, Typed, c, parse, text_of};
use crate::support::*;
use etna::ffi::*;
use serde_json::Value;
use std::ptr;
use std::time::{SystemTime, UNIX_EPOCH};

const CASH: i64 = 1001;

fn alice(sim: &Simulator) -> Session {
    let s = Session::new(&sim.base_url(), APP_KEY).unwrap();
    s.login("alice", "alice-pass").unwrap();
    s
}

/// Places a market or limit order and gives its result.
fn place(s: &Session, order: &str) -> Typed {
    s.typed(|o, e| unsafe { etna_place_order(s.0, CASH, c(order).as_ptr(), o, e) })
        .unwrap()
}

fn json_of(p: *const std::ffi::c_char) -> Value {
    parse(text_of(p))
}

/// A double the broker sent as a JSON number, compared with the struct's field.
fn same(field: f64, json: &Value) {
    match json.as_f64() {
        Some(v) => assert!((v - field).abs() < 1e-9, "{field} vs {json}"),
        None => assert!(field.is_nan(), "{field} for an absent {json}"),
    }
}

#[test]
fn the_user_accounts_and_balances_are_typed() {
    let sim = start_sim();
    let s = alice(&sim);
    let r = s
        .typed(|o, e| unsafe { etna_get_user_info(s.0, o, e) })
        .unwrap();
    assert_eq!((r.kind(), r.len()), (ETNA_KIND_USER, 1));
    let user = r.item(etna_result_user, 0).unwrap();
    assert_eq!(user.struct_size as usize, std::mem::size_of::<EtnaUser>());
    assert_eq!((text_of(user.login), user.id), ("alice", 101));
    assert!(user.added_at_ms > 0);
    assert_eq!(json_of(user.json)["Login"], "alice");

    let r = s
        .typed(|o, e| unsafe { etna_get_accounts(s.0, o, e) })
        .unwrap();
    assert_eq!((r.kind(), r.len()), (ETNA_KIND_ACCOUNT, 2));
    let ids: Vec<i64> = (0..2)
        .map(|i| r.item(etna_result_account, i).unwrap().id)
        .collect();
    assert_eq!(ids, [1001, 1002]);
    let cash = r.item(etna_result_account, 0).unwrap();
    assert_eq!(
        (cash.margin_type, text_of(cash.margin_type_text)),
        (ETNA_MARGIN_CASH, "Cash")
    );
    assert_eq!(cash.enabled, 1);
    let margin = r.item(etna_result_account, 1).unwrap();
    assert_eq!(margin.margin_type, ETNA_MARGIN_MARGIN);

    let r = s
        .typed(|o, e| unsafe { etna_get_account_info(s.0, CASH, o, e) })
        .unwrap();
    assert_eq!((r.kind(), r.len()), (ETNA_KIND_BALANCES, 1));
    let b = r.item(etna_result_balances, 0).unwrap();
    let sent = parse(&r.json());
    same(b.cash, &sent["cash"]);
    same(b.net_cash, &sent["netCash"]);
    same(b.stock_buying_power, &sent["stockBuyingPower"]);
    same(b.equity_total, &sent["equityTotal"]);
    // Any key the broker sends, by name; a name it does not send is NOT_FOUND.
    for (name, v) in sent.as_object().unwrap() {
        let mut got = f64::NAN;
        s.unit(|e| unsafe { etna_balances_value(b, c(name).as_ptr(), &mut got, e) })
            .unwrap();
        same(got, v);
    }
    let e = s
        .unit(|e| unsafe { etna_balances_value(b, c("noSuchBalance").as_ptr(), &mut 0.0, e) })
        .unwrap_err();
    assert_eq!(e.code, ETNA_ERR_NOT_FOUND);
    let e = s
        .unit(|e| unsafe { etna_balances_value(ptr::null(), c("cash").as_ptr(), &mut 0.0, e) })
        .unwrap_err();
    assert_eq!(e.code, ETNA_ERR_NULL_ARGUMENT);
}

#[test]
fn one_account_record_is_typed_and_a_missing_one_is_a_404() {
    let sim = start_sim();
    let s = alice(&sim);
    let r = s
        .typed(|o, e| unsafe { etna_get_account(s.0, CASH, o, e) })
        .unwrap();
    assert_eq!((r.kind(), r.len()), (ETNA_KIND_ACCOUNT, 1));
    let account = r.item(etna_result_account, 0).unwrap();
    let sent = json_of(account.json);
    assert_eq!((account.id, sent["Id"].as_i64()), (CASH, Some(CASH)));
    assert_eq!(text_of(account.clearing_account), sent["ClearingAccount"]);
    assert_eq!(
        (account.margin_type, text_of(account.margin_type_text)),
        (ETNA_MARGIN_CASH, "Cash")
    );
    assert_eq!(account.enabled, 1);
    // The record carries more than the list does: the cash and the owner's login, by name.
    same(
        s.typed(|o, e| unsafe { etna_get_account_info(s.0, CASH, o, e) })
            .unwrap()
            .item(etna_result_balances, 0)
            .unwrap()
            .cash,
        &sent["Cash"],
    );
    assert_eq!(sent["Login"], "alice");

    let e = s
        .typed(|o, e| unsafe { etna_get_account(s.0, 999_999, o, e) })
        .err()
        .unwrap();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 404));
    let e = s
        .typed(|o, e| unsafe { etna_get_account(s.0, 1003, o, e) })
        .err()
        .unwrap();
    assert_eq!(e.http_status, 401, "{e:?}");
    // The session survives both refusals.
    assert!(
        s.typed(|o, e| unsafe { etna_get_account(s.0, CASH, o, e) })
            .is_ok()
    );
}

#[test]
fn an_order_its_fill_its_position_and_its_transaction_are_typed() {
    let sim = Simulator::start(SimConfig {
        speed: 60.0,
        ..SimConfig::default()
    })
    .unwrap();
    let s = alice(&sim);
    let placed = place(
        &s,
        r#"{"Symbol":"MSFT","Type":"Market","Side":"Buy","Quantity":7,"ClientId":"typed-1"}"#,
    );
    let o = placed.item(etna_result_order, 0).unwrap();
    assert_eq!((placed.kind(), placed.len()), (ETNA_KIND_ORDER, 1));
    assert_eq!(
        (text_of(o.symbol), text_of(o.client_id)),
        ("MSFT", "typed-1")
    );
    assert_eq!(
        (o.side, o.r#type, o.quantity),
        (ETNA_SIDE_BUY, ETNA_ORDER_TYPE_MARKET, 7.0)
    );
    assert_eq!(o.account_id, CASH);
    let id = o.id;

    let done = s
        .typed(|r, e| unsafe { etna_wait_for_order(s.0, CASH, id, 5000, r, e) })
        .unwrap();
    let o = done.item(etna_result_order, 0).unwrap();
    assert_eq!(
        (o.status, text_of(o.status_text)),
        (ETNA_ORDER_STATUS_FILLED, "Filled")
    );
    assert_eq!(etna_order_status_is_final(o.status), 1);
    assert_eq!(o.executed_quantity, 7.0);
    assert!(o.average_price > 0.0 && o.created_at_ms > 0);
    let sent = json_of(o.json);
    same(o.average_price, &sent["AveragePrice"]);
    same(o.leaves_quantity, &sent["LeavesQuantity"]);
    assert_eq!(
        (text_of(o.side_text), text_of(o.type_text)),
        ("Buy", "Market")
    );

    let p = s
        .typed(|r, e| unsafe { etna_get_position(s.0, CASH, c("MSFT").as_ptr(), r, e) })
        .unwrap();
    assert_eq!(p.kind(), ETNA_KIND_POSITION);
    let pos = p.item(etna_result_position, 0).unwrap();
    assert_eq!((text_of(pos.symbol), pos.quantity), ("MSFT", 7.0));
    same(
        pos.average_open_price,
        &json_of(pos.json)["AverageOpenPrice"],
    );

    let t = s
        .typed(|r, e| unsafe { etna_get_transactions(s.0, CASH, 0, 10, r, e) })
        .unwrap();
    assert_eq!(t.kind(), ETNA_KIND_TRANSACTION);
    let fill = (0..t.len())
        .filter_map(|i| t.item(etna_result_transaction, i))
        .find(|x| x.order_id == id)
        .expect("the fill is a transaction of the order");
    assert_eq!(
        (fill.r#type, text_of(fill.type_text)),
        (ETNA_TRANSACTION_ORDER_EXECUTION, "OrderExecution")
    );
    assert_eq!(fill.quantity, 7.0);
    assert!(fill.commission > 0.0, "{}", text_of(fill.json));
}

#[test]
fn a_c_style_loop_pages_through_every_order_with_next_page() {
    let sim = start_sim();
    let s = alice(&sim);
    for i in 0..7 {
        place(
            &s,
            &format!(
                r#"{{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1,"Price":1.0,"ClientId":"page-{i}"}}"#
            ),
        );
    }
    let (mut page, mut seen, mut total) = (0, Vec::new(), 0);
    while page != -1 {
        let r = s
            .typed(|o, e| unsafe { etna_get_orders(s.0, CASH, ptr::null(), page, 3, o, e) })
            .unwrap();
        total = unsafe { etna_result_total_count(r.0) };
        for i in 0..r.len() {
            seen.push(text_of(r.item(etna_result_order, i).unwrap().client_id).to_owned());
        }
        page = unsafe { etna_result_next_page(r.0) };
    }
    seen.sort();
    assert_eq!(seen.len(), 7);
    assert_eq!(total, 7);
    assert_eq!(seen[0], "page-0");
}

#[test]
fn previews_securities_candles_watchlists_and_streamers_are_typed() {
    let sim = start_sim();
    let s = alice(&sim);
    let order = r#"{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":2,"Price":100}"#;
    let r = s
        .typed(|o, e| unsafe { etna_preview_order(s.0, CASH, c(order).as_ptr(), o, e) })
        .unwrap();
    let p = r.item(etna_result_preview, 0).unwrap();
    assert_eq!((r.kind(), p.is_successful), (ETNA_KIND_PREVIEW, 1));
    same(p.total_cost, &json_of(p.json)["TotalCost"]);
    assert!(p.commission > 0.0);

    // What a change to a resting order would cost, and that previewing it changed nothing.
    let id = place(&s, order).item(etna_result_order, 0).unwrap().id;
    let changes = c(r#"{"Quantity":5}"#);
    let r = s
        .typed(|o, e| unsafe { etna_preview_replace_order(s.0, CASH, id, changes.as_ptr(), o, e) })
        .unwrap();
    let p = r.item(etna_result_preview, 0).unwrap();
    assert_eq!((r.kind(), p.is_successful), (ETNA_KIND_PREVIEW, 1));
    assert_eq!(p.cost, 500.0, "five at 100");
    let still = s
        .typed(|o, e| unsafe { etna_get_order(s.0, CASH, id, o, e) })
        .unwrap();
    assert_eq!(still.item(etna_result_order, 0).unwrap().quantity, 2.0);
    let e = s
        .typed(|o, e| unsafe {
            etna_preview_replace_order(s.0, CASH, 999_999, changes.as_ptr(), o, e)
        })
        .err()
        .unwrap();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 404));

    let r = s
        .typed(|o, e| unsafe { etna_get_equity(s.0, c("AAPL").as_ptr(), o, e) })
        .unwrap();
    let sec = r.item(etna_result_security, 0).unwrap();
    assert_eq!(
        (text_of(sec.symbol), text_of(sec.exchange), sec.allow_trade),
        ("AAPL", "XNAS", 1)
    );
    let r = s
        .typed(|o, e| unsafe { etna_lookup_equities(s.0, c("A").as_ptr(), 3, o, e) })
        .unwrap();
    assert!(r.len() >= 1 && r.len() <= 3 && r.kind() == ETNA_KIND_SECURITY);

    let end = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let request = serde_json::json!({
        "Security": {"Symbol": "AAPL"},
        "SecurityHistorySettings": {"StartDate": end - 10 * 86_400, "EndDate": end, "CandlesCount": -1,
            "Period": "1h", "Interval": 0, "IncludeNonMarketData": false},
        "IndicatorsHistorySettings": []
    })
    .to_string();
    let r = s
        .typed(|o, e| unsafe { etna_get_price_history(s.0, c(&request).as_ptr(), o, e) })
        .unwrap();
    assert_eq!(r.kind(), ETNA_KIND_CANDLE);
    assert!(r.len() > 0);
    let mut last = 0;
    for i in 0..r.len() {
        let k = r.item(etna_result_candle, i).unwrap();
        assert!(
            k.high >= k.open.max(k.close) && k.low <= k.open.min(k.close),
            "{}",
            text_of(k.json)
        );
        assert!(k.time_ms > last, "candles come in time order");
        last = k.time_ms;
        same(k.close, &json_of(k.json)["Close"]);
    }

    let created = s
        .typed(|o, e| unsafe { etna_create_watchlist(s.0, c("Typed").as_ptr(), o, e) })
        .unwrap();
    let w = created.item(etna_result_watchlist, 0).unwrap();
    assert_eq!(
        (text_of(w.name), w.symbol_count, text_of(w.symbols)),
        ("Typed", 0, "")
    );
    let id = w.id;
    for t in ["AAPL", "MSFT"] {
        s.unit(|e| unsafe { etna_add_to_watchlist(s.0, id, c(t).as_ptr(), e) })
            .unwrap();
    }
    let all = s
        .typed(|o, e| unsafe { etna_get_watchlists(s.0, o, e) })
        .unwrap();
    let mine = (0..all.len())
        .filter_map(|i| all.item(etna_result_watchlist, i))
        .find(|w| w.id == id)
        .unwrap();
    assert_eq!((mine.symbol_count, text_of(mine.symbols)), (2, "AAPL;MSFT"));
    assert_eq!(mine.r#type, ETNA_WATCHLIST_USER_LIST);

    let r = s
        .typed(|o, e| unsafe { etna_get_streamers(s.0, o, e) })
        .unwrap();
    assert_eq!(r.kind(), ETNA_KIND_STREAMER);
    let quote = r.item(etna_result_streamer, 0).unwrap();
    assert_eq!(quote.is_quote, 1);
    assert!(!text_of(quote.url).is_empty());
}

#[test]
fn getters_refuse_null_another_kind_and_an_index_out_of_range() {
    let sim = start_sim();
    let s = alice(&sim);
    let r = s
        .typed(|o, e| unsafe { etna_get_accounts(s.0, o, e) })
        .unwrap();
    assert!(r.item(etna_result_account, 2).is_none(), "out of range");
    assert!(r.item(etna_result_account, usize::MAX).is_none());
    assert!(r.item(etna_result_order, 0).is_none(), "another kind");
    assert!(r.item(etna_result_balances, 0).is_none());
    unsafe {
        assert!(etna_result_order(ptr::null(), 0).is_null());
        assert!(etna_result_balances(ptr::null(), 0).is_null());
        assert_eq!(etna_result_kind(ptr::null()), 0);
        assert_eq!(etna_result_len(ptr::null()), 0);
        assert_eq!(etna_result_total_count(ptr::null()), 0);
        assert_eq!(etna_result_next_page(ptr::null()), -1);
        assert!(etna_result_json(ptr::null()).is_null());
        etna_result_free(ptr::null_mut());
    }
    assert_eq!(etna_order_status_is_final(ETNA_ORDER_STATUS_NEW), 0);
    assert_eq!(etna_order_status_is_final(ETNA_UNKNOWN), 0);
    assert_eq!(etna_order_status_is_final(ETNA_ORDER_STATUS_REPLACED), 1);
    // Not wanted: a NULL out_result is fine, and nothing leaks (valgrind runs these scenarios).
    s.unit(|e| unsafe { etna_get_accounts(s.0, ptr::null_mut(), e) })
        .unwrap();
}
