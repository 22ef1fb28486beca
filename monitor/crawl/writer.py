"""The crawl's writer process: stores pages, each in its own transaction, beside the crawl.

Once extraction, judging and preparing run in worker processes, storing a page (the ORM
work, the dedup index, the commit: about half of what the crawl process spends per page, see
docs/benchmarks.md) is what keeps a crawl from using more than one core. A single writer
process takes it over, so a crawl still has exactly one writer, as when the crawl process
stored pages itself: pages are stored one at a time, in the order they were handed over, and
copies crawled at the same moment see each other in the dedup index.

The process opens its own engine (an engine does not cross processes) from the crawl's
database URL, once, in the pool's initializer.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from monitor.crawl.items import PageItem
from monitor.crawl.processing import store_page
from monitor.db.engine import open_engine
from monitor.ingest import Stages

#: This writer process's engine (one per process, opened by :func:`open_writer`).
_engine: Engine | None = None


def writer_url(engine: Engine) -> str | None:
    """The URL a writer process connects to, or None when another process cannot reach this
    database (an in-memory SQLite database lives in its connection)."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


def open_writer(url: str) -> None:
    """Pool initializer: open this process's engine."""
    global _engine
    _engine = open_engine(url, check=False)


def write_page(item: PageItem, stages: Stages) -> tuple[PageItem, str | None]:
    """Store one page in the writer process (see :func:`monitor.crawl.processing.store_page`)."""
    if _engine is None:
        raise RuntimeError("write_page runs in a writer process opened by open_writer")
    return store_page(_engine, item, stages, datetime.now(UTC))
