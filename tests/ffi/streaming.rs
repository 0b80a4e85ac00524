//! Streams through the C ABI against the simulator's streamers: typed quotes, an order's life
//! in order, close waking a blocked reader, every stream fault recovered with subscriptions
//! replayed and the gap announced, a slow reader with bounded memory, re-login on reconnect,
//! threads sharing a stream, and no secret in logs or errors.

use crate::support::ffi::{Session, Typed, c, text_of};
use crate::support::*;
use etna::ffi::*;
use std::ptr;
use std::sync::Arc;
use std::time::{Duration, Instant};

const CASH: i64 = 1001;

/// An `EtnaStream *` freed on drop.
struct Stream(*mut EtnaStream);

unsafe impl Send for Stream {}
unsafe impl Sync for Stream {}

impl Drop for Stream {
    fn drop(&mut self) {
        unsafe { etna_stream_free(self.0) };
    }
}

impl Stream {
    fn open(s: &Session, kind: EtnaStreamKind) -> Stream {
        let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
        let status = unsafe { etna_stream_open(s.0, kind, &mut out, &mut err) };
        crate::support::ffi::check(status, err).unwrap_or_else(|e| panic!("open: {}", e.message));
        Stream(out)
    }

    fn subscribe(&self, entity: &str, keys: &str) {
        let mut err = ptr::null_mut();
        let status = unsafe {
            etna_stream_subscribe(self.0, c(entity).as_ptr(), c(keys).as_ptr(), &mut err)
        };
        crate::support::ffi::check(status, err).unwrap();
    }

    fn unsubscribe(&self, entity: &str, keys: &str) {
        let mut err = ptr::null_mut();
        let status = unsafe {
            etna_stream_unsubscribe(self.0, c(entity).as_ptr(), c(keys).as_ptr(), &mut err)
        };
        crate::support::ffi::check(status, err).unwrap();
    }

    fn quotes(&self, tickers: &str) {
        let mut err = ptr::null_mut();
        let status = unsafe { etna_stream_subscribe_quotes(self.0, c(tickers).as_ptr(), &mut err) };
        crate::support::ffi::check(status, err).unwrap();
    }

    /// The next event, or the status that said there was none.
    fn next(&self, ms: i32) -> Result<Typed, EtnaStatus> {
        let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
        let status = unsafe { etna_stream_next(self.0, ms, &mut out, &mut err) };
        match crate::support::ffi::check(status, err) {
            Ok(()) => Ok(Typed(out)),
            Err(e) => Err(e.code),
        }
    }

    /// Events until `done` says stop or `within` runs out; panics on the latter.
    fn until(&self, within: Duration, mut done: impl FnMut(&Typed) -> bool) -> Vec<Typed> {
        let until = Instant::now() + within;
        let mut seen = Vec::new();
        while Instant::now() < until {
            if let Ok(e) = self.next(50) {
                let stop = done(&e);
                seen.push(e);
                if stop {
                    return seen;
                }
            }
        }
        panic!(
            "no end within {within:?}; saw {:?}",
            seen.iter().map(describe).collect::<Vec<_>>()
        );
    }

    fn stats(&self) -> EtnaStreamStats {
        let mut st: EtnaStreamStats = unsafe { std::mem::zeroed() };
        st.struct_size = std::mem::size_of::<EtnaStreamStats>() as u32;
        let mut err = ptr::null_mut();
        let status = unsafe { etna_stream_stats(self.0, &mut st, &mut err) };
        crate::support::ffi::check(status, err).unwrap();
        st
    }

    fn timing(&self, stale_ms: u32, min_ms: u32, max_ms: u32) {
        let mut err = ptr::null_mut();
        let status = unsafe { etna_stream_set_timing(self.0, stale_ms, min_ms, max_ms, &mut err) };
        crate::support::ffi::check(status, err).unwrap();
    }
}

fn state(e: &Typed) -> Option<EtnaStreamStateCode> {
    e.item(etna_result_stream_state, 0).map(|s| s.state)
}

fn describe(e: &Typed) -> String {
    match state(e) {
        Some(s) => format!("state {s}"),
        None => format!(
            "kind {}: {}",
            e.kind(),
            e.json().chars().take(80).collect::<String>()
        ),
    }
}

/// A simulator whose market runs 60 times faster: orders rest, fill and cancel within a test.
fn fast_market() -> Simulator {
    Simulator::start(SimConfig {
        speed: 60.0,
        ..SimConfig::default()
    })
    .unwrap()
}

