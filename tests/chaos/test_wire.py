"""issue 15: every fault seen from real clients (requests and curl) on a real server, byte for byte.

Timing assertions are lower bounds only (a sleep is never shorter than asked), so they cannot flake.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.harness import MockdProcess, free_port

BODY = "0123456789" * 20  # 200 bytes
RULES = {
    "error": "[{type: error, probability: 1, config: {statusCodes: [503]}}]",
    "timeout": '[{type: timeout, probability: 1, config: {duration: "300ms"}}]',
    "hold": '[{type: timeout, probability: 1, config: {duration: "20s"}}]',
    "reset": "[{type: connection_reset, probability: 1}]",
    "partial": "[{type: partial_response, probability: 1, config: {maxBytes: 50}}]",
    "slow": "[{type: slow_body, probability: 1, config: {bytesPerSecond: 100}}]",
    "dribble": '[{type: chunked_dribble, probability: 1, config: {chunkSize: 50, chunkDelay: "100ms"}}]',
    "empty": "[{type: empty_response, probability: 1}]",
    "corrupt": "[{type: corrupt_body, probability: 1, config: {corruptRate: 1}}]",
    "latency": '[{type: latency, probability: 1, config: {distribution: fixed, value: "200ms"}}]',
}


def _config() -> str:
    rules = "\n".join(
        f'      - {{pathPattern: "^/f/{name}$", probability: 1, faults: {faults}}}'
        for name, faults in RULES.items()
    )
    return f"""\
version: "1.0"
mocks:
  - id: body
    http:
      matcher: {{method: GET, pathPattern: "^/f/.*"}}
      response: {{statusCode: 200, headers: {{Content-Type: text/plain}}, body: "{BODY}"}}
serverConfig:
  chaos:
    enabled: true
    seed: 1
    rules:
{rules}
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MockdProcess]:
    path: Path = tmp_path_factory.mktemp("chaos") / "chaos.yaml"
    path.write_text(_config())
    proc = MockdProcess(["--config", str(path), "--no-auth"], free_port(), free_port()).start()
    yield proc
    proc.stop()


def _curl(url: str, *extra: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["curl", "-sS", "-m", "10", *extra, url], capture_output=True, timeout=20, check=False
    )


def _count(server: MockdProcess) -> int:
    return requests.get(f"{server.admin}/mocks/body/verify", timeout=5).json()["callCount"]


def test_error_is_the_go_error_page_and_still_counted(server: MockdProcess) -> None:
    before = _count(server)
    r = requests.get(f"{server.url}/f/error", timeout=5)
    assert (r.status_code, r.content) == (503, b"Service Unavailable\n")
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert _count(server) == before + 1
    entry = requests.get(f"{server.admin}/requests?limit=1", timeout=5).json()["requests"][0]
    assert (entry["path"], entry["matchedMockId"], entry["statusCode"], entry["chaosFault"]) == (
        "/f/error",
        "body",
        503,
        "error",
    )


def test_timeout_waits_then_504(server: MockdProcess) -> None:
    started = time.monotonic()
    r = requests.get(f"{server.url}/f/timeout", timeout=5)
    assert time.monotonic() - started >= 0.3
    assert (r.status_code, r.content) == (504, b"Gateway Timeout\n")


def test_connection_reset_is_a_tcp_reset(server: MockdProcess) -> None:
    with pytest.raises(requests.ConnectionError) as info:
        requests.get(f"{server.url}/f/reset", timeout=5)
    assert "Connection reset by peer" in str(info.value)
    out = _curl(f"{server.url}/f/reset")
    assert out.returncode == 56
    assert b"Connection reset by peer" in out.stderr
    assert out.stdout == b""
    entry = requests.get(f"{server.admin}/requests?limit=1", timeout=5).json()["requests"][0]
    assert entry["chaosFault"] == "connection_reset"
    assert "statusCode" not in entry  # the client never saw a status


def test_partial_response_closes_after_max_bytes(server: MockdProcess, tmp_path: Path) -> None:
    target = tmp_path / "got"
    out = _curl(f"{server.url}/f/partial", "-o", str(target))
    assert out.returncode == 18
    assert b"transfer closed with 150 bytes remaining to read" in out.stderr
    assert target.read_bytes() == BODY[:50].encode()
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(f"{server.url}/f/partial", timeout=5)


def test_slow_body_trickles_at_the_bandwidth(server: MockdProcess) -> None:
    started = time.monotonic()
    r = requests.get(f"{server.url}/f/slow", timeout=10)
    assert time.monotonic() - started >= 1.0  # 200 bytes at 100 B/s: one second between the two chunks
    assert (r.status_code, r.text) == (200, BODY)
    assert r.headers["transfer-encoding"] == "chunked"
    out = _curl(f"{server.url}/f/slow", "-w", "%{time_total}")
    assert out.returncode == 0
    assert out.stdout[:200] == BODY.encode()
    assert float(out.stdout[200:]) >= 1.0


