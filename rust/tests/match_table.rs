//! Table-driven matcher tests: each `MatchTest` builds one matcher, checks its invariants, and runs its
//! cases (method, path, headers, query, body) → expected winning route index.
//! Rules under test: mockd-reference §3.3–3.5 and the Go code they were read from.

use _native::matcher::Matcher;
use _native::predicates::Request;
use _native::route::{JsonPathOp, RouteSpec};

// ---- route builders -------------------------------------------------------------------------------------

fn r(method: &str, path: &str) -> RouteSpec {
    RouteSpec::new(Some(method).filter(|m| !m.is_empty()), path)
}

fn pattern(method: &str, regex: &str) -> RouteSpec {
    RouteSpec { method: Some(method.to_owned()).filter(|m| !m.is_empty()), path_pattern: Some(regex.to_owned()), ..RouteSpec::default() }
}

trait Build {
    fn header(self, name: &str, value: &str) -> Self;
    fn query(self, name: &str, value: &str) -> Self;
    fn priority(self, p: i64) -> Self;
    fn tier(self, t: i64) -> Self;
    fn strict(self) -> Self;
    fn body_equals(self, b: &str) -> Self;
    fn body_contains(self, b: &str) -> Self;
    fn body_pattern(self, b: &str) -> Self;
    fn json(self, path: &str, op: JsonPathOp, value: Option<&str>) -> Self;
    fn captures(self) -> Self;
}

impl Build for RouteSpec {
    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
    fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }
    fn priority(mut self, p: i64) -> Self {
        self.priority = p;
        self
    }
    fn tier(mut self, t: i64) -> Self {
        self.tier = t;
        self
    }
    fn strict(mut self) -> Self {
        self.strict = true;
        self
    }
    fn body_equals(mut self, b: &str) -> Self {
        self.body_equals = Some(b.into());
        self
    }
    fn body_contains(mut self, b: &str) -> Self {
        self.body_contains = Some(b.into());
        self
    }
    fn body_pattern(mut self, b: &str) -> Self {
        self.body_pattern = Some(b.into());
        self
    }
    fn json(mut self, path: &str, op: JsonPathOp, value: Option<&str>) -> Self {
        self.body_json_path.push((path.into(), op, value.map(Into::into)));
        self
    }
    fn captures(mut self) -> Self {
        self.captures = true;
        self
    }
}

// ---- harness --------------------------------------------------------------------------------------------

struct Case {
    method: &'static str,
    path: &'static str,
    headers: Vec<(&'static str, &'static str)>,
    query: &'static str,
    body: &'static str,
    expected: Option<usize>,
}

fn case(method: &'static str, path: &'static str, expected: Option<usize>) -> Case {
    Case { method, path, headers: vec![], query: "", body: "", expected }
}

impl Case {
    fn h(mut self, name: &'static str, value: &'static str) -> Self {
        self.headers.push((name, value));
        self
    }
    fn q(mut self, query: &'static str) -> Self {
        self.query = query;
        self
    }
    fn b(mut self, body: &'static str) -> Self {
        self.body = body;
        self
    }
}

struct MatchTest {
    routes: Vec<RouteSpec>,
    cases: Vec<Case>,
}

fn header_values<'a>(m: &Matcher, given: &[(&str, &'a str)]) -> Vec<Option<&'a str>> {
    m.header_names()
        .iter()
        .map(|name| given.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| *v))
        .collect()
}

impl MatchTest {
    fn run(self) {
        let m = Matcher::build(self.routes).expect("routes build");
        m.check_invariants().expect("invariants hold");
        for c in &self.cases {
            let headers = header_values(&m, &c.headers);
            let req = Request::new(c.method, c.path, c.query, &headers, c.body.as_bytes());
            let got = m.match_request(&req).map(|x| x.route);
            assert_eq!(got, c.expected, "{} {}?{} headers={:?} body={:?}", c.method, c.path, c.query, c.headers, c.body);
        }
    }
}

