//! The error type of the safe client: a kind a program can branch on, a message a person can read,
//! and, when the broker answered, what it answered.

use std::fmt;
use std::time::Duration;

/// What went wrong, coarsely enough for a program to branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument is out of range or malformed (bad URL, empty user name, bad method).
    InvalidArgument,
    /// The call does not fit the session's state (a verification code with no pending login).
    InvalidState,
    /// The connection could not be made or broke.
    Network,
    /// A connect or request timeout ran out.
    Timeout,
    /// TLS handshake or certificate failure.
    Tls,
    /// The broker does not know the application key (`Et-App-Key`).
    InvalidAppKey,
    /// Wrong user name or password.
    InvalidCredentials,
    /// Wrong or expired two-factor verification code.
    InvalidVerificationCode,
    /// Wrong security PIN.
    InvalidPin,
    /// The password has expired and must be changed on the broker's site.
    PasswordExpired,
    /// The account must set up a security PIN before it can log in through the API.
    PinNotSet,
    /// No valid token: not logged in, token expired or revoked, or no rights to the resource.
    NotAuthenticated,
    /// The broker answered with a non-success HTTP status.
    Http,
    /// The broker answered 429 Too Many Requests.
    RateLimited,
    /// The answer does not follow the broker's protocol (not JSON, unknown state, too large).
    Protocol,
    /// A request that changes state may have reached the broker but no answer came back.
    OutcomeUnknown,
    /// `Session::cancel` interrupted the call.
    Cancelled,
    /// The broker refused an order preview or replacement (200 with `IsSuccessful:false`).
    Rejected,
    /// A bug in libetna stopped the work (a panic, caught): a stream whose I/O thread met one.
    Internal,
}

impl ErrorKind {
    /// Every kind, for layers that must map each one (the C layer's status codes).
    pub const ALL: [ErrorKind; 19] = [
        ErrorKind::InvalidArgument,
        ErrorKind::InvalidState,
        ErrorKind::Network,
        ErrorKind::Timeout,
        ErrorKind::Tls,
        ErrorKind::InvalidAppKey,
        ErrorKind::InvalidCredentials,
        ErrorKind::InvalidVerificationCode,
        ErrorKind::InvalidPin,
        ErrorKind::PasswordExpired,
        ErrorKind::PinNotSet,
        ErrorKind::NotAuthenticated,
        ErrorKind::Http,
        ErrorKind::RateLimited,
        ErrorKind::Protocol,
        ErrorKind::OutcomeUnknown,
        ErrorKind::Cancelled,
        ErrorKind::Rejected,
        ErrorKind::Internal,
    ];
}

/// What the broker answered, kept on errors that come from an HTTP response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpDetails {
    pub status: u16,
    /// The broker's own words (`Reason`, `Message`, `error`, ...), when the body has them.
    pub reason: Option<String>,
    /// The raw response body.
    pub body: String,
    pub retry_after: Option<Duration>,
}

/// An error of the client. Its message never holds a password, code, PIN, token or app key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    http: Option<Box<HttpDetails>>,
    /// The order's `ClientId`, on errors of order placement: what to reconcile by.
    client_id: Option<String>,
    /// The request may have reached the server before the failure (no answer was read).
    maybe_delivered: bool,
    /// A garbled answer that another attempt may not repeat (cut short, not JSON, not UTF-8),
    /// as opposed to one that will always fail (over the size limit).
    garbled: bool,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            http: None,
            client_id: None,
            maybe_delivered: false,
            garbled: false,
        }
    }

    pub fn with_http(mut self, details: HttpDetails) -> Self {
        self.http = Some(Box::new(details));
        self
    }

    pub fn with_client_id(mut self, client_id: &str) -> Self {
        self.client_id = Some(client_id.to_owned());
        self
    }

    pub(crate) fn maybe_delivered(mut self) -> Self {
        self.maybe_delivered = true;
        self
    }

    pub(crate) fn garbled(mut self) -> Self {
        self.garbled = true;
        self
    }

    /// Whether the answer was garbled on its way (truncated, not JSON, not UTF-8): a GET may
    /// get a readable one on another attempt.
    pub fn is_garbled(&self) -> bool {
        self.garbled
    }

    /// Whether the failed request may have reached the server (a timeout or a reset after
    /// sending, an unreadable answer).
    pub fn may_have_been_delivered(&self) -> bool {
        self.maybe_delivered
    }

    /// For errors of order placement: the order's `ClientId`.
    pub fn client_id(&self) -> Option<&str> {
        self.client_id.as_deref()
    }

    /// The same failure under another kind and message, keeping what the broker answered.
    pub(crate) fn reclassify(self, kind: ErrorKind, message: String) -> Self {
        Error {
            kind,
            message,
            ..self
        }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidArgument, message)
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn http(&self) -> Option<&HttpDetails> {
        self.http.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_kind() {
        // A new kind stops this match from compiling: the reminder to add it to ALL.
        for kind in ErrorKind::ALL {
            match kind {
                ErrorKind::InvalidArgument
                | ErrorKind::InvalidState
                | ErrorKind::Network
                | ErrorKind::Timeout
                | ErrorKind::Tls
                | ErrorKind::InvalidAppKey
                | ErrorKind::InvalidCredentials
                | ErrorKind::InvalidVerificationCode
                | ErrorKind::InvalidPin
                | ErrorKind::PasswordExpired
                | ErrorKind::PinNotSet
                | ErrorKind::NotAuthenticated
                | ErrorKind::Http
                | ErrorKind::RateLimited
                | ErrorKind::Protocol
                | ErrorKind::OutcomeUnknown
                | ErrorKind::Cancelled
                | ErrorKind::Rejected
                | ErrorKind::Internal => {}
            }
        }
        for (i, kind) in ErrorKind::ALL.iter().enumerate() {
            assert!(!ErrorKind::ALL[..i].contains(kind), "{kind:?} twice");
        }
    }
}
