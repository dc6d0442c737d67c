"""mockd for test suites: `MockdServer` (a server on free ports, stopped by PID) and the pytest plugin
(`mockd.testing.pytest_plugin`, loaded through its `pytest11` entry point)."""

from mockd.testing.server import MockdServer, MockdStartError

__all__ = ["MockdServer", "MockdStartError"]
