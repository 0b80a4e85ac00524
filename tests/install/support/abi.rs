//! The ABI as include/etna.h declares it, the committed lists of it in abi/, and the rule that
//! holds one to the other.
//!
//! Three lists, each for one major version (`major N`, the N of the SONAME libetna.so.N):
//! `abi/symbols.txt` (every exported function with its C types), `abi/types.txt` (every struct
//! with its fields in order, every integer typedef and callback type) and `abi/constants.txt`
//! (every `#define` constant). Within a major version an entry may not disappear or change; a
//! struct may only gain fields at its end (its `struct_size` tells a reader which it has). New
//! entries must be added to the list, which ETNA_ABI_UPDATE=1 does (it refuses to drop or
//! change any). A new major version starts new lists.

use std::collections::BTreeSet;

/// One list: `major N`, then entries, each a key and its lines (one for a function, a constant,
/// a typedef; the fields for a struct), in the header's order.
#[derive(Clone, Debug, PartialEq)]
pub struct List {
    pub major: u64,
    pub entries: Vec<(String, Vec<String>)>,
}

impl List {
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_slice())
    }

    pub fn keys(&self) -> BTreeSet<&str> {
        self.entries.iter().map(|(k, _)| k.as_str()).collect()
    }

    /// The committed text: `# ...` comments (`about`), `major N`, then `key: line` for one line,
    /// `key` and its lines indented for several (structs).
    pub fn to_text(&self, about: &str) -> String {
        let mut text = String::new();
        for line in about.lines() {
            text.push_str(&format!("# {line}\n").replace("# \n", "#\n"));
        }
        text.push_str(&format!("major {}\n", self.major));
        for (key, lines) in &self.entries {
            if key.starts_with("struct ") {
                text.push_str(key);
                text.push('\n');
                for line in lines {
                    text.push_str(&format!("    {line}\n"));
                }
            } else {
                text.push_str(&format!("{key}: {}\n", lines.join(" ")));
            }
        }
        text
    }

    pub fn parse(text: &str) -> Result<List, String> {
        let mut major = None;
        let mut entries: Vec<(String, Vec<String>)> = Vec::new();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if let Some(field) = line.strip_prefix("    ") {
                let (key, fields) = entries
                    .last_mut()
                    .filter(|(k, _)| k.starts_with("struct "))
                    .ok_or_else(|| format!("`{line}`: a field outside a struct"))?;
                if fields.iter().any(|f| f == field) {
                    return Err(format!("{key}: field `{field}` twice"));
                }
                fields.push(field.to_owned());
            } else if let Some(n) = line.strip_prefix("major ") {
                let n = n
                    .parse()
                    .map_err(|_| format!("`{line}`: not a major version"))?;
                major = Some(n);
            } else if let Some((key, value)) = line.split_once(": ") {
                entries.push((key.to_owned(), vec![value.to_owned()]));
            } else if line.starts_with("struct ") {
                entries.push((line.to_owned(), Vec::new()));
            } else {
                return Err(format!("`{line}`: not an entry"));
            }
        }
        let keys: BTreeSet<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        if keys.len() != entries.len() {
            return Err("an entry is listed twice".to_owned());
        }
        Ok(List {
            major: major.ok_or("no `major N` line")?,
            entries,
        })
    }
}

/// What the current ABI does to a committed list.
#[derive(Debug, Default, PartialEq)]
pub struct Findings {
    /// Entries removed or changed, fields lost or moved: allowed only with a new major version.
    pub breaks: Vec<String>,
    /// Entries (or struct fields at the end) not yet listed: to be added to the list.
    pub additions: Vec<String>,
}

/// Holds `current` (from the header, for Cargo.toml's major version) to `committed`.
pub fn compare(committed: &List, current: &List) -> Findings {
    let mut f = Findings::default();
    if committed.major != current.major {
        // A new major version may break anything; its list starts afresh.
        f.additions.push(format!(
            "the list is for major version {}, the crate is at {}: write the new major's list \
             (ETNA_ABI_UPDATE=1)",
            committed.major, current.major
        ));
        return f;
    }
    for (key, old) in &committed.entries {
        let Some(new) = current.get(key) else {
            f.breaks.push(format!("{key}: gone"));
            continue;
        };
        if key.starts_with("struct ") {
            if new.len() < old.len() || new[..old.len()] != old[..] {
                f.breaks.push(format!(
                    "{key}: fields were {old:?}, now {new:?} (fields may only be appended)"
                ));
            } else if new.len() > old.len() {
                f.additions
                    .push(format!("{key}: new fields {:?}", &new[old.len()..]));
            }
        } else if new != old {
            f.breaks.push(format!(
                "{key}: was `{}`, now `{}`",
                old.join(" "),
                new.join(" ")
            ));
        }
    }
    for (key, lines) in &current.entries {
        if committed.get(key).is_none() {
            f.additions
                .push(format!("{key}: new ({})", lines.join("; ")));
        }
    }
    f
}

