"""Random sources for templates: Go's seeded PCG for reproducible responses, a fast one otherwise.

With a seed (`?_mockd_seed=N`, `X-Mockd-Seed: N` or the response's `seed`) the Go tool draws every uuid,
random and faker value from `math/rand/v2`'s PCG-DXSM generator seeded with (uint64(N), 0), reduced with
`IntN`/`Float64`. `GoPCG` reproduces that generator bit for bit, so a seeded `{{uuid}}`, `{{random.int}}`
or `{{faker.ipv4}}` renders exactly what the Go tool renders for the same seed (tests/templates/test_rand.py
holds values taken from the Go tool). It costs about a microsecond per draw in Python, which is paid only
by responses that carry a seed.

Without a seed, values come from the `random` module's shared generator, which Python reseeds in every
forked worker (`os.register_at_fork`); see `SystemRandom`.
"""

from __future__ import annotations

import random as _random

_getrandbits = _random.getrandbits  # bound at import: the module-level generator that forks reseed
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
        """n bytes as `byte(IntN(256))` each (the low byte of one draw), the way the Go tool builds seeded
        uuids and `random`. `uint64` inlined: a seeded uuid is 16 draws."""
        state = self.state
        out = bytearray(n)
        for i in range(n):
            state = (state * _MUL + _INC) & _M128
            hi = state >> 64
            hi ^= hi >> 32
            hi = (hi * _DXSM_MUL) & _M64
            hi ^= hi >> 48
            out[i] = (hi * ((state & _M64) | 1)) & 0xFF
        self.state = state
        return bytes(out)

    def uuid4(self) -> str:
        return _format_uuid(int.from_bytes(self.randbytes(16)))

    def hex32(self) -> str:
        return self.randbytes(4).hex()


class SystemRandom:
    """Unseeded draws from the `random` module's shared generator.

    The Go tool takes uuids and bare `random` from crypto/rand; these values are identifiers in mock
    responses, not secrets, and Mersenne Twister bits cost half as much as a getrandom() call (0.7 µs
    against 1.6 µs per uuid here). Python reseeds this generator in every forked worker, so workers never
    repeat each other's uuids.
    """

    __slots__ = ()

    @staticmethod
    def intn(n: int) -> int:
        # Multiply-shift reduction of 64 random bits: bias below n / 2**64, and a third of randrange's cost.
        return (_getrandbits(64) * n) >> 64 if n > 0 else 0

    @staticmethod
    def float64() -> float:
        return _random.random()

    @staticmethod
    def randbytes(n: int) -> bytes:
        return _random.randbytes(n)

    @staticmethod
    def uuid4() -> str:
        return _format_uuid(_getrandbits(128))

    @staticmethod
    def hex32() -> str:
        return f"{_getrandbits(32):08x}"


UNSEEDED = SystemRandom()

Rng = GoPCG | SystemRandom


_UUID_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))  # version nibble (byte 6) and variant bits (byte 8)
_UUID_SET = (0x4000 << 64) | (0x8000 << 48)  # version 4, RFC 4122 variant


def _format_uuid(bits: int) -> str:
    h = "%032x" % ((bits & _UUID_CLEAR) | _UUID_SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def uuid4(rng: Rng) -> str:
    """A version-4 UUID from 16 random bytes (big-endian), in lower-case hex as the Go tool prints it."""
    return rng.uuid4()
