//! include/etna.h against what is built on it.
//!
//! The committed header must be what build.rs generates from src/ffi: the build has just
//! regenerated it in the work tree, so any difference from git's copy means the committed header
//! is stale (or the regenerated one was not committed).
//!
//! And the bindings must agree with it (`drift`): every function of the header imported by
//! bindings/csharp/Etna.cs with the same parameters (through `TYPE_MAP`) and every callback type
//! a delegate of the same shape; every struct of the header mirrored in Etna.cs by a
//! `[StructLayout(LayoutKind.Sequential)]` struct with the same fields in the same order (through
//! `FIELD_MAP`); every constant in Etna.cs's enums with the same value; every function, and every
//! constant of the models' enumerations, the result kinds and the streams, used by
//! include/etna.hpp; every status code in README.md's table with its value.

use crate::support::c_header::{Function, Header, Struct, code_only};
use crate::support::manifest_dir;
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

#[test]
fn committed_header_matches_a_fresh_generation() {
    let dir = manifest_dir();
    let out = Command::new("git")
        .arg("-C")
        .arg(&dir)
        .args(["diff", "--exit-code", "--", "include/etna.h"])
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
        .arg("-C")
        .arg(&dir)
        .args(["ls-files", "--error-unmatch", "include/etna.h"])
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

#[test]
fn the_bindings_agree_with_the_header() {
    let texts = Texts::real();
    // The checker reads what is there: nothing read would be nothing checked.
    if let Ok(parsed) = Header::parse(&texts.header) {
        assert!(
            parsed.functions.len() >= 110
                && parsed.function_pointers.len() >= 3
                && parsed.constants.len() >= 140
                && parsed.structs.len() >= 22,
            "etna.h read as {} functions, {} callback types, {} constants, {} structs",
            parsed.functions.len(),
            parsed.function_pointers.len(),
            parsed.constants.len(),
            parsed.structs.len()
        );
        let order = parsed.structure("EtnaOrder").expect("EtnaOrder in etna.h");
        assert_eq!(order.fields.len(), 26, "EtnaOrder read with its 26 fields");
    }
    let csharp = CSharp::parse(&texts.csharp);
    assert!(
        csharp.structs.iter().filter(|s| s.sequential).count() >= 22 && csharp.enums.len() >= 18,
        "Etna.cs read as {} structs, {} enums",
        csharp.structs.len(),
        csharp.enums.len()
    );
    let problems = texts.drift();
    assert!(
        problems.is_empty(),
        "the bindings disagree with include/etna.h:\n  {}",
        problems.join("\n  ")
    );
}

/// The texts `drift` compares.
struct Sources<'a> {
    /// include/etna.h
    header: &'a str,
    /// bindings/csharp/Etna.cs
    csharp: &'a str,
    /// include/etna.hpp
    cpp: &'a str,
    /// README.md
    readme: &'a str,
}

/// Everything in which the bindings disagree with the header, one line each; empty when they
/// agree.
fn drift(sources: &Sources) -> Vec<String> {
    let header = match Header::parse(sources.header) {
        Ok(header) => header,
        Err(e) => return vec![format!("etna.h: {e}")],
    };
    let csharp = CSharp::parse(sources.csharp);
    let mut problems = Vec::new();
    csharp_imports(&header, &csharp, &mut problems);
    csharp_structs(&header, &csharp, &mut problems);
    csharp_constants(&header, &csharp, &mut problems);
    cpp_uses(&header, sources.cpp, &mut problems);
    readme_codes(&header, sources.readme, &mut problems);
    problems
}

// ---- C#: the [DllImport] declarations and delegates ----

/// Where a C type stands in a signature: the marshalling differs with it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Use {
    /// A parameter of a [DllImport] function.
    Arg,
    /// The parameter of a `*_free` function: what is released. SessionHandle.ReleaseHandle
    /// passes its raw pointer.
    Freed,
    /// What a [DllImport] function or a callback returns.
    Return,
    /// A parameter of a callback libetna calls (a delegate of Etna.cs).
    CallbackArg,
}

use Use::{Arg, CallbackArg, Freed, Return};

