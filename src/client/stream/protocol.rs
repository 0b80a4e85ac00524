//! The streamers' wire protocol: the `CreateSession.txt` address in its two forms, the
//! subscribe commands, and what an incoming text frame is. Messages are flat JSON objects whose
//! values are all strings; control messages carry `Cmd`, data messages `EntityType`.

use crate::client::error::{Error, ErrorKind, Result};
use crate::client::models::listing;
use crate::client::models::scan::{self, Scanner};
use crate::client::secret::Secret;
use std::borrow::Cow;

/// How the stream proves who it is when it connects.
pub enum Credentials {
    /// `User=<login>&Password=<password>`: the password travels in the address.
    Login { login: String, password: Secret },
    /// `User=<UserId>:<StreamerSessionId>&Password=<token>`: the form used by default.
    Session {
        user_id: i64,
        streamer_session: String,
        token: Secret,
    },
}

/// The address of `CreateSession.txt` on the streamer at `base` (`ws://host:port`, maybe with a
/// path). It holds a password or a token: it is never logged or put in an error; `redacted` is.
pub fn create_session_url(base: &str, credentials: &Credentials) -> Secret {
    let (user, password) = match credentials {
        Credentials::Login { login, password } => (login.clone(), password.expose()),
        Credentials::Session {
            user_id,
            streamer_session,
            token,
        } => (format!("{user_id}:{streamer_session}"), token.expose()),
    };
    Secret::from(format!(
        "{}/CreateSession.txt?User={}&Password={}&HttpClientType=WebSocket",
        base.trim_end_matches('/'),
        encode(&user),
        encode(password)
    ))
}

/// The same address for logs and errors: no credentials.
pub fn redacted(base: &str) -> String {
    format!(
        "{}/CreateSession.txt?User=<redacted>&Password=<redacted>",
        base.trim_end_matches('/')
    )
}

/// `Subscribe.txt` or `Unsubscribe.txt`.
pub fn command(cmd: &str, session_id: &str, entity_type: &str, keys: &str) -> String {
    serde_json::json!({
        "Cmd": cmd,
        "SessionId": session_id,
        "Keys": keys,
        "EntityType": entity_type,
        "HttpClientType": "WebSocket",
    })
    .to_string()
}

/// The answer to a server `Ping`.
pub const PONG: &str = r#"{"Cmd":"Pong","StatusCode":"Ok"}"#;

/// What an incoming text frame is.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming<'a> {
    /// `CreateSession.txt` answered: the session id, or `None` for `StatusCode: Error`.
    Session(Option<String>),
    /// The server's liveness `Ping`.
    Ping,
    /// Any other control message (acknowledgements): tolerated, not delivered.
    Control,
    /// A data message: its entity type and key (a security, account, user or list id).
    Data {
        entity_type: Cow<'a, str>,
        key: Cow<'a, str>,
    },
}

/// Reads one text frame by its leading fields: a data message by `EntityType` and `Key` (the
/// rest is read by whoever takes the event), a control message by `Cmd`. A frame that is not a
/// JSON object is a protocol error.
pub fn classify(text: &str) -> Result<Incoming<'_>> {
    match compact_data(text) {
        Some(data) => Ok(data),
        None => classify_general(text),
    }
}

fn classify_general(text: &str) -> Result<Incoming<'_>> {
    let (mut entity, mut key, mut cmd, mut status, mut session) = (None, None, None, None, None);
    listing::leading_fields(text, |name, value| {
        match name {
            "EntityType" => entity = value,
            "Key" => key = value,
            "Cmd" => cmd = value,
            "StatusCode" => status = value,
            // The docs spell it `SessionId` and `SessionID`.
            "SessionId" | "SessionID" => session = value,
            _ => {}
        }
        // A data message is known once its type and key are; a control message is short.
        !(entity.is_some() && key.is_some())
    })
    .map_err(|e| {
        Error::new(
            ErrorKind::Protocol,
            format!(
                "the streamer sent a message that is not a JSON object ({})",
                e.message()
            ),
        )
    })?;
    if let Some(entity_type) = entity {
        return Ok(Incoming::Data {
            entity_type,
            key: key.unwrap_or_default(),
        });
    }
    let cmd = cmd.unwrap_or_default();
    // The docs warn that one page spells CreateSession with a Cyrillic first letter.
    if cmd.ends_with("reateSession.txt") {
        let ok = status.is_some_and(|s| s.eq_ignore_ascii_case("ok"));
        return Ok(Incoming::Session(
            ok.then(|| session.map(Cow::into_owned).unwrap_or_default()),
        ));
    }
    if cmd.eq_ignore_ascii_case("ping") {
        return Ok(Incoming::Ping);
    }
    Ok(Incoming::Control)
}

