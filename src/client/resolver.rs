//! Name resolution for a session's connections. ureq resolves the host before every request,
//! pooled connection or not, and with a deadline set it does so on a new thread each time
//! (about 40 µs per request on this machine). The broker's host does not move between requests,
//! so: IP literals are never looked up, and a name's addresses are kept for a minute.

use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long looked-up addresses are reused.
const KEEP: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct CachingResolver {
    lookup: DefaultResolver,
    cached: Mutex<Option<Cached>>,
}

struct Cached {
    authority: String,
    addrs: ResolvedSocketAddrs,
    at: Instant,
}

impl std::fmt::Debug for CachingResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CachingResolver")
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let Some(authority) = uri.authority() else {
            return self.lookup.resolve(uri, config, timeout);
        };
        let default_port = if uri.scheme_str() == Some("https") {
            443
        } else {
            80
        };
        let port = authority.port_u16().unwrap_or(default_port);
        let host = authority
            .host()
            .trim_start_matches('[')
            .trim_end_matches(']');
        if let Ok(ip) = host.parse::<IpAddr>() {
            let mut addrs = self.empty();
            addrs.push(SocketAddr::new(ip, port));
            return Ok(addrs);
        }
        let key = authority.as_str();
        {
            let cached = self.cached.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(c) = cached
                .as_ref()
                .filter(|c| c.authority == key && c.at.elapsed() < KEEP)
            {
                return Ok(c.addrs.clone());
            }
        }
        let addrs = self.lookup.resolve(uri, config, timeout)?;
        *self.cached.lock().unwrap_or_else(|e| e.into_inner()) = Some(Cached {
            authority: key.to_owned(),
            addrs: addrs.clone(),
            at: Instant::now(),
        });
        Ok(addrs)
    }
}
