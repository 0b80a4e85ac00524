//! `GET streamers` and `PUT streamers/session/recover`. The simulator runs
//! no streaming server: the addresses are placeholders on 127.0.0.1 at the
//! broker's usual ports (quote 9999, data 9995).

use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::{Json, Obj};
use crate::{State, random};

/// A random GUID in .NET's `D` format.
fn guid() -> String {
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

/// `GET streamers`
pub fn list(_: &State, _: &Call) -> Reply {
    let quote = Obj::new()
        .with("Url", "ws://127.0.0.1:9999")
        .with("Type", "WebSocket")
        .with("SessionId", guid());
    let data = Obj::new()
        .with("Url", "ws://127.0.0.1:9995")
        .with("Type", "WebSocket");
    Reply::json(
        200,
        Obj::new()
            .with("QuoteAddresses", vec![Json::from(quote)])
            .with("DataAddresses", vec![Json::from(data)]),
    )
}

/// `PUT streamers/session/recover?sessionType=0|1` (0 data, 1 quote):
/// `{"Id":"<guid>"}`.
pub fn recover(_: &State, call: &Call) -> Reply {
    match call.query("sessionType").as_deref().map(str::trim) {
        None => reply::not_found(&call.full_url),
        Some("0" | "1") => Reply::json(200, Obj::new().with("Id", guid())),
        Some(_) => reply::invalid_request(),
    }
}
