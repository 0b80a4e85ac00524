//! Fault injection and the counters that prove what the simulator processed.
//!
//! A rule is a JSON object:
//!
//! ```json
//! {"Method":"POST","Path":"/api/v1.0/accounts/*/orders","Kind":"DropAfter","Times":1}
//! ```
//!
//! - `Method`: an HTTP method or `"*"` (default), compared case-insensitively.
//! - `Path`: a pattern matched (ASCII case-insensitively, as routing is) against the request
//!   path without its query, as sent or percent-decoded; `*` matches any run of characters,
//!   slashes included. Default `"*"`.
//! - `Times`: how many matching requests the rule applies to before it is spent; absent means
//!   every matching request.
//! - `Kind` and its arguments: `Delay` (`DelayMs`), `DropBefore`, `DropAfter`, `Status`
//!   (`Status`, 400–599), `RateLimit` (`RetryAfter` seconds, default 1), `Malformed`,
//!   `Truncated`, `ExpireTokens` (`AfterSeconds`: final tokens issued from now on live that
//!   long; applied when installed, `Method`, `Path` and `Times` ignored).
//!
//! The stream kinds apply to the WebSocket streamers instead of HTTP requests: their `Method`
//! is `"WS"` (the default for them, and refused for the other kinds) and their `Path` is
//! matched against `/quotes` or `/data`. `StreamClose` (`AfterMessages`, default 0),
//! `StreamSilent`, `CutSlowReader` (`BacklogBytes`, default 1 MiB), `IgnorePings` and
//! `SpacedJson` are taken by a connection, one rule of each kind at most, when its session is
//! created and whenever rules are added while it is open; `RefuseSession` is taken by a `CreateSession.txt` attempt.
//! `Times` counts connections (attempts for `RefuseSession`). What each does on the wire is in
//! `streaming::connection`.
//!
//! Rules are tried in order and the first live match applies. Property names are exact, and
//! unknown properties (or arguments of another kind) are refused, so that a typo cannot turn
//! into a rule that silently applies to every request.
//!
//! Everything under `/sim/` is the simulator's own control surface: never faulted, never
//! counted.
//!
//! Parsing and matching rules is in [`rules`]; what each kind does to a request on the wire is
//! in `http::misbehave`; the routes that install, list and clear rules and show the counters
//! are in `routes::sim`.

pub mod rules;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::faults::rules::{Kind, Rule, seconds};
use crate::json::{Json, Obj};
use crate::lock;

/// The rules, the token lifetime they set, and the counters.
#[derive(Default)]
pub struct Faults {
    rules: Mutex<Vec<Rule>>,
    /// Set by an `ExpireTokens` rule until the rules are cleared.
    token_ttl: Mutex<Option<f64>>,
    stats: Mutex<Counters>,
    /// Bumped whenever rules are added, so that open streamer connections look for new ones.
    generation: AtomicU64,
}

#[derive(Default)]
struct Counters {
    /// Processed requests by `METHOD template`.
    requests: BTreeMap<String, u64>,
    /// Requests a fault kept from being processed, by kind.
    faulted: BTreeMap<&'static str, u64>,
    /// Every fault applied to a request, by kind.
    injected: BTreeMap<&'static str, u64>,
}

