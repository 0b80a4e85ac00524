//! Routing: matching a request against the route table (`routes::ROUTES`)
//! and the checks every request goes through.
//!
//! The order matches the broker's: under `/api` the app key comes first
//! (403), then routing (404 / 405), then the bearer (401), then the handler.

use crate::http::reply::{self, Reply};
use crate::routes::ROUTES;
use crate::tokens::Session;
use crate::{RecordedRequest, State};

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Guard {
    /// Simulator-only routes: no key, no token.
    Open,
    /// `Et-App-Key` only (`/token`).
    AppKey,
    /// `Et-App-Key` and a live final bearer token.
    Bearer,
}

pub type Handler = fn(&State, &Call) -> Reply;

pub struct Route {
    pub method: &'static str,
    /// Literal segments match ASCII case-insensitively, as ASP.NET routing
    /// does. `{name}` captures any segment; `{name:int}` a 32-bit integer;
    /// `{name:user}` and `{name:account}` a 32-bit integer or `@me` (which
    /// the account routes refuse with 400). A segment failing its
    /// constraint means "no such route" (404), before any token check.
    /// Rows are tried in order: literal paths come before captures.
    pub pattern: &'static str,
    pub guard: Guard,
    pub handler: Handler,
}

/// Everything a handler gets: the request, the captured path parameters and,
/// on `Guard::Bearer` routes, the caller's session.
pub struct Call<'a> {
    pub req: &'a RecordedRequest,
    pub params: Vec<(&'static str, String)>,
    pub session: Option<Session>,
    /// The absolute request URI, as quoted in 404 messages.
    pub full_url: String,
}

impl Call<'_> {
    /// A captured path parameter (percent-decoded). Panics on a name that
    /// is not in the route's pattern: that is a bug in the table.
    pub fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("route has no parameter {name}"))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.req.header(name)
    }

    /// A query parameter, name compared case-insensitively (as ASP.NET
    /// binds), value decoded (`+` is a space). An empty value counts as
    /// absent, as it does for a required parameter there.
    pub fn query(&self, name: &str) -> Option<String> {
        let query = self.req.url.split_once('?')?.1;
        let query = query.split('#').next().unwrap_or("");
        query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| percent_decode(&s.replace('+', " "));
            (decode(k).eq_ignore_ascii_case(name) && !v.is_empty()).then(|| decode(v))
        })
    }

    /// The session of a `Guard::Bearer` route.
    pub fn session(&self) -> &Session {
        self.session
            .as_ref()
            .expect("handler of a Guard::Bearer route")
    }
}

/// Answers one request.
pub fn dispatch(state: &State, req: &RecordedRequest) -> Reply {
    let full_url = format!("http://127.0.0.1:{}{}", state.port, req.url);
    let segments = segments(path_of(&req.url));

    let under_api = segments[0].eq_ignore_ascii_case("api");
    if under_api && !state.app_key_ok(req.header("Et-App-Key")) {
        return reply::bad_app_key();
    }

    let mut path_known = false;
    let mut found = None;
    for route in ROUTES {
        if let Some(params) = match_pattern(route.pattern, &segments) {
            if route.method == req.method {
                found = Some((route, params));
                break;
            }
            path_known = true;
        }
    }
    let Some((route, params)) = found else {
        return if path_known {
            reply::method_not_allowed(&req.method)
        } else {
            reply::not_found(&full_url)
        };
    };

    let session = match route.guard {
        Guard::Bearer => match state.tokens.session(req.header("Authorization")) {
            Some(session) => Some(session),
            None => return reply::denied(),
        },
        Guard::Open | Guard::AppKey => None,
    };
    let call = Call {
        req,
        params,
        session,
        full_url,
    };
    (route.handler)(state, &call)
}

/// The path of a request target, without its query or fragment.
pub fn path_of(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or("")
}

