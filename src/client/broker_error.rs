//! Reading the broker's reason out of an error body. ETNA has no single error envelope
//! (its API documents several shapes), so each documented shape is tried in turn.

use crate::client::error::{Error, ErrorKind, HttpDetails};
use serde_json::{Map, Value};

/// The error for a non-success answer outside `/token`: 401 means no valid token (or no rights),
/// 429 a rate limit, anything else an HTTP error. `what` is `METHOD path`.
pub fn status_error(what: &str, status: u16, details: HttpDetails) -> Error {
    let kind = match status {
        401 => ErrorKind::NotAuthenticated,
        429 => ErrorKind::RateLimited,
        _ => ErrorKind::Http,
    };
    let reason = details
        .reason
        .as_deref()
        .map(|r| format!(": {r}"))
        .unwrap_or_default();
    let message = match kind {
        ErrorKind::NotAuthenticated => {
            format!(
                "{what}: HTTP 401: not authenticated (token expired or revoked, or no rights){reason}"
            )
        }
        ErrorKind::RateLimited => match details.retry_after {
            Some(d) => format!(
                "{what}: HTTP 429: rate limited, retry after {} ms{reason}",
                d.as_millis()
            ),
            None => format!("{what}: HTTP 429: rate limited{reason}"),
        },
        _ => format!("{what}: HTTP {status}{reason}"),
    };
    Error::new(kind, message).with_http(details)
}

/// `status_error` for a plain answer: reads the reason out of the body.
pub fn answer_error(
    what: &str,
    status: u16,
    body: String,
    retry_after: Option<std::time::Duration>,
) -> Error {
    let reason = broker_reason(&body);
    status_error(
        what,
        status,
        HttpDetails {
            status,
            reason,
            body,
            retry_after,
        },
    )
}

/// The broker's own words from an error body, or `None` when the body has none of the
/// documented shapes (or is not JSON).
pub fn broker_reason(body: &str) -> Option<String> {
    let Value::Object(obj) = serde_json::from_str::<Value>(body).ok()? else {
        return None;
    };
    reason_of(&obj)
}

fn reason_of(obj: &Map<String, Value>) -> Option<String> {
    // /token: {"State":"Failed","Step":...,"Reason":"Invalid credentials"}
    if let Some(reason) = text(obj, &["Reason"]) {
        return Some(reason);
    }
    // {"Message": ..., "ModelState": {"field": ["why"]}}: a validation failure names fields.
    let message = text(obj, &["Message", "message"]);
    if let Some(Value::Object(state)) = obj.get("ModelState") {
        let fields: Vec<String> = state
            .iter()
            .map(|(field, why)| format!("{field}: {}", join_texts(why)))
            .collect();
        if !fields.is_empty() {
            let fields = fields.join("; ");
            return Some(match message {
                Some(m) => format!("{m} ({fields})"),
                None => fields,
            });
        }
    }
    // 500: {"message":"An error occurred ...","error":"Unexpected server error"}
    let error = text(obj, &["error"]);
    match (message, error) {
        (Some(m), Some(e)) => return Some(format!("{m}: {e}")),
        (Some(m), None) | (None, Some(m)) => return Some(m),
        (None, None) => {}
    }
    // {"Error":{"Code":"UnsupportedApiVersion","Message":"..."}}
    if let Some(Value::Object(inner)) = obj.get("Error") {
        if let Some(m) = text(inner, &["Message", "message"]) {
            return Some(m);
        }
    }
    // {"Model":null,"Errors":["..."],"IsSucceed":false}
    if let Some(errors @ Value::Array(items)) = obj.get("Errors") {
        if !items.is_empty() {
            return Some(join_texts(errors));
        }
    }
    None
}

fn text(obj: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match obj.get(*k) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    })
}

/// `"a"` or `["a","b"]` (or anything else, printed) as one line.
fn join_texts(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(join_texts).collect::<Vec<_>>().join("; "),
        Value::Object(o) => o
            .get("ErrorMessage")
            .map(join_texts)
            .unwrap_or_else(|| value.to_string()),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::broker_reason;

    #[test]
    fn every_documented_error_shape_gives_its_reason() {
        let cases = [
            (
                r#"{"error":"Application key is not defined or does not exist"}"#,
                "Application key is not defined or does not exist",
            ),
            (
                r#"{"State":"Failed","Step":"BaseAuthentication","Reason":"Invalid credentials"}"#,
                "Invalid credentials",
            ),
            (
                r#"{"Message":"Authorization has been denied for this request."}"#,
                "Authorization has been denied for this request.",
            ),
            (
                r#"{"Message":"Validation error occured while processing entity","ModelState":{"placeParams.Type":["An error has occurred."]}}"#,
                "Validation error occured while processing entity (placeParams.Type: An error has occurred.)",
            ),
            (
                r#"{"Error":{"Code":"UnsupportedApiVersion","Message":"The requested resource with API version '1.0' does not support HTTP method 'GET'."}}"#,
                "The requested resource with API version '1.0' does not support HTTP method 'GET'.",
            ),
            (
                r#"{"message":"An error occurred while processing your request","error":"Unexpected server error"}"#,
                "An error occurred while processing your request: Unexpected server error",
            ),
            (
                r#"{"Model":null,"Errors":["Value cannot be null.\r\nParameter name: user"],"StatusCode":500,"IsSucceed":false}"#,
                "Value cannot be null.\r\nParameter name: user",
            ),
        ];
        for (body, want) in cases {
            assert_eq!(broker_reason(body).as_deref(), Some(want), "{body}");
        }
    }

    #[test]
    fn bodies_without_a_reason_give_none() {
        for body in [
            "",
            "not json",
            "[]",
            "42",
            "{}",
            r#"{"Errors":[]}"#,
            r#"{"Message":""}"#,
            "<html>502</html>",
        ] {
            assert_eq!(broker_reason(body), None, "{body}");
        }
    }
}
