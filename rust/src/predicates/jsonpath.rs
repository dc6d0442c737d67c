//! `matcher.bodyJsonPath` (reference §3.5, Go `jsonpath.go`): the body must parse as JSON; a condition passes
//! if any selected value equals the expected one (`eq`), or if the path selects something (`exists`) or
//! nothing (`absent`).
//!
//! Go evaluates paths with ohler55/ojg (v1.27), whose dialect predates RFC 9535. Evaluation here is
//! `serde_json_path` (RFC 9535), so each path is first parsed the way ojg parses it and re-emitted in RFC
//! syntax. What carries over: an optional leading `$` or `@` (ojg reads `a.b` as `$.a.b`), dot names with
//! ojg's wider name alphabet (`$.1st`, `$.a:b`), quoted names with ojg escapes, `*`, `..` (a trailing `..`
//! selects every descendant, as in ojg), indexes (negative too), slices, unions, and filters made of
//! comparisons, `&&`/`||` (ojg gives them equal precedence, evaluated left to right), `!`, groups,
//! `=~`/`~=` regex tests and the functions `length`, `count`, `match`, `search`. What does not: ojg's
//! script procedures `[(…)]`, arithmetic and the `in`/`has`/`empty`/`exists` operators are rejected at
//! build time, and filter comparisons must use singular paths (an RFC rule ojg does not have).

use std::fmt::Write as _;

use serde_json::Value;
use serde_json_path::JsonPath;

/// What a condition asks of the selected values.
#[derive(Debug, Clone)]
pub enum Op {
    /// Some selected value equals this one (numbers numerically, containers deep-equal).
    Eq(Value),
    /// The path selects at least one value.
    Exists,
    /// The path selects nothing.
    Absent,
}

/// One `bodyJsonPath` entry, compiled.
#[derive(Debug, Clone)]
pub struct Condition {
    pub path: JsonPath,
    pub op: Op,
}

impl Condition {
    #[must_use]
    pub fn test(&self, doc: &Value) -> bool {
        let nodes = self.path.query(doc);
        match &self.op {
            Op::Exists => !nodes.is_empty(),
            Op::Absent => nodes.is_empty(),
            Op::Eq(expected) => nodes.iter().any(|v| values_equal(v, expected)),
        }
    }
}

/// Go `valuesEqual` over values decoded by `encoding/json` (every number a float64, so deep equality of
/// containers compares nested numbers as floats too).
#[must_use]
pub fn values_equal(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| values_equal(x, y)),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| values_equal(x, y)))
        }
        _ => false,
    }
}

/// Parses a request body as Go's `json.Unmarshal` would accept it. Invalid UTF-8 inside strings is
/// replaced (Go substitutes U+FFFD rather than failing).
#[must_use]
pub fn parse_body(body: &[u8]) -> Option<Value> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text).ok(),
        Err(_) => serde_json::from_str(&String::from_utf8_lossy(body)).ok(),
    }
}

/// Compiles an ojg-dialect path (see the module docs).
///
/// # Errors
/// ojg's parse error, or RFC 9535's for the translated path (both quoted in the message).
pub fn compile(expr: &str) -> Result<JsonPath, String> {
    let rfc = to_rfc9535(expr)?;
    JsonPath::parse(&rfc).map_err(|e| format!("{e} (as RFC 9535: {rfc})"))
}

/// `None` if `expr` compiles, else why not.
#[must_use]
pub fn check(expr: &str) -> Option<String> {
    compile(expr).err()
}

// ---- ojg dialect → RFC 9535 -----------------------------------------------------------------------------

/// ojg's `tokenMap`: bytes that may appear in a dot-notation name.
fn is_name_byte(b: u8) -> bool {
    matches!(b, b'#' | b'%' | b'0'..=b';' | b'?' | b'A'..=b'Z' | b'^' | b'_' | b'a'..=b'}' | 0x80..=0xFF)
}

struct Parser<'a> {
    buf: &'a [u8],
    pos: usize,
}

