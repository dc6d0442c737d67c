//! A fast path for loading big YAML documents (imported `OpenAPI` specs run to several megabytes) into
//! plain Python data, with the exact result `PyYAML`'s safe loader gives — minus timestamp resolution,
//! with every mapping key a string — as `mockd/imports/source.py` reads them.
//!
//! Stripe's 6 MB spec took `PyYAML` (with libyaml) about two seconds; this takes a tenth of that. It is a
//! fast path, not a second YAML implementation: whatever it does not handle the way `PyYAML` would (tags,
//! merge keys, complex keys, several documents, any syntax error) makes it answer `None`, and the caller
//! falls back to `PyYAML`, which gives the result or the error message users already know.
//!
//! Plain scalars are resolved with `PyYAML`'s YAML 1.1 rules (`yes`/`on` are booleans, `0x1F`, `0o`-less
//! octal `017` and sexagesimal `1:30` are integers, `1e5` without a dot is a string), so both paths agree.

use std::sync::OnceLock;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString};
use regex::Regex;
use saphyr_parser::{Event, Parser, ScalarStyle};

/// Why the fast path gave up: the caller then uses `PyYAML`.
enum GiveUp {
    /// Something only `PyYAML` handles the way users expect (or a syntax error it words).
    Unsupported,
    /// A Python call failed (out of memory, say): the error is raised, not hidden.
    Python(PyErr),
}

impl From<PyErr> for GiveUp {
    fn from(err: PyErr) -> Self {
        GiveUp::Python(err)
    }
}

struct Resolvers {
    boolean: Regex,
    float: Regex,
    int: Regex,
    null: Regex,
}

/// `PyYAML`'s implicit resolvers (`yaml/resolver.py`), the same expressions without the verbose-mode spaces.
fn resolvers() -> &'static Resolvers {
    static CELL: OnceLock<Resolvers> = OnceLock::new();
    CELL.get_or_init(|| Resolvers {
        boolean: Regex::new(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
            .expect("valid"),
        float: Regex::new(concat!(
            r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?",
            r"|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?",
            r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*",
            r"|[-+]?\.(?:inf|Inf|INF)",
            r"|\.(?:nan|NaN|NAN))$"
        ))
        .expect("valid"),
        int: Regex::new(concat!(
            r"^(?:[-+]?0b[0-1_]+",
            r"|[-+]?0[0-7_]+",
            r"|[-+]?(?:0|[1-9][0-9_]*)",
            r"|[-+]?0x[0-9a-fA-F_]+",
            r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"
        ))
        .expect("valid"),
        null: Regex::new(r"^(?:~|null|Null|NULL|)$").expect("valid"),
    })
}

/// A plain scalar as `PyYAML`'s safe constructor builds it.
fn plain_scalar<'py>(py: Python<'py>, text: &str) -> Result<Bound<'py, PyAny>, GiveUp> {
    let r = resolvers();
    let first = text.as_bytes().first().copied();
    match first {
        None => return Ok(py.None().into_bound(py)),
        Some(b'=') if text == "=" => return Err(GiveUp::Unsupported), // `tag:yaml.org,2002:value`
        Some(b'<') if text == "<<" => return Err(GiveUp::Unsupported), // a merge key
        _ => {}
    }
    if matches!(first, Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O')) && r.boolean.is_match(text) {
        let lower = text.to_ascii_lowercase();
        return Ok(PyBool::new(py, matches!(lower.as_str(), "yes" | "true" | "on")).to_owned().into_any());
    }
    if matches!(first, Some(b'-' | b'+' | b'0'..=b'9' | b'.')) && r.float.is_match(text) {
        return Ok(PyFloat::new(py, construct_float(text)).into_any());
    }
    if matches!(first, Some(b'-' | b'+' | b'0'..=b'9')) && r.int.is_match(text) {
        return construct_int(py, text);
    }
    if matches!(first, Some(b'~' | b'n' | b'N')) && r.null.is_match(text) {
        return Ok(py.None().into_bound(py));
    }
    Ok(PyString::new(py, text).into_any())
}

/// `SafeConstructor.construct_yaml_float`.
fn construct_float(text: &str) -> f64 {
    let mut value: String = text.chars().filter(|c| *c != '_').collect::<String>().to_ascii_lowercase();
    let mut sign = 1.0;
    if let Some(rest) = value.strip_prefix('-') {
        sign = -1.0;
        value = rest.to_owned();
    } else if let Some(rest) = value.strip_prefix('+') {
        value = rest.to_owned();
    }
    if value == ".inf" {
        return sign * f64::INFINITY;
    }
    if value == ".nan" {
        return f64::NAN;
    }
    if value.contains(':') {
        let mut base = 1.0;
        let mut total = 0.0;
        for part in value.rsplit(':') {
            total += part.parse::<f64>().unwrap_or(0.0) * base;
            base *= 60.0;
        }
        return sign * total;
    }
    sign * value.parse::<f64>().unwrap_or(f64::NAN)
}

