"""Running one crawl: Scrapy settings from ours, one crawler per source, a summary at the end.

Scrapy's reactor runs once per process, so a crawl is one process: the CLI runs it in its own,
the daemon in a child process. Everything a crawl learns goes to the database (fetch log,
frontier, articles), so a crawl killed half-way is simply run again.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from monitor.crawl.context import CrawlContext
from monitor.crawl.items import PageItem
from monitor.crawl.pools import SharedPool
from monitor.crawl.processing import extract_for_crawl
from monitor.crawl.workers import open_worker, worker_database_url
from monitor.db import fetchlog, sourcestore
from monitor.errors import ConfigError
from monitor.frontier import Window
from monitor.ingest import Stages
from monitor.sources import SourceSpec

log = logging.getLogger(__name__)

USER_AGENT = "monitor/0.1 (media monitoring of Mistral AI coverage; polite crawler)"
#: Crawl settings a ``[crawl]`` section may override, with their Scrapy names.
CRAWL_KEYS = {
    "user_agent": "USER_AGENT",
    "download_delay": "DOWNLOAD_DELAY",
    "concurrency": "CONCURRENT_REQUESTS_PER_DOMAIN",
    "autothrottle": "AUTOTHROTTLE_ENABLED",
    "obey_robots": "ROBOTSTXT_OBEY",
    "timeout": "DOWNLOAD_TIMEOUT",
    "max_bytes": "DOWNLOAD_MAXSIZE",
    "retries": "MONITOR_HTTP_RETRIES",
    "retry_base_delay": "MONITOR_RETRY_BASE_DELAY",
    "max_retry_after": "MONITOR_MAX_RETRY_AFTER",
    "extract_workers": None,
}

#: What worker processes run, imported once by the fork server rather than by every worker.
WORKER_MODULES = ("monitor.crawl.workers", "monitor.pipeline")


def worker_pool(workers: int, database_url: str | None) -> SharedPool:
    """The crawl's worker processes, with the write lock they store under (none is needed by
    workers that cannot reach the database and leave storing to the crawl process)."""
    context = multiprocessing.get_context("forkserver")
    if database_url is None:
        return SharedPool(workers, context=context, preload=WORKER_MODULES)
    return SharedPool(
        workers,
        open_worker,
        (database_url, context.Lock()),
        context=context,
        preload=WORKER_MODULES,
    )


def default_extract_workers() -> int:
    """One worker process per core: the crawl process itself mostly waits on the network, so
    the cores are the workers' (see docs/benchmarks.md)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def scrapy_settings(crawl_section: dict[str, Any], context: CrawlContext) -> dict[str, Any]:
    unknown = set(crawl_section) - set(CRAWL_KEYS)
    if unknown:
        raise ConfigError(
            f"[crawl]: unknown setting(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(CRAWL_KEYS))}"
        )
    settings: dict[str, Any] = {
        "BOT_NAME": "monitor",
        "USER_AGENT": USER_AGENT,
        "ROBOTSTXT_OBEY": True,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": 1.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "CONCURRENT_REQUESTS": 16,
        # Items of one response processed at once. An article page yields one item, and Scrapy
        # starts this many tasks for every response, whatever it yields: the default (100)
        # cost the crawl process about 1.3 ms of CPU per page (docs/benchmarks.md).
        "CONCURRENT_ITEMS": 4,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "DOWNLOAD_DELAY": 0.5,
        "DOWNLOAD_TIMEOUT": 30,
        "DOWNLOAD_MAXSIZE": 10 * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 0,
        "REDIRECT_MAX_TIMES": 5,
        "RETRY_TIMES": 2,
        # 429 and 5xx are retried with backoff by BackoffRetryMiddleware; Scrapy's own
        # retry keeps timeouts and broken connections.
        "RETRY_HTTP_CODES": [408, 522, 524],
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "ITEM_PIPELINES": {
            "monitor.crawl.pipelines.ExtractionPipeline": 100,
            "monitor.crawl.pipelines.JudgementPipeline": 200,
            "monitor.crawl.pipelines.StoragePipeline": 900,
        },
        "SPIDER_MIDDLEWARES": {"monitor.crawl.middlewares.FrontierMiddleware": 700},
        "DOWNLOADER_MIDDLEWARES": {
            "monitor.crawl.middlewares.ConditionalGetMiddleware": 560,
            "monitor.crawl.middlewares.BackoffRetryMiddleware": 590,
        },
        "MONITOR_CONTEXT": context,
    }
    for key, value in crawl_section.items():
        if CRAWL_KEYS[key]:
            settings[CRAWL_KEYS[key]] = value
    return settings


