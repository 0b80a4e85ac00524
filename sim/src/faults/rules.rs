//! Fault rules: their kinds, parsing and checking the JSON rule format (see the `faults` module
//! for the format), and the path patterns they match with.

use serde_json::{Map, Value};

use crate::json::{Json, Obj};

/// What a rule does to a matching request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// Wait this long, then process and answer normally.
    Delay { ms: u64 },
    /// Close the connection without processing the request.
    DropBefore,
    /// Process the request, then close the connection without answering.
    DropAfter,
    /// Answer this status with its documented body, without processing.
    Status(u16),
    /// 429 with `Retry-After: seconds`, without processing.
    RateLimit { retry_after: u64 },
    /// Process, then answer 200 with a body that is not valid JSON.
    Malformed,
    /// Process, then send the real `Content-Length` but only half the body, and close.
    Truncated,
    /// Final tokens issued from now on live this long (seconds, may be fractional).
    ExpireTokens { after: f64 },
    /// A streamer connection is closed after it has sent this many data messages.
    StreamClose { after: u64 },
    /// A streamer connection sends nothing more at all (no Pings, no pongs) but stays open.
    StreamSilent,
    /// A `CreateSession.txt` attempt is answered `Error`.
    RefuseSession,
    /// A streamer connection is cut when more than this many bytes wait to be sent.
    CutSlowReader { backlog: u64 },
    /// A streamer connection does not answer WebSocket pings.
    IgnorePings,
    /// A streamer connection writes its messages with a space after each colon and comma, as
    /// some of the broker's servers do.
    SpacedJson,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Delay { .. } => "Delay",
            Kind::DropBefore => "DropBefore",
            Kind::DropAfter => "DropAfter",
            Kind::Status(_) => "Status",
            Kind::RateLimit { .. } => "RateLimit",
            Kind::Malformed => "Malformed",
            Kind::Truncated => "Truncated",
            Kind::ExpireTokens { .. } => "ExpireTokens",
            Kind::StreamClose { .. } => "StreamClose",
            Kind::StreamSilent => "StreamSilent",
            Kind::RefuseSession => "RefuseSession",
            Kind::CutSlowReader { .. } => "CutSlowReader",
            Kind::IgnorePings => "IgnorePings",
            Kind::SpacedJson => "SpacedJson",
        }
    }

    /// Whether the kind applies to streamer connections (`"Method":"WS"`) rather than to
    /// HTTP requests.
    pub fn is_stream(self) -> bool {
        matches!(
            self,
            Kind::StreamClose { .. }
                | Kind::StreamSilent
                | Kind::RefuseSession
                | Kind::CutSlowReader { .. }
                | Kind::IgnorePings
                | Kind::SpacedJson
        )
    }

    /// Whether two kinds are the same kind, whatever their arguments.
    pub fn same_kind(self, other: Kind) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }

    /// Whether the request still reaches the route handler under this fault.
    pub fn processes(self) -> bool {
        !matches!(
            self,
            Kind::DropBefore | Kind::Status(_) | Kind::RateLimit { .. }
        )
    }
}

/// The stream kinds' names, for the messages that list them.
macro_rules! stream_kinds {
    () => {
        "StreamClose, StreamSilent, RefuseSession, CutSlowReader, IgnorePings, SpacedJson"
    };
}

const KINDS: &str = concat!(
    "Delay, DropBefore, DropAfter, Status, RateLimit, Malformed, Truncated, ExpireTokens; for \
     the streamers (Method WS): ",
    stream_kinds!()
);

/// The backlog a `CutSlowReader` rule allows when it gives no `BacklogBytes`: 1 MiB.
pub const DEFAULT_BACKLOG: u64 = 1 << 20;

/// The method of the stream rules.
pub const WS: &str = "WS";

/// One installed rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Upper case, or `*`.
    pub method: String,
    pub path: String,
    pub kind: Kind,
    /// Matching requests left; `None` = unlimited.
    pub times: Option<u64>,
}

impl Rule {
    /// Whether the rule applies to a request with this method and one of these paths.
    pub fn matches(&self, method: &str, paths: &[&str]) -> bool {
        (self.method == "*" || self.method.eq_ignore_ascii_case(method))
            && paths.iter().any(|p| glob(&self.path, p))
    }

