//! `mockd._native`: mockd's request matcher. This file is only the `PyO3` glue — reading the route dicts,
//! converting results to Python objects, and turning the crate's `MatcherError`s into one
//! `MatcherBuildError`. The matcher itself lives in the sibling modules and has no Python in it.

pub mod candidates;
pub mod error;
pub mod fxhash;
pub mod hits;
pub mod jsonpath_ojg;
pub mod key;
pub mod matcher;
pub mod nearmiss;
pub mod path;
pub mod predicates;
pub mod regex_go;
pub mod route;
pub mod tree;
pub mod yaml_load;

use std::sync::{Mutex, MutexGuard, PoisonError};

use pyo3::exceptions::{PyAssertionError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::error::MatcherError;
use crate::nearmiss::NearMiss;
use crate::predicates::Request;
use crate::route::{JsonPathOp, RouteSpec};

pyo3::create_exception!(
    mockd._native,
    MatcherBuildError,
    PyValueError,
    "Raised by `Matcher(...)` with every rejected route at once (`errors`)."
);

// ---- reading RouteSpec dicts ----------------------------------------------------------------------------

/// Reads one route dict, recording a `MatcherError::InvalidRoute` per bad key (and carrying on, so that
/// every problem in every route is reported at once).
struct Reader<'a, 'py> {
    route: usize,
    dict: &'a Bound<'py, PyAny>,
    errors: &'a mut Vec<MatcherError>,
}

impl<'py> Reader<'_, 'py> {
    fn fail(&mut self, field: &str, value: Option<&Bound<'py, PyAny>>, reason: impl Into<String>) {
        let fragment = value.and_then(|v| v.repr().ok()).map(|r| r.to_string()).unwrap_or_default();
        self.errors.push(MatcherError::InvalidRoute { route: self.route, field: field.to_owned(), fragment, reason: reason.into() });
    }

    /// Required key: missing ⇒ error.
    fn key(&mut self, field: &str) -> Option<Bound<'py, PyAny>> {
        match self.dict.get_item(field) {
            Ok(v) => Some(v),
            Err(e) => {
                let py = self.dict.py();
                let reason = if e.is_instance_of::<pyo3::exceptions::PyKeyError>(py) {
                    "missing key".to_owned()
                } else {
                    format!("route is not a mapping: {e}")
                };
                self.fail(field, None, reason);
                None
            }
        }
    }

    fn extract<T: for<'a> FromPyObjectOwned<'py>>(&mut self, field: &str, what: &str) -> Option<T> {
        let value = self.key(field)?;
        let extracted = value.extract::<T>().ok();
        if extracted.is_none() {
            self.fail(field, Some(&value), format!("expected {what}"));
        }
        extracted
    }

    fn json_path(&mut self) -> Vec<(String, JsonPathOp, Option<String>)> {
        let items: Vec<(String, String, Option<String>)> =
            self.extract("bodyJsonPath", "a list of (path, op, value) tuples").unwrap_or_default();
        let mut out = Vec::with_capacity(items.len());
        for (path, op, value) in items {
            let op = match op.as_str() {
                "eq" => JsonPathOp::Eq,
                "exists" => JsonPathOp::Exists,
                "absent" => JsonPathOp::Absent,
                other => {
                    self.errors.push(MatcherError::InvalidRoute {
                        route: self.route,
                        field: "bodyJsonPath".to_owned(),
                        fragment: other.to_owned(),
                        reason: "op must be one of eq, exists, absent".to_owned(),
                    });
                    continue;
                }
            };
            out.push((path, op, value));
        }
        out
    }

    fn read(mut self) -> RouteSpec {
        let pairs = "a list of (str, str) tuples";
        let text = "str or None";
        RouteSpec {
            method: self.extract("method", text).flatten(),
            path: self.extract("path", text).flatten(),
            path_pattern: self.extract("pathPattern", text).flatten(),
            strict: self.extract("strict", "bool").unwrap_or_default(),
            headers: self.extract("headers", pairs).unwrap_or_default(),
            query: self.extract("query", pairs).unwrap_or_default(),
            body_equals: self.extract("bodyEquals", text).flatten(),
            body_contains: self.extract("bodyContains", text).flatten(),
            body_pattern: self.extract("bodyPattern", text).flatten(),
            body_json_path: self.json_path(),
            priority: self.extract("priority", "int").unwrap_or_default(),
            tier: self.extract("tier", "int").unwrap_or_default(),
            captures: self.extract("captures", "bool").unwrap_or_default(),
        }
    }
}

