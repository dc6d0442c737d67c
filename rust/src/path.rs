//! `matcher.path` as the Go tool reads it (reference §3.4, Go `internal/matching/path.go`): URL-unescaping,
//! the exact / `{param}` / `*` rules and their scores, and path-variable captures.
//!
//! These are the per-route rules; `tree.rs` indexes routes so that a request only reaches the routes these
//! rules could accept, and the rules here settle the rest.

use regex::Regex;

pub const SCORE_EXACT: u32 = 15;
pub const SCORE_PATTERN: u32 = 14;
pub const SCORE_PARAM: u32 = 12;
pub const SCORE_WILDCARD: u32 = 10;

fn unhex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decoding shared by Go's `url.PathUnescape` (`plus_is_space = false`) and `url.QueryUnescape`
/// (`true`). `None` when a `%` is not followed by two hex digits (Go returns an error).
#[must_use]
pub fn unescape(s: &[u8], plus_is_space: bool) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                let hi = unhex(*s.get(i + 1)?)?;
                let lo = unhex(*s.get(i + 2)?)?;
                out.push(hi << 4 | lo);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(out)
}

/// Go `url.PathUnescape`, keeping the raw text on a decoding error as Go's `MatchPath` does. Bytes that
/// decode to invalid UTF-8 become U+FFFD (the request path reaches us as `str`).
#[must_use]
pub fn path_unescape(pattern: &str) -> String {
    if !pattern.contains('%') {
        return pattern.to_owned();
    }
    match unescape(pattern.as_bytes(), false) {
        Some(bytes) => String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        None => pattern.to_owned(),
    }
}

/// Go `strings.Split(strings.Trim(p, "/"), "/")`: the segment list used by `{param}` matching and captures.
pub fn split_trimmed(p: &str) -> impl Iterator<Item = &str> {
    p.trim_matches('/').split('/')
}

/// One segment of a `{param}` pattern.
#[derive(Debug, Clone)]
pub enum Segment {
    /// Must equal the request segment.
    Literal(Box<str>),
    /// `{name}` filling the whole segment: any segment (non-empty on strict routes).
    Param,
    /// Literal text around one or more `{name}` (`{sid}.json`, `v{ver}`): an anchored regex.
    Partial(Partial),
}

/// A partial-segment pattern (`{sid}.json`): each `{name}` is a greedy `(.+)` between quoted literals.
#[derive(Debug, Clone)]
pub struct Partial {
    /// The anchored regex; its source doubles as the trie key, so `{a}.json` and `{b}.json` share a node.
    pub regex: Regex,
    /// The segment with every parameter name dropped (`{}.json`): how `mockd compile --explain` shows the
    /// node, since names do not take part in matching.
    pub label: Box<str>,
}

impl Partial {
    #[must_use]
    pub fn key(&self) -> &str {
        self.regex.as_str()
    }
}

/// Splits a partial segment into literals and parameter names the way Go's `matchSegmentWithParam` does
/// (each `{` pairs with the next `}`; an unpaired `{` leaves the rest literal).
fn partial_pieces(segment: &str) -> (Vec<&str>, Vec<&str>) {
    let mut literals = Vec::new();
    let mut names = Vec::new();
    let mut rest = segment;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| c + open) else { break };
        literals.push(&rest[..open]);
        names.push(&rest[open + 1..close]);
        rest = &rest[close + 1..];
    }
    literals.push(rest);
    (literals, names)
}

/// Builds the node for a partial segment; `None` when it holds no `{…}` pair (then it is a literal).
/// Non-strict params are Go's `(.+)` (no newline); strict ones the legacy `[^/]+`.
fn partial(segment: &str, strict: bool) -> Option<Partial> {
    let (literals, names) = partial_pieces(segment);
    if names.is_empty() {
        return None;
    }
    let param = if strict { "([^/]+)" } else { "(.+)" };
    let mut src = String::from("^");
    for (i, lit) in literals.iter().enumerate() {
        if i > 0 {
            src.push_str(param);
        }
        src.push_str(&regex::escape(lit));
    }
    src.push('$');
    let regex = Regex::new(&src).expect("quoted literals and groups always compile");
    Some(Partial { regex, label: literals.join("{}").into() })
}

