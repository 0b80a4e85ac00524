//! The rest of the broker through the C ABI, against the simulator: options (expirations,
//! chains, single and multi-leg orders), pages of options and equities, price alerts, news and
//! corporate actions, account history, position groups, an order's state history and its
//! verification, the sync order routes, and watchlists by security id.

use crate::support::ffi::{Session, Typed, c, parse, text_of};
use crate::support::*;
use etna::ffi::*;
use std::ptr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const CASH: i64 = 1001;
const MARGIN: i64 = 1002;

fn alice(sim: &Simulator) -> Session {
    let s = Session::new(&sim.base_url(), APP_KEY).unwrap();
    s.login("alice", "alice-pass").unwrap();
    s
}

fn fast() -> Simulator {
    Simulator::start(SimConfig {
        speed: 60.0,
        ..SimConfig::default()
    })
    .unwrap()
}

/// The options of the nearest expiration of `underlying`, calls first, by strike.
fn nearest_calls(s: &Session, underlying: &str) -> (Typed, Vec<usize>) {
    let exp = s
        .typed(|o, e| unsafe { etna_get_option_expirations(s.0, c(underlying).as_ptr(), o, e) })
        .unwrap();
    assert_eq!(exp.kind(), ETNA_KIND_EXPIRATION);
    assert!(exp.len() >= 2, "weekly and monthly expirations");
    let first = (0..exp.len())
        .map(|i| exp.item(etna_result_expiration, i).unwrap().expiration_ms)
        .min()
        .unwrap();
    let chain = s
        .typed(|o, e| unsafe {
            etna_get_option_chain(s.0, c(underlying).as_ptr(), ptr::null(), o, e)
        })
        .unwrap();
    assert_eq!(chain.kind(), ETNA_KIND_OPTION);
    let mut calls: Vec<usize> = (0..chain.len())
        .filter(|&i| {
            let o = chain.item(etna_result_option, i).unwrap();
            o.option_type == ETNA_OPTION_CALL && o.expiration_ms == first
        })
        .collect();
    calls.sort_by(|&a, &b| {
        let (a, b) = (
            chain.item(etna_result_option, a).unwrap().strike,
            chain.item(etna_result_option, b).unwrap().strike,
        );
        a.total_cmp(&b)
    });
    assert!(calls.len() >= 4, "strikes around the money");
    (chain, calls)
}

#[test]
fn an_option_chain_is_typed_and_a_single_option_reads_alike() {
    let sim = start_sim();
    let s = alice(&sim);
    let (chain, calls) = nearest_calls(&s, "AAPL");
    let call = chain
        .item(etna_result_option, calls[calls.len() / 2])
        .unwrap();
    let symbol = text_of(call.symbol);
    assert_eq!(symbol.len(), 21, "an OSI symbol: {symbol}");
    assert!(
        symbol.starts_with("AAPL  ") && symbol.contains('C'),
        "{symbol}"
    );
    assert_eq!(text_of(call.underlying_symbol), "AAPL");
    assert_eq!(
        (call.contract_size, text_of(call.option_type_text)),
        (100.0, "Call")
    );
    assert!(call.strike > 0.0 && call.expiration_ms > 0);
    let one = s
        .typed(|o, e| unsafe { etna_get_option(s.0, c(symbol).as_ptr(), o, e) })
        .unwrap();
    let same = one.item(etna_result_option, 0).unwrap();
    assert_eq!((same.id, same.strike), (call.id, call.strike));

    // A filter narrows the chain to one expiration.
    let when = parse(text_of(call.json))["ExpirationDate"]
        .as_str()
        .unwrap()
        .to_owned();
    let filter = format!("Expiration = #{when}#");
    let narrow = s
        .typed(|o, e| unsafe {
            etna_get_option_chain(s.0, c("AAPL").as_ptr(), c(&filter).as_ptr(), o, e)
        })
        .unwrap();
    assert!(narrow.len() > 0 && narrow.len() < chain.len());
    assert!((0..narrow.len()).all(|i| {
        narrow.item(etna_result_option, i).unwrap().expiration_ms == call.expiration_ms
    }));

    let e = s
        .typed(|o, e| unsafe { etna_get_option(s.0, c("NOPE  991231C00001000").as_ptr(), o, e) })
        .err()
        .unwrap();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 404));
}

