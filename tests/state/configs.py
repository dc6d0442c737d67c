"""The configs the stateful tests run against, written once as data and saved as JSON or YAML.

Both generations define the same three resources on the same URLs, so one test body checks both:

- `users` under `/api/users` (seed ids 1 and 2 are numbers, D1; `u3` a string);
- `orders` under `/api/users/{userId}/orders`, `parentField: userId`;
- `capped` under `/api/capped`, `maxItems: 2`, one seed item.

Legacy: `statefulResources` with `basePath` (v0.5). Current: `tables`, `users` reached through `extend`
(by operationId and by "METHOD /path"), `orders` and `capped` through `http.statefulBinding` mocks.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

USERS_SEED: list[dict[str, Any]] = [
    {"id": 1, "name": "Alice", "email": "alice@example.com", "age": 30, "active": True,
     "meta": {"tier": "gold"}, "tags": ["admin", "staff"]},
    {"id": 2, "name": "Bob", "email": "bob@example.com", "age": 25, "active": False,
     "meta": {"tier": "silver"}, "tags": ["staff"]},
    {"id": "u3", "name": "Carol", "email": "carol@example.com", "age": 35, "active": True,
     "meta": {"tier": "gold"}, "tags": []},
]  # fmt: skip
ORDERS_SEED: list[dict[str, Any]] = [
    {"id": "o1", "userId": "1", "total": 10},
    {"id": "o2", "userId": "2", "total": 20},
    {"id": "o3", "userId": "1", "total": 30},
]
CAPPED_SEED: list[dict[str, Any]] = [{"id": "c1", "n": 1}]


def _resources() -> list[dict[str, Any]]:
    return [
        {"name": "users", "idField": "id", "seedData": copy.deepcopy(USERS_SEED)},
        {"name": "orders", "parentField": "userId", "seedData": copy.deepcopy(ORDERS_SEED)},
        {"name": "capped", "maxItems": 2, "seedData": copy.deepcopy(CAPPED_SEED)},
    ]


_BASE_PATHS = {"users": "/api/users", "orders": "/api/users/:userId/orders", "capped": "/api/capped"}


def legacy() -> dict[str, Any]:
    resources = _resources()
    for r in resources:
        r["basePath"] = _BASE_PATHS[r["name"]]
    return {"version": "1.0", "statefulResources": resources}


def bound(mock_id: str, method: str, path: str, table: str, action: str) -> dict[str, Any]:
    return {"id": mock_id, "http": {"matcher": {"method": method, "path": path},
                                    "statefulBinding": {"table": table, "action": action}}}  # fmt: skip


def current() -> dict[str, Any]:
    placeholder = {"statusCode": 200}  # extend replaces it; validation runs first and wants a response
    users = [
        ("list-users", "GET", "/api/users"),
        ("create-user", "POST", "/api/users"),
        ("get-user", "GET", "/api/users/{id}"),
        ("put-user", "PUT", "/api/users/{id}"),
        ("patch-user", "PATCH", "/api/users/{id}"),
        ("delete-user", "DELETE", "/api/users/{id}"),
    ]
    mocks: list[dict[str, Any]] = [
        {
            "id": mid,
            "operationId": mid,
            "http": {"matcher": {"method": m, "path": p}, "response": placeholder},
        }
        for mid, m, p in users
    ]
    extend = [
        {"mock": "list-users", "table": "users", "action": "list"},
        {"mock": "POST /api/users", "table": "users", "action": "create"},
        {"mock": "get-user", "table": "users", "action": "get"},
        {"mock": "PUT /api/users/{id}", "table": "users", "action": "update"},
        {"mock": "patch-user", "table": "users", "action": "patch"},
        {"mock": "delete-user", "table": "users", "action": "delete"},
    ]
    orders = "/api/users/{userId}/orders"
    mocks += [
        bound("orders-list", "GET", orders, "orders", "list"),
        bound("orders-create", "POST", orders, "orders", "create"),
        bound("orders-get", "GET", orders + "/{id}", "orders", "get"),
        bound("orders-put", "PUT", orders + "/{id}", "orders", "update"),
        bound("orders-patch", "PATCH", orders + "/{id}", "orders", "patch"),
        bound("orders-delete", "DELETE", orders + "/{id}", "orders", "delete"),
        bound("capped-list", "GET", "/api/capped", "capped", "list"),
        bound("capped-create", "POST", "/api/capped", "capped", "create"),
    ]
    return {"version": "1.0", "mocks": mocks, "tables": _resources(), "extend": extend}


def with_http_mocks() -> dict[str, Any]:
    """`current()` plus a static mock (`GET /hello`) and a templated one (`GET /echo/{name}`): what the
    multi-process suites (workers, shared state) serve besides the stateful tables."""
    cfg = current()
    cfg["mocks"] += [
        {"id": "hello", "type": "http",
         "http": {"matcher": {"method": "GET", "path": "/hello"}, "response": {"statusCode": 200, "body": "hi"}}},
        {"id": "echo", "type": "http",
         "http": {"matcher": {"method": "GET", "path": "/echo/{name}"},
                  "response": {"statusCode": 200, "body": "hello {{request.pathParam.name}}"}}},
    ]  # fmt: skip
    return cfg


def write(directory: Path, config: dict[str, Any], fmt: str, name: str = "mocks") -> Path:
    """Save `config` as `<name>.json` or `<name>.yaml` (same data, so both loaders are exercised)."""
    path = directory / f"{name}.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps(config, indent=2))
    else:
        path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path
