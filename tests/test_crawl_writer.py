"""The crawl's writer process and shared pools: pages stored out of the crawl process keep the
one-writer guarantees (each page its own transaction, copies handed over together cluster)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine

from monitor.article import ArticleDate, ArticleDraft
from monitor.crawl.items import PageItem
from monitor.crawl.pools import SharedPool
from monitor.crawl.processing import store_page
from monitor.crawl.writer import open_writer, write_page, writer_url
from monitor.db.engine import open_engine
from monitor.deduplication import Deduplicator
from monitor.errors import InputError
from monitor.ingest import Stages
from tests.crawling import query
from tests.test_deduplication import ORIGINAL

STAGES = Stages(deduplicator=Deduplicator())


def page(url: str, text: str, day: str = "2023-09-20") -> PageItem:
    draft = ArticleDraft(
        text=text,
        url=url,
        canonical_url=url,
        published=ArticleDate(day, "day", "jsonld"),
        language="fr",
    )
    return PageItem(
        url=url,
        frontier_url=url,
        source="wire",
        crawl_id="crawl-1",
        fetched_at=datetime(2024, 1, 1, tzinfo=UTC),
        status=200,
        draft=draft,
    )


def test_writer_url_keeps_the_password_and_refuses_in_memory_databases() -> None:
    pg = create_engine("postgresql+psycopg://user:secret@127.0.0.1:5432/db")
    assert writer_url(pg) == "postgresql+psycopg://user:secret@127.0.0.1:5432/db"
    assert writer_url(create_engine("sqlite://")) is None
    assert writer_url(create_engine("sqlite:///:memory:")) is None
    assert writer_url(create_engine("sqlite:////tmp/x.db")) == "sqlite:////tmp/x.db"


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


def test_copies_handed_to_the_writer_together_are_stored_once_each_and_cluster(
    db_url: str,
) -> None:
    original = page("https://wire.example/a", ORIGINAL)
    copy = page("https://journal.example/b", ORIGINAL, day="2023-09-21")
    pool = SharedPool(1, open_writer, (db_url,))

    async def store_both() -> list[tuple[PageItem, str | None]]:
        loop = asyncio.get_running_loop()
        executor = pool.acquire()
        try:
            # Both in flight at once, as a crawl hands them over.
            return await asyncio.gather(
                *(
                    loop.run_in_executor(executor, write_page, item, STAGES)
                    for item in (original, copy)
                )
            )
        finally:
            pool.release()

    results = asyncio.run(store_both())
    assert [(item.outcome, warning) for item, warning in results] == [
        ("new", None),
        ("duplicate", None),
    ]
    rows = query(
        db_url, "SELECT canonical_url, cluster_id, duplicate_of FROM articles ORDER BY seq"
    )
    original_id = results[0][0].article_id
    assert rows == [
        ("https://wire.example/a", original_id, None),
        ("https://journal.example/b", original_id, original_id),
    ]
    fetches = query(db_url, "SELECT url, outcome, article_id FROM fetches ORDER BY url")
    assert fetches == [
        ("https://journal.example/b", "duplicate", results[1][0].article_id),
        ("https://wire.example/a", "new", original_id),
    ]


class RefusingDeduplicator(Deduplicator):
    """Fails inside the article's transaction, after the article row was flushed."""

    def index_and_cluster(self, session, article, keys=None):  # type: ignore[no-untyped-def]
        raise InputError("refused by the test")


def test_a_page_the_database_refuses_is_recorded_as_store_failed_and_nothing_else(
    db_url: str,
) -> None:
    engine = open_engine(db_url)
    try:
        item = page("https://wire.example/a", ORIGINAL)
        stages = Stages(deduplicator=RefusingDeduplicator())
        stored, warning = store_page(engine, item, stages, datetime.now(UTC))
    finally:
        engine.dispose()
    assert stored.outcome == "store_failed"
    assert warning is not None and "https://wire.example/a" in warning
    assert query(db_url, "SELECT outcome FROM fetches") == [("store_failed",)]
    assert query(db_url, "SELECT last_outcome FROM url_state") == [("store_failed",)]
    assert query(db_url, "SELECT count(*) FROM articles") == [(0,)]
