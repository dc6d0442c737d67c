"""The HTTPS listener's settings, from the `start` flags (operations reference §6).

What differs from the Go tool, deliberately (docs/differences.md): certificate files given with
`--tls-cert/--tls-key` are used (the Go tool ignores them unless `--auto-cert=false` is also given, because
its `--auto-cert` defaults to true and wins), and mTLS options Granian cannot honour are refused by name
instead of being accepted and never taking effect. Granian verifies a client certificate against a CA during
the handshake, which is `require-and-verify`; it does not hand the certificate to the application, so
nothing that reads the certificate's fields (allowed CNs, `http.matcher.mtls`, `{{mtls.*}}`) can work.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

from mockd.tls.certs import CertFiles, TLSSetupError, generate_self_signed, load_files

CLIENT_AUTH_MODES = ("none", "", "request", "require", "verify-if-given", "require-and-verify")
_SETUP = "failed to start mock server: failed to setup TLS: "
_NO_PEER_CERT = "Granian, which serves mockd's ports, does not give the application the client certificate"


@dataclass(frozen=True)
class TLSSettings:
    https_port: int
    files: CertFiles
    client_ca: Path | None = None  # set: a client certificate signed by this CA is required
    generated: bool = False


def resolve(
    *, https_port: int, tls_cert: str | None, tls_key: str | None, tls_auto: bool, auto_cert: bool,
    mtls_enabled: bool, mtls_client_auth: str, mtls_ca: str | None, mtls_allowed_cns: str | None,
) -> TLSSettings | None:  # fmt: skip
    """None when no HTTPS listener is asked for (no `--https-port`), as in the Go tool, where TLS flags
    alone do nothing. Raises TLSSetupError with the reason otherwise."""
    if mtls_enabled and https_port <= 0:
        raise TLSSetupError("--mtls-enabled needs --https-port: client certificates only exist over HTTPS")
    if https_port <= 0:
        return None
    if (tls_cert is None) != (tls_key is None):
        missing = "--tls-key" if tls_key is None else "--tls-cert"
        raise TLSSetupError(f"{_SETUP}--tls-cert and --tls-key go together: {missing} is missing")
    client_ca = _client_ca(mtls_enabled, mtls_client_auth, mtls_ca, mtls_allowed_cns)
    if tls_cert is not None and tls_key is not None and not tls_auto:
        return TLSSettings(https_port, load_files(Path(tls_cert), Path(tls_key)), client_ca)
    if not (tls_auto or auto_cert):
        raise TLSSetupError(f"{_SETUP}no certificate: give --tls-cert and --tls-key, or --tls-auto")
    return TLSSettings(https_port, generate_self_signed(), client_ca, generated=True)


def _client_ca(enabled: bool, mode: str, ca: str | None, allowed_cns: str | None) -> Path | None:
    if not enabled:
        return None
    if mode not in CLIENT_AUTH_MODES:
        raise TLSSetupError(f"{_SETUP}mTLS configuration failed: invalid clientAuth mode: {mode}")
    if allowed_cns:
        raise TLSSetupError(
            f"--mtls-allowed-cns is not supported: {_NO_PEER_CERT}, so its CN cannot be checked. "
            "Issue client certificates from a CA of their own and pass it with --mtls-ca instead."
        )
    if mode in ("none", ""):
        return None
    if mode != "require-and-verify":
        raise TLSSetupError(
            f"--mtls-client-auth {mode} is not supported: Granian either requires a client certificate "
            "signed by --mtls-ca (require-and-verify) or asks for none"
        )
    if ca is None:
        default = ssl.get_default_verify_paths().cafile
        if default is None:
            raise TLSSetupError(f"{_SETUP}mTLS configuration failed: --mtls-ca is required on this system")
        return Path(default)
    path = Path(ca)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TLSSetupError(
            f"{_SETUP}mTLS configuration failed: failed to read CA certificate: {exc}"
        ) from None
    if b"-----BEGIN CERTIFICATE-----" not in data:
        raise TLSSetupError(f"{_SETUP}mTLS configuration failed: failed to parse CA certificate from {ca}")
    return path
