"""The forward proxy's certificate authority (operations reference §2.2), built with `cryptography`.

Files `<dir>/ca.crt` (PEM certificate) and `<dir>/ca.key` (PEM PKCS#1 `RSA PRIVATE KEY`, 0600) in a 0700
folder, as the Go tool writes them, so either tool can use the other's CA. The CA: RSA 2048, a 128-bit
random serial, subject O and CN `mockd Local CA`, ten years, CA:TRUE with path length 0, key usage
certificate and CRL signing. Host certificates: RSA 2048, CN and a DNS SAN (an IP SAN for an IP address:
the Go tool gives IP hosts none, and clients then refuse them), one year, server auth; cached per host.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
import ssl
import tempfile
from collections import OrderedDict
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from mockd.errors import MockdError

ORGANIZATION = "mockd Local CA"
CACHE_SIZE = 1000


class CAError(MockdError):
    """The CA files cannot be read or written."""


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _serial() -> int:
    return secrets.randbits(127) | 1  # positive, within the 20 octets RFC 5280 allows


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def generate(folder: Path) -> None:
    """Write a new CA into `folder` (created 0700), replacing any there."""
    key = _key()
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
                      x509.NameAttribute(NameOID.COMMON_NAME, ORGANIZATION)])  # fmt: skip
    now = _now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(_serial())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _write(folder / "ca.key", _pkcs1(key), 0o600)
        _write(folder / "ca.crt", cert.public_bytes(serialization.Encoding.PEM), 0o644)
    except OSError as exc:
        raise CAError(f"cannot write the CA into {folder}: {exc.strerror}") from None


def _pkcs1(key: rsa.RSAPrivateKey) -> bytes:
    """PEM `RSA PRIVATE KEY` (PKCS#1), the Go tool's key format."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )


def _write(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def exists(folder: Path) -> bool:
    return (folder / "ca.crt").is_file() and (folder / "ca.key").is_file()


class CertificateAuthority:
    """A loaded CA that issues host certificates (as ready `ssl.SSLContext`s, cached per host)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.cert_path = folder / "ca.crt"
        try:
            self.cert_pem = self.cert_path.read_bytes()
            self.cert = x509.load_pem_x509_certificate(self.cert_pem)
            key = serialization.load_pem_private_key((folder / "ca.key").read_bytes(), password=None)
        except OSError as exc:
            raise CAError(f"cannot read the CA in {folder}: {exc.strerror}") from None
        except ValueError as exc:
            raise CAError(f"the CA in {folder} is not a PEM certificate and key: {exc}") from None
        if not isinstance(key, rsa.RSAPrivateKey):
            raise CAError(f"the CA key in {folder} is not an RSA key")
        self.key = key
        self._contexts: OrderedDict[str, ssl.SSLContext] = OrderedDict()

    @classmethod
    def ensure(cls, folder: Path) -> CertificateAuthority:
        """Load the CA in `folder`, generating it first when either file is missing (the Go `EnsureCA`)."""
        if not exists(folder):
            generate(folder)
        return cls(folder)

    def info(self) -> dict[str, object]:
        """`GET /proxy/ca`'s object: the fingerprint is the first 10 DER bytes, as the Go tool's."""
        der = self.cert.public_bytes(serialization.Encoding.DER)
        expires = self.cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")
        org = self.cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        return {
            "exists": True, "path": str(self.cert_path),
            "fingerprint": ":".join(f"{b:02X}" for b in der[:10]),
            "expiresAt": expires, "organization": str(org[0].value) if org else "",
        }  # fmt: skip

    def context_for(self, host: str) -> ssl.SSLContext:
        """A server-side TLS context presenting a certificate for `host` signed by this CA."""
        ctx = self._contexts.get(host)
        if ctx is not None:
            self._contexts.move_to_end(host)
            return ctx
        ctx = self._issue(host)
        self._contexts[host] = ctx
        if len(self._contexts) > CACHE_SIZE:
            self._contexts.popitem(last=False)
        return ctx

    def _issue(self, host: str) -> ssl.SSLContext:
        key = _key()
        now = _now()
        try:
            san: x509.GeneralName = x509.IPAddress(ipaddress.ip_address(host))
        except ValueError:
            san = x509.DNSName(host)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(_serial())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName([san]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.set_alpn_protocols(["http/1.1"])
        # ssl loads certificates only from files: a private temporary file, removed at once.
        with tempfile.NamedTemporaryFile("wb", suffix=".pem") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))
            f.write(_pkcs1(key))
            f.flush()
            ctx.load_cert_chain(f.name)
        return ctx
