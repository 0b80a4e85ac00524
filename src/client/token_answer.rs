//! What an answer of `POST /token` means: a login state, or a named error.
//! Pure functions, so every documented answer is unit-tested without a server.

use crate::client::broker_error::{broker_reason, status_error};
use crate::client::error::{Error, ErrorKind, HttpDetails, Result};
use crate::client::secret::Secret;
use serde_json::{Map, Value};
use std::time::Duration;

/// Where a login stands. The numbers are the C ABI's `ETNA_AUTH_*` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthState {
    None = 0,
    VerificationRequired = 1,
    PinRequired = 2,
    Authenticated = 3,
}

impl AuthState {
    pub fn name(self) -> &'static str {
        match self {
            AuthState::None => "NONE",
            AuthState::VerificationRequired => "VERIFICATION_REQUIRED",
            AuthState::PinRequired => "PIN_REQUIRED",
            AuthState::Authenticated => "AUTHENTICATED",
        }
    }
}

/// A successful answer: the login is done, or the broker expects one more step.
#[derive(Debug)]
pub enum TokenAnswer {
    Succeeded { token: Secret },
    Expecting { next: AuthState, interim: Secret },
}

/// Reads one `/token` answer.
pub fn interpret(status: u16, body: &str, retry_after: Option<Duration>) -> Result<TokenAnswer> {
    let object = match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(o)) => Some(o),
        _ => None,
    };
    let details = || HttpDetails {
        status,
        reason: broker_reason(body),
        body: redact_tokens(object.as_ref(), body),
        retry_after,
    };
    let fail =
        |kind: ErrorKind, message: String| Err(Error::new(kind, message).with_http(details()));
    let Some(obj) = object.as_ref() else {
        if matches!(status, 200..=299 | 401 | 403) {
            return fail(
                ErrorKind::Protocol,
                format!("POST token: HTTP {status} answer is not a JSON object"),
            );
        }
        return Err(status_error("POST token", status, details()));
    };
    let field = |name: &str| obj.get(name).and_then(Value::as_str).unwrap_or("");
    let (state, step, reason) = (field("State"), field("Step"), field("Reason"));
    let quoted = if reason.is_empty() {
        String::new()
    } else {
        format!(" (broker: '{reason}')")
    };
    let ok_status = (200..300).contains(&status);
    match state {
        "Succeeded" if ok_status => match token(obj) {
            Some(token) => Ok(TokenAnswer::Succeeded { token }),
            None => fail(
                ErrorKind::Protocol,
                "POST token: 'Succeeded' answer carries no Token".into(),
            ),
        },
        "Expecting" if ok_status => {
            let next = match step {
                "VerificationCode" => AuthState::VerificationRequired,
                "SecutityPin" | "SecurityPin" if pin_not_set(reason) => {
                    return fail(ErrorKind::PinNotSet, pin_not_set_message(&quoted));
                }
                "SecutityPin" | "SecurityPin" => AuthState::PinRequired,
                other => {
                    return fail(
                        ErrorKind::Protocol,
                        format!("POST token: unknown login step '{other}'"),
                    );
                }
            };
            match token(obj) {
                Some(interim) => Ok(TokenAnswer::Expecting { next, interim }),
                None => fail(
                    ErrorKind::Protocol,
                    "POST token: 'Expecting' answer carries no Token".into(),
                ),
            }
        }
        "Failed" => match step {
            "BaseAuthentication" if reason.to_ascii_lowercase().contains("expired") => fail(
                ErrorKind::PasswordExpired,
                format!(
                    "login failed: the password has expired and must be changed on the broker's site{quoted}"
                ),
            ),
            "BaseAuthentication" => fail(
                ErrorKind::InvalidCredentials,
                format!("login failed: the broker rejected the user name or password{quoted}"),
            ),
            "VerificationCode" => fail(
                ErrorKind::InvalidVerificationCode,
                format!("verification failed: the broker rejected the code{quoted}"),
            ),
            "SecutityPin" | "SecurityPin" if pin_not_set(reason) => {
                fail(ErrorKind::PinNotSet, pin_not_set_message(&quoted))
            }
            "SecutityPin" | "SecurityPin" => fail(
                ErrorKind::InvalidPin,
                format!("PIN step failed: the broker rejected the PIN{quoted}"),
            ),
            other => fail(
                ErrorKind::Protocol,
                format!("POST token: 'Failed' at unknown step '{other}'{quoted}"),
            ),
        },
        "" if obj.contains_key("error") && matches!(status, 401 | 403) => fail(
            ErrorKind::InvalidAppKey,
            format!(
                "the broker does not accept the application key (Et-App-Key){}",
                broker_reason(body)
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ),
        ),
        "" if !ok_status => Err(status_error("POST token", status, details())),
        "" => fail(
            ErrorKind::Protocol,
            format!("POST token: HTTP {status} answer has no State"),
        ),
        other => fail(
            ErrorKind::Protocol,
            format!("POST token: unknown State '{other}' with HTTP {status}"),
        ),
    }
}

