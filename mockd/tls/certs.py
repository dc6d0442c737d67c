"""Server certificates: a self-signed one generated for this run, or the user's files, checked up front.

The generated certificate follows the Go tool's (`pkg/tls/certgen.go`): ECDSA P-256, a 128-bit random serial,
O=mockd, CN=localhost, DNS names localhost/127.0.0.1/::1 and IP addresses 127.0.0.1 and ::1, valid for 365
days from now, made fresh at every start and never kept. Granian reads certificates from files, so it is
written to a private temporary directory (mode 0700, files 0600) removed when the server stops.

User files are read with `cryptography` before the server starts, so a wrong path, a key that does not belong
to the certificate or a certificate that expires within a day is one clear error at start, in the Go tool's
words, instead of a TLS handshake failure seen by the first client.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from mockd.errors import MockdError

GRACE = datetime.timedelta(hours=24)
_SETUP = "failed to start mock server: failed to setup TLS: "


class TLSSetupError(MockdError):
    """The HTTPS listener cannot be set up; the message is the Go tool's."""


@dataclass(frozen=True)
class CertFiles:
    cert: Path
    key: Path
    temp_dir: Path | None = None  # a generated certificate's directory, removed by `discard`

    def discard(self) -> None:
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)


def generate_self_signed(now: datetime.datetime | None = None) -> CertFiles:
    """A certificate for localhost, valid from `now` for 365 days, in files only this user can read."""
    now = now or datetime.datetime.now(datetime.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "mockd"),
        x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
    ])  # fmt: skip
    loopback = [ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int.from_bytes(secrets.token_bytes(16), "big") >> 1)  # positive, 127 random bits
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(n) for n in ("localhost", "127.0.0.1", "::1")]
                + [x509.IPAddress(ip) for ip in loopback]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_encipherment=True,
                key_cert_sign=True,
                content_commitment=False,
                data_encipherment=False,
                key_agreement=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder = Path(tempfile.mkdtemp(prefix="mockd-tls-"))  # 0700
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    _write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM))
    _write_private(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )
    return CertFiles(cert_path, key_path, folder)


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def load_files(cert: Path, key: Path, now: datetime.datetime | None = None) -> CertFiles:
    """The user's certificate and key, checked: readable PEM, a pair, and valid for at least a day more."""
    now = now or datetime.datetime.now(datetime.UTC)
    try:
        cert_pem = cert.read_bytes()
        key_pem = key.read_bytes()
    except OSError as exc:
        raise TLSSetupError(
            f"{_SETUP}failed to load certificate: open {exc.filename}: {_reason(exc)}"
        ) from None
    try:
        chain = x509.load_pem_x509_certificates(cert_pem)
    except ValueError:
        raise TLSSetupError(
            f"{_SETUP}failed to load certificate: tls: failed to find any PEM data in certificate input"
        ) from None
    try:
        private = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError):
        raise TLSSetupError(
            f"{_SETUP}failed to load certificate: tls: failed to find any PEM data in key input"
        ) from None
    leaf = chain[0]
    if leaf.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        raise TLSSetupError(f"{_SETUP}failed to load certificate: tls: private key does not match public key")
    expires = leaf.not_valid_after_utc
    when = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    if expires <= now:
        raise TLSSetupError(
            f"{_SETUP}TLS certificate at {cert}: certificate expired on {when} — please provide a renewed "
            "certificate"
        )
    if expires - now <= GRACE:
        raise TLSSetupError(
            f"{_SETUP}TLS certificate at {cert}: certificate expires on {when} (within 24h0m0s grace "
            "period) — please provide a renewed certificate"
        )
    return CertFiles(cert, key)


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return (exc.strerror or str(exc)).lower()
