//! Zero-based paging, as the broker documents it: required query parameters, sorting,
//! filtering and `PagingResult` {Result, NextPageLink, PreviousPageLink,
//! TotalCount} with absolute links or `""`.
//!
//! Two dialects: orders, positions, equities and options use `pageNumber`,
//! `pageSize`, `sortField`, `desc`; transactions and price alerts use
//! `pageNumber`, `pageSize`, `sortBy`, `isDesc` (transactions answer a missing
//! one with a different 404 body).

use crate::http::filter::{self, Schema, Val};
use crate::http::reply::{self, Reply};
use crate::http::router::Call;
use crate::json::{Json, Obj};

/// Parameter names of a list route and what a missing one answers.
pub struct Dialect {
    /// Names that must be present (else 404).
    pub required: &'static [&'static str],
    pub sort: &'static str,
    pub desc: &'static str,
    pub max_size: usize,
    /// The 404 for a missing required parameter.
    pub missing: fn(&Call) -> Reply,
}

/// orders: `pageNumber`, `pageSize` required (max 100).
pub const ORDERS: Dialect = Dialect {
    required: &["pageNumber", "pageSize"],
    sort: "sortField",
    desc: "desc",
    max_size: 100,
    missing: missing_route,
};

/// positions: all four required, page size at most 99 (the broker's documented limit).
pub const POSITIONS: Dialect = Dialect {
    required: &["pageNumber", "pageSize", "sortField", "desc"],
    sort: "sortField",
    desc: "desc",
    max_size: 99,
    missing: missing_route,
};

/// equities and options: all four required, page size at most 100.
pub const SECURITIES: Dialect = Dialect {
    required: &["pageNumber", "pageSize", "sortField", "desc"],
    sort: "sortField",
    desc: "desc",
    max_size: 100,
    missing: missing_route,
};

/// price alerts: all four required, the transactions' names, the ordinary 404.
pub const ALERTS: Dialect = Dialect {
    required: &["pageSize", "pageNumber", "sortBy", "isDesc"],
    sort: "sortBy",
    desc: "isDesc",
    max_size: 100,
    missing: missing_route,
};

/// transactions: all four required, other names, other 404.
pub const TRANSACTIONS: Dialect = Dialect {
    required: &["pageSize", "pageNumber", "sortBy", "isDesc"],
    sort: "sortBy",
    desc: "isDesc",
    max_size: 100,
    missing: missing_version,
};

fn missing_route(call: &Call) -> Reply {
    reply::not_found(&call.full_url)
}

fn missing_version(_: &Call) -> Reply {
    reply::unsupported_version("GET")
}

/// One page request, parsed.
pub struct Page {
    pub number: usize,
    pub size: usize,
    sort: Option<&'static str>,
    desc: bool,
    filter: filter::Filter,
}

/// Reads and checks the paging, sorting and filter parameters: a missing
/// required one is the dialect's 404, a malformed one 400.
pub fn parse(call: &Call, dialect: &Dialect, schema: Schema) -> Result<Page, Reply> {
    for name in dialect.required {
        if call.query(name).is_none() {
            return Err((dialect.missing)(call));
        }
    }
    let number = match call.query("pageNumber") {
        Some(v) => v
            .trim()
            .parse::<usize>()
            .map_err(|_| invalid(&format!("pageNumber '{v}' is not a page number")))?,
        None => 0,
    };
    let size = match call.query("pageSize") {
        Some(v) => v
            .trim()
            .parse::<usize>()
            .map_err(|_| invalid(&format!("pageSize '{v}' is not a page size")))?,
        None => dialect.max_size,
    };
    if size == 0 || size > dialect.max_size {
        return Err(invalid(&format!(
            "pageSize must be between 1 and {}.",
            dialect.max_size
        )));
    }
    let desc = match call.query(dialect.desc) {
        None => false,
        Some(v) if v.eq_ignore_ascii_case("true") => true,
        Some(v) if v.eq_ignore_ascii_case("false") => false,
        Some(v) => return Err(invalid(&format!("{} '{v}' is not a boolean", dialect.desc))),
    };
    let sort = match call.query(dialect.sort) {
        None => None,
        Some(v) => Some(
            filter::field(schema, v.trim())
                .ok_or_else(|| invalid(&format!("cannot sort by '{v}'")))?
                .0,
        ),
    };
    let filter = match call.query("filter") {
        None => filter::Filter::default(),
        Some(text) => {
            filter::parse(&text, schema).map_err(|e| invalid(&format!("Invalid filter: {e}")))?
        }
    };
    Ok(Page {
        number,
        size,
        sort,
        desc,
        filter,
    })
}

/// 400 with a Message body.
pub fn invalid(message: &str) -> Reply {
    Reply::json(400, Obj::new().with("Message", message))
}

impl Page {
    /// Filters, sorts (stably, by the sort field or else keeping the
    /// given order) and pages `items`; `get` reads a field of an item and
    /// `model` renders one. Returns the `PagingResult` body.
    pub fn result<T>(
        &self,
        call: &Call,
        items: Vec<T>,
        get: impl Fn(&T, &str) -> Val,
        model: impl Fn(&T) -> Json,
    ) -> Obj {
        let mut items: Vec<T> = items
            .into_iter()
            .filter(|item| self.filter.matches(|name| get(item, name)))
            .collect();
        if let Some(field) = self.sort {
            items.sort_by(|a, b| filter::compare(&get(a, field), &get(b, field)));
        }
        if self.desc {
            items.reverse();
        }
        let total = items.len();
        let start = self.number.saturating_mul(self.size).min(total);
        let end = start.saturating_add(self.size).min(total);
        let result: Vec<Json> = items[start..end].iter().map(model).collect();
        let next = if end < total {
            link(call, self.number + 1)
        } else {
            String::new()
        };
        let previous = if self.number > 0 {
            link(call, self.number - 1)
        } else {
            String::new()
        };
        Obj::new()
            .with("Result", result)
            .with("NextPageLink", next)
            .with("PreviousPageLink", previous)
            .with("TotalCount", total as i64)
    }
}

/// The request's absolute URL with `pageNumber` set to `number`, the other
/// parameters kept as sent.
fn link(call: &Call, number: usize) -> String {
    let (path, query) = call
        .full_url
        .split_once('?')
        .unwrap_or((call.full_url.as_str(), ""));
    let mut replaced = false;
    let mut parts: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let name = p.split('=').next().unwrap_or("");
            if !replaced && name.eq_ignore_ascii_case("pageNumber") {
                replaced = true;
                format!("{name}={number}")
            } else {
                p.to_string()
            }
        })
        .collect();
    if !replaced {
        parts.insert(0, format!("pageNumber={number}"));
    }
    format!("{path}?{}", parts.join("&"))
}
