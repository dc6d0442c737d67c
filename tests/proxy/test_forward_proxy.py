"""`mockd proxy start` (issue 17): a forward proxy for HTTP, and HTTPS through a generated CA that the client
trusts, recording to a session folder; `mockd proxy ca`. Real clients (httpx), real upstreams."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mockd.proxy.ca import CertificateAuthority
from tests.harness import MOCKD, free_port, run_cli, stop_process
from tests.proxy.upstream import upstream_server


class ProxyProcess:
    """`mockd proxy start` on a free port, stdout to a file; stopped by its own PID."""

    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.out = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as this object
        self.proc = subprocess.Popen([*MOCKD, "proxy", "start", "-p", str(self.port), *args], stdout=self.out,
                                     stderr=subprocess.STDOUT)  # fmt: skip
        deadline = time.monotonic() + 15
        while b"Press Ctrl+C to stop" not in self.text().encode():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("proxy did not start:\n" + self.text())
            time.sleep(0.05)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def text(self) -> str:
        return os.pread(self.out.fileno(), 1 << 20, 0).decode()

    def stop(self) -> int:
        return stop_process(self.proc)


@pytest.fixture
def tls_upstream(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTPS upstream with a certificate from a CA of its own (not the proxy's); yields (url, its CA)."""
    own = CertificateAuthority.ensure(tmp_path / "upstream-ca")
    with upstream_server(own.context_for("localhost")) as url:
        yield url, own.cert_path


def test_http_and_https_through_the_proxy_are_recorded(
    tmp_path: Path, tls_upstream: tuple[str, Path]
) -> None:
    https_url, _ = tls_upstream
    ca_dir = tmp_path / "ca"
    rec_dir = tmp_path / "recs"
    proxy = ProxyProcess("--ca-path", str(ca_dir), "--recordings-dir", str(rec_dir), "-s", "suite",
                         "--exclude", "/status/*")  # fmt: skip
    try:
        assert f"CA certificate: {ca_dir / 'ca.crt'}" in proxy.text()
        trust = ssl.create_default_context(cafile=str(ca_dir / "ca.crt"))  # only the proxy's CA
        with upstream_server() as http_url, httpx.Client(proxy=proxy.url, verify=trust, trust_env=False) as c:
            plain = c.get(http_url + "/echo/plain?q=1", headers={"Authorization": "Bearer abc"})
            assert plain.status_code == 200
            seen = plain.json()
            assert (seen["path"], seen["query"]) == ("/echo/plain", "q=1")
            assert seen["headers"]["x-forwarded-host"] == http_url.removeprefix("http://")
            assert seen["headers"]["authorization"] == "Bearer abc"  # forwarded as sent; redacted when stored
            assert plain.headers["content-length"] == str(len(plain.content))
            secure = c.post(https_url + "/echo/secure", json={"a": 1})
            assert secure.status_code == 200
            assert (secure.json()["path"], json.loads(secure.json()["body"])) == ("/echo/secure", {"a": 1})
            with httpx.Client(
                proxy=proxy.url, verify=trust, trust_env=False
            ) as other:  # no cookies of its own
                again = other.get(https_url + "/echo/again").json()
            assert "cookie" not in again["headers"]  # the upstream's Set-Cookie went to `c` only
            assert c.get(http_url + "/status/204").status_code == 204  # excluded from recording
            direct = httpx.get(proxy.url + "/echo", trust_env=False)
            assert direct.status_code == 400
            assert direct.text.startswith("mockd proxy received a direct request.")
            dead = c.get(f"http://127.0.0.1:{free_port()}/x")
            assert dead.status_code == 502
            assert dead.text.startswith("Error forwarding request: ")
    finally:
        assert proxy.stop() == 0
    out = proxy.text()
    assert "Proxy stopped" in out
    assert "[proxy] GET " in out
    session = (rec_dir / "latest").resolve()
    assert session.name.startswith("suite-")
    meta = json.loads((session / "meta.json").read_text())
    assert (meta["mode"], meta["recordingCount"]) == ("record", 3)
    recs = sorted(
        (json.loads(p.read_text()) for p in session.glob("*/rec_*.json")), key=lambda r: r["timestamp"]
    )
    assert [r["request"]["url"] for r in recs] == [
        http_url + "/echo/plain?q=1", https_url + "/echo/secure", https_url + "/echo/again"
    ]  # fmt: skip
    assert recs[0]["request"]["headers"]["Authorization"] == ["[REDACTED]"]
    assert recs[1]["request"]["scheme"] == "https"


def test_connect_without_a_ca_is_a_blind_tunnel(tmp_path: Path, tls_upstream: tuple[str, Path]) -> None:
    https_url, upstream_ca = tls_upstream
    proxy = ProxyProcess("--recordings-dir", str(tmp_path / "recs"))
    try:
        trust = ssl.create_default_context(cafile=str(upstream_ca))  # the upstream's own certificate
        with httpx.Client(proxy=proxy.url, verify=trust, trust_env=False) as c:
            assert c.get(https_url + "/echo/tunnel").json()["path"] == "/echo/tunnel"
    finally:
        assert proxy.stop() == 0
    session = (tmp_path / "recs" / "latest").resolve()
    assert json.loads((session / "meta.json").read_text())["recordingCount"] == 0


def test_passthrough_mode_records_nothing(tmp_path: Path) -> None:
    proxy = ProxyProcess("-m", "passthrough", "--recordings-dir", str(tmp_path / "recs"))
    try:
        with upstream_server() as http_url, httpx.Client(proxy=proxy.url, trust_env=False) as c:
            assert c.get(http_url + "/echo").status_code == 200
    finally:
        proxy.stop()
    assert list((tmp_path / "recs" / "latest").resolve().glob("*/rec_*.json")) == []


def test_ca_commands(tmp_path: Path) -> None:
    ca_dir = tmp_path / "ca"
    made = run_cli("proxy", "ca", "generate", "--ca-path", str(ca_dir))
    assert made.returncode == 0
    assert made.stdout.startswith(f"CA certificate generated: {ca_dir / 'ca.crt'}\nFingerprint: ")
    assert (ca_dir / "ca.key").read_text().startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert oct((ca_dir / "ca.key").stat().st_mode & 0o777) == "0o600"
    exported = run_cli("proxy", "ca", "export", "--ca-path", str(ca_dir))
    assert exported.stdout == (ca_dir / "ca.crt").read_text()
    info = CertificateAuthority(ca_dir).info()
    assert list(info) == ["exists", "path", "fingerprint", "expiresAt", "organization"]
    assert info["organization"] == "mockd Local CA"
    for args in (["proxy", "ca", "generate"], ["proxy", "ca", "export"]):
        missing = run_cli(*args)
        assert (missing.returncode, missing.stderr.strip()) == (1, "--ca-path is required")
    bad = run_cli("proxy", "start", "-m", "mirror")
    assert (bad.returncode, bad.stderr.strip()) == (
        1,
        "invalid mode: mirror (must be 'record' or 'passthrough')",
    )
