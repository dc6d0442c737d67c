"""Which proxied exchanges are recorded (operations reference §2.1, the Go `pkg/proxy/filter.go` order):
excluded hosts, then excluded paths (any match skips), then included hosts and included paths (each, when
set, must match). Patterns are globs with `*` only; a pattern without `*` must equal the value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


def glob_match(pattern: str, value: str) -> bool:
    if "*" not in pattern:
        return pattern == value
    return _compiled(pattern).fullmatch(value) is not None


@dataclass(frozen=True, slots=True)
class Filters:
    include_paths: tuple[str, ...] = ()
    exclude_paths: tuple[str, ...] = ()
    include_hosts: tuple[str, ...] = ()
    exclude_hosts: tuple[str, ...] = ()

    def allows(self, host: str, path: str) -> bool:
        if any(glob_match(p, host) for p in self.exclude_hosts):
            return False
        if any(glob_match(p, path) for p in self.exclude_paths):
            return False
        if self.include_hosts and not any(glob_match(p, host) for p in self.include_hosts):
            return False
        return not self.include_paths or any(glob_match(p, path) for p in self.include_paths)

    def to_json(self) -> dict[str, list[str]]:
        pairs = (("includePaths", self.include_paths), ("excludePaths", self.exclude_paths),
                 ("includeHosts", self.include_hosts), ("excludeHosts", self.exclude_hosts))  # fmt: skip
        return {k: list(v) for k, v in pairs if v}
