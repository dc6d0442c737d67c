"""Serve a compiled plan: the mock port and the admin port from one process and one event loop.

Two embedded Granian servers share one loop (rloop when available), so the admin API and the mock port share
memory: a mock created over the admin API is live on the next request, and a verify call sees every call
made before it. There are no worker processes, so a harness that kills this process leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from granian.constants import HTTPModes, Interfaces, SSLProtocols, TaskImpl
from granian.http import HTTP1Settings
from granian.server.embed import Server

from mockd.errors import MockdError
from mockd.protocols.registry import PortUnavailableError
from mockd.runtime import pidfile
from mockd.runtime.admin.app import AdminApp
from mockd.runtime.app import MockApp
from mockd.runtime.protocols import close_streams
from mockd.runtime.rusttasks import uses_rust_tasks
from mockd.runtime.world import Runtime

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mockd.persistence import DataDir
    from mockd.plan.model import CompiledPlan
    from mockd.runtime.options import ServerOptions
    from mockd.tls.settings import TLSSettings

log = logging.getLogger("mockd")
# Work that runs on the server's loop beside the ports (`start --watch`), given the runtime.
BackgroundJob = Callable[[Runtime], Awaitable[None]]


class FatalError(MockdError):
    """The server cannot start (a port is taken, a bind is refused)."""


def _port_in_use(port: int, admin: bool) -> FatalError:
    if admin:
        return FatalError(
            f"admin port {port} is already in use — try a different port with --admin-port "
            f"or check what's using it: lsof -i :{port}"
        )
    return FatalError(
        f"port {port} is already in use — try a different port with --port "
        f"or check what's using it: lsof -i :{port}"
    )


_OWN_PORT_NAMES = {"grpc": ("gRPC", "grpc.port"), "mqtt": ("MQTT", "mqtt.port")}


def _own_port_in_use(port: int, what: str) -> FatalError:
    label, key = next((v for v in _OWN_PORT_NAMES.values() if v[0] == what), (what, "port"))
    return FatalError(
        f"{label} port {port} is already in use — try a different {key} "
        f"or check what's using it: lsof -i :{port}"
    )


def own_ports(plan: CompiledPlan) -> list[tuple[int, str]]:
    """(port, protocol label) of the plan's enabled gRPC and MQTT mocks."""
    ports = {
        (c["action"]["spec"].get("listenPort"), _OWN_PORT_NAMES[c["action"]["protocol"]][0])
        for c in plan["mocks"]
        if c["enabled"] and c["action"]["kind"] == "protocol" and c["action"]["protocol"] in _OWN_PORT_NAMES
    }
    return sorted((p, w) for p, w in ports if isinstance(p, int))


