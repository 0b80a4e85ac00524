//! The `filter` query parameter of the list routes, in the grammar the broker
//! documents, and `sortField` sorting.
//!
//! Grammar, keywords and field names case-insensitive:
//!
//! ```text
//! filter  := clause ("and" clause)*
//! clause  := Field op literal
//!          | Field ("contains" | "startsWith" | "endsWith") 'text'
//!          | Field "in" "(" literal ("," literal)* ")"
//!          | Field "between" literal "and" literal
//! op      := "=" | "<>" | "!=" | "<" | ">" | "<=" | ">="
//! literal := 'text' | number | true | false | #2019-03-13T18:31:42#
//! ```
//!
//! Each list route declares a [`Schema`]: the fields it knows and their
//! kinds. Enum fields compare by numeric code (their position in the enum's
//! list, e.g. order Status `New` 0 … `Error` 15) or by name. Text compares
//! ASCII case-insensitively. Anything else is a bad filter (the route answers
//! 400 with the message).

use std::cmp::Ordering;

use crate::market::clock::{self, Ticks};
use crate::market::timestamps;

/// The kind of a field.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    Num,
    Text,
    Date,
    Bool,
    /// Names in code order: code = index.
    Enum(&'static [&'static str]),
}

/// A field value of a record.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Num(f64),
    Text(String),
    Date(Ticks),
    Bool(bool),
    /// An enum code.
    Enum(usize),
    /// Absent (never matches).
    Null,
}

/// The fields a route can filter and sort on.
pub type Schema = &'static [(&'static str, Kind)];

/// Looks a field up case-insensitively; returns its canonical name and kind.
pub fn field(schema: Schema, name: &str) -> Option<(&'static str, Kind)> {
    schema
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .copied()
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum TextOp {
    Contains,
    StartsWith,
    EndsWith,
}

#[derive(Debug)]
enum Clause {
    Cmp(&'static str, Op, Val),
    In(&'static str, Vec<Val>),
    Text(&'static str, TextOp, String),
    Between(&'static str, Val, Val),
}

/// A parsed filter: a conjunction of clauses.
#[derive(Debug, Default)]
pub struct Filter {
    clauses: Vec<Clause>,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(String),
    Text(String),
    Num(String),
    Date(String),
    Op(&'static str),
    Open,
    Close,
    Comma,
}

impl std::fmt::Display for Tok {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Tok::Word(w) | Tok::Num(w) => write!(f, "{w}"),
            Tok::Text(s) => write!(f, "'{s}'"),
            Tok::Date(d) => write!(f, "#{d}#"),
            Tok::Op(op) => write!(f, "{op}"),
            Tok::Open => write!(f, "("),
            Tok::Close => write!(f, ")"),
            Tok::Comma => write!(f, ","),
        }
    }
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Num => "a number",
            Kind::Text => "a string",
            Kind::Date => "a date",
            Kind::Bool => "true or false",
            Kind::Enum(_) => "a code or name",
        }
    }
}

/// "the end" or the token, for messages.
fn shown(t: Option<&Tok>) -> String {
    t.map_or("the end".to_string(), |t| format!("'{t}'"))
}

fn tokens(text: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            _ if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Tok::Open);
                i += 1;
            }
            ')' => {
                out.push(Tok::Close);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            '\'' | '"' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("unterminated string literal".into()),
                        // A doubled quote stands for one.
                        Some(&q) if q == c && chars.get(i + 1) == Some(&c) => {
                            s.push(c);
                            i += 2;
                        }
                        Some(&q) if q == c => {
                            i += 1;
                            break;
                        }
                        Some(&other) => {
                            s.push(other);
                            i += 1;
                        }
                    }
                }
                out.push(Tok::Text(s));
            }
            '#' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&d| d == '#')
                    .ok_or("unterminated date literal")?;
                out.push(Tok::Date(chars[i + 1..i + 1 + end].iter().collect()));
                i += end + 2;
            }
            '<' | '>' | '=' | '!' => {
                let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                let op = match two.as_str() {
                    "<=" => "<=",
                    ">=" => ">=",
                    "<>" => "<>",
                    "!=" => "!=",
                    "==" => "=",
                    _ => match c {
                        '<' => "<",
                        '>' => ">",
                        '=' => "=",
                        _ => return Err("unexpected '!'".into()),
                    },
                };
                i += if op.len() == 2 || two == "==" { 2 } else { 1 };
                out.push(Tok::Op(op));
            }
            _ if c.is_ascii_digit()
                || ((c == '-' || c == '+' || c == '.') && i + 1 < chars.len()) =>
            {
                let start = i;
                i += 1;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || chars[i] == '.' || {
                        // an exponent sign
                        (chars[i] == '-' || chars[i] == '+') && matches!(chars[i - 1], 'e' | 'E')
                    })
                {
                    i += 1;
                }
                out.push(Tok::Num(chars[start..i].iter().collect()));
            }
            _ if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
                {
                    i += 1;
                }
                out.push(Tok::Word(chars[start..i].iter().collect()));
            }
            other => return Err(format!("unexpected character '{other}'")),
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    schema: Schema,
}

