//! `POST /api/token`, `POST /api/logout` and bearer checking.
//!
//! Login is a small state machine (reference §2): step one checks the
//! `Username`/`Password` headers and either issues a final token (200) or an
//! interim one (202) naming the next step; the interim token, sent back as
//! `Authorization: Bearer`, is a "ticket" for that one user and step. Tickets
//! live five minutes and survive three wrong retries; final tokens live
//! `token_ttl` and die on logout.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::json::Obj;
use super::reply::Reply;
use super::routes::Call;
use super::users::{SignIn, User};
use super::{State, lock, random};

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
enum Wait {
    /// A code sent to the user's outbox.
    Code,
    /// The user's PIN.
    Pin,
    /// A PIN the user never set: no answer is accepted.
    PinNotSet,
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

    fn issue_final(&self, user_id: i64, ttl: Duration) -> String {
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

    fn issue_ticket(&self, user_id: i64, wait: Wait, answer: String) -> String {
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

    /// The last tokens issued (up to 4,096), oldest first.
    pub fn issued(&self) -> Vec<String> {
        lock(&self.inner).issued.iter().cloned().collect()
    }

    fn revoke(&self, token: &str) {
        lock(&self.inner).finals.remove(token);
    }
}

/// The token after `Bearer ` in an `Authorization` value (scheme compared
/// case-insensitively, as OWIN does).
fn bearer(authorization: Option<&str>) -> Option<&str> {
    let value = authorization?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

// --- the documented /token bodies -------------------------------------------

const BASE: &str = "BaseAuthentication";
const CODE_STEP: &str = "VerificationCode";
const PIN_STEP: &str = "SecutityPin"; // sic: the broker's spelling

fn succeeded(token: String) -> Reply {
    Reply::json(
        200,
        Obj::new().with("State", "Succeeded").with("Token", token),
    )
}

fn expecting(step: &str, reason: &str, token: String) -> Reply {
    Reply::json(
        202,
        Obj::new()
            .with("Step", step)
            .with("Reason", reason)
            .with("State", "Expecting")
            .with("Token", token),
    )
}

fn failed(step: &str, reason: &str) -> Reply {
    Reply::json(
        401,
        Obj::new()
            .with("State", "Failed")
            .with("Step", step)
            .with("Reason", reason),
    )
}

fn pin_not_set(token: String) -> Reply {
    expecting(PIN_STEP, "PIN code is not init", token)
}

// --- routes -----------------------------------------------------------------

/// `POST /api/token`: the step is chosen by which header is present.
pub fn token(state: &State, call: &Call) -> Reply {
    let user = credentials(state, call);
    if let Some(code) = call.header("VerificationCode") {
        second_step(state, call, user, Wait::Code, code)
    } else if let Some(pin) = call.header("PinCode") {
        second_step(state, call, user, Wait::Pin, pin)
    } else {
        first_step(state, user)
    }
}

/// The user whose `Username` and `Password` headers both match.
fn credentials<'s>(state: &'s State, call: &Call) -> Option<&'s User> {
    let username = call.header("Username")?;
    let password = call.header("Password")?;
    state
        .user_by_login(username)
        .filter(|u| u.password == password)
}

fn first_step(state: &State, user: Option<&User>) -> Reply {
    let Some(user) = user else {
        return failed(BASE, "Invalid credentials");
    };
    let tokens = &state.auth;
    match &user.sign_in {
        SignIn::Password => succeeded(tokens.issue_final(user.id, state.token_ttl())),
        SignIn::TwoFactor => {
            let code = state.config.fixed_code.clone().unwrap_or_else(random::code);
            state.outbox.deliver(user.login, &code);
            let ticket = tokens.issue_ticket(user.id, Wait::Code, code);
            expecting(CODE_STEP, "Expecting confirmation code", ticket)
        }
        SignIn::Pin(pin) => {
            let ticket = tokens.issue_ticket(user.id, Wait::Pin, pin.to_string());
            expecting(PIN_STEP, "Invalid pin", ticket)
        }
        SignIn::PinNotSet => {
            pin_not_set(tokens.issue_ticket(user.id, Wait::PinNotSet, String::new()))
        }
        SignIn::PasswordExpired => failed(BASE, "Your Password has expired and must be changed"),
    }
}

/// A `VerificationCode` (`step == Wait::Code`) or `PinCode` (`Wait::Pin`)
/// answer to the ticket in the bearer header.
fn second_step(state: &State, call: &Call, user: Option<&User>, step: Wait, answer: &str) -> Reply {
    let step_name = if step == Wait::Code {
        CODE_STEP
    } else {
        PIN_STEP
    };
    // The documented second step repeats Username and Password; check them.
    let Some(user) = user else {
        return failed(BASE, "Invalid credentials");
    };
    let corrupted = || failed(step_name, "Corrupted ticket");
    let Some(interim) = bearer(call.header("Authorization")) else {
        return corrupted();
    };

    let now = Instant::now();
    let mut maps = lock(&state.auth.inner);
    let Some(ticket) = maps.tickets.get_mut(interim) else {
        return corrupted();
    };
    if now >= ticket.expires {
        maps.tickets.remove(interim);
        return corrupted();
    }
    let fits = ticket.wait == step || (ticket.wait == Wait::PinNotSet && step == Wait::Pin);
    if ticket.user_id != user.id || !fits {
        return corrupted();
    }
    if ticket.wait == Wait::PinNotSet {
        return pin_not_set(interim.to_string());
    }
    if ticket.answer != answer {
        ticket.wrong += 1;
        if ticket.wrong > WRONG_RETRIES {
            maps.tickets.remove(interim);
        }
        let reason = if step == Wait::Code {
            "Invalid verification code"
        } else {
            "Invalid pin"
        };
        return failed(step_name, reason);
    }
    maps.tickets.remove(interim);
    drop(maps);
    succeeded(state.auth.issue_final(user.id, state.token_ttl()))
}

/// `POST /api/logout`: revokes the caller's token (guarded by the bearer).
pub fn logout(state: &State, call: &Call) -> Reply {
    state.auth.revoke(&call.session().token);
    Reply::empty(204)
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