    /// The rule as `GET /sim/faults` lists it.
    pub fn to_json(&self) -> Obj {
        let obj = Obj::new()
            .with("Method", self.method.as_str())
            .with("Path", self.path.as_str())
            .with("Kind", self.kind.name());
        let obj = match self.kind {
            Kind::Delay { ms } => obj.with("DelayMs", ms as i64),
            Kind::Status(status) => obj.with("Status", i64::from(status)),
            Kind::RateLimit { retry_after } => obj.with("RetryAfter", retry_after as i64),
            Kind::ExpireTokens { after } => obj.with("AfterSeconds", seconds(after)),
            Kind::StreamClose { after } => obj.with("AfterMessages", after as i64),
            Kind::CutSlowReader { backlog } => obj.with("BacklogBytes", backlog as i64),
            _ => obj,
        };
        obj.opt("Times", self.times.map(|t| t as i64))
    }
}

/// Parses `{"Rules":[rule, ...]}`; the error names the problem (and the rule's index).
pub fn parse_rules(text: &str) -> Result<Vec<Rule>, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("The body is not valid JSON: {e}"))?;
    let Value::Object(top) = value else {
        return Err(r#"The body must be an object {"Rules":[...]}"#.to_string());
    };
    if let Some(other) = top.keys().find(|k| *k != "Rules") {
        return Err(format!(
            r#"Unknown property '{other}': the body is {{"Rules":[...]}}"#
        ));
    }
    let Some(Value::Array(items)) = top.get("Rules") else {
        return Err(r#"'Rules' must be an array of rules: {"Rules":[...]}"#.to_string());
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| parse_rule(item).map_err(|e| format!("Rules[{i}]: {e}")))
        .collect()
}

/// Parses one rule object.
pub fn parse_rule(value: &Value) -> Result<Rule, String> {
    let Value::Object(obj) = value else {
        return Err("a rule must be a JSON object".to_string());
    };
    let kind_name = match obj.get("Kind") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err("'Kind' must be a string".to_string()),
        None => return Err(format!("'Kind' is required (one of {KINDS})")),
    };
    let (kind, arguments): (Kind, &[&str]) = match kind_name {
        "Delay" => {
            let ms = whole(obj, "DelayMs")?.ok_or("Delay needs 'DelayMs'")?;
            (Kind::Delay { ms }, &["DelayMs"])
        }
        "DropBefore" => (Kind::DropBefore, &[]),
        "DropAfter" => (Kind::DropAfter, &[]),
        "Status" => {
            let status = whole(obj, "Status")?.ok_or("Status needs 'Status'")?;
            if !(400..=599).contains(&status) {
                return Err(format!("'Status' must be 400-599, got {status}"));
            }
            (Kind::Status(status as u16), &["Status"])
        }
        "RateLimit" => {
            let retry_after = whole(obj, "RetryAfter")?.unwrap_or(1);
            (Kind::RateLimit { retry_after }, &["RetryAfter"])
        }
        "Malformed" => (Kind::Malformed, &[]),
        "Truncated" => (Kind::Truncated, &[]),
        "ExpireTokens" => {
            let after = match obj.get("AfterSeconds") {
                Some(Value::Number(n)) => n.as_f64().unwrap_or(-1.0),
                Some(_) => return Err("'AfterSeconds' must be a number".to_string()),
                None => return Err("ExpireTokens needs 'AfterSeconds'".to_string()),
            };
            if !(0.0..=1e9).contains(&after) {
                return Err(format!(
                    "'AfterSeconds' must be between 0 and 1e9, got {after}"
                ));
            }
            (Kind::ExpireTokens { after }, &["AfterSeconds"])
        }
        "StreamClose" => {
            let after = whole(obj, "AfterMessages")?.unwrap_or(0);
            (Kind::StreamClose { after }, &["AfterMessages"])
        }
        "StreamSilent" => (Kind::StreamSilent, &[]),
        "RefuseSession" => (Kind::RefuseSession, &[]),
        "CutSlowReader" => {
            let backlog = whole(obj, "BacklogBytes")?.unwrap_or(DEFAULT_BACKLOG);
            if backlog == 0 {
                return Err("'BacklogBytes' must be at least 1".to_string());
            }
            (Kind::CutSlowReader { backlog }, &["BacklogBytes"])
        }
        "IgnorePings" => (Kind::IgnorePings, &[]),
        "SpacedJson" => (Kind::SpacedJson, &[]),
        other => return Err(format!("unknown Kind '{other}' (one of {KINDS})")),
    };
    for key in obj.keys() {
        let common = matches!(key.as_str(), "Method" | "Path" | "Kind" | "Times");
        if !common && !arguments.contains(&key.as_str()) {
            return Err(format!(
                "property '{key}' does not apply to Kind {kind_name} (it takes Method, Path, \
                 Times{}{})",
                if arguments.is_empty() { "" } else { ", " },
                arguments.join(", ")
            ));
        }
    }
    let method = match obj.get("Method") {
        None if kind.is_stream() => WS.to_string(),
        None => "*".to_string(),
        Some(Value::String(m)) if m == "*" => m.clone(),
        Some(Value::String(m)) if !m.is_empty() && m.bytes().all(|b| b.is_ascii_alphabetic()) => {
            m.to_ascii_uppercase()
        }
        Some(other) => {
            return Err(format!(
                "'Method' must be an HTTP method such as \"GET\" or \"*\", got {other}"
            ));
        }
    };
    if kind.is_stream() && method != WS {
        return Err(format!(
            "Kind {kind_name} applies to the streamers: 'Method' must be \"WS\" (or left out), \
             got \"{method}\""
        ));
    }
    if !kind.is_stream() && method == WS {
        return Err(format!(
            concat!(
                "'Method' \"WS\" is for the stream kinds (",
                stream_kinds!(),
                "), not {}"
            ),
            kind_name
        ));
    }
    let path = match obj.get("Path") {
        None => "*".to_string(),
        Some(Value::String(p)) if p.contains(['?', '#']) => {
            return Err(format!(
                "'Path' is matched without the query: '{p}' has a '?' or '#'"
            ));
        }
        Some(Value::String(p)) if p.starts_with('/') || p.starts_with('*') => p.clone(),
        Some(other) => {
            return Err(format!(
                "'Path' must be a pattern starting with '/' or '*', got {other}"
            ));
        }
    };
    let times = match whole(obj, "Times")? {
        Some(0) => return Err("'Times' must be at least 1 (leave it out for always)".into()),
        t => t,
    };
    Ok(Rule {
        method,
        path,
        kind,
        times,
    })
}

