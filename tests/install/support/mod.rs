//! What the install tests share: where things are, which tools are here, running commands with a
//! time limit, the simulator, and the installs themselves (one of each per test run).

pub mod abi;
pub mod readme;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub use etna_sim::{SimConfig, Simulator};

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `target/<profile>/deps`, next to the test binary, where `cargo test` put libetna.so.
pub fn deps_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    exe.parent().expect("target/<profile>/deps").to_path_buf()
}

/// A scratch directory, emptied: `target/<profile>/test-programs/install/<name>`.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = deps_dir()
        .parent()
        .expect("target/<profile>")
        .join("test-programs/install")
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("empty the scratch dir");
    }
    std::fs::create_dir_all(&dir).expect("create the scratch dir");
    dir
}

pub fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether `tools` are all here. A test without them is skipped with a message saying which are
/// missing, unless ETNA_REQUIRE_INSTALL_TOOLS=1 (CI sets it), when it fails.
pub fn tools(test: &str, tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools.iter().copied().filter(|t| !have(t)).collect();
    if missing.is_empty() {
        return true;
    }
    let packages = missing
        .iter()
        .map(|t| match *t {
            "mcs" => "mono-mcs",
            "mono" => "mono-runtime",
            "readelf" | "nm" => "binutils",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        !std::env::var("ETNA_REQUIRE_INSTALL_TOOLS").is_ok_and(|v| v == "1"),
        "ETNA_REQUIRE_INSTALL_TOOLS=1 but {} not installed (apt-get install {packages})",
        missing.join(", ")
    );
    println!(
        "skipped {test}: {} not installed (apt-get install {packages})",
        missing.join(", ")
    );
    false
}

/// Whether scripts/install.sh can cross-build etna.dll here: mingw-w64 and Rust's
/// x86_64-pc-windows-gnu target.
pub fn windows_toolchain() -> bool {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    have("x86_64-w64-mingw32-gcc")
        && Path::new(&sysroot)
            .join("lib/rustlib/x86_64-pc-windows-gnu/lib")
            .is_dir()
}

/// Runs `cmd` with `stdin`, killing it after `limit`.
pub fn run_limited(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
    drop(child.stdin.take());
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    // Drained on threads so a chatty program cannot block on a full pipe.
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
        if let Some(status) = child.try_wait().expect("wait for the child") {
            break status;
        }
        if started.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            let stdout = String::from_utf8_lossy(&out_t.join().unwrap_or_default()).into_owned();
            let stderr = String::from_utf8_lossy(&err_t.join().unwrap_or_default()).into_owned();
            panic!("{cmd:?} still running after {limit:?}:\n{stdout}\n{stderr}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out_t.join().unwrap_or_default(),
        stderr: err_t.join().unwrap_or_default(),
    }
}

/// Like `run_limited`; the command must exit 0. Gives its stdout.
pub fn run_ok(cmd: &mut Command, limit: Duration) -> String {
    let out = run_limited(cmd, limit);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// A shell running `script` (lines of the README) in `dir`.
pub fn shell(dir: &Path, script: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.args(["-ec", script]).current_dir(dir);
    cmd
}

/// What `readelf -d` says of an ELF file: its NEEDED libraries and its SONAME.
pub fn dynamic_section(file: &Path) -> (Vec<String>, Option<String>) {
    let text = run_ok(
        Command::new("readelf").arg("-d").arg(file),
        Duration::from_secs(30),
    );
    let bracketed = |line: &str| {
        let start = line.find('[')? + 1;
        let end = line.rfind(']')?;
        Some(line[start..end].to_owned())
    };
    let needed = text
        .lines()
        .filter(|l| l.contains("(NEEDED)"))
        .filter_map(bracketed)
        .collect();
    let soname = text
        .lines()
        .find(|l| l.contains("(SONAME)"))
        .and_then(bracketed);
    (needed, soname)
}

/// The simulator, fast enough for a market order to fill at once.
pub fn start_sim() -> Simulator {
    Simulator::start(SimConfig {
        speed: 60.0,
        ..SimConfig::default()
    })
    .expect("the simulator starts on a free loopback port")
}

/// The account, symbol and quantity of the consumers' order.
pub const ACCOUNT: i64 = 1001;
pub const SYMBOL: &str = "F";
pub const QUANTITY: u32 = 10;

/// Points a consumer program at the simulator as alice, and takes LD_LIBRARY_PATH away: an
/// installed library is found without it.
pub fn sim_env(cmd: &mut Command, sim: &Simulator) {
    cmd.env("ETNA_BASE_URL", sim.base_url())
        .env("ETNA_APP_KEY", "sim-app-key")
        .env("ETNA_USERNAME", "alice")
        .env("ETNA_PASSWORD", "alice-pass")
        .env("ETNA_ACCOUNT", ACCOUNT.to_string())
        .env("ETNA_SYMBOL", SYMBOL)
        .env("ETNA_QUANTITY", QUANTITY.to_string())
        .env_remove("LD_LIBRARY_PATH")
        .env_remove("MONO_PATH");
}

/// Runs a consumer against a fresh simulator and checks what it did: logged in, the order placed
/// once and filled, logged out.
pub fn check_consumer(mut cmd: Command, what: &str) {
    let sim = start_sim();
    sim_env(&mut cmd, &sim);
    // The C# run restores and builds first.
    let stdout = run_ok(&mut cmd, Duration::from_secs(180));
    assert!(
        stdout.contains("logged in as alice"),
        "{what} did not log in:\n{stdout}"
    );
    let order = stdout
        .lines()
        .find(|l| l.starts_with("order "))
        .unwrap_or_else(|| panic!("{what} printed no order:\n{stdout}"));
    assert!(
        order.contains(&format!(": Filled {QUANTITY} at ")),
        "{what}: {order}"
    );
    assert!(stdout.contains("logged out"), "{what}:\n{stdout}");
    assert_eq!(sim.orders_accepted(), 1, "{what}: one order on the broker");
    let requests = sim.recorded_requests();
    assert!(
        requests
            .iter()
            .any(|r| r.method == "POST" && r.url.contains(&format!("accounts/{ACCOUNT}/orders"))),
        "{what}: no order request reached the simulator"
    );
}

/// How long `scripts/install.sh` may take: a release build with LTO on a busy machine.
const INSTALL_LIMIT: Duration = Duration::from_secs(40 * 60);

/// The README's `scripts/install.sh --prefix "$prefix"` line, run once per test run into a fresh
/// prefix. Gives the prefix.
pub fn installed_prefix() -> &'static Path {
    static PREFIX: OnceLock<PathBuf> = OnceLock::new();
    PREFIX.get_or_init(|| {
        let dir = fresh_dir("prefix");
        let line = readme::install_section().command("scripts/install.sh --prefix");
        let mut cmd = shell(&manifest_dir(), &line);
        cmd.env("prefix", &dir);
        let stdout = run_ok(&mut cmd, INSTALL_LIMIT);
        assert!(stdout.contains("== done"), "{stdout}");
        dir
    })
}

/// The README's `scripts/install.sh --nuget "$feed"` line, run once per test run into a fresh
/// folder feed. Gives the feed.
pub fn nuget_feed() -> &'static Path {
    static FEED: OnceLock<PathBuf> = OnceLock::new();
    FEED.get_or_init(|| {
        let dir = fresh_dir("feed");
        let line = readme::install_section().command("scripts/install.sh --nuget");
        let mut cmd = shell(&manifest_dir(), &line);
        cmd.env("feed", &dir);
        let stdout = run_ok(&mut cmd, INSTALL_LIMIT);
        assert!(stdout.contains("== done"), "{stdout}");
        dir
    })
}

/// Copies the files of `tests/install/<from>` into `dir`, renaming as `renames` says.
pub fn copy_sources(from: &str, dir: &Path, renames: &[(&str, &str)]) {
    let src = manifest_dir().join("tests/install").join(from);
    for entry in std::fs::read_dir(&src).expect("the consumer's sources") {
        let path = entry.expect("a directory entry").path();
        let name = path
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        let name = renames
            .iter()
            .find(|(from, _)| *from == name)
            .map_or(name.clone(), |(_, to)| (*to).to_owned());
        std::fs::copy(&path, dir.join(name)).expect("copy a consumer source");
    }
}
