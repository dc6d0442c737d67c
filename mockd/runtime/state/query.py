"""List requests: `limit/offset/sort/order`, field filters, the parent filter, cursors (reference §4.4).

- `limit` is an integer > 0 (default 100, no upper cap; anything else means 100); `offset` an integer >= 0
  (anything else means 0). Both are echoed in `meta` as given, even past the end.
- `sort` is `createdAt` (default), `updatedAt`, `id` or any top-level field; only `order=desc` (any case)
  sorts descending, and it is the default. Values compare as the Go tool compares them: strings with strings,
  numbers with numbers, anything else by its `%v` text. Equal values keep creation order (oldest first when
  ascending, newest first when descending), so every page boundary is deterministic.
- Every other query parameter is an exact-match filter on the item's value printed with Go's `%v` (so a
  stored `1000000` matches `1e+06`); `id` filters the id; `meta[tier]` and `tags[0]` reach into objects and
  arrays. Reserved names never filter: the legacy generation reserved only `limit, offset, sort, order`.
- `starting_after`/`ending_before` page by item id (current generation only).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mockd.templates.gofmt import atoi, format_value

if TYPE_CHECKING:
    from mockd.runtime.state.resource import Item, Resource

DEFAULT_LIMIT = 100
LEGACY_RESERVED = frozenset(("limit", "offset", "sort", "order"))
RESERVED = LEGACY_RESERVED | frozenset(
    (
        "page", "per_page", "starting_after", "ending_before", "cursor", "page_size", "page_token",
        "sort_by", "order_by", "expand", "expand[]", "fields", "include", "exclude", "select", "format",
        "pretty", "api_version", "idempotency_key", "request_id",
    )
)  # fmt: skip


@dataclass(slots=True)
class ListQuery:
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    sort: str = "createdAt"
    descending: bool = True
    filters: dict[str, str] = field(default_factory=dict)
    parent: tuple[str, str] | None = None  # (parentField, value from the path)
    starting_after: str = ""
    ending_before: str = ""

    @classmethod
    def parse(
        cls, args: Mapping[str, str], *, reserved: frozenset[str] | None, cursors: bool = False,
    ) -> ListQuery:  # fmt: skip
        """From first query values. `reserved=None` reads paging and sorting only (the admin items list)."""
        q = cls()
        limit, ok = atoi(args.get("limit", ""))
        if ok and limit > 0:
            q.limit = limit
        offset, ok = atoi(args.get("offset", ""))
        if ok and offset >= 0:
            q.offset = offset
        if args.get("sort"):
            q.sort = args["sort"]
        if args.get("order"):
            q.descending = args["order"].lower() == "desc"
        if cursors:
            q.starting_after = args.get("starting_after", "")
            q.ending_before = args.get("ending_before", "")
        if reserved is not None:
            q.filters = {k: v for k, v in args.items() if k not in reserved}
        return q


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Item]
    total: int  # after filtering, before paging
    has_more: bool

    def meta(self, q: ListQuery, *, legacy: bool) -> dict[str, Any]:
        """Go's `PaginationMeta` (legacy v0.5 had no `has_more`)."""
        meta: dict[str, Any] = {
            "total": self.total, "limit": q.limit, "offset": q.offset, "count": len(self.items),
        }  # fmt: skip
        if not legacy:
            meta["has_more"] = self.has_more
        return meta


def run(resource: Resource, q: ListQuery) -> Page:
    """Filter, sort and page a resource's items."""
    # The items dict is in creation order (updates keep their slot, creations append), so the default
    # sort needs no sorting at all.
    stored = resource.items.values()
    items = [it for it in stored if _matches(it, q)] if q.filters or q.parent else list(stored)
    if q.sort == "createdAt":
        pass
    elif q.sort == "updatedAt":
        items.sort(key=lambda it: it.useq)
    else:
        items.sort(key=functools.cmp_to_key(_comparator(q.sort)))
    if q.descending:
        items.reverse()
    if q.starting_after or q.ending_before:
        return _cursor_page(items, q)
    total = len(items)
    start = min(q.offset, total)
    page = items[start : start + q.limit]
    return Page(page, total, q.offset + len(page) < total)


def _cursor_page(items: list[Item], q: ListQuery) -> Page:
    total = len(items)
    if q.starting_after:
        start = next((i + 1 for i, it in enumerate(items) if it.key == q.starting_after), 0)
        end = min(start + q.limit, total)
        return Page(items[start:end], total, end < total)
    end = next((i for i, it in enumerate(items) if it.key == q.ending_before), total)
    start = max(end - q.limit, 0)
    return Page(items[start:end], total, start > 0)


def _matches(item: Item, q: ListQuery) -> bool:
    if q.parent is not None and q.parent[1]:
        name, want = q.parent
        if name not in item.data or format_value(item.data[name]) != want:
            return False
    for name, want in q.filters.items():
        value = item.key if name == "id" else resolve(item.data, name)
        if format_value(value) != want:
            return False
    return True


def resolve(data: Mapping[str, Any], key: str) -> Any:
    """A field by name, with bracket steps into objects and arrays (`meta[tier]`, `tags[0]`); None if
    absent."""
    idx = key.find("[")
    if idx < 0:
        return data.get(key)
    current: Any = data.get(key[:idx])
    if key[:idx] not in data:
        return None
    rest = key[idx:]
    while rest.startswith("["):
        end = rest.find("]")
        if end < 0:
            return None
        step, rest = rest[1:end], rest[end + 1 :]
        if isinstance(current, dict):
            if step not in current:
                return None
            current = current[step]
        elif isinstance(current, list):
            n, ok = atoi(step)
            if not ok or not 0 <= n < len(current):
                return None
            current = current[n]
        else:
            return None
    return current


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _less(a: Any, b: Any) -> bool:
    """Go's `CompareValues`: same-type strings or numbers compare naturally, the rest by `%v` text."""
    if isinstance(a, str) and isinstance(b, str):
        return a < b
    if _is_number(a) and _is_number(b):
        return a < b
    return format_value(a) < format_value(b)


def _comparator(name: str) -> Any:
    def value(item: Item) -> Any:
        return item.id if name == "id" else item.data.get(name)

    def compare(x: Item, y: Item) -> int:
        a, b = value(x), value(y)
        if _less(a, b):
            return -1
        return 1 if _less(b, a) else 0

    return compare


def parse_expand(values: Iterable[str]) -> list[str]:
    """`?expand[]=a&expand[]=b` or `?expand=a,b`: the field names, trimmed, empties dropped."""
    return [part.strip() for v in values for part in v.split(",") if part.strip()]
