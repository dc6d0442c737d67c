"""`serve` for `--workers N`: the owner process. It serves the admin port and, on a private loopback port,
the mock app that answers what workers relay; the workers serve the mock port (runtime/workers/child.py).

Start-up order: the ports are checked, the plan is loaded, the admin port and the owner's private port listen,
then the workers start and the banner is printed only once every worker listens on the mock port, so a
harness that waits for the banner never reaches a port without a worker behind it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import socket
import sys
from typing import TYPE_CHECKING

from granian.constants import HTTPModes, Interfaces, TaskImpl
from granian.http import HTTP1Settings
from granian.server.embed import Server

from mockd.protocols.registry import PortUnavailableError
from mockd.runtime import pidfile
from mockd.runtime.admin.app import AdminApp
from mockd.runtime.app import MockApp
from mockd.runtime.protocols import close_streams
from mockd.runtime.server import (
    BackgroundJob,
    FatalError,
    _embedded,
    _new_loop,
    _own_port_in_use,
    _signal_ready,
    _wait,
    _write_pid_file,
    check_port,
    own_ports,
)
from mockd.runtime.workers.pool import WorkerFailed, WorkerPool
from mockd.runtime.world import Runtime

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mockd.persistence import DataDir
    from mockd.plan.model import CompiledPlan
    from mockd.runtime.options import ServerOptions


def serve_workers(
    plan: CompiledPlan,
    options: ServerOptions,
    workers: int,
    *,
    data: DataDir | None = None,
    background: Sequence[BackgroundJob] = (),
) -> int:
    """As `runtime.server.serve`, with the mock port served by `workers` processes. Returns the exit code."""
    try:
        check_port(options.host, options.port, admin=False)
        check_port(options.host, options.admin_port, admin=True)
        for port, what in own_ports(plan):
            try:
                check_port(options.host, port, admin=False)
            except FatalError:
                raise _own_port_in_use(port, what) from None
    except FatalError:
        if data is not None:
            data.close()
        raise
    rt = Runtime(options)
    rt.load(plan)
    if data is not None:
        from mockd.runtime.persist import Persister

        persister = Persister(rt, data)
        persister.attach()
        rt.persister = persister
    gc.freeze()
    loop = _new_loop()
    asyncio.set_event_loop(loop)
    try:
        loaded = len(plan["mocks"]) + len(plan["resources"])
        pool = WorkerPool(rt, options, workers, _private_port())
        return loop.run_until_complete(_run(rt, options, loaded, background, pool))
    finally:
        with contextlib.suppress(Exception):
            loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def _private_port() -> int:
    """A free loopback port for the owner's own mock app (what workers relay to)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _owner_server(app: MockApp, port: int, options: ServerOptions) -> Server:
    # The task implementation is the one the app's waits were set up for (MockApp._wait): the relay that
    # keeps Granian's Rust tasks from leaking is refused by an asyncio Task (this port once hung that way).
    return Server(
        app,
        address="127.0.0.1",
        port=port,
        interface=Interfaces.RSGI,
        task_impl=TaskImpl.rust if app.rust_tasks else TaskImpl.asyncio,
        log_enabled=False,
        websockets=False,
        backlog=2048,
        http=HTTPModes.http1,
        http1_settings=HTTP1Settings(header_read_timeout=max(1, int(options.read_timeout * 1000))),
    )


async def _run(
    rt: Runtime, options: ServerOptions, loaded: int, background: Sequence[BackgroundJob], pool: WorkerPool
) -> int:
    loop = asyncio.get_running_loop()
    try:
        await rt.own_ports.start()
    except PortUnavailableError as exc:
        await rt.own_ports.close()
        raise _own_port_in_use(exc.port, exc.what) from None
    admin_app = AdminApp(rt)
    mock_app = MockApp(rt)
    owner_server = _owner_server(mock_app, pool.owner_port, options)
    admin_server = _embedded(admin_app, options.host, options.admin_port, "asyncio", options.read_timeout)
    servers = (owner_server, admin_server)
    for s in servers:
        s.workers_kill_timeout = max(1, int(options.shutdown_grace))
    stopping = False
    failed = False

    def stop() -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        print("Shutting down...", flush=True)
        pool.terminate()  # the mock port closes at once: every worker closes its listener
        admin_app.close_streams()
        close_streams()
        for s in servers:
            s.stop()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)

    helpers: list[asyncio.Future] = []

    async def start_workers() -> None:
        nonlocal failed
        try:
            await pool.start()
        except WorkerFailed as exc:
            print(f"Error: {exc}", file=sys.stderr, flush=True)
            failed = True
            stop()
            return
        if stopping:
            return
        rt.cluster = pool
        helpers.append(asyncio.ensure_future(pool.watch()))
        print(f"Mock server running on http://localhost:{options.port} ({pool.count} workers)", flush=True)
        print(f"Admin API running on http://localhost:{options.admin_port}", flush=True)
        print("Press Ctrl+C to stop", flush=True)
        _write_pid_file(options, loaded)
        _signal_ready(options)
        helpers.extend(asyncio.ensure_future(job(rt)) for job in background)

    started = 0

    def on_startup() -> None:
        nonlocal started
        started += 1
        if started == len(servers):
            helpers.append(asyncio.ensure_future(start_workers()))

    for s in servers:
        s.on_startup(on_startup)

    tasks = [asyncio.ensure_future(s.serve()) for s in servers]
    if rt.persister is not None:
        rt.persister.start()
    try:
        code = await _wait(tasks, stop, lambda: stopping)
        return 1 if failed else code
    finally:
        for helper in helpers:
            helper.cancel()
        await pool.wait_stopped(max(1.0, options.shutdown_grace) + 2.0)
        mock_app.close()
        await rt.own_ports.close()
        if rt.persister is not None:
            rt.persister.close()
        if options.pid_file is not None:
            pidfile.remove_if_names(options.pid_file, os.getpid())