#[test]
fn pages_of_options_and_equities() {
    let sim = start_sim();
    let s = alice(&sim);
    let page = s
        .typed(|o, e| unsafe { etna_get_equities(s.0, ptr::null(), 0, 5, o, e) })
        .unwrap();
    assert_eq!((page.kind(), page.len()), (ETNA_KIND_SECURITY, 5));
    assert!(unsafe { etna_result_total_count(page.0) } > 5);
    assert_eq!(unsafe { etna_result_next_page(page.0) }, 1);
    let options = s
        .typed(|o, e| unsafe { etna_get_options(s.0, ptr::null(), 0, 10, o, e) })
        .unwrap();
    assert_eq!((options.kind(), options.len()), (ETNA_KIND_OPTION, 10));
}

#[test]
fn a_vertical_spread_is_previewed_placed_and_filled_and_bad_legs_never_leave() {
    let sim = fast();
    let s = alice(&sim);
    let (chain, calls) = nearest_calls(&s, "AAPL");
    let mid = calls.len() / 2;
    let (low, high) = (
        text_of(chain.item(etna_result_option, calls[mid]).unwrap().symbol),
        text_of(
            chain
                .item(etna_result_option, calls[mid + 1])
                .unwrap()
                .symbol,
        ),
    );
    let spread = format!(
        r#"{{"Symbol":"","Type":"Market","Side":"Buy","Quantity":1,"Legs":[
            {{"Symbol":"{low}","Quantity":1,"Side":"Buy"}},{{"Symbol":"{high}","Quantity":1,"Side":"SellShort"}}],
            "ClientId":"spread-1"}}"#
    );
    let preview = s
        .typed(|o, e| unsafe { etna_preview_order(s.0, MARGIN, c(&spread).as_ptr(), o, e) })
        .unwrap();
    let p = preview.item(etna_result_preview, 0).unwrap();
    assert_eq!(p.is_successful, 1, "{}", text_of(p.json));
    assert!(p.commission > 0.0);
    let placed = s
        .typed(|o, e| unsafe { etna_place_order(s.0, MARGIN, c(&spread).as_ptr(), o, e) })
        .unwrap();
    let id = placed.item(etna_result_order, 0).unwrap().id;
    let done = s
        .typed(|o, e| unsafe { etna_wait_for_order(s.0, MARGIN, id, 10_000, o, e) })
        .unwrap();
    let order = done.item(etna_result_order, 0).unwrap();
    assert_eq!(
        order.status,
        ETNA_ORDER_STATUS_FILLED,
        "{}",
        text_of(order.json)
    );
    assert_eq!(
        parse(text_of(order.json))["Legs"].as_array().unwrap().len(),
        2
    );

    // A single-leg option order.
    let single = format!(
        r#"{{"Symbol":"{low}","Type":"Market","Side":"Buy","Quantity":2,"ClientId":"call-1"}}"#
    );
    s.typed(|o, e| unsafe { etna_place_order(s.0, MARGIN, c(&single).as_ptr(), o, e) })
        .unwrap();

    // Malformed legs are refused before anything is sent.
    let before = sim.recorded_requests().len();
    for legs in [
        r#"[]"#.to_owned(),
        r#"[{"Quantity":1,"Side":"Buy"}]"#.to_owned(),
        format!(r#"[{{"Symbol":"{low}","Quantity":0,"Side":"Buy"}}]"#),
        format!(r#"[{{"Symbol":"{low}","Quantity":1,"Side":"Sideways"}}]"#),
    ] {
        let bad =
            format!(r#"{{"Symbol":"","Type":"Market","Side":"Buy","Quantity":1,"Legs":{legs}}}"#);
        let e = s
            .typed(|o, e| unsafe { etna_place_order(s.0, MARGIN, c(&bad).as_ptr(), o, e) })
            .err()
            .unwrap();
        assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT, "{legs}: {}", e.message);
    }
    assert_eq!(sim.recorded_requests().len(), before, "nothing was sent");
}

#[test]
fn price_alerts_are_created_read_changed_triggered_and_deleted() {
    let sim = fast();
    let s = alice(&sim);
    let expires = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 86_400;
    // Far above the price: it waits until it is changed.
    let alert = format!(
        r#"{{"SecurityId":1,"Field":"Last","Operator":"GTEQ","Argument":1000000.0,"State":"New","ExpirationDate":{expires}}}"#
    );
    let created = s
        .typed(|o, e| unsafe { etna_create_price_alert(s.0, c(&alert).as_ptr(), o, e) })
        .unwrap();
    let a = created.item(etna_result_price_alert, 0).unwrap();
    assert_eq!(
        (created.kind(), a.security_id, text_of(a.operator)),
        (ETNA_KIND_PRICE_ALERT, 1, "GTEQ")
    );
    let id = a.id;
    let page = s
        .typed(|o, e| unsafe { etna_get_price_alerts(s.0, 0, 10, o, e) })
        .unwrap();
    assert!((0..page.len()).any(|i| page.item(etna_result_price_alert, i).unwrap().id == id));
    // Below the price now: the next quote triggers it, from the price model.
    let changed = alert.replace(r#""Argument":1000000.0"#, r#""Argument":2.0"#);
    let updated = s
        .typed(|o, e| unsafe { etna_update_price_alert(s.0, id, c(&changed).as_ptr(), o, e) })
        .unwrap();
    assert_eq!(
        updated.item(etna_result_price_alert, 0).unwrap().argument,
        2.0
    );
    // It triggers from the price model.
    let until = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let now = s
            .typed(|o, e| unsafe { etna_get_price_alert(s.0, id, o, e) })
            .unwrap();
        if now.item(etna_result_price_alert, 0).unwrap().state == ETNA_ALERT_COMPLETED {
            break;
        }
        assert!(
            std::time::Instant::now() < until,
            "the alert never triggered"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    s.unit(|e| unsafe { etna_delete_price_alert(s.0, id, e) })
        .unwrap();
    let e = s
        .typed(|o, e| unsafe { etna_get_price_alert(s.0, id, o, e) })
        .err()
        .unwrap();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 404));
}

#[test]
fn news_corporate_actions_history_and_position_groups() {
    let sim = fast();
    let s = alice(&sim);
    for f in [etna_get_news, etna_get_corporate_actions] {
        let r = s
            .typed(|o, e| unsafe { f(s.0, c("AAPL").as_ptr(), o, e) })
            .unwrap();
        assert_eq!(r.kind(), ETNA_KIND_NEWS);
        assert!(r.len() > 0);
        let n = r.item(etna_result_news, 0).unwrap();
        assert!(!text_of(n.header).is_empty() && n.date_ms > 0);
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let h = s
        .typed(|o, e| unsafe {
            etna_get_account_history(s.0, CASH, now - 5 * 86_400_000, now, o, e)
        })
        .unwrap();
    assert_eq!(h.kind(), ETNA_KIND_HISTORY_POINT);
    assert!(h.len() >= 3);
    assert!((0..h.len()).all(|i| h.item(etna_result_history_point, i).unwrap().value > 0.0));
    let e = s
        .typed(|o, e| unsafe { etna_get_account_history(s.0, CASH, now, now - 1, o, e) })
        .err()
        .unwrap();
    assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT);

    let groups = s
        .typed(|o, e| unsafe { etna_get_position_groups(s.0, CASH, o, e) })
        .unwrap();
    assert_eq!(groups.kind(), ETNA_KIND_POSITION_GROUP);
    let names: Vec<&str> = (0..groups.len())
        .map(|i| text_of(groups.item(etna_result_position_group, i).unwrap().name))
        .collect();
    assert!(names.contains(&"Equity"), "{names:?}");
}

#[test]
fn an_orders_state_history_its_verification_and_the_sync_routes() {
    let sim = fast();
    let s = alice(&sim);
    s.unit(|e| unsafe { etna_session_set_sync_orders(s.0, 1, e) })
        .unwrap();
    let order =
        r#"{"Symbol":"T","Type":"Market","Side":"Buy","Quantity":1500,"ClientId":"hist-1"}"#;
    let placed = s
        .typed(|o, e| unsafe { etna_place_order(s.0, CASH, c(order).as_ptr(), o, e) })
        .unwrap();
    let id = placed.item(etna_result_order, 0).unwrap().id;
    assert!(
        sim.recorded_requests()
            .iter()
            .any(|r| r.method == "POST" && r.url.contains("/syncorders")),
        "placed through the sync route"
    );
    s.typed(|o, e| unsafe { etna_wait_for_order(s.0, CASH, id, 10_000, o, e) })
        .unwrap();
    let details = s
        .typed(|o, e| unsafe { etna_get_order_details(s.0, CASH, id, o, e) })
        .unwrap();
    assert_eq!(details.kind(), ETNA_KIND_ORDER_DETAIL);
    let statuses: Vec<i32> = (0..details.len())
        .map(|i| details.item(etna_result_order_detail, i).unwrap().status)
        .collect();
    assert!(
        statuses.contains(&ETNA_ORDER_STATUS_PARTIALLY_FILLED),
        "{statuses:?}"
    );
    assert_eq!(
        statuses.last(),
        Some(&ETNA_ORDER_STATUS_FILLED),
        "{statuses:?}"
    );
    let verified = s
        .typed(|o, e| unsafe { etna_get_verified_order(s.0, CASH, id, o, e) })
        .unwrap();
    assert_eq!(verified.kind(), ETNA_KIND_PREVIEW);
    assert_eq!(
        verified.item(etna_result_preview, 0).unwrap().is_successful,
        1
    );
    let e = s
        .unit(|e| unsafe { etna_session_set_sync_orders(s.0, 2, e) })
        .unwrap_err();
    assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT);
}

