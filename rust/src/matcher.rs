//! The matcher core: built once from a route table, never mutated (the runtime builds a new one and swaps
//! the reference), free of Python so `cargo test` and the benches drive it directly.

use crate::candidates::{first_accepted, Buffer, Candidate, CandidateList, MethodCode, PathCheck, SortKey, EMPTY};
use crate::error::MatcherError;
use crate::fxhash::FxHashMap;
use crate::key::Key;
use crate::nearmiss::{self, NearMiss};
use crate::path::{self, SCORE_EXACT, SCORE_PARAM, SCORE_PATTERN, SCORE_WILDCARD};
use crate::predicates::Request;
use crate::route::{PathRule, Route, RouteSpec};
use crate::tree::{PrefixTrie, SegmentTrie};

/// A match: the winning route and, when it asked for them, its path captures (Go map semantics: each
/// key once, the last write wins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub route: usize,
    pub captures: Option<Vec<(String, String)>>,
}

/// The built matcher. Every candidate list in it is sorted by precedence at build time.
#[derive(Debug)]
pub struct Matcher {
    /// Compiled routes by input index; candidates refer to them by that index.
    routes: Box<[Route]>,
    /// Sorted, de-duplicated lower-case header names: the order in which `match` receives values.
    header_names: Box<[Box<str>]>,
    /// Every `path` route under its decoded pattern: exact equality is Go's first rule for all patterns.
    exact: FxHashMap<Key, CandidateList>,
    /// `{param}` routes (Go rules: trimmed, params may be empty).
    params: SegmentTrie,
    /// `{param}` routes generated from legacy `basePath` resources (no trailing slash, non-empty params).
    strict: SegmentTrie,
    /// `*` routes under the literal segments before their first `*`, verified on visit.
    wildcards: PrefixTrie,
    /// Routes any path may reach: `pathPattern` (verified on visit), no path at all, and `*` patterns whose
    /// literal prefix does not start at `/`. Small in any real table.
    always: CandidateList,
    /// Skip a trie walk when that trie is empty (the common case for `strict`).
    has_params: bool,
    has_strict: bool,
    /// The best key any index but `exact` holds (`None`: they hold nothing). An exact candidate that sorts
    /// before it outranks every candidate the other indexes could offer, so when it accepts the request the
    /// tries need not be walked: one probe for a literal path instead of three (issue 20).
    best_beyond_exact: Option<SortKey>,
}

/// Which of the matcher's indexes holds a candidate list (one per `Matcher` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IndexKind {
    Exact,
    Params,
    Strict,
    Wildcards,
    Always,
}

impl IndexKind {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Params => "params",
            Self::Strict => "strict",
            Self::Wildcards => "wildcards",
            Self::Always => "always",
        }
    }
}

/// One non-empty candidate list and where it sits: the facts behind `mockd compile --explain` (Rust
/// returns the data; Python draws the tree).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListLayout {
    pub index: IndexKind,
    /// `Exact`: the decoded path, alone. Tries: the segment labels from the root (`{}` for a parameter;
    /// for `Wildcards`, the literal segments before the first `*`). `Always`: empty.
    pub key: Vec<String>,
    /// (route index, full score when reached this way), in precedence order.
    pub candidates: Vec<(usize, u32)>,
}

fn entry(route: &Route, index: usize, path_points: u32, check: PathCheck) -> Candidate {
    Candidate {
        key: SortKey {
            score: std::cmp::Reverse(route.base_score + path_points),
            priority: std::cmp::Reverse(route.priority),
            tier: route.tier,
            route: u32::try_from(index).expect("route tables are far below 2^32 entries"),
        },
        check,
        method: route.method.as_deref().map_or(MethodCode::ANY, MethodCode::of),
        plain: route.predicates.is_empty(),
    }
}

