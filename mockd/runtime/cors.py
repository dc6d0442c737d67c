"""CORS on the mock port, as the Go tool's middleware does it (reference §3.10).

The Go tool wraps the whole mock port: for a request whose Origin is allowed it sets
`Access-Control-Allow-Origin/-Methods/-Headers/-Max-Age` (plus `-Expose-Headers` and
`-Allow-Credentials: true` when configured) before anything else writes headers, so every reply carries
them (mocks, 404 no_match, /health fallbacks, /__mockd/*, errors); headers a mock sets itself replace them.
An OPTIONS request that no HTTP mock matches is answered by the middleware: 200 for an allowed Origin, 403
otherwise, with an empty body and nothing logged.

Origins: `*` in the list allows every origin (echoed instead of `*` when credentials are on; with `*` even
a request without Origin gets the headers), then exact entries, then, always, any origin starting with
`http://localhost:` or `http://127.0.0.1:`.

Hot path: the answer for an Origin value is computed once and cached, so a request with an Origin pays
one dict lookup, and one without pays one attribute read. `CorsProto` adds the headers to whatever reply
the request ends up with, without touching each place that answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

Headers = list[tuple[str, str]]

DEFAULT_ORIGINS = (
    "http://localhost:3000", "http://localhost:4290", "http://localhost:5173",
    "http://127.0.0.1:3000", "http://127.0.0.1:4290", "http://127.0.0.1:5173",
)  # fmt: skip
DEFAULT_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")
DEFAULT_HEADERS = ("Content-Type", "Authorization", "X-Requested-With", "Accept", "Origin")
DEFAULT_MAX_AGE = 86400
_LOCAL_PREFIXES = ("http://localhost:", "http://127.0.0.1:")  # always allowed: mockd is a development tool
# Lower-case names a mock's own headers may replace (Go's Header.Set on the same canonical name).
CORS_HEADER_NAMES = frozenset((
    "access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers",
    "access-control-expose-headers", "access-control-allow-credentials", "access-control-max-age",
))  # fmt: skip
# Answers are cached per Origin value; past this many distinct values (a client cycling through made-up
# origins) new ones are computed per request instead of growing the cache.
_MAX_CACHED = 1024
_MISS: Any = object()


class CorsPolicy:
    """The CORS settings of the mock port, with every answer precomputed where it can be.

    Empty `allow_methods`/`allow_headers` and a `max_age` <= 0 mean the Go tool's defaults. A disabled
    policy (`enabled=False`) must not be consulted at all: the Go middleware then neither adds headers nor
    answers preflights, so keep `None` instead of the policy in the server.
    """

    __slots__ = ("_cache", "_common", "_credentials", "_wildcard", "enabled", "no_origin", "origins")

    def __init__(
        self,
        *,
        enabled: bool = True,
        allow_origins: Iterable[str] = DEFAULT_ORIGINS,
        allow_methods: Sequence[str] = (),
        allow_headers: Sequence[str] = (),
        expose_headers: Sequence[str] = (),
        allow_credentials: bool = False,
        max_age: int = 0,
    ) -> None:
        self.enabled = enabled
        self.origins = tuple(allow_origins)
        self._credentials = allow_credentials
        self._wildcard = "*" in self.origins
        common: Headers = [
            ("access-control-allow-methods", ", ".join(allow_methods or DEFAULT_METHODS)),
            ("access-control-allow-headers", ", ".join(allow_headers or DEFAULT_HEADERS)),
        ]
        if expose_headers:
            common.append(("access-control-expose-headers", ", ".join(expose_headers)))
        if allow_credentials:
            common.append(("access-control-allow-credentials", "true"))
        common.append(("access-control-max-age", str(max_age if max_age > 0 else DEFAULT_MAX_AGE)))
        self._common = common
        # What a request without an Origin header (or with an empty one) gets: only `*` without credentials
        # allows that, as Go's GetAllowOriginValue("") returns "*" then.
        self.no_origin: Headers | None = (
            self._headers("*") if enabled and self._wildcard and not allow_credentials else None
        )
        self._cache: dict[str, Headers | None] = {}
        for origin in self.origins:
            if origin and origin != "*":
                self._cache[origin] = self._compute(origin)

    @classmethod
    def default(cls) -> CorsPolicy:
        """The Go tool's built-in policy: localhost origins only."""
        return cls()

    @classmethod
    def from_origins_flag(cls, value: str) -> CorsPolicy:
        """`--cors-origins a,b` (Go `serve`): the list replaces the defaults and any request header is
        allowed (`Access-Control-Allow-Headers: *`). An empty value keeps the default policy."""
        if not value:
            return cls.default()
        return cls(allow_origins=[o.strip() for o in value.split(",")], allow_headers=("*",))

    def _headers(self, allow_origin: str) -> Headers:
        return [("access-control-allow-origin", allow_origin), *self._common]

    def allow_origin_value(self, origin: str) -> str:
        """Go's `GetAllowOriginValue`: the Allow-Origin value for a request Origin, "" when not allowed."""
        if not self.enabled:
            return ""
        if self._wildcard:
            if self._credentials:
                return origin
            return "*"
        if origin in self.origins or origin.startswith(_LOCAL_PREFIXES):
            return origin
        return ""

    def _compute(self, origin: str) -> Headers | None:
        value = self.allow_origin_value(origin)
        return self._headers(value) if value else None

    def headers_for(self, origin: str | None) -> Headers | None:
        """Hot path — change with care. The CORS headers for a request's Origin (None or "" when absent),
        or None when the reply gets none. The list is shared: never mutate it."""
        if not origin:
            return self.no_origin
        found = self._cache.get(origin, _MISS)
        if found is _MISS:
            found = self._compute(origin)
            if len(self._cache) < _MAX_CACHED:
                self._cache[origin] = found
        return found

    def preflight(self, origin: str | None) -> tuple[int, Headers]:
        """The reply to an OPTIONS request that no mock matched: 200 with the CORS headers for an allowed
        Origin, else 403 without them. Send it with an empty body, and do not log it."""
        headers = self.headers_for(origin)
        return (200, headers) if headers is not None else (403, [])


