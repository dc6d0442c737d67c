"""Type stub for mockd's Rust extension (the crate in rust/).

Only `mockd.runtime.matcher` and the compiler's checks import this module. The matcher is built in one call
from plain route data produced by `mockd.plan.model` and is never mutated: to change mocks, build a new
one and swap the reference.
"""

from collections.abc import Sequence
from typing import Any, Literal, Self, TypedDict, final

__all__ = [
    "GoRegex",
    "HitCounts",
    "Matcher",
    "MatcherBuildError",
    "check_jsonpath",
    "check_regex",
    "load_yaml",
    "metric_path",
]

class RouteInput(TypedDict):
    """One route, as `mockd.plan.model.RouteSpec` (see there for the meaning of each key)."""

    id: str
    name: str | None
    method: str | None
    path: str | None
    pathPattern: str | None
    strict: bool
    headers: list[tuple[str, str]]
    query: list[tuple[str, str]]
    bodyEquals: str | None
    bodyContains: str | None
    bodyPattern: str | None
    bodyJsonPath: list[tuple[str, Literal["eq", "exists", "absent"], str | None]]
    priority: int
    tier: int
    captures: bool

class BuildErrorDetail(TypedDict):
    route: int
    field: str  # the RouteSpec key at fault
    fragment: str  # the offending text (for a bad value of the wrong type, its repr)
    reason: str  # the underlying cause, e.g. the regex parser's message
    # stable slug: invalid_route | invalid_regex | invalid_jsonpath | invalid_json_value | path_and_pattern
    type: str

class MatcherBuildError(ValueError):
    """Raised by `Matcher(...)` with every rejected route at once (`errors`)."""

    errors: list[BuildErrorDetail]

IndexName = Literal["exact", "params", "strict", "wildcards", "always"]

class HeaderDetail(TypedDict):
    key: str
    expected: str
    actual: str
    matched: bool

class FieldFact(TypedDict, total=False):
    field: str
    matched: bool
    score: int
    maxScore: int
    expected: str
    actual: str
    details: list[HeaderDetail]

class NearMissFact(TypedDict):
    route: int
    score: int
    maxPossibleScore: int
    matchPercentage: int
    fields: list[FieldFact]

@final
class Matcher:
    # PyO3 builds the object in `__new__` (there is no `__init__`); the call looks the same.
    # With `hits`, `statuses` gives each route's static status (0: not counted here), one per route.
    def __new__(
        cls,
        routes: Sequence[RouteInput],
        hits: HitCounts | None = None,
        statuses: Sequence[int] | None = None,
    ) -> Self: ...
    @property
    def header_names(self) -> tuple[str, ...]:
        """Lower-case names of every header any route tests, in the order `match` expects values."""
    def __len__(self) -> int: ...
    def match(
        self,
        method: str,
        path: str,
        query: str,
        headers: Sequence[str | None] | None,
        body: bytes | None,
    ) -> tuple[int, dict[str, str] | None] | None:
        """Hot path: the winning route's index and, when that route asked for them, its captures.

        `path` is the decoded request path, `query` the raw query string (no `?`), `headers` the values of
        `header_names` in order (None when absent), `body` the raw body. A HEAD request that matches
        nothing is retried as GET.
        """
    def find(
        self,
        method: str,
        path: str,
        query: str,
        headers: Sequence[str | None] | None,
        body: bytes | None,
    ) -> int | None:
        """Hot path: `match`'s winning route index alone (no tuple per request). A win for a route with a
        non-zero status in `statuses` is counted in `hits` (so the caller leaves it out of its metrics)."""
    def find_uncounted(
        self,
        method: str,
        path: str,
        query: str,
        headers: Sequence[str | None] | None,
        body: bytes | None,
    ) -> int | None:
        """`find` without counting: for callers that only look (chaos choosing faults by mock)."""
    def captures(self, route: int, path: str) -> dict[str, str] | None:
        """The captures `route` asked for, for `path`; None when it asked for none (`match`'s second item)."""
    def explain(
        self,
        method: str,
        path: str,
        query: str,
        headers: Sequence[str | None] | None,
        body: bytes | None,
        limit: int = 3,
    ) -> list[NearMissFact]:
        """Cold path (only after a miss): the best partial matches, scored without short-circuiting."""
    def layout(self) -> list[tuple[IndexName, tuple[str, ...], list[tuple[int, int]]]]:
        """Cold (`mockd compile --explain`): every non-empty candidate list as (index, key, candidates).

        `key` is the decoded path for "exact", the segment labels from the root for the tries ("{}" stands
        for a parameter, "{}.json" for a partial segment; "wildcards" keys are the literal segments before
        the first `*`), and empty for "always". `candidates` are (route index, full score) in precedence
        order. Sorted by index, then key.
        """
    def check_invariants(self) -> None:
        """Test helper: raises AssertionError if the trie or the candidate ordering is inconsistent."""

@final
class HitCounts:
    """Static hits `Matcher.find` counted for `/metrics`, by (method, normalised path, status). One per
    journal, shared by the route tables it builds."""

    def __new__(cls) -> Self: ...
    def take(self) -> list[tuple[str, str, int, int]]:
        """(method, normalised path, status, count) for every key counted since the last take; counting
        restarts from zero."""
    def __len__(self) -> int: ...

def metric_path(path: str) -> str:
    """The Go tool's metrics label for a path: UUID segments -> `{uuid}`, 24-hex and 3+ ASCII digits ->
    `{id}`."""

def check_regex(pattern: str) -> str | None:
    """None if `pattern` is a valid RE2-syntax regex, else the reason it is not."""

def check_jsonpath(expr: str) -> str | None:
    """None if `expr` is a valid JSONPath expression, else the reason it is not."""

@final
class GoRegex:
    """A Go regular expression (RE2 syntax, Go's ASCII classes), compiled once; ValueError when Go would
    refuse it, with the reason."""

    def __new__(cls, pattern: str) -> Self: ...
    def search(self, text: str) -> bool:
        """True when the pattern matches anywhere in `text` (Go's `MatchString`)."""

def load_yaml(text: str, max_nodes: int) -> Any | None:
    """A YAML document as PyYAML's safe loader reads it (YAML 1.1 scalars, no timestamps, every key a
    string, aliases copied), or None when PyYAML must read it: tags, merge keys, complex keys, several
    documents, a syntax error, or more than `max_nodes` nodes once aliases are expanded."""