/// The one place crate errors become a Python exception.
fn build_error(py: Python<'_>, errors: &[MatcherError]) -> PyErr {
    let message = match errors {
        [only] => only.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
        [] => "invalid route table".to_owned(),
    };
    let err = MatcherBuildError::new_err(message);
    let details = errors.iter().map(|e| {
        let d = PyDict::new(py);
        d.set_item("route", e.route())?;
        d.set_item("field", e.field())?;
        d.set_item("fragment", e.fragment())?;
        d.set_item("reason", e.reason())?;
        d.set_item("type", e.slug())?;
        Ok(d)
    });
    match details.collect::<PyResult<Vec<_>>>().and_then(|list| err.value(py).setattr("errors", PyList::new(py, list)?)) {
        Ok(()) => err,
        Err(e) => e,
    }
}

// ---- the class ------------------------------------------------------------------------------------------

/// The route matcher. Built in one call, never mutated: to change routes, build another and swap.
#[pyclass(frozen, module = "mockd._native")]
struct Matcher {
    inner: matcher::Matcher,
    /// Where `find` counts its static hits for `/metrics`, and each route's static status (0: not counted,
    /// the Python side counts that route's requests itself).
    hits: Option<Py<HitCounts>>,
    statuses: Box<[u16]>,
}

/// Static hits counted by `Matcher.find` for `/metrics` (see `hits.rs`). One per journal, shared by every
/// route table it builds, so a request still on an old table after a swap counts where the new one does.
#[pyclass(frozen, module = "mockd._native")]
#[derive(Default)]
struct HitCounts {
    table: Mutex<hits::HitTable>,
}

impl HitCounts {
    fn lock(&self) -> MutexGuard<'_, hits::HitTable> {
        // A panic cannot leave the table half-written (a count or a key is one step), so a poisoned lock is
        // still a good one.
        self.table.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[pymethods]
impl HitCounts {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// Every (method, normalised path, status, count) counted since the last take; counting restarts at 0.
    fn take(&self) -> Vec<hits::HitRow> {
        self.lock().take()
    }

    fn __len__(&self) -> usize {
        self.lock().len()
    }
}

/// The Go tool's metrics label for a path (`/users/12345` ⇒ `/users/{id}`), as `HitCounts` keys it.
#[pyfunction]
fn metric_path(path: &str) -> String {
    hits::metric_path(path)
}

fn captures_dict<'py>(py: Python<'py>, pairs: &[(String, String)]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in pairs {
        d.set_item(k, v)?;
    }
    Ok(d)
}

fn near_miss_dict<'py>(py: Python<'py>, n: &NearMiss) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("route", n.route)?;
    d.set_item("score", n.score)?;
    d.set_item("maxPossibleScore", n.max_possible_score)?;
    d.set_item("matchPercentage", n.match_percentage)?;
    let fields = PyList::empty(py);
    for f in &n.fields {
        let fd = PyDict::new(py);
        fd.set_item("field", f.field)?;
        fd.set_item("matched", f.matched)?;
        fd.set_item("score", f.score)?;
        fd.set_item("maxScore", f.max_score)?;
        if let Some(e) = &f.expected {
            fd.set_item("expected", e)?;
        }
        if let Some(a) = &f.actual {
            fd.set_item("actual", a)?;
        }
        if let Some(details) = &f.details {
            let list = PyList::empty(py);
            for det in details {
                let dd = PyDict::new(py);
                dd.set_item("key", &det.key)?;
                dd.set_item("expected", &det.expected)?;
                dd.set_item("actual", &det.actual)?;
                dd.set_item("matched", det.matched)?;
                list.append(dd)?;
            }
            fd.set_item("details", list)?;
        }
        fields.append(fd)?;
    }
    d.set_item("fields", fields)?;
    Ok(d)
}

