//! One route: the plain input (`RouteSpec`, the Rust twin of `mockd.compiler.plan.RouteSpec`) and its
//! compiled form (`Route`).

use crate::error::MatcherError;
use crate::path::PathPattern;
use crate::predicates::header::HeaderPattern;
use crate::predicates::jsonpath::{self, Condition, Op};
use crate::predicates::query::QueryPredicate;
use crate::predicates::{body, Predicate, SCORE_METHOD};
use crate::regex_go;

/// The `JSONPath` operator of one `bodyJsonPath` condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonPathOp {
    Eq,
    Exists,
    Absent,
}

/// One route as the compiler emits it. Empty strings mean "not set", as in Go (`matcher.Path != ""`).
#[derive(Debug, Clone, Default)]
pub struct RouteSpec {
    pub method: Option<String>,
    pub path: Option<String>,
    pub path_pattern: Option<String>,
    pub strict: bool,
    pub headers: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub body_equals: Option<String>,
    pub body_contains: Option<String>,
    pub body_pattern: Option<String>,
    /// (path, op, expected value as JSON text for `Eq`)
    pub body_json_path: Vec<(String, JsonPathOp, Option<String>)>,
    pub priority: i64,
    pub tier: i64,
    pub captures: bool,
}

impl RouteSpec {
    /// A route on `method` and `path` with nothing else set (tests and benches build on it).
    #[must_use]
    pub fn new(method: Option<&str>, path: &str) -> Self {
        Self { method: method.map(str::to_owned), path: Some(path.to_owned()), ..Self::default() }
    }
}

/// How a route constrains the path.
#[derive(Debug, Clone)]
pub enum PathRule {
    /// No `path` and no `pathPattern`: any path, no points.
    Any,
    Pattern(PathPattern),
    /// `pathPattern`: RE2 search, named groups kept (Go name of each group, in order).
    Regex { regex: regex::Regex, names: Vec<Option<String>> },
}

/// A compiled route. Hot fields first; `spec` is kept for `explain` (cold).
#[derive(Debug, Clone)]
pub struct Route {
    /// Upper-cased at build time so the request side only folds ASCII case once per comparison.
    pub method: Option<Box<str>>,
    pub path: PathRule,
    /// Everything but method and path, cheapest first; all must pass.
    pub predicates: Box<[Predicate]>,
    /// Method + predicate points; the path's points depend on which rule matched and are added per entry.
    pub base_score: u32,
    pub priority: i64,
    pub tier: i64,
    pub captures: bool,
    pub spec: RouteSpec,
}

fn non_empty(s: Option<&String>) -> Option<&str> {
    s.map(String::as_str).filter(|s| !s.is_empty())
}

impl Route {
    /// Compiles one route; pushes every problem found into `errors` (all of them, not just the first).
    pub fn compile(
        index: usize,
        spec: RouteSpec,
        header_slot: &dyn Fn(&str) -> u16,
        errors: &mut Vec<MatcherError>,
    ) -> Option<Self> {
        let before = errors.len();
        let path = match (non_empty(spec.path.as_ref()), non_empty(spec.path_pattern.as_ref())) {
            (Some(p), Some(_)) => {
                errors.push(MatcherError::PathAndPattern { route: index, path: p.to_owned() });
                PathRule::Any
            }
            (Some(p), None) => PathRule::Pattern(PathPattern::new(p, spec.strict)),
            (None, Some(pattern)) => match regex_go::compile_str(pattern) {
                Ok((regex, names)) => PathRule::Regex { regex, names },
                Err(reason) => {
                    errors.push(MatcherError::InvalidRegex {
                        route: index,
                        field: "pathPattern",
                        pattern: pattern.to_owned(),
                        reason,
                    });
                    PathRule::Any
                }
            },
            (None, None) => PathRule::Any,
        };

        let mut predicates = Vec::new();
        for (name, expected) in &spec.headers {
            predicates.push(Predicate::Header { slot: header_slot(name), pattern: HeaderPattern::new(expected) });
        }
        for (name, expected) in &spec.query {
            predicates.push(Predicate::Query(QueryPredicate {
                name: name.as_bytes().into(),
                expected: expected.as_bytes().into(),
            }));
        }
        if let Some(e) = non_empty(spec.body_equals.as_ref()) {
            predicates.push(Predicate::BodyEquals(e.as_bytes().into()));
        }
        if let Some(c) = non_empty(spec.body_contains.as_ref()) {
            predicates.push(Predicate::BodyContains(Box::new(body::Contains::new(c))));
        }
        if let Some(p) = non_empty(spec.body_pattern.as_ref()) {
            match regex_go::compile_bytes(p) {
                Ok(regex) => predicates.push(Predicate::BodyPattern(body::Pattern { regex })),
                Err(reason) => errors.push(MatcherError::InvalidRegex {
                    route: index,
                    field: "bodyPattern",
                    pattern: p.to_owned(),
                    reason,
                }),
            }
        }
        let mut conditions = Vec::new();
        for (expr, op, value) in &spec.body_json_path {
            let path = match jsonpath::compile(expr) {
                Ok(path) => Some(path),
                Err(reason) => {
                    errors.push(MatcherError::InvalidJsonPath { route: index, path: expr.clone(), reason });
                    None
                }
            };
            let op = match (op, value) {
                (JsonPathOp::Exists, _) => Some(Op::Exists),
                (JsonPathOp::Absent, _) => Some(Op::Absent),
                (JsonPathOp::Eq, Some(text)) => match serde_json::from_str(text) {
                    Ok(v) => Some(Op::Eq(v)),
                    Err(e) => {
                        errors.push(MatcherError::InvalidJsonValue { route: index, value: text.clone(), reason: e.to_string() });
                        None
                    }
                },
                (JsonPathOp::Eq, None) => {
                    errors.push(MatcherError::InvalidJsonValue {
                        route: index,
                        value: String::new(),
                        reason: format!("op \"eq\" needs an expected value for {expr}"),
                    });
                    None
                }
            };
            if let (Some(path), Some(op)) = (path, op) {
                conditions.push(Condition { path, op });
            }
        }
        if !conditions.is_empty() {
            predicates.push(Predicate::JsonPath(conditions.into()));
        }
        if errors.len() > before {
            return None;
        }

        let method = non_empty(spec.method.as_ref()).map(|m| m.to_ascii_uppercase().into_boxed_str());
        let base_score =
            if method.is_some() { SCORE_METHOD } else { 0 } + predicates.iter().map(Predicate::score).sum::<u32>();
        Some(Self {
            method,
            path,
            predicates: predicates.into(),
            base_score,
            priority: spec.priority,
            tier: spec.tier,
            captures: spec.captures,
            spec,
        })
    }

    /// Method check (Go `strings.EqualFold`; methods are ASCII tokens).
    #[must_use]
    pub fn method_matches(&self, method: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
    }

}
