"""issue 14: HTTPS beside the plain mock port (operations reference §6), seen from real TLS clients: the
self-signed certificate made per run, the user's own files (checked at start), and client certificates."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.harness import free_port, request, run_cli

CONFIG = (
    'version: "1.0"\nmocks:\n  - http: {matcher: {path: /hello}, response: {statusCode: 200, body: hi}}\n'
)
NOW = datetime.datetime.now(datetime.UTC)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _issue(
    subject: str, issuer_key: ec.EllipticCurvePrivateKey | None = None, issuer: str | None = None, *,
    ca: bool = False, days: float = 30, san: bool = True,
) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    b = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer or subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(days=1))
        .not_valid_after(NOW + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if san:
        b = b.add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
    return b.sign(issuer_key or key, hashes.SHA256()), key


def _write(
    folder: Path, name: str, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey
) -> tuple[Path, Path]:
    c, k = folder / f"{name}.pem", folder / f"{name}.key"
    c.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    k.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))  # fmt: skip
    return c, k


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "m.yaml").write_text(CONFIG)
    return tmp_path / "m.yaml"


def test_https_port_serves_the_mocks_with_a_fresh_self_signed_certificate(mockd_server, config: Path) -> None:
    https = free_port()
    server = mockd_server("--config", str(config), "--https-port", str(https))
    pem = ssl.get_server_certificate(("127.0.0.1", https))
    cert = x509.load_pem_x509_certificate(pem.encode())
    assert cert.subject.rfc4514_string() == "CN=localhost,O=mockd"
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sans.get_values_for_type(x509.DNSName) == ["localhost", "127.0.0.1", "::1"]
    assert [str(ip) for ip in sans.get_values_for_type(x509.IPAddress)] == ["127.0.0.1", "::1"]
    assert isinstance(cert.public_key(), ec.EllipticCurvePublicKey)
    assert 364 <= (cert.not_valid_after_utc - cert.not_valid_before_utc).days <= 365
    trust = ssl.create_default_context(cadata=pem)  # the client trusts exactly this certificate
    reply = httpx.get(f"https://localhost:{https}/hello", verify=trust)
    assert (reply.status_code, reply.text, reply.http_version) == (200, "hi", "HTTP/1.1")
    assert request(server.url + "/hello").body == b"hi"  # the plain port keeps serving
    ports = request(server.admin + "/ports").json()["ports"]
    assert {"port": https, "protocol": "HTTPS", "component": "Mock Engine", "status": "running"} in ports
    assert request(server.admin + "/status").json()["httpsPort"] == https
    # the same requests are logged and counted whichever port they came in on
    assert request(server.admin + "/requests").json()["count"] == 2
    server.stop()
    out, _ = server.output()
    assert f"HTTPS server running on https://localhost:{https}\n" in out


def test_a_run_never_reuses_or_keeps_its_generated_certificate(mockd_server, config: Path) -> None:
    https = free_port()
    first = mockd_server("--config", str(config), "--https-port", str(https))
    one = ssl.get_server_certificate(("127.0.0.1", https))
    first.stop()
    mockd_server("--config", str(config), "--https-port", str(https))
    assert ssl.get_server_certificate(("127.0.0.1", https)) != one


def test_the_users_certificate_files_are_served(mockd_server, config: Path, tmp_path: Path) -> None:
    # The Go tool ignores these unless --auto-cert=false is also given (docs/differences.md)
    ca, ca_key = _issue("Test CA", ca=True)
    leaf, leaf_key = _issue("localhost", ca_key, "Test CA")
    cert_file, key_file = _write(tmp_path, "server", leaf, leaf_key)
    https = free_port()
    mockd_server("--config", str(config), "--https-port", str(https), "--tls-cert", str(cert_file),
                 "--tls-key", str(key_file))  # fmt: skip
    trust = ssl.create_default_context(cadata=ca.public_bytes(serialization.Encoding.PEM).decode())
    assert httpx.get(f"https://localhost:{https}/hello", verify=trust).text == "hi"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("expired", "failed to start mock server: failed to setup TLS: TLS certificate at {cert}: certificate "
                    "expired on {when} — please provide a renewed certificate"),
        ("expiring", "failed to start mock server: failed to setup TLS: TLS certificate at {cert}: certificate "
                     "expires on {when} (within 24h0m0s grace period) — please provide a renewed certificate"),
        ("wrong-key", "failed to start mock server: failed to setup TLS: failed to load certificate: tls: "
                      "private key does not match public key"),
        ("missing", "failed to start mock server: failed to setup TLS: failed to load certificate: open "
                    "{cert}: no such file or directory"),
    ],
)  # fmt: skip
def test_bad_certificate_files_stop_the_start_with_the_reason(
    tmp_path: Path, case: str, message: str
) -> None:
    days = {"expired": -0.5, "expiring": 0.5}.get(case, 30)
    cert, key = _issue("localhost", days=days)
    cert_file, key_file = _write(tmp_path, "server", cert, key)
    if case == "wrong-key":
        _, other = _issue("other")
        _write(tmp_path, "server", cert, other)
    if case == "missing":
        cert_file.unlink()
    when = cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
    done = run_cli("start", "-p", str(free_port()), "-a", str(free_port()), "--https-port", str(free_port()),
                   "--tls-cert", str(cert_file), "--tls-key", str(key_file), timeout=30)  # fmt: skip
    assert (done.returncode, done.stderr) == (1, message.format(cert=cert_file, when=when) + "\n")


def test_client_certificates_signed_by_the_ca_are_required(
    mockd_server, config: Path, tmp_path: Path
) -> None:
    ca, ca_key = _issue("Clients CA", ca=True)
    ca_file, _ = _write(tmp_path, "ca", ca, ca_key)
    client, client_key = _issue("client-1", ca_key, "Clients CA", san=False)
    client_cert, client_key_file = _write(tmp_path, "client", client, client_key)
    stranger, stranger_key = _issue("stranger", san=False)
    stranger_cert, stranger_key_file = _write(tmp_path, "stranger", stranger, stranger_key)
    https = free_port()
    mockd_server(
        "--config", str(config), "--https-port", str(https), "--mtls-enabled", "--mtls-ca", str(ca_file)
    )
    pem = ssl.get_server_certificate(("127.0.0.1", https))

    def client_context(cert: Path | None, key: Path | None) -> ssl.SSLContext:
        ctx = ssl.create_default_context(cadata=pem)
        if cert is not None and key is not None:
            ctx.load_cert_chain(cert, key)
        return ctx

    url = f"https://localhost:{https}/hello"
    assert httpx.get(url, verify=client_context(client_cert, client_key_file)).text == "hi"
    for cert, key in ((None, None), (stranger_cert, stranger_key_file)):
        with pytest.raises((httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError)):
            httpx.get(url, verify=client_context(cert, key))


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--mtls-enabled", "--mtls-allowed-cns", "a,b"],
         "--mtls-allowed-cns is not supported: Granian, which serves mockd's ports, does not give the application "
         "the client certificate, so its CN cannot be checked. Issue client certificates from a CA of their own "
         "and pass it with --mtls-ca instead."),
        (["--mtls-enabled", "--mtls-client-auth", "request"],
         "--mtls-client-auth request is not supported: Granian either requires a client certificate signed by "
         "--mtls-ca (require-and-verify) or asks for none"),
        (["--mtls-enabled", "--mtls-client-auth", "bogus"],
         "failed to start mock server: failed to setup TLS: mTLS configuration failed: invalid clientAuth mode: "
         "bogus"),
    ],
)  # fmt: skip
def test_mtls_options_granian_cannot_honour_are_refused_by_name(flags: list[str], message: str) -> None:
    done = run_cli("start", "-p", str(free_port()), "-a", str(free_port()), "--https-port", str(free_port()),
                   *flags, timeout=30)  # fmt: skip
    assert (done.returncode, done.stderr) == (1, f"{message}\n")
