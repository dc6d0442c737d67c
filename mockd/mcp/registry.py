"""Tool name → handler, in the order of `schemas.TOOLS` (a test holds the two lists equal)."""

from __future__ import annotations

from mockd.mcp.results import Handler
from mockd.mcp.tools_chaos import (
    get_chaos_config,
    get_stateful_faults,
    manage_circuit_breaker,
    reset_chaos_stats,
    set_chaos_config,
)
from mockd.mcp.tools_mocks import manage_mock
from mockd.mcp.tools_observe import clear_request_logs, get_request_logs, get_server_status
from mockd.mcp.tools_portability import export_mocks, import_mocks
from mockd.mcp.tools_state import manage_custom_operation, manage_state
from mockd.mcp.tools_verify import get_mock_invocations, reset_verification, verify_mock
from mockd.mcp.tools_workspace import manage_context, manage_workspace

HANDLERS: dict[str, Handler] = {
    "manage_mock": manage_mock,
    "manage_context": manage_context,
    "manage_workspace": manage_workspace,
    "import_mocks": import_mocks,
    "export_mocks": export_mocks,
    "get_server_status": get_server_status,
    "get_request_logs": get_request_logs,
    "clear_request_logs": clear_request_logs,
    "get_chaos_config": get_chaos_config,
    "set_chaos_config": set_chaos_config,
    "reset_chaos_stats": reset_chaos_stats,
    "get_stateful_faults": get_stateful_faults,
    "manage_circuit_breaker": manage_circuit_breaker,
    "verify_mock": verify_mock,
    "get_mock_invocations": get_mock_invocations,
    "reset_verification": reset_verification,
    "manage_state": manage_state,
    "manage_custom_operation": manage_custom_operation,
}
