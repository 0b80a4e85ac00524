//! Where the broker is and how long a call may take.

use crate::client::error::{Error, Result};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Upper bound for either timeout: long enough for any broker, short enough that no call hangs.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(600);

/// The broker's API root, always ending in `/` so that `v1.0/...` and `token` join onto it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Accepts `https://host[:port]/path[/]`; `http` only for loopback hosts, because tokens and
    /// passwords travel in headers and must not cross a network in clear text.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        let (scheme, rest) = text.split_once("://").ok_or_else(|| {
            Error::invalid_argument(format!(
                "base URL '{text}' has no scheme: expected e.g. https://pub-api-et-demo-prod.etnasoft.us/api/"
            ))
        })?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(Error::invalid_argument(format!(
                "base URL scheme '{scheme}' is not supported: use https"
            )));
        }
        if rest.contains(['?', '#']) {
            return Err(Error::invalid_argument(
                "base URL must not have a query or fragment",
            ));
        }
        if rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::invalid_argument(
                "base URL contains white space or control characters",
            ));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if authority.contains('@') {
            return Err(Error::invalid_argument(
                "base URL must not carry credentials (user:password@host)",
            ));
        }
        let host = host_of(authority)?;
        if scheme == "http" && !is_loopback(host) {
            return Err(Error::invalid_argument(format!(
                "base URL uses http for '{host}': https is required except for loopback hosts \
                 (127.0.0.0/8, ::1, localhost), because credentials travel in headers"
            )));
        }
        let mut url = format!("{scheme}://{authority}{path}");
        if !url.ends_with('/') {
            url.push('/');
        }
        url.parse::<ureq::http::Uri>()
            .map_err(|e| Error::invalid_argument(format!("base URL is not a valid URL: {e}")))?;
        Ok(BaseUrl(url))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The host part of `host[:port]` or `[v6][:port]`, checked for emptiness and a valid port.
fn host_of(authority: &str) -> Result<&str> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let end = rest
            .find(']')
            .ok_or_else(|| Error::invalid_argument("base URL has an unclosed '[' in its host"))?;
        (&rest[..end], rest[end + 1..].strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(Error::invalid_argument("base URL has no host"));
    }
    if let Some(port) = port {
        if port.parse::<u16>().map_or(true, |p| p == 0) {
            return Err(Error::invalid_argument(format!(
                "base URL port '{port}' is not valid"
            )));
        }
    }
    Ok(host)
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.octets()[0] == Ipv4Addr::LOCALHOST.octets()[0],
        Ok(IpAddr::V6(v6)) => v6 == Ipv6Addr::LOCALHOST,
        Err(_) => false,
    }
}

/// How long connecting and a whole request (connect, send, answer, body) may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: DEFAULT_CONNECT_TIMEOUT,
            request: DEFAULT_REQUEST_TIMEOUT,
        }
    }
}

impl Timeouts {
    /// What is left of these timeouts for a request that must end by `deadline` (at least 1 ms,
    /// so a late request fails as a timeout rather than as an invalid setting).
    pub fn until(self, deadline: std::time::Instant) -> Timeouts {
        let left = deadline
            .saturating_duration_since(std::time::Instant::now())
            .max(Duration::from_millis(1));
        Timeouts {
            connect: self.connect.min(left),
            request: left,
        }
    }

    pub fn from_millis(connect_ms: u64, request_ms: u64) -> Result<Self> {
        let check = |name: &str, ms: u64| {
            let d = Duration::from_millis(ms);
            if ms == 0 || d > MAX_TIMEOUT {
                Err(Error::invalid_argument(format!(
                    "{name} timeout {ms} ms is out of range: 1 to {} ms (no call may wait forever)",
                    MAX_TIMEOUT.as_millis()
                )))
            } else {
                Ok(d)
            }
        };
        Ok(Timeouts {
            connect: check("connect", connect_ms)?,
            request: check("request", request_ms)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::error::ErrorKind;

    fn rejected(url: &str) -> String {
        let e = BaseUrl::parse(url).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{url}");
        e.message().to_owned()
    }

    #[test]
    fn the_brokers_url_is_accepted_with_or_without_trailing_slash() {
        let a = BaseUrl::parse("https://pub-api-et-demo-prod.etnasoft.us/api/").unwrap();
        let b = BaseUrl::parse("https://pub-api-et-demo-prod.etnasoft.us/api").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "https://pub-api-et-demo-prod.etnasoft.us/api/");
    }

    #[test]
    fn plain_http_is_allowed_only_on_loopback() {
        for ok in [
            "http://127.0.0.1:8080/api/",
            "http://127.1.2.3/api",
            "http://localhost:1/api/",
            "http://LOCALHOST/api/",
            "http://[::1]:9000/api/",
        ] {
            assert!(BaseUrl::parse(ok).is_ok(), "{ok}");
        }
        let msg = rejected("http://pub-api-et-demo-prod.etnasoft.us/api/");
        assert!(msg.contains("https is required"), "{msg}");
        rejected("http://10.0.0.1/api/");
        rejected("http://[::2]/api/");
        rejected("http://localhost.example.com/api/");
    }

    #[test]
    fn malformed_urls_say_why() {
        assert!(rejected("pub-api.etnasoft.us/api").contains("no scheme"));
        assert!(rejected("ftp://host/api").contains("not supported"));
        assert!(rejected("https:///api").contains("no host"));
        assert!(rejected("https://user:pw@host/api").contains("credentials"));
        assert!(rejected("https://host/api?x=1").contains("query"));
        assert!(rejected("https://host:99999/api").contains("port"));
        assert!(rejected("https://ho st/api").contains("white space"));
    }

    #[test]
    fn timeouts_must_be_positive_and_bounded() {
        let t = Timeouts::from_millis(250, 1500).unwrap();
        assert_eq!(t.connect, Duration::from_millis(250));
        assert_eq!(t.request, Duration::from_millis(1500));
        assert!(Timeouts::from_millis(0, 1000).is_err());
        assert!(Timeouts::from_millis(1000, 0).is_err());
        assert!(Timeouts::from_millis(1000, 10_000_000).is_err());
        assert_eq!(Timeouts::default().connect, Duration::from_secs(10));
        assert_eq!(Timeouts::default().request, Duration::from_secs(30));
    }
}
