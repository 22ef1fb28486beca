"""Scoring an extractor against ground truth, as ``../shared/data/README.md`` defines it.

Used by ``bench/extraction.py`` and by the quality-gate test, so both score the same way.
Body: ``\\w+`` tokens (case kept) → 4-gram shingles compared as multisets per page; precision
and recall are means over pages (pages with an empty prediction are left out of precision);
F1 from the two means. Titles and authors are compared with whitespace folded (NBSP → space,
soft hyphens dropped), case and punctuation kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from monitor.extraction.normalise import fold_for_comparison

_TOKEN = re.compile(r"\w+")
SHINGLE_SIZE = 4


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The multiset of token ``size``-grams (a short text is one shingle of all its tokens)."""
    tokens = _TOKEN.findall(fold_for_comparison(text))
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


@dataclass(frozen=True, slots=True)
class BodyScore:
    """One page's body overlap; ``precision`` is None when the prediction is empty."""

    precision: float | None
    recall: float


def score_body(predicted: str | None, expected: str) -> BodyScore:
    """Shingle precision and recall of one page."""
    got, want = shingles(predicted or ""), shingles(expected)
    shared = sum((got & want).values())
    precision = shared / sum(got.values()) if got else None
    recall = shared / sum(want.values()) if want else 1.0
    return BodyScore(precision, recall)


@dataclass(frozen=True, slots=True)
class BodySummary:
    precision: float
    recall: float
    f1: float


def summarise_body(scores: Sequence[BodyScore]) -> BodySummary:
    """Means over pages, then F1 of the means."""
    precisions = [s.precision for s in scores if s.precision is not None]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(s.recall for s in scores) / len(scores) if scores else 0.0
    return BodySummary(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def same_title(predicted: str | None, expected: str | None) -> bool:
    """Exact after folding whitespace (case and punctuation count)."""
    if not expected:
        return not predicted
    return fold_for_comparison(predicted or "") == fold_for_comparison(expected)


def same_author_set(predicted: Iterable[str], expected: Iterable[str]) -> bool:
    """The same set of names, exact after folding whitespace."""

    def fold(names: Iterable[str]) -> set[str]:
        return {fold_for_comparison(n) for n in names if n and n.strip()}

    return fold(predicted) == fold(expected)


def expected_day(publishing_date: str | None) -> date | None:
    """The publisher's day from a ground-truth ``YYYY-MM-DD HH:MM:SS+HH:MM`` string."""
    if not publishing_date:
        return None
    try:
        return datetime.fromisoformat(publishing_date).date()
    except ValueError:
        return None
