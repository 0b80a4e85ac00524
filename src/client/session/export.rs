//! Carrying a login across a restart without a new two-factor prompt. The exported text holds
//! the token, its expiry, the user name, the base URL and a fingerprint of the app key, sealed
//! with an HMAC keyed by the app key, so an edited text is refused. Never the password, never
//! the key. The text is a credential: whoever holds it can trade until the token expires.

use super::login::bearer_of;
use super::{Auth, Session, lock};
use crate::client::error::{Error, ErrorKind, Result};
use crate::client::secret::Secret;
use crate::client::token_answer::AuthState;
use ring::{digest, hmac};
use serde_json::{Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use zeroize::Zeroizing;

const FORMAT: &str = "libetna-session/1";

/// A short digest that tells app keys apart without revealing one.
pub(super) fn fingerprint(app_key: &str) -> String {
    let digest = digest::digest(
        &digest::SHA256,
        format!("libetna app key\0{app_key}").as_bytes(),
    );
    format!("sha256:{}", hex(&digest.as_ref()[..16]))
}

/// The HMAC key for sealing exported sessions, derived from the app key.
pub(super) fn seal_key(app_key: &str) -> hmac::Key {
    hmac::Key::new(
        hmac::HMAC_SHA256,
        format!("libetna session seal\0{app_key}").as_bytes(),
    )
}

impl Session {
    /// The logged-in session as text for `import_session` (a credential: store it like a
    /// password, e.g. a file of mode 0600 written atomically).
    pub fn export_session(&self) -> Result<String> {
        let (token, expires_at, username) = {
            let auth = lock(&self.auth);
            match (auth.state, &auth.bearer, auth.expires_at) {
                (AuthState::Authenticated, Some(bearer), Some(expires)) => {
                    let token = bearer
                        .to_str()
                        .unwrap_or_default()
                        .trim_start_matches("Bearer ")
                        .to_owned();
                    (
                        Zeroizing::new(token),
                        unix(expires),
                        auth.username.clone().unwrap_or_default(),
                    )
                }
                _ => {
                    return Err(Error::new(
                        ErrorKind::InvalidState,
                        "only a logged-in session can be exported",
                    ));
                }
            }
        };
        let mac = self.seal(&username, &token, expires_at);
        let text = json!({
            "Format": FORMAT,
            "BaseUrl": self.base_url(),
            "AppKeyFingerprint": self.app_key_fingerprint,
            "Username": username,
            "Token": token.as_str(),
            "ExpiresAt": expires_at,
            "Mac": mac,
        });
        Ok(text.to_string())
    }

    /// Restores a session exported by `export_session`, without a `/token` call. Refuses text
    /// for another base URL or app key, an expired token, and malformed or edited text.
    pub fn import_session(&self, text: &str) -> Result<()> {
        let bad = |why: &str| Error::invalid_argument(format!("session text refused: {why}"));
        let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(text) else {
            return Err(bad("it is not a JSON object"));
        };
        let field = |name: &str| {
            fields
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| bad(&format!("{name} is missing")))
        };
        if field("Format")? != FORMAT {
            return Err(bad("unknown format"));
        }
        if field("BaseUrl")? != self.base_url() {
            return Err(bad("it was exported for another broker URL"));
        }
        if field("AppKeyFingerprint")? != self.app_key_fingerprint {
            return Err(bad("it was exported with another app key"));
        }
        let username = field("Username")?.to_owned();
        let token = Secret::new(field("Token")?);
        let expires_at = fields
            .get("ExpiresAt")
            .and_then(Value::as_u64)
            .ok_or_else(|| bad("ExpiresAt is missing"))?;
        let mac = hex_decode(field("Mac")?).ok_or_else(|| bad("Mac is malformed"))?;
        let message = seal_message(&username, token.expose(), expires_at);
        hmac::verify(&self.seal_key, message.as_bytes(), &mac)
            .map_err(|_| bad("it was altered (its seal does not match)"))?;
        let expires = UNIX_EPOCH + Duration::from_secs(expires_at);
        if expires <= SystemTime::now() {
            return Err(Error::new(
                ErrorKind::NotAuthenticated,
                "session text refused: its token has expired",
            ));
        }
        let bearer = bearer_of(&token)?;
        let before = {
            let mut auth = lock(&self.auth);
            let before = auth.state;
            *auth = Auth {
                state: AuthState::Authenticated,
                pending: None,
                bearer: Some(bearer),
                expires_at: Some(expires),
                username: Some(username),
                generation: auth.generation + 1,
            };
            before
        };
        self.announce(before, AuthState::Authenticated);
        Ok(())
    }

    fn seal(&self, username: &str, token: &str, expires_at: u64) -> String {
        hex(hmac::sign(
            &self.seal_key,
            seal_message(username, token, expires_at).as_bytes(),
        )
        .as_ref())
    }
}

fn seal_message(username: &str, token: &str, expires_at: u64) -> Zeroizing<String> {
    Zeroizing::new(format!("{FORMAT}\0{username}\0{token}\0{expires_at}"))
}

fn unix(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_but_expired_session_is_refused() {
        let s = Session::new("http://127.0.0.1:9/api/", "key").unwrap();
        let past = unix(SystemTime::now()) - 10;
        let text = json!({
            "Format": FORMAT,
            "BaseUrl": s.base_url(),
            "AppKeyFingerprint": s.app_key_fingerprint,
            "Username": "alice",
            "Token": "tok",
            "ExpiresAt": past,
            "Mac": s.seal("alice", "tok", past),
        });
        let e = s.import_session(&text.to_string()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotAuthenticated);
        assert!(e.message().contains("expired"));
        assert_eq!(s.auth_state(), AuthState::None);
    }

    #[test]
    fn fingerprints_tell_keys_apart_without_showing_them() {
        assert_eq!(fingerprint("k1"), fingerprint("k1"));
        assert_ne!(fingerprint("k1"), fingerprint("k2"));
        assert!(!fingerprint("secret-key").contains("secret"));
        assert_eq!(hex_decode("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(hex_decode("0g"), None);
        assert_eq!(hex_decode("abc"), None);
    }
}
