//! The path indexes: a segment trie for `{param}` routes and a prefix trie for `*` routes.
//!
//! Both are walked along every branch the request path satisfies — not "static wins" as in routers that
//! stop at the first literal hit — because mockd's score is additive: `GET /users/{id}` with one header (32)
//! beats `GET /users/1` (25), so the param branch must be collected even when a literal one exists. The
//! walk only gathers candidate lists; `candidates::first_accepted` merges them.

use crate::candidates::{Buffer, CandidateList};
use crate::fxhash::FxHashMap;
use crate::key::Key;
use crate::path::{Partial, Segment};

/// Literal children by segment. Below the first levels most nodes have exactly one (`/api/r1/items/{id}`:
/// `r1` leads only to `items`), held inline: the probe compares against a key in the node it already read
/// instead of reading a separate hash table (two cold cache lines per level when requests spread over
/// thousands of routes). Past one child, a hash map: one probe per request segment.
#[derive(Debug, Default)]
enum Children<T> {
    #[default]
    Empty,
    One(Key, Box<T>),
    Many(FxHashMap<Key, T>),
}

impl<T: Default> Children<T> {
    #[inline]
    fn get(&self, segment: &str) -> Option<&T> {
        match self {
            Self::Empty => None,
            Self::One(key, child) => (key.as_str() == segment).then_some(&**child),
            Self::Many(map) => map.get(segment),
        }
    }

    /// The child at `segment`, created on demand (build time only).
    fn get_or_default(&mut self, segment: &str) -> &mut T {
        let grown = match std::mem::take(self) {
            Self::Empty => Self::One(Key::from(segment), Box::default()),
            Self::One(key, child) if key.as_str() == segment => Self::One(key, child),
            Self::One(key, child) => {
                let mut map = FxHashMap::default();
                map.insert(key, *child);
                map.insert(Key::from(segment), T::default());
                Self::Many(map)
            }
            Self::Many(mut map) => {
                map.entry(Key::from(segment)).or_default();
                Self::Many(map)
            }
        };
        *self = grown;
        match self {
            Self::One(_, child) => child,
            Self::Many(map) => map.get_mut(segment).expect("inserted just above"),
            Self::Empty => unreachable!("a child was just added"),
        }
    }

    fn iter(&self) -> Box<dyn Iterator<Item = (&str, &T)> + '_> {
        match self {
            Self::Empty => Box::new(std::iter::empty()),
            Self::One(key, child) => Box::new(std::iter::once((key.as_str(), &**child))),
            Self::Many(map) => Box::new(map.iter().map(|(k, v)| (k.as_str(), v))),
        }
    }

    fn for_each_mut(&mut self, f: &mut dyn FnMut(&mut T)) {
        match self {
            Self::Empty => {}
            Self::One(_, child) => f(child),
            Self::Many(map) => map.values_mut().for_each(f),
        }
    }
}

/// A `{param}` trie node. Children are tried in all three kinds, because each kind can lead to a winner.
#[derive(Debug, Default)]
pub struct Node {
    /// Literal segments: one inline compare or one hash probe per request segment.
    literal: Children<Node>,
    /// Whole-segment `{name}` (all names share it: the name only matters for captures).
    param: Option<Box<Node>>,
    /// Partial segments (`{sid}.json`), one per distinct regex; rare, so a short list scanned in order.
    partial: Vec<(Partial, Node)>,
    /// Routes whose pattern ends at this depth, sorted at build time.
    leaf: CandidateList,
}

/// Trie of `{param}` routes. `strict` tries hold generated resource routes: segments come from a plain
/// split (no trimming: a trailing slash adds an empty segment) and whole params must be non-empty.
#[derive(Debug, Default)]
pub struct SegmentTrie {
    root: Node,
    strict: bool,
}

impl SegmentTrie {
    #[must_use]
    pub fn new(strict: bool) -> Self {
        Self { root: Node::default(), strict }
    }

    /// The candidate list at the end of `segments`, created on demand.
    pub fn leaf_mut(&mut self, segments: &[Segment]) -> &mut CandidateList {
        let mut node = &mut self.root;
        for seg in segments {
            node = match seg {
                Segment::Literal(lit) => node.literal.get_or_default(lit),
                Segment::Param => node.param.get_or_insert_with(Box::default),
                Segment::Partial(p) => {
                    let at = node.partial.iter().position(|(q, _)| q.key() == p.key()).unwrap_or_else(|| {
                        node.partial.push((p.clone(), Node::default()));
                        node.partial.len() - 1
                    });
                    &mut node.partial[at].1
                }
            };
        }
        &mut node.leaf
    }