/// A data message as the streamers write it, `{"EntityType":"...","Key":"...",`, or with white
/// space between those tokens (some servers write `"EntityType": "Quote"`): its type and key
/// read in place (`None`: anything else, for the general reader).
fn compact_data(text: &str) -> Option<Incoming<'_>> {
    let (entity_type, key) = exact_prefix(text).or_else(|| spaced_prefix(text))?;
    Some(Incoming::Data {
        entity_type: Cow::Borrowed(entity_type),
        key: Cow::Borrowed(key),
    })
}

/// The type and key of `{"EntityType":"...","Key":"...",` (fixed bytes, compared as integers).
fn exact_prefix(text: &str) -> Option<(&str, &str)> {
    const TYPE: &str = r#"{"EntityType":""#;
    const KEY: &str = r#"","Key":""#;
    let plain = |from: usize| {
        let len = scan::to_special(text.as_bytes().get(from..)?)?;
        (text.as_bytes()[from + len] == b'"').then(|| &text[from..from + len])
    };
    // Each fixed part checked before the string after it is sliced: past a part that does not
    // match, a place need not be a character boundary.
    if !text.starts_with(TYPE) {
        return None;
    }
    let entity_type = plain(TYPE.len())?;
    let key_at = TYPE.len() + entity_type.len();
    if !text[key_at..].starts_with(KEY) {
        return None;
    }
    Some((entity_type, plain(key_at + KEY.len())?))
}