/// How each C type of etna.h appears in Etna.cs, once the header's integer typedefs are resolved
/// (EtnaStatus, EtnaAuthState and EtnaLogLevel are int32_t): one C# type for each C type and
/// use, what Etna.cs does. A declaration that differs fails the test, and so does a C type with
/// no row for its use: add the row with the marshalling the binding gives it.
const TYPE_MAP: &[(&str, Use, &str)] = &[
    ("void", Return, "void"),
    ("int32_t", Arg, "int"),
    ("int32_t", Return, "int"),
    ("int32_t", CallbackArg, "int"),
    ("int64_t", Arg, "long"),
    ("int64_t", Return, "long"),
    ("uint16_t", Return, "ushort"),
    ("uint32_t", Arg, "uint"),
    ("uint64_t", Arg, "ulong"),
    ("uint64_t", Return, "ulong"),
    ("double", Arg, "double"),
    ("size_t", Arg, "UIntPtr"),
    ("size_t", Return, "UIntPtr"),
    // Out-parameters.
    ("int32_t *", Arg, "out int"),
    ("int64_t *", Arg, "out long"),
    ("uint16_t *", Arg, "out ushort"),
    ("double *", Arg, "out double"),
    ("char **", Arg, "out IntPtr"),
    // A file's bytes and their count, the bytes freed with etna_bytes_free.
    ("uint8_t **", Arg, "out IntPtr"),
    ("size_t *", Arg, "out UIntPtr"),
    ("EtnaError **", Arg, "out IntPtr"),
    ("EtnaSession **", Arg, "out SessionHandle"),
    ("EtnaResult **", Arg, "out ResultHandle"),
    ("EtnaStream **", Arg, "out StreamHandle"),
    // A stream's counters: a struct the caller owns (its StructSize set first), filled in place.
    ("EtnaStreamStats *", Arg, "ref EtnaStreamStats"),
    // Strings: going in, NUL-terminated UTF-8 that Utf8.Arg encodes (null for NULL); coming
    // back, a pointer Utf8.Read copies from.
    ("const char *", Arg, "byte[]"),
    ("const char *", Return, "IntPtr"),
    ("const char *", CallbackArg, "IntPtr"),
    ("char *", Freed, "IntPtr"),
    ("uint8_t *", Freed, "IntPtr"),
    // Handles.
    ("const EtnaSession *", Arg, "SessionHandle"),
    ("EtnaSession *", Freed, "IntPtr"),
    ("const EtnaError *", Arg, "IntPtr"),
    ("EtnaError *", Freed, "IntPtr"),
    ("const EtnaResult *", Arg, "ResultHandle"),
    ("EtnaResult *", Freed, "IntPtr"),
    ("const EtnaStream *", Arg, "StreamHandle"),
    ("EtnaStream *", Freed, "IntPtr"),
    // The items of a result: pointers that Structs.Read reads into the mirrors of the structs
    // (checked field by field through FIELD_MAP); a Balances passes its item back.
    ("const EtnaUser *", Return, "IntPtr"),
    ("const EtnaAccount *", Return, "IntPtr"),
    ("const EtnaBalances *", Return, "IntPtr"),
    ("const EtnaBalances *", Arg, "IntPtr"),
    ("const EtnaRecord *", Return, "IntPtr"),
    ("const EtnaRecord *", Arg, "IntPtr"),
    ("const EtnaField *", Return, "IntPtr"),
    ("const EtnaPosition *", Return, "IntPtr"),
    ("const EtnaOrder *", Return, "IntPtr"),
    ("const EtnaPreview *", Return, "IntPtr"),
    ("const EtnaTransaction *", Return, "IntPtr"),
    ("const EtnaSecurity *", Return, "IntPtr"),
    ("const EtnaCandle *", Return, "IntPtr"),
    ("const EtnaWatchlist *", Return, "IntPtr"),
    ("const EtnaStreamer *", Return, "IntPtr"),
    ("const EtnaQuote *", Return, "IntPtr"),
    ("const EtnaStreamState *", Return, "IntPtr"),
    ("const EtnaWatchlistContent *", Return, "IntPtr"),
    ("const EtnaOption *", Return, "IntPtr"),
    ("const EtnaExpiration *", Return, "IntPtr"),
    ("const EtnaPriceAlert *", Return, "IntPtr"),
    ("const EtnaNews *", Return, "IntPtr"),
    ("const EtnaHistoryPoint *", Return, "IntPtr"),
    ("const EtnaPositionGroup *", Return, "IntPtr"),
    ("const EtnaOrderDetail *", Return, "IntPtr"),
    // Callbacks (each a delegate checked against its typedef) and their data.
    ("void *", Arg, "IntPtr"),
    ("void *", CallbackArg, "IntPtr"),
    ("EtnaLogCallback", Arg, "LogCallback"),
    ("EtnaAuthCallback", Arg, "AuthCallback"),
    ("EtnaFreeUserData", Arg, "FreeUserData"),
];

/// A [DllImport] function or a delegate of Etna.cs.
struct Declaration {
    ret: String,
    name: String,
    /// Each parameter's type with its modifier: `out IntPtr`, `byte[]`.
    params: Vec<String>,
    /// Declared with the C calling convention.
    cdecl: bool,
}

/// A struct of Etna.cs.
struct CsStruct {
    name: String,
    /// Declared `[StructLayout(LayoutKind.Sequential)]`.
    sequential: bool,
    /// Each field's type and name, in order.
    fields: Vec<(String, String)>,
}

/// What the drift check reads in Etna.cs.
struct CSharp {
    imports: Vec<Declaration>,
    delegates: Vec<Declaration>,
    /// Each enum's members and values.
    enums: BTreeMap<String, Vec<(String, i64)>>,
    structs: Vec<CsStruct>,
}

impl CSharp {
    fn parse(text: &str) -> CSharp {
        let code = code_only(text)
            .lines()
            .filter(|l| !l.trim_start().starts_with('#')) // #pragma, #if
            .collect::<Vec<_>>()
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let mut csharp = CSharp {
            imports: Vec::new(),
            delegates: Vec::new(),
            enums: BTreeMap::new(),
            structs: cs_structs(&code),
        };
        // Declarations end at `;`, and an enum's body sits between braces.
        let pieces: Vec<&str> = code.split([';', '{', '}']).map(str::trim).collect();
        for (i, piece) in pieces.iter().enumerate() {
            let (attributes, rest) = split_attributes(piece);
            let words: Vec<&str> = rest.split(' ').collect();
            if let Some(at) = words.iter().position(|w| *w == "enum") {
                let members = pieces.get(i + 1).copied().unwrap_or_default();
                let members = members
                    .split(',')
                    .filter_map(|m| m.split_once('='))
                    .filter_map(|(name, value)| {
                        Some((name.trim().to_owned(), value.trim().parse().ok()?))
                    })
                    .collect();
                csharp.enums.insert(
                    words.get(at + 1).copied().unwrap_or_default().to_owned(),
                    members,
                );
            } else if attributes.contains("DllImport(") && words.contains(&"extern") {
                let cdecl = attributes.contains("CallingConvention = CallingConvention.Cdecl");
                csharp.imports.extend(declaration(rest, cdecl));
            } else if words.contains(&"delegate") {
                let cdecl =
                    attributes.contains("UnmanagedFunctionPointer(CallingConvention.Cdecl)");
                csharp.delegates.extend(declaration(rest, cdecl));
            }
        }
        csharp
    }
}

