"""MinHash signatures over word shingles and their LSH band keys.

A signature is ``num_perm`` minimum values of independent hash permutations over a text's
shingle set; two signatures agree in a position with probability equal to the sets' Jaccard
similarity. The band keys cut the signature into ``bands`` groups of ``rows`` values and hash
each group: two texts share a key with probability ``1 - (1 - J**rows)**bands``. A store keeps
rows ``(band_key, article_id)`` and finds candidates with ``WHERE band_key IN (...)``: the
lookup costs the same at 10k or 1M articles, and no state lives in the process.

Written here rather than taken from datasketch because hashing each word once (CRC-32) and
combining shingles in numpy is several times faster than datasketch's SHA-1 per shingle
(``bench/dedup_signature.py`` measures both).
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import cache

import numpy as np

from monitor.dedup.settings import DedupSettings
from monitor.dedup.text import shingle_hashes

_FORMAT_VERSION = 1
_HEADER = struct.Struct("<BBHHQ")  # version, shingle size, num_perm, bands, seed
_ROWS_PER_CHUNK = 4096  # bounds memory for huge texts: chunk x num_perm uint64 at a time


@dataclass(frozen=True, slots=True)
class Signature:
    """A MinHash signature and the parameters it was computed with (they travel with it)."""

    values: tuple[int, ...]
    shingle_size: int
    bands: int
    seed: int

    @property
    def num_perm(self) -> int:
        return len(self.values)

    def to_bytes(self) -> bytes:
        """A compact, versioned encoding (14 + 4 * num_perm bytes) for a BLOB/BYTEA column."""
        header = _HEADER.pack(
            _FORMAT_VERSION, self.shingle_size, self.num_perm, self.bands, self.seed
        )
        return header + np.asarray(self.values, dtype="<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        """Decode ``to_bytes``; raises ValueError on anything else."""
        if len(data) < _HEADER.size:
            raise ValueError("signature bytes too short")
        version, shingle_size, num_perm, bands, seed = _HEADER.unpack_from(data)
        if version != _FORMAT_VERSION:
            raise ValueError(f"unknown signature format version {version}")
        body = data[_HEADER.size :]
        if len(body) != 4 * num_perm:
            raise ValueError(f"signature body holds {len(body)} bytes, expected {4 * num_perm}")
        values = tuple(int(v) for v in np.frombuffer(body, dtype="<u4"))
        return cls(values, shingle_size, bands, seed)

    def estimated_jaccard(self, other: Signature) -> float:
        """Share of agreeing positions: an unbiased estimate of the shingle sets' Jaccard."""
        if (self.num_perm, self.shingle_size, self.seed) != (
            other.num_perm,
            other.shingle_size,
            other.seed,
        ):
            raise ValueError("signatures computed with different settings cannot be compared")
        same = sum(a == b for a, b in zip(self.values, other.values, strict=True))
        return same / self.num_perm


@cache
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) coefficients of ``(a*x + b) mod 2**64``; immutable, derived from the seed.

    Multiply-add with odd ``a`` over 64-bit words, keeping the high 32 bits, is the
    multiply-shift universal family (Dietzfelbinger): no modulo, so numpy does it in a few
    passes. The minimum is taken on the full 64-bit product and shifted afterwards, which
    gives the same result as shifting first because the shift is monotone.
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64)
    a.setflags(write=False)
    b.setflags(write=False)
    return a, b


def signature_from_shingles(shingles: np.ndarray, settings: DedupSettings) -> Signature:
    """The signature of a non-empty array of 64-bit shingle hashes."""
    a, b = _permutations(settings.num_perm, settings.seed)
    keys = shingles[:, None]
    minimum = np.full(settings.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for start in range(0, len(keys), _ROWS_PER_CHUNK):
            permuted = keys[start : start + _ROWS_PER_CHUNK] * a
            permuted += b
            np.minimum(minimum, permuted.min(axis=0), out=minimum)
    return Signature(
        values=tuple((minimum >> np.uint64(32)).tolist()),
        shingle_size=settings.shingle_size,
        bands=settings.bands,
        seed=settings.seed,
    )


def signature_for(text: str, settings: DedupSettings) -> Signature | None:
    """The MinHash signature of a text, or None when the text is too short or repetitive.

    None means "cannot be judged": such an article gets no band keys and is never a near
    duplicate of anything, so empty-ish pages never merge.
    """
    shingles = shingle_hashes(text, settings)
    if shingles is None:
        return None
    return signature_from_shingles(shingles, settings)


def band_keys(signature: Signature) -> list[int]:
    """One signed 64-bit key per band (fits a BIGINT column), distinct across bands and settings.

    The key hashes the band number, the signature's parameters and the band's values, so a key
    from band 3 never matches one from band 4, and keys from other settings never collide with
    these: a store needs only an index on ``band_key``.
    """
    rows = signature.num_perm // signature.bands
    packed = np.asarray(signature.values, dtype="<u4").tobytes()
    prefix = struct.pack("<HHQ", signature.shingle_size, signature.num_perm, signature.seed)
    keys: list[int] = []
    for band in range(signature.bands):
        digest = hashlib.blake2b(
            prefix + struct.pack("<H", band) + packed[band * rows * 4 : (band + 1) * rows * 4],
            digest_size=8,
        ).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys
