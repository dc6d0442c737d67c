"""The forward proxy over the admin API (`/proxy/*`, issue 17): started and steered at run time, recording
into `/recordings`; HTTPS through the CA it generates, trusted by the client."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from pathlib import Path

import httpx

from mockd.proxy.ca import CertificateAuthority
from tests.harness import MockdProcess, free_port, request
from tests.proxy.upstream import upstream_server


def _err(reply: object) -> tuple[int, str, str]:
    body = reply.json()  # type: ignore[attr-defined]
    return reply.status, body["error"], body["message"]  # type: ignore[attr-defined]


def test_admin_proxy_lifecycle(mockd_server: Callable[..., MockdProcess], tmp_path: Path) -> None:
    server = mockd_server(cwd=tmp_path)
    admin = server.admin
    assert request(admin + "/proxy/status").json() == {"running": False}
    assert request(admin + "/proxy/filters").json() == {}
    assert request(admin + "/proxy/ca").json() == {"exists": False}
    assert _err(request(admin + "/proxy/stop", method="POST")) == (404, "not_running", "Proxy is not running")
    for bad, message in (("../x", "CA path cannot contain path traversal sequences"),
                         ("/abs", "CA path must be a relative path")):  # fmt: skip
        got = request(admin + "/proxy/start", method="POST", body={"caPath": bad})
        assert _err(got) == (400, "invalid_path", message)
    bad_mode = request(admin + "/proxy/start", method="POST", body={"mode": "mirror"})
    assert _err(bad_mode) == (400, "invalid_mode", "Mode must be 'record' or 'passthrough'")

    port = free_port()
    started = request(admin + "/proxy/start", method="POST", body={
        "port": port, "caPath": "ca", "sessionName": "admin", "filters": {"excludePaths": ["/status/*"]},
    })  # fmt: skip
    assert started.status == 200
    status = started.json()
    assert list(status) == ["running", "port", "mode", "sessionId", "uptime"]
    assert (status["running"], status["port"], status["mode"]) == (True, port, "record")
    again = request(admin + "/proxy/start", method="POST", body={"port": free_port()})
    assert _err(again) == (409, "already_running", "Proxy is already running")
    assert request(admin + "/proxy/filters").json() == {"excludePaths": ["/status/*"]}

    info = request(admin + "/proxy/ca").json()
    assert (info["exists"], info["path"], info["organization"]) == (True, str(tmp_path / "ca" / "ca.crt"),
                                                                    "mockd Local CA")  # fmt: skip
    pem = request(admin + "/proxy/ca/download")
    assert pem.headers["content-type"] == "application/x-pem-file"
    assert pem.headers["content-disposition"] == "attachment; filename=mockd-ca.crt"
    assert pem.body == (tmp_path / "ca" / "ca.crt").read_bytes()
    assert _err(request(admin + "/proxy/ca", method="POST", body={"caPath": "ca"})) == (
        409, "ca_exists", "CA certificate already exists")  # fmt: skip
    assert _err(request(admin + "/proxy/ca", method="POST", body={})) == (
        400,
        "missing_path",
        "caPath is required",
    )

    own = CertificateAuthority.ensure(tmp_path / "upstream-ca")  # the HTTPS upstream's own, untrusted CA
    trust = ssl.create_default_context(cadata=pem.body.decode())
    proxy_url = f"http://127.0.0.1:{port}"
    with (
        upstream_server() as http_url,
        upstream_server(own.context_for("localhost")) as https_url,
        httpx.Client(proxy=proxy_url, verify=trust, trust_env=False) as client,
    ):
        assert client.get(http_url + "/echo/one").status_code == 200
        assert client.get(https_url + "/echo/two").json()["path"] == "/echo/two"
        assert client.get(http_url + "/status/200").status_code == 200  # filtered out
        recs = request(admin + "/recordings").json()["recordings"]
        assert [r["request"]["url"] for r in recs] == [http_url + "/echo/one", https_url + "/echo/two"]
        assert request(admin + "/proxy/status").json()["recordingCount"] == 2
        mode = request(admin + "/proxy/mode", method="PUT", body={"mode": "passthrough"})
        assert mode.json()["mode"] == "passthrough"
        assert client.get(http_url + "/echo/three").status_code == 200
        assert request(admin + "/recordings").json()["total"] == 2
        assert request(admin + "/proxy/filters", method="PUT", body={"includeHosts": ["x"]}).json() == {
            "includeHosts": ["x"]}  # fmt: skip
    assert request(admin + "/proxy/stop", method="POST").json() == {"running": False}
    assert request(admin + "/proxy/status").json() == {"running": False}
    assert request(admin + "/recordings").json()["total"] == 2  # still readable
    assert _err(request(admin + "/proxy/mode", method="PUT", body={"mode": "record"}))[1] == "not_running"
