//! Misuse of the C ABI, generated from include/etna.h so that every exported function is
//! covered as the header grows: each pointer parameter NULL in turn, each string parameter
//! invalid UTF-8 in turn, each string parameter 10 MB long in turn; and every item getter of a
//! result (`etna_result_order`, ...) given NULL, an index out of range, and a result of another
//! kind. The program is built with AddressSanitizer and UndefinedBehaviorSanitizer: errors, never
//! a crash, never a leak. A session logged in to the simulator gives it a real result (an
//! account's balances) for the functions that read one, and a real quote stream for the stream
//! functions (which the generated calls end up closing, as `etna_stream_close` comes among them).
//!
//! The valid arguments are checked too: each function of a session (but `etna_session_import`,
//! whose text only an export for the same broker and app key makes) is called once with all of
//! them on a session that is not logged in, and must not refuse them (no NULL, UTF-8 or invalid
//! argument error); one that answers with a result must get as far as the login
//! (`ETNA_ERR_NOT_AUTHENTICATED`), which libetna checks after the arguments.

use crate::support::c_header::{Function, Header};
use crate::support::{Lang, Link, build, include_dir, manifest_dir, run_ok, scratch, start_sim};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::time::Duration;

/// A valid argument for a parameter, as C source (`ty` with the header's integer typedefs
/// resolved), or NULL standing in for an object that only libetna makes and the program has none
/// of. It has one result: `result`, an account's balances, and `balances`, its item; and one
/// stream: `stream`, a quote stream, with `stats` for its counters.
fn valid(ty: &str, name: &str) -> Arg {
    let arg = match ty {
        "EtnaSession *" | "const EtnaSession *" => "s".into(),
        "EtnaSession **" => "&tmp_session".into(),
        "EtnaError **" => "&err".into(),
        "const EtnaError *" => "NULL".into(),
        "char **" => "&out".into(),
        "EtnaResult **" => "&out_result".into(),
        "const EtnaResult *" => "result".into(),
        "const EtnaBalances *" => "balances".into(),
        "const EtnaStream *" => "stream".into(),
        "EtnaStream **" => "&tmp_stream".into(),
        "EtnaStreamStats *" => "&stats".into(),
        "int32_t *" => "&out_i32".into(),
        "int64_t *" => "&out_i64".into(),
        "uint16_t *" => "&out_u16".into(),
        "double *" => "&out_f64".into(),
        "uint8_t **" => "&out_bytes".into(),
        "size_t *" => "&out_size".into(),
        "void *" | "EtnaLogCallback" | "EtnaAuthCallback" | "EtnaFreeUserData" => "NULL".into(),
        "const char *" => format!(
            "\"{}\"",
            match name {
                // An order, or the changes to one (replace takes the same name).
                "order_json" =>
                    r#"{\"Symbol\":\"AAPL\",\"Type\":\"Limit\",\"Side\":\"Buy\",\"Quantity\":1,\"Price\":1}"#,
                "alert_json" =>
                    r#"{\"SecurityId\":1,\"Field\":\"Last\",\"Operator\":\"GTEQ\",\"Argument\":200,\"State\":\"New\",\"ExpirationDate\":1798761600}"#,
                n if n.contains("json") => "{}",
                "method" => "GET",
                "path" => "v1.0/x",
                "base_url" => "http://127.0.0.1:1/api/",
                "url" => "http://127.0.0.1:1",
                "pem_path" => return Arg::Valid(format!("\"{}\"", ca_file())),
                "side" => "Buy",
                "type" => "Market",
                "time_in_force" => "Day",
                "entity_type" => "Quote",
                "keys" => "1",
                "tickers" => "AAPL",
                "symbol" | "underlying" => "AAPL",
                "symbol_or_id" => "AAPL  261218C00190000",
                "filter" => "Id > 0",
                _ => "x",
            }
        ),
        "int32_t" => "1".into(),
        "uint32_t" if name == "max_attempts" => "3".into(),
        "int64_t" | "uint32_t" | "uint64_t" => "100".into(),
        "size_t" => "0".into(),
        "double" => "1.0".into(),
        // The frees: NULL is their valid no-op.
        "char *" | "uint8_t *" | "EtnaError *" | "EtnaResult *" | "EtnaStream *" => "NULL".into(),
        // A result or one of its items: only libetna makes them.
        other if other.starts_with("const Etna") || other.starts_with("Etna") => {
            return Arg::StandIn;
        }
        other => {
            panic!("no valid value for parameter type {other:?} ({name}): extend the misuse test")
        }
    };
    Arg::Valid(arg)
}