impl Matcher {
    /// Reads the request's header values: `PyBackedStr` keeps each string alive without copying it.
    fn header_values(&self, headers: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Option<PyBackedStr>>> {
        let Some(headers) = headers.filter(|h| !h.is_none()) else { return Ok(Vec::new()) };
        let values = headers.try_iter()?.map(|v| v?.extract::<Option<PyBackedStr>>()).collect::<PyResult<Vec<_>>>()?;
        if values.len() != self.inner.header_names().len() {
            return Err(PyValueError::new_err(format!(
                "expected {} header values (one per header_names entry), got {}",
                self.inner.header_names().len(),
                values.len()
            )));
        }
        Ok(values)
    }

    /// The request `match` and `explain` both see: header values read once and borrowed, not copied.
    fn with_request<R>(
        &self,
        method: &str,
        path: &str,
        query: &str,
        headers: Option<&Bound<'_, PyAny>>,
        body: Option<&[u8]>,
        f: impl FnOnce(&Request<'_>) -> PyResult<R>,
    ) -> PyResult<R> {
        let values = self.header_values(headers)?;
        let headers: Vec<Option<&str>> = values.iter().map(|h| h.as_deref()).collect();
        f(&Request::new(method, path, query, &headers, body.unwrap_or_default()))
    }
}

#[pymethods]
impl Matcher {
    #[new]
    #[pyo3(signature = (routes, hits = None, statuses = None))]
    fn new(
        py: Python<'_>,
        routes: &Bound<'_, PyAny>,
        hits: Option<Py<HitCounts>>,
        statuses: Option<Vec<u16>>,
    ) -> PyResult<Self> {
        let mut errors = Vec::new();
        let mut specs = Vec::new();
        for (route, item) in routes.try_iter()?.enumerate() {
            let item = item?;
            specs.push(Reader { route, dict: &item, errors: &mut errors }.read());
        }
        if !errors.is_empty() {
            return Err(build_error(py, &errors));
        }
        // Everything below works on Rust data only: let other Python threads run meanwhile.
        let count = specs.len();
        let statuses = statuses.unwrap_or_default();
        if hits.is_some() && statuses.len() != count {
            return Err(PyValueError::new_err(format!(
                "expected {count} statuses (one per route, 0 for a route not counted here), got {}",
                statuses.len()
            )));
        }
        let built = py.detach(move || matcher::Matcher::build(specs));
        built
            .map(|inner| Self { inner, hits, statuses: statuses.into_boxed_slice() })
            .map_err(|errors| build_error(py, &errors))
    }

    #[getter]
    fn header_names<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inner.header_names().iter().map(|n| &**n))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// Hot path: one call per request.
    #[pyo3(signature = (method, path, query, headers, body))]
    fn r#match<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        path: &str,
        query: &str,
        headers: Option<&Bound<'py, PyAny>>,
        body: Option<&[u8]>,
    ) -> PyResult<Option<(usize, Option<Bound<'py, PyDict>>)>> {
        self.with_request(method, path, query, headers, body, |req| {
            let Some(m) = self.inner.match_request(req) else { return Ok(None) };
            let captures = m.captures.as_deref().map(|c| captures_dict(py, c)).transpose()?;
            Ok(Some((m.route, captures)))
        })
    }

    /// Hot path: one call per request. The winning route's index, as a plain int: no tuple to build and
    /// free per request. A responder that renders captures asks `captures` for them afterwards. A win for a
    /// route with a static status is counted in `hits` here, so the caller leaves it out of its metrics.
    #[pyo3(signature = (method, path, query, headers, body))]
    fn find(
        &self,
        method: &str,
        path: &str,
        query: &str,
        headers: Option<&Bound<'_, PyAny>>,
        body: Option<&[u8]>,
    ) -> PyResult<Option<usize>> {
        let found = self.with_request(method, path, query, headers, body, |req| Ok(self.inner.winner(req)))?;
        if let (Some(route), Some(hits)) = (found, &self.hits) {
            let status = self.statuses[route];
            if status != 0 {
                hits.get().lock().bump(method, path, status);
            }
        }
        Ok(found)
    }

    /// `find` without counting the hit: for a caller that only looks (chaos choosing its faults by mock).
    #[pyo3(signature = (method, path, query, headers, body))]
    fn find_uncounted(
        &self,
        method: &str,
        path: &str,
        query: &str,
        headers: Option<&Bound<'_, PyAny>>,
        body: Option<&[u8]>,
    ) -> PyResult<Option<usize>> {
        self.with_request(method, path, query, headers, body, |req| Ok(self.inner.winner(req)))
    }

