//! A local simulator of the ETNA Trader REST API, for tests and demos.
//!
//! It listens on 127.0.0.1 only and speaks the documented wire format
//! (`/api/token` with its two-factor and PIN steps, `/api/logout`, the user
//! routes), with a fixed set of demo users:
//!
//! | login   | password     | sign-in                          |
//! |---------|--------------|----------------------------------|
//! | `alice` | `alice-pass` | password only (two accounts)     |
//! | `bob`   | `bob-pass`   | two-factor code (see the outbox) |
//! | `carol` | `carol-pass` | PIN `2468`                       |
//! | `dave`  | `dave-pass`  | password expired (401)           |
//! | `erin`  | `erin-pass`  | PIN never set (202, stuck)       |
//!
//! The app key is `sim-app-key` unless configured otherwise.
//!
//! It is also a broker to trade against: a universe of 38 US stocks and
//! ETFs (`market::securities`) with a deterministic price model
//! (`market::prices`), options listed on each of them with their own price
//! model (`market::options`: weekly and monthly expirations, OSI symbols), a
//! simulated clock that starts at the 09:30 New York open and may run faster
//! than real time (`market::clock`), an order engine for stock, option and
//! multi-leg option orders (`trading::engine`), and per-account books of cash,
//! positions and transactions (`trading::portfolio`, starting balances in
//! `trading::broker`), with option expirations settled in cash. Beside the
//! trading routes it serves option chains, news and corporate actions, account
//! value history, order state histories, price alerts and trading settings
//! (`routes`).
//!
//! It serves the broker's two WebSocket streamers on their own ports of
//! 127.0.0.1 (`streaming`): quotes (of stocks and options), and orders,
//! positions, balances, watchlists and price alerts as they change, driven by a
//! ticker thread; their addresses are in `GET /api/v1.0/streamers`.
//!
//! It misbehaves on request, so that clients can be tested against an
//! unreliable broker: fault rules (a delay, a connection dropped before or
//! after the request is processed, a given status with its documented body,
//! 429 with `Retry-After`, malformed or truncated JSON, tokens that expire
//! early; streamer connections closed, silent, refused, cut when the reader
//! is slow, pings unanswered), matched by method and path pattern, are
//! installed with [`Simulator::add_faults`], `etna-sim --fault`, or
//! `POST /sim/faults` (loopback peers only; `GET` lists, `DELETE` clears).
//! `GET /sim/stats` and [`Simulator::stats`] count what was processed, per
//! route, so tests can prove an order was accepted exactly once. The rule format is described in
//! the `faults` module (`src/faults/mod.rs`) and in `docs/simulator.md`.
//!
//! ```no_run
//! let sim = etna_sim::Simulator::start_default()?;
//! println!("{}", sim.base_url()); // http://127.0.0.1:PORT/api/
//! # Ok::<(), std::io::Error>(())
//! ```

mod faults;
mod http;
mod json;
mod market;
mod outbox;
mod random;
mod routes;
mod streaming;
mod tokens;
mod trading;
mod users;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// How to run a [`Simulator`].
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Port on 127.0.0.1; 0 picks any free port.
    pub port: u16,
    /// The only `Et-App-Key` accepted.
    pub app_key: String,
    /// Send this two-factor code instead of a random one.
    pub fixed_code: Option<String>,
    /// Lifetime of final tokens (the broker's is 24 hours).
    pub token_ttl: Duration,
    /// Also print each delivered code to stdout.
    pub print_outbox: bool,
    /// Simulated seconds per real second (finite, > 0).
    pub speed: f64,
    /// The simulated instant at start; `None` is 09:30 New York time today
    /// (or on the last weekday when today is a weekend).
    pub start: Option<SystemTime>,
    /// How often the streamers send `{"Cmd":"Ping"}` on each connection.
    pub stream_ping_every: Duration,
    /// Quote messages per second on each quote streamer connection, in total
    /// across its subscribed securities (the firehose, for benchmarks); 0 is
    /// the default pace (each security about every 200 ms when it moved, every
    /// second anyway).
    pub quote_rate: u32,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            port: 0,
            app_key: "sim-app-key".to_string(),
            fixed_code: None,
            token_ttl: Duration::from_secs(24 * 60 * 60),
            print_outbox: false,
            speed: 1.0,
            start: None,
            stream_ping_every: Duration::from_secs(10),
            quote_rate: 0,
        }
    }
}