/// The test CA's PEM file, a real one (the path goes into C source: no quote or backslash).
fn ca_file() -> String {
    let path = manifest_dir().join("tests/tls/ca.pem");
    let path = path.to_str().expect("a UTF-8 path").to_owned();
    assert!(
        !path.contains(['"', '\\']),
        "{path}: cannot go into a C string as is"
    );
    path
}

/// Functions of a session whose valid call is not made, with the reason.
const NO_VALID_CALL: &[(&str, &str)] = &[(
    "etna_session_import",
    "its text is an export of a session of the same broker and app key",
)];

/// Whether `f` gets a call with all its valid arguments on the logged-out session `s`.
fn has_valid_call(header: &Header, f: &Function) -> bool {
    f.ret == "EtnaStatus"
        && f.params
            .first()
            .is_some_and(|p| p.ty == "const EtnaSession *")
        && f.params
            .iter()
            .all(|p| matches!(valid(&header.resolve(&p.ty), &p.name), Arg::Valid(_)))
        && !NO_VALID_CALL.iter().any(|(name, _)| *name == f.name)
}

/// A parameter's argument in the calls that misuse another parameter.
#[derive(Clone)]
enum Arg {
    Valid(String),
    /// NULL for an object the program cannot make: the call fails on it first.
    StandIn,
}

impl Arg {
    fn source(&self) -> &str {
        match self {
            Arg::Valid(source) => source,
            Arg::StandIn => "NULL",
        }
    }
}

fn call(f: &Function, args: &[String]) -> String {
    format!("{}({})", f.name, args.join(", "))
}

/// C statements that run `f` with `args` and check what a caller relies on.
fn checked_call(f: &Function, args: &[String], label: &str) -> String {
    let fallible = f.ret == "EtnaStatus";
    let mut c = String::new();
    writeln!(
        c,
        "    out = NULL; out_bytes = NULL; err = NULL; tmp_session = NULL; out_result = NULL; \
         tmp_stream = NULL; stats.struct_size = sizeof stats;"
    )
    .unwrap();
    if fallible {
        writeln!(c, "    st = {};", call(f, args)).unwrap();
        writeln!(
            c,
            "    check_status(\"{label}\", st, err, {});",
            i32::from(args.iter().any(|a| a == "&err"))
        )
        .unwrap();
        writeln!(c, "    err_code = err != NULL ? etna_error_code(err) : st;").unwrap();
    } else {
        writeln!(c, "    (void){};", call(f, args)).unwrap();
    }
    writeln!(
        c,
        "    etna_string_free(out); etna_bytes_free(out_bytes); etna_error_free(err); \
         etna_session_free(tmp_session); etna_result_free(out_result); etna_stream_free(tmp_stream); \
         calls++;"
    )
    .unwrap();
    c
}

