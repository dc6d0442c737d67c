"""The Go CLI's contexts file, `$XDG_CONFIG_HOME/mockd/contexts.yaml` (else `~/.config/...`): which admin URL
and which workspace client commands use (operations reference §4.9).

Read and written in the Go tool's shape (`version`, `currentContext`, `contexts: {name: {adminUrl,
workspace?, description?, authToken?, tlsInsecure?}}`), so both tools share one file. No file means the
single context `local` at http://localhost:4290, as there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEFAULT_ADMIN_URL = "http://localhost:4290"
DEFAULT_CONTEXT = "local"


class ContextError(Exception):
    """The file exists but cannot be read or written; the message says which and why."""


def path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "mockd" / "contexts.yaml"


def load() -> dict[str, Any]:
    """The whole file, with the Go tool's defaults filled in."""
    import yaml  # type: ignore[import-untyped]  # ships no type information

    file = path()
    try:
        data = yaml.safe_load(file.read_text()) or {}
    except FileNotFoundError:
        data = {}
    except (OSError, yaml.YAMLError) as exc:
        raise ContextError(f"failed to load context config: {file}: {exc}") from None
    if not isinstance(data, dict):
        raise ContextError(f"failed to load context config: {file}: invalid YAML: not a mapping")
    data.setdefault("version", 1)
    contexts = data.get("contexts")
    if not isinstance(contexts, dict):
        contexts = data["contexts"] = {}
    if not contexts:
        contexts[DEFAULT_CONTEXT] = {"adminUrl": DEFAULT_ADMIN_URL, "description": "Local mockd server"}
        data["currentContext"] = data.get("currentContext") or DEFAULT_CONTEXT
    return data


def current(data: dict[str, Any]) -> dict[str, Any] | None:
    ctx = data["contexts"].get(data.get("currentContext") or "")
    return ctx if isinstance(ctx, dict) else None


def save(data: dict[str, Any]) -> None:
    """Write the file (0600, folder 0700), replacing it atomically."""
    import yaml  # type: ignore[import-untyped]

    file = path()
    try:
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = file.with_name(file.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            yaml.safe_dump(data, out, sort_keys=False)
        tmp.replace(file)
    except OSError as exc:
        raise ContextError(f"failed to save context config: {exc.strerror or exc}") from None


def selected_workspace() -> str:
    """`MOCKD_WORKSPACE`, else the current context's workspace, else "" (the default workspace)."""
    env = os.environ.get("MOCKD_WORKSPACE")
    if env is not None:
        return env
    try:
        ctx = current(load())
    except ContextError:
        return ""
    return str((ctx or {}).get("workspace") or "")


def admin_url(flag: str | None) -> str:
    """The Go CLI's order: --admin-url, MOCKD_ADMIN_URL, the current context, the default."""
    if flag:
        return flag
    env = os.environ.get("MOCKD_ADMIN_URL")
    if env:
        return env
    try:
        ctx = current(load())
    except ContextError:
        return DEFAULT_ADMIN_URL
    return str((ctx or {}).get("adminUrl") or DEFAULT_ADMIN_URL)


def api_key() -> str | None:
    """The key client commands send (Go's `GetAPIKey`): MOCKD_API_KEY, else the current context's
    `authToken`, else none. An unreadable contexts file means no token."""
    env = os.environ.get("MOCKD_API_KEY")
    if env:
        return env
    try:
        ctx = current(load())
    except ContextError:
        return None
    token = (ctx or {}).get("authToken")
    return str(token) if token else None
