"""Workspaces (reference §5.7, operations reference §5): named groups of mocks, each served under its own
URL prefix (`basePath`) on the one mock port.

The route table does the prefixing when it is built (`MockStore` asks `prefixes()`), so a request pays
nothing for workspaces: a mock of workspace `/team-a` with path `/users` is simply the route
`/team-a/users`. The admin store keeps the path as written. A mock naming a workspace that does not exist
is served unprefixed, as in the Go tool. The default workspace (id "") always exists and has no prefix.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

DEFAULT_ID = ""


def slugify(name: str) -> str:
    """Go's `SlugifyWorkspaceName`: letters and digits lower-cased; space, `_`, `-`, `.` become one `-`
    (never leading or trailing); anything else is dropped. "My API!" -> "my-api"."""
    out: list[str] = []
    dash = False
    for ch in name.strip():
        if ch.isalpha() or ch.isdigit():
            out.append(ch.lower())
            dash = False
        elif ch in " _-." and not dash and out:
            out.append("-")
            dash = True
    return "".join(out).rstrip("-")


def normalise_base_path(base: str) -> str:
    """Go's `validateBasePath`: trimmed, leading `/` added, trailing `/` removed, `//` collapsed; anything
    with `?` or `#` becomes "" (invalid)."""
    if base == "":
        return ""
    bp = base.strip()
    if not bp.startswith("/"):
        bp = "/" + bp
    bp = bp.rstrip("/")
    if "?" in bp or "#" in bp:
        return ""
    while "//" in bp:
        bp = bp.replace("//", "/")
    return bp


def base_path_conflict(new: str, new_id: str, peers: list[dict[str, Any]]) -> dict[str, str] | None:
    """The first peer whose basePath is the same as `new` or a path-segment prefix of it (or the reverse)."""
    if not new:
        return None
    for peer in peers:
        if peer["id"] == new_id or not peer.get("basePath"):
            continue
        old = peer["basePath"]
        if new == old or new.startswith(old + "/") or old.startswith(new + "/"):
            if new == old:
                reason = "exact duplicate"
            elif new.startswith(old + "/"):
                reason = "new path is inside existing namespace"
            else:
                reason = "existing path is inside new namespace"
            return {"existingId": peer["id"], "existingName": peer["name"], "existingBasePath": old,
                    "newBasePath": new, "reason": reason}  # fmt: skip
    return None


def _rfc3339(seconds: int) -> str:
    return datetime.fromtimestamp(seconds).astimezone().isoformat(timespec="seconds").replace("+00:00", "Z")


def to_dto(ws: dict[str, Any]) -> dict[str, Any]:
    """Go's `WorkspaceDTO`, empty optional fields left out, times as RFC 3339 seconds in local time."""
    out: dict[str, Any] = {"id": ws["id"], "name": ws["name"], "type": ws.get("type") or "local"}
    if ws.get("description"):
        out["description"] = ws["description"]
    out["basePath"] = ws.get("basePath", "")
    for key in ("path", "url", "branch"):
        if ws.get(key):
            out[key] = ws[key]
    if ws.get("readOnly"):
        out["readOnly"] = True
    if ws.get("syncStatus"):
        out["syncStatus"] = ws["syncStatus"]
    if ws.get("autoSync"):
        out["autoSync"] = True
    out["createdAt"] = _rfc3339(int(ws.get("createdAt", 0)))
    out["updatedAt"] = _rfc3339(int(ws.get("updatedAt", 0)))
    return out


class Workspaces:
    """The registered workspaces (not the default one), in creation order. Changed only on the loop."""

    def __init__(self, started_at: float, default_path: str = "") -> None:
        now = int(started_at)
        self.default: dict[str, Any] = {
            "id": DEFAULT_ID, "name": "Default", "type": "local", "description": "Default workspace",
            "basePath": "", "path": default_path, "syncStatus": "local", "createdAt": now, "updatedAt": now,
        }  # fmt: skip
        self.items: dict[str, dict[str, Any]] = {}
        # Told after every change (`--data-dir`, and the route table, which re-reads `prefixes()`).
        self.listeners: list[Callable[[], None]] = []

    def load(self, stored: list[dict[str, Any]]) -> None:
        self.items = {ws["id"]: ws for ws in stored if isinstance(ws, dict) and ws.get("id")}

    def all(self) -> list[dict[str, Any]]:
        return [self.default, *self.items.values()]

    def get(self, ws_id: str) -> dict[str, Any] | None:
        return self.default if ws_id == DEFAULT_ID else self.items.get(ws_id)

    def prefixes(self) -> dict[str, str]:
        """Workspace id -> URL prefix, for the route table (only workspaces that have one)."""
        return {i: ws["basePath"] for i, ws in self.items.items() if ws.get("basePath")}

    def put(self, ws: dict[str, Any]) -> None:
        ws["updatedAt"] = int(time.time())
        self.items[ws["id"]] = ws
        self._changed()

    def remove(self, ws_id: str) -> None:
        self.items.pop(ws_id, None)
        self._changed()

    def _changed(self) -> None:
        for listener in self.listeners:
            listener()


def effective_path(path: str, ws: dict[str, Any] | None) -> str:
    """Where a mock's path answers on the mock port: under its workspace's basePath (Go's
    `effectiveMockPath`); a mock of the default workspace, or of one that does not exist, is unprefixed."""
    base = (ws or {}).get("basePath") or ""
    if not base:
        return path
    if not base.startswith("/"):
        base = "/" + base
    if base.endswith("/") and path.startswith("/"):
        return base + path[1:]
    return base + path


def route_collision(
    new: dict[str, Any], existing: Iterable[dict[str, Any]], workspaces: Workspaces
) -> dict[str, str] | None:
    """The first mock of *another* workspace whose HTTP method and effective path equal the new mock's (Go's
    `checkRouteCollision`), as the Go tool's `collision` object; None when there is none. Only HTTP mocks
    with a `matcher.path` are compared (not `pathPattern`); two mocks of one workspace never collide (their
    priorities decide). A mock naming a workspace that does not exist is not checked, as in the Go tool."""
    matcher = ((new.get("http") or {}).get("matcher") or {}) if new.get("type") == "http" else {}
    path = matcher.get("path") or ""
    new_ws_id = new.get("workspaceId") or DEFAULT_ID
    new_ws = workspaces.get(new_ws_id)
    if not path or new_ws is None:
        return None
    method = (matcher.get("method") or "").upper()
    target = effective_path(path, new_ws if new_ws_id != DEFAULT_ID else None)
    for other in existing:
        if other.get("id") == new.get("id") or other.get("type") != "http":
            continue
        ws_id = other.get("workspaceId") or DEFAULT_ID
        if ws_id == new_ws_id:
            continue
        m = (other.get("http") or {}).get("matcher") or {}
        other_path, other_method = m.get("path") or "", (m.get("method") or "").upper()
        if not other_path or other_method != method:
            continue
        ws = workspaces.get(ws_id)
        where = effective_path(other_path, ws if ws_id != DEFAULT_ID else None)
        if where == target:
            clash = {"existingMockId": other.get("id", "")}
            if other.get("name"):
                clash["existingMockName"] = other["name"]
            clash["workspaceId"] = ws_id
            if ws is not None and ws.get("name"):
                clash["workspaceName"] = ws["name"]
            clash["effectivePath"] = where
            clash["method"] = other_method
            return clash
    return None
