"""Build and run the mockd image with podman, as this repository's CI can: no Docker engine, no registry.

Flags come from shared/env.md: builds use `--isolation chroot --network host`, containers run with the runc
runtime and explicit ulimits (crun and the default rlimits fail on these machines). Every container is started
with `--cidfile`, remembered by id and removed by id; images are left in podman's cache for the next run.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.harness import request

ROOT = Path(__file__).resolve().parents[2]
PODMAN = [shutil.which("podman") or "podman", "--runtime", "runc"]
RUN_FLAGS = ["--ulimit", "nofile=20000:20000", "--ulimit", "nproc=4096:4096"]
BUILD_FLAGS = ["--isolation", "chroot", "--network", "host"]
LOCAL_BASE = "localhost/mockd-base:bookworm-py311"
SUMMARY: list[str] = []  # lines for the end of the pytest run (tests/container/conftest.py prints them)


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


def podman(*args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([*PODMAN, *args], capture_output=True, text=True, timeout=timeout, check=False)
    if check and proc.returncode != 0:
        raise RuntimeError(f"podman {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def run_logged(cmd: list[str], log: Path, timeout: float, cwd: Path | None = None) -> float:
    """Run a build step with its output in `log`; raise with the log's tail on failure. Returns seconds."""
    started = time.monotonic()
    with log.open("w") as out:
        proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, timeout=timeout, cwd=cwd,
                              check=False)  # fmt: skip
    if proc.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode} (full log: {log}):\n{tail}")
    return time.monotonic() - started


