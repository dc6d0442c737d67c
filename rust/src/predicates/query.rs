//! `matcher.queryParams` (reference §3.5, Go `MatchQueryParam` over `r.URL.Query()`): the raw query string
//! parsed like Go `url.ParseQuery`, first value, byte-exact; an absent parameter reads as "".

use std::borrow::Cow;

use crate::path::unescape;

/// A parsed query string: `(name, value)` pairs in request order, decoded.
#[derive(Debug, Default)]
pub struct Query<'a> {
    pairs: Vec<Pair<'a>>,
}

/// A decoded `(name, value)`, borrowed from the raw query when it needed no decoding.
type Pair<'a> = (Cow<'a, [u8]>, Cow<'a, [u8]>);

fn decode(raw: &[u8]) -> Option<Cow<'_, [u8]>> {
    if raw.iter().any(|&b| b == b'%' || b == b'+') {
        unescape(raw, true).map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(raw))
    }
}

impl<'a> Query<'a> {
    /// Go `url.ParseQuery`, keeping what it keeps: pairs split on `&`; a pair containing `;` or with a bad
    /// escape in its name or value is dropped; empty pairs are skipped; `+` is a space.
    #[must_use]
    pub fn parse(raw: &'a str) -> Self {
        let mut pairs = Vec::new();
        for pair in raw.as_bytes().split(|&b| b == b'&') {
            if pair.is_empty() || pair.contains(&b';') {
                continue;
            }
            let (name, value) = match pair.iter().position(|&b| b == b'=') {
                Some(eq) => (&pair[..eq], &pair[eq + 1..]),
                None => (pair, &pair[pair.len()..]),
            };
            if let (Some(n), Some(v)) = (decode(name), decode(value)) {
                pairs.push((n, v));
            }
        }
        Self { pairs }
    }

    /// Go `Values.Get`: the first value, "" when absent.
    #[must_use]
    pub fn first(&self, name: &[u8]) -> &[u8] {
        self.pairs.iter().find(|(n, _)| &**n == name).map_or(&[], |(_, v)| &**v)
    }

    /// Number of pairs kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// One expected query parameter.
#[derive(Debug, Clone)]
pub struct QueryPredicate {
    pub name: Box<[u8]>,
    pub expected: Box<[u8]>,
}

impl QueryPredicate {
    #[must_use]
    pub fn test(&self, query: &Query<'_>) -> bool {
        query.first(&self.name) == &*self.expected
    }
}

#[cfg(test)]
mod tests {
    use super::Query;

    #[test]
    fn parse_like_go() {
        let q = Query::parse("a=1&a=2&b=x+y&c=%41%zz&d&e=&f;g=1&%zz=1&h=%2B");
        assert_eq!(q.first(b"a"), b"1");
        assert_eq!(q.first(b"b"), b"x y");
        assert_eq!(q.first(b"c"), b""); // bad escape: pair dropped
        assert_eq!(q.first(b"d"), b"");
        assert_eq!(q.first(b"e"), b"");
        assert_eq!(q.first(b"f;g"), b""); // semicolons: pair dropped
        assert_eq!(q.first(b"h"), b"+");
        assert_eq!(q.len(), 6);
    }
}
