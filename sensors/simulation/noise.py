"""Reproducible pseudo-random numbers: a pure function of a seed and keys, no hidden state.

Hashing (seed, keys) instead of drawing from a generator makes every simulated value depend
only on *what* and *when*, so a run resumed half-way or replayed in another order gives the same
numbers.
"""

from __future__ import annotations

import hashlib
import math
import zlib
from functools import lru_cache


def unit(seed: str, *keys: object) -> float:
    """A uniform number in [0, 1) determined by *seed* and *keys*."""
    text = "|".join([seed, *map(str, keys)]).encode()
    digest = hashlib.blake2b(text, digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def signed(seed: str, *keys: object) -> float:
    """A uniform number in [-1, 1) determined by *seed* and *keys*."""
    return 2.0 * unit(seed, *keys) - 1.0


def smooth(seed: str, x: float) -> float:
    """Value noise in [0, 1): random at whole *x*, cosine-interpolated in between."""
    whole = math.floor(x)
    left, right = _lattice(seed, whole), _lattice(seed, whole + 1)
    weight = (1 - math.cos(math.pi * (x - whole))) / 2
    return left + (right - left) * weight


@lru_cache(maxsize=65536)
def _lattice(seed: str, whole: int) -> float:
    """The random value at a whole number; cached, as smooth noise asks for it many times."""
    return unit(seed, whole)


def number(text: str, modulo: int) -> int:
    """A stable integer in [0, modulo) derived from *text* (e.g. a serial number from a uid)."""
    return zlib.crc32(text.encode()) % modulo
