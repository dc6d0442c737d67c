"""`mockd start` as a process: banner, signals, ports, environment variables, plans, load-before-listen."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.harness import MOCKD, MockdProcess, free_port, port_taken, request, run_cli, wait_for_delayed

QUICKSTART = EXAMPLES / "quickstart.yaml"


def _port_is_free(port: int) -> bool:
    return not port_taken(port)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_cleanly_and_frees_both_ports(mockd_server, sig: signal.Signals) -> None:
    server = mockd_server("--config", str(QUICKSTART))
    assert request(server.url + "/api/hello").status == 200
    assert server.proc is not None
    server.proc.send_signal(sig)
    code = server.proc.wait(timeout=5)  # reference §11.1: clean exit 0, well inside 5 s
    out, _ = server.output()
    assert code == 0
    assert out == (
        f"Mock server running on http://localhost:{server.port}\n"
        f"Admin API running on http://localhost:{server.admin_port}\n"
        "Press Ctrl+C to stop\n"
        "Shutting down...\n"
        "Server stopped\n"
    )
    assert _port_is_free(server.port)
    assert _port_is_free(server.admin_port)


def test_sigterm_with_a_delayed_response_in_flight_still_exits_promptly(mockd_server) -> None:
    server = mockd_server("--config", str(QUICKSTART))
    # /api/slow sleeps 500 ms; start a few and stop the server while they sleep.
    slow = [subprocess.Popen(["curl", "-s", "-o", "/dev/null", server.url + "/api/slow"]) for _ in range(5)]
    wait_for_delayed(server.admin, 1)  # stop while at least one sleeps
    assert server.proc is not None
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(timeout=5) == 0
    for p in slow:
        p.wait(timeout=10)


def test_mocks_are_loaded_before_the_ports_accept_traffic(tmp_path: Path) -> None:
    """Strictly better than the Go tool (reference §1): the first /health that answers means mocks are in."""
    server = MockdProcess(["--config", str(QUICKSTART)], free_port(), free_port())
    server.start(wait=False)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                health = request(server.url + "/health", timeout=1)
            except OSError:
                time.sleep(0.01)
                continue
            assert health.status == 200
            assert request(server.url + "/api/hello").status == 200
            break
        else:
            pytest.fail("server never answered")
    finally:
        assert server.stop() == 0


def test_a_taken_port_fails_fast_with_exit_1(mockd_server) -> None:
    first = mockd_server("--config", str(QUICKSTART))
    # Granian binds with SO_REUSEPORT: without our plain-bind check a second copy would start silently.
    second = MockdProcess([], first.port, free_port())
    second.start(wait=False)
    assert second.proc is not None
    assert second.proc.wait(timeout=15) == 1
    _, err = second.output()
    assert err.strip().splitlines()[-1] == (
        f"port {first.port} is already in use — try a different port with --port "
        f"or check what's using it: lsof -i :{first.port}"
    )
    third = MockdProcess(["--no-auth"], free_port(), first.admin_port)
    third.start(wait=False)
    assert third.proc is not None
    assert third.proc.wait(timeout=15) == 1
    _, err = third.output()
    assert err.strip().splitlines()[-1].startswith(f"admin port {first.admin_port} is already in use")
    assert request(first.url + "/api/hello").status == 200  # the first server is untouched


def test_environment_variables_configure_start(tmp_path: Path) -> None:
    """Design D5: MOCKD_PORT, MOCKD_ADMIN_PORT and MOCKD_CONFIG are honoured (the Go tool ignores them)."""
    port, admin = free_port(), free_port()
    env = {"MOCKD_PORT": str(port), "MOCKD_ADMIN_PORT": str(admin), "MOCKD_CONFIG": str(QUICKSTART)}
    proc = subprocess.Popen(
        [*MOCKD, "start", "--host", "127.0.0.1"],
        env={**__import__("os").environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    server = MockdProcess([], port, admin)
    server.proc = proc
    try:
        server.wait_ready()
        assert request(f"http://127.0.0.1:{port}/api/hello").json() == {"message": "Hello from mockd"}
    finally:
        assert server.stop() == 0


def test_compile_then_start_from_the_plan(mockd_server, tmp_path: Path) -> None:
    plan = tmp_path / "quickstart.plan"
    result = run_cli("compile", str(QUICKSTART), "-o", str(plan))
    assert (result.returncode, result.stdout) == (
        0,
        f"compiled 6 mocks and 0 stateful resources into {plan}\n",
    )
    server = mockd_server("--plan", str(plan))
    assert request(server.url + "/api/hello").json() == {"message": "Hello from mockd"}
    assert request(server.url + "/api/users/7").json()["name"] == "Ada Lovelace"


def test_a_plan_from_another_version_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "old.plan"
    assert run_cli("compile", str(QUICKSTART), "-o", str(plan)).returncode == 0
    plan.write_text(plan.read_text().replace('"mockdVersion":"', '"mockdVersion":"0.0.1-old', 1))
    result = run_cli("start", "--plan", str(plan), "-p", str(free_port()), "-a", str(free_port()))
    assert result.returncode == 1
    assert "0.0.1-old" in result.stderr
    assert f"mockd compile {QUICKSTART} -o {plan}" in result.stderr
    assert "Traceback" not in result.stderr


def test_config_and_plan_together_are_refused(tmp_path: Path) -> None:
    result = run_cli("start", "--config", str(QUICKSTART), "--plan", str(tmp_path / "x.plan"))
    assert (result.returncode, result.stderr) == (
        1,
        "--config and --plan cannot be used together: a plan already contains its configs\n",
    )


def test_start_without_config_serves_nothing_but_health(mockd_server) -> None:
    server = mockd_server("--no-auth")
    assert request(server.url + "/anything").status == 404
    assert request(server.url + "/__mockd/ready").json()["checks"]["mocks"]["count"] == 0
