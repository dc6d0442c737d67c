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

/// A `{param}` trie node. Children are tried in all three kinds, because each kind can lead to a winner.
#[derive(Debug, Default)]
pub struct Node {
    /// Literal segments: one hash probe per request segment.
    literal: FxHashMap<Key, Node>,
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
                Segment::Literal(lit) => node.literal.entry(Key::from(&**lit)).or_default(),
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
            for (lit, child) in &node.literal {
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
    if let Some(child) = node.literal.get(*first) {
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
    node.literal.values_mut().for_each(|n| visit_mut(n, f));
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
    children: FxHashMap<Key, PrefixNode>,
    /// Wildcard routes whose literal prefix ends exactly here.
    here: CandidateList,
}

impl PrefixTrie {
    /// The list for the literal prefix `prefix` ("" or "/a/b").
    pub fn list_mut(&mut self, prefix: &str) -> &mut CandidateList {
        let mut node = &mut self.root;
        if let Some(rest) = prefix.strip_prefix('/') {
            for seg in rest.split('/') {
                node = node.children.entry(Key::from(seg)).or_default();
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
            node.children.values_mut().for_each(go);
        }
        go(&mut self.root);
    }

    /// Every list with its prefix, for `check_invariants`.
    pub fn lists(&self, f: &mut dyn FnMut(&str, &CandidateList)) {
        fn go(node: &PrefixNode, prefix: &mut String, f: &mut dyn FnMut(&str, &CandidateList)) {
            f(prefix, &node.here);
            for (seg, child) in &node.children {
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
