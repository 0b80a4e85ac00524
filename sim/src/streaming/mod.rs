//! The two WebSocket streamers: quotes, and data (orders, positions, balances, watchlists).
//!
//! Each listens on its own OS-chosen port of 127.0.0.1; `GET v1.0/streamers` gives their
//! addresses. A client connects with a WebSocket upgrade of
//! `GET /CreateSession.txt?User=..&Password=..&HttpClientType=WebSocket`, in the login form
//! (`User=<login>&Password=<password>`) or the session form
//! (`User=<UserId>:<StreamerSessionId>&Password=<bearer token>`, the streamer session id one
//! issued to that user for this streamer by `v1.0/streamers` or `streamers/session/recover`),
//! and the first text frame answers `{"Cmd":"CreateSession.txt","StatusCode":"Ok",
//! "SessionId":..}` or `StatusCode` `Error` followed by a normal close. It then sends
//! `Subscribe.txt` and `Unsubscribe.txt` commands and receives flat data messages (see
//! [`messages`]), and a `{"Cmd":"Ping"}` every `SimConfig::stream_ping_every`.
//!
//! - [`server`]: the listeners, the upgrade and `CreateSession.txt`; one thread per connection,
//!   at most [`server::MAX_CONNECTIONS`] open at once.
//! - [`connection`]: a connection's life: commands, subscriptions, the pace of quotes (or the
//!   firehose of `SimConfig::quote_rate`), data events, Pings, stream faults.
//! - [`outgoing`]: the socket under the WebSocket, with the send buffer whose size tells a
//!   slow reader.
//! - [`quotes`]: quote messages, cached per security and second.
//! - [`messages`]: the data messages, built where things happen: the order engine and the
//!   order routes note changes in `Broker::changes`, published when the broker is unlocked
//!   (`trading::broker::Booked`); the watchlist routes publish directly.
//!
//! A ticker thread brings the order engine up to the simulated now every
//! [`TICK`], so that fills (and their messages) happen without any REST call.

pub mod connection;
pub mod messages;
pub mod outgoing;
pub mod quotes;
pub mod server;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::market::clock::Ticks;
use crate::streaming::messages::Event;
use crate::streaming::quotes::QuoteBoard;
use crate::trading::broker::{Broker, Change};
use crate::trading::{balances, order_checks};
use crate::{State, lock, random};

/// How often the ticker advances the order engine (real time).
pub const TICK: Duration = Duration::from_millis(50);

/// Streamer session ids remembered (the most recent ones).
const SESSIONS_KEPT: usize = 4096;

/// One of the two streamers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Streamer {
    Quotes,
    Data,
}

impl Streamer {
    /// `"quotes"` or `"data"`, as `Simulator::stream_commands` names them.
    pub fn name(self) -> &'static str {
        match self {
            Streamer::Quotes => "quotes",
            Streamer::Data => "data",
        }
    }

    /// The path fault rules match: `/quotes` or `/data`.
    pub fn path(self) -> &'static str {
        match self {
            Streamer::Quotes => "/quotes",
            Streamer::Data => "/data",
        }
    }

    /// `streamers/session/recover?sessionType=`: 0 data, 1 quotes.
    pub fn from_session_type(code: &str) -> Option<Streamer> {
        match code {
            "0" => Some(Streamer::Data),
            "1" => Some(Streamer::Quotes),
            _ => None,
        }
    }

    fn index(self) -> usize {
        match self {
            Streamer::Quotes => 0,
            Streamer::Data => 1,
        }
    }
}

/// A streamer session id issued to a user.
struct Issued {
    user_id: i64,
    streamer: Streamer,
    id: String,
}

/// What the streamers share with the rest of the simulator.
pub struct Streams {
    ports: [u16; 2],
    issued: Mutex<VecDeque<Issued>>,
    /// One sender per open data connection; each filters by its own subscriptions.
    subscribers: Mutex<Vec<Sender<Arc<Event>>>>,
    /// Every text frame received: (streamer, connection number, text).
    commands: Mutex<Vec<(&'static str, u64, String)>>,
    /// WebSocket connections accepted, per streamer (connection numbers count from 1).
    accepted: [AtomicU64; 2],
    /// Connections open (or being opened) on both streamers.
    open: AtomicUsize,
    pub board: QuoteBoard,
    stopping: AtomicBool,
}

impl Streams {
    /// Shared state for streamers listening on these ports of 127.0.0.1, quoting `securities`
    /// securities.
    pub fn new(quote_port: u16, data_port: u16, securities: usize) -> Streams {
        Streams {
            ports: [quote_port, data_port],
            issued: Mutex::new(VecDeque::new()),
            subscribers: Mutex::new(Vec::new()),
            commands: Mutex::new(Vec::new()),
            accepted: [AtomicU64::new(0), AtomicU64::new(0)],
            open: AtomicUsize::new(0),
            board: QuoteBoard::new(securities),
            stopping: AtomicBool::new(false),
        }
    }

