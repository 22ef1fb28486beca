"""SQLite WAL checkpoints taken outside the crawl's write lock.

A crawl's worker processes store one page at a time, each under the crawl's write lock (see
``monitor.crawl.workers``), so whatever a commit costs is time the other workers wait. A page
modifies about 70 database pages (the article's indexes, the dedup bands, the full-text index,
the fetch log), so SQLite's automatic checkpoint — run inside the commit that crosses 1,000 WAL
frames, copying them into the database file and syncing it — comes every dozen or so pages and
holds the lock for tens of milliseconds while a core idles (docs/benchmarks.md, "Crawl
throughput"). Workers turn the automatic checkpoint off and run a passive one themselves, after
releasing the lock: a passive checkpoint never blocks a writer, so the other worker keeps
storing meanwhile. The WAL stays about as short as SQLite's default keeps it.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)

#: Pages this process stores between two checkpoints (two workers: about 1,000 WAL frames).
PAGES_PER_CHECKPOINT = 8


class DeferredCheckpoints:
    """Checkpoints of one SQLite engine's WAL, run when the caller says it holds no lock.

    Other backends need none of this: every method does nothing for them."""

    def __init__(self, engine: Engine, every: int = PAGES_PER_CHECKPOINT) -> None:
        self.engine = engine
        self.every = every
        self.enabled = engine.dialect.name == "sqlite"
        self._since = 0
        if self.enabled:
            event.listen(engine, "connect", _no_automatic_checkpoint)

    def committed(self) -> bool:
        """Count one commit; every ``every`` commits run a passive checkpoint. True if run."""
        if not self.enabled:
            return False
        self._since += 1
        if self._since < self.every:
            return False
        self._since = 0
        try:
            with self.engine.connect() as connection:
                connection.execute(text("PRAGMA wal_checkpoint(PASSIVE)"))
        except OperationalError as exc:  # the next one copies these frames too
            log.debug("WAL checkpoint not run: %s", exc)
            return False
        return True


def _no_automatic_checkpoint(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()
