"""`mockd recordings sessions|list|export|import|clear|convert`: recording sessions on disk, no server needed
(operations reference §2.7). They read what `mockd start --upstream U --record --record-dir D` (or the Go
proxy) wrote; `convert` is ours (the Go tool's top-level `mockd convert` is taken here by file conversion).
"""

from __future__ import annotations

import fnmatch
import json
import shutil
from pathlib import Path
from typing import Annotated

import typer

from mockd.cli.client_commands import fail
from mockd.recording import disk, sensitive
from mockd.recording.convert import ConvertOptions, path_matches, status_matches, to_mocks
from mockd.recording.model import Recording, RecordingFormatError

recordings_app = typer.Typer(
    name="recordings",
    help="Inspect, export, import and convert recorded sessions on disk.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

Dir = Annotated[
    Path | None,
    typer.Option("--recordings-dir", show_default=False,
                 help="Base directory of the sessions (default ~/.local/share/mockd/recordings)."),
]  # fmt: skip
Output = Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default stdout).")]
SessionName = Annotated[
    str, typer.Option("-s", "--session", help="Session folder or name ('' or latest: the newest).")
]


def _base(path: Path | None) -> Path:
    return path.expanduser() if path is not None else disk.default_base()


def _load(base: Path, session: str) -> list[Recording]:
    folder = disk.resolve(base, session)
    if folder is None:
        raise fail("no recordings found. Run 'mockd start --upstream URL --record --record-dir DIR' "
                   "to capture traffic first")  # fmt: skip
    try:
        return disk.load_session(folder)
    except RecordingFormatError as exc:
        raise fail(str(exc)) from None


@recordings_app.command("sessions")
def sessions(recordings_dir: Dir = None) -> None:
    """List recording sessions, oldest first."""
    found = disk.sessions(_base(recordings_dir))
    if not found:
        typer.echo("No sessions found")
        return
    typer.echo(f"{'SESSION':<40} {'RECORDINGS':>10}  STARTED")
    for folder in found:
        try:
            meta = json.loads((folder / "meta.json").read_text())
        except (OSError, ValueError):
            meta = {}
        typer.echo(f"{folder.name:<40} {meta.get('recordingCount', 0):>10}  {meta.get('startTime', '')}")


@recordings_app.command("list")
def list_(
    recordings_dir: Dir = None, session: SessionName = "",
    method: Annotated[str, typer.Option("--method", help="Only this method.")] = "",
    host: Annotated[str, typer.Option("--host", help="Only hosts matching this glob.")] = "",
    limit: Annotated[int, typer.Option("--limit", min=0, help="At most this many (0: all).")] = 0,
) -> None:  # fmt: skip
    """Recordings of a session as a table."""
    recs = [
        r for r in _load(_base(recordings_dir), session)
        if (not method or r.method == method.upper()) and (not host or fnmatch.fnmatchcase(r.host, host))
    ]  # fmt: skip
    if limit:
        recs = recs[:limit]
    if not recs:
        typer.echo("No recordings found")
        return
    typer.echo(f"{'ID':<8}  {'METHOD':<7} {'HOST':<24} {'PATH':<32} {'STATUS':<6} DURATION")
    for r in recs:
        ms = f"{r.duration_ns / 1e6:.1f}ms"
        typer.echo(f"{r.id[:8]:<8}  {r.method:<7} {r.host:<24} {r.path:<32} {r.status:<6} {ms}")


@recordings_app.command("export")
def export(
    recordings_dir: Dir = None, session: SessionName = "",
    output: Output = None,
) -> None:  # fmt: skip
    """A session's recordings as one indented JSON array (what `mockd start --replay` and import read)."""
    recs = _load(_base(recordings_dir), session)
    if not recs:
        raise fail("no recordings to export")
    text = json.dumps([r.to_json() for r in recs], indent=2, ensure_ascii=False)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n")
        typer.echo(f"Exported {len(recs)} recordings to {output}", err=True)


@recordings_app.command("import")
def import_(
    input_: Annotated[Path, typer.Option("-i", "--input", help="An export (JSON array of recordings).")],
    recordings_dir: Dir = None,
    session: Annotated[str, typer.Option("--session", help="Name of the new session.")] = "imported",
) -> None:  # fmt: skip
    """Write an export's recordings into a new session folder `<session>-imported`."""
    try:
        recs = disk.load(input_)
    except RecordingFormatError as exc:
        raise fail(str(exc)) from None
    base = _base(recordings_dir)
    writer = disk.SessionWriter(base, session, port=0, mode="record", folder=f"{session}-imported")
    for rec in recs:
        writer.add(rec)
    writer.close()
    typer.echo(f"Imported {len(recs)} recordings into {writer.dir}")


