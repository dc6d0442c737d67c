"""The forward proxy over the admin API (operations reference §2.3): one proxy per admin process.

`POST /proxy/start` runs `mockd.proxy.forward.ForwardProxy` on this process's loop, recording into the
admin's recording store (so `/recordings` lists what it saw): a fresh store, or the `--record` one with a
new session when passthrough recording is on. Shapes, slugs and messages are the Go tool's. Recordings of
an admin-started proxy live in memory only, as in the Go tool.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from mockd.errors import MockdError
from mockd.proxy.ca import CertificateAuthority, exists, generate
from mockd.proxy.filters import Filters
from mockd.proxy.forward import ForwardProxy, ProxySettings, ProxyThread
from mockd.recording.redact import RedactionRules
from mockd.recording.store import RecordingStore
from mockd.runtime.admin.http import AdminError, AdminRequest, Response, decode_model, json_response

if TYPE_CHECKING:
    from mockd.runtime.admin.router import Router
    from mockd.runtime.world import Runtime

DEFAULT_PORT = 8888


class FilterBody(BaseModel):
    includePaths: list[str] | None = None
    excludePaths: list[str] | None = None
    includeHosts: list[str] | None = None
    excludeHosts: list[str] | None = None

    def filters(self) -> Filters:
        return Filters(tuple(self.includePaths or ()), tuple(self.excludePaths or ()),
                       tuple(self.includeHosts or ()), tuple(self.excludeHosts or ()))  # fmt: skip


class StartBody(BaseModel):
    port: int = 0
    mode: str = ""
    sessionName: str = ""
    caPath: str = ""
    filters: FilterBody | None = None


class ModeBody(BaseModel):
    mode: str = ""


class CaBody(BaseModel):
    caPath: str = ""


def _body(req: AdminRequest, cls: type[Any]) -> Any:
    return decode_model(cls, req.json() if req.body.strip() else None)


def _mode(mode: str) -> str:
    mode = mode or "record"
    if mode not in ("record", "passthrough"):
        raise AdminError(400, "invalid_mode", "Mode must be 'record' or 'passthrough'")
    return mode


def _ca_dir(path: str) -> Path:
    """A relative folder under the working directory, as the Go tool insists."""
    if ".." in Path(path).parts:
        raise AdminError(400, "invalid_path", "CA path cannot contain path traversal sequences")
    if os.path.isabs(path):
        raise AdminError(400, "invalid_path", "CA path must be a relative path")
    cwd = os.path.realpath(os.getcwd())
    full = os.path.realpath(os.path.join(cwd, path))
    if os.path.commonpath([cwd, full]) != cwd:
        raise AdminError(400, "invalid_path", "CA path cannot escape the working directory")
    return Path(full)


def _not_running() -> AdminError:
    return AdminError(404, "not_running", "Proxy is not running")


class ProxyControl:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.proxy: ForwardProxy | None = None
        self.runner: ProxyThread | None = None
        self.port = 0
        self.started = 0.0
        self.ca_dir: Path | None = None

    def status(self) -> dict[str, Any]:
        proxy = self.proxy
        if proxy is None:
            return {"running": False}
        out: dict[str, Any] = {"running": True, "port": self.port, "mode": proxy.settings.mode}
        store = proxy.store
        if store is not None:
            out["sessionId"] = store.active.id
            if len(store):
                out["recordingCount"] = len(store)
        out["uptime"] = int(time.time() - self.started)
        return out

    async def start(self, req: AdminRequest) -> Response:
        if self.proxy is not None:
            raise AdminError(409, "already_running", "Proxy is already running")
        body = _body(req, StartBody)
        mode = _mode(body.mode)
        ca = None
        if body.caPath:
            folder = _ca_dir(body.caPath)
            try:
                ca = await asyncio.to_thread(CertificateAuthority.ensure, folder)
            except MockdError:
                raise AdminError(500, "ca_error", "Failed to initialize CA certificate") from None
            self.ca_dir = folder
        rt = self.rt
        name = body.sessionName or "default"
        if rt.forwarding.recordings is not None:
            store = rt.forwarding.recordings  # --record: one store, a new session for the proxy
            store.new_session(name)
        else:
            options = rt.options
            store = RecordingStore(
                RedactionRules.build(list(options.redact_headers), list(options.redact_fields)), name
            )
            rt.recordings = store
        filters = body.filters.filters() if body.filters is not None else Filters()
        proxy = ForwardProxy(ProxySettings(mode=mode, filters=filters), store, ca)
        port = body.port or DEFAULT_PORT
        runner = ProxyThread(proxy)
        try:
            self.port = await runner.start(rt.options.host, port)
        except OSError:
            raise AdminError(400, "port_error", f"Failed to listen on port {port}") from None
        self.proxy, self.runner = proxy, runner
        self.started = time.time()
        return json_response(self.status())

    async def stop(self, req: AdminRequest) -> Response:
        if self.proxy is None:
            raise _not_running()
        runner, self.proxy, self.runner = self.runner, None, None
        if runner is not None:
            await runner.stop()
        return json_response({"running": False})

    async def get_status(self, req: AdminRequest) -> Response:
        return json_response(self.status())

    async def set_mode(self, req: AdminRequest) -> Response:
        if self.proxy is None:
            raise _not_running()
        self.proxy.settings.mode = _mode(_body(req, ModeBody).mode)
        return json_response(self.status())

    async def get_filters(self, req: AdminRequest) -> Response:
        return json_response(self.proxy.settings.filters.to_json() if self.proxy is not None else {})

    async def set_filters(self, req: AdminRequest) -> Response:
        if self.proxy is None:
            raise _not_running()
        body = _body(req, FilterBody)
        self.proxy.settings.filters = body.filters()
        return json_response(body.filters().to_json())

    async def ca_info(self, req: AdminRequest) -> Response:
        if self.ca_dir is None or not exists(self.ca_dir):
            return json_response({"exists": False})
        return json_response(CertificateAuthority(self.ca_dir).info())

    async def ca_generate(self, req: AdminRequest) -> Response:
        body = _body(req, CaBody)
        if not body.caPath:
            raise AdminError(400, "missing_path", "caPath is required")
        folder = _ca_dir(body.caPath)
        if exists(folder):
            raise AdminError(409, "ca_exists", "CA certificate already exists")
        try:
            await asyncio.to_thread(generate, folder)
        except MockdError:
            raise AdminError(500, "generate_error", "Failed to generate CA certificate") from None
        self.ca_dir = folder
        return json_response(CertificateAuthority(folder).info())

    async def ca_download(self, req: AdminRequest) -> Response:
        if self.ca_dir is None or not exists(self.ca_dir):
            raise AdminError(404, "no_ca", "CA certificate not found")
        pem = (self.ca_dir / "ca.crt").read_bytes()
        return Response(200, pem, [("content-type", "application/x-pem-file"),
                                   ("content-disposition", "attachment; filename=mockd-ca.crt")])  # fmt: skip


def register(router: Router, rt: Runtime) -> None:
    control = ProxyControl(rt)
    for method, pattern, handler in (
        ("POST", "/proxy/start", control.start),
        ("POST", "/proxy/stop", control.stop),
        ("GET", "/proxy/status", control.get_status),
        ("PUT", "/proxy/mode", control.set_mode),
        ("GET", "/proxy/filters", control.get_filters),
        ("PUT", "/proxy/filters", control.set_filters),
        ("GET", "/proxy/ca", control.ca_info),
        ("POST", "/proxy/ca", control.ca_generate),
        ("GET", "/proxy/ca/download", control.ca_download),
    ):
        router.add(method, pattern, handler)