def check_port(host: str, port: int, *, admin: bool) -> None:
    """Bind once without SO_REUSEPORT. Granian binds with SO_REUSEPORT, so without this check a second
    mockd on the same ports would start silently and take half the traffic with its own state."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except PermissionError as exc:
            raise FatalError(f"could not bind port {port} to check availability: {exc}") from None
        except OSError as exc:
            raise _port_in_use(port, admin) from exc


def _new_loop() -> asyncio.AbstractEventLoop:
    try:
        from rloop.loop import RLoop  # type: ignore[import-untyped]  # ships no type information
    except ImportError:  # platforms without rloop wheels fall back to the standard loop
        return asyncio.new_event_loop()

    class Loop(RLoop):  # type: ignore[misc]
        """rloop takes only integer descriptors; grpc.aio (gRPC mocks) hands its poller's socket object,
        which the standard loop accepts through `fileno()`."""

        def add_reader(self, fd: Any, callback: Any, *args: Any) -> Any:
            return super().add_reader(fd if isinstance(fd, int) else fd.fileno(), callback, *args)

        def remove_reader(self, fd: Any) -> Any:
            return super().remove_reader(fd if isinstance(fd, int) else fd.fileno())

    return Loop()


def _embedded(
    app: object,
    host: str,
    port: int,
    task_impl: str,
    read_timeout: float,
    tls: TLSSettings | None = None,
    *,
    websockets: bool = False,
) -> Server:
    impl = TaskImpl.rust if uses_rust_tasks(task_impl) else TaskImpl.asyncio
    ssl: dict[str, Any] = {}
    if tls is not None:
        # TLS >= 1.2 as the Go tool (Granian's default minimum is 1.3); a client CA means a verified client
        # certificate is required (require-and-verify).
        ssl = {"ssl_cert": tls.files.cert, "ssl_key": tls.files.key, "ssl_protocol_min": SSLProtocols.tls12}
        if tls.client_ca is not None:
            ssl.update(ssl_ca=tls.client_ca, ssl_client_verify=True)
    server = Server(
        app,
        address=host,
        port=port,
        interface=Interfaces.RSGI,
        task_impl=impl,
        log_enabled=False,
        # On the mock port, upgrades reach MockApp._upgrade (WebSocket mocks); the admin port has none.
        websockets=websockets,
        backlog=2048,
        # HTTP/1.1 only, as the Go tool serves its plain ports. Besides, in "auto" mode Granian first waits
        # for enough bytes to tell HTTP/2 from HTTP/1 with no timeout, so a connection that never sends a
        # byte stayed open for ever (issue 12). In HTTP/1 mode hyper's header-read timer runs from accept,
        # and also closes a keep-alive connection idle that long between requests.
        http=HTTPModes.http1,
        http1_settings=HTTP1Settings(header_read_timeout=max(1, int(read_timeout * 1000))),
        **ssl,
    )
    return server


def serve(
    plan: CompiledPlan,
    options: ServerOptions,
    *,
    data: DataDir | None = None,
    background: Sequence[BackgroundJob] = (),
) -> int:
    """Load `plan` (and, with a data dir, its stored table items), then serve until SIGINT/SIGTERM.
    Returns the exit code. The data dir is closed (written, unlocked) before this returns. `background`
    tasks (`--watch`) run on the server's loop once the ports listen and are cancelled when it stops."""
    try:
        check_port(options.host, options.port, admin=False)
        check_port(options.host, options.admin_port, admin=True)
        if options.tls is not None:
            check_port(options.host, options.tls.https_port, admin=False)
        for port, what in own_ports(plan):
            try:
                check_port(options.host, port, admin=False)
            except FatalError:
                raise _own_port_in_use(port, what) from None
    except FatalError:
        if data is not None:
            data.close()
        raise
    if options.shared_state:
        from mockd.runtime.shared import SharedRuntime

        rt: Runtime = SharedRuntime(options)
    else:
        rt = Runtime(options)
    rt.load(plan)  # before any port accepts traffic: /health answering means the mocks are there
    if data is not None:
        from mockd.runtime.persist import Persister

        persister = Persister(rt, data)
        persister.attach()
        rt.persister = persister
    # Everything loaded so far lives as long as the server: keep it out of the cyclic GC's generations, so
    # full collections (about 300 ms with 10,000 mocks) stop scanning it and stop pausing the mock port.
    gc.freeze()
    loop = _new_loop()
    asyncio.set_event_loop(loop)
    try:
        loaded = len(plan["mocks"]) + len(plan["resources"])
        return loop.run_until_complete(_run(rt, options, loaded, background))
    finally:
        with contextlib.suppress(Exception):
            loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