// ---- tables ---------------------------------------------------------------------------------------------

#[test]
fn precedence_by_score_then_priority_then_tier_then_order() {
    MatchTest {
        routes: vec![
            r("GET", "/users/{id}").priority(100), // 0: 22, even with the higher priority
            r("GET", "/users/1"),                  // 1: 25
            r("GET", "/users/{id}").header("X-Key", "k"), // 2: 32
            r("GET", "/t"),                        // 3: 25
            r("GET", "/t").priority(1),            // 4: 25, priority 1
            r("GET", "/t").priority(1).tier(1),    // 5: same, but a generated route (tier 1)
            r("GET", "/o"),                        // 6: 25
            r("GET", "/o"),                        // 7: 25, later
            r("GET", "/o").tier(1),                // 8
            r("", "/x").header("X-A", "1"),         // 9: 25 (path + one header)
            r("GET", "/x"),                         // 10: 25: tie with 9, equal priority ⇒ order
        ],
        cases: vec![
            case("GET", "/users/1", Some(1)),
            case("GET", "/users/2", Some(0)),
            case("GET", "/users/1", Some(2)).h("x-key", "k"),
            case("GET", "/users/2", Some(2)).h("X-KEY", "k"),
            case("GET", "/t", Some(4)),
            case("GET", "/o", Some(6)),
            case("GET", "/x", Some(9)).h("X-A", "1"),
            case("GET", "/x", Some(10)),
        ],
    }
    .run();
}

#[test]
fn exact_candidates_settle_alone_only_while_they_outrank_every_other_index() {
    // The best key beyond the exact map is route 2's (32). Route 1 (35) outranks it and is settled without
    // the tries; route 0 (25) does not, so when route 1 fails it is merged with route 2 and the wildcard.
    MatchTest {
        routes: vec![
            r("GET", "/a"),                  // 0: 25
            r("GET", "/a").header("X-A", "1"), // 1: 35
            r("GET", "/{p}").header("X-B", "1"), // 2: 32
            r("GET", "/*"),                  // 3: 20
        ],
        cases: vec![
            case("GET", "/a", Some(1)).h("X-A", "1"),
            case("GET", "/a", Some(1)).h("X-A", "1").h("X-B", "1"),
            case("GET", "/a", Some(2)).h("X-B", "1"),
            case("GET", "/a", Some(0)),
            case("HEAD", "/a", Some(0)),
            case("GET", "/z", Some(3)),
            case("GET", "/z", Some(2)).h("X-B", "1"),
            case("POST", "/a", None),
        ],
    }
    .run();
    // Only literal routes: every exact candidate settles alone.
    MatchTest {
        routes: vec![r("GET", "/a").header("X-A", "1"), r("GET", "/a"), r("POST", "/a")],
        cases: vec![
            case("GET", "/a", Some(0)).h("X-A", "1"),
            case("GET", "/a", Some(1)),
            case("POST", "/a", Some(2)),
            case("PUT", "/a", None),
            case("GET", "/b", None),
        ],
    }
    .run();
}

#[test]
fn tier_breaks_exact_ties_for_generated_routes() {
    MatchTest {
        routes: vec![
            r("GET", "/api/users/{id}").strict().tier(1), // 0: generated item route
            r("GET", "/api/users/{userId}"),             // 1: explicit mock, defined later
        ],
        cases: vec![case("GET", "/api/users/7", Some(1))],
    }
    .run();
}

#[test]
fn methods() {
    MatchTest {
        routes: vec![r("get", "/m"), r("", "/any"), r("POST", "/p"), r("GET", "/h")],
        cases: vec![
            case("GET", "/m", Some(0)),
            case("get", "/m", Some(0)),
            case("POST", "/m", None),
            case("DELETE", "/any", Some(1)),
            case("post", "/p", Some(2)),
            case("HEAD", "/h", Some(3)), // HEAD that matches nothing is retried as GET
            case("HEAD", "/p", None),
        ],
    }
    .run();
    MatchTest {
        routes: vec![r("GET", "/h"), r("HEAD", "/h")],
        cases: vec![case("HEAD", "/h", Some(1))],
    }
    .run();
}

