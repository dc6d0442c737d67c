"""Recording sessions on disk, in the Go proxy's layout (operations reference §2.7), so the two tools can
read each other's sessions:

    <base>/<name>-YYYYMMDD-HHMMSS/meta.json          {name,startTime,endTime?,port,mode,recordingCount,hosts?}
    <base>/<name>-YYYYMMDD-HHMMSS/<host>/rec_<id>.json   one recording, indented JSON, mode 0600
    <base>/latest                                    symlink to the newest session's folder name

`<base>` defaults to `$XDG_DATA_HOME/mockd/recordings` (else `~/.local/share/mockd/recordings`).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from mockd.gocompat.timefmt import rfc3339_local_seconds
from mockd.recording.model import Recording, RecordingFormatError


def default_base() -> Path:
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data) / "mockd" / "recordings"


def _write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


class SessionWriter:
    """Writes each recording as it is made; `close()` finishes meta.json and points `latest` here."""

    def __init__(self, base: Path, name: str, *, port: int, mode: str, folder: str = "") -> None:
        self.base = base
        self.started = time.time()
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self.started))
        self.dir = base / (folder or f"{name}-{stamp}")
        self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.meta: dict[str, Any] = {
            "name": name, "startTime": rfc3339_local_seconds(self.started), "port": port, "mode": mode,
            "recordingCount": 0,
        }  # fmt: skip
        self.hosts: list[str] = []
        self._write_meta()

    def _write_meta(self) -> None:
        meta = dict(self.meta)
        if self.hosts:
            meta["hosts"] = self.hosts
        _write(self.dir / "meta.json", json.dumps(meta, indent=2).encode(), 0o600)

    def add(self, rec: Recording) -> None:
        host = (rec.host or "unknown").replace("/", "_")
        folder = self.dir / host
        if host not in self.hosts:
            folder.mkdir(mode=0o700, exist_ok=True)
            self.hosts.append(host)
        _write(folder / f"rec_{rec.id}.json", json.dumps(rec.to_json(), indent=2).encode(), 0o600)
        self.meta["recordingCount"] += 1

    def close(self) -> None:
        self.meta["endTime"] = rfc3339_local_seconds(time.time())
        self._write_meta()
        latest = self.base / "latest"
        try:
            if latest.is_symlink() or latest.exists():
                latest.unlink()
            latest.symlink_to(self.dir.name)
        except OSError:  # no symlinks here: a text file naming the folder, as the Go tool
            latest.write_text(self.dir.name)


def sessions(base: Path) -> list[Path]:
    """Session folders, oldest name first."""
    if not base.is_dir():
        return []
    return sorted(
        p for p in base.iterdir() if p.is_dir() and not p.is_symlink() and (p / "meta.json").exists()
    )


def resolve(base: Path, name: str) -> Path | None:
    """The Go tool's rules: '' or `latest` -> the `latest` link (else the last folder); an exact folder
    name; else the lexicographically last `<name>-*` folder."""
    if name in ("", "latest"):
        latest = base / "latest"
        if latest.is_symlink() or latest.is_dir():
            return latest.resolve()
        if latest.is_file():
            target = base / latest.read_text().strip()
            if target.is_dir():
                return target
        found = sessions(base)
        return found[-1] if found else None
    if (base / name).is_dir():
        return base / name
    matches = [p for p in sessions(base) if p.name.startswith(name + "-")]
    return matches[-1] if matches else None


def load_session(folder: Path) -> list[Recording]:
    """Every `rec_*.json` under a session folder, oldest first (by timestamp, then file name)."""
    recs = [_read_one(p) for p in sorted(folder.glob("*/rec_*.json"))]
    return sorted(recs, key=lambda r: r.timestamp)


def _read_one(path: Path) -> Recording:
    try:
        value = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise RecordingFormatError(f"{path}: not a JSON recording: {exc}") from None
    return Recording.from_json(value, str(path))


def load(path: Path) -> list[Recording]:
    """Recordings from a session folder, a single recording file, or an export (a JSON array)."""
    if path.is_dir():
        return load_session(path)
    try:
        value = json.loads(path.read_bytes())
    except OSError as exc:
        raise RecordingFormatError(f"{path}: cannot read: {exc.strerror}") from None
    except ValueError as exc:
        raise RecordingFormatError(f"{path}: not JSON: {exc}") from None
    if value is None:
        return []
    if isinstance(value, dict):
        return [Recording.from_json(value, str(path))]
    if not isinstance(value, list):
        raise RecordingFormatError(f"{path}: expected an array of recordings (an export) or one recording")
    return [Recording.from_json(item, f"{path}[{i}]") for i, item in enumerate(value)]
