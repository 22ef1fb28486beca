"""The crawl's memory: the fetch log and the URL frontier (``fetches``, ``url_state``).

Callers pass a Session inside their unit of work; for a stored article the fetch record is
written in the article's own transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from monitor.db.models import Fetch, UrlState
from monitor.frontier import UrlMemory, next_due_after


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """One fetch as the crawler saw it, whatever became of it."""

    url: str
    outcome: str
    fetched_at: datetime
    crawl_id: str | None = None
    source: str | None = None
    final_url: str | None = None
    status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    bytes: int | None = None
    duration_ms: int | None = None
    error: str | None = None
    article_id: str | None = None
    #: The frontier key: our canonical form of the requested URL.
    frontier_url: str | None = None
    hinted_at: datetime | None = None


def url_memory(session: Session, url: str) -> UrlMemory | None:
    state = session.get(UrlState, url)
    if state is None:
        return None
    return UrlMemory(
        first_seen=state.first_seen,
        last_fetched=state.last_fetched,
        next_due=state.next_due,
        revisits=state.revisits,
        last_outcome=state.last_outcome,
        hinted_at=state.hinted_at,
        last_status=state.last_status,
    )


def validators(session: Session, url: str) -> tuple[str | None, str | None]:
    """ETag and Last-Modified remembered for a conditional GET (304 costs no extraction)."""
    state = session.get(UrlState, url)
    return (state.etag, state.last_modified) if state is not None else (None, None)


def record_fetch(session: Session, record: FetchRecord) -> None:
    """Log the fetch and move the URL's frontier state on.

    Plain table statements, not ORM objects: for a stored page this runs in the article's
    transaction, which a crawl's workers take in turns, and the ORM's bookkeeping for two rows
    nobody loads back was a sixth of that transaction's time (docs/benchmarks.md, "Crawl
    throughput"). Nothing else writes ``url_state``, so no ORM object can be left stale."""
    session.execute(
        insert(Fetch.__table__),
        [
            {
                "crawl_id": record.crawl_id,
                "url": record.url,
                "final_url": record.final_url,
                "source": record.source,
                "fetched_at": record.fetched_at,
                "status": record.status,
                "etag": record.etag,
                "last_modified": record.last_modified,
                "bytes": record.bytes,
                "duration_ms": record.duration_ms,
                "outcome": record.outcome,
                "error": (record.error or "")[:2000] or None,
                "article_id": record.article_id,
            }
        ],
    )
    key = record.frontier_url or record.url
    known = session.execute(
        select(UrlState.first_seen, UrlState.revisits).where(UrlState.url == key)
    ).first()
    first_seen, revisits = (record.fetched_at, 0) if known is None else (known[0], known[1] + 1)
    values: dict[str, object] = {
        "last_fetched": record.fetched_at,
        "last_outcome": record.outcome,
        "last_status": record.status,
        "revisits": revisits,
        "next_due": next_due_after(first_seen, revisits, record.outcome),
    }
    if record.outcome != "not_modified":  # a 304 keeps the validators it was answered for
        values.update(etag=record.etag, last_modified=record.last_modified)
    if record.article_id:
        values["article_id"] = record.article_id
    if record.hinted_at is not None:
        values["hinted_at"] = record.hinted_at
    table = UrlState.__table__
    if known is None:
        session.execute(insert(table), [{"url": key, "first_seen": first_seen, **values}])
    else:
        session.execute(update(table).where(table.c.url == key).values(**values))


def crawl_outcomes(session: Session, crawl_id: str) -> Counter[str]:
    rows = session.execute(
        select(Fetch.outcome, func.count())
        .where(Fetch.crawl_id == crawl_id)
        .group_by(Fetch.outcome)
    )
    return Counter({outcome: n for outcome, n in rows})


#: Outcomes that mean the page could not be had (as opposed to judged, stored or unchanged).
FAILURE_OUTCOMES = frozenset(
    {
        "http_error", "timeout", "connection_error", "too_large", "not_html", "extract_failed",
        "redirect_loop", "robots", "parse_error", "store_failed",
    }
)  # fmt: skip


def crawl_outcomes_for_source(session: Session, crawl_id: str, source: str) -> Counter[str]:
    rows = session.execute(
        select(Fetch.outcome, func.count())
        .where(Fetch.crawl_id == crawl_id, Fetch.source == source)
        .group_by(Fetch.outcome)
    )
    return Counter({outcome: n for outcome, n in rows})


def crawl_failures(session: Session, crawl_id: str, limit: int = 20) -> list[Fetch]:
    return list(
        session.scalars(
            select(Fetch)
            .where(Fetch.crawl_id == crawl_id, Fetch.error.is_not(None))
            .order_by(Fetch.pk)
            .limit(limit)
        )
    )
