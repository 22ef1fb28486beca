"""Text folding, the exact-duplicate fingerprint and word shingles.

Every comparison in dedup sees the same folded words: Unicode NFKC, case folded, punctuation
and whitespace dropped (``\\w+`` runs). So "L'IA  de Mistral." and "l'ia de mistral" are the
same text, and the exact fingerprint, the MinHash signature and the confirming check never
disagree about what a word is.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

import numpy as np

from monitor.dedup.settings import DedupSettings

_WORD = re.compile(r"\w+")
_CHARS_PER_TOKEN_BOUND = 64
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
# Odd 64-bit multipliers: position weights that make "a b c" and "c b a" different shingles.
_POSITION_WEIGHTS = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
        0x94D049BB133111EB,
        0xBF58476D1CE4E5B9,
    ],
    dtype=np.uint64,
)


def folded_words(text: str, max_tokens: int | None = None) -> list[str]:
    """The text's words, case and punctuation folded, at most ``max_tokens`` of them.

    With a limit, only the first ``max_tokens * 64`` characters are read, so a huge text costs
    no more than a long article (no real word averages anywhere near 64 characters).
    """
    if max_tokens is not None:
        text = text[: max_tokens * _CHARS_PER_TOKEN_BOUND]
    words = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    return words if max_tokens is None else words[:max_tokens]


def text_fingerprint(text: str) -> str:
    """A hash of the folded text: equal for texts that differ only by case, spacing, punctuation.

    Any text has one, even an empty one; use ``exact_duplicate_key`` to decide whether two
    articles are exact duplicates, so that two empty pages are never merged.
    """
    folded = " ".join(folded_words(text))
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:32]


def exact_duplicate_key(text: str, settings: DedupSettings) -> str | None:
    """The fingerprint, or None when the text is too short or repetitive to call a copy."""
    if shingle_hashes(text, settings) is None:
        return None
    return text_fingerprint(text)


def _mix64(values: np.ndarray) -> np.ndarray:
    """The SplitMix64 finaliser, vectorised: spreads combined word hashes over all 64 bits."""
    with np.errstate(over="ignore"):
        values = values ^ (values >> np.uint64(30))
        values = values * np.uint64(0xBF58476D1CE4E5B9)
        values = values ^ (values >> np.uint64(27))
        values = values * np.uint64(0x94D049BB133111EB)
        return values ^ (values >> np.uint64(31))


def shingle_hashes(text: str, settings: DedupSettings) -> np.ndarray | None:
    """The sorted distinct 64-bit hashes of the text's word shingles, or None if not judgeable.

    Each word is hashed once (CRC-32, in C) and the shingles are combined in numpy, which is
    what makes a signature cheap: no per-shingle Python hashing. A text shorter than one
    shingle, with fewer than ``min_shingles`` distinct shingles, or made mostly of repeats
    (``min_distinct_ratio``) gets None: such texts are never called duplicates.
    """
    words = folded_words(text, settings.max_tokens)
    size = settings.shingle_size
    if len(words) < size:
        return None
    word_hashes = np.fromiter(
        (zlib.crc32(word.encode("utf-8")) for word in words), dtype=np.uint64, count=len(words)
    )
    count = len(words) - size + 1
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(size):
            weight = _POSITION_WEIGHTS[offset % len(_POSITION_WEIGHTS)] + np.uint64(offset // 8)
            combined += (word_hashes[offset : offset + count] + np.uint64(1)) * weight
    distinct = np.unique(_mix64(combined))
    if len(distinct) < settings.min_shingles or len(distinct) < settings.min_distinct_ratio * count:
        return None
    return distinct
