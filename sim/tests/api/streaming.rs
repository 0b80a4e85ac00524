//! The quote and data streamers, over real WebSocket connections (tungstenite as the client):
//! both `CreateSession.txt` forms and their failures, commands and their answers, quotes,
//! order, position and balance events driven by the ticker, Pings, stream faults, the
//! firehose, and what the simulator records.

use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use etna_sim::{SimConfig, Simulator};
use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

use crate::support::*;

pub type Ws = WebSocket<TcpStream>;

/// alice's user id.
pub const ALICE: i64 = 101;

/// Percent-encodes a query value.
fn encode(text: &str) -> String {
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

/// Opens `CreateSession.txt` on a streamer; the socket reads with a short timeout so that
/// helpers can wait with deadlines.
fn open(base: &str, user: &str, password: &str) -> Ws {
    let url = format!(
        "{base}/CreateSession.txt?User={}&Password={}&HttpClientType=WebSocket",
        encode(user),
        encode(password)
    );
    let stream = TcpStream::connect(base.trim_start_matches("ws://")).unwrap();
    stream.set_nodelay(true).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let (ws, _) = tungstenite::client(url.as_str(), stream).unwrap();
    ws
}

/// Opens a session and returns it with the first message, which must be the session's.
fn create(base: &str, user: &str, password: &str) -> (Ws, Value) {
    let mut ws = open(base, user, password);
    let first = next_text(&mut ws, Duration::from_secs(10)).expect("a CreateSession answer");
    assert_eq!(first["Cmd"], "CreateSession.txt", "{first}");
    (ws, first)
}

/// A session that must succeed; its `SessionId`.
#[track_caller]
pub fn session(base: &str, user: &str, password: &str) -> (Ws, String) {
    let (ws, first) = create(base, user, password);
    assert_eq!(first["StatusCode"], "Ok", "{first}");
    let id = first["SessionId"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "{first}");
    (ws, id)
}

/// A session that must be refused: `Error`, then a normal close.
#[track_caller]
fn refused(base: &str, user: &str, password: &str) {
    let (mut ws, first) = create(base, user, password);
    assert_eq!(
        first,
        json!({"Cmd":"CreateSession.txt","StatusCode":"Error"}),
        "{user}"
    );
    match next_frame(&mut ws, Duration::from_secs(5)) {
        Some(Message::Close(Some(frame))) => {
            assert_eq!(
                frame.code,
                tungstenite::protocol::frame::coding::CloseCode::Normal
            )
        }
        other => panic!("wanted a normal close after Error, got {other:?}"),
    }
}

fn is_timeout(e: &tungstenite::Error) -> bool {
    matches!(e, tungstenite::Error::Io(io) if matches!(io.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut))
}

/// The next frame of any kind within `within` (`None` on timeout); panics when the
/// connection broke.
fn next_frame(ws: &mut Ws, within: Duration) -> Option<Message> {
    let deadline = Instant::now() + within;
    loop {
        match ws.read() {
            Ok(message) => return Some(message),
            Err(e) if is_timeout(&e) => {
                if Instant::now() >= deadline {
                    return None;
                }
            }
            Err(e) => panic!("the connection broke: {e}"),
        }
    }
}

/// The next text frame as JSON, within `within`.
pub fn next_text(ws: &mut Ws, within: Duration) -> Option<Value> {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match next_frame(ws, left)? {
            Message::Text(text) => {
                return Some(serde_json::from_str(text.as_str()).expect("JSON text frames"));
            }
            Message::Close(frame) => panic!("closed: {frame:?}"),
            _ => {}
        }
    }
}

/// The next data message (one with `EntityType`), skipping control messages.
pub fn next_data(ws: &mut Ws, within: Duration) -> Option<Value> {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let v = next_text(ws, left)?;
        if v.get("EntityType").is_some() {
            return Some(v);
        }
    }
}

/// The next control message other than a Ping.
#[track_caller]
fn next_answer(ws: &mut Ws) -> Value {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let v = next_text(ws, left).expect("an answer within 5 s");
        if v.get("Cmd").is_some() && v["Cmd"] != "Ping" {
            return v;
        }
    }
}

fn send_text(ws: &mut Ws, text: &str) {
    ws.send(Message::text(text)).unwrap();
}

fn command(cmd: &str, session: &str, entity: &str, keys: &str) -> String {
    json!({"Cmd":cmd,"SessionId":session,"Keys":keys,"EntityType":entity,"HttpClientType":"WebSocket"})
        .to_string()
}