#[test]
fn exact_paths_and_unescaping() {
    MatchTest {
        routes: vec![
            r("GET", "/a"),
            r("GET", "/a/"),
            r("GET", "/hello%20world"),
            r("GET", "/bad%zz"),
            r("GET", "/users/{id}"),
            r("GET", "/w/*"),
        ],
        cases: vec![
            case("GET", "/a", Some(0)),
            case("GET", "/a/", Some(1)),
            case("GET", "/hello world", Some(2)),
            case("GET", "/hello%20world", None),
            case("GET", "/bad%zz", Some(3)),
            case("GET", "/users/{id}", Some(4)), // literal request of a brace pattern: exact (15)
            case("GET", "/w/*", Some(5)),
        ],
    }
    .run();
    // Exact-first is visible in the score: the literal request beats a rival param route with a header.
    MatchTest {
        routes: vec![r("GET", "/users/{name}").priority(5), r("GET", "/users/{id}")],
        cases: vec![case("GET", "/users/{id}", Some(1)), case("GET", "/users/5", Some(0))],
    }
    .run();
}

#[test]
fn named_params() {
    MatchTest {
        routes: vec![
            r("GET", "/users/{id}"),              // 0
            r("GET", "/users/{id}/posts/{pid}"),  // 1
            r("GET", "/files/{sid}.json"),        // 2
            r("GET", "/api/v{ver}/status"),       // 3
            r("GET", "/a/{x}/b"),                 // 4
            r("GET", "/{only}"),                  // 5
        ],
        cases: vec![
            case("GET", "/users/42", Some(0)),
            case("GET", "/users/42/", Some(0)), // trailing slash tolerated
            case("GET", "//users/42", Some(0)), // leading slashes trimmed too
            case("GET", "/users/42/posts/7", Some(1)),
            case("GET", "/files/SM1.json", Some(2)),
            case("GET", "/files/.json", None),
            case("GET", "/api/v2/status", Some(3)),
            case("GET", "/api/v/status", None),
            case("GET", "/a//b", Some(4)), // empty segment fills a whole-segment param
            case("GET", "/", Some(5)),
            case("GET", "/x", Some(5)),
            case("GET", "/users", Some(5)),
        ],
    }
    .run();
}

#[test]
fn strict_generated_routes() {
    MatchTest {
        routes: vec![
            r("GET", "/api/users").strict(),      // 0: collection
            r("GET", "/api/users/{id}").strict(), // 1: item
            r("GET", "/api/orgs/{org}/members/{id}").strict(), // 2
        ],
        cases: vec![
            case("GET", "/api/users", Some(0)),
            case("GET", "/api/users/", None), // legacy regex: no trailing slash
            case("GET", "/api/users/u1", Some(1)),
            case("GET", "/api/users/u1/", None),
            case("GET", "/api/users//", None),
            case("GET", "/api/orgs/o/members/m", Some(2)),
            case("GET", "/api/orgs//members/m", None), // params are non-empty
        ],
    }
    .run();
}