#[test]
fn watchlists_are_renamed_and_changed_by_security_id() {
    let sim = start_sim();
    let s = alice(&sim);
    let created = s
        .typed(|o, e| unsafe { etna_create_watchlist(s.0, c("ById").as_ptr(), o, e) })
        .unwrap();
    let id = created.item(etna_result_watchlist, 0).unwrap().id;
    s.unit(|e| unsafe { etna_rename_watchlist(s.0, id, c("Renamed").as_ptr(), e) })
        .unwrap();
    s.unit(|e| unsafe { etna_add_to_watchlist_by_id(s.0, id, 1, e) })
        .unwrap();
    s.unit(|e| unsafe { etna_add_to_watchlist_by_id(s.0, id, 2, e) })
        .unwrap();
    s.unit(|e| unsafe { etna_remove_from_watchlist_by_id(s.0, id, 1, e) })
        .unwrap();
    let all = s
        .typed(|o, e| unsafe { etna_get_watchlists(s.0, o, e) })
        .unwrap();
    let mine = (0..all.len())
        .filter_map(|i| all.item(etna_result_watchlist, i))
        .find(|w| w.id == id)
        .unwrap();
    assert_eq!((text_of(mine.name), mine.symbol_count), ("Renamed", 1));

    // The same list, asked for by its id; a deleted one is a 404.
    let one = s
        .typed(|o, e| unsafe { etna_get_watchlist(s.0, id, o, e) })
        .unwrap();
    assert_eq!((one.kind(), one.len()), (ETNA_KIND_WATCHLIST, 1));
    let list = one.item(etna_result_watchlist, 0).unwrap();
    assert_eq!(
        (list.id, text_of(list.name), list.symbol_count),
        (id, "Renamed", 1)
    );
    s.unit(|e| unsafe { etna_delete_watchlist(s.0, id, e) })
        .unwrap();
    let e = s
        .typed(|o, e| unsafe { etna_get_watchlist(s.0, id, o, e) })
        .err()
        .unwrap();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 404));
}

