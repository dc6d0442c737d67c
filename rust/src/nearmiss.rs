//! Near-miss facts (reference §3.6, Go `MatchBreakdown`/`CollectNearMisses`): cold path, run only after a
//! miss. Every route is scored field by field without short-circuiting; Python writes the `reason` prose
//! from these facts.

use crate::path::SCORE_PATTERN;
use crate::predicates::{Predicate, Request, SCORE_BODY_CONTAINS, SCORE_BODY_EQUALS, SCORE_BODY_PATTERN, SCORE_HEADER,
    SCORE_JSONPATH, SCORE_METHOD, SCORE_QUERY};
use crate::route::{JsonPathOp, PathRule, Route};

/// One header or query parameter in a breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub key: String,
    pub expected: String,
    /// The request's first value, or `(missing)` when absent or empty (as Go reports it).
    pub actual: String,
    pub matched: bool,
}

/// One matcher field in a breakdown. `expected`/`actual`/`details` are present exactly when Go sets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFact {
    pub field: &'static str,
    pub matched: bool,
    pub score: u32,
    pub max_score: u32,
    pub expected: Option<String>,
    pub actual: Option<String>,
    pub details: Option<Vec<Detail>>,
}

/// One route's breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearMiss {
    pub route: usize,
    pub score: u32,
    pub max_possible_score: u32,
    pub match_percentage: u32,
    pub fields: Vec<FieldFact>,
}

const MISSING: &str = "(missing)";

/// Go `truncate(s, 200)`: at most 200 bytes, then `...`.
fn truncate(s: &[u8]) -> String {
    if s.len() <= 200 {
        String::from_utf8_lossy(s).into_owned()
    } else {
        format!("{}...", String::from_utf8_lossy(&s[..200]))
    }
}

fn fact(field: &'static str, matched: bool, score: u32, max_score: u32) -> FieldFact {
    FieldFact { field, matched, score, max_score, expected: None, actual: None, details: None }
}

/// Go `MatchBreakdown` for one route.
#[must_use]
pub fn breakdown(index: usize, route: &Route, req: &Request<'_>) -> NearMiss {
    let spec = &route.spec;
    let mut fields = Vec::new();
    if let Some(method) = &route.method {
        let matched = route.method_matches(req.method);
        fields.push(FieldFact {
            expected: Some(spec.method.clone().unwrap_or_else(|| method.to_string())),
            actual: Some(req.method.to_owned()),
            ..fact("method", matched, if matched { SCORE_METHOD } else { 0 }, SCORE_METHOD)
        });
    }
    match &route.path {
        PathRule::Any => {}
        PathRule::Pattern(p) => {
            let score = p.score(req.path);
            fields.push(FieldFact {
                expected: Some(p.raw.to_string()),
                actual: Some(req.path.to_owned()),
                ..fact("path", score > 0, score, p.max_score())
            });
        }
        PathRule::Regex { regex, .. } => {
            let matched = regex.is_match(req.path);
            fields.push(FieldFact {
                expected: Some(regex_source(route)),
                actual: Some(req.path.to_owned()),
                ..fact("pathPattern", matched, if matched { SCORE_PATTERN } else { 0 }, SCORE_PATTERN)
            });
        }
    }

    let mut headers = Vec::new();
    let mut query = Vec::new();
    for (pred, (name, expected)) in route.predicates.iter().filter(|p| matches!(p, Predicate::Header { .. })).zip(&spec.headers) {
        let Predicate::Header { slot, .. } = pred else { continue };
        let actual = req.header(*slot).filter(|v| !v.is_empty()).unwrap_or(MISSING);
        headers.push(Detail { key: name.clone(), expected: expected.clone(), actual: actual.to_owned(), matched: pred.test(req) });
    }
    for (pred, (name, expected)) in route.predicates.iter().filter(|p| matches!(p, Predicate::Query(_))).zip(&spec.query) {
        let value = req.query().first(name.as_bytes());
        let actual = if value.is_empty() { MISSING.to_owned() } else { String::from_utf8_lossy(value).into_owned() };
        query.push(Detail { key: name.clone(), expected: expected.clone(), actual, matched: pred.test(req) });
    }
    for (field, details, points) in [("headers", headers, SCORE_HEADER), ("queryParams", query, SCORE_QUERY)] {
        if details.is_empty() {
            continue;
        }
        let hits = count(details.iter().filter(|d| d.matched).count());
        let total = count(details.len());
        fields.push(FieldFact { details: Some(details), ..fact(field, hits == total, hits * points, total * points) });
    }

    for pred in &*route.predicates {
        let matched = pred.test(req);
        let score = if matched { pred.score() } else { 0 };
        match pred {
            Predicate::BodyEquals(expected) => fields.push(FieldFact {
                expected: Some(truncate(expected)),
                actual: Some(truncate(req.body)),
                ..fact("bodyEquals", matched, score, SCORE_BODY_EQUALS)
            }),
            Predicate::BodyContains(_) => fields.push(FieldFact {
                // Go reports `contains %q` here; the quoting is left to the runtime (Go's strconv.Quote).
                expected: spec.body_contains.clone(),
                actual: Some(
                    if matched { "(body contains substring)" } else { "(body does not contain substring)" }.to_owned(),
                ),
                ..fact("bodyContains", matched, score, SCORE_BODY_CONTAINS)
            }),
            Predicate::BodyPattern(_) => fields.push(FieldFact {
                expected: spec.body_pattern.clone(),
                actual: Some(if matched { "(body matches pattern)" } else { "(body does not match pattern)" }.to_owned()),
                ..fact("bodyPattern", matched, score, SCORE_BODY_PATTERN)
            }),
            Predicate::JsonPath(conditions) => fields.push(FieldFact {
                expected: Some(jsonpath_expected(route)),
                ..fact("bodyJSONPath", matched, score, SCORE_JSONPATH * count(conditions.len()))
            }),
            Predicate::Header { .. } | Predicate::Query(_) => {}
        }
    }

    let score = fields.iter().map(|f| f.score).sum::<u32>();
    let max = fields.iter().map(|f| f.max_score).sum::<u32>();
    NearMiss {
        route: index,
        score,
        max_possible_score: max,
        match_percentage: (score * 100).checked_div(max).unwrap_or(0),
        fields,
    }
}