/// A simulator whose quote streamer sends `quotes_per_s` quotes a second across what is
/// subscribed.
fn firehose(quotes_per_s: u32) -> Simulator {
    Simulator::start(SimConfig {
        quote_rate: quotes_per_s,
        ..SimConfig::default()
    })
    .unwrap()
}

/// A quote stream with nothing subscribed, its connected state taken.
fn quiet_quotes(s: &Session) -> Stream {
    let q = Stream::open(s, ETNA_STREAM_QUOTES);
    q.until(Duration::from_secs(5), |e| {
        state(e) == Some(ETNA_STREAM_STATE_CONNECTED)
    });
    q
}

fn alice(sim: &Simulator) -> Session {
    let s = Session::new(&sim.base_url(), APP_KEY).unwrap();
    s.set_timeouts(2000, 5000).unwrap();
    s.login("alice", "alice-pass").unwrap();
    s
}

#[test]
fn quotes_arrive_typed_after_a_connected_state() {
    let sim = start_sim();
    let s = alice(&sim);
    let q = Stream::open(&s, ETNA_STREAM_QUOTES);
    assert_eq!(
        state(&q.next(2000).unwrap()),
        Some(ETNA_STREAM_STATE_CONNECTED)
    );
    q.quotes("AAPL;MSFT");
    let (mut symbols, mut quotes) = (std::collections::BTreeSet::new(), 0);
    q.until(Duration::from_secs(10), |e| {
        let quote = e
            .item(etna_result_quote, 0)
            .expect("only quotes after connecting");
        assert_eq!(e.kind(), ETNA_KIND_QUOTE);
        // Every quote, the first of the stream's layout and those read by it, types what its
        // JSON says.
        types_its_json(quote);
        symbols.insert(text_of(quote.symbol).to_owned());
        quotes += 1;
        symbols.len() == 2 && quotes >= 6
    });
    assert_eq!(symbols.into_iter().collect::<Vec<_>>(), ["AAPL", "MSFT"]);
    let st = q.stats();
    assert!(st.received >= 2 && st.delivered >= 3 && st.last_message_age_ms >= 0);
}

/// Asserts that `quote` holds what its JSON says: its key, symbol and ten numbers to the bit.
fn types_its_json(quote: &EtnaQuote) {
    let json = text_of(quote.json);
    assert!(quote.bid > 0.0 && quote.bid < quote.ask, "{json}");
    assert!(quote.security_id > 0 && quote.time_ms > 0);
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let field = |name: &str| v[name].as_str().unwrap_or_else(|| panic!("{name}: {json}"));
    let number = |name: &str| field(name).parse::<f64>().unwrap().to_bits();
    assert_eq!(
        (quote.security_id.to_string(), text_of(quote.symbol)),
        (field("Key").to_owned(), field("Symbol"))
    );
    let typed = [
        quote.bid,
        quote.ask,
        quote.last,
        quote.bid_size,
        quote.ask_size,
        quote.volume,
        quote.open,
        quote.high,
        quote.low,
        quote.close,
    ];
    let names = [
        "Bid", "Ask", "Last", "BidSize", "AskSize", "Volume", "Open", "High", "Low", "Close",
    ];
    for (value, name) in typed.iter().zip(names) {
        assert_eq!(value.to_bits(), number(name), "{name}: {json}");
    }
}