fn is_whole_param(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// A route's `matcher.path`, analysed once at build time.
#[derive(Debug, Clone)]
pub struct PathPattern {
    /// As configured: captures are taken from it (Go `MatchPathVariable` gets the raw pattern).
    pub raw: Box<str>,
    /// URL-unescaped (raw for strict routes): what exact and `{param}` matching compare against.
    pub decoded: Box<str>,
    /// Generated legacy resource route: no trailing-slash tolerance, non-empty params, `*` is literal.
    pub strict: bool,
    /// `Some` when `decoded` has both `{` and `}`: the segments `{param}` matching walks.
    pub segments: Option<Vec<Segment>>,
    /// `Some` when `decoded` has a `*` (never on strict routes): Go's wildcard rules apply.
    pub wildcard: Option<Wildcard>,
}

/// Go's two wildcard rules, settled with string operations.
#[derive(Debug, Clone)]
pub struct Wildcard {
    /// Pattern minus a trailing `/*`: matches itself and anything below it.
    pub trailing_prefix: Option<Box<str>>,
    /// Pattern split on `*`: first chunk a prefix, the others found in order, end not anchored.
    pub chunks: Vec<Box<str>>,
}

impl Wildcard {
    fn new(decoded: &str) -> Self {
        Self {
            trailing_prefix: decoded.strip_suffix("/*").map(Into::into),
            chunks: decoded.split('*').map(Into::into).collect(),
        }
    }

    /// Go `MatchPath` steps 3 and 4 (both score 10).
    #[must_use]
    pub fn matches(&self, path: &str) -> bool {
        if let Some(prefix) = &self.trailing_prefix {
            if path == &**prefix || (path.starts_with(&**prefix) && path[prefix.len()..].starts_with('/')) {
                return true;
            }
        }
        let mut pos = 0;
        for (i, chunk) in self.chunks.iter().enumerate() {
            if chunk.is_empty() {
                continue;
            }
            if i == 0 {
                if !path.starts_with(&**chunk) {
                    return false;
                }
                pos = chunk.len();
            } else {
                match path[pos..].find(&**chunk) {
                    Some(at) => pos += at + chunk.len(),
                    None => return false,
                }
            }
        }
        true
    }

    /// The path prefix every match must start with, as whole segments (`/api/v1` for `/api/v1/*/x`),
    /// followed in the request by `/` or the end. `None` when that prefix does not start at `/`.
    #[must_use]
    pub fn segment_prefix<'a>(&self, decoded: &'a str) -> Option<&'a str> {
        let star = decoded.find('*')?;
        let before = &decoded[..star];
        let slash = before.rfind('/')?;
        let prefix = &decoded[..slash];
        (slash == 0 || prefix.starts_with('/')).then_some(prefix)
    }
}

impl PathPattern {
    #[must_use]
    pub fn new(raw: &str, strict: bool) -> Self {
        let decoded = if strict { raw.to_owned() } else { path_unescape(raw) };
        let segments = (decoded.contains('{') && decoded.contains('}')).then(|| {
            let parts: Vec<&str> = if strict { decoded.split('/').collect() } else { split_trimmed(&decoded).collect() };
            parts
                .into_iter()
                .map(|part| {
                    if is_whole_param(part) {
                        Segment::Param
                    } else if let Some(p) = part.contains('{').then(|| partial(part, strict)).flatten() {
                        Segment::Partial(p)
                    } else {
                        Segment::Literal(part.into())
                    }
                })
                .collect()
        });
        let wildcard = (!strict && decoded.contains('*')).then(|| Wildcard::new(&decoded));
        Self { raw: raw.into(), decoded: decoded.into(), strict, segments, wildcard }
    }

