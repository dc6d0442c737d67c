"""One stateful resource (a table): its items, its seed, and the CRUD operations on them (reference §4.1).

Concurrency: every method here is synchronous and runs on the event-loop thread, which serves both ports.
A read-modify-write therefore never interleaves with another request, with a reset, or with an admin call;
no lock is needed, and none may be added that is held across an `await`.

Ids (D1): items are keyed by the string form of their id (`seed_id_text`), so the seed item `{"id": 1}` is
found by `GET /api/users/1`; the id *value* is kept, so it is still written as the number `1`.

Output (D2): a seed item is served as written in the seed (its keys in file order, no timestamps added; the
idField key written as `id`, as the Go tool names it). An item created or changed through the API is served
as the Go tool serves it: its fields plus `id`, `createdAt`, `updatedAt`, keys sorted at every level
(Go marshals these items from maps).

Order: every item gets a creation number (`seq`) and an update number (`useq`) from one counter. Sorting by
`createdAt` or `updatedAt` uses those numbers, so ordering is exact even when two stamps share a clock tick.
The seed is stamped in file order, so the default newest-first list shows seed items in *reverse file order*
(last seed item first), as the Go tool does, with anything created later ahead of them.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from mockd.gocompat.gojson import go_numbers
from mockd.gocompat.timefmt import rfc3339_nano_local
from mockd.plan.resources import seed_id_text
from mockd.runtime.state.errors import CapacityExceeded, Conflict, NotFound
from mockd.runtime.state.ids import IdGenerator
from mockd.runtime.state.transform import IDENTITY, Transform, sort_json
from mockd.validation import rejects, stateful_validator

if TYPE_CHECKING:
    from mockd.bodyfile import BodyFilePolicy
    from mockd.plan.model import ResourceSpec
    from mockd.validation import FieldError

log = logging.getLogger("mockd.state")

SYSTEM_FIELDS = ("createdAt", "updatedAt")

# One clock of creation/update numbers for the whole process: orders items within and across resets.
_ticks = itertools.count(1)


class SeedError(ValueError):
    """The seed cannot be loaded (duplicate ids); the Go tool's message."""


