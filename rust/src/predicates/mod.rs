//! The closed set of non-path predicates, with static dispatch (one `match`, no trait objects), and the
//! per-request context they read from.
//!
//! The context parses lazily: the query string only when a visited candidate tests a query parameter, the
//! body as JSON only when one tests a `JSONPath`, and each at most once per request.

pub mod body;
pub mod header;
pub mod jsonpath;
pub mod query;

use std::cell::OnceCell;

use serde_json::Value;

use self::header::HeaderPattern;
use self::query::{Query, QueryPredicate};

/// Points each predicate kind adds to a route's score (Go `scores.go`).
pub const SCORE_METHOD: u32 = 10;
pub const SCORE_HEADER: u32 = 10;
pub const SCORE_QUERY: u32 = 5;
pub const SCORE_BODY_EQUALS: u32 = 25;
pub const SCORE_BODY_PATTERN: u32 = 22;
pub const SCORE_BODY_CONTAINS: u32 = 20;
pub const SCORE_JSONPATH: u32 = 15;

/// One compiled predicate. Kept in a route in cheapest-first order (headers, query, then body), which is
/// also Go's order.
#[derive(Debug, Clone)]
pub enum Predicate {
    /// `slot` indexes the request's header values (the order of `Matcher::header_names`).
    Header { slot: u16, pattern: HeaderPattern },
    Query(QueryPredicate),
    BodyEquals(Box<[u8]>),
    /// Boxed: the substring searcher is several times the size of the other variants.
    BodyContains(Box<body::Contains>),
    BodyPattern(body::Pattern),
    /// All of one route's `JSONPath` conditions: the body is parsed once for them.
    JsonPath(Box<[jsonpath::Condition]>),
}

impl Predicate {
    /// Score contributed when this predicate passes.
    #[must_use]
    pub fn score(&self) -> u32 {
        match self {
            Self::Header { .. } => SCORE_HEADER,
            Self::Query(_) => SCORE_QUERY,
            Self::BodyEquals(_) => SCORE_BODY_EQUALS,
            Self::BodyContains(_) => SCORE_BODY_CONTAINS,
            Self::BodyPattern(_) => SCORE_BODY_PATTERN,
            Self::JsonPath(conditions) => SCORE_JSONPATH * u32::try_from(conditions.len()).unwrap_or(u32::MAX),
        }
    }

    /// Hot path — change with care.
    #[must_use]
    pub fn test(&self, req: &Request<'_>) -> bool {
        match self {
            Self::Header { slot, pattern } => pattern.test(req.header(*slot)),
            Self::Query(q) => q.test(req.query()),
            Self::BodyEquals(expected) => req.body == &**expected,
            Self::BodyContains(c) => c.test(req.body),
            Self::BodyPattern(p) => p.test(req.body),
            Self::JsonPath(conditions) => req.json().is_some_and(|doc| conditions.iter().all(|c| c.test(doc))),
        }
    }

}

/// One request, as the runtime hands it over. Borrowed from the Python objects for the call's duration.
pub struct Request<'a> {
    /// As received; compared to route methods ASCII-case-insensitively.
    pub method: &'a str,
    /// Decoded path, no query.
    pub path: &'a str,
    /// Raw query string (no `?`), parsed on first use.
    raw_query: &'a str,
    /// Values of `Matcher::header_names`, in that order; empty when the runtime sent none.
    headers: &'a [Option<&'a str>],
    /// Raw body; empty when absent (Go's nil body reads as "").
    pub body: &'a [u8],
    /// Lazily parsed query: most requests reach no query predicate.
    query: OnceCell<Query<'a>>,
    /// Lazily parsed JSON body (`None` inside when the body is not JSON, so that is decided once too).
    json: OnceCell<Option<Value>>,
}

impl<'a> Request<'a> {
    #[must_use]
    pub fn new(method: &'a str, path: &'a str, raw_query: &'a str, headers: &'a [Option<&'a str>], body: &'a [u8]) -> Self {
        Self { method, path, raw_query, headers, body, query: OnceCell::new(), json: OnceCell::new() }
    }

    /// The same request under another method (HEAD retried as GET), sharing nothing parsed yet.
    #[must_use]
    pub fn with_method(&self, method: &'a str) -> Self {
        Self::new(method, self.path, self.raw_query, self.headers, self.body)
    }

    #[must_use]
    pub fn header(&self, slot: u16) -> Option<&'a str> {
        self.headers.get(usize::from(slot)).copied().flatten()
    }

    #[must_use]
    pub fn query(&self) -> &Query<'a> {
        self.query.get_or_init(|| Query::parse(self.raw_query))
    }

    #[must_use]
    pub fn json(&self) -> Option<&Value> {
        self.json.get_or_init(|| jsonpath::parse_body(self.body)).as_ref()
    }
}