def test_chunked_dribble(server: MockdProcess) -> None:
    started = time.monotonic()
    with requests.get(f"{server.url}/f/dribble", timeout=10, stream=True) as r:
        chunks = list(r.raw.stream(1024, decode_content=False))
    assert time.monotonic() - started >= 0.3
    assert b"".join(chunks) == BODY.encode()


def test_empty_response(server: MockdProcess) -> None:
    r = requests.get(f"{server.url}/f/empty", timeout=5)
    assert (r.status_code, r.content) == (200, b"")
    assert "content-type" not in r.headers


def test_corrupt_body_keeps_length_changes_bytes(server: MockdProcess) -> None:
    r = requests.get(f"{server.url}/f/corrupt", timeout=5)
    assert r.status_code == 200
    assert len(r.content) == 200
    assert sum(a != b for a, b in zip(r.content, BODY.encode(), strict=True)) > 150


def test_latency_then_the_mock_answers(server: MockdProcess) -> None:
    started = time.monotonic()
    r = requests.get(f"{server.url}/f/latency", timeout=5)
    assert time.monotonic() - started >= 0.2
    assert (r.status_code, r.text) == (200, BODY)


def test_unfaulted_routes_are_untouched(server: MockdProcess) -> None:
    r = requests.get(f"{server.url}/f/other", timeout=5)
    assert (r.status_code, r.text) == (200, BODY)
    assert "content-length" in r.headers


def _gauge(server: MockdProcess, name: str) -> int:
    for line in requests.get(f"{server.admin}/metrics", timeout=5).text.splitlines():
        if line.startswith(name + " "):
            return int(float(line.split()[1]))
    raise AssertionError(f"{name} missing")


def test_many_timeouts_are_held_without_workers(server: MockdProcess) -> None:
    """300 requests held at once by one process: only async sleeps can do that (no thread per request)."""
    n = 300
    before = _count(server)

    async def hold() -> None:
        conns = []
        for _ in range(n):
            _reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(b"GET /f/hold HTTP/1.1\r\nHost: x\r\n\r\n")
            conns.append(writer)
        await asyncio.gather(*(w.drain() for w in conns))
        deadline = time.monotonic() + 15
        seen = 0
        while time.monotonic() < deadline:
            seen = await asyncio.to_thread(_gauge, server, "mockd_chaos_delays_in_flight")
            if seen >= n:
                break
            await asyncio.sleep(0.05)
        for w in conns:
            w.close()
        assert seen >= n

    asyncio.run(hold())
    # the clients went away: their 20-second holds end now, not when the timeout would have fired
    deadline = time.monotonic() + 10
    while _gauge(server, "mockd_chaos_delays_in_flight") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gauge(server, "mockd_chaos_delays_in_flight") == 0
    # and each abandoned request still counts for its mock (logged with status 0: the client saw none)
    assert _count(server) == before + n
    entry = requests.get(f"{server.admin}/requests?limit=1", timeout=5).json()["requests"][0]
    assert (entry["path"], entry["chaosFault"], "statusCode" in entry) == ("/f/hold", "timeout", False)
    counts = requests.get(f"{server.admin}/metrics", timeout=5).text
    assert 'mockd_chaos_faults_total{type="timeout"}' in counts


def _statuses(proc: MockdProcess, n: int) -> list[int]:
    with requests.Session() as s:
        return [s.get(f"{proc.url}/f/x{i % 5}", timeout=5).status_code for i in range(n)]