#[test]
fn wildcards() {
    MatchTest {
        routes: vec![
            r("GET", "/api/*"),        // 0
            r("GET", "/api/*/items"),  // 1
            r("GET", "/static/*.css"), // 2
            r("GET", "*"),             // 3: anything (no literal prefix)
        ],
        cases: vec![
            case("GET", "/api", Some(0)),
            case("GET", "/api/", Some(0)),
            case("GET", "/api/x", Some(0)),
            case("GET", "/api/x/items", Some(0)), // tie at 20: definition order
            case("GET", "/apix", Some(3)),
            case("GET", "/static/a/b.css", Some(2)),
            case("GET", "/static/a.cssx", Some(2)), // unanchored end
            case("GET", "/elsewhere", Some(3)),
        ],
    }
    .run();
    MatchTest {
        routes: vec![r("GET", "/api/*/items")],
        cases: vec![
            case("GET", "/api/x/items", Some(0)),
            case("GET", "/api/x/items/more", Some(0)), // unanchored middle `*`
            case("GET", "/api/a/b/itemsX", Some(0)),
            case("GET", "/api/x/item", None),
            case("GET", "/api", None),
        ],
    }
    .run();
    // `{}` and `*` mixed: Go tries the param rule (`*` literal), then both wildcard rules (braces literal).
    MatchTest {
        routes: vec![r("GET", "/a/{id}/*")],
        cases: vec![
            case("GET", "/a/1/*", Some(0)),
            case("GET", "/a/{id}/x", Some(0)),
            case("GET", "/a/{id}", Some(0)),
            case("GET", "/a/1/x", None),
        ],
    }
    .run();
}

#[test]
fn additive_score_walks_every_branch() {
    MatchTest {
        routes: vec![
            r("GET", "/users/1"),                         // 0: 25
            r("GET", "/users/{id}").header("X-A", "1"),   // 1: 32
            r("GET", "/users/*").header("X-A", "1").header("X-B", "2"), // 2: 40
            pattern("GET", "^/users/[0-9]+$").query("v", "1").query("w", "2"), // 3: 34
        ],
        cases: vec![
            case("GET", "/users/1", Some(0)),
            case("GET", "/users/1", Some(1)).h("X-A", "1"),
            case("GET", "/users/1", Some(2)).h("X-A", "1").h("X-B", "2"),
            case("GET", "/users/1", Some(3)).q("v=1&w=2"),
            case("GET", "/users/1", Some(3)).h("X-A", "1").q("v=1&w=2"), // 34 > 32
        ],
    }
    .run();
}

#[test]
fn headers() {
    MatchTest {
        routes: vec![
            r("GET", "/h").header("Authorization", "Bearer *"), // 0
            r("GET", "/h").header("Accept", "*json"),           // 1
            r("GET", "/h").header("X-Any", "*"),                // 2
            r("GET", "/h").header("X-Mid", "*mid*"),            // 3
            r("GET", "/h").header("X-Never", "a*b"),            // 4
            r("GET", "/h").header("X-Exact", "v"),              // 5
        ],
        cases: vec![
            case("GET", "/h", Some(0)).h("authorization", "Bearer t"),
            case("GET", "/h", Some(1)).h("ACCEPT", "application/json"),
            case("GET", "/h", Some(2)).h("x-any", "z"),
            case("GET", "/h", None).h("x-any", ""),
            case("GET", "/h", Some(3)).h("x-mid", "amidb"),
            case("GET", "/h", None).h("x-never", "a*b"),
            case("GET", "/h", Some(5)).h("x-exact", "v"),
            case("GET", "/h", None).h("x-exact", "V"),
            case("GET", "/h", None),
        ],
    }
    .run();
}

#[test]
fn query_params() {
    MatchTest {
        routes: vec![
            r("GET", "/q").query("a", "1").query("b", "x y"), // 0: 35
            r("GET", "/q").query("page", ""),                 // 1: 30, "" matches absent
            r("GET", "/q").query("s", "a+b"),                 // 2
        ],
        cases: vec![
            case("GET", "/q", Some(0)).q("a=1&b=x+y"),
            case("GET", "/q", Some(0)).q("b=x%20y&a=1&a=2"),
            case("GET", "/q", Some(1)).q("a=2&a=1&b=x+y"), // first value only
            case("GET", "/q", Some(1)),
            case("GET", "/q", Some(1)).q("page="),
            case("GET", "/q", None).q("page=2"),
            case("GET", "/q", Some(2)).q("page=1&s=a%2Bb"),
        ],
    }
    .run();
}

