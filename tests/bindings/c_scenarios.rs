//! The C scenarios (tests/bindings/c/abi_test.c), compiled with strict warnings, linked
//! dynamically and statically, run against the simulator (and a timeout, TLS with an added CA,
//! kept-alive connections), and run under valgrind and the sanitizers; and the C examples
//! (examples/c/quickstart.c, examples/c/orders.c, examples/c/stream_quotes.c) against the
//! simulator.

use crate::support::front::{Front, Silent, test_ca};
use crate::support::*;
use etna::ffi::*;
use std::ffi::CString;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SCENARIOS: &str = "tests/bindings/c/abi_test.c";

fn scenarios(link: Link) -> Program {
    build(Lang::C, link, &[SCENARIOS], "abi_test")
}

fn quickstart() -> Program {
    build(
        Lang::C,
        Link::Dynamic,
        &["examples/c/quickstart.c"],
        "quickstart",
    )
}

fn orders_example() -> Program {
    build(Lang::C, Link::Dynamic, &["examples/c/orders.c"], "orders")
}

fn stream_quotes_example() -> Program {
    build(
        Lang::C,
        Link::Dynamic,
        &["examples/c/stream_quotes.c"],
        "stream_quotes",
    )
}

/// A loopback URL where nothing listens: bind a port, then let it go.
pub fn refused_url() -> String {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}/api/")
}

/// What the scenarios run against (the variables of abi_test.c's opening comment): the
/// simulator, a refused port, a silent one, and the simulator behind relays, plain and HTTPS.
pub struct ScenarioServers {
    sim: Simulator,
    silent: Silent,
    front: Front,
    tls_front: Front,
}

impl ScenarioServers {
    pub fn start() -> ScenarioServers {
        let sim = start_sim();
        let port = sim.port();
        ScenarioServers {
            sim,
            silent: Silent::start(),
            front: Front::start(port, false),
            tls_front: Front::start(port, true),
        }
    }

    /// Points `cmd` at them; `ca_file` is the test CA's path as the program names files.
    pub fn env(&self, cmd: &mut Command, ca_file: &str) {
        cmd.env("ETNA_BASE_URL", self.sim.base_url())
            .env("ETNA_REFUSED_URL", refused_url())
            .env("ETNA_SILENT_URL", self.silent.base_url())
            .env("ETNA_FRONT_URL", self.front.base_url())
            .env("ETNA_TLS_URL", self.tls_front.base_url())
            .env("ETNA_CA_FILE", ca_file);
    }

    /// The scenarios passed, and kept their connections alive: one through the plain relay,
    /// and through the TLS one a connection refused (the unknown CA) then one kept.
    pub fn check(&self, stdout: &str) {
        assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
        assert_eq!(self.front.connections(), 1, "through the relay:\n{stdout}");
        assert_eq!(self.tls_front.connections(), 2, "through TLS:\n{stdout}");
    }
}

fn run_scenarios(program: &Path, wrapper: &[&str]) {
    let servers = ScenarioServers::start();
    let (exe, args) = match wrapper.split_first() {
        Some((tool, rest)) => (
            PathBuf::from(tool),
            [rest, &[program.to_str().unwrap()]].concat(),
        ),
        None => (program.to_path_buf(), vec![]),
    };
    let mut cmd = Command::new(exe);
    cmd.args(args);
    servers.env(&mut cmd, test_ca().to_str().unwrap());
    let stdout = run_ok(&mut cmd, "", Duration::from_secs(240));
    servers.check(&stdout);
}

#[test]
fn c_scenarios_pass_linked_dynamically() {
    run_scenarios(scenarios(Link::Dynamic).path(), &[]);
}

#[test]
fn c_scenarios_pass_linked_statically() {
    let program = scenarios(Link::Static);
    let symbols = run_ok(
        Command::new("nm").arg(program.path()),
        "",
        Duration::from_secs(60),
    );
    assert!(
        symbols.contains(" T etna_login"),
        "libetna.a was not linked in"
    );
    run_scenarios(program.path(), &[]);
}

