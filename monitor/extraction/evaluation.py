"""Scoring an extractor against ground truth, as ``../shared/data/README.md`` defines it.

Used by ``bench/extraction.py`` and by the quality-gate test, so both score the same way.
Body: ``\\w+`` tokens (case kept) → 4-gram shingles compared as multisets per page; precision
and recall are means over pages (pages with an empty prediction are left out of precision);
F1 from the two means. Titles and authors are compared with whitespace folded (NBSP → space,
soft hyphens dropped), case and punctuation kept.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

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


@dataclass(frozen=True, slots=True)
class GoldPage:
    """A saved page and what a careful reader says it contains."""

    name: str
    html: bytes
    url: str
    language: str | None
    title: str | None
    authors: tuple[str, ...]
    publishing_date: str | None
    body_text: str
    publisher: str | None = None


@dataclass(frozen=True, slots=True)
class Prediction:
    """What an extractor said about one page, reduced to the scored fields."""

    text: str | None
    title: str | None
    authors: tuple[str, ...]
    day: str | None
    language: str | None


@dataclass(frozen=True, slots=True)
class Scores:
    """The scorecard of one extractor over a set of pages (fractions in [0, 1])."""

    pages: int
    body_precision: float
    body_recall: float
    body_f1: float
    title_exact: float
    publication_day: float
    author_set_exact: float
    author_set_exact_people: float
    language: float


def _is_outlet(name: str, outlets: Iterable[str]) -> bool:
    squashed = re.sub(r"[\W_]+", "", name.casefold())
    return any(o and (o in squashed or squashed in o) for o in outlets)


def people_only(authors: Iterable[str], page: GoldPage, site_name: str | None) -> set[str]:
    """Ground-truth authors without outlet names ("ORF.at", "Le Monde", "BBC News").

    The data README lists outlet names in author lists as a known flaw of the ground truth;
    this second author score drops names that are the page's publisher, host or site name,
    from both sides, so that a correct "no person named" is not counted as a miss.
    """
    from urllib.parse import urlsplit

    host = (urlsplit(page.url).hostname or "").removeprefix("www.")
    outlets = {
        re.sub(r"[\W_]+", "", value.casefold())
        for value in (page.publisher, host, host.split(".")[0], site_name)
        if value
    }
    return {fold_for_comparison(a) for a in authors if a and not _is_outlet(a, outlets)}


def score_pages(
    pages: Sequence[GoldPage],
    predictions: Sequence[Prediction],
    site_names: Sequence[str | None] | None = None,
) -> Scores:
    """Score predictions (in page order) the way ``../shared/data/README.md`` describes."""
    body_scores: list[BodyScore] = []
    titles = days = authors = people = languages = 0
    names = site_names or [None] * len(pages)
    for page, got, site in zip(pages, predictions, names, strict=True):
        body_scores.append(score_body(got.text, page.body_text))
        titles += same_title(got.title, page.title)
        truth_day = expected_day(page.publishing_date)
        days += got.day == (truth_day.isoformat() if truth_day else None)
        authors += same_author_set(got.authors, page.authors)
        people += people_only(got.authors, page, site) == people_only(page.authors, page, site)
        languages += (got.language or "") == (page.language or "")
    body = summarise_body(body_scores)
    n = len(pages) or 1
    return Scores(
        pages=len(pages),
        body_precision=body.precision,
        body_recall=body.recall,
        body_f1=body.f1,
        title_exact=titles / n,
        publication_day=days / n,
        author_set_exact=authors / n,
        author_set_exact_people=people / n,
        language=languages / n,
    )


def load_gold_page(html_path: Path, expected_path: Path) -> GoldPage:
    """A page and its ``.expected.json`` (the fundus layout, or the trimmed test fixtures)."""
    record = json.loads(expected_path.read_text(encoding="utf-8"))
    expected = record["expected"]
    return GoldPage(
        name=html_path.name.removesuffix(".html.gz"),
        html=gzip.decompress(html_path.read_bytes()),
        url=record["url"],
        language=record.get("lang"),
        title=expected.get("title"),
        authors=tuple(expected.get("authors") or ()),
        publishing_date=expected.get("publishing_date"),
        body_text=expected.get("body_text") or "",
        publisher=record.get("publisher"),
    )


def load_gold_pages(root: Path, pattern: str = "**/*.expected.json") -> list[GoldPage]:
    """Every page under ``root`` with its expectations, in a stable order."""
    pages = []
    for expected in sorted(root.glob(pattern)):
        html = expected.with_name(expected.name.replace(".expected.json", ".html.gz"))
        if html.exists():
            pages.append(load_gold_page(html, expected))
    return pages
