"""Stateful resources (reference §4): tables of items served over HTTP and managed over the admin API.

Items live in this process, on the event loop that serves both ports, so a reset made over the admin API is
seen by the very next request, and no operation ever interleaves with another (none awaits mid-way).

Modules, by concern:

- `registry` — `StateStore`, what the runtime and the admin API call (load, register, reset, targets, routes);
- `resource` — one table: items, seed, CRUD, id and ordering rules (D1, D2);
- `serve` — the mock-port side: bound mocks (`statefulBinding`) and legacy `basePath` routes;
- `query` — list parameters, filters, sorting, paging; `body` — request bodies; `transform` — §4.7 and D8;
- `ids` — id strategies; `errors` — failures and the Go error body.
"""

from mockd.runtime.state.registry import ResourceExists, StateStore
from mockd.runtime.state.resource import Resource, SeedError

__all__ = ["Resource", "ResourceExists", "SeedError", "StateStore"]