/// The structs of Etna.cs (`code`: without comments, whitespace collapsed): each `struct Name {
/// <fields> }` with the attributes before it.
fn cs_structs(code: &str) -> Vec<CsStruct> {
    let mut structs = Vec::new();
    for (at, _) in code.match_indices("struct ") {
        let word_start = at == 0 || code[..at].ends_with(' ');
        let Some((name, rest)) = code[at + "struct ".len()..].split_once(' ') else {
            continue;
        };
        let Some(body) = rest.strip_prefix('{').and_then(|b| b.split_once('}')) else {
            continue;
        };
        if !word_start || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        // The attributes and modifiers since the end of the previous declaration.
        let before = &code[..at];
        let start = before.rfind([';', '{', '}']).map_or(0, |i| i + 1);
        let (attributes, _modifiers) = split_attributes(before[start..].trim());
        let fields = body
            .0
            .split(';')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(|f| {
                let mut words = f.rsplit(' ');
                let name = words.next().unwrap_or_default().to_owned();
                let ty = words.next().unwrap_or_default().to_owned();
                (ty, name)
            })
            .collect();
        structs.push(CsStruct {
            name: name.to_owned(),
            sequential: attributes.contains("StructLayout(LayoutKind.Sequential)"),
            fields,
        });
    }
    structs
}

/// `[A] [B(x)] rest` as (`[A] [B(x)]`, `rest`).
fn split_attributes(piece: &str) -> (&str, &str) {
    let mut depth = 0;
    let mut end = 0;
    for (i, c) in piece.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                end = i + 1;
            }
            ' ' if depth == 0 => {}
            _ if depth == 0 => break,
            _ => {}
        }
    }
    (&piece[..end], piece[end..].trim())
}

/// `internal static extern int name(byte[] a, out IntPtr err)`.
fn declaration(text: &str, cdecl: bool) -> Option<Declaration> {
    let (head, params) = text.split_once('(')?;
    let params = params.strip_suffix(')')?;
    let mut head = head.split(' ').rev();
    let name = head.next()?.to_owned();
    let ret = head.next()?.to_owned();
    let params = params
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        // The type is all but the parameter's name.
        .map(|p| p.rsplit_once(' ').map_or(p, |(ty, _)| ty).to_owned())
        .collect();
    Some(Declaration {
        ret,
        name,
        params,
        cdecl,
    })
}

/// The C# type for the C type `ty` in `use_`, as `TYPE_MAP` says.
fn csharp_type(header: &Header, ty: &str, use_: Use) -> Result<&'static str, String> {
    let resolved = header.resolve(ty);
    TYPE_MAP
        .iter()
        .find(|(c, u, _)| *c == resolved && *u == use_)
        .map(|(_, _, cs)| *cs)
        .ok_or_else(|| {
            let spelled = if resolved == ty {
                format!("`{ty}`")
            } else {
                format!("`{ty}` (`{resolved}`)")
            };
            format!("no C# type for {spelled} as {use_:?} in TYPE_MAP: add the row")
        })
}

/// Holds the Etna.cs declaration `cs` to the C signature `c`; `what` names it in messages.
fn compare(
    header: &Header,
    c: &Function,
    cs: &Declaration,
    what: &str,
    param_use: Use,
    problems: &mut Vec<String>,
) {
    if c.params.len() != cs.params.len() {
        problems.push(format!(
            "{what}: {} parameters in etna.h, {} in Etna.cs",
            c.params.len(),
            cs.params.len()
        ));
    } else {
        for (i, (p, actual)) in c.params.iter().zip(&cs.params).enumerate() {
            match csharp_type(header, &p.ty, param_use) {
                Ok(want) if want == actual => {}
                Ok(want) => problems.push(format!(
                    "{what}: parameter {} `{}` is `{}` in etna.h, so `{want}` in Etna.cs, not `{actual}`",
                    i + 1,
                    p.name,
                    p.ty
                )),
                Err(e) => problems.push(format!("{what}: parameter {} `{}`: {e}", i + 1, p.name)),
            }
        }
    }
    match csharp_type(header, &c.ret, Return) {
        Ok(want) if want == cs.ret => {}
        Ok(want) => problems.push(format!(
            "{what}: returns `{}` in etna.h, so `{want}` in Etna.cs, not `{}`",
            c.ret, cs.ret
        )),
        Err(e) => problems.push(format!("{what}: return: {e}")),
    }
    if !cs.cdecl {
        problems.push(format!(
            "{what}: not declared with CallingConvention.Cdecl in Etna.cs"
        ));
    }
}