fn token(obj: &Map<String, Value>) -> Option<Secret> {
    match obj.get("Token") {
        Some(Value::String(t)) if !t.is_empty() => Some(Secret::new(t)),
        _ => None,
    }
}

fn pin_not_set(reason: &str) -> bool {
    reason.to_ascii_lowercase().contains("not init")
}

fn pin_not_set_message(quoted: &str) -> String {
    format!(
        "login needs a security PIN, but none is set up for this account{quoted}: \
         set a PIN on the broker's platform, then log in again"
    )
}

/// The body as kept on an error: any `...Token` field (`Failed` answers may carry a
/// `ConfirmationToken`) is replaced, so no token reaches a caller's log through
/// `etna_error_body`. A body that does not parse (cut short, garbled) is redacted by pattern.
fn redact_tokens(object: Option<&Map<String, Value>>, body: &str) -> String {
    let Some(obj) = object else {
        return redact_token_text(body);
    };
    if !obj.keys().any(|k| is_token_key(k)) {
        return body.to_owned();
    }
    let mut copy = obj.clone();
    for (key, value) in copy.iter_mut() {
        if is_token_key(key) {
            *value = Value::String("<redacted>".into());
        }
    }
    Value::Object(copy).to_string()
}

fn is_token_key(key: &str) -> bool {
    key.to_ascii_lowercase().ends_with("token")
}