def add_cors(headers: Headers, cors: Headers) -> Headers:
    """`headers` plus the CORS headers the reply does not set itself (the mock's own value wins).

    Hot path — change with care: the usual reply sets one or two headers and none of these.
    """
    for name, _ in headers:
        if name.lower() in CORS_HEADER_NAMES:
            own = {n.lower() for n, _ in headers}
            return [*headers, *(h for h in cors if h[0] not in own)]
    return headers + cors


class CorsProto:
    """An RSGI protocol that adds CORS headers to whichever reply is sent through it.

    Wrap the request's protocol once the Origin is known to be allowed; everything else (reading the body,
    disconnect checks) goes straight to the wrapped protocol.
    """

    __slots__ = ("_cors", "_proto")

    def __init__(self, proto: Any, cors: Headers) -> None:
        self._proto = proto
        self._cors = cors

    def __call__(self) -> Any:
        return self._proto()

    def __aiter__(self) -> Any:
        return self._proto.__aiter__()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._proto, name)

    def response_empty(self, status: int, headers: Headers) -> None:
        self._proto.response_empty(status, add_cors(headers, self._cors))

    def response_str(self, status: int, headers: Headers, body: str) -> None:
        self._proto.response_str(status, add_cors(headers, self._cors), body)

    def response_bytes(self, status: int, headers: Headers, body: bytes) -> None:
        self._proto.response_bytes(status, add_cors(headers, self._cors), body)

    def response_file(self, status: int, headers: Headers, file: str) -> None:
        self._proto.response_file(status, add_cors(headers, self._cors), file)

    def response_stream(self, status: int, headers: Headers) -> Any:
        return self._proto.response_stream(status, add_cors(headers, self._cors))
