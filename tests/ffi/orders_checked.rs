//! Orders are checked before anything is sent: a bad order is ETNA_ERR_INVALID_ARGUMENT naming
//! the field, and the broker never sees it. Also the argument rules of the trading functions.

use crate::support::ffi::{Session, c};
use crate::support::*;
use etna::ffi::*;
use std::ptr;

fn alice(sim: &Simulator) -> Session {
    let s = Session::new(&sim.base_url(), APP_KEY).unwrap();
    s.login("alice", "alice-pass").unwrap();
    s
}

#[test]
fn bad_orders_are_refused_naming_the_field_and_nothing_is_sent() {
    let sim = start_sim();
    let s = alice(&sim);
    let sent = sim.recorded_requests().len();
    let cases = [
        (r#"{"Type":"Market","Side":"Buy","Quantity":1}"#, "Symbol"),
        (
            r#"{"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":-3}"#,
            "Quantity",
        ),
        (
            r#"{"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":0}"#,
            "Quantity",
        ),
        (
            r#"{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":5}"#,
            "Price",
        ),
        (
            r#"{"Symbol":"AAPL","Type":"Stop","Side":"Sell","Quantity":5}"#,
            "StopPrice",
        ),
        (
            r#"{"Symbol":"AAPL","Type":"Market","Side":"Long","Quantity":5}"#,
            "Side",
        ),
        (
            r#"{"Symbol":"AAPL","Type":"Market","Side":"Buy","Quantity":5,"TimeInForce":"GTC"}"#,
            "TimeInforce",
        ),
        ("not json", "JSON"),
    ];
    for (order, field) in cases {
        for preview in [false, true] {
            let e = s
                .json(|out, err| unsafe {
                    let f = if preview {
                        etna_preview_order
                    } else {
                        etna_place_order
                    };
                    f(s.0, 1001, c(order).as_ptr(), out, err)
                })
                .unwrap_err();
            assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT, "{order}");
            assert!(e.message.contains(field), "{order}: {}", e.message);
        }
    }
    // The simple form: NaN and negative quantities, a limit without a price.
    for (qty, kind, price) in [
        (f64::NAN, "Market", 0.0),
        (-1.0, "Market", 0.0),
        (10.0, "Limit", f64::NAN),
        (10.0, "Limit", -1.0),
    ] {
        let mut id = -1;
        let e = s
            .unit(|err| unsafe {
                etna_place_simple_order(
                    s.0,
                    1001,
                    c("AAPL").as_ptr(),
                    c("Buy").as_ptr(),
                    c(kind).as_ptr(),
                    qty,
                    price,
                    0.0,
                    ptr::null(),
                    &mut id,
                    err,
                )
            })
            .unwrap_err();
        assert_eq!(e.code, ETNA_ERR_INVALID_ARGUMENT, "{qty} {kind} {price}");
        assert_eq!(id, -1, "no output on failure");
    }
    assert_eq!(
        sim.recorded_requests().len(),
        sent,
        "no bad order reached the broker"
    );
}

