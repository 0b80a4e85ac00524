//! The committed include/etna.h must be what build.rs generates from src/ffi. The build has just
//! regenerated it in the work tree, so any difference from git's copy means the committed
//! header is stale (or the regenerated one was not committed).

use std::process::Command;

#[test]
fn committed_header_matches_a_fresh_generation() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("git")
        .args(["-C", dir, "diff", "--exit-code", "--", "include/etna.h"])
        .output();
    let out = match out {
        Ok(out) => out,
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "git is needed to check the header in CI: {e}"
            );
            eprintln!("git not available: header freshness not checked");
            return;
        }
    };
    let tracked = Command::new("git")
        .args(["-C", dir, "ls-files", "--error-unmatch", "include/etna.h"])
        .output();
    assert!(
        tracked.is_ok_and(|o| o.status.success()),
        "include/etna.h must be committed"
    );
    assert!(
        out.status.success(),
        "include/etna.h differs from the committed copy: commit the regenerated header.\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