fn csharp_imports(header: &Header, csharp: &CSharp, problems: &mut Vec<String>) {
    for f in &header.functions {
        let Some(import) = csharp.imports.iter().find(|i| i.name == f.name) else {
            problems.push(format!("{}: no [DllImport] in Etna.cs", f.name));
            continue;
        };
        let param_use = if f.name.ends_with("_free") {
            Freed
        } else {
            Arg
        };
        compare(header, f, import, &f.name, param_use, problems);
    }
    for import in &csharp.imports {
        if header.function(&import.name).is_none() {
            problems.push(format!(
                "{}: imported by Etna.cs, not declared in etna.h",
                import.name
            ));
        }
    }
    for callback in &header.function_pointers {
        let delegate = match csharp_type(header, &callback.name, Arg) {
            Ok(delegate) => delegate,
            Err(e) => {
                problems.push(format!("{}: {e}", callback.name));
                continue;
            }
        };
        let what = format!("{} (delegate {delegate})", callback.name);
        match csharp.delegates.iter().find(|d| d.name == delegate) {
            Some(d) => compare(header, callback, d, &what, CallbackArg, problems),
            None => problems.push(format!("{what}: no such delegate in Etna.cs")),
        }
    }
}

// ---- C#: the struct mirrors ----

/// The C# type of each field type of etna.h's structs, once the header's integer typedefs are
/// resolved (the enumerations' EtnaSide, EtnaOrderStatus, ... are int32_t): what Etna.cs's
/// mirrors declare, so that Marshal.PtrToStructure reads libetna's layout. A field type with no
/// row fails the test: add the row.
const FIELD_MAP: &[(&str, &str)] = &[
    ("const char *", "IntPtr"),
    ("double", "double"),
    ("int64_t", "long"),
    ("int32_t", "int"),
    ("uint32_t", "uint"),
    ("uint64_t", "ulong"),
    ("size_t", "UIntPtr"),
];

/// `struct_size` and `StructSize` are the same name.
fn same_name(c: &str, cs: &str) -> bool {
    let fold = |s: &str| s.replace('_', "").to_ascii_lowercase();
    fold(c) == fold(cs)
}

/// Holds the C# mirror `cs` to the struct `c`.
fn compare_struct(header: &Header, c: &Struct, cs: &CsStruct, problems: &mut Vec<String>) {
    let name = &c.name;
    if !cs.sequential {
        problems.push(format!(
            "{name}: not declared [StructLayout(LayoutKind.Sequential)] in Etna.cs"
        ));
    }
    if c.fields.len() != cs.fields.len() {
        problems.push(format!(
            "{name}: {} fields in etna.h, {} in Etna.cs",
            c.fields.len(),
            cs.fields.len()
        ));
    }
    for (i, (field, (cs_ty, cs_name))) in c.fields.iter().zip(&cs.fields).enumerate() {
        if !same_name(&field.name, cs_name) {
            problems.push(format!(
                "{name}: field {} is `{}` in etna.h, `{cs_name}` in Etna.cs",
                i + 1,
                field.name
            ));
            if c.fields.len() != cs.fields.len() {
                break; // the fields after an inserted or missing one all differ
            }
            continue;
        }
        let resolved = header.resolve(&field.ty);
        match FIELD_MAP.iter().find(|(c_ty, _)| *c_ty == resolved) {
            Some((_, want)) if want == cs_ty => {}
            Some((_, want)) => problems.push(format!(
                "{name}.{}: `{}` in etna.h, so `{want}` in Etna.cs, not `{cs_ty}`",
                field.name, field.ty
            )),
            None => problems.push(format!(
                "{name}.{}: no C# type for `{}` in FIELD_MAP: add the row",
                field.name, field.ty
            )),
        }
    }
}

fn csharp_structs(header: &Header, csharp: &CSharp, problems: &mut Vec<String>) {
    for c in &header.structs {
        match csharp.structs.iter().find(|s| s.name == c.name) {
            Some(cs) => compare_struct(header, c, cs, problems),
            None => problems.push(format!(
                "{}: no [StructLayout(LayoutKind.Sequential)] struct mirrors it in Etna.cs",
                c.name
            )),
        }
    }
    for cs in &csharp.structs {
        if cs.sequential && header.structure(&cs.name).is_none() {
            problems.push(format!(
                "{}: a struct of Etna.cs that etna.h does not declare",
                cs.name
            ));
        }
    }
}

// ---- C#: the constants ----

/// Which enum of Etna.cs holds the header's constants of each prefix: `ETNA_ERR_NOT_FOUND` is
/// `StatusCode.NotFound`, `ETNA_AUTH_NONE` is `AuthState.None`, `ETNA_TIF_DAY` is
/// `TimeInForce.Day` (and `ETNA_OK` is `StatusCode.Ok`).
const CONSTANT_ENUMS: &[(&str, &str)] = &[
    ("ETNA_ERR_", "StatusCode"),
    ("ETNA_AUTH_", "AuthState"),
    ("ETNA_LOG_", "LogLevel"),
    ("ETNA_KIND_", "ResultKind"),
    ("ETNA_ORDER_STATUS_", "OrderStatus"),
    ("ETNA_SIDE_", "Side"),
    ("ETNA_ORDER_TYPE_", "OrderType"),
    ("ETNA_TIF_", "TimeInForce"),
    ("ETNA_TRANSACTION_", "TransactionType"),
    ("ETNA_MARGIN_", "MarginType"),
    ("ETNA_ACCESS_", "AccessType"),
    ("ETNA_WATCHLIST_", "WatchlistType"),
    ("ETNA_OPTION_", "OptionType"),
    ("ETNA_EXPIRATION_", "ExpirationType"),
    ("ETNA_ALERT_", "AlertState"),
    ("ETNA_FIELD_", "FieldKind"),
    // Before ETNA_STREAM_, which would take them too: the first prefix that matches decides.
    ("ETNA_STREAM_STATE_", "StreamStateCode"),
    ("ETNA_STREAM_", "StreamKind"),
];

