"""Recording sessions on disk, `mockd recordings`, and replay in order (issue 17)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

from tests.harness import MockdProcess, free_port, request, run_cli
from tests.proxy.upstream import upstream_server


def _record_session(mockd_server: Callable[..., MockdProcess], base: Path, counter: str) -> Path:
    """Three calls to the counter, one to another path, recorded to a session folder under `base`."""
    with upstream_server() as upstream:
        server = mockd_server("--upstream", upstream, "--record", "--record-dir", str(base))
        answers = [request(server.url + counter).json()["n"] for _ in range(3)]
        assert answers == [1, 2, 3]
        assert request(server.url + "/status/418?tea=1").status == 418
        assert server.stop() == 0
    return (base / "latest").resolve()


def test_a_session_folder_has_the_go_layout(
    mockd_server: Callable[..., MockdProcess], tmp_path: Path
) -> None:
    session = _record_session(mockd_server, tmp_path, "/counter/layout")
    assert session.parent == tmp_path
    assert session.name.startswith("passthrough-")
    assert (tmp_path / "latest").is_symlink()
    assert stat.S_IMODE(session.stat().st_mode) == 0o700
    meta = json.loads((session / "meta.json").read_text())
    assert list(meta) == ["name", "startTime", "port", "mode", "recordingCount", "endTime", "hosts"]
    assert (meta["name"], meta["mode"], meta["recordingCount"]) == ("passthrough", "record", 4)
    [host] = meta["hosts"]
    files = sorted((session / host).glob("rec_*.json"))
    assert len(files) == 4
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    one = json.loads(files[0].read_text())
    assert files[0].name == f"rec_{one['id']}.json"
    assert files[0].read_text().startswith('{\n  "id": ')


def test_the_recordings_cli(mockd_server: Callable[..., MockdProcess], tmp_path: Path) -> None:
    base = tmp_path / "recs"
    session = _record_session(mockd_server, base, "/counter/cli")
    listed = run_cli("recordings", "sessions", "--recordings-dir", str(base))
    assert listed.returncode == 0
    assert session.name in listed.stdout
    table = run_cli(
        "recordings", "list", "--recordings-dir", str(base), "--method", "get"
    ).stdout.splitlines()
    assert table[0].split() == ["ID", "METHOD", "HOST", "PATH", "STATUS", "DURATION"]
    assert [line.split()[3:5] for line in table[1:]] == [["/counter/cli", "200"]] * 3 + [
        ["/status/418", "418"]
    ]
    out = tmp_path / "export.json"
    assert run_cli("recordings", "export", "--recordings-dir", str(base), "-o", str(out)).returncode == 0
    exported = json.loads(out.read_text())
    assert [r["request"]["path"] for r in exported] == ["/counter/cli"] * 3 + ["/status/418"]
    converted = run_cli("recordings", "convert", "--recordings-dir", str(base), "-s", "passthrough")
    assert converted.returncode == 0
    doc = json.loads(converted.stdout)
    assert [m["http"]["matcher"] for m in doc["mocks"]] == [
        {"method": "GET", "path": "/counter/cli"}, {"method": "GET", "path": "/status/418"},
    ]  # fmt: skip
    assert "Processed 4 recordings (filtered out 0), generated 2 mocks" in converted.stderr
    filtered = run_cli("recordings", "convert", "--recordings-dir", str(base), "--status", "4xx",
                       "--method", "get,post", "--path-filter", "/status/*", "--include-hosts", "127.0.0.*")  # fmt: skip
    assert [m["http"]["matcher"] for m in json.loads(filtered.stdout)["mocks"]] == [
        {"method": "GET", "path": "/status/418"}
    ]
    assert "Processed 4 recordings (filtered out 3), generated 1 mocks" in filtered.stderr
    exported[0]["request"]["headers"]["Authorization"] = ["[REDACTED]"]
    out.write_text(json.dumps(exported))
    warned = run_cli("recordings", "convert", "-i", str(out), "--method", "GET")
    assert f"warning: {exported[0]['id']}: " in warned.stderr
    assert "Authorization" in warned.stderr
    quiet = run_cli("recordings", "convert", "-i", str(out), "--no-check-sensitive")
    assert "warning:" not in quiet.stderr
    other_host = run_cli("recordings", "convert", "--recordings-dir", str(base), "--include-hosts", "api.*")
    assert (other_host.returncode, other_host.stderr.strip()) == (1, "no recordings match the host filter")
    imported = run_cli(
        "recordings", "import", "-i", str(out), "--recordings-dir", str(base), "--session", "ci"
    )
    assert imported.returncode == 0
    assert len(list((base / "ci-imported").glob("*/rec_*.json"))) == 4
    cleared = run_cli("recordings", "clear", "--recordings-dir", str(base), "-f")
    assert (cleared.returncode, cleared.stdout.strip()) == (0, "Deleted 2 session(s)")
    empty = run_cli("recordings", "export", "--recordings-dir", str(base))
    assert empty.returncode == 1
    assert empty.stderr.startswith("no recordings found.")


def test_replay_answers_in_order_then_repeats_the_last(
    mockd_server: Callable[..., MockdProcess], tmp_path: Path
) -> None:
    session = _record_session(mockd_server, tmp_path, "/counter/replay")
    server = mockd_server("--replay", str(session))  # no upstream at all
    assert [request(server.url + "/counter/replay").json()["n"] for _ in range(5)] == [1, 2, 3, 3, 3]
    teapot = request(server.url + "/status/418?tea=1")
    assert (teapot.status, teapot.json()) == (418, {"status": 418, "query": "tea=1"})
    assert teapot.headers["content-type"] == "application/json"
    # another query on a recorded path falls back to that path's sequence; an unknown path is still a miss
    assert request(server.url + "/status/418?tea=2").status == 418
    assert request(server.url + "/never").json()["error"] == "no_match"


def test_record_missing_forwards_only_what_the_replay_cannot_answer(
    mockd_server: Callable[..., MockdProcess], tmp_path: Path
) -> None:
    session = _record_session(mockd_server, tmp_path / "first", "/counter/missing")
    with upstream_server() as upstream:
        server = mockd_server("--replay", str(session), "--upstream", upstream, "--record")
        assert request(server.url + "/counter/missing").json()["n"] == 1  # replayed, not forwarded
        assert request(server.url + "/counter/new").json()["n"] == 1  # forwarded
        recorded = request(server.admin + "/recordings").json()
    assert [r["request"]["path"] for r in recorded["recordings"]] == ["/counter/new"]


def test_replay_of_something_that_is_not_recordings(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"request": {"method": 1}, "response": {}}]')
    out = run_cli("start", "-p", str(free_port()), "-a", str(free_port()), "--replay", str(bad))
    assert out.returncode == 1
    assert f"cannot replay {bad}: {bad}[0]: request: method: expected a string, got a number" in out.stderr
    assert "Traceback" not in out.stderr
    missing = run_cli(
        "start", "-p", str(free_port()), "-a", str(free_port()), "--replay", os.fspath(tmp_path / "x")
    )
    assert missing.returncode == 1
    assert "cannot replay" in missing.stderr
