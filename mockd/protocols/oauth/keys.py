"""The signing key of one OAuth mock: RSA-2048, RS256 JWTs, and its JWKS (protocols-reference §6.3).

A key is generated per provider, as the Go tool does when it registers the mock. Unlike the Go tool we keep
it (and the issued codes and refresh tokens) while the mock's settings are unchanged, so an admin change to
some other mock does not invalidate every token already handed out (docs/differences.md).
"""

from __future__ import annotations

import base64
import secrets
import string
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

_ALNUM = string.ascii_letters + string.digits


def random_text(n: int) -> str:
    return "".join(secrets.choice(_ALNUM) for _ in range(n))


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class SigningKey:
    __slots__ = ("_private", "_public", "kid")

    def __init__(self) -> None:
        self._private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._public = self._private.public_key()
        self.kid = random_text(16)

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self._private, algorithm="RS256", headers={"kid": self.kid, "typ": "JWT"})

    def verify(self, token: str) -> dict[str, Any]:
        """The token's claims; raises `jwt.PyJWTError` (bad signature, expired, malformed)."""
        claims: dict[str, Any] = jwt.decode(
            token, self._public, algorithms=["RS256"], options={"verify_aud": False, "verify_iss": False}
        )
        return claims

    def jwks(self) -> dict[str, Any]:
        numbers = self._public.public_numbers()
        return {
            "keys": [{
                "kty": "RSA", "use": "sig", "kid": self.kid, "alg": "RS256",
                "n": _b64url_uint(numbers.n), "e": _b64url_uint(numbers.e),
            }]
        }  # fmt: skip