/// One request as the simulator received it.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    /// Path and query as received, e.g. `/api/token`.
    pub url: String,
    /// Header names as the client spelled them, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first header with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A running simulator. Dropping it stops the server and joins its threads.
pub struct Simulator {
    state: Arc<State>,
    server: http::server::HttpServer,
    streams: streaming::server::StreamServer,
}

impl Simulator {
    /// Starts serving on 127.0.0.1 (`config.port`, 0 = any free port), and
    /// the two streamers on free ports. Fails with `InvalidInput` when
    /// `config.speed` is not a finite positive number or
    /// `config.stream_ping_every` is zero.
    pub fn start(config: SimConfig) -> std::io::Result<Simulator> {
        if !(config.speed.is_finite() && config.speed > 0.0) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("speed must be a positive number, got {}", config.speed),
            ));
        }
        if config.stream_ping_every.is_zero() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "stream_ping_every must be above zero",
            ));
        }
        let (listener, port) = http::server::bind(config.port)?;
        let stream_listeners = streaming::server::bind()?;
        let users = users::demo_users();
        let accounts = users::demo_accounts();
        let market = market::securities::Market::universe();
        let streams = streaming::Streams::new(
            stream_listeners[0].local_addr()?.port(),
            stream_listeners[1].local_addr()?.port(),
            market.all().len(),
        );
        let state = Arc::new(State {
            port,
            outbox: outbox::Outbox::new(config.print_outbox),
            clock: market::clock::SimClock::new(config.start, config.speed),
            broker: Mutex::new(trading::broker::Broker::new(&accounts, &market)),
            watchlists: Mutex::new(routes::watchlists::Watchlists::new(&users, &market)),
            alerts: Mutex::new(routes::alerts::Alerts::default()),
            settings: Mutex::new(routes::settings::Settings::default()),
            market,
            config,
            users,
            accounts,
            tokens: tokens::Tokens::default(),
            recorded: Mutex::new(Vec::new()),
            faults: faults::Faults::default(),
            streams,
        });
        let mut server = http::server::run(listener, state.clone())?;
        let streams = match streaming::server::run(stream_listeners, state.clone()) {
            Ok(streams) => streams,
            Err(e) => {
                server.shutdown();
                return Err(e);
            }
        };
        Ok(Simulator {
            state,
            server,
            streams,
        })
    }

    /// [`Simulator::start`] with [`SimConfig::default`].
    pub fn start_default() -> std::io::Result<Simulator> {
        Simulator::start(SimConfig::default())
    }

    pub fn port(&self) -> u16 {
        self.state.port
    }

    /// `http://127.0.0.1:PORT/api/`
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/api/", self.state.port)
    }

    /// The last two-factor code delivered to `username`.
    pub fn latest_code(&self, username: &str) -> Option<String> {
        self.state.outbox.latest(username)
    }

    /// Every request received so far, in arrival order.
    pub fn recorded_requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state.recorded).clone()
    }

    /// The tokens issued so far, final and interim (the last 4,096), for tests that check
    /// that no part of one reaches a client's logs or errors.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.state.tokens.issued()
    }

    pub fn clear_recorded(&self) {
        lock(&self.state.recorded).clear();
    }

    /// How many orders were accepted with 200 `OrderResource` (orders the
    /// engine rejects later included; previews, business rejects and
    /// malformed bodies not).
    pub fn orders_accepted(&self) -> u64 {
        lock(&self.state.broker).orders_accepted
    }

    /// Appends fault rules, given as `{"Rules":[rule, ...]}` (the body of
    /// `POST /sim/faults`; see the `faults` module for the rule format). Either
    /// every rule is installed or, when one is malformed, none is and the
    /// error names the problem.
    pub fn add_faults(&self, rules_json: &str) -> Result<(), String> {
        let rules = faults::rules::parse_rules(rules_json)?;
        self.state.faults.add(rules);
        Ok(())
    }

    /// Removes every fault rule and restores the configured token lifetime
    /// (as `DELETE /sim/faults` does).
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// The counters of `GET /sim/stats`:
    /// `{"Requests":{"POST /api/token":3,...},"OrdersAccepted":1,
    /// "Faulted":{"DropBefore":1},"Injected":{"DropBefore":1,"Delay":2}}`.
    /// `Requests` counts processed requests by method and route template
    /// (`"GET <unmatched>"` for paths no route knows); `Faulted` counts, by
    /// kind, requests a fault kept from being processed; `Injected` counts
    /// every fault applied to a request, and every stream fault a streamer
    /// connection or session attempt took, by kind.
    pub fn stats(&self) -> serde_json::Value {
        let text = self.state.stats().to_text();
        serde_json::from_str(&text).expect("the simulator writes valid JSON")
    }

    /// The quote streamer's address, `ws://127.0.0.1:PORT` (as `GET
    /// v1.0/streamers` gives it).
    pub fn quote_streamer_url(&self) -> String {
        self.state.streams.url(streaming::Streamer::Quotes)
    }

    /// The data streamer's address, `ws://127.0.0.1:PORT`.
    pub fn data_streamer_url(&self) -> String {
        self.state.streams.url(streaming::Streamer::Data)
    }

    /// Every text frame the streamers received, in arrival order: (`"quotes"`
    /// or `"data"`, the connection's number on that streamer counting from 1,
    /// the text).
    pub fn stream_commands(&self) -> Vec<(&'static str, u64, String)> {
        self.state.streams.commands()
    }

    /// How many WebSocket connections the quote and the data streamer
    /// accepted so far: `(quotes, data)` (refused sessions included).
    pub fn stream_connections(&self) -> (u64, u64) {
        self.state.streams.accepted()
    }

    /// The current simulated instant.
    pub fn now(&self) -> SystemTime {
        market::clock::to_system(self.state.clock.now())
    }

    /// Whether the simulated regular session (09:30–16:00 New York,
    /// weekdays) is open now.
    pub fn market_open(&self) -> bool {
        market::clock::is_open(self.state.clock.now())
    }

    /// Stops the server (the same as dropping the simulator).
    pub fn stop(self) {}
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.server.shutdown();
        self.streams.shutdown(&self.state);
    }
}

