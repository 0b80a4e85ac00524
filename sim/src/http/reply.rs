//! What a route answers, and the documented error bodies shared by routes.
//!
//! The broker has no single error envelope: each case below
//! has its own shape, reproduced literally.

use crate::json::{Json, Obj};

/// An HTTP status plus a JSON body, a file, or nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    /// JSON text; `None` for empty replies such as 204 (and for a file).
    pub body: Option<String>,
    pub file: Option<File>,
}

/// A file answered in place of JSON (an export).
#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub content_type: &'static str,
    pub name: String,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, body: impl Into<Json>) -> Reply {
        Reply {
            status,
            body: Some(body.into().to_text()),
            file: None,
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            body: None,
            file: None,
        }
    }

    pub fn file(file: File) -> Reply {
        Reply {
            status: 200,
            body: None,
            file: Some(file),
        }
    }
}

/// 403: `Et-App-Key` missing or unknown. Checked before anything else.
pub fn bad_app_key() -> Reply {
    Reply::json(
        403,
        Obj::new().with("error", "Application key is not defined or does not exist"),
    )
}

/// 404 in ASP.NET Web API's words; `url` is the absolute request URI.
pub fn not_found(url: &str) -> Reply {
    let message = format!("No HTTP resource was found that matches the request URI '{url}'.");
    Reply::json(404, Obj::new().with("Message", message))
}

/// 405: the path exists but not for this method.
pub fn method_not_allowed(method: &str) -> Reply {
    let message = format!("The requested resource does not support http method '{method}'.");
    Reply::json(405, Obj::new().with("Message", message))
}

/// 401 for a missing, unknown, interim, expired or revoked bearer token, and
/// for data that belongs to another user.
pub fn denied() -> Reply {
    Reply::json(
        401,
        Obj::new().with("Message", "Authorization has been denied for this request."),
    )
}

/// 500 that some user endpoints give for a user id that does not exist.
pub fn no_such_user() -> Reply {
    Reply::json(
        500,
        Obj::new()
            .with("Model", Json::Null)
            .with(
                "Errors",
                vec!["Value cannot be null.\r\nParameter name: user"],
            )
            .with("StatusCode", 500)
            .with("IsSucceed", false),
    )
}

/// 500 for an unexpected failure (a panicking handler): the broker's generic
/// server-error body.
pub fn server_error() -> Reply {
    Reply::json(
        500,
        Obj::new()
            .with("message", "An error occurred while processing your request")
            .with("error", "Unexpected server error"),
    )
}

/// 404 of the transactions route for a missing required parameter.
pub fn unsupported_version(method: &str) -> Reply {
    let message = format!(
        "The requested resource with API version '1.0' does not support HTTP method '{method}'."
    );
    Reply::json(
        404,
        Obj::new().with(
            "Error",
            Obj::new()
                .with("Code", "UnsupportedApiVersion")
                .with("Message", message),
        ),
    )
}

/// A `{"Message":…}` body with any status (404 unknown entity, 409
/// conflict, 400 bad filter).
pub fn message(status: u16, text: impl Into<String>) -> Reply {
    Reply::json(status, Obj::new().with("Message", text.into()))
}

/// 400 for `@me` as an account id and other unbindable requests.
pub fn invalid_request() -> Reply {
    message(400, "The request is invalid.")
}

/// 422 for a body that does not bind: one `ModelState` entry per bad field,
/// named `<parameter>.<Field>` (or just the parameter for unreadable JSON).
pub fn validation_error(keys: &[String]) -> Reply {
    let mut state = Obj::new();
    for key in keys {
        state = state.with(key, vec!["An error has occurred."]);
    }
    Reply::json(
        422,
        Obj::new()
            .with(
                "Message",
                "Validation error occured while processing entity",
            )
            .with("ModelState", state),
    )
}
