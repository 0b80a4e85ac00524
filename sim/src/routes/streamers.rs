//! `GET streamers` and `PUT streamers/session/recover`: where the simulator's quote and data
//! streamers listen (`streaming`), and streamer session ids for the session form of
//! `CreateSession.txt`.

use crate::State;
use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::{Json, Obj};
use crate::streaming::Streamer;

/// `GET streamers`: both addresses; the quote address carries a streamer session id issued to
/// the caller for the quote streamer.
pub fn list(state: &State, call: &Call) -> Reply {
    let user_id = call.session().user_id;
    let quote = Obj::new()
        .with("Url", state.streams.url(Streamer::Quotes))
        .with("Type", "Delayed")
        .with("SessionId", state.streams.issue(user_id, Streamer::Quotes));
    let data = Obj::new()
        .with("Url", state.streams.url(Streamer::Data))
        .with("Type", "Delayed");
    Reply::json(
        200,
        Obj::new()
            .with("QuoteAddresses", vec![Json::from(quote)])
            .with("DataAddresses", vec![Json::from(data)]),
    )
}

/// `PUT streamers/session/recover?sessionType=0|1` (0 data, 1 quote): `{"Id":"<guid>"}`, a
/// streamer session id issued to the caller for that streamer.
pub fn recover(state: &State, call: &Call) -> Reply {
    let Some(code) = call.query("sessionType") else {
        return reply::not_found(&call.full_url);
    };
    match Streamer::from_session_type(code.trim()) {
        Some(streamer) => {
            let id = state.streams.issue(call.session().user_id, streamer);
            Reply::json(200, Obj::new().with("Id", id))
        }
        None => reply::invalid_request(),
    }
}
