"""`GET /status`, `GET /ports` and `GET /metrics` (reference §5.1): what is running, on which ports, and
counters a dashboard or a load test can scrape.

The metrics are read from what the server keeps anyway (exact per-mock counters, the journal's totals, the
mock store, the journal's per-series metrics), so scraping does the label rendering and the histogram's
cumulative sums, never the request. As in the Go tool, a family with no samples is left out.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

from mockd import __version__
from mockd.gocompat.timefmt import rfc3339_nano_local
from mockd.runtime.admin.http import AdminRequest, Response
from mockd.runtime.admin.models import OMIT, GoInt, GoModel

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Handler, Router
    from mockd.runtime.world import Runtime

METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class ProtocolStatus(GoModel):
    enabled: bool
    port: Annotated[GoInt, OMIT] = 0
    connections: Annotated[GoInt, OMIT] = 0
    status: Annotated[str, OMIT] = ""


class ServerStatus(GoModel):
    """Go's `types.ServerStatus`, field for field."""

    status: str
    id: Annotated[str, OMIT] = ""
    name: Annotated[str, OMIT] = ""
    httpPort: GoInt
    httpsPort: Annotated[GoInt, OMIT] = 0
    adminPort: Annotated[GoInt, OMIT] = 0
    uptime: GoInt
    mockCount: GoInt
    activeMocks: Annotated[GoInt, OMIT] = 0
    requestCount: GoInt
    tlsEnabled: Annotated[bool, OMIT] = False
    version: Annotated[str, OMIT] = ""
    protocols: Annotated[dict[str, ProtocolStatus], OMIT] = {}
    startedAt: str


class PortInfo(GoModel):
    port: GoInt
    protocol: str
    component: str
    status: str
    tls: Annotated[bool, OMIT] = False


class PortsReply(GoModel):
    ports: list[PortInfo]


def _ports(rt: Runtime) -> list[PortInfo]:
    # The Go tool lists the admin port first, then the engine's.
    out = [
        PortInfo(port=rt.options.admin_port, protocol="HTTP", component="Admin API", status="running"),
        PortInfo(port=rt.options.port, protocol="HTTP", component="Mock Engine", status="running"),
    ]
    tls = rt.options.tls
    if tls is not None:
        out.append(PortInfo(port=tls.https_port, protocol="HTTPS", component="Mock Engine", status="running"))
    for port in rt.own_ports.ports("grpc"):
        out.append(PortInfo(port=port, protocol="gRPC", component="gRPC Server", status="running"))
    for port in rt.own_ports.ports("mqtt"):
        out.append(PortInfo(port=port, protocol="MQTT", component="MQTT Broker", status="running"))
    return out


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def metrics_text(rt: Runtime) -> str:
    """The Prometheus text exposition of the server's counters."""
    lines: list[str] = []

    def family(name: str, kind: str, help_text: str, samples: Sequence[tuple[str, float]]) -> None:
        if not samples:
            return
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            lines.append(f"{name}{labels} {value}")

    family("mockd_uptime_seconds", "gauge", "Seconds since the server started.",
           [("", round(time.time() - rt.started_at, 3))])  # fmt: skip
    metrics = rt.journal.metrics
    family("mockd_requests_total", "counter", "Requests on the mock port, by method, path and status.",
           metrics.requests_samples())  # fmt: skip
    durations = metrics.duration_lines("mockd_request_duration_seconds")
    if durations:
        lines.append("# HELP mockd_request_duration_seconds Time to answer a request on the mock port.")
        lines.append("# TYPE mockd_request_duration_seconds histogram")
        lines.extend(durations)
    hits = [(f'{{mock_id="{_escape_label(m.id)}"}}', counter.count)
            for m in rt.store if (counter := rt.journal.peek(m.id)) is not None]  # fmt: skip
    family("mockd_match_hits_total", "counter", "Requests matched, per mock (exact, as verification).", hits)
    family("mockd_delayed_responses_in_flight", "gauge", "Responses waiting out a mock's delayMs right now.",
           [("", rt.delayed_in_flight)])  # fmt: skip
    family("mockd_chaos_faults_total", "counter", "Chaos faults injected, by fault type (process lifetime).",
           [(f'{{type="{k}"}}', v) for k, v in sorted(rt.chaos_totals.items())])  # fmt: skip
    family("mockd_chaos_delays_in_flight", "gauge", "Requests waiting out a chaos delay or timeout now.",
           [("", rt.chaos_in_flight)])  # fmt: skip
    family("mockd_match_misses_total", "counter", "Requests no mock matched (answered 404 no_match).",
           [("", rt.journal.misses)])  # fmt: skip
    by_type: dict[str, list[int]] = {}
    for m in rt.store:
        kind = m.compiled["mock"].get("type") or "http"
        total_enabled = by_type.setdefault(kind, [0, 0])
        total_enabled[0] += 1
        total_enabled[1] += int(m.enabled)
    family("mockd_mocks_total", "gauge", "Mocks in the store, by type.",
           [(f'{{type="{k}"}}', v[0]) for k, v in sorted(by_type.items())])  # fmt: skip
    family("mockd_mocks_enabled", "gauge", "Enabled mocks, by type.",
           [(f'{{type="{k}"}}', v[1]) for k, v in sorted(by_type.items())])  # fmt: skip
    family("mockd_port_info", "gauge", "Ports this server listens on.",
           [(f'{{port="{p.port}",protocol="{p.protocol}",component="{p.component}"}}', 1)
            for p in _ports(rt)])  # fmt: skip
    return "\n".join(lines) + "\n"


def _protocols(rt: Runtime) -> dict[str, ProtocolStatus]:
    out = {"http": ProtocolStatus(enabled=True, port=rt.options.port, status="running")}
    for kind in ("grpc", "mqtt"):
        ports = rt.own_ports.ports(kind)
        if ports:  # Go's status carries one port per protocol: the first one
            out[kind] = ProtocolStatus(enabled=True, port=ports[0], status="running")
    return out


async def status(req: AdminRequest) -> Response:
    rt = req.rt
    mocks = list(rt.store)
    reply = ServerStatus(
        status="running",
        httpPort=rt.options.port,
        adminPort=rt.options.admin_port,
        uptime=int(time.time() - rt.started_at),
        mockCount=len(mocks),
        activeMocks=sum(1 for m in mocks if m.enabled),
        requestCount=len(rt.journal),
        version=__version__,
        httpsPort=rt.options.tls.https_port if rt.options.tls is not None else 0,
        tlsEnabled=rt.options.tls is not None,
        protocols=_protocols(rt),
        startedAt=rfc3339_nano_local(rt.started_at),
    )
    return Response(200, reply.go_json(), [("content-type", "application/json")])


async def ports(req: AdminRequest) -> Response:
    rt = req.rt
    return Response(200, PortsReply(ports=_ports(rt)).go_json(), [("content-type", "application/json")])


async def metrics(req: AdminRequest) -> Response:
    rt = req.rt
    return Response(200, metrics_text(rt).encode(), [("content-type", METRICS_CONTENT_TYPE)])


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/status", status),
    ("GET", "/ports", ports),
    ("GET", "/metrics", metrics),
]


def register(router: Router, rt: Runtime) -> None:
    """Mount `ROUTES` (handlers reach the runtime through `req.rt`, so each can be read and tested alone)."""
    for method, pattern, handler in ROUTES:
        router.add(method, pattern, handler)