#[test]
fn c_scenarios_leak_nothing_under_valgrind() {
    if !have("valgrind") {
        assert!(
            !required("ETNA_REQUIRE_VALGRIND"),
            "valgrind is required but not installed"
        );
        eprintln!("valgrind not installed: skipped");
        return;
    }
    let suppressions = format!(
        "--suppressions={}",
        manifest_dir()
            .join("tests/bindings/c/valgrind.supp")
            .display()
    );
    run_scenarios(
        scenarios(Link::Dynamic).path(),
        &[
            "valgrind",
            "--leak-check=full",
            "--num-callers=40",
            "--error-exitcode=1",
            "-q",
            &suppressions,
        ],
    );
}

#[test]
fn c_scenarios_are_clean_under_address_and_undefined_behaviour_sanitizers() {
    let program = scenarios(Link::Sanitized);
    let suppressions = manifest_dir().join("tests/bindings/c/lsan.supp");
    let wrapper = format!(
        "ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions={} UBSAN_OPTIONS=halt_on_error=1",
        suppressions.display()
    );
    let env: Vec<&str> = wrapper.split(' ').collect();
    run_scenarios(program.path(), &[&["env"], env.as_slice()].concat());
}

#[test]
fn c_quickstart_logs_in_with_two_factor_and_lists_accounts() {
    let sim = start_sim();
    let mut cmd = quickstart().command();
    sim_env(&mut cmd, &sim, "bob", "bob-pass");
    // A wrong code first: the quickstart says so and asks again.
    let out = run_limited(&mut cmd, "000000\n123456\n", Duration::from_secs(30));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(
        stdout.matches("Enter the verification code: ").count(),
        2,
        "{stdout}"
    );
    assert!(stderr.contains("rejected the code"), "{stderr}");
    // The typed reads: the user's login and id, the account, its balances by field and by name.
    assert!(stdout.contains("User: bob (id "), "{stdout}");
    assert!(stdout.contains("Account 1003: "), "{stdout}");
    let balances = line_after(&stdout, "Balances: cash ");
    assert!(
        balances.contains("stock buying power ") && balances.contains("option buying power "),
        "{balances}"
    );
    // Against the simulator it trades: limit placed, replaced, canceled; market filled.
    let replaced = line_after(&stdout, "Replaced (price 1.05): order ");
    assert!(replaced.contains(" at 1.05"), "{replaced}");
    assert!(stdout.contains("Placed limit order"), "{stdout}");
    let market: i64 = line_after(&stdout, "Placed market order ")
        .split(':')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no market order id in:\n{stdout}"));
    let filled = line_after(&stdout, "Market order, final: order ");
    assert!(
        filled.starts_with(&format!("{market} is Filled, 5 AAPL at ")),
        "{filled}"
    );
    let price: f64 = filled
        .split(" at ")
        .nth(1)
        .and_then(|p| p.split(' ').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no average price in {filled:?}"));
    assert!(price > 0.0, "{filled}");
    assert!(
        line_after(&stdout, "Position in AAPL: ").starts_with("5 at "),
        "{stdout}"
    );
    assert!(stdout.contains("Canceled limit order"), "{stdout}");
    assert!(stdout.contains("Logged out"), "{stdout}");
}

/// The rest of the first line that starts with `label`.
fn line_after<'a>(stdout: &'a str, label: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no line starting {label:?} in:\n{stdout}"))
}

