"""Server settings, resolved by the CLI from flags and MOCKD_* environment variables."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mockd.bodyfile import DEFAULT_MAX_BYTES
from mockd.runtime.journal import JournalLimits
from mockd.tls.settings import TLSSettings


@dataclass(frozen=True, slots=True)
class ServerOptions:
    host: str = "0.0.0.0"  # all interfaces, as the Go tool (a container's port mapping needs it)
    port: int = 4280
    admin_port: int = 4290
    no_auth: bool = False
    api_key: str | None = None  # None: generate one for this run and print it to stderr
    log_level: str = "info"
    cors_origins: str | None = None  # None: the Go tool's defaults; "a,b" or "*" replaces the origins
    # Granian's task implementation: "rust" saves an asyncio Task per request. Granian 2.8 leaks what a Rust
    # task waits on; the mock app's waits go through runtime/rusttasks.py, which keeps that to one object.
    task_impl: str = "rust"
    journal: JournalLimits = field(default_factory=JournalLimits)
    # Admin per-IP rate limit in requests/second (burst twice that); 0 = off. Loopback callers are never
    # limited, so a test suite on the same machine cannot be slowed down (docs/admin-api.md).
    admin_rate_limit: float = 0.0
    # Written once both ports listen, for `mockd stop`; None: no PID file.
    pid_file: Path | None = None
    config_file: str = ""  # what the PID file reports as the config (the first --config, or the plan)
    # issue 12: the folder `bodyFile`s of admin-created mocks must lie in (None: the first config file's
    # folder, else the working directory), and the most bytes any body file may have (both ports' body cap).
    body_file_root: str | None = None
    max_body_file_bytes: int = DEFAULT_MAX_BYTES
    # Seconds a shutdown waits for in-flight responses (delayed mocks) before closing them.
    shutdown_grace: float = 2.0
    # Seconds a connection may take to send a request's headers, and may sit idle between requests, before
    # it is closed (the Go tool's --read-timeout, 30 s). Applies to both ports.
    read_timeout: float = 30.0
    # Seeds chaos fault selection (beats a config's `seed`): the same request sequence gets the same faults.
    chaos_seed: int | None = None
    # An HTTPS listener for the mocks beside the plain one (--https-port), with its certificate.
    tls: TLSSettings | None = None
    # issue 17: base URL unmatched requests are forwarded to (None: 404 no_match as usual), how long the
    # connection may take before it is a 502, and whether forwarded exchanges are recorded (redacted first).
    upstream: str | None = None
    upstream_connect_timeout: float = 2.0
    upstream_read_timeout: float = 30.0
    record: bool = False
    redact_headers: tuple[str, ...] = ()
    redact_fields: tuple[str, ...] = ()
    # Also write each recording to a session folder under this base (the Go proxy's layout); None: only
    # in memory.
    record_dir: str | None = None
    # Recordings (a session folder or an export file) answered in order before the upstream is asked.
    replay: str | None = None
    # `start -d`: a pipe to the parent that waits for us. "ready" is written once both ports listen (and the
    # PID file is written); the parent sees end-of-file without it when we exit first, and reports why.
    ready_fd: int | None = None
    # `--data-dir` (opened and locked by the CLI): where workspace folders go. None: nothing is written.
    data_dir: Path | None = None
    # `--shared-state redis://host:port[/db]`: replicas share mocks, counts, the request log and chaos
    # through this Redis/Valkey (mockd/runtime/shared, docs/shared-state.md). None: this process only.
    shared_state: str | None = None
