"""A crawl job in its child process: stopped at its time limit, or when the daemon stops."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from monitor.daemon.jobs import CrawlJob, run_crawl_job
from monitor.db.engine import open_engine
from monitor.db.sourcestore import add_source
from monitor.publisher_site import SiteFaults, crawl_test_site, load_templates, serve_site
from monitor.sources import SourceSpec
from tests.conftest import FIXTURES
from tests.crawling import query, write_config

SLOW = "le-mistral-souffle-en-rafales-sur-la-vallee-du-rhone"


def test_a_crawl_is_stopped_at_its_time_limit_and_on_stop(db_url: str, tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    site = crawl_test_site(
        load_templates(FIXTURES / "site" / "templates"),
        SiteFaults(slow_slug=SLOW, slow_seconds=4.0),
    )
    engine = open_engine(db_url)
    with serve_site(site) as running:
        with Session(engine) as session, session.begin():
            spec = SourceSpec("slow", "feed", running.url("/feed.rss"))
            add_source(session, spec, datetime.now(UTC))
        engine.dispose()

        def job(timeout: float) -> CrawlJob:
            return CrawlJob(db_url, str(config), "slow", timeout, stop_grace_seconds=1.0)

        started = time.monotonic()
        result = run_crawl_job(job(3.0), threading.Event())
        assert result.outcome == "timeout" and not result.ran
        assert time.monotonic() - started < 3.0 + 1.0 + 5.0
        # The child recorded nothing for the source: the daemon does it from the result.
        assert query(db_url, "SELECT last_run_at FROM sources") == [(None,)]

        stop = threading.Event()
        threading.Timer(2.5, stop.set).start()
        started = time.monotonic()
        stopped = run_crawl_job(job(60.0), stop)
        assert stopped.outcome == "stopped"
        assert time.monotonic() - started < 2.5 + 1.0 + 5.0

        finished = run_crawl_job(job(60.0), threading.Event())
        assert finished.outcome == "ok" and finished.ran
        assert finished.outcomes.get("irrelevant", 0) >= 1
        assert query(db_url, "SELECT last_outcome FROM sources") == [("ok",)]