/// `SafeConstructor.construct_yaml_int`: a Python int of any size.
fn construct_int<'py>(py: Python<'py>, text: &str) -> Result<Bound<'py, PyAny>, GiveUp> {
    let mut value: String = text.chars().filter(|c| *c != '_').collect();
    let mut negative = false;
    if let Some(rest) = value.strip_prefix('-') {
        negative = true;
        value = rest.to_owned();
    } else if let Some(rest) = value.strip_prefix('+') {
        value = rest.to_owned();
    }
    if value.contains(':') {
        // Sexagesimal (`1:30` is 90): small by construction of the regex's digits, but summed in Python
        // anyway so a long chain cannot overflow.
        let mut total = pyo3::types::PyInt::new(py, 0i64).into_any();
        let mut base = pyo3::types::PyInt::new(py, 1i64).into_any();
        for part in value.rsplit(':') {
            let digit = part.parse::<u64>().map_err(|_| GiveUp::Unsupported)?;
            total = total.add(base.mul(digit)?)?;
            base = base.mul(60)?;
        }
        return Ok(if negative { total.neg()? } else { total });
    }
    let (digits, radix) = if let Some(rest) = value.strip_prefix("0b") {
        (rest, 2)
    } else if let Some(rest) = value.strip_prefix("0x") {
        (rest, 16)
    } else if value.len() > 1 && value.starts_with('0') {
        (&value[1..], 8)
    } else {
        (value.as_str(), 10)
    };
    if let Ok(n) = i64::from_str_radix(digits, radix) {
        let n = if negative { -n } else { n };
        return Ok(pyo3::types::PyInt::new(py, n).into_any());
    }
    // Bigger than 64 bits: Python's own `int(digits, radix)`.
    let int = py.get_type::<pyo3::types::PyInt>();
    let parsed = int.call1((digits, radix))?;
    Ok(if negative { parsed.neg()? } else { parsed })
}

enum Frame<'py> {
    Seq { items: Vec<Bound<'py, PyAny>>, anchor: usize, nodes: usize },
    Map { dict: Bound<'py, PyDict>, key: Option<Bound<'py, PyString>>, anchor: usize, nodes: usize },
}

struct Builder<'py> {
    py: Python<'py>,
    stack: Vec<Frame<'py>>,
    root: Option<Bound<'py, PyAny>>,
    /// Each anchored node with its size once expanded, so an alias is paid for before it is copied.
    anchors: Vec<Option<(Bound<'py, PyAny>, usize)>>,
    budget: usize,
    /// Whether an alias shares a node: the finished document is then copied once, whole.
    aliased: bool,
}

impl<'py> Builder<'py> {
    fn spend(&mut self, nodes: usize) -> Result<(), GiveUp> {
        // Past the budget (an alias bomb, say) `PyYAML`'s path reports the size error.
        self.budget = self.budget.checked_sub(nodes).ok_or(GiveUp::Unsupported)?;
        Ok(())
    }

    fn remember(&mut self, anchor: usize, value: &Bound<'py, PyAny>, nodes: usize) {
        if anchor == 0 {
            return;
        }
        if self.anchors.len() <= anchor {
            self.anchors.resize(anchor + 1, None);
        }
        self.anchors[anchor] = Some((value.clone(), nodes));
    }

    /// A value of `size` nodes completed: into the open sequence or mapping, or as the document.
    fn push(&mut self, value: Bound<'py, PyAny>, size: usize) -> Result<(), GiveUp> {
        match self.stack.last_mut() {
            None => {
                if self.root.is_some() {
                    return Err(GiveUp::Unsupported);
                }
                self.root = Some(value);
            }
            Some(Frame::Seq { items, nodes, .. }) => {
                *nodes += size;
                items.push(value);
            }
            Some(Frame::Map { dict, key, nodes, .. }) => {
                *nodes += size;
                if let Some(k) = key.take() {
                    dict.set_item(k, value)?;
                } else {
                    *key = Some(key_string(self.py, &value)?);
                }
            }
        }
        Ok(())
    }

