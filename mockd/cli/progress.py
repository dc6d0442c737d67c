"""A progress bar on stderr for conversions that take a while (issue 13: Stripe's YAML spec takes seconds).

It stays silent for the first second, so the usual sub-second import prints nothing, and it draws only on a
terminal, so piped output and CI logs are not filled with carriage returns. `MOCKD_PROGRESS=1` forces it on
(and `MOCKD_PROGRESS_AFTER` moves the one-second threshold), which is how the tests see it.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

_WIDTH = 30
_EVERY = 0.1  # redraw at most ten times a second


class Progress:
    """`progress(done, total)` as the converters call it; `finish()` ends the line if one was drawn."""

    def __init__(self, name: str, stream: TextIO | None = None) -> None:
        self.name = name
        self.stream = stream or sys.stderr
        forced = os.environ.get("MOCKD_PROGRESS") == "1"
        self.enabled = forced or self.stream.isatty()
        self.after = float(os.environ.get("MOCKD_PROGRESS_AFTER", "1.0"))
        self.started = time.monotonic()
        self.drawn_at = -1.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.after:
            return
        if done < total and now - self.drawn_at < _EVERY:
            return
        self.drawn_at = now
        filled = _WIDTH * done // total if total else _WIDTH
        bar = "#" * filled + " " * (_WIDTH - filled)
        self.stream.write(f"\rconverting {self.name} [{bar}] {done}/{total} operations")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
