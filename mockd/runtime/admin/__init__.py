"""The admin API (port 4290): one module per concern, each with `register(router, rt)`."""

from mockd.runtime.admin import (
    chaos,
    config,
    dashboard,
    health,
    mocks,
    portability,
    recordings,
    requestlog,
    state,
    status,
    verify,
)

# Route modules mounted on the admin router; add a concern here when it lands.
ROUTE_MODULES = [
    health,
    status,
    mocks,
    verify,
    requestlog,
    config,
    state,
    chaos,
    portability,
    recordings,
    dashboard,
]

__all__ = ["ROUTE_MODULES"]
