//! Several clients at once, each on a keep-alive connection.

use std::time::{Duration, Instant};

use crate::support::*;
use etna_sim::Simulator;

const THREADS: usize = 8;
const REQUESTS: usize = 50;

#[test]
fn eight_clients_fifty_requests_each() {
    let sim = Simulator::start_default().unwrap();
    let base = sim.base_url();
    let started = Instant::now();
    std::thread::scope(|scope| {
        for n in 0..THREADS {
            let (sim, base) = (&sim, base.clone());
            scope.spawn(move || {
                // One agent per client: its pooled connection is reused.
                let agent = agent();
                let login = send(
                    &agent,
                    "POST",
                    &format!("{base}token"),
                    &[
                        ("Et-App-Key", KEY),
                        ("Username", "alice"),
                        ("Password", "alice-pass"),
                    ],
                );
                assert_eq!(login.status, 200, "{}", login.text);
                let bearer = format!("Bearer {}", login.token());
                for i in 1..REQUESTS {
                    let url = format!("{base}v1.0/users/@me/info?client={n}&i={i}");
                    let answer = send(
                        &agent,
                        "GET",
                        &url,
                        &[("Et-App-Key", KEY), ("Authorization", &bearer)],
                    );
                    assert_eq!(answer.status, 200, "{}", answer.text);
                    assert_eq!(answer.json()["UserId"], 101);
                }
                let _ = sim;
            });
        }
    });
    assert!(started.elapsed() < Duration::from_secs(60));
    let recorded = sim.recorded_requests();
    assert_eq!(recorded.len(), THREADS * REQUESTS);
    // Every client's requests arrived, each once.
    for n in 0..THREADS {
        let mine = recorded
            .iter()
            .filter(|r| r.url.contains(&format!("client={n}&")))
            .count();
        assert_eq!(mine, REQUESTS - 1);
    }
}

#[test]
fn stopping_frees_the_port_and_threads() {
    for _ in 0..3 {
        let sim = Simulator::start_default().unwrap();
        let port = sim.port();
        assert_eq!(alice_token(&sim).len(), 344);
        sim.stop();
        // The listener is gone: connecting fails (or is reset at once).
        let refused = std::net::TcpStream::connect(("127.0.0.1", port)).is_err();
        assert!(refused, "port {port} still accepting after stop");
    }
}
