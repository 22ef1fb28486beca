"""The confirming check on LSH candidates: exact shingle-set Jaccard and containment.

MinHash only proposes candidates; this check decides, on the two texts themselves. Jaccard
catches light edits (typo fixes, a new intro line, reordered sentences); containment catches a
truncated copy, whose shingles are nearly all in the original though the Jaccard is low. The
size-ratio guard keeps a short text made of one quoted paragraph, or a brief that shares a long
boilerplate with another page of the same site, from being "contained" in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from monitor.dedup.settings import DedupSettings
from monitor.dedup.text import shingle_hashes

VerdictReason = Literal["jaccard", "containment", "shared_passage", "dissimilar", "unjudgeable"]


@dataclass(frozen=True, slots=True)
class PairVerdict:
    """Whether two texts are copies of one story, the measures, and which rule decided."""

    is_duplicate: bool
    jaccard: float
    containment: float
    reason: VerdictReason


def compare_shingles(a: np.ndarray, b: np.ndarray, settings: DedupSettings) -> PairVerdict:
    """Decide on two sorted distinct shingle-hash arrays (see ``shingle_hashes``)."""
    shared = len(np.intersect1d(a, b, assume_unique=True))
    smaller, larger = sorted((len(a), len(b)))
    jaccard = shared / (len(a) + len(b) - shared)
    containment = shared / smaller
    if jaccard >= settings.jaccard_threshold:
        return PairVerdict(True, jaccard, containment, "jaccard")
    if containment >= settings.containment_threshold:
        if smaller >= settings.min_size_ratio * larger:
            return PairVerdict(True, jaccard, containment, "containment")
        return PairVerdict(False, jaccard, containment, "shared_passage")
    return PairVerdict(False, jaccard, containment, "dissimilar")


def confirm_duplicate(text_a: str, text_b: str, settings: DedupSettings) -> PairVerdict:
    """The final verdict on a candidate pair; an unjudgeable text is never a duplicate."""
    a = shingle_hashes(text_a, settings)
    b = shingle_hashes(text_b, settings)
    if a is None or b is None:
        return PairVerdict(False, 0.0, 0.0, "unjudgeable")
    return compare_shingles(a, b, settings)
