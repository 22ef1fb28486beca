"""What one crawl process shares between its spiders, middlewares and pipelines.

Built once by the runner and handed to Scrapy through the crawler settings (``MONITOR_CONTEXT``),
so no component reads the environment or keeps module-level state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from monitor.crawl.pools import SharedPool
from monitor.crawl.processing import Extractor
from monitor.frontier import Window
from monitor.ingest import Stages


@dataclass
class CrawlContext:
    engine: Engine
    crawl_id: str
    stages: Stages
    extractor: Extractor
    window: Window = field(default_factory=Window)
    #: Extraction worker processes (0: extract in the crawl process itself).
    extract_workers: int = 0
    #: Re-fetch URLs even when the frontier says they are not due (``--force``).
    ignore_frontier: bool = False
    #: Fetch and judge, but store nothing (``sources test``).
    dry_run: bool = False
    observed: list[object] = field(default_factory=list)
    #: Worker processes, shared by every spider of the crawl (None: every step runs here).
    worker_pool: SharedPool | None = None
    #: Whether the workers also store pages (they cannot reach an in-memory database).
    store_in_workers: bool = False
    #: Frontier keys already requested in this crawl: two sources listing the same article
    #: (a feed and a sitemap) must not fetch it twice.
    claimed: set[str] = field(default_factory=set)

    def __deepcopy__(self, memo: dict[int, object]) -> CrawlContext:
        # Scrapy deep-copies its settings per crawler; the context (an engine, a pool) is
        # shared by design, so every copy is the same object.
        return self

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC)


def context_of(crawler) -> CrawlContext:  # type: ignore[no-untyped-def]
    context = crawler.settings.get("MONITOR_CONTEXT")
    if not isinstance(context, CrawlContext):
        raise RuntimeError("this crawler was not started by monitor.crawl.runner")
    return context