/// For an item getter (`const EtnaOrder *etna_result_order(const EtnaResult *r, size_t index)`),
/// C statements that check it gives NULL for a NULL result, an index out of range and a result of
/// another kind, and the item otherwise (`result` holds one item, of kind ETNA_KIND_BALANCES).
fn getter_checks(header: &Header, f: &Function) -> Option<String> {
    let item = f.name.strip_prefix("etna_result_")?;
    let kind = format!("ETNA_KIND_{}", item.to_ascii_uppercase());
    let is_getter = f.ret.starts_with("const Etna")
        && f.ret.ends_with(" *")
        && f.params.len() == 2
        && f.params[0].ty == "const EtnaResult *"
        && f.params[1].ty == "size_t";
    if !is_getter {
        return None;
    }
    assert!(
        header.constants.iter().any(|(name, _)| *name == kind),
        "{}: an item getter with no {kind} in etna.h",
        f.name
    );
    let name = &f.name;
    Some(format!(
        r#"    expect_null("{name} NULL", {name}(NULL, 0) == NULL);
    expect_null("{name} out of range", {name}(result, (size_t)-1) == NULL && {name}(result, 1) == NULL);
    expect_null("{name} of its kind or not", ({name}(result, 0) != NULL) == (etna_result_kind(result) == {kind}));
    getters++;
"#
    ))
}