/// The fields of a record, by position, as (name, text).
fn fields(r: &Typed) -> Vec<(String, String)> {
    let rec = unsafe { etna_result_record(r.0, 0) };
    assert!(!rec.is_null());
    let n = unsafe { (*rec).field_count };
    let all: Vec<(String, String)> = (0..n)
        .map(|i| {
            let f = unsafe { etna_record_field(rec, i).as_ref() }.unwrap();
            (text_of(f.name).to_owned(), text_of(f.text).to_owned())
        })
        .collect();
    assert!(
        unsafe { etna_record_field(rec, n) }.is_null(),
        "past the end"
    );
    all
}

/// The field `name` of the record in `r`.
fn find(r: &Typed, name: &str) -> Option<&'static EtnaField> {
    unsafe { etna_record_find(etna_result_record(r.0, 0), c(name).as_ptr()).as_ref() }
}

#[test]
fn an_accounts_opening_record_and_the_users_balances_across_accounts() {
    let sim = start_sim();
    let s = alice(&sim);
    let r = s
        .typed(|o, e| unsafe { etna_get_account_details(s.0, CASH, o, e) })
        .unwrap();
    assert_eq!((r.kind(), r.len()), (ETNA_KIND_RECORD, 1));
    // Every value of the answer is a field, named by its path, with its text, in the order sent.
    let json = r.json();
    let sent = parse(&json);
    let mut expected: Vec<(String, String)> = sent
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect();
    let mut got = fields(&r);
    let at = |name: &str| json.find(&format!("\"{name}\":")).unwrap();
    assert!(got.windows(2).all(|w| at(&w[0].0) < at(&w[1].0)), "{got:?}");
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
    let account = s
        .typed(|o, e| unsafe { etna_get_account(s.0, CASH, o, e) })
        .unwrap();
    let clearing = text_of(
        account
            .item(etna_result_account, 0)
            .unwrap()
            .clearing_account,
    );
    let f = find(&r, "clearingaccountnumber").expect("names match whatever their case");
    assert_eq!((f.kind, text_of(f.text)), (ETNA_FIELD_TEXT, clearing));
    let opened = find(&r, "IsOpened").unwrap();
    assert_eq!((opened.kind, opened.number), (ETNA_FIELD_BOOL, 1.0));
    assert!(!text_of(find(&r, "CreatedAt").unwrap().text).is_empty());
    assert!(find(&r, "NoSuchField").is_none());
    // Misuse of the record getters gives NULL, never a crash.
    let rec = unsafe { etna_result_record(r.0, 0) };
    unsafe {
        assert!(etna_record_find(rec, ptr::null()).is_null());
        assert!(etna_record_find(ptr::null(), c("IsOpened").as_ptr()).is_null());
        assert!(etna_record_find(rec, c"Is\xffOpened".as_ptr()).is_null());
        assert!(etna_record_field(ptr::null(), 0).is_null());
        assert!(etna_result_record(r.0, 1).is_null());
        assert!(etna_result_record(account.0, 0).is_null(), "another kind");
        assert!(etna_result_record(ptr::null(), 0).is_null());
    }
    // Another user's account is refused; an id that is no account is the broker's 500.
    for (id, status) in [(1003, 401), (999_999, 500)] {
        let e = s
            .typed(|o, e| unsafe { etna_get_account_details(s.0, id, o, e) })
            .err()
            .unwrap();
        assert_eq!(e.http_status, status, "{id}: {}", e.message);
    }

    // The user's balances are the sum of the accounts' balances.
    let total = s
        .typed(|o, e| unsafe { etna_get_user_balances(s.0, o, e) })
        .unwrap();
    assert_eq!((total.kind(), total.len()), (ETNA_KIND_USER_BALANCE, 1));
    let t = total.item(etna_result_balances, 0).unwrap();
    let accounts = s
        .typed(|o, e| unsafe { etna_get_accounts(s.0, o, e) })
        .unwrap();
    let (mut cash, mut equity) = (0.0, 0.0);
    for i in 0..accounts.len() {
        let id = accounts.item(etna_result_account, i).unwrap().id;
        let b = s
            .typed(|o, e| unsafe { etna_get_account_info(s.0, id, o, e) })
            .unwrap();
        let b = b.item(etna_result_balances, 0).unwrap();
        cash += b.cash;
        equity += b.equity_total;
    }
    assert!(accounts.len() >= 2);
    assert!((t.cash - cash).abs() < 0.01, "{} vs {cash}", t.cash);
    assert!((t.equity_total - equity).abs() < 0.01 * accounts.len() as f64);
    let mut buying_power = f64::NAN;
    let status = unsafe {
        etna_balances_value(
            t,
            c("stockBuyingPower").as_ptr(),
            &mut buying_power,
            ptr::null_mut(),
        )
    };
    assert_eq!(status, ETNA_OK);
    assert_eq!(buying_power, t.stock_buying_power);
}