/// The enums of Etna.cs for the models' enumerations: `ETNA_UNKNOWN` is the `Unknown` of each.
const UNKNOWN_ENUMS: &[&str] = &[
    "OrderStatus",
    "Side",
    "OrderType",
    "TimeInForce",
    "TransactionType",
    "MarginType",
    "AccessType",
    "WatchlistType",
    "OptionType",
    "ExpirationType",
    "AlertState",
    "StreamStateCode",
    "FieldKind",
];

/// The enums and members of Etna.cs for the header's constant `name` (several for
/// `ETNA_UNKNOWN`); empty when no enum holds it.
fn csharp_members(name: &str) -> Vec<(&'static str, String)> {
    if name == "ETNA_OK" {
        return vec![("StatusCode", "Ok".to_owned())];
    }
    if name == "ETNA_UNKNOWN" {
        return UNKNOWN_ENUMS
            .iter()
            .map(|e| (*e, "Unknown".to_owned()))
            .collect();
    }
    CONSTANT_ENUMS
        .iter()
        .find_map(|(prefix, enum_name)| {
            let rest = name.strip_prefix(prefix)?;
            Some((*enum_name, pascal_case(rest)))
        })
        .into_iter()
        .collect()
}

/// `INVALID_VERIFICATION_CODE` as `InvalidVerificationCode`.
fn pascal_case(name: &str) -> String {
    name.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_string() + &chars.as_str().to_lowercase()
            })
        })
        .collect()
}

fn csharp_constants(header: &Header, csharp: &CSharp, problems: &mut Vec<String>) {
    let mut expected = BTreeSet::new();
    for (name, value) in &header.constants {
        let members = csharp_members(name);
        if members.is_empty() {
            problems.push(format!(
                "{name}: no enum of Etna.cs holds it (add its prefix to CONSTANT_ENUMS)"
            ));
        }
        for (enum_name, member) in members {
            expected.insert((enum_name.to_string(), member.clone()));
            let Some(members) = csharp.enums.get(enum_name) else {
                problems.push(format!("{name}: no enum {enum_name} in Etna.cs"));
                continue;
            };
            match members.iter().find(|(m, _)| *m == member) {
                None => problems.push(format!(
                    "{name} = {value} in etna.h: no {enum_name}.{member} in Etna.cs"
                )),
                Some((_, v)) if v != value => problems.push(format!(
                    "{name} = {value} in etna.h, {enum_name}.{member} = {v} in Etna.cs"
                )),
                Some(_) => {}
            }
        }
    }
    let enums: BTreeSet<&str> = CONSTANT_ENUMS
        .iter()
        .map(|(_, e)| *e)
        .chain(UNKNOWN_ENUMS.iter().copied())
        .collect();
    for enum_name in enums {
        for (member, value) in csharp.enums.get(enum_name).into_iter().flatten() {
            if !expected.contains(&(enum_name.to_owned(), member.clone())) {
                problems.push(format!(
                    "{enum_name}.{member} = {value} in Etna.cs: no such constant in etna.h"
                ));
            }
        }
    }
}

// ---- C++ ----

/// Functions of etna.h that etna.hpp need not use, each with the reason. Empty: every C function
/// has its use in C++ (etna_session_free in Session, the etna_error_* accessors in Error,
/// etna_string_free for every string answer, the etna_result_* accessors and getters in reading
/// the typed answers), and a new one should be wrapped.
const CPP_NOT_NEEDED: &[(&str, &str)] = &[];

/// Whether `code` holds the identifier `name` (not as part of a longer one).
fn uses(code: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    code.match_indices(name)
        .any(|(at, _)| !code[..at].ends_with(ident) && !code[at + name.len()..].starts_with(ident))
}

/// The constants of the models' enumerations, of the kinds of results and of streams, each of
/// which etna.hpp must name: its enum classes are spelled with them (`Side::Buy = ETNA_SIDE_BUY`,
/// `StreamKind::Data = ETNA_STREAM_DATA`).
const CPP_ENUM_PREFIXES: &[&str] = &[
    "ETNA_KIND_",
    "ETNA_ORDER_STATUS_",
    "ETNA_SIDE_",
    "ETNA_ORDER_TYPE_",
    "ETNA_TIF_",
    "ETNA_TRANSACTION_",
    "ETNA_MARGIN_",
    "ETNA_ACCESS_",
    "ETNA_WATCHLIST_",
    "ETNA_OPTION_",
    "ETNA_EXPIRATION_",
    "ETNA_ALERT_",
    "ETNA_FIELD_",
    // StreamStateCode, and StreamKind (ETNA_STREAM_QUOTES, _DATA, _LOGIN_FORM).
    "ETNA_STREAM_",
];

fn cpp_uses(header: &Header, hpp: &str, problems: &mut Vec<String>) {
    let code = code_only(hpp);
    for (name, _) in &header.constants {
        let enumerated =
            name == "ETNA_UNKNOWN" || CPP_ENUM_PREFIXES.iter().any(|p| name.starts_with(p));
        if enumerated && !uses(&code, name) {
            problems.push(format!(
                "{name}: not used by etna.hpp (add it to its enum class)"
            ));
        }
    }
    let excused = |name: &str| CPP_NOT_NEEDED.iter().any(|(n, _)| *n == name);
    for f in &header.functions {
        if !uses(&code, &f.name) && !excused(&f.name) {
            problems.push(format!(
                "{}: not used by etna.hpp (wrap it, or list it in CPP_NOT_NEEDED with the reason)",
                f.name
            ));
        }
    }
    for (name, _) in CPP_NOT_NEEDED {
        if header.function(name).is_none() {
            problems.push(format!(
                "CPP_NOT_NEEDED lists {name}, which etna.h does not declare"
            ));
        } else if uses(&code, name) {
            problems.push(format!("CPP_NOT_NEEDED lists {name}, which etna.hpp uses"));
        }
    }
}