    /// Go `MatchPath` (strict variant for generated routes): the path score, 0 for no match. The matcher
    /// reaches the same answer through its index; this direct form serves `explain` and the tests.
    #[must_use]
    pub fn score(&self, path: &str) -> u32 {
        if *self.decoded == *path {
            return SCORE_EXACT;
        }
        if let Some(segments) = &self.segments {
            let matched = if self.strict {
                segments_match(segments, path.split('/'), true)
            } else {
                segments_match(segments, split_trimmed(path), false)
            };
            if matched {
                return SCORE_PARAM;
            }
        }
        if self.wildcard.as_ref().is_some_and(|w| w.matches(path)) {
            return SCORE_WILDCARD;
        }
        0
    }

    /// The near-miss maximum for this path (Go `maxPathScore`, on the raw pattern).
    #[must_use]
    pub fn max_score(&self) -> u32 {
        if self.raw.contains('{') {
            SCORE_PARAM
        } else if self.raw.contains('*') {
            SCORE_WILDCARD
        } else {
            SCORE_EXACT
        }
    }
}

/// Segment-by-segment `{param}` matching (Go `matchNamedParams`), used by `score`.
fn segments_match<'p>(segments: &[Segment], path: impl Iterator<Item = &'p str>, strict: bool) -> bool {
    let mut n = 0;
    for part in path {
        let Some(seg) = segments.get(n) else { return false };
        if !segment_matches(seg, part, strict) {
            return false;
        }
        n += 1;
    }
    n == segments.len()
}

/// One segment against one request segment.
#[must_use]
pub fn segment_matches(seg: &Segment, part: &str, strict: bool) -> bool {
    match seg {
        Segment::Literal(lit) => **lit == *part,
        Segment::Param => !strict || !part.is_empty(),
        Segment::Partial(p) => p.regex.is_match(part),
    }
}

/// Go `MatchPathVariable(raw pattern, path)`: `{name}` ⇒ name, partial segments ⇒ their names, whole `*`
/// segments ⇒ "0", "1", … (a trailing `*` takes the rest of the path joined by `/`). Later keys overwrite
/// earlier ones, as in the Go map.
#[must_use]
pub fn captures(raw: &str, path: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let pattern: Vec<&str> = split_trimmed(raw).collect();
    let parts: Vec<&str> = split_trimmed(path).collect();
    let mut wildcard = 0;
    for (i, pat) in pattern.iter().enumerate() {
        let Some(part) = parts.get(i) else { break };
        if is_whole_param(pat) {
            put(&mut out, &pat[1..pat.len() - 1], part);
        } else if pat.contains('{') && pat.contains('}') {
            partial_captures(pat, part, &mut out);
        } else if *pat == "*" {
            let value = if i == pattern.len() - 1 { parts[i..].join("/") } else { (*part).to_owned() };
            put(&mut out, &wildcard.to_string(), &value);
            wildcard += 1;
        }
    }
    out
}

fn put(out: &mut Vec<(String, String)>, key: &str, value: &str) {
    if let Some(slot) = out.iter_mut().find(|(k, _)| k == key) {
        value.clone_into(&mut slot.1);
    } else {
        out.push((key.to_owned(), value.to_owned()));
    }
}