/// A path's segments, percent-decoded, without leading or trailing slashes.
fn segments(path: &str) -> Vec<String> {
    path.trim_start_matches('/')
        .trim_end_matches('/')
        .split('/')
        .map(percent_decode)
        .collect()
}

/// The stats key of a request: the method and the template of the route it
/// names (constraints left out: `/api/v1.0/users/{userId}/info`), or
/// `<unmatched>` when no route has this method and path.
pub fn stats_key(method: &str, url: &str) -> String {
    let segments = segments(path_of(url));
    let template = ROUTES
        .iter()
        .find(|r| r.method == method && match_pattern(r.pattern, &segments).is_some())
        .map(|r| {
            r.pattern
                .split('/')
                .map(|part| match part.split_once(':') {
                    Some((name, _)) if part.starts_with('{') => format!("{name}}}"),
                    _ => part.to_string(),
                })
                .collect::<Vec<_>>()
                .join("/")
        });
    format!("{method} {}", template.as_deref().unwrap_or("<unmatched>"))
}

fn match_pattern(
    pattern: &'static str,
    segments: &[String],
) -> Option<Vec<(&'static str, String)>> {
    let parts: Vec<&'static str> = pattern.trim_start_matches('/').split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    for (part, seg) in parts.iter().zip(segments) {
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            None if part.eq_ignore_ascii_case(seg) => {}
            None => return None,
            Some(spec) => {
                let (name, kind) = spec.split_once(':').unwrap_or((spec, ""));
                let is_int = seg.parse::<i32>().is_ok();
                let ok = match kind {
                    "" => !seg.is_empty(),
                    "int" => is_int,
                    "user" | "account" => is_int || seg == "@me",
                    other => panic!("unknown route constraint {other}"),
                };
                if !ok {
                    return None;
                }
                params.push((name, seg.clone()));
            }
        }
    }
    Some(params)
}

/// Decodes `%XX` escapes (clients may send `@me` as `%40me`); invalid escapes
/// are kept as written.
pub fn percent_decode(seg: &str) -> String {
    let bytes = seg.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(path: &str) -> Vec<String> {
        path.trim_start_matches('/')
            .split('/')
            .map(percent_decode)
            .collect()
    }

    #[test]
    fn patterns_capture_and_constrain() {
        let p = "/api/v1.0/users/{userId:user}/info";
        let got = match_pattern(p, &segs("/API/v1.0/Users/%40me/info")).unwrap();
        assert_eq!(got, vec![("userId", "@me".to_string())]);
        assert!(match_pattern(p, &segs("/api/v1.0/users/101/info")).is_some());
        assert!(match_pattern(p, &segs("/api/v1.0/users/bob/info")).is_none());
        assert!(match_pattern(p, &segs("/api/v2.0/users/101/info")).is_none());
        assert!(match_pattern(p, &segs("/api/v1.0/users/99999999999/info")).is_none());
        assert!(match_pattern("/sim/outbox/{username}", &segs("/sim/outbox/")).is_none());
    }

    #[test]
    fn stats_keys_name_route_templates() {
        assert_eq!(stats_key("POST", "/api/token"), "POST /api/token");
        assert_eq!(
            stats_key("GET", "/api/v1.0/users/%40me/info?x=1"),
            "GET /api/v1.0/users/{userId}/info"
        );
        assert_eq!(
            stats_key("POST", "/API/v1.0/accounts/1001/orders/"),
            "POST /api/v1.0/accounts/{accountId}/orders"
        );
        assert_eq!(
            stats_key("GET", "/api/v1.0/accounts/1001/positions/AAPL"),
            "GET /api/v1.0/accounts/{accountId}/positions/{symbol}"
        );
        assert_eq!(stats_key("GET", "/api/nothing"), "GET <unmatched>");
        assert_eq!(stats_key("PATCH", "/api/token"), "PATCH <unmatched>");
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("%40me"), "@me");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%zz%"), "%zz%");
    }
}
