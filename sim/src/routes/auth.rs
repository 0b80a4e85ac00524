//! `POST /api/token` and `POST /api/logout`.
//!
//! Sign-in is a small state machine, as the broker documents it: step one
//! checks the `Username`/`Password` headers and either issues a final token
//! (200) or an interim one (202) naming the next step; the interim token,
//! sent back as `Authorization: Bearer` with the code or PIN, is a "ticket"
//! for that one user and step (see `tokens`). Bearer checking of the other
//! routes is in `http::router`.

use crate::State;
use crate::http::reply::Reply;
use crate::http::router::Call;
use crate::json::Obj;
use crate::random;
use crate::tokens::{Answer, Wait, bearer};
use crate::users::{SignIn, User};

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
    let tokens = &state.tokens;
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

    match state.tokens.answer_ticket(interim, user.id, step, answer) {
        Answer::Corrupted => corrupted(),
        Answer::PinNotSet => pin_not_set(interim.to_string()),
        Answer::Wrong => {
            let reason = if step == Wait::Code {
                "Invalid verification code"
            } else {
                "Invalid pin"
            };
            failed(step_name, reason)
        }
        Answer::Right => succeeded(state.tokens.issue_final(user.id, state.token_ttl())),
    }
}

/// `POST /api/logout`: revokes the caller's token (guarded by the bearer).
pub fn logout(state: &State, call: &Call) -> Reply {
    state.tokens.revoke(&call.session().token);
    Reply::empty(204)
}
