"""What a user can ask for: the filters shared by ``search`` and ``export``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from monitor.article import RELEVANCES, Relevance
from monitor.errors import QueryError
from monitor.searchtext import SearchQuery

SortOrder = Literal["date", "relevance"]
#: What search and export show unless asked otherwise (DESIGN.md: about and passing).
DEFAULT_RELEVANCE: tuple[Relevance, ...] = ("about", "passing")


@dataclass(frozen=True)
class ArticleFilter:
    """A selection of articles; every field narrows it (AND), repeated ones included."""

    query: SearchQuery | None = None
    since: date | None = None
    until: date | None = None
    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    #: None means any relevance; articles not yet judged count as in the default view.
    relevance: tuple[Relevance, ...] | None = DEFAULT_RELEVANCE
    include_duplicates: bool = False
    topics: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    author: str | None = None

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise QueryError(f"--since {self.since} is after --until {self.until}")


def parse_relevance(value: str) -> tuple[Relevance, ...] | None:
    """``about``, ``passing``, ``none``, a comma list of them, or ``any``."""
    if value == "any":
        return None
    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in chosen if v not in RELEVANCES]
    if unknown or not chosen:
        raise QueryError(
            f"unknown relevance {value!r}; use about, passing, none, any or a comma list"
        )
    return chosen  # type: ignore[return-value]


def parse_day(value: str, flag: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{flag} {value!r}: expected a date as YYYY-MM-DD") from None
