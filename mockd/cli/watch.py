"""`start --watch`: re-read the config files when they change, and swap the result in (runtime/reload.py).

Beyond the Go tool, whose `--watch` only works with `--load` directories. The files are polled (their size,
modification time and inode, every quarter second), so an editor that saves by writing a new file and
renaming it over the old one is seen as well as one that writes in place, with no platform-specific
notification API. A change is compiled in a worker thread with the same compiler as start-up; a file that
fails validation prints its errors and leaves the running set exactly as it was.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mockd.compiler import ConfigError, compile_files
from mockd.runtime.reload import reload_config

if TYPE_CHECKING:
    from mockd.runtime.world import Runtime

log = logging.getLogger("mockd.watch")
POLL_SECONDS = 0.25

Stamp = tuple[int, int, int] | None


def _stamp(path: Path) -> Stamp:
    try:
        st = os.stat(path)
    except OSError:
        return None  # mid-rename, or deleted: compared like any other state
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def config_watcher(
    files: Sequence[Path], interval: float = POLL_SECONDS
) -> Callable[[Runtime], Awaitable[None]]:
    """A background task for `serve`: polls `files` and reloads the server's config when one changes."""
    paths = [Path(f) for f in files]

    async def watch(rt: Runtime) -> None:
        seen = [_stamp(p) for p in paths]
        while True:
            await asyncio.sleep(interval)
            now = [_stamp(p) for p in paths]
            if now == seen:
                continue
            names = ", ".join(str(p) for p, a, b in zip(paths, seen, now, strict=True) if a != b)
            seen = now
            try:
                result = await asyncio.to_thread(compile_files, paths)
            except ConfigError as exc:
                print(f"config not reloaded, the running mocks are unchanged:\n{exc}", flush=True)
                continue
            for warning in result.warnings:
                print(warning.render(), flush=True)
            summary = await reload_config(rt, result.plan)
            print(f"config reloaded ({names}): {summary.describe()}", flush=True)

    return watch
