"""One crawl of one source in a child process, with a time limit and a clean way to stop it.

Scrapy's reactor runs once per process, and a long-lived daemon must not accumulate what a crawl
leaves behind, so every crawl is a fresh ``spawn`` process running :func:`crawl_in_child`. The
child puts itself in its own process group, so that stopping it also stops the extraction
workers it started, and watches its parent: when the daemon dies (even by SIGKILL) the child
kills its group within a second instead of crawling on beside the next daemon. Every article is
committed in its own transaction, so a crawl stopped anywhere leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Literal

from monitor.daemon.logformat import JsonFormatter

log = logging.getLogger(__name__)

JobOutcome = Literal["ok", "failed", "timeout", "stopped", "error"]


@dataclass(frozen=True)
class CrawlJob:
    """Everything a child needs, as primitives (a job could be queued elsewhere one day)."""

    database_url: str
    config_path: str | None
    source: str
    timeout_seconds: float
    stop_grace_seconds: float
    log_format: str = "text"


@dataclass(frozen=True)
class CrawlResult:
    """What became of a crawl job.

    ``ran`` says whether the crawl itself completed and recorded its run on the source (the
    child's ``run_crawl`` does that); otherwise the daemon records the failure.
    """

    source: str
    outcome: JobOutcome
    seconds: float
    ran: bool
    outcomes: dict[str, int] = field(default_factory=dict)
    new_articles: int = 0
    error: str | None = None


def _watch_parent(parent_pid: int) -> None:
    """Kill our process group when the daemon that started us is gone."""
    while True:
        if os.getppid() != parent_pid:
            os.killpg(os.getpgid(0), signal.SIGKILL)
        time.sleep(0.5)


def crawl_in_child(job: CrawlJob, results: Connection, parent_pid: int) -> None:
    """The child's entry point (module-level, so that ``spawn`` can import it)."""
    os.setpgid(0, 0)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    logging.basicConfig(format=f"%(levelname)s crawl[{job.source}] %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:  # Scrapy lowers logger levels; not ours
        handler.setLevel(logging.WARNING)
        if job.log_format == "json":  # the daemon's log stays one JSON object per line
            handler.setFormatter(JsonFormatter())
    try:
        counts, new = _crawl(job)
    except Exception as exc:  # reported to the daemon, which records it on the source
        results.send(("error", f"{type(exc).__name__}: {exc}", {}, 0))
    else:
        results.send(("done", None, counts, new))
    finally:
        results.close()


def _crawl(job: CrawlJob) -> tuple[dict[str, int], int]:
    from sqlalchemy.orm import Session

    from monitor.crawl.runner import run_crawl
    from monitor.db import sourcestore
    from monitor.db.engine import open_engine
    from monitor.db.migrations import require_current_schema
    from monitor.pipeline import build_stages
    from monitor.settings import build_settings

    settings = build_settings(db_flag=job.database_url, config_flag=job.config_path, environ={})
    engine = open_engine(settings.database_url)
    try:
        require_current_schema(engine)
        with Session(engine) as session:
            spec = sourcestore.spec_of(sourcestore.get_source(session, job.source))
        report = run_crawl(
            engine,
            [spec],
            build_stages(settings),
            crawl_section=dict(settings.section("crawl")),
        )
        return dict(report.outcomes), report.new_articles
    finally:
        engine.dispose()


def _stop(process: multiprocessing.process.BaseProcess, grace: float) -> None:
    """SIGTERM the child alone (Scrapy finishes the pages in flight, its extraction workers
    keep working for it), then SIGKILL its whole group after ``grace``."""
    if process.pid is None or not process.is_alive():
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGTERM)
    process.join(grace)
    if not process.is_alive():
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:  # the group is not set up yet: kill the child alone
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
    process.join(5.0)


def run_crawl_job(job: CrawlJob, stop: threading.Event) -> CrawlResult:
    """Run ``job`` in a child; stop it on ``stop`` or after its timeout. Never raises for what
    happens in the child."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=crawl_in_child,
        args=(job, sender, os.getpid()),
        name=f"crawl:{job.source}",
        daemon=False,
    )
    started = time.monotonic()
    process.start()
    sender.close()
    message = None
    interrupted: JobOutcome | None = None
    try:
        while True:
            ready = wait([receiver, process.sentinel], timeout=0.2)
            if receiver in ready:
                with contextlib.suppress(EOFError):
                    message = receiver.recv()
            if process.sentinel in ready or message is not None:
                process.join(job.stop_grace_seconds)
                break
            if stop.is_set():
                interrupted = "stopped"
            elif time.monotonic() - started > job.timeout_seconds:
                interrupted = "timeout"
            if interrupted:
                _stop(process, job.stop_grace_seconds)
                break
    finally:
        if process.is_alive():
            _stop(process, 0.0)
        receiver.close()
        process.close()
    seconds = time.monotonic() - started
    if message is not None and message[0] == "done":
        counts = Counter(message[2])
        outcome: JobOutcome = "ok" if _has_success(counts) else "failed"
        return CrawlResult(job.source, outcome, seconds, True, dict(counts), message[3])
    if interrupted == "timeout":
        return CrawlResult(
            job.source, "timeout", seconds, False, error=f"stopped after {job.timeout_seconds:g} s"
        )
    if interrupted == "stopped":
        return CrawlResult(job.source, "stopped", seconds, False, error="daemon stopping")
    error = message[1] if message is not None else "the crawl process died without a report"
    return CrawlResult(job.source, "error", seconds, False, error=error)


def _has_success(counts: Counter[str]) -> bool:
    from monitor.db.fetchlog import FAILURE_OUTCOMES

    total = sum(counts.values())
    failed = sum(n for o, n in counts.items() if o in FAILURE_OUTCOMES)
    return total == 0 or failed < total
