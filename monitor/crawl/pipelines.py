"""Item pipelines, one job each: extract → judge (relevance and tags) → store.

Extraction is CPU-bound and Scrapy runs in one process, so the extraction pipeline hands each
page to a pool of worker processes, which also judge, prepare and store it (one page at a time
across the pool, see ``monitor.crawl.workers``): the crawl process keeps downloading and
scheduling, and every core is busy. Without worker processes (``extract_workers = 0``) every
step runs in the crawl process, each in its own pipeline.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor
from typing import Any

from scrapy.exceptions import DropItem

from monitor.crawl.context import CrawlContext, context_of
from monitor.crawl.items import PageItem
from monitor.crawl.processing import (
    extract_item,
    judge_item,
    prepare_item,
    process_page,
    store_page,
    with_outcome,
)
from monitor.crawl.workers import process_and_store

log = logging.getLogger(__name__)


class _ContextPipeline:
    def __init__(self, context: CrawlContext) -> None:
        self.context = context

    @classmethod
    def from_crawler(cls, crawler: Any) -> _ContextPipeline:
        return cls(context_of(crawler))


class ExtractionPipeline(_ContextPipeline):
    """Page bytes → article draft. With worker processes, every step after the download runs
    there — extract, judge, prepare and, unless this is a dry run, store — so the crawl
    process keeps only networking."""

    pool: Executor | None = None

    def open_spider(self) -> None:
        if self.context.worker_pool is not None:
            self.pool = self.context.worker_pool.acquire()

    def close_spider(self) -> None:
        if self.context.worker_pool is not None and self.pool is not None:
            self.context.worker_pool.release()
            self.pool = None

    async def process_item(self, item: PageItem) -> PageItem:
        context = self.context
        try:
            if self.pool is None:
                return extract_item(item, context.extractor, context.window)
            loop = asyncio.get_running_loop()
            if context.store_in_workers and not context.dry_run:
                stored, warning = await loop.run_in_executor(
                    self.pool,
                    process_and_store,
                    item,
                    context.extractor,
                    context.stages,
                    context.window,
                )
                if warning is not None:
                    log.warning("%s", warning)
                return stored
            return await loop.run_in_executor(
                self.pool, process_page, item, context.extractor, context.stages, context.window
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
    fetch record alone. Pages not stored are then dropped with their outcome as the reason.

    A page a worker process stored already passes through. Either way an item leaves this
    pipeline only once its transaction committed; a page whose transaction never committed
    (the crawl stopped or was killed) has no fetch record, so the frontier keeps it due and the
    next crawl fetches it again."""

    async def process_item(self, item: PageItem) -> PageItem:
        context = self.context
        if context.dry_run:
            context.observed.append(item)
            stored = item
        elif item.stored_in_worker:
            stored = item
        else:
            stored, warning = store_page(context.engine, item, context.stages, context.now())
            if warning is not None:
                # The database refused the page for good (or is away); it was recorded as
                # store_failed if the database answered, so the next crawl tries it again.
                log.warning("%s", warning)
        if stored.outcome not in ("new", "revision", "duplicate", "unchanged"):
            # Recorded in the fetch log already; an ordinary outcome, not a warning.
            raise DropItem(
                f"{stored.outcome}: {stored.url} {stored.error or ''}".strip(), log_level="DEBUG"
            )
        return stored