// ---- README.md ----

/// The status table of README.md: the markdown table with the row for `ETNA_OK`, its rows
/// `| \`ETNA_...\` | value | meaning |` after the heading and separator rows.
fn readme_codes(header: &Header, readme: &str, problems: &mut Vec<String>) {
    let lines: Vec<&str> = readme.lines().collect();
    let cells = |line: &str| -> Vec<String> {
        let line = line.trim();
        let inner = line.strip_prefix('|').unwrap_or(line);
        let inner = inner.strip_suffix('|').unwrap_or(inner);
        inner.split('|').map(|c| c.trim().to_owned()).collect()
    };
    let is_row = |line: &&str| line.trim_start().starts_with('|');
    let Some(ok_row) = lines
        .iter()
        .position(|l| is_row(l) && cells(l).first().is_some_and(|c| c == "`ETNA_OK`"))
    else {
        problems.push("README.md: no status table (no row | `ETNA_OK` | 0 | ... |)".to_owned());
        return;
    };
    let start = lines[..ok_row]
        .iter()
        .rposition(|l| !is_row(l))
        .map_or(0, |i| i + 1);
    let end = lines[ok_row..]
        .iter()
        .position(|l| !is_row(l))
        .map_or(lines.len(), |i| ok_row + i);

    let mut table: BTreeMap<String, i64> = BTreeMap::new();
    for line in &lines[start..end] {
        let cells = cells(line);
        let separator = cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| "-: ".contains(ch)));
        let heading = !cells[0].starts_with('`');
        if separator || (heading && line == &lines[start]) {
            continue;
        }
        let row = match &cells[..] {
            [name, value, meaning] if !meaning.is_empty() => name
                .strip_prefix('`')
                .and_then(|n| n.strip_suffix('`'))
                .filter(|n| n.starts_with("ETNA_"))
                .zip(value.parse::<i64>().ok()),
            _ => None,
        };
        let Some((name, value)) = row else {
            problems.push(format!(
                "README.md status table: `{}` is not a row | `ETNA_...` | value | meaning |",
                line.trim()
            ));
            continue;
        };
        if table.insert(name.to_owned(), value).is_some() {
            problems.push(format!("README.md status table: two rows for {name}"));
        }
    }

    let codes: BTreeMap<&str, i64> = header
        .constants
        .iter()
        .filter(|(name, _)| name == "ETNA_OK" || name.starts_with("ETNA_ERR_"))
        .map(|(name, value)| (name.as_str(), *value))
        .collect();
    for (name, value) in &codes {
        match table.get(*name) {
            None => problems.push(format!(
                "README.md status table: no row for {name} (= {value} in etna.h)"
            )),
            Some(v) if v != value => problems.push(format!(
                "README.md status table: {name} is {v}, etna.h says {value}"
            )),
            Some(_) => {}
        }
    }
    for (name, value) in &table {
        if !codes.contains_key(name.as_str()) {
            problems.push(format!(
                "README.md status table: {name} ({value}) is not a status code of etna.h"
            ));
        }
    }
}

// ---- the checker checked: altered copies of the texts, and what it must say ----

/// The four texts, owned, to alter.
#[derive(Clone)]
struct Texts {
    header: String,
    csharp: String,
    cpp: String,
    readme: String,
}

impl Texts {
    fn real() -> Texts {
        let read = |path: &str| std::fs::read_to_string(manifest_dir().join(path)).unwrap();
        Texts {
            header: read("include/etna.h"),
            csharp: read("bindings/csharp/Etna.cs"),
            cpp: read("include/etna.hpp"),
            readme: read("README.md"),
        }
    }

    fn drift(&self) -> Vec<String> {
        drift(&Sources {
            header: &self.header,
            csharp: &self.csharp,
            cpp: &self.cpp,
            readme: &self.readme,
        })
    }
}

/// What `drift` says of `altered` and not of the real texts, so that these tests prove the
/// checker whether or not the real texts agree today (the_bindings_agree_with_the_header says
/// whether they do).
fn new_problems(altered: &Texts) -> Vec<String> {
    let known = Texts::real().drift();
    let mut problems = altered.drift();
    problems.retain(|p| !known.contains(p));
    problems
}

/// `text` with `from` (which must be in it, once) replaced by `to`.
fn edit(text: &mut String, from: &str, to: &str) {
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from:?} is not in the text once"
    );
    *text = text.replacen(from, to, 1);
}

#[test]
fn a_missing_import_and_a_changed_code_are_named() {
    let mut t = Texts::real();
    edit(
        &mut t.header,
        "#define ETNA_ERR_TIMEOUT 11",
        "#define ETNA_ERR_TIMEOUT 14",
    );
    let import = "        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]\n        \
                  internal static extern int etna_session_cancel(SessionHandle session);\n";
    edit(&mut t.csharp, import, "");
    assert_eq!(
        new_problems(&t),
        [
            "etna_session_cancel: no [DllImport] in Etna.cs",
            "ETNA_ERR_TIMEOUT = 14 in etna.h, StatusCode.Timeout = 11 in Etna.cs",
            "README.md status table: ETNA_ERR_TIMEOUT is 11, etna.h says 14",
        ]
    );
}

