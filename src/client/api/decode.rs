//! Reading the broker's answers where the client must look inside: an order's id and status,
//! the paged shape, business rejects, the order with a given ClientId.

use crate::client::error::{Error, ErrorKind, HttpDetails, Result};
use serde_json::Value;

/// An OrderResource's `Id` (a JSON number, possibly written with an exponent).
pub(crate) fn order_id_of(json: &str) -> Option<i64> {
    let id = serde_json::from_str::<Value>(json).ok()?.get("Id")?.clone();
    id.as_i64()
        .or_else(|| id.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
}

/// An OrderResource's `Status`: a name, or the numeric code some answers use.
pub(crate) fn status_of(json: &str) -> serde_json::Result<Value> {
    Ok(serde_json::from_str::<Value>(json)?
        .get("Status")
        .cloned()
        .unwrap_or(Value::Null))
}

/// The answer to a request that changed something must say what it became: an empty 2xx
/// answer is garbled (the change probably happened, so the call's outcome is unknown).
pub(crate) fn readable_after_change(body: String) -> Result<String> {
    if !body.trim().is_empty() {
        return Ok(body);
    }
    Err(Error::new(ErrorKind::Protocol, "bad answer: the body is empty").garbled())
}

/// The order in a page of orders whose `ClientId` is `client_id`, as JSON.
pub(crate) fn order_with_client_id(page_json: &str, client_id: &str) -> Result<Option<String>> {
    let page: Value = serde_json::from_str(page_json)
        .map_err(|e| Error::new(ErrorKind::Protocol, format!("orders page is not JSON: {e}")))?;
    let items = page
        .get("Result")
        .and_then(Value::as_array)
        .or_else(|| page.as_array());
    Ok(items
        .into_iter()
        .flatten()
        .find(|o| o.get("ClientId").and_then(Value::as_str) == Some(client_id))
        .map(Value::to_string))
}

/// Whether a paged answer has no next page.
pub(crate) fn page_is_last(page_json: &str) -> bool {
    serde_json::from_str::<Value>(page_json)
        .ok()
        .and_then(|p| {
            p.get("NextPageLink")
                .and_then(Value::as_str)
                .map(str::is_empty)
        })
        .unwrap_or(true)
}

/// The paged shape, wrapping a bare array when the broker sent one.
pub(crate) fn paged(body: String) -> Result<String> {
    if !body.trim_start().starts_with('[') {
        return Ok(body);
    }
    let items: Vec<Value> = serde_json::from_str(&body).map_err(|e| {
        Error::new(ErrorKind::Protocol, format!("answer is not JSON: {e}")).garbled()
    })?;
    let count = items.len();
    Ok(serde_json::json!({ "Result": items, "NextPageLink": "", "PreviousPageLink": "", "TotalCount": count }).to_string())
}

/// The body, unless it is a verify model saying `IsSuccessful:false` (a business reject).
pub(crate) fn not_rejected(what: &str, body: String) -> Result<String> {
    let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(&body) else {
        return Ok(body);
    };
    let model = match obj.get("Model") {
        Some(Value::Object(m)) => m,
        _ => &obj,
    };
    if model.get("IsSuccessful") != Some(&Value::Bool(false)) {
        return Ok(body);
    }
    let text = |key: &str| {
        model
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let reason = match (text("ErrorDescription"), text("ErrorDescriptionText")) {
        (Some(code), Some(words)) => format!("{code}: {words}"),
        (Some(one), None) | (None, Some(one)) => one.to_owned(),
        (None, None) => "rejected".to_owned(),
    };
    let message = format!("{what}: rejected by the broker: {reason}");
    Err(
        Error::new(ErrorKind::Rejected, message).with_http(HttpDetails {
            status: 200,
            reason: Some(reason),
            body,
            retry_after: None,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::api::order::is_terminal;

    #[test]
    fn a_bare_array_of_positions_becomes_a_page() {
        let page: Value =
            serde_json::from_str(&paged(r#"[{"Id":1},{"Id":2}]"#.into()).unwrap()).unwrap();
        assert_eq!(page["TotalCount"], 2);
        assert_eq!(page["NextPageLink"], "");
        assert_eq!(page["Result"][1]["Id"], 2);
        let already = r#"{"Result":[],"NextPageLink":"","PreviousPageLink":"","TotalCount":0}"#;
        assert_eq!(paged(already.into()).unwrap(), already);
    }

    #[test]
    fn documented_order_payloads_decode() {
        // From the broker's place-order example (unknown fields ignored).
        let placed = r#"{"Id":10,"SecurityId":5,"Quantity":100.0,"ClientId":"c1","ExecutedQuantity":0.0,
            "Side":"Buy","Status":"PendingNew","Type":"Market","RequestStatus":"RequireValidation",
            "Target":"New","ExecInst":0,"Legs":[],"ParentId":-1,"ExecutionInstructions":{},"Whatever":{"x":1}}"#;
        assert_eq!(order_id_of(placed), Some(10));
        assert_eq!(status_of(placed).unwrap(), Value::from("PendingNew"));
        assert!(!is_terminal(&status_of(placed).unwrap()));
        assert_eq!(order_id_of(r#"{"Id":1.5e3}"#), Some(1500));
        assert_eq!(order_id_of(r#"{"Id":"x"}"#), None);
        assert!(is_terminal(
            &status_of(r#"{"Status":2,"AveragePrice":-0.05700775140829844330933239}"#).unwrap()
        ));
        assert!(is_terminal(
            &status_of(r#"{"Status":"Filled","Price":1e-8}"#).unwrap()
        ));
        assert!(status_of("<html>").is_err());
    }

    #[test]
    fn an_unreadable_answer_to_a_change_is_an_unknown_outcome() {
        let e = readable_after_change(" ".into()).unwrap_err();
        assert!(e.kind() == ErrorKind::Protocol && e.is_garbled());
        assert_eq!(readable_after_change("{}".into()).unwrap(), "{}");
    }

    #[test]
    fn business_rejects_name_the_broker_code() {
        let e = not_rejected(
            "POST x",
            r#"{"IsSuccessful":false,"ErrorDescription":"DayTradingBuyingPowerExceeded","ErrorDescriptionText":"Not enough buying power"}"#.into(),
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Rejected);
        assert_eq!(
            e.http().unwrap().reason.as_deref(),
            Some("DayTradingBuyingPowerExceeded: Not enough buying power")
        );
        let nested = r#"{"Model":{"IsSuccessful":false,"ErrorDescription":"LimitPriceUndefined"},"Errors":[],"IsSucceed":true}"#;
        assert_eq!(
            not_rejected("x", nested.into()).unwrap_err().kind(),
            ErrorKind::Rejected
        );
        let fine = r#"{"IsSuccessful":true,"Commission":1.0}"#;
        assert_eq!(not_rejected("x", fine.into()).unwrap(), fine);
        assert_eq!(
            not_rejected("x", r#"{"Id":5,"Status":"New"}"#.into()).unwrap(),
            r#"{"Id":5,"Status":"New"}"#
        );
    }
}
