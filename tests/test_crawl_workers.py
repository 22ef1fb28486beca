"""The crawl's worker processes and shared pools: pages stored out of the crawl process keep the
one-writer guarantees (each page its own transaction, copies crawled together cluster)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from monitor.article import ArticleDate, ArticleDraft
from monitor.crawl.items import PageItem
from monitor.crawl.pools import SharedPool
from monitor.crawl.processing import process_page, store_page
from monitor.crawl.runner import worker_pool
from monitor.crawl.workers import process_and_store, worker_database_url
from monitor.db.engine import open_engine
from monitor.deduplication import Deduplicator
from monitor.errors import InputError
from monitor.frontier import Window
from monitor.ingest import Stages
from tests.conftest import REPO
from tests.crawling import query
from tests.test_deduplication import ORIGINAL

STAGES = Stages(deduplicator=Deduplicator())


def text_extractor(
    body: bytes, url: str, headers: dict[str, str]
) -> tuple[ArticleDraft, None, None]:
    """A page whose body is the article text, dated by an ``x-day`` header (module-level, so
    that a worker process can run it)."""
    published = ArticleDate(headers["x-day"], "day", "jsonld")
    draft = ArticleDraft(
        text=body.decode(), url=url, canonical_url=url, published=published, language="fr"
    )
    return draft, None, None


def page(url: str, text: str, day: str = "2023-09-20") -> PageItem:
    return PageItem(
        url=url,
        frontier_url=url,
        source="wire",
        crawl_id="crawl-1",
        fetched_at=datetime(2024, 1, 1, tzinfo=UTC),
        status=200,
        body=text.encode(),
        headers={"x-day": day},
    )


def test_worker_database_url_keeps_the_password_and_refuses_in_memory_databases() -> None:
    pg = create_engine("postgresql+psycopg://user:secret@127.0.0.1:5432/db")
    assert worker_database_url(pg) == "postgresql+psycopg://user:secret@127.0.0.1:5432/db"
    assert worker_database_url(create_engine("sqlite://")) is None
    assert worker_database_url(create_engine("sqlite:///:memory:")) is None
    assert worker_database_url(create_engine("sqlite:////tmp/x.db")) == "sqlite:////tmp/x.db"


def test_a_shared_pool_lives_from_the_first_acquire_to_the_last_release() -> None:
    pool = SharedPool(1)
    first = pool.acquire()
    assert pool.acquire() is first
    pool.release()
    assert first.submit(abs, -3).result() == 3  # one spider still uses it
    pool.release()
    with pytest.raises(RuntimeError):
        first.submit(abs, -3)
    assert pool.acquire() is not first  # a later spider gets a fresh pool
    pool.release()


def test_copies_stored_by_two_workers_at_once_are_stored_once_each_and_cluster(
    db_url: str,
) -> None:
    copies = [
        page("https://wire.example/a", ORIGINAL),
        page("https://journal.example/b", ORIGINAL, day="2023-09-21"),
        page("https://blog.example/c", ORIGINAL, day="2023-09-22"),
        page("https://autre.example/d", ORIGINAL, day="2023-09-23"),
    ]
    # As a crawl opens it, with the write lock its workers store under.
    pool = worker_pool(2, db_url)

    async def store_all() -> list[tuple[PageItem, str | None]]:
        loop = asyncio.get_running_loop()
        executor = pool.acquire()
        try:
            # All in flight at once, as a crawl hands them over.
            return await asyncio.gather(
                *(
                    loop.run_in_executor(
                        executor, process_and_store, item, text_extractor, STAGES, Window()
                    )
                    for item in copies
                )
            )
        finally:
            pool.release()

    results = asyncio.run(store_all())
    assert all(item.stored_in_worker and warning is None for item, warning in results)
    # Which copy was stored first depends on the workers; where the cluster ends does not.
    assert {item.outcome for item, _ in results} <= {"new", "duplicate"}
    ids = {item.url: item.article_id for item, _ in results}
    rows = query(db_url, "SELECT canonical_url, cluster_id, duplicate_of FROM articles")
    original_id = ids["https://wire.example/a"]  # the earliest published is canonical
    assert sorted(rows) == sorted(
        (url, original_id, None if url == "https://wire.example/a" else original_id) for url in ids
    )
    fetches = query(db_url, "SELECT url, article_id FROM fetches")
    assert sorted(fetches) == sorted(ids.items())


class RefusingDeduplicator(Deduplicator):
    """Fails inside the article's transaction, after the article row was flushed."""

    def index_and_cluster(self, session, article, keys=None):  # type: ignore[no-untyped-def]
        raise InputError("refused by the test")


def test_a_page_the_database_refuses_is_recorded_as_store_failed_and_nothing_else(
    db_url: str,
) -> None:
    engine = open_engine(db_url)
    try:
        stages = Stages(deduplicator=RefusingDeduplicator())
        item = process_page(page("https://wire.example/a", ORIGINAL), text_extractor, stages, None)
        stored, warning = store_page(engine, item, stages, datetime.now(UTC))
    finally:
        engine.dispose()
    assert stored.outcome == "store_failed"
    assert warning is not None and "https://wire.example/a" in warning
    assert query(db_url, "SELECT outcome FROM fetches") == [("store_failed",)]
    assert query(db_url, "SELECT last_outcome FROM url_state") == [("store_failed",)]
    assert query(db_url, "SELECT count(*) FROM articles") == [(0,)]


OWNER = """
import os, sys, time
from monitor.crawl.pools import SharedPool
pool = SharedPool(1)
print(pool.acquire().submit(os.getpid).result(), flush=True)
time.sleep(60)
"""


def test_workers_end_when_the_crawl_process_is_killed() -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert owner.stdout is not None
    worker = int(owner.stdout.readline())
    os.kill(worker, 0)  # alive while its crawl process is
    owner.kill()
    owner.wait()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    gone = not Path(f"/proc/{worker}").exists() or "Z" in _state(worker)
    assert gone, "a worker outlived its crawl process"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