#[test]
fn parameters_of_another_type_or_number_are_named() {
    let mut t = Texts::real();
    // A parameter changes type, and one is added; a callback type changes.
    edit(
        &mut t.header,
        "uint32_t max_attempts,",
        "uint64_t max_attempts,",
    );
    edit(
        &mut t.header,
        "etna_session_set_auto_relogin(const EtnaSession *session,\n                                         int32_t enabled,",
        "etna_session_set_auto_relogin(const EtnaSession *session,\n                                         int32_t enabled, int32_t extra,",
    );
    edit(&mut t.header, "EtnaAuthState state);", "int64_t state);");
    // Etna.cs forgets a calling convention and imports a function etna.h does not declare.
    let version = "internal static extern IntPtr etna_version();";
    edit(
        &mut t.csharp,
        &format!(
            "[DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]\n        {version}"
        ),
        &format!(
            "[DllImport(Lib)]\n        {version}\n\n        \
             [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]\n        \
             internal static extern IntPtr etna_gone();"
        ),
    );
    assert_eq!(
        new_problems(&t),
        [
            "etna_session_set_retry_policy: parameter 2 `max_attempts` is `uint64_t` in etna.h, \
             so `ulong` in Etna.cs, not `uint`",
            "etna_session_set_auto_relogin: 4 parameters in etna.h, 3 in Etna.cs",
            "etna_version: not declared with CallingConvention.Cdecl in Etna.cs",
            "etna_gone: imported by Etna.cs, not declared in etna.h",
            "EtnaAuthCallback (delegate AuthCallback): parameter 2 `state`: no C# type for \
             `int64_t` as CallbackArg in TYPE_MAP: add the row",
        ]
    );
}

#[test]
fn an_unused_function_a_stray_constant_and_a_wrong_table_are_named() {
    let mut t = Texts::real();
    // etna.hpp stops using etna_version; Etna.cs gains a status code; the README's table loses
    // a row and gains one that is no status code.
    edit(&mut t.cpp, "return etna_version();", "return \"0.1.0\";");
    edit(
        &mut t.csharp,
        "        Panic = 99,\n",
        "        Panic = 99,\n        Gone = 100,\n",
    );
    let pin_row = t
        .readme
        .lines()
        .find(|l| l.starts_with("| `ETNA_ERR_INVALID_PIN` |"))
        .expect("a README row for ETNA_ERR_INVALID_PIN")
        .to_owned();
    edit(
        &mut t.readme,
        &format!("{pin_row}\n"),
        "| `ETNA_AUTH_NONE` | 0 | not logged in |\n",
    );
    assert_eq!(
        new_problems(&t),
        [
            "StatusCode.Gone = 100 in Etna.cs: no such constant in etna.h",
            "etna_version: not used by etna.hpp (wrap it, or list it in CPP_NOT_NEEDED with the \
             reason)",
            "README.md status table: no row for ETNA_ERR_INVALID_PIN (= 23 in etna.h)",
            "README.md status table: ETNA_AUTH_NONE (0) is not a status code of etna.h",
        ]
    );
}

#[test]
fn a_reordered_or_retyped_struct_field_and_a_new_enumeration_value_are_named() {
    let mut t = Texts::real();
    // etna.h swaps two fields of EtnaOrder (same type: only the names tell), gives a field of
    // EtnaCandle another type and a side a new value.
    edit(
        &mut t.header,
        "    double price;\n    double stop_price;\n",
        "    double stop_price;\n    double price;\n",
    );
    edit(
        &mut t.header,
        "    double volume;\n    const char *json;\n    /**\n     * Which security",
        "    int64_t volume;\n    const char *json;\n    /**\n     * Which security",
    );
    edit(
        &mut t.header,
        "#define ETNA_SIDE_BUY_TO_COVER 3\n",
        "#define ETNA_SIDE_BUY_TO_COVER 3\n\n#define ETNA_SIDE_SHORT_EXEMPT 4\n",
    );
    // Etna.cs lets the layout of EtnaStreamer to the runtime and forgets an Unknown.
    edit(
        &mut t.csharp,
        "[StructLayout(LayoutKind.Sequential)]\n    internal struct EtnaStreamer",
        "[StructLayout(LayoutKind.Auto)]\n    internal struct EtnaStreamer",
    );
    edit(
        &mut t.csharp,
        "        Unknown = -1,\n        UserList = 0,",
        "        UserList = 0,",
    );
    assert_eq!(
        new_problems(&t),
        [
            "EtnaOrder: field 12 is `stop_price` in etna.h, `Price` in Etna.cs",
            "EtnaOrder: field 13 is `price` in etna.h, `StopPrice` in Etna.cs",
            "EtnaCandle.volume: `int64_t` in etna.h, so `long` in Etna.cs, not `double`",
            "EtnaStreamer: not declared [StructLayout(LayoutKind.Sequential)] in Etna.cs",
            "ETNA_UNKNOWN = -1 in etna.h: no WatchlistType.Unknown in Etna.cs",
            "ETNA_SIDE_SHORT_EXEMPT = 4 in etna.h: no Side.ShortExempt in Etna.cs",
            "ETNA_SIDE_SHORT_EXEMPT: not used by etna.hpp (add it to its enum class)",
        ]
    );
}

#[test]
fn a_struct_with_a_field_more_or_no_mirror_is_named() {
    let mut t = Texts::real();
    // etna.h appends a field to EtnaCandle (Etna.cs does not follow) and Etna.cs mirrors a struct
    // etna.h does not declare, and loses the mirror of EtnaPreview.
    edit(
        &mut t.header,
        "    double volume;\n    const char *json;\n    /**\n     * Which security",
        "    double volume;\n    double vwap;\n    const char *json;\n    /**\n     * Which security",
    );
    edit(
        &mut t.csharp,
        "    internal struct EtnaPreview\n",
        "    internal struct EtnaPreviewGone\n",
    );
    assert_eq!(
        new_problems(&t),
        [
            "EtnaPreview: no [StructLayout(LayoutKind.Sequential)] struct mirrors it in Etna.cs",
            "EtnaCandle: 10 fields in etna.h, 9 in Etna.cs",
            "EtnaCandle: field 8 is `vwap` in etna.h, `Json` in Etna.cs",
            "EtnaPreviewGone: a struct of Etna.cs that etna.h does not declare",
        ]
    );
}

