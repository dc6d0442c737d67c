"""Scenario 4: a legacy `basePath` resource (100 seed users) next to a static mock on the same server."""

from __future__ import annotations

import json
import time
from typing import Any

from mockbench import fixtures
from mockbench.context import Context
from mockbench.measure import Comparison, Subject
from mockbench.scenarios.common import check_all, timed
from mockbench.servers import Server, http_call
from mockbench.wrk import Workload


def run(ctx: Context) -> dict[str, Any]:
    ctx.need("stateful")
    srv = ctx.mockd("mockd-stateful", fixtures.stateful(100))
    json_ct = (("Content-Type", "application/json"),)

    def reset() -> dict[str, Any]:
        """Creates grow the resource; restore the seed so every list run pages through the same 100 items."""
        assert srv.admin_port is not None
        time.sleep(0.5)  # requests wrk left in flight are still being answered (and create items)
        return {"reset_status": http_call(srv.admin_port, "/state/reset", "POST").status}

    subjects = [
        Subject("static", "static mock on the same server", srv, Workload(fixtures.HIT_PATH)),
        Subject("get-item", f"GET {fixtures.USER_ITEM}", srv, Workload(fixtures.USER_ITEM)),
        Subject("list-page", f"GET {fixtures.USER_PAGE}", srv, Workload(fixtures.USER_PAGE)),
        Subject(
            "create",
            f"POST {fixtures.USERS}",
            srv,
            Workload(fixtures.USERS, method="POST", headers=json_ct, body=fixtures.NEW_USER),
            after=reset,
        ),
    ]
    check_all(subjects[:1], 200, fixtures.body("static").encode(), strict={"static"})
    checks = _check_answers(srv)
    reset()
    comparisons = [
        Comparison("item/static", "GET one item ÷ static mock", "get-item", "static"),
        Comparison("list/static", "GET a page of 10 ÷ static mock", "list-page", "static"),
        Comparison("create/static", "POST create ÷ static mock", "create", "static"),
    ]
    return timed(ctx.settings, subjects, comparisons, checks=checks)


def _check_answers(srv: Server) -> dict[str, Any]:
    item = http_call(srv.port, fixtures.USER_ITEM)
    page = http_call(srv.port, fixtures.USER_PAGE)
    made = http_call(
        srv.port, fixtures.USERS, "POST", fixtures.NEW_USER.encode(), {"Content-Type": "application/json"}
    )
    data = json.loads(page.body) if page.status == 200 else {}
    rows = data if isinstance(data, list) else data.get("data", [])
    problems = []
    if item.status != 200 or json.loads(item.body).get("id") not in ("42", 42):
        problems.append(f"GET item -> {item.status} {item.body[:80]!r}")
    if page.status != 200 or len(rows) != 10:
        problems.append(f"GET page -> {page.status}, {len(rows)} rows")
    if made.status != 201:
        problems.append(f"POST -> {made.status} {made.body[:80]!r}")
    if problems:
        raise RuntimeError("stateful answers before timing: " + "; ".join(problems))
    return {"item_bytes": len(item.body), "page_bytes": len(page.body), "create_bytes": len(made.body)}
