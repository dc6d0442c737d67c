"""The scenarios by number (the eight of issue 7; 9 is issue 5's templating ratio). Each returns plain data
for the JSON report."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from mockbench.context import Context, NotAvailable
from mockbench.measure import log
from mockbench.scenarios import (
    admin,
    chaos,
    delays,
    imported,
    protocols,
    startup,
    stateful,
    templating,
    throughput,
    verification,
)

SCENARIOS: dict[str, tuple[str, str, Callable[[Context], dict[str, Any]]]] = {
    "1": (
        "One static GET mock",
        "mockd vs bare Granian RSGI, nginx and any peers, same bytes",
        throughput.static_one,
    ),
    "2": ("10,000 mocks", "hit the last-defined mock, and a random mix, vs one mock", throughput.many),
    "3": (
        "Predicates on the hit route",
        "header, query and JSONPath-body predicates vs none",
        throughput.predicates,
    ),
    "4": ("Stateful resource", "GET one item, a page of a list, POST create, vs a static mock", stateful.run),
    "5": (
        "Verification on",
        "1,000,000 requests, exact counter, RSS sampled during the run",
        verification.run,
    ),
    "6": ("Delays", "1,000 requests in flight on delayMs: 2000 while a static mock is loaded", delays.run),
    "7": (
        "Start-up",
        "spawn to first served request, and RSS, 1 and 10,000 mocks, config and plan",
        startup.run,
    ),
    "8": ("Admin under load", "scenario 1 while mocks are created and deleted over the admin API", admin.run),
    "9": ("Templated response", "path param + uuid template vs a static mock, same server", templating.run),
    "10": ("Imported route", "an OpenAPI-imported operation vs a hand-written mock", imported.run),
    "11": ("Chaos not firing", "chaos on with a rule for another path vs no chaos, same mock", chaos.run),
    "12": (
        "Protocol mocks",
        "a static mock with GraphQL/SOAP/OAuth/WS/SSE loaded vs without; GraphQL",
        protocols.run,
    ),
}


def run(ctx: Context, key: str) -> dict[str, Any]:
    title, what, fn = SCENARIOS[key]
    log(f"scenario {key}: {title}")
    t0 = time.monotonic()
    out: dict[str, Any] = {"key": key, "title": title, "what": what}
    try:
        out.update(fn(ctx))
        out["status"] = "ok"
    except NotAvailable as exc:
        out["status"] = f"not run: feature not yet available ({exc})"
        log(f"  {out['status']}")
    except Exception as exc:
        out["status"] = f"failed: {type(exc).__name__}: {exc}"
        out["traceback"] = traceback.format_exc()
        log(f"  {out['status']}")
    finally:
        ctx.stop_all()
    out["seconds"] = round(time.monotonic() - t0, 1)
    return out