#[test]
fn streams_out_of_step_are_named() {
    let mut t = Texts::real();
    // etna.h renumbers a stream state and the login form flag (each in its own enum of Etna.cs:
    // ETNA_STREAM_STATE_* is not taken for a StreamKind) and gives EtnaStreamStats a field more;
    // Etna.cs loses the import of etna_stream_next, and etna.hpp stops closing streams.
    edit(
        &mut t.header,
        "#define ETNA_STREAM_STATE_GAP 3\n",
        "#define ETNA_STREAM_STATE_GAP 7\n",
    );
    edit(
        &mut t.header,
        "#define ETNA_STREAM_LOGIN_FORM 256\n",
        "#define ETNA_STREAM_LOGIN_FORM 512\n",
    );
    edit(
        &mut t.header,
        "    int64_t last_message_age_ms;\n} EtnaStreamStats;",
        "    int64_t last_message_age_ms;\n    uint64_t dropped;\n} EtnaStreamStats;",
    );
    let next = "        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]\n        \
                internal static extern int etna_stream_next(StreamHandle stream, int timeoutMs, \
                out ResultHandle result,\n                                                    \
                out IntPtr err);\n";
    edit(&mut t.csharp, next, "");
    edit(
        &mut t.cpp,
        "void close() noexcept { etna_stream_close(handle(), nullptr); }",
        "void close() noexcept {}",
    );
    assert_eq!(
        new_problems(&t),
        [
            "etna_stream_next: no [DllImport] in Etna.cs",
            "EtnaStreamStats: 10 fields in etna.h, 9 in Etna.cs",
            "ETNA_STREAM_STATE_GAP = 7 in etna.h, StreamStateCode.Gap = 3 in Etna.cs",
            "ETNA_STREAM_LOGIN_FORM = 512 in etna.h, StreamKind.LoginForm = 256 in Etna.cs",
            "etna_stream_close: not used by etna.hpp (wrap it, or list it in CPP_NOT_NEEDED with \
             the reason)",
        ]
    );
}

#[test]
fn options_alerts_and_research_out_of_step_are_named() {
    let mut t = Texts::real();
    // etna.h renumbers an alert state and a kind of expiration, swaps two fields of
    // EtnaPriceAlert (`operator_` is Etna.cs's `Operator`: only the order tells) and gives
    // etna_get_account_history another parameter type; Etna.cs loses the import of
    // etna_result_option and the mirror of EtnaHistoryPoint; etna.hpp stops using option chains
    // and ETNA_OPTION_PUT.
    edit(
        &mut t.header,
        "#define ETNA_ALERT_STOPPED 3\n",
        "#define ETNA_ALERT_STOPPED 9\n",
    );
    edit(
        &mut t.header,
        "#define ETNA_EXPIRATION_NON_STANDARD 6\n",
        "#define ETNA_EXPIRATION_NON_STANDARD 7\n",
    );
    edit(
        &mut t.header,
        "    const char *field;\n    /**\n     * `GTEQ` or `LTEQ`.\n     */\n    const char *operator_;\n",
        "    const char *operator_;\n    const char *field;\n",
    );
    edit(
        &mut t.header,
        "                                    int64_t from_ms,\n",
        "                                    double from_ms,\n",
    );
    let import = "        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]\n        \
                  internal static extern IntPtr etna_result_option(ResultHandle r, UIntPtr index);\n";
    edit(&mut t.csharp, import, "");
    edit(
        &mut t.csharp,
        "    internal struct EtnaHistoryPoint\n",
        "    internal struct EtnaHistoryPointGone\n",
    );
    edit(
        &mut t.cpp,
        "call_result(etna_get_option_chain, ",
        "call_result(etna_get_option_chain_gone, ",
    );
    edit(&mut t.cpp, "    Put = ETNA_OPTION_PUT,\n", "    Put = 1,\n");
    assert_eq!(
        new_problems(&t),
        [
            "etna_get_account_history: parameter 3 `from_ms` is `double` in etna.h, so `double` in \
             Etna.cs, not `long`",
            "etna_result_option: no [DllImport] in Etna.cs",
            "EtnaPriceAlert: field 4 is `operator_` in etna.h, `Field` in Etna.cs",
            "EtnaPriceAlert: field 5 is `field` in etna.h, `Operator` in Etna.cs",
            "EtnaHistoryPoint: no [StructLayout(LayoutKind.Sequential)] struct mirrors it in Etna.cs",
            "EtnaHistoryPointGone: a struct of Etna.cs that etna.h does not declare",
            "ETNA_EXPIRATION_NON_STANDARD = 7 in etna.h, ExpirationType.NonStandard = 6 in Etna.cs",
            "ETNA_ALERT_STOPPED = 9 in etna.h, AlertState.Stopped = 3 in Etna.cs",
            "ETNA_OPTION_PUT: not used by etna.hpp (add it to its enum class)",
            "etna_get_option_chain: not used by etna.hpp (wrap it, or list it in CPP_NOT_NEEDED \
             with the reason)",
        ]
    );
}