    /// Collects the leaf lists of every branch matching all of `segments`. Hot path — change with care.
    pub fn collect<'a>(&'a self, segments: &[&str], out: &mut Buffer<&'a CandidateList>) {
        walk(&self.root, segments, self.strict, out);
    }

    pub fn finish(&mut self) {
        visit_mut(&mut self.root, &mut CandidateList::finish);
    }

    /// Every leaf list with the labels of the segments leading to it (a literal as written, `{}` for a
    /// whole parameter, `{}.json` for a partial one): for `check_invariants` and `Matcher::layout`.
    pub fn leaves(&self, f: &mut dyn FnMut(&[&str], &CandidateList)) {
        fn go<'a>(node: &'a Node, labels: &mut Vec<&'a str>, f: &mut dyn FnMut(&[&str], &CandidateList)) {
            f(labels, &node.leaf);
            for (lit, child) in node.literal.iter() {
                labels.push(lit);
                go(child, labels, f);
                labels.pop();
            }
            if let Some(child) = &node.param {
                labels.push("{}");
                go(child, labels, f);
                labels.pop();
            }
            for (partial, child) in &node.partial {
                labels.push(&partial.label);
                go(child, labels, f);
                labels.pop();
            }
        }
        go(&self.root, &mut Vec::new(), f);
    }
}

/// Depth-first over every matching child kind (partial regexes were built with the trie's strictness).
fn walk<'a>(node: &'a Node, segments: &[&str], strict: bool, out: &mut Buffer<&'a CandidateList>) {
    let Some((first, rest)) = segments.split_first() else {
        if !node.leaf.is_empty() {
            out.push(&node.leaf);
        }
        return;
    };
    if let Some(child) = node.literal.get(first) {
        walk(child, rest, strict, out);
    }
    if let Some(child) = &node.param {
        if !strict || !first.is_empty() {
            walk(child, rest, strict, out);
        }
    }
    for (partial, child) in &node.partial {
        if partial.regex.is_match(first) {
            walk(child, rest, strict, out);
        }
    }
}

fn visit_mut(node: &mut Node, f: &mut dyn FnMut(&mut CandidateList)) {
    f(&mut node.leaf);
    node.literal.for_each_mut(&mut |n| visit_mut(n, f));
    if let Some(n) = &mut node.param {
        visit_mut(n, f);
    }
    node.partial.iter_mut().for_each(|(_, n)| visit_mut(n, f));
}

/// Trie of `*` routes keyed by the whole literal segments before the first `*` (`/api/v1/*/items` sits at
/// `api` → `v1`). Each node's list holds candidates still to be verified with Go's wildcard rules, so the
/// routes a request reaches are only those sharing its leading segments.
#[derive(Debug, Default)]
pub struct PrefixTrie {
    root: PrefixNode,
}

#[derive(Debug, Default)]
struct PrefixNode {
    children: Children<PrefixNode>,
    /// Wildcard routes whose literal prefix ends exactly here.
    here: CandidateList,
}

impl PrefixTrie {
    /// The list for the literal prefix `prefix` ("" or "/a/b").
    pub fn list_mut(&mut self, prefix: &str) -> &mut CandidateList {
        let mut node = &mut self.root;
        if let Some(rest) = prefix.strip_prefix('/') {
            for seg in rest.split('/') {
                node = node.children.get_or_default(seg);
            }
        }
        &mut node.here
    }

    /// Collects the lists of every node along `path`'s leading segments. Hot path — change with care.
    pub fn collect<'a>(&'a self, path: &str, out: &mut Buffer<&'a CandidateList>) {
        let mut node = &self.root;
        if !node.here.is_empty() {
            out.push(&node.here);
        }
        let Some(rest) = path.strip_prefix('/') else { return };
        for seg in rest.split('/') {
            let Some(child) = node.children.get(seg) else { return };
            node = child;
            if !node.here.is_empty() {
                out.push(&node.here);
            }
        }
    }

    pub fn finish(&mut self) {
        fn go(node: &mut PrefixNode) {
            node.here.finish();
            node.children.for_each_mut(&mut go);
        }
        go(&mut self.root);
    }

    /// Every list with its prefix, for `check_invariants`.
    pub fn lists(&self, f: &mut dyn FnMut(&str, &CandidateList)) {
        fn go(node: &PrefixNode, prefix: &mut String, f: &mut dyn FnMut(&str, &CandidateList)) {
            f(prefix, &node.here);
            for (seg, child) in node.children.iter() {
                let len = prefix.len();
                prefix.push('/');
                prefix.push_str(seg);
                go(child, prefix, f);
                prefix.truncate(len);
            }
        }
        go(&self.root, &mut String::new(), f);
    }
}
