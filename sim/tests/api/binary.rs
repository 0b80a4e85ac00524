//! The `etna-sim` program: first line, two-factor login, outbox line, flags.

use std::process::Command;
use std::time::Duration;

use crate::support::*;

#[test]
fn serves_and_prints_the_outbox() {
    let (_child, lines) = spawn(&["--port", "0", "--fixed-code", "123456"]);
    let first = next_line(&lines);
    let base = first
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
    let port: u16 = base
        .strip_prefix("http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix("/api/"))
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
    assert_ne!(port, 0);

    let agent = agent();
    let creds = [
        ("Et-App-Key", KEY),
        ("Username", "bob"),
        ("Password", "bob-pass"),
    ];
    let step1 = send(&agent, "POST", &format!("{base}token"), &creds);
    assert_eq!(step1.status, 202, "{}", step1.text);
    assert_eq!(
        next_line(&lines),
        "outbox: verification code for bob: 123456"
    );

    let bearer = format!("Bearer {}", step1.token());
    let mut headers = creds.to_vec();
    headers.push(("Authorization", &bearer));
    headers.push(("VerificationCode", "123456"));
    let step2 = send(&agent, "POST", &format!("{base}token"), &headers);
    assert_eq!(step2.status, 200, "{}", step2.text);

    let bearer = format!("Bearer {}", step2.token());
    let info = send(
        &agent,
        "GET",
        &format!("{base}v1.0/users/@me/info"),
        &[("Et-App-Key", KEY), ("Authorization", &bearer)],
    );
    assert_eq!(info.json()["Login"], "bob");
}

#[test]
fn app_key_and_ttl_flags() {
    let (_child, lines) = spawn(&["--app-key=my-key", "--token-ttl", "3600"]);
    let first = next_line(&lines);
    let base = first.strip_prefix("listening on ").unwrap().to_string();
    let login = |key: &str| {
        send(
            &agent(),
            "POST",
            &format!("{base}token"),
            &[
                ("Et-App-Key", key),
                ("Username", "alice"),
                ("Password", "alice-pass"),
            ],
        )
        .status
    };
    assert_eq!(login(KEY), 403);
    assert_eq!(login("my-key"), 200);
}

#[test]
fn bad_flags_exit_with_status_two() {
    for args in [
        &["--bogus"][..],
        &["--port"][..],
        &["--port", "70000"][..],
        &["--fixed-code", "12345"][..],
        &["--fixed-code", "abcdef"][..],
        &["--token-ttl", "-1"][..],
        &["--speed", "0"][..],
        &["--speed", "-2"][..],
        &["--speed", "fast"][..],
        &["--start", "yesterday"][..],
        &["--start", "2026-02-30T10:00:00Z"][..],
        &["--quote-rate", "-1"][..],
        &["--quote-rate", "many"][..],
        &[
            "--fault",
            r#"{"Method":"WS","Kind":"StreamClose","Backlog":1}"#,
        ][..],
        &["extra"][..],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let help = Command::new(BIN).arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).starts_with("usage: etna-sim"));
}

#[test]
fn speed_and_start_flags_set_the_market_clock() {
    let (_child, lines) = spawn(&["--speed", "60", "--start=2026-03-04T20:59:30Z"]);
    let first = next_line(&lines);
    let base = first.strip_prefix("listening on ").unwrap().to_string();
    let clock_url = base.replace("/api/", "/sim/clock");
    let clock = send(&agent(), "GET", &clock_url, &[]).json();
    assert_eq!(clock["Speed"], 60.0);
    let now = clock["Now"].as_str().unwrap();
    assert!(now.starts_with("2026-03-04T2"), "{now}");
    assert_eq!(clock["NextClose"], "2026-03-04T21:00:00.0000000Z");
    // Thirty simulated seconds later (half a real second) the market is closed.
    std::thread::sleep(Duration::from_millis(700));
    let clock = send(&agent(), "GET", &clock_url, &[]).json();
    assert_eq!(clock["MarketOpen"], false, "{clock}");
}
