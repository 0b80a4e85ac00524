//! What the binding tests share: where the built library is, the simulator, building a C, C++
//! or C# program against libetna (one function for all three), and running it with a time limit.

pub mod c_header;
pub mod consumers;
pub mod front;
pub mod markets_checks;
pub mod records;
pub mod session_checks;
pub mod stream_checks;
pub mod trading_checks;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
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

pub fn include_dir() -> PathBuf {
    manifest_dir().join("include")
}

/// Where cargo put libetna.so and libetna.a for this test run: `target/<profile>/deps`, next to
/// the test binary. (`cargo test` builds every crate type there but copies them up to
/// `target/<profile>` only on `cargo build`, so this is also the freshest copy.)
pub fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().expect("target/<profile>/deps").to_path_buf();
    assert!(
        dir.join("libetna.so").exists() && dir.join("libetna.a").exists(),
        "libetna.so and libetna.a not found in {}",
        dir.display()
    );
    dir
}

/// A scratch directory for build outputs: `target/<profile>/test-programs/<name>`.
pub fn scratch(name: &str) -> PathBuf {
    let dir = lib_dir()
        .parent()
        .expect("target/<profile>")
        .join("test-programs")
        .join(name);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

pub fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// True when the environment demands that a tool be present (CI sets it), so its absence
/// fails instead of skipping.
pub fn required(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1")
}

/// Whether mcs and mono are here; fails instead when ETNA_REQUIRE_CSHARP=1 demands them.
pub fn csharp_toolchain(test: &str) -> bool {
    let missing: Vec<&str> = ["mcs", "mono"].into_iter().filter(|t| !have(t)).collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        !required("ETNA_REQUIRE_CSHARP"),
        "ETNA_REQUIRE_CSHARP=1 but {} not installed (apt-get install mono-mcs mono-runtime)",
        missing.join(" and ")
    );
    println!("skipped {test}: {} not installed", missing.join(" and "));
    false
}

/// The language of a program built against libetna.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Lang {
    /// C11 against include/etna.h.
    C,
    /// C++17 against include/etna.hpp.
    Cpp,
    /// C# 6 (Mono's mcs) with bindings/csharp/Etna.cs.
    CSharp,
}

/// How a C or C++ program links libetna. A C# program is always `Dynamic`: it loads
/// libetna.so when it first calls into it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Link {
    Dynamic,
    Static,
    /// Dynamic, the program's own code built with AddressSanitizer and
    /// UndefinedBehaviorSanitizer.
    Sanitized,
}

/// A program built by `build`.
pub struct Program {
    lang: Lang,
    exe: PathBuf,
}

impl Program {
    /// The executable (for C#, the assembly mono runs).
    pub fn path(&self) -> &Path {
        &self.exe
    }

    /// A command that runs the program, finding libetna.so (through LD_LIBRARY_PATH for C#'s
    /// DllImport("etna"), the rpath for C and C++).
    pub fn command(&self) -> Command {
        let mut cmd = match self.lang {
            Lang::C | Lang::Cpp => Command::new(&self.exe),
            Lang::CSharp => {
                let mut cmd = Command::new("mono");
                cmd.arg(&self.exe);
                // Mono drops crash reports in the working directory: keep them out of the
                // source tree.
                cmd.current_dir(self.exe.parent().expect("scratch dir"));
                cmd
            }
        };
        cmd.env("LD_LIBRARY_PATH", lib_dir());
        cmd
    }
}

const BUILD_LIMIT: Duration = Duration::from_secs(180);

/// Builds the program `name` from `sources` (paths from the repository root, or absolute)
/// against libetna, warnings as errors: C with cc, C++ with g++ (both with -g for valgrind and
/// the sanitizers), C# with mcs and bindings/csharp/Etna.cs. Each program is built once per
/// test run, by whichever test asks first; `name` names the program, so the same name must
/// always come with the same sources.
pub fn build(lang: Lang, link: Link, sources: &[&str], name: &str) -> Program {
    let dir = scratch(match lang {
        Lang::C => "c",
        Lang::Cpp => "cpp",
        Lang::CSharp => "csharp",
    });
    let exe = dir.join(match (lang, link) {
        (Lang::CSharp, Link::Dynamic) => format!("{name}.exe"),
        (Lang::CSharp, _) => {
            panic!("{name}: a C# program loads libetna.so, it cannot link it {link:?}")
        }
        (_, Link::Dynamic) => name.to_owned(),
        (_, Link::Static) => format!("{name}_static"),
        (_, Link::Sanitized) => format!("{name}_sanitized"),
    });

    static BUILT: Mutex<BTreeMap<PathBuf, Arc<OnceLock<()>>>> = Mutex::new(BTreeMap::new());
    let once = BUILT
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .entry(exe.clone())
        .or_default()
        .clone();
    once.get_or_init(|| {
        let root = manifest_dir();
        let sources = sources.iter().map(|s| root.join(s));
        let mut cmd = match lang {
            Lang::CSharp => {
                let mut mcs = Command::new("mcs");
                mcs.args(["-langversion:6", "-warnaserror"])
                    .arg(format!("-out:{}", exe.display()))
                    .arg(root.join("bindings/csharp/Etna.cs"))
                    .args(sources);
                mcs
            }
            Lang::C | Lang::Cpp => {
                let (compiler, standard) = match lang {
                    Lang::C => ("cc", "-std=c11"),
                    _ => ("g++", "-std=c++17"),
                };
                assert!(have(compiler), "{compiler} is needed to build {name}");
                let mut cc = Command::new(compiler);
                cc.args([standard, "-Wall", "-Wextra", "-Wpedantic", "-Werror", "-g"])
                    .args(["-pthread", "-I"])
                    .arg(include_dir())
                    .args(sources)
                    .arg("-o")
                    .arg(&exe);
                link_libetna(&mut cc, link);
                cc
            }
        };
        run_ok(&mut cmd, "", BUILD_LIMIT);
    });
    Program { lang, exe }
}

/// The compiler flags that link libetna as `link` says (after the sources).
fn link_libetna(cc: &mut Command, link: Link) {
    let lib = lib_dir();
    let dynamic = |cc: &mut Command| {
        cc.arg("-L")
            .arg(&lib)
            .arg("-letna")
            .arg(format!("-Wl,-rpath,{}", lib.display()));
    };
    match link {
        Link::Dynamic => dynamic(cc),
        Link::Sanitized => {
            cc.args(["-fsanitize=address,undefined", "-fno-omit-frame-pointer"]);
            dynamic(cc);
        }
        // What `cargo rustc -- --print native-static-libs` lists for this crate on Linux.
        Link::Static => {
            cc.arg(lib.join("libetna.a")).args([
                "-lgcc_s",
                "-lutil",
                "-lrt",
                "-lpthread",
                "-lm",
                "-ldl",
                "-lc",
            ]);
        }
    }
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

/// Like `run_limited`, and the program must exit 0.
pub fn run_ok(cmd: &mut Command, stdin: &str, limit: Duration) -> String {
    let out = run_limited(cmd, stdin, limit);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Environment that points a consumer program at the simulator as user `user`.
pub fn sim_env(cmd: &mut Command, sim: &Simulator, user: &str, password: &str) {
    cmd.env("ETNA_BASE_URL", sim.base_url())
        .env("ETNA_APP_KEY", APP_KEY)
        .env("ETNA_USERNAME", user)
        .env("ETNA_PASSWORD", password);
}