#[test]
fn trading_functions_check_their_arguments() {
    let sim = start_sim();
    let s = alice(&sim);
    let sent = sim.recorded_requests().len();
    let code = |r: Result<String, crate::support::ffi::Failure>| r.unwrap_err().code;
    assert_eq!(
        code(s.json(|o, e| unsafe { etna_get_positions(s.0, 1001, -1, 10, o, e) })),
        ETNA_ERR_INVALID_ARGUMENT
    );
    for size in [0, 100] {
        let e = code(s.json(|o, e| unsafe { etna_get_positions(s.0, 1001, 0, size, o, e) }));
        assert_eq!(
            e, ETNA_ERR_INVALID_ARGUMENT,
            "positions page size {size} (the broker's limit is 99)"
        );
    }
    assert_eq!(
        code(s.json(|o, e| unsafe { etna_get_orders(s.0, 1001, ptr::null(), 0, 101, o, e) })),
        ETNA_ERR_INVALID_ARGUMENT
    );
    assert_eq!(
        code(s.json(|o, e| unsafe { etna_get_transactions(s.0, 1001, 0, -5, o, e) })),
        ETNA_ERR_INVALID_ARGUMENT
    );
    assert_eq!(
        code(s.json(|o, e| unsafe { etna_get_position(s.0, 1001, ptr::null(), o, e) })),
        ETNA_ERR_NULL_ARGUMENT
    );
    assert_eq!(
        code(s.json(|o, e| unsafe { etna_get_equity(s.0, c(" ").as_ptr(), o, e) })),
        ETNA_ERR_INVALID_ARGUMENT
    );
    assert_eq!(
        code(s.json(|o, e| unsafe { etna_lookup_equities(s.0, c("A").as_ptr(), 0, o, e) })),
        ETNA_ERR_INVALID_ARGUMENT
    );
    assert_eq!(
        code(s.json(|o, e| unsafe { etna_get_price_history(s.0, c("[]").as_ptr(), o, e) })),
        ETNA_ERR_INVALID_ARGUMENT
    );
    assert_eq!(
        code(s.json(|o, e| unsafe { etna_create_watchlist(s.0, c("").as_ptr(), o, e) })),
        ETNA_ERR_INVALID_ARGUMENT
    );
    assert_eq!(
        code(s.json(|o, e| unsafe { etna_place_order(s.0, 1001, ptr::null(), o, e) })),
        ETNA_ERR_NULL_ARGUMENT
    );
    let bad_utf8 = b"AA\xffPL\0";
    assert_eq!(
        code(s.json(|o, e| unsafe { etna_get_equity(s.0, bad_utf8.as_ptr().cast(), o, e) })),
        ETNA_ERR_INVALID_UTF8
    );
    let replace = |json: &str| {
        s.json(|o, e| unsafe { etna_replace_order(s.0, 1001, 7, c(json).as_ptr(), o, e) })
    };
    assert_eq!(
        code(replace(r#"{"Id":8,"Price":1}"#)),
        ETNA_ERR_INVALID_ARGUMENT
    );
    assert_eq!(code(replace(r#"{"Price":-1}"#)), ETNA_ERR_INVALID_ARGUMENT);
    let e = s
        .unit(|e| unsafe { etna_add_to_watchlist(s.0, 1, ptr::null(), e) })
        .unwrap_err();
    assert_eq!(e.code, ETNA_ERR_NULL_ARGUMENT);
    let e = s
        .unit(|e| unsafe { etna_cancel_order(ptr::null_mut(), 1001, 1, e) })
        .unwrap_err();
    assert_eq!(e.code, ETNA_ERR_NULL_ARGUMENT);
    assert_eq!(
        sim.recorded_requests().len(),
        sent,
        "no request for a bad call"
    );

    // Before login: not authenticated, still no request.
    let fresh = Session::new(&sim.base_url(), APP_KEY).unwrap();
    let e = fresh
        .json(|o, e| unsafe { etna_get_accounts(fresh.0, o, e) })
        .unwrap_err();
    assert_eq!(e.code, ETNA_ERR_NOT_AUTHENTICATED);
    assert_eq!(sim.recorded_requests().len(), sent);
}

#[test]
fn user_info_and_accounts_come_from_the_token_owner() {
    let sim = start_sim();
    let s = alice(&sim);
    let info = crate::support::ffi::parse(
        &s.json(|o, e| unsafe { etna_get_user_info(s.0, o, e) })
            .unwrap(),
    );
    assert_eq!(info["Login"], "alice");
    let accounts = crate::support::ffi::parse(
        &s.json(|o, e| unsafe { etna_get_accounts(s.0, o, e) })
            .unwrap(),
    );
    let ids: Vec<i64> = accounts
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["Id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![1001, 1002]);
}
