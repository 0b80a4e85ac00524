//! What a stream needs from the session it was opened from: the streamer's address and, fresh
//! at every (re)connect, who the stream is (the session form by default, `UserId:SessionId` and
//! the token; or the login form, with the password kept for re-login). The REST calls made here
//! log in again on a dead token, as any call does.

use super::{Session, lock};
use crate::client::error::{Error, ErrorKind, Result};
use crate::client::log::LogLevel;
use crate::client::models::{self, listing};
use crate::client::secret::Secret;
use crate::client::stream::{Credentials, Network, Source, StreamKind};
use std::time::Duration;
use ureq::http::Method;

impl Source for Session {
    fn connect_info(&self, kind: StreamKind, login_form: bool) -> Result<(String, Credentials)> {
        let body: String = self.streamers()?;
        let streamers = models::streamer::streamers(&body)?;
        let wanted = i32::from(kind == StreamKind::Quotes);
        let streamer = streamers
            .items
            .iter()
            .map(|i| &i.value)
            .find(|s| s.is_quote == wanted && !s.url.is_empty())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Protocol,
                    "the broker lists no address for this streamer",
                )
            })?;
        let url = streamer.url.to_string();
        if login_form {
            let credentials = lock(&self.relogin).clone().ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidState,
                    "the login form sends the password, which the session keeps only with auto \
                     re-login on",
                )
            })?;
            let login = credentials.username.to_str().unwrap_or_default().to_owned();
            let password = Secret::new(credentials.password.to_str().unwrap_or_default());
            return Ok((url, Credentials::Login { login, password }));
        }
        let streamer_session = match kind {
            StreamKind::Quotes if !streamer.session_id.is_empty() => {
                streamer.session_id.to_string()
            }
            StreamKind::Quotes => self.recover_streamer_session(1)?,
            StreamKind::Data => self.recover_streamer_session(0)?,
        };
        let user: String = self.user_info()?;
        let user_id = listing::one::<models::User>(&user)?.items[0].value.id;
        Ok((
            url,
            Credentials::Session {
                user_id,
                streamer_session,
                token: self.token()?,
            },
        ))
    }

    fn network(&self) -> Result<Network> {
        self.transport.stream_network()
    }

    fn connect_timeout(&self) -> Duration {
        lock(&self.settings).timeouts.connect
    }

    fn log(&self, line: &str) {
        self.logger.log(LogLevel::Info, || line.to_owned());
    }
}

impl Session {
    /// `PUT streamers/session/recover?sessionType=0|1` (0 data, 1 quote): a streamer session
    /// id, answered as `{"Id":"..."}` or as a bare string.
    fn recover_streamer_session(&self, session_type: u8) -> Result<String> {
        let path = format!("v1.0/streamers/session/recover?sessionType={session_type}");
        let body = self.call(Method::PUT, &path, None)?.body;
        let id = match serde_json::from_str::<serde_json::Value>(&body) {
            Ok(serde_json::Value::Object(o)) => {
                o.get("Id").and_then(|v| v.as_str()).map(str::to_owned)
            }
            Ok(serde_json::Value::String(s)) => Some(s),
            _ => None,
        };
        id.filter(|id| !id.is_empty()).ok_or_else(|| {
            Error::new(
                ErrorKind::Protocol,
                format!("PUT {path}: the answer carries no session id"),
            )
        })
    }

    /// The final token of the login, for the streamers' session form.
    fn token(&self) -> Result<Secret> {
        let auth = lock(&self.auth);
        let bearer = auth
            .bearer
            .as_ref()
            .filter(|_| auth.state == crate::client::token_answer::AuthState::Authenticated)
            .ok_or_else(|| {
                Error::new(ErrorKind::NotAuthenticated, "not logged in: log in first")
            })?;
        let text = bearer.to_str().unwrap_or_default();
        Ok(Secret::new(text.strip_prefix("Bearer ").unwrap_or(text)))
    }
}
