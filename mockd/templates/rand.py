"""Random sources for templates: Go's seeded PCG for reproducible responses, a fast one otherwise.

With a seed (`?_mockd_seed=N`, `X-Mockd-Seed: N` or the response's `seed`) the Go tool draws every uuid,
random and faker value from `math/rand/v2`'s PCG-DXSM generator seeded with (uint64(N), 0), reduced with
`IntN`/`Float64`. `GoPCG` reproduces that generator bit for bit, so a seeded `{{uuid}}`, `{{random.int}}`
or `{{faker.ipv4}}` renders exactly what the Go tool renders for the same seed (tests/templates/test_rand.py
holds values taken from the Go tool). It costs about a microsecond per draw in Python, which is paid only
by responses that carry a seed.

Without a seed, values come from the `random` module's shared generator, which Python reseeds in every
forked worker (`os.register_at_fork`), and uuids from `os.urandom` as the Go tool uses crypto/rand.
"""

from __future__ import annotations

import os
import random as _random

_M64 = (1 << 64) - 1
_M128 = (1 << 128) - 1
_LOW53 = (1 << 53) - 1
# The 128-bit LCG multiplier and increment of PCG (O'Neill's constants, as Go's math/rand/v2 uses them).
_MUL = (2549297995355413924 << 64) | 4865540595714422341
_INC = (6364136223846793005 << 64) | 1442695040888963407
_DXSM_MUL = 0xDA942042E4DD58B5


class GoPCG:
    """`rand.New(rand.NewPCG(uint64(seed), 0))` from Go's math/rand/v2: same seed, same draws."""

    __slots__ = ("state",)

    def __init__(self, seed: int) -> None:
        self.state = (seed & _M64) << 64  # NewPCG(hi=seed, lo=0); negative seeds wrap like uint64(seed)

    def uint64(self) -> int:
        state = (self.state * _MUL + _INC) & _M128
        self.state = state
        hi = state >> 64
        hi ^= hi >> 32  # DXSM output: "double xorshift multiply" of the high half
        hi = (hi * _DXSM_MUL) & _M64
        hi ^= hi >> 48
        return (hi * ((state & _M64) | 1)) & _M64

    def intn(self, n: int) -> int:
        """`Rand.IntN` (64-bit platform): uniform in [0, n); 0 without drawing when n <= 0, as the Go tool's
        guard does."""
        if n <= 0:
            return 0
        if n & (n - 1) == 0:
            return self.uint64() & (n - 1)
        product = self.uint64() * n
        low = product & _M64
        if low < n:  # Lemire's rejection, taken only when the low half falls below n
            threshold = ((1 << 64) - n) % n
            while low < threshold:
                product = self.uint64() * n
                low = product & _M64
        return product >> 64

    def float64(self) -> float:
        """`Rand.Float64`: the low 53 bits of one draw, scaled to [0, 1)."""
        return (self.uint64() & _LOW53) / 9007199254740992.0

    def randbytes(self, n: int) -> bytes:
        """n bytes as `byte(IntN(256))` each, the way the Go tool builds seeded uuids and `random`."""
        return bytes(self.uint64() & 0xFF for _ in range(n))


class SystemRandom:
    """Unseeded draws: the `random` module's generator (fork-safe) and the OS for uuid bytes."""

    __slots__ = ()

    @staticmethod
    def intn(n: int) -> int:
        return _random.randrange(n) if n > 0 else 0

    @staticmethod
    def float64() -> float:
        return _random.random()

    @staticmethod
    def randbytes(n: int) -> bytes:
        return os.urandom(n)


UNSEEDED = SystemRandom()

Rng = GoPCG | SystemRandom


def uuid4(rng: Rng) -> str:
    """A version-4 UUID from 16 random bytes, formatted as the Go tool does (lower-case hex)."""
    b = bytearray(rng.randbytes(16))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
