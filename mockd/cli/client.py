"""A small admin-API client for the CLI's client commands (`mockd health`, `mockd verify …`).

Standard library only: these commands run in CI scripts next to a server that may be down, so they must start
fast and say plainly what went wrong (reference §6: the message on stderr, exit 1). The error texts follow the
Go CLI's client so scripts that grep them keep working.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockd.cli.contexts import DEFAULT_ADMIN_URL, api_key
from mockd.cli.contexts import admin_url as contexts_admin_url

__all__ = ["DEFAULT_ADMIN_URL", "AdminClient", "AdminError", "mock_path", "parse_timestamp"]

_TIMEOUT = 30.0


class AdminError(Exception):
    """The admin API refused the call, or could not be reached (`code` "connection_error")."""

    def __init__(self, message: str, *, code: str, status: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status

    def explain(self) -> str:
        """What to print: the message, with next steps when the server was not reached at all."""
        if self.code != "connection_error":
            return self.message
        return (
            f"Error: {self.message}\n\nSuggestions:\n  • Start the server: mockd start\n"
            "  • Check if the server is running on the expected port\n"
            "  • Verify the admin URL with: mockd config"
        )


@dataclass(frozen=True)
class AdminClient:
    base_url: str
    api_key: str | None = None
    timeout: float = _TIMEOUT

    @classmethod
    def from_environment(cls, admin_url: str, *, timeout: float = _TIMEOUT) -> AdminClient:
        """The key, as the Go CLI finds it: MOCKD_API_KEY, else the current context's `authToken` (loopback
        callers need none)."""
        return cls(admin_url.rstrip("/"), api_key(), timeout)

    @classmethod
    def for_command(cls, admin_url: str) -> AdminClient:
        """A client command's client. `--admin-url` (or MOCKD_ADMIN_URL) left at the default means "not
        given": the current context's `adminUrl` is used then, as the Go CLI resolves it."""
        return cls.from_environment(contexts_admin_url(None) if admin_url == DEFAULT_ADMIN_URL else admin_url)

    def call(self, method: str, path: str, body: dict | None = None, *, not_found: str | None = None) -> Any:
        """One request; the decoded JSON reply of a 2xx, else `AdminError`.

        `not_found` replaces the server's 404 message (the Go client names the missing mock that way).
        """
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.api_key:
            headers["X-API-Key"] = self.api_key
        req = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
                status = resp.status
        except urllib.error.HTTPError as err:
            raw, status = err.read(), err.code
        except (urllib.error.URLError, OSError, ValueError) as err:
            reason = getattr(err, "reason", err)
            if isinstance(reason, OSError) and reason.strerror:
                reason = reason.strerror.lower()  # "connection refused", not "[Errno 111] Connection refused"
            raise AdminError(
                f"cannot connect to admin API at {self.base_url}: {reason}", code="connection_error"
            ) from None
        if status == 404 and not_found is not None:
            raise AdminError(not_found, code="not_found", status=404)
        if not 200 <= status < 300:
            raise _api_error(status, raw)
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise AdminError(f"failed to parse response: {raw[:100]!r}", code="bad_response") from None


def _api_error(status: int, raw: bytes) -> AdminError:
    """The server's own message when it sent one (the admin error envelope), else the raw reply."""
    try:
        reply = json.loads(raw)
    except ValueError:
        reply = None
    if isinstance(reply, dict) and isinstance(reply.get("message"), str) and reply["message"]:
        return AdminError(reply["message"], code=str(reply.get("error") or "unknown_error"), status=status)
    text = raw.decode("utf-8", "replace")
    return AdminError(f"server returned status {status}: {text}", code="unknown_error", status=status)


def mock_path(mock_id: str, suffix: str) -> str:
    return "/mocks/" + urllib.parse.quote(mock_id, safe="") + suffix


def parse_timestamp(text: str) -> datetime | None:
    """An RFC 3339 timestamp with up to nanosecond precision (Go's RFC3339Nano); None if it is not one."""
    head, dot, rest = text.partition(".")
    if dot:
        digits = len(rest) - len(rest.lstrip("0123456789"))
        text = f"{head}.{rest[:digits][:6].ljust(6, '0')}{rest[digits:]}"
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