class Item:
    """One stored item. Immutable once stored: an update stores a new `Item` under the same key."""

    __slots__ = ("created", "data", "id", "key", "seeded", "seq", "updated", "useq", "view")

    def __init__(
        self, id_value: Any, key: str, data: dict[str, Any], created: float, updated: float, seq: int,
        useq: int, view: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        self.id = id_value  # as written in output: a string, or a seed's number (D1)
        self.key = key  # the string form every lookup uses
        self.data = data  # user fields: no idField, no createdAt/updatedAt (Go's FromJSON)
        self.created = created
        self.updated = updated
        self.seq = seq
        self.useq = useq
        # What GET returns before transforms. Seed items pass their verbatim view (D2); API items get the
        # Go shape, built once here so a list of 400 items costs no per-request dict building.
        self.seeded = view is not None
        self.view = view if view is not None else self.go_view()

    def go_view(self) -> dict[str, Any]:
        """Go's `ResourceItem.ToJSON`: fields + id + RFC3339Nano stamps, keys sorted."""
        out = dict(self.data)
        out["id"] = self.id
        out["createdAt"] = rfc3339_nano_local(self.created)
        out["updatedAt"] = rfc3339_nano_local(self.updated)
        return sort_json(out)


def split_fields(data: Mapping[str, Any] | None, id_field: str) -> tuple[str, dict[str, Any]]:
    """Go's `FromJSON`: the id (only a string counts) and the remaining user fields."""
    if not data:
        return "", {}
    raw = data.get(id_field)
    id_text = raw if isinstance(raw, str) else ""
    fields = {k: v for k, v in data.items() if k != id_field and k not in SYSTEM_FIELDS}
    return id_text, fields


def table_key(workspace: str, name: str) -> str:
    """The store's key of table `name` of `workspace` (the Go tool keys tables by both): the name itself in
    the default workspace "" (so data dirs and messages from before workspaces read the same), else
    `<workspace>` + U+001F + `<name>` (a separator no workspace id or sane table name contains)."""
    return f"{workspace}\x1f{name}" if workspace else name


class Resource:
    """A table of items with its definition; the unit the admin API lists, resets and clears."""

    def __init__(
        self, spec: ResourceSpec, base_dir: str | None = None, files: BodyFilePolicy | None = None
    ) -> None:
        self.spec = spec
        self.name = spec["name"]
        self.workspace = spec.get("workspace", "")
        self.key = table_key(self.workspace, self.name)  # the store's key: (workspace, name)
        self.id_field = spec["idField"] or "id"
        self.parent_field = spec["parentField"]
        self.max_items = spec["maxItems"]
        self.base_path = spec["basePath"]
        self.relationships: dict[str, Any] = spec["relationships"] or {}
        self.transform = Transform.parse(spec["response"]) or IDENTITY
        self.ids = IdGenerator(spec["idStrategy"], spec["idPrefix"])
        # `validation` rules (reference §4.2, §4.6); `auto` infers from the seed as configured (before
        # generated ids are written back) and, for a legacy resource, from its basePath's `:params`.
        self.validator = stateful_validator(
            spec["validation"], spec["seedData"], self.base_path or "", base_dir, files
        )
        # Our own copy: generated seed ids are written back into it so every reset reproduces them.
        # Numbers as the Go tool holds decoded seed data (float64), so they print as its items do; also a
        # deep copy, so a reset never sees changes made to served items.
        self.seed: list[dict[str, Any]] = go_numbers(spec["seedData"])
        self.items: dict[str, Item] = {}
        # Told after every change to its items (`--data-dir`: mockd/runtime/persist.py): this resource's key,
        # the key of the one item changed (None: any number of them, write the whole table), and whether that
        # item was created (it moves to the end of the creation order). None, the default, costs the mock port
        # one attribute test per write.
        self.on_change: Callable[[str, str | None, bool], None] | None = None
        self._load_seed()

    # -- seed ------------------------------------------------------------------------------------------

    def _load_seed(self) -> None:
        items: dict[str, Item] = {}
        self.ids.restart()
        for i, data in enumerate(self.seed):
            key = seed_id_text(data.get(self.id_field))
            if key is None:
                key = self.ids.next()
                # Written back first in the item, so the served seed item starts with its id.
                data = {self.id_field: key, **{k: v for k, v in data.items() if k != self.id_field}}
                self.seed[i] = data
            else:
                self.ids.track(key)
            if key in items:  # only on the first load: a seed that loaded once always reloads
                raise SeedError(f'duplicate ID "{key}" in seed data at index {i}')
            items[key] = self._seed_item(key, data)
        self.items = items

    def _seed_item(self, key: str, data: dict[str, Any]) -> Item:
        id_value = data[self.id_field]
        view: dict[str, Any] = {}
        for k, v in data.items():
            if k == self.id_field:
                view["id"] = id_value
            elif k != "id":  # a field literally named `id` is overwritten by the real id, as in Go
                view[k] = v
        fields = {k: v for k, v in data.items() if k != self.id_field and k not in SYSTEM_FIELDS}
        now = time.time()
        tick = next(_ticks)
        return Item(id_value, key, fields, now, now, tick, tick, view)

    def reset(self) -> None:
        """Discard every item and reload the seed: same ids, order and fields; fresh stamps."""
        self._load_seed()
        self._changed()

    def _changed(self, key: str | None = None, created: bool = False) -> None:
        if self.on_change is not None:
            self.on_change(self.key, key, created)

    def clear(self) -> int:
        """Remove every item (the seed stays for the next reset); returns how many were removed."""
        count = len(self.items)
        self.items = {}
        self._changed()
        return count

    # -- validation ------------------------------------------------------------------------------------

    def rejection(
        self, kind: str, data: Mapping[str, Any] | None, params: Mapping[str, str] | None
    ) -> list[FieldError]:
        """The errors that refuse this request under the resource's mode, or [] when it may proceed.

        `kind` is "create", "update" (PUT and PATCH) or "path" (path params only, the legacy check made
        before every method). What warn/permissive let through is logged, as the Go tool does."""
        v = self.validator
        if v is None:
            return []
        if kind == "path":
            errors = v.path(params)
        else:
            errors = v.create(data, params) if kind == "create" else v.update(data, params)
        if rejects(errors, v.mode):
            return errors
        for err in errors:
            log.warning("validation warning (%s) %s: %r %s", v.mode, self.name, err.field, err.message)
        return []

    # -- CRUD (each one complete before it returns: no await anywhere) ---------------------------------

    def get(self, key: str) -> Item:
        item = self.items.get(key)
        if item is None:
            raise NotFound(self.name, key)
        return item

    def create(self, data: Mapping[str, Any] | None, params: Mapping[str, str] | None = None) -> Item:
        """A new item: the body's string id or a generated one; 507 at `maxItems`, 409 on a taken id."""
        if self.max_items > 0 and len(self.items) >= self.max_items:
            raise CapacityExceeded(self.name, self.max_items)
        key, fields = split_fields(data, self.id_field)
        if not key:
            key = self.ids.next()
        if key in self.items:
            raise Conflict(self.name, key)
        if self.parent_field and params and self.parent_field in params:
            fields[self.parent_field] = params[self.parent_field]
        now = time.time()
        tick = next(_ticks)
        item = Item(key, key, fields, now, now, tick, tick)
        self.items[key] = item
        self._changed(key, True)
        return item

    def update(self, key: str, data: Mapping[str, Any] | None) -> Item:
        """PUT: replace every field (the body's id is ignored; createdAt and the id value are kept)."""
        old = self.get(key)
        _, fields = split_fields(data, self.id_field)
        item = Item(old.id, key, fields, old.created, time.time(), old.seq, next(_ticks))
        self.items[key] = item
        self._changed(key)
        return item

    def patch(self, key: str, data: Mapping[str, Any] | None) -> Item:
        """PATCH: shallow merge of top-level keys (nested objects replaced whole; null stored as null)."""
        old = self.get(key)
        merged = dict(old.data)
        for k, v in (data or {}).items():
            if k != self.id_field and k not in SYSTEM_FIELDS:
                merged[k] = v
        item = Item(old.id, key, merged, old.created, time.time(), old.seq, next(_ticks))
        self.items[key] = item
        self._changed(key)
        return item

    def delete(self, key: str) -> Item:
        item = self.items.pop(key, None)
        if item is None:
            raise NotFound(self.name, key)
        self._changed(key)
        return item

    def restore(self, key: str, item: Item | None) -> None:
        """Put an item back as it was (None: it did not exist), for an atomic custom operation's undo.
        The items dict is kept in creation order, which the default list order relies on."""
        self._changed()
        if item is None:
            self.items.pop(key, None)
            return
        reinserted = key not in self.items
        self.items[key] = item
        if reinserted:
            self.items = dict(sorted(self.items.items(), key=lambda kv: kv[1].seq))

    # -- reads -----------------------------------------------------------------------------------------
    # (No __len__: `if resource:` must mean "registered", not "has items".)

    def expanded(self, item: Item) -> dict[str, Any]:
        """How another table's `?expand[]` inlines this item: its fields plus the id under idField."""
        out = dict(item.data)
        out.setdefault(self.id_field, item.id)
        return sort_json(out)
