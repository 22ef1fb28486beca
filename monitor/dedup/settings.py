"""The thresholds of deduplication, in one frozen settings object.

The defaults are the values measured by ``bench/dedup_eval.py`` (see docs/benchmarks.md,
section "Deduplication"): they reach pair precision 1.0 and recall above 0.95 on syndicated
copies built from real text, and never merge the distinct-but-similar pairs of that evaluation.
The entry point builds one ``DedupSettings`` (from the ``[dedup]`` configuration section) and
passes it down; nothing here reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DedupSettings:
    """How texts are shingled, signed, indexed and compared.

    Changing ``shingle_size``, ``num_perm``, ``bands``, ``seed`` or ``max_tokens`` changes the
    signatures and band keys: the stored index must then be rebuilt (``monitor dedup --rebuild``).
    The confirmation thresholds can change freely; they only act on candidates.
    """

    shingle_size: int = 3
    """Words per shingle. Three words keep a typo fix or a reordered sentence from touching
    more than a handful of shingles, while unrelated texts share almost none."""

    num_perm: int = 128
    """MinHash values per signature (``bands * rows``)."""

    bands: int = 32
    """LSH bands; with ``rows`` = 4 a pair at Jaccard 0.5 becomes a candidate with probability
    0.87, at 0.6 with 0.99, at 0.2 with 0.05 and at 0.05 with 0.0002."""

    seed: int = 20240226
    """Seed of the hash permutations; part of every band key."""

    max_tokens: int = 20_000
    """Words kept from the start of a text: a huge text costs no more than a long article."""

    min_shingles: int = 20
    """Fewer distinct shingles than this (about 20 words) and a text is too short to judge:
    it gets no signature and is never confirmed as a near duplicate."""

    min_distinct_ratio: float = 0.5
    """Distinct shingles over all shingles below this and a text is a repeated line or a
    template, not prose: it is not judged either."""

    jaccard_threshold: float = 0.5
    """Confirmed as copies when the shingle sets' Jaccard similarity reaches this."""

    containment_threshold: float = 0.8
    """...or when this share of the smaller text's shingles is in the larger one (a truncated
    copy, a copy with an added intro line)..."""

    min_size_ratio: float = 0.3
    """...and the smaller text is at least this fraction of the larger: a short piece made of a
    quoted paragraph is contained in its source but is not a copy of it."""

    def __post_init__(self) -> None:
        if self.shingle_size < 1:
            raise ValueError("shingle_size must be at least 1")
        if self.bands < 1 or self.num_perm % self.bands:
            raise ValueError(
                f"num_perm ({self.num_perm}) must be a multiple of bands ({self.bands})"
            )
        for name in (
            "min_distinct_ratio",
            "jaccard_threshold",
            "containment_threshold",
            "min_size_ratio",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be within [0, 1], not {value}")

    @property
    def rows(self) -> int:
        """MinHash values per band."""
        return self.num_perm // self.bands
