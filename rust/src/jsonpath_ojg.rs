//! ohler55/ojg's `JSONPath` dialect (the Go tool's, v1.27) re-emitted as RFC 9535, which `serde_json_path`
//! evaluates. It sits beside `regex_go.rs` for the same reason: the Go tool's user-facing syntax is kept, and
//! one translation step maps it onto a maintained Rust engine. What carries over and what is refused is listed
//! in `predicates/jsonpath.rs`.

use std::fmt::Write as _;

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