fn program(header: &Header) -> String {
    let mut body = String::new();
    for f in &header.functions {
        if let Some(checks) = getter_checks(header, f) {
            body += &checks;
        }
        let valid_args: Vec<Arg> = f
            .params
            .iter()
            .map(|p| valid(&header.resolve(&p.ty), &p.name))
            .collect();
        let all_valid = valid_args.iter().all(|a| matches!(a, Arg::Valid(_)));
        if has_valid_call(header, f) {
            let args: Vec<String> = valid_args.iter().map(|a| a.source().to_owned()).collect();
            body += &checked_call(f, &args, &format!("{} valid", f.name));
            let answers = f.params.iter().any(|p| p.ty == "EtnaResult **");
            writeln!(
                body,
                "    expect_valid(\"{}\", st, err_code, {});",
                f.name,
                i32::from(answers)
            )
            .unwrap();
        }
        let with = |i: usize, arg: &str| -> Vec<String> {
            let mut args: Vec<String> = valid_args.iter().map(|a| a.source().to_owned()).collect();
            args[i] = arg.to_owned();
            args
        };
        for (i, p) in f.params.iter().enumerate() {
            let pointer = p.ty.contains('*') && p.ty != "void *";
            if pointer {
                body += &checked_call(f, &with(i, "NULL"), &format!("{} NULL {}", f.name, p.name));
            }
            if p.ty == "const char *" {
                for (bad, what) in [("bad_utf8", "invalid UTF-8"), ("huge", "10 MB")] {
                    let label = format!("{} {what} {}", f.name, p.name);
                    body += &checked_call(f, &with(i, bad), &label);
                    if bad == "bad_utf8" && f.ret == "EtnaStatus" && all_valid {
                        writeln!(
                            body,
                            "    expect_code(\"{} {}\", st, ETNA_ERR_INVALID_UTF8);",
                            f.name, p.name
                        )
                        .unwrap();
                    }
                }
            }
        }
    }
    let codes: Vec<&str> = header
        .constants
        .iter()
        .map(|(name, _)| name.as_str())
        .filter(|name| *name == "ETNA_OK" || name.starts_with("ETNA_ERR_"))
        .collect();
    let codes = codes.join(", ");
    format!(
        r#"#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "etna.h"

static int calls, failures, valid_calls;
static const EtnaStatus codes[] = {{{codes}}};

static void check_status(const char *label, EtnaStatus st, EtnaError *err, int has_err) {{
    int known = 0;
    size_t i;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) known |= st == codes[i];
    if (!known || st == ETNA_ERR_PANIC) {{ fprintf(stderr, "%s: unexpected status %d\n", label, (int)st); failures++; }}
    if (has_err && (st == ETNA_OK) != (err == NULL)) {{ fprintf(stderr, "%s: error object does not match status %d\n", label, (int)st); failures++; }}
    if (err != NULL && strlen(etna_error_message(err)) == 0) {{ fprintf(stderr, "%s: empty message\n", label); failures++; }}
}}

static void expect_code(const char *label, EtnaStatus st, EtnaStatus want) {{
    if (st != want) {{ fprintf(stderr, "%s: status %d, expected %d\n", label, (int)st, (int)want); failures++; }}
}}

/* A call with valid arguments: not refused for them; one that answers with a result gets as far
 * as the login. */
static void expect_valid(const char *name, EtnaStatus st, EtnaStatus code, int answers) {{
    if (st == ETNA_ERR_NULL_ARGUMENT || st == ETNA_ERR_INVALID_UTF8 || st == ETNA_ERR_INVALID_ARGUMENT ||
        (answers && st != ETNA_ERR_NOT_AUTHENTICATED) || code != st) {{
        fprintf(stderr, "%s with valid arguments: status %d (error code %d)\n", name, (int)st, (int)code);
        failures++;
    }}
    valid_calls++;
}}

static void expect_null(const char *label, int ok) {{
    if (!ok) {{ fprintf(stderr, "%s: wrong item\n", label); failures++; }}
}}

int main(void) {{
    EtnaSession *s = NULL, *tmp_session = NULL, *live = NULL;
    EtnaError *err = NULL;
    EtnaStatus st = ETNA_OK, err_code = ETNA_OK;
    EtnaResult *result = NULL, *out_result = NULL;
    const EtnaBalances *balances = NULL;
    EtnaStream *stream = NULL, *tmp_stream = NULL;
    EtnaStreamStats stats;
    int drained = 0;
    int getters = 0;
    int32_t out_i32 = 0;
    char *out = NULL;
    uint8_t *out_bytes = NULL;
    size_t out_size = 0;
    int64_t out_i64 = 0;
    double out_f64 = 0;
    uint16_t out_u16 = 0;
    const char bad_utf8[] = {{'a', (char)0xC3, (char)0x28, 0}};
    char *huge = malloc(10u << 20);
    memset(huge, 'a', (10u << 20) - 1);
    huge[(10u << 20) - 1] = 0;
    if (etna_session_new("http://127.0.0.1:1/api/", "k", &s, &err) != ETNA_OK) return 2;
    /* A real result, from the simulator: alice's balances. */
    if (getenv("ETNA_BASE_URL") == NULL ||
        etna_session_new(getenv("ETNA_BASE_URL"), "sim-app-key", &live, &err) != ETNA_OK ||
        etna_login(live, "alice", "alice-pass", NULL, &err) != ETNA_OK ||
        etna_get_account_info(live, 1001, &result, &err) != ETNA_OK ||
        (balances = etna_result_balances(result, 0)) == NULL) {{
        fprintf(stderr, "no balances from the simulator: %s\n", etna_error_message(err));
        return 2;
    }}
    /* A real stream: alice's quotes. */
    memset(&stats, 0, sizeof stats);
    if (etna_stream_open(live, ETNA_STREAM_QUOTES, &stream, &err) != ETNA_OK) {{
        fprintf(stderr, "no quote stream from the simulator: %s\n", etna_error_message(err));
        return 2;
    }}
    stats.struct_size = sizeof stats;
    expect_code("etna_stream_subscribe valid", etna_stream_subscribe(stream, "Quote", "1", &err), ETNA_OK);
    expect_code("etna_stream_stats valid", etna_stream_stats(stream, &stats, &err), ETNA_OK);
    expect_null("etna_stream_stats struct_size", stats.struct_size == sizeof stats);
    stats.struct_size = sizeof stats - 1;
    expect_code("etna_stream_stats short", etna_stream_stats(stream, &stats, &err), ETNA_ERR_INVALID_ARGUMENT);
    etna_error_free(err);
    err = NULL;
    expect_code("etna_stream_next negative", etna_stream_next(stream, -2, &out_result, &err), ETNA_ERR_INVALID_ARGUMENT);
    etna_error_free(err);
    err = NULL;
    expect_code("etna_stream_open unknown kind", etna_stream_open(live, 7, &tmp_stream, &err), ETNA_ERR_INVALID_ARGUMENT);
    etna_error_free(err);
    err = NULL;
    /* Arguments are checked before the login: a history that ends before it starts is refused as
     * such on a session that is not logged in. */
    expect_code("etna_get_account_history backwards", etna_get_account_history(s, 1, 200, 100, &out_result, &err),
                ETNA_ERR_INVALID_ARGUMENT);
    etna_error_free(err);
    err = NULL;
    (void)st; (void)err_code; (void)out_i32; (void)out_i64; (void)out_f64; (void)out_u16; (void)out_size; (void)balances; (void)tmp_stream;
{body}
    /* Closed (again: closing is idempotent), the real stream refuses subscriptions and, once its
     * queued events are taken, ends. */
    expect_code("etna_stream_close again", etna_stream_close(stream, &err), ETNA_OK);
    st = etna_stream_subscribe(stream, "Quote", "1", &err);
    expect_code("etna_stream_subscribe closed", st, ETNA_ERR_INVALID_STATE);
    etna_error_free(err);
    err = NULL;
    while (drained < 100000 && (st = etna_stream_next(stream, 1000, &out_result, &err)) == ETNA_OK) {{
        etna_result_free(out_result);
        out_result = NULL;
        drained++;
    }}
    expect_code("etna_stream_next drained", st, ETNA_ERR_CANCELLED);
    etna_error_free(err);
    etna_stream_free(stream);
    etna_result_free(result);
    etna_session_free(live);
    etna_session_free(s);
    free(huge);
    printf("%d getters checked\n", getters);
    printf("%d valid calls\n", valid_calls);
    printf("%d calls, %d failures\n", calls, failures);
    return failures == 0 ? 0 : 1;
}}
"#
    )
}

