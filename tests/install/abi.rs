//! ABI discipline: libetna.so exports only `etna_*` functions, exactly those of etna.h, and
//! etna.h keeps every function, type and constant of abi/*.txt as it was within a major version
//! (support/abi.rs has the rule). Adding is fine once listed: ETNA_ABI_UPDATE=1 cargo test
//! --test install writes the additions, and refuses when something was removed or changed.

use crate::support::abi::{List, compare, declared};
use crate::support::{deps_dir, manifest_dir, run_ok, tools};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const SYMBOLS: &str = "abi/symbols.txt";
const TYPES: &str = "abi/types.txt";
const CONSTANTS: &str = "abi/constants.txt";

const ABOUT: &str = "\
the ABI of libetna.so.{major} as include/etna.h declares it:
{what}.
Checked by tests/install/abi.rs. Within a major version nothing here may be removed or changed,
and a struct only gains fields at its end; a new function, type, field or constant must be added
(ETNA_ABI_UPDATE=1 cargo test --test install adds them). A new major version starts a new list.
";

fn about(file: &str) -> String {
    let what = match file {
        SYMBOLS => "every exported function, with its return and parameter types",
        TYPES => "every struct with its fields in order, integer typedef and callback type",
        _ => "every #define constant",
    };
    format!("{}: {}", file.trim_start_matches("abi/"), ABOUT)
        .replace("{major}", &major().to_string())
        .replace("{what}", what)
}

fn major() -> u64 {
    env!("CARGO_PKG_VERSION_MAJOR")
        .parse()
        .expect("a major version")
}

fn header() -> String {
    std::fs::read_to_string(manifest_dir().join("include/etna.h")).expect("include/etna.h")
}

fn committed(file: &str) -> List {
    let text = std::fs::read_to_string(manifest_dir().join(file))
        .unwrap_or_else(|e| panic!("{file}: {e} (ETNA_ABI_UPDATE=1 writes it)"));
    List::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Holds the header's `current` list to the committed `file`; with ETNA_ABI_UPDATE=1 writes the
/// additions (or, for a new major version, the new list) instead of failing on them.
fn check(file: &str, current: &List) {
    let path = manifest_dir().join(file);
    let update = std::env::var("ETNA_ABI_UPDATE").is_ok_and(|v| v == "1");
    if update && !path.exists() {
        std::fs::create_dir_all(path.parent().expect("abi/")).expect("create abi/");
        std::fs::write(&path, current.to_text(&about(file))).expect("write the list");
        return;
    }
    let findings = compare(&committed(file), current);
    assert!(
        findings.breaks.is_empty(),
        "{file}: the ABI of major version {} changed without a new major version:\n  {}",
        major(),
        findings.breaks.join("\n  ")
    );
    if update && !findings.additions.is_empty() {
        std::fs::write(&path, current.to_text(&about(file))).expect("write the list");
        return;
    }
    assert!(
        findings.additions.is_empty(),
        "{file}: not listed yet (ETNA_ABI_UPDATE=1 cargo test --test install adds them):\n  {}",
        findings.additions.join("\n  ")
    );
}

#[test]
fn exported_functions_keep_their_signatures() {
    let d = declared(&header(), major()).expect("etna.h read");
    assert!(
        d.symbols.entries.len() >= 80,
        "etna.h read as {:?}",
        d.symbols
    );
    check(SYMBOLS, &d.symbols);
}

#[test]
fn structs_keep_their_fields_in_order_and_types_their_shape() {
    let d = declared(&header(), major()).expect("etna.h read");
    let structs = d
        .types
        .keys()
        .iter()
        .filter(|k| k.starts_with("struct "))
        .count();
    assert!(structs >= 15, "etna.h read as {:?}", d.types);
    check(TYPES, &d.types);
}

#[test]
fn constants_keep_their_values() {
    let d = declared(&header(), major()).expect("etna.h read");
    assert!(
        d.constants.entries.len() >= 100,
        "etna.h read as {:?}",
        d.constants
    );
    check(CONSTANTS, &d.constants);
}

/// The functions a shared library exports (`nm -D --defined-only`).
pub fn exported(lib: &Path) -> BTreeSet<String> {
    let text = run_ok(
        Command::new("nm").args(["-D", "--defined-only"]).arg(lib),
        Duration::from_secs(30),
    );
    text.lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .map(|s| s.split('@').next().unwrap_or(s).to_owned())
        .collect()
}

/// Every exported symbol is an `etna_*` function listed in abi/symbols.txt, and every listed one
/// is exported. rustc exports only the `#[no_mangle]` functions of a cdylib (its own version
/// script hides everything else, Rust's std included).
pub fn check_exports(lib: &Path) {
    let exports = exported(lib);
    let strays: Vec<&String> = exports.iter().filter(|s| !s.starts_with("etna_")).collect();
    assert!(
        strays.is_empty(),
        "{} exports symbols outside etna_*: {strays:?}",
        lib.display()
    );
    let list = committed(SYMBOLS);
    let listed: BTreeSet<String> = list.keys().into_iter().map(str::to_owned).collect();
    let missing: Vec<&String> = listed.difference(&exports).collect();
    assert!(
        missing.is_empty(),
        "{} no longer exports {missing:?}, listed in {SYMBOLS} for major version {}: removing a \
         function breaks the ABI",
        lib.display(),
        list.major
    );
    let unlisted: Vec<&String> = exports.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "{} exports {unlisted:?}, not in {SYMBOLS} (declare them in etna.h, then ETNA_ABI_UPDATE=1)",
        lib.display()
    );
}