def test_a_seed_replays_the_same_faults_across_runs(mockd_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # issue 15: a failing CI run can be replayed: same seed, same request sequence, same faults
    config = tmp_path / "c.yaml"
    config.write_text(
        _config().split("serverConfig:")[0]
        + "serverConfig:\n  chaos:\n    enabled: true\n    seed: 11\n"
        + "    global: {errorRate: {probability: 0.5, statusCodes: [500, 502, 503]}}\n"
    )
    runs = [_statuses(mockd_server("--config", str(config), "--no-auth"), 60) for _ in range(2)]
    assert runs[0] == runs[1]
    assert set(runs[0]) == {200, 500, 502, 503}
    flagged = _statuses(mockd_server("--config", str(config), "--no-auth", "--chaos-seed", "12"), 60)
    assert flagged != runs[0]  # --chaos-seed beats the config's seed
    again = _statuses(mockd_server("--config", str(config), "--no-auth", "--chaos-seed", "12"), 60)
    assert again == flagged


def test_cors_preflights_bypass_chaos(mockd_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # issue 15: as in the Go tool, whose CORS layer answers preflights before chaos runs
    config = tmp_path / "c.yaml"
    config.write_text(
        _config().split("serverConfig:")[0]
        + "serverConfig:\n  chaos:\n    enabled: true\n    global: {errorRate: {probability: 1}}\n"
    )
    proc = mockd_server("--config", str(config), "--no-auth")
    headers = {"Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"}
    r = requests.options(f"{proc.url}/f/x", headers=headers, timeout=5)
    assert r.status_code == 200  # the CORS layer's preflight reply
    assert r.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert requests.options(f"{proc.url}/f/x", timeout=5).status_code == 500
    r = requests.get(f"{proc.url}/f/x", headers={"Origin": "http://localhost:3000"}, timeout=5)
    assert r.status_code == 500
    assert r.headers["access-control-allow-origin"] == "http://localhost:3000"


def test_a_request_body_reaches_the_mock_through_a_body_fault(mockd_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # issue 15: the mock reads its request body through chaos's capture (a POST under latency/slow_body)
    config = tmp_path / "c.yaml"
    config.write_text(
        'version: "1.0"\nmocks:\n  - id: echo\n    http:\n'
        "      matcher: {method: POST, path: /echo, bodyContains: ping}\n"
        '      response: {statusCode: 201, body: "matched on the body"}\n'
        "serverConfig:\n  chaos:\n    enabled: true\n    rules:\n"
        '      - {pathPattern: "^/echo", probability: 1, faults: [{type: latency, probability: 1,'
        ' config: {distribution: fixed, value: "1ms"}}, {type: slow_body, probability: 1,'
        " config: {bytesPerSecond: 4}}]}\n"
    )
    proc = mockd_server("--config", str(config), "--no-auth")
    r = requests.post(f"{proc.url}/echo", data=b"ping!", timeout=10)
    assert (r.status_code, r.text) == (201, "matched on the body")
    chunked = requests.post(f"{proc.url}/echo", data=iter([b"pi", b"ng"]), timeout=10)
    assert (chunked.status_code, chunked.text) == (201, "matched on the body")


def test_mock_id_rules_fault_only_that_mock(mockd_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # issue 15: per-mock rules (ours): the rule applies to the requests one mock matched
    config = tmp_path / "c.yaml"
    config.write_text(
        'version: "1.0"\nmocks:\n'
        "  - id: admin\n    http:\n"
        "      matcher: {method: POST, path: /items, headers: {X-Role: admin}, bodyContains: ping}\n"
        "      response: {statusCode: 201, body: admin}\n"
        "  - id: user\n    http:\n"
        "      matcher: {method: POST, path: /items, bodyContains: ping}\n"
        "      response: {statusCode: 201, body: user}\n"
        "serverConfig:\n  chaos:\n    enabled: true\n    rules:\n"
        "      - {mockId: admin, probability: 1, faults: [{type: error, probability: 1,"
        " config: {statusCodes: [502]}}]}\n"
    )
    proc = mockd_server("--config", str(config), "--no-auth")
    r = requests.post(f"{proc.url}/items", data=b"ping", headers={"X-Role": "admin"}, timeout=5)
    assert (r.status_code, r.content) == (502, b"Bad Gateway\n")
    r = requests.post(f"{proc.url}/items", data=b"ping", timeout=5)  # the body is replayed to the mock
    assert (r.status_code, r.text) == (201, "user")
    counts = [
        requests.get(f"{proc.admin}/mocks/{m}/verify", timeout=5).json()["callCount"]
        for m in ("admin", "user")
    ]
    assert counts == [1, 1]
    log = requests.get(f"{proc.admin}/requests", timeout=5).json()["requests"]
    assert [(e["matchedMockId"], e["statusCode"], e.get("chaosFault")) for e in log] == [
        ("user", 201, None),
        ("admin", 502, "error"),
    ]
    # issue 20: choosing faults by mock matches without counting; only what was answered is in /metrics
    series = [
        line
        for line in requests.get(f"{proc.admin}/metrics", timeout=5).text.splitlines()
        if line.startswith("mockd_requests_total{")
    ]
    assert series == [
        'mockd_requests_total{method="POST",path="/items",status="201"} 1',
        'mockd_requests_total{method="POST",path="/items",status="502"} 1',
    ]
    # a body over the cap still gets the mock port's 413 when selection waits for the match
    with socket.create_connection(("127.0.0.1", proc.port), timeout=5) as sock:
        sock.sendall(b"POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n")
        assert sock.recv(64).startswith(b"HTTP/1.1 413 ")


def test_an_unseeded_run_prints_its_seed_and_can_be_replayed(mockd_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # issue 15: chaos without a seed still gets one, printed and shown by GET /chaos, so any run replays
    config = tmp_path / "c.yaml"
    config.write_text(
        _config().split("serverConfig:")[0]
        + "serverConfig:\n  chaos:\n    enabled: true\n    global: {errorRate: {probability: 0.5}}\n"
    )
    first = mockd_server("--config", str(config), "--no-auth")
    seed = requests.get(f"{first.admin}/chaos", timeout=5).json()["seed"]
    statuses = _statuses(first, 40)
    first.stop()
    assert f"Chaos seed: {seed} (replay this run's faults with --chaos-seed {seed})\n" in first.output()[1]
    replay = mockd_server("--config", str(config), "--no-auth", "--chaos-seed", str(seed))
    assert _statuses(replay, 40) == statuses
