//! Body predicates (reference §3.5, Go `matcher.go`/`body.go`): `bodyEquals` byte-exact, `bodyContains`
//! substring, `bodyPattern` RE2 search on the raw bytes. An absent body is the empty body.

use memchr::memmem;

/// `bodyContains`: the searcher is built once (memchr's two-way/SIMD substring search).
#[derive(Debug, Clone)]
pub struct Contains {
    pub finder: memmem::Finder<'static>,
}

impl Contains {
    #[must_use]
    pub fn new(needle: &str) -> Self {
        Self { finder: memmem::Finder::new(needle.as_bytes()).into_owned() }
    }

    #[must_use]
    pub fn test(&self, body: &[u8]) -> bool {
        self.finder.find(body).is_some()
    }
}

/// `bodyPattern`: compiled from Go syntax (see `regex_go`), matched anywhere in the body.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub regex: regex::bytes::Regex,
}

impl Pattern {
    #[must_use]
    pub fn test(&self, body: &[u8]) -> bool {
        self.regex.is_match(body)
    }
}