#[test]
fn trading_settings_are_read_changed_in_part_and_refused_whole_when_wrong() {
    let sim = start_sim();
    let s = alice(&sim);
    let settings = || {
        s.typed(|o, e| unsafe { etna_get_trading_settings(s.0, o, e) })
            .unwrap()
    };
    let number = |r: &Typed, name: &str| find(r, name).unwrap().number;
    let before = settings();
    assert_eq!(before.kind(), ETNA_KIND_RECORD);
    assert_eq!(number(&before, "Instruments.Stocks.Quantity"), 100.0);
    assert_eq!(number(&before, "Instruments.Options.Quantity"), 1.0);
    // The broker writes some yes/no settings as "False": text, which reads as 0.
    let skip = find(&before, "SkipVerifyOrder").unwrap();
    assert_eq!(
        (skip.kind, text_of(skip.text), skip.number),
        (ETNA_FIELD_TEXT, "False", 0.0)
    );

    let changes = r#"{"Instruments":{"Stocks":{"Quantity":50}}}"#;
    let after = s
        .typed(|o, e| unsafe { etna_set_trading_settings(s.0, c(changes).as_ptr(), o, e) })
        .unwrap();
    assert_eq!(number(&after, "Instruments.Stocks.Quantity"), 50.0);
    let again = settings();
    assert_eq!(number(&again, "Instruments.Stocks.Quantity"), 50.0);
    assert_eq!(
        number(&again, "Instruments.Options.Quantity"),
        1.0,
        "what the change does not name stays"
    );

    // A value of the wrong type: 422, nothing changed.
    let bad = r#"{"MaxStocksQuantity":"lots","Instruments":{"Stocks":{"Quantity":7}}}"#;
    let e = s
        .typed(|o, e| unsafe { etna_set_trading_settings(s.0, c(bad).as_ptr(), o, e) })
        .err()
        .unwrap();
    assert_eq!(
        (e.code, e.http_status),
        (ETNA_ERR_HTTP, 422),
        "{}",
        e.message
    );
    assert_eq!(number(&settings(), "Instruments.Stocks.Quantity"), 50.0);

    // Not a JSON object: refused before anything is sent.
    let sent = sim.recorded_requests().len();
    for body in ["[1]", "nope", "42"] {
        let e = s
            .typed(|o, e| unsafe { etna_set_trading_settings(s.0, c(body).as_ptr(), o, e) })
            .err()
            .unwrap();
        assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT, "{body}: {}", e.message);
    }
    let e = s
        .typed(|o, e| unsafe { etna_set_trading_settings(s.0, ptr::null(), o, e) })
        .err()
        .unwrap();
    assert_eq!(e.code, ETNA_ERR_NULL_ARGUMENT);
    assert_eq!(sim.recorded_requests().len(), sent, "nothing was sent");
}

