//! What the C++ and C# consumer tests share: reading what the example programs print, and
//! whether the C# toolchain is here.

use super::{have, required};
use serde_json::Value;
use std::ffi::CStr;

/// The JSON the program printed after `label` (e.g. "User: ").
pub fn printed_json(stdout: &str, label: &str) -> Value {
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no line starting {label:?} in:\n{stdout}"));
    serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("{label:?} line is not JSON ({e}): {line}"))
}

/// How the quickstarts print a status code: "(code 21: wrong user name or password)".
pub fn code_note(code: i32) -> String {
    // SAFETY: etna_status_str returns a static NUL-terminated string for any code.
    let text = unsafe { CStr::from_ptr(etna::ffi::etna_status_str(code)) };
    format!("(code {code}: {})", text.to_str().expect("UTF-8"))
}

/// The user's login and the ids of the accounts the program printed.
pub fn login_and_accounts(stdout: &str) -> (String, Vec<i64>) {
    let user = printed_json(stdout, "User: ");
    let accounts = printed_json(stdout, "Accounts: ");
    let ids = accounts
        .as_array()
        .expect("accounts are a JSON array")
        .iter()
        .map(|a| a["Id"].as_i64().expect("account Id"))
        .collect();
    (user["Login"].as_str().expect("Login").to_owned(), ids)
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