/// `exact_prefix` with white space allowed between the tokens, through the general steps.
#[cold]
fn spaced_prefix(text: &str) -> Option<(&str, &str)> {
    let mut s = Scanner::new(text, 0);
    s.byte(b'{')?;
    (s.string()? == "EntityType").then_some(())?;
    s.byte(b':')?;
    let entity_type = s.string()?;
    s.byte(b',')?;
    (s.string()? == "Key").then_some(())?;
    s.byte(b':')?;
    Some((entity_type, s.string()?))
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_connect_forms_encode_their_values() {
        let login = Credentials::Login {
            login: "bob".into(),
            password: Secret::new("p&ss w=rd"),
        };
        let url = create_session_url("ws://127.0.0.1:9/", &login);
        assert_eq!(
            url.expose(),
            "ws://127.0.0.1:9/CreateSession.txt?User=bob&Password=p%26ss%20w%3Drd&HttpClientType=WebSocket"
        );
        let session = Credentials::Session {
            user_id: 101,
            streamer_session: "abc-1".into(),
            token: Secret::new("tok+/="),
        };
        let url = create_session_url("wss://q.example:9995", &session);
        assert_eq!(
            url.expose(),
            "wss://q.example:9995/CreateSession.txt?User=101%3Aabc-1&Password=tok%2B%2F%3D&HttpClientType=WebSocket"
        );
        assert!(!redacted("wss://q.example:9995").contains("tok"));
    }

    #[test]
    fn incoming_frames_are_sorted() {
        assert_eq!(
            classify(r#"{"Cmd":"CreateSession.txt","StatusCode":"Ok","SessionId":"g-1"}"#).unwrap(),
            Incoming::Session(Some("g-1".into()))
        );
        assert_eq!(
            classify(r#"{"Cmd":"CreateSession.txt","StatusCode":"Error"}"#).unwrap(),
            Incoming::Session(None)
        );
        assert_eq!(classify(r#"{"Cmd":"ping"}"#).unwrap(), Incoming::Ping);
        assert_eq!(
            classify(r#"{"Cmd":"Subscribe.txt","StatusCode":"Ok"}"#).unwrap(),
            Incoming::Control
        );
        assert_eq!(
            classify(r#"{"EntityType": "Quote","Key":"5","Bid":"1.5"}"#).unwrap(),
            Incoming::Data {
                entity_type: "Quote".into(),
                key: "5".into()
            }
        );
        match classify(r#"{"EntityType":"Quote","Key":"5","Bid":"1.5"}"#).unwrap() {
            Incoming::Data { key, .. } => assert!(matches!(key, Cow::Borrowed("5"))),
            other => panic!("{other:?}"),
        }
        // An escaped key is unescaped (and owned); a raw control character is refused.
        assert_eq!(
            classify(r#"{"EntityType":"Quote","Key":"5"}"#).unwrap(),
            Incoming::Data {
                entity_type: "Quote".into(),
                key: "5".into()
            }
        );
        assert!(classify("{\"EntityType\":\"Quo\nte\",\"Key\":\"5\"}").is_err());
        assert!(classify("[1]").is_err() && classify("not json").is_err());
        // The compact form is read in place, as the general reader reads it.
        for text in [
            r#"{"EntityType":"Quote","Key":"5","Bid":"1.5"}"#,
            r#"{"EntityType":"Order","Key":"","Id":"1"}"#,
            r#"{"EntityType":"Quote","Key":"5"}"#,
            r#"{"EntityType":"Quote","Key":"\u0035"}"#,
            r#"{"EntityType":"Quote","Symbol":"A","Key":"5"}"#,
            r#"{"EntityType":"Quote","Key":"5"#,
            r#"{"EntityType": "Quote", "Key": "5", "Bid": "1.5"}"#,
            " {\n\t\"EntityType\" :\r\"Quote\" ,\"Key\":  \"5\"}",
            r#"{"EntityType": "Quote", "Key": 5}"#,
            r#"{"EntityType": "Quote" "Key": "5"}"#,
            r#"{"EntityType": "Quote", "Key" "5"}"#,
            r#"{"EntityType": "Quote",, "Key": "5"}"#,
            "{\"EntityType\":\u{a0}\"Quote\",\"Key\":\"5\"}",
        ] {
            let general = super::classify_general(text).ok();
            assert_eq!(
                compact_data(text).or_else(|| general.clone()),
                general,
                "{text}"
            );
        }
        assert!(compact_data(r#"{"EntityType":"Quote","Key":"5","Bid":"1"}"#).is_some());
        assert!(compact_data(r#"{"EntityType": "Quote", "Key": "5", "Bid": "1"}"#).is_some());
        // Every byte of either form replaced by, or with, each character that matters, or
        // dropped: what is read in place, the general reader reads the same.
        for base in [
            r#"{"EntityType":"Quote","Key":"5","Bid":"1.5"}"#,
            r#"{ "EntityType": "Order", "Key": "1001", "Id": "7" }"#,
        ] {
            let mut in_place = 0;
            for at in 0..=base.len() {
                for c in ["\"", "\\", ",", ":", "{", " ", "\n", "\u{1}", "x", "é", ""] {
                    for skip in [0, 1] {
                        let Some(rest) = base.get(at + skip..) else {
                            continue;
                        };
                        let text = format!("{}{c}{rest}", &base[..at]);
                        let general = super::classify_general(&text).ok();
                        let fast = compact_data(&text);
                        in_place += usize::from(fast.is_some());
                        assert_eq!(fast.or_else(|| general.clone()), general, "{text}");
                    }
                }
            }
            assert!(in_place > 200, "{in_place}");
        }
        let subscribe = command("Subscribe.txt", "s", "Quote", "5;7");
        let v: serde_json::Value = serde_json::from_str(&subscribe).unwrap();
        assert_eq!(
            (v["Keys"].as_str(), v["HttpClientType"].as_str()),
            (Some("5;7"), Some("WebSocket"))
        );
    }
}
