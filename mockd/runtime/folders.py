"""Folders (operations reference §5): named containers that organise mocks (a mock's `parentId`) and other
folders, per workspace. They only organise: nothing about serving depends on them.

Kept here as plain dicts in creation order, changed only on the event loop; `--data-dir` stores them with
the workspaces (mockd/runtime/persist.py). The admin routes are mockd/runtime/admin/folders.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Folders:
    """The folders, by id, in creation order (the order `GET /folders` lists them, as the Go tool)."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        # Told after every change (`--data-dir`).
        self.listeners: list[Callable[[], None]] = []

    def load(self, stored: list[dict[str, Any]]) -> None:
        self.items = {f["id"]: f for f in stored if isinstance(f, dict) and isinstance(f.get("id"), str)}

    def all(self, workspace_id: str | None = None) -> list[dict[str, Any]]:
        """Every folder, or only those of `workspace_id` (exact match; "" is the default workspace)."""
        if workspace_id is None:
            return list(self.items.values())
        return [f for f in self.items.values() if f.get("workspaceId", "") == workspace_id]

    def get(self, folder_id: str) -> dict[str, Any] | None:
        return self.items.get(folder_id)

    def is_descendant(self, target: str, ancestor: str) -> bool:
        """Whether `target` is `ancestor` or lies below it (Go's `isDescendant`: a cycle stops the walk)."""
        seen: set[str] = set()
        current = target
        while current and current not in seen:
            if current == ancestor:
                return True
            seen.add(current)
            folder = self.items.get(current)
            if folder is None:
                break
            current = folder.get("parentId", "")
        return False

    def put(self, folder: dict[str, Any]) -> None:
        self.items[folder["id"]] = folder
        self._changed()

    def remove(self, folder_id: str, now: float) -> None:
        """Delete a folder; its child folders move to the root first (their mocks keep their parentId)."""
        for child in self.items.values():
            if child.get("parentId") == folder_id:
                child["parentId"] = ""
                child["updatedAt"] = now
        self.items.pop(folder_id, None)
        self._changed()

    def _changed(self) -> None:
        for listener in self.listeners:
            listener()