    /// The path captures `route` asked for, for `path` (None when it asked for none): what `match` returns
    /// second, for a route `find` chose.
    fn captures<'py>(&self, py: Python<'py>, route: usize, path: &str) -> PyResult<Option<Bound<'py, PyDict>>> {
        self.inner.wanted_captures(route, path).as_deref().map(|c| captures_dict(py, c)).transpose()
    }

    /// Cold path: near-miss facts, best first.
    #[pyo3(signature = (method, path, query, headers, body, limit = 3))]
    fn explain<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        path: &str,
        query: &str,
        headers: Option<&Bound<'py, PyAny>>,
        body: Option<&[u8]>,
        limit: usize,
    ) -> PyResult<Bound<'py, PyList>> {
        let values = self.header_values(headers)?;
        let body = body.unwrap_or_default();
        // Scoring a large table takes a while (~1 ms at 10,000 routes): let other Python threads, and so the
        // event loop when the runtime calls this from a worker thread, run meanwhile (issue 12).
        let found = py.detach(|| {
            let headers: Vec<Option<&str>> = values.iter().map(|h| h.as_deref()).collect();
            self.inner.explain(&Request::new(method, path, query, &headers, body), limit)
        });
        let list = PyList::empty(py);
        for n in found {
            list.append(near_miss_dict(py, &n)?)?;
        }
        Ok(list)
    }

    /// Cold, for `mockd compile --explain`: every non-empty candidate list as (index name, key labels,
    /// [(route, score)]), sorted by index then key.
    fn layout<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for entry in self.inner.layout() {
            let key = PyTuple::new(py, &entry.key)?;
            list.append((entry.index.name(), key, entry.candidates))?;
        }
        Ok(list)
    }

    fn check_invariants(&self) -> PyResult<()> {
        self.inner.check_invariants().map_err(PyAssertionError::new_err)
    }
}

/// A Go regular expression for Python code outside the matcher (chaos rules' `pathPattern`): the same
/// translation and engine the matcher uses, so a pattern means one thing everywhere in a config.
#[pyclass(frozen, module = "mockd._native")]
struct GoRegex {
    re: regex::Regex,
}

#[pymethods]
impl GoRegex {
    #[new]
    fn new(pattern: &str) -> PyResult<Self> {
        regex_go::compile_str(pattern)
            .map(|(re, _)| Self { re })
            .map_err(PyValueError::new_err)
    }

    /// True when the pattern matches anywhere in `text` (Go's `MatchString`).
    fn search(&self, text: &str) -> bool {
        self.re.is_match(text)
    }
}

/// None if `pattern` is a valid RE2-syntax regex (as Go reads it), else the reason it is not.
#[pyfunction]
fn check_regex(pattern: &str) -> Option<String> {
    regex_go::check(pattern)
}

/// None if `expr` is a `JSONPath` the matcher can evaluate (ojg dialect, see `predicates/jsonpath.rs`).
#[pyfunction]
fn check_jsonpath(expr: &str) -> Option<String> {
    predicates::jsonpath::check(expr)
}

/// A YAML document as `PyYAML`'s safe loader reads it (no timestamps, string keys), or None when only
/// `PyYAML` can say (see `yaml_load.rs`); at most `max_nodes` nodes once aliases are expanded.
#[pyfunction]
fn load_yaml<'py>(py: Python<'py>, text: &str, max_nodes: usize) -> PyResult<Option<Bound<'py, PyAny>>> {
    yaml_load::load(py, text, max_nodes)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Matcher>()?;
    m.add_class::<GoRegex>()?;
    m.add_class::<HitCounts>()?;
    m.add("MatcherBuildError", m.py().get_type::<MatcherBuildError>())?;
    m.add_function(wrap_pyfunction!(check_regex, m)?)?;
    m.add_function(wrap_pyfunction!(check_jsonpath, m)?)?;
    m.add_function(wrap_pyfunction!(load_yaml, m)?)?;
    m.add_function(wrap_pyfunction!(metric_path, m)?)?;
    Ok(())
}