/// Field counts are bounded by the route's size; saturate rather than wrap if that ever stops holding.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn regex_source(route: &Route) -> String {
    route.spec.path_pattern.clone().unwrap_or_default()
}

/// The `bodyJsonPath` map as compact JSON text (`{"$.a":1,"$.b":{"exists":true}}`, keys sorted as Go
/// marshals a map): Go puts the map itself in `expected`.
fn jsonpath_expected(route: &Route) -> String {
    let mut out = serde_json::Map::new();
    for (path, op, value) in &route.spec.body_json_path {
        let v = match op {
            JsonPathOp::Eq => value.as_deref().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(serde_json::Value::Null),
            JsonPathOp::Exists => serde_json::json!({"exists": true}),
            JsonPathOp::Absent => serde_json::json!({"exists": false}),
        };
        out.insert(path.clone(), v);
    }
    serde_json::Value::Object(out).to_string()
}

/// Go `CollectNearMisses`: breakdowns with score > 0, by score then percentage (then definition order,
/// where Go's unstable sort leaves ties unspecified), the first `limit`.
///
/// Two passes (issue 12): every route is scored with `score`, which allocates nothing, keeping the best
/// `limit` in a small sorted buffer; only those few get a full `breakdown`. Building all 10,000 breakdowns
/// of a large table (strings for every expected and actual value) and sorting them took ~18 ms per 404.
#[must_use]
pub fn explain(routes: &[Route], req: &Request<'_>, limit: usize) -> Vec<NearMiss> {
    if limit == 0 {
        return Vec::new();
    }
    // (score, percentage, route), best first; a newcomer goes after its equals, so ties keep route order.
    let mut best: Vec<(u32, u32, usize)> = Vec::with_capacity(limit + 1);
    for (i, route) in routes.iter().enumerate() {
        let (score, max) = score(route, req);
        if score == 0 {
            continue;
        }
        let key = (score, (score * 100).checked_div(max).unwrap_or(0));
        if best.len() == limit && best.last().is_some_and(|&(s, p, _)| key <= (s, p)) {
            continue;
        }
        let at = best.partition_point(|&(s, p, _)| (s, p) >= key);
        best.insert(at, (key.0, key.1, i));
        best.truncate(limit);
    }
    best.into_iter().map(|(_, _, i)| breakdown(i, &routes[i], req)).collect()
}

/// The `(score, maxPossibleScore)` that `breakdown` reports for `route`, computed the same way field by
/// field but without building any fact. `explain`'s first pass; a test keeps the two in step.
#[must_use]
pub fn score(route: &Route, req: &Request<'_>) -> (u32, u32) {
    let mut score = 0;
    let mut max = 0;
    let mut add = |passed: bool, points: u32, cap: u32| {
        max += cap;
        if passed {
            score += points;
        }
    };
    if route.method.is_some() {
        add(route.method_matches(req.method), SCORE_METHOD, SCORE_METHOD);
    }
    match &route.path {
        PathRule::Any => {}
        PathRule::Pattern(p) => {
            let points = p.score(req.path);
            add(points > 0, points, p.max_score());
        }
        PathRule::Regex { regex, .. } => add(regex.is_match(req.path), SCORE_PATTERN, SCORE_PATTERN),
    }
    let headers = route.predicates.iter().filter(|p| matches!(p, Predicate::Header { .. }));
    for pred in headers.take(route.spec.headers.len()) {
        add(pred.test(req), SCORE_HEADER, SCORE_HEADER);
    }
    let query = route.predicates.iter().filter(|p| matches!(p, Predicate::Query(_)));
    for pred in query.take(route.spec.query.len()) {
        add(pred.test(req), SCORE_QUERY, SCORE_QUERY);
    }
    for pred in &*route.predicates {
        let cap = match pred {
            Predicate::BodyEquals(_) => SCORE_BODY_EQUALS,
            Predicate::BodyContains(_) => SCORE_BODY_CONTAINS,
            Predicate::BodyPattern(_) => SCORE_BODY_PATTERN,
            Predicate::JsonPath(conditions) => SCORE_JSONPATH * count(conditions.len()),
            Predicate::Header { .. } | Predicate::Query(_) => continue,
        };
        add(pred.test(req), pred.score(), cap);
    }
    (score, max)
}
