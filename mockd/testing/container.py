"""`MockdContainer`: the project's image as a Testcontainers container, with configs mounted and the same
client as everywhere else.

For suites that already run their dependencies in containers (or test from a machine without mockd
installed). The `testcontainers` package is optional: importing this module without it says how to get it.

What the image needs from us: each config's folder is mounted read-only (so relative `bodyFile`s and
`imports` resolve), the admin API gets a fresh key (calls through a published port do not come from
loopback, so the keyless loopback rule does not apply), and readiness is the admin `/health` answering
through the published port, with the container's logs in the error when it never does.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from mockd.client import MockdClient

try:
    from testcontainers.core.container import DockerContainer
except ImportError as err:  # pragma: no cover - depends on the environment
    raise ImportError(
        "mockd.testing.container needs the testcontainers package: pip install 'testcontainers>=4.10'"
    ) from err

DEFAULT_IMAGE = os.environ.get("MOCKD_IMAGE", "localhost/mockd:latest")
MOCK_PORT = 4280
ADMIN_PORT = 4290
READY_TIMEOUT = 60.0


@dataclass(frozen=True)
class ContainerSpec:
    """Everything the container is started with, computed without a container engine (and so testable)."""

    command: list[str]
    env: dict[str, str]
    volumes: list[tuple[str, str, str]]  # host folder, container folder, mode


def container_spec(configs: Sequence[str | os.PathLike[str]], api_key: str) -> ContainerSpec:
    """Folder i of the configs is mounted at /mocks/i; `start` loads each config from there."""
    folders: dict[Path, str] = {}
    command = ["start"]
    for config in configs:
        path = Path(config).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"mockd config not found: {path}")
        mount = folders.setdefault(path.parent, f"/mocks/{len(folders)}")
        command += ["--config", f"{mount}/{path.name}"]
    volumes = [(str(host), mount, "ro") for host, mount in folders.items()]
    return ContainerSpec(command, {"MOCKD_API_KEY": api_key}, volumes)


class MockdContainer(DockerContainer):
    """mockd in a container: `url`, `admin_url`, `client()`; use as a context manager (`with ... as m:`).

    `image` defaults to `$MOCKD_IMAGE`, else `localhost/mockd:latest` (build it as docs/docker.md shows);
    extra keyword arguments go to testcontainers' `DockerContainer` (and on to docker-py's `create`).
    """

    def __init__(self, *configs: str | os.PathLike[str], image: str = DEFAULT_IMAGE, **kwargs: Any) -> None:
        self.api_key = "mk_" + secrets.token_hex(16)
        spec = container_spec(configs, self.api_key)
        super().__init__(image, env=spec.env, volumes=spec.volumes, **kwargs)
        self.with_exposed_ports(MOCK_PORT, ADMIN_PORT)
        self.with_command(spec.command)

    def start(self, timeout: float = READY_TIMEOUT) -> MockdContainer:
        super().start()
        self._wait_healthy(timeout)
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._state() == "exited":
                break
            try:
                if httpx.get(self.admin_url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        out, err = self.get_logs()
        logs = (out + err).decode(errors="replace").strip()
        raise RuntimeError(f"mockd container did not become healthy (status {self._state()}):\n{logs}")

    def _state(self) -> str:
        container = self.get_wrapped_container()
        container.reload()
        return str(container.status)

    def get_container_host_ip(self) -> str:
        """Where the published ports answer. Testcontainers, when it runs inside a container itself, asks the
        engine for the container's gateway through `HostConfig`, which podman's Docker-compatible container
        list leaves out; the ports podman publishes are on this host, so its address is the answer then."""
        try:
            return super().get_container_host_ip()
        except KeyError:
            return self.get_docker_client().host()

    @property
    def url(self) -> str:
        return f"http://{self.get_container_host_ip()}:{self.get_exposed_port(MOCK_PORT)}"

    @property
    def admin_url(self) -> str:
        return f"http://{self.get_container_host_ip()}:{self.get_exposed_port(ADMIN_PORT)}"

    def client(self) -> MockdClient:
        return MockdClient(self.admin_url, api_key=self.api_key)
