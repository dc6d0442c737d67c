//! `nearmiss::explain` scores every route in an allocation-free first pass and builds full breakdowns only
//! for the best few (issue 12). These tests hold it to the naive reading of Go `CollectNearMisses`: a
//! breakdown of every route, score > 0 kept, stable-sorted by score then percentage, the first `limit`.

use _native::matcher::Matcher;
use _native::nearmiss::{breakdown, explain, score, NearMiss};
use _native::predicates::Request;
use _native::route::{JsonPathOp, RouteSpec};

fn naive(m: &Matcher, req: &Request<'_>, limit: usize) -> Vec<NearMiss> {
    let mut out: Vec<NearMiss> =
        m.routes().iter().enumerate().map(|(i, r)| breakdown(i, r, req)).filter(|n| n.score > 0).collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then(b.match_percentage.cmp(&a.match_percentage)));
    out.truncate(limit);
    out
}

fn route(method: &str, path: &str) -> RouteSpec {
    RouteSpec::new(Some(method).filter(|m| !m.is_empty()), path)
}

fn table() -> Vec<RouteSpec> {
    let mut routes = vec![
        route("GET", "/api/users/{id}"),
        route("GET", "/api/users"),
        route("POST", "/api/users"),
        route("", "/api/*"),
        route("GET", "/api/users/{id}/posts/*"),
        RouteSpec { method: Some("GET".into()), path_pattern: Some("^/api/u[a-z]+/\\d+$".into()), ..RouteSpec::default() },
        RouteSpec { headers: vec![("X-Tenant".into(), "acme".into()), ("Accept".into(), "*json*".into())], ..route("GET", "/api/users/{id}") },
        RouteSpec { query: vec![("page".into(), "2".into()), ("sort".into(), "name".into())], ..route("GET", "/api/users") },
        RouteSpec { body_equals: Some("{\"a\":1}".into()), ..route("POST", "/api/users") },
        RouteSpec { body_contains: Some("needle".into()), ..route("POST", "/api/orders") },
        RouteSpec { body_pattern: Some("^\\{.*\\}$".into()), ..route("PUT", "/api/orders/{id}") },
        RouteSpec {
            body_json_path: vec![("$.a".into(), JsonPathOp::Eq, Some("1".into())), ("$.b".into(), JsonPathOp::Exists, None)],
            ..route("POST", "/api/orders")
        },
        route("DELETE", "/other"),
    ];
    // many equal-scoring routes, so ties and the `limit` cut are exercised
    for i in 0..40 {
        routes.push(route(if i % 2 == 0 { "GET" } else { "POST" }, &format!("/api/r{i}/items/{{id}}")));
    }
    routes
}

#[test]
fn two_pass_explain_equals_the_naive_reading() {
    let m = Matcher::build(table()).expect("routes build");
    let methods = ["GET", "POST", "PUT", "DELETE", "get"];
    let paths = ["/api/users", "/api/users/7", "/api/users/7/posts/a/b", "/api/orders", "/api/orders/9", "/nope", "/",
        "/api/r3/items/1", "/api/users/"];
    let headers: [&[(&str, &str)]; 3] = [&[], &[("x-tenant", "acme")], &[("x-tenant", "acme"), ("accept", "application/json")]];
    let queries = ["", "page=2", "page=2&sort=name"];
    let bodies = ["", "{\"a\":1}", "{\"a\":1,\"b\":null} needle", "needle", "{\"a\":2}"];
    let mut checked = 0;
    for method in methods {
        for path in paths {
            for given in headers {
                for query in queries {
                    for body in bodies {
                        let values: Vec<Option<&str>> = m
                            .header_names()
                            .iter()
                            .map(|n| given.iter().find(|(g, _)| g.eq_ignore_ascii_case(n)).map(|(_, v)| *v))
                            .collect();
                        let req = Request::new(method, path, query, &values, body.as_bytes());
                        for (i, r) in m.routes().iter().enumerate() {
                            let full = breakdown(i, r, &req);
                            assert_eq!(score(r, &req), (full.score, full.max_possible_score), "route {i}: {method} {path}");
                        }
                        for limit in [0, 1, 3, 7, 100] {
                            assert_eq!(explain(m.routes(), &req, limit), naive(&m, &req, limit), "{method} {path} limit {limit}");
                        }
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 5 * 9 * 3 * 3 * 5);
}