impl Faults {
    /// Appends rules (an `ExpireTokens` rule sets the token lifetime instead).
    pub fn add(&self, rules: Vec<Rule>) {
        let mut live = lock(&self.rules);
        for rule in rules {
            match rule.kind {
                Kind::ExpireTokens { after } => *lock(&self.token_ttl) = Some(after),
                _ => live.push(rule),
            }
        }
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Changes whenever rules are added.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Removes every rule and restores the configured token lifetime.
    pub fn clear(&self) {
        lock(&self.rules).clear();
        *lock(&self.token_ttl) = None;
    }

    /// The lifetime an `ExpireTokens` rule set, if any.
    pub fn token_ttl(&self) -> Option<Duration> {
        lock(&self.token_ttl).map(Duration::from_secs_f64)
    }

    /// The first live rule matching this request, counted down (and removed once spent).
    /// `paths` are the forms of the path to try (as sent, percent-decoded).
    pub fn take(&self, method: &str, paths: &[&str]) -> Option<Kind> {
        self.take_where(|r| !r.kind.is_stream() && r.matches(method, paths))
    }

    /// The first live stream rule of the same kind as `kind` (arguments aside) whose path
    /// matches `streamer` (`/quotes` or `/data`), counted down (and removed once spent).
    pub fn take_stream(&self, streamer: &str, kind: Kind) -> Option<Kind> {
        self.take_where(|r| {
            r.kind.is_stream() && r.kind.same_kind(kind) && r.matches(rules::WS, &[streamer])
        })
    }

    /// The first live rule `wanted` accepts, counted down and counted as injected.
    fn take_where(&self, wanted: impl Fn(&Rule) -> bool) -> Option<Kind> {
        let mut rules = lock(&self.rules);
        let i = rules.iter().position(wanted)?;
        let kind = rules[i].kind;
        match &mut rules[i].times {
            Some(1) => {
                rules.remove(i);
            }
            Some(n) => *n -= 1,
            None => {}
        }
        drop(rules);
        let mut stats = lock(&self.stats);
        *stats.injected.entry(kind.name()).or_default() += 1;
        if !kind.is_stream() && !kind.processes() {
            *stats.faulted.entry(kind.name()).or_default() += 1;
        }
        Some(kind)
    }

    /// Counts a processed request under `METHOD template`.
    pub fn count(&self, key: String) {
        *lock(&self.stats).requests.entry(key).or_default() += 1;
    }

    /// `{"Rules":[...]}`: live rules with their remaining `Times`, led by the `ExpireTokens`
    /// rule in effect if there is one.
    pub fn listing(&self) -> Json {
        let mut rules: Vec<Json> = Vec::new();
        if let Some(after) = *lock(&self.token_ttl) {
            rules.push(
                Obj::new()
                    .with("Kind", "ExpireTokens")
                    .with("AfterSeconds", seconds(after))
                    .into(),
            );
        }
        rules.extend(lock(&self.rules).iter().map(|r| r.to_json().into()));
        Obj::new().with("Rules", Json::Arr(rules)).into()
    }

    /// `{"Requests":{...},"OrdersAccepted":n,"Faulted":{...},"Injected":{...}}`.
    pub fn stats(&self, orders_accepted: u64) -> Json {
        let stats = lock(&self.stats);
        let counts = |map: &mut dyn Iterator<Item = (&str, u64)>| {
            map.fold(Obj::new(), |o, (k, v)| o.with(k, v as i64))
        };
        Obj::new()
            .with(
                "Requests",
                counts(&mut stats.requests.iter().map(|(k, v)| (k.as_str(), *v))),
            )
            .with("OrdersAccepted", orders_accepted as i64)
            .with(
                "Faulted",
                counts(&mut stats.faulted.iter().map(|(k, v)| (*k, *v))),
            )
            .with(
                "Injected",
                counts(&mut stats.injected.iter().map(|(k, v)| (*k, *v))),
            )
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::rules::parse_rules;

    #[test]
    fn first_live_match_applies_and_times_count_down() {
        let faults = Faults::default();
        faults.add(
            parse_rules(
                r#"{"Rules":[
                    {"Method":"GET","Path":"/a","Kind":"DropBefore","Times":2},
                    {"Path":"/a","Kind":"Malformed"},
                    {"Kind":"ExpireTokens","AfterSeconds":3}]}"#,
            )
            .unwrap(),
        );
        assert_eq!(faults.token_ttl(), Some(Duration::from_secs(3)));
        assert_eq!(faults.take("POST", &["/a"]), Some(Kind::Malformed));
        assert_eq!(faults.take("GET", &["/b"]), None);
        assert_eq!(faults.take("GET", &["/a"]), Some(Kind::DropBefore));
        assert_eq!(faults.take("GET", &["/a"]), Some(Kind::DropBefore));
        assert_eq!(faults.take("GET", &["/a"]), Some(Kind::Malformed));
        assert_eq!(
            faults.listing().to_text(),
            r#"{"Rules":[{"Kind":"ExpireTokens","AfterSeconds":3},{"Method":"*","Path":"/a","Kind":"Malformed"}]}"#
        );
        faults.clear();
        assert_eq!(faults.token_ttl(), None);
        assert_eq!(faults.take("GET", &["/a"]), None);
        assert_eq!(
            faults.stats(0).to_text(),
            r#"{"Requests":{},"OrdersAccepted":0,"Faulted":{"DropBefore":2},"Injected":{"DropBefore":2,"Malformed":2}}"#
        );
    }

    #[test]
    fn stream_rules_match_streamers_only() {
        let faults = Faults::default();
        let before = faults.generation();
        faults.add(
            parse_rules(
                r#"{"Rules":[
                    {"Kind":"DropBefore"},
                    {"Method":"WS","Path":"/quotes","Kind":"StreamClose","AfterMessages":3,"Times":1},
                    {"Path":"*","Kind":"RefuseSession"}]}"#,
            )
            .unwrap(),
        );
        assert_ne!(faults.generation(), before);
        // HTTP requests never take stream rules, streamers never take HTTP rules.
        assert_eq!(faults.take("WS", &["/quotes"]), Some(Kind::DropBefore));
        let close = Kind::StreamClose { after: 0 };
        assert_eq!(faults.take_stream("/data", close), None);
        assert_eq!(
            faults.take_stream("/quotes", close),
            Some(Kind::StreamClose { after: 3 })
        );
        assert_eq!(faults.take_stream("/quotes", close), None);
        assert_eq!(
            faults.take_stream("/data", Kind::RefuseSession),
            Some(Kind::RefuseSession)
        );
        assert_eq!(faults.take_stream("/data", Kind::IgnorePings), None);
        assert_eq!(
            faults.stats(0).to_text(),
            r#"{"Requests":{},"OrdersAccepted":0,"Faulted":{"DropBefore":1},"Injected":{"DropBefore":1,"RefuseSession":1,"StreamClose":1}}"#
        );
    }
}
