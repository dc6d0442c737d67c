"""Config files for the scenarios, in the Go tool's format (so a Go mockd peer loads the same files).

Every mock answers `{"id":"m<5 digits>","ok":true}`: the same length everywhere, so bytes on the wire do not
differ between a figure and its baseline, and a pre-flight check can tell which mock answered.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

HIT_PATH = "/api/hello"
CONTENT_TYPE = "application/json"


def body(mock_id: str) -> str:
    return json.dumps({"id": mock_id, "ok": True}, separators=(",", ":"))


def mock(
    mock_id: str,
    path: str,
    *,
    method: str = "GET",
    matcher: dict[str, Any] | None = None,
    delay_ms: int = 0,
    status: int = 200,
) -> dict[str, Any]:
    response: dict[str, Any] = {
        "statusCode": status,
        "headers": {"Content-Type": CONTENT_TYPE},
        "body": body(mock_id),
    }
    if delay_ms:
        response["delayMs"] = delay_ms
    return {
        "id": mock_id,
        "type": "http",
        "http": {"matcher": {"method": method, "path": path, **(matcher or {})}, "response": response},
    }


def collection(mocks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"version": "1.0", "mocks": mocks, **extra}


def write(path: Path, config: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=1))
    return path


def mid(i: int) -> str:
    return f"m{i:05d}"


# --- scenario 1 and 2: one mock, and n mocks with the same mock defined last --------------------------------


def one_mock(n: int = 10_000) -> dict[str, Any]:
    """The last mock of `many_mocks(n)` alone: scenario 1, and scenario 2's one-mock baseline."""
    return collection([mock(mid(n - 1), HIT_PATH)])


def many_mocks(n: int = 10_000, seed: int = 7) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """n mocks under /api: a `{param}` catch-all first (`/api/{name}`, which also matches the hit path and
    loses to it on score), then a third each of literal, `{param}` and wildcard routes, a wildcard catch-all
    (`/api/*`, defined late because it ties on score with every `/api/rNNNNN/files/*` route and ties go to the
    earliest), and the hit (`GET /api/hello`, literal) defined last. Also returns one concrete request path
    per mock with the id that must answer it, shuffled: the random mix."""
    rng = random.Random(seed)
    mocks = [mock(mid(0), "/api/{name}")]
    mix = [(f"/api/x{rng.randrange(10**6)}", mid(0))]
    for i in range(1, n - 2):
        svc = f"/api/r{i:05d}"
        kind = i % 3
        if kind == 0:
            mocks.append(mock(mid(i), f"{svc}/items"))
            mix.append((f"{svc}/items", mid(i)))
        elif kind == 1:
            mocks.append(mock(mid(i), f"{svc}/items/{{id}}"))
            mix.append((f"{svc}/items/{rng.randrange(10**6)}", mid(i)))
        else:
            mocks.append(mock(mid(i), f"{svc}/files/*"))
            mix.append((f"{svc}/files/f{rng.randrange(100)}/doc.json", mid(i)))
    mocks.append(mock(mid(n - 2), "/api/*"))
    mix.append(("/api/zz/y/z.json", mid(n - 2)))
    mocks.append(mock(mid(n - 1), HIT_PATH))
    mix.append((HIT_PATH, mid(n - 1)))
    rng.shuffle(mix)
    return collection(mocks), mix


# --- scenario 3: predicates on the hit route ----------------------------------------------------------------

PRED_GET = "/api/hello?page=2&sort=name"
PRED_GET_HEADERS = (("X-Tenant", "acme"), ("Authorization", "Bearer bench-token"))
PRED_POST = "/api/orders?dry=false"
PRED_POST_HEADERS = (("X-Tenant", "acme"), ("Content-Type", "application/json"))
PRED_POST_BODY = json.dumps(
    {
        "customer": {"id": "c-1042", "tier": "gold", "name": "Ada Lovelace"},
        "items": [{"sku": "SKU-1", "qty": 2}, {"sku": "SKU-2", "qty": 1}],
        "note": "benchmark order",
    },
    separators=(",", ":"),
)


def predicates_plain() -> dict[str, Any]:
    """The same two routes with no predicates: the baseline for scenario 3."""
    return collection([mock("get", "/api/hello"), mock("post", "/api/orders", method="POST")])


def predicates() -> dict[str, Any]:
    """Each hit route has header, query (and for POST, JSONPath-body) predicates, and a sibling on the same
    path defined earlier whose header differs, so the matcher evaluates and rejects a candidate first."""
    get_m = {"headers": {"X-Tenant": "acme", "Authorization": "Bearer *"}, "queryParams": {"page": "2"}}
    post_m = {
        "headers": {"X-Tenant": "acme"},
        "queryParams": {"dry": "false"},
        "bodyJsonPath": {"$.customer.tier": "gold", "$.items[0].sku": {"exists": True}},
    }
    return collection(
        [
            mock("get-other", "/api/hello", matcher={**get_m, "headers": {"X-Tenant": "other"}}),
            mock("get", "/api/hello", matcher=get_m),
            mock(
                "post-other",
                "/api/orders",
                method="POST",
                matcher={**post_m, "headers": {"X-Tenant": "other"}},
            ),
            mock("post", "/api/orders", method="POST", matcher=post_m),
        ]
    )


# --- scenario 4: stateful resource (legacy basePath) --------------------------------------------------------

USERS = "/api/users"
USER_ITEM = "/api/users/42"
USER_PAGE = "/api/users?limit=10&offset=20"
NEW_USER = json.dumps({"name": "Grace Hopper", "email": "grace@example.com", "role": "admin"})


def stateful(seed_items: int = 100) -> dict[str, Any]:
    seed = [
        {"id": str(i), "name": f"User {i}", "email": f"user{i}@example.com", "role": "member"}
        for i in range(1, seed_items + 1)
    ]
    return collection(
        [mock("static", HIT_PATH)],
        statefulResources=[{"name": "users", "basePath": USERS, "idField": "id", "seedData": seed}],
    )


# --- scenarios 5, 6, 8 --------------------------------------------------------------------------------------

COUNTED_PATH = "/api/counted"
COUNTED_ID = "counted"
SLOW_PATH = "/api/slow"


def verification() -> dict[str, Any]:
    """`counted` gets exactly the quota; `static` (the hit path) takes the primer and the overflow."""
    return collection([mock(COUNTED_ID, COUNTED_PATH), mock("static", HIT_PATH)])


def delays(delay_ms: int = 2000) -> dict[str, Any]:
    return collection([mock("static", HIT_PATH), mock("slow", SLOW_PATH, delay_ms=delay_ms)])


def churn_mock(n: int) -> dict[str, Any]:
    """A mock created over the admin API during scenario 8."""
    return mock(f"churn-{n}", f"/churn/{n}")
