"""`mockd.testing.MockdContainer`: what it starts the image with (always), and the real thing under podman
(opt-in with MOCKD_CONTAINER_TESTS=1, like tests/container: the image is built there the same way)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockd.testing.container import container_spec
from tests.container.podman import env_flag

IMAGE = os.environ.get("MOCKD_CONTAINER_IMAGE", "localhost/mockd:test")


def test_each_config_folder_is_mounted_read_only_and_loaded(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for name in ("a/mocks.yaml", "a/more.json", "b/mocks.yaml"):
        (tmp_path / name).write_text("mocks: []\n")
    spec = container_spec(
        [tmp_path / "a/mocks.yaml", tmp_path / "b/mocks.yaml", tmp_path / "a/more.json"], "k"
    )
    assert spec.command == [
        "start", "--config", "/mocks/0/mocks.yaml", "--config", "/mocks/1/mocks.yaml",
        "--config", "/mocks/0/more.json",
    ]  # fmt: skip
    assert spec.volumes == [(str(tmp_path / "a"), "/mocks/0", "ro"), (str(tmp_path / "b"), "/mocks/1", "ro")]
    assert spec.env == {"MOCKD_API_KEY": "k"}


def test_a_missing_config_is_named(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"mockd config not found: .*nowhere\.yaml"):
        container_spec([tmp_path / "nowhere.yaml"], "k")


def test_the_plugin_loads_without_the_client_or_testcontainers() -> None:
    probe = (
        "import sys, mockd.testing.pytest_plugin\n"
        "print(sorted(m for m in sys.modules if m.startswith(('mockd.client', 'testcontainers', 'httpx'))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def podman_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """podman's Docker-compatible API on a private socket (Testcontainers speaks that API), stopped by PID."""
    if shutil.which("podman") is None:
        pytest.fail("MOCKD_CONTAINER_TESTS=1 but podman is missing (apt-get install -y podman runc)")
    sock = tmp_path_factory.mktemp("podman") / "podman.sock"
    proc = subprocess.Popen(
        ["podman", "--runtime", "runc", "system", "service", "--time=0", f"unix://{sock}"]
    )
    deadline = time.monotonic() + 30
    while not sock.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"podman system service did not start (exit {proc.poll()})")
        time.sleep(0.1)
    yield f"unix://{sock}"
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.container
@pytest.mark.skipif(
    not env_flag("MOCKD_CONTAINER_TESTS"),
    reason="builds and runs the image with podman: set MOCKD_CONTAINER_TESTS=1 (CI does)",
)
def test_the_container_serves_the_config_and_hands_back_the_client(
    podman_socket: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    import docker.types
    import httpx

    from tests.container import podman as pm

    pm.build_image(
        IMAGE, os.environ.get("MOCKD_CONTAINER_BASE_IMAGE", pm.LOCAL_BASE), tmp_path_factory.mktemp("b")
    )
    monkeypatch.setenv("DOCKER_HOST", podman_socket)
    monkeypatch.setenv("TESTCONTAINERS_RYUK_DISABLED", "true")  # no reaper container: we stop ours by id
    from mockd.testing import MockdContainer

    config = tmp_path / "mocks.json"
    config.write_text(json.dumps({"mocks": [{"id": "ping", "type": "http", "http": {
        "matcher": {"path": "/ping"}, "response": {"statusCode": 200, "body": "pong"}}}]}))  # fmt: skip
    tmp_path.chmod(0o755)  # the image runs as uid 10001: the mounted folder must be readable to it
    config.chmod(0o644)
    ulimits = [docker.types.Ulimit(name="nofile", soft=20000, hard=20000),
               docker.types.Ulimit(name="nproc", soft=4096, hard=4096)]  # fmt: skip
    with MockdContainer(config, image=IMAGE, ulimits=ulimits) as mockd:
        assert httpx.get(mockd.url + "/ping").text == "pong"
        with mockd.client() as client:
            client.verify("ping", exactly=1)
            assert [m["id"] for m in client.list_mocks().mocks] == ["ping"]