/// Go `extractSegmentParams`: its regex names each group after the param, so a name Go's regexp rejects
/// (anything but `[A-Za-z0-9_]+`) makes the whole segment capture nothing.
fn partial_captures(pattern_segment: &str, request_segment: &str, out: &mut Vec<(String, String)>) {
    let (_, names) = partial_pieces(pattern_segment);
    if names.iter().any(|n| n.is_empty() || !n.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric())) {
        return;
    }
    let Some(node) = partial(pattern_segment, false) else { return };
    let Some(caps) = node.regex.captures(request_segment) else { return };
    for (i, name) in names.iter().enumerate() {
        put(out, name, caps.get(i + 1).map_or("", |m| m.as_str()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(pattern: &str, path: &str) -> u32 {
        PathPattern::new(pattern, false).score(path)
    }

    #[test]
    fn go_match_path_table() {
        let cases: &[(&str, &str, u32)] = &[
            ("/users", "/users", 15),
            ("/users", "/users/", 0),
            ("/users/{id}", "/users/1", 12),
            ("/users/{id}", "/users/{id}", 15), // exact equality first, even for brace patterns
            ("/users/{id}", "/users/1/", 12),   // trailing slash tolerated (Trim)
            ("/users/{id}", "/users/", 0),      // trimmed to one segment: counts differ
            ("/a/{id}/b", "/a//b", 12),         // whole-segment param matches an empty segment
            ("/a/{x}-{y}", "/a/1-2", 12),       // starts with `{` and ends with `}`: a whole-segment param
            ("/users/{id}", "/users", 0),
            ("/{id}", "/", 12),
            ("/files/{sid}.json", "/files/SM1.json", 12),
            ("/files/{sid}.json", "/files/.json", 0),
            ("/api/v{ver}/x", "/api/v2/x", 12),
            ("/a/x{p}-{q}", "/a/x1-2-3", 12),
            ("/a/x{p}-{q}", "/a/x1", 0),
            ("/api/*", "/api", 10),
            ("/api/*", "/api/", 10),
            ("/api/*", "/api/x/y", 10),
            ("/api/*", "/apix", 0),
            ("/api/*", "/api/*", 15),
            ("/api/*/items", "/api/x/items", 10),
            ("/api/*/items", "/api/x/items/more", 10), // end not anchored
            ("/api/*/items", "/api/a/b/itemsX", 10),
            ("/api/*/items", "/api/x/item", 0),
            ("*", "/anything", 10),
            ("/a/{id}/*", "/a/1/*", 12), // `*` is a literal segment for the param rule
            ("/a/{id}/*", "/a/{id}/x", 10),
            ("/a/{id}/*", "/a/1/x", 0),
            ("/hello%20world", "/hello world", 15),
            ("/bad%zz", "/bad%zz", 15), // decode error: raw pattern kept
            ("/a%2Fb/{id}", "/a/b/1", 12),
        ];
        for (pattern, path, want) in cases {
            assert_eq!(score(pattern, path), *want, "{pattern} vs {path}");
        }
    }

    #[test]
    fn strict_routes() {
        let p = PathPattern::new("/api/users/{id}", true);
        assert_eq!(p.score("/api/users/1"), 12);
        assert_eq!(p.score("/api/users/1/"), 0);
        assert_eq!(p.score("/api/users/"), 0);
        assert_eq!(p.score("/api/users/{id}"), 15);
        let p = PathPattern::new("/api/{org}/x*", true);
        assert_eq!(p.score("/api/o/xyz"), 0); // `*` is literal on strict routes
        assert_eq!(p.score("/api/o/x*"), 12);
    }

    #[test]
    fn captures_follow_match_path_variable() {
        let c = |p: &str, path: &str| captures(p, path);
        assert_eq!(c("/users/{id}", "/users/42"), vec![("id".into(), "42".into())]);
        assert_eq!(c("/f/{sid}.json", "/f/SM1.json"), vec![("sid".into(), "SM1".into())]);
        assert_eq!(c("/f/x{a}-{b}", "/f/x1-2-3"), vec![("a".into(), "1-2".into()), ("b".into(), "3".into())]);
        assert_eq!(c("/f/{a}-{b}", "/f/1-2"), vec![("a}-{b".into(), "1-2".into())]); // whole-segment, odd name
        assert_eq!(c("/f/{a-b}.x", "/f/1.x"), vec![]); // invalid Go group name: nothing captured
        assert_eq!(c("/api/*/items/*", "/api/u/items/7/8"), vec![("0".into(), "u".into()), ("1".into(), "7/8".into())]);
        assert_eq!(c("/api/*", "/api"), vec![]);
        assert_eq!(c("/x/{id}/{id}", "/x/1/2"), vec![("id".into(), "2".into())]);
    }
}