async def _run(
    rt: Runtime,
    options: ServerOptions,
    loaded: int,
    background: Sequence[Callable[[Runtime], Awaitable[None]]],
) -> int:
    loop = asyncio.get_running_loop()
    if rt.shared is not None:  # --shared-state: adopt (or seed) the store's mocks before a port listens
        await rt.shared.start()
    try:
        await rt.own_ports.start()  # gRPC/MQTT ports listen before the mock port: a taken one stops us here
    except PortUnavailableError as exc:
        await rt.own_ports.close()
        raise _own_port_in_use(exc.port, exc.what) from None
    admin_app = AdminApp(rt)
    mock_app = MockApp(rt)
    mock_server = _embedded(
        mock_app, options.host, options.port, options.task_impl, options.read_timeout, websockets=True
    )
    admin_server = _embedded(admin_app, options.host, options.admin_port, "asyncio", options.read_timeout)
    servers: tuple[Server, ...] = (mock_server, admin_server)
    timeout = options.read_timeout
    tls = options.tls
    if tls is not None:
        impl = options.task_impl
        https = _embedded(mock_app, options.host, tls.https_port, impl, timeout, tls, websockets=True)
        servers = (mock_server, https, admin_server)
    for s in servers:
        # Without a kill timeout, a shutdown waits for every in-flight delayed response (up to 30 s each).
        s.workers_kill_timeout = max(1, int(options.shutdown_grace))

    stopping = False

    def stop() -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        print("Shutting down...", flush=True)
        # Listeners close at once (a harness that restarts us must see connection refused right away);
        # in-flight responses drain. Granian waits for open responses before it lets the app go, so event
        # streams are ended now: their pumps return and each stream gets its final chunk.
        admin_app.close_streams()
        close_streams()  # SSE, chunked and WebSocket mocks' open streams
        for s in servers:
            s.stop()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)

    started = 0

    def on_startup() -> None:
        nonlocal started
        started += 1
        if started == len(servers):
            print(f"Mock server running on http://localhost:{options.port}", flush=True)
            if options.tls is not None:
                print(f"HTTPS server running on https://localhost:{options.tls.https_port}", flush=True)
            print(f"Admin API running on http://localhost:{options.admin_port}", flush=True)
            print("Press Ctrl+C to stop", flush=True)
            _write_pid_file(options, loaded)
            _signal_ready(options)

    for s in servers:
        s.on_startup(on_startup)

    tasks = [asyncio.ensure_future(s.serve()) for s in servers]
    if rt.persister is not None:
        rt.persister.start()
    helpers = [asyncio.ensure_future(job(rt)) for job in background]
    try:
        return await _wait(tasks, stop, lambda: stopping)
    finally:
        for helper in helpers:
            helper.cancel()
        mock_app.close()
        await rt.own_ports.close()
        if options.tls is not None:
            options.tls.files.discard()  # a certificate generated for this run is never kept
        await rt.forwarding.aclose()
        if rt.shared is not None:
            await rt.shared.close()
        if rt.persister is not None:
            rt.persister.close()  # after both ports stopped: nothing changes any more
        if options.pid_file is not None:
            pidfile.remove_if_names(options.pid_file, os.getpid())


def _write_pid_file(options: ServerOptions, loaded: int) -> None:
    if options.pid_file is None:
        return
    try:
        pidfile.write(
            options.pid_file,
            port=options.port,
            admin_port=options.admin_port,
            https_port=options.tls.https_port if options.tls is not None else 0,
            config_file=options.config_file,
            mocks_loaded=loaded,
        )
    except OSError as exc:  # the server is up and useful without it, as with the Go tool
        print(f"Warning: failed to write PID file: {exc}", file=sys.stderr, flush=True)


def _signal_ready(options: ServerOptions) -> None:
    """Tell a waiting `start -d` parent that both ports listen (see ServerOptions.ready_fd)."""
    if options.ready_fd is None:
        return
    with contextlib.suppress(OSError):
        os.write(options.ready_fd, b"ready\n")
    with contextlib.suppress(OSError):
        os.close(options.ready_fd)


async def _wait(
    tasks: Sequence[asyncio.Future], stop: Callable[[], None], stopping: Callable[[], bool]
) -> int:
    """Wait for both servers; one ending on its own (bind failure, crash) stops the other, exit 1."""
    exit_code = 0
    done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    if not stopping():
        # One server ended on its own (bind failure, crash): stop the other and report it.
        for t in done:
            exc = t.exception()
            if exc is not None:
                log.error("server failed: %s", exc)
        exit_code = 1
        stop()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for r in results:
        if isinstance(r, BaseException) and not isinstance(r, asyncio.CancelledError | TimeoutError):
            log.error("server stopped with an error: %s", r)
            exit_code = 1
    print("Server stopped", flush=True)
    return exit_code
