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

use serde_json::Value;
use serde_json_path::JsonPath;

use crate::jsonpath_ojg::to_rfc9535;

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
