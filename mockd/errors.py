"""The root of mockd's own exceptions: every error raised on purpose derives from `MockdError`.

The CLI turns any `MockdError` into a message and exit code 1 and anything else into exit code 70 (a bug);
each part defines its own subclasses beside its code (`mockd.compiler.errors`, `mockd.plan.io.PlanError`).
"""


class MockdError(Exception):
    """Base of every error mockd raises on purpose (anything else is a bug)."""