/// Everything the routes share.
struct State {
    config: SimConfig,
    /// The bound port, quoted in 404 messages.
    port: u16,
    users: Vec<users::User>,
    accounts: Vec<users::Account>,
    tokens: tokens::Tokens,
    outbox: outbox::Outbox,
    recorded: Mutex<Vec<RecordedRequest>>,
    clock: market::clock::SimClock,
    market: market::securities::Market,
    broker: Mutex<trading::broker::Broker>,
    watchlists: Mutex<routes::watchlists::Watchlists>,
    /// Every user's price alerts.
    alerts: Mutex<routes::alerts::Alerts>,
    /// Every user's trading settings.
    settings: Mutex<routes::settings::Settings>,
    /// Fault rules and request counters.
    faults: faults::Faults,
    /// The streamers' shared state.
    streams: streaming::Streams,
}

impl State {
    fn app_key_ok(&self, key: Option<&str>) -> bool {
        key == Some(self.config.app_key.as_str())
    }

    fn user(&self, id: i64) -> Option<&users::User> {
        self.users.iter().find(|u| u.id == id)
    }

    fn user_by_login(&self, login: &str) -> Option<&users::User> {
        self.users.iter().find(|u| u.login == login)
    }

    fn account(&self, id: i64) -> Option<&users::Account> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// The lifetime of final tokens issued now: an `ExpireTokens` fault's, or
    /// the configured one.
    fn token_ttl(&self) -> Duration {
        self.faults.token_ttl().unwrap_or(self.config.token_ttl)
    }

    /// The `/sim/stats` body.
    fn stats(&self) -> json::Json {
        let accepted = lock(&self.broker).orders_accepted;
        self.faults.stats(accepted)
    }
}

/// Parses an ISO-8601 instant as `--start` takes it:
/// `YYYY-MM-DD[THH:MM[:SS[.fffffff]]][Z|±HH:MM]` (UTC when no zone is
/// given); `None` for anything else or a date before 1970.
pub fn parse_instant(text: &str) -> Option<SystemTime> {
    market::timestamps::parse_iso(text)
}

/// Locks a mutex, carrying on after a panic elsewhere: the simulator's data
/// stays usable for the remaining requests.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
