//! The simulator's own routes under `/sim/`. None needs an app key or a token, and none is
//! ever faulted or counted in `/sim/stats`.
//!
//! - `GET /sim/clock` and `GET /sim/outbox/{username}`: rows of the route table, recorded like
//!   any request.
//! - The admin routes, `/sim/faults` (GET lists, POST appends, DELETE clears) and `/sim/stats`
//!   (GET): answered before routing, to loopback peers only (403 for anyone else), and not
//!   recorded.

use std::net::IpAddr;

use crate::faults;
use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::Obj;
use crate::market::clock as sim_clock;
use crate::{RecordedRequest, State};

/// `GET /sim/clock` (simulator only, no key): the simulated instant, the
/// speed and whether the regular session is open.
pub fn clock(state: &State, _: &Call) -> Reply {
    let now = state.clock.now();
    Reply::json(
        200,
        Obj::new()
            .with("Now", sim_clock::iso(now))
            .with("Speed", state.clock.speed())
            .with("MarketOpen", sim_clock::is_open(now))
            .with("NextClose", sim_clock::iso(sim_clock::next_close(now))),
    )
}

/// `GET /sim/outbox/{username}`: `{"Username":..,"Codes":[..]}`, 404 for
/// an unknown user.
pub fn outbox(state: &State, call: &Call) -> Reply {
    let name = call.param("username");
    match state.user_by_login(name) {
        Some(user) => Reply::json(
            200,
            Obj::new()
                .with("Username", user.login)
                .with("Codes", state.outbox.codes(user.login)),
        ),
        None => reply::not_found(&call.full_url),
    }
}

/// Whether `path` (without its query) is an admin route.
pub fn is_admin(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    path.eq_ignore_ascii_case("/sim/faults") || path.eq_ignore_ascii_case("/sim/stats")
}

/// Whether a peer may use the admin routes: loopback only (IPv4-mapped IPv6 included).
pub fn allowed(peer: IpAddr) -> bool {
    match peer {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// Answers an admin request from `peer`.
pub fn handle(state: &State, req: &RecordedRequest, path: &str, peer: IpAddr) -> Reply {
    if !allowed(peer) {
        return reply::message(
            403,
            "The simulator's admin routes answer loopback clients only.",
        );
    }
    let stats = path
        .trim_end_matches('/')
        .eq_ignore_ascii_case("/sim/stats");
    match (req.method.as_str(), stats) {
        ("GET", true) => Reply::json(200, state.stats()),
        ("GET", false) => Reply::json(200, state.faults.listing()),
        ("POST", false) => {
            let text = String::from_utf8_lossy(&req.body);
            match faults::rules::parse_rules(&text) {
                Ok(rules) => {
                    state.faults.add(rules);
                    Reply::json(200, state.faults.listing())
                }
                Err(problem) => reply::message(400, problem),
            }
        }
        ("DELETE", false) => {
            state.faults.clear();
            Reply::empty(204)
        }
        (method, _) => reply::method_not_allowed(method),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_peers_are_allowed() {
        for ip in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"] {
            assert!(allowed(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "10.0.0.1",
            "192.168.1.5",
            "0.0.0.0",
            "::ffff:10.0.0.1",
            "fe80::1",
        ] {
            assert!(!allowed(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn a_remote_peer_is_refused_and_changes_nothing() {
        let sim = crate::Simulator::start_default().unwrap();
        sim.add_faults(r#"{"Rules":[{"Kind":"DropBefore"}]}"#)
            .unwrap();
        for (method, path) in [("DELETE", "/sim/faults"), ("GET", "/sim/stats")] {
            let req = RecordedRequest {
                method: method.to_string(),
                url: path.to_string(),
                headers: Vec::new(),
                body: Vec::new(),
            };
            let remote = handle(&sim.state, &req, path, "192.0.2.7".parse().unwrap());
            assert_eq!(remote.status, 403, "{method} {path}");
            let local = handle(&sim.state, &req, path, "127.0.0.1".parse().unwrap());
            assert_eq!(local.status, if method == "GET" { 200 } else { 204 });
        }
    }

    #[test]
    fn admin_paths() {
        assert!(is_admin("/sim/faults"));
        assert!(is_admin("/SIM/Stats/"));
        assert!(!is_admin("/sim/clock"));
        assert!(!is_admin("/api/sim/faults"));
    }
}
