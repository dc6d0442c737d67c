"""The injector: which faults a request gets (operations reference §1.3), drawn from one seeded generator.

Built once per chaos configuration from a validated `ChaosSpec` (durations are parsed here, once). Per
request, `select(method, path)` runs synchronously on the event loop, so the draws happen in
request-arrival order: with a seed, the same request sequence gets the same faults, delays, status codes
and state-machine moves.
Everything random is decided here, at selection time, so the concurrency of what follows cannot reorder it.

Cost: `select` is only called when chaos is configured. Rules are found through a per-path cache of the rules
whose pattern matches (a dict lookup once a path was seen), so a request no rule matches pays one lookup plus
the global draws, and nothing else. This module imports neither pydantic nor YAML (the mock port loads it).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from mockd.chaos.durations import parse_duration
from mockd.chaos.spec import STATEFUL_TYPES, ChaosSpec, FaultSpec
from mockd.gocompat.regex import GoRegex, compile_go

Reply = tuple[int, list[tuple[str, str]], bytes]
Sampler = Callable[[random.Random], float]

_PATH_CACHE_LIMIT = 8192
# z of the 99th percentile of the standard normal distribution (log-normal p99 = p50 * exp(z * sigma)).
_Z99 = 2.3263478740408408


class Fault(NamedTuple):
    """One selected fault with its drawn values. `kind` is the fault type; `args` depend on it."""

    kind: str
    args: tuple[Any, ...] = ()


MATCH_FIRST: list[Fault] = [Fault("match_first")]  # select() of an injector with `mockId` rules


def _dur(value: Any, default: float) -> float:
    """A configured duration in seconds; numbers or bad strings fall back to the default (Go's reading)."""
    if isinstance(value, str):
        parsed = parse_duration(value)
        if parsed is not None:
            return parsed
    return default


def _num(value: Any, default: float) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default


def latency_sampler(cfg: dict[str, Any], *, default_min: float = 0.0, default_max: float = 0.1) -> Sampler:
    """Seconds of delay per draw, by distribution (docs/chaos.md). `uniform` is the Go tool's: uniform in
    [min, max), min == max exact, swapped when reversed; the others go beyond it. `max` caps every one."""
    dist = cfg.get("distribution") or "uniform"
    lo = _dur(cfg.get("min"), default_min)
    hi = _dur(cfg.get("max"), default_max) if cfg.get("max") not in (None, "") else None
    if dist == "fixed":
        value = _dur(cfg.get("value"), lo)
        return lambda rng: value
    if dist == "normal":
        mean, sd = _dur(cfg.get("mean"), 0.0), _dur(cfg.get("stddev"), 0.0)
        return _capped(lambda rng: max(0.0, rng.gauss(mean, sd)), hi)
    if dist == "lognormal":
        p50, p99 = _dur(cfg.get("p50"), 0.1), _dur(cfg.get("p99"), 1.0)
        mu, sigma = math.log(p50), math.log(p99 / p50) / _Z99
        return _capped(lambda rng: rng.lognormvariate(mu, sigma), hi)
    if dist == "pareto":
        alpha = _num(cfg.get("alpha"), 1.5)
        return _capped(lambda rng: lo * rng.paretovariate(alpha), hi)
    hi = hi if hi is not None else default_max
    if lo > hi:
        lo, hi = hi, lo
    if lo == hi:
        return lambda rng: lo
    # Go draws whole nanoseconds in [min, max)
    span = round((hi - lo) * 1e9)
    start = round(lo * 1e9)
    return lambda rng: (start + rng.randrange(span)) / 1e9


def _capped(sample: Sampler, cap: float | None) -> Sampler:
    if cap is None:
        return sample
    return lambda rng: min(sample(rng), cap)


def _go_text_reply(status: int) -> Reply:
    """Go's `http.Error` page: `<reason>\\n`, text/plain, nosniff."""
    return (
        status,
        [("content-type", "text/plain; charset=utf-8"), ("x-content-type-options", "nosniff")],
        (reason_phrase(status) + "\n").encode(),
    )


def reason_phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _rfc3339(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


class CircuitBreaker:
    """closed -> open -> half_open (operations reference §1.5)."""

    def __init__(self, cfg: dict[str, Any], rng: random.Random) -> None:
        self.rng = rng
        ft = int(_num(cfg.get("failureThreshold"), 5))
        self.failure_threshold = ft if ft >= 1 else 5
        self.success_threshold = int(_num(cfg.get("successThreshold"), 3))
        od = _dur(cfg.get("openDuration"), 30.0)
        self.open_duration = od if od > 0 else 30.0
        self.trip_after = int(_num(cfg.get("tripAfter"), 0))
        self.closed_error_rate = _num(cfg.get("closedErrorRate"), 0.0)
        self.half_open_error_rate = _num(cfg.get("halfOpenErrorRate"), 0.5)
        code = int(_num(cfg.get("openStatusCode"), 503))
        self.open_status = code if 400 <= code <= 599 else 503
        retry = max(1, int(self.open_duration))
        body = cfg.get("openBody")
        self.open_body = (
            body.encode()
            if isinstance(body, str) and body
            else f'{{"error":"circuit breaker open","state":"open","retry_after":{retry}}}'.encode()
        )
        self.open_headers = [
            ("retry-after", str(retry)),
            ("x-circuit-state", "open"),
            ("content-type", "application/json"),
        ]
        self.reset()

    def reset(self) -> None:
        self.state = "closed"
        self.requests = 0
        self.consecutive_failures = 0
        self.consecutive_successes = 0
        self.total_requests = 0
        self.total_trips = 0
        self.total_rejected = 0
        self.total_passed = 0
        self.total_half_open = 0
        self.state_changes = 0
        self.opened_at: float | None = None

    def _move(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changes += 1
            if state == "half_open":
                self.total_half_open += 1
                self.consecutive_successes = 0

    def trip(self, now: float) -> None:
        self._move("open")
        self.total_trips += 1
        self.opened_at = now

    def _reject(self, now: float, trip: bool) -> Reply:
        if trip:
            self.trip(now)
        self.total_rejected += 1
        return (self.open_status, self.open_headers, self.open_body)

    def refresh(self, now: float) -> None:
        if self.state == "open" and self.opened_at is not None and now - self.opened_at >= self.open_duration:
            self._move("half_open")

    def evaluate(self, now: float) -> Reply | None:
        self.total_requests += 1
        self.refresh(now)
        if self.state == "open":
            return self._reject(now, False)
        if self.state == "closed":
            self.requests += 1
            if self.trip_after > 0 and self.requests >= self.trip_after:
                return self._reject(now, True)
            if self.closed_error_rate > 0 and self.rng.random() < self.closed_error_rate:
                self.consecutive_failures += 1
                if self.consecutive_failures >= self.failure_threshold:
                    return self._reject(now, True)
                return _go_text_reply(500)
            self.consecutive_failures = 0
            self.total_passed += 1
            return None
        if self.rng.random() < self.half_open_error_rate:
            return self._reject(now, True)
        self.consecutive_successes += 1
        self.total_passed += 1
        if self.consecutive_successes >= self.success_threshold:
            self._move("closed")
            self.requests = 0
            self.consecutive_failures = 0
        return None

    def status(self, now: float) -> dict[str, Any]:
        self.refresh(now)
        out: dict[str, Any] = {
            "state": self.state,
            "consecutiveFailures": self.consecutive_failures,
            "consecutiveSuccesses": self.consecutive_successes,
            "totalRequests": self.total_requests,
            "totalTrips": self.total_trips,
            "totalRejected": self.total_rejected,
            "totalPassed": self.total_passed,
            "totalHalfOpen": self.total_half_open,
            "stateChanges": self.state_changes,
        }
        if self.opened_at is not None and self.state != "closed":
            out["openedAt"] = _rfc3339(self.opened_at)
        return out


class RetryAfterTracker:
    """Limit, wait `retryAfter`, let one request pass, limit again (operations reference §1.5)."""

    def __init__(self, cfg: dict[str, Any]) -> None:
        code = int(_num(cfg.get("statusCode"), 429))
        self.status_code = code if code in (429, 503) else 429
        self.retry_after = _dur(cfg.get("retryAfter"), 30.0)
        body = cfg.get("body")
        self.body = body if isinstance(body, str) and body else None
        self.limited = False
        self.limited_at: float | None = None
        self.total_limited = 0
        self.total_passed = 0

    def evaluate(self, now: float) -> Reply | None:
        if self.limited and self.limited_at is not None and now - self.limited_at >= self.retry_after:
            self.limited = False
            self.total_passed += 1
            return None
        if not self.limited:
            self.limited = True
            self.limited_at = now
        self.total_limited += 1
        assert self.limited_at is not None
        remaining = max(1, int(self.retry_after - (now - self.limited_at)))
        body = self.body or (f'{{"error":"{reason_phrase(self.status_code)}","retry_after":{remaining}}}')
        headers = [("retry-after", str(remaining)), ("content-type", "application/json")]
        return (self.status_code, headers, body.encode())

    def status(self, now: float) -> dict[str, Any]:
        out: dict[str, Any] = {
            "isLimited": self.limited,
            "statusCode": self.status_code,
            "retryAfterMs": round(self.retry_after * 1000),
            "totalLimited": self.total_limited,
            "totalPassed": self.total_passed,
        }
        if self.limited and self.limited_at is not None:
            out["limitedAt"] = _rfc3339(self.limited_at)
        return out


class ProgressiveDegradation:
    """Each request a little slower, then optionally errors (operations reference §1.5)."""

    def __init__(self, cfg: dict[str, Any]) -> None:
        self.initial = _dur(cfg.get("initialDelay"), 0.02)
        self.increment = _dur(cfg.get("delayIncrement"), 0.005)
        self.max_delay = _dur(cfg.get("maxDelay"), 5.0)
        self.reset_after = int(_num(cfg.get("resetAfter"), 0))
        self.error_after = int(_num(cfg.get("errorAfter"), 0))
        code = int(_num(cfg.get("errorCode"), 500))
        self.error_code = code if 400 <= code <= 599 else 500
        self.count = 0
        self.total_errors = 0
        self.total_resets = 0

    def _delay(self, n: int) -> float:
        return min(self.initial + (n - 1) * self.increment, self.max_delay)

    def evaluate(self) -> tuple[float, Reply | None]:
        self.count += 1
        if self.reset_after > 0 and self.count > self.reset_after:
            self.count = 1
            self.total_resets += 1
        n = self.count
        delay = self._delay(n)
        if self.error_after > 0 and n > self.error_after:
            self.total_errors += 1
            body = (
                f'{{"error":"{reason_phrase(self.error_code)}",'
                f'"degradation":{{"request_count":{n},"delay_ms":{round(delay * 1000)}}}}}'
            )
            return delay, (self.error_code, [("content-type", "application/json")], body.encode())
        return delay, None

    def status(self) -> dict[str, Any]:
        nxt = self.count + 1
        if self.reset_after > 0 and nxt > self.reset_after:
            nxt = 1
        return {
            "requestCount": self.count,
            "currentDelayMs": round(self._delay(nxt) * 1000),
            "maxDelayMs": round(self.max_delay * 1000),
            "errorAfter": self.error_after,
            "resetAfter": self.reset_after,
            "totalErrors": self.total_errors,
            "totalResets": self.total_resets,
            "isErroring": self.error_after > 0 and self.count > self.error_after,
        }


class _Rule(NamedTuple):
    pattern: GoRegex
    mock_id: str | None
    methods: frozenset[str]
    probability: float
    faults: list[tuple[FaultSpec, Any]]  # (spec, prepared: sampler, parsed values or state machine)


class Stats:
    __slots__ = ("by_type", "errors", "injected", "latency", "timeouts", "total")

    def __init__(self) -> None:
        self.total = 0
        self.injected = 0
        self.latency = 0
        self.errors = 0
        self.timeouts = 0
        self.by_type: dict[str, int] = {}

    def as_dict(self) -> dict[str, Any]:
        return {
            "totalRequests": self.total,
            "injectedFaults": self.injected,
            "latencyInjected": self.latency,
            "errorsInjected": self.errors,
            "timeoutsInjected": self.timeouts,
            "faultsByType": dict(sorted(self.by_type.items())),
        }


class Injector:
    """One chaos configuration in force. Replace it to reconfigure (stats and state restart, as in Go)."""

    def __init__(
        self,
        spec: ChaosSpec,
        *,
        seed: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        totals: dict[str, int] | None = None,
    ) -> None:
        self.spec = spec
        # process-wide per-type counts (/metrics), kept by the runtime across reconfigurations
        self.totals: dict[str, int] = totals if totals is not None else {}
        self.seed = seed if seed is not None else spec.get("seed")
        self.seed_known = self.seed is not None  # else seeded from the clock, as the Go tool always is
        self.rng = random.Random(self.seed if self.seed is not None else time.time_ns())
        self.clock = clock
        self.stats = Stats()
        self.breakers: dict[str, CircuitBreaker] = {}
        self.retry_trackers: dict[str, RetryAfterTracker] = {}
        self.progressives: dict[str, ProgressiveDegradation] = {}
        self.rules: list[_Rule] = []
        for r, rule in enumerate(spec["rules"]):
            faults: list[tuple[FaultSpec, Any]] = []
            for f, fault in enumerate(rule["faults"]):
                faults.append((fault, self._prepare(fault, f"{r}:{f}")))
            methods = frozenset(rule["methods"])
            prob = max(0.0, min(1.0, rule["probability"]))
            pattern = compile_go(rule["pathPattern"])
            self.rules.append(_Rule(pattern, rule.get("mockId"), methods, prob, faults))
        self.latency: tuple[float, Sampler] | None = None
        self.error_rate: tuple[float, list[int], int] | None = None
        self.bandwidth: tuple[float, int] | None = None
        if "latency" in spec:
            lat = spec["latency"]
            self.latency = (lat["probability"], latency_sampler(lat, default_max=0.0))
        if "errorRate" in spec:
            er = spec["errorRate"]
            self.error_rate = (er["probability"], list(er["statusCodes"]), er["defaultCode"] or 500)
        if "bandwidth" in spec:
            bw = spec["bandwidth"]
            self.bandwidth = (bw["probability"], bw["bytesPerSecond"])
        self._has_global = bool(self.latency or self.error_rate or self.bandwidth)
        self._paths: dict[str, tuple[int, ...]] = {}
        # With `mockId` rules the faults depend on which mock matched, so the mock port's call only says
        # "match first" (MATCH_FIRST) and the chaos hook selects once it knows the mock (`select_for`).
        self.by_mock = any(r.mock_id is not None for r in self.rules)
        self.select: Callable[[str, str], list[Fault] | None] = (
            self._match_first if self.by_mock else self.select_for
        )

    def _match_first(self, method: str, path: str) -> list[Fault]:
        return MATCH_FIRST

    def _prepare(self, fault: FaultSpec, key: str) -> Any:
        cfg, kind = fault["config"], fault["type"]
        if kind == "latency":
            return latency_sampler(cfg)
        if kind == "error":
            codes = [c for c in cfg.get("statusCodes") or [] if isinstance(c, int)]
            return codes, int(_num(cfg.get("defaultCode"), 500))
        if kind == "timeout":
            return _dur(cfg.get("duration"), 30.0)
        if kind == "slow_body":
            return int(_num(cfg.get("bytesPerSecond"), 1024))
        if kind == "corrupt_body":
            return _num(cfg.get("corruptRate"), 0.01)
        if kind == "partial_response":
            return int(_num(cfg.get("maxBytes"), 1024))
        if kind == "chunked_dribble":
            size = int(_num(cfg.get("chunkSize"), 1024))
            return (
                size if size > 0 else 1024,
                _dur(cfg.get("chunkDelay"), 0.5),
                _dur(cfg.get("initialDelay"), 0.0),
            )
        if kind == "circuit_breaker":
            self.breakers[key] = CircuitBreaker(cfg, self.rng)
            return self.breakers[key]
        if kind == "retry_after":
            self.retry_trackers[key] = RetryAfterTracker(cfg)
            return self.retry_trackers[key]
        if kind == "progressive_degradation":
            self.progressives[key] = ProgressiveDegradation(cfg)
            return self.progressives[key]
        return None

    def _rules_for(self, path: str) -> tuple[int, ...]:
        hit = self._paths.get(path)
        if hit is None:
            hit = tuple(i for i, r in enumerate(self.rules) if r.pattern.search(path))
            if len(self._paths) >= _PATH_CACHE_LIMIT:
                self._paths.clear()
            self._paths[path] = hit
        return hit

    def select_for(self, method: str, path: str, mock_id: str | None = None) -> list[Fault] | None:
        """The faults for one request, in the order they apply; None when it gets none. `mock_id` is the
        mock the request matched (only read by `mockId` rules)."""
        self.stats.total += 1
        hit = self._paths.get(path)
        if hit is None:
            hit = self._rules_for(path)
        if not hit and not self._has_global:
            return None  # the common case of a route no rule is about: a counter and one dict lookup
        stats = self.stats
        rng = self.rng
        chosen: list[Fault] | None = None
        matched = False
        rules = self.rules
        for i in hit:
            rule = rules[i]
            if rule.methods and method not in rule.methods:
                continue
            if rule.mock_id is not None and rule.mock_id != mock_id:
                continue
            matched = True
            if rng.random() > rule.probability:
                continue
            for fault, prepared in rule.faults:
                kind = fault["type"]
                if kind not in STATEFUL_TYPES and rng.random() > fault["probability"]:
                    continue
                picked = self._draw(kind, prepared)
                if chosen is None:
                    chosen = []
                chosen.append(picked)
                self._count(kind)
                if kind == "timeout":
                    stats.timeouts += 1
        if matched or not self._has_global:
            return chosen
        if self.latency is not None and rng.random() <= self.latency[0] and self.latency[0] > 0:
            chosen = [Fault("latency", (self.latency[1](rng),))]
            self._count("latency")
            stats.latency += 1
        if self.error_rate is not None:
            p, codes, default = self.error_rate
            if p > 0 and rng.random() <= p:
                status = codes[rng.randrange(len(codes))] if codes else default
                chosen = [*(chosen or ()), Fault("error", (status,))]
                self._count("error")
                stats.errors += 1
        if self.bandwidth is not None:
            p, bps = self.bandwidth
            if p > 0 and rng.random() <= p:
                chosen = [*(chosen or ()), Fault("slow_body", (bps,))]
                self._count("slow_body")
        return chosen

    def _count(self, kind: str) -> None:
        stats = self.stats
        stats.injected += 1
        stats.by_type[kind] = stats.by_type.get(kind, 0) + 1
        self.totals[kind] = self.totals.get(kind, 0) + 1

    def _draw(self, kind: str, prepared: Any) -> Fault:
        rng = self.rng
        if kind == "latency":
            return Fault(kind, (prepared(rng),))
        if kind == "error":
            codes, default = prepared
            return Fault(kind, (codes[rng.randrange(len(codes))] if codes else default,))
        if kind == "corrupt_body":
            return Fault(kind, (prepared, rng.getrandbits(64)))
        if kind in ("timeout", "slow_body", "partial_response"):
            return Fault(kind, (prepared,))
        if kind == "chunked_dribble":
            return Fault(kind, prepared)
        if kind in ("circuit_breaker", "retry_after"):
            return Fault(kind, (prepared.evaluate(self.clock()),))
        if kind == "progressive_degradation":
            return Fault(kind, prepared.evaluate())
        return Fault(kind)

    def fault_status(self) -> dict[str, Any]:
        """`GET /chaos/faults`."""
        now = self.clock()
        out: dict[str, Any] = {}
        if self.breakers:
            out["circuitBreakers"] = {k: b.status(now) for k, b in self.breakers.items()}
        if self.retry_trackers:
            out["retryAfterTrackers"] = {k: t.status(now) for k, t in self.retry_trackers.items()}
        if self.progressives:
            out["progressiveDegradations"] = {k: p.status() for k, p in self.progressives.items()}
        return out

    def reset_stats(self) -> None:
        self.stats = Stats()


def error_reply(status: int) -> Reply:
    return _go_text_reply(status)