/// Seconds as written: whole numbers without a fraction.
pub fn seconds(s: f64) -> Json {
    if s.fract() == 0.0 {
        Json::Int(s as i64)
    } else {
        Json::Num(s)
    }
}

/// A non-negative whole number property, if present.
fn whole(obj: &Map<String, Value>, key: &str) -> Result<Option<u64>, String> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("'{key}' must be a whole number >= 0, got {n}")),
        Some(other) => Err(format!("'{key}' must be a whole number, got {other}")),
    }
}

/// `*` matches any run of characters (slashes included); everything else matches itself,
/// ASCII case-insensitively.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was, and the text position it currently stands for.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi].eq_ignore_ascii_case(&t[ti]) {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str) -> Result<Rule, String> {
        parse_rule(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn globs() {
        assert!(glob("*", ""));
        assert!(glob("*", "/api/token"));
        assert!(glob("/api/token", "/API/Token"));
        assert!(!glob("/api/token", "/api/tokens"));
        assert!(glob(
            "/api/v1.0/accounts/*/orders",
            "/api/v1.0/accounts/1001/orders"
        ));
        assert!(glob(
            "/api/v1.0/accounts/*/orders",
            "/api/v1.0/accounts/a/b/orders"
        ));
        assert!(!glob(
            "/api/v1.0/accounts/*/orders",
            "/api/v1.0/accounts/1001/orders/5"
        ));
        assert!(glob("/api/*", "/api/"));
        assert!(glob("*/info", "/api/v1.0/users/@me/info"));
        assert!(glob("/a*b*c", "/aXbYbZc"));
        assert!(!glob("/a*b*c", "/aXbYbZ"));
        assert!(glob("/a**", "/a"));
    }

    #[test]
    fn parses_rules_and_defaults() {
        let r = rule(r#"{"Kind":"DropBefore"}"#).unwrap();
        assert_eq!(
            (r.method.as_str(), r.path.as_str(), r.times),
            ("*", "*", None)
        );
        let r = rule(r#"{"Method":"post","Path":"/api/*","Kind":"Delay","DelayMs":5,"Times":2}"#)
            .unwrap();
        assert_eq!(r.method, "POST");
        assert_eq!((r.kind, r.times), (Kind::Delay { ms: 5 }, Some(2)));
        let r = rule(r#"{"Kind":"RateLimit"}"#).unwrap();
        assert_eq!(r.kind, Kind::RateLimit { retry_after: 1 });
        let r = rule(r#"{"Kind":"ExpireTokens","AfterSeconds":0.5}"#).unwrap();
        assert_eq!(r.kind, Kind::ExpireTokens { after: 0.5 });
        let r = rule(r#"{"Kind":"StreamClose","Path":"/data"}"#).unwrap();
        assert_eq!(
            (r.method.as_str(), r.kind),
            ("WS", Kind::StreamClose { after: 0 })
        );
        let r = rule(r#"{"Method":"ws","Kind":"CutSlowReader"}"#).unwrap();
        assert_eq!(r.kind, Kind::CutSlowReader { backlog: 1 << 20 });
        assert_eq!(
            Json::from(r.to_json()).to_text(),
            r#"{"Method":"WS","Path":"*","Kind":"CutSlowReader","BacklogBytes":1048576}"#
        );
    }

    #[test]
    fn refuses_malformed_rules_naming_the_problem() {
        let cases = [
            (r#"[]"#, "JSON object"),
            (r#"{}"#, "'Kind' is required"),
            (r#"{"Kind":"Explode"}"#, "unknown Kind 'Explode'"),
            (r#"{"Kind":"Delay"}"#, "DelayMs"),
            (
                r#"{"Kind":"Delay","DelayMs":-1}"#,
                "'DelayMs' must be a whole number",
            ),
            (r#"{"Kind":"Status","Status":200}"#, "400-599"),
            (
                r#"{"Kind":"Status","Status":"503"}"#,
                "'Status' must be a whole number",
            ),
            (
                r#"{"Kind":"DropAfter","Times":0}"#,
                "'Times' must be at least 1",
            ),
            (r#"{"Kind":"DropAfter","Time":1}"#, "property 'Time'"),
            (r#"{"Kind":"DropAfter","DelayMs":1}"#, "property 'DelayMs'"),
            (r#"{"Kind":"DropAfter","Method":"GE T"}"#, "'Method'"),
            (r#"{"Kind":"DropAfter","Path":"api/token"}"#, "'Path'"),
            (
                r#"{"Kind":"DropAfter","Path":"/api/token?x=1"}"#,
                "without the query",
            ),
            (
                r#"{"Kind":"ExpireTokens","AfterSeconds":-1}"#,
                "AfterSeconds",
            ),
            (
                r#"{"Method":"GET","Kind":"StreamSilent"}"#,
                "must be \"WS\"",
            ),
            (r#"{"Method":"WS","Kind":"DropBefore"}"#, "stream kinds"),
            (
                r#"{"Kind":"IgnorePings","AfterMessages":1}"#,
                "'AfterMessages'",
            ),
            (
                r#"{"Kind":"StreamClose","BacklogBytes":1}"#,
                "'BacklogBytes'",
            ),
            (r#"{"Kind":"CutSlowReader","BacklogBytes":0}"#, "at least 1"),
            (r#"{"Kind":"RefuseSession","Times":0}"#, "'Times'"),
            (
                r#"{"Kind":"SpacedJson","AfterMessages":1}"#,
                "'AfterMessages'",
            ),
        ];
        for (text, wanted) in cases {
            let err = rule(text).unwrap_err();
            assert!(err.contains(wanted), "{text}: {err}");
        }
        assert!(parse_rules("nope").unwrap_err().contains("not valid JSON"));
        assert!(
            parse_rules(r#"{"Rules":{}}"#)
                .unwrap_err()
                .contains("array")
        );
        assert!(
            parse_rules(r#"{"rules":[]}"#)
                .unwrap_err()
                .contains("'rules'")
        );
        let err = parse_rules(r#"{"Rules":[{"Kind":"Malformed"},{"Kind":"?"}]}"#).unwrap_err();
        assert!(err.starts_with("Rules[1]: "), "{err}");
    }
}
