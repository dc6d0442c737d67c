//! Candidate lists: the routes an index position can lead to, each sorted once at build time, and the
//! best-first merge across the lists that apply to a request.
//!
//! A route's mockd score is fixed once we know which path rule accepted the path (exact 15, `{param}` 12,
//! `*` 10, `pathPattern` 14) — every other predicate either passes and adds its points, or fails and the
//! route scores 0. So a candidate is (route, path rule) with a static score, and a list sorted by
//! (-score, -priority, tier, index) is in precedence order: the first candidate whose remaining checks pass
//! is the winner, with no need to score the rest.

use std::cmp::Reverse;

/// Precedence key; smaller sorts first. Derived `Ord` compares fields in declaration order, which is
/// exactly mockd's tie-break chain (score, then priority, then tier, then definition order; D3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    pub score: Reverse<u32>,
    pub priority: Reverse<i64>,
    pub tier: i64,
    pub route: u32,
}

/// What is still to verify about the path when a candidate is visited. The index only proves a
/// necessary condition for some entries; the rest is settled here, lazily, in precedence order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathCheck {
    /// The index proved the path (exact key, or a trie walk that checked every segment).
    Proven,
    /// Reached through the literal segments before the first `*`: run Go's wildcard rules.
    Wildcard,
    /// `pathPattern`: run the regex.
    Regex,
}

/// A route's method as a one-byte code, so the candidate can carry it: a visit decides the method (and, for a
/// route with nothing else to check, the whole match) without loading the route. In a random mix over
/// 10,000 routes the route is a cold cache line, and its method string another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodCode(u8);

impl MethodCode {
    /// The route takes any method.
    pub const ANY: Self = Self(0);
    /// Not one of the standard methods: compare the strings.
    pub const OTHER: Self = Self(u8::MAX);
    const KNOWN: [&'static str; 9] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE"];

    /// The code of a method name, ASCII case folded as Go's `strings.EqualFold`.
    #[must_use]
    pub fn of(method: &str) -> Self {
        (1..).zip(Self::KNOWN).find(|(_, k)| k.eq_ignore_ascii_case(method)).map_or(Self::OTHER, |(code, _)| Self(code))
    }

    /// `Some(verdict)` when the codes decide it, `None` when only the strings can (an unusual method).
    #[inline]
    #[must_use]
    pub fn admits(self, request: Self) -> Option<bool> {
        if self == Self::ANY {
            Some(true)
        } else if self == Self::OTHER || request == Self::OTHER {
            None
        } else {
            Some(self == request)
        }
    }
}

/// One (route, path rule) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Full score for this route when reached this way (route base score + path points).
    pub key: SortKey,
    pub check: PathCheck,
    /// The route's method (fits in `SortKey`'s padding: a candidate stays 32 bytes).
    pub method: MethodCode,
    /// The route has no predicate beyond method and path: with a proven path, a method match is a match.
    pub plain: bool,
}

impl Candidate {
    #[must_use]
    pub fn route(&self) -> usize {
        self.key.route as usize
    }

    #[must_use]
    pub fn score(&self) -> u32 {
        self.key.score.0
    }
}

/// A list sorted by `SortKey` at build time. Never mutated after `finish`.
///
/// Most lists hold one candidate (one route per path), kept inline after `finish`: the index entry that
/// leads to the list then holds the candidate itself, one cache line fewer per request when requests spread
/// over many routes.
#[derive(Debug, Clone)]
pub struct CandidateList {
    items: Items,
}

#[derive(Debug, Clone)]
enum Items {
    One(Candidate),
    Many(Vec<Candidate>),
}

impl Default for CandidateList {
    fn default() -> Self {
        Self { items: Items::Many(Vec::new()) }
    }
}

impl CandidateList {
    pub fn push(&mut self, c: Candidate) {
        match &mut self.items {
            Items::Many(v) => v.push(c),
            Items::One(first) => self.items = Items::Many(vec![*first, c]),
        }
    }

