//! Tokens: the final tokens that make sessions, the interim "tickets" of a
//! sign-in's second step, and reading the bearer out of `Authorization`.
//!
//! A ticket is for one user and one step (a two-factor code or a PIN). It
//! lives five minutes and survives three wrong retries. Final tokens live
//! the configured `token_ttl` (or an `ExpireTokens` fault's) and die on
//! logout. The login state machine that issues them is `routes::auth`.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::{lock, random};

/// How long an interim token stays usable.
const TICKET_TTL: Duration = Duration::from_secs(5 * 60);
/// A first wrong answer plus this many wrong retries kill a ticket.
const WRONG_RETRIES: u32 = 3;

/// The caller behind a live final token.
#[derive(Clone, Debug)]
pub struct Session {
    pub user_id: i64,
    pub token: String,
}

/// Which second step a ticket is waiting for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Wait {
    /// A code sent to the user's outbox.
    Code,
    /// The user's PIN.
    Pin,
    /// A PIN the user never set: no answer is accepted.
    PinNotSet,
}

/// What a second-step answer did to its ticket.
#[derive(Debug, PartialEq)]
pub enum Answer {
    /// No live ticket of this user waits for this step.
    Corrupted,
    /// The ticket waits for a PIN the user never set: nothing completes it.
    PinNotSet,
    /// A wrong code or PIN; the ticket dies after too many.
    Wrong,
    /// The right code or PIN; the ticket is spent.
    Right,
}

struct Ticket {
    user_id: i64,
    wait: Wait,
    /// The expected answer (code or PIN); empty for `PinNotSet`.
    answer: String,
    wrong: u32,
    expires: Instant,
}

struct FinalToken {
    user_id: i64,
    /// `None` when `token_ttl` is too large to represent: never expires.
    expires: Option<Instant>,
}

/// All live tokens. One lock: logins are rare and quick.
#[derive(Default)]
pub struct Tokens {
    inner: Mutex<TokenMaps>,
}

#[derive(Default)]
struct TokenMaps {
    finals: HashMap<String, FinalToken>,
    tickets: HashMap<String, Ticket>,
    /// The most recently issued tokens, final and interim, live or not: what tests search
    /// a client's logs and errors for.
    issued: VecDeque<String>,
}

/// How many issued tokens are remembered for `Tokens::issued`.
const ISSUED_KEPT: usize = 4096;

impl TokenMaps {
    fn remember(&mut self, token: &str) {
        if self.issued.len() == ISSUED_KEPT {
            self.issued.pop_front();
        }
        self.issued.push_back(token.to_owned());
    }

    /// Drops expired entries so a long-running simulator does not grow.
    fn prune(&mut self, now: Instant) {
        self.finals.retain(|_, t| t.expires.is_none_or(|e| now < e));
        self.tickets.retain(|_, t| now < t.expires);
    }
}

impl Tokens {
    /// The session for an `Authorization` header value, if it names a live
    /// final token. Interim tokens are not sessions.
    pub fn session(&self, authorization: Option<&str>) -> Option<Session> {
        let token = bearer(authorization)?;
        let mut maps = lock(&self.inner);
        let live = maps.finals.get(token)?;
        if live.expires.is_some_and(|e| Instant::now() >= e) {
            maps.finals.remove(token);
            return None;
        }
        Some(Session {
            user_id: live.user_id,
            token: token.to_string(),
        })
    }

    /// A new final token for `user_id`, living `ttl`.
    pub fn issue_final(&self, user_id: i64, ttl: Duration) -> String {
        let token = random::token();
        let now = Instant::now();
        let mut maps = lock(&self.inner);
        maps.prune(now);
        let expires = now.checked_add(ttl);
        maps.finals
            .insert(token.clone(), FinalToken { user_id, expires });
        maps.remember(&token);
        token
    }

    /// A new interim token for `user_id`, waiting for `wait` with this expected answer.
    pub fn issue_ticket(&self, user_id: i64, wait: Wait, answer: String) -> String {
        let token = random::token();
        let now = Instant::now();
        let ticket = Ticket {
            user_id,
            wait,
            answer,
            wrong: 0,
            expires: now + TICKET_TTL,
        };
        let mut maps = lock(&self.inner);
        maps.prune(now);
        maps.tickets.insert(token.clone(), ticket);
        maps.remember(&token);
        token
    }

    /// Checks a second-step `answer` (`step` is `Wait::Code` or `Wait::Pin`) against the
    /// ticket `interim`, which must be live, belong to `user_id` and wait for that step. A
    /// right answer spends the ticket; a wrong one counts against it.
    pub fn answer_ticket(&self, interim: &str, user_id: i64, step: Wait, answer: &str) -> Answer {
        let now = Instant::now();
        let mut maps = lock(&self.inner);
        let Some(ticket) = maps.tickets.get_mut(interim) else {
            return Answer::Corrupted;
        };
        if now >= ticket.expires {
            maps.tickets.remove(interim);
            return Answer::Corrupted;
        }
        let fits = ticket.wait == step || (ticket.wait == Wait::PinNotSet && step == Wait::Pin);
        if ticket.user_id != user_id || !fits {
            return Answer::Corrupted;
        }
        if ticket.wait == Wait::PinNotSet {
            return Answer::PinNotSet;
        }
        if ticket.answer != answer {
            ticket.wrong += 1;
            if ticket.wrong > WRONG_RETRIES {
                maps.tickets.remove(interim);
            }
            return Answer::Wrong;
        }
        maps.tickets.remove(interim);
        Answer::Right
    }

    /// The last tokens issued (up to 4,096), oldest first.
    pub fn issued(&self) -> Vec<String> {
        lock(&self.inner).issued.iter().cloned().collect()
    }

    /// Ends a final token (logout).
    pub fn revoke(&self, token: &str) {
        lock(&self.inner).finals.remove(token);
    }
}

/// The token after `Bearer ` in an `Authorization` value (scheme compared
/// case-insensitively, as OWIN does).
pub fn bearer(authorization: Option<&str>) -> Option<&str> {
    let value = authorization?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_parsing() {
        assert_eq!(bearer(Some("Bearer abc")), Some("abc"));
        assert_eq!(bearer(Some("bearer  abc ")), Some("abc"));
        assert_eq!(bearer(Some("Basic abc")), None);
        assert_eq!(bearer(Some("Bearer")), None);
        assert_eq!(bearer(Some("Bearer ")), None);
        assert_eq!(bearer(None), None);
    }

    #[test]
    fn expired_final_tokens_are_refused() {
        let tokens = Tokens::default();
        let live = tokens.issue_final(7, Duration::from_secs(60));
        let dead = tokens.issue_final(7, Duration::ZERO);
        let s = tokens.session(Some(&format!("Bearer {live}"))).unwrap();
        assert_eq!(s.user_id, 7);
        assert!(tokens.session(Some(&format!("Bearer {dead}"))).is_none());
        // A huge TTL does not overflow; it just never expires.
        let forever = tokens.issue_final(7, Duration::MAX);
        assert!(tokens.session(Some(&format!("Bearer {forever}"))).is_some());
    }
}