/// Replaces the string value of every `"...token":` key in text that is not JSON, up to its
/// closing quote or, in a body cut short inside the token, to the end. Keys are found by their
/// spelling, not by pairing quotes, which a garbled body may have thrown out of step.
fn redact_token_text(body: &str) -> String {
    let bytes = body.as_bytes();
    let lower = body.to_ascii_lowercase();
    let mut out = String::with_capacity(body.len());
    let mut copied = 0;
    for found in memchr::memmem::find_iter(lower.as_bytes(), b"token\"") {
        let mut j = found + "token\"".len();
        let skip_space = |mut j: usize| {
            while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            j
        };
        j = skip_space(j);
        if bytes.get(j) != Some(&b':') {
            continue;
        }
        j = skip_space(j + 1);
        if bytes.get(j) != Some(&b'"') || j < copied {
            continue;
        }
        let value_start = j + 1;
        let mut end = value_start;
        while end < bytes.len() && bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        out.push_str(&body[copied..value_start]);
        out.push_str("<redacted>");
        copied = end.min(bytes.len());
    }
    out.push_str(&body[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_of(status: u16, body: &str) -> (AuthState, String) {
        match interpret(status, body, None).expect(body) {
            TokenAnswer::Succeeded { token } => {
                (AuthState::Authenticated, token.expose().to_owned())
            }
            TokenAnswer::Expecting { next, interim } => (next, interim.expose().to_owned()),
        }
    }

    fn error_of(status: u16, body: &str) -> Error {
        interpret(status, body, None).expect_err(body)
    }

    #[test]
    fn succeeded_gives_the_final_token() {
        assert_eq!(
            state_of(200, r#"{"State":"Succeeded","Token":"fin+al/="}"#),
            (AuthState::Authenticated, "fin+al/=".into())
        );
    }

    #[test]
    fn expecting_a_verification_code_keeps_the_interim_token() {
        let body = r#"{"Step":"VerificationCode","Reason":"Expecting confirmation code","State":"Expecting","Token":"interim"}"#;
        assert_eq!(
            state_of(202, body),
            (AuthState::VerificationRequired, "interim".into())
        );
    }

    #[test]
    fn expecting_the_secutity_pin_step_asks_for_a_pin() {
        let body =
            r#"{"Step":"SecutityPin","Reason":"Invalid pin","State":"Expecting","Token":"t"}"#;
        assert_eq!(state_of(202, body).0, AuthState::PinRequired);
    }

    #[test]
    fn each_documented_failure_has_its_own_error() {
        let cases = [
            (
                401,
                r#"{"State":"Failed","Step":"BaseAuthentication","Reason":"Invalid credentials"}"#,
                ErrorKind::InvalidCredentials,
            ),
            (
                401,
                r#"{"State":"Failed","Step":"BaseAuthentication","Reason":"Your Password has expired and must be changed"}"#,
                ErrorKind::PasswordExpired,
            ),
            (
                401,
                r#"{"State":"Failed","Step":"VerificationCode","Reason":"Corrupted ticket"}"#,
                ErrorKind::InvalidVerificationCode,
            ),
            (
                401,
                r#"{"State":"Failed","Step":"SecutityPin","Reason":"Invalid pin"}"#,
                ErrorKind::InvalidPin,
            ),
            (
                202,
                r#"{"Step":"SecutityPin","Reason":"PIN code is not init","State":"Expecting","Token":"t"}"#,
                ErrorKind::PinNotSet,
            ),
            (
                403,
                r#"{"error":"Application key is not defined or does not exist"}"#,
                ErrorKind::InvalidAppKey,
            ),
            (
                401,
                r#"{"error":"Application key is not defined or does not exist"}"#,
                ErrorKind::InvalidAppKey,
            ),
            (
                429,
                r#"{"Message":"Too many requests"}"#,
                ErrorKind::RateLimited,
            ),
            (
                500,
                r#"{"message":"An error occurred while processing your request","error":"Unexpected server error"}"#,
                ErrorKind::Http,
            ),
            (502, "<html>Bad gateway</html>", ErrorKind::Http),
            (
                401,
                r#"{"Message":"Authorization has been denied for this request."}"#,
                ErrorKind::NotAuthenticated,
            ),
        ];
        for (status, body, kind) in cases {
            let e = error_of(status, body);
            assert_eq!(e.kind(), kind, "{body}");
            assert_eq!(e.http().unwrap().status, status);
        }
    }

    #[test]
    fn reasons_are_carried_and_quoted() {
        let e = error_of(
            401,
            r#"{"State":"Failed","Step":"BaseAuthentication","Reason":"Invalid credentials"}"#,
        );
        assert_eq!(
            e.http().unwrap().reason.as_deref(),
            Some("Invalid credentials")
        );
        assert!(
            e.message().contains("Invalid credentials"),
            "{}",
            e.message()
        );
        let e = error_of(
            202,
            r#"{"Step":"SecutityPin","Reason":"PIN code is not init","State":"Expecting","Token":"t"}"#,
        );
        assert!(e.message().contains("PIN code is not init") && e.message().contains("set a PIN"));
    }

    #[test]
    fn answers_off_the_protocol_are_protocol_errors() {
        for (status, body) in [
            (200, "not json"),
            (200, "[1,2]"),
            (200, r#"{"State":"Succeeded"}"#),
            (200, r#"{"State":"Succeeded","Token":""}"#),
            (202, r#"{"State":"Expecting","Step":"Captcha","Token":"t"}"#),
            (202, r#"{"State":"Expecting","Step":"VerificationCode"}"#),
            (200, r#"{"State":"TwoFactorAuthRequired","Token":"t"}"#),
            (200, r#"{"Token":"t"}"#),
            (401, "Unauthorized"),
            (401, r#"{"State":"Failed","Step":"Retina"}"#),
        ] {
            assert_eq!(
                error_of(status, body).kind(),
                ErrorKind::Protocol,
                "{status} {body}"
            );
        }
    }

    #[test]
    fn no_token_survives_in_an_error_body() {
        let e = error_of(
            200,
            r#"{"State":"Weird","Token":"s3cr3t","ConfirmationToken":"c0nf"}"#,
        );
        let body = &e.http().unwrap().body;
        assert!(!body.contains("s3cr3t") && !body.contains("c0nf"), "{body}");
        assert!(!format!("{e:?}").contains("s3cr3t"));
    }

    #[test]
    fn no_part_of_a_token_survives_in_a_garbled_body() {
        let token = "eyJhbGciOiJIUzI1NiJ9.payload-part.sig";
        let whole = format!(r#"{{"State":"Succeeded","Token":"{token}","Extra":"x"}}"#);
        // Every way of cutting the answer short, and a few ways of garbling it.
        let mut bodies: Vec<String> = (1..whole.len()).map(|n| whole[..n].to_owned()).collect();
        bodies.push(format!(r#"{{"Reason":"a \" quote","token" : "{token}"#));
        bodies.push(format!(r#"<html>{{"accessToken":"{token}\"more"}}</html>"#));
        bodies.push(format!(r#"{{"State":"Succeeded","TOKEN":"{token}"}}}}"#));
        for body in &bodies {
            for status in [200, 401, 500] {
                let Err(e) = interpret(status, body, None) else {
                    continue;
                };
                let kept = e.http().map(|h| h.body.as_str()).unwrap_or("");
                // Any 12 characters in a row of the token would be a leak.
                for piece in token.as_bytes().windows(12) {
                    let piece = std::str::from_utf8(piece).unwrap();
                    assert!(!kept.contains(piece), "{body:?} kept {kept:?}");
                    assert!(!e.message().contains(piece), "{}", e.message());
                }
            }
        }
        assert_eq!(
            redact_token_text(r#"{"Reason":"no","Tok"#),
            r#"{"Reason":"no","Tok"#,
            "text without a token value is kept as it is"
        );
    }
}
