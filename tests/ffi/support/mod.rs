//! What the tests of this binary share: the simulator with a fixed code, calling the C ABI as C
//! would (`ffi`), a canned server for answers the simulator cannot give (`canned`).

pub mod canned;
pub mod ffi;
pub mod logs;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub use etna_sim::{SimConfig, Simulator};

pub const APP_KEY: &str = "sim-app-key";
pub const FIXED_CODE: &str = "123456";

/// The simulator with a fixed two-factor code, so programs can be fed their input up front.
pub fn start_sim() -> Simulator {
    Simulator::start(SimConfig {
        fixed_code: Some(FIXED_CODE.into()),
        ..SimConfig::default()
    })
    .expect("simulator starts on a free loopback port")
}

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Runs a program with `stdin` as its input, killing it after `limit`.
pub fn run_limited(cmd: &mut Command, stdin: &str, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).ok();
    // Drain pipes on threads so a chatty program cannot block on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        out.read_to_end(&mut v).ok();
        v
    });
    let err_t = std::thread::spawn(move || {
        let mut v = Vec::new();
        err.read_to_end(&mut v).ok();
        v
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for child") {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().ok();
            let status = child.wait().expect("reap child");
            let stdout = String::from_utf8_lossy(&out_t.join().unwrap()).into_owned();
            panic!("{cmd:?} still running after {limit:?} ({status}); stdout so far:\n{stdout}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Output {
        status,
        stdout: out_t.join().unwrap(),
        stderr: err_t.join().unwrap(),
    }
}

/// True when the environment demands that a tool be present (CI sets it), so its absence
/// fails instead of skipping.
pub fn required(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1")
}