/// History settings: hourly candles of the last five days.
fn last_five_days_hourly() -> serde_json::Value {
    let end = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    serde_json::json!({"StartDate": end - 5 * 86_400, "EndDate": end,
        "CandlesCount": -1, "Period": "1h", "Interval": 0, "IncludeNonMarketData": false})
}

#[test]
fn compared_price_histories_come_as_one_series_per_security() {
    let sim = start_sim();
    let s = alice(&sim);
    let settings = last_five_days_hourly();
    let compare = serde_json::json!({
        "Securities": [{"Symbol": "AAPL"}, {"Symbol": "MSFT"}],
        "SecuritiesHistorySettings": settings,
    })
    .to_string();
    let r = s
        .typed(|o, e| unsafe { etna_compare_price_history(s.0, c(&compare).as_ptr(), o, e) })
        .unwrap();
    assert_eq!(r.kind(), ETNA_KIND_CANDLE);
    let candles: Vec<&EtnaCandle> = (0..r.len())
        .map(|i| r.item(etna_result_candle, i).unwrap())
        .collect();
    let series: Vec<i32> = candles.iter().map(|k| k.series).collect();
    assert!(series.contains(&0) && series.contains(&1), "{series:?}");
    assert!(
        series.windows(2).all(|w| w[0] <= w[1]),
        "in the order asked"
    );
    let sent = parse(&r.json());
    for (n, list) in sent.as_array().unwrap().iter().enumerate() {
        let mine: Vec<&&EtnaCandle> = candles.iter().filter(|k| k.series == n as i32).collect();
        assert_eq!(mine.len(), list.as_array().unwrap().len());
        assert!(mine.windows(2).all(|w| w[0].time_ms < w[1].time_ms));
    }
    // AAPL's series is AAPL's own history over the same range.
    let one =
        serde_json::json!({"Security": {"Symbol": "AAPL"}, "SecurityHistorySettings": settings,
        "IndicatorsHistorySettings": []})
        .to_string();
    let history = s
        .typed(|o, e| unsafe { etna_get_price_history(s.0, c(&one).as_ptr(), o, e) })
        .unwrap();
    let own: Vec<(i64, f64, i32)> = (0..history.len())
        .map(|i| history.item(etna_result_candle, i).unwrap())
        .map(|k| (k.time_ms, k.close, k.series))
        .collect();
    let first: Vec<(i64, f64, i32)> = candles
        .iter()
        .filter(|k| k.series == 0)
        .map(|k| (k.time_ms, k.close, k.series))
        .collect();
    assert_eq!(first, own);

    let unknown = compare.replace("MSFT", "NOSUCH");
    let e = s
        .typed(|o, e| unsafe { etna_compare_price_history(s.0, c(&unknown).as_ptr(), o, e) })
        .err()
        .unwrap();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 409));
    let e = s
        .typed(|o, e| unsafe { etna_compare_price_history(s.0, c("[]").as_ptr(), o, e) })
        .err()
        .unwrap();
    assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT);
}