impl Parser {
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn peek_word(&self, word: &str) -> bool {
        matches!(self.toks.get(self.at), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn clause(&mut self) -> Result<Clause, String> {
        let name = match self.next() {
            Some(Tok::Word(w)) => w,
            other => {
                return Err(format!(
                    "expected a field name, found {}",
                    shown(other.as_ref())
                ));
            }
        };
        let (name, kind) = field(self.schema, &name).ok_or(format!("unknown field '{name}'"))?;
        match self.next() {
            Some(Tok::Op(op)) => {
                let op = match op {
                    "=" => Op::Eq,
                    "<>" | "!=" => Op::Ne,
                    "<" => Op::Lt,
                    ">" => Op::Gt,
                    "<=" => Op::Le,
                    _ => Op::Ge,
                };
                Ok(Clause::Cmp(name, op, self.literal(kind)?))
            }
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("in") => {
                if self.next() != Some(Tok::Open) {
                    return Err("expected '(' after in".into());
                }
                let mut values = vec![self.literal(kind)?];
                loop {
                    match self.next() {
                        Some(Tok::Comma) => values.push(self.literal(kind)?),
                        Some(Tok::Close) => break,
                        _ => return Err("expected ',' or ')' in the in-list".into()),
                    }
                }
                Ok(Clause::In(name, values))
            }
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("between") => {
                let lo = self.literal(kind)?;
                if !self.peek_word("and") {
                    return Err("expected 'and' in between".into());
                }
                self.at += 1;
                Ok(Clause::Between(name, lo, self.literal(kind)?))
            }
            Some(Tok::Word(w)) => {
                let op = match w.to_ascii_lowercase().as_str() {
                    "contains" => TextOp::Contains,
                    "startswith" => TextOp::StartsWith,
                    "endswith" => TextOp::EndsWith,
                    _ => return Err(format!("unknown operator '{w}'")),
                };
                if !matches!(kind, Kind::Text) {
                    return Err(format!("'{w}' needs a text field, {name} is not"));
                }
                match self.next() {
                    Some(Tok::Text(s)) => Ok(Clause::Text(name, op, s)),
                    _ => Err(format!("'{w}' needs a quoted string")),
                }
            }
            other => Err(format!(
                "expected an operator after {name}, found {}",
                shown(other.as_ref())
            )),
        }
    }

    /// A literal converted to the field's kind.
    fn literal(&mut self, kind: Kind) -> Result<Val, String> {
        let tok = self.next().ok_or("expected a value")?;
        let bad = |t: &Tok| Err(format!("{} is not {}", shown(Some(t)), kind.describe()));
        match (kind, &tok) {
            (Kind::Num, Tok::Num(n) | Tok::Text(n)) => n
                .trim()
                .parse()
                .map(Val::Num)
                .map_err(|_| format!("'{n}' is not a number")),
            (Kind::Text, Tok::Text(s) | Tok::Num(s)) => Ok(Val::Text(s.clone())),
            (Kind::Date, Tok::Date(d) | Tok::Text(d)) => timestamps::parse_iso(d)
                .map(|t| Val::Date(clock::from_system(t)))
                .ok_or(format!("'{d}' is not a date")),
            (Kind::Bool, Tok::Word(w)) if w.eq_ignore_ascii_case("true") => Ok(Val::Bool(true)),
            (Kind::Bool, Tok::Word(w)) if w.eq_ignore_ascii_case("false") => Ok(Val::Bool(false)),
            (Kind::Enum(names), Tok::Num(n)) => match n.parse::<usize>() {
                Ok(code) if code < names.len() => Ok(Val::Enum(code)),
                _ => Err(format!("{n} is not a valid code")),
            },
            (Kind::Enum(names), Tok::Text(s) | Tok::Word(s)) => names
                .iter()
                .position(|n| n.eq_ignore_ascii_case(s))
                .map(Val::Enum)
                .ok_or(format!("'{s}' is not a valid value")),
            _ => bad(&tok),
        }
    }
}

/// Parses `text` against `schema`. An empty filter matches everything.
pub fn parse(text: &str, schema: Schema) -> Result<Filter, String> {
    let mut p = Parser {
        toks: tokens(text)?,
        at: 0,
        schema,
    };
    let mut clauses = Vec::new();
    if p.toks.is_empty() {
        return Ok(Filter { clauses });
    }
    loop {
        clauses.push(p.clause()?);
        match p.next() {
            None => break,
            Some(Tok::Word(w)) if w.eq_ignore_ascii_case("and") => {}
            Some(other) => return Err(format!("expected 'and', found {}", shown(Some(&other)))),
        }
    }
    Ok(Filter { clauses })
}

/// Orders two values of the same field (absent values first).
pub fn compare(a: &Val, b: &Val) -> Ordering {
    match (a, b) {
        (Val::Num(x), Val::Num(y)) => x.total_cmp(y),
        (Val::Text(x), Val::Text(y)) => x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase()),
        (Val::Date(x), Val::Date(y)) => x.cmp(y),
        (Val::Bool(x), Val::Bool(y)) => x.cmp(y),
        (Val::Enum(x), Val::Enum(y)) => x.cmp(y),
        (Val::Null, Val::Null) => Ordering::Equal,
        (Val::Null, _) => Ordering::Less,
        (_, Val::Null) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

impl Filter {
    /// Takes the clauses about `name` out of the filter: the value of a single `name =
    /// value` clause, `None` when there is none; any other use of the field is an error (for
    /// parameters that ride in the filter, like an option chain's `Range`).
    pub fn take_equal(&mut self, name: &str) -> Result<Option<Val>, String> {
        let mut found = None;
        let mut kept = Vec::new();
        for clause in std::mem::take(&mut self.clauses) {
            let field = match &clause {
                Clause::Cmp(f, _, _) | Clause::In(f, _) | Clause::Text(f, _, _) => *f,
                Clause::Between(f, _, _) => *f,
            };
            if field != name {
                kept.push(clause);
                continue;
            }
            match clause {
                Clause::Cmp(_, Op::Eq, value) if found.is_none() => found = Some(value),
                _ => return Err(format!("{name} takes one '{name} = value' clause")),
            }
        }
        self.clauses = kept;
        Ok(found)
    }

    /// Whether a record passes; `get` returns a field by canonical name.
    pub fn matches(&self, get: impl Fn(&str) -> Val) -> bool {
        self.clauses.iter().all(|clause| match clause {
            Clause::Cmp(name, op, lit) => {
                let v = get(name);
                if v == Val::Null {
                    return false;
                }
                let ord = compare(&v, lit);
                match op {
                    Op::Eq => ord == Ordering::Equal,
                    Op::Ne => ord != Ordering::Equal,
                    Op::Lt => ord == Ordering::Less,
                    Op::Gt => ord == Ordering::Greater,
                    Op::Le => ord != Ordering::Greater,
                    Op::Ge => ord != Ordering::Less,
                }
            }
            Clause::In(name, lits) => {
                let v = get(name);
                v != Val::Null && lits.iter().any(|l| compare(&v, l) == Ordering::Equal)
            }
            Clause::Between(name, lo, hi) => {
                let v = get(name);
                v != Val::Null
                    && compare(&v, lo) != Ordering::Less
                    && compare(&v, hi) != Ordering::Greater
            }
            Clause::Text(name, op, needle) => {
                let Val::Text(hay) = get(name) else {
                    return false;
                };
                let (hay, needle) = (hay.to_ascii_lowercase(), needle.to_ascii_lowercase());
                match op {
                    TextOp::Contains => hay.contains(&needle),
                    TextOp::StartsWith => hay.starts_with(&needle),
                    TextOp::EndsWith => hay.ends_with(&needle),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &[&str] = &["New", "PartiallyFilled", "Filled"];
    const SCHEMA: Schema = &[
        ("Status", Kind::Enum(STATUS)),
        ("Side", Kind::Text),
        ("Quantity", Kind::Num),
        ("CreateDate", Kind::Date),
        ("Flag", Kind::Bool),
    ];

    fn rec(status: usize, side: &str, qty: f64) -> impl Fn(&str) -> Val {
        let side = side.to_string();
        move |name: &str| match name {
            "Status" => Val::Enum(status),
            "Side" => Val::Text(side.clone()),
            "Quantity" => Val::Num(qty),
            "CreateDate" => Val::Date(clock::from_system(timestamps::utc(2020, 1, 2, 0, 0, 0, 0))),
            "Flag" => Val::Bool(true),
            _ => Val::Null,
        }
    }

    fn check(filter: &str, record: &impl Fn(&str) -> Val) -> bool {
        parse(filter, SCHEMA).unwrap().matches(record)
    }

    #[test]
    fn grammar() {
        let r = rec(1, "Buy", 100.0);
        assert!(check("Status in (0,1)", &r));
        assert!(check("status IN (0, 1, 2)", &r));
        assert!(!check("Status in (2)", &r));
        assert!(check("Status = 'PartiallyFilled'", &r));
        assert!(check("Side = 'Buy' and Quantity > 10", &r));
        assert!(check(
            "Side = 'buy' AND Quantity >= 100 and Quantity <= 100",
            &r
        ));
        assert!(!check("Side = 'Buy' and Quantity < 100", &r));
        assert!(check("Side contains 'u'", &r));
        assert!(check("Side startsWith 'B' and Side endswith 'Y'", &r));
        assert!(check("Quantity between 50 and 150", &r));
        assert!(check("Quantity <> 5", &r));
        assert!(check("CreateDate > #2020-01-01T00:00:00#", &r));
        assert!(check("CreateDate < #2020-01-03#", &r));
        assert!(check("Flag = true", &r));
        assert!(check("", &r));
        assert!(check("Quantity > -1e3", &r));
    }

    #[test]
    fn errors() {
        for bad in [
            "Nope = 1",
            "Status",
            "Status = ",
            "Status in (0,1",
            "Status = 99",
            "Quantity > 'abc'",
            "Quantity contains '1'",
            "Side = 'Buy' or Quantity > 1",
            "Side = 'Buy",
            "Side ~ 1",
            "CreateDate > #2020#",
            "Flag = maybe",
        ] {
            assert!(parse(bad, SCHEMA).is_err(), "{bad}");
        }
    }
}
