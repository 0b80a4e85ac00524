//! `etna-sim`: runs the ETNA Trader API simulator until killed.
//!
//! The first line on stdout is `listening on http://127.0.0.1:PORT/api/`, so
//! scripts can start it with `--port 0` and read the port; two-factor codes
//! are printed as `outbox: verification code for USER: CODE`.
//!
//! The simulated market clock starts at 09:30 New York time today (the last
//! weekday on weekends) unless `--start` says otherwise, and runs `--speed`
//! times faster than real time. The quote and data streamers listen on ports
//! of their own, given by `GET /api/v1.0/streamers`.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use etna_sim::{SimConfig, Simulator, parse_instant};

const USAGE: &str = "\
usage: etna-sim [--port N] [--fixed-code CODE] [--token-ttl SECONDS] [--app-key KEY]
                [--speed N] [--start INSTANT] [--quote-rate N] [--fault RULE]...

Serves a local simulator of the ETNA Trader REST API on 127.0.0.1, and its
quote and data streamers (WebSocket; addresses in GET /api/v1.0/streamers).

  --port N             port to listen on (default 0: any free port)
  --fixed-code CODE    send this 6-digit two-factor code instead of random ones
  --token-ttl SECONDS  lifetime of final tokens (default 86400)
  --app-key KEY        the accepted Et-App-Key (default sim-app-key)
  --speed N            simulated seconds per real second (default 1; e.g. 60
                       makes a trading day last 6.5 minutes)
  --start INSTANT      simulated start, ISO-8601 (e.g. 2026-11-27T20:59:00Z);
                       default: 09:30 New York time today
  --quote-rate N       quote messages per second on each quote streamer
                       connection, across its subscriptions (a firehose for
                       benchmarks); default 0: each security about every 200 ms
  --fault RULE         install a fault rule (JSON; repeatable; tried in order), e.g.
                       '{\"Method\":\"POST\",\"Path\":\"/api/v1.0/accounts/*/orders\",
                         \"Kind\":\"DropAfter\",\"Times\":1}'
                       Kinds: Delay (DelayMs), DropBefore, DropAfter, Status (Status),
                       RateLimit (RetryAfter), Malformed, Truncated,
                       ExpireTokens (AfterSeconds). Method and Path default to \"*\";
                       Times (how many matching requests) defaults to every one.
                       Streamer kinds, with Method \"WS\" and Path \"/quotes\" or
                       \"/data\": StreamClose (AfterMessages), StreamSilent,
                       RefuseSession, CutSlowReader (BacklogBytes), IgnorePings,
                       SpacedJson.
                       At run time: POST/GET/DELETE /sim/faults, GET /sim/stats.
  --help               print this help

Demo users: alice/alice-pass (password), bob/bob-pass (two-factor),
carol/carol-pass (PIN 2468), dave/dave-pass (expired password),
erin/erin-pass (PIN not set). Accounts 1001 and 1002 (alice), 1003 (bob),
1004 (carol) hold cash and a few positions to trade with; 38 US equities
(AAPL, MSFT, SPY, ...) trade 09:30-16:00 New York time on weekdays.";

fn main() -> ExitCode {
    let (config, faults) = match parse(std::env::args().skip(1)) {
        Ok(Some(parsed)) => parsed,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("etna-sim: {message}\n(try --help)");
            return ExitCode::from(2);
        }
    };
    let sim = match Simulator::start(config) {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("etna-sim: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    for rule in &faults {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(rule) {
            eprintln!("etna-sim: bad --fault {rule}: not valid JSON: {e}");
            return ExitCode::from(2);
        }
        let wrapped = format!("{{\"Rules\":[{rule}]}}");
        if let Err(message) = sim.add_faults(&wrapped) {
            let message = message.strip_prefix("Rules[0]: ").unwrap_or(&message);
            eprintln!("etna-sim: bad --fault {rule}: {message}");
            return ExitCode::from(2);
        }
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "listening on {}", sim.base_url());
    let _ = out.flush();
    drop(out);
    loop {
        std::thread::park();
    }
}

/// The configuration and the `--fault` rules (JSON objects, in order) from
/// the arguments; `Ok(None)` for `--help`.
/// Accepts `--flag value` and `--flag=value`.
fn parse(args: impl Iterator<Item = String>) -> Result<Option<(SimConfig, Vec<String>)>, String> {
    let mut faults = Vec::new();
    let mut config = SimConfig {
        print_outbox: true,
        ..SimConfig::default()
    };
    let mut args = args;
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg, None),
        };
        if flag == "--help" || flag == "-h" {
            return Ok(None);
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--port" => {
                let v = value()?;
                config.port = v.parse().map_err(|_| format!("bad port: {v}"))?;
            }
            "--fixed-code" => {
                let v = value()?;
                if v.len() != 6 || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("--fixed-code must be 6 digits, got {v}"));
                }
                config.fixed_code = Some(v);
            }
            "--token-ttl" => {
                let v = value()?;
                let secs: u64 = v.parse().map_err(|_| format!("bad --token-ttl: {v}"))?;
                config.token_ttl = Duration::from_secs(secs);
            }
            "--app-key" => {
                let v = value()?;
                if v.is_empty() {
                    return Err("--app-key must not be empty".to_string());
                }
                config.app_key = v;
            }
            "--speed" => {
                let v = value()?;
                let speed: f64 = v.parse().map_err(|_| format!("bad --speed: {v}"))?;
                if !(speed.is_finite() && speed > 0.0) {
                    return Err(format!("--speed must be a positive number, got {v}"));
                }
                config.speed = speed;
            }
            "--start" => {
                let v = value()?;
                config.start =
                    Some(parse_instant(&v).ok_or_else(|| {
                        format!("bad --start: {v} (want e.g. 2026-11-27T20:59:00Z)")
                    })?);
            }
            "--quote-rate" => {
                let v = value()?;
                config.quote_rate = v
                    .parse()
                    .map_err(|_| format!("bad --quote-rate: {v} (want 0 to 4294967295)"))?;
            }
            "--fault" => faults.push(value()?),
            _ => return Err(format!("unknown argument: {flag}")),
        }
    }
    Ok(Some((config, faults)))
}
