//! Build errors. The crate returns data (route index, field, offending fragment, a stable slug); the `PyO3` edge
//! in `lib.rs` turns the whole list into one `MatcherBuildError`, and Python writes the prose around it.

use std::fmt;

/// One rejected part of one route. Every variant names the route (its index in the input list), the
/// `RouteSpec` key at fault and the offending text, so the compiler can point at `file:line:col`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatcherError {
    /// A key is missing or holds the wrong kind of value (raised while reading the route dicts).
    InvalidRoute { route: usize, field: String, fragment: String, reason: String },
    /// `pathPattern` or `bodyPattern` is not a valid RE2 regex.
    InvalidRegex { route: usize, field: &'static str, pattern: String, reason: String },
    /// A `bodyJsonPath` key is not a `JSONPath` we can evaluate.
    InvalidJsonPath { route: usize, path: String, reason: String },
    /// A `bodyJsonPath` expected value is not JSON text, or the op and value disagree.
    InvalidJsonValue { route: usize, value: String, reason: String },
    /// `path` and `pathPattern` are both set (Go scores such a matcher 0 and its validator rejects it).
    PathAndPattern { route: usize, path: String },
}

impl MatcherError {
    #[must_use]
    pub fn route(&self) -> usize {
        match self {
            Self::InvalidRoute { route, .. }
            | Self::InvalidRegex { route, .. }
            | Self::InvalidJsonPath { route, .. }
            | Self::InvalidJsonValue { route, .. }
            | Self::PathAndPattern { route, .. } => *route,
        }
    }

    /// The `RouteSpec` key at fault.
    #[must_use]
    pub fn field(&self) -> &str {
        match self {
            Self::InvalidRoute { field, .. } => field,
            Self::InvalidRegex { field, .. } => field,
            Self::InvalidJsonPath { .. } | Self::InvalidJsonValue { .. } => "bodyJsonPath",
            Self::PathAndPattern { .. } => "pathPattern",
        }
    }

    /// The offending text, verbatim.
    #[must_use]
    pub fn fragment(&self) -> &str {
        match self {
            Self::InvalidRoute { fragment, .. } => fragment,
            Self::InvalidRegex { pattern: text, .. }
            | Self::InvalidJsonPath { path: text, .. }
            | Self::InvalidJsonValue { value: text, .. }
            | Self::PathAndPattern { path: text, .. } => text,
        }
    }

    /// Stable `snake_case` identifier of the kind of error.
    #[must_use]
    pub fn slug(&self) -> &'static str {
        match self {
            Self::InvalidRoute { .. } => "invalid_route",
            Self::InvalidRegex { .. } => "invalid_regex",
            Self::InvalidJsonPath { .. } => "invalid_jsonpath",
            Self::InvalidJsonValue { .. } => "invalid_json_value",
            Self::PathAndPattern { .. } => "path_and_pattern",
        }
    }

    /// The underlying cause (a parser's message, or a short fact), without the route or the fragment.
    #[must_use]
    pub fn reason(&self) -> String {
        match self {
            Self::InvalidRoute { reason, .. }
            | Self::InvalidRegex { reason, .. }
            | Self::InvalidJsonPath { reason, .. }
            | Self::InvalidJsonValue { reason, .. } => reason.clone(),
            Self::PathAndPattern { .. } => "path and pathPattern are mutually exclusive".to_owned(),
        }
    }
}

impl fmt::Display for MatcherError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "route {} {}: {} ({:?})", self.route(), self.field(), self.reason(), self.fragment())
    }
}

impl std::error::Error for MatcherError {}