/// Sends a command and returns its answer's `StatusCode`.
#[track_caller]
pub fn ask(ws: &mut Ws, cmd: &str, session: &str, entity: &str, keys: &str) -> String {
    send_text(ws, &command(cmd, session, entity, keys));
    let answer = next_answer(ws);
    assert_eq!(answer["Cmd"], cmd, "{answer}");
    answer["StatusCode"].as_str().unwrap().to_string()
}

#[track_caller]
pub fn subscribe(ws: &mut Ws, session: &str, entity: &str, keys: &str) {
    assert_eq!(ask(ws, "Subscribe.txt", session, entity, keys), "Ok");
}

/// alice's quote session id (from `GET streamers`) and a data one (recover type 0), with the
/// token they go with.
pub fn alice_sessions(api: &Api) -> (String, String) {
    let quote = api.ok("streamers")["QuoteAddresses"][0]["SessionId"]
        .as_str()
        .unwrap()
        .to_string();
    let data = api.with_body("PUT", "streamers/session/recover?sessionType=0", "");
    assert_eq!(data.status, 200, "{}", data.text);
    (quote, data.json()["Id"].as_str().unwrap().to_string())
}

pub fn bearer_token(sim: &Simulator) -> String {
    alice_token(sim)
}

fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// A string field as a number.
#[track_caller]
pub fn field(v: &Value, key: &str) -> f64 {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no string {key} in {v}"))
        .parse()
        .unwrap_or_else(|_| panic!("{key} is not a number in {v}"))
}

fn market_sim(config: SimConfig) -> Simulator {
    Simulator::start(SimConfig {
        start: etna_sim::parse_instant("2026-03-04T15:00:00Z"),
        ..config
    })
    .unwrap()
}

#[test]
fn streamers_are_listed_with_their_real_ports() {
    let sim = market_sim(SimConfig::default());
    let api = Api::alice(&sim);
    let s = api.ok("streamers");
    assert_eq!(s["QuoteAddresses"][0]["Url"], sim.quote_streamer_url());
    assert_eq!(s["QuoteAddresses"][0]["Type"], "Delayed");
    assert_eq!(s["DataAddresses"][0]["Url"], sim.data_streamer_url());
    assert_eq!(s["DataAddresses"][0]["Type"], "Delayed");
    assert_ne!(sim.quote_streamer_url(), sim.data_streamer_url());
    assert!(sim.quote_streamer_url().starts_with("ws://127.0.0.1:"));
    // A path other than CreateSession.txt is not a streamer resource.
    let url = format!("{}/Other.txt", sim.quote_streamer_url());
    let stream = TcpStream::connect(sim.quote_streamer_url().trim_start_matches("ws://")).unwrap();
    match tungstenite::client(url.as_str(), stream) {
        Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(response))) => {
            assert_eq!(response.status(), 404)
        }
        other => panic!("wanted 404, got {:?}", other.map(|_| ())),
    }
    assert_eq!(sim.stream_connections(), (0, 0));
}

#[test]
fn login_form_opens_sessions_for_users_who_can_sign_in() {
    let sim = market_sim(SimConfig::default());
    let (_ws, id) = session(&sim.quote_streamer_url(), "alice", "alice-pass");
    let (_ws2, id2) = session(&sim.data_streamer_url(), "bob", "bob-pass");
    assert_ne!(id, id2);
    refused(&sim.quote_streamer_url(), "alice", "wrong");
    refused(&sim.quote_streamer_url(), "nobody", "alice-pass");
    refused(&sim.data_streamer_url(), "dave", "dave-pass");
    refused(&sim.data_streamer_url(), "erin", "erin-pass");
    assert_eq!(sim.stream_connections(), (3, 3));
}