    /// A fresh copy (`_string_keys` copies, so the structure an alias shares never leaks out); the budget
    /// has paid for every node already.
    fn copy(&self, value: &Bound<'py, PyAny>) -> Result<Bound<'py, PyAny>, GiveUp> {
        if let Ok(dict) = value.cast::<PyDict>() {
            let out = PyDict::new(self.py);
            for (k, v) in dict.iter() {
                let v = self.copy(&v)?;
                out.set_item(k, v)?;
            }
            return Ok(out.into_any());
        }
        if let Ok(list) = value.cast::<PyList>() {
            let mut items = Vec::with_capacity(list.len());
            for v in list.iter() {
                items.push(self.copy(&v)?);
            }
            return Ok(PyList::new(self.py, items)?.into_any());
        }
        Ok(value.clone())
    }
}

/// A mapping key as `_string_keys` turns it into a string: `true`/`false` for booleans, `str()` otherwise;
/// a sequence or mapping as a key is left to `PyYAML` (which refuses it).
fn key_string<'py>(py: Python<'py>, key: &Bound<'py, PyAny>) -> Result<Bound<'py, PyString>, GiveUp> {
    if let Ok(s) = key.cast::<PyString>() {
        return Ok(s.clone());
    }
    if key.is_instance_of::<PyDict>() || key.is_instance_of::<PyList>() {
        return Err(GiveUp::Unsupported);
    }
    if let Ok(b) = key.cast::<PyBool>() {
        return Ok(PyString::new(py, if b.is_true() { "true" } else { "false" }));
    }
    Ok(key.str()?)
}

fn build<'py>(py: Python<'py>, text: &str, max_nodes: usize) -> Result<Bound<'py, PyAny>, GiveUp> {
    if text.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
        return Err(GiveUp::Unsupported); // line breaks in YAML 1.1 (`PyYAML`), ordinary characters in 1.2
    }
    let mut b = Builder { py, stack: Vec::new(), root: None, anchors: Vec::new(), budget: max_nodes, aliased: false };
    let mut documents = 0;
    for next in Parser::new_from_str(text) {
        let (event, _span) = next.map_err(|_| GiveUp::Unsupported)?;
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(GiveUp::Unsupported); // `PyYAML` wants exactly one document here
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                if tag.is_some() {
                    return Err(GiveUp::Unsupported);
                }
                b.spend(1)?;
                let obj = if style == ScalarStyle::Plain {
                    plain_scalar(py, &value)?
                } else {
                    PyString::new(py, &value).into_any()
                };
                b.remember(anchor, &obj, 1);
                b.push(obj, 1)?;
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) if tag.is_some() => {
                let _ = anchor;
                return Err(GiveUp::Unsupported);
            }
            Event::SequenceStart(anchor, _) => {
                b.spend(1)?;
                b.stack.push(Frame::Seq { items: Vec::new(), anchor, nodes: 1 });
            }
            Event::MappingStart(anchor, _) => {
                b.spend(1)?;
                b.stack.push(Frame::Map { dict: PyDict::new(py), key: None, anchor, nodes: 1 });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (obj, anchor, nodes) = match b.stack.pop() {
                    Some(Frame::Seq { items, anchor, nodes }) => (PyList::new(py, items)?.into_any(), anchor, nodes),
                    Some(Frame::Map { dict, anchor, nodes, .. }) => (dict.into_any(), anchor, nodes),
                    None => return Err(GiveUp::Unsupported),
                };
                b.remember(anchor, &obj, nodes);
                b.push(obj, nodes)?;
            }
            Event::Alias(id) => {
                let Some(Some((target, nodes))) = b.anchors.get(id).cloned() else {
                    return Err(GiveUp::Unsupported); // an alias into a node still open: recursion
                };
                b.spend(nodes)?; // paid before anything is built: an alias bomb costs no copying
                b.aliased = true;
                b.push(target, nodes)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    match b.root.take() {
        Some(root) if b.aliased => b.copy(&root),
        Some(root) => Ok(root),
        None => Ok(py.None().into_bound(py)),
    }
}

/// The document as Python data, or None when `PyYAML` must do it (see the module comment).
///
/// # Errors
/// Only when Python itself fails (building an object, say); YAML problems give `Ok(None)`.
pub fn load<'py>(py: Python<'py>, text: &str, max_nodes: usize) -> PyResult<Option<Bound<'py, PyAny>>> {
    match build(py, text, max_nodes) {
        Ok(v) => Ok(Some(v)),
        Err(GiveUp::Unsupported) => Ok(None),
        Err(GiveUp::Python(err)) => Err(err),
    }
}
