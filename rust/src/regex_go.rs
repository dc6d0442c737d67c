//! RE2 as Go's `regexp` reads it, compiled with the `regex` crate.
//!
//! Both engines take RE2 syntax, but they disagree on a few points that users' patterns hit. This module
//! rewrites a Go pattern into an equivalent `regex` pattern before compiling it:
//! - `\d \w \s \b` (and negations) are ASCII-only in Go, Unicode-aware in `regex`: they are spelled out.
//! - Go accepts digit-first and repeated group names (`(?P<1>…)`, `(?P<a>x)|(?P<a>y)`); `regex` does not.
//!   Groups are compiled unnamed and the names kept on the side, in group order.
//! - `\Q…\E` literal spans and octal escapes (`\012`) exist only in Go.
//! - `\<` and `\>` are word-boundary assertions in `regex` but literal `<`/`>` in Go; `[` inside a class is a
//!   nested class and `&&`/`~~` are set operators in `regex`, plain characters in Go.
//!
//! - Go refuses repeat counts over 1000 (`a{1001}`: `invalid repeat count`); `regex` accepts them. A `{`
//!   that starts no repeat (`{,5}`, `{x}`) is a literal in Go, an error in `regex`.
//!
//! Anything else is passed through; what Go rejects and `regex` accepts anyway (`(?x)`) is the remaining
//! known gap.

use std::fmt::Write as _;

/// A translated pattern: `regex`-crate syntax, plus the Go name of each capturing group (1-based group
/// `i` is `names[i - 1]`, `None` for an unnamed group).
#[derive(Debug, Clone)]
pub struct Translated {
    pub pattern: String,
    pub names: Vec<Option<String>>,
}

const DIGIT: &str = "0-9";
const WORD: &str = "0-9A-Za-z_";
const SPACE: &str = r"\t\n\x0C\r\x20";

/// Go's `isValidCaptureName`: `[A-Za-z0-9_]+`.
fn valid_capture_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric())
}

fn push_literal(out: &mut String, c: char) {
    let _ = write!(out, r"\x{{{:X}}}", c as u32);
}

/// Reads Go's octal escape after a backslash (`c` is the first digit). Returns the code point and how
/// many extra bytes were consumed, or `None` for a backreference (`\1` alone), which Go rejects.
fn octal(c: u8, rest: &[u8]) -> Option<(u32, usize)> {
    let is_oct = |b: Option<&u8>| matches!(b, Some(b'0'..=b'7'));
    if c != b'0' && !is_oct(rest.first()) {
        return None;
    }
    let mut value = u32::from(c - b'0');
    let mut used = 0;
    while used < 2 && is_oct(rest.get(used)) {
        value = value * 8 + u32::from(rest[used] - b'0');
        used += 1;
    }
    Some((value, used))
}

