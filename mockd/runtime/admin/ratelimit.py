"""The admin API's per-IP rate limit, off unless `--admin-rate-limit N` asks for it (docs/admin-api.md).

The Go tool always limits each caller to 100 req/s with a burst of 200, answering 429 `Too Many Requests`
(text/plain) with `Retry-After`. A test suite that creates and verifies many mocks between tests must never be
slowed by its own mock server, so here the limiter is off by default and, when on, loopback callers are
exempt. The bucket arithmetic and the `X-RateLimit-*` headers follow the Go tool.

Runs on the event-loop thread only, so the buckets need no lock.
"""

from __future__ import annotations

import math
import time

from mockd.runtime.admin.http import Response

MAX_BUCKETS = 10_000  # as Go: new addresses past this many are refused, so spoofed sources cannot grow memory


class _Bucket:
    __slots__ = ("tokens", "updated")

    def __init__(self, tokens: float, updated: float) -> None:
        self.tokens = tokens
        self.updated = updated


class RateLimiter:
    def __init__(self, rate: float, burst: int, max_buckets: int = MAX_BUCKETS) -> None:
        self.rate = rate
        self.burst = burst
        self.max_buckets = max_buckets
        self._buckets: dict[str, _Bucket] = {}

    def allow(self, ip: str, now: float | None = None) -> tuple[bool, int, int]:
        """(allowed, tokens left, seconds until full / until a token is back when refused)."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(ip)
        if bucket is None:
            if len(self._buckets) >= self.max_buckets:
                self._sweep(now)
                if len(self._buckets) >= self.max_buckets:
                    return False, 0, 1
            bucket = self._buckets[ip] = _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        missing = self.burst - bucket.tokens
        reset = int(missing / self.rate)
        if reset < 1 and missing > 0:
            reset = 1
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return True, max(int(bucket.tokens), 0), reset
        return False, 0, max(int((1 - bucket.tokens) / self.rate), 1)

    def _sweep(self, now: float) -> None:
        """Forget buckets that have refilled completely: they behave exactly like new ones."""
        rate, burst = self.rate, self.burst
        full = [ip for ip, b in self._buckets.items() if b.tokens + (now - b.updated) * rate >= burst]
        for ip in full:
            del self._buckets[ip]

    def headers(self, allowed: bool, remaining: int, reset: int) -> list[tuple[str, str]]:
        out = [
            ("x-ratelimit-limit", str(self.burst)),
            ("x-ratelimit-remaining", str(remaining)),
            ("x-ratelimit-reset", str(reset)),
        ]
        if not allowed:
            out.append(("retry-after", str(reset)))
        return out


def too_many_requests(headers: list[tuple[str, str]]) -> Response:
    """Go's `http.Error(w, "Too Many Requests", 429)`."""
    return Response(429, b"Too Many Requests\n", [("content-type", "text/plain; charset=utf-8"), *headers])


def limiter_for(rate: float) -> RateLimiter | None:
    """The limiter for `--admin-rate-limit` (burst twice the rate, as the Go tool's 100/200), or None."""
    if rate <= 0:
        return None
    return RateLimiter(rate, max(1, math.ceil(rate * 2)))