    pub fn port(&self, streamer: Streamer) -> u16 {
        self.ports[streamer.index()]
    }

    /// `ws://127.0.0.1:PORT`
    pub fn url(&self, streamer: Streamer) -> String {
        format!("ws://127.0.0.1:{}", self.port(streamer))
    }

    /// A new streamer session id for `user_id` on `streamer`, remembered for the session form
    /// of `CreateSession.txt`.
    pub fn issue(&self, user_id: i64, streamer: Streamer) -> String {
        let id = guid();
        let mut issued = lock(&self.issued);
        if issued.len() == SESSIONS_KEPT {
            issued.pop_front();
        }
        issued.push_back(Issued {
            user_id,
            streamer,
            id: id.clone(),
        });
        id
    }

    /// Whether `id` was issued to `user_id` for `streamer`.
    pub fn knows(&self, user_id: i64, streamer: Streamer, id: &str) -> bool {
        lock(&self.issued)
            .iter()
            .any(|i| i.user_id == user_id && i.streamer == streamer && i.id == id)
    }

    /// A receiver of every data event published from now on.
    pub fn subscribe(&self) -> Receiver<Arc<Event>> {
        let (tx, rx) = mpsc::channel();
        lock(&self.subscribers).push(tx);
        rx
    }

    /// Whether any data connection is listening.
    pub fn has_subscribers(&self) -> bool {
        !lock(&self.subscribers).is_empty()
    }

    /// Hands an event to every open data connection (gone ones are forgotten).
    pub fn publish(&self, event: Event) {
        let mut subscribers = lock(&self.subscribers);
        if subscribers.is_empty() {
            return;
        }
        let event = Arc::new(event);
        subscribers.retain(|tx| tx.send(event.clone()).is_ok());
    }

    /// Records a text frame a connection received.
    pub fn record(&self, streamer: Streamer, connection: u64, text: &str) {
        lock(&self.commands).push((streamer.name(), connection, text.to_string()));
    }

    pub fn commands(&self) -> Vec<(&'static str, u64, String)> {
        lock(&self.commands).clone()
    }

    /// The next connection number of `streamer` (1, 2, ...).
    fn accept(&self, streamer: Streamer) -> u64 {
        self.accepted[streamer.index()].fetch_add(1, Ordering::SeqCst) + 1
    }

    /// WebSocket connections accepted so far by the quote and the data streamer.
    pub fn accepted(&self) -> (u64, u64) {
        (
            self.accepted[0].load(Ordering::SeqCst),
            self.accepted[1].load(Ordering::SeqCst),
        )
    }

    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }
}

/// Publishes what the broker noted, in order: events as they are, and for each fill the
/// account's balances and its owner's (rendered now, only when a data connection listens).
pub fn publish_changes(state: &State, broker: &Broker, changes: Vec<Change>, now: Ticks) {
    let streams = &state.streams;
    if !streams.has_subscribers() {
        return;
    }
    for change in changes {
        match change {
            Change::Event(event) => streams.publish(event),
            Change::Balances { account_id } => {
                let Some(account) = state.account(account_id) else {
                    continue;
                };
                streams.publish(messages::account_balance(
                    account_id,
                    &account_balances(state, broker, account_id, now),
                ));
                let owned: Vec<balances::Balances> = state
                    .accounts
                    .iter()
                    .filter(|a| a.owner_id == account.owner_id)
                    .map(|a| account_balances(state, broker, a.id, now))
                    .collect();
                streams.publish(messages::user_balance(
                    account.owner_id,
                    &balances::Balances::total(&owned),
                ));
            }
        }
    }
}

/// An account's balances at `now`, as `accounts/{id}/info` computes them.
fn account_balances(
    state: &State,
    broker: &Broker,
    account_id: i64,
    now: Ticks,
) -> balances::Balances {
    let c = order_checks::commitments(&state.market, &broker.orders, account_id, now, None);
    balances::balances(broker.book(account_id), &state.market, now, &c)
}

/// A random GUID in .NET's `D` format.
pub fn guid() -> String {
    let b = random::bytes(16);
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