impl Matcher {
    /// Builds the matcher.
    ///
    /// # Errors
    /// Every problem in every route (not just the first), each naming its route and field.
    ///
    /// # Panics
    /// Only past 2^32 routes or 65,536 distinct header names.
    pub fn build(specs: Vec<RouteSpec>) -> Result<Self, Vec<MatcherError>> {
        let mut names: Vec<Box<str>> =
            specs.iter().flat_map(|s| s.headers.iter().map(|(n, _)| n.to_ascii_lowercase().into_boxed_str())).collect();
        names.sort_unstable();
        names.dedup();
        let slot = |name: &str| -> u16 {
            let lower = name.to_ascii_lowercase();
            let at = names.binary_search_by(|n| (**n).cmp(lower.as_str())).expect("every header name was collected");
            u16::try_from(at).expect("fewer than 65536 distinct header names")
        };

        let mut errors = Vec::new();
        let mut routes = Vec::with_capacity(specs.len());
        for (index, spec) in specs.into_iter().enumerate() {
            if let Some(route) = Route::compile(index, spec, &slot, &mut errors) {
                routes.push(route);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        let mut m = Self {
            routes: Box::default(),
            header_names: names.into(),
            exact: FxHashMap::default(),
            params: SegmentTrie::new(false),
            strict: SegmentTrie::new(true),
            wildcards: PrefixTrie::default(),
            always: CandidateList::default(),
            has_params: false,
            has_strict: false,
            best_beyond_exact: None,
        };
        for (index, route) in routes.iter().enumerate() {
            match &route.path {
                // Go only keeps matches scoring above 0: a route with no criterion at all never matches.
                PathRule::Any if route.base_score == 0 => {}
                PathRule::Any => m.always.push(entry(route, index, 0, PathCheck::Proven)),
                PathRule::Regex { .. } => m.always.push(entry(route, index, SCORE_PATTERN, PathCheck::Regex)),
                PathRule::Pattern(p) => {
                    m.exact.entry(Key::from(&*p.decoded)).or_default().push(entry(route, index, SCORE_EXACT, PathCheck::Proven));
                    if let Some(segments) = &p.segments {
                        let trie = if p.strict { &mut m.strict } else { &mut m.params };
                        trie.leaf_mut(segments).push(entry(route, index, SCORE_PARAM, PathCheck::Proven));
                        m.has_params |= !p.strict;
                        m.has_strict |= p.strict;
                    }
                    if let Some(w) = &p.wildcard {
                        let candidate = entry(route, index, SCORE_WILDCARD, PathCheck::Wildcard);
                        match w.segment_prefix(&p.decoded) {
                            Some(prefix) => m.wildcards.list_mut(prefix).push(candidate),
                            None => m.always.push(candidate),
                        }
                    }
                }
            }
        }
        m.exact.values_mut().for_each(CandidateList::finish);
        m.params.finish();
        m.strict.finish();
        m.wildcards.finish();
        m.always.finish();
        m.best_beyond_exact = m.best_key_beyond_exact();
        m.routes = routes.into();
        Ok(m)
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.routes.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    #[must_use]
    pub fn header_names(&self) -> &[Box<str>] {
        &self.header_names
    }

    #[must_use]
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    fn best_key_beyond_exact(&self) -> Option<SortKey> {
        let mut best: Option<SortKey> = None;
        let mut see = |list: &CandidateList| {
            if let Some(c) = list.as_slice().first() {
                best = Some(best.map_or(c.key, |b| b.min(c.key)));
            }
        };
        self.params.leaves(&mut |_, list| see(list));
        self.strict.leaves(&mut |_, list| see(list));
        self.wildcards.lists(&mut |_, list| see(list));
        see(&self.always);
        best
    }

    /// The winning route for `req` under its own method (no HEAD fallback). Hot path — change with care.
    #[must_use]
    pub fn find(&self, req: &Request<'_>) -> Option<usize> {
        let method = MethodCode::of(req.method);
        let exact = self.exact.get(req.path).map_or(&[][..], CandidateList::as_slice);
        // Exact candidates that outrank everything else are settled without walking the other indexes.
        let outranking = exact.partition_point(|c| self.best_beyond_exact.is_none_or(|best| c.key < best));
        let (settled, exact) = exact.split_at(outranking);
        if let Some(c) = settled.iter().find(|c| self.accepts(c, req, method)) {
            return Some(c.route());
        }
        self.best_beyond_exact?; // None: the exact map is the only index holding anything
        let mut lists: Buffer<&CandidateList> = Buffer::new(&EMPTY);
        if self.has_params {
            let mut segments: Buffer<&str, 32> = Buffer::new("");
            path::split_trimmed(req.path).for_each(|s| segments.push(s));
            self.params.collect(segments.as_slice(), &mut lists);
        }
        if self.has_strict {
            let mut segments: Buffer<&str, 32> = Buffer::new("");
            req.path.split('/').for_each(|s| segments.push(s));
            self.strict.collect(segments.as_slice(), &mut lists);
        }
        self.wildcards.collect(req.path, &mut lists);
        if !self.always.is_empty() {
            lists.push(&self.always);
        }
        first_accepted(exact, lists.as_slice(), |c| self.accepts(c, req, method)).map(Candidate::route)
    }

    /// Everything about a candidate the index did not already prove, cheapest first. The route itself is
    /// only loaded when the candidate's own facts (method code, proven path, no predicates) do not decide.
    fn accepts(&self, c: &Candidate, req: &Request<'_>, method: MethodCode) -> bool {
        match c.method.admits(method) {
            Some(false) => return false,
            Some(true) if c.plain && c.check == PathCheck::Proven => return true,
            None if !self.routes[c.route()].method_matches(req.method) => return false,
            Some(true) | None => {}
        }
        let route = &self.routes[c.route()];
        let path_ok = match (c.check, &route.path) {
            (PathCheck::Proven, _) => true,
            (PathCheck::Wildcard, PathRule::Pattern(p)) => p.wildcard.as_ref().is_some_and(|w| w.matches(req.path)),
            (PathCheck::Regex, PathRule::Regex { regex, .. }) => regex.is_match(req.path),
            _ => false,
        };
        path_ok && route.predicates.iter().all(|p| p.test(req))
    }

    /// `find`, then HEAD retried as GET (Go handler): the winning route alone.
    #[must_use]
    pub fn winner(&self, req: &Request<'_>) -> Option<usize> {
        self.find(req).or_else(|| if req.method == "HEAD" { self.find(&req.with_method("GET")) } else { None })
    }

    /// `winner`, then the winner's captures if it wants them.
    #[must_use]
    pub fn match_request(&self, req: &Request<'_>) -> Option<Match> {
        let route = self.winner(req)?;
        Some(Match { route, captures: self.wanted_captures(route, req.path) })
    }

    /// The captures of `route` for `request_path` when the route asked for them (its responder renders
    /// them), else `None`.
    #[must_use]
    pub fn wanted_captures(&self, route: usize, request_path: &str) -> Option<Vec<(String, String)>> {
        self.routes.get(route).is_some_and(|r| r.captures).then(|| self.captures(route, request_path))
    }

    /// Go `MatchPathVariable` on the raw pattern for `path` routes; named groups for `pathPattern` routes
    /// (every named group, "" when it did not take part; a repeated name keeps the last group's value).
    #[must_use]
    pub fn captures(&self, route: usize, request_path: &str) -> Vec<(String, String)> {
        match &self.routes[route].path {
            PathRule::Pattern(p) => path::captures(&p.raw, request_path),
            PathRule::Any => Vec::new(),
            PathRule::Regex { regex, names } => {
                let mut out: Vec<(String, String)> = Vec::new();
                if let Some(caps) = regex.captures(request_path) {
                    for (i, name) in names.iter().enumerate() {
                        let Some(name) = name else { continue };
                        let value = caps.get(i + 1).map_or("", |m| m.as_str()).to_owned();
                        match out.iter_mut().find(|(k, _)| k == name) {
                            Some(slot) => slot.1 = value,
                            None => out.push((name.clone(), value)),
                        }
                    }
                }
                out
            }
        }
    }

    /// Every non-empty candidate list, sorted by index then key, so the dump is the same on every run
    /// (the tries keep their children in hash maps).
    #[must_use]
    pub fn layout(&self) -> Vec<ListLayout> {
        fn entry(index: IndexKind, key: Vec<String>, list: &CandidateList) -> ListLayout {
            let candidates = list.as_slice().iter().map(|c| (c.route(), c.score())).collect();
            ListLayout { index, key, candidates }
        }
        let mut out: Vec<ListLayout> =
            self.exact.iter().map(|(path, list)| entry(IndexKind::Exact, vec![path.to_string()], list)).collect();
        for (trie, index) in [(&self.params, IndexKind::Params), (&self.strict, IndexKind::Strict)] {
            trie.leaves(&mut |labels, list| {
                if !list.is_empty() {
                    out.push(entry(index, labels.iter().map(|l| (*l).to_owned()).collect(), list));
                }
            });
        }
        self.wildcards.lists(&mut |prefix, list| {
            if !list.is_empty() {
                let key = prefix.split('/').skip(1).map(str::to_owned).collect();
                out.push(entry(IndexKind::Wildcards, key, list));
            }
        });
        if !self.always.is_empty() {
            out.push(entry(IndexKind::Always, Vec::new(), &self.always));
        }
        out.sort_by(|a, b| (a.index, &a.key).cmp(&(b.index, &b.key)));
        out
    }

    /// Near-miss facts (cold path, after a miss): see `nearmiss`.
    #[must_use]
    pub fn explain(&self, req: &Request<'_>, limit: usize) -> Vec<NearMiss> {
        nearmiss::explain(&self.routes, req, limit)
    }

    /// Test helper: every list sorted, every candidate where its route says it belongs with the right
    /// score, every route reachable through exactly the entries its path rules call for.
    ///
    /// # Errors
    /// A description of every inconsistency found.
    pub fn check_invariants(&self) -> Result<(), String> {
        if !self.header_names.windows(2).all(|w| w[0] < w[1]) {
            return Err("header_names not sorted and unique".into());
        }
        if let Some(n) = self.header_names.iter().find(|n| n.bytes().any(|b| b.is_ascii_uppercase())) {
            return Err(format!("header name {n:?} is not lower-case"));
        }
        let mut seen = vec![0usize; self.routes.len()];
        let mut problems = Vec::new();
        let mut check_list = |place: &str, list: &CandidateList, expect: &dyn Fn(&Route, &Candidate) -> Option<u32>| {
            if !list.is_sorted() {
                problems.push(format!("{place}: candidates not in precedence order"));
            }
            for c in list.as_slice() {
                let Some(route) = self.routes.get(c.route()) else {
                    problems.push(format!("{place}: route {} out of range", c.route()));
                    continue;
                };
                seen[c.route()] += 1;
                match expect(route, c) {
                    Some(points) if route.base_score + points == c.score() => {}
                    Some(points) => problems.push(format!(
                        "{place}: route {} scored {} instead of {}",
                        c.route(),
                        c.score(),
                        route.base_score + points
                    )),
                    None => problems.push(format!("{place}: route {} does not belong here", c.route())),
                }
                if c.key.priority.0 != route.priority || c.key.tier != route.tier {
                    problems.push(format!("{place}: route {} has a stale priority or tier", c.route()));
                }
            }
        };
        for (key, list) in &self.exact {
            check_list(&format!("exact {key:?}"), list, &|r, c| match &r.path {
                PathRule::Pattern(p) if *p.decoded == **key && c.check == PathCheck::Proven => Some(SCORE_EXACT),
                _ => None,
            });
        }
        for (trie, strict) in [(&self.params, false), (&self.strict, true)] {
            trie.leaves(&mut |labels, list| {
                let depth = labels.len();
                check_list(&format!("param leaf (strict={strict}, depth {depth})"), list, &|r, c| match &r.path {
                    PathRule::Pattern(p)
                        if p.strict == strict
                            && p.segments.as_ref().is_some_and(|s| s.len() == depth)
                            && c.check == PathCheck::Proven =>
                    {
                        Some(SCORE_PARAM)
                    }
                    _ => None,
                });
            });
        }
        self.wildcards.lists(&mut |prefix, list| {
            check_list(&format!("wildcard node {prefix:?}"), list, &|r, c| match &r.path {
                PathRule::Pattern(p)
                    if c.check == PathCheck::Wildcard
                        && p.wildcard.as_ref().and_then(|w| w.segment_prefix(&p.decoded)) == Some(prefix) =>
                {
                    Some(SCORE_WILDCARD)
                }
                _ => None,
            });
        });
        check_list("always", &self.always, &|r, c| match (&r.path, c.check) {
            (PathRule::Any, PathCheck::Proven) => Some(0),
            (PathRule::Regex { .. }, PathCheck::Regex) => Some(SCORE_PATTERN),
            (PathRule::Pattern(p), PathCheck::Wildcard)
                if p.wildcard.as_ref().is_some_and(|w| w.segment_prefix(&p.decoded).is_none()) =>
            {
                Some(SCORE_WILDCARD)
            }
            _ => None,
        });
        for (index, route) in self.routes.iter().enumerate() {
            let want = match &route.path {
                PathRule::Any => usize::from(route.base_score > 0),
                PathRule::Regex { .. } => 1,
                PathRule::Pattern(p) => 1 + usize::from(p.segments.is_some()) + usize::from(p.wildcard.is_some()),
            };
            if seen[index] != want {
                problems.push(format!("route {index} has {} index entries, expected {want}", seen[index]));
            }
            for pred in &*route.predicates {
                if let crate::predicates::Predicate::Header { slot, .. } = pred {
                    if usize::from(*slot) >= self.header_names.len() {
                        problems.push(format!("route {index}: header slot {slot} out of range"));
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }
}
