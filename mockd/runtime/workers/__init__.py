"""`mockd start --workers N`: the mock port served by N worker processes on one machine (issue 19).

The main process (the owner) keeps the admin port and all state: the mock set, counters, the request log,
stateful tables, chaos. Workers are its children; each serves the mock port (SO_REUSEPORT, the kernel spreads
connections) from a read-only copy of the route table and answers static and templated mocks itself. Whatever
needs the owner's state (stateful tables, protocol mocks, `sequence()` templates, every request while chaos
is on) is relayed to the owner over a unix socket. docs/workers.md has the design and the figures behind it.

One worker (the default) never imports this package: `mockd start` then runs `runtime.server.serve` as before.
"""

from __future__ import annotations

import os


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity), which is what `--workers auto` means."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return max(1, os.cpu_count() or 1)


def parse_workers(value: str) -> int:
    """`--workers` as given: a whole number >= 1, or `auto`. Raises ValueError saying what was expected."""
    text = value.strip().lower()
    if text == "auto":
        return usable_cores()
    if not text.isdecimal() or int(text) < 1:
        raise ValueError(f"invalid --workers {value!r}: expected a whole number >= 1, or auto")
    return int(text)