#[test]
fn every_exported_function_survives_null_bad_utf8_and_huge_arguments_under_sanitizers() {
    let header = std::fs::read_to_string(include_dir().join("etna.h")).unwrap();
    let header = Header::parse(&header).expect("etna.h parses");
    let functions = &header.functions;
    assert!(
        functions.len() >= 50,
        "found only {} functions in etna.h",
        functions.len()
    );
    assert!(
        functions
            .iter()
            .any(|f| f.name == "etna_place_simple_order" && f.params.len() == 11)
    );
    let getters = header
        .functions
        .iter()
        .filter(|f| getter_checks(&header, f).is_some())
        .count();
    assert!(getters >= 18, "found only {getters} item getters in etna.h");
    let valid_calls: BTreeSet<&str> = functions
        .iter()
        .filter(|f| has_valid_call(&header, f))
        .map(|f| f.name.as_str())
        .collect();
    // The functions of a session that take text, numbers and ids all get their valid call: the
    // trading, market and watchlist functions among them.
    for name in [
        "etna_place_order",
        "etna_get_option",
        "etna_get_option_chain",
        "etna_get_options",
        "etna_get_equities",
        "etna_create_price_alert",
        "etna_update_price_alert",
        "etna_delete_price_alert",
        "etna_get_account_history",
        "etna_get_verified_order",
        "etna_session_set_sync_orders",
        "etna_rename_watchlist",
        "etna_add_to_watchlist_by_id",
        "etna_session_set_ca_file",
    ] {
        assert!(valid_calls.contains(name), "{name} gets no valid call");
    }
    let source = scratch("c").join("misuse.c");
    std::fs::write(&source, program(&header)).unwrap();
    let misuse = build(
        Lang::C,
        Link::Sanitized,
        &[source.to_str().unwrap()],
        "misuse",
    );
    let suppressions = manifest_dir().join("tests/bindings/c/lsan.supp");
    let sim = start_sim();
    let mut run = misuse.command();
    run.env("ETNA_BASE_URL", sim.base_url())
        .env("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
        .env(
            "LSAN_OPTIONS",
            format!("suppressions={}", suppressions.display()),
        )
        .env("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1");
    let stdout = run_ok(&mut run, "", Duration::from_secs(300));
    let line = stdout.lines().last().unwrap_or_default();
    assert!(line.ends_with(", 0 failures"), "{stdout}");
    let calls: usize = line.split(' ').next().unwrap().parse().unwrap();
    assert!(calls >= 3 * functions.len(), "{line}");
    assert!(
        stdout.contains(&format!("{getters} getters checked")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{} valid calls", valid_calls.len())),
        "{stdout}"
    );
}