/// The ABI declared by etna.h's text, as three lists: functions, types, constants.
pub struct Declared {
    pub symbols: List,
    pub types: List,
    pub constants: List,
}

pub fn declared(header: &str, major: u64) -> Result<Declared, String> {
    let list = |entries| List { major, entries };
    let (mut functions, mut types, mut constants) = (Vec::new(), Vec::new(), Vec::new());
    let mut code = String::new();
    for line in strip_comments(header).lines() {
        let line = line.trim();
        if let Some(directive) = line.strip_prefix('#') {
            let words: Vec<&str> = directive.split_whitespace().collect();
            if let ["define", name, value] = words[..] {
                let value: i64 = value
                    .parse()
                    .map_err(|_| format!("#define {name} {value}: not an integer"))?;
                constants.push((name.to_owned(), vec![value.to_string()]));
            }
        } else if line != "extern \"C\" {" && line != "}" {
            code.push_str(line);
            code.push(' ');
        }
    }
    for statement in statements(&code) {
        let s = statement.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            continue;
        }
        if let Some(body) = s.strip_prefix("typedef struct {") {
            let (fields, name) = body
                .rsplit_once('}')
                .ok_or_else(|| format!("`{s}`: not a struct"))?;
            let fields = fields
                .split(';')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .map(|f| split_name(f).map(|(ty, name)| format!("{ty}{name}")))
                .collect::<Result<Vec<_>, _>>()?;
            types.push((format!("struct {}", name.trim()), fields));
        } else if let Some(rest) = s.strip_prefix("typedef ") {
            if rest.starts_with("struct ") {
                continue; // opaque: no layout to keep
            }
            if let Some((ret, rest)) = rest.split_once("(*") {
                let (name, params) = rest
                    .split_once(')')
                    .ok_or_else(|| format!("`{s}`: not a callback type"))?;
                types.push((
                    format!("callback {name}"),
                    vec![format!("{} {}", ret.trim(), param_types(params)?)],
                ));
            } else {
                let (ty, name) = split_name(rest)?;
                types.push((format!("typedef {name}"), vec![ty.trim().to_owned()]));
            }
        } else {
            let (head, params) = s
                .split_once('(')
                .ok_or_else(|| format!("`{s}`: not a function"))?;
            let (ret, name) = split_name(head)?;
            functions.push((
                name,
                vec![format!(
                    "{} {}",
                    ret.trim(),
                    param_types(&format!("({params}"))?
                )],
            ));
        }
    }
    Ok(Declared {
        symbols: list(functions),
        types: list(types),
        constants: list(constants),
    })
}

/// `(const char *base_url, EtnaError **out_err)` as `(const char *, EtnaError **)`.
fn param_types(params: &str) -> Result<String, String> {
    let inner = params
        .trim()
        .strip_prefix('(')
        .and_then(|p| p.strip_suffix(')'))
        .ok_or_else(|| format!("`{params}`: not a parameter list"))?;
    if inner.trim() == "void" {
        return Ok("(void)".to_owned());
    }
    let types = inner
        .split(',')
        .map(|p| split_name(p.trim()).map(|(ty, _)| ty.trim().to_owned()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(format!("({})", types.join(", ")))
}

/// `const char *login` as (`const char *`, `login`): the name is the last identifier.
fn split_name(decl: &str) -> Result<(String, String), String> {
    let decl = decl.trim();
    let at = decl
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let (ty, name) = decl.split_at(at);
    if name.is_empty() || ty.trim().is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("`{decl}`: not a type and a name"));
    }
    Ok((ty.to_owned(), name.to_owned()))
}

fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let block = rest.find("/*");
        let line = rest.find("//");
        match (block, line) {
            (Some(b), l) if l.is_none_or(|l| b < l) => {
                out.push_str(&rest[..b]);
                let end = rest[b..].find("*/").map_or(rest.len(), |e| b + e + 2);
                rest = &rest[end..];
            }
            (_, Some(l)) => {
                out.push_str(&rest[..l]);
                rest = &rest[l..];
                rest = &rest[rest.find('\n').unwrap_or(rest.len())..];
            }
            _ => {
                out.push_str(rest);
                return out;
            }
        }
    }
}

/// Statements ending in `;` outside braces.
fn statements(code: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0usize, 0, Vec::new());
    for (i, c) in code.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ';' if depth == 0 => {
                out.push(code[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(code[start..].trim());
    out
}
