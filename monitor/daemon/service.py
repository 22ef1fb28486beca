"""The monitoring daemon: APScheduler 3 runs one job per enabled source, each crawl in a child.

State lives in our tables (each source's last run, adaptive interval and next run; heartbeats;
notifications), so the scheduler keeps its jobs in memory and a restart picks up where the last
daemon stopped: a source is crawled at its recorded ``next_run_at``, not all at once.

Jobs are ``source:<name>`` (deterministic), reconciled with the ``sources`` table at start and
every ``reconcile_interval`` (which also picks up changed polling bounds in the configuration
file and a source's changed interval); ``coalesce=True`` (a backlog is one run),
``max_instances=1`` (never two crawls of a source), ``misfire_grace_time`` from the settings. A
database that goes away costs the crawls and heartbeats of the outage (logged), never the
daemon; no crawl starts while the daemon lock is not held (it is lost with its connection and
taken again when the server answers; if another daemon took it meanwhile, this one stops).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor as SchedulerPool
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from monitor.daemon import records
from monitor.daemon.jobs import CrawlJob, CrawlResult, run_crawl_job
from monitor.daemon.lock import DaemonLock, LockLost, daemon_lock
from monitor.daemon.maintenance import maintenance_due, run_maintenance
from monitor.daemon.memory import fix_mmap_threshold, limit_malloc_arenas, release_memory
from monitor.daemon.polling import next_interval, resumed_interval
from monitor.daemon.settings import DaemonSettings, PollingSettings, daemon_settings
from monitor.db import sourcestore
from monitor.errors import ConfigError, DatabaseError
from monitor.outputs import OutputSettings, publish_outputs, reconcile_jsonl
from monitor.settings import read_config_file

log = logging.getLogger(__name__)

#: What a database outage looks like from here: SQLAlchemy's errors and our engine's.
DATABASE_ERRORS = (SQLAlchemyError, DatabaseError)
MAINTENANCE_JOB = "maintenance"


def job_id(source: str) -> str:
    return f"source:{source}"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class _Basis:
    """What a source's scheduled interval was worked out from: when either changes, the job is
    planned again (the source's own interval, or the configured polling bounds)."""

    interval_seconds: int
    bounds: PollingSettings


@dataclass(frozen=True)
class OnceReport:
    """What ``monitor daemon --once`` did."""

    crawls: tuple[CrawlResult, ...]
    maintenance: bool


class Daemon:
    """One daemon on one database. ``run_forever`` or ``run_once``; the caller owns signals."""

    def __init__(
        self,
        engine: Engine,
        *,
        database_url: str,
        config_path: str | None,
        settings: DaemonSettings,
        outputs: OutputSettings,
        clock: Callable[[], datetime] = utc_now,
        log_format: str = "text",
    ) -> None:
        self.engine = engine
        self.log_format = log_format
        self.database_url = database_url
        self.config_path = config_path
        self.settings = settings
        self.outputs = outputs
        self.clock = clock
        self.stop = threading.Event()
        self._outputs_lock = threading.Lock()
        self._scheduler: BackgroundScheduler | None = None
        self._heartbeat: int | None = None
        self._lock: DaemonLock | None = None
        #: Set when another daemon took the lock: the reason this one stops.
        self._lost: LockLost | None = None
        self._planned: dict[str, _Basis] = {}
        self._config_problem: str | None = None

    # -- one crawl -------------------------------------------------------------------------

    def crawl_source(self, name: str) -> CrawlResult | None:
        """The job of ``source:<name>``: crawl, record, plan the next run, update outputs."""
        if self.stop.is_set():
            return None
        if not self._lock_ok():
            log.warning(
                "crawl %s: not started, this daemon does not hold the database lock now",
                name,
                extra={"event": "crawl_skipped", "fields": {"source": name}},
            )
            return None
        job = CrawlJob(
            database_url=self.database_url,
            config_path=self.config_path,
            source=name,
            timeout_seconds=self.settings.crawl_timeout,
            stop_grace_seconds=self.settings.stop_timeout,
            log_format=self.log_format,
        )
        result = run_crawl_job(job, self.stop)
        interval = None
        try:
            interval = self._record(result)
        except DATABASE_ERRORS as exc:
            log.warning("crawl %s: cannot record the run, database unreachable: %s", name, exc)
        self._log_crawl(result, interval)
        if interval is not None and self._scheduler is not None and not self.stop.is_set():
            self._reschedule(name, interval)
        if not self.stop.is_set():  # a stopping daemon does not wait on a webhook
            self.publish()
        return result

    def _record(self, result: CrawlResult) -> float | None:
        """Record a run the child could not record, then the adaptive interval and next run."""
        if result.outcome == "stopped":
            return None  # not the source's fault; it stays due for the next start
        now = self.clock()
        with Session(self.engine) as session, session.begin():
            if not result.ran:
                sourcestore.record_run(session, result.source, now, "failed", result.error, 0)
                session.flush()
            plan = records.plan_of(session, result.source)
            if plan is None:  # removed while it was crawled
                return None
            interval = next_interval(
                configured_seconds=plan.interval_seconds,
                current_seconds=plan.poll_seconds,
                failed=plan.last_outcome == "failed",
                consecutive_failures=plan.consecutive_failures,
                new_articles=plan.last_new_articles or 0,
                bounds=self.settings.polling,
            )
            seconds = max(1, round(interval))
            records.set_poll(session, result.source, seconds, now + timedelta(seconds=seconds))
        return seconds

    def _log_crawl(self, result: CrawlResult, interval: float | None) -> None:
        counts = dict(sorted(result.outcomes.items()))
        fields = {
            "source": result.source,
            "outcome": result.outcome,
            "seconds": round(result.seconds, 1),
            "new_articles": result.new_articles,
            "fetches": sum(counts.values()),
            "outcomes": counts,
            "next_in_seconds": interval,
            "error": result.error,
        }
        shown = " ".join(f"{k}={v}" for k, v in counts.items()) or "no fetches"
        level = logging.INFO if result.outcome in ("ok", "stopped") else logging.WARNING
        log.log(
            level,
            "crawl %s: %s in %.1f s, %d new; %s%s%s",
            result.source,
            result.outcome,
            result.seconds,
            result.new_articles,
            shown,
            f"; next in {interval:g} s" if interval is not None else "",
            f"; {result.error}" if result.error else "",
            extra={"event": "crawl", "fields": fields},
        )

    # -- outputs and maintenance -----------------------------------------------------------

    def publish(self) -> None:
        if not self.outputs.enabled or (self._lock is not None and not self._lock.held):
            return  # without the lock another daemon may be announcing the same articles
        with self._outputs_lock:
            try:
                publish_outputs(self.engine, self.outputs, self.clock())
            except DATABASE_ERRORS as exc:
                log.warning("outputs: database unreachable, will retry: %s", exc)
            except OSError as exc:
                log.error("outputs: cannot write: %s", exc)

    def maintain(self) -> bool:
        if not self._lock_ok():
            return False
        try:
            if not maintenance_due(self.engine, self.settings, self.clock()):
                return False
            run_maintenance(self.engine, self.settings, self.clock())
            return True
        except DATABASE_ERRORS as exc:
            log.warning("maintenance: database unreachable, will retry: %s", exc)
            return False

    # -- scheduling ------------------------------------------------------------------------

    def _trigger(self, seconds: float, first: datetime) -> IntervalTrigger:
        return IntervalTrigger(seconds=max(1, round(seconds)), start_date=first, timezone=UTC)

    def _reschedule(self, name: str, seconds: float) -> None:
        scheduler = self._scheduler
        if scheduler is None or scheduler.get_job(job_id(name)) is None:
            return
        first = self.clock() + timedelta(seconds=seconds)
        scheduler.reschedule_job(job_id(name), trigger=self._trigger(seconds, first))

    def _reload_polling(self) -> None:
        """Adopt the polling bounds of the configuration file as it is now. Only those are
        re-read while running (the rest of ``[daemon]`` needs a restart); a file that became
        invalid keeps the current bounds and is reported once."""
        if self.config_path is None:
            return
        try:
            section = read_config_file(Path(self.config_path)).get("daemon", {})
            bounds = daemon_settings(section).polling
        except ConfigError as exc:
            if str(exc) != self._config_problem:
                log.warning("configuration: %s; polling bounds unchanged", exc)
            self._config_problem = str(exc)
            return
        self._config_problem = None
        if bounds != self.settings.polling:
            log.info(
                "configuration: polling bounds now %g-%g s (backoff up to %g s)",
                bounds.min_seconds,
                bounds.max_seconds,
                bounds.max_backoff_seconds,
            )
            self.settings = dataclasses.replace(self.settings, polling=bounds)

    def reconcile(self) -> None:
        """Make the scheduled jobs match the enabled sources (added, removed, re-planned) and
        the polling settings (a source's own interval, the configured bounds)."""
        scheduler = self._scheduler
        assert scheduler is not None
        self._reload_polling()
        bounds = self.settings.polling
        with Session(self.engine) as session:
            plans = {p.name: p for p in records.enabled_plans(session)}
        wanted = {job_id(name): plan for name, plan in plans.items()}
        for job in scheduler.get_jobs():
            if job.id.startswith("source:") and job.id not in wanted:
                scheduler.remove_job(job.id)
                self._planned.pop(job.id[7:], None)
                log.info("source %s: no longer enabled, unscheduled", job.id[7:])
        now = self.clock()
        for identifier, plan in wanted.items():
            basis = _Basis(plan.interval_seconds, bounds)
            known = self._planned.get(plan.name)
            seconds = max(
                1,
                round(
                    resumed_interval(
                        configured_seconds=plan.interval_seconds,
                        current_seconds=plan.poll_seconds,
                        consecutive_failures=plan.consecutive_failures,
                        bounds=bounds,
                        restart=known is not None
                        and known.interval_seconds != plan.interval_seconds,
                    )
                ),
            )
            existing = scheduler.get_job(identifier)
            if existing is not None and known == basis:
                current = existing.trigger.interval.total_seconds()
                if abs(current - seconds) < 1:
                    continue
            # Never later than one interval from now: a shorter interval (new bounds, a
            # restart with new settings) takes effect now, not after the wait planned before.
            first = max(now, min(plan.next_run_at or now, now + timedelta(seconds=seconds)))
            if known is not None and known != basis:
                with Session(self.engine) as session, session.begin():
                    records.set_poll(session, plan.name, seconds, first)
                log.info(
                    "source %s: polling settings changed, now every %g s, next at %s",
                    plan.name,
                    seconds,
                    first,
                )
            scheduler.add_job(
                self.crawl_source,
                trigger=self._trigger(seconds, first),
                args=[plan.name],
                id=identifier,
                name=f"crawl {plan.name}",
                replace_existing=True,
                next_run_time=first,
            )
            self._planned[plan.name] = basis
            if existing is None:
                log.info("source %s: scheduled every %g s, first at %s", plan.name, seconds, first)

    def _build_scheduler(self) -> BackgroundScheduler:
        return BackgroundScheduler(
            # Crawls get their own pool, so maintenance never takes a crawl's place or adds one.
            executors={
                "default": SchedulerPool(self.settings.max_parallel_crawls),
                MAINTENANCE_JOB: SchedulerPool(1),
            },
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(self.settings.misfire_grace_time),
            },
            timezone=UTC,
        )

    # -- life cycle ------------------------------------------------------------------------

    def _start(self) -> DaemonLock:
        lock = daemon_lock(self.engine)
        lock.acquire()
        self._lock, self._lost = lock, None
        try:
            now = self.clock()
            with Session(self.engine) as session, session.begin():
                self._heartbeat = records.start_heartbeat(session, now)
            reconcile_jsonl(self.engine, self.outputs, now)
        except BaseException:
            lock.release()
            self._lock = None
            raise
        return lock

    def _lock_ok(self) -> bool:
        """Whether this daemon holds its lock now (taking it again after a dropped connection),
        so that it may start work. Another daemon holding it stops this one."""
        lock = self._lock
        if lock is None:
            return True
        try:
            return lock.verify()
        except DATABASE_ERRORS as exc:
            log.warning("daemon lock: database unreachable: %s", _short(exc))
            return False
        except LockLost as exc:
            if self._lost is None:
                self._lost = exc
                log.error("%s", exc, extra={"event": "lock_lost", "fields": {}})
            self.stop.set()
            return False

    def _beat(self, state: str = "running") -> None:
        """Heartbeat; an outage is logged and tried again at the next beat."""
        try:
            assert self._heartbeat is not None
            with Session(self.engine) as session, session.begin():
                records.beat(session, self._heartbeat, self.clock(), state)
        except DATABASE_ERRORS as exc:
            log.warning("heartbeat: database unreachable: %s", _short(exc))

    def _finish(self, lock: DaemonLock) -> None:
        try:
            if self._heartbeat is not None:
                with Session(self.engine) as session, session.begin():
                    records.stop_heartbeat(session, self._heartbeat, self.clock())
        except DATABASE_ERRORS as exc:
            log.warning("cannot record the stop, database unreachable: %s", _short(exc))
        finally:
            lock.release()
            self._lock = None

    def _recycle(self) -> None:
        """Bound the memory a months-long run holds (``memory.release_memory``)."""
        trimmed = release_memory(self.engine)
        log.debug("idle database connections closed, heap trimmed: %s", trimmed)

    def run_forever(self) -> None:
        """Run until ``self.stop`` is set, then stop within about ``stop_timeout``.

        Raises DaemonAlreadyRunning at start, LockLost (after stopping cleanly) when another
        daemon took the lock during an outage: the only reason to give up."""
        limit_malloc_arenas()  # before the scheduler's threads exist
        fix_mmap_threshold()
        lock = self._start()
        scheduler = self._scheduler = self._build_scheduler()
        try:
            scheduler.start()
            scheduler.add_job(
                self.maintain,
                IntervalTrigger(seconds=int(self.settings.maintenance_interval), timezone=UTC),
                id=MAINTENANCE_JOB,
                name="maintenance",
                executor=MAINTENANCE_JOB,
                replace_existing=True,
                next_run_time=self.clock() + timedelta(seconds=5),
            )
            next_reconcile = 0.0
            next_recycle = time.monotonic() + self.settings.recycle_interval
            log.info("daemon started", extra={"event": "started", "fields": {}})
            while not self.stop.is_set():
                # Without the lock another daemon may be the one running: touch nothing.
                if self._lock_ok():
                    if time.monotonic() >= next_reconcile:
                        try:
                            self.reconcile()
                        except DATABASE_ERRORS as exc:
                            log.warning("reconcile: database unreachable: %s", _short(exc))
                        next_reconcile = time.monotonic() + self.settings.reconcile_interval
                    self._beat()
                if time.monotonic() >= next_recycle:
                    self._recycle()
                    next_recycle = time.monotonic() + self.settings.recycle_interval
                self.stop.wait(
                    min(self.settings.heartbeat_interval, self.settings.reconcile_interval)
                )
        finally:
            self.stop.set()
            log.info(
                "daemon stopping: no new crawls, running ones get %g s", self.settings.stop_timeout
            )
            with_timeout_shutdown(scheduler)
            self._scheduler = None
            self._finish(lock)
            log.info("daemon stopped", extra={"event": "stopped", "fields": {}})
        if self._lost is not None:
            raise self._lost

    def run_once(self) -> OnceReport:
        """Crawl every due source once (in parallel up to ``max_parallel_crawls``), update the
        outputs, run maintenance if due, and return."""
        lock = self._start()
        try:
            now = self.clock()
            with Session(self.engine) as session:
                due = [
                    p.name
                    for p in records.enabled_plans(session)
                    if p.next_run_at is None or p.next_run_at <= now
                ]
            with ThreadPoolExecutor(max_workers=self.settings.max_parallel_crawls) as pool:
                results = [r for r in pool.map(self.crawl_source, due) if r is not None]
            self.publish()
            maintained = False if self.stop.is_set() else self.maintain()
            return OnceReport(tuple(results), maintained)
        finally:
            self._finish(lock)
            if self._lost is not None:
                raise self._lost


def with_timeout_shutdown(scheduler: BackgroundScheduler) -> None:
    """Stop scheduling and wait for running jobs; they watch ``stop`` and end in bounded time."""
    if scheduler.running:
        scheduler.shutdown(wait=True)


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