def ca_bundle() -> str | None:
    """The CA bundle this host trusts, handed to the image build's pip step as a build secret: where a
    TLS-intercepting proxy sits between CI and PyPI, only the host's bundle knows its CA."""
    paths = ssl.get_default_verify_paths()
    candidates = [os.environ.get(v) for v in ("PIP_CERT", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE")]
    for path in [*candidates, paths.cafile, paths.openssl_cafile]:
        if path and Path(path).is_file():
            return str(Path(path).resolve())
    return None


@dataclass
class BuildReport:
    image: str
    base_image: str
    image_bytes: int = 0
    base_bytes: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        timing = ", ".join(f"{k} {v:.0f} s" for k, v in self.seconds.items())
        return [
            f"image {self.image}: {self.image_bytes / 1e6:.0f} MB "
            f"(base {self.base_image}: {self.base_bytes / 1e6:.0f} MB)",
            f"times: {timing}",
        ]


def image_size(name: str) -> int:
    return int(podman("image", "inspect", "--format", "{{.Size}}", name).stdout.strip())


def build_image(image: str, base_image: str, workdir: Path) -> BuildReport:
    """Wheel (or MOCKD_WHEEL_DIR) -> base image (made locally if it is ours and missing) -> image."""
    report = BuildReport(image, base_image)
    wheel_dir = os.environ.get("MOCKD_WHEEL_DIR")
    if wheel_dir:
        wheels = Path(wheel_dir).resolve()
    else:
        wheels = workdir / "wheels"
        report.seconds["wheel"] = run_logged(
            [sys.executable, "-m", "pip", "wheel", str(ROOT), "-w", str(wheels), "--no-deps"],
            workdir / "wheel.log", timeout=1800,
        )  # fmt: skip
    found = sorted(wheels.glob("mockd-*.whl"))
    if len(found) != 1:
        raise RuntimeError(f"expected exactly one mockd wheel in {wheels}, found {[p.name for p in found]}")

    if base_image == LOCAL_BASE and podman("image", "exists", base_image, check=False).returncode != 0:
        report.seconds["base image"] = run_logged(
            ["sh", str(ROOT / "docker" / "make-base-image.sh"), base_image], workdir / "base.log", timeout=900
        )

    secret = ca_bundle()
    previous = podman("image", "inspect", "--format", "{{.Id}}", image, check=False).stdout.strip()
    report.seconds["image build"] = run_logged(
        [*PODMAN, "build", *BUILD_FLAGS,
         # docker format: the OCI image format has no HEALTHCHECK field and podman would drop it.
         "--format", "docker",
         # No layer cache: a new wheel invalidates nearly every layer anyway, and cached layers plus the
         # install stage would pile up as unnamed images on every run of a long-lived CI machine.
         "--layers=false",
         "--build-arg", f"BASE_IMAGE={base_image}",
         "--build-context", f"wheels={wheels}",
         *(["--secret", f"id=pip-cert,src={secret}"] if secret else []),
         "-t", image, "-f", str(ROOT / "Dockerfile"), str(ROOT)],
        workdir / "build.log", timeout=900,
    )  # fmt: skip
    if previous and previous != podman("image", "inspect", "--format", "{{.Id}}", image).stdout.strip():
        # the image this build replaced, by id (podman keeps it if a container or another tag still uses it)
        podman("rmi", previous, check=False)
    report.image_bytes = image_size(image)
    report.base_bytes = image_size(base_image)
    return report


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def non_loopback_ipv4() -> str | None:
    """A global IPv4 address of this host: calls to it arrive from a non-loopback source address."""
    cmd = ["ip", "-o", "-4", "addr", "show", "scope", "global"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    for line in out.splitlines():
        parts = line.split()
        if "inet" in parts:
            return parts[parts.index("inet") + 1].split("/")[0]
    return None


@dataclass
class Container:
    """One `podman run -d` of the image. Port numbers are host ports; `remote_admin` is the admin API as a
    non-loopback caller sees it (None where this host has no such address)."""

    id: str
    url: str
    admin: str
    remote_admin: str | None

    def logs(self) -> str:
        proc = podman("logs", self.id, check=False)
        return proc.stdout + proc.stderr

    def state(self) -> dict:
        return json.loads(podman("inspect", "--format", "{{json .State}}", self.id).stdout)

    def wait_healthy(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.state().get("Running"):
                raise RuntimeError(f"container {self.id[:12]} exited:\n{self.logs()}")
            try:
                if request(self.admin + "/health", timeout=1).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"container {self.id[:12]} not healthy within {timeout} s:\n{self.logs()}")


class Containers:
    """Starts containers of one image and removes every one of them, by id, in `remove_all()`.

    Network mode "bridge" (default) publishes 4280/4290 on random 127.0.0.1 ports: like Docker Compose, the
    server then sees callers from the bridge gateway, not loopback. Mode "host" (MOCKD_CONTAINER_NETWORK=host,
    for hosts where bridge networking fails) moves the server to free ports with MOCKD_PORT/MOCKD_ADMIN_PORT.
    """

    def __init__(self, image: str, workdir: Path) -> None:
        self.image = image
        self.workdir = workdir
        self.network = os.environ.get("MOCKD_CONTAINER_NETWORK", "bridge")
        self.ids: list[str] = []

    def run(self, *args: str, env: dict[str, str] | None = None, volumes: tuple[str, ...] = (),
            admin_port: int | None = None) -> Container:  # fmt: skip
        """`podman run -d IMAGE ARGS`; `admin_port` moves the admin API via MOCKD_ADMIN_PORT (the way the
        HEALTHCHECK can follow it)."""
        env = dict(env or {})
        flags: list[str] = []
        if self.network == "host":
            port, admin_port = free_port(), admin_port or free_port()
            env.update(MOCKD_PORT=str(port), MOCKD_ADMIN_PORT=str(admin_port))
            flags += ["--network", "host"]
        else:
            port, admin_port = 4280, admin_port or 4290
            if admin_port != 4290:
                env["MOCKD_ADMIN_PORT"] = str(admin_port)
            flags += ["-p", f"127.0.0.1::{port}", "-p", f"127.0.0.1::{admin_port}"]
        for v in volumes:
            flags += ["-v", v]
        for k, v in env.items():
            flags += ["-e", f"{k}={v}"]
        cidfile = self.workdir / f"cid-{len(self.ids)}-{time.monotonic_ns()}"
        proc = podman("run", "-d", "--cidfile", str(cidfile), *RUN_FLAGS, *flags, self.image, *args,
                      check=False)  # fmt: skip
        if cidfile.exists():
            self.ids.append(cidfile.read_text().strip())
        if proc.returncode != 0:
            raise RuntimeError(f"podman run failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        cid = self.ids[-1]
        if self.network == "host":
            remote = non_loopback_ipv4()
            return Container(cid, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{admin_port}",
                             f"http://{remote}:{admin_port}" if remote else None)  # fmt: skip
        host_port = podman("port", cid, f"{port}/tcp").stdout.strip().rsplit(":", 1)[1]
        host_admin = podman("port", cid, f"{admin_port}/tcp").stdout.strip().rsplit(":", 1)[1]
        admin = f"http://127.0.0.1:{host_admin}"
        return Container(cid, f"http://127.0.0.1:{host_port}", admin, admin)

    def remove_all(self) -> None:
        for cid in self.ids:
            podman("rm", "--force", "--time", "0", cid, check=False)
        self.ids.clear()