/// Some of the broker's servers write `"EntityType": "Quote"`, a space after each colon and
/// comma: quotes and order events from such a streamer arrive typed as from one that does not.
#[test]
fn a_streamer_that_spaces_its_json_is_read_alike() {
    let sim = fast_market();
    sim.add_faults(r#"{"Rules":[{"Method":"WS","Kind":"SpacedJson"}]}"#)
        .unwrap();
    let s = alice(&sim);
    let q = Stream::open(&s, ETNA_STREAM_QUOTES);
    q.quotes("AAPL;MSFT");
    let mut quotes = 0;
    q.until(Duration::from_secs(10), |e| {
        let Some(quote) = e.item(etna_result_quote, 0) else {
            return false;
        };
        assert!(text_of(quote.json).contains(r#""Bid": ""#), "spaced");
        types_its_json(quote);
        quotes += 1;
        quotes >= 6
    });
    let d = Stream::open(&s, ETNA_STREAM_DATA);
    d.subscribe("Order", &CASH.to_string());
    std::thread::sleep(Duration::from_millis(200)); // the subscription reaches the streamer
    let order = r#"{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1,"Price":1,"ClientId":"spaced-1"}"#;
    s.typed(|o, e| unsafe { etna_place_order(s.0, CASH, c(order).as_ptr(), o, e) })
        .unwrap();
    d.until(Duration::from_secs(10), |e| {
        e.item(etna_result_order, 0)
            .is_some_and(|o| text_of(o.client_id) == "spaced-1" && o.security_id > 0)
    });
}

#[test]
fn an_orders_life_arrives_in_order_with_its_position_and_balances() {
    let sim = fast_market();
    let s = alice(&sim);
    let d = Stream::open(&s, ETNA_STREAM_DATA);
    for entity in ["Order", "Position", "AccountBalance"] {
        d.subscribe(entity, &CASH.to_string());
    }
    std::thread::sleep(Duration::from_millis(200)); // the subscriptions reach the streamer
    let order =
        r#"{"Symbol":"T","Type":"Market","Side":"Buy","Quantity":2500,"ClientId":"life-1"}"#;
    s.typed(|o, e| unsafe { etna_place_order(s.0, CASH, c(order).as_ptr(), o, e) })
        .unwrap();
    let (mut statuses, mut positions, mut balances) = (Vec::new(), 0, 0);
    d.until(Duration::from_secs(20), |e| {
        if let Some(o) = e.item(etna_result_order, 0) {
            assert_eq!(text_of(o.client_id), "life-1");
            statuses.push(o.status);
            return o.status == ETNA_ORDER_STATUS_FILLED;
        }
        positions += usize::from(e.item(etna_result_position, 0).is_some());
        balances += usize::from(e.kind() == ETNA_KIND_BALANCES);
        false
    });
    let first_fill = statuses
        .iter()
        .position(|s| *s == ETNA_ORDER_STATUS_PARTIALLY_FILLED);
    assert!(
        first_fill.is_some(),
        "a 2,500-share order fills in parts: {statuses:?}"
    );
    let rank = |s: i32| match s {
        ETNA_ORDER_STATUS_PENDING_NEW => 0,
        ETNA_ORDER_STATUS_NEW => 1,
        ETNA_ORDER_STATUS_PARTIALLY_FILLED => 2,
        ETNA_ORDER_STATUS_FILLED => 3,
        other => panic!("unexpected status {other}"),
    };
    assert!(
        statuses.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
        "in order: {statuses:?}"
    );
    // Positions and balances follow the fills (they may trail the last order event).
    d.until(Duration::from_secs(5), |e| {
        positions += usize::from(e.item(etna_result_position, 0).is_some());
        balances += usize::from(e.kind() == ETNA_KIND_BALANCES);
        positions > 0 && balances > 0
    });
}

/// A thread waiting in `etna_stream_next(-1)` on `st` until it fails: the stream state of each
/// event it took (`None` for data), the status that ended it, and when.
type Waited = (Vec<Option<EtnaStreamStateCode>>, EtnaStatus, Instant);

fn wait_in_next(st: &Arc<Stream>) -> std::thread::JoinHandle<Waited> {
    let st = st.clone();
    std::thread::spawn(move || {
        let mut states = Vec::new();
        loop {
            match st.next(-1) {
                Ok(e) => states.push(state(&e)),
                Err(code) => return (states, code, Instant::now()),
            }
        }
    })
}

#[test]
fn close_from_another_thread_wakes_a_blocked_next() {
    let sim = start_sim();
    let s = alice(&sim);
    let q = Arc::new(Stream::open(&s, ETNA_STREAM_QUOTES));
    assert_eq!(
        state(&q.next(2000).unwrap()),
        Some(ETNA_STREAM_STATE_CONNECTED)
    );
    let reader = wait_in_next(&q);
    std::thread::sleep(Duration::from_millis(200));
    let closed_at = Instant::now();
    let mut err = ptr::null_mut();
    assert_eq!(unsafe { etna_stream_close(q.0, &mut err) }, ETNA_OK);
    assert_eq!(
        unsafe { etna_stream_close(q.0, &mut err) },
        ETNA_OK,
        "closing twice is fine"
    );
    let (states, code, ended) = reader.join().unwrap();
    assert_eq!(code, ETNA_ERR_CANCELLED);
    assert_eq!(states, [Some(ETNA_STREAM_STATE_CLOSED)]);
    assert!(ended.duration_since(closed_at) < Duration::from_millis(200));
    let mut err = ptr::null_mut();
    let status =
        unsafe { etna_stream_subscribe(q.0, c("Quote").as_ptr(), c("1").as_ptr(), &mut err) };
    assert_eq!(
        crate::support::ffi::check(status, err).unwrap_err().code,
        ETNA_ERR_INVALID_STATE
    );
}

/// Waits for a reconnect: Reconnecting, Reconnected (and, on the data stream, a gap).
fn reconnected(stream: &Stream, data: bool, within: Duration) {
    let mut seen = Vec::new();
    stream.until(within, |e| {
        if let Some(s) = state(e).filter(|s| *s != ETNA_STREAM_STATE_CONNECTED) {
            seen.push(s);
        }
        let back = seen.contains(&ETNA_STREAM_STATE_RECONNECTED);
        back && (!data || seen.contains(&ETNA_STREAM_STATE_GAP))
    });
    assert!(
        seen.starts_with(&[ETNA_STREAM_STATE_RECONNECTING]),
        "{seen:?}"
    );
}

/// The subscribe commands each connection of `streamer` received, by connection.
fn subscribes(sim: &Simulator, streamer: &str) -> Vec<(u64, String)> {
    sim.stream_commands()
        .into_iter()
        .filter(|(s, _, text)| {
            *s == streamer && text.contains("Subscribe.txt") && !text.contains("Unsubscribe")
        })
        .map(|(_, conn, text)| (conn, text))
        .collect()
}

#[test]
fn every_stream_fault_is_recovered_with_subscriptions_replayed() {
    for (fault, streamer) in [
        (
            r#""Kind":"StreamClose","AfterMessages":3,"Times":1"#,
            "/data",
        ),
        (
            r#""Kind":"StreamClose","AfterMessages":3,"Times":1"#,
            "/quotes",
        ),
        (r#""Kind":"StreamSilent","Times":1"#, "/quotes"),
        (r#""Kind":"IgnorePings","Times":1"#, "/data"),
    ] {
        let sim = fast_market();
        let s = alice(&sim);
        let data = streamer == "/data";
        let st = Stream::open(
            &s,
            if data {
                ETNA_STREAM_DATA
            } else {
                ETNA_STREAM_QUOTES
            },
        );
        st.timing(300, 20, 200);
        if data {
            st.subscribe("Order", &CASH.to_string());
        } else {
            st.quotes("AAPL");
        }
        std::thread::sleep(Duration::from_millis(200));
        sim.add_faults(&format!(
            r#"{{"Rules":[{{"Method":"WS","Path":"{streamer}",{fault}}}]}}"#
        ))
        .unwrap();
        if data {
            // Order events to carry the connection past three messages.
            for i in 0..4 {
                let order = format!(
                    r#"{{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1,"Price":1,"ClientId":"f-{i}"}}"#
                );
                s.typed(|o, e| unsafe { etna_place_order(s.0, CASH, c(&order).as_ptr(), o, e) })
                    .unwrap();
            }
        }
        reconnected(&st, data, Duration::from_secs(10));
        // The replayed subscribe reaches the streamer just after the reconnect is announced.
        let until = Instant::now() + Duration::from_secs(2);
        let (mut replayed, mut connections) = (Vec::new(), std::collections::BTreeSet::new());
        while connections.len() < 2 && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
            replayed = subscribes(&sim, &streamer[1..]);
            connections = replayed.iter().map(|(conn, _)| *conn).collect();
        }
        assert!(
            connections.len() >= 2,
            "{fault}: subscriptions replayed on the new connection: {replayed:?}"
        );
        // And events flow again.
        if data {
            let order = r#"{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1,"Price":1,"ClientId":"after"}"#;
            s.typed(|o, e| unsafe { etna_place_order(s.0, CASH, c(order).as_ptr(), o, e) })
                .unwrap();
            st.until(Duration::from_secs(5), |e| {
                e.item(etna_result_order, 0)
                    .is_some_and(|o| text_of(o.client_id) == "after")
            });
        } else {
            st.until(Duration::from_secs(5), |e| e.kind() == ETNA_KIND_QUOTE);
        }
        assert!(st.stats().reconnects >= 1, "{fault}");
    }
}

#[test]
fn a_refused_session_is_retried_until_the_streamer_accepts_it() {
    let sim = start_sim();
    let s = alice(&sim);
    let q = Stream::open(&s, ETNA_STREAM_QUOTES);
    q.timing(300, 20, 100);
    q.quotes("AAPL");
    sim.add_faults(r#"{"Rules":[{"Method":"WS","Path":"/quotes","Kind":"RefuseSession","Times":2},{"Method":"WS","Path":"/quotes","Kind":"StreamClose","AfterMessages":1,"Times":1}]}"#)
        .unwrap();
    reconnected(&q, false, Duration::from_secs(10));
    assert!(
        sim.stream_connections().0 >= 4,
        "the first, two refused, the accepted"
    );
}

#[test]
fn a_reader_far_slower_than_the_quotes_keeps_memory_bounded() {
    let sim = firehose(20_000);
    let s = alice(&sim);
    let q = Stream::open(&s, ETNA_STREAM_QUOTES);
    q.quotes("AAPL;MSFT;NVDA");
    std::thread::sleep(Duration::from_secs(2));
    let st = q.stats();
    assert!(st.received > 10_000, "{}", st.received);
    assert!(
        st.conflated > 5_000,
        "the caller fell behind: {}",
        st.conflated
    );
    assert!(st.queued < 1100, "bounded: {} queued", st.queued);
    // Whatever waits is the newest quote of each security, in order.
    let mut taken = 0;
    while q.next(0).is_ok() {
        taken += 1;
    }
    assert!(taken as u64 >= st.queued.min(1000));
}

#[test]
fn an_expired_token_is_renewed_on_reconnect_or_fails_the_stream_without_auto_relogin() {
    for auto in [true, false] {
        let sim = start_sim();
        // Tokens issued from now on live one second.
        sim.add_faults(r#"{"Rules":[{"Kind":"ExpireTokens","AfterSeconds":1}]}"#)
            .unwrap();
        let s = alice(&sim);
        if auto {
            s.unit(|e| unsafe { etna_session_set_auto_relogin(s.0, 1, e) })
                .unwrap();
            s.login("alice", "alice-pass").unwrap();
        }
        let d = Stream::open(&s, ETNA_STREAM_DATA);
        d.timing(300, 20, 100);
        d.subscribe("Order", &CASH.to_string());
        std::thread::sleep(Duration::from_millis(1300)); // the token is dead now
        sim.add_faults(
            r#"{"Rules":[{"Method":"WS","Path":"/data","Kind":"StreamClose","Times":1}]}"#,
        )
        .unwrap();
        if auto {
            reconnected(&d, true, Duration::from_secs(10));
        } else {
            d.until(Duration::from_secs(10), |e| {
                state(e) == Some(ETNA_STREAM_STATE_FAILED)
            });
            assert_eq!(d.next(1000).err(), Some(ETNA_ERR_NOT_AUTHENTICATED));
        }
    }
}

#[test]
fn a_stream_outlives_its_session_handle_and_misuse_is_refused() {
    let sim = start_sim();
    let s = alice(&sim);
    let q = Stream::open(&s, ETNA_STREAM_QUOTES);
    drop(s); // etna_session_free
    q.quotes("AAPL");
    q.until(Duration::from_secs(5), |e| e.kind() == ETNA_KIND_QUOTE);
    drop(q);

    let s = alice(&sim);
    let (mut out, mut err) = (ptr::null_mut(), ptr::null_mut());
    let status = unsafe { etna_stream_open(s.0, 7, &mut out, &mut err) };
    assert_eq!(
        crate::support::ffi::check(status, err).unwrap_err().code,
        ETNA_ERR_INVALID_ARGUMENT
    );
    let status = unsafe {
        etna_stream_open(
            s.0,
            ETNA_STREAM_QUOTES | ETNA_STREAM_LOGIN_FORM,
            &mut out,
            &mut err,
        )
    };
    assert_eq!(
        crate::support::ffi::check(status, err).unwrap_err().code,
        ETNA_ERR_INVALID_STATE
    );
    let q = Stream::open(&s, ETNA_STREAM_QUOTES);
    let mut err = ptr::null_mut();
    for (entity, keys) in [("Order", "1001"), ("Teleport", "1"), ("Quote", " ; ")] {
        let status =
            unsafe { etna_stream_subscribe(q.0, c(entity).as_ptr(), c(keys).as_ptr(), &mut err) };
        assert_eq!(
            crate::support::ffi::check(status, err).unwrap_err().code,
            ETNA_ERR_INVALID_ARGUMENT,
            "{entity}"
        );
        err = ptr::null_mut();
    }
    let mut small: EtnaStreamStats = unsafe { std::mem::zeroed() };
    let status = unsafe { etna_stream_stats(q.0, &mut small, &mut err) };
    assert_eq!(
        crate::support::ffi::check(status, err).unwrap_err().code,
        ETNA_ERR_INVALID_ARGUMENT
    );
    unsafe {
        assert_eq!(
            etna_stream_close(ptr::null(), ptr::null_mut()),
            ETNA_ERR_NULL_ARGUMENT
        );
        etna_stream_free(ptr::null_mut());
    }
}

#[test]
fn the_login_form_and_the_stream_keep_secrets_out_of_logs() {
    let sim = start_sim();
    let s = alice(&sim);
    s.unit(|e| unsafe { etna_session_set_auto_relogin(s.0, 1, e) })
        .unwrap();
    s.login("alice", "alice-pass").unwrap();
    let logs = crate::support::logs::Logs::attach(&s);
    let q = Stream::open(&s, ETNA_STREAM_QUOTES | ETNA_STREAM_LOGIN_FORM);
    q.quotes("AAPL");
    q.until(Duration::from_secs(5), |e| e.kind() == ETNA_KIND_QUOTE);
    sim.add_faults(r#"{"Rules":[{"Method":"WS","Path":"/quotes","Kind":"StreamClose","AfterMessages":0,"Times":1}]}"#)
        .unwrap();
    q.timing(300, 20, 100);
    reconnected(&q, false, Duration::from_secs(10));
    let lines = logs.lines();
    assert!(
        lines.iter().any(|l| l.contains("stream connected")),
        "{lines:?}"
    );
    crate::support::logs::Secrets::of(&sim).assert_absent(&lines, "stream logs");
}

#[test]
fn a_connection_the_streamer_cuts_for_falling_behind_is_replaced() {
    let sim = firehose(400_000);
    let s = alice(&sim);
    let q = Stream::open(&s, ETNA_STREAM_QUOTES);
    q.timing(300, 20, 100);
    q.quotes("AAPL;MSFT;NVDA");
    // The streamer cuts a reader as soon as a byte waits unsent: at this rate, at once.
    sim.add_faults(
        r#"{"Rules":[{"Method":"WS","Path":"/quotes","Kind":"CutSlowReader","BacklogBytes":1,"Times":1}]}"#,
    )
    .unwrap();
    reconnected(&q, false, Duration::from_secs(15));
    q.until(Duration::from_secs(5), |e| e.kind() == ETNA_KIND_QUOTE);
}

/// A caller that keeps up reads the connection on its own thread; one that pauses longer than a
/// few milliseconds leaves it to the I/O thread again. Across those hand-overs, and with a
/// second thread taking events at the same time, every order event arrives once, and each
/// reader sees an order's events in their order.
#[test]
fn readers_that_pause_or_share_a_stream_see_every_order_event_once() {
    let sim = fast_market();
    let s = alice(&sim);
    let d = Arc::new(Stream::open(&s, ETNA_STREAM_DATA));
    d.subscribe("Order", &CASH.to_string());
    std::thread::sleep(Duration::from_millis(200)); // the subscription reaches the streamer
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    // (reader, client id, status) of every order event, in each reader's order.
    let readers: Vec<_> = [25u64, 0]
        .into_iter()
        .enumerate()
        .map(|(who, pause_ms)| {
            let (d, done) = (d.clone(), done.clone());
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                while !done.load(std::sync::atomic::Ordering::Acquire) {
                    let Ok(e) = d.next(if pause_ms > 0 { 20 } else { 0 }) else {
                        continue;
                    };
                    if let Some(o) = e.item(etna_result_order, 0) {
                        seen.push((who, text_of(o.client_id).to_owned(), o.status));
                        if pause_ms > 0 && seen.len() % 3 == 0 {
                            std::thread::sleep(Duration::from_millis(pause_ms));
                        }
                    }
                }
                seen
            })
        })
        .collect();
    let orders = 12;
    let mut ids = Vec::new();
    for n in 0..orders {
        let order = format!(
            r#"{{"Symbol":"AAPL","Type":"Limit","Price":1.0,"Side":"Buy","Quantity":1,"ClientId":"share-{n}"}}"#
        );
        let placed = s
            .typed(|o, e| unsafe { etna_place_order(s.0, CASH, c(&order).as_ptr(), o, e) })
            .unwrap();
        ids.push(placed.item(etna_result_order, 0).unwrap().id);
        std::thread::sleep(Duration::from_millis(15));
    }
    std::thread::sleep(Duration::from_millis(300)); // the orders rest at the broker
    for id in ids {
        let mut err = ptr::null_mut();
        let status = unsafe { etna_cancel_order(s.0, CASH, id, &mut err) };
        crate::support::ffi::check(status, err).unwrap();
        std::thread::sleep(Duration::from_millis(15));
    }
    std::thread::sleep(Duration::from_secs(1)); // the last events reach the readers
    done.store(true, std::sync::atomic::Ordering::Release);
    let seen: Vec<_> = readers
        .into_iter()
        .flat_map(|r| r.join().unwrap())
        .collect();
    let rank = |s: i32| match s {
        ETNA_ORDER_STATUS_PENDING_NEW => 0,
        ETNA_ORDER_STATUS_NEW => 1,
        ETNA_ORDER_STATUS_PENDING_CANCEL => 2,
        ETNA_ORDER_STATUS_CANCELED => 3,
        other => panic!("unexpected status {other}"),
    };
    for who in 0..2 {
        assert!(
            seen.iter().any(|(w, _, _)| *w == who),
            "reader {who} saw none"
        );
    }
    for n in 0..orders {
        let id = format!("share-{n}");
        let mut statuses: Vec<i32> = seen
            .iter()
            .filter(|(_, c, _)| *c == id)
            .map(|&(_, _, s)| s)
            .collect();
        for who in 0..2 {
            let mine: Vec<i32> = seen
                .iter()
                .filter(|(w, c, _)| *w == who && *c == id)
                .map(|&(_, _, s)| rank(s))
                .collect();
            assert!(mine.is_sorted(), "{id}, reader {who}: {mine:?}");
        }
        // The simulator publishes an order's state each time it changes (a pending state may
        // be passed before it is published): each status at most once, and the last one.
        statuses.sort_by_key(|&s| rank(s));
        let before = statuses.len();
        statuses.dedup();
        assert_eq!(statuses.len(), before, "{id}: an event twice: {seen:?}");
        assert_eq!(statuses.last(), Some(&ETNA_ORDER_STATUS_CANCELED), "{id}");
        assert!(
            statuses.len() >= 2,
            "{id}: placed and canceled: {statuses:?}"
        );
    }
    let st = d.stats();
    // Nothing left behind: every message delivered, and the connected state besides.
    assert_eq!((st.queued, st.delivered), (0, st.received + 1));
}

/// Four threads take quotes from one busy stream at once, with every kind of timeout: the
/// connection passes between them (and the I/O thread) thousands of times a second, and each
/// message is read by one thread at a time and handed out once: what the threads took adds up
/// to what the stream says it delivered, nothing comes garbled, and closing ends every thread.
#[test]
fn threads_sharing_a_busy_quote_stream_each_take_whole_messages() {
    let sim = firehose(100_000);
    let s = alice(&sim);
    let q = Arc::new(Stream::open(&s, ETNA_STREAM_QUOTES));
    q.quotes("AAPL;MSFT;NVDA");
    let readers: Vec<_> = [0, 1, 5, -1]
        .into_iter()
        .map(|timeout| {
            let q = q.clone();
            std::thread::spawn(move || {
                let (mut quotes, mut states) = (0u64, 0u64);
                loop {
                    match q.next(timeout) {
                        Ok(e) if e.kind() == ETNA_KIND_QUOTE => {
                            let quote = e.item(etna_result_quote, 0).unwrap();
                            assert!(quote.bid > 0.0 && e.json().ends_with('}'), "{}", e.json());
                            quotes += 1;
                        }
                        Ok(_) => states += 1,
                        Err(ETNA_ERR_TIMEOUT) => {}
                        Err(ETNA_ERR_CANCELLED) => return (quotes, states),
                        Err(other) => panic!("status {other} with timeout {timeout}"),
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    let mut err = ptr::null_mut();
    unsafe { etna_stream_close(q.0, &mut err) };
    let taken: Vec<(u64, u64)> = readers.into_iter().map(|r| r.join().unwrap()).collect();
    let quotes: u64 = taken.iter().map(|t| t.0).sum();
    let events = quotes + taken.iter().map(|t| t.1).sum::<u64>();
    let st = q.stats();
    assert!(quotes > 10_000, "{taken:?}");
    assert!(
        taken.iter().filter(|t| t.0 > 0).count() >= 2,
        "the connection went round: {taken:?}"
    );
    assert_eq!(events, st.delivered, "{taken:?}");
    assert!(st.received >= quotes && st.queued == 0, "{taken:?}");
}

/// On a stream with nothing to send, `etna_stream_next` gives `ETNA_ERR_TIMEOUT` when its time
/// is up: at once for 0, and after the time asked for waits shorter and longer than the
/// socket's own read timeout (whichever thread holds the connection when the call starts).
#[test]
fn a_quiet_stream_times_out_when_asked() {
    let sim = start_sim();
    let s = alice(&sim);
    let q = quiet_quotes(&s);
    for (ms, most) in [(0, 200), (20, 500), (120, 1000), (0, 200), (75, 1000)] {
        let started = Instant::now();
        assert_eq!(q.next(ms).err(), Some(ETNA_ERR_TIMEOUT), "{ms} ms");
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(ms as u64) && took < Duration::from_millis(most),
            "{ms} ms took {took:?}"
        );
    }
}

/// How long each of `rounds` commands on `stream`, subscribes and unsubscribes of `entity`
/// `key` in turn, took to reach `streamer` (`"quotes"` or `"data"`) as the simulator, which
/// looks every 5 ms, recorded them, shortest first. Each goes 30 ms after the one before: a
/// moment for whoever reads the connection to settle into its wait.
fn command_delays(
    sim: &Simulator,
    streamer: &str,
    stream: &Stream,
    (entity, key): (&str, &str),
    rounds: usize,
) -> Vec<Duration> {
    let commands = || {
        sim.stream_commands()
            .iter()
            .filter(|(s, _, text)| *s == streamer && text.contains("ubscribe.txt"))
            .count()
    };
    let before = commands();
    let mut took = Vec::new();
    for i in 0..rounds {
        std::thread::sleep(Duration::from_millis(30));
        let started = Instant::now();
        if i % 2 == 0 {
            stream.subscribe(entity, key);
        } else {
            stream.unsubscribe(entity, key);
        }
        while commands() < before + i + 1 {
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "command {i} never came"
            );
            std::thread::sleep(Duration::from_micros(200));
        }
        took.push(started.elapsed());
    }
    took.sort();
    took
}

/// A subscribe made while the I/O thread waits on a quiet connection reaches the streamer at
/// once, not when that wait would have ended (50 ms): the median of ten subscribes and
/// unsubscribes is under 15 ms.
#[test]
fn a_subscribe_on_a_quiet_stream_goes_out_at_once() {
    let sim = start_sim();
    let s = alice(&sim);
    let q = quiet_quotes(&s);
    let took = command_delays(&sim, "quotes", &q, ("Quote", "2"), 10);
    assert!(took[4] < Duration::from_millis(15), "{took:?}");
}

/// While one thread waits in `etna_stream_next` on a quiet stream (reading the connection
/// itself), another thread's subscribe goes out within that thread's next look at the outbox,
/// 10 ms at most, rather than the 50 ms it took before: the median of twenty subscribes and
/// unsubscribes of the data stream is under 15 ms, and the waiting thread saw no event.
#[test]
fn a_subscribe_while_another_thread_waits_on_a_quiet_stream_goes_out_soon() {
    let sim = start_sim();
    let s = alice(&sim);
    let d = Arc::new(Stream::open(&s, ETNA_STREAM_DATA));
    d.until(Duration::from_secs(5), |e| {
        state(e) == Some(ETNA_STREAM_STATE_CONNECTED)
    });
    let waiting = wait_in_next(&d);
    let took = command_delays(&sim, "data", &d, ("Order", &CASH.to_string()), 20);
    unsafe { etna_stream_close(d.0, ptr::null_mut()) };
    let (states, code, _) = waiting.join().unwrap();
    assert_eq!(code, ETNA_ERR_CANCELLED);
    assert_eq!(
        states,
        [Some(ETNA_STREAM_STATE_CLOSED)],
        "nothing reached the waiting thread before the close"
    );
    assert!(took[9] < Duration::from_millis(15), "{took:?}");
}