#[test]
fn session_form_needs_an_id_issued_for_that_streamer_and_a_live_token() {
    let sim = market_sim(SimConfig::default());
    let api = Api::alice(&sim);
    let token = bearer_token(&sim);
    let (quote_id, data_id) = alice_sessions(&api);
    let user = |id: &str| format!("{ALICE}:{id}");
    let (quotes, data) = (sim.quote_streamer_url(), sim.data_streamer_url());

    session(&quotes, &user(&quote_id), &token);
    session(&data, &user(&data_id), &token);
    // Recovering a quote session gives another usable id.
    let recovered = api.with_body("PUT", "streamers/session/recover?sessionType=1", "");
    let recovered = recovered.json()["Id"].as_str().unwrap().to_string();
    session(&quotes, &user(&recovered), &token);

    // An id of the other streamer, an unknown id, another user's id, a wrong token.
    refused(&data, &user(&quote_id), &token);
    refused(&quotes, &user(&data_id), &token);
    refused(
        &quotes,
        &user("00000000-0000-0000-0000-000000000000"),
        &token,
    );
    refused(&quotes, &format!("103:{quote_id}"), &token);
    refused(&quotes, &user(&quote_id), "not-a-token");
    refused(&quotes, &user(&quote_id), "");

    // An expired token fails (as libetna's re-login expects).
    sim.add_faults(r#"{"Rules":[{"Kind":"ExpireTokens","AfterSeconds":0.2}]}"#)
        .unwrap();
    let short = bearer_token(&sim);
    session(&quotes, &user(&quote_id), &short);
    std::thread::sleep(Duration::from_millis(400));
    refused(&quotes, &user(&quote_id), &short);
}

#[test]
fn commands_are_answered_and_checked() {
    let sim = market_sim(SimConfig::default());
    let api = Api::alice(&sim);
    let (mut q, qs) = session(&sim.quote_streamer_url(), "alice", "alice-pass");
    assert_eq!(ask(&mut q, "Subscribe.txt", &qs, "Quote", "1;7"), "Ok");
    assert_eq!(ask(&mut q, "Unsubscribe.txt", &qs, "Quote", "7"), "Ok");
    assert_eq!(ask(&mut q, "Subscribe.txt", "wrong", "Quote", "1"), "Error");
    assert_eq!(ask(&mut q, "Subscribe.txt", &qs, "Trade", "1"), "Error");
    assert_eq!(ask(&mut q, "Subscribe.txt", &qs, "Order", "1001"), "Error");
    assert_eq!(ask(&mut q, "Subscribe.txt", &qs, "Quote", "1;999"), "Error");
    assert_eq!(ask(&mut q, "Subscribe.txt", &qs, "Quote", ""), "Error");
    assert_eq!(ask(&mut q, "Unsubscribe.txt", &qs, "Quote", "x"), "Error");
    send_text(&mut q, r#"{"Cmd":"Explode.txt"}"#);
    assert_eq!(
        next_answer(&mut q),
        json!({"Cmd":"Explode.txt","StatusCode":"Error"})
    );

    let (mut d, ds) = session(&sim.data_streamer_url(), "alice", "alice-pass");
    for (entity, key) in [
        ("Order", "1001;1002"),
        ("Position", "1001"),
        ("AccountBalance", "1002"),
        ("UserBalance", "101"),
        ("Watchlist", "101"),
    ] {
        assert_eq!(
            ask(&mut d, "Subscribe.txt", &ds, entity, key),
            "Ok",
            "{entity}"
        );
    }
    // Another user's account, user or list; a quote on the data streamer.
    assert_eq!(ask(&mut d, "Subscribe.txt", &ds, "Order", "1003"), "Error");
    assert_eq!(
        ask(&mut d, "Subscribe.txt", &ds, "Order", "1001;1003"),
        "Error"
    );
    assert_eq!(
        ask(&mut d, "Subscribe.txt", &ds, "UserBalance", "102"),
        "Error"
    );
    assert_eq!(ask(&mut d, "Subscribe.txt", &ds, "Quote", "1"), "Error");
    let lists = api.ok("users/@me/watchlists");
    let mine = lists[0]["Id"].as_i64().unwrap();
    let key = mine.to_string();
    assert_eq!(
        ask(&mut d, "Subscribe.txt", &ds, "WatchlistContent", &key),
        "Ok"
    );
    let other = (mine + 1).to_string();
    assert_eq!(
        ask(&mut d, "Subscribe.txt", &ds, "WatchlistContent", &other),
        "Error"
    );
    assert_eq!(ask(&mut d, "Unsubscribe.txt", &ds, "Order", "1002"), "Ok");

    // Everything received is recorded, by streamer and connection number.
    let commands = sim.stream_commands();
    let subscribe = command("Subscribe.txt", &qs, "Quote", "1;7");
    assert_eq!(commands[0], ("quotes", 1, subscribe));
    assert!(
        commands
            .iter()
            .any(|(s, n, t)| *s == "data" && *n == 1 && t.contains("\"UserBalance\""))
    );
    assert!(
        commands
            .iter()
            .any(|(_, _, t)| t == r#"{"Cmd":"Explode.txt"}"#)
    );
    assert_eq!(sim.stream_connections(), (1, 1));
}

#[test]
fn quotes_arrive_as_strings_with_bid_below_ask() {
    let sim = market_sim(SimConfig {
        speed: 10.0,
        ..SimConfig::default()
    });
    let (mut ws, id) = session(&sim.quote_streamer_url(), "alice", "alice-pass");
    subscribe(&mut ws, &id, "Quote", "1;29");
    let mut seen = std::collections::BTreeMap::new();
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        let Some(q) = next_data(&mut ws, Duration::from_secs(2)) else {
            break;
        };
        assert_eq!(q["EntityType"], "Quote");
        let fields = q.as_object().unwrap();
        assert!(fields.values().all(Value::is_string), "{q}");
        for name in [
            "Key",
            "Symbol",
            "Bid",
            "Ask",
            "Last",
            "BidSize",
            "AskSize",
            "Volume",
            "Open",
            "High",
            "Low",
            "Close",
            "Date",
            "SimSentNs",
        ] {
            assert!(fields.contains_key(name), "no {name} in {q}");
        }
        assert!(field(&q, "Bid") < field(&q, "Ask"), "{q}");
        assert!(
            field(&q, "Bid") > 0.0 && field(&q, "BidSize") >= 100.0,
            "{q}"
        );
        assert!(field(&q, "Low") <= field(&q, "Bid"), "{q}");
        assert!(field(&q, "High") >= field(&q, "Ask"), "{q}");
        let date = q["Date"].as_str().unwrap();
        let b = date.as_bytes();
        assert_eq!(date.len(), 19, "{date}");
        assert!(date.starts_with("03/04/2026 15:0"), "{date}");
        assert_eq!(
            (b[2], b[5], b[10], b[13], b[16]),
            (b'/', b'/', b' ', b':', b':')
        );
        let sent: u128 = q["SimSentNs"].as_str().unwrap().parse().unwrap();
        let now = now_ns();
        assert!(sent <= now && now - sent < 5_000_000_000, "{sent} vs {now}");
        *seen
            .entry(q["Key"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    assert_eq!(seen.keys().collect::<Vec<_>>(), ["1", "29"], "{seen:?}");
    // Each security about every 200 ms while it moves, every second anyway.
    assert!(seen.values().all(|&n| (3..=20).contains(&n)), "{seen:?}");
    // After unsubscribing, quotes stop.
    assert_eq!(ask(&mut ws, "Unsubscribe.txt", &id, "Quote", "1;29"), "Ok");
    std::thread::sleep(Duration::from_millis(50));
    while next_data(&mut ws, Duration::from_millis(100)).is_some() {}
    assert!(next_data(&mut ws, Duration::from_millis(1200)).is_none());
}

#[test]
fn a_large_market_order_streams_its_states_position_and_balances() {
    let sim = market_sim(SimConfig {
        speed: 60.0,
        ..SimConfig::default()
    });
    let api = Api::alice(&sim);
    let token = bearer_token(&sim);
    let (_, data_id) = alice_sessions(&api);
    let (mut ws, id) = session(
        &sim.data_streamer_url(),
        &format!("{ALICE}:{data_id}"),
        &token,
    );
    for entity in ["Order", "Position", "AccountBalance"] {
        subscribe(&mut ws, &id, entity, "1001");
    }
    subscribe(&mut ws, &id, "UserBalance", "101");
    let placed = api.place(
        1001,
        r#"{"Symbol":"F","Type":"Market","Side":"Buy","Quantity":1500,"ClientId":"stream-1"}"#,
    );
    let order_id = placed["Id"].as_i64().unwrap().to_string();

    let (mut orders, mut positions, mut balances, mut users) = (vec![], vec![], vec![], vec![]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline
        && !(orders.iter().any(|o: &Value| o["Status"] == "2") && users.len() >= 2)
    {
        let Some(m) = next_data(&mut ws, Duration::from_secs(1)) else {
            continue;
        };
        assert!(m.as_object().unwrap().values().all(Value::is_string), "{m}");
        match m["EntityType"].as_str().unwrap() {
            "Order" => orders.push(m),
            "Position" => positions.push(m),
            "AccountBalance" => balances.push(m),
            "UserBalance" => users.push(m),
            other => panic!("unexpected {other}: {m}"),
        }
    }
    let statuses: Vec<&str> = orders
        .iter()
        .map(|o| o["Status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["0", "1", "2"], "{orders:?}");
    for o in &orders {
        assert_eq!(
            (o["Key"].as_str(), o["Id"].as_str()),
            (Some("1001"), Some(order_id.as_str()))
        );
        assert_eq!(o["ClientId"], "stream-1");
        assert_eq!(o["Symbol"], "F");
        assert_eq!(o["Quantity"], "1500.00000");
        assert_eq!(o["DateOffset"], "0");
        let created: i64 = o["CreateDate"].as_str().unwrap().parse().unwrap();
        assert!(created > 1_772_600_000_000, "{o}");
        let _: i64 = o["TransactionDate"].as_str().unwrap().parse().unwrap();
    }
    let executed: Vec<f64> = orders
        .iter()
        .map(|o| field(o, "ExecutedQuantity"))
        .collect();
    assert_eq!(executed, [0.0, 1000.0, 1500.0]);
    assert_eq!(field(&orders[1], "LeavesQuantity"), 500.0);
    assert_eq!(field(&orders[2], "LeavesQuantity"), 0.0);

    // alice held 200 F: one Position message per fill.
    let held: Vec<f64> = positions.iter().map(|p| field(p, "Quantity")).collect();
    assert_eq!(held, [1200.0, 1700.0], "{positions:?}");
    assert_eq!(positions[0]["Symbol"], "F");

    assert_eq!(balances.len(), 2, "{balances:?}");
    let items = balances[1]["Items"].as_str().expect("Items is a string");
    let items: Vec<Value> = serde_json::from_str(items).unwrap();
    let cash = items.iter().find(|i| i["Name"] == "cash").expect("cash");
    let cash: f64 = cash["Value"].as_str().unwrap().parse().unwrap();
    assert_money(cash, num(&api.info(1001), "cash"));
    assert!(items.iter().any(|i| i["Name"] == "dayTradingBuyingPower"));
    assert_eq!(users.len(), 2, "{users:?}");
    assert_eq!(users[0]["Key"], "101");
    let total: Vec<Value> = serde_json::from_str(users[1]["Items"].as_str().unwrap()).unwrap();
    let total_cash: f64 = total.iter().find(|i| i["Name"] == "cash").unwrap()["Value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_money(total_cash, cash + num(&api.info(1002), "cash"));
}

#[test]
fn cancels_and_watchlist_changes_are_streamed() {
    let sim = market_sim(SimConfig::default());
    let api = Api::alice(&sim);
    let (mut ws, id) = session(&sim.data_streamer_url(), "alice", "alice-pass");
    subscribe(&mut ws, &id, "Order", "1002");
    subscribe(&mut ws, &id, "Watchlist", "101");
    let placed = api.place(
        1002,
        r#"{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1,"Price":1}"#,
    );
    let order_id = placed["Id"].as_i64().unwrap();
    let new = next_data(&mut ws, Duration::from_secs(5)).expect("New");
    assert_eq!(
        (new["EntityType"].as_str(), new["Status"].as_str()),
        (Some("Order"), Some("0"))
    );
    assert_eq!(new["Type"], "Limit");
    assert_eq!(new["Price"], "1.00000");
    assert_eq!(
        api.delete(&format!("accounts/1002/orders/{order_id}"))
            .status,
        204
    );
    let canceled = next_data(&mut ws, Duration::from_secs(5)).expect("Canceled");
    assert_eq!(canceled["Status"], "4", "{canceled}");

    let created = api.with_body("POST", "users/@me/watchlists", r#"{"Name":"Tech"}"#);
    assert_eq!(created.status, 200, "{}", created.text);
    let list = created.json()["Id"].as_i64().unwrap();
    let m = next_data(&mut ws, Duration::from_secs(5)).expect("Watchlist");
    assert_eq!(m["EntityType"], "Watchlist");
    assert_eq!(m["id"], list.to_string());
    assert_eq!(
        (m["Name"].as_str(), m["Action"].as_str()),
        (Some("Tech"), Some("Created"))
    );
    subscribe(&mut ws, &id, "WatchlistContent", &list.to_string());
    let added = api.with_body(
        "PUT",
        &format!("users/@me/watchlists/{list}/securities/1"),
        "",
    );
    assert_eq!(added.status, 200);
    let m = next_data(&mut ws, Duration::from_secs(5)).expect("WatchlistContent");
    assert_eq!(
        (m["AddedSymbols"].as_str(), m["RemovedSymbols"].as_str()),
        (Some("AAPL"), Some("null"))
    );
    assert_eq!(
        api.delete(&format!("users/@me/watchlists/{list}/securities/1"))
            .status,
        204
    );
    let m = next_data(&mut ws, Duration::from_secs(5)).expect("WatchlistContent");
    assert_eq!(
        (m["AddedSymbols"].as_str(), m["RemovedSymbols"].as_str()),
        (Some("null"), Some("AAPL"))
    );
    assert_eq!(
        api.delete(&format!("users/@me/watchlists/{list}")).status,
        204
    );
    let m = next_data(&mut ws, Duration::from_secs(5)).expect("Watchlist");
    assert_eq!(m["Action"], "Deleted");
}

#[test]
fn server_pings_come_at_the_configured_interval() {
    let sim = market_sim(SimConfig {
        stream_ping_every: Duration::from_millis(150),
        ..SimConfig::default()
    });
    let (mut ws, _) = session(&sim.data_streamer_url(), "alice", "alice-pass");
    let start = Instant::now();
    let mut pings = Vec::new();
    while pings.len() < 4 {
        let m = next_text(&mut ws, Duration::from_secs(2)).expect("a Ping");
        assert_eq!(m, json!({"Cmd":"Ping"}));
        pings.push(start.elapsed());
        send_text(&mut ws, r#"{"Cmd":"Pong","StatusCode":"Ok"}"#);
    }
    for (i, at) in pings.iter().enumerate() {
        let wanted = Duration::from_millis(150 * (i as u64 + 1));
        assert!(*at + Duration::from_millis(80) >= wanted, "{pings:?}");
        assert!(*at < wanted + Duration::from_millis(400), "{pings:?}");
    }
    // Pongs are accepted without an answer, and recorded.
    assert!(next_answer_or_ping_only(&mut ws));
    let pongs = sim
        .stream_commands()
        .iter()
        .filter(|(_, _, t)| t.contains("Pong"))
        .count();
    assert_eq!(pongs, 4);
    // WebSocket pings are answered.
    ws.send(Message::Ping(b"hi".to_vec().into())).unwrap();
    assert!(wait_pong(&mut ws, Duration::from_secs(2)));
}

/// Whether nothing but Pings arrives for 400 ms.
fn next_answer_or_ping_only(ws: &mut Ws) -> bool {
    let deadline = Instant::now() + Duration::from_millis(400);
    while let Some(m) = next_text(ws, deadline.saturating_duration_since(Instant::now())) {
        if m != json!({"Cmd":"Ping"}) {
            return false;
        }
    }
    true
}

/// Whether a pong arrives within `within`.
fn wait_pong(ws: &mut Ws, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while let Some(m) = next_frame(ws, deadline.saturating_duration_since(Instant::now())) {
        if matches!(m, Message::Pong(_)) {
            return true;
        }
    }
    false
}

/// Reads until the connection ends; the number of data messages read first.
fn read_to_end(ws: &mut Ws, within: Duration) -> (usize, Option<Message>) {
    let deadline = Instant::now() + within;
    let mut data = 0;
    loop {
        assert!(Instant::now() < deadline, "the connection stayed open");
        match ws.read() {
            Ok(Message::Text(t)) => {
                if t.as_str().contains("EntityType") {
                    data += 1;
                }
            }
            Ok(Message::Close(frame)) => return (data, Some(Message::Close(frame))),
            Ok(_) => {}
            Err(e) if is_timeout(&e) => {}
            Err(_) => return (data, None),
        }
    }
}

#[test]
fn stream_close_closes_after_so_many_messages_and_times_counts_connections() {
    let sim = market_sim(SimConfig {
        quote_rate: 500,
        ..SimConfig::default()
    });
    sim.add_faults(
        r#"{"Rules":[{"Method":"WS","Path":"/quotes","Kind":"StreamClose","AfterMessages":5,"Times":1}]}"#,
    )
    .unwrap();
    let (mut ws, id) = session(&sim.quote_streamer_url(), "alice", "alice-pass");
    subscribe(&mut ws, &id, "Quote", "1;2");
    let (data, end) = read_to_end(&mut ws, Duration::from_secs(10));
    assert_eq!(data, 5);
    assert!(matches!(end, Some(Message::Close(Some(_)))), "{end:?}");
    // The rule is spent: the next connection goes on.
    let (mut ws, id) = session(&sim.quote_streamer_url(), "alice", "alice-pass");
    subscribe(&mut ws, &id, "Quote", "1;2");
    for _ in 0..20 {
        next_data(&mut ws, Duration::from_secs(2)).expect("quotes");
    }
    assert_eq!(sim.stats()["Injected"]["StreamClose"], 1);
    // Data connections are another path.
    let (mut d, _) = session(&sim.data_streamer_url(), "alice", "alice-pass");
    assert!(next_data(&mut d, Duration::from_millis(200)).is_none());
}

#[test]
fn stream_silent_sends_nothing_but_keeps_the_connection() {
    let sim = market_sim(SimConfig {
        stream_ping_every: Duration::from_millis(100),
        speed: 10.0,
        ..SimConfig::default()
    });
    let (mut ws, id) = session(&sim.quote_streamer_url(), "alice", "alice-pass");
    subscribe(&mut ws, &id, "Quote", "1");
    next_data(&mut ws, Duration::from_secs(2)).expect("a quote");
    sim.add_faults(r#"{"Rules":[{"Method":"WS","Path":"/quotes","Kind":"StreamSilent"}]}"#)
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    while next_frame(&mut ws, Duration::from_millis(100)).is_some() {}
    ws.send(Message::Ping(b"x".to_vec().into())).unwrap();
    send_text(&mut ws, &command("Subscribe.txt", &id, "Quote", "2"));
    // Nothing at all for a second (ten Ping intervals): no Ping, no quote, no pong, no answer;
    // next_frame panics if the connection broke.
    assert!(next_frame(&mut ws, Duration::from_secs(1)).is_none());
    assert_eq!(sim.stats()["Injected"]["StreamSilent"], 1);
    // What the client sent is still recorded.
    assert!(
        sim.stream_commands()
            .iter()
            .any(|(_, _, t)| t.contains("\"Keys\":\"2\""))
    );
    // Data connections are not silenced by a /quotes rule.
    let (mut d, _) = session(&sim.data_streamer_url(), "alice", "alice-pass");
    assert_eq!(
        next_text(&mut d, Duration::from_secs(2)),
        Some(json!({"Cmd":"Ping"}))
    );
}

#[test]
fn refuse_session_refuses_so_many_attempts() {
    let sim = market_sim(SimConfig::default());
    sim.add_faults(
        r#"{"Rules":[{"Method":"WS","Path":"/data","Kind":"RefuseSession","Times":2}]}"#,
    )
    .unwrap();
    session(&sim.quote_streamer_url(), "alice", "alice-pass");
    refused(&sim.data_streamer_url(), "alice", "alice-pass");
    refused(&sim.data_streamer_url(), "alice", "alice-pass");
    session(&sim.data_streamer_url(), "alice", "alice-pass");
    assert_eq!(sim.stats()["Injected"]["RefuseSession"], 2);
    assert_eq!(sim.stream_connections(), (1, 3));
}

#[test]
fn cut_slow_reader_drops_a_reader_that_falls_behind() {
    let sim = market_sim(SimConfig {
        quote_rate: 50_000,
        ..SimConfig::default()
    });
    sim.add_faults(
        r#"{"Rules":[{"Method":"WS","Path":"/quotes","Kind":"CutSlowReader","BacklogBytes":65536,"Times":1}]}"#,
    )
    .unwrap();
    let (mut ws, id) = session(&sim.quote_streamer_url(), "alice", "alice-pass");
    subscribe(&mut ws, &id, "Quote", "1;2;3");
    // Read nothing for a while: the socket buffers fill, then the simulator's backlog grows.
    std::thread::sleep(Duration::from_millis(1500));
    let (data, end) = read_to_end(&mut ws, Duration::from_secs(20));
    assert!(end.is_none(), "cut without a close frame: {end:?}");
    assert!(data > 0 && data < 75_000, "{data}");
    assert_eq!(sim.stats()["Injected"]["CutSlowReader"], 1);
    // Without the fault, a reader that falls behind loses quotes but stays connected.
    let (mut ws, id) = session(&sim.quote_streamer_url(), "alice", "alice-pass");
    subscribe(&mut ws, &id, "Quote", "1");
    std::thread::sleep(Duration::from_millis(1500));
    for _ in 0..1000 {
        next_data(&mut ws, Duration::from_secs(2)).expect("quotes");
    }
}

#[test]
fn ignore_pings_leaves_websocket_pings_unanswered() {
    let sim = market_sim(SimConfig {
        stream_ping_every: Duration::from_millis(100),
        ..SimConfig::default()
    });
    sim.add_faults(r#"{"Rules":[{"Method":"WS","Path":"*","Kind":"IgnorePings","Times":1}]}"#)
        .unwrap();
    let (mut ws, _) = session(&sim.data_streamer_url(), "alice", "alice-pass");
    ws.send(Message::Ping(b"x".to_vec().into())).unwrap();
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut server_pings = 0;
    while let Some(m) = next_frame(&mut ws, deadline.saturating_duration_since(Instant::now())) {
        match m {
            Message::Pong(_) => panic!("a pong despite IgnorePings"),
            Message::Text(t) if t.as_str() == r#"{"Cmd":"Ping"}"# => server_pings += 1,
            _ => {}
        }
    }
    assert!(server_pings >= 5, "{server_pings}");
    // The next connection answers pings again.
    let (mut ws, _) = session(&sim.data_streamer_url(), "alice", "alice-pass");
    ws.send(Message::Ping(b"y".to_vec().into())).unwrap();
    assert!(wait_pong(&mut ws, Duration::from_secs(2)));
    assert_eq!(sim.stats()["Injected"]["IgnorePings"], 1);
}

#[test]
fn stream_rules_are_checked_like_the_others() {
    let sim = market_sim(SimConfig::default());
    for (rule, wanted) in [
        (
            r#"{"Method":"WS","Kind":"StreamClose","Backlog":1}"#,
            "'Backlog'",
        ),
        (r#"{"Method":"GET","Kind":"StreamSilent"}"#, "\"WS\""),
        (
            r#"{"Method":"WS","Kind":"Delay","DelayMs":1}"#,
            "stream kinds",
        ),
    ] {
        let err = sim
            .add_faults(&format!(r#"{{"Rules":[{rule}]}}"#))
            .unwrap_err();
        assert!(err.contains(wanted), "{rule}: {err}");
    }
    sim.add_faults(r#"{"Rules":[{"Path":"/data","Kind":"CutSlowReader"}]}"#)
        .unwrap();
    let url = format!("http://127.0.0.1:{}/sim/faults", sim.port());
    let listing = send(&agent(), "GET", &url, &[]).json();
    assert_eq!(
        listing["Rules"][0],
        json!({"Method":"WS","Path":"/data","Kind":"CutSlowReader","BacklogBytes":1048576})
    );
}

#[test]
fn the_firehose_delivers_its_rate() {
    const RATE: u32 = 50_000;
    let sim = market_sim(SimConfig {
        quote_rate: RATE,
        ..SimConfig::default()
    });
    let (mut ws, id) = session(&sim.quote_streamer_url(), "alice", "alice-pass");
    subscribe(&mut ws, &id, "Quote", "1;2;3;4;5");
    next_data(&mut ws, Duration::from_secs(2)).expect("the firehose starts");
    let start = Instant::now();
    let mut count = 0u64;
    let mut keys = std::collections::BTreeSet::new();
    let mut last_sent = 0u128;
    while start.elapsed() < Duration::from_secs(1) {
        match ws.read() {
            Ok(Message::Text(t)) => {
                let t = t.as_str();
                if let Some(at) = t.find("\"SimSentNs\":\"") {
                    count += 1;
                    if count % 1001 == 0 {
                        let v: Value = serde_json::from_str(t).unwrap();
                        keys.insert(v["Key"].as_str().unwrap().to_string());
                        let sent: u128 = t[at + 13..t.len() - 2].parse().unwrap();
                        assert!(sent >= last_sent);
                        last_sent = sent;
                    }
                }
            }
            Ok(_) => {}
            Err(e) if is_timeout(&e) => {}
            Err(e) => panic!("{e}"),
        }
    }
    println!("firehose: {count} quotes in 1 s at --quote-rate {RATE}");
    assert!(
        count >= u64::from(RATE) * 9 / 10,
        "{count} quotes in a second"
    );
    assert!(
        count <= u64::from(RATE) * 12 / 10,
        "{count} quotes in a second"
    );
    assert_eq!(keys.len(), 5, "{keys:?}");
}
