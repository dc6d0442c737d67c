"""The PID file a running server leaves for `mockd stop` (reference §6.1 `--pid-file`, §6.4).

Written once both ports listen, in the Go tool's shape, so tools that read its PID file read ours. Two
differences make it safe when several servers share the default path (parallel test runs): the file is
replaced atomically, and a server removes it on exit only while it still names this process. The Go tool
removes the file regardless, even when a newer server has taken it over.
"""

from __future__ import annotations

import contextlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from mockd import __version__

DEFAULT_PATH = "~/.mockd/mockd.pid"  # as the Go tool; `mockd start --pid-file` and `mockd stop` expand it


def write(
    path: Path, *, port: int, admin_port: int, config_file: str, mocks_loaded: int, https_port: int = 0
) -> None:
    """Write the file atomically (temporary file, then rename). Raises OSError."""
    info = {
        "pid": os.getpid(),
        "startTime": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "version": __version__,
        "components": {
            "admin": {"enabled": True, "port": admin_port, "host": "localhost"},
            "engine": {"enabled": True, "port": port, "host": "localhost"}
            | ({"httpsPort": https_port} if https_port else {}),
        },
        "config": {"file": config_file, "mocksLoaded": mocks_loaded}
        if config_file
        else {"mocksLoaded": mocks_loaded},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(info, indent=2))
        tmp.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def remove_if_names(path: Path, pid: int) -> None:
    """Remove the file only while it still names `pid`: another server may have replaced it meanwhile."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        if json.loads(path.read_text()).get("pid") == pid:
            path.unlink()
