"""The admin API (port 4290): one module per concern, each with `register(router, rt)`."""

from mockd.runtime.admin import (
    chaos,
    config,
    dashboard,
    folders,
    health,
    mocks,
    portability,
    proxy,
    recordings,
    requestlog,
    sharedstate,
    sse,
    state,
    status,
    verify,
    websocket,
    workspaces,
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
    sse,
    websocket,
    workspaces,
    folders,
    proxy,
    dashboard,
    sharedstate,
]

__all__ = ["ROUTE_MODULES"]
