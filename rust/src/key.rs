//! `Key`: the string key of the index maps, stored inline when short.
//!
//! A hash probe compares the request's segment with the stored key. With `Box<str>` keys that compare reads
//! a separate heap block, and when requests spread over thousands of routes (a load test's random mix) that
//! block is a cache miss on every probe. Path segments and most route paths fit in 31 bytes, so the bytes sit
//! in the map's own bucket, next to the value the probe goes on to read. `Key` hashes and compares exactly
//! as the `str` it holds, so maps keyed by it are probed with a plain `&str`.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};

const INLINE: usize = 31;

#[derive(Clone)]
pub enum Key {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Key {
    #[inline]
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            // Only ever filled from a `&str` (`From`), whole: the bytes are UTF-8.
            Self::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default(),
            Self::Heap(s) => s,
        }
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Self {
        match u8::try_from(s.len()) {
            Ok(len) if s.len() <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..s.len()].copy_from_slice(s.as_bytes());
                Self::Inline { len, bytes }
            }
            _ => Self::Heap(s.into()),
        }
    }
}

impl std::ops::Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Key {}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fxhash::FxHashMap;

    #[test]
    fn short_keys_are_inline_long_ones_on_the_heap_and_both_probe_as_str() {
        let long = "/api/".to_owned() + &"x".repeat(40);
        let mut map: FxHashMap<Key, u32> = FxHashMap::default();
        map.insert(Key::from("users"), 1);
        map.insert(Key::from(""), 2);
        map.insert(Key::from(long.as_str()), 3);
        map.insert(Key::from("é/ü"), 4);
        assert!(matches!(Key::from("users"), Key::Inline { len: 5, .. }));
        assert!(matches!(Key::from("x".repeat(31).as_str()), Key::Inline { len: 31, .. }));
        assert!(matches!(Key::from("x".repeat(32).as_str()), Key::Heap(_)));
        assert_eq!(map.get("users"), Some(&1));
        assert_eq!(map.get(""), Some(&2));
        assert_eq!(map.get(long.as_str()), Some(&3));
        assert_eq!(map.get("é/ü"), Some(&4));
        assert_eq!(map.get("user"), None);
        assert_eq!(&*Key::from(long.as_str()), long);
    }
}
