"""When a URL is worth fetching (again): the revisit rule of DESIGN.md's Contracts, pure.

A stored URL is due again 1 h, 24 h and 7 days after it was first seen (with a conditional
GET, so an unchanged page costs a 304), later only when a feed or sitemap shows a newer date.
A URL that failed for a passing reason (timeout, 5xx, connection) is due at the next crawl;
one judged irrelevant or gone (404) is not fetched again unless a feed shows it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

REVISIT_AFTER: tuple[timedelta, ...] = (timedelta(hours=1), timedelta(hours=24), timedelta(days=7))
#: Outcomes after which the next crawl tries again (an HTTP error only when it was 429 or 5xx).
TRANSIENT_OUTCOMES = frozenset({"timeout", "connection_error", "store_failed"})


@dataclass(frozen=True, slots=True)
class UrlMemory:
    """What the frontier remembers of one URL (a row of ``url_state``)."""

    first_seen: datetime
    last_fetched: datetime | None
    next_due: datetime | None
    revisits: int
    last_outcome: str | None
    hinted_at: datetime | None
    last_status: int | None = None

    @property
    def failed_transiently(self) -> bool:
        if self.last_outcome in TRANSIENT_OUTCOMES:
            return True
        status = self.last_status or 0
        return self.last_outcome == "http_error" and (status == 429 or status >= 500)


@dataclass(frozen=True, slots=True)
class Window:
    """A backfill window on publication days (inclusive); None bounds are open."""

    since: date | None = None
    until: date | None = None

    def admits(self, day: date | None) -> bool:
        """A URL with no date hint is admitted: its page's own date is checked after fetching."""
        if day is None:
            return True
        return self.overlaps(day, day)

    def overlaps(self, first: date, last: date) -> bool:
        """A date spanning [first, last] (a month-precision date) is in when any day is."""
        return (self.since is None or last >= self.since) and (
            self.until is None or first <= self.until
        )


def is_due(memory: UrlMemory | None, now: datetime, hint: datetime | None = None) -> bool:
    if memory is None:
        return True
    if memory.last_fetched is None:
        return True
    if (
        hint is not None
        and hint > memory.last_fetched
        and (memory.hinted_at is None or hint > memory.hinted_at)
    ):
        return True
    if memory.failed_transiently:
        return True
    return memory.next_due is not None and now >= memory.next_due


def next_due_after(first_seen: datetime, revisits: int, outcome: str) -> datetime | None:
    """The next scheduled revisit after ``revisits`` fetches, or None when there is none."""
    if outcome in {"irrelevant", "not_html", "too_large", "robots"}:
        return None
    if revisits < len(REVISIT_AFTER):
        return first_seen + REVISIT_AFTER[revisits]
    return None
