//! include/etna.h as data: its function prototypes, `#define` constants and typedefs, for the
//! tests that generate C from it (c_misuse.rs) or hold the bindings against it (header.rs).
//! The parser knows the shapes cbindgen writes and refuses anything else, so a new kind of
//! declaration fails the tests instead of going unchecked.

use std::collections::BTreeMap;

pub struct Param {
    /// The C type, spelled as in the header: `const char *`, `EtnaSession **`, `int64_t`.
    pub ty: String,
    pub name: String,
}

/// A struct typedef (`typedef struct { ... } Name;`): its fields in order.
pub struct Struct {
    pub name: String,
    pub fields: Vec<Param>,
}

/// A function prototype, or the signature of a function pointer typedef.
pub struct Function {
    pub ret: String,
    pub name: String,
    pub params: Vec<Param>,
}

pub struct Header {
    pub functions: Vec<Function>,
    /// `#define ETNA_X <integer>`, in the header's order.
    pub constants: Vec<(String, i64)>,
    /// `typedef <type> Name;`: Name to type.
    pub aliases: BTreeMap<String, String>,
    /// `typedef <ret> (*Name)(<params>);`
    pub function_pointers: Vec<Function>,
    /// `typedef struct { <fields> } Name;`, in the header's order. (Opaque types, `typedef
    /// struct Name Name;`, are read for their shape only.)
    pub structs: Vec<Struct>,
}

impl Header {
    /// Reads the header's text; an error names a declaration of a shape it does not know.
    pub fn parse(text: &str) -> Result<Header, String> {
        let mut header = Header {
            functions: Vec::new(),
            constants: Vec::new(),
            aliases: BTreeMap::new(),
            function_pointers: Vec::new(),
            structs: Vec::new(),
        };
        let mut declarations = String::new();
        for line in code_only(text).lines() {
            let line = line.trim();
            if let Some(directive) = line.strip_prefix('#') {
                let words: Vec<&str> = directive.split_whitespace().collect();
                if let ["define", name, value] = words[..] {
                    let value = value
                        .parse()
                        .map_err(|_| format!("#define {name} {value}: not an integer"))?;
                    header.constants.push((name.to_owned(), value));
                }
            } else if line != "extern \"C\" {" && line != "}" {
                declarations.push_str(line);
                declarations.push(' ');
            }
        }
        for statement in statements(&declarations) {
            let statement = statement.split_whitespace().collect::<Vec<_>>().join(" ");
            if statement.is_empty() {
                continue;
            }
            let Some(typedef) = statement.strip_prefix("typedef ") else {
                header.functions.push(function(&statement, &statement)?);
                continue;
            };
            if let Some((ret, rest)) = typedef.split_once("(*") {
                let (name, params) = rest
                    .split_once(')')
                    .ok_or_else(|| format!("`{statement}`: not a function pointer typedef"))?;
                let signature = format!("{} {name}{params}", ret.trim());
                header
                    .function_pointers
                    .push(function(&signature, &statement)?);
            } else if let Some(body) = typedef.strip_prefix("struct {") {
                let (fields, name) = body
                    .rsplit_once('}')
                    .ok_or_else(|| format!("`{statement}`: not a struct typedef"))?;
                let name = name.trim();
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(format!("`{statement}`: a struct typedef without a name"));
                }
                let fields = statements(fields)
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(|field| {
                        split_declarator(field)
                            .map(|(ty, name)| Param { ty, name })
                            .ok_or_else(|| format!("`{statement}`: field `{field}` not understood"))
                    })
                    .collect::<Result<_, _>>()?;
                header.structs.push(Struct {
                    name: name.to_owned(),
                    fields,
                });
            } else if let Some(rest) = typedef.strip_prefix("struct ") {
                match rest.split(' ').collect::<Vec<_>>()[..] {
                    [tag, name] if tag == name => {}
                    _ => return Err(format!("`{statement}`: not an opaque struct typedef")),
                }
            } else {
                let (ty, name) = split_declarator(typedef)
                    .ok_or_else(|| format!("`{statement}`: not a typedef this parser knows"))?;
                header.aliases.insert(name, ty);
            }
        }
        Ok(header)
    }

    /// `ty` with the header's integer typedefs resolved: `EtnaAuthState *` is `int32_t *`.
    pub fn resolve(&self, ty: &str) -> String {
        ty.split(' ')
            .map(|word| self.aliases.get(word).map_or(word, String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The struct typedef `name`.
    pub fn structure(&self, name: &str) -> Option<&Struct> {
        self.structs.iter().find(|s| s.name == name)
    }

    /// The prototype of the function `name`.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name == name)
    }
}

/// `text` cut at each `;` outside braces (a struct's fields stay with their typedef).
fn statements(text: &str) -> impl Iterator<Item = &str> {
    let mut depth = 0;
    text.split(move |c| {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        c == ';' && depth == 0
    })
}

/// `<ret> <name>(<params>)` (what `statement` says, for errors).
fn function(signature: &str, statement: &str) -> Result<Function, String> {
    let unknown = || format!("`{statement}`: not a declaration this parser knows");
    let (head, params) = signature.split_once('(').ok_or_else(unknown)?;
    let params = params.strip_suffix(')').ok_or_else(unknown)?;
    let (ret, name) = split_declarator(head).ok_or_else(unknown)?;
    let params = params
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "void")
        .map(|p| {
            split_declarator(p)
                .map(|(ty, name)| Param { ty, name })
                .ok_or_else(unknown)
        })
        .collect::<Result<_, _>>()?;
    Ok(Function { ret, name, params })
}

/// `const char *name` as (`const char *`, `name`); `int64_t name` as (`int64_t`, `name`).
fn split_declarator(declarator: &str) -> Option<(String, String)> {
    let declarator = declarator.trim();
    let at = declarator.rfind([' ', '*'])? + 1;
    let (ty, name) = (declarator[..at].trim(), &declarator[at..]);
    let is_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (is_name && !ty.is_empty()).then(|| (ty.to_owned(), name.to_owned()))
}

/// C, C++ or C# source without its comments (`/* */` and `//`), line breaks kept.
pub fn code_only(source: &str) -> String {
    let mut out = String::new();
    let mut rest = source;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let comment_end = rest[start..]
            .find("*/")
            .map_or(rest.len(), |end| start + end + 2);
        // Keep the comment's line breaks, so line-based readers see the lines they expect.
        out.extend(rest[start..comment_end].matches('\n'));
        rest = &rest[comment_end..];
    }
    out.push_str(rest);
    out.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}
