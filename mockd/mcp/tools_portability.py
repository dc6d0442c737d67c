"""`import_mocks` and `export_mocks`: mocks in and out as files (reference §8.3).

Import sends the text to the server's `POST /import`, which detects and converts every format the CLI's
`mockd import` knows (the Go tool converts on the client and posts to `/config`; the result is the same
mocks). A `file` is read by this process: with stdio it runs on the machine the agent names paths on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]  # ships no type information

from mockd.imports.source import pretty
from mockd.mcp import args as a
from mockd.mcp.args import Args
from mockd.mcp.results import Text, as_map
from mockd.mcp.session import AdminFailure, Session, ToolError
from mockd.mcp.tools_workspace import base_path_hint, list_workspaces


def _read(args: Args) -> bytes:
    content, file = a.string(args, "content"), a.string(args, "file")
    if content and file:
        raise ToolError("content and file are mutually exclusive — provide one or the other, not both")
    if not content and not file:
        raise ToolError("either content or file is required")
    if content:
        return content.encode()
    try:
        return Path(file).read_bytes()
    except FileNotFoundError:
        raise ToolError(f"file not found: {file}") from None
    except OSError as exc:
        raise ToolError(f"failed to read file: {exc.strerror or exc}") from None


async def import_mocks(args: Args, session: Session) -> Text:
    data = _read(args)
    fmt = a.string(args, "format", "auto")
    replace, dry_run = a.boolean(args, "replace"), a.boolean(args, "dryRun")
    params = {"format": "" if fmt == "auto" else fmt}
    if dry_run:
        try:
            reply = await session.call("POST", "/import", params=params | {"dryRun": "true"}, content=data)
        except AdminFailure as exc:
            raise ToolError(
                exc.message if exc.unreachable else f"import parse error: {exc.message}"
            ) from None
        count = len(reply.get("mocks") or [])
        if not count:
            raise ToolError("no mocks found in content")
        return as_map({"dryRun": True, "format": reply.get("format", ""), "mockCount": count,
                       "wouldReplace": replace})  # fmt: skip
    if replace:
        params["replace"] = "true"
    try:
        reply = await session.call("POST", "/import", params=params, content=data)
    except AdminFailure as exc:
        # The converter's refusals (`import_*` slugs) are the Go tool's parse errors; the rest (a converted
        # mock the server refuses) failed to apply.
        what = (
            "import parse error"
            if exc.code.startswith("import_") or exc.code == "empty_body"
            else "failed to apply import"
        )
        raise ToolError(f"{what}: {exc.message}") from None
    result: dict[str, Any] = {"imported": reply.get("imported", 0), "format": reply.get("format", ""),
                              "replaced": replace}  # fmt: skip
    if reply.get("message"):
        result["message"] = reply["message"]
    if session.workspace:
        result["workspace"] = session.workspace
        try:
            rows = await list_workspaces(session)
        except AdminFailure:
            rows = []
        for ws in rows:
            if ws.get("id") == session.workspace and ws.get("basePath"):
                result |= {"basePath": ws["basePath"], "hint": base_path_hint(ws["basePath"])}
    return as_map(result)


async def export_mocks(args: Args, session: Session) -> Text:
    fmt = a.string(args, "format", "yaml")
    config = await session.run("export mocks", "GET", "/config")
    if not config:
        raise ToolError("no configuration to export")
    if fmt == "json":
        return Text(pretty(config), "application/json")
    return Text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "application/yaml")
