"""Reconciliation picks up changed polling settings without a restart: the configuration
file's bounds and a source's own interval re-plan its job at the next reconcile."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from monitor.daemon import Daemon, daemon_settings, job_id
from monitor.db.engine import open_engine
from monitor.db.sourcestore import add_source
from monitor.outputs import output_settings
from monitor.settings import read_config_file
from monitor.sources import SourceSpec
from tests.crawling import execute, query

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _config(path: Path, max_interval: str) -> None:
    path.write_text(
        f'[daemon]\nmin_interval = "1m"\nmax_interval = "{max_interval}"\nmax_backoff = "1d"\n',
        encoding="utf-8",
    )


@pytest.fixture
def daemon(db_url: str, tmp_path: Path) -> Iterator[Daemon]:
    """A daemon whose scheduler runs paused: jobs are planned, none is run."""
    config = tmp_path / "monitor.toml"
    _config(config, "2h")
    engine = open_engine(db_url)
    with Session(engine) as session, session.begin():
        spec = SourceSpec("lemonde", "feed", "http://127.0.0.1:9/rss", "fr", 1800)
        add_source(session, spec, NOW)
    running = Daemon(
        engine,
        database_url=db_url,
        config_path=str(config),
        settings=daemon_settings(read_config_file(config)["daemon"]),
        outputs=output_settings({}, tmp_path),
        clock=lambda: NOW,
    )
    scheduler = running._scheduler = running._build_scheduler()
    scheduler.start(paused=True)
    try:
        yield running
    finally:
        scheduler.shutdown(wait=False)
        engine.dispose()


def _planned(daemon: Daemon) -> tuple[float, datetime]:
    assert daemon._scheduler is not None
    job = daemon._scheduler.get_job(job_id("lemonde"))
    return job.trigger.interval.total_seconds(), job.next_run_time


def test_changed_bounds_and_interval_are_picked_up_at_the_next_reconcile(
    daemon: Daemon, db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="monitor.daemon")
    daemon.reconcile()
    assert _planned(daemon) == (1800, NOW)
    # Adaptive polling slowed the quiet source down to 90 minutes; its next run is far off.
    later = NOW + timedelta(minutes=90)
    execute(db_url, "UPDATE sources SET poll_seconds = 5400, next_run_at = :t", t=later)
    daemon._reschedule("lemonde", 5400)
    daemon.reconcile()  # nothing changed: the adapted plan stands
    assert _planned(daemon)[0] == 5400

    # The configuration file now caps polling at 30 minutes: the job follows at once.
    _config(tmp_path / "monitor.toml", "30m")
    daemon.reconcile()
    assert daemon.settings.polling.max_seconds == 1800
    seconds, first = _planned(daemon)
    assert seconds == 1800 and first == NOW + timedelta(minutes=30)
    assert query(db_url, "SELECT poll_seconds FROM sources") == [(1800,)]
    assert "polling bounds now 60-1800 s" in caplog.text

    # The source's own interval changes to 10 minutes: adaptive polling starts again from it.
    execute(db_url, "UPDATE sources SET interval_seconds = 600")
    daemon.reconcile()
    assert _planned(daemon) == (600, NOW + timedelta(minutes=10))
    assert query(db_url, "SELECT poll_seconds FROM sources") == [(600,)]
    assert "source lemonde: polling settings changed, now every 600 s" in caplog.text

    # A configuration file broken meanwhile keeps the bounds, and says so once.
    (tmp_path / "monitor.toml").write_text('[daemon]\nmax_interval = "soon"\n', encoding="utf-8")
    daemon.reconcile()
    daemon.reconcile()
    assert daemon.settings.polling.max_seconds == 1800 and _planned(daemon)[0] == 600
    assert caplog.text.count("polling bounds unchanged") == 1


def test_a_restart_resumes_a_stored_plan_within_new_bounds(
    daemon: Daemon, db_url: str, tmp_path: Path
) -> None:
    # Planned by an earlier daemon with looser bounds: a quiet source at 4 h, a failing one
    # backed off to 2 days. This one caps them at 2 h and 1 day, from now on.
    with Session(daemon.engine) as session, session.begin():
        spec = SourceSpec("dead", "feed", "http://127.0.0.1:9/dead", "fr", 1800)
        add_source(session, spec, NOW)
    execute(
        db_url,
        "UPDATE sources SET poll_seconds = 14400, next_run_at = :t WHERE name = 'lemonde'",
        t=NOW + timedelta(hours=4),
    )
    execute(
        db_url,
        "UPDATE sources SET poll_seconds = 172800, consecutive_failures = 5, next_run_at = :t "
        "WHERE name = 'dead'",
        t=NOW + timedelta(days=2),
    )
    daemon.reconcile()
    assert _planned(daemon) == (7200, NOW + timedelta(hours=2))
    assert daemon._scheduler is not None
    dead = daemon._scheduler.get_job(job_id("dead"))
    assert dead.trigger.interval.total_seconds() == 86400
    assert dead.next_run_time == NOW + timedelta(days=1)