/// Alice's account 1001 with `resting` Limit orders far below the market and one filled Market
/// order, placed through the C ABI; gives the ids of the resting ones and of the filled one.
fn alice_with_orders(sim: &Simulator, resting: usize) -> (Vec<i64>, i64) {
    let c = |s: &str| CString::new(s).unwrap();
    let mut session = std::ptr::null_mut();
    let mut ids = Vec::new();
    // SAFETY: every pointer passed is a live CString, a local out-slot or the session made here;
    // each result is read before it is freed, and the session is freed last.
    unsafe {
        let url = c(&sim.base_url());
        let key = c(APP_KEY);
        assert_eq!(
            etna_session_new(
                url.as_ptr(),
                key.as_ptr(),
                &mut session,
                std::ptr::null_mut()
            ),
            ETNA_OK
        );
        let (user, password) = (c("alice"), c("alice-pass"));
        let none = std::ptr::null_mut();
        assert_eq!(
            etna_login(session, user.as_ptr(), password.as_ptr(), none, none.cast()),
            ETNA_OK
        );
        let place = |order: &str| -> i64 {
            let mut r = std::ptr::null_mut();
            let order = c(order);
            let st = etna_place_order(session, 1001, order.as_ptr(), &mut r, none.cast());
            assert_eq!(st, ETNA_OK);
            let id = (*etna_result_order(r, 0)).id;
            etna_result_free(r);
            id
        };
        for _ in 0..resting {
            ids.push(place(
                r#"{"Symbol":"AAPL","Type":"Limit","Side":"Buy","Quantity":1,"Price":1.0}"#,
            ));
        }
        let market = place(r#"{"Symbol":"MSFT","Type":"Market","Side":"Buy","Quantity":2}"#);
        let mut r = std::ptr::null_mut();
        let st = etna_wait_for_order(session, 1001, market, 20_000, &mut r, none.cast());
        assert_eq!(st, ETNA_OK);
        assert_eq!((*etna_result_order(r, 0)).status, ETNA_ORDER_STATUS_FILLED);
        etna_result_free(r);
        etna_session_free(session);
        (ids, market)
    }
}

#[test]
fn c_orders_example_pages_through_every_order() {
    let sim = start_sim();
    let (resting, market) = alice_with_orders(&sim, 4);
    let mut cmd = orders_example().command();
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    cmd.env("ETNA_PAGE_SIZE", "2");
    let stdout = run_ok(&mut cmd, "", Duration::from_secs(30));
    assert!(stdout.contains("Orders of account 1001"), "{stdout}");
    // Five orders, two to a page: three pages, each order once.
    let pages: Vec<&str> = stdout.lines().filter(|l| l.starts_with("page ")).collect();
    assert_eq!(
        pages,
        [
            "page 0: 2 orders of 5",
            "page 1: 2 orders of 5",
            "page 2: 1 orders of 5"
        ],
        "{stdout}"
    );
    assert!(stdout.contains("\n5 orders\n"), "{stdout}");
    // `<id> <symbol> <status> <average price>`
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .map(|l| l.split(' ').collect::<Vec<_>>())
        .filter(|w| w.len() == 4 && w[0].parse::<i64>().is_ok())
        .collect();
    assert_eq!(rows.len(), 5, "{stdout}");
    for id in &resting {
        let row = rows
            .iter()
            .find(|w| w[0] == id.to_string())
            .unwrap_or_else(|| panic!("order {id} missing:\n{stdout}"));
        assert_eq!(row[1..3], ["AAPL", "New"], "{stdout}");
    }
    let filled = rows
        .iter()
        .find(|w| w[0] == market.to_string())
        .unwrap_or_else(|| panic!("order {market} missing:\n{stdout}"));
    assert_eq!(filled[1..3], ["MSFT", "Filled"], "{stdout}");
    let average: f64 = filled[3].parse().expect("an average price");
    assert!(average > 0.0, "{stdout}");
}

#[test]
fn c_orders_example_asks_bob_for_his_code() {
    let sim = start_sim();
    let mut cmd = orders_example().command();
    sim_env(&mut cmd, &sim, "bob", "bob-pass");
    let stdout = run_ok(&mut cmd, "123456\n", Duration::from_secs(30));
    assert!(stdout.contains("Enter the verification code: "), "{stdout}");
    assert!(stdout.contains("Orders of account 1003"), "{stdout}");
    assert!(stdout.contains("page 0: 0 orders of 0"), "{stdout}");
    assert!(stdout.contains("\n0 orders\n"), "{stdout}");
}

#[test]
fn c_quickstart_reports_bad_credentials_and_exits_1() {
    let sim = start_sim();
    let mut cmd = quickstart().command();
    sim_env(&mut cmd, &sim, "bob", "not-his-password");
    let out = run_limited(&mut cmd, "", Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("etna_login failed")
            && stderr.contains("code 21")
            && stderr.contains("[HTTP 401]"),
        "{stderr}"
    );
    assert!(!stderr.contains("not-his-password"), "{stderr}");
}

/// The quotes examples/c/stream_quotes.c printed, `<ticker> bid <price> ask <price>`, as
/// (ticker, bid, ask).
fn printed_quotes(stdout: &str) -> Vec<(&str, f64, f64)> {
    stdout
        .lines()
        .filter_map(|l| match l.split(' ').collect::<Vec<_>>()[..] {
            [ticker, "bid", bid, "ask", ask] => {
                Some((ticker, bid.parse().ok()?, ask.parse().ok()?))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn c_stream_example_prints_the_quotes_of_three_tickers_then_closes() {
    let sim = start_sim();
    let mut cmd = stream_quotes_example().command();
    sim_env(&mut cmd, &sim, "bob", "bob-pass");
    cmd.env("ETNA_SECONDS", "2");
    let started = Instant::now();
    let stdout = run_ok(&mut cmd, "123456\n", Duration::from_secs(30));
    assert!(started.elapsed() >= Duration::from_secs(2), "{stdout}");
    assert!(stdout.contains("Enter the verification code: "), "{stdout}");
    assert!(
        stdout.contains("Quotes of AAPL;MSFT;NVDA for 2 s\n"),
        "{stdout}"
    );
    let quotes = printed_quotes(&stdout);
    for ticker in ["AAPL", "MSFT", "NVDA"] {
        let of: Vec<_> = quotes.iter().filter(|q| q.0 == ticker).collect();
        assert!(!of.is_empty(), "no quote of {ticker}:\n{stdout}");
        assert!(
            of.iter().all(|(_, bid, ask)| *bid > 0.0 && bid < ask),
            "{ticker}: {of:?}"
        );
    }
    assert_eq!(
        quotes.len(),
        stdout.lines().filter(|l| l.contains(" bid ")).count(),
        "every quote line reads as one:\n{stdout}"
    );
    // Connected first, closed last, then the counters.
    let events: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("state: ") || l.contains(" bid "))
        .collect();
    assert_eq!(events.first(), Some(&"state: connected"), "{stdout}");
    assert!(
        events
            .last()
            .is_some_and(|l| l.starts_with("state: closed")),
        "{stdout}"
    );
    let received: u64 = line_after(&stdout, "Received ")
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of messages in:\n{stdout}"));
    assert!(received >= 3, "{stdout}");
    assert!(
        sim.recorded_requests()
            .iter()
            .any(|r| r.method == "POST" && r.url.ends_with("/logout")),
        "the example did not log out"
    );
}

#[test]
fn c_stream_example_takes_its_tickers_from_the_environment_and_names_an_unknown_one() {
    let sim = start_sim();
    let mut cmd = stream_quotes_example().command();
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    cmd.env("ETNA_SECONDS", "1").env("ETNA_TICKERS", "MSFT");
    let stdout = run_ok(&mut cmd, "", Duration::from_secs(30));
    let quotes = printed_quotes(&stdout);
    assert!(!quotes.is_empty(), "{stdout}");
    assert!(quotes.iter().all(|q| q.0 == "MSFT"), "{stdout}");

    let mut cmd = stream_quotes_example().command();
    sim_env(&mut cmd, &sim, "alice", "alice-pass");
    cmd.env("ETNA_SECONDS", "1")
        .env("ETNA_TICKERS", "AAPL;NOSUCHTICKER");
    let out = run_limited(&mut cmd, "", Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("etna_stream_subscribe_quotes failed") && stderr.contains("[HTTP 404]"),
        "{stderr}"
    );
    assert!(printed_quotes(&String::from_utf8_lossy(&out.stdout)).is_empty());
}