#[test]
fn body_predicates() {
    MatchTest {
        routes: vec![
            r("POST", "/b").body_equals(r#"{"a":1}"#),       // 0: 50
            r("POST", "/b").body_pattern(r#""a":\s*\d+"#),   // 1: 47
            r("POST", "/b").body_contains("needle"),          // 2: 45
            r("POST", "/b").json("$.user.name", JsonPathOp::Eq, Some(r#""ann""#)).json("$.n", JsonPathOp::Eq, Some("2")), // 3: 55
            r("POST", "/b").json("user.id", JsonPathOp::Exists, None), // 4: 40 (ojg: no leading `$`)
            r("POST", "/b").json("$.gone", JsonPathOp::Absent, None), // 5: 40, defined after 4
        ],
        cases: vec![
            case("POST", "/b", Some(0)).b(r#"{"a":1}"#),
            case("POST", "/b", Some(1)).b(r#"{"a": 12}"#),
            case("POST", "/b", Some(2)).b("hay needle hay"),
            case("POST", "/b", Some(3)).b(r#"{"user":{"name":"ann","id":1},"n":2.0}"#),
            case("POST", "/b", Some(4)).b(r#"{"user":{"name":"bob","id":1}}"#),
            case("POST", "/b", Some(5)).b(r#"{"user":{}}"#),
            case("POST", "/b", None).b("not json"),
            case("POST", "/b", None).b(r#"{"gone":null}"#),
        ],
    }
    .run();
}

#[test]
fn path_patterns() {
    MatchTest {
        routes: vec![
            pattern("GET", r"^/orders/\d+$"), // 0: 24
            pattern("", "items"),             // 1: 14, unanchored
        ],
        cases: vec![
            case("GET", "/orders/12", Some(0)),
            case("GET", "/orders/١٢", None), // Go's \d is ASCII
            case("GET", "/x/items/y", Some(1)),
            case("GET", "/x", None),
        ],
    }
    .run();
}

#[test]
fn captures_follow_go() {
    let m = Matcher::build(vec![
        r("GET", "/users/{id}").captures(),
        r("GET", "/api/*/items/*").captures(),
        pattern("GET", r"^/o/(?P<oid>\d+)(?:/(?P<sub>\w+))?$").captures(),
        r("GET", "/plain"),
    ])
    .unwrap();
    m.check_invariants().unwrap();
    let get = |path: &str| {
        let req = Request::new("GET", path, "", &[], b"");
        m.match_request(&req).map(|x| (x.route, x.captures))
    };
    let pairs = |v: &[(&str, &str)]| Some(v.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect::<Vec<_>>());
    assert_eq!(get("/users/42"), Some((0, pairs(&[("id", "42")]))));
    assert_eq!(get("/users/42/"), Some((0, pairs(&[("id", "42")]))));
    assert_eq!(get("/api/u/items/7/8"), Some((1, pairs(&[("0", "u"), ("1", "7/8")]))));
    assert_eq!(get("/o/5"), Some((2, pairs(&[("oid", "5"), ("sub", "")]))));
    assert_eq!(get("/o/5/x"), Some((2, pairs(&[("oid", "5"), ("sub", "x")]))));
    assert_eq!(get("/plain"), Some((3, None)));
}

#[test]
fn build_errors_name_every_bad_route() {
    let errors = Matcher::build(vec![
        pattern("GET", "("),
        r("GET", "/ok"),
        r("POST", "/b").body_pattern("[").json("$.", JsonPathOp::Eq, Some("1")).json("$.a", JsonPathOp::Eq, Some("{bad")),
        RouteSpec { path_pattern: Some("^/x".into()), ..r("GET", "/x") },
    ])
    .unwrap_err();
    let summary: Vec<(usize, &str, &str, &str)> = errors.iter().map(|e| (e.route(), e.field(), e.fragment(), e.slug())).collect();
    assert_eq!(
        summary,
        vec![
            (0, "pathPattern", "(", "invalid_regex"),
            (2, "bodyPattern", "[", "invalid_regex"),
            (2, "bodyJsonPath", "$.", "invalid_jsonpath"),
            (2, "bodyJsonPath", "{bad", "invalid_json_value"),
            (3, "pathPattern", "/x", "path_and_pattern"),
        ]
    );
}

#[test]
fn many_routes_stay_consistent() {
    let mut routes = Vec::new();
    for i in 0..300 {
        routes.push(r("GET", &format!("/api/v1/r{i}")));
        routes.push(r("GET", &format!("/api/v1/r{i}/{{id}}")));
        routes.push(r("GET", &format!("/api/v1/w{i}/*")));
    }
    let last = routes.len() - 1;
    MatchTest {
        routes,
        cases: vec![
            case("GET", "/api/v1/r299", Some(897)),
            case("GET", "/api/v1/r5/9", Some(16)),
            case("GET", "/api/v1/w299/deep/path", Some(last)),
            case("GET", "/api/v1/nothing", None),
        ],
    }
    .run();
}

#[test]
fn a_route_without_criteria_never_matches() {
    // Go keeps only matches scoring above 0 (pkg/engine/matcher.go), so an empty matcher is unreachable.
    MatchTest {
        routes: vec![RouteSpec::default(), RouteSpec { priority: 9, ..RouteSpec::default() }, r("", "/x")],
        cases: vec![case("GET", "/anything", None), case("GET", "/x", Some(2))],
    }
    .run();
}

// ---- layout (`mockd compile --explain`) ------------------------------------------------------------------

#[test]
fn layout_lists_every_index_position_in_a_stable_order() {
    use _native::matcher::{IndexKind, ListLayout};
    let m = Matcher::build(vec![
        r("GET", "/users/{id}"),                   // 0: exact key (its literal text) and the params trie
        r("GET", "/users/1").header("X-A", "1"),   // 1: exact only
        r("GET", "/files/{name}.json"),            // 2: exact and a partial node
        r("GET", "/api/*/items"),                  // 3: exact and the wildcard node `api`
        pattern("POST", "^/p"),                    // 4: always
        r("GET", "/items/{id}").strict(),          // 5: exact and the strict trie
        r("GET", "/users/{userId}").priority(5),   // 6: shares route 0's leaf, ahead of it on priority
    ])
    .expect("valid table");
    m.check_invariants().expect("invariants");
    // Scores are the full candidate scores: GET 10 + exact 15, `{param}` 12, `*` 10, `pathPattern` 14.
    let l = |index, key: &[&str], candidates: &[(usize, u32)]| ListLayout {
        index,
        key: key.iter().map(|s| (*s).to_owned()).collect(),
        candidates: candidates.to_vec(),
    };
    assert_eq!(
        m.layout(),
        vec![
            l(IndexKind::Exact, &["/api/*/items"], &[(3, 25)]),
            l(IndexKind::Exact, &["/files/{name}.json"], &[(2, 25)]),
            l(IndexKind::Exact, &["/items/{id}"], &[(5, 25)]),
            l(IndexKind::Exact, &["/users/1"], &[(1, 35)]),
            l(IndexKind::Exact, &["/users/{id}"], &[(0, 25)]),
            l(IndexKind::Exact, &["/users/{userId}"], &[(6, 25)]),
            l(IndexKind::Params, &["files", "{}.json"], &[(2, 22)]),
            l(IndexKind::Params, &["users", "{}"], &[(6, 22), (0, 22)]),
            l(IndexKind::Strict, &["", "items", "{}"], &[(5, 22)]),
            l(IndexKind::Wildcards, &["api"], &[(3, 20)]),
            l(IndexKind::Always, &[], &[(4, 24)]),
        ]
    );
    assert_eq!(IndexKind::Wildcards.name(), "wildcards");
}
