//! Static hits counted for `/metrics` where the match happens (issue 20).
//!
//! A static mock's response is known when the route table is built, so its status is too, and the only
//! per-request facts the `mockd_requests_total` series needs are the request's method and path. Counting
//! them here, inside the one call the hot path already makes, spares Python a tuple, a dict probe and two
//! integer objects per request: in a 10,000-route random mix those were about 1.5 µs of cold memory. The
//! Python side (`mockd.runtime.metrics`) takes the counts when `/metrics` is scraped or a worker ships.
//!
//! Keys are the series' own labels (the path normalised as the Go tool does), so the table never holds
//! more keys than the series it feeds. Requests choose the keys, so the map keeps std's seeded hasher.

use std::collections::HashMap;
use std::fmt::Write as _;

/// The Go tool's label for one path segment: a UUID ⇒ `{uuid}`; 24 hex digits or 3+ ASCII digits ⇒ `{id}`.
fn segment_label(seg: &[u8]) -> Option<&'static str> {
    let hex = |b: &[u8]| b.iter().all(u8::is_ascii_hexdigit);
    match seg.len() {
        36 if [8, 13, 18, 23].iter().all(|&i| seg[i] == b'-')
            && hex(&seg[..8])
            && hex(&seg[9..13])
            && hex(&seg[14..18])
            && hex(&seg[19..23])
            && hex(&seg[24..]) =>
        {
            Some("{uuid}")
        }
        24 if hex(seg) => Some("{id}"),
        n if n >= 3 && seg.iter().all(u8::is_ascii_digit) => Some("{id}"),
        _ => None,
    }
}

/// Appends `path`'s metrics label to `out` (`/users/12345` ⇒ `/users/{id}`).
pub fn push_metric_path(out: &mut String, path: &str) {
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(segment_label(seg.as_bytes()).unwrap_or(seg));
    }
}

/// `path`'s metrics label as a new string.
#[must_use]
pub fn metric_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    push_metric_path(&mut out, path);
    out
}

/// One `take` row: (method, normalised path, status, requests since the last take).
pub type HitRow = (String, String, u16, u64);

/// Counts per (method, normalised path, status). A key is the three joined as `method NUL status NUL path`
/// (a method is an HTTP token and never holds a NUL), built in a reused buffer: no allocation per request
/// once a key has been seen.
#[derive(Default)]
pub struct HitTable {
    counts: HashMap<Box<str>, u64>,
    scratch: String,
}

impl HitTable {
    /// Count one request. Hot path — change with care.
    pub fn bump(&mut self, method: &str, path: &str, status: u16) {
        let key = &mut self.scratch;
        key.clear();
        key.push_str(method);
        key.push('\0');
        let _ = write!(key, "{status}"); // writing to a String cannot fail
        key.push('\0');
        push_metric_path(key, path);
        if let Some(n) = self.counts.get_mut(key.as_str()) {
            *n += 1;
        } else {
            self.counts.insert(key.as_str().into(), 1);
        }
    }

    /// Every key counted since the last take, with its count; the counts restart from zero. Keys stay (their
    /// series exist for good), so a path seen again costs no allocation.
    pub fn take(&mut self) -> Vec<HitRow> {
        let mut rows = Vec::new();
        for (key, n) in &mut self.counts {
            if *n == 0 {
                continue;
            }
            let mut parts = key.splitn(3, '\0');
            let (Some(method), Some(status), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
                continue; // unreachable: bump writes all three
            };
            rows.push((method.to_owned(), path.to_owned(), status.parse().unwrap_or_default(), *n));
            *n = 0;
        }
        rows
    }

    /// Keys held (each a series that has had at least one counted request).
    #[must_use]
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_follow_the_go_tool() {
        for (path, label) in [
            ("/users/123", "/users/{id}"),
            ("/users/12", "/users/12"),
            ("/users/abc123", "/users/abc123"),
            ("/o/5F2B8C1E9A0D4E6F7A8B9C0D/x", "/o/{id}/x"),
            ("/o/0b5e3c2a-1d4f-4e6a-9b8c-7d6e5f4a3b2c", "/o/{uuid}"),
            ("/o/0b5e3c2a-1d4f-4e6a-9b8c-7d6e5f4a3b2g", "/o/0b5e3c2a-1d4f-4e6a-9b8c-7d6e5f4a3b2g"),
            ("/o/012345678901234567890123456789012345", "/o/{id}"), // 36 digits: not a UUID, still digits
            ("/n/\u{661}\u{662}\u{663}", "/n/\u{661}\u{662}\u{663}"),
            ("/", "/"),
            ("", ""),
            ("/a//007/", "/a//{id}/"),
        ] {
            assert_eq!(metric_path(path), label, "{path}");
        }
    }

    #[test]
    fn counts_by_label_and_restart_after_a_take() {
        let mut t = HitTable::default();
        t.bump("GET", "/a/1001", 200);
        t.bump("GET", "/a/1002", 200);
        t.bump("get", "/a/1002", 200);
        t.bump("GET", "/a/1002", 404);
        let mut rows = t.take();
        rows.sort();
        assert_eq!(
            rows,
            vec![
                ("GET".to_owned(), "/a/{id}".to_owned(), 200, 2),
                ("GET".to_owned(), "/a/{id}".to_owned(), 404, 1),
                ("get".to_owned(), "/a/{id}".to_owned(), 200, 1),
            ]
        );
        assert!(t.take().is_empty());
        t.bump("GET", "/a/9999", 200);
        assert_eq!(t.take(), vec![("GET".to_owned(), "/a/{id}".to_owned(), 200, 1)]);
        assert_eq!(t.len(), 3);
    }

    #[test]
    fn a_path_with_nul_bytes_keeps_its_key_apart() {
        let mut t = HitTable::default();
        t.bump("GET", "/x\u{0}200\u{0}/y", 7);
        assert_eq!(t.take(), vec![("GET".to_owned(), "/x\u{0}200\u{0}/y".to_owned(), 7, 1)]);
    }

    #[test]
    fn every_status_comes_back_as_counted() {
        let mut t = HitTable::default();
        for s in [1u16, 7, 200, 599, 65535] {
            t.bump("GET", "/s", s);
        }
        let mut rows = t.take();
        rows.sort();
        let statuses: Vec<u16> = rows.iter().map(|r| r.2).collect();
        assert_eq!(statuses, vec![1, 7, 200, 599, 65535]);
    }
}