#[test]
fn a_price_history_exports_as_the_spreadsheet_the_broker_answers() {
    let sim = start_sim();
    let s = alice(&sim);
    let request = serde_json::json!({"Security": {"Symbol": "AAPL"},
        "SecurityHistorySettings": last_five_days_hourly(), "IndicatorsHistorySettings": []})
    .to_string();
    let export = |request: &str| -> Result<Vec<u8>, crate::support::ffi::Failure> {
        let (mut data, mut len, mut err) = (ptr::null_mut(), 0usize, ptr::null_mut());
        let status = unsafe {
            etna_export_price_history(s.0, c(request).as_ptr(), &mut data, &mut len, &mut err)
        };
        crate::support::ffi::check(status, err)?;
        let bytes = unsafe { std::slice::from_raw_parts(data, len) }.to_vec();
        unsafe { etna_bytes_free(data) };
        Ok(bytes)
    };
    let file = export(&request).unwrap();
    assert!(file.starts_with(b"PK\x03\x04"), "an xlsx is a ZIP archive");
    // The cells hold the candles' closes, as the same request reads them typed.
    let text = String::from_utf8_lossy(&file);
    let history = s
        .typed(|o, e| unsafe { etna_get_price_history(s.0, c(&request).as_ptr(), o, e) })
        .unwrap();
    assert!(history.len() > 0);
    for i in 0..history.len() {
        let close = history.item(etna_result_candle, i).unwrap().close;
        let cell = format!(r#"<c r="E{}"><v>{close}</v></c>"#, i + 2);
        assert!(text.contains(&cell), "{cell} is not in the file");
    }
    // The length alone, and the bytes alone, may be left out.
    let status = unsafe {
        etna_export_price_history(
            s.0,
            c(&request).as_ptr(),
            ptr::null_mut(),
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    assert_eq!(status, ETNA_OK);
    unsafe { etna_bytes_free(ptr::null_mut()) };

    let e = export(&request.replace("AAPL", "NOSUCH")).err().unwrap();
    assert_eq!((e.code, e.http_status), (ETNA_ERR_HTTP, 409));
    let sent = sim.recorded_requests().len();
    let e = export("[1]").err().unwrap();
    assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT);
    assert_eq!(sim.recorded_requests().len(), sent, "nothing was sent");
}