@recordings_app.command("clear")
def clear(
    recordings_dir: Dir = None,
    session: Annotated[str, typer.Option("--session", help="Only this session (default: all).")] = "",
    force: Annotated[bool, typer.Option("-f", "--force", help="Do not ask for confirmation.")] = False,
) -> None:  # fmt: skip
    """Delete one session, or all of them."""
    base = _base(recordings_dir)
    if session:
        folder = disk.resolve(base, session)
        targets = [folder] if folder is not None else []
    else:
        targets = disk.sessions(base)
    if not targets:
        typer.echo("No sessions to clear")
        return
    what = targets[0].name if session else f"all {len(targets)} sessions"
    if not force and not typer.confirm(f"Delete {what}?", default=False):
        typer.echo("Cancelled")
        return
    for folder in targets:
        shutil.rmtree(folder)
    latest = base / "latest"
    if latest.is_symlink() and not latest.exists():
        latest.unlink()
    typer.echo(f"Deleted {len(targets)} session(s)")


@recordings_app.command("convert")
def convert(
    recordings_dir: Dir = None, session: SessionName = "",
    input_: Annotated[Path | None, typer.Option("-i", "--input", show_default=False,
                      help="An export file or session folder instead of a session.")] = None,
    include_hosts: Annotated[str, typer.Option("--include-hosts",
                             help="Only these hosts (comma-separated globs).")] = "",
    path_filter: Annotated[str, typer.Option("--path-filter", help="Only paths matching this glob.")] = "",
    method: Annotated[str, typer.Option("--method", help="Only these methods (GET,POST).")] = "",
    status: Annotated[str, typer.Option("--status",
                      help="Only these statuses: 200,201 or ranges 2xx,4xx (also success, error).")] = "",
    duplicates: Annotated[str, typer.Option("--duplicates", help="first, last or all.")] = "first",
    smart_match: Annotated[bool, typer.Option("--smart-match", help="Ids in paths become {id}.")] = False,
    include_headers: Annotated[bool, typer.Option("--include-headers",
                               help="Match on the recorded request headers too.")] = False,
    check_sensitive: Annotated[bool, typer.Option("--check-sensitive/--no-check-sensitive",
                               help="Warn (on stderr) about secret-looking headers, cookies and query "
                               "parameters in what is converted.")] = True,
    output: Output = None,
) -> None:  # fmt: skip
    """Recordings to a mock config (`{"version":"1.0","mocks":[...]}`) that `mockd start -c` loads; the Go
    tool's `mockd convert` filters (hosts, path, method, status) and stats line."""
    if duplicates not in ("first", "last", "all"):
        raise fail(f"invalid --duplicates: {duplicates} (expected first, last or all)")
    if input_ is not None:
        try:
            recs = disk.load(input_)
        except RecordingFormatError as exc:
            raise fail(str(exc)) from None
    else:
        recs = _load(_base(recordings_dir), session)
    if not recs:
        raise fail("no recordings found")
    hosts = [h.strip() for h in include_hosts.split(",") if h.strip()]
    if hosts:
        recs = [r for r in recs if any(fnmatch.fnmatchcase(r.host, h) for h in hosts)]
        if not recs:
            raise fail("no recordings match the host filter")
    total = len(recs)
    methods = {m.strip().upper() for m in method.split(",") if m.strip()}
    recs = [
        r for r in recs
        if (not methods or r.method in methods) and path_matches(path_filter, r.path)
        and status_matches(status, r.status)
    ]  # fmt: skip
    options = ConvertOptions(duplicates=duplicates, smart_match=smart_match,  # type: ignore[arg-type]
                             include_headers=include_headers)  # fmt: skip
    mocks = to_mocks(recs, options)
    text = json.dumps({"version": "1.0", "mocks": mocks}, indent=2, ensure_ascii=False)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n")
    stats = f"Processed {total} recordings (filtered out {total - len(recs)}), generated {len(mocks)} mocks"
    typer.echo(stats, err=True)
    if check_sensitive:
        for rec in recs:
            for warning in sensitive.warnings(rec):
                typer.echo(f"warning: {rec.id}: {warning['message']}", err=True)
