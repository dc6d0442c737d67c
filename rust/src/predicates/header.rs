//! `matcher.headers` (reference §3.5, Go `MatchHeaderPattern`): first value, case-insensitive name (the
//! runtime looks the value up by lower-case name), missing or empty ⇒ no match, exact unless the expected
//! value uses `*` in one of Go's three placements.

/// An expected header value, classified once at build time in Go's order of checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderPattern {
    /// No `*`: byte-exact.
    Exact(Box<str>),
    /// `abc*` (one trailing `*` removed; a leading `*` is not allowed here).
    Prefix(Box<str>),
    /// `*abc` (one leading `*` removed).
    Suffix(Box<str>),
    /// `*abc*` (every leading and trailing `*` removed); `*` alone is "any non-empty value".
    Contains(Box<str>),
    /// Any other placement of `*` (`a*b`): Go never matches.
    Never,
}

impl HeaderPattern {
    #[must_use]
    pub fn new(expected: &str) -> Self {
        if !expected.contains('*') {
            return Self::Exact(expected.into());
        }
        let (lead, trail) = (expected.starts_with('*'), expected.ends_with('*'));
        match (lead, trail) {
            (false, true) => Self::Prefix(expected[..expected.len() - 1].into()),
            (true, false) => Self::Suffix(expected[1..].into()),
            (true, true) => Self::Contains(expected.trim_matches('*').into()),
            (false, false) => Self::Never,
        }
    }

    /// Hot path. `actual` is the request's first value for the header, `None` when absent.
    #[must_use]
    pub fn test(&self, actual: Option<&str>) -> bool {
        let Some(actual) = actual.filter(|v| !v.is_empty()) else { return false };
        match self {
            Self::Exact(e) => actual == &**e,
            Self::Prefix(p) => actual.starts_with(&**p),
            Self::Suffix(s) => actual.ends_with(&**s),
            Self::Contains(m) => actual.contains(&**m),
            Self::Never => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::HeaderPattern;

    #[test]
    fn go_header_pattern_table() {
        let cases: &[(&str, Option<&str>, bool)] = &[
            ("abc", Some("abc"), true),
            ("abc", Some("ABC"), false),
            ("abc", None, false),
            ("", Some(""), false), // empty actual never matches
            ("Bearer *", Some("Bearer x"), true),
            ("*json", Some("application/json"), true),
            ("*json*", Some("a json b"), true),
            ("*", Some("x"), true),
            ("*", Some(""), false),
            ("a*b", Some("a*b"), false),
            ("a*b*", Some("a*bc"), true), // one trailing `*` trimmed: prefix is the literal "a*b"
            ("**x", Some("y*x"), true),   // one leading `*` trimmed: suffix is the literal "*x"
        ];
        for (pattern, actual, want) in cases {
            assert_eq!(HeaderPattern::new(pattern).test(*actual), *want, "{pattern} vs {actual:?}");
        }
    }
}
