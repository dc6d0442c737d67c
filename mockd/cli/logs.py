"""`mockd logs`: the server's own log files, or with `--requests` its request log (operations reference
§4.5). `-f` follows either. Output and exit codes follow the Go CLI.

One difference: `start -d` writes `~/.mockd/daemon.log`, which the Go tool's `mockd logs` never reads (it
looks only in `~/.mockd/logs`, where `mockd up -d` writes). Here that file is read too when `--log-dir` is
not given, so `mockd logs` after `mockd start -d` shows the server's output.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from mockd.cli import table
from mockd.cli.client import DEFAULT_ADMIN_URL, AdminClient, AdminError, parse_timestamp
from mockd.cli.client_commands import AdminUrl, JsonOutput, fail, print_json
from mockd.cli.detach import log_path

_POLL = 0.1


def default_log_dir() -> Path:
    return Path.home() / ".mockd" / "logs"


def logs(
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep printing new lines (Ctrl+C stops).")
    ] = False,
    lines: Annotated[int, typer.Option("--lines", "-n", help="Number of lines (or requests) to show.")] = 100,
    log_dir: Annotated[
        str | None,
        typer.Option(
            "--log-dir",
            show_default=False,
            help="Folder of *.log files (default ~/.mockd/logs, plus ~/.mockd/daemon.log).",
        ),
    ] = None,
    requests: Annotated[
        bool, typer.Option("--requests", help="Show the request log from the admin API.")
    ] = False,
    protocol: Annotated[str, typer.Option("--protocol", help="Only this protocol [requests].")] = "",
    method: Annotated[str, typer.Option("--method", "-m", help="Only this method [requests].")] = "",
    path: Annotated[str, typer.Option("--path", "-p", help="Only paths containing this [requests].")] = "",
    matched: Annotated[bool, typer.Option("--matched", help="Only matched requests [requests].")] = False,
    unmatched: Annotated[
        bool, typer.Option("--unmatched", help="Only unmatched requests [requests].")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Headers, body, near misses [requests].")
    ] = False,
    clear: Annotated[bool, typer.Option("--clear", help="Clear the request log [requests].")] = False,
    admin_url: AdminUrl = DEFAULT_ADMIN_URL,
    as_json: JsonOutput = False,
) -> None:
    """Show server log files, or the request log with --requests; -f follows."""
    if requests or clear:
        client = AdminClient.for_command(admin_url)
        if clear:
            reply = _call(client, "DELETE", "/requests")
            typer.echo(f"Cleared {reply.get('cleared', 0) if isinstance(reply, dict) else 0} log entries")
        elif follow:
            _stream(client, as_json, verbose)
        else:
            _request_log(client, protocol, method, path, lines, matched, unmatched, verbose, as_json)
        return
    _daemon_logs(log_dir, lines, follow, as_json)


def _call(client: AdminClient, method: str, path: str) -> Any:
    try:
        return client.call(method, path)
    except AdminError as exc:
        raise fail(exc.explain()) from None


# -- log files -------------------------------------------------------------------------------------------


def _daemon_logs(log_dir: str | None, count: int, follow: bool, as_json: bool) -> None:
    folder = Path(log_dir).expanduser() if log_dir else default_log_dir()
    files = sorted(folder.glob("*.log")) if folder.is_dir() else []
    if log_dir is None and log_path().is_file():
        files.append(log_path())
    if not files:
        if not folder.exists():
            typer.echo(f"No logs found at {folder}")
            typer.echo("Logs are created when running 'mockd up -d' in detached mode.")
        else:
            typer.echo(f"No log files found in {folder}")
        return
    # Where following starts: the sizes before the tails are read, so a line written meanwhile is printed
    # (by the follower) rather than lost between the tail and the follow.
    offsets = {f: f.stat().st_size if f.exists() else 0 for f in files}
    entries: list[tuple[float, str, str]] = []
    for file in files:
        last = 0.0
        for line in _tail(file, count):
            stamp = _line_time(line)
            last = stamp if stamp is not None else last
            entries.append((last, file.name, line))
    entries.sort(key=lambda e: e[0])  # stable: lines without a time stay after the line before them
    entries = entries[-count:] if count > 0 else entries
    if as_json:
        print_json(
            [{"timestamp": _rfc3339(t), "file": f, "message": m} for t, f, m in entries], sort_keys=False
        )
    else:
        for _, _, line in entries:
            typer.echo(line)
    if follow:
        _follow_files(files, as_json, offsets)


def _tail(file: Path, count: int) -> list[str]:
    try:
        text = file.read_text(errors="replace")
    except OSError:
        return []
    out = [line for line in text.replace("\0", "").splitlines() if line.strip()]
    return out[-count:] if count > 0 else out


def _line_time(line: str) -> float | None:
    """The time a line starts with (Python logging's or RFC 3339), as epoch seconds."""
    head = line[:32]
    for size, fmt in ((19, "%Y-%m-%d %H:%M:%S"), (19, "%Y-%m-%dT%H:%M:%S")):
        try:
            return datetime.strptime(head[:size], fmt).timestamp()
        except ValueError:
            continue
    return None


def _rfc3339(stamp: float) -> str:
    return datetime.fromtimestamp(stamp).astimezone().isoformat(timespec="seconds") if stamp else ""


def _follow_files(files: list[Path], as_json: bool, offsets: dict[Path, int]) -> None:
    typer.echo("Following logs (press Ctrl+C to stop)...\n")
    try:
        while True:
            for f in files:
                try:
                    size = f.stat().st_size
                except OSError:
                    continue
                if size < offsets[f]:
                    offsets[f] = 0  # truncated (a new `start -d`): read from the top
                if size == offsets[f]:
                    continue
                with f.open("rb") as handle:
                    handle.seek(offsets[f])
                    chunk = handle.read(size - offsets[f])
                complete = chunk.rfind(b"\n") + 1  # a partly written line waits for its end
                offsets[f] += complete
                for raw in chunk[:complete].decode(errors="replace").replace("\0", "").splitlines():
                    if not raw.strip():
                        continue
                    if as_json:
                        now = datetime.now().astimezone().isoformat(timespec="seconds")
                        typer.echo(json.dumps({"timestamp": now, "file": f.name, "message": raw}))
                    else:
                        typer.echo(raw)
            time.sleep(_POLL)
    except KeyboardInterrupt:
        typer.echo("\nStopping log stream...")


# -- request log -----------------------------------------------------------------------------------------


def _request_log(client: AdminClient, protocol: str, method: str, path: str, limit: int, matched: bool,
                 unmatched: bool, verbose: bool, as_json: bool) -> None:  # fmt: skip
    query = {k: v for k, v in (("protocol", protocol), ("method", method), ("path", path)) if v}
    if limit > 0:
        query["limit"] = str(limit)
    reply = _call(client, "GET", "/requests" + ("?" + urllib.parse.urlencode(query) if query else ""))
    entries = [e for e in (reply or {}).get("requests") or [] if isinstance(e, dict)]
    if matched or unmatched:
        entries = [
            e
            for e in entries
            if (matched and e.get("matchedMockId")) or (unmatched and not e.get("matchedMockId"))
        ]
    if as_json:
        print_json(entries, sort_keys=False)
        return
    if not entries:
        typer.echo("No request logs")
        return
    if verbose:
        for e in entries:
            _verbose_entry(e)
        return
    rows = [["TIMESTAMP", "PROTOCOL", "METHOD", "PATH", "MATCHED", "DURATION"]]
    for e in entries:
        rows.append(_row(e, near=True))
    table.echo(rows)


def _local(ts: Any) -> str:
    when = parse_timestamp(ts) if isinstance(ts, str) else None
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S") if when else str(ts or "")


def _row(e: dict, *, near: bool) -> list[str]:
    path = str(e.get("path", ""))
    path = path[:22] + "..." if len(path) > 25 else path
    mock_id = str(e.get("matchedMockId") or "")
    if not mock_id:
        misses = e.get("nearMisses") or []
        mock_id = f"(none, {len(misses)} near)" if near and misses else "(none)"
    elif len(mock_id) > 12:
        mock_id = mock_id[:12] + "..."
    when, proto, method = (
        _local(e.get("timestamp")),
        str(e.get("protocol") or "http"),
        str(e.get("method", "")),
    )
    return [when, proto, method, path, mock_id, f"{e.get('durationMs', 0)}ms"]


def _verbose_entry(e: dict) -> None:
    typer.echo(f"[{_local(e.get('timestamp'))}] [{e.get('protocol') or 'http'}] {e.get('method', '')} "
               f"{e.get('path', '')} -> {e.get('statusCode', 0)} ({e.get('durationMs', 0)}ms)")  # fmt: skip
    typer.echo(f"  Matched: {e.get('matchedMockId') or '(none)'}")
    headers = e.get("headers") or {}
    if headers:
        typer.echo("  Headers:")
        for key, values in headers.items():
            for value in values if isinstance(values, list) else [values]:
                typer.echo(f"    {key}: {value}")
    body = e.get("body") or ""
    if body:
        typer.echo(f"  Body: {body[:200] + '...(truncated)' if len(body) > 200 else body}")
    else:
        typer.echo("  Body: (empty)")
    misses = e.get("nearMisses") or []
    if misses:
        typer.echo("  Near misses:")
        for nm in misses:
            name = (
                f'"{nm["mockName"]}" ({nm.get("mockId", "")})' if nm.get("mockName") else nm.get("mockId", "")
            )
            typer.echo(f"    → {name} — {nm.get('matchPercentage', 0)}% match")
            typer.echo(f"      {nm.get('reason', '')}")
    typer.echo("")


def _stream(client: AdminClient, as_json: bool, verbose: bool) -> None:
    """Print each request as the server records it, until the server ends the stream or Ctrl+C."""
    headers = {"Accept": "text/event-stream"}
    if client.api_key:
        headers["X-API-Key"] = client.api_key
    req = urllib.request.Request(client.base_url + "/requests/stream", headers=headers)
    try:
        resp = urllib.request.urlopen(req, timeout=None)
    except urllib.error.HTTPError as err:
        raise fail(f"unexpected status code: {err.code}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        if isinstance(reason, OSError) and reason.strerror:
            reason = reason.strerror.lower()
        raise fail(AdminError(f"cannot connect to admin API at {client.base_url}: {reason}",
                              code="connection_error").explain()) from None  # fmt: skip
    typer.echo("Streaming logs (press Ctrl+C to stop)...\n")
    try:
        with resp:
            for raw in resp:
                line = raw.decode(errors="replace").rstrip("\r\n")
                if not line.startswith("data: "):
                    continue
                data = line[len("data: ") :]
                if "Connected to request stream" in data:
                    continue
                try:
                    entry = json.loads(data)
                except ValueError:
                    continue
                if not isinstance(entry, dict) or "path" not in entry:
                    continue  # not a request (a `dropped` notice)
                if as_json:
                    typer.echo(data)
                elif verbose:
                    _verbose_entry(entry)
                else:
                    ts, proto, meth, path, matched_id, took = _row(entry, near=False)
                    typer.echo(f"{ts}  {proto}  {meth:<6}  {path:<25}  {matched_id:<15}  {took}")
    except KeyboardInterrupt:
        typer.echo("\nStopping log stream...")
    except OSError:
        pass  # the server closed the stream (shutdown): done, as the Go CLI exits quietly
