"""Mock validation with the Go tool's messages, in its order (reference §2.5, `pkg/mock/validator.go`).

The Go tool stops at the first problem; for files we report every independent one (a missing matcher does not
hide a bad status code), in the order Go checks them, so the first error here is the one Go would print and
the admin API can answer with exactly Go's `validation error on <field>: <message>`.

Each issue carries two names for the same place: the document path (`mocks[2].http.matcher.path`, for
positions) and Go's field name (`matcher.path`, for the admin message).
"""

from __future__ import annotations

import re

from mockd.compiler.check import native as checks
from mockd.compiler.check.paths import unsafe_path
from mockd.compiler.check.protocol_rules import validate_chunked, validate_protocol, validate_sse
from mockd.compiler.issues import Issues
from mockd.compiler.models import PROTOCOLS, HTTPMatcher, HTTPPassthrough, HTTPResponse, Mock, MTLSMatch
from mockd.gocompat import gojson
from mockd.gocompat.positions import Path
from mockd.gocompat.quote import go_quote
from mockd.proxy.url import url_problem
from mockd.templates import check_template
from mockd.validation import Problem, parse_request

VALID_METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"})
HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+\-.^_`|~]+\Z")
# RFC 9110 field values: no control character but HTAB. The HTTP layer drops a header that has one (CR and
# LF would split it), so a configured one is refused where it is written instead of vanishing per request.
_HEADER_VALUE_CTL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_RESPONSE_KINDS = "response, sse, chunked, statefulOperation, or statefulBinding"


def _shown(name: str) -> str:
    """A name as Go prints it, quoted when it holds characters that would break the message's line."""
    return name if name.isprintable() else go_quote(name)


class MockValidator:
    """Validates one mock; `path` is the mock's document path, `http_path` where its HTTP spec lives
    (`path + ("http",)`, or `path` itself for the legacy shape)."""

    def __init__(self, issues: Issues, path: Path, http_path: Path, doc: int = 0) -> None:
        self.issues = issues
        self.path = path
        self.http_path = http_path
        self.doc = doc

    def error(self, go_field: str, message: str, slug: str, where: Path, *, at_key: bool = False) -> None:
        self.issues.error(message, slug, where, go_field=go_field, at_key=at_key, doc=self.doc)

    # ----------------------------------------------------------------------------------------- mock

    def mock(self, m: Mock) -> None:
        if not m.id:
            self.error("id", "id is required", "id_required", (*self.path, "id"))
            return
        if m.type == "http":
            self.http(m)
        elif m.type in PROTOCOLS:
            validate_protocol(m, self)
        elif m.type == "":  # only reachable from the admin API (config mocks get a type first)
            if m.http is not None:
                self.http(m)
            else:
                self.error("type", "type is required", "missing_type", (*self.path, "type"))
        else:
            self.error("type", f"unknown mock type: {m.type}", "unknown_type", (*self.path, "type"))

    def http(self, m: Mock) -> None:
        spec = m.http
        hp = self.http_path
        if spec is None:
            self.error("http", "http spec is required for HTTP mocks", "http_required", hp)
            return
        if spec.matcher is None:
            self.error("http.matcher", "matcher is required", "matcher_required", (*hp, "matcher"))
        else:
            self.matcher(spec.matcher, (*hp, "matcher"))
        kinds = [
            spec.response is not None,
            spec.sse is not None,
            spec.chunked is not None,
            bool(spec.statefulOperation),
            spec.statefulBinding is not None,
        ]
        if spec.passthrough is not None:  # ours: Go's messages stay as they are for Go's own kinds
            self.passthrough(spec.passthrough, (*hp, "passthrough"), others=sum(kinds))
        elif sum(kinds) == 0:
            self.error(
                "http.response",
                f"one of {_RESPONSE_KINDS} is required",
                "response_required",
                (*hp, "response"),
            )
        elif sum(kinds) > 1:
            self.error(
                "http.response",
                f"only one of {_RESPONSE_KINDS} may be specified",
                "response_conflict",
                (*hp, "response"),
            )
        if spec.response is not None:
            self.response(spec.response, (*hp, "response"))
        if spec.sse is not None:
            validate_sse(spec.sse, (*hp, "sse"), self)
        if spec.chunked is not None:
            validate_chunked(spec.chunked, (*hp, "chunked"), self)
        if spec.priority < 0:
            self.error("http.priority", "priority must be >= 0", "invalid_priority", (*hp, "priority"))
        if spec.validation is not None:
            self.rule_problems(parse_request(spec.validation)[1], "http.validation", (*hp, "validation"))

    def passthrough(self, p: HTTPPassthrough, where: Path, *, others: int) -> None:
        """`http.passthrough` (ours): a base URL the compiler checks now, not a request's 502 later."""
        if others:
            self.error("http.passthrough", f"passthrough cannot be combined with {_RESPONSE_KINDS}",
                       "response_conflict", where)  # fmt: skip
        if not p.upstream:
            self.error("http.passthrough.upstream", "passthrough.upstream is required (an http:// or "
                       "https:// base URL)", "upstream_required", (*where, "upstream"))  # fmt: skip
        else:
            problem = url_problem(p.upstream)
            if problem is not None:
                self.error("http.passthrough.upstream", f"invalid upstream {p.upstream!r}: {problem}",
                           "invalid_upstream", (*where, "upstream"))  # fmt: skip
        for key in ("connectTimeoutMs", "readTimeoutMs"):
            value = getattr(p, key)
            if value is not None and not 0 < value <= 3_600_000:
                self.error(f"http.passthrough.{key}", f"{key} must be between 1 and 3600000 (one hour)",
                           "invalid_timeout", (*where, key))  # fmt: skip

    def rule_problems(self, problems: list[Problem], go_field: str, p: Path) -> None:
        """Request-validation rules (kept verbatim) checked at load: a mistyped rule is an error, as Go's
        decoder refuses the file; an unknown key a warning (Go ignores it silently, hiding typos)."""
        for problem in problems:
            where = (*p, *problem.path)
            if problem.error:
                name = ".".join(str(part) for part in (go_field, *problem.path))
                self.error(name, problem.message, "invalid_validation_rule", where)
            else:
                slug = "unknown_validation_key"
                self.issues.warning(problem.message, slug, where, at_key=True, doc=self.doc)

    # -------------------------------------------------------------------------------------- matcher

    def matcher(self, m: HTTPMatcher, p: Path) -> None:
        has_criteria = bool(
            m.method
            or m.path
            or m.pathPattern
            or m.headers
            or m.queryParams
            or m.bodyContains
            or m.bodyEquals
            or m.bodyPattern
            or m.bodyJsonPath
        )
        if not has_criteria:  # note: mtls alone does not count, as in Go
            self.error("matcher", "at least one matching criterion must be specified", "empty_matcher", p)
        if m.method and m.method.upper() not in VALID_METHODS:
            self.error("matcher.method", f"invalid HTTP method: {m.method}", "invalid_method", (*p, "method"))
        if m.path and not m.path.startswith("/"):
            self.error("matcher.path", "path must start with /", "invalid_path", (*p, "path"))
        if m.path and m.pathPattern:
            self.error(
                "matcher", "cannot specify both path and pathPattern", "path_conflict", (*p, "pathPattern")
            )
        for key in ("pathPattern", "bodyPattern"):
            pattern = getattr(m, key)
            if pattern:
                reason = checks.check_regex(pattern)
                if reason is not None:
                    self.error(
                        f"matcher.{key}", f"invalid regex pattern: {reason}", "invalid_regex", (*p, key)
                    )
        for key in m.headers or {}:
            if not HEADER_NAME.match(key):
                name = _shown(key)
                self.error(
                    "matcher.headers",
                    f"invalid header name: {name}",
                    "invalid_header_name",
                    (*p, "headers", key),
                    at_key=True,
                )
        if m.bodyEquals and m.bodyContains:
            self.error(
                "matcher",
                "cannot specify both bodyEquals and bodyContains",
                "body_matcher_conflict",
                (*p, "bodyContains"),
            )
        for expr, expected in (m.bodyJsonPath or {}).items():
            try:  # the matcher receives the expected value as JSON text; NaN/Inf (YAML .nan) have none
                gojson.marshal_text(expected)
            except gojson.UnsupportedValue as exc:
                self.error("matcher.bodyJsonPath", f"invalid expected value for {go_quote(expr)}: {exc}",
                           "invalid_jsonpath_value", (*p, "bodyJsonPath", expr))  # fmt: skip
            reason = checks.check_jsonpath(expr)
            if reason is not None:
                self.error(
                    "matcher.bodyJsonPath",
                    f"invalid JSONPath expression {go_quote(expr)}: {reason}",
                    "invalid_jsonpath",
                    (*p, "bodyJsonPath", expr),
                    at_key=True,
                )
        if m.mtls is not None:
            self.mtls(m.mtls, (*p, "mtls"))

    def mtls(self, m: MTLSMatch, p: Path) -> None:
        if m.cn and m.cnPattern:
            self.error("matcher.mtls", "cannot specify both cn and cnPattern", "mtls_conflict", p)
        if m.cnPattern:
            reason = checks.check_regex(m.cnPattern)
            if reason is not None:
                self.error(
                    "matcher.mtls.cnPattern",
                    f"invalid regex pattern: {reason}",
                    "invalid_regex",
                    (*p, "cnPattern"),
                )
        if m.fingerprint:
            fp = m.fingerprint.removeprefix("sha256:").removeprefix("SHA256:").replace(":", "").lower()
            if len(fp) != 64:
                self.error(
                    "matcher.mtls.fingerprint",
                    "fingerprint must be 64 hex characters (SHA256)",
                    "invalid_fingerprint",
                    (*p, "fingerprint"),
                )
            elif any(c not in "0123456789abcdef" for c in fp):
                self.error(
                    "matcher.mtls.fingerprint",
                    "fingerprint must contain only hex characters",
                    "invalid_fingerprint",
                    (*p, "fingerprint"),
                )

    # ------------------------------------------------------------------------------------- response

    def response(self, r: HTTPResponse, p: Path) -> None:
        if r.statusCode is not None and not 100 <= r.statusCode <= 599:  # absent: 200 (D7)
            self.error(
                "response.statusCode",
                f"statusCode must be between 100-599, got {r.statusCode}",
                "invalid_status",
                (*p, "statusCode"),
            )
        if r.body and r.bodyFile:
            self.error("response", "cannot specify both body and bodyFile", "body_conflict", (*p, "bodyFile"))
        if r.bodyFile and unsafe_path(r.bodyFile):
            self.error("response.bodyFile", "path cannot contain '..'", "unsafe_path", (*p, "bodyFile"))
        if r.delayMs < 0:
            self.error("response.delayMs", "delayMs must be >= 0", "invalid_delay", (*p, "delayMs"))
        if r.delayMs > 30000:
            self.error(
                "response.delayMs", "delayMs must be <= 30000 (30 seconds)", "invalid_delay", (*p, "delayMs")
            )
        for key in r.headers or {}:
            if not HEADER_NAME.match(key):
                name = _shown(key)
                self.error(
                    "response.headers",
                    f"invalid header name: {name}",
                    "invalid_header_name",
                    (*p, "headers", key),
                    at_key=True,
                )
        for key, value in (r.headers or {}).items():
            bad = _HEADER_VALUE_CTL.search(value)
            if bad is not None:  # issue 12
                name, char = _shown(key), repr(bad.group())
                self.error(
                    "response.headers",
                    f"invalid header value for {name}: control character {char} is not allowed",
                    "invalid_header_value",
                    (*p, "headers", key),
                )
        self.templates(r, p)

    def templates(self, r: HTTPResponse, p: Path) -> None:
        """Template mistakes are not errors (Go blanks an unknown expression), but `validate` says where."""
        texts: list[tuple[str, Path]] = [(v, (*p, "headers", k)) for k, v in (r.headers or {}).items()]
        if isinstance(r.body, str):
            texts.append((r.body, (*p, "body")))
        for text, where in texts:
            for problem in check_template(text):
                self.issues.warning(f"template {problem}", "template_syntax", where, doc=self.doc)


def validate_mock(m: Mock, issues: Issues, path: Path = (), *, legacy: bool = False, doc: int = 0) -> None:
    """Append every Go validation error of `m` to `issues` (Go's order; `go_field` set on each)."""
    MockValidator(issues, path, path if legacy else (*path, "http"), doc).mock(m)
