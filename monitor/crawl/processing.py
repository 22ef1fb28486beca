"""The per-page steps after fetching — extract, judge, store — as plain functions.

Scrapy's item pipelines (``monitor.crawl.pipelines``) and the WARC reader both call these, so
a page read from an archive is processed exactly like one fetched live.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from monitor.article import ArticleDate, ArticleDraft, Judgement
from monitor.crawl.items import PageItem
from monitor.db.fetchlog import FetchRecord, record_fetch
from monitor.errors import MonitorError
from monitor.extraction import extract_page
from monitor.frontier import Window
from monitor.ingest import IngestResult, Stages, ingest_prepared, prepare_draft

log = logging.getLogger(__name__)

Extractor = Callable[
    [bytes, str, dict[str, str]], tuple[ArticleDraft | None, str | None, str | None]
]
Judge = Callable[[ArticleDraft], Judgement]

#: Relevance verdicts a crawl stores (an import stores every verdict).
STORED_RELEVANCE = frozenset({"about", "passing"})


def extract_for_crawl(
    body: bytes, url: str, headers: dict[str, str]
) -> tuple[ArticleDraft | None, str | None, str | None]:
    """The extractor a crawl uses: module-level and free of Scrapy, so that worker processes
    run it without importing the crawler."""
    result = extract_page(body, url, http_headers=headers)
    return result.draft, result.error, result.error_message


def with_outcome(item: PageItem, outcome: str, error: str | None = None) -> PageItem:
    return replace(item, outcome=outcome, error=error, body=b"")


def extract_item(item: PageItem, extractor: Extractor, window: Window | None = None) -> PageItem:
    """Turn the fetched page into a draft, or decide why it cannot be one."""
    if item.outcome is not None:
        return item
    if item.status == 304:
        return with_outcome(item, "not_modified")
    draft, reason, message = extractor(item.body, item.final_url or item.url, item.headers)
    if draft is None:
        return with_outcome(item, reason or "extract_failed", message)
    if draft.published is None and item.hint_published is not None:
        draft = replace(draft, published=ArticleDate.from_datetime(item.hint_published, "feed"))
    draft = replace(draft, source=item.source, url=draft.url or item.url)
    if (
        window is not None
        and draft.published is not None
        and not window.overlaps(draft.published.first_day(), draft.published.last_day())
    ):
        return replace(with_outcome(item, "out_of_window"), draft=None)
    return replace(item, draft=draft, body=b"")


def prepare_item(item: PageItem, stages: Stages) -> PageItem:
    """Search tokens, fingerprint and dedup keys of a page to store (pure, CPU-bound)."""
    if item.outcome is not None or item.draft is None or item.prepared is not None:
        return item
    try:
        prepared = prepare_draft(item.draft, stages, item.judgement)
    except MonitorError as exc:
        return replace(with_outcome(item, "extract_failed", str(exc)), draft=None)
    return replace(item, prepared=prepared)


def process_page(
    item: PageItem, extractor: Extractor, stages: Stages, window: Window | None
) -> PageItem:
    """Every CPU-bound step of a page — extract, judge, prepare — as a worker process runs it,
    so the crawl process keeps only networking and storage."""
    item = extract_item(item, extractor, window)
    return prepare_item(judge_item(item, stages.judge), stages)


def judge_item(item: PageItem, judge: Judge | None) -> PageItem:
    if item.outcome is not None or item.draft is None or judge is None:
        return item
    if item.judgement is not None:  # judged already, in an extraction worker
        return item
    judgement = judge(item.draft)
    if judgement.relevance not in STORED_RELEVANCE:
        return replace(with_outcome(item, "irrelevant"), judgement=judgement, draft=None)
    return replace(item, judgement=judgement)


def _fetch_record(item: PageItem, outcome: str, article_id: str | None) -> FetchRecord:
    return FetchRecord(
        url=item.url,
        outcome=outcome,
        fetched_at=item.fetched_at,
        crawl_id=item.crawl_id,
        source=item.source,
        final_url=item.final_url,
        status=item.status,
        etag=item.headers.get("etag"),
        last_modified=item.headers.get("last-modified"),
        bytes=int(item.headers.get("content-length") or 0) or None,
        duration_ms=item.duration_ms,
        error=item.error,
        article_id=article_id,
        frontier_url=item.frontier_url,
        hinted_at=item.hint_published,
    )


def store_item(engine: Engine, item: PageItem, stages: Stages, now: datetime) -> PageItem:
    """Store the article and its fetch record in one transaction, or record the fetch alone."""
    if item.outcome is not None or item.draft is None:
        outcome = item.outcome or "extract_failed"
        with Session(engine) as session, session.begin():
            record_fetch(session, _fetch_record(item, outcome, None))
        return replace(item, outcome=outcome)

    def log_fetch(session: Session, result: IngestResult) -> None:
        record_fetch(session, _fetch_record(item, crawl_outcome(result), result.id))

    prepared = item.prepared or prepare_item(item, stages).prepared
    if prepared is None:
        return store_item(engine, with_outcome(item, "extract_failed", "no text"), stages, now)
    result = ingest_prepared(engine, prepared, stages, now, in_transaction=log_fetch)
    return replace(
        item, outcome=crawl_outcome(result), article_id=result.id, draft=None, prepared=None
    )


def store_page(
    engine: Engine, item: PageItem, stages: Stages, now: datetime
) -> tuple[PageItem, str | None]:
    """:func:`store_item`, with a page the database refuses recorded as ``store_failed``.

    Returns the stored item and, when the database refused it, the warning to log (the caller
    logs it: this also runs in the crawl's worker processes, whose logging is not configured).
    A refused page's fetch record is written when the database answers, so the next crawl
    tries the page again; when it does not answer, nothing is written and the frontier still
    holds the page as due.
    """
    try:
        return store_item(engine, item, stages, now), None
    except (MonitorError, SQLAlchemyError) as exc:
        warning = f"could not store {item.url}: {exc}"
        failed = with_outcome(item, "store_failed", f"{type(exc).__name__}: {exc}")
        try:
            return store_item(engine, failed, stages, now), warning
        except SQLAlchemyError:
            return failed, warning


def crawl_outcome(result: IngestResult) -> str:
    """The fetch-log outcome of a stored page: new, revision, unchanged or duplicate."""
    if result.outcome == "new" and result.duplicate_of is not None:
        return "duplicate"
    return {"new": "new", "revised": "revision", "unchanged": "unchanged"}[result.outcome]