@dataclass
class CrawlReport:
    crawl_id: str
    outcomes: Counter[str]
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    observed: list[PageItem] = field(default_factory=list)

    @property
    def new_articles(self) -> int:
        return self.outcomes["new"] + self.outcomes["duplicate"]


def spider_arguments(spec: SourceSpec) -> tuple[str, dict[str, Any]]:
    """Which spider crawls a source, and with what arguments."""
    if spec.kind == "urls":
        try:
            lines = Path(spec.url).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"source {spec.name}: cannot read {spec.url}: {exc}") from None
        urls = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
        return "urls", {"urls": urls}
    arguments: dict[str, Any] = {"url": spec.url}
    if spec.kind == "site":
        for key in ("max_depth", "max_pages"):
            if key in spec.politeness:
                arguments[key] = spec.politeness[key]
    return spec.kind, arguments


def run_crawl(
    engine: Engine,
    specs: Sequence[SourceSpec],
    stages: Stages,
    *,
    crawl_section: dict[str, Any] | None = None,
    window: Window | None = None,
    ignore_frontier: bool = False,
    dry_run: bool = False,
    extra_urls: Sequence[str] = (),
    progress: Any = None,
) -> CrawlReport:
    """Crawl the sources once (and a list of URLs, for a backfill); blocks until done."""
    from spiders import SPIDERS

    section = dict(crawl_section or {})
    workers = int(section.get("extract_workers", default_extract_workers()))
    database_url = worker_database_url(engine)
    context = CrawlContext(
        engine=engine,
        crawl_id=uuid.uuid4().hex,
        stages=stages,
        extractor=extract_for_crawl,
        window=window or Window(),
        extract_workers=workers,
        ignore_frontier=ignore_frontier,
        dry_run=dry_run,
        worker_pool=worker_pool(workers, database_url) if workers > 0 else None,
        store_in_workers=database_url is not None,
    )
    settings = scrapy_settings(section, context)
    settings["LOG_INSTALL_ROOT_HANDLER"] = False
    process = CrawlerProcess(settings)
    jobs: list[tuple[str | None, str, dict[str, Any]]] = []
    for spec in specs:
        if spec.kind == "warc":
            raise ConfigError(
                f"source {spec.name}: WARC sources are read by `monitor backfill --warc`"
            )
        kind, arguments = spider_arguments(spec)
        jobs.append((spec.name, kind, arguments))
    if extra_urls:
        jobs.append((None, "urls", {"urls": list(extra_urls)}))
    for source, kind, arguments in jobs:
        crawler = process.create_crawler(SPIDERS[kind])
        if progress is not None:
            crawler.signals.connect(progress.item_done, signal=signals.item_scraped)
            crawler.signals.connect(progress.item_dropped, signal=signals.item_dropped)
        process.crawl(crawler, source=source, **arguments)
    if jobs:
        process.start(stop_after_crawl=True)
    with Session(engine) as session:
        outcomes = fetchlog.crawl_outcomes(session, context.crawl_id)
        failures = [
            (f.url, f.outcome, f.error or "")
            for f in fetchlog.crawl_failures(session, context.crawl_id)
        ]
    report = CrawlReport(context.crawl_id, outcomes, failures, list(context.observed))
    if not dry_run:
        record_source_runs(engine, specs, report)
    return report


def record_source_runs(engine: Engine, specs: Sequence[SourceSpec], report: CrawlReport) -> None:
    """Each source's last run, its outcome and new articles (for status and adaptive polling)."""
    with Session(engine) as session, session.begin():
        for spec in specs:
            by_source = fetchlog.crawl_outcomes_for_source(session, report.crawl_id, spec.name)
            failed = sum(n for o, n in by_source.items() if o in fetchlog.FAILURE_OUTCOMES)
            fetched = sum(by_source.values())
            outcome = "failed" if fetched and failed == fetched else "ok"
            error = None
            if outcome == "failed":
                error = ", ".join(f"{o} ×{n}" for o, n in sorted(by_source.items()))
            sourcestore.record_run(
                session,
                spec.name,
                datetime.now(UTC),
                outcome,
                error,
                by_source["new"] + by_source["duplicate"],
            )
