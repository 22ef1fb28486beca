"""What a crawl's worker processes run: every step of a page after its download, storage included.

Once extraction, judging and preparing run in worker processes, storing a page (the ORM work,
the dedup index, the commit) is what keeps a crawl from using more than one core if the crawl
process does it (see docs/benchmarks.md). So each worker also stores the page it just prepared
— while its data is still at hand, with no second trip through the crawl process — in the
page's own transaction, holding the crawl's write lock: the workers of a crawl store one page
at a time, as the crawl process did, so copies crawled at the same moment see each other in
the dedup index, and SQLite never has two writers of one crawl waiting on each other.

Each worker opens its own engine (an engine does not cross processes) from the crawl's
database URL, once, in the pool's initializer. On SQLite it checkpoints the WAL itself, after
releasing the lock, rather than inside a commit made under it (``monitor.db.checkpoints``).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Engine

from monitor.crawl.items import PageItem
from monitor.crawl.processing import Extractor, process_page, store_page
from monitor.db.checkpoints import DeferredCheckpoints
from monitor.db.engine import open_engine
from monitor.frontier import Window
from monitor.ingest import Stages

#: This worker's engine and the crawl's write lock (one per process, set by open_worker).
_engine: Engine | None = None
_write_lock: AbstractContextManager[object] | None = None
_checkpoints: DeferredCheckpoints | None = None


def worker_database_url(engine: Engine) -> str | None:
    """The URL a worker process connects to, or None when another process cannot reach this
    database (an in-memory SQLite database lives in its connection)."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


def open_worker(url: str, write_lock: AbstractContextManager[object]) -> None:
    """Pool initializer: open this process's engine and keep the crawl's write lock."""
    global _engine, _write_lock, _checkpoints
    _engine = open_engine(url, check=False)
    _write_lock = write_lock
    _checkpoints = DeferredCheckpoints(_engine)


def process_and_store(
    item: PageItem, extractor: Extractor, stages: Stages, window: Window | None
) -> tuple[PageItem, str | None]:
    """Extract, judge and prepare the page, then store it (or its fetch record alone) in one
    transaction under the write lock. Returns the stored item and the warning
    to log when the database refused it (the crawl process logs it)."""
    if _engine is None or _write_lock is None or _checkpoints is None:
        raise RuntimeError("process_and_store runs in a worker opened by open_worker")
    item = process_page(item, extractor, stages, window)
    with _write_lock:
        stored, warning = store_page(_engine, item, stages, datetime.now(UTC))
    _checkpoints.committed()
    return replace(stored, stored_in_worker=True), warning