/// Rewrites a Go regex into `regex`-crate syntax.
///
/// # Errors
/// Go's own rejections that `regex` would not report the same way (invalid group names, backreferences).
pub fn translate(go: &str) -> Result<Translated, String> {
    let bytes = go.as_bytes();
    let mut out = String::with_capacity(go.len() + 16);
    let mut names = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\\' => i = escape(go, i, false, &mut out)?,
            b'[' => i = class(go, i, &mut out)?,
            b'(' => {
                let rest = &go[i..];
                if let Some(after) = rest.strip_prefix("(?P<").or_else(|| rest.strip_prefix("(?<")) {
                    let end = after.find('>').ok_or_else(|| format!("invalid named capture: `{rest}`"))?;
                    let name = &after[..end];
                    if !valid_capture_name(name) {
                        return Err(format!("invalid named capture: `{}`", &rest[..=rest.len() - after.len() + end]));
                    }
                    names.push(Some(name.to_owned()));
                    out.push('(');
                    i += rest.len() - after.len() + end + 1;
                } else {
                    if !rest.starts_with("(?") {
                        names.push(None);
                    }
                    out.push('(');
                    i += 1;
                }
            }
            b'{' => {
                if repeat(&go[i..])? {
                    out.push('{');
                } else {
                    push_literal(&mut out, '{');
                }
                i += 1;
            }
            _ => {
                let ch = go[i..].chars().next().unwrap_or('\u{FFFD}');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    Ok(Translated { pattern: out, names })
}

/// Go's counted repetition (`regexp/syntax` `parseRepeat`): `{n}`, `{n,}` or `{n,m}` with decimal numbers
/// without leading zeros. Returns whether `rest` starts with one; a `{` that does not is a literal in Go
/// (`a{,5}`, `a{x}`), where `regex` would refuse some of them. A repeat needs `n, m <= 1000` and `n <= m`,
/// else Go's `invalid repeat count`; `regex` allows larger counts, so a pattern Go refuses would load.
fn repeat(rest: &str) -> Result<bool, String> {
    let Some(end) = rest.find('}') else {
        return Ok(false);
    };
    let op = &rest[..=end];
    let inner = &op[1..op.len() - 1];
    let (min, max) = match inner.split_once(',') {
        Some((min, max)) => (min, Some(max)),
        None => (inner, None),
    };
    let number = |t: &str| {
        let digits = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        (digits && (t.len() == 1 || !t.starts_with('0')))
            .then(|| t.bytes().fold(0u64, |n, b| n.saturating_mul(10).saturating_add(u64::from(b - b'0'))))
    };
    let Some(min) = number(min) else {
        return Ok(false);
    };
    let max = match max {
        None => Some(min),
        Some("") => None,
        Some(text) => match number(text) {
            Some(n) => Some(n),
            None => return Ok(false),
        },
    };
    if min > 1000 || max.is_some_and(|m| m > 1000 || m < min) {
        return Err(format!("invalid repeat count: `{op}`"));
    }
    Ok(true)
}

/// Handles a backslash escape at `go[i]`; returns the index after it.
fn escape(go: &str, i: usize, in_class: bool, out: &mut String) -> Result<usize, String> {
    let bytes = go.as_bytes();
    let Some(&c) = bytes.get(i + 1) else {
        return Err("trailing backslash at end of expression".to_owned());
    };
    let next = i + 2;
    match c {
        b'Q' if !in_class => {
            let body = &go[next..];
            let (lit, after) = match body.find(r"\E") {
                Some(end) => (&body[..end], next + end + 2),
                None => (body, go.len()),
            };
            for ch in lit.chars() {
                push_literal(out, ch);
            }
            Ok(after)
        }
        b'd' | b'w' | b's' | b'D' | b'W' | b'S' => {
            let set = match c.to_ascii_lowercase() {
                b'd' => DIGIT,
                b'w' => WORD,
                _ => SPACE,
            };
            let negated = c.is_ascii_uppercase();
            match (in_class, negated) {
                (false, false) => {
                    let _ = write!(out, "[{set}]");
                }
                (_, true) => {
                    let _ = write!(out, "[^{set}]");
                }
                (true, false) => out.push_str(set),
            }
            Ok(next)
        }
        b'b' | b'B' if !in_class => {
            let _ = write!(out, r"(?-u:\{})", c as char);
            Ok(next)
        }
        b'0'..=b'7' => {
            let (value, used) =
                octal(c, &bytes[next..]).ok_or_else(|| format!("invalid escape sequence: `\\{}`", c as char))?;
            let _ = write!(out, r"\x{{{value:X}}}");
            Ok(next + used)
        }
        _ if c.is_ascii_punctuation() => {
            push_literal(out, c as char);
            Ok(next)
        }
        _ => {
            // Letters and everything else (`\pL`, `\x41`, `\n`, `\A`, `\z`, ...) mean the same in both.
            let ch = go[i + 1..].chars().next().unwrap_or('\u{FFFD}');
            out.push('\\');
            out.push(ch);
            Ok(i + 1 + ch.len_utf8())
        }
    }
}

/// Handles a bracket class starting at `go[i] == '['`; returns the index after its closing `]`.
fn class(go: &str, start: usize, out: &mut String) -> Result<usize, String> {
    let bytes = go.as_bytes();
    let mut i = start + 1;
    out.push('[');
    if bytes.get(i) == Some(&b'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let Some(&c) = bytes.get(i) else {
            return Err(format!("missing closing ]: `{}`", &go[start..]));
        };
        match c {
            b']' if !first => {
                out.push(']');
                return Ok(i + 1);
            }
            b'[' if go[i..].starts_with("[:") => {
                // ASCII class `[:alpha:]`: same spelling and meaning in both engines.
                let end = go[i + 2..].find(":]").map(|e| i + 2 + e + 2);
                if let Some(end) = end {
                    out.push_str(&go[i..end]);
                    i = end;
                } else {
                    push_literal(out, '[');
                    i += 1;
                }
            }
            b'\\' => i = escape(go, i, true, out)?,
            b'[' | b'&' | b'~' | b']' => {
                push_literal(out, c as char);
                i += 1;
            }
            _ => {
                let ch = go[i..].chars().next().unwrap_or('\u{FFFD}');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
        first = false;
    }
}

/// Compiles a Go regex for matching text (`&str` haystacks: paths).
///
/// # Errors
/// Why Go or the `regex` crate refuses the pattern.
pub fn compile_str(go: &str) -> Result<(regex::Regex, Vec<Option<String>>), String> {
    let t = translate(go)?;
    let re = regex::Regex::new(&t.pattern).map_err(|e| compact_error(&e))?;
    Ok((re, t.names))
}

/// Compiles a Go regex for matching bytes (request bodies, which need not be UTF-8).
///
/// # Errors
/// Why Go or the `regex` crate refuses the pattern.
pub fn compile_bytes(go: &str) -> Result<regex::bytes::Regex, String> {
    let t = translate(go)?;
    regex::bytes::Regex::new(&t.pattern).map_err(|e| compact_error(&e))
}

/// `regex` errors are multi-line diagrams; keep the last line (the cause) for a one-line message.
fn compact_error(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: ").map(str::to_owned))
        .unwrap_or(text)
}

/// `None` when `pattern` compiles as Go would read it, else why not.
#[must_use]
pub fn check(pattern: &str) -> Option<String> {
    compile_str(pattern).err()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_match(go: &str, text: &str) -> bool {
        compile_str(go).unwrap().0.is_match(text)
    }

    #[test]
    fn perl_classes_are_ascii() {
        assert!(is_match(r"^\d+$", "123"));
        assert!(!is_match(r"^\d+$", "١٢٣")); // Arabic-Indic digits: Unicode \d, not Go's
        assert!(!is_match(r"^\w$", "é"));
        assert!(is_match(r"^[\w-]+$", "a_b-9"));
        assert!(!is_match(r"^[\W]$", "a"));
        assert!(is_match(r"^\S+$", "abc"));
        assert!(!is_match(r"^\s$", "\u{0B}")); // Go's \s has no vertical tab
        assert!(is_match(r"\bfoo\b", "a foo b"));
        assert!(!is_match(r"é\b", "é ")); // ASCII boundary: é is not a word char in Go
        assert!(is_match(r"a\b", "aé"));
    }

    #[test]
    fn go_only_syntax() {
        assert!(is_match(r"^\Qa.b*\E$", "a.b*"));
        assert!(!is_match(r"^\Qa.b\E$", "axb"));
        assert!(is_match(r"^\101$", "A"));
        assert!(is_match(r"^\<a\>$", "<a>"));
        assert!(is_match(r"^[[a]+$", "[a["));
        assert!(is_match(r"^[a&&b]+$", "&"));
        assert!(is_match(r"^[]a]+$", "]a"));
        assert!(is_match(r"^[^]a]$", "b"));
        assert!(is_match(r"^[[:digit:]x]+$", "1x2"));
        assert!(check(r"\1").is_some());
        assert!(check(r"(?P<a-b>x)").is_some());
        assert!(check(r"(").is_some());
    }

    #[test]
    fn repeat_counts_over_1000_are_refused_as_go_does() {
        // issue 12: RE2 refuses these, so a config the Go tool rejects must not load here.
        let refused = [
            ("a{1001}", "{1001}"),
            ("a{2,1001}", "{2,1001}"),
            ("a{1001,}", "{1001,}"),
            ("a{5,2}", "{5,2}"),
            ("a{99999999999999999999999}", "{99999999999999999999999}"),
        ];
        for (pattern, op) in refused {
            assert_eq!(check(pattern), Some(format!("invalid repeat count: `{op}`")), "{pattern}");
        }
        for ok in ["a{1000}", "a{0,1000}", "a{2,}", "a{,5}", "a{x}", "{", "a{1", "[{9999}]", r"\{9999}", "a{01}"] {
            assert_eq!(check(ok), None, "{ok}");
        }
        // Go reads a `{` that starts no repeat as a literal
        assert!(is_match("^a{,5}$", "a{,5}") && is_match("^a{01}$", "a{01}") && is_match("^a{2}$", "aa"));
    }

    #[test]
    fn names_kept_in_group_order() {
        let (re, names) = compile_str(r"(?P<1st>a)(b)(?:c)(?P<1st>d)(?<x>e)").unwrap();
        assert_eq!(names, vec![Some("1st".into()), None, Some("1st".into()), Some("x".into())]);
        assert_eq!(re.captures_len(), 5);
    }
}
