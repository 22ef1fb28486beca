"""The typed values that travel between the pipeline's stages.

Every stage (extract, normalise, relevance, dedup, tag, store) takes and returns these frozen
dataclasses, never loose dicts, so that a stage can be tested alone and a field cannot be
misspelt silently. Formats follow DESIGN.md, section "Contracts".
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Literal

DatePrecision = Literal["datetime", "day", "month", "year"]
DateSource = Literal["jsonld", "opengraph", "meta", "htmldate", "url", "feed", "sitemap", "seed"]
Relevance = Literal["about", "passing", "none"]

DATE_PRECISIONS: tuple[DatePrecision, ...] = ("datetime", "day", "month", "year")
DATE_SOURCES: tuple[DateSource, ...] = (
    "jsonld",
    "opengraph",
    "meta",
    "htmldate",
    "url",
    "feed",
    "sitemap",
    "seed",
)
RELEVANCES: tuple[Relevance, ...] = ("about", "passing", "none")

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def article_id_for_url(canonical_url: str) -> str:
    """The article id of DESIGN.md: first 16 hex digits of the SHA-256 of the canonical URL."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ArticleDate:
    """A publication or modification date as precise as the page made it, and where it came from.

    ``value`` is ISO 8601: a datetime with the page's own offset (``2024-02-26T09:30:00+01:00``),
    or a date alone (``2024-02-26``, ``2024-02``, ``2024``), matching ``precision``. The page's
    offset is kept so that the publisher's *day* is never lost to a UTC conversion.
    """

    value: str
    precision: DatePrecision
    source: DateSource

    def __post_init__(self) -> None:
        if self.precision not in DATE_PRECISIONS:
            raise ValueError(f"unknown date precision {self.precision!r}")
        if self.source not in DATE_SOURCES:
            raise ValueError(f"unknown date source {self.source!r}")
        if self.precision == "datetime":
            parsed = datetime.fromisoformat(self.value)
            if parsed.tzinfo is None:
                raise ValueError(f"datetime {self.value!r} has no offset; give one (or +00:00)")
        else:
            match = _ISO_PARTIAL.match(self.value)
            expected_parts = {"year": 1, "month": 2, "day": 3}[self.precision]
            if not match or sum(part is not None for part in match.groups()) != expected_parts:
                raise ValueError(f"{self.value!r} is not a {self.precision}-precision date")
            # Validates month and day ranges.
            self.first_day()

    @classmethod
    def from_datetime(cls, moment: datetime, source: DateSource) -> ArticleDate:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return cls(moment.isoformat(), "datetime", source)

    def moment_utc(self) -> datetime:
        """The instant in UTC; a partial date stands for its first moment in UTC."""
        if self.precision == "datetime":
            return datetime.fromisoformat(self.value).astimezone(UTC)
        first = self.first_day()
        return datetime(first.year, first.month, first.day, tzinfo=UTC)

    def utc_offset_minutes(self) -> int | None:
        """The page's own offset, or None for a partial date (which has none)."""
        if self.precision != "datetime":
            return None
        offset = datetime.fromisoformat(self.value).utcoffset() or timedelta(0)
        return int(offset.total_seconds() // 60)

    def first_day(self) -> date:
        """The first day the date may stand for, in the publisher's own offset."""
        if self.precision == "datetime":
            return datetime.fromisoformat(self.value).date()
        parts = [int(p) for p in self.value.split("-")]
        year, month, day = [*parts, 1, 1][:3]
        return date(year, month, day)

    def last_day(self) -> date:
        """The last day the date may stand for: a month-precision date covers the whole month."""
        first = self.first_day()
        if self.precision == "year":
            return date(first.year, 12, 31)
        if self.precision == "month":
            return date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
        return first


def restore_date(
    moment_utc: datetime, offset_minutes: int | None, precision: DatePrecision, source: DateSource
) -> ArticleDate:
    """Rebuild an ArticleDate from what the database keeps (UTC instant + offset + precision)."""
    if moment_utc.tzinfo is None:
        moment_utc = moment_utc.replace(tzinfo=UTC)
    if precision == "datetime":
        local = moment_utc.astimezone(timezone(timedelta(minutes=offset_minutes or 0)))
        return ArticleDate(local.isoformat(), "datetime", source)
    text = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[precision]
    return ArticleDate(moment_utc.strftime(text), precision, source)


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """An article as extraction or import produced it, before judgement and dedup.

    ``text`` is the body alone in the seed schema: paragraphs separated by one blank line, NFC,
    no title line, no date header. ``canonical_url`` may be None for an imported seed whose URL
    is unknown; its ``id`` then comes from the seed file name.
    """

    text: str
    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: ArticleDate | None = None
    modified: ArticleDate | None = None
    language: str | None = None
    site_name: str | None = None
    paywalled: bool = False
    id: str | None = None
    seq: int | None = None
    source: str | None = None

    def resolved_id(self) -> str:
        """The id this draft will be stored under."""
        if self.id:
            return self.id
        key = self.canonical_url or self.url
        if not key:
            raise ValueError("an article needs an id or a URL to be stored")
        return article_id_for_url(key)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a term fired: ``field`` is title, lead or body; offsets are into that field."""

    term: str
    field: Literal["title", "lead", "body"]
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TopicTag:
    topic_id: str
    score: float
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class EntityMention:
    name: str
    kind: Literal["person", "organisation", "product"]
    count: int


@dataclass(frozen=True, slots=True)
class Judgement:
    """What relevance and tagging concluded about one article, with the evidence to explain it."""

    relevance: Relevance
    score: float
    evidence: tuple[Evidence, ...] = ()
    topics: tuple[TopicTag, ...] = ()
    entities: tuple[EntityMention, ...] = ()
    tagger_version: str = ""