    /// Sorts once, so that the first candidate to pass at match time is the winner of its list.
    pub fn finish(&mut self) {
        if let Items::Many(v) = &mut self.items {
            v.sort_unstable_by_key(|c| c.key);
            if let [only] = v.as_slice() {
                self.items = Items::One(*only);
            } else {
                v.shrink_to_fit();
            }
        }
    }

    #[inline]
    #[must_use]
    pub fn as_slice(&self) -> &[Candidate] {
        match &self.items {
            Items::One(c) => std::slice::from_ref(c),
            Items::Many(v) => v,
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        matches!(&self.items, Items::Many(v) if v.is_empty())
    }

    #[must_use]
    pub fn is_sorted(&self) -> bool {
        self.as_slice().windows(2).all(|w| w[0].key < w[1].key)
    }
}

/// A push-only buffer that lives on the stack up to `N` items and spills to the heap past that, so the
/// per-request lists of segments and candidate lists cost no allocation in the common case.
pub struct Buffer<T: Copy, const N: usize = 16> {
    inline: [T; N],
    len: usize,
    spill: Vec<T>,
}

impl<T: Copy, const N: usize> Buffer<T, N> {
    /// `fill` only initialises the unused slots; it is never read back.
    pub fn new(fill: T) -> Self {
        Self { inline: [fill; N], len: 0, spill: Vec::new() }
    }

    #[inline]
    pub fn push(&mut self, item: T) {
        if self.spill.is_empty() && self.len < N {
            self.inline[self.len] = item;
            self.len += 1;
        } else {
            if self.spill.is_empty() {
                self.spill.extend_from_slice(&self.inline[..self.len]);
            }
            self.spill.push(item);
        }
    }

    #[inline]
    #[must_use]
    pub fn as_slice(&self) -> &[T] {
        if self.spill.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spill
        }
    }
}

/// Shared empty list, used to initialise buffers of list references.
pub static EMPTY: CandidateList = CandidateList { items: Items::Many(Vec::new()) };

/// Visits the candidates of `first` and all `lists` in global precedence order and returns the first one
/// `accept` takes. Hot path — change with care.
///
/// A k-way merge by linear scan of the list heads: k is the number of index positions the path reached
/// (the rest of the exact map's list, a few trie leaves and wildcard nodes, the side list), almost always
/// under 8, where a scan beats a heap.
pub fn first_accepted<'a>(
    first: &'a [Candidate],
    lists: &[&'a CandidateList],
    mut accept: impl FnMut(&Candidate) -> bool,
) -> Option<&'a Candidate> {
    match (first, lists) {
        (_, []) => first.iter().find(|c| accept(c)),
        ([], [only]) => only.as_slice().iter().find(|c| accept(c)),
        _ => {
            let mut heads: Buffer<&'a [Candidate]> = Buffer::new(&[]);
            heads.push(first);
            for l in lists {
                heads.push(l.as_slice());
            }
            let heads = if heads.spill.is_empty() { &mut heads.inline[..heads.len] } else { &mut heads.spill[..] };
            loop {
                let (best, _) = heads.iter().enumerate().filter_map(|(i, l)| l.first().map(|c| (i, c.key))).min_by_key(|&(_, k)| k)?;
                let list = heads[best];
                let candidate = &list[0];
                heads[best] = &list[1..];
                if accept(candidate) {
                    return Some(candidate);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_candidate_stays_32_bytes() {
        // The method code and the plain flag live in SortKey's padding; a bigger candidate would cost every
        // list and every inline index entry.
        assert_eq!(std::mem::size_of::<Candidate>(), 32);
    }

    #[test]
    fn method_codes_decide_standard_methods_and_defer_the_rest() {
        let get = MethodCode::of("GET");
        assert_eq!(MethodCode::of("get"), get);
        assert_eq!(get.admits(MethodCode::of("gEt")), Some(true));
        assert_eq!(get.admits(MethodCode::of("POST")), Some(false));
        assert_eq!(MethodCode::ANY.admits(MethodCode::of("PURGE")), Some(true));
        assert_eq!(MethodCode::of("PURGE"), MethodCode::OTHER);
        assert_eq!(MethodCode::OTHER.admits(get), None);
        assert_eq!(get.admits(MethodCode::OTHER), None);
    }
}
