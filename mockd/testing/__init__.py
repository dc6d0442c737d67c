"""mockd for test suites: `MockdServer` (a server on free ports, stopped by PID), `MockdContainer` (the
image under Testcontainers) and the pytest plugin (`mockd.testing.pytest_plugin`, loaded through its
`pytest11` entry point).

Names are imported on first use: pytest imports the plugin (and so this package) in every run where mockd
is installed, and a run that uses none of it should not pay for the client, nor need testcontainers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockd.testing.container import MockdContainer
    from mockd.testing.server import MockdServer, MockdStartError

__all__ = ["MockdContainer", "MockdServer", "MockdStartError"]


def __getattr__(name: str) -> Any:
    if name in ("MockdServer", "MockdStartError"):
        from mockd.testing import server

        return getattr(server, name)
    if name == "MockdContainer":
        from mockd.testing.container import MockdContainer

        return MockdContainer
    raise AttributeError(f"module 'mockd.testing' has no attribute {name!r}")
