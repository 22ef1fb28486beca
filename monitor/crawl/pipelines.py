"""Item pipelines, one job each: extract → judge (relevance and tags) → store.

Extraction is CPU-bound and Scrapy runs in one process, so the extraction pipeline hands pages
to a pool of worker processes: while workers extract, the crawl process keeps downloading,
judging and storing, and every core is busy.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from typing import Any

from scrapy.exceptions import DropItem
from sqlalchemy.exc import SQLAlchemyError

from monitor.crawl.context import CrawlContext, context_of
from monitor.crawl.items import PageItem
from monitor.crawl.processing import (
    extract_item,
    judge_item,
    prepare_item,
    process_page,
    store_item,
    with_outcome,
)
from monitor.errors import MonitorError

log = logging.getLogger(__name__)


class _ContextPipeline:
    def __init__(self, context: CrawlContext) -> None:
        self.context = context

    @classmethod
    def from_crawler(cls, crawler: Any) -> _ContextPipeline:
        return cls(context_of(crawler))


class ExtractionPipeline(_ContextPipeline):
    """Page bytes → article draft. With worker processes, every CPU-bound step (extract,
    judge, prepare) runs there, so the crawl process keeps only networking and storage."""

    pool: Executor | None = None

    def open_spider(self) -> None:
        if self.context.extract_workers > 0:
            self.pool = ProcessPoolExecutor(
                self.context.extract_workers, mp_context=multiprocessing.get_context("forkserver")
            )

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    async def process_item(self, item: PageItem) -> PageItem:
        try:
            if self.pool is None:
                return extract_item(item, self.context.extractor, self.context.window)
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self.pool,
                process_page,
                item,
                self.context.extractor,
                self.context.stages,
                self.context.window,
            )
        except Exception as exc:  # a page must never take the crawl down: record it
            log.exception("extraction failed on %s", item.url)
            return with_outcome(item, "extract_failed", f"{type(exc).__name__}: {exc}")


class JudgementPipeline(_ContextPipeline):
    """Relevance and topics; pages that are not about Mistral AI go no further than the log.
    (With extraction workers, this already happened in the worker.)"""

    async def process_item(self, item: PageItem) -> PageItem:
        return prepare_item(judge_item(item, self.context.stages.judge), self.context.stages)


class StoragePipeline(_ContextPipeline):
    """One transaction per page: the article (dedup included) and its fetch record, or the
    fetch record alone. Pages not stored are then dropped with their outcome as the reason."""

    async def process_item(self, item: PageItem) -> PageItem:
        context = self.context
        if context.dry_run:
            context.observed.append(item)
            stored = item
        else:
            try:
                stored = store_item(context.engine, item, context.stages, context.now())
            except (MonitorError, SQLAlchemyError) as exc:
                # The database refused the page for good (or is away): log it, and record it
                # when the database answers, so that the next crawl tries the page again.
                log.warning("could not store %s: %s", item.url, exc)
                stored = with_outcome(item, "store_failed", f"{type(exc).__name__}: {exc}")
                with contextlib.suppress(SQLAlchemyError):
                    stored = store_item(context.engine, stored, context.stages, context.now())
        if stored.outcome not in ("new", "revision", "duplicate", "unchanged"):
            # Recorded in the fetch log already; an ordinary outcome, not a warning.
            raise DropItem(
                f"{stored.outcome}: {stored.url} {stored.error or ''}".strip(), log_level="DEBUG"
            )
        return stored