#[test]
fn libetna_so_exports_exactly_the_listed_functions() {
    if tools("libetna_so_exports_exactly_the_listed_functions", &["nm"]) {
        check_exports(&deps_dir().join("libetna.so"));
    }
}

/// The checker itself: a removed function, a reordered or lost field, a changed constant or
/// typedef are breaks; an appended field or a new function are additions; with a new major
/// version nothing is a break.
#[test]
fn the_checker_catches_removed_functions_and_moved_fields() {
    let d = declared(&header(), major()).expect("etna.h read");
    let edit = |list: &List, key: &str, f: &dyn Fn(&mut Vec<String>)| {
        let mut list = list.clone();
        let at = list.entries.iter().position(|(k, _)| k == key).expect(key);
        f(&mut list.entries[at].1);
        list
    };
    let same = compare(&d.symbols, &d.symbols);
    assert_eq!(
        (same.breaks.len(), same.additions.len()),
        (0, 0),
        "{same:?}"
    );
    // Whichever the header has first: a function, a struct of three fields or more, a typedef,
    // a constant.
    let first = |list: &List, kind: &str, min: usize| {
        list.entries
            .iter()
            .find(|(k, v)| k.starts_with(kind) && v.len() >= min)
            .map(|(k, _)| k.clone())
            .unwrap_or_else(|| panic!("no {kind:?} in etna.h"))
    };
    let function = first(&d.symbols, "etna_", 1);
    let structure = first(&d.types, "struct ", 3);
    let typedef = first(&d.types, "typedef ", 1);
    let constant = first(&d.constants, "ETNA_", 1);

    let mut removed = d.symbols.clone();
    removed.entries.retain(|(k, _)| *k != function);
    let f = compare(&d.symbols, &removed);
    assert_eq!(f.breaks, [format!("{function}: gone")], "{f:?}");
    let f = compare(&removed, &d.symbols);
    assert!(f.breaks.is_empty() && f.additions.len() == 1, "{f:?}");

    let retyped = edit(&d.symbols, &function, &|l| l[0] = "char * (void)".into());
    assert_eq!(compare(&d.symbols, &retyped).breaks.len(), 1);

    let swapped = edit(&d.types, &structure, &|f| f.swap(1, 2));
    let f = compare(&d.types, &swapped);
    assert!(
        f.breaks.len() == 1 && f.breaks[0].starts_with(&format!("{structure}: fields were")),
        "{f:?}"
    );
    let lost = edit(&d.types, &structure, &|f| {
        f.pop();
    });
    assert_eq!(compare(&d.types, &lost).breaks.len(), 1);
    let appended = edit(&d.types, &structure, &|f| f.push("double appended".into()));
    let f = compare(&d.types, &appended);
    assert!(f.breaks.is_empty() && f.additions.len() == 1, "{f:?}");
    let widened = edit(&d.types, &typedef, &|l| l[0] = "void *".into());
    assert_eq!(compare(&d.types, &widened).breaks.len(), 1);
    let renumbered = edit(&d.constants, &constant, &|l| l[0] = "12345".into());
    assert_eq!(compare(&d.constants, &renumbered).breaks.len(), 1);

    let mut next_major = swapped.clone();
    next_major.major += 1;
    let f = compare(&d.types, &next_major);
    assert!(f.breaks.is_empty() && f.additions.len() == 1, "{f:?}");

    // The committed text reads back as it was written.
    for list in [&d.symbols, &d.types, &d.constants] {
        assert_eq!(&List::parse(&list.to_text("about")).unwrap(), list);
    }
}