fn rfc_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Translates a whole top-level path.
///
/// # Errors
/// Where ojg would refuse the path, or where it uses ojg syntax with no RFC 9535 equivalent.
pub fn to_rfc9535(expr: &str) -> Result<String, String> {
    let mut p = Parser { buf: expr.as_bytes(), pos: 0 };
    let mut out = String::from("$");
    let selectors = p.path(&mut out)?;
    if p.pos < p.buf.len() {
        return Err(format!("parse error at offset {}", p.pos));
    }
    if selectors == 0 {
        // ojg's empty expression (or a bare `$`) selects the whole document only when it is `$`.
        if !expr.starts_with('$') && !expr.starts_with('@') {
            return Err("empty JSONPath expression".to_owned());
        }
    }
    Ok(out)
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    /// Reads fragments (ojg `readExpr`) and appends RFC segments to `out`. The leading `$`/`@` (or its
    /// absence) is consumed here; `out` already holds the RFC root. Returns the number of segments.
    fn path(&mut self, out: &mut String) -> Result<usize, String> {
        let mut first = true;
        let mut descent = false;
        let mut count = 0;
        while let Some(b) = self.peek() {
            let segment = match b {
                b'$' | b'@' if first => {
                    self.pos += 1;
                    first = false;
                    continue;
                }
                b'.' => {
                    self.pos += 1;
                    match self.peek() {
                        None => return Err("not terminated".to_owned()),
                        Some(b'.') => {
                            self.pos += 1;
                            descent = true;
                            first = false;
                            continue;
                        }
                        Some(b'*') => {
                            self.pos += 1;
                            "[*]".to_owned()
                        }
                        Some(c) if is_name_byte(c) => self.name(),
                        Some(c) => return Err(format!("an expression fragment can not start with a '{}'", c as char)),
                    }
                }
                b'*' => {
                    self.pos += 1;
                    "[*]".to_owned()
                }
                b'[' => {
                    self.pos += 1;
                    self.bracket()?
                }
                c if is_name_byte(c) && (first || descent) => self.name(),
                _ => break,
            };
            first = false;
            if descent {
                out.push_str("..");
                descent = false;
            }
            out.push_str(&segment);
            count += 1;
        }
        if descent {
            // ojg: a trailing `..` yields every descendant value.
            out.push_str("..[*]");
            count += 1;
        }
        Ok(count)
    }

    fn name(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(is_name_byte) {
            self.pos += 1;
        }
        let name = String::from_utf8_lossy(&self.buf[start..self.pos]);
        format!("[{}]", rfc_string(&name))
    }

    fn int(&mut self) -> Result<i64, String> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let digits = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == digits {
            return Err("expected a number".to_owned());
        }
        std::str::from_utf8(&self.buf[start..self.pos]).unwrap_or("").parse().map_err(|e| format!("{e}"))
    }

    fn string(&mut self, quote: u8) -> Result<String, String> {
        let mut bytes = Vec::new();
        loop {
            let Some(b) = self.peek() else { return Err("not terminated".to_owned()) };
            self.pos += 1;
            match b {
                _ if b == quote => break,
                b'\\' => {
                    let Some(e) = self.peek() else { return Err("not terminated".to_owned()) };
                    self.pos += 1;
                    let simple = match e {
                        b'b' => Some(8),
                        b't' => Some(b'\t'),
                        b'n' => Some(b'\n'),
                        b'f' => Some(12),
                        b'r' => Some(b'\r'),
                        b'"' | b'\'' | b'\\' => Some(e),
                        _ => None,
                    };
                    if let Some(s) = simple {
                        bytes.push(s);
                        continue;
                    }
                    let width = match e {
                        b'x' => 2,
                        b'u' | b'U' => 4,
                        _ => return Err(format!("0x{e:02x} ({}) is not a valid escaped character", e as char)),
                    };
                    let hex = self.buf.get(self.pos..self.pos + width).ok_or("not terminated")?;
                    let value = u32::from_str_radix(std::str::from_utf8(hex).unwrap_or("g"), 16)
                        .map_err(|_| "not a valid hexadecimal character".to_owned())?;
                    self.pos += width;
                    if width == 2 {
                        bytes.push(u8::try_from(value).unwrap_or(b'?')); // two hex digits: < 256
                    } else {
                        let c = char::from_u32(value).unwrap_or('\u{FFFD}');
                        bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                    }
                }
                _ => bytes.push(b),
            }
        }
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// After `[`: wildcard, names, indexes, unions, slices, filters.
    fn bracket(&mut self) -> Result<String, String> {
        self.skip_spaces();
        let Some(b) = self.peek() else { return Err("not terminated".to_owned()) };
        match b {
            b'*' => {
                self.pos += 1;
                self.skip_spaces();
                self.expect(b']')?;
                Ok("[*]".to_owned())
            }
            b'?' => {
                self.pos += 1;
                let filter = self.filter_expr()?;
                self.skip_spaces();
                self.expect(b']')?;
                Ok(format!("[?{filter}]"))
            }
            b'(' => Err("ojg script procedures `[(...)]` are not supported".to_owned()),
            b':' => {
                self.pos += 1;
                self.slice(0)
            }
            b'\'' | b'"' | b'-' | b'0'..=b'9' => {
                let mut items = Vec::new();
                loop {
                    self.skip_spaces();
                    let item = match self.peek() {
                        Some(q @ (b'\'' | b'"')) => {
                            self.pos += 1;
                            rfc_string(&self.string(q)?)
                        }
                        Some(b'-' | b'0'..=b'9') => {
                            let i = self.int()?;
                            self.skip_spaces();
                            if items.is_empty() && self.peek() == Some(b':') {
                                self.pos += 1;
                                return self.slice(i);
                            }
                            i.to_string()
                        }
                        _ => return Err("invalid union syntax".to_owned()),
                    };
                    items.push(item);
                    self.skip_spaces();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(format!("[{}]", items.join(",")));
                        }
                        _ => return Err("invalid bracket fragment".to_owned()),
                    }
                }
            }
            _ => Err("parse error".to_owned()),
        }
    }

    fn expect(&mut self, b: u8) -> Result<(), String> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err("not terminated".to_owned())
        }
    }

    /// After `[start:`: `end]`, `]`, `:step]`, `end:step]`, `end:]` (ojg defaults end to 2147483647).
    fn slice(&mut self, start: i64) -> Result<String, String> {
        self.skip_spaces();
        let mut end = None;
        let mut step = None;
        if !matches!(self.peek(), Some(b':' | b']')) {
            end = Some(self.int()?);
            self.skip_spaces();
        }
        if self.peek() == Some(b':') {
            self.pos += 1;
            self.skip_spaces();
            if self.peek() != Some(b']') {
                step = Some(self.int()?);
                self.skip_spaces();
            }
        }
        if self.peek() != Some(b']') {
            return Err("invalid slice syntax".to_owned());
        }
        self.pos += 1;
        let end = end.unwrap_or(2_147_483_647);
        Ok(match step {
            Some(step) => format!("[{start}:{end}:{step}]"),
            None => format!("[{start}:{end}]"),
        })
    }

    // -- filters: `||` and `&&` share ojg's lowest precedence, comparisons bind tighter, `!` negates the
    // rest of its group (ojg's `readEq` recursion) --

    fn filter_expr(&mut self) -> Result<String, String> {
        let mut left = self.comparison()?;
        loop {
            self.skip_spaces();
            let op = if self.buf[self.pos..].starts_with(b"&&") {
                "&&"
            } else if self.buf[self.pos..].starts_with(b"||") {
                "||"
            } else {
                return Ok(left);
            };
            self.pos += 2;
            let right = self.comparison()?;
            left = format!("({left} {op} {right})");
        }
    }

    fn comparison(&mut self) -> Result<String, String> {
        let left = self.operand()?;
        self.skip_spaces();
        let rest = &self.buf[self.pos..];
        for op in ["==", "!=", "<=", ">=", "=~", "~=", "<", ">"] {
            if rest.starts_with(op.as_bytes()) {
                self.pos += op.len();
                let right = self.operand()?;
                return Ok(if op.contains('~') {
                    format!("search({left}, {right})")
                } else {
                    format!("{left} {op} {right}")
                });
            }
        }
        for word in ["in", "has", "empty", "exists", "+", "-", "*", "/"] {
            if rest.starts_with(word.as_bytes()) {
                return Err(format!("ojg filter operator `{word}` is not supported"));
            }
        }
        Ok(left)
    }

    fn operand(&mut self) -> Result<String, String> {
        self.skip_spaces();
        let Some(b) = self.peek() else { return Err("equation not terminated".to_owned()) };
        match b {
            b'!' => {
                self.pos += 1;
                let inner = self.filter_expr()?;
                Ok(format!("!({inner})"))
            }
            b'(' => {
                self.pos += 1;
                let inner = self.filter_expr()?;
                self.skip_spaces();
                self.expect(b')')?;
                Ok(format!("({inner})"))
            }
            b'@' | b'$' => {
                let mut out = String::from(b as char);
                self.path(&mut out)?;
                Ok(out)
            }
            b'\'' | b'"' => {
                self.pos += 1;
                Ok(rfc_string(&self.string(b)?))
            }
            b'/' => {
                self.pos += 1;
                let start = self.pos;
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    match c {
                        b'/' => break,
                        b'\\' => self.pos += 1,
                        _ => {}
                    }
                }
                let end = self.pos.saturating_sub(1).max(start);
                Ok(rfc_string(&String::from_utf8_lossy(&self.buf[start..end.min(self.buf.len())])))
            }
            b'-' | b'0'..=b'9' => {
                let start = self.pos;
                self.pos += 1;
                while self.peek().is_some_and(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')) {
                    self.pos += 1;
                }
                Ok(String::from_utf8_lossy(&self.buf[start..self.pos]).into_owned())
            }
            b'a'..=b'z' => {
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_lowercase()) {
                    self.pos += 1;
                }
                let word = String::from_utf8_lossy(&self.buf[start..self.pos]).into_owned();
                match word.as_str() {
                    "true" | "false" | "null" => Ok(word),
                    "length" | "count" | "match" | "search" => {
                        self.expect(b'(')?;
                        let mut args = vec![self.filter_expr()?];
                        self.skip_spaces();
                        while self.peek() == Some(b',') {
                            self.pos += 1;
                            args.push(self.filter_expr()?);
                            self.skip_spaces();
                        }
                        self.expect(b')')?;
                        Ok(format!("{word}({})", args.join(", ")))
                    }
                    _ => Err(format!("'{word}' is not a value or function")),
                }
            }
            _ => Err(format!("unexpected '{}' in filter", b as char)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ojg_paths_become_rfc9535() {
        let cases: &[(&str, &str)] = &[
            ("$.a.b", "$['a']['b']"),
            ("a.b", "$['a']['b']"),
            ("@.a", "$['a']"),
            ("$", "$"),
            ("$.items[0].id", "$['items'][0]['id']"),
            ("$.items[-1]", "$['items'][-1]"),
            ("$.items[*].id", "$['items'][*]['id']"),
            ("$.items.*", "$['items'][*]"),
            ("$..name", "$..['name']"),
            ("$..", "$..[*]"),
            ("$..[0]", "$..[0]"),
            ("$.1st", "$['1st']"),
            ("$.a:b", "$['a:b']"),
            ("$['a b']", "$['a b']"),
            ("$[\"it's\"]", "$['it\\'s']"),
            ("$['a','b']", "$['a','b']"),
            ("$[0,2]", "$[0,2]"),
            ("$[1:3]", "$[1:3]"),
            ("$[:2]", "$[0:2]"),
            ("$[1:]", "$[1:2147483647]"),
            ("$[::2]", "$[0:2147483647:2]"),
            ("$.a[?(@.x == 1)]", "$['a'][?(@['x'] == 1)]"),
            ("$.a[?@.x > 1 && @.y == 'z']", "$['a'][?(@['x'] > 1 && @['y'] == 'z')]"),
            ("$.a[?(@.x =~ /^a.*/)]", "$['a'][?(search(@['x'], '^a.*'))]"),
        ];
        for (ojg, rfc) in cases {
            assert_eq!(to_rfc9535(ojg).as_deref(), Ok(*rfc), "{ojg}");
            assert!(compile(ojg).is_ok(), "{ojg} should compile");
        }
        for bad in ["$.", "$a", "$.a b", "$[", "$['a'", "$[(@.length-1)]", "$.a[?(@.x in [1])]", "", "$.a-b"] {
            assert!(compile(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn conditions() {
        let doc = json!({"user": {"name": "a", "age": 30, "tags": ["x", "y"], "n": null},
                         "items": [{"id": 1}, {"id": 2.0}]});
        let cond = |p: &str, op: Op| Condition { path: compile(p).unwrap(), op }.test(&doc);
        assert!(cond("$.user.name", Op::Eq(json!("a"))));
        assert!(cond("$.user.age", Op::Eq(json!(30.0))));
        assert!(cond("$.items[*].id", Op::Eq(json!(2))));
        assert!(cond("$.user.tags", Op::Eq(json!(["x", "y"]))));
        assert!(cond("$.user.n", Op::Eq(Value::Null)));
        assert!(!cond("$.user.missing", Op::Eq(Value::Null)));
        assert!(cond("$.user.n", Op::Exists));
        assert!(cond("$.user.missing", Op::Absent));
        assert!(!cond("$.user.name", Op::Absent));
        assert!(!cond("$.user.age", Op::Eq(json!("30"))));
        assert!(cond("$..id", Op::Eq(json!(1))));
    }
}
